"""Chart queries (Qt-free): each chart's numbers, checked against the raw tables of the real database."""

from __future__ import annotations

import itertools
from collections import defaultdict

import pytest

from faceledger.data import charts, deployment_charts, schema
from faceledger.data.database import Database
from faceledger.data.deployment_charts import DeploymentFilter

VERIFICATION_RANK = {"verified": 0, "partial": 1, "unverified": 2}
KIND_RANK = {"government record": 0, "research": 1, "journalism": 2, "company claim": 3}


def _all_counts(db: Database) -> list[dict[str, object]]:
    cols = [c[1] for c in db.query('PRAGMA table_info("customer_counts")')]
    return [dict(zip(cols, row, strict=True)) for row in db.query("SELECT * FROM customer_counts")]


def _expected_choice(
    rows: list[dict[str, object]], year: int | None, picks: set[str], counted: str = schema.DEFAULT_COUNTED
) -> dict[str, str]:
    """COUNT_CHOICE_RULE written out in Python: vendor id -> the count id the chart must show."""
    by_vendor: dict[str, list[dict[str, object]]] = defaultdict(list)
    for r in rows:
        if not r["vendor_id"]:
            continue
        if (r["counted"], r["product"], r["scope"]) != (counted, "face recognition", "overall"):
            continue
        as_of = str(r["as_of"] or "")
        if year is not None and (not as_of or int(as_of[:4]) > year):
            continue
        by_vendor[str(r["vendor_id"])].append(r)

    def key(r: dict[str, object]) -> tuple[object, ...]:
        as_of = str(r["as_of"] or "")
        # latest first: sort by the negated characters of the date (as written)
        inverted = tuple(-ord(ch) for ch in as_of) + (0,)
        return (
            0 if r["id"] in picks else 1,
            0 if as_of else 1,
            inverted,
            VERIFICATION_RANK[str(r["verification"])],
            KIND_RANK[str(r["kind"])],
            str(r["id"]),
        )

    return {v: str(min(rs, key=key)["id"]) for v, rs in by_vendor.items()}


@pytest.mark.parametrize("counted", charts.CHART_MEASURES)
@pytest.mark.parametrize("year", [None, 2023, 2020, 2019, 2013])
def test_one_count_per_vendor_by_the_documented_rule(db: Database, year: int | None, counted: str) -> None:
    rows = _all_counts(db)
    got = charts.reported_counts(db, year, counted=counted)
    assert len({c.vendor_id for c in got}) == len(got)
    assert {c.vendor_id: c.count_id for c in got} == _expected_choice(rows, year, set(), counted)
    if year is not None:
        assert all(c.as_of and int(c.as_of[:4]) <= year for c in got)


@pytest.mark.parametrize("counted", charts.CHART_MEASURES)
@pytest.mark.parametrize("year", [None, 2023, 2020, 2013])
def test_every_bar_of_a_chart_counts_the_same_thing_of_face_recognition(
    db: Database, year: int | None, counted: str
) -> None:
    raw = {str(r["id"]): r for r in _all_counts(db)}
    chart = charts.count_chart(db, counted, year)
    for c in chart.counts:
        r = raw[c.count_id]
        assert (r["counted"], r["product"], r["scope"]) == (counted, "face recognition", "overall")
        assert (c.counted, c.product) == (counted, "face recognition")
    # no bar of any face-recognition chart comes from another product, whatever the user picks
    others = [i for i, r in raw.items() if r["product"] != "face recognition" and r["vendor_id"]]
    assert others, "the bundled data has counts of other products (Ring, licence-plate recognition)"
    picked = charts.count_chart(db, counted, year, chosen=others)
    assert not {c.count_id for c in picked.counts} & set(others)
    assert {c.count_id for c in picked.counts} == {c.count_id for c in chart.counts}


