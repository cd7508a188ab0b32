"""Chart widgets on pyqtgraph: reported customer counts, documented deployments, study figures
and events over time. Each is a component with a data-in method (`set_counts`, `set_segments`,
`set_figures`, `set_events`); the numbers come from `faceledger.data.charts`, never from here.

This module imports pyqtgraph (and NumPy); only `charts_page` imports it, when the Charts page is
first shown, so the app's cold start does not pay for it.

The counts charts are horizontal, one row per vendor, so that vendor names and what was counted
read in full on the category axis; a scroll bar moves through more rows than fit. How qualifiers
are drawn:
- a count with a number is a bar whose length is the number (log scale optional);
- "at least N" / "more than N" add an arrowhead at the bar's end: the true value lies beyond;
- "a handful", "several", "dozens", "hundreds" have no number, so they get no bar on the number
  axis at all: they sit in a separate column headed "given in words", as a hatched outline of the
  same fixed size for every vendor, labelled with the words;
- "not disclosed" gets no bar and is listed under the chart;
- counts not verified have a dashed outline, a pale fill and "unverified" in their label.
"""

from __future__ import annotations

import html
import logging
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPen,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from faceledger.data import charts as data
from faceledger.data.charts import (
    DeploymentChart,
    DeploymentFilter,
    DeploymentSegment,
    ReportedCount,
    SourceRef,
    StudyFigureBar,
    YearKindCount,
)
from faceledger.data.database import Database

log = logging.getLogger(__name__)

SOURCE_NOTE = data.CHART_NOTE
EXPORT_FORMATS = ("png", "svg")

INK = QColor("#222222")
MUTED = QColor("#666666")
BAR = QColor("#3b6ea8")
BAR_PALE = QColor(59, 110, 168, 70)
WORDS_FILL = QBrush(QColor(255, 255, 255, 0))  # "given in words": an outline with hatching, no fill
WORDS_HATCH = QColor(59, 110, 168, 150)
UNVERIFIED_HATCH = QColor(255, 255, 255, 190)  # white lines over a figure not verified
HIGHLIGHT = QColor("#e8a33d")
STATUS_COLOURS = {
    "active": "#2e7d32",
    "trial": "#66bb6a",
    "paused": "#f9a825",
    "ended": "#78909c",
    "declined": "#8d6e63",
    "barred": "#c62828",
    "pitch-only": "#8e24aa",
    "unknown": "#cfcfcf",
}
# Twenty distinguishable colours (after matplotlib's tab20), for event kinds and subgroups.
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#aec7e8",
    "#ffbb78",
    "#98df8a",
    "#ff9896",
    "#c5b0d5",
    "#c49c94",
    "#f7b6d2",
    "#c7c7c7",
    "#dbdb8d",
    "#9edae5",
)
EVENT_KINDS = (
    "incident",
    "ban",
    "moratorium",
    "law",
    "fine",
    "settlement",
    "wrongful arrest",
    "lawsuit",
    "ruling",
    "order",
    "policy",
    "announcement",
    "audit",
    "report",
    "contract",
    "exit",
    "product change",
    "misuse",
    "data breach",
    "other",
)
LOG_FLOOR = math.log10(0.5)  # where bars start on the log axis, so that a count of 1 is visible

pg.setConfigOptions(antialias=False, background="w", foreground="k")


def kind_colour(kind: str) -> QColor:
    i = EVENT_KINDS.index(kind) if kind in EVENT_KINDS else len(EVENT_KINDS) - 1
    return QColor(PALETTE[i % len(PALETTE)])


# -- text for tooltips (rich text: every database string escaped) -------------------------------
def _e(text: object) -> str:
    return html.escape(str(text), quote=False)


def _sources_html(sources: Sequence[SourceRef]) -> str:
    if not sources:
        return "<br><b>Source:</b> none recorded"
    items = "".join(f"<br>• {_e(s.line())}" for s in sources)
    return f"<br><b>Source{'s' if len(sources) > 1 else ''}:</b>{items}"


VERIFICATION_WORDS = {"verified": "verified", "partial": "partly verified", "unverified": "unverified"}


def count_tooltip(c: ReportedCount) -> str:
    bound = ""
    if c.lower_bound:
        bound = " (a lower bound: the true number is higher)"
    elif c.upper_bound:
        bound = " (an upper bound)"
    elif c.in_words:
        bound = " (given only in words; no number was reported)"
    elif c.qualifier == "about":
        bound = " (approximate)"
    note = f"<br><i>{_e(c.verification_note)}</i>" if c.verification_note else ""
    others = ""
    if c.counts_for_vendor > 1:
        others = f"<br>{c.counts_for_vendor} counts on record for this vendor; right-click to show another."
    return (
        f"<qt><b>{_e(c.vendor_name)}: {_e(c.value_text)}</b>{_e(bound)}"
        f"<br><b>What was counted:</b> {_e(c.subject)}"
        f"<br><b>Region:</b> {_e(c.region or 'not stated')}"
        f"<br><b>As of:</b> {_e(c.as_of or 'no date given')}"
        f"<br><b>Reported by:</b> {_e(c.reported_by)}"
        f"<br><b>Kind:</b> {_e(c.kind)}"
        f"<br><b>Verification:</b> {_e(VERIFICATION_WORDS.get(c.verification, c.verification))}{note}"
        f"{_sources_html(c.sources)}{others}"
        "<br>Click to open this vendor's deployments.</qt>"
    )


def _plain(rich: str) -> str:
    """A tooltip as one line of plain text for the details line under a chart: without markup,
    the verification note (in italics) and the hints on what a click does."""
    out = re.sub(r"<i>.*?</i>", "", rich)
    parts = [p for p in out.split("<br>") if p and "lick to" not in p and "right-click" not in p]
    out = " · ".join(parts)
    for tag in ("<qt>", "</qt>", "<b>", "</b>"):
        out = out.replace(tag, "")
    return html.unescape(out).replace(": · • ", ": ").replace(" · • ", "; ")


