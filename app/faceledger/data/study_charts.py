"""A study's figures ranked for the study chart (Qt-free): which algorithms or vendors did worst
(or best) on one measure, with the company behind each algorithm, the unit in words, a legend of
the study's own abbreviations and where the vendors FaceLedger profiles stand.

The figures come from `faceledger.data.charts.study_figures` (one query); the ranking is done
here so that the Charts page and `faceledger chart studies` give the same rows in the same order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from faceledger.data.charts import StudyChoice, StudyFigureBar, study_figures
from faceledger.data.database import Database
from faceledger.data.text import number_text

# How the groups (algorithms or vendors) are ranked.
RANK_RATIO = "ratio"  # highest subgroup value divided by the lowest (demographic differential)
RANK_HIGHEST = "highest"  # the group's highest figure (every subgroup drawn)
RANK_SUBGROUP = "subgroup:"  # prefix: one subgroup's figure, e.g. "subgroup:DF"
WORST_FIRST = "worst"
BEST_FIRST = "best"
DEFAULT_LIMIT = 20

# Numbers whose larger values are worse: error rates, false matches and false non-matches.
_ERROR_WORDS = ("error", "fmr", "fnmr", "false")
# Units written as symbols, said in words.
_UNIT_WORDS = {
    "%": "per cent",
    "pp": "percentage points",
}
# A subgroup label ending in its code in brackets: "female black vs female black impostor pairs (FB_FB)".
_CODED = re.compile(r"^(?P<words>.+?)\s*\((?P<code>[A-Za-z0-9_+-]+)\)$")
_SAME_PAIR = re.compile(r"^(?P<a>[A-Za-z]+)_(?P=a)$")  # FB_FB: both faces of a pair from one group


def higher_is_worse(metric: str) -> bool:
    """True for error rates (the larger the number, the worse the system did)."""
    m = metric.casefold()
    return any(w in m for w in _ERROR_WORDS)


def order_labels(metric: str) -> dict[str, str]:
    """The words of the two orders: worst/best first for error rates, else largest/smallest first."""
    if higher_is_worse(metric):
        return {WORST_FIRST: "Worst first (highest)", BEST_FIRST: "Best first (lowest)"}
    return {WORST_FIRST: "Largest first", BEST_FIRST: "Smallest first"}


def unit_words(metric: str, unit: str) -> str:
    """What a figure's number is, in words (never "no unit given")."""
    if unit:
        head, _, rest = unit.partition(" ")
        return f"{_UNIT_WORDS[head]} {rest}".strip() if head in _UNIT_WORDS else unit
    m = metric.casefold()
    if m.startswith("fnmr"):
        return (
            "false non-match rate: the share of pairs of photos of the same person that the "
            "algorithm failed to match (0.01 = 1 in 100)"
        )
    if m.startswith("fmr"):
        return (
            "false match rate: the share of pairs of photos of two different people that the "
            "algorithm wrongly matched (0.001 = 1 in 1,000)"
        )
    return "a number as the study gives it, with no unit"


def split_code(subgroup: str) -> tuple[str, str]:
    """(code, words) of a subgroup label "words (CODE)"; ("", label) when it has no code."""
    m = _CODED.match(subgroup)
    return (m["code"], m["words"]) if m else ("", subgroup)


def short_subgroup(subgroup: str) -> str:
    """The code of a subgroup when its label carries one, else the label."""
    code, words = split_code(subgroup)
    return code or words


@dataclass(frozen=True)
class RankOption:
    """One way to rank a measure's groups."""

    key: str
    label: str


def rank_options(figures: Sequence[StudyFigureBar]) -> list[RankOption]:
    """The rankings a measure allows: the ratio between subgroups (when there are several), the
    highest figure, then each subgroup on its own. The first is the default."""
    subgroups = _subgroups(figures)
    out: list[RankOption] = []
    if len(subgroups) > 1:
        used = _ratio_subgroups(subgroups)
        codes = ", ".join(short_subgroup(s) for s in used)
        out.append(RankOption(RANK_RATIO, f"Ratio: highest ÷ lowest of {codes}"))
    out.append(
        RankOption(RANK_HIGHEST, "Highest figure (all subgroups drawn)" if len(subgroups) > 1 else "Figure")
    )
    if len(subgroups) > 1:
        out.extend(RankOption(RANK_SUBGROUP + s, f"Only {short_subgroup(s)}") for s in subgroups)
    if len(subgroups) > 1 and len(subgroups) <= 4 and len({f.group for f in figures}) <= 12:
        # a few systems with a few subgroups each (Gender Shades): every figure is worth seeing
        out.insert(0, out.pop(1))
    return out


