"""The charts' axis (`ChartAxis`): pyqtgraph's axis, drawn the same, with its layout work cut to
what is on screen. An axis with one level of fixed ticks (a vendor per row, or the numbered ticks
of `whole_number_ticks`) lays out only the labels in view, every label's size is measured once,
not at each repaint, and the axis is drawn straight onto the view rather than recorded into a
picture and played back."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from pyqtgraph import Point
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPicture

_LAID_OUT = QPicture()  # stands in for pyqtgraph's cached picture: the specs are up to date
_MEASURED_MAX = 4000  # label sizes kept per axis (a chart shows a few hundred at most)
_MEASURE_BOX = QRectF(0, 0, 100, 100)  # where pyqtgraph measures a tick label
_CENTRE = Qt.AlignmentFlag.AlignCenter
_LEFT_TEXT_FLAGS = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextDontClip
_BOTTOM_TEXT_FLAGS = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextDontClip


def whole_number_ticks(top: float, most: int = 8) -> list[tuple[float, str]]:
    """Ticks from 0 to `top` for an axis that counts whole things: a step of 1, 2 or 5 times a
    power of ten, the smallest that gives at most `most` ticks, each number with thousands
    separators."""
    step = 1
    while top / step > most - 1:
        for factor in (2, 5 / 2, 2):  # 1 -> 2 -> 5 -> 10 -> 20 ...
            step = round(step * factor)
            if top / step <= most - 1:
                break
    return [(float(v), f"{v:,}") for v in range(0, int(top) + 1, step)]


class _MeasuringPainter:
    """The two calls pyqtgraph's layout makes on its painter (`setFont`, `boundingRect`), with
    each text's bounding rectangle remembered per font."""

    def __init__(self, painter: QPainter, sizes: dict[tuple[Any, ...], QRectF]) -> None:
        self._painter = painter
        self._sizes = sizes
        self._font = painter.font().key()

    def setFont(self, font: QFont) -> None:
        self._painter.setFont(font)
        self._font = font.key()

    def boundingRect(self, rect: QRectF, flags: Any, text: str) -> QRectF:
        key = (self._font, rect.getRect(), int(flags), text)
        found = self._sizes.get(key)
        if found is None:
            if len(self._sizes) > _MEASURED_MAX:
                self._sizes.clear()
            found = self._sizes[key] = self._painter.boundingRect(rect, flags, text)
        return QRectF(found)  # a copy: the caller resizes it


class ChartAxis(pg.AxisItem):  # type: ignore[misc]
    """pyqtgraph's AxisItem with the same drawing; ticks set with `setTicks` as one level (the
    vendor names of a row chart) are laid out only where they are in view."""

    picture: QPicture | None  # pyqtgraph's: None when the axis must be laid out again

    def __init__(self, orientation: str, **kw: Any) -> None:
        super().__init__(orientation, **kw)
        self._sizes: dict[tuple[Any, ...], QRectF] = {}
        self._specs: Any = None

    def paint(self, p: QPainter, *args: Any) -> None:
        # pyqtgraph records the axis into a QPicture and plays it back; here the specs are kept
        # instead and drawn straight onto the view (pyqtgraph sets `picture` to None whenever the
        # axis must be laid out again).
        if self.picture is None:
            p.save()
            if self.style["tickFont"]:
                p.setFont(self.style["tickFont"])
            self._specs = self.generateDrawSpecs(p)
            p.restore()
            self.picture = _LAID_OUT
        if self._specs is not None:
            p.save()
            self.drawPicture(p, *self._specs)
            p.restore()

    def generateDrawSpecs(self, p: QPainter) -> Any:
        measuring = _MeasuringPainter(p, self._sizes)
        levels = self._tickLevels
        if (
            levels is not None
            and len(levels) == 1
            and self.orientation in ("left", "bottom")
            and self.grid is False
            and self.style["showValues"]
            and not any(self.style["stopAxisAtTick"])
            and self.style["tickAlpha"] is None
        ):
            return self._fixed_specs(measuring, levels[0])
        return super().generateDrawSpecs(measuring)

    def _fixed_specs(self, p: _MeasuringPainter, ticks: list[tuple[float, str]]) -> Any:
        """pyqtgraph's `generateDrawSpecs` for one level of fixed ticks on a left axis (the
        vendor names of a row chart) or a bottom one (numbered ticks set by the chart) without a
        grid: the same specs, computed for the ticks in range only."""
        if self.style["tickFont"] is not None:
            p.setFont(self.style["tickFont"])
        bounds = self.mapRectFromParent(self.geometry())
        left = self.orientation == "left"
        if left:
            span = (bounds.topRight() + QPointF(-1.0, -1.0), bounds.bottomRight() + QPointF(-1.0, 1.0))
            tick_at, size = bounds.right(), bounds.height()
        else:
            span = (bounds.topLeft() + QPointF(-1.0, 1.0), bounds.topRight() + QPointF(1.0, 1.0))
            tick_at, size = bounds.top(), bounds.width()
        ends = [self.mapToDevice(pt) for pt in span]
        if None in ends or ends[0] == ends[1]:
            return None
        lo, hi = self.range[0], self.range[1]
        dif = hi - lo
        if dif == 0:
            scale, offset = 1.0, 0.0
        elif left:
            scale = -size / dif
            offset = lo * scale - size
        else:
            scale = size / dif
            offset = lo * scale
        at_min, at_max = sorted((lo * scale - offset, hi * scale - offset))
        pen = self.tickPen()
        if pen.brush().style() == Qt.BrushStyle.SolidPattern:  # alpha 255 / 1 for the first level
            pen = QPen(pen)
            colour = QColor(pen.color())
            colour.setAlpha(255)
            pen.setColor(colour)
        length = self.style["tickLength"]
        gap = max(0, length) + self.style["tickTextOffset"][0 if left else 1]
        box = self.boundingRect()
        flags = _LEFT_TEXT_FLAGS if left else _BOTTOM_TEXT_FLAGS
        tick_specs = []
        text_specs = []
        largest = 0.0  # the widest label on a left axis, the tallest on a bottom one
        for value, text in ticks:
            at = value * scale - offset
            if at < at_min or at > at_max:
                continue
            br = p.boundingRect(_MEASURE_BOX, _CENTRE, text)
            height = br.height() * 0.8
            width = br.width()
            if left:
                tick_specs.append((pen, Point(tick_at, at), Point(tick_at - length, at)))
                largest = max(largest, width)
                rect = QRectF(tick_at - gap - width, at - height / 2, width, height)
            else:
                tick_specs.append((pen, Point(at, tick_at), Point(at, tick_at + length)))
                largest = max(largest, height)
                rect = QRectF(at - width / 2, tick_at + gap, width, height)
            if box & rect == rect:
                text_specs.append((rect, flags, text))
        self._updateMaxTextSize(largest)
        return (self.pen(), span[0], span[1]), tick_specs, text_specs
