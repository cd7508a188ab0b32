"""What the About the data page says, from the Qt-free data layer (`faceledger.data.about`) and the
build's `data_date`: checked against the database's own rows, not against copies of the numbers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from db import build

from faceledger.data.about import (
    CONTRIBUTED_TABLES,
    FACT_DATES,
    about_data,
    newest_fact,
)
from faceledger.data.database import Database
from faceledger.data.dates import readable_date
from faceledger.data.entities import ALL_SPECS

# The build's record kinds ("rows_detail" of the datasets table) and their tables.
KIND_TABLES = {
    "vendor": "vendors",
    "customer": "customers",
    "deployment": "deployments",
    "count": "customer_counts",
    "study": "studies",
    "figure": "study_figures",
    "event": "events",
    "source": "sources",
}


def _one(db: Database, sql: str) -> str:
    row = db.query_one(sql)
    return str(row[0]) if row and row[0] is not None else ""


def test_build_records_the_newest_source_or_dataset_snapshot_as_the_data_date(db: Database) -> None:
    newest = max(
        _one(db, "SELECT MAX(date) FROM sources WHERE date != ''"),
        _one(db, "SELECT MAX(retrieved) FROM datasets"),
    )
    assert db.meta()["data_date"] == newest
    assert about_data(db).data_date == newest


@pytest.mark.parametrize("later", ["2031-07-04", "2031-07"])
def test_data_date_follows_the_sources_not_the_clock(tmp_path: Path, later: str) -> None:
    src = tmp_path / "src"
    src.mkdir()
    text = (
        f'[[source]]\nid = "s1"\nurl = "https://example.org/a"\npublisher = "Example"\nkind = "press"\n'
        f'date = "{later}"\n'
        '[[source]]\nid = "s2"\nurl = "https://example.org/b"\npublisher = "Example"\nkind = "press"\n'
        'date = "2019-01-02"\n'
    )
    (src / "facts.toml").write_text(text, encoding="utf-8")
    dates = []
    for name in ("a.db", "b.db"):
        build.build(tmp_path / name, src_dir=src, importers=[])
        with sqlite3.connect(tmp_path / name) as conn:
            dates.append(conn.execute("SELECT value FROM meta WHERE key = 'data_date'").fetchone()[0])
    assert dates == [later, later]
    assert (tmp_path / "a.db").read_bytes() == (tmp_path / "b.db").read_bytes()


def test_newest_fact_is_the_latest_dated_fact_of_any_kind(db: Database) -> None:
    fact = newest_fact(db)
    assert fact is not None
    for table, column in FACT_DATES:
        assert _one(db, f'SELECT MAX("{column}") FROM "{table}"') <= fact.date
    column = dict(FACT_DATES)[fact.entity]
    assert _one(db, f'SELECT "{column}" FROM "{fact.entity}" WHERE id = \'{fact.record_id}\'') == fact.date
    # named as the detail pane names the record (a deployment: its vendor at its customer)
    if fact.entity == "deployments":
        vendor, customer = db.query(
            "SELECT vendor_name, customer_name FROM deployments WHERE id = ?", (fact.record_id,)
        )[0]
        assert fact.label == f"{vendor} at {customer}"


def test_rows_per_origin_add_up_and_match_what_each_import_reported(db: Database) -> None:
    data = about_data(db)
    own, *datasets = data.contributions
    assert own.dataset_id == "" and own.short_name == "FaceLedger research"
    for table in CONTRIBUTED_TABLES:
        title = ALL_SPECS[table].title
        total = int(_one(db, f'SELECT COUNT(*) FROM "{table}"'))
        assert sum(dict(c.rows).get(title, 0) for c in data.contributions) == total, table
        assert dict(own.rows).get(title, 0) == int(
            _one(db, f'SELECT COUNT(*) FROM "{table}" WHERE dataset_id IS NULL')
        )
    rows = db.query("SELECT id, name, licence, attribution, rows_detail, rows_imported FROM datasets")
    assert sorted(c.dataset_id for c in datasets) == sorted(str(r[0]) for r in rows)
    by_id = {c.dataset_id: c for c in datasets}
    for dataset_id, name, licence, attribution, detail, imported in rows:
        c = by_id[dataset_id]
        assert (c.name, c.licence, c.attribution) == (name, licence, attribution)
        assert c.licence and c.attribution
        # The importer's own count of what it added, per record kind, written by the build.
        reported = {}
        for part in str(detail).split("; "):
            kind, n = part.split(": ")
            reported[ALL_SPECS[KIND_TABLES[kind]].title] = int(n)
        assert dict(c.rows) == reported
        assert c.total == imported


def test_verification_statuses_are_counted_over_every_fact_record(db: Database) -> None:
    data = about_data(db)
    assert [v.value for v in data.verification] == ["verified", "partial", "unverified"]
    assert [v.label for v in data.verification] == ["verified", "partly verified", "unverified"]
    tables = [t for t in CONTRIBUTED_TABLES if t != "sources"]
    total = sum(int(_one(db, f'SELECT COUNT(*) FROM "{t}"')) for t in tables)
    assert sum(v.records for v in data.verification) == total
    verified = sum(
        int(_one(db, f"SELECT COUNT(*) FROM \"{t}\" WHERE verification = 'verified'")) for t in tables
    )
    assert data.verification[0].records == verified
    assert "primary source" in data.verification[0].meaning


@pytest.mark.parametrize(
    "value, words",
    [
        ("2025-12-03", "3 December 2025"),
        ("2026-02-13", "13 February 2026"),
        ("2025-04", "April 2025"),
        ("2019", "2019"),
        ("", ""),
        ("about 2018", "about 2018"),
        ("2020-13", "2020-13"),
    ],
)
def test_dates_read_as_people_write_them(value: str, words: str) -> None:
    assert readable_date(value) == words


def test_no_note_to_the_editors_in_the_datasets_text(db: Database) -> None:
    text = " ".join(
        " ".join(str(v or "") for v in row)
        for row in db.query("SELECT name, publisher, licence, attribution, upstream, note FROM datasets")
    )
    for note in ("before release", "TODO", "FIXME", "confirm it"):
        assert note not in text