def test_the_june_2020_picture(db: Database) -> None:
    """As of 2020 the default chart shows what the June 2020 reporting gave, from the database."""
    chart = charts.count_chart(db, as_of_year=2020)
    got = [(c.vendor_name, c.value, c.qualifier, c.value_text, c.verification) for c in chart.counts]
    assert got == [
        ("Clearview AI", 2400, "exact", "2,400", "unverified"),
        ("NEC", 20, "exact", "20", "unverified"),
        ("Microsoft", 0, "exact", "0", "verified"),
        ("Ayonix", None, "a handful", "a handful", "partial"),
        ("Herta Security", None, "a handful", "a handful", "partial"),
        ("iOmniscient", None, "a handful", "a handful", "partial"),
        ("Amazon", None, "not disclosed", "not disclosed", "partial"),
    ]
    by_name = {c.vendor_name: c for c in chart.counts}
    assert "The Batch" in by_name["Clearview AI"].reported_by
    assert by_name["Microsoft"].kind == "company claim"
    # vendors with counts, but none of this kind, are named rather than dropped
    assert chart.no_count == ("Idemia", "Vigilant Solutions")
    assert chart.title == (
        "Law-enforcement agencies using each vendor's face recognition: as reported in or before 2020"
    )


def test_the_default_chart_is_law_enforcement_agencies_of_face_recognition(db: Database) -> None:
    chart = charts.count_chart(db)
    assert chart.counted == "law-enforcement agencies" and chart.as_of_year is None
    assert chart.title.startswith("Law-enforcement agencies using each vendor's face recognition")
    names = {c.vendor_name for c in chart.counts}
    assert "Vigilant Solutions" not in names  # its 2,500 agencies use licence-plate recognition
    assert all(c.subject.find("Ring") < 0 for c in chart.counts)
    assert {c.vendor_id: c.count_id for c in chart.counts}["clearview-ai"] == "clearview-ai-2023-03-us"


def test_counts_keep_the_database_values_and_qualifiers(db: Database) -> None:
    raw = {str(r["id"]): r for r in _all_counts(db)}
    for c in charts.reported_counts(db):
        r = raw[c.count_id]
        assert (c.value, c.qualifier, c.value_text, c.subject) == (
            r["value"],
            r["qualifier"],
            r["value_text"],
            r["subject"],
        )
        assert (c.region, c.as_of, c.reported_by, c.kind, c.verification) == (
            r["region"] or "",
            r["as_of"] or "",
            r["reported_by"],
            r["kind"],
            r["verification"],
        )
        assert c.has_number == (c.qualifier in charts.NUMERIC_QUALIFIERS)
        if not c.has_number:
            assert c.value is None  # never a made-up number for "a handful"


def test_counts_carry_their_sources(db: Database) -> None:
    for c in charts.reported_counts(db):
        expected = {
            (str(i), str(p), str(u))
            for i, p, u in db.query(
                "SELECT s.id, s.publisher, s.url FROM citations ci JOIN sources s ON s.id = ci.source_id "
                "WHERE ci.entity = 'customer_counts' AND ci.record_id = ?",
                (c.count_id,),
            )
        }
        assert expected, f"{c.count_id} has no source"
        assert {(s.source_id, s.publisher, s.url) for s in c.sources} == expected


def test_sector_wide_counts_are_not_a_vendor(db: Database) -> None:
    sector = db.query("SELECT id FROM customer_counts WHERE COALESCE(vendor_id, '') = ''")
    assert sector, "the bundled data has a sector-wide count (Perpetual Line-Up)"
    ids = {c.count_id for c in charts.reported_counts(db)}
    assert not ids & {str(r[0]) for r in sector}


def test_the_user_picks_another_count_for_a_vendor(db: Database) -> None:
    default = {c.vendor_id: c for c in charts.reported_counts(db)}
    options = charts.vendor_count_options(db, "clearview-ai")
    assert options[0].count_id == default["clearview-ai"].count_id  # the default comes first
    assert len(options) == default["clearview-ai"].counts_for_vendor == 3
    got = {c.vendor_id: c for c in charts.reported_counts(db, chosen=["clearview-ai-2020-06-wsj"])}
    assert got["clearview-ai"].count_id == "clearview-ai-2020-06-wsj" and got["clearview-ai"].chosen
    assert got["clearview-ai"].value == 2400 and got["clearview-ai"].verification == "unverified"
    assert {v: c.count_id for v, c in got.items() if v != "clearview-ai"} == {
        v: c.count_id for v, c in default.items() if v != "clearview-ai"
    }
    # a pick dated after the chosen year does not apply
    in_2019 = {c.vendor_id: c for c in charts.reported_counts(db, 2019, chosen=["clearview-ai-2020-06-wsj"])}
    assert "clearview-ai" not in in_2019 or in_2019["clearview-ai"].count_id != "clearview-ai-2020-06-wsj"


