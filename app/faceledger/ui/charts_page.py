"""The Charts page: three tabs (customer counts, study results, events over time) whose charts are
built the first time they are shown (pyqtgraph is imported then, never at start-up), export
buttons, and `install_charts_page(window)`, the one call the main window makes to add the page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from faceledger.data.charts import DeploymentFilter
from faceledger.data.database import Database
from faceledger.ui.accessibility import name_chart_tab, name_charts_page

if TYPE_CHECKING:
    from faceledger.ui.charts import ChartView
    from faceledger.ui.entity_page import EntityPage
    from faceledger.ui.main_window import MainWindow

TABS = (
    ("counts", "Customer counts"),
    ("study", "Study results"),
    ("timeline", "Events over time"),
)
FILTER_KEYS = ("customer_country", "customer_type", "status")


class ChartsPage(QWidget):
    """Charts of the database; each tab's chart is built on first show."""

    deployments_requested = Signal(str, str, object)  # vendor id, vendor name, DeploymentFilter
    events_requested = Signal(int, str)  # year, kind ("" for every kind)
    record_requested = Signal(str, str)  # entity, record id

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("page_charts")
        self.built: dict[str, Any] = {}
        self.navigator: ChartsNavigator | None = None
        self._pending_filter: DeploymentFilter | None = None
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("chartTabs")
        self._holders: list[QWidget] = []
        for _name, title in TABS:
            holder = QWidget(self.tabs)
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self._holders.append(holder)
            self.tabs.addTab(holder, title)
        self.hint = QLabel("Click a bar to open the records behind it; right-click for more.", self)
        self.hint.setObjectName("chartHint")
        self.export_png = QPushButton("Export &PNG…", self)
        self.export_svg = QPushButton("Export S&VG…", self)
        self.export_png.setToolTip(
            "Save the chart shown as a PNG image (also on the chart's right-click menu)"
        )
        self.export_svg.setToolTip(
            "Save the chart shown as an SVG drawing (also on the chart's right-click menu)"
        )
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint, 1)
        bottom.addWidget(self.export_png)
        bottom.addWidget(self.export_svg)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        name_charts_page(self)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.export_png.clicked.connect(lambda: self._on_export_clicked("png"))
        self.export_svg.clicked.connect(lambda: self._on_export_clicked("svg"))

    # -- public -------------------------------------------------------------------------------
    def tab(self, name: str) -> Any:
        """The tab's widget (CountsTab, StudyTab or TimelineTab), built now if it was not yet."""
        if name not in self.built:
            self._build_tab(name)
        return self.built[name]

    def show_tab(self, name: str) -> Any:
        self.tabs.setCurrentIndex([n for n, _ in TABS].index(name))
        return self.tab(name)

    def current_chart(self) -> ChartView:
        name = TABS[self.tabs.currentIndex()][0]
        chart: ChartView = self.tab(name).chart()
        return chart

    def export_chart(self, path: str | Path, fmt: str | None = None) -> Path:
        """Write the chart shown as PNG or SVG without a dialog (see ChartView.export_chart)."""
        return self.current_chart().export_chart(path, fmt)

    def follow_filter(self, flt: DeploymentFilter) -> None:
        """Use the Deployments page's filters for the documented-deployments chart."""
        if "counts" in self.built:
            self.built["counts"].set_filter(flt)
        else:
            self._pending_filter = flt

    # -- internals ----------------------------------------------------------------------------
    def _build_tab(self, name: str) -> None:
        from faceledger.ui import charts  # noqa: PLC0415 (pyqtgraph only when a chart is first shown)

        holder = self._holders[[n for n, _ in TABS].index(name)]
        widget: Any
        if name == "counts":
            widget = charts.CountsTab(self.db, holder)
            widget.deployments_requested.connect(self.deployments_requested)
            if self._pending_filter is not None:
                widget.set_filter(self._pending_filter)
                self._pending_filter = None
        elif name == "study":
            widget = charts.StudyTab(self.db, holder)
            widget.record_requested.connect(self.record_requested)
        else:
            widget = charts.TimelineTab(self.db, holder)
            widget.events_requested.connect(self.events_requested)
        layout = holder.layout()
        assert layout is not None
        layout.addWidget(widget)
        name_chart_tab(widget)
        self.built[name] = widget

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.tab(TABS[self.tabs.currentIndex()][0])

    def _on_tab_changed(self, index: int) -> None:
        if self.isVisible() and 0 <= index < len(TABS):
            self.tab(TABS[index][0])

    def _on_export_clicked(self, fmt: str) -> None:
        self.current_chart().export_with_dialog(fmt)