@dataclass(frozen=True)
class RankedRow:
    """One algorithm or vendor in the ranking."""

    position: int  # 1-based, in the chosen order over every ranked group
    group: str  # as the study names it (an algorithm code such as "3divi-004", or a vendor)
    company: str  # the developer's name when it differs from the group ("" when unknown or the same)
    vendor_id: str
    profiled: bool  # a vendor FaceLedger profiles (not known only from NIST's tables)
    value: float  # what the ranking compares
    value_text: str
    figures: tuple[StudyFigureBar, ...]  # the figures drawn on this row
    detail: str  # how the value was found, e.g. "FB_FB 0.0107 ÷ MW_MW 0.0010"

    @property
    def label(self) -> str:
        return f"{self.group} · {self.company}" if self.company else self.group


@dataclass(frozen=True)
class RankedStudy:
    """What the study chart draws for one measure, ranking and order."""

    study_id: str
    study_title: str
    metric: str
    unit: str
    rank_by: str
    rank_label: str
    order: str
    value_words: str  # the axis's label: what the number is, in words
    rows: tuple[RankedRow, ...]  # the rows shown (at most the limit)
    ranked: int  # how many groups were ranked
    not_ranked: tuple[str, ...]  # groups that cannot be ranked this way (e.g. a lowest rate of 0)
    profiled: tuple[RankedRow, ...]  # every row of a profiled vendor, wherever it stands
    legend: tuple[tuple[str, str], ...]  # (code, words) of the subgroups drawn
    subgroups: tuple[str, ...]  # the subgroups drawn, in colour order


def ranked_study(
    db: Database,
    choice: StudyChoice,
    metric: str,
    unit: str,
    rank_by: str | None = None,
    order: str = WORST_FIRST,
    limit: int | None = DEFAULT_LIMIT,
) -> RankedStudy:
    """One measure of a study ranked: `rank_by` one of `rank_options` (None: the default),
    `order` WORST_FIRST (largest first) or BEST_FIRST, `limit` rows (None: all)."""
    figures = study_figures(db, choice.study_id, metric, unit)
    options = rank_options(figures)
    if rank_by is None or rank_by not in {o.key for o in options}:
        rank_by = options[0].key if options else RANK_HIGHEST
    rank_label = next((o.label for o in options if o.key == rank_by), rank_by)
    companies = _companies(db, {f.vendor_id for f in figures if f.vendor_id})
    subgroups = _subgroups(figures)
    by_group: dict[str, list[StudyFigureBar]] = {}
    for f in figures:
        by_group.setdefault(f.group, []).append(f)
    scored: list[tuple[float, str, tuple[StudyFigureBar, ...], str]] = []
    not_ranked: list[str] = []
    for group, figs in by_group.items():
        got = _score(rank_by, figs, subgroups)
        if got is None:
            not_ranked.append(group)
        else:
            scored.append((got[0], group, got[1], got[2]))
    sign = -1.0 if order == WORST_FIRST else 1.0
    scored.sort(key=lambda s: (sign * s[0], s[1].casefold()))
    rows: list[RankedRow] = []
    for n, (value, group, drawn_figs, detail) in enumerate(scored, 1):
        vid = drawn_figs[0].vendor_id
        name, profiled, named = companies.get(vid, ("", False, False))
        company = name if named and name.casefold() != group.casefold() else ""
        if vid and not named:
            company = "developer not named by NIST"
        text = (
            f"{value:,.1f}×"
            if rank_by == RANK_RATIO
            else number_text(value, drawn_figs[0].value_text if len(drawn_figs) == 1 else "")
        )
        if rank_by == RANK_HIGHEST:
            top = max(drawn_figs, key=lambda f: f.value)
            text = number_text(top.value, top.value_text)
        rows.append(RankedRow(n, group, company, vid, profiled, value, text, drawn_figs, detail))
    drawn = (
        subgroups
        if rank_by == RANK_HIGHEST
        else _ratio_subgroups(subgroups)
        if rank_by == RANK_RATIO
        else [rank_by.removeprefix(RANK_SUBGROUP)]
    )
    legend = tuple((code, words) for code, words in (split_code(s) for s in drawn) if code)
    if rank_by == RANK_RATIO:
        codes = ", ".join(code or words for code, words in (split_code(s) for s in drawn))
        words = f"times: the highest of {codes} divided by the lowest (1× = the same for all)"
    else:
        words = (
            f"{metric}, in {unit_words(metric, unit)}" if unit else f"{metric}: {unit_words(metric, unit)}"
        )
    shown = tuple(rows if limit is None else rows[:limit])
    return RankedStudy(
        choice.study_id,
        choice.title,
        metric,
        unit,
        rank_by,
        rank_label,
        order,
        words,
        shown,
        len(rows),
        tuple(sorted(not_ranked, key=str.casefold)),
        tuple(r for r in rows if r.profiled),
        legend,
        tuple(subgroups if rank_by == RANK_HIGHEST else drawn),
    )