@pytest.mark.parametrize("counted", charts.CHART_MEASURES)
def test_count_years_are_the_dated_years_of_the_measure(db: Database, counted: str) -> None:
    years = charts.count_years(db, counted)
    assert years == sorted(years, reverse=True)
    raw = {
        int(str(a)[:4])
        for (a,) in db.query(
            "SELECT as_of FROM customer_counts WHERE vendor_id IS NOT NULL AND counted = ? "
            "AND product = 'face recognition' AND scope = 'overall'",
            (counted,),
        )
        if a
    }
    assert set(years) == raw


def test_measures_offered_are_those_with_counts(db: Database) -> None:
    measures = dict(charts.count_measures(db))
    assert list(measures)[0] == "law-enforcement agencies" and measures["law-enforcement agencies"] == 7
    assert "unclear" not in measures and set(measures) <= set(charts.CHART_MEASURES)


def _raw_deployments(db: Database, flt: DeploymentFilter) -> dict[tuple[str, str], tuple[int, int]]:
    """Distinct customers per vendor and status, straight from deployments JOIN customers."""
    where, params = [], []
    for col, value in (
        ("c.country", flt.customer_country),
        ("c.type", flt.customer_type),
        ("d.status", flt.status),
    ):
        if value is not None:
            where.append(f"COALESCE({col}, '') = ?")
            params.append(value)
    rows = db.query(
        "SELECT d.vendor_id, d.status, COUNT(DISTINCT d.customer_id), COUNT(*) FROM deployments d "
        f"JOIN customers c ON c.id = d.customer_id WHERE {' AND '.join(where) or '1'} "
        "GROUP BY d.vendor_id, d.status",
        params,
    )
    return {(str(v), str(s)): (int(n), int(d)) for v, s, n, d in rows}


def test_documented_deployments_equal_the_raw_tables_under_every_filter(db: Database) -> None:
    values = deployment_charts.deployment_filter_values(db)
    countries = [None, *[v for v, _ in values.customer_country[:4]], ""]
    types = [None, *[v for v, _ in values.customer_type[:4]]]
    statuses = [None, "active", "ended"]
    checked = undisclosed = 0
    for country, ctype, status in itertools.product(countries, types, statuses):
        flt = DeploymentFilter(country, ctype, status)
        chart = deployment_charts.documented_deployments(db, flt, limit=10_000)
        got = {(s.vendor_id, s.status): (s.customers, s.deployments) for s in chart.segments}
        raw = _raw_deployments(db, flt)
        placeholder = {k: raw.pop(k) for k in list(raw) if k[0] == schema.UNDISCLOSED_VENDOR}
        assert got == raw, flt
        assert chart.undisclosed_deployments == sum(d for _n, d in placeholder.values()), flt
        assert chart.vendors_total == len({v for v, _s in raw}), flt
        checked += bool(got)
        undisclosed += bool(placeholder)
    assert checked > 10 and undisclosed > 3


def test_the_placeholder_for_an_undisclosed_vendor_is_no_bar_but_a_note(db: Database) -> None:
    raw = db.query(
        "SELECT COUNT(*) FROM deployments WHERE vendor_id = ?", (schema.UNDISCLOSED_VENDOR,)
    )[0][0]
    assert raw > 1  # the bundled data has deployments whose vendor was not disclosed
    chart = deployment_charts.documented_deployments(db)
    assert schema.UNDISCLOSED_VENDOR not in {s.vendor_id for s in chart.segments}
    assert chart.undisclosed_deployments == raw
    assert chart.undisclosed_note() == f"Not shown: {raw:,} deployments whose vendor was not disclosed."
    assert deployment_charts.undisclosed_note(1) == "Not shown: 1 deployment whose vendor was not disclosed."
    assert deployment_charts.undisclosed_note(0) == ""
    # still counted when no vendor is left to draw
    only = db.query(
        "SELECT d.status FROM deployments d WHERE d.vendor_id = ? GROUP BY d.status "
        "HAVING d.status NOT IN (SELECT status FROM deployments WHERE vendor_id != ?)",
        (schema.UNDISCLOSED_VENDOR, schema.UNDISCLOSED_VENDOR),
    )
    if only:
        alone = deployment_charts.documented_deployments(db, DeploymentFilter(status=str(only[0][0])))
        assert alone.segments == () and alone.undisclosed_deployments > 0


