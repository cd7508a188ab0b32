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
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.collection import Collection, Dataset, org_key, slug
from db.importers import federal_inventory_2024 as y24
from db.importers._common import add_alias_if_free, clean, fail, read_csv_dicts
from faceledger.data import schema

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

UNDISCLOSED_VENDOR = schema.UNDISCLOSED_VENDOR

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
# Components and agencies that only the 2024 inventories name (keys used by federal_inventory_2024).
BUREAUS.update(
    {
        "TSA": Org(
            "us-transportation-security-administration",
            "US Transportation Security Administration",
            ("TSA", "Transportation Security Administration"),
            (),
            "department of homeland security",
        ),
        "Department of Justice / CRM": Org(
            "us-department-of-justice-criminal-division",
            "US Department of Justice Criminal Division",
            ("DOJ Criminal Division",),
            (),
            "department of justice",
        ),
        "GSA": Org(
            "us-general-services-administration",
            "US General Services Administration",
            ("GSA", "General Services Administration"),
            (),
        ),
        "STATE": Org(
            "us-department-of-state",
            "US Department of State",
            ("US State Department", "State Department"),
            (),
        ),
        "USDA": Org(
            "us-department-of-agriculture",
            "US Department of Agriculture",
            ("USDA", "Department of Agriculture"),
            (),
        ),
    }
)
# Rows whose component is the department itself.
BUREAU_IS_AGENCY = {"DHS", ""}

# Vendors named in the reviewed rows: name -> id to use when FaceLedger has no such vendor yet.
VENDOR_IDS: dict[str, str] = {
    "NEC": "nec",
    "Clearview AI": "clearview-ai",
    "iProov": "iproov",
    "Rekor": "rekor",
    "Pluribus Digital": "pluribus-digital",
    "Cognitec": "cognitec",
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
        y, mo, d = m.group(3), int(m.group(1)), int(m.group(2))
        if d == 1 and mo == 1:
            return y, f"The inventory gives {t}; read as the year only (likely a spreadsheet default day)."
        if d == 1:
            return (
                f"{y}-{mo:02d}",
                f"The inventory gives {t}; read as the month only (likely a spreadsheet default day).",
            )
        return f"{y}-{mo:02d}-{d:02d}", ""
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
    merged_2024: list[str] = field(default_factory=list)  # 2024 rows cited by a 2025 deployment
    imported_2024: list[str] = field(default_factory=list)  # 2024 rows imported as their own deployment




# -- Building ------------------------------------------------------------------------------------
def run(coll: Collection, external_dir: Path) -> None:
    """Import the 2025 inventory, then the 2024 inventories: one deployment per use case across years."""
    base = external_dir / SUBDIR
    path, agencies_path = base / RAW_FILE, base / AGENCIES_FILE
    base_2024 = external_dir / y24.SUBDIR
    for p in (path, agencies_path, base_2024 / y24.OMB_FILE, base_2024 / y24.DHS_FILE):
        if not p.exists():
            fail(coll, f"db/external/{p.parent.name}/{p.name}: file not found")
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
            "as a product name. 'retrieved' is the date of the consolidated snapshot. A use case also reported "
            "in 2024 is one deployment that cites both years' inventories."
        ),
    )
    coll.datasets.append(dataset)
    importer = _Importer(coll, report)

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
        importer.add(
            DATASET_ID,
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

    year_2025 = _Year(DATASET_ID, ORIGIN, "2025", VERIFICATION_NOTE)
    for r in rows:
        akey, bureau = org_key(r[COL_AGENCY]), clean(r[COL_BUREAU])
        if bureau not in BUREAU_IS_AGENCY and bureau not in BUREAUS:
            fail(coll, f"{ORIGIN_FILE}: use case {r[COL_ID]}: component {bureau!r} has no entry in BUREAUS")
        importer.cite_customer(akey, "" if bureau in BUREAU_IS_AGENCY else bureau, source_of[akey])
        vendor = REVIEWED[r[COL_ID].strip()].vendor or UNDISCLOSED_VENDOR
        importer.cite_vendor(vendor, source_of[akey], r[COL_ID].strip())
    importer.create_organisations(year_2025)

    for r in sorted(rows, key=lambda r: deployment_id(r[COL_ID])):
        uid = r[COL_ID].strip()
        review = REVIEWED[uid]
        akey, bureau = org_key(r[COL_AGENCY]), clean(r[COL_BUREAU])
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
            "vendor": importer.vendor_ids[review.vendor or UNDISCLOSED_VENDOR],
            "customer": importer.customer_id(akey, "" if bureau in BUREAU_IS_AGENCY else bureau),
            "product": clean(r[COL_NAME]),
            "status": status_of(r[COL_STAGE]),
            # The inventories give no end dates: a retired use case ended on a date not known.
            "end_not_known": status_of(r[COL_STAGE]) == "ended",
            "start": start,
            "summary": review.summary,
            "note": " ".join(notes),
            "origin": ORIGIN,
            "dataset": DATASET_ID,
            "sources": [source_of[akey]],
            "verification": "partial",
            "verification_note": VERIFICATION_NOTE,
        }
        importer.add(DATASET_ID, "deployment", {k: v for k, v in data.items() if v not in ("", [])})
        report.imported.append(uid)

    import_2024(importer, base_2024)
    for ds in coll.datasets:
        if ds.id in importer.added:
            ds.rows.update(importer.added[ds.id])