# -- graphics items -----------------------------------------------------------------------------
@dataclass(slots=True)
class Bar:
    """One rectangle of a chart, in data coordinates, with what it stands for."""

    rect: QRectF  # normalised (width and height >= 0)
    brush: QBrush
    pen: QPen
    describe: Callable[[], str]  # builds the tooltip (rich text) when it is first needed
    key: Any
    label: str = ""
    label_at: tuple[float, float] | None = None  # data point the label is anchored to
    label_anchor: tuple[float, float] = (0.0, 0.5)  # fraction of the label's size
    label_offset: tuple[float, float] = (4.0, 0.0)  # pixels
    open_end: str = ""  # "right" or "up": an arrowhead showing the value lies beyond
    label_colour: QColor | None = None  # INK when None
    hatch: QColor | None = None  # diagonal lines over the bar (words; figures not verified)
    _tooltip: str | None = field(default=None, init=False, repr=False)

    @property
    def tooltip(self) -> str:
        if self._tooltip is None:
            self._tooltip = self.describe()
        return self._tooltip


class BarsItem(pg.GraphicsObject):  # type: ignore[misc]
    """Any number of bars in one item: painted in one pass with their labels (only the bars in
    view are drawn), hover tooltips, click to activate."""

    sigHovered = Signal(int)
    sigClicked = Signal(int, object)  # index, mouse button

    def __init__(self) -> None:
        super().__init__()
        self.bars: list[Bar] = []
        self._bounds = QRectF()
        self.current = -1

    def set_bars(self, bars: Sequence[Bar]) -> None:
        self.prepareGeometryChange()
        self.bars = list(bars)
        bounds = QRectF()
        for b in self.bars:
            bounds = bounds.united(b.rect)
        self._bounds = bounds
        self.current = -1
        self.setToolTip("")
        self.update()

    def label_texts(self) -> list[str]:
        return [b.label for b in self.bars if b.label and b.label_at is not None]

    # -- geometry and painting ----------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        # labels and arrowheads reach past the bars: claim the view too, so they are repainted
        vb = self.getViewBox()
        return self._bounds.united(vb.viewRect()) if vb is not None else self._bounds

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange: Any = None) -> tuple[float, float] | None:
        if not self.bars:
            return None
        r = self._bounds
        return (r.left(), r.right()) if ax == 0 else (r.top(), r.bottom())

    def paint(self, p: QPainter, *args: Any) -> None:
        vb = self.getViewBox()
        view = vb.viewRect() if vb is not None else self._bounds
        top, bottom, left, right = view.top(), view.bottom(), view.left(), view.right()
        shown = [  # the bars on screen (a bar of length 0 still counts: its label is drawn)
            b
            for b in self.bars
            if b.rect.bottom() >= top
            and b.rect.top() <= bottom
            and b.rect.right() >= left
            and b.rect.left() <= right
        ]
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for b in shown:
            p.setPen(b.pen)
            p.setBrush(b.brush)
            p.drawRect(b.rect)
            if b.hatch is not None:
                _hatch(p, b.rect, b.hatch)
        pw = self.pixelWidth() or 0.0
        ph = self.pixelHeight() or 0.0
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for b in shown:
            if b.open_end:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QBrush(b.pen.color()))
                p.drawPolygon(_arrowhead(b.rect, b.open_end, pw, ph))
        if 0 <= self.current < len(self.bars):
            pen = QPen(HIGHLIGHT, 3)
            pen.setCosmetic(True)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(self.bars[self.current].rect)
        _draw_labels(p, [b for b in shown if b.label and b.label_at is not None])

    # -- interaction --------------------------------------------------------------------------
    def index_at(self, pos: QPointF) -> int:
        """The bar under a point (with 3 pixels to spare, so that a bar of length 0 can be hovered)."""
        dx = 3 * abs(self.pixelWidth() or 0.0)
        dy = 3 * abs(self.pixelHeight() or 0.0)
        for i in range(len(self.bars) - 1, -1, -1):
            if self.bars[i].rect.adjusted(-dx, -dy, dx, dy).contains(pos):
                return i
        return -1

    def set_current(self, index: int) -> None:
        self.current = index if 0 <= index < len(self.bars) else -1
        self.update()

    def hoverEvent(self, ev: Any) -> None:
        if ev.isExit():
            self.setToolTip("")
            self.sigHovered.emit(-1)
            return
        i = self.index_at(ev.pos())
        if i >= 0:
            ev.acceptClicks(Qt.MouseButton.LeftButton)
            ev.acceptClicks(Qt.MouseButton.RightButton)
        self.setToolTip(self.bars[i].tooltip if i >= 0 else "")
        self.setCursor(Qt.CursorShape.PointingHandCursor if i >= 0 else Qt.CursorShape.ArrowCursor)
        self.sigHovered.emit(i)

    def mouseClickEvent(self, ev: Any) -> None:
        i = self.index_at(ev.pos())
        if i < 0:
            ev.ignore()
            return
        ev.accept()
        self.sigClicked.emit(i, ev.button())


def _draw_labels(p: QPainter, bars: Sequence[Bar]) -> None:
    """Each bar's label in screen pixels at its anchor point (text keeps its size and stays upright
    whatever the axes' scales); words over hatching get a white box."""
    if not bars:
        return
    to_screen = p.transform()
    p.save()
    p.resetTransform()
    fm = p.fontMetrics()
    height = fm.height()
    for b in bars:
        assert b.label_at is not None
        at = to_screen.map(QPointF(*b.label_at))
        width = fm.horizontalAdvance(b.label)
        box = QRectF(
            at.x() - b.label_anchor[0] * width + b.label_offset[0],
            at.y() - b.label_anchor[1] * height + b.label_offset[1],
            width + 2,
            height,
        )
        if b.hatch is not None and b.brush.color().alpha() == 0:
            p.fillRect(box.adjusted(-4, -1, 4, 1), QColor(255, 255, 255, 235))
        p.setPen(b.label_colour or INK)
        p.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), b.label)
    p.restore()


