"""Importer for the 2025 US federal agency AI use case inventories (face recognition use cases only).

Raw files: db/external/us-federal-ai-use-cases-2025/2025_consolidated_ai_inventory.csv and agencies.csv
(see PROVENANCE.md there). Works of the US government (public domain in the US).

Selection: the regex of PROVENANCE.md over use case name, problem, outputs, system name and vendor
(28 rows), then a hand review: every selected use case id must appear either in REVIEWED (imported,
with our own short summary) or in EXCLUDED (with the reason). A use case id in neither table stops the
build, so a changed raw file is reviewed again before it is imported.

Each imported use case becomes a [[deployment]] from the named vendor (or the placeholder vendor
"undisclosed-vendor" when the inventory names none) to the agency component as a [[customer]].
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.build import Collection, Dataset, org_key
from db.importers._common import add_alias_if_free, clean, fail, read_csv_dicts

DATASET_ID = "us-federal-ai-inventory-2025"
ORIGIN = "us-federal-ai-inventory-2025"
SUBDIR = "us-federal-ai-use-cases-2025"
RAW_FILE = "2025_consolidated_ai_inventory.csv"
AGENCIES_FILE = "agencies.csv"
ORIGIN_FILE = f"db/external/{SUBDIR}/{RAW_FILE}"
ATTRIBUTION = (
    "US federal agency AI use case inventories 2025, consolidated by the "
    "triphora/2025-Federal-Agency-AI-Use-Case-Inventory project; works of the US government."
)
VERIFICATION_NOTE = (
    "Imported from the 2025 US federal AI use case inventories (agency self-reports, read in the "
    "triphora consolidated copy); not re-checked against the agencies' original files."
)

COL_AGENCY = "Agency"
COL_ID = "Use Case ID"
COL_NAME = "Use Case Name"
COL_BUREAU = "Bureau/Component"
COL_STAGE = "Stage of Development"
COL_PROBLEM = "What problem is the AI intended to solve?"
COL_OUTPUTS = "Describe the AI system's outputs."
COL_DATE = "Date when AI use case became operational or the pilot's start date"
COL_ACQUIRED = "Was the system involved in this use case purchased from a vendor or developed under contract(s) or in-house?"
COL_VENDOR = "Vendor(s) Name"
COL_SYSTEM = "System(s) Name"
MATCH_COLUMNS = (COL_NAME, COL_PROBLEM, COL_OUTPUTS, COL_SYSTEM, COL_VENDOR)

# The selection regex given in PROVENANCE.md (case-insensitive).
FACE_RE = re.compile(
    r"facial recog|face recog|facial comparison|face comparison|face match|facial match|"
    r"facial biometric|face biometric|facial verification|face verification",
    re.IGNORECASE,
)

STATUS = {"deployed": "active", "operation": "active", "pilot": "trial", "retired": "ended"}

UNDISCLOSED_VENDOR = "undisclosed-vendor"

# -- Review of the 28 selected rows ------------------------------------------------------------
# Excluded: selected by the regex but not a face recognition use case.
EXCLUDED: dict[str, str] = {
    # Brain-surgery alignment software; the regex hit "surface matching", not faces.
    "VA-24-6001": "surgical cranial alignment software; 'face match' is part of 'surface matching'",
    # Generative-AI document review pilots; face recognition is only one listed media-tagging feature.
    "DOJ-0310": "Conduit AI, a generative-AI document review pilot; face recognition only named as a media-tagging feature",
    "DOJ-0313": "Cocounsel AI, a generative-AI document review pilot; face recognition only named as a media-tagging feature",
    # Open-source intelligence platforms; the row states they do NOT do face recognition.
    "DHS-2759": "ICE open-source intelligence platforms (Penlink, Fivecast); the outputs text says they perform no face recognition",
}


@dataclass(frozen=True)
class Review:
    """Our reading of one inventory row. `vendor` None = no face recognition vendor named."""

    vendor: str | None
    summary: str
    note: str = ""


REVIEWED: dict[str, Review] = {
    "DHS-2729": Review(
        "Clearview AI",
        "US Border Patrol (CBP) pilots a face search tool that returns look-alike photos of unidentified people "
        "as leads in national-security and transnational-crime work; analysts must verify every lead and no "
        "enforcement action may rest on a lead alone.",
    ),
    "DHS-2412": Review(
        None,
        "Officer-run identity checks of travellers on biometric entry: DHS face matching returns a match or "
        "no-match answer. The agency cites a congressional mandate for biometric entry processing.",
        "The inventory names only hardware suppliers (Apple and Samsung mobile devices, Logitech cameras), "
        "not the supplier of the face matching.",
    ),
    "DHS-2413": Review(
        "NEC",
        "Traveller-initiated identity verification on entry through the Traveler Verification Service (TVS), "
        "which answers match or no match.",
    ),
    "DHS-2414": Review(
        "NEC",
        "Identity verification of travellers by third parties for biometric exit, using DHS face matching "
        "(match or no match).",
    ),
    "DHS-2415": Review(
        "NEC",
        "Self-service identity verification of travellers on a mobile device through the Traveler Verification "
        "Service (TVS).",
        "The inventory writes 'NEC (algorithm only)'.",
    ),
    "DHS-2416": Review(
        "NEC",
        "The Traveler Verification Service (TVS) is used for vetting: face matches against records of concern "
        "that biographic checks miss; CBP staff then compare the faces by hand.",
    ),
    "DHS-2619": Review(
        "iProov",
        "CBP Link checks that the photo used for TVS face matching comes from a live person and confirms the "
        "user's presence when location is collected; outputs include identity confirmation, fraud alerts and "
        "traveller status.",
        "The inventory spells the vendor 'IProov'. iProov's part is described as the liveness check.",
    ),
    "DHS-2669": Review(
        "Rekor",
        "Land Border Integration reads licence plates and vehicle details at land ports of entry and applies "
        "face recognition to vehicle occupants; booth officers accept or correct the results.",
    ),
    "DHS-2731": Review(
        "NEC",
        "Mobile Fortify: a mobile application that checks people during operations against CBP face "
        "comparison or DHS fingerprint matching and shows either no match or a match with biographic data.",
    ),
    "DHS-398": Review(
        "NEC",
        "Unified Processing/Mobile Intake compares a person's live photo with government photo holdings to "
        "verify identity, aimed at people who may pose national-security or organised-crime risks.",
        "The inventory writes 'NEC (Nippon Electric Company)'.",
    ),
    "DHS-365": Review(
        None,
        "DHS uses on-demand face recognition reports from the State Department's Consular Consolidated "
        "Database (CCD), for visa records only.",
        "The inventory names the Department of State as the supplier; the maker of the underlying face "
        "recognition is not named.",
    ),
    "DHS-2457": Review(
        None,
        "ICE submits lawfully obtained face photos to a face recognition service that compares them with "
        "public online images, to find and identify vulnerable people such as unaccompanied minors; results "
        "are treated as leads.",
        "The inventory withholds the vendor as 'Law Enforcement Sensitive (LES)'.",
    ),
    "DHS-2458": Review(
        None,
        "ICE compares face photos with public online images through a face recognition service to identify "
        "people of interest in national-security investigations; results are treated as leads.",
        "The inventory withholds the vendor as 'Law Enforcement Sensitive (LES)'.",
    ),
    "DHS-2459": Review(
        None,
        "ICE compares face photos with public online images through a face recognition service to identify "
        "unknown people in investigations of transnational criminal organisations; results are treated as "
        "leads.",
        "The inventory withholds the vendor as 'Law Enforcement Sensitive (LES)'.",
    ),
    "DHS-2577": Review(
        "NEC",
        "ICE uses the Mobile Fortify application to confirm identities in the field: it captures face images, "
        "contactless fingerprints and identity documents and sends them to CBP for biometric matching.",
        "The inventory says NEC is CBP's vendor and that ICE reaches these capabilities through CBP without a "
        "direct contract with NEC.",
    ),
    "DHS-362": Review(
        None,
        "ICE's child exploitation investigators compare faces in newly found child sexual abuse material with "
        "public online images to identify unknown victims and offenders; results are treated as leads.",
        "The inventory withholds the vendor as 'Law Enforcement Sensitive (LES)'.",
    ),
    "DHS-413": Review(
        "Pluribus Digital",
        "USCIS verifies identity one-to-one through face matching in IDENT for I-765 cases, which the agency "
        "says speeds processing and meets an FBI Compact Council rule on biometric verification.",
    ),
    "DHS-415": Review(
        "NEC",
        "The Secret Service searches image galleries of known people for possible matches to identify victims "
        "and suspects in crimes against US financial and payment systems; matches serve as leads.",
    ),
    "DHS-2417": Review(
        "NEC",
        "Identity verification through the Traveler Verification Service (TVS) at airline check-in and bag "
        "drop (match or no match).",
    ),
    "DHS-401": Review(
        "NEC",
        "Face matching automatically identifies staff who enter a secure vault holding seized property.",
    ),
    "DOJ-0122": Review(
        None,
        "FBI face recognition that suggests possible matches as investigative leads.",
        "The inventory marks the system as developed in-house and names no vendor.",
    ),
    "DOJ-0126": Review(
        None,
        "FBI face recognition on open-source images, together with data mapping tools; possible matches go "
        "to human review.",
        "The inventory says the system was purchased from a vendor but leaves the vendor blank.",
    ),
    "DOJ-0137": Review(
        None,
        "FBI face recognition and data mapping tools used to identify victims of sex trafficking; suggested "
        "matches are leads.",
        "The inventory says the system was purchased from a vendor but leaves the vendor blank.",
    ),
    "DOJ-0226": Review(
        "Clearview AI",
        "The US Marshals Service matches a query photo against publicly available images to narrow down "
        "possible subjects; a match is only a lead and must be corroborated before any action.",
    ),
}


@dataclass(frozen=True)
class Org:
    id: str
    name: str
    aliases: tuple[str, ...]
    inventory_names: tuple[str, ...]  # names the inventory uses, added as aliases to existing records
    parent: str = ""  # key in AGENCIES


# Departments (the `Agency` column), keyed by the folded name the inventory uses.
AGENCIES: dict[str, Org] = {
    "department of homeland security": Org(
        "us-department-of-homeland-security",
        "US Department of Homeland Security",
        ("DHS", "Department of Homeland Security", "U.S. Department of Homeland Security"),
        ("Department of Homeland Security", "DHS"),
    ),
    "department of justice": Org(
        "us-department-of-justice",
        "US Department of Justice",
        ("DOJ", "Department of Justice", "U.S. Department of Justice"),
        ("Department of Justice", "DOJ"),
    ),
}

# Components (the `Bureau/Component` column as written), reviewed by hand.
BUREAUS: dict[str, Org] = {
    "CBP": Org(
        "us-customs-and-border-protection",
        "US Customs and Border Protection",
        ("CBP", "Customs and Border Protection", "U.S. Customs and Border Protection"),
        ("CBP",),
        "department of homeland security",
    ),
    "ICE": Org(
        "us-immigration-and-customs-enforcement",
        "US Immigration and Customs Enforcement",
        ("ICE", "Immigration and Customs Enforcement", "U.S. Immigration and Customs Enforcement"),
        ("ICE",),
        "department of homeland security",
    ),
    "USCIS": Org(
        "us-citizenship-and-immigration-services",
        "US Citizenship and Immigration Services",
        ("USCIS", "U.S. Citizenship and Immigration Services", "Citizenship and Immigration Services"),
        ("USCIS",),
        "department of homeland security",
    ),
    "USSS": Org(
        "us-secret-service",
        "US Secret Service",
        ("USSS", "United States Secret Service", "U.S. Secret Service", "Secret Service"),
        ("USSS",),
        "department of homeland security",
    ),
    "Department of Justice / FBI": Org(
        "federal-bureau-of-investigation",
        "Federal Bureau of Investigation",
        ("FBI",),
        ("FBI",),
        "department of justice",
    ),
    "Department of Justice / USMS": Org(
        "us-marshals-service",
        "US Marshals Service",
        ("USMS", "United States Marshals Service", "U.S. Marshals Service"),
        ("USMS",),
        "department of justice",
    ),
}
# Rows whose component is the department itself.
BUREAU_IS_AGENCY = {"DHS", ""}

# Vendors named in the reviewed rows: name -> id to use when FaceLedger has no such vendor yet.
VENDOR_IDS: dict[str, str] = {
    "NEC": "nec",
    "Clearview AI": "clearview-ai",
    "iProov": "iproov",
    "Rekor": "rekor",
    "Pluribus Digital": "pluribus-digital",
}


# -- Reading -------------------------------------------------------------------------------------
def read_rows(path: Path) -> list[dict[str, str]]:
    rows = read_csv_dicts(path)
    if rows:
        missing = [c for c in (COL_AGENCY, COL_ID, *MATCH_COLUMNS, COL_STAGE, COL_DATE) if c not in rows[0]]
        if missing:
            raise ValueError(f"{path}: missing columns {missing}")
    return rows


def matches(row: dict[str, str]) -> bool:
    return any(FACE_RE.search(row.get(c) or "") for c in MATCH_COLUMNS)


def derive_rows(path: Path) -> list[dict[str, str]]:
    """Rows selected by the PROVENANCE.md regex (before review), in file order."""
    return [r for r in read_rows(path) if matches(r)]


def reviewed_rows(path: Path) -> list[dict[str, str]]:
    """Selected rows that the review keeps (not in EXCLUDED), in file order."""
    return [r for r in derive_rows(path) if r[COL_ID].strip() not in EXCLUDED]


def status_of(stage: str) -> str:
    return STATUS.get(clean(stage).casefold(), "unknown")


_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}


def parse_start(text: str) -> tuple[str, str]:
    """(ISO date, note) from the inventory's operational date; ("", "") when not parseable.

    Spreadsheet dates arrive as 'YYYY-MM-DD 00:00:00'. A first-of-month day is most likely a spreadsheet
    default, so only the month is kept (only the year for 1 January), and the note says so.
    """
    t = clean(text)
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00:00)?$", t)
    if m:
        y, mo, d = m.groups()
        if d == "01" and mo == "01":
            return (
                y,
                f"The inventory gives {y}-01-01; read as the year only (likely a spreadsheet default day).",
            )
        if d == "01":
            return (
                f"{y}-{mo}",
                f"The inventory gives {y}-{mo}-01; read as the month only (likely a spreadsheet default day).",
            )
        return f"{y}-{mo}-{d}", ""
    m = re.match(r"^(\d{1,2})/(\d{4})$", t)
    if m and 1 <= int(m.group(1)) <= 12:
        return f"{m.group(2)}-{int(m.group(1)):02d}", ""
    m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", t)
    if m and 1 <= int(m.group(1)) <= 12 and 1 <= int(m.group(2)) <= 31:
        return f"{m.group(3)}-{int(m.group(1)):02d}-{int(m.group(2)):02d}", ""
    m = re.match(r"^([A-Za-z]+)\.? (\d{4})$", t)
    if m and m.group(1).casefold() in _MONTHS:
        return f"{m.group(2)}-{_MONTHS[m.group(1).casefold()]:02d}", ""
    m = re.match(r"^(\d{4})$", t)
    if m:
        return t, ""
    return "", ""


def deployment_id(use_case_id: str) -> str:
    return "fed-ai-2025-" + re.sub(r"[^0-9a-z]+", "-", use_case_id.casefold()).strip("-")


@dataclass
class Report:
    selected: list[str] = field(default_factory=list)
    excluded: dict[str, str] = field(default_factory=dict)
    imported: list[str] = field(default_factory=list)
    undisclosed: list[str] = field(default_factory=list)
    resolved: dict[str, str] = field(default_factory=dict)
    aliases_added: list[str] = field(default_factory=list)


LAST_REPORT = Report()


# -- Building ------------------------------------------------------------------------------------
def run(coll: Collection, external_dir: Path) -> None:
    global LAST_REPORT
    base = external_dir / SUBDIR
    path, agencies_path = base / RAW_FILE, base / AGENCIES_FILE
    for p in (path, agencies_path):
        if not p.exists():
            fail(coll, f"db/external/{SUBDIR}/{p.name}: file not found")
    report = Report()
    dataset = Dataset(
        id=DATASET_ID,
        name="US federal agency AI use case inventories 2025: face recognition use cases",
        publisher="US federal agencies (consolidated by triphora/2025-Federal-Agency-AI-Use-Case-Inventory)",
        licence="Public domain in the US (works of the US government, 17 U.S.C. 105)",
        licence_url="https://www.copyright.gov/title17/92chap1.html#105",
        attribution=ATTRIBUTION,
        url="https://github.com/triphora/2025-Federal-Agency-AI-Use-Case-Inventory",
        retrieved="2026-02-13",
        upstream=(
            "GitHub triphora/2025-Federal-Agency-AI-Use-Case-Inventory, commit "
            "79cefbb9034a7a86b00195b8d0e654ea582a6c1b, data/clean/2025_consolidated_ai_inventory.csv and "
            "data/raw/agencies.csv"
        ),
        note=(
            "Use cases matched by a face recognition regex, then reviewed by hand: "
            f"{len(EXCLUDED)} false positives excluded ({', '.join(sorted(EXCLUDED))}). Agency self-reports. "
            "The consolidated 'System(s) Name' column repeats the outputs text in most rows, so it is not used "
            "as a product name. 'retrieved' is the date of the consolidated snapshot."
        ),
    )
    coll.datasets.append(dataset)
    added: dict[str, int] = {}

    def add(kind: str, data: dict[str, Any]) -> None:
        coll.add(kind, data, ORIGIN_FILE)
        added[kind] = added.get(kind, 0) + 1

    selected = derive_rows(path)
    report.selected = [r[COL_ID].strip() for r in selected]
    unreviewed = [i for i in report.selected if i not in EXCLUDED and i not in REVIEWED]
    stale = sorted(set(REVIEWED) - set(report.selected)) + sorted(set(EXCLUDED) - set(report.selected))
    if unreviewed or stale:
        fail(
            coll,
            f"{ORIGIN_FILE}: the face recognition review is out of date "
            f"(not reviewed: {unreviewed}; reviewed but no longer selected: {stale}); "
            "update REVIEWED/EXCLUDED in db/importers/federal_inventory.py",
        )
    report.excluded = {i: EXCLUDED[i] for i in report.selected if i in EXCLUDED}
    rows = [r for r in selected if r[COL_ID].strip() in REVIEWED]

    # Agency file sources (only for agencies with imported rows).
    agency_urls = {
        org_key(a["agency"]): (clean(a["agency"]), clean(a.get("inventory_2025_file_url")))
        for a in read_csv_dicts(agencies_path)
    }
    source_of: dict[str, str] = {}
    for agency_key in sorted({org_key(r[COL_AGENCY]) for r in rows}):
        if agency_key not in AGENCIES:
            fail(coll, f"{ORIGIN_FILE}: agency {agency_key!r} has no entry in AGENCIES")
        name, url = agency_urls.get(agency_key, ("", ""))
        if not url:
            fail(coll, f"db/external/{SUBDIR}/{AGENCIES_FILE}: no inventory file URL for {agency_key!r}")
        sid = "us-ai-inventory-2025-" + AGENCIES[agency_key].aliases[0].casefold()
        add(
            "source",
            {
                "id": sid,
                "url": url,
                "publisher": name,
                "title": f"{name}: 2025 AI use case inventory",
                "kind": "dataset",
                "dataset": DATASET_ID,
                "note": (
                    "Agency inventory file as listed in the consolidated project's agencies.csv; FaceLedger read "
                    "the rows in the consolidated copy (triphora/2025-Federal-Agency-AI-Use-Case-Inventory)."
                ),
            },
        )
        source_of[agency_key] = sid

    # Which sources each organisation needs (rows that name it).
    org_sources: dict[str, set[str]] = {}
    vendor_sources: dict[str, set[str]] = {}
    vendor_rows: dict[str, list[str]] = {}
    for r in rows:
        akey, bureau = org_key(r[COL_AGENCY]), clean(r[COL_BUREAU])
        sid = source_of[akey]
        org_sources.setdefault(f"agency:{akey}", set()).add(sid)
        if bureau not in BUREAU_IS_AGENCY:
            if bureau not in BUREAUS:
                fail(
                    coll, f"{ORIGIN_FILE}: use case {r[COL_ID]}: component {bureau!r} has no entry in BUREAUS"
                )
            org_sources.setdefault(f"bureau:{bureau}", set()).add(sid)
        vendor = REVIEWED[r[COL_ID].strip()].vendor or UNDISCLOSED_VENDOR
        vendor_sources.setdefault(vendor, set()).add(sid)
        vendor_rows.setdefault(vendor, []).append(r[COL_ID].strip())

    def ensure_customer(org: Org, sources: set[str], parent_id: str) -> str:
        rid = coll.resolve("customer", org.name)
        for name in (*org.inventory_names, *org.aliases):
            if rid is None:
                rid = coll.resolve("customer", name)
        if rid is None and coll.has("customer", org.id):
            rid = org.id
        if rid is not None:
            report.resolved[org.name] = rid
            for alias in org.inventory_names:
                if add_alias_if_free(coll, "customer", rid, alias):
                    report.aliases_added.append(f"{rid}: {alias}")
            return rid
        data: dict[str, Any] = {
            "id": org.id,
            "name": org.name,
            "aliases": [a for a in org.aliases if coll.resolve("customer", a) is None],
            "type": "federal agency",
            "country": "US",
            "summary": (
                "US federal agency or component; recorded here because it reported face recognition use cases "
                "in the 2025 federal AI use case inventories."
            ),
            "origin": ORIGIN,
            "dataset": DATASET_ID,
            "sources": sorted(sources),
            "verification": "partial",
            "verification_note": VERIFICATION_NOTE,
        }
        if parent_id:
            data["parent"] = parent_id
        add("customer", {k: v for k, v in data.items() if v not in ("", [])})
        return org.id

    agency_ids: dict[str, str] = {}
    for akey in sorted({org_key(r[COL_AGENCY]) for r in rows}):
        agency_ids[akey] = ensure_customer(AGENCIES[akey], org_sources[f"agency:{akey}"], "")
    bureau_ids: dict[str, str] = {}
    for bureau in sorted({clean(r[COL_BUREAU]) for r in rows} - BUREAU_IS_AGENCY):
        org = BUREAUS[bureau]
        bureau_ids[bureau] = ensure_customer(
            org, org_sources[f"bureau:{bureau}"], agency_ids.get(org.parent, "")
        )

    vendor_ids: dict[str, str] = {}
    for vendor in sorted(vendor_sources):
        if vendor == UNDISCLOSED_VENDOR:
            if coll.has("vendor", UNDISCLOSED_VENDOR):
                vendor_ids[vendor] = UNDISCLOSED_VENDOR
                continue
            add(
                "vendor",
                {
                    "id": UNDISCLOSED_VENDOR,
                    "name": "Vendor not disclosed",
                    "summary": (
                        "Placeholder, not a company. It stands for the supplier of a face recognition system when "
                        "the source names none: left blank, withheld as law enforcement sensitive, built in-house, "
                        "or only hardware suppliers named. Each deployment's note says which."
                    ),
                    "origin": ORIGIN,
                    "dataset": DATASET_ID,
                    "sources": sorted(vendor_sources[vendor]),
                    "verification": "partial",
                    "verification_note": VERIFICATION_NOTE,
                },
            )
            vendor_ids[vendor] = UNDISCLOSED_VENDOR
            continue
        vid = VENDOR_IDS[vendor]
        existing = vid if coll.has("vendor", vid) else coll.resolve("vendor", vendor)
        if existing is not None:
            report.resolved[vendor] = existing
            vendor_ids[vendor] = existing
            continue
        ids = sorted(vendor_rows[vendor])
        add(
            "vendor",
            {
                "id": vid,
                "name": vendor,
                "summary": (
                    "Named as the vendor of face recognition use cases in the 2025 US federal AI use case "
                    f"inventories ({', '.join(ids)}). FaceLedger holds no other information about this company."
                ),
                "origin": ORIGIN,
                "dataset": DATASET_ID,
                "sources": sorted(vendor_sources[vendor]),
                "verification": "partial",
                "verification_note": VERIFICATION_NOTE,
            },
        )
        vendor_ids[vendor] = vid

    for r in sorted(rows, key=lambda r: deployment_id(r[COL_ID])):
        uid = r[COL_ID].strip()
        review = REVIEWED[uid]
        akey, bureau = org_key(r[COL_AGENCY]), clean(r[COL_BUREAU])
        customer = agency_ids[akey] if bureau in BUREAU_IS_AGENCY else bureau_ids[bureau]
        start, date_note = parse_start(r[COL_DATE])
        notes = [f"Inventory use case {uid}."]
        if review.note:
            notes.append(review.note)
        if date_note:
            notes.append(date_note)
        if review.vendor is None:
            report.undisclosed.append(uid)
        data: dict[str, Any] = {
            "id": deployment_id(uid),
            "vendor": vendor_ids[review.vendor or UNDISCLOSED_VENDOR],
            "customer": customer,
            "product": clean(r[COL_NAME]),
            "status": status_of(r[COL_STAGE]),
            "start": start,
            "summary": review.summary,
            "note": " ".join(notes),
            "origin": ORIGIN,
            "dataset": DATASET_ID,
            "sources": [source_of[akey]],
            "verification": "partial",
            "verification_note": VERIFICATION_NOTE,
        }
        add("deployment", {k: v for k, v in data.items() if v not in ("", [])})
        report.imported.append(uid)

    dataset.rows.update(added)
    LAST_REPORT = report
