"""Integrity of the whole reference database (curated records plus the imported datasets).

Builds the full database (all TOML sources and every importer) into a temporary folder and checks:
every fact row is cited by an existing source; one record per real organisation (no name or alias
shared inside vendors or inside customers, and alias search resolves to one record); the records
described by both research files were merged, not doubled; and nothing listed under "Leads not
verified" in either research file was encoded.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from db.build import org_key  # noqa: E402

from faceledger.data.database import Database  # noqa: E402
from faceledger.data.repositories import Repositories  # noqa: E402
from faceledger.data.schema import FACT_TABLES  # noqa: E402

RESEARCH = ROOT.parent / "shared" / "research"



@pytest.fixture()
def conn(full_rows: sqlite3.Connection) -> sqlite3.Connection:
    return full_rows


@pytest.fixture(scope="module")
def repos(full_build: Path) -> Iterator[Repositories]:
    database = Database.open(full_build)
    yield Repositories(database)
    database.close()


def _sources(conn: sqlite3.Connection, entity: str, rid: str) -> set[str]:
    return {
        r[0]
        for r in conn.execute(
            "SELECT source_id FROM citations WHERE entity = ? AND record_id = ?", (entity, rid)
        )
    }


def _row(conn: sqlite3.Connection, table: str, rid: str) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (rid,)).fetchone()
    assert row is not None, f"{table} {rid} missing"
    return row


def _curated_text(conn: sqlite3.Connection) -> str:
    """All text of the curated (not imported) fact rows, one big string."""
    parts: list[str] = []
    for table in FACT_TABLES:
        for row in conn.execute(f"SELECT * FROM {table} WHERE dataset_id IS NULL"):
            parts.extend(str(v) for v in tuple(row) if isinstance(v, str))
    parts.extend(r[0] for r in conn.execute("SELECT alias FROM aliases"))
    return "\n".join(parts)


# -- citations ---------------------------------------------------------------------------------


@pytest.mark.parametrize("table", FACT_TABLES)
def test_every_fact_row_has_an_existing_source(conn: sqlite3.Connection, table: str) -> None:
    total = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    assert total > 0
    uncited = [
        r[0]
        for r in conn.execute(
            f"""SELECT t.id FROM {table} t
                WHERE NOT EXISTS (
                    SELECT 1 FROM citations c JOIN sources s ON s.id = c.source_id
                    WHERE c.entity = ? AND c.record_id = t.id)""",
            (table,),
        )
    ]
    assert uncited == [], f"{table}: rows without an existing source: {uncited[:10]}"


def test_no_citation_points_nowhere(conn: sqlite3.Connection) -> None:
    dangling = conn.execute(
        "SELECT c.entity, c.record_id, c.source_id FROM citations c "
        "LEFT JOIN sources s ON s.id = c.source_id WHERE s.id IS NULL"
    ).fetchall()
    assert [tuple(r) for r in dangling] == []
    orphans = []
    for table in FACT_TABLES:
        orphans += conn.execute(
            f"SELECT entity, record_id FROM citations WHERE entity = ? "
            f"AND record_id NOT IN (SELECT id FROM {table})",
            (table,),
        ).fetchall()
    assert [tuple(r) for r in orphans] == []


# -- one record per organisation ---------------------------------------------------------------


@pytest.mark.parametrize("table", ["vendors", "customers"])
def test_no_duplicate_organisation_names_or_aliases(conn: sqlite3.Connection, table: str) -> None:
    owner: dict[str, str] = {}
    clashes = []
    rows = conn.execute(
        f"SELECT id, name FROM {table} UNION ALL SELECT record_id, alias FROM aliases WHERE entity = ?",
        (table,),
    ).fetchall()
    for rid, name in rows:
        key = org_key(name)
        assert key, f"{table} {rid}: empty name or alias"
        if owner.setdefault(key, rid) != rid:
            clashes.append((name, owner[key], rid))
    assert clashes == []


def _org_keys(conn: sqlite3.Connection, table: str, rid: str) -> set[str]:
    row = conn.execute(f"SELECT name FROM {table} WHERE id = ?", (rid,)).fetchone()
    keys = {org_key(row[0])}
    keys |= {
        org_key(r[0])
        for r in conn.execute("SELECT alias FROM aliases WHERE entity = ? AND record_id = ?", (table, rid))
    }
    return keys


ALIASES = [
    ("customers", "NYPD", "new-york-city-police-department"),
    ("customers", "New York City Police Department", "new-york-city-police-department"),
    ("customers", "New York Police Department", "new-york-city-police-department"),
    ("customers", "RCMP", "royal-canadian-mounted-police"),
    ("customers", "Royal Canadian Mounted Police", "royal-canadian-mounted-police"),
    ("customers", "Met Police", "metropolitan-police-service"),
    ("customers", "London Metropolitan Police Service", "metropolitan-police-service"),
    ("customers", "TSA", "us-transportation-security-administration"),
    ("customers", "US State Department", "us-department-of-state"),
    ("customers", "ICMEC", "international-centre-for-missing-exploited-children"),
    ("vendors", "IDEMIA", "idemia"),
    ("vendors", "Idemia", "idemia"),
    ("vendors", "MorphoTrust", "idemia"),
    ("vendors", "IDEMIA Identity & Security North America", "idemia"),
    ("vendors", "Face++", "megvii"),
    ("vendors", "Megvii Face++", "megvii"),
    ("vendors", "Amazon Rekognition", "amazon"),
    ("vendors", "Northgate Public Services", "nec"),
]


# Three-letter aliases that are also common letter runs ("ice" in "police", "office") match
# hundreds of records in the trigram index and are not ranked first, so they are searched with a
# larger limit; the alias itself must still belong to exactly one record.
SHORT_ALIASES = [("customers", "ICE", "us-immigration-and-customs-enforcement")]


@pytest.mark.parametrize(
    ("table", "alias", "rid", "limit"),
    [(*a, 10) for a in ALIASES] + [(*a, 1000) for a in SHORT_ALIASES],
)
def test_alias_search_resolves_to_one_record(
    conn: sqlite3.Connection, repos: Repositories, table: str, alias: str, rid: str, limit: int
) -> None:
    # exactly one record of the type carries this name or alias ...
    key = org_key(alias)
    owners = {
        r[0]
        for r in conn.execute(
            f"SELECT id, name FROM {table} UNION SELECT record_id, alias FROM aliases WHERE entity = ?",
            (table,),
        )
        if org_key(r[1]) == key
    }
    assert owners == {rid}
    # ... and the full-text search finds it
    hits = repos.search.search_type(table, alias, limit)
    ids = [h.record_id for h in hits]
    assert rid in ids, f"search {alias!r} in {table}: {ids}"
    # no other hit is the same organisation under another name
    own = _org_keys(conn, table, rid)
    for other in ids:
        if other != rid:
            assert not (_org_keys(conn, table, other) & own), (alias, other)


# -- records described in both research files are merged, not doubled ------------------------

# studies-and-events.md id -> the record that holds it, with the se sources merged into it
MERGED = {
    "ibm-exit-2020": ("ibm-exit-2020", {"se-s84"}),
    "amazon-moratorium-2020": ("amazon-moratorium-2020", {"se-s85"}),
    "microsoft-pause-2020": ("microsoft-pause-2020", {"se-s87"}),
    "amazon-extension-2021": ("amazon-moratorium-extension-2021", {"se-s86"}),
    "williams-detroit-2020": (
        "detroit-robert-williams-wrongful-arrest-2020-01",
        {"se-s58", "se-s61", "se-s62", "se-s63", "se-s64", "se-s65", "se-s66", "se-s128"},
    ),
    "bridges-ruling-2020": ("bridges-v-south-wales-police-court-of-appeal-2020-08-11", {"se-s108", "se-s77"}),
    "opc-canada-clearview-2021": ("canada-commissioners-clearview-findings-2021", {"se-s106"}),
    "opc-canada-rcmp-2021": ("canada-opc-rcmp-report-2021", {"se-s106"}),
    "oaic-clearview-2021": ("australia-oaic-determination-2021", {"se-s105"}),
    "ico-provisional-clearview-2021": ("uk-ico-provisional-fine-2021", {"se-s100", "se-s148", "se-s149"}),
    "garante-clearview-2022": ("italy-garante-fine-2022", {"se-s101"}),
    "ico-clearview-2022": ("uk-ico-fine-2022", {"se-s100"}),
    "hdpa-clearview-2022": ("greece-hdpa-fine-2022", {"se-s102"}),
    "cnil-clearview-2022": ("france-cnil-fine-2022", {"se-s103"}),
    "cnil-clearview-penalty-2023": ("france-cnil-penalty-2023", {"se-s103"}),
    "ftt-clearview-2023": ("uk-first-tier-tribunal-2023", {"se-s100"}),
    "dutch-ap-clearview-2024": ("netherlands-ap-fine-2024", {"se-s104"}),
    "ut-clearview-2025": ("uk-upper-tribunal-2025", {"se-s100"}),
    "aclu-clearview-settlement-2022": ("aclu-v-clearview-settlement-2022", {"se-s107"}),
    "clearview-bipa-class-2025": (
        "clearview-bipa-class-settlement-2025",
        {"se-s115", "se-s154", "se-s155", "se-s156", "se-s157", "se-s162"},
    ),
}


@pytest.mark.parametrize("se_id", sorted(MERGED))
def test_shared_happenings_are_one_record(conn: sqlite3.Connection, se_id: str) -> None:
    target, se_sources = MERGED[se_id]
    if se_id != target:
        assert conn.execute("SELECT 1 FROM events WHERE id = ?", (se_id,)).fetchone() is None
    _row(conn, "events", target)
    cited = _sources(conn, "events", target)
    assert se_sources <= cited
    assert any(s.startswith("vc-") for s in cited)


def test_williams_arrest_merged_details(conn: sqlite3.Connection) -> None:
    eid = "detroit-robert-williams-wrongful-arrest-2020-01"
    r = _row(conn, "events", eid)
    assert r["date"] == "2020-01-09"
    assert r["person"] == "Robert Julian-Borchak Williams"
    assert r["place"] == "Farmington Hills, Michigan"
    assert "30 hours" in r["summary"]
    assert r["amount"] is None  # the settlement is its own event
    customers = {
        c[0] for c in conn.execute("SELECT customer_id FROM event_customers WHERE event_id = ?", (eid,))
    }
    assert customers == {"detroit-police-department", "michigan-state-police"}
    # the vendor behind this search is only a lead: no vendor linked
    assert conn.execute("SELECT COUNT(*) FROM event_vendors WHERE event_id = ?", (eid,)).fetchone()[0] == 0


def test_aclu_congress_test_is_event_and_study(conn: sqlite3.Connection) -> None:
    ev = _row(conn, "events", "amazon-aclu-congress-test-2018")
    assert {"se-s12", "se-s13", "se-s15"} <= _sources(conn, "events", ev["id"])
    assert "aclu-rekognition-congress-2018" in ev["note"]
    _row(conn, "studies", "aclu-rekognition-congress-2018")


def test_ico_provisional_amount_marked_approximate(conn: sqlite3.Connection) -> None:
    r = _row(conn, "events", "uk-ico-provisional-fine-2021")
    assert "approximate" in r["note"] and "just over" in r["note"]


def test_aclu_settlement_fees_are_not_the_amount(conn: sqlite3.Connection) -> None:
    r = _row(conn, "events", "aclu-v-clearview-settlement-2022")
    assert r["amount"] is None
    assert "250,000" in r["note"] and "fees" in r["note"]


def test_no_doubled_curated_events(conn: sqlite3.Connection) -> None:
    seen: dict[tuple[str, ...], str] = {}
    for r in conn.execute("SELECT id, date, kind FROM events WHERE dataset_id IS NULL"):
        if len(r["date"]) < 10:
            continue  # only day-precise dates are compared
        vendors = ",".join(
            sorted(
                v[0]
                for v in conn.execute("SELECT vendor_id FROM event_vendors WHERE event_id = ?", (r["id"],))
            )
        )
        customers = ",".join(
            sorted(
                c[0]
                for c in conn.execute(
                    "SELECT customer_id FROM event_customers WHERE event_id = ?", (r["id"],)
                )
            )
        )
        key = (r["date"], r["kind"], vendors, customers)
        assert key not in seen, f"{r['id']} repeats {seen.get(key)}"
        seen[key] = r["id"]


# -- "Leads not verified" ----------------------------------------------------------------------

LEAD_STRINGS = [
    # vendors-and-customers.md
    "3,100 US agencies",
    "3,100 agencies",
    "Atlanta Police",
    "Broward",
    "New York State Police",
    "Hamburg",
    "Austrian data",
    "Austrian DPA",
    "binding order",
    "Courbevoie",
    "Smart Identity",
    "US Army",
    # studies-and-events.md
    "10.1145/3306618.3314244",
    "10.1145/3287560.3287572",
    "IntelCenter",
    "Matt Wood",
    "Chapter 253",
    "Honolulu",
]


def test_lead_strings_absent_from_curated_records(conn: sqlite3.Connection) -> None:
    text = _curated_text(conn).lower()
    found = [s for s in LEAD_STRINGS if s.lower() in text]
    assert found == []


def test_no_lead_customers_or_contracts(conn: sqlite3.Connection) -> None:
    curated_customers = {
        org_key(r[0])
        for r in conn.execute(
            "SELECT name FROM customers WHERE dataset_id IS NULL UNION "
            "SELECT a.alias FROM aliases a JOIN customers c ON c.id = a.record_id "
            "WHERE a.entity = 'customers' AND c.dataset_id IS NULL"
        )
    }
    for lead in ("New York State Police", "Atlanta Police Department", "Broward County Sheriff's Office"):
        assert org_key(lead) not in curated_customers
    # later Clearview contracts with the FBI, Secret Service, Army or CBP are leads only
    rows = conn.execute(
        "SELECT id, customer_id, start FROM deployments WHERE dataset_id IS NULL AND vendor_id = 'clearview-ai'"
    ).fetchall()
    for r in rows:
        assert r["customer_id"] not in ("us-secret-service", "us-customs-and-border-protection"), r["id"]
        assert "army" not in r["customer_id"], r["id"]
    fbi = _row(conn, "deployments", "clearview-ai--federal-bureau-of-investigation")
    assert not fbi["start"] or fbi["start"] <= "2020"
    # Chinese police customers of SenseTime and Megvii are leads only
    n = conn.execute(
        "SELECT COUNT(*) FROM deployments WHERE dataset_id IS NULL AND vendor_id IN ('sensetime', 'megvii')"
    ).fetchone()[0]
    assert n == 0
    # whether South Wales Police resumed live face recognition after 2020 is a lead of the research;
    # it is stored as active only on a later report that was read and cited (Biometric Update, 2025)
    swp = _row(conn, "deployments", "nec--south-wales-police")
    assert swp["end"] is None
    assert swp["status"] == "unknown" or "pv-s10" in _sources(conn, "deployments", "nec--south-wales-police")


def test_no_lead_company_facts(conn: sqlite3.Connection) -> None:
    for vid in ("herta-security", "iomniscient", "ayonix", "rank-one-computing"):
        assert _row(conn, "vendors", vid)["founded"] is None, vid
    assert "Courbevoie" not in (_row(conn, "vendors", "idemia")["hq_city"] or "")
    # North Gate Public Services as an NEC subsidiary is a lead of studies-and-events.md
    nec_aliases = {
        org_key(r[0])
        for r in conn.execute("SELECT alias FROM aliases WHERE entity = 'vendors' AND record_id = 'nec'")
    }
    assert not any(k.startswith("north gate") for k in nec_aliases)
    # the exact Rekognition launch day is a lead
    assert _row(conn, "events", "amazon-rekognition-launch-2016")["date"] == "2016"


def test_unconfirmed_counts_stay_unverified(conn: sqlite3.Connection) -> None:
    for cid, value in (("clearview-ai-2020-06-wsj", 2400), ("nec-2020-06-wsj", 20)):
        r = _row(conn, "customer_counts", cid)
        assert (r["value"], r["verification"]) == (value, "unverified")
    r = _row(conn, "customer_counts", "clearview-ai-us-3100-wikipedia")
    assert r["verification"] == "unverified"
    assert "users" in r["subject"]


def test_williams_settlement_rests_on_studies_and_events_only(conn: sqlite3.Connection) -> None:
    # vendors-and-customers.md lists the 2024 settlement (amount and date) as a lead; the
    # studies-and-events.md record verifies it through AP (se-s64) and the Michigan sources.
    r = _row(conn, "events", "williams-settlement-2024")
    assert (r["date"], r["amount"], r["currency"]) == ("2024-06-28", 300000, "USD")
    cited = _sources(conn, "events", "williams-settlement-2024")
    assert "se-s64" in cited
    assert all(s.startswith("se-") for s in cited)
    # no record resting on vendors-and-customers.md sources carries the settlement amount
    rows = conn.execute(
        "SELECT DISTINCT e.id FROM events e JOIN citations c ON c.entity = 'events' AND c.record_id = e.id "
        "WHERE e.dataset_id IS NULL AND e.amount = 300000 AND c.source_id LIKE 'vc-%'"
    ).fetchall()
    assert rows == []


def test_incident_leads_absent(conn: sqlite3.Connection) -> None:
    # Reid settlement (AIAAIC only) and Parks settlement are leads; neither incident names a vendor
    for eid in ("reid-louisiana-2022", "parks-woodbridge-2019"):
        r = _row(conn, "events", eid)
        assert r["amount"] is None and r["kind"] == "wrongful arrest", eid
        assert (
            conn.execute("SELECT COUNT(*) FROM event_vendors WHERE event_id = ?", (eid,)).fetchone()[0] == 0
        )
    # Vermont signing day, Oakland final adoption and San Francisco second reading are leads
    assert _row(conn, "events", "vermont-moratorium-2020")["date"] == "2020-10"
    dates = {r[0] for r in conn.execute("SELECT date FROM events WHERE dataset_id IS NULL")}
    assert not dates & {"2019-09-17", "2019-05-21", "2020-10-07"}
    # NISTIR 8280 findings on the elderly and children are leads
    rows = conn.execute(
        "SELECT subgroup || ' ' || metric FROM study_figures WHERE study_id = 'nist-frvt-part3-2019'"
    ).fetchall()
    assert not any(re.search(r"elderly|children", r[0], re.I) for r in rows)


# -- every research bullet has its record -------------------------------------------------------


def _bullets(name: str, leads_heading: str) -> list[str]:
    path = RESEARCH / name
    if not path.exists():
        pytest.skip(f"research file {path} not available")
    text = path.read_text(encoding="utf-8").split(leads_heading)[0]
    return [line.strip() for line in text.splitlines() if re.match(r"\s*- \w+: ", line)]


def _kind(line: str) -> str:
    return line[2:].split(":", 1)[0]


def test_vendors_and_customers_bullets_have_records(conn: sqlite3.Connection) -> None:
    lines = _bullets("vendors-and-customers.md", "## Leads not verified")
    n = {k: sum(1 for b in lines if _kind(b) == k) for k in ("vendor", "relationship", "count", "event")}

    def curated_citing(table: str, prefix: str) -> int:
        return int(
            conn.execute(
                f"SELECT COUNT(DISTINCT t.id) FROM {table} t JOIN citations c "
                f"ON c.entity = ? AND c.record_id = t.id WHERE t.dataset_id IS NULL AND c.source_id LIKE ?",
                (table, prefix + "%"),
            ).fetchone()[0]
        )

    # one record per event and count bullet
    assert curated_citing("events", "vc-") == n["event"]
    assert curated_citing("customer_counts", "vc-") == n["count"]
    # every profiled vendor, plus the suppliers of section 10.6
    assert curated_citing("vendors", "vc-") >= n["vendor"]
    # a relationship bullet naming several organisations gives one deployment per organisation
    assert curated_citing("deployments", "vc-") >= n["relationship"]
    # each relationship bullet's vendor has a deployment citing one of the bullet's sources
    names = {
        org_key(r[1]): r[0]
        for r in conn.execute(
            "SELECT id, name FROM vendors UNION SELECT record_id, alias FROM aliases WHERE entity = 'vendors'"
        )
    }
    for b in (b for b in lines if _kind(b) == "relationship"):
        vendor_part = org_key(b.split(":", 1)[1].split("->")[0])
        vendor_ids = {vid for key, vid in names.items() if re.search(rf"\b{re.escape(key)}\b", vendor_part)}
        sources = {f"vc-s{m}" for m in re.findall(r"\[S(\d+)\]", b)}
        assert vendor_ids and sources, b[:80]
        ph_v = ",".join("?" * len(vendor_ids))
        ph_s = ",".join("?" * len(sources))
        found = conn.execute(
            f"SELECT COUNT(*) FROM deployments d JOIN citations c ON c.entity = 'deployments' "
            f"AND c.record_id = d.id WHERE d.vendor_id IN ({ph_v}) AND c.source_id IN ({ph_s})",
            (*vendor_ids, *sources),
        ).fetchone()[0]
        assert found, b[:80]


def test_studies_and_events_bullets_have_records(conn: sqlite3.Connection) -> None:
    lines = _bullets("studies-and-events.md", "## 5. Leads not verified")
    studies = [b.split(":", 1)[1].split("|")[0].strip() for b in lines if _kind(b) == "study"]
    for sid in studies:
        _row(conn, "studies", sid)
    figures = sum(1 for b in lines if _kind(b) == "figure")
    placeholders = ",".join("?" * len(studies))
    curated_figures = conn.execute(
        f"SELECT COUNT(*) FROM study_figures WHERE study_id IN ({placeholders})", studies
    ).fetchone()[0]
    assert curated_figures == figures
    for b in lines:
        if _kind(b) not in ("event", "incident"):
            continue
        eid = b.split(":", 1)[1].split("|")[0].strip()
        target = MERGED.get(eid, (eid, set()))[0]
        assert conn.execute("SELECT 1 FROM events WHERE id = ?", (target,)).fetchone(), eid