def _hatch(p: QPainter, rect: QRectF, colour: QColor, step: float = 7.0) -> None:
    """Diagonal lines across a rectangle, spaced in screen pixels whatever the axes' scales. Real
    lines cut to the rectangle by arithmetic (SVG keeps neither pattern brushes nor clipping)."""
    dev = p.transform().mapRect(rect)
    left, right, bottom, h = dev.left(), dev.right(), dev.bottom(), dev.height()
    p.save()
    p.resetTransform()
    pen = QPen(colour, 1.2)
    pen.setCosmetic(True)
    p.setPen(pen)
    c = left - h  # each line: x = c + (bottom - y), from the bottom edge up to the top edge
    while c < right:
        x0, x1 = max(c, left), min(c + h, right)
        if x0 < x1:
            p.drawLine(QPointF(x0, bottom - (x0 - c)), QPointF(x1, bottom - (x1 - c)))
        c += step
    p.restore()


def _arrowhead(r: QRectF, direction: str, pw: float, ph: float) -> QPolygonF:
    if direction == "up":
        cx, top = r.center().x(), r.bottom()
        return QPolygonF(
            [QPointF(cx - 7 * pw, top), QPointF(cx + 7 * pw, top), QPointF(cx, top + 10 * abs(ph))]
        )
    cy, end = r.center().y(), r.right()
    return QPolygonF(
        [QPointF(end, cy - 7 * abs(ph)), QPointF(end, cy + 7 * abs(ph)), QPointF(end + 11 * pw, cy)]
    )


def _pen(colour: QColor | str, width: float = 1.0, dashed: bool = False) -> QPen:
    pen = QPen(QColor(colour), width)
    pen.setCosmetic(True)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


# -- the chart base -----------------------------------------------------------------------------
class ChartView(QWidget):
    """A pyqtgraph scene with export (button, context menu, `export_chart`), keyboard selection
    of bars (arrows, Enter) and a details line that repeats the current bar's tooltip."""

    activated = Signal(object)  # the key of the bar the user clicked or pressed Enter on

    title_text = "chart"

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
        return [(it, i) for it in self.bars_items for i in range(len(it.bars))]

    def activate(self, item: BarsItem, index: int) -> None:
        self.activated.emit(item.bars[index].key)

    def show_details(self, text: str) -> None:
        """Show a bar's details under the chart, cut to the three lines there is room for."""
        fm = self.details.fontMetrics()
        room = int(max(self.details.width(), 300) * 2.7)
        self.details.setText(fm.elidedText(text, Qt.TextElideMode.ElideRight, room))

    def _on_bar_hovered(self, item: BarsItem, index: int) -> None:
        if index >= 0:
            self.show_details(_plain(item.bars[index].tooltip))

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
            scene_pt = it.mapToScene(it.bars[i].rect.center())
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
        self.show_details(_plain(it.bars[i].tooltip))

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
        tmp = p.with_name(p.name + ".part")
        try:
            if kind == "png":
                import pyqtgraph.exporters as exporters  # noqa: PLC0415 (parametertree: only on export)

                exp = exporters.ImageExporter(layout)
                # The exporter picks the format from the file name, so write beside with .png last.
                tmp = p.with_name(p.stem + ".part.png")
                exp.export(str(tmp))
            else:
                _write_svg(layout, tmp, self.title_text)
            if not tmp.exists() or tmp.stat().st_size == 0:
                raise OSError(f"nothing was written to {tmp}")
            tmp.replace(p)
        finally:
            if tmp.exists():
                tmp.unlink()
        return p

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
        except (OSError, ValueError) as exc:
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
        plot = self.view.addPlot(row=row, col=col, **kw)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=False, y=False)
        for name in ("left", "bottom"):
            ax = plot.getAxis(name)
            ax.setPen(_pen(MUTED))
            ax.setTextPen(_pen(INK))
        return plot

    # Setting texts, ticks and ranges is costly in pyqtgraph (HTML layout, axis pictures); a chart
    # re-rendered with the same frame only pays for its bars.
    @staticmethod
    def _text(label: Any, text: str) -> None:
        if label.text != text:
            label.setText(text)

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
            sample = pg.BarGraphItem(x=[0], height=[1], width=1, brush=colour, pen=_pen(colour.darker(140)))
            samples.append(sample)
            legend.addItem(sample, _e(name))
        legend._faceledger_key = key
        legend._faceledger_samples = samples  # the samples must outlive the legend entries
        legend.setMaximumHeight(22 * len(entries) + 12)

    def _label(self, row: int, col: int, text: str, colspan: int = 1, size: str = "9pt", **kw: Any) -> Any:
        label = pg.LabelItem(text, size=size, color=INK, justify="left")
        self.view.addItem(label, row=row, col=col, colspan=colspan, **kw)
        return label


def _write_svg(item: Any, path: Path, title: str) -> None:
    """SVG of a chart's layout item, drawn by Qt's QSvgGenerator from the same scene as the
    screen. Not pyqtgraph's SVGExporter: in pyqtgraph 0.14.0 it fails on the closed paths Qt 6.11
    writes (pyqtgraph issue #3495) and, where it runs, moves this chart's labels and word boxes
    off their rows, which would misstate which vendor a count belongs to."""
    rect = item.sceneBoundingRect()
    gen = QSvgGenerator()
    gen.setFileName(str(path))
    gen.setSize(QSize(int(rect.width()), int(rect.height())))
    gen.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    gen.setResolution(96)  # text sized as on screen (the generator's default, 72 dpi, shrinks it)
    gen.setTitle(title)
    gen.setDescription("FaceLedger chart. " + SOURCE_NOTE)
    painter = QPainter(gen)
    try:
        item.scene().render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    finally:
        painter.end()


