"""The third-party dataset importers (db/importers/): selection, counts, attribution, provenance.

Counts are checked twice: the importer's own derive functions against an independent reading of
the raw files with the csv module, and the database rows against those counts.
"""

from __future__ import annotations

import csv
import re
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
from db.importers import IMPORTERS, aiaaic, aiid, federal_inventory, nist_frvt  # noqa: E402
from db.importers.aiaaic_review import SAME_HAPPENING  # noqa: E402

from faceledger.data.schema import FACT_TABLES, TABLE_OF_KIND  # noqa: E402

EXTERNAL = ROOT / "db" / "external"
AIAAIC_RAW = EXTERNAL / "aiaaic" / "aiaaic-repository-incidents.csv"
FED_RAW = EXTERNAL / "us-federal-ai-use-cases-2025" / "2025_consolidated_ai_inventory.csv"
NIST_DIR = EXTERNAL / "nist-frvt-11-2020"
SHARED = ROOT.parent / "shared" / "data"
SHARED_AIAAIC_SUBSET = SHARED / "aiaaic" / "aiaaic-facial-recognition-subset.csv"
SHARED_FED_SUBSET = SHARED / "us-federal-ai-use-cases-2025" / "face-recognition-use-cases.csv"

DATASETS = {
    aiaaic.DATASET_ID: ("CC BY-SA 4.0", "Data provided by AIAAIC"),
    federal_inventory.DATASET_ID: ("Public domain", "US federal agency AI use case inventories 2025"),
    nist_frvt.DATASET_ID: ("Public domain", "NIST Face Recognition Vendor Test"),
}


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path))
    conn.row_factory = sqlite3.Row
    return conn


@pytest.fixture()
def full_db(full_rows: sqlite3.Connection) -> sqlite3.Connection:
    """The complete build: curated TOML plus the three importers."""
    return full_rows


@pytest.fixture(scope="module")
def bare_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """The importers alone, on an empty curated set (they must create what they need)."""
    base = tmp_path_factory.mktemp("importers-bare")
    src = base / "src"
    src.mkdir()
    build.build(base / "t.db", src_dir=src)
    with closing(_connect(base / "t.db")) as conn:
        yield conn


def scalar(conn: sqlite3.Connection, sql: str, *args: object) -> int:
    return int(conn.execute(sql, args).fetchone()[0])


# -- independent readings of the raw files ------------------------------------------------------
def raw_aiaaic_rows() -> list[list[str]]:
    with AIAAIC_RAW.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[1][0] == "AIAAIC ID#" and rows[1][8] == "Technology(ies)"
    return [r for r in rows[3:] if "facial recognition" in r[8].lower()]


def raw_federal_rows() -> list[dict[str, str]]:
    pattern = re.compile(
        "facial recog|face recog|facial comparison|face comparison|face match|facial match|"
        "facial biometric|face biometric|facial verification|face verification",
        re.IGNORECASE,
    )
    columns = (
        "Use Case Name",
        "What problem is the AI intended to solve?",
        "Describe the AI system's outputs.",
        "System(s) Name",
        "Vendor(s) Name",
    )
    with FED_RAW.open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if any(pattern.search(r[c] or "") for c in columns)]


