"""The 2024 US federal AI use case inventories (OMB's consolidated cp1252 file and DHS's own file).

The selection is checked against an independent reading of the raw copies with the csv module; the
database against the review: excluded rows absent, one deployment per use case across 2024 and 2025,
vendors linked only where the row's text names them.
"""

from __future__ import annotations

import csv
import re
import sqlite3
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from db.importers import federal_inventory as fed  # noqa: E402
from db.importers import federal_inventory_2024 as y24  # noqa: E402

RAW = ROOT / "db" / "external" / "us-federal-ai-use-cases-2024"
OMB = RAW / "2024_consolidated_ai_inventory_raw_v2.csv"
DHS = RAW / "dhs-2024-ai-use-case-inventory.csv"
WORDS = re.compile(r"\bface|\bfacial|biometric|clearview", re.IGNORECASE)


@pytest.fixture()
def db(full_rows: sqlite3.Connection) -> sqlite3.Connection:
    return full_rows


def independent_omb_keys() -> list[str]:
    with OMB.open(encoding="cp1252", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2133  # PROVENANCE.md
    cols = ("Use Case Name", y24.OMB_PURPOSE, y24.OMB_OUTPUTS, "System Name")
    return [
        " | ".join(" ".join(r[c].split()) for c in ("Agency Abbreviation", "Bureau", "Use Case Name"))
        for r in rows
        if r["Agency Abbreviation"] != "DHS" and any(WORDS.search(r[c]) for c in cols)
    ]


def independent_dhs_ids() -> list[str]:
    with DHS.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 197  # PROVENANCE.md
    face = [r for r in rows if r[y24.DHS_FACE].strip().lower().startswith("yes")]
    assert len(face) == 18  # PROVENANCE.md: 18 rows answer Yes
    return [r["Use Case ID"] for r in rows if r in face or any(WORDS.search(r[c]) for c in y24.DHS_MATCH)]


def test_raw_copies_and_provenance() -> None:
    assert (RAW / "PROVENANCE.md").is_file()
    assert OMB.is_file() and DHS.is_file()
    # The consolidated file is not UTF-8: it must be read as cp1252 (PROVENANCE.md).
    with pytest.raises(UnicodeDecodeError):
        OMB.read_text(encoding="utf-8")
    assert "\u2019" in OMB.read_text(encoding="cp1252")


def test_selection_matches_independent_reading() -> None:
    assert [y24.omb_key(r) for r in y24.derive_omb(OMB)] == independent_omb_keys()
    assert [r["Use Case ID"] for r in y24.derive_dhs(DHS)] == independent_dhs_ids()


def test_review_covers_every_selected_row_once() -> None:
    for selected, reviewed, excluded in (
        (independent_omb_keys(), y24.REVIEWED_OMB, y24.EXCLUDED_OMB),
        (independent_dhs_ids(), y24.REVIEWED_DHS, y24.EXCLUDED_DHS),
    ):
        assert len(set(selected)) == len(selected)
        assert set(reviewed) | set(excluded) == set(selected)
        assert not set(reviewed) & set(excluded)
        assert all(reason.strip() for reason in excluded.values())
    # Known false positives stay out, each with its reason.
    assert "redact" in y24.EXCLUDED_OMB["DOJ | FBOP | Veritone"]
    assert "Face ID" in y24.EXCLUDED_OMB["NCUA | NCUA | iPhone Facial Recognition Technology"]
    assert "umbrella" in y24.EXCLUDED_DHS["DHS-344"]


def test_no_excluded_row_is_imported(db: sqlite3.Connection) -> None:
    ids = {r["id"] for r in db.execute("SELECT id FROM deployments")}
    products = {r["product"] for r in db.execute("SELECT product FROM deployments WHERE id LIKE 'fed-ai-%'")}
    for key in y24.EXCLUDED_OMB:
        assert fed.deployment_id_2024(key) not in ids
        assert key.split(" | ")[2] not in products
    for uid in y24.EXCLUDED_DHS:
        assert fed.deployment_id_2024(uid) not in ids and fed.deployment_id(uid) not in ids
    notes = " ".join(r["note"] for r in db.execute("SELECT note FROM deployments WHERE id LIKE 'fed-ai-%'"))
    for uid in y24.EXCLUDED_DHS:
        assert re.search(rf"\b{uid}\b", notes) is None


def test_one_deployment_per_use_case_across_years(db: sqlite3.Connection) -> None:
    def cited(dep: str) -> set[str]:
        rows = db.execute(
            "SELECT source_id FROM citations WHERE entity = 'deployments' AND record_id = ?", (dep,)
        )
        return {r[0] for r in rows}

    both_dhs = sorted(set(y24.REVIEWED_DHS) & set(fed.REVIEWED))
    assert len(both_dhs) == 12
    for uid in both_dhs:
        assert fed.deployment_id_2024(uid) not in {r[0] for r in db.execute("SELECT id FROM deployments")}
        sources = cited(fed.deployment_id(uid))
        assert "us-ai-inventory-2024-dhs" in sources
        assert "us-ai-inventory-2025-dhs" in sources
    merged_omb = {k: r.same_as_2025 for k, r in y24.REVIEWED_OMB.items() if r.same_as_2025}
    assert sorted(merged_omb.values()) == ["DOJ-0122", "DOJ-0126", "DOJ-0137", "DOJ-0226"]
    for key, uid in merged_omb.items():
        assert "us-ai-inventory-2024-omb" in cited(fed.deployment_id(uid))
        assert (
            db.execute("SELECT 1 FROM deployments WHERE id = ?", (fed.deployment_id_2024(key),)).fetchone()
            is None
        )
    # Every other reviewed row is one deployment of its own, from the 2024 dataset.
    own = [k for k in y24.REVIEWED_OMB if k not in merged_omb] + [
        u for u in y24.REVIEWED_DHS if u not in fed.REVIEWED
    ]
    got = {r[0] for r in db.execute("SELECT id FROM deployments WHERE dataset_id = ?", (y24.DATASET_ID,))}
    assert got == {fed.deployment_id_2024(k) for k in own}
    # No two inventory deployments for the same customer and product name.
    dupes = db.execute(
        "SELECT customer_id, product, COUNT(*) FROM deployments WHERE id LIKE 'fed-ai-%' "
        "GROUP BY customer_id, product HAVING COUNT(*) > 1"
    ).fetchall()
    assert dupes == []


def test_vendors_only_where_the_text_names_them(db: sqlite3.Connection) -> None:
    def dep(key: str) -> sqlite3.Row:
        row = db.execute("SELECT * FROM deployments WHERE id = ?", (fed.deployment_id_2024(key),)).fetchone()
        assert row is not None, key
        return row

    crm = dep("DOJ | CRM | Clearview AI")
    assert (crm["vendor_id"], crm["customer_id"], crm["status"], crm["start"]) == (
        "clearview-ai",
        "us-department-of-justice-criminal-division",
        "ended",
        "2020",
    )
    state = dep("STATE | CA/CST | Consular Affairs Photo Quality Service (PQS) / FaceVACS")
    assert (state["vendor_id"], state["customer_id"]) == ("cognitec", "us-department-of-state")
    usms = db.execute(
        "SELECT vendor_id FROM deployments WHERE id = ?", (fed.deployment_id("DOJ-0226"),)
    ).fetchone()
    assert usms["vendor_id"] == "clearview-ai"
    # Rows that name no supplier point to the placeholder, never to a guessed company.
    for key, review in y24.REVIEWED_OMB.items():
        if review.vendor is None and not review.same_as_2025:
            assert dep(key)["vendor_id"] == "undisclosed-vendor"
    for uid, review in y24.REVIEWED_DHS.items():
        if uid not in fed.REVIEWED:
            assert review.vendor is None
            assert dep(uid)["vendor_id"] == "undisclosed-vendor"
    # Veritone's Bureau of Prisons row is face redaction: no deployment, no Bureau of Prisons customer.
    assert db.execute("SELECT COUNT(*) FROM deployments WHERE product = 'Veritone'").fetchone()[0] == 0


def test_dates_from_the_rows_and_junk_dates_dropped(db: sqlite3.Connection) -> None:
    assert fed.parse_start("09/15/2022") == ("2022-09-15", "")
    assert fed.parse_start("10/01/2018")[0] == "2018-10"
    assert not y24.plausible_year("1905") and y24.plausible_year("2018-10")
    vat = db.execute("SELECT start, status FROM deployments WHERE id = 'fed-ai-2024-dhs-172'").fetchone()
    assert (vat["start"], vat["status"]) == ("2022-09-15", "active")


def test_dataset_registered_with_licence_and_attribution(db: sqlite3.Connection) -> None:
    row = db.execute("SELECT * FROM datasets WHERE id = ?", (y24.DATASET_ID,)).fetchone()
    assert row["licence"].startswith("Public domain")
    assert "Office of Management and Budget" in row["attribution"]
    assert "Department of Homeland Security" in row["attribution"]
    assert row["upstream"] and row["url"]
    n = db.execute("SELECT COUNT(*) FROM deployments WHERE dataset_id = ?", (y24.DATASET_ID,)).fetchone()[0]
    assert f"deployment: {n}" in row["rows_detail"]
    # Every 2024 source belongs to the dataset; every record citing one shows that dataset on its page.
    for sid in ("us-ai-inventory-2024-dhs", "us-ai-inventory-2024-omb"):
        src = db.execute("SELECT * FROM sources WHERE id = ?", (sid,)).fetchone()
        assert src["dataset_id"] == y24.DATASET_ID and src["kind"] == "dataset"