class RowChart(ChartView):
    """A horizontal bar chart, one row per vendor: it shows as many rows as fit the window and a
    scroll bar (or the mouse wheel) moves through the rest, so drawing costs what is on screen."""

    row_pixels = 30

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = 0
        self.scrollbar = QScrollBar(Qt.Orientation.Vertical, self)
        self.scrollbar.setObjectName("chartRows")
        self.scrollbar.setVisible(False)
        self._layout.removeWidget(self.view)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.view, 1)
        row.addWidget(self.scrollbar)
        self._layout.insertLayout(0, row, 1)
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
        fit = self.rows_in_view()
        more = self.rows > fit
        self.scrollbar.blockSignals(True)
        self.scrollbar.setRange(0, max(0, self.rows - fit))
        self.scrollbar.setPageStep(fit)
        self.scrollbar.blockSignals(False)
        self.scrollbar.setVisible(more)
        self._on_scrolled(self.scrollbar.value())

    def _on_scrolled(self, first: int) -> None:
        visible = min(max(self.rows, 1), self.rows_in_view())
        self._range(self.row_plot(), y=(first - 0.6, first + visible - 0.4))

    def _select(self, bars: list[tuple[BarsItem, int]], pos: int) -> None:
        super()._select(bars, pos)
        it, i = bars[pos]
        self.scroll_to_row(round(it.bars[i].rect.center().y()))

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


# -- reported customer counts -------------------------------------------------------------------
class CountsChart(RowChart):
    """One row per vendor: its reported count as a bar, in words, or listed as not disclosed."""

    title_text = "Reported customer counts"
    row_pixels = 50

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts: list[ReportedCount] = []
        self.log_scale = False
        self._row_labels: dict[tuple[str, str, str], str] = {}
        self.options_for: Callable[[str], list[data.CountOption]] | None = None
        self.pick_count: Callable[[str, str], None] | None = None
        self.title = self._label(0, 0, "", colspan=2, size="11pt")
        self.words_plot = self._plot(1, 0, title="given in words")
        self.number_plot = self._plot(1, 1, title="number reported")
        self.footer = self._label(2, 0, "", colspan=2)
        self.words_plot.setYLink(self.number_plot)
        self.words_plot.getViewBox().invertY(True)
        self.number_plot.getViewBox().invertY(True)
        self.words_plot.setXRange(0, 1, padding=0)
        self.words_plot.getAxis("bottom").setTicks([[]])
        self.words_plot.getAxis("bottom").setStyle(showValues=False)
        self.words_plot.setLabel("bottom", "no number given")
        self.words_plot.getAxis("left").setWidth(LABEL_PIXELS + 16)
        self.words_plot.getAxis("left").setStyle(tickLength=0)
        self.number_plot.hideAxis("left")
        for plot in (self.words_plot, self.number_plot):
            plot.getAxis("bottom").setHeight(48)
        self.view.ci.layout.setColumnFixedWidth(0, LABEL_PIXELS + 140)
        self.number_bars = self._track(BarsItem())
        self.word_bars = self._track(BarsItem())
        self.number_plot.addItem(self.number_bars)
        self.words_plot.addItem(self.word_bars)
        self.number_plot.getViewBox().sigResized.connect(self._update_window)

    def row_plot(self) -> Any:
        return self.number_plot

    # -- data in ------------------------------------------------------------------------------
    def set_counts(
        self, counts: Sequence[ReportedCount], *, log_scale: bool | None = None, title: str = ""
    ) -> None:
        self.counts = list(counts)
        if log_scale is not None:
            self.log_scale = log_scale
        self._text(self.title, _e(title or "Reported customer counts per vendor"))
        self._render()

    def set_log_scale(self, on: bool) -> None:
        self.log_scale = on
        self._render()

    # -- drawing ------------------------------------------------------------------------------
    def x_of(self, value: float) -> float:
        """Where a value ends on the number axis (log10 on the log scale)."""
        if self.log_scale:
            return math.log10(value) if value > 0 else LOG_FLOOR
        return float(value)

    def _render(self) -> None:
        rows = [c for c in self.counts if not c.undisclosed]
        hidden = [c for c in self.counts if c.undisclosed]
        base = LOG_FLOOR if self.log_scale else 0.0
        numbers: list[Bar] = []
        words: list[Bar] = []
        ticks: list[tuple[float, str]] = []
        metrics = QFontMetrics(self.words_plot.getAxis("left").style["tickFont"] or QFont())
        for y, c in enumerate(rows):
            key = (c.vendor_name, c.subject, c.as_of)
            if key not in self._row_labels:
                self._row_labels[key] = _row_label(metrics, *key)
            ticks.append((y, self._row_labels[key]))
            tip = partial(count_tooltip, c)
            dashed = c.verification == "unverified"
            fill, outline = _count_paint(dashed)
            mark = {"unverified": " · unverified", "partial": " · partly verified"}.get(c.verification, "")
            if c.has_number:
                assert c.value is not None
                end = self.x_of(c.value)
                if c.value == 0:  # nothing to draw: say it in words at the baseline
                    end = base
                numbers.append(
                    Bar(
                        QRectF(base, y - 0.32, end - base, 0.64),
                        fill,
                        outline,
                        tip,
                        c,
                        label=f"{c.value_text}{mark}",
                        label_at=(end, y),
                        label_offset=(16.0 if c.lower_bound else 5.0, 0.0),
                        open_end="right" if c.lower_bound else "",
                    )
                )
            elif c.in_words:
                words.append(
                    Bar(
                        QRectF(0.04, y - 0.36, 0.92, 0.72),
                        WORDS_FILL,
                        outline,
                        tip,
                        c,
                        label=f"{c.value_text}{mark}",
                        label_at=(0.5, y),
                        label_anchor=(0.5, 0.5),
                        label_offset=(0.0, 0.0),
                        hatch=WORDS_HATCH,
                    )
                )
        self.number_bars.set_bars(numbers)
        self.word_bars.set_bars(words)
        self._ticks(self.words_plot.getAxis("left"), [ticks])
        values = [b.key.value for b in numbers if b.key.value]
        top = max(values, default=1)
        axis = self.number_plot.getAxis("bottom")
        if self.log_scale:
            hi = math.log10(max(top, 10)) + 1.4
            self._range(self.number_plot, x=(LOG_FLOOR, hi))
            self._ticks(axis, [[(float(k), f"{10**k:,}") for k in range(0, int(hi) + 1)]])
            self._axis_label(
                self.number_plot, "bottom", "reported count (log scale: each step is ten times more)"
            )
        else:
            self._range(self.number_plot, x=(0, top * 1.4))
            self._ticks(axis, None)
            self._axis_label(self.number_plot, "bottom", "reported count")
        self.set_rows(len(rows))
        foot = [SOURCE_NOTE]
        if hidden:
            listed = "; ".join(f"{c.vendor_name} ({c.subject}, {c.as_of or 'no date'})" for c in hidden)
            foot.insert(0, f"Not disclosed (no bar): {listed}.")
        if any(c.verification == "unverified" for c in rows):
            foot.append("Dashed outline: unverified.")
        if any(c.lower_bound for c in rows):
            foot.append("Arrowhead: a lower bound (\u201cat least\u201d, \u201cmore than\u201d).")
        self._text(self.footer, "<br>".join(_e(f) for f in foot))

    def undisclosed_text(self) -> str:
        return html.unescape(self.footer.text)

    # -- menu ---------------------------------------------------------------------------------
    def _add_bar_actions(self, menu: QMenu, item: BarsItem, index: int) -> None:
        c: ReportedCount = item.bars[index].key
        act = QAction(f"Open {c.vendor_name}'s deployments", menu)
        act.triggered.connect(lambda _=False: self.activated.emit(c))
        menu.addAction(act)
        if self.options_for is None or c.counts_for_vendor < 2:
            return
        sub = menu.addMenu(f"Show another count for {c.vendor_name}")
        for opt in self.options_for(c.vendor_id):
            a = QAction(opt.label(), sub)
            a.setCheckable(True)
            a.setChecked(opt.count_id == c.count_id)
            a.triggered.connect(lambda _=False, v=c.vendor_id, cid=opt.count_id: self._pick(v, cid))
            sub.addAction(a)

    def _pick(self, vendor_id: str, count_id: str) -> None:
        if self.pick_count is not None:
            self.pick_count(vendor_id, count_id)


