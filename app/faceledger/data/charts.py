"""The numbers behind the charts: each chart's data comes from one query here (Qt-free).

Reported counts keep their qualifier: a count given as words ("a handful") has no value and is
never turned into a number; "at least N" and "more than N" are lower bounds. The documented
deployments chart's numbers are in `deployment_charts.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from faceledger.data import schema
from faceledger.data.database import Database

# The note every chart carries (on screen and in its exports).
# What a count chart shows, true on screen, in an exported image and on the command line.
CHART_NOTE = "Counts as reported; a count given in words is shown in words."

# The vocabularies (qualifiers, what was counted, products, statuses) are declared once, in
# faceledger.data.schema; the names below are the ones this module and the charts use.
NUMERIC_QUALIFIERS = schema.NUMERIC_QUALIFIERS
LOWER_BOUND_QUALIFIERS = schema.LOWER_BOUND_QUALIFIERS
UPPER_BOUND_QUALIFIERS = schema.UPPER_BOUND_QUALIFIERS
SIZE_WORDS = schema.SIZE_WORDS
UNDISCLOSED = schema.UNDISCLOSED

# How "the" count of a vendor is chosen when it has several (see `reported_counts`).
COUNT_CHOICE_RULE = (
    "A chart compares one measure: counts of one kind of thing (by default law-enforcement "
    "agencies) using the vendor's face recognition, each covering the vendor's customers overall "
    "(counts of one region or group only, and counts of other products, stay on the Counts page). "
    "Within the measure, each vendor's count is the one you picked for it, else its most recent "
    "dated count (as-of dates compared as written, so 2020-06 comes after 2020); on the same date "
    "a better verified count wins (verified, partly verified, unverified), then an independent "
    "record (government record, research, journalism, company claim), then the record id. Counts "
    "with no as-of date are used only when a vendor has no dated count, and never for a chosen year."
)

# The chart's title, in words, per measure (what was counted; always the vendors' face recognition).
MEASURE_TITLES = {
    "law-enforcement agencies": "Law-enforcement agencies using each vendor's face recognition",
    "other government agencies": "Other government agencies using each vendor's face recognition",
    "organisations of several kinds": (
        "Agencies and organisations of several kinds together using each vendor's face recognition"
    ),
    "countries": "Countries where each vendor's face recognition is used",
    "users or accounts": "Individual users, accounts or officials of each vendor's face recognition",
    "installations or contracts": "Installations, systems or contracts of each vendor's face recognition",
    "searches or cases": "Searches or cases run with each vendor's face recognition",
}
# Measures a chart may show: "unclear" counts are not compared with anything.
CHART_MEASURES = tuple(m for m in schema.COUNTED if m in MEASURE_TITLES)

_VERIFICATION_RANK = schema.VERIFICATION.sql_rank("c.verification")
_KIND_RANK = (
    "CASE c.kind WHEN 'government record' THEN 0 WHEN 'research' THEN 1 WHEN 'journalism' THEN 2 ELSE 3 END"
)
_UNDATED = "(COALESCE(c.as_of, '') = '')"
# Counts a chart may show: the vendor's face recognition, its customers overall, one vendor each.
_CHARTABLE = (
    f"COALESCE(c.vendor_id, '') != '' AND c.product = '{schema.FACE_RECOGNITION}' AND c.scope = 'overall'"
)


@dataclass(frozen=True)
class SourceRef:
    """A source as a chart tooltip cites it."""

    source_id: str
    publisher: str
    title: str
    date: str
    url: str

    def line(self) -> str:
        parts = [self.publisher, self.date, self.title]
        head = ", ".join(p for p in parts if p)
        return f"{head} — {self.url}" if self.url else head


# -- reported customer counts -------------------------------------------------------------------
@dataclass(frozen=True)
class ReportedCount:
    """The count a vendor's bar shows, exactly as reported."""

    count_id: str
    vendor_id: str
    vendor_name: str
    value: int | None
    qualifier: str
    value_text: str
    subject: str
    region: str
    as_of: str
    reported_by: str
    kind: str
    verification: str
    verification_note: str
    sources: tuple[SourceRef, ...]
    counts_for_vendor: int  # how many counts the vendor has in the measure (within the chosen year)
    chosen: bool  # picked by the user rather than by COUNT_CHOICE_RULE
    counted: str = schema.DEFAULT_COUNTED
    product: str = schema.FACE_RECOGNITION

    @property
    def has_number(self) -> bool:
        """True when the count carries a number a bar may be drawn to."""
        return self.qualifier in NUMERIC_QUALIFIERS and self.value is not None

    @property
    def in_words(self) -> bool:
        """A size given only in words ("a handful", "dozens"): drawn as words, never as a height."""
        return self.qualifier in SIZE_WORDS

    @property
    def undisclosed(self) -> bool:
        return self.qualifier == UNDISCLOSED

    @property
    def lower_bound(self) -> bool:
        return self.qualifier in LOWER_BOUND_QUALIFIERS

    @property
    def upper_bound(self) -> bool:
        return self.qualifier in UPPER_BOUND_QUALIFIERS

    @property
    def verified(self) -> bool:
        return self.verification == "verified"

    def reported_text(self) -> str:
        """The count as the Vendors table words it: value, year, and how well it is verified."""
        return reported_text(self.value_text, self.as_of, self.verification)


