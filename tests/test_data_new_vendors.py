"""Vendors police buy from that were missing or empty: each with a sourced customer, one record each.

Veritone, Thales (with Gemalto and Cogent), Corsight AI, FaceFirst, Trueface, NtechLab, Oosto
(AnyVision), Axon and Neurotechnology each have at least one deployment citing the sources read for
them; Kairos's study figures and Axon's 2019 decision link to their vendor records; the names other
datasets use for these companies resolve to the same record.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from db import build  # noqa: E402

NEW_VENDORS = {
    "veritone": "anaheim-police-department",
    "thales": "policia-nacional-spain",
    "corsight-ai": "essex-police",
    "facefirst": "san-diego-association-of-governments",
    "trueface": "us-air-force",
    "ntechlab": "moscow-department-of-information-technology",
    "oosto": "israel-defense-forces",
    "axon": "edmonton-police-service",
    "neurotechnology": "slovenian-police",
}
# Only primary records and publishers' own articles can make a record verified.
FIRST_HAND = ("primary", "press")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    out = tmp_path_factory.mktemp("new-vendors") / "t.db"
    build.build(out)
    with closing(sqlite3.connect(str(out))) as conn:
        conn.row_factory = sqlite3.Row
        yield conn


def sources_of(db: sqlite3.Connection, table: str, record: str) -> list[sqlite3.Row]:
    return db.execute(
        "SELECT s.* FROM citations c JOIN sources s ON s.id = c.source_id WHERE c.entity = ? AND c.record_id = ?",
        (table, record),
    ).fetchall()


@pytest.mark.parametrize("vendor, customer", sorted(NEW_VENDORS.items()))
def test_each_new_vendor_has_a_sourced_customer(db: sqlite3.Connection, vendor: str, customer: str) -> None:
    v = db.execute("SELECT * FROM vendors WHERE id = ?", (vendor,)).fetchone()
    assert v is not None and v["origin"] == "curated"
    assert v["customer_count"] >= 1
    dep = db.execute(
        "SELECT * FROM deployments WHERE vendor_id = ? AND customer_id = ?", (vendor, customer)
    ).fetchone()
    assert dep is not None
    cited = sources_of(db, "deployments", dep["id"])
    assert cited and all(s["id"].startswith("nv-s") for s in cited)
    for s in cited:
        assert s["url"].startswith("http") and s["publisher"] and s["kind"]
    if dep["verification"] == "verified":
        assert any(s["kind"] in FIRST_HAND for s in cited)
    else:
        assert dep["verification_note"]


def test_new_records_are_verified_only_on_first_hand_sources(db: sqlite3.Connection) -> None:
    for table in ("vendors", "customers", "deployments"):
        rows = db.execute(
            f"SELECT DISTINCT t.id, t.verification, t.verification_note FROM {table} t "
            "JOIN citations c ON c.entity = ? AND c.record_id = t.id WHERE c.source_id LIKE 'nv-s%'",
            (table,),
        ).fetchall()
        assert rows, table
        for r in rows:
            kinds = {s["kind"] for s in sources_of(db, table, r["id"])}
            if r["verification"] == "verified":
                assert kinds & set(FIRST_HAND), (table, r["id"])
            else:
                assert r["verification_note"], (table, r["id"])
    # Every new source is cited by a record.
    uncited = db.execute(
        "SELECT id FROM sources WHERE id LIKE 'nv-s%' AND id NOT IN (SELECT source_id FROM citations)"
    ).fetchall()
    assert uncited == []


def test_thales_gemalto_and_cogent_are_one_organisation(db: sqlite3.Connection) -> None:
    thales = db.execute("SELECT * FROM vendors WHERE id = 'thales'").fetchone()
    for name in ("Gemalto", "Cogent", "3M Cogent"):
        assert name in thales["aliases"].split("; ")
    names = {r[0].casefold() for r in db.execute("SELECT name FROM vendors")}
    assert not names & {"cogent", "gemalto", "3m cogent", "cogent (nist frvt developer prefix)"}
    # NIST's "cogent-..." algorithms are Thales's figures.
    others = db.execute(
        "SELECT COUNT(*) FROM study_figures WHERE vendor_label LIKE 'cogent-%' AND vendor_id != 'thales'"
    ).fetchone()[0]
    linked = db.execute("SELECT COUNT(*) FROM study_figures WHERE vendor_id = 'thales'").fetchone()[0]
    assert others == 0 and linked > 0


def test_other_datasets_names_resolve_to_the_same_records(db: sqlite3.Connection) -> None:
    # AIAAIC writes "Corsight" and "Oosto/AnyVision ...", NIST "trueface", "neurotechnology", "anyvision".
    for name in ("Corsight", "AnyVision", "trueface", "neurotechnology", "Ntechlab"):
        assert db.execute("SELECT COUNT(*) FROM vendors WHERE name = ?", (name,)).fetchone()[0] == 0, name
    for vendor, label in (
        ("trueface", "trueface-%"),
        ("neurotechnology", "neurotechnology-%"),
        ("oosto", "anyvision-%"),
    ):
        wrong = db.execute(
            "SELECT COUNT(*) FROM study_figures WHERE vendor_label LIKE ? AND vendor_id != ?", (label, vendor)
        ).fetchone()[0]
        assert wrong == 0, vendor
    assert (
        db.execute(
            "SELECT COUNT(*) FROM event_vendors WHERE event_id = 'aiaaic-1413' AND vendor_id = 'corsight-ai'"
        ).fetchone()[0]
        == 1
    )
    assert (
        db.execute("SELECT COUNT(*) FROM customers WHERE name = 'Israel Defense Forces'").fetchone()[0] == 1
    )


def test_kairos_figures_and_axon_decision_link_to_their_vendors(db: sqlite3.Connection) -> None:
    labels = db.execute("SELECT vendor_id FROM study_figures WHERE vendor_label = 'Kairos'").fetchall()
    assert labels and {r[0] for r in labels} == {"kairos"}
    assert db.execute(
        "SELECT 1 FROM study_vendors WHERE study_id = 'actionable-auditing-2019' AND vendor_id = 'kairos'"
    ).fetchone()
    assert db.execute(
        "SELECT 1 FROM event_vendors WHERE event_id = 'axon-board-2019' AND vendor_id = 'axon'"
    ).fetchone()
    # Kairos declined to sell to governments: no customer is recorded for it.
    assert db.execute("SELECT customer_count FROM vendors WHERE id = 'kairos'").fetchone()[0] == 0
