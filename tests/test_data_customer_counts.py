"""Data checks on the customer counts: figures the press reported are exact and unverified where
only a summary was read, "a handful" is kept as words with no number, and the sector-wide count
belongs to no vendor."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from db import build  # noqa: E402

from faceledger.data import schema  # noqa: E402


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    out = tmp_path_factory.mktemp("counts") / "t.db"
    build.build(out, importers=[])
    with closing(sqlite3.connect(str(out))) as c:
        c.row_factory = sqlite3.Row
        yield c


def _count(conn: sqlite3.Connection, cid: str) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM customer_counts WHERE id = ?", (cid,)).fetchone()
    assert row is not None, f"count {cid} missing"
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
    row = _count(conn, "clearview-ai-2020-06-wsj")
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


def test_nec_wsj_count_exact(conn: sqlite3.Connection) -> None:
    row = _count(conn, "nec-2020-06-wsj")
    assert row["vendor_id"] == "nec"
    assert row["qualifier"] == "exact"
    assert row["value"] == 20
    assert row["kind"] == "journalism"
    assert row["verification"] == "unverified"
    assert row["as_of"] == "2020-06"
    assert row["region"] == "US"
    assert (
        row["reported_by"]
        == "The Wall Street Journal, as summarised by The Batch (DeepLearning.AI newsletter)"
    )
    assert "law-enforcement agencies" in row["subject"]
    assert row["verification_note"]
    assert "vc-s215" in _sources(conn, "customer_counts", "nec-2020-06-wsj")


@pytest.mark.parametrize(
    "cid,vendor",
    [
        ("ayonix-2020-06-wsj", "ayonix"),
        ("iomniscient-2020-06-wsj", "iomniscient"),
        ("herta-security-2020-06-wsj", "herta-security"),
    ],
)
def test_a_handful_counts(conn: sqlite3.Connection, cid: str, vendor: str) -> None:
    row = _count(conn, cid)
    assert row["vendor_id"] == vendor
    assert row["qualifier"] == "a handful"
    assert row["value"] is None
    assert row["subject"] == "US law-enforcement agencies"
    assert row["region"] == "US"
    assert row["as_of"] == "2020-06"
    assert row["kind"] == "journalism"
    # Read only in Biometric Update's summary of the Journal: partial, with a note saying so.
    assert row["verification"] == "partial"
    assert "Wall Street Journal" in row["verification_note"]
    assert "Wall Street Journal" in row["reported_by"]
    assert "Biometric Update" in row["reported_by"]
    assert "vc-s134" in _sources(conn, "customer_counts", cid)


def test_no_value_on_word_qualifiers(conn: sqlite3.Connection) -> None:
    words = schema.WORD_QUALIFIERS
    marks = ", ".join("?" for _ in words)
    sql = f"SELECT id FROM customer_counts WHERE qualifier IN ({marks}) AND value IS NOT NULL"
    assert conn.execute(sql, words).fetchall() == []
    assert conn.execute(f"SELECT COUNT(*) FROM customer_counts WHERE qualifier IN ({marks})", words).fetchone()[0]


def test_sector_count_has_no_vendor(conn: sqlite3.Connection) -> None:
    row = _count(conn, "sector-2016-10-perpetual-line-up")
    assert row["vendor_id"] is None
    assert row["value"] == 52
    assert row["kind"] == "research"
