"""Reported customer counts, one row per vendor (`CountsChart`).

The counts charts are horizontal, one row per vendor, so that vendor names and what was counted
read in full on the category axis; a scroll bar moves through more rows than fit. How qualifiers
are drawn:
- a count with a number is a bar whose length is the number (log scale optional);
- "at least N" / "more than N" add an arrowhead at the bar's end: the true value lies beyond;
- "a handful", "several", "dozens", "hundreds" have no number, so they get no bar on the number
  axis at all: they sit in a separate column headed "given in words", as a hatched outline of the
  same fixed size for every vendor, labelled with the words;
- "not disclosed" has no number either: its row in the words column says so, without hatching;
- vendors with counts, but none of the measure shown, are named under the chart;
- counts not verified have a dashed outline, a pale fill and "unverified" in their label.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QAction, QBrush, QFont, QFontMetrics, QPen, QResizeEvent
from PySide6.QtWidgets import QMenu, QWidget

from faceledger.data import charts as data
from faceledger.data import schema
from faceledger.data.charts import ReportedCount
from faceledger.data.text import plural
from faceledger.ui.charts.bars import Bar, BarsItem
from faceledger.ui.charts.style import (
    BAR,
    BAR_PALE,
    MUTED,
    SOURCE_NOTE,
    VERIFICATION_WORDS,
    WORDS_FILL,
    WORDS_HATCH,
    esc,
    make_pen,
    sources_html,
    wrap_label,
)
from faceledger.ui.charts.view import RowChart

LOG_FLOOR = math.log10(0.5)  # where bars start on the log axis, so that a count of 1 is visible


def count_tooltip(c: ReportedCount) -> str:
    bound = ""
    if c.lower_bound:
        bound = " (a lower bound: the true number is higher)"
    elif c.upper_bound:
        bound = " (an upper bound)"
    elif c.in_words:
        bound = " (given only in words; no number was reported)"
    elif c.undisclosed:
        bound = " (the number was not disclosed)"
    elif c.qualifier == "about":
        bound = " (approximate)"
    note = f"<br><i>{esc(c.verification_note)}</i>" if c.verification_note else ""
    others = ""
    if c.counts_for_vendor > 1:
        others = (
            f"<br>{c.counts_for_vendor} counts of this kind on record for this vendor; "
            "right-click to show another."
        )
    return (
        f"<qt><b>{esc(c.vendor_name)}: {esc(c.value_text)}</b>{esc(bound)}"
        f"<br><b>What was counted:</b> {esc(schema.COUNTED.label(c.counted))}: {esc(c.subject)}"
        f"<br><b>Product:</b> {esc(schema.PRODUCTS.label(c.product))}"
        f"<br><b>Region:</b> {esc(c.region or 'not stated')}"
        f"<br><b>As of:</b> {esc(c.as_of or 'no date given')}"
        f"<br><b>Reported by:</b> {esc(c.reported_by)}"
        f"<br><b>Reporter:</b> {esc(c.kind)}"
        f"<br><b>Verification:</b> {esc(VERIFICATION_WORDS.get(c.verification, c.verification))}{note}"
        f"{sources_html(c.sources)}{others}"
        "<br>Click to open this vendor's deployments.</qt>"
    )


# -- reported customer counts -------------------------------------------------------------------
class CountsChart(RowChart):
    """One row per vendor: its reported count as a bar, or in words (a size, or not disclosed)."""

    title_text = "Reported customer counts"
    row_pixels = 50

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts: list[ReportedCount] = []
        self.no_count: tuple[str, ...] = ()
        self.vendors_without_counts = 0
        self.as_of_year: int | None = None
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
        self.number_plot.getAxis("bottom").setStyle(maxTickLevel=0)  # counts: numbered ticks only
        self.view.ci.layout.setColumnFixedWidth(
            0, LABEL_PIXELS + 230
        )  # room for "not disclosed · partly verified"
        self.number_bars = self._track(BarsItem())
        self.word_bars = self._track(BarsItem())
        self.number_plot.addItem(self.number_bars)
        self.words_plot.addItem(self.word_bars)
        self.number_plot.getViewBox().sigResized.connect(self._update_window)
        self.number_plot.getViewBox().sigResized.connect(self._fit_numbers)
        self._top = 1.0
        self._label_room = 0.0
        self._label_widths: dict[str, float] = {}
        self._label_metrics = QFontMetrics(self.view.font())  # the font bar labels are drawn in

    def row_plot(self) -> Any:
        return self.number_plot

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_numbers()

    # -- data in ------------------------------------------------------------------------------
    def set_counts(
        self, counts: Sequence[ReportedCount], *, log_scale: bool | None = None, title: str = ""
    ) -> None:
        self.counts = list(counts)
        if log_scale is not None:
            self.log_scale = log_scale
        self._text(self.title, esc(title or "Reported customer counts per vendor"))
        self._render()

    def set_chart(self, chart: data.CountChart, *, log_scale: bool | None = None) -> None:
        """Show one measure's counts (`faceledger.data.charts.count_chart`): its title, its bars
        and, under the chart, the vendors that have no count of this kind."""
        self.no_count = chart.no_count
        self.vendors_without_counts = chart.vendors_without_counts
        self.as_of_year = chart.as_of_year
        self.set_counts(chart.counts, log_scale=log_scale, title=chart.title)

    def set_log_scale(self, on: bool) -> None:
        self.log_scale = on
        self._render()

    # -- drawing ------------------------------------------------------------------------------
    def x_of(self, value: float) -> float:
        """Where a value ends on the number axis (log10 on the log scale)."""
        if self.log_scale:
            return math.log10(value) if value > 0 else LOG_FLOOR
        return float(value)

    def _label_width(self, text: str) -> float:
        """A bar label's width in pixels (measured once per text)."""
        width = self._label_widths.get(text)
        if width is None:
            if len(self._label_widths) > 2000:
                self._label_widths.clear()
            width = self._label_widths[text] = float(self._label_metrics.horizontalAdvance(text))
        return width

    def _fit_numbers(self) -> None:
        """The number axis's range: the longest bar ends where its label ("2,400 · unverified")
        still fits beside it, whatever the chart's width (a number cut short would misstate it)."""
        top = self._top
        lo = LOG_FLOOR if self.log_scale else 0.0
        end = self.x_of(top)
        hi = math.log10(max(top, 10)) + 1.4 if self.log_scale else top * 1.4
        vb = self.number_plot.getViewBox()
        width = vb.width()
        # On a narrow window the chart can be wider than its view: fit the part on screen.
        box = vb.sceneBoundingRect()
        left = self.view.mapFromScene(box.topLeft()).x()
        shown = min(float(self.view.viewport().width()), self.view.mapFromScene(box.topRight()).x()) - left
        if width > 50 and shown > 50:
            room = max(shown - self._label_room - 8, 0.25 * shown)  # pixels for the longest bar
            hi = max(hi, lo + (end - lo) * width / room)
        self._range(self.number_plot, x=(lo, hi))
        if self.log_scale:
            ticks = [(float(k), f"{10**k:,}") for k in range(0, int(hi) + 1)]
            self._ticks(self.number_plot.getAxis("bottom"), [ticks])

    def _render(self) -> None:
        rows = self.counts
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
            elif c.undisclosed:
                words.append(
                    Bar(
                        QRectF(0.04, y - 0.36, 0.92, 0.72),
                        WORDS_FILL,
                        UNDISCLOSED_PEN,
                        tip,
                        c,
                        label=f"{c.value_text}{mark}",
                        label_at=(0.5, y),
                        label_anchor=(0.5, 0.5),
                        label_offset=(0.0, 0.0),
                        label_colour=MUTED,
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
        self._top = max(values, default=1)
        self._label_room = max((self._label_width(b.label) + b.label_offset[0] for b in numbers), default=0.0)
        self._fit_numbers()
        if self.log_scale:
            self._axis_label(
                self.number_plot, "bottom", "reported count (log scale: each step is ten times more)"
            )
        else:
            self._ticks(self.number_plot.getAxis("bottom"), None)
            self._axis_label(self.number_plot, "bottom", "reported count")
        self.set_rows(len(rows))
        foot = []
        if self.no_count:
            when = f" in or before {self.as_of_year}" if self.as_of_year else ""
            foot.append(f"No count of this kind{when}: {', '.join(self.no_count)}.")
        foot.append("Compared: counts of the vendors' face recognition covering their customers overall.")
        others = "Counts of other products, of other things or of one region only are on the Counts page"
        if self.vendors_without_counts:
            others += f"; {plural(self.vendors_without_counts, 'vendor')} with no reported count"
        foot.append(others + ".")
        foot.append(SOURCE_NOTE + " Each count and its sources are on FaceLedger's Counts page.")
        if any(c.verification == "unverified" for c in rows):
            foot.append("Dashed outline: unverified.")
        if any(c.lower_bound for c in rows):
            foot.append("Arrowhead: a lower bound (\u201cat least\u201d, \u201cmore than\u201d).")
        self._set_footer(foot)

    def footer_text(self) -> str:
        return html.unescape(self.footer.text).replace("<br>", "\n")

    # -- menu ---------------------------------------------------------------------------------
    def _add_bar_actions(self, menu: QMenu, item: BarsItem, index: int) -> None:
        c: ReportedCount = item.bar(index).key
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
UNDISCLOSED_PEN = make_pen(MUTED, 1.0)  # "not disclosed": words with no size at all, a dotted outline
UNDISCLOSED_PEN.setStyle(Qt.PenStyle.DotLine)


def _count_paint(dashed: bool) -> tuple[QBrush, QPen]:
    """Fill and outline of a count's bar: pale and dashed when the count is unverified."""
    if dashed not in _COUNT_PAINT:
        _COUNT_PAINT[dashed] = (QBrush(BAR_PALE if dashed else BAR), make_pen(BAR.darker(130), 1.5, dashed))
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
    name = wrap_label(metrics, name, LABEL_PIXELS)  # a long name on two lines, never cut mid-word
    return "\n".join([name, *lines])