def _subgroups(figures: Sequence[StudyFigureBar]) -> list[str]:
    out: list[str] = []
    for f in figures:
        if f.subgroup not in out:
            out.append(f.subgroup)
    return out


def _ratio_subgroups(subgroups: Sequence[str]) -> list[str]:
    """The subgroups a ratio compares: pairs within one demographic group (FB_FB, MW_MW, …) when
    the labels say which those are (a pair across groups is not a group), else all of them."""
    same = [s for s in subgroups if _SAME_PAIR.match(split_code(s)[0])]
    return same if len(same) > 1 else list(subgroups)


def _score(
    rank_by: str, figs: Sequence[StudyFigureBar], subgroups: Sequence[str]
) -> tuple[float, tuple[StudyFigureBar, ...], str] | None:
    if rank_by == RANK_RATIO:
        used = set(_ratio_subgroups(subgroups))
        part = [f for f in figs if f.subgroup in used]
        if len(part) < 2:
            return None
        hi = max(part, key=lambda f: f.value)
        lo = min(part, key=lambda f: f.value)
        if lo.value <= 0:
            return None
        detail = (
            f"{short_subgroup(hi.subgroup)} {number_text(hi.value, hi.value_text)} ÷ "
            f"{short_subgroup(lo.subgroup)} {number_text(lo.value, lo.value_text)}"
        )
        return hi.value / lo.value, tuple(sorted(part, key=lambda f: subgroups.index(f.subgroup))), detail
    if rank_by == RANK_HIGHEST:
        top = max(figs, key=lambda f: f.value)
        detail = f"highest: {short_subgroup(top.subgroup)}" if len(subgroups) > 1 else ""
        return top.value, tuple(figs), detail
    wanted = rank_by.removeprefix(RANK_SUBGROUP)
    one = [f for f in figs if f.subgroup == wanted]
    if not one:
        return None
    return one[0].value, (one[0],), ""


def _companies(db: Database, vendor_ids: set[str]) -> dict[str, tuple[str, bool, bool]]:
    """vendor id -> (name, profiled, named): profiled when FaceLedger knows the vendor from more
    than NIST's tables; named unless NIST's leaderboard gave no company for the prefix (the record
    then carries the prefix itself as its name)."""
    if not vendor_ids:
        return {}
    ids = sorted(vendor_ids)
    rows = db.query(
        f"SELECT id, name, origin, aliases FROM vendors WHERE id IN ({', '.join('?' for _ in ids)})", ids
    )
    out: dict[str, tuple[str, bool, bool]] = {}
    for vid, name, origin, aliases in rows:
        nist_only = origin == "nist-frvt"
        unnamed = nist_only and not aliases and str(vid) == f"nist-{name}"
        out[str(vid)] = (str(name or ""), not nist_only, not unnamed)
    return out


@dataclass(frozen=True)
class SummaryLine:
    """One figure of a study said in words (a study with single headline figures)."""

    metric: str
    value_text: str  # with thousands separators
    unit: str
    group: str
    subgroup: str
    verification: str


def study_summary(db: Database, study_id: str) -> list[SummaryLine]:
    """Every figure of a study, in words, in the order the study's records give them."""
    rows = db.query(
        "SELECT metric, value, COALESCE(value_text, ''), COALESCE(unit, ''), COALESCE(vendor_label, ''), "
        "COALESCE(subgroup, ''), verification FROM study_figures WHERE study_id = ? ORDER BY rowid",
        (study_id,),
    )
    return [
        SummaryLine(
            str(metric),
            number_text(float(value), str(text)) if value is not None else str(text),
            str(unit),
            str(group),
            str(sub),
            str(ver),
        )
        for metric, value, text, unit, group, sub, ver in rows
    ]


def charted_measures(choice: StudyChoice) -> list[tuple[str, str, int]]:
    """(metric, unit, figures) of the measures worth a chart: two figures or more."""
    return [(m.metric, m.unit, m.figures) for m in choice.measures if m.figures > 1]