_COUNT_PAINT: dict[bool, tuple[QBrush, QPen]] = {}


def _count_paint(dashed: bool) -> tuple[QBrush, QPen]:
    """Fill and outline of a count's bar: pale and dashed when the count is unverified."""
    if dashed not in _COUNT_PAINT:
        _COUNT_PAINT[dashed] = (QBrush(BAR_PALE if dashed else BAR), _pen(BAR.darker(130), 1.5, dashed))
    return _COUNT_PAINT[dashed]


LABEL_PIXELS = 300  # the widest a row label may be on the vendor axis


def _row_label(metrics: QFontMetrics, name: str, subject: str, as_of: str) -> str:
    """Vendor name over what was counted and when (wrapped on two lines, elided beyond)."""
    words = f"{subject} ({as_of or 'no date'})".split()
    lines: list[str] = []
    while words and len(lines) < 2:
        line = words.pop(0)
        while words and metrics.horizontalAdvance(f"{line} {words[0]}") <= LABEL_PIXELS:
            line += " " + words.pop(0)
        lines.append(line)
    if words:
        lines[-1] = metrics.elidedText(
            lines[-1] + " " + " ".join(words), Qt.TextElideMode.ElideRight, LABEL_PIXELS
        )
    name = metrics.elidedText(name, Qt.TextElideMode.ElideRight, LABEL_PIXELS)
    return "\n".join([name, *lines])


# -- documented deployments ---------------------------------------------------------------------
class DeploymentsChart(RowChart):
    """One row per vendor: distinct customers, stacked by deployment status."""

    title_text = "Documented deployments"
    row_pixels = 28

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart: DeploymentChart | None = None
        self.title = self._label(0, 0, "", colspan=2, size="11pt")
        self.plot = self._plot(1, 0)
        self.footer = self._label(2, 0, "", colspan=2)
        self.plot.getViewBox().invertY(True)
        self.plot.getAxis("left").setWidth(200)
        self.plot.getAxis("left").setStyle(tickLength=0)
        self.plot.setLabel("bottom", "customers documented in this database")
        self.plot.getAxis("bottom").setHeight(48)
        self.plot.getViewBox().sigResized.connect(self._update_window)
        self.bars = self._track(BarsItem())
        self.plot.addItem(self.bars)
        self.legend = self._side_legend()

    def row_plot(self) -> Any:
        return self.plot

    def set_segments(self, chart: DeploymentChart, filter_text: str = "") -> None:
        self.chart = chart
        bars: list[Bar] = []
        ticks: list[tuple[float, str]] = []
        order: list[str] = []
        rows: dict[str, int] = {}
        starts: dict[str, float] = {}
        last_of = {s.vendor_id: n for n, s in enumerate(chart.segments)}
        for n, s in enumerate(chart.segments):
            if s.vendor_id not in rows:
                rows[s.vendor_id] = len(rows)
                starts[s.vendor_id] = 0.0
                ticks.append((rows[s.vendor_id], s.vendor_name))
            y = rows[s.vendor_id]
            x0 = starts[s.vendor_id]
            starts[s.vendor_id] = x0 + s.customers
            last = last_of[s.vendor_id] == n
            brush, pen = _status_paint(s.status)
            if s.status not in order:
                order.append(s.status)
            bars.append(
                Bar(
                    QRectF(x0, y - 0.32, s.customers, 0.64),
                    brush,
                    pen,
                    partial(_segment_tooltip, s, filter_text),
                    s,
                    label=f"{s.vendor_total:,}" if last else "",
                    label_at=(x0 + s.customers, y) if last else None,
                )
            )
        self.bars.set_bars(bars)
        self._ticks(self.plot.getAxis("left"), [ticks])
        top = max((s.vendor_total for s in chart.segments), default=1)
        self._range(self.plot, x=(0, top * 1.12))
        self.set_rows(len(rows))
        # every status, always: a legend that stays put while the filters change
        self._set_legend(
            [*data.DEPLOYMENT_STATUSES, *(st for st in order if st not in data.DEPLOYMENT_STATUSES)]
        )
        title = "Documented deployments in this database: customers per vendor, by deployment status"
        self._text(self.title, _e(title) + (f"<br><small>{_e(filter_text)}</small>" if filter_text else ""))
        foot = [
            "Distinct customers per vendor and status; a customer with deployments in two statuses "
            "is counted in both. Click a bar to open those deployments."
        ]
        if chart.vendors_total > chart.vendors_shown:
            foot.append(f"The {chart.vendors_shown} vendors with most customers of {chart.vendors_total:,}.")
        if not chart.segments:
            foot.append("No deployments match these filters.")
        self._text(self.footer, "<br>".join(_e(f) for f in foot))

    def _set_legend(self, statuses: list[str]) -> None:
        self._legend(self.legend, [(st, QColor(STATUS_COLOURS.get(st, "#999999"))) for st in statuses])