@dataclass(frozen=True)
class _Year:
    dataset: str
    origin: str
    label: str
    verification_note: str


class _Importer:
    """Organisations and records shared by both inventory years (one record per organisation)."""

    def __init__(self, coll: Collection, report: Report) -> None:
        self.coll = coll
        self.report = report
        self.added: dict[str, dict[str, int]] = {}
        self.customer_ids: dict[str, str] = {}  # "agency:<key>" / "bureau:<key>" -> customer id
        self.vendor_ids: dict[str, str] = {}  # vendor name as reviewed -> vendor id
        self._org_sources: dict[str, list[str]] = {}
        self._vendor_sources: dict[str, list[str]] = {}
        self._vendor_rows: dict[str, list[str]] = {}

    def add(self, dataset: str, kind: str, data: dict[str, Any]) -> None:
        self.coll.add(kind, data, ORIGIN_FILE if dataset == DATASET_ID else y24.origin_file())
        counts = self.added.setdefault(dataset, {})
        counts[kind] = counts.get(kind, 0) + 1

    # -- which organisations the rows name, with the sources that name them ------------------------
    def cite_customer(self, agency_key: str, bureau: str, source: str) -> None:
        for key in [f"agency:{agency_key}"] if agency_key else []:
            _append(self._org_sources.setdefault(key, []), source)
        if bureau:
            _append(self._org_sources.setdefault(f"bureau:{bureau}", []), source)

    def cite_vendor(self, vendor: str, source: str, use_case: str) -> None:
        _append(self._vendor_sources.setdefault(vendor, []), source)
        _append(self._vendor_rows.setdefault(vendor, []), use_case)

    def customer_id(self, agency_key: str, bureau: str) -> str:
        return self.customer_ids[f"bureau:{bureau}" if bureau else f"agency:{agency_key}"]

    # -- creating or resolving them ---------------------------------------------------------------
    def create_organisations(self, year: _Year) -> None:
        """Resolve or create every organisation cited so far and not yet resolved (sorted, so ids are stable)."""
        for key in sorted(k for k in self._org_sources if k.startswith("agency:")):
            if key not in self.customer_ids:
                self.customer_ids[key] = self._ensure_customer(
                    AGENCIES[key[7:]], self._org_sources[key], "", year
                )
        for key in sorted(k for k in self._org_sources if k.startswith("bureau:")):
            if key in self.customer_ids:
                continue
            org = BUREAUS[key[7:]]
            parent = ""
            if org.parent:
                pkey = f"agency:{org.parent}"
                if pkey not in self.customer_ids:
                    self.customer_ids[pkey] = self._ensure_customer(
                        AGENCIES[org.parent], self._org_sources[key], "", year
                    )
                parent = self.customer_ids[pkey]
            self.customer_ids[key] = self._ensure_customer(org, self._org_sources[key], parent, year)
        for vendor in sorted(self._vendor_sources):
            if vendor not in self.vendor_ids:
                self.vendor_ids[vendor] = self._ensure_vendor(vendor, year)
        # Records this importer created cite every year's rows that name them.
        for key, sources in self._org_sources.items():
            self._cite(self.coll.get("customer", self.customer_ids[key]), sources)
        for vendor, sources in self._vendor_sources.items():
            self._cite(self.coll.get("vendor", self.vendor_ids[vendor]), sources)

    def _cite(self, rec: Any, sources: list[str]) -> None:
        if rec is None or rec.data.get("origin") not in (ORIGIN, y24.ORIGIN):
            return
        for sid in sources:
            _append(rec.data["sources"], sid)

    def _ensure_customer(self, org: Org, sources: list[str], parent_id: str, year: _Year) -> str:
        coll = self.coll
        rid = coll.resolve("customer", org.name)
        for name in (*org.inventory_names, *org.aliases):
            if rid is None:
                rid = coll.resolve("customer", name)
        if rid is None and coll.has("customer", org.id):
            rid = org.id
        if rid is not None:
            self.report.resolved[org.name] = rid
            for alias in org.inventory_names:
                if add_alias_if_free(coll, "customer", rid, alias):
                    self.report.aliases_added.append(f"{rid}: {alias}")
            return rid
        data: dict[str, Any] = {
            "id": org.id,
            "name": org.name,
            "aliases": [a for a in org.aliases if coll.resolve("customer", a) is None],
            "type": "federal agency",
            "country": "US",
            "summary": (
                "US federal agency or component; recorded here because it reported face recognition use cases "
                f"in the {year.label} federal AI use case inventories."
            ),
            "origin": year.origin,
            "dataset": year.dataset,
            "sources": sorted(sources),
            "verification": "partial",
            "verification_note": year.verification_note,
        }
        if parent_id:
            data["parent"] = parent_id
        self.add(year.dataset, "customer", {k: v for k, v in data.items() if v not in ("", [])})
        return org.id

    def _ensure_vendor(self, vendor: str, year: _Year) -> str:
        coll = self.coll
        sources = sorted(self._vendor_sources[vendor])
        if vendor == UNDISCLOSED_VENDOR:
            if not coll.has("vendor", UNDISCLOSED_VENDOR):
                self.add(
                    year.dataset,
                    "vendor",
                    {
                        "id": UNDISCLOSED_VENDOR,
                        "name": "Vendor not disclosed",
                        "summary": (
                            "Placeholder, not a company. It stands for the supplier of a face recognition system "
                            "when the source names none: left blank, withheld as law enforcement sensitive, built "
                            "in-house, or only hardware suppliers named. Each deployment's note says which."
                        ),
                        "origin": year.origin,
                        "dataset": year.dataset,
                        "sources": sources,
                        "verification": "partial",
                        "verification_note": year.verification_note,
                    },
                )
            return UNDISCLOSED_VENDOR
        vid = VENDOR_IDS[vendor]
        existing = vid if coll.has("vendor", vid) else coll.resolve("vendor", vendor)
        if existing is not None:
            self.report.resolved[vendor] = existing
            return existing
        ids = sorted(self._vendor_rows[vendor])
        self.add(
            year.dataset,
            "vendor",
            {
                "id": vid,
                "name": vendor,
                "summary": (
                    f"Named as the vendor of face recognition use cases in the {year.label} US federal AI use "
                    f"case inventories ({', '.join(ids)}). FaceLedger holds no other information about this "
                    "company."
                ),
                "origin": year.origin,
                "dataset": year.dataset,
                "sources": sources,
                "verification": "partial",
                "verification_note": year.verification_note,
            },
        )
        return vid


