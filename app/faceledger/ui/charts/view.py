"""The chart base: a pyqtgraph scene with a details line, keyboard selection of bars, a
context menu and PNG/SVG export (`ChartView`); `RowChart`, one row per vendor with a scroll bar."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QIODevice, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeyEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QFileDialog,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QScrollBar,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from faceledger.data.errors import FaceLedgerError
from faceledger.data.export_files import replace_file
from faceledger.ui.charts.axes import ChartAxis
from faceledger.ui.charts.bars import BarsItem
from faceledger.ui.charts.style import (
    EXPORT_FORMATS,
    INK,
    MUTED,
    esc,
    make_pen,
    plain_details,
    wrap_footer,
)

log = logging.getLogger(__name__)

EXPORT_MOST_PIXELS = 16_000  # the tallest exported chart (a row chart grows to show every row)


# -- the chart base -----------------------------------------------------------------------------
class ChartView(QWidget):
    """A pyqtgraph scene with export (button, context menu, `export_chart`), keyboard selection
    of bars (arrows, Enter) and a details line that repeats the current bar's tooltip."""

    activated = Signal(object)  # the key of the bar the user clicked or pressed Enter on

    title_text = "chart"
    footer: Any  # the text under the chart (a pyqtgraph LabelItem each chart places; `_set_footer`)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = pg.GraphicsLayoutWidget(self)
        self.view.setObjectName("chartScene")
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_context_menu_requested)
        self.view.ci.setContentsMargins(8, 8, 16, 8)
        self.details = QLabel(self)
        self.details.setObjectName("chartDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setText("Hover over a bar, or use the arrow keys, for its details and sources.")
        lines = self.details.fontMetrics().lineSpacing()
        self.details.setFixedHeight(3 * lines + 6)  # the chart must not jump when the text changes
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.bars_items: list[BarsItem] = []
        self._cached_items: list[QGraphicsItem] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.view, 1)
        self._layout.addWidget(self.details)

    # -- bars of all items, in keyboard order -------------------------------------------------
    def _track(self, item: BarsItem) -> BarsItem:
        self.bars_items.append(item)
        item.sigHovered.connect(lambda i, it=item: self._on_bar_hovered(it, i))
        item.sigClicked.connect(lambda i, button, it=item: self._on_bar_clicked(it, i, button))
        return item

    def all_bars(self) -> list[tuple[BarsItem, int]]:
        return [(it, i) for it in self.bars_items for i in range(it.bar_count())]

    def activate(self, item: BarsItem, index: int) -> None:
        self.activated.emit(item.bar(index).key)

    def show_details(self, text: str) -> None:
        """Show a bar's details under the chart, cut to the three lines there is room for."""
        fm = self.details.fontMetrics()
        room = int(max(self.details.width(), 300) * 2.7)
        self.details.setText(fm.elidedText(text, Qt.TextElideMode.ElideRight, room))

    def _on_bar_hovered(self, item: BarsItem, index: int) -> None:
        if index >= 0:
            self.show_details(plain_details(item.bar(index).tooltip))

    def _on_bar_clicked(self, item: BarsItem, index: int, button: Any) -> None:
        if button == Qt.MouseButton.LeftButton:
            self.activate(item, index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        bars = self.all_bars()
        if not bars:
            super().keyPressEvent(event)
            return
        pos = next((n for n, (it, i) in enumerate(bars) if it.current == i), -1)
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Right):
            self._select(bars, min(pos + 1, len(bars) - 1))
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Left):
            self._select(bars, max(pos - 1, 0))
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and pos >= 0:
            self.activate(*bars[pos])
        elif key == Qt.Key.Key_Menu and pos >= 0:
            it, i = bars[pos]
            scene_pt = it.mapToScene(it.bar(i).rect.center())
            self._on_context_menu_requested(self.view.mapFromScene(scene_pt))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _select(self, bars: list[tuple[BarsItem, int]], pos: int) -> None:
        for it in self.bars_items:
            it.set_current(-1)
        it, i = bars[pos]
        it.set_current(i)
        self.show_details(plain_details(it.bar(i).tooltip))

    # -- export -------------------------------------------------------------------------------
    def export_chart(self, path: str | Path, fmt: str | None = None) -> Path:
        """Write the chart as PNG or SVG (from the suffix when `fmt` is None); returns the path."""
        p = Path(path)
        kind = (fmt or p.suffix.lstrip(".")).lower()
        if kind not in EXPORT_FORMATS:
            raise ValueError(f"charts export as PNG or SVG, not '{kind or p.suffix}'")
        if p.suffix.lower() != f".{kind}":
            p = p.with_name(p.name + f".{kind}")
        layout = self.view.ci  # the whole chart: title, plots, legend, footer
        if layout.geometry().width() < 300 or layout.geometry().height() < 200:
            layout.setGeometry(QRectF(0, 0, 1200, 800))  # never laid out (not shown yet): a print size
        with self._uncached(), self._whole_chart():
            data = self._png_bytes(layout) if kind == "png" else _svg_bytes(layout, self.title_text)
        if not data:
            raise OSError("the chart could not be drawn; nothing was written")
        replace_file(p, data)  # whole or not at all; never over a device, a pipe or a folder
        return p

    @staticmethod
    def _png_bytes(layout: Any) -> bytes:
        """The chart as PNG, in memory: Qt's image writer reports no error a caller could see
        on a full disk, so the file itself is written by `replace_file`."""
        import pyqtgraph.exporters as exporters  # noqa: PLC0415 (parametertree: only on export)

        image = exporters.ImageExporter(layout).export(toBytes=True)
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        ok = image.save(buffer, "PNG")
        buffer.close()
        return bytes(buffer.data().data()) if ok else b""

    def export_with_dialog(self, fmt: str) -> Path | None:
        name = self.title_text.lower().replace(" ", "-")
        filters = {"png": "PNG image (*.png)", "svg": "SVG drawing (*.svg)"}
        path, _ = QFileDialog.getSaveFileName(
            self, f"Export chart as {fmt.upper()}", str(Path.home() / f"{name}.{fmt}"), filters[fmt]
        )
        if not path:
            return None
        try:
            written = self.export_chart(path, fmt)
            self.show_details(f"Chart saved as {written}")
            return written
        except (OSError, ValueError, FaceLedgerError) as exc:
            log.warning("chart export to %s failed: %s", path, exc)
            QMessageBox.warning(self, "Chart not exported", f"The chart could not be written.\n\n{exc}")
            return None

    # -- context menu -------------------------------------------------------------------------
    def _bar_at(self, view_pos: QPoint) -> tuple[BarsItem, int] | None:
        scene_pos = self.view.mapToScene(view_pos)
        for it in self.bars_items:
            i = it.index_at(it.mapFromScene(scene_pos))
            if i >= 0:
                return it, i
        return None

    def _add_bar_actions(self, menu: QMenu, item: BarsItem, index: int) -> None:
        """Subclasses add actions for the bar under the mouse."""

    def build_context_menu(self, view_pos: QPoint) -> QMenu:
        menu = QMenu(self)
        hit = self._bar_at(view_pos)
        if hit is not None:
            self._add_bar_actions(menu, *hit)
            if not menu.isEmpty():
                menu.addSeparator()
        for fmt in EXPORT_FORMATS:
            act = QAction(f"Export chart as {fmt.upper()}…", menu)
            act.triggered.connect(lambda _=False, f=fmt: self.export_with_dialog(f))
            menu.addAction(act)
        return menu

    def _on_context_menu_requested(self, pos: QPoint) -> None:
        menu = self.build_context_menu(pos)
        menu.exec(self.view.mapToGlobal(pos))
        menu.deleteLater()

    # -- helpers ------------------------------------------------------------------------------
    def _plot(self, row: int, col: int, **kw: Any) -> Any:
        axes = {side: ChartAxis(side) for side in ("left", "bottom")}
        plot = self.view.addPlot(row=row, col=col, axisItems=axes, **kw)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=False, y=False)
        for name in ("left", "bottom"):
            ax = plot.getAxis(name)
            ax.setPen(make_pen(MUTED))
            ax.setTextPen(make_pen(INK))
            self._cache(ax.label)
        self._cache(plot.titleLabel.item)
        return plot

    # Setting texts, ticks and ranges is costly in pyqtgraph (HTML layout, axis pictures); a chart
    # re-rendered with the same frame only pays for its bars.
    @staticmethod
    def _text(label: Any, text: str) -> None:
        if label.text != text:
            label.setText(text)

    def _set_footer(self, lines: Sequence[str]) -> None:
        """The footer under the chart, each line wrapped at FOOT_WIDTH characters (`wrap_footer`)."""
        self._text(self.footer, "<br>".join(esc(part) for line in lines for part in wrap_footer(line)))

    @staticmethod
    def _axis_label(plot: Any, side: str, text: str) -> None:
        if plot.getAxis(side).labelText != text:
            plot.setLabel(side, text)

    @staticmethod
    def _ticks(axis: Any, ticks: list[list[tuple[float, str]]] | None) -> None:
        if axis._tickLevels != ticks:
            axis.setTicks(ticks)

    @staticmethod
    def _range(plot: Any, x: tuple[float, float] | None = None, y: tuple[float, float] | None = None) -> None:
        target = plot.getViewBox().state["targetRange"]
        xr = None if x is None or list(x) == list(target[0]) else x
        yr = None if y is None or list(y) == list(target[1]) else y
        if xr is not None or yr is not None:
            plot.getViewBox().setRange(xRange=xr, yRange=yr, padding=0)

    def _side_legend(self) -> Any:
        """A legend in its own column right of the plot, at the top."""
        legend = pg.LegendItem(labelTextColor=INK)
        self.view.addItem(legend, row=1, col=1)
        self._cache(legend)
        self.view.ci.layout.setAlignment(legend, Qt.AlignmentFlag.AlignTop)
        return legend

    def _legend(self, legend: Any, entries: list[tuple[str, QColor]]) -> None:
        """Colour squares with names (rebuilt only when they change)."""
        key = [(name, colour.name()) for name, colour in entries]
        if getattr(legend, "_faceledger_key", None) == key:
            return
        legend.clear()
        samples = []
        for name, colour in entries:
            sample = pg.BarGraphItem(
                x=[0], height=[1], width=1, brush=colour, pen=make_pen(colour.darker(140))
            )
            samples.append(sample)
            legend.addItem(sample, esc(name))
        for sample, label in legend.items:  # each entry paints itself: kept as pictures too
            self._cache(sample)
            self._cache(label)
        legend._faceledger_key = key
        legend._faceledger_samples = samples  # the samples must outlive the legend entries
        legend.setMaximumHeight(22 * len(entries) + 12)

    def _label(self, row: int, col: int, text: str, colspan: int = 1, size: str = "9pt", **kw: Any) -> Any:
        label = pg.LabelItem(text, size=size, color=INK, justify="left")
        self.view.addItem(label, row=row, col=col, colspan=colspan, **kw)
        self._cache(label.item)
        return label

    def _cache(self, item: QGraphicsItem) -> None:
        """Keep `item` (a title, a footer, a legend: text that changes less often than the bars)
        as a picture on screen, so that a repaint copies it instead of laying its text out again.
        Exports draw it afresh (`_uncached`): an SVG keeps its text as text."""
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        # A legend rebuilt drops its old entries: only items still in a scene are kept.
        self._cached_items = [it for it in self._cached_items if isValid(it) and it.scene() is not None]
        self._cached_items.append(item)

    @contextmanager
    def _whole_chart(self) -> Iterator[None]:
        """While exporting: the chart as a picture of it must show it (a row chart draws every
        row, not the ones its window scrolls to)."""
        yield

    @contextmanager
    def _uncached(self) -> Iterator[None]:
        for item in self._cached_items:
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        try:
            yield
        finally:
            for item in self._cached_items:
                item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def _svg_bytes(item: Any, title: str) -> bytes:
    """SVG of a chart's layout item, drawn by Qt's QSvgGenerator from the same scene as the
    screen, in memory. Not pyqtgraph's SVGExporter: in pyqtgraph 0.14.0 it fails on the closed paths Qt 6.11
    writes (pyqtgraph issue #3495) and, where it runs, moves this chart's labels and word boxes
    off their rows, which would misstate which vendor a count belongs to."""
    rect = item.sceneBoundingRect()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    gen = QSvgGenerator()
    gen.setOutputDevice(buffer)
    gen.setSize(QSize(int(rect.width()), int(rect.height())))
    gen.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    gen.setResolution(96)  # text sized as on screen (the generator's default, 72 dpi, shrinks it)
    gen.setTitle(title)
    gen.setDescription(f"FaceLedger chart: {title}.")
    painter = QPainter(gen)
    try:
        item.scene().render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    finally:
        painter.end()
    buffer.close()
    return bytes(buffer.data().data())


