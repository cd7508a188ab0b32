"""Data checks on the June 2020 claims, Amazon, Microsoft, IBM, Clearview AI and the vendor records."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from db import build  # noqa: E402

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


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp_path = tmp_path_factory.mktemp("vendors_us")
    build.build(tmp_path / "t.db", importers=[])
    c = sqlite3.connect(str(tmp_path / "t.db"))
    c.row_factory = sqlite3.Row
    yield c
    c.close()


def _row(conn: sqlite3.Connection, table: str, rid: str) -> sqlite3.Row:
    row = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (rid,)).fetchone()
    assert row is not None, f"{table} {rid} missing"
    return row


def _sources(conn: sqlite3.Connection, entity: str, rid: str) -> set[str]:
    return {
        r[0]
        for r in conn.execute(
            "SELECT source_id FROM citations WHERE entity = ? AND record_id = ?",
            (entity, rid),
        )
    }


def test_clearview_wsj_count_is_exact_and_unverified(conn: sqlite3.Connection) -> None:
    row = _row(conn, "customer_counts", "clearview-ai-2020-06-wsj")
    assert row["vendor_id"] == "clearview-ai"
    assert row["value"] == 2400
    assert row["qualifier"] == "exact"
    assert row["value_text"] == "2,400"
    assert row["region"] == "US and Canada"
    assert row["as_of"] == "2020-06"
    assert row["kind"] == "journalism"
    assert row["verification"] == "unverified"
    assert "police" in row["subject"]
    assert "Wall Street Journal" in row["reported_by"]
    assert "Batch" in row["reported_by"]
    note = row["verification_note"]
    assert "Wall Street Journal" in note and "Batch" in note
    assert "vc-s215" in _sources(conn, "customer_counts", "clearview-ai-2020-06-wsj")


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
    conn: sqlite3.Connection, eid: str, date: str, kind: str, vendor: str, sources: set[str]
) -> None:
    row = _row(conn, "events", eid)
    assert row["date"] == date
    assert row["year"] == int(date[:4])
    assert row["kind"] == kind
    assert row["verification"] == "verified"
    vendors = {r[0] for r in conn.execute("SELECT vendor_id FROM event_vendors WHERE event_id = ?", (eid,))}
    assert vendors == {vendor}
    # Other encodings may add their own sources to these shared events; ours must be there.
    assert sources <= _sources(conn, "events", eid)


def test_every_vendor_present_and_cited(conn: sqlite3.Connection) -> None:
    ids = {r[0] for r in conn.execute("SELECT id FROM vendors")}
    assert VENDORS <= ids
    for vid in VENDORS:
        assert _sources(conn, "vendors", vid), f"vendor {vid} has no citation"
    uncited = conn.execute(
        "SELECT id FROM vendors WHERE id NOT IN (SELECT record_id FROM citations WHERE entity = 'vendors')"
    ).fetchall()
    assert uncited == []


def test_vc_sources_complete(conn: sqlite3.Connection) -> None:
    ids = {r[0] for r in conn.execute("SELECT id FROM sources WHERE id LIKE 'vc-s%'")}
    assert ids == {f"vc-s{n}" for n in range(1, 238)}
    row = _row(conn, "sources", "vc-s215")
    assert row["url"] == "https://www.deeplearning.ai/the-batch/tech-giants-face-off-with-police/"


def test_pass_two_corrections(conn: sqlite3.Connection) -> None:
    chicago = _row(conn, "deployments", "clearview-ai--chicago-police-department")
    assert (chicago["start"], chicago["end"], chicago["status"]) == ("2020-01-01", "2020-05-01", "ended")
    interpol = _row(conn, "deployments", "clearview-ai--international-criminal-police-organization")
    assert interpol["status"] == "ended"
    ico = _row(conn, "events", "uk-ico-provisional-fine-2021")
    assert ico["date"] == "2021-11-29"


def test_aliases_resolve(conn: sqlite3.Connection) -> None:
    def owner(entity: str, alias: str) -> str:
        row = conn.execute(
            "SELECT record_id FROM aliases WHERE entity = ? AND alias = ?", (entity, alias)
        ).fetchone()
        assert row is not None, f"alias {alias} missing"
        return row[0]

    assert owner("vendors", "Amazon Rekognition") == "amazon"
    assert owner("vendors", "Face++") == "megvii"
    assert owner("customers", "NYPD") == "new-york-city-police-department"
    assert owner("customers", "RCMP") == "royal-canadian-mounted-police"
    assert owner("customers", "ICE") == "us-immigration-and-customs-enforcement"