_STATUS_PAINT: dict[str, tuple[QBrush, QPen]] = {}


def _status_paint(status: str) -> tuple[QBrush, QPen]:
    """The fill and outline of a status (made once: a rebuild only places rectangles)."""
    if status not in _STATUS_PAINT:
        colour = QColor(STATUS_COLOURS.get(status, "#999999"))
        _STATUS_PAINT[status] = (QBrush(colour), _pen(colour.darker(140)))
    return _STATUS_PAINT[status]


def _segment_tooltip(s: DeploymentSegment, filter_text: str) -> str:
    where = f"<br>{_e(filter_text)}" if filter_text else ""
    return (
        f"<qt><b>{_e(s.vendor_name)} — {_e(s.status)}</b>"
        f"<br>{s.customers:,} customer{'s' if s.customers != 1 else ''} "
        f"({s.deployments:,} deployment{'s' if s.deployments != 1 else ''}) documented in this database"
        f"{where}<br>{s.vendor_total:,} customers across all statuses shown"
        "<br>Click to open these deployments.</qt>"
    )


# -- study figures ------------------------------------------------------------------------------
class StudyChart(ChartView):
    """Grouped bars: one group per vendor (or algorithm) as the study names it, one bar per subgroup."""

    title_text = "Study results"
    visible_groups = 12

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figures: list[StudyFigureBar] = []
        self.title = self._label(0, 0, "", colspan=2, size="11pt")
        self.plot = self._plot(1, 0)
        self.footer = self._label(2, 0, "", colspan=2)
        self.plot.getAxis("bottom").setHeight(40)
        self.plot.showGrid(y=True, alpha=0.25)
        self.bars = self._track(BarsItem())
        self.plot.addItem(self.bars)
        self.legend = self._side_legend()

    def set_figures(
        self, figures: Sequence[StudyFigureBar], study_title: str, metric: str, unit: str
    ) -> None:
        self.figures = list(figures)
        groups: list[str] = []
        subgroups: list[str] = []
        for f in self.figures:
            if f.group not in groups:
                groups.append(f.group)
            if f.subgroup not in subgroups:
                subgroups.append(f.subgroup)
        k = max(len(subgroups), 1)
        width = 0.8 / k
        show_values = len(self.figures) <= 48
        bars: list[Bar] = []
        for f in self.figures:
            g = groups.index(f.group)
            s = subgroups.index(f.subgroup)
            x0 = g - 0.4 + s * width
            colour = QColor(PALETTE[s % len(PALETTE)])
            dashed = f.verification != "verified"
            bars.append(
                Bar(
                    QRectF(x0, 0.0, width, f.value).normalized(),  # a negative figure goes down
                    QBrush(colour),
                    _pen(INK if dashed else colour.darker(150), 1.2, dashed),
                    partial(_figure_tooltip, f, metric),
                    f,
                    label=f.value_text if show_values else "",
                    label_at=(x0 + width / 2, f.value) if show_values else None,
                    label_anchor=(0.5, 1.0),
                    label_offset=(0.0, -2.0),
                    hatch=UNVERIFIED_HATCH if dashed else None,
                )
            )
        self.bars.set_bars(bars)
        major = [(float(i), _short(gname, 22)) for i, gname in enumerate(groups)]
        self._ticks(self.plot.getAxis("bottom"), [major])
        top = max((f.value for f in self.figures), default=1.0)
        low = min((f.value for f in self.figures), default=0.0)
        y_range = (min(0.0, low), top * 1.15 if top > 0 else 1.0)
        many = len(groups) > self.visible_groups
        self.plot.setMouseEnabled(x=many, y=False)
        self.plot.getViewBox().setLimits(xMin=-0.7, xMax=max(len(groups), 1) - 0.3)
        self._range(self.plot, (-0.6, min(len(groups), self.visible_groups) - 0.4), y_range)
        unit_text = unit or "no unit given"
        self._axis_label(self.plot, "left", f"{metric} ({unit_text})" if unit else metric)
        self._legend(
            self.legend,
            [
                (name or "(no subgroup)", QColor(PALETTE[s % len(PALETTE)]))
                for s, name in enumerate(subgroups)
            ],
        )
        self._text(self.title, f"{_e(study_title)}<br><small>{_e(metric)} — unit: {_e(unit_text)}</small>")
        foot = [
            "Figures as the study reports them; hatched with a dashed outline: not verified against "
            "the study itself (seen in a second-hand copy, or extracted by a third party)."
        ]
        if many:
            foot.append(
                f"{len(groups)} groups: showing the first {self.visible_groups}; drag sideways or "
                "scroll to see the rest."
            )
        foot.append("Hover for the place in the study and the source; click to open the study.")
        self._text(self.footer, "<br>".join(_e(f) for f in foot))


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _figure_tooltip(f: StudyFigureBar, metric: str) -> str:
    note = f"<br><i>{_e(f.verification_note)}</i>" if f.verification_note else ""
    unit = f" {f.unit}" if f.unit else ""
    return (
        f"<qt><b>{_e(f.group)} — {_e(f.subgroup or 'all')}: {_e(f.value_text)}{_e(unit)}</b>"
        f"<br><b>Measure:</b> {_e(metric)}"
        f"<br><b>Unit:</b> {_e(f.unit or 'none given')}"
        f"<br><b>Where in the study:</b> {_e(f.location or 'not recorded')}"
        f"<br><b>Verification:</b> {_e(VERIFICATION_WORDS.get(f.verification, f.verification))}{note}"
        f"{_sources_html(f.sources)}</qt>"
    )