class RowChart(ChartView):
    """A horizontal bar chart, one row per vendor: it shows as many rows as fit the window and a
    scroll bar (or the mouse wheel) moves through the rest, so drawing costs what is on screen. A
    note under it then says which rows are shown; an exported chart draws every row."""

    row_pixels = 30
    row_noun = ("vendor", "vendors")  # what a row stands for, in the note on rows out of view

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = 0
        self._every_row = False  # an export draws every row (`_whole_chart`)
        self.scrollbar = QScrollBar(Qt.Orientation.Vertical, self)
        self.scrollbar.setObjectName("chartRows")
        self.scrollbar.setVisible(False)
        # Which rows are on screen when not all are: a reader must not take the rows in view for
        # the whole chart.
        self.rows_note = QLabel(self)
        self.rows_note.setObjectName("chartRowsNote")
        self.rows_note.setTextFormat(Qt.TextFormat.PlainText)
        self.rows_note.setVisible(False)
        self._layout.removeWidget(self.view)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.view, 1)
        row.addWidget(self.scrollbar)
        self._layout.insertLayout(0, row, 1)
        self._layout.insertWidget(1, self.rows_note)
        self.scrollbar.valueChanged.connect(self._on_scrolled)

    def row_plot(self) -> Any:
        """The plot whose y range is the row window (others are linked to it)."""
        raise NotImplementedError

    def set_rows(self, n: int) -> None:
        self.rows = n
        self._update_window()

    def rows_in_view(self) -> int:
        vb = self.row_plot().getViewBox()
        height = vb.height() if vb.height() > 50 else max(self.view.height() - 220, 100)
        return max(3, int(height // self.row_pixels))

    def scroll_to_row(self, row: int) -> None:
        fit = self.rows_in_view()
        first = self.scrollbar.value()
        if row < first:
            self.scrollbar.setValue(row)
        elif row >= first + fit:
            self.scrollbar.setValue(row - fit + 1)

    def _update_window(self) -> None:
        if self._every_row:  # an export resized the chart: the scroll bar stays as the user left it
            self._on_scrolled(0)
            return
        fit = self.rows_in_view()
        more = self.rows > fit
        self.scrollbar.blockSignals(True)
        self.scrollbar.setRange(0, max(0, self.rows - fit))
        self.scrollbar.setPageStep(fit)
        self.scrollbar.blockSignals(False)
        self.scrollbar.setVisible(more)
        self._on_scrolled(self.scrollbar.value())

    def _on_scrolled(self, first: int) -> None:
        if self._every_row:
            self._range(self.row_plot(), y=(-0.6, max(self.rows, 1) - 0.4))
            return
        visible = min(max(self.rows, 1), self.rows_in_view())
        self._range(self.row_plot(), y=(first - 0.6, first + visible - 0.4))
        shown = self.rows > visible
        if shown:
            one, many = self.row_noun
            last = min(self.rows, first + visible)
            self.rows_note.setText(
                f"Showing {one if self.rows == 1 else many} {first + 1:,}–{last:,} of {self.rows:,}: "
                "scroll for the rest. An exported chart shows them all."
            )
        if self.rows_note.isVisibleTo(self) != shown:
            self.rows_note.setVisible(shown)

    @contextmanager
    def _whole_chart(self) -> Iterator[None]:
        """Every row, each at least as tall as on screen (the image grows, up to
        EXPORT_MOST_PIXELS tall; past that the rows get thinner, but none is left out)."""
        layout = self.view.ci
        before = layout.geometry()
        hidden = max(0, self.rows - self.rows_in_view())
        self._every_row = True
        try:
            if hidden:
                taller = min(before.height() + hidden * self.row_pixels, EXPORT_MOST_PIXELS)
                layout.setGeometry(
                    QRectF(before.x(), before.y(), before.width(), max(before.height(), taller))
                )
            self._on_scrolled(0)
            yield
        finally:
            self._every_row = False
            if hidden:
                layout.setGeometry(before)
            self._update_window()

    def _select(self, bars: list[tuple[BarsItem, int]], pos: int) -> None:
        super()._select(bars, pos)
        it, i = bars[pos]
        self.scroll_to_row(round(it.bar(i).rect.center().y()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_window()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.scrollbar.isVisible():
            steps = event.angleDelta().y() // 40
            self.scrollbar.setValue(self.scrollbar.value() - steps)
            event.accept()
        else:
            super().wheelEvent(event)