def reported_text(value_text: str, as_of: str | None, verification: str) -> str:
    """ "2,400 (2020) · unverified", "a handful (2020)": a count with its year and its status."""
    year = f" ({as_of[:4]})" if as_of else ""
    mark = "" if verification == "verified" else f" · {schema.VERIFICATION.label(verification)}"
    return f"{value_text}{year}{mark}"


def reported_sort_key(qualifier: str, value: int | None) -> int:
    """Sorts counts by their number, sizes in words after every number (largest first, "not
    disclosed" last) when sorted from the largest: numbers are themselves, words below zero."""
    if qualifier in NUMERIC_QUALIFIERS and value is not None:
        return int(value)
    if qualifier in SIZE_WORDS:
        return SIZE_WORDS.index(qualifier) - len(SIZE_WORDS)  # "hundreds" -1 ... "a handful" -4
    return -len(SIZE_WORDS) - 1


def chosen_counts_sql(
    counted: str = schema.DEFAULT_COUNTED, as_of_year: int | None = None, picks: Sequence[str] = ()
) -> tuple[str, list[Any]]:
    """The SQL choosing each vendor's count in a measure (COUNT_CHOICE_RULE): one row per vendor
    with the count's columns, `is_pick` and `n` (the vendor's counts in the measure). The one
    choice that the chart, the command line and the build (the Vendors table) all use."""
    picks = sorted(set(picks))
    pick_sql = f"CASE WHEN c.id IN ({', '.join('?' for _ in picks)}) THEN 0 ELSE 1 END" if picks else "1"
    where = [_CHARTABLE, "c.counted = ?"]
    params: list[Any] = [*picks, *picks, counted]  # the pick test appears twice: flag and order
    if as_of_year is not None:
        where.append(f"NOT {_UNDATED} AND CAST(substr(c.as_of, 1, 4) AS INTEGER) <= ?")
        params.append(int(as_of_year))
    # The ranking reads only the ids and sort keys (SQLite's window sort carries every column it
    # is given); the chosen counts' columns are read afterwards by id.
    sql = f"""
        SELECT c.*, r.is_pick, r.n
        FROM (
            SELECT c.id, {pick_sql} = 0 AS is_pick,
                   ROW_NUMBER() OVER (
                       PARTITION BY c.vendor_id
                       ORDER BY {pick_sql}, {_UNDATED}, c.as_of DESC, {_VERIFICATION_RANK},
                                {_KIND_RANK}, c.id
                   ) AS pos,
                   COUNT(*) OVER (PARTITION BY c.vendor_id) AS n
            FROM customer_counts c
            WHERE {" AND ".join(where)}
        ) r
        JOIN customer_counts c ON c.id = r.id
        WHERE r.pos = 1
    """
    return sql, params


