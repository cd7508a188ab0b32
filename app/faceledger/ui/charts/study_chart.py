"""A study's figures ranked, one row per algorithm or vendor, worst (or best) first (`StudyChart`);
a study with single headline figures is said in words instead (`set_summary`)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QWidget

from faceledger.data.charts import StudyFigureBar
from faceledger.data.study_charts import (
    RANK_RATIO,
    RankedRow,
    RankedStudy,
    SummaryLine,
    short_subgroup,
    split_code,
)
from faceledger.data.text import number_text
from faceledger.ui.charts.bars import Bar, BarsItem
from faceledger.ui.charts.style import (
    BAR,
    INK,
    PALETTE,
    UNVERIFIED_HATCH,
    VERIFICATION_WORDS,
    esc,
    make_pen,
    sources_html,
    wrap_label,
)
from faceledger.ui.charts.view import RowChart

LABEL_PIXELS = 270  # the widest a row label may be (longer labels wrap at spaces onto two lines)
PROFILED_MARK = "★"


@dataclass(frozen=True)
class StudyBar:
    """What one bar stands for: a row of the ranking and, when it draws one figure, that figure."""

    row: RankedRow
    figure: StudyFigureBar | None


class StudyChart(RowChart):
    """One row per algorithm or vendor in the chosen order; the bar is the value ranked (a ratio
    between subgroups, or one figure), or one bar per subgroup when every figure is drawn."""

    title_text = "Study results"
    row_noun = ("row", "rows")  # an algorithm or a vendor

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ranked: RankedStudy | None = None
        self.summary: list[SummaryLine] = []
        self.row_pixels = 30
        self.title = self._label(0, 0, "", colspan=2, size="11pt")
        self.plot = self._plot(1, 0)
        self.footer = self._label(2, 0, "", colspan=2)
        self.plot.getViewBox().invertY(True)
        self.plot.getAxis("bottom").setHeight(48)
        self.plot.getAxis("left").setWidth(LABEL_PIXELS + 16)
        self.plot.getAxis("left").setStyle(tickLength=0)
        self.plot.showGrid(x=True, alpha=0.15)
        self.bars = self._track(BarsItem())
        self.plot.addItem(self.bars)
        self.legend = self._side_legend()
        self.plot.getViewBox().sigResized.connect(self._update_window)

    def row_plot(self) -> Any:
        return self.plot

    # -- data in ------------------------------------------------------------------------------
    def set_ranked(self, ranked: RankedStudy, order_label: str = "") -> None:
        """Draw one measure of a study, ranked (`faceledger.data.study_charts.ranked_study`)."""
        self.ranked = ranked
        self.summary = []
        self.plot.show()
        self.legend.show()
        rows = ranked.rows
        grouped = len(ranked.subgroups) > 1 and ranked.rank_by != RANK_RATIO
        k = len(ranked.subgroups) if grouped else 1
        self.row_pixels = max(30, 10 + 9 * k)
        metrics = QFontMetrics(self.plot.getAxis("left").style["tickFont"] or QFont())
        bars: list[Bar] = []
        ticks: list[tuple[float, str]] = []
        colours = {s: QColor(PALETTE[i % len(PALETTE)]) for i, s in enumerate(ranked.subgroups)}
        for y, row in enumerate(rows):
            mark = f" {PROFILED_MARK}" if row.profiled else ""
            ticks.append((float(y), wrap_label(metrics, f"{row.position}. {row.label}{mark}", LABEL_PIXELS)))
            if grouped:
                height = 0.8 / k
                for f in row.figures:
                    s = ranked.subgroups.index(f.subgroup)
                    top = y - 0.4 + s * height
                    bars.append(
                        _bar(
                            QRectF(0.0, top, f.value, height * 0.92).normalized(),
                            colours[f.subgroup],
                            f.verification != "verified",
                            partial(_figure_tooltip, row, f, ranked.metric),
                            StudyBar(row, f),
                            f"{short_subgroup(f.subgroup)} {number_text(f.value, f.value_text)}",
                            (max(f.value, 0.0), top + height * 0.46),
                        )
                    )
            else:
                figure = row.figures[0] if len(row.figures) == 1 else None
                unverified = any(f.verification != "verified" for f in row.figures)
                bars.append(
                    _bar(
                        QRectF(0.0, y - 0.32, row.value, 0.64).normalized(),
                        BAR,
                        unverified,
                        partial(_row_tooltip, row, ranked),
                        StudyBar(row, figure),
                        row.value_text,
                        (max(row.value, 0.0), float(y)),
                    )
                )
        self.bars.set_bars(bars)
        self._ticks(self.plot.getAxis("left"), [ticks])
        ends = [b.rect.right() for b in bars]
        lows = [b.rect.left() for b in bars]
        top = max(ends, default=1.0)
        low = min([0.0, *lows])
        self._range(self.plot, x=(low, top * 1.22 if top > 0 else 1.0))  # room for the value labels
        self._axis_label(self.plot, "bottom", ranked.value_words)
        self.set_rows(len(rows))
        if grouped:
            self._legend(
                self.legend,
                [(_legend_words(s), colours[s]) for s in ranked.subgroups],
            )
        else:
            self._legend(self.legend, [])
        how = " · ".join(t for t in (ranked.metric, ranked.rank_label, order_label) if t)
        self._text(self.title, f"{esc(ranked.study_title)}<br><small>{esc(how)}</small>")
        self._set_footer(self.footer_lines())
        self.show_details(
            f"Hover over a bar, or use the arrow keys, for its figures and sources. Shown: {ranked.study_title}"
        )

    def set_summary(self, study_title: str, lines: Sequence[SummaryLine]) -> None:
        """A study whose figures are single headline numbers: its figures said in words, no bars."""
        self.ranked = None
        self.summary = list(lines)
        self.bars.set_bars([])
        self._legend(self.legend, [])
        self.set_rows(0)
        self.plot.hide()
        self.legend.hide()
        self._text(self.title, f"{esc(study_title)}<br><small>What the study reports, in words</small>")
        self._set_footer(self.summary_lines())
        self.show_details(
            f"Single figures, not a comparison: listed in words rather than drawn. Shown: {study_title}"
        )

    # -- text ---------------------------------------------------------------------------------
    def footer_lines(self) -> list[str]:
        r = self.ranked
        if r is None:
            return self.summary_lines()
        lines: list[str] = []
        shown = len(r.rows)
        what = "systems" if shown != 1 else "system"
        lines.append(
            f"Showing {shown:,} of {r.ranked:,} ranked {what}"
            + (" (all)." if shown == r.ranked else "; choose \u201cShow\u201d for more.")
        )
        if r.rank_by == RANK_RATIO and r.legend:
            lines.append("Compared: " + "; ".join(f"{code} = {words}" for code, words in r.legend) + ".")
        if r.profiled:
            lines.append(
                f"{PROFILED_MARK} Where the vendors FaceLedger profiles stand (each at its first place): {_standing(r)}."
            )
        else:
            lines.append("None of the vendors FaceLedger profiles is in this ranking.")
        if r.not_ranked:
            why = "a lowest figure of 0 (no ratio)" if r.rank_by == RANK_RATIO else "no figure of this kind"
            lines.append(f"Not ranked, {why}: {', '.join(r.not_ranked)}.")
        lines.append(
            "Hatched with a dashed outline: not verified against the study itself. "
            "The figures and their sources are in the study's record on FaceLedger's Studies page."
        )
        return lines

    def summary_lines(self) -> list[str]:
        out: list[str] = []
        for s in self.summary:
            who = f" ({s.subgroup})" if s.subgroup and s.subgroup != "all" else ""
            mark = (
                ""
                if s.verification == "verified"
                else f" [{VERIFICATION_WORDS.get(s.verification, s.verification)}]"
            )
            out.append(f"• {s.metric}{who}: {s.value_text} {s.unit}{mark}".rstrip())
        return out or ["This study has no figures on record."]

    def footer_text(self) -> str:
        return html.unescape(self.footer.text).replace("<br>", "\n")


def _bar(
    rect: QRectF,
    colour: QColor,
    unverified: bool,
    describe: Any,
    key: StudyBar,
    label: str,
    at: tuple[float, float],
) -> Bar:
    return Bar(
        rect,
        QBrush(colour),
        make_pen(INK if unverified else colour.darker(150), 1.2, unverified),
        describe,
        key,
        label=label,
        label_at=at,
        label_anchor=(0.0, 0.5),
        label_offset=(5.0, 0.0),
        hatch=UNVERIFIED_HATCH if unverified else None,
    )


def _legend_words(subgroup: str) -> str:
    code, words = split_code(subgroup)
    return f"{code}: {words}" if code else words


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"


def _standing(r: RankedStudy) -> str:
    """Each profiled vendor at the place of its first algorithm in the order shown: "Megvii 10th"
    (each algorithm's place is in its tooltip and in `faceledger chart studies`)."""
    by_company: dict[str, list[RankedRow]] = {}
    for row in r.profiled:
        by_company.setdefault(row.company or row.group, []).append(row)
    parts = []
    for company, rows in by_company.items():
        parts.append(f"{company} {_ordinal(rows[0].position)}")
    return "; ".join(parts) + f" (of {r.ranked:,})"


def _figure_lines(f: StudyFigureBar) -> str:
    note = f"<br><i>{esc(f.verification_note)}</i>" if f.verification_note else ""
    return (
        f"<br><b>Where in the study:</b> {esc(f.location or 'not recorded')}"
        f"<br><b>Verification:</b> {esc(VERIFICATION_WORDS.get(f.verification, f.verification))}{note}"
        f"{sources_html(f.sources)}"
    )


def _figure_tooltip(row: RankedRow, f: StudyFigureBar, metric: str) -> str:
    unit = f" {f.unit}" if f.unit else ""
    return (
        f"<qt><b>{esc(row.label)} — {esc(f.subgroup or 'all')}: {esc(number_text(f.value, f.value_text))}"
        f"{esc(unit)}</b>"
        f"<br><b>Place:</b> {esc(_ordinal(row.position))}"
        f"<br><b>Measure:</b> {esc(metric)}"
        f"<br><b>Unit:</b> {esc(f.unit or 'none given')}"
        f"{_figure_lines(f)}</qt>"
    )


def _row_tooltip(row: RankedRow, r: RankedStudy) -> str:
    if len(row.figures) == 1:
        return _figure_tooltip(row, row.figures[0], r.metric)
    figures = "".join(
        f"<br>• {esc(short_subgroup(f.subgroup))}: {esc(number_text(f.value, f.value_text))}"
        f" <small>({esc(f.location or 'place in the study not recorded')})</small>"
        for f in row.figures
    )
    status = sorted({VERIFICATION_WORDS.get(f.verification, f.verification) for f in row.figures})
    notes = sorted({f.verification_note for f in row.figures if f.verification_note})
    note = "".join(f"<br><i>{esc(n)}</i>" for n in notes)
    sources = sorted({s for f in row.figures for s in f.sources}, key=lambda s: s.source_id)
    return (
        f"<qt><b>{esc(row.label)}: {esc(row.value_text)}</b> ({esc(row.detail)})"
        f"<br><b>Place:</b> {esc(_ordinal(row.position))} of {r.ranked:,}"
        f"<br><b>Measure:</b> {esc(r.metric)}; the ratio is worked out by FaceLedger from these figures:"
        f"{figures}<br><b>Verification:</b> {esc(', '.join(status))}{note}"
        f"{sources_html(sources)}</qt>"
    )
