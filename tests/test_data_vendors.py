"""Data checks on the vendors: every vendor present and cited, one record per organisation
whatever name another dataset uses, each vendor police buy from with a sourced customer, records
verified only on first-hand sources, Idemia's named customers, the June 2020 decisions of Amazon,
Microsoft and IBM, and the corrections made after a second reading of the sources."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


VENDORS = {
    "amazon",
    "microsoft",
    "ibm",
    "clearview-ai",
    "nec",
    "ayonix",
    "iomniscient",
    "herta-security",
    "idemia",
    "dataworks-plus",
    "cognitec",
    "rank-one-computing",
    "vigilant-solutions",
    "sensetime",
    "megvii",
}

# Vendors police buy from that were once missing or empty, each with one customer its sources name.
BOUGHT_FROM = {
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


@pytest.fixture()
def db(full_rows: sqlite3.Connection) -> sqlite3.Connection:
    """The whole database: curated records and every imported dataset (what the app ships)."""
    return full_rows


def _row(db: sqlite3.Connection, table: str, rid: str) -> sqlite3.Row:
    row = db.execute(f"SELECT * FROM {table} WHERE id = ?", (rid,)).fetchone()
    assert row is not None, f"{table} {rid} missing"
    return row


def _sources(db: sqlite3.Connection, entity: str, rid: str) -> set[str]:
    return {s["id"] for s in sources_of(db, entity, rid)}


def sources_of(db: sqlite3.Connection, table: str, record: str) -> list[sqlite3.Row]:
    return db.execute(
        "SELECT s.* FROM citations c JOIN sources s ON s.id = c.source_id WHERE c.entity = ? AND c.record_id = ?",
        (table, record),
    ).fetchall()


@pytest.mark.parametrize(
    ("eid", "date", "kind", "vendor", "sources"),
    [
        ("amazon-moratorium-2020", "2020-06-10", "moratorium", "amazon", {"vc-s1", "vc-s2", "vc-s3"}),
        (
            "amazon-moratorium-extension-2021",
            "2021-05-18",
            "moratorium",
            "amazon",
            {"vc-s4", "vc-s5", "vc-s6"},
        ),
        ("microsoft-pause-2020", "2020-06-11", "moratorium", "microsoft", {"vc-s22", "vc-s23", "vc-s24"}),
        ("ibm-exit-2020", "2020-06-08", "exit", "ibm", {"vc-s33", "vc-s34", "vc-s35"}),
    ],
)
def test_june_2020_vendor_events(
    db: sqlite3.Connection, eid: str, date: str, kind: str, vendor: str, sources: set[str]
) -> None:
    row = _row(db, "events", eid)
    assert row["date"] == date
    assert row["year"] == int(date[:4])
    assert row["kind"] == kind
    assert row["verification"] == "verified"
    vendors = {r[0] for r in db.execute("SELECT vendor_id FROM event_vendors WHERE event_id = ?", (eid,))}
    assert vendors == {vendor}
    # Other encodings may add their own sources to these shared events; ours must be there.
    assert sources <= _sources(db, "events", eid)


def test_every_vendor_present_and_cited(db: sqlite3.Connection) -> None:
    ids = {r[0] for r in db.execute("SELECT id FROM vendors")}
    assert VENDORS <= ids
    for vid in VENDORS:
        assert _sources(db, "vendors", vid), f"vendor {vid} has no citation"
    uncited = db.execute(
        "SELECT id FROM vendors WHERE id NOT IN (SELECT record_id FROM citations WHERE entity = 'vendors')"
    ).fetchall()
    assert uncited == []


def test_every_source_of_the_vendor_notes_is_present(db: sqlite3.Connection) -> None:
    ids = {r[0] for r in db.execute("SELECT id FROM sources WHERE id LIKE 'vc-s%'")}
    assert ids == {f"vc-s{n}" for n in range(1, 238)}
    row = _row(db, "sources", "vc-s215")
    assert row["url"] == "https://www.deeplearning.ai/the-batch/tech-giants-face-off-with-police/"


def test_dates_and_statuses_corrected_on_a_second_reading_hold(db: sqlite3.Connection) -> None:
    chicago = _row(db, "deployments", "clearview-ai--chicago-police-department")
    assert (chicago["start"], chicago["end"], chicago["status"]) == ("2020-01-01", "2020-05-01", "ended")
    interpol = _row(db, "deployments", "clearview-ai--international-criminal-police-organization")
    assert interpol["status"] == "ended"
    ico = _row(db, "events", "uk-ico-provisional-fine-2021")
    assert ico["date"] == "2021-11-29"


def test_aliases_resolve_to_one_record(db: sqlite3.Connection) -> None:
    def owner(entity: str, alias: str) -> str:
        row = db.execute(
            "SELECT record_id FROM aliases WHERE entity = ? AND alias = ?", (entity, alias)
        ).fetchone()
        assert row is not None, f"alias {alias} missing"
        return row[0]

    assert owner("vendors", "Amazon Rekognition") == "amazon"
    assert owner("vendors", "Face++") == "megvii"
    assert owner("customers", "NYPD") == "new-york-city-police-department"
    assert owner("customers", "RCMP") == "royal-canadian-mounted-police"
    assert owner("customers", "ICE") == "us-immigration-and-customs-enforcement"


IDEMIA_CUSTOMERS = {
    "new-york-city-police-department": {"vc-s149"},
    "us-department-of-state": {"vc-s150"},
    "us-transportation-security-administration": {"vc-s151", "vc-s152"},
    "eu-lisa": {"vc-s153", "vc-s154"},
    "australian-criminal-intelligence-commission": {"vc-s129"},
    "new-south-wales-police-force": {"vc-s156", "vc-s233", "vc-s234"},
    "peel-regional-police": {"vc-s229", "vc-s220"},
    "york-regional-police": {"vc-s229", "vc-s220"},
    "halton-regional-police-service": {"vc-s229", "vc-s220"},
}


@pytest.mark.parametrize("customer", sorted(IDEMIA_CUSTOMERS))
def test_idemia_deployments(db: sqlite3.Connection, customer: str) -> None:
    rows = db.execute(
        "SELECT id FROM deployments WHERE vendor_id = 'idemia' AND customer_id = ?",
        (customer,),
    ).fetchall()
    assert len(rows) == 1, f"no Idemia deployment to {customer}"
    assert rows[0]["id"] == f"idemia--{customer}"
    assert IDEMIA_CUSTOMERS[customer] <= _sources(db, "deployments", rows[0]["id"])


def test_eu_lisa_customer(db: sqlite3.Connection) -> None:
    row = db.execute("SELECT * FROM customers WHERE id = 'eu-lisa'").fetchone()
    assert row is not None
    assert row["type"] == "supranational agency"
    assert "eu-LISA" in (row["name"] + "; " + row["aliases"])


def test_idemia_named_customers_aliases(db: sqlite3.Connection) -> None:
    aliases = {
        (r["record_id"], r["alias"])
        for r in db.execute("SELECT record_id, alias FROM aliases WHERE entity = 'customers'")
    }
    assert ("new-york-city-police-department", "NYPD") in aliases
    assert ("us-transportation-security-administration", "TSA") in aliases
    assert ("us-department-of-state", "US State Department") in aliases


@pytest.mark.parametrize("vendor, customer", sorted(BOUGHT_FROM.items()))
def test_each_vendor_police_buy_from_has_a_sourced_customer(
    db: sqlite3.Connection, vendor: str, customer: str
) -> None:
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


def test_records_of_the_added_vendors_are_verified_only_on_first_hand_sources(db: sqlite3.Connection) -> None:
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