def raw_nist_cells() -> int:
    n = 0
    with (NIST_DIR / "frvt_11_overview.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        measured = [i for i, h in enumerate(header) if i > 0 and not h.endswith("rank")]
        n += sum(1 for row in reader for i in measured if row[i].strip())
    with (NIST_DIR / "frvt_11_gender_race.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        n += sum(1 for row in reader for v in row[1:] if v.strip())
    return n


# -- the raw data is in place, with provenance ---------------------------------------------------
@pytest.mark.parametrize(
    "sub, files",
    [
        ("aiaaic", ["aiaaic-repository-incidents.csv"]),
        ("us-federal-ai-use-cases-2025", ["2025_consolidated_ai_inventory.csv", "agencies.csv"]),
        ("nist-frvt-11-2020", ["frvt_11_overview.csv", "frvt_11_gender_race.csv"]),
    ],
)
def test_raw_files_and_provenance_are_copied(sub: str, files: list[str]) -> None:
    folder = EXTERNAL / sub
    assert (folder / "PROVENANCE.md").is_file()
    for name in files:
        assert (folder / name).is_file()
    # The derived subsets are computed by the importers, not shipped.
    assert not (folder / "aiaaic-facial-recognition-subset.csv").exists()
    assert not (folder / "face-recognition-use-cases.csv").exists()


def test_importer_order() -> None:
    assert IMPORTERS == [federal_inventory.run, aiaaic.run, aiid.run, nist_frvt.run]


# -- AIAAIC ----------------------------------------------------------------------------------------
def test_aiaaic_selection_matches_independent_count() -> None:
    derived = aiaaic.derive_rows(AIAAIC_RAW)
    raw = raw_aiaaic_rows()
    assert len(derived) == len(raw) == 276
    assert [r[0] for r in derived] == [r[0] for r in raw]


@pytest.mark.skipif(not SHARED_AIAAIC_SUBSET.exists(), reason="shared derived subset not available")
def test_aiaaic_selection_matches_shared_subset() -> None:
    with SHARED_AIAAIC_SUBSET.open(encoding="utf-8", newline="") as fh:
        ids = [r["AIAAIC ID#"] for r in csv.DictReader(fh)]
    assert len(ids) == 276
    assert [r[0] for r in aiaaic.derive_rows(AIAAIC_RAW)] == ids


def test_aiaaic_events_one_per_dated_entry(full_db: sqlite3.Connection) -> None:
    raw = raw_aiaaic_rows()
    dated = [r for r in raw if re.match(r"^\d{4}", r[2].strip())]
    assert len(raw) - len(dated) == 44  # entries without an Occurred year: skipped, never dated by us
    # An entry repeating a happening another event records is a source of that event instead.
    merged = {s.entry: s.event for s in SAME_HAPPENING}
    assert len(merged) >= 9
    own = [r for r in dated if r[0] not in merged]
    assert scalar(full_db, "SELECT COUNT(*) FROM events WHERE dataset_id = ?", "aiaaic") == len(own)
    got = {
        r["id"]: (r["date"], r["link"], r["title"])
        for r in full_db.execute("SELECT id, date, link, title FROM events WHERE dataset_id = 'aiaaic'")
    }
    for r in dated:
        eid = "aiaaic-" + r[0].removeprefix("AIAAIC")
        if r[0] in merged:
            assert eid not in got
            source = eid if r[19].strip() else "aiaaic-repository"
            cited = {
                row[0]
                for row in full_db.execute(
                    "SELECT source_id FROM citations WHERE entity = 'events' AND record_id = ?",
                    (merged[r[0]],),
                )
            }
            assert source in cited, (r[0], merged[r[0]])
            continue
        date, link, title = got[eid]
        assert date == r[2].strip()[:4]
        assert link == r[19].strip()
        assert title == " ".join(r[1].split())
    # One source per entry with a page link, plus one dataset-level source for the entries without.
    with_link = sum(1 for r in dated if r[19].strip())
    expected_sources = with_link + (1 if with_link < len(dated) else 0)
    assert scalar(full_db, "SELECT COUNT(*) FROM sources WHERE dataset_id = 'aiaaic'") == expected_sources


def test_aiaaic_events_link_to_curated_organisations(full_db: sqlite3.Connection) -> None:
    # Developer "Clearview AI" and deployer "New York Police Department (NYPD)" resolve to curated records.
    assert (
        scalar(
            full_db,
            "SELECT COUNT(*) FROM event_vendors ev JOIN events e ON e.id = ev.event_id "
            "WHERE e.dataset_id = 'aiaaic' AND ev.vendor_id = 'clearview-ai'",
        )
        > 0
    )
    assert (
        scalar(
            full_db,
            "SELECT COUNT(*) FROM event_customers ec JOIN events e ON e.id = ec.event_id "
            "WHERE e.dataset_id = 'aiaaic' AND ec.customer_id = 'new-york-city-police-department'",
        )
        > 0
    )
    # No second NYPD or Clearview record was created.
    assert scalar(full_db, "SELECT COUNT(*) FROM vendors WHERE name LIKE 'Clearview%'") == 1
    assert scalar(full_db, "SELECT COUNT(*) FROM customers WHERE aliases LIKE '%NYPD%'") == 1


def test_aiaaic_people_are_not_organisations(full_db: sqlite3.Connection) -> None:
    for person in ("Michal Kosinski", "Yu Liu", "Egor Tsvetkov"):
        assert scalar(full_db, "SELECT COUNT(*) FROM vendors WHERE name = ?", person) == 0
        assert scalar(full_db, "SELECT COUNT(*) FROM customers WHERE name = ?", person) == 0
    assert scalar(full_db, "SELECT COUNT(*) FROM customers WHERE name IN ('Multiple', 'Unknown')") == 0


# -- Federal inventory ----------------------------------------------------------------------------
def test_federal_selection_matches_independent_count() -> None:
    derived = federal_inventory.derive_rows(FED_RAW)
    raw = raw_federal_rows()
    assert len(derived) == len(raw) == 28
    assert [r["Use Case ID"] for r in derived] == [r["Use Case ID"] for r in raw]


@pytest.mark.skipif(not SHARED_FED_SUBSET.exists(), reason="shared derived subset not available")
def test_federal_selection_matches_shared_subset() -> None:
    with SHARED_FED_SUBSET.open(encoding="utf-8", newline="") as fh:
        ids = [r["Use Case ID"] for r in csv.DictReader(fh)]
    assert [r["Use Case ID"] for r in federal_inventory.derive_rows(FED_RAW)] == ids


def test_federal_review_covers_every_selected_row() -> None:
    ids = {r["Use Case ID"] for r in raw_federal_rows()}
    assert set(federal_inventory.REVIEWED) | set(federal_inventory.EXCLUDED) == ids
    assert not set(federal_inventory.REVIEWED) & set(federal_inventory.EXCLUDED)
    assert {"VA-24-6001", "DOJ-0310", "DOJ-0313"} <= set(federal_inventory.EXCLUDED)
    assert all(reason.strip() for reason in federal_inventory.EXCLUDED.values())


def test_federal_deployments(full_db: sqlite3.Connection) -> None:
    kept = [r for r in raw_federal_rows() if r["Use Case ID"] not in federal_inventory.EXCLUDED]
    assert len(kept) == len(federal_inventory.reviewed_rows(FED_RAW)) == 24
    rows = {
        r["id"]: r
        for r in full_db.execute(
            "SELECT * FROM deployments WHERE dataset_id = ?", (federal_inventory.DATASET_ID,)
        )
    }
    assert len(rows) == len(kept)
    for excluded in federal_inventory.EXCLUDED:
        assert federal_inventory.deployment_id(excluded) not in rows
        assert scalar(full_db, "SELECT COUNT(*) FROM deployments WHERE note LIKE ?", f"%{excluded}.%") == 0
    stage = {"Deployed": "active", "Pilot": "trial", "Retired": "ended"}
    for r in kept:
        d = rows[federal_inventory.deployment_id(r["Use Case ID"])]
        assert d["status"] == stage.get(r["Stage of Development"], "unknown")
        assert d["product"] == r["Use Case Name"].strip()
        assert not d["link"]
    clearview = rows[federal_inventory.deployment_id("DHS-2729")]
    assert (clearview["vendor_id"], clearview["customer_id"], clearview["status"]) == (
        "clearview-ai",
        "us-customs-and-border-protection",
        "trial",
    )
    assert rows[federal_inventory.deployment_id("DOJ-0226")]["customer_id"] == "us-marshals-service"
    assert rows[federal_inventory.deployment_id("DHS-2457")]["vendor_id"] == "undisclosed-vendor"


def test_federal_agencies_resolve_to_curated_customers(full_db: sqlite3.Connection) -> None:
    for cid in ("us-customs-and-border-protection", "us-immigration-and-customs-enforcement"):
        assert scalar(full_db, "SELECT COUNT(*) FROM customers WHERE id = ?", cid) == 1
    assert scalar(full_db, "SELECT COUNT(*) FROM customers WHERE aliases LIKE '%CBP%'") == 1
    assert (
        scalar(
            full_db,
            "SELECT COUNT(*) FROM deployments WHERE dataset_id = ? AND customer_id = ?",
            federal_inventory.DATASET_ID,
            "federal-bureau-of-investigation",
        )
        == 3
    )


def test_federal_start_dates() -> None:
    assert federal_inventory.parse_start("2025-10-09 00:00:00")[0] == "2025-10-09"
    assert federal_inventory.parse_start("2018-12-01 00:00:00")[0] == "2018-12"
    assert federal_inventory.parse_start("2017-01-01 00:00:00")[0] == "2017"
    assert federal_inventory.parse_start("01/2025")[0] == "2025-01"
    assert federal_inventory.parse_start("[blank]")[0] == ""


# -- NIST FRVT ------------------------------------------------------------------------------------
def test_nist_figures_match_raw_cells(full_db: sqlite3.Connection) -> None:
    n = raw_nist_cells()
    assert len(nist_frvt.derive_cells(EXTERNAL)) == n
    assert (
        scalar(full_db, "SELECT COUNT(*) FROM study_figures WHERE dataset_id = ?", nist_frvt.DATASET_ID) == n
    )
    assert (
        scalar(
            full_db,
            "SELECT COUNT(*) FROM study_figures WHERE study_id = ? AND vendor_id IS NULL",
            nist_frvt.STUDY_ID,
        )
        == 0
    )
    study = full_db.execute("SELECT * FROM studies WHERE id = ?", (nist_frvt.STUDY_ID,)).fetchone()
    assert study["org"] == "NIST" and study["date"] == "2020"
    assert study["url"] == "https://pages.nist.gov/frvt/html/frvt11.html"


def test_nist_prefix_map_links_curated_vendors(full_db: sqlite3.Connection) -> None:
    for prefix, vendor in (("idemia", "idemia"), ("rankone", "rank-one-computing"), ("megvii", "megvii")):
        assert (
            scalar(
                full_db,
                "SELECT COUNT(*) FROM study_figures WHERE study_id = ? AND vendor_label LIKE ? AND vendor_id != ?",
                nist_frvt.STUDY_ID,
                f"{prefix}-%",
                vendor,
            )
            == 0
        )
    row = full_db.execute(
        "SELECT value, value_text, metric, subgroup FROM study_figures WHERE id = ?",
        ("nist-frvt-11-2020-3divi-004-mugshot-1e-5",),
    ).fetchone()
    assert (row["value"], row["value_text"], row["metric"], row["subgroup"]) == (
        0.0097,
        "0.0097",
        "FNMR at FMR=1e-5",
        "Mugshot",
    )
    vendor = full_db.execute("SELECT * FROM vendors WHERE id = 'nist-3divi'").fetchone()
    assert vendor["name"] == "3Divi" and vendor["origin"] == "nist-frvt"
    assert vendor["known_from"] == "NIST benchmark only"


def test_nist_developers_carry_the_name_nist_gives(full_db: sqlite3.Connection) -> None:
    rows = {r["id"]: r for r in full_db.execute("SELECT * FROM vendors WHERE origin = 'nist-frvt'")}
    assert rows["nist-yuan"]["name"] == "Yuan High-Tech Development"
    assert rows["nist-vd"]["name"] == "Visidon" and rows["nist-vd"]["aliases"] == "vd"
    assert rows["nist-upc"]["name"] == "China University of Petroleum"
    assert rows["nist-vd"]["hq_country"] == "FI"
    cited = {
        r[0]
        for r in full_db.execute(
            "SELECT source_id FROM citations WHERE entity = 'vendors' AND record_id = 'nist-vd'"
        )
    }
    assert "id-s01" in cited
    # Every name comes from the NIST page read; prefixes it does not list stay as NIST writes them.
    unnamed = {vid for vid, r in rows.items() if r["name"] == vid.removeprefix("nist-")}
    assert unnamed == {"nist-hr", "nist-mt", "nist-ultinous"}
    assert full_db.execute("SELECT kind FROM sources WHERE id = 'id-s01'").fetchone()[0] == "primary"


def test_vendors_known_from_and_customer_sectors(full_db: sqlite3.Connection) -> None:
    known = dict(full_db.execute("SELECT id, known_from FROM vendors").fetchall())
    assert known["clearview-ai"] == "Customers or counts"
    assert known["nist-yuan"] == "NIST benchmark only"
    # A curated vendor NIST also measured is not benchmark-only.
    assert known["idemia"] == "Customers or counts"
    # The stand-in for an undisclosed vendor is not ranked among vendors by its customers.
    assert known["undisclosed-vendor"] == "Placeholder (not a vendor)"
    benchmark_only = [v for v, k in known.items() if k == "NIST benchmark only"]
    for vid in benchmark_only:
        assert (
            full_db.execute(
                "SELECT (SELECT COUNT(*) FROM deployments WHERE vendor_id = ?) + "
                "(SELECT COUNT(*) FROM event_vendors WHERE vendor_id = ?) + "
                "(SELECT COUNT(*) FROM customer_counts WHERE vendor_id = ?)",
                (vid, vid, vid),
            ).fetchone()[0]
            == 0
        ), vid
    sector = dict(full_db.execute("SELECT id, sector FROM customers").fetchall())
    assert sector["new-york-city-police-department"] == "Police and government"
    assert sector["bmw"] == "Companies"
    assert sector["ballarat-clarendon-college"] == "Education"


# -- common rules --------------------------------------------------------------------------------
def test_datasets_have_licence_and_attribution(full_db: sqlite3.Connection) -> None:
    rows = {r["id"]: r for r in full_db.execute("SELECT * FROM datasets")}
    for did, (licence, attribution) in DATASETS.items():
        assert did in rows
        assert rows[did]["licence"].startswith(licence)
        assert rows[did]["attribution"].startswith(attribution)
        assert rows[did]["upstream"] and rows[did]["url"]
    assert rows[aiaaic.DATASET_ID]["attribution"] == aiaaic.ATTRIBUTION


def test_dataset_row_counts_match_tables(full_db: sqlite3.Connection) -> None:
    table_of = {kind: table.name for kind, table in TABLE_OF_KIND.items()}
    for row in full_db.execute("SELECT id, rows_detail, rows_imported FROM datasets"):
        detail = dict(part.split(": ") for part in row["rows_detail"].split("; "))
        for kind, n in detail.items():
            got = scalar(full_db, f"SELECT COUNT(*) FROM {table_of[kind]} WHERE dataset_id = ?", row["id"])
            assert got == int(n), (row["id"], kind)
        assert sum(int(n) for n in detail.values()) == row["rows_imported"]


def test_every_imported_row_has_citation_dataset_and_partial_status(full_db: sqlite3.Connection) -> None:
    origins = ("aiaaic", "us-federal-ai-inventory-2025", "nist-frvt")
    for table in ("vendors", "customers"):
        orphans = scalar(
            full_db,
            f"SELECT COUNT(*) FROM {table} WHERE origin IN (?, ?, ?) AND dataset_id IS NULL",
            *origins,
        )
        assert orphans == 0, table
    for table in FACT_TABLES:
        imported = full_db.execute(
            f"SELECT id, verification, verification_note FROM {table} WHERE dataset_id IS NOT NULL"
        ).fetchall()
        for r in imported:
            assert r["verification"] == "partial", (table, r["id"])
            assert r["verification_note"], (table, r["id"])
        uncited = scalar(
            full_db,
            f"SELECT COUNT(*) FROM {table} t WHERE t.dataset_id IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM citations c WHERE c.entity = ? AND c.record_id = t.id)",
            table,
        )
        assert uncited == 0, table
    # Imported events cite dataset sources only, at least one of their own dataset (an entry of another
    # dataset about the same happening is one more source of the event, not a second event).
    mismatched = scalar(
        full_db,
        "SELECT COUNT(*) FROM citations c JOIN sources s ON s.id = c.source_id "
        "JOIN events e ON c.entity = 'events' AND e.id = c.record_id "
        "WHERE e.dataset_id IS NOT NULL AND s.dataset_id IS NULL",
    )
    assert mismatched == 0
    without_own = scalar(
        full_db,
        "SELECT COUNT(*) FROM events e WHERE e.dataset_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM citations c "
        "JOIN sources s ON s.id = c.source_id WHERE c.entity = 'events' AND c.record_id = e.id "
        "AND s.dataset_id = e.dataset_id)",
    )
    assert without_own == 0
    assert (
        scalar(full_db, "SELECT COUNT(*) FROM sources WHERE dataset_id IS NOT NULL AND kind != 'dataset'")
        == 0
    )


def test_importers_work_without_curated_data(
    bare_db: sqlite3.Connection, full_db: sqlite3.Connection
) -> None:
    for table, did in (
        ("events", aiaaic.DATASET_ID),
        ("deployments", federal_inventory.DATASET_ID),
        ("study_figures", nist_frvt.DATASET_ID),
    ):
        bare = scalar(bare_db, f"SELECT COUNT(*) FROM {table} WHERE dataset_id = ?", did)
        full = scalar(full_db, f"SELECT COUNT(*) FROM {table} WHERE dataset_id = ?", did)
        if table == "events":
            # Entries merged into a curated event keep an event of their own without the curated data.
            full += sum(1 for s in SAME_HAPPENING if not s.event.startswith("aiaaic-"))
        assert bare == full > 0
    # Vendors the federal rows name are created when no curated record exists.
    assert scalar(bare_db, "SELECT COUNT(*) FROM vendors WHERE id IN ('nec', 'clearview-ai')") == 2


def test_import_is_deterministic() -> None:
    first = build.rows_for(build.collect())
    second = build.rows_for(build.collect())
    assert first == second
