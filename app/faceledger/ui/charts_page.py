"""The Charts page: three tabs (customer counts, study results, events over time) whose charts are
built the first time they are shown (pyqtgraph is imported then, never at start-up), export
buttons. The page only emits signals (a bar clicked: the records behind it); the main window adds
it to its navigation and routes its requests through `ui/navigation.py`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from faceledger.data.database import Database
from faceledger.data.deployment_charts import DeploymentFilter
from faceledger.ui.accessibility import name_chart_tab, name_charts_page

if TYPE_CHECKING:
    from faceledger.ui.charts import ChartView

TABS = (
    ("counts", "Customer counts"),
    ("study", "Study results"),
    ("timeline", "Events over time"),
)


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
        name_charts_page(self, [key for key, _title in TABS])
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
