"""Colours, pens and the text helpers every chart shares: escaped rich text for tooltips,
the plain details line under a chart, sources as a tooltip lists them."""

from __future__ import annotations

import functools
import html
import re
import textwrap
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPen

from faceledger.data import charts as data
from faceledger.data import schema
from faceledger.data.charts import SourceRef

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
EVENT_KINDS = schema.EVENT_KINDS.values  # one order for colours and legends

pg.setConfigOptions(antialias=False, background="w", foreground="k")


def kind_colour(kind: str) -> QColor:
    i = EVENT_KINDS.index(kind) if kind in EVENT_KINDS else len(EVENT_KINDS) - 1
    return QColor(PALETTE[i % len(PALETTE)])


# -- text for tooltips (rich text: every database string escaped) -------------------------------
def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def sources_html(sources: Sequence[SourceRef]) -> str:
    if not sources:
        return "<br><b>Source:</b> none recorded"
    items = "".join(f"<br>• {esc(s.line())}" for s in sources)
    return f"<br><b>Source{'s' if len(sources) > 1 else ''}:</b>{items}"


VERIFICATION_WORDS = {v: schema.VERIFICATION.label(v) for v in schema.VERIFICATION}


def plain_details(rich: str) -> str:
    """A tooltip as one line of plain text for the details line under a chart: without markup,
    the verification note (in italics) and the hints on what a click does."""
    out = re.sub(r"<i>.*?</i>", "", rich)
    parts = [p for p in out.split("<br>") if p and "lick to" not in p and "right-click" not in p]
    out = " · ".join(parts)
    for tag in ("<qt>", "</qt>", "<b>", "</b>"):
        out = out.replace(tag, "")
    return html.unescape(out).replace(": · • ", ": ").replace(" · • ", "; ")


def make_pen(colour: QColor | str, width: float = 1.0, dashed: bool = False) -> QPen:
    pen = QPen(QColor(colour), width)
    pen.setCosmetic(True)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


def wrap_label(metrics: QFontMetrics, text: str, width: int, lines: int = 2) -> str:
    """A label on at most `lines` lines of `width` pixels, broken at spaces only: a word is never
    split, and what does not fit ends the last line with "…" after a whole word."""
    words = text.split()
    out: list[str] = []
    while words and len(out) < lines:
        line = words.pop(0)
        while words and metrics.horizontalAdvance(f"{line} {words[0]}") <= width:
            line += " " + words.pop(0)
        out.append(line)
    if words:
        kept = out[-1].split()
        while len(kept) > 1 and metrics.horizontalAdvance(" ".join(kept) + " …") > width:
            kept.pop()
        out[-1] = " ".join(kept) + " …"
    return "\n".join(out)


FOOT_WIDTH = 100  # characters per footer line: a chart and its legend fit a 1024-pixel screen


@functools.lru_cache(maxsize=256)  # a chart rebuilt with the same footer wraps it once
def wrap_footer(text: str) -> tuple[str, ...]:
    """A footer sentence on lines of at most FOOT_WIDTH characters, broken at spaces: one long
    line would widen the chart past its view and push its newest bars and legend off screen."""
    lines = textwrap.wrap(text, FOOT_WIDTH, break_long_words=False, break_on_hyphens=False)
    return tuple(lines) or (text,)