def reported_counts(
    db: Database,
    as_of_year: int | None = None,
    chosen: Iterable[str] = (),
    counted: str = schema.DEFAULT_COUNTED,
) -> list[ReportedCount]:
    """One count per vendor in the measure `counted` (see COUNT_CHOICE_RULE), with its sources,
    in one query.

    `as_of_year` keeps only counts dated in or before that year; `chosen` are count ids the user
    picked (at most one per vendor matters; a pick outside the year or the measure is ignored).
    Counts that belong to no vendor (sector-wide figures), of another product than face
    recognition, or of one region or group only are left out. Order: counts with a number
    (largest first), then sizes in words (largest words first), then not disclosed."""
    chosen_sql, params = chosen_counts_sql(counted, as_of_year, list(chosen))
    words_rank = " ".join(f"WHEN '{q}' THEN {i}" for i, q in enumerate(reversed(SIZE_WORDS)))
    sql = f"""
        WITH chosen AS ({chosen_sql})
        SELECT r.id, r.vendor_id, COALESCE(v.name, r.vendor_name), r.value, r.qualifier,
               r.value_text, r.subject, r.region, r.as_of, r.reported_by, r.kind,
               r.verification, r.verification_note, r.n, r.is_pick, r.counted, r.product,
               s.id, s.publisher, s.title, s.date, s.url
        FROM chosen r
        LEFT JOIN vendors v ON v.id = r.vendor_id
        LEFT JOIN citations ci ON ci.entity = 'customer_counts' AND ci.record_id = r.id
        LEFT JOIN sources s ON s.id = ci.source_id
        ORDER BY CASE WHEN r.qualifier = '{UNDISCLOSED}' THEN 2
                      WHEN r.value IS NULL THEN 1 ELSE 0 END,
                 r.value DESC,
                 CASE r.qualifier {words_rank} ELSE 9 END,
                 COALESCE(v.name, r.vendor_name) COLLATE NOCASE, r.id,
                 s.date, s.publisher, s.id
    """
    rows = db.query(sql, params)
    out: list[ReportedCount] = []
    current: list[Any] | None = None
    sources: list[SourceRef] = []

    def flush() -> None:
        if current is not None:
            out.append(_count_from(current, tuple(sources)))

    for row in rows:
        if current is None or row[0] != current[0]:
            flush()
            current = list(row[:17])
            sources = []
        if row[17] is not None:
            sources.append(SourceRef(*(_text(x) for x in row[17:22])))
    flush()
    return out


def _count_from(row: Sequence[Any], sources: tuple[SourceRef, ...]) -> ReportedCount:
    (cid, vid, vname, value, qualifier, value_text, subject, region, as_of, reported_by, kind) = row[:11]
    verification, note, n, is_pick, counted, product = row[11:17]
    return ReportedCount(
        count_id=str(cid),
        vendor_id=str(vid),
        vendor_name=_text(vname),
        value=None if value is None else int(value),
        qualifier=_text(qualifier),
        value_text=_text(value_text),
        subject=_text(subject),
        region=_text(region),
        as_of=_text(as_of),
        reported_by=_text(reported_by),
        kind=_text(kind),
        verification=_text(verification),
        verification_note=_text(note),
        sources=sources,
        counts_for_vendor=int(n),
        chosen=bool(is_pick),
        counted=_text(counted),
        product=_text(product),
    )


@dataclass(frozen=True)
class CountChart:
    """Everything the count chart shows for one measure and year: its title, its bars (one per
    vendor) and the vendors that have counts, but none of this kind."""

    counted: str
    as_of_year: int | None
    title: str
    counts: tuple[ReportedCount, ...]
    no_count: tuple[str, ...]  # names of vendors with counts, none in this measure (and year)
    vendors_without_counts: int  # vendors with no reported count at all


def count_chart_title(counted: str, as_of_year: int | None = None) -> str:
    head = MEASURE_TITLES.get(counted, f"Counts of {schema.COUNTED.label(counted)}")
    when = f"as reported in or before {as_of_year}" if as_of_year else "the latest count reported"
    return f"{head}: {when}"


