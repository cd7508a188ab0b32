"""The one graphics item that draws all bars of a chart (`BarsItem`), with labels, hatching,
arrowheads, hover tooltips and clicks; `Bar` is one rectangle and what it stands for."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPolygonF

from faceledger.ui.charts.style import HIGHLIGHT, INK


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


# A plain bar's outline, fill and label ("" for none), for painting it without building it.
PlainBar = tuple[QPen, QBrush, str]


class BarsItem(pg.GraphicsObject):  # type: ignore[misc]
    """Any number of bars in one item: painted in one pass with their labels (only the bars in
    view are drawn), hover tooltips, click to activate."""

    sigHovered = Signal(int)
    sigClicked = Signal(int, object)  # index, mouse button

    def __init__(self) -> None:
        super().__init__()
        self._coords: list[tuple[float, float, float, float]] = []  # each bar's x1, y1, x2, y2
        self._make: Callable[[int], Bar] = _no_bar
        self._made: dict[int, Bar] = {}
        self._tops: list[float] | None = []  # each bar's y1 when they are in that order, else None
        self._plain: Callable[[int], PlainBar] | None = None
        self._bounds = QRectF()
        self.current = -1

    def set_bars(self, bars: Sequence[Bar]) -> None:
        bars = list(bars)
        coords = [_coords(b.rect) for b in bars]
        top_down = all(a[1] <= b[1] for a, b in zip(coords, coords[1:], strict=False))
        self.set_lazy(coords, bars.__getitem__, top_down=top_down)  # built already: not plain

    def set_lazy(
        self,
        coords: list[tuple[float, float, float, float]],
        make: Callable[[int], Bar],
        *,
        bounds: QRectF | None = None,
        top_down: bool = False,
        plain: Callable[[int], PlainBar] | None = None,
    ) -> None:
        """Bars given by their corners (x1, y1, x2, y2 in data coordinates, x1 <= x2, y1 <= y2) and
        a function that builds bar i: only the bars that are drawn, hovered or asked for are built,
        so a rebuild costs the same whether a tall chart shows all its rows or a screenful. A
        caller that knows them passes the rectangle around every bar (`bounds`) and says whether
        the bars come top to bottom (no bar's y1 below the next one's): the bars in view are then
        found by halving. With `plain`, every bar is a plain one (no hatching, no arrowhead, its
        label, if any, just right of its end) and is painted from its corners and `plain(i)`
        without being built."""
        self.prepareGeometryChange()
        self._coords = coords
        self._make = make
        self._plain = plain
        self._made = {}
        if not coords:
            self._bounds = QRectF()
            self._tops = []
        else:
            y1s = [c[1] for c in coords]
            if bounds is None:
                bounds = QRectF(
                    QPointF(min(c[0] for c in coords), min(y1s)),
                    QPointF(max(c[2] for c in coords), max(c[3] for c in coords)),
                )
            self._bounds = bounds
            self._tops = y1s if top_down else None
        self.current = -1
        self.setToolTip("")
        self.update()

    def bar_count(self) -> int:
        return len(self._coords)

    def bars_built(self) -> int:
        """How many bars have been built since the last rebuild."""
        return len(self._made)

    def bar(self, index: int) -> Bar:
        """Bar `index` (built on first use)."""
        made = self._made.get(index)
        if made is None:
            if not 0 <= index < len(self._coords):
                raise IndexError(index)
            made = self._made[index] = self._make(index)
        return made

    @property
    def bars(self) -> list[Bar]:
        """Every bar, in order (builds those not built yet)."""
        return [self.bar(i) for i in range(len(self._coords))]

    def label_texts(self) -> list[str]:
        return [b.label for b in self.bars if b.label and b.label_at is not None]

    # -- geometry and painting ----------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        # labels and arrowheads reach past the bars: claim the view too, so they are repainted
        vb = self.getViewBox()
        return self._bounds.united(vb.viewRect()) if vb is not None else self._bounds

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange: Any = None) -> tuple[float, float] | None:
        if not self._coords:
            return None
        r = self._bounds
        return (r.left(), r.right()) if ax == 0 else (r.top(), r.bottom())

    def paint(self, p: QPainter, *args: Any) -> None:
        vb = self.getViewBox()
        view = vb.viewRect() if vb is not None else self._bounds
        left, top, right, bottom = _coords(view)
        coords = self._coords
        # Bars after `last` start below the view (when they come top to bottom).
        last = len(coords) if self._tops is None else bisect_right(self._tops, bottom)
        in_view = [  # the bars on screen (a bar of length 0 still counts: its label is drawn)
            i
            for i in range(last)
            if coords[i][3] >= top
            and coords[i][1] <= bottom
            and coords[i][0] <= right
            and coords[i][2] >= left
        ]
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        if self._plain is not None:
            self._paint_plain(p, in_view)
        else:
            self._paint_built(p, [self.bar(i) for i in in_view])
        if 0 <= self.current < len(self._coords):
            pen = QPen(HIGHLIGHT, 3)
            pen.setCosmetic(True)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(self.bar(self.current).rect)

    def _paint_plain(self, p: QPainter, in_view: list[int]) -> None:
        """Plain bars straight from their corners (see `set_lazy`)."""
        assert self._plain is not None
        plain, coords = self._plain, self._coords
        styles: dict[tuple[int, int], tuple[QPen, QBrush, list[QRectF]]] = {}
        labels: list[_Label] = []
        for i in in_view:
            pen, brush, label = plain(i)
            x1, y1, x2, y2 = coords[i]
            key = (id(pen), id(brush))
            if key not in styles:
                styles[key] = (pen, brush, [])
            styles[key][2].append(QRectF(x1, y1, x2 - x1, y2 - y1))
            if label:
                labels.append((label, (x2, (y1 + y2) / 2), _PLAIN_ANCHOR, _PLAIN_OFFSET, None, False))
        for pen, brush, rects in styles.values():
            p.setPen(pen)
            p.setBrush(brush)
            p.drawRects(rects)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)  # as for built bars' labels
        _draw_labels(p, labels)

    def _paint_built(self, p: QPainter, shown: list[Bar]) -> None:
        # One drawRects call per fill and outline (a chart has a handful: statuses, verification)
        # rather than three calls per bar. Bars do not overlap, so the order does not show.
        styles: dict[tuple[int, int], tuple[QPen, QBrush, list[QRectF]]] = {}
        for b in shown:
            key = (id(b.pen), id(b.brush))
            if key not in styles:
                styles[key] = (b.pen, b.brush, [])
            styles[key][2].append(b.rect)
        for pen, brush, rects in styles.values():
            p.setPen(pen)
            p.setBrush(brush)
            p.drawRects(rects)
        for b in shown:
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
        _draw_labels(
            p,
            [
                (
                    b.label,
                    b.label_at,
                    b.label_anchor,
                    b.label_offset,
                    b.label_colour,
                    b.hatch is not None and b.brush.color().alpha() == 0,
                )
                for b in shown
                if b.label and b.label_at is not None
            ],
        )

    # -- interaction --------------------------------------------------------------------------
    def index_at(self, pos: QPointF) -> int:
        """The bar under a point (with 3 pixels to spare, so that a bar of length 0 can be hovered)."""
        dx = 3 * abs(self.pixelWidth() or 0.0)
        dy = 3 * abs(self.pixelHeight() or 0.0)
        x, y = pos.x(), pos.y()
        for i in range(len(self._coords) - 1, -1, -1):
            x1, y1, x2, y2 = self._coords[i]
            if x1 - dx <= x <= x2 + dx and y1 - dy <= y <= y2 + dy:
                return i
        return -1

    def set_current(self, index: int) -> None:
        self.current = index if 0 <= index < len(self._coords) else -1
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
        self.setToolTip(self.bar(i).tooltip if i >= 0 else "")
        self.setCursor(Qt.CursorShape.PointingHandCursor if i >= 0 else Qt.CursorShape.ArrowCursor)
        self.sigHovered.emit(i)

    def mouseClickEvent(self, ev: Any) -> None:
        i = self.index_at(ev.pos())
        if i < 0:
            ev.ignore()
            return
        ev.accept()
        self.sigClicked.emit(i, ev.button())


def _no_bar(index: int) -> Bar:
    raise IndexError(index)


def _coords(rect: QRectF) -> tuple[float, float, float, float]:
    """x1, y1, x2, y2 of a rectangle in one call to Qt."""
    return cast(tuple[float, float, float, float], rect.getCoords())


# A label to draw: text, anchor point (data), anchor as fractions of its size, offset (pixels),
# colour (INK when None), and whether it gets a white box (words over hatching).
_Label = tuple[str, tuple[float, float], tuple[float, float], tuple[float, float], "QColor | None", bool]
_PLAIN_ANCHOR = (0.0, 0.5)
_PLAIN_OFFSET = (4.0, 0.0)


def _draw_labels(p: QPainter, labels: Sequence[_Label]) -> None:
    """Labels in screen pixels at their anchor points (text keeps its size and stays upright
    whatever the axes' scales); words over hatching get a white box."""
    if not labels:
        return
    to_screen = p.transform()
    p.save()
    p.resetTransform()
    fm = p.fontMetrics()
    height = fm.height()
    flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    for text, label_at, anchor, offset, colour, boxed in labels:
        at = to_screen.map(QPointF(*label_at))
        width = fm.horizontalAdvance(text)
        box = QRectF(
            at.x() - anchor[0] * width + offset[0],
            at.y() - anchor[1] * height + offset[1],
            width + 2,
            height,
        )
        if boxed:
            p.fillRect(box.adjusted(-4, -1, 4, 1), QColor(255, 255, 255, 235))
        p.setPen(colour or INK)
        p.drawText(box, flags, text)
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


def make_pen(colour: QColor | str, width: float = 1.0, dashed: bool = False) -> QPen:
    pen = QPen(QColor(colour), width)
    pen.setCosmetic(True)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen
