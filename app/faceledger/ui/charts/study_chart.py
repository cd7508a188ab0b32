"""Study figures: grouped bars, one group per vendor or algorithm (`StudyChart`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from faceledger.data.charts import StudyFigureBar
from faceledger.ui.charts.bars import Bar, BarsItem
from faceledger.ui.charts.style import (
    INK,
    PALETTE,
    UNVERIFIED_HATCH,
    VERIFICATION_WORDS,
    esc,
    make_pen,
    sources_html,
)
from faceledger.ui.charts.view import ChartView


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
                    make_pen(INK if dashed else colour.darker(150), 1.2, dashed),
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
        self._text(self.title, f"{esc(study_title)}<br><small>{esc(metric)} — unit: {esc(unit_text)}</small>")
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
        self._text(self.footer, "<br>".join(esc(f) for f in foot))


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _figure_tooltip(f: StudyFigureBar, metric: str) -> str:
    note = f"<br><i>{esc(f.verification_note)}</i>" if f.verification_note else ""
    unit = f" {f.unit}" if f.unit else ""
    return (
        f"<qt><b>{esc(f.group)} — {esc(f.subgroup or 'all')}: {esc(f.value_text)}{esc(unit)}</b>"
        f"<br><b>Measure:</b> {esc(metric)}"
        f"<br><b>Unit:</b> {esc(f.unit or 'none given')}"
        f"<br><b>Where in the study:</b> {esc(f.location or 'not recorded')}"
        f"<br><b>Verification:</b> {esc(VERIFICATION_WORDS.get(f.verification, f.verification))}{note}"
        f"{sources_html(f.sources)}</qt>"
    )