def count_chart(
    db: Database,
    counted: str = schema.DEFAULT_COUNTED,
    as_of_year: int | None = None,
    chosen: Iterable[str] = (),
) -> CountChart:
    """The count chart of one measure: what the Charts page draws and `faceledger chart counts`
    writes."""
    counts = reported_counts(db, as_of_year, chosen, counted)
    shown = {c.vendor_id for c in counts}
    rows = db.query(
        "SELECT v.id, v.name, EXISTS (SELECT 1 FROM customer_counts c WHERE c.vendor_id = v.id) "
        "FROM vendors v ORDER BY v.name COLLATE NOCASE, v.id"
    )
    no_count = tuple(_text(name) for vid, name, has in rows if has and vid not in shown)
    without = sum(1 for _vid, _name, has in rows if not has)
    return CountChart(
        counted, as_of_year, count_chart_title(counted, as_of_year), tuple(counts), no_count, without
    )


def count_measures(db: Database) -> list[tuple[str, int]]:
    """The measures a count chart can show (in the vocabulary's order), each with how many
    vendors have a count in it; measures with none are left out."""
    rows = db.query(
        f"SELECT c.counted, COUNT(DISTINCT c.vendor_id) FROM customer_counts c WHERE {_CHARTABLE} "
        "GROUP BY c.counted"
    )
    found = {str(k): int(n) for k, n in rows}
    return [(m, found[m]) for m in CHART_MEASURES if found.get(m)]


@dataclass(frozen=True)
class CountOption:
    """One of a vendor's counts, offered when the user picks which count a bar shows."""

    count_id: str
    value_text: str
    subject: str
    as_of: str
    region: str
    verification: str

    def label(self) -> str:
        when = self.as_of or "no date"
        return f"{self.value_text} {self.subject} ({self.region or 'region not stated'}, {when})"


def vendor_count_options(
    db: Database, vendor_id: str, as_of_year: int | None = None, counted: str = schema.DEFAULT_COUNTED
) -> list[CountOption]:
    """A vendor's counts in the measure within the year limit, in COUNT_CHOICE_RULE order (the
    default first)."""
    where = f"{_CHARTABLE} AND c.counted = ? AND c.vendor_id = ?"
    params: list[Any] = [counted, vendor_id]
    if as_of_year is not None:
        where += f" AND NOT {_UNDATED} AND CAST(substr(c.as_of, 1, 4) AS INTEGER) <= ?"
        params.append(int(as_of_year))
    rows = db.query(
        "SELECT c.id, c.value_text, c.subject, c.as_of, c.region, c.verification "
        f"FROM customer_counts c WHERE {where} "
        f"ORDER BY {_UNDATED}, c.as_of DESC, {_VERIFICATION_RANK}, {_KIND_RANK}, c.id",
        params,
    )
    return [CountOption(*(_text(x) for x in row)) for row in rows]


def count_years(db: Database, counted: str = schema.DEFAULT_COUNTED) -> list[int]:
    """The years in which counts of the measure are dated, newest first (the as-of year picker)."""
    rows = db.query(
        "SELECT DISTINCT CAST(substr(c.as_of, 1, 4) AS INTEGER) AS y FROM customer_counts c "
        f"WHERE COALESCE(c.as_of, '') != '' AND {_CHARTABLE} AND c.counted = ? ORDER BY y DESC",
        (counted,),
    )
    return [int(y) for (y,) in rows if y]


# -- study figures ------------------------------------------------------------------------------
DEFAULT_STUDY = "gender-shades-2018"  # the study the Charts page and `faceledger chart studies` open on


@dataclass(frozen=True)
class StudyMeasure:
    """One measure of a study (metric and unit) with numeric figures to chart."""

    metric: str
    unit: str
    figures: int
    groups: int

    def label(self) -> str:
        unit = f" ({self.unit})" if self.unit else ""
        return f"{self.metric}{unit} — {self.figures} figure{'s' if self.figures != 1 else ''}"


@dataclass(frozen=True)
class StudyChoice:
    study_id: str
    title: str
    year: int | None
    measures: tuple[StudyMeasure, ...]  # most figures first


