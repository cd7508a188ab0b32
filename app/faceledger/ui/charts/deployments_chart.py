"""Documented deployments: customers per vendor stacked by deployment status (`DeploymentsChart`)."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QWidget

from faceledger.data.deployment_charts import DeploymentChart, DeploymentSegment
from faceledger.data.schema import DEPLOYMENT_STATUSES
from faceledger.data.text import plural
from faceledger.ui.charts.axes import whole_number_ticks
from faceledger.ui.charts.bars import Bar, BarsItem, PlainBar
from faceledger.ui.charts.style import STATUS_COLOURS, esc, make_pen
from faceledger.ui.charts.view import RowChart


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
        self.plot.getAxis("bottom").enableAutoSIPrefix(False)  # plain numbers; no rescaling each range
        self.plot.getViewBox().sigResized.connect(self._update_window)
        self.bars = self._track(BarsItem())
        self.plot.addItem(self.bars)
        self.legend = self._side_legend()

    def row_plot(self) -> Any:
        return self.plot

    def set_segments(self, chart: DeploymentChart, filter_text: str = "") -> None:
        self.chart = chart
        segments = chart.segments
        ticks: list[tuple[float, str]] = []
        coords: list[tuple[float, float, float, float]] = []
        last_of: set[int] = set()  # each vendor's last segment, which carries its total
        prev: str | None = None
        y = -1
        x0 = top = y0 = y1 = 0.0
        add = coords.append
        # Corners only: a bar is painted from them and built when it is hovered or asked for. The
        # segments come vendor by vendor (documented_deployments): a new vendor starts a new row.
        for n, s in enumerate(segments):
            if s.vendor_id != prev:
                if prev is not None:
                    last_of.add(n - 1)
                    if x0 > top:
                        top = x0
                prev = s.vendor_id
                y += 1
                y0, y1 = y - 0.32, y + 0.32
                x0 = 0.0
                ticks.append((y, s.vendor_name))
            x1 = x0 + s.customers
            add((x0, y0, x1, y1))
            x0 = x1
        if x0 > top:
            top = x0
        if segments:
            last_of.add(len(segments) - 1)

        def make(n: int) -> Bar:
            s = segments[n]
            x0, y0, x1, y1 = coords[n]
            brush, pen = _status_paint(s.status)
            rect = QRectF(x0, y0, x1 - x0, y1 - y0)
            tip = partial(_segment_tooltip, s, filter_text)
            if n in last_of:  # the vendor's total at the end of its row
                return Bar(rect, brush, pen, tip, s, f"{s.vendor_total:,}", (x1, (y0 + y1) / 2))
            return Bar(rect, brush, pen, tip, s)

        def plain(n: int) -> PlainBar:
            brush, pen = _status_paint(segments[n].status)
            return pen, brush, f"{segments[n].vendor_total:,}" if n in last_of else ""

        self.bars.set_lazy(coords, make, bounds=QRectF(0.0, -0.32, top, y + 0.64), top_down=True, plain=plain)
        self._ticks(self.plot.getAxis("left"), [ticks])
        top = top or 1.0
        self._range(self.plot, x=(0, top * 1.12))
        self._ticks(self.plot.getAxis("bottom"), [whole_number_ticks(top * 1.12)])
        self.set_rows(y + 1)
        # every status, always: a legend that stays put while the filters change
        others = {s.status for s in segments}.difference(DEPLOYMENT_STATUSES.values)
        self._set_legend([*DEPLOYMENT_STATUSES.values, *sorted(others)])
        title = "Documented deployments in this database: customers per vendor, by deployment status"
        self._text(self.title, esc(title) + (f"<br><small>{esc(filter_text)}</small>" if filter_text else ""))
        foot = [  # short lines: the chart must fit a 1024-pixel screen with its legend beside it
            "Distinct customers per vendor and status; a customer with deployments in two statuses "
            "is counted in both.",
            "Each deployment and its sources are on FaceLedger's Deployments page.",
        ]
        if chart.vendors_total > chart.vendors_shown:
            foot.append(
                f"The {plural(chart.vendors_shown, 'vendor')} with most customers of {chart.vendors_total:,}."
            )
        if not chart.segments:
            foot.append("No deployments match these filters.")
        if chart.undisclosed_deployments:
            foot.append(chart.undisclosed_note())
        self._set_footer(foot)

    def _set_legend(self, statuses: list[str]) -> None:
        self._legend(self.legend, [(st, QColor(STATUS_COLOURS.get(st, "#999999"))) for st in statuses])


_STATUS_PAINT: dict[str, tuple[QBrush, QPen]] = {}


def _status_paint(status: str) -> tuple[QBrush, QPen]:
    """The fill and outline of a status (made once: a rebuild only places rectangles)."""
    if status not in _STATUS_PAINT:
        colour = QColor(STATUS_COLOURS.get(status, "#999999"))
        _STATUS_PAINT[status] = (QBrush(colour), make_pen(colour.darker(140)))
    return _STATUS_PAINT[status]


def _segment_tooltip(s: DeploymentSegment, filter_text: str) -> str:
    where = f"<br>{esc(filter_text)}" if filter_text else ""
    return (
        f"<qt><b>{esc(s.vendor_name)} — {esc(s.status)}</b>"
        f"<br>{s.customers:,} customer{'s' if s.customers != 1 else ''} "
        f"({s.deployments:,} deployment{'s' if s.deployments != 1 else ''}) documented in this database"
        f"{where}<br>{s.vendor_total:,} customers across all statuses shown"
        "<br>Click to open these deployments.</qt>"
    )