def _page_filter(window: MainWindow) -> DeploymentFilter:
    query = window.pages["deployments"].current_query()
    values = {k: v[0] for k, v in query.filters if k in FILTER_KEYS and len(v) == 1}
    return DeploymentFilter(values.get("customer_country"), values.get("customer_type"), values.get("status"))


class ChartsNavigator:
    """Connects the Charts page to the main window (kept as `page.navigator`)."""

    def __init__(self, window: MainWindow, page: ChartsPage, row: int) -> None:
        self.window = window
        self.page = page
        self.row = row
        self._synced = DeploymentFilter()

    def show(self) -> ChartsPage:
        """Show the Charts page; its deployment filters follow the Deployments page's when those
        changed since the charts last saw them."""
        flt = _page_filter(self.window)
        if flt != self._synced:
            self._synced = flt
            self.page.follow_filter(flt)
        self.window.stack.setCurrentWidget(self.page)
        self.window.select_nav_row(self.row)
        self.window.statusBar().showMessage(
            "Charts: hover a bar for its details and sources; click it to open the records behind it.", 10_000
        )
        return self.page

    def open_deployments(self, vendor_id: str, vendor_name: str, flt: DeploymentFilter) -> None:
        target = self.window.show_page("deployments")
        target.show_only(
            ("vendor_id", vendor_id, f"Vendor: {vendor_name}"),
            {
                "customer_country": flt.customer_country,
                "customer_type": flt.customer_type,
                "status": flt.status,
            },
        )
        self._synced = _page_filter(self.window)
        self._arrived(target, f"Deployments of {vendor_name}, from the chart.")

    def open_events(self, year: int, kind: str) -> None:
        target = self.window.show_page("events")
        target.show_only(None, {"kind": kind or None}, year=year)
        self._arrived(target, f"Events of {year}" + (f" ({kind})" if kind else "") + ", from the chart.")

    def open_record(self, entity: str, record_id: str) -> None:
        self.window.navigate(entity, record_id)

    def _arrived(self, target: EntityPage, message: str) -> None:
        target.ensure_selection()  # the detail pane shows a row of the new view, not the old one
        target.table.setFocus()
        self.window.statusBar().showMessage(message, 10_000)

    def _on_nav_row_changed(self, row: int) -> None:
        if row == self.row:
            self.show()


def install_charts_page(window: MainWindow) -> ChartsPage:
    """Add the Charts page to the main window: a navigation entry after the record pages, Ctrl+9
    and an entry in the Go menu; clicks on bars open the Deployments or Events page filtered."""
    page = ChartsPage(window.repos.db, window)
    window.stack.addWidget(page)
    from faceledger.ui.main_window import CHARTS_ENTRY  # noqa: PLC0415 (imports this module)

    nav = ChartsNavigator(window, page, window.nav_row(CHARTS_ENTRY[0]))
    page.navigator = nav
    act = QAction("&Charts", window)
    act.setShortcut(QKeySequence("Ctrl+9"))
    act.triggered.connect(nav.show)
    window.addAction(act)
    window.go_menu.addAction(act)
    window.nav.currentRowChanged.connect(nav._on_nav_row_changed)
    page.deployments_requested.connect(nav.open_deployments)
    page.events_requested.connect(nav.open_events)
    page.record_requested.connect(nav.open_record)
    return page