def studies_with_figures(db: Database) -> list[StudyChoice]:
    """Studies that have numeric figures, newest first, each with its measures, in one query."""
    rows = db.query(
        "SELECT s.id, s.title, s.year, f.metric, COALESCE(f.unit, ''), COUNT(*), "
        "COUNT(DISTINCT COALESCE(f.vendor_label, f.vendor_id, '')) "
        "FROM studies s JOIN study_figures f ON f.study_id = s.id "
        "WHERE f.value IS NOT NULL "
        "GROUP BY s.id, f.metric, COALESCE(f.unit, '') "
        "ORDER BY s.date DESC, s.id, COUNT(*) DESC, f.metric, 5"
    )
    out: list[StudyChoice] = []
    for sid, title, year, metric, unit, n, groups in rows:
        measure = StudyMeasure(_text(metric), _text(unit), int(n), int(groups))
        if out and out[-1].study_id == sid:
            last = out[-1]
            out[-1] = StudyChoice(last.study_id, last.title, last.year, (*last.measures, measure))
        else:
            out.append(StudyChoice(str(sid), _text(title), None if year is None else int(year), (measure,)))
    return out


@dataclass(frozen=True)
class StudyFigureBar:
    """One figure of a study: a bar in the group of its vendor (or algorithm), coloured by subgroup."""

    figure_id: str
    group: str  # the vendor or algorithm as the study names it
    vendor_id: str
    subgroup: str
    value: float
    value_text: str
    unit: str
    location: str  # where in the study the figure is
    verification: str
    verification_note: str
    sources: tuple[SourceRef, ...]


def study_figures(db: Database, study_id: str, metric: str, unit: str) -> list[StudyFigureBar]:
    """The numeric figures of one measure of a study with their sources, in one query; grouped by
    vendor label (as the study names it), then subgroup."""
    rows = db.query(
        "SELECT f.id, COALESCE(NULLIF(f.vendor_label, ''), v.name, ''), COALESCE(f.vendor_id, ''), "
        "COALESCE(f.subgroup, ''), f.value, f.value_text, COALESCE(f.unit, ''), "
        "COALESCE(f.location, ''), f.verification, f.verification_note, "
        "s.id, s.publisher, s.title, s.date, s.url "
        "FROM study_figures f LEFT JOIN vendors v ON v.id = f.vendor_id "
        "LEFT JOIN citations ci ON ci.entity = 'study_figures' AND ci.record_id = f.id "
        "LEFT JOIN sources s ON s.id = ci.source_id "
        "WHERE f.study_id = ? AND f.metric = ? AND COALESCE(f.unit, '') = ? AND f.value IS NOT NULL "
        "ORDER BY 2 COLLATE NOCASE, 4 COLLATE NOCASE, f.id, s.date, s.publisher, s.id",
        (study_id, metric, unit),
    )
    out: list[StudyFigureBar] = []
    for row in rows:
        src = SourceRef(*(_text(x) for x in row[10:15])) if row[10] is not None else None
        if out and out[-1].figure_id == row[0]:
            if src is not None:
                out[-1] = replace(out[-1], sources=(*out[-1].sources, src))
            continue
        out.append(
            StudyFigureBar(
                str(row[0]),
                _text(row[1]),
                _text(row[2]),
                _text(row[3]),
                float(row[4]),
                _text(row[5]),
                _text(row[6]),
                _text(row[7]),
                _text(row[8]),
                _text(row[9]),
                (src,) if src is not None else (),
            )
        )
    return out


# -- events over time ---------------------------------------------------------------------------
@dataclass(frozen=True)
class YearKindCount:
    year: int
    kind: str
    events: int


def events_per_year(db: Database) -> list[YearKindCount]:
    """Events per year and kind (dated events only), in one query."""
    rows = db.query(
        "SELECT year, kind, COUNT(*) FROM events WHERE year IS NOT NULL AND year > 0 "
        "GROUP BY year, kind ORDER BY year, kind"
    )
    return [YearKindCount(int(y), _text(k), int(n)) for y, k, n in rows]


def _text(value: object) -> str:
    return "" if value is None else str(value)