def test_deployments_are_ordered_and_limited(db: Database) -> None:
    full = deployment_charts.documented_deployments(db, limit=10_000)
    totals = [s.vendor_total for s in full.segments]
    assert totals == sorted(totals, reverse=True)
    for s in full.segments:
        assert s.vendor_total == sum(x.customers for x in full.segments if x.vendor_id == s.vendor_id)
    top = deployment_charts.documented_deployments(db, limit=3)
    assert top.vendors_shown == 3 and top.vendors_total == full.vendors_total > 3
    first_three = list(dict.fromkeys(s.vendor_id for s in full.segments))[:3]
    assert list(dict.fromkeys(s.vendor_id for s in top.segments)) == first_three
    assert (
        deployment_charts.documented_deployments(db, DeploymentFilter(customer_country="no such country")).segments == ()
    )


def test_filter_values_count_every_deployment(db: Database) -> None:
    values = deployment_charts.deployment_filter_values(db)
    total = int(db.query("SELECT COUNT(*) FROM deployments")[0][0])
    for options in (values.customer_country, values.customer_type, values.status):
        assert sum(n for _, n in options) == total


def test_studies_offer_their_numeric_measures(db: Database) -> None:
    studies = {s.study_id: s for s in charts.studies_with_figures(db)}
    raw = {str(r[0]) for r in db.query("SELECT DISTINCT study_id FROM study_figures WHERE value IS NOT NULL")}
    assert set(studies) == raw
    gs = studies["gender-shades-2018"]
    best = gs.measures[0]
    assert (best.metric, best.unit, best.figures, best.groups) == (
        "gender classification error rate",
        "%",
        12,
        3,
    )
    for s in studies.values():
        for m in s.measures:
            n = db.query(
                "SELECT COUNT(*) FROM study_figures WHERE study_id = ? AND metric = ? AND COALESCE(unit, '') = ? "
                "AND value IS NOT NULL",
                (s.study_id, m.metric, m.unit),
            )[0][0]
            assert m.figures == n


def test_study_figures_are_the_database_values_with_place_and_source(db: Database) -> None:
    bars = charts.study_figures(db, "gender-shades-2018", "gender classification error rate", "%")
    assert len(bars) == 12
    assert {b.group for b in bars} == {"IBM", "Megvii", "Microsoft"}
    assert {b.subgroup.rsplit("(", 1)[-1].rstrip(")") for b in bars} == {"DF", "DM", "LF", "LM"}
    for b in bars:
        value, unit, location = db.query(
            "SELECT value, unit, location FROM study_figures WHERE id = ?", (b.figure_id,)
        )[0]
        assert (b.value, b.unit, b.location) == (value, unit, location)
        assert b.location and b.sources
    ibm_df = next(b for b in bars if b.group == "IBM" and b.subgroup == "darker-skinned females (DF)")
    assert ibm_df.value == 34.7


def test_events_per_year_by_kind(db: Database) -> None:
    rows = charts.events_per_year(db)
    raw = {
        (int(y), str(k)): int(n)
        for y, k, n in db.query("SELECT year, kind, COUNT(*) FROM events WHERE year > 0 GROUP BY 1, 2")
    }
    assert {(r.year, r.kind): r.events for r in rows} == raw
    assert sum(r.events for r in rows) == db.query("SELECT COUNT(*) FROM events WHERE year > 0")[0][0]
    assert [(r.year, r.kind) for r in rows] == sorted((r.year, r.kind) for r in rows)


def test_build_writes_the_chart_tables(db: Database) -> None:
    for table in ("vendor_customer_stats", "vendor_customer_facets", "vendor_customer_by_filter"):
        assert db.query("SELECT COUNT(*) FROM sqlite_master WHERE name = ?", (table,))[0][0] == 1
    plan = " ".join(
        str(r[-1])
        for r in db.query(
            "EXPLAIN QUERY PLAN SELECT SUM(customers) FROM vendor_customer_facets WHERE customer_country = ?",
            ("US",),
        )
    )
    assert "USING COVERING INDEX" in plan
    plan = " ".join(
        str(r[-1])
        for r in db.query(
            "EXPLAIN QUERY PLAN SELECT SUM(customers) FROM vendor_customer_by_filter "
            "WHERE filter = ? AND value = ? GROUP BY vendor_id",
            ("customer_type", "local police"),
        )
    )
    assert "USING COVERING INDEX" in plan and "TEMP B-TREE" not in plan