# -- events over time ---------------------------------------------------------------------------
class TimelineChart(ChartView):
    """Events per year, stacked by kind; clicking a bar asks for the Events page of that year."""

    title_text = "Events over time"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[YearKindCount] = []
        self.title = self._label(0, 0, "", colspan=2, size="11pt")
        self.plot = self._plot(1, 0)
        self.footer = self._label(2, 0, "", colspan=2)
        self.plot.showGrid(y=True, alpha=0.25)
        self.plot.setLabel("left", "events")
        self.plot.getAxis("bottom").setHeight(40)
        self.bars = self._track(BarsItem())
        self.plot.addItem(self.bars)
        self.legend = self._side_legend()

    def set_events(self, rows: Sequence[YearKindCount]) -> None:
        self.rows = list(rows)
        totals: dict[int, int] = {}
        bars: list[Bar] = []
        kinds_seen: list[str] = []
        ordered = sorted(self.rows, key=lambda r: (r.year, _kind_order(r.kind)))
        for r in ordered:
            y0 = totals.get(r.year, 0)
            totals[r.year] = y0 + r.events
            colour = kind_colour(r.kind)
            if r.kind not in kinds_seen:
                kinds_seen.append(r.kind)
            bars.append(
                Bar(
                    QRectF(r.year - 0.38, y0, 0.76, r.events),
                    QBrush(colour),
                    _pen(colour.darker(140)),
                    partial(_event_tooltip, r),
                    r,
                )
            )
        for year, total in totals.items():
            last = max((b for b in bars if b.key.year == year), key=lambda b: b.rect.bottom())
            last.label, last.label_at = f"{total}", (float(year), float(total))
            last.label_anchor, last.label_offset = (0.5, 1.0), (0.0, -2.0)
        self.bars.set_bars(bars)
        years = sorted(totals)
        if years:
            self._range(self.plot, x=(years[0] - 0.7, years[-1] + 0.7))
            step = 1 if len(years) <= 20 else 2
            self._ticks(
                self.plot.getAxis("bottom"),
                [[(float(y), str(y)) for y in range(years[0], years[-1] + 1, step)]],
            )
        self._range(self.plot, y=(0, max(totals.values(), default=1) * 1.12))
        self._legend(self.legend, [(kind, kind_colour(kind)) for kind in sorted(kinds_seen, key=_kind_order)])
        self._text(self.title, "Events FaceLedger records, per year and kind")
        self._text(
            self.footer,
            _e(
                f"{sum(totals.values()):,} dated events, each happening counted once: what FaceLedger records, "
                "not everything that happened. Each has its sources on the Events page. "
                "Click a bar to list that year's events of that kind."
            ),
        )


def _event_tooltip(r: YearKindCount) -> str:
    return (
        f"<qt><b>{r.year} — {_e(r.kind)}: {r.events} event{'s' if r.events != 1 else ''}</b>"
        "<br>Click to list these events on the Events page.</qt>"
    )


def _kind_order(kind: str) -> int:
    return EVENT_KINDS.index(kind) if kind in EVENT_KINDS else len(EVENT_KINDS)


# -- the three tabs: controls + chart, reading the data layer -------------------------------------
class CountsTab(QWidget):
    """Reported counts or documented deployments, with the as-of year, log scale and filters."""

    deployments_requested = Signal(str, str, object)  # vendor id, vendor name, DeploymentFilter

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.picks: dict[str, str] = {}  # vendor id -> count id the user chose
        self.measure = QComboBox(self)
        self.measure.setObjectName("chartMeasure")
        self.measure.addItem("Reported counts", "reported")
        self.measure.addItem("Documented deployments", "deployments")
        self.measure.setToolTip("What the bars show")
        self.as_of = QComboBox(self)
        self.as_of.setObjectName("chartAsOf")
        self.as_of.addItem("As of: latest", None)
        for y in data.count_years(db):
            self.as_of.addItem(f"As of: {y}", y)
        self.as_of.setToolTip("Show each vendor's latest count reported in or before this year")
        self.log_box = QCheckBox("&Log scale", self)
        self.log_box.setObjectName("chartLogScale")
        self.log_box.setToolTip("A logarithmic axis, so that 2,400 and 20 are both readable")
        self.reset_picks = QPushButton("Reset count choices", self)
        self.reset_picks.setToolTip("Show the default count for every vendor again")
        self.reset_picks.setEnabled(False)
        values = data.deployment_filter_values(db)
        self.filters: dict[str, QComboBox] = {}
        for key, header, options in (
            ("customer_country", "Country", values.customer_country),
            ("customer_type", "Customer type", values.customer_type),
            ("status", "Status", values.status),
        ):
            box = QComboBox(self)
            box.setObjectName(f"chartFilter_{key}")
            box.addItem(f"{header}: all", None)
            for value, n in options:
                box.addItem(f"{value or '(none)'} ({n:,})", value)
            box.setToolTip(f"Only deployments with this {header.lower()} (as on the Deployments page)")
            self.filters[key] = box
        bar = QHBoxLayout()
        bar.addWidget(self.measure)
        bar.addWidget(self.as_of)
        bar.addWidget(self.reset_picks)
        for box in self.filters.values():
            bar.addWidget(box)
        bar.addWidget(self.log_box)
        bar.addStretch(1)
        self.counts_chart = CountsChart(self)
        self.counts_chart.options_for = lambda vid: data.vendor_count_options(self.db, vid, self.year())
        self.counts_chart.pick_count = self.pick
        self.deployments_chart = DeploymentsChart(self)
        self.stack = QStackedWidget(self)
        for chart in (self.counts_chart, self.deployments_chart):
            self.stack.addWidget(chart)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        self._connect_signals()
        self._on_measure_changed()

    def _connect_signals(self) -> None:
        self.measure.currentIndexChanged.connect(self._on_measure_changed)
        self.as_of.currentIndexChanged.connect(self.refresh)
        self.log_box.toggled.connect(self.counts_chart.set_log_scale)
        self.reset_picks.clicked.connect(self._on_reset_picks)
        for box in self.filters.values():
            box.currentIndexChanged.connect(self.refresh)
        self.counts_chart.activated.connect(self._on_count_activated)
        self.deployments_chart.activated.connect(self._on_segment_activated)

    # -- public -------------------------------------------------------------------------------
    def chart(self) -> ChartView:
        return self.deployments_chart if self.showing_deployments() else self.counts_chart

    def showing_deployments(self) -> bool:
        return bool(self.measure.currentData() == "deployments")

    def show_measure(self, measure: str) -> None:
        self.measure.setCurrentIndex(self.measure.findData(measure))

    def year(self) -> int | None:
        y = self.as_of.currentData()
        return None if y is None else int(y)

    def current_filter(self) -> DeploymentFilter:
        v = {k: box.currentData() for k, box in self.filters.items()}
        return DeploymentFilter(v["customer_country"], v["customer_type"], v["status"])

    def set_filter(self, flt: DeploymentFilter) -> None:
        """Take over the Deployments page's filters (country, customer type, status)."""
        for key, value in (
            ("customer_country", flt.customer_country),
            ("customer_type", flt.customer_type),
            ("status", flt.status),
        ):
            box = self.filters[key]
            idx = box.findData(value) if value is not None else 0
            if idx < 0:
                box.addItem(f"{value} (0)", value)
                idx = box.count() - 1
            box.blockSignals(True)
            box.setCurrentIndex(idx)
            box.blockSignals(False)
        self.refresh()

    def pick(self, vendor_id: str, count_id: str) -> None:
        self.picks[vendor_id] = count_id
        self.reset_picks.setEnabled(True)
        self.refresh()

    def refresh(self) -> None:
        if self.showing_deployments():
            flt = self.current_filter()
            self.deployments_chart.set_segments(data.documented_deployments(self.db, flt), _filter_text(flt))
        else:
            year = self.year()
            counts = data.reported_counts(self.db, year, self.picks.values())
            title = "Reported customer counts per vendor — " + (
                f"latest reported in or before {year}" if year else "latest reported"
            )
            self.counts_chart.set_counts(counts, log_scale=self.log_box.isChecked(), title=title)

    # -- slots --------------------------------------------------------------------------------
    def _on_measure_changed(self, *_args: object) -> None:
        deployments = self.showing_deployments()
        self.stack.setCurrentIndex(1 if deployments else 0)
        for box in self.filters.values():
            box.setVisible(deployments)
        self.as_of.setVisible(not deployments)
        self.log_box.setVisible(not deployments)
        self.reset_picks.setVisible(not deployments)
        self.refresh()

    def _on_reset_picks(self) -> None:
        self.picks.clear()
        self.reset_picks.setEnabled(False)
        self.refresh()

    def _on_count_activated(self, c: ReportedCount) -> None:
        self.deployments_requested.emit(c.vendor_id, c.vendor_name, DeploymentFilter())

    def _on_segment_activated(self, s: DeploymentSegment) -> None:
        flt = self.current_filter()
        self.deployments_requested.emit(
            s.vendor_id, s.vendor_name, DeploymentFilter(flt.customer_country, flt.customer_type, s.status)
        )


