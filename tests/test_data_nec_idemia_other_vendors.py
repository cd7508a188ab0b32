"""Data checks on NEC, Ayonix, iOmniscient, Herta Security, Idemia, other vendors and sector-wide counts."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from db import build  # noqa: E402


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    out = tmp_path_factory.mktemp("vendors_nec") / "t.db"
    build.build(out, importers=[])
    c = sqlite3.connect(str(out))
    c.row_factory = sqlite3.Row
    yield c
    c.close()


def _count(conn, cid):
    row = conn.execute("SELECT * FROM customer_counts WHERE id = ?", (cid,)).fetchone()
    assert row is not None, f"count {cid} missing"
    return row


def _sources(conn, entity, rid):
    return {
        r[0]
        for r in conn.execute(
            "SELECT source_id FROM citations WHERE entity = ? AND record_id = ?",
            (entity, rid),
        )
    }


def test_nec_wsj_count_exact(conn):
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
def test_a_handful_counts(conn, cid, vendor):
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
def test_idemia_deployments(conn, customer):
    rows = conn.execute(
        "SELECT id FROM deployments WHERE vendor_id = 'idemia' AND customer_id = ?",
        (customer,),
    ).fetchall()
    assert len(rows) == 1, f"no Idemia deployment to {customer}"
    assert rows[0]["id"] == f"idemia--{customer}"
    assert IDEMIA_CUSTOMERS[customer] <= _sources(conn, "deployments", rows[0]["id"])


def test_eu_lisa_customer(conn):
    row = conn.execute("SELECT * FROM customers WHERE id = 'eu-lisa'").fetchone()
    assert row is not None
    assert row["type"] == "supranational agency"
    assert "eu-LISA" in (row["name"] + "; " + row["aliases"])


def test_idemia_named_customers_aliases(conn):
    aliases = {
        (r["record_id"], r["alias"])
        for r in conn.execute("SELECT record_id, alias FROM aliases WHERE entity = 'customers'")
    }
    assert ("new-york-city-police-department", "NYPD") in aliases
    assert ("us-transportation-security-administration", "TSA") in aliases
    assert ("us-department-of-state", "US State Department") in aliases


def test_no_value_on_word_qualifiers(conn):
    bad = conn.execute(
        "SELECT id FROM customer_counts WHERE qualifier IN "
        "('a handful','several','dozens','hundreds','not disclosed') AND value IS NOT NULL"
    ).fetchall()
    assert bad == []


def test_sector_count_has_no_vendor(conn):
    row = _count(conn, "sector-2016-10-perpetual-line-up")
    assert row["vendor_id"] is None
    assert row["value"] == 52
    assert row["kind"] == "research"
