"""The AI Incident Database import: police/government face recognition incidents, one event per happening.

The selection is checked against an independent reading of the raw copy; the database against the
review: excluded incidents absent, incidents FaceLedger already records merged into that event as a
source, new events linked to existing organisations, licence and attribution on every record.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from db.importers import aiid  # noqa: E402

RAW = ROOT / "db" / "external" / "aiid-incidents-2025"


@pytest.fixture()
def db(full_rows: sqlite3.Connection) -> sqlite3.Connection:
    return full_rows


def raw_rows() -> dict[int, dict[str, str]]:
    with (RAW / "incidents.csv").open(encoding="utf-8", newline="") as fh:
        rows = {int(r["incident_id"]): r for r in csv.DictReader(fh)}
    assert len(rows) == 913  # PROVENANCE.md
    return rows


def independent_selection() -> list[int]:
    words = re.compile(r"\b(face|faces|facial|FRT)\b", re.IGNORECASE)
    return sorted(n for n, r in raw_rows().items() if words.search(r["title"] + " " + r["description"]))


def events_citing(db: sqlite3.Connection, source: str) -> list[str]:
    rows = db.execute("SELECT record_id FROM citations WHERE entity = 'events' AND source_id = ?", (source,))
    return [r[0] for r in rows]


def test_raw_copy_and_provenance() -> None:
    assert (RAW / "PROVENANCE.md").is_file()
    assert "CC BY-SA 4.0" in (RAW / "PROVENANCE.md").read_text(encoding="utf-8")


def test_selection_and_review_cover_each_incident_once() -> None:
    selected = independent_selection()
    assert [int(r["incident_id"]) for r in aiid.derive_rows(RAW / "incidents.csv")] == selected
    assert set(aiid.REVIEWED) | set(aiid.EXCLUDED) == set(selected)
    assert not set(aiid.REVIEWED) & set(aiid.EXCLUDED)
    assert all(reason.strip() for reason in aiid.EXCLUDED.values())
    # Private users, deepfakes and phone unlocking are not police or government face recognition.
    for n in (26, 391, 619, 480, 630):
        assert n in aiid.EXCLUDED


def test_excluded_incidents_are_nowhere(db: sqlite3.Connection) -> None:
    for n in aiid.EXCLUDED:
        assert db.execute("SELECT 1 FROM sources WHERE id = ?", (aiid.source_id(n),)).fetchone() is None
        assert db.execute("SELECT 1 FROM events WHERE id = ?", (aiid.event_id(n),)).fetchone() is None
        assert (
            db.execute(
                "SELECT COUNT(*) FROM sources WHERE url = ?", (f"https://incidentdatabase.ai/cite/{n}",)
            ).fetchone()[0]
            == 0
        )


def test_each_reviewed_incident_is_one_event_or_a_source_of_one(db: sqlite3.Connection) -> None:
    raw = raw_rows()
    for n, review in aiid.REVIEWED.items():
        src = db.execute("SELECT * FROM sources WHERE id = ?", (aiid.source_id(n),)).fetchone()
        assert src["url"] == f"https://incidentdatabase.ai/cite/{n}"
        assert src["dataset_id"] == aiid.DATASET_ID and src["kind"] == "dataset"
        assert src["date"] == raw[n]["date"]
        cited_by = events_citing(db, aiid.source_id(n))
        assert len(cited_by) == 1, n
        if review.same_as:
            # Merged: the existing record keeps its own id, date and title; no AIID event exists.
            assert db.execute("SELECT 1 FROM events WHERE id = ?", (aiid.event_id(n),)).fetchone() is None
            assert cited_by[0] == review.same_as[0] or review.same_as[0] in {
                r[0]
                for r in db.execute(
                    "SELECT source_id FROM citations WHERE entity = 'events' AND record_id = ?",
                    (cited_by[0],),
                )
            }
        else:
            assert cited_by == [aiid.event_id(n)]
            event = db.execute("SELECT * FROM events WHERE id = ?", (aiid.event_id(n),)).fetchone()
            assert event["date"] == raw[n]["date"]
            assert event["title"] == " ".join(raw[n]["title"].split())
            assert event["link"] == f"https://incidentdatabase.ai/cite/{n}"
            assert event["verification"] == "partial"


def test_known_happenings_merge_into_the_curated_record(db: sqlite3.Connection) -> None:
    williams = db.execute(
        "SELECT date FROM events WHERE id = 'detroit-robert-williams-wrongful-arrest-2020-01'"
    ).fetchone()
    assert williams["date"] == "2020-01-09"  # the curated date wins over the AIID's 2020-01-30
    assert "aiid-incident-74" in {
        r[0]
        for r in db.execute(
            "SELECT source_id FROM citations WHERE entity = 'events' "
            "AND record_id = 'detroit-robert-williams-wrongful-arrest-2020-01'"
        )
    }
    # Randal Reid is three AIID incidents and one FaceLedger event.
    reid = {events_citing(db, aiid.source_id(n))[0] for n in (440, 515, 598)}
    assert reid == {"reid-louisiana-2022"}
    assert db.execute("SELECT COUNT(*) FROM events WHERE person LIKE '%Randal%'").fetchone()[0] == 1
    # An AIAAIC entry about the same happening is merged too (Shaun Thompson, Met Police).
    assert events_citing(db, aiid.source_id(692)) == ["aiaaic-1510"]


def test_organisations_resolve_to_existing_records(db: sqlite3.Connection) -> None:
    def parties(event: str, table: str, column: str) -> set[str]:
        rows = db.execute(f"SELECT {column} FROM {table} WHERE event_id = ?", (event,))
        return {r[0] for r in rows}

    assert parties("aiid-310", "event_customers", "customer_id") == {"south-wales-police"}
    assert parties("aiid-310", "event_vendors", "vendor_id") == {"nec"}
    assert parties("aiid-368", "event_vendors", "vendor_id") == {"oosto"}  # the AIID's slug is "anyvision"
    assert "new-york-city-police-department" in parties("aiid-815", "event_customers", "customer_id")
    # No duplicate of an organisation FaceLedger already had, under any of its names.
    for name in (
        "NYPD",
        "New York Police Department",
        "AnyVision",
        "Clearview AI",
        "Miami Police Department",
    ):
        assert db.execute("SELECT COUNT(*) FROM vendors WHERE name = ?", (name,)).fetchone()[0] <= 1
        assert db.execute("SELECT COUNT(*) FROM customers WHERE name = ?", (name,)).fetchone()[0] <= 1
    created = {r["name"]: r for r in db.execute("SELECT * FROM customers WHERE origin = ?", (aiid.ORIGIN,))}
    assert set(created) <= set(aiid.NEW_ORGANISATIONS)
    assert created["Evansville Police Department"]["region"] == "Indiana"
    # Every slug of a new event is reviewed (mapped, or marked as no organisation).
    for n, review in aiid.REVIEWED.items():
        if not review.same_as:
            row = raw_rows()[n]
            for col in (aiid.COL_DEPLOYER, aiid.COL_DEVELOPER):
                for slug in json.loads(row[col]):
                    assert slug in aiid.ORGANISATIONS, (n, slug)


def test_dataset_licence_and_attribution(db: sqlite3.Connection) -> None:
    ds = db.execute("SELECT * FROM datasets WHERE id = ?", (aiid.DATASET_ID,)).fetchone()
    assert ds["licence"] == "CC BY-SA 4.0"
    assert ds["licence_url"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert ds["attribution"].startswith("AI Incident Database, Responsible AI Collaborative")
    assert "cite/{id}" in ds["attribution"]
    n_events = db.execute("SELECT COUNT(*) FROM events WHERE dataset_id = ?", (aiid.DATASET_ID,)).fetchone()[
        0
    ]
    assert f"event: {n_events}" in ds["rows_detail"]
    assert n_events == sum(1 for r in aiid.REVIEWED.values() if not r.same_as)
