"""Events over time: events per year stacked by kind (`TimelineChart`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QWidget

from faceledger.data import schema
from faceledger.data.charts import YearKindCount
from faceledger.ui.charts.bars import Bar, BarsItem
from faceledger.ui.charts.style import esc, kind_colour, make_pen
from faceledger.ui.charts.view import ChartView


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
                    make_pen(colour.darker(140)),
                    partial(_event_tooltip, r),
                    r,
                )
            )
        for year, total in totals.items():
            last = max((b for b in bars if b.key.year == year), key=lambda b: b.rect.bottom())
            last.label, last.label_at = f"{total:,}", (float(year), float(total))
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
        foot = [
            f"{sum(totals.values()):,} dated events, each happening counted once: what FaceLedger records, "
            "not everything that happened.",
            "Each event and its sources are on FaceLedger's Events page.",
        ]
        self._set_footer(foot)


def _event_tooltip(r: YearKindCount) -> str:
    return (
        f"<qt><b>{r.year} — {esc(r.kind)}: {r.events} event{'s' if r.events != 1 else ''}</b>"
        "<br>Click to list these events on the Events page.</qt>"
    )


def _kind_order(kind: str) -> int:
    return schema.EVENT_KINDS.rank(kind)