def _append(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


# -- 2024 ----------------------------------------------------------------------------------------
def import_2024(importer: _Importer, base: Path) -> None:
    """The reviewed 2024 rows: a source of the 2025 deployment of the same use case, else a deployment."""
    coll = importer.coll
    dataset = Dataset(
        id=y24.DATASET_ID,
        name="US federal agency AI use case inventories 2024: face recognition use cases",
        publisher="US Office of Management and Budget (consolidated inventory); US Department of Homeland Security",
        licence="Public domain in the US (works of the US government, 17 U.S.C. 105)",
        licence_url="https://www.copyright.gov/title17/92chap1.html#105",
        attribution=y24.ATTRIBUTION,
        url="https://github.com/ombegov/2024-Federal-AI-Use-Case-Inventory",
        retrieved="2025-01-23",
        upstream=(
            "GitHub ombegov/2024-Federal-AI-Use-Case-Inventory, commit 4a29d132291261d4829b187acd8af618e7295294, "
            "data/2024_consolidated_ai_inventory_raw_v2.csv (cp1252); DHS file "
            "DHS_24_1216_ocio_2024-dhs-ai-use-case-inventory.csv, copied from GitHub "
            "thoppe/Federal-AI-inventory-analysis-2024, commit 81e493156bcdd1f2f5112f81ce23c63891b48b6f"
        ),
        note=(
            "Use cases selected by keywords (face, facial, biometric, Clearview) and, for DHS, by DHS's own face "
            "recognition column, then reviewed by hand: "
            f"{len(y24.EXCLUDED_DHS) + len(y24.EXCLUDED_OMB)} rows excluded with reasons (redaction, phone "
            "unlock, fingerprints, 'face' as a verb, umbrella entries). DHS rows come from DHS's own file. A use "
            "case also in the 2025 inventory is one deployment citing both years. Agency self-reports."
        ),
    )
    coll.datasets.append(dataset)
    year = _Year(y24.DATASET_ID, y24.ORIGIN, "2024", y24.VERIFICATION_NOTE)

    dhs = y24.derive_dhs(base / y24.DHS_FILE)
    omb = y24.derive_omb(base / y24.OMB_FILE)
    _check_review(
        coll, y24.DHS_FILE, [r[y24.DHS_ID].strip() for r in dhs], y24.REVIEWED_DHS, y24.EXCLUDED_DHS
    )
    _check_review(coll, y24.OMB_FILE, [y24.omb_key(r) for r in omb], y24.REVIEWED_OMB, y24.EXCLUDED_OMB)

    sources = {
        "dhs": "us-ai-inventory-2024-dhs",
        "omb": "us-ai-inventory-2024-omb",
    }
    importer.add(
        y24.DATASET_ID,
        "source",
        {
            "id": sources["dhs"],
            "url": "https://www.dhs.gov/ai/use-case-inventory",
            "publisher": "US Department of Homeland Security",
            "title": "DHS AI Use Case Inventory, 2024 (full inventory file)",
            "date": "2024-12",
            "kind": "dataset",
            "dataset": y24.DATASET_ID,
            "note": (
                "DHS's inventory page links the full inventory spreadsheets; FaceLedger read the December 2024 "
                "file DHS_24_1216_ocio_2024-dhs-ai-use-case-inventory.csv in the copy kept by "
                "thoppe/Federal-AI-inventory-analysis-2024."
            ),
        },
    )
    importer.add(
        y24.DATASET_ID,
        "source",
        {
            "id": sources["omb"],
            "url": "https://github.com/ombegov/2024-Federal-AI-Use-Case-Inventory",
            "publisher": "US Office of Management and Budget",
            "title": "2024 Federal Agency AI Use Case Inventory (consolidated, v2)",
            "date": "2025-01-23",
            "kind": "dataset",
            "dataset": y24.DATASET_ID,
        },
    )

    # (use case label, row, review, source id, 2025 use case id or "", date text)
    entries: list[tuple[str, dict[str, str], y24.Review2024, str, str, str]] = []
    for r in dhs:
        uid = r[y24.DHS_ID].strip()
        if uid in y24.REVIEWED_DHS:
            review = y24.REVIEWED_DHS[uid]
            same = uid if uid in REVIEWED else ""
            entries.append((uid, r, review, sources["dhs"], same, clean(r[y24.DHS_DEPLOYED])))
    for r in omb:
        key = y24.omb_key(r)
        if key in y24.REVIEWED_OMB:
            review = y24.REVIEWED_OMB[key]
            entries.append(
                (key, r, review, sources["omb"], review.same_as_2025, clean(r[y24.OMB_IMPLEMENTED]))
            )

    for label, _row, review, sid, same, _date in entries:
        if same and same not in REVIEWED:
            fail(
                coll, f"{y24.origin_file()}: {label!r} points to 2025 use case {same}, which is not imported"
            )
        bureau = review.customer
        if bureau not in BUREAUS:
            fail(coll, f"{y24.origin_file()}: {label!r}: organisation {bureau!r} has no entry in BUREAUS")
        if same:
            continue  # the 2025 deployment already names its customer and vendor
        importer.cite_customer("", bureau, sid)
        importer.cite_vendor(review.vendor or UNDISCLOSED_VENDOR, sid, label)
    importer.create_organisations(year)

    for label, row, review, sid, same, date_text in entries:
        start, date_note = parse_start(date_text)
        if start and not y24.plausible_year(start):
            start, date_note = (
                "",
                f"The 2024 inventory gives the date {date_text!r}, which cannot be right; not used.",
            )
        if same:
            rec = coll.get("deployment", deployment_id(same))
            if rec is None:
                fail(coll, f"{y24.origin_file()}: {label!r}: no deployment for 2025 use case {same}")
                continue
            data = rec.data
            _append(data["sources"], sid)
            extra = [f"Also in the 2024 inventory ({'DHS file' if sid.endswith('dhs') else 'OMB file'}"]
            extra[0] += f", '{clean(row.get(y24.DHS_NAME) or row.get(y24.OMB_NAME))}')."
            if review.note:
                extra.append(review.note)
            if start and not data.get("start"):
                data["start"] = start
                extra.append("Start date from the 2024 inventory." + (f" {date_note}" if date_note else ""))
            elif start and start != data.get("start"):
                extra.append(f"The 2024 inventory gives {start} as the date it went into use.")
            data["note"] = " ".join([data.get("note", ""), *extra]).strip()
            importer.report.merged_2024.append(label)
            continue
        start = start or review.start
        notes = [
            f"2024 inventory use case {label}." if sid.endswith("dhs") else "2024 inventory row (OMB file)."
        ]
        if review.vendor is None and not review.note:
            notes.append("The inventory names no vendor.")
        notes += [n for n in (review.note, date_note) if n]
        stage = row.get(y24.DHS_STAGE) or row.get(y24.OMB_STAGE) or ""
        data = {
            "id": deployment_id_2024(label),
            "vendor": importer.vendor_ids[review.vendor or UNDISCLOSED_VENDOR],
            "customer": importer.customer_id("", review.customer),
            "product": clean(row.get(y24.DHS_NAME) or row.get(y24.OMB_NAME)),
            "status": y24.status_of(stage),
            "end_not_known": y24.status_of(stage) == "ended",
            "start": start,
            "summary": review.summary,
            "note": " ".join(notes),
            "origin": y24.ORIGIN,
            "dataset": y24.DATASET_ID,
            "sources": [sid],
            "verification": "partial",
            "verification_note": y24.VERIFICATION_NOTE,
        }
        if not review.summary:
            fail(coll, f"{y24.origin_file()}: {label!r} is imported on its own and needs a summary")
        importer.add(y24.DATASET_ID, "deployment", {k: v for k, v in data.items() if v not in ("", [])})
        importer.report.imported_2024.append(label)


def _check_review(
    coll: Collection,
    file: str,
    selected: list[str],
    reviewed: Mapping[str, object],
    excluded: Mapping[str, str],
) -> None:
    dupes = sorted({k for k in selected if selected.count(k) > 1})
    unreviewed = [k for k in selected if k not in reviewed and k not in excluded]
    stale = sorted((set(reviewed) | set(excluded)) - set(selected))
    both = sorted(set(reviewed) & set(excluded))
    if dupes or unreviewed or stale or both:
        fail(
            coll,
            f"db/external/{y24.SUBDIR}/{file}: the face recognition review is out of date (not reviewed: "
            f"{unreviewed}; reviewed but no longer selected: {stale}; reviewed twice: {both}; rows sharing a "
            f"key: {dupes}); update db/importers/federal_inventory_2024.py",
        )


def deployment_id_2024(label: str) -> str:
    """Id of a 2024 use case not in the 2025 inventory: its DHS id, or its agency, bureau and name."""
    return "fed-ai-2024-" + slug(label)