def _filter_text(flt: DeploymentFilter) -> str:
    parts = [
        f"{label}: {value or '(none)'}"
        for label, value in (
            ("customer country", flt.customer_country),
            ("customer type", flt.customer_type),
            ("status", flt.status),
        )
        if value is not None
    ]
    return ("Filtered by " + ", ".join(parts)) if parts else ""


class StudyTab(QWidget):
    record_requested = Signal(str, str)  # entity, record id: a bar opens its study

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.studies = data.studies_with_figures(db)
        self.study = QComboBox(self)
        self.study.setObjectName("chartStudy")
        self.study.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.study.setMinimumContentsLength(50)
        for s in self.studies:
            self.study.addItem(f"{s.title} ({s.year or 'no date'})", s.study_id)
        self.measure = QComboBox(self)
        self.measure.setObjectName("chartStudyMeasure")
        self.measure.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.measure.setMinimumContentsLength(40)
        bar = QHBoxLayout()
        for text, box, stretch in (("&Study", self.study, 3), ("&Measure", self.measure, 2)):
            label = QLabel(text, self)
            label.setBuddy(box)
            bar.addWidget(label)
            bar.addWidget(box, stretch)
        self.chart_view = StudyChart(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.chart_view, 1)
        self.study.currentIndexChanged.connect(self._on_study_changed)
        self.measure.currentIndexChanged.connect(self.refresh)
        self.chart_view.activated.connect(self._on_figure_activated)
        default = self.study.findData("gender-shades-2018")
        if default >= 0:
            self.study.setCurrentIndex(default)
        self._on_study_changed()

    def chart(self) -> ChartView:
        return self.chart_view

    def show_study(self, study_id: str, measure_index: int = 0) -> None:
        self.study.setCurrentIndex(self.study.findData(study_id))
        self.measure.setCurrentIndex(measure_index)

    def _current(self) -> data.StudyChoice | None:
        sid = self.study.currentData()
        return next((s for s in self.studies if s.study_id == sid), None)

    def _on_study_changed(self, *_args: object) -> None:
        choice = self._current()
        self.measure.blockSignals(True)
        self.measure.clear()
        for m in choice.measures if choice else ():
            self.measure.addItem(m.label(), (m.metric, m.unit))
        self.measure.blockSignals(False)
        self.refresh()

    def _on_figure_activated(self, _figure: StudyFigureBar) -> None:
        choice = self._current()
        if choice is not None:
            self.record_requested.emit("studies", choice.study_id)

    def refresh(self) -> None:
        choice = self._current()
        picked = self.measure.currentData()
        if choice is None or picked is None:
            self.chart_view.set_figures([], "No study with numeric figures", "", "")
            return
        metric, unit = picked
        figures = data.study_figures(self.db, choice.study_id, metric, unit)
        self.chart_view.set_figures(figures, choice.title, metric, unit)


class TimelineTab(QWidget):
    events_requested = Signal(int, str)  # year, kind

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.chart_view = TimelineChart(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.chart_view, 1)
        self.chart_view.activated.connect(self._on_activated)
        self.refresh()

    def chart(self) -> ChartView:
        return self.chart_view

    def refresh(self) -> None:
        self.chart_view.set_events(data.events_per_year(self.db))

    def _on_activated(self, r: YearKindCount) -> None:
        self.events_requested.emit(r.year, r.kind)
