"""The 2024 US federal AI use case inventories: reading, selection and the hand review.

Raw files (see db/external/us-federal-ai-use-cases-2024/PROVENANCE.md):
- 2024_consolidated_ai_inventory_raw_v2.csv: OMB's consolidated inventory of all agencies, encoded in
  Windows-1252 (cp1252), without use case ids and without a vendor column;
- dhs-2024-ai-use-case-inventory.csv: DHS's own 2024 inventory (UTF-8), with use case ids that the 2025
  inventory keeps, and an explicit "Face Recognition / Face Capture" column.

DHS rows are read from DHS's own file only (its face recognition column, its ids); OMB's copy of the DHS
rows is skipped. Selection: KEYWORDS over name, purpose, outputs and system name (and, for DHS, the
summary), plus every DHS row that answers Yes in the face recognition column. Every selected row must be
reviewed: in REVIEWED_DHS/REVIEWED_OMB (imported) or EXCLUDED_DHS/EXCLUDED_OMB (with the reason). The
importer itself is db/importers/federal_inventory.py, which keeps one deployment per use case across
2024 and 2025.

What counts as face recognition here: a system that compares a face with another face (one-to-one or
one-to-many) or captures a face for such a comparison, as DHS's own "Face Recognition / Face Capture"
column does. Face detection used only to blur faces before release (redaction), a phone's own unlock
feature and a deepfake detector are not.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from db.importers._common import clean

DATASET_ID = "us-federal-ai-inventory-2024"
ORIGIN = "us-federal-ai-inventory-2024"
SUBDIR = "us-federal-ai-use-cases-2024"
OMB_FILE = "2024_consolidated_ai_inventory_raw_v2.csv"
DHS_FILE = "dhs-2024-ai-use-case-inventory.csv"
OMB_ENCODING = "cp1252"  # PROVENANCE.md: the consolidated file is Windows-1252, not UTF-8
ATTRIBUTION = (
    "U.S. Office of Management and Budget, 2024 Federal Agency AI Use Case Inventory (v2, 2025-01-23); "
    "U.S. Department of Homeland Security, 2024 AI Use Case Inventory. Works of the US government."
)
VERIFICATION_NOTE = (
    "Imported from the 2024 US federal AI use case inventories (agency self-reports: OMB's consolidated file, "
    "and DHS's own file for DHS); not re-checked against other records."
)

# Keyword selection (case-insensitive): words starting with "face"/"facial", "biometric", and the name of
# Clearview AI, a face search product (one DOJ row names it without the word "face").
KEYWORDS = re.compile(r"\bface|\bfacial|biometric|clearview", re.IGNORECASE)

# OMB consolidated file columns.
OMB_NAME = "Use Case Name"
OMB_ABBR = "Agency Abbreviation"
OMB_BUREAU = "Bureau"
OMB_PURPOSE = "What is the intended purpose and expected benefits of the AI?"
OMB_OUTPUTS = "Describe the AI system\u2019s outputs."
OMB_STAGE = "Stage of Development"
OMB_IMPLEMENTED = "Date Implemented"
OMB_SYSTEM = "System Name"
OMB_MATCH = (OMB_NAME, OMB_PURPOSE, OMB_OUTPUTS, OMB_SYSTEM)

# DHS file columns.
DHS_ID = "Use Case ID"
DHS_COMPONENT = "Component"
DHS_NAME = "Use Case Name"
DHS_SUMMARY = "Summary of Use Case"
DHS_STAGE = "Stage of System Development Life Cycle"
DHS_FACE = "Is the use case using Face Recognition / Face Capture Technology?"
DHS_PURPOSE = "What is the intended purpose and expected benefits of the AI?"
DHS_OUTPUTS = "Describe the AI system\u2019s outputs."
DHS_DEPLOYED = "Date Deployed into Operations"
DHS_ATO = "ATO System Name"
DHS_MATCH = (DHS_NAME, DHS_SUMMARY, DHS_PURPOSE, DHS_OUTPUTS, DHS_ATO)

# OMB rows of these agencies are not read (the agency's own file is).
OMB_SKIPPED_AGENCIES = {"DHS": "read from DHS's own 2024 file, which has ids and a face recognition column"}

# Stage of development (both files) -> deployment status.
STATUS = {
    "operation and maintenance": "active",
    "implementation and assessment": "trial",
    "acquisition and/or development": "unknown",
    "initiated": "unknown",
    "retired": "ended",
    "disposal/retired": "ended",
}


@dataclass(frozen=True)
class Review2024:
    """Our reading of one 2024 row.

    `customer`: key of the organisation in federal_inventory (BUREAUS or the agency tables);
    `vendor`: the company the row's text names as the supplier of the face recognition, else None;
    `same_as_2025`: the 2025 use case id of the same use case (then the 2024 row becomes a source of the
    2025 deployment); `summary`: our own words (used only when the use case is not in 2025);
    `start`: a start the row states in its text when its date columns are blank.
    """

    customer: str
    summary: str = ""
    vendor: str | None = None
    same_as_2025: str = ""
    note: str = ""
    start: str = ""


# -- DHS's own file -------------------------------------------------------------------------------
# DHS ids are the ids the 2025 inventory uses: a reviewed id that is also reviewed in the 2025 importer
# is the same use case (same_as_2025 is filled in by the importer, not here).
REVIEWED_DHS: dict[str, Review2024] = {
    "DHS-2412": Review2024("CBP"),
    "DHS-2413": Review2024("CBP"),
    "DHS-2414": Review2024("CBP"),
    "DHS-2415": Review2024("CBP"),
    "DHS-2416": Review2024("CBP"),
    "DHS-2417": Review2024("CBP"),
    "DHS-398": Review2024("CBP"),
    "DHS-401": Review2024("CBP"),
    "DHS-413": Review2024("USCIS"),
    "DHS-365": Review2024("USCIS"),
    "DHS-415": Review2024("USSS"),
    "DHS-362": Review2024(
        "ICE",
        note="DHS's 2024 file answers No in its face recognition column, although the use case compares faces "
        "in child sexual abuse material with other photos and the 2025 inventory names it facial recognition.",
    ),
    "DHS-381": Review2024(
        "CBP",
        "CBP One, CBP's mobile application, uses the Traveler Verification Service (TVS) to compare live or "
        "uploaded photos with CBP's photo holdings; outputs include identity confirmation and fraud alerts.",
    ),
    "DHS-407": Review2024(
        "ICE",
        "ICE's Alternatives to Detention monitoring app (ISAP, SmartLINK) verifies participants one-to-one at "
        "check-in against photos taken at enrolment, with a liveness check; a case manager reviews failures.",
        note="The row says the matching uses 'a proprietary algorithm' and names no supplier.",
    ),
    "DHS-2409": Review2024(
        "ICE",
        "ICE's mobile check-in app for low-risk adult noncitizens captures a photo with liveness prompts and "
        "verifies it one-to-one through CBP's Traveler Verification Service; failures go to an officer.",
    ),
    "DHS-172": Review2024(
        "ICE",
        "Homeland Security Investigations' Video Analysis Tool finds and crops faces in seized media to build "
        "a set of suspect images, which are then compared with federal biometric holdings and partners' "
        "galleries by face matching.",
        note="DHS's 2024 file answers No in its face recognition column; the row's own text describes faces "
        "extracted for face matching against biometric databases.",
    ),
    "DHS-327": Review2024(
        "TSA",
        "TSA's Credential Authentication Technology with camera (CAT-2, and AutoCAT e-gates) compares a "
        "traveller's live photo one-to-one with the photo on the identity document presented at some "
        "checkpoints; travellers may choose another screening method.",
    ),
    "DHS-345": Review2024(
        "TSA",
        "TSA PreCheck Touchless Identity Solution: an optional one-to-many face comparison at some checkpoints "
        "against a gallery of enrolled photos held by CBP's Traveler Verification Service.",
    ),
    "DHS-189": Review2024(
        "USCIS",
        "The photo validation service in USCIS's case system (ELIS) checks that uploaded ID photos meet the "
        "card photo requirements before a card is produced. DHS counts it as face capture technology; no one "
        "is identified by it.",
    ),
    "DHS-414": Review2024(
        "USCIS",
        "A USCIS mobile app captures card-quality face photos for work-permit applications (I-765) instead of "
        "an appointment; the photo is checked for quality and then verified one-to-one through IDENT.",
    ),
}

EXCLUDED_DHS: dict[str, str] = {
    "DHS-35": "Autonomous Surveillance Towers detect people, vehicles and animals; the row says it is not a "
    "biometric system and does not identify anyone",
    "DHS-186": "Fivecast ONYX, an open-source intelligence tool; selected only for the word 'Facebook'",
    "DHS-234": "multi-sensor fusion; the row says it has no nexus to biometric detection",
    "DHS-2439": "FEMA grant chatbot; selected only for 'face' as a verb",
    "DHS-2399": "TSA body-worn camera software (Axon Capture): transcription and redaction of faces before "
    "release; DHS answers No for face recognition",
    "DHS-14": "fingerprint quality scoring, no face",
    "DHS-182": "fingerprint quality scoring (retired duplicate of DHS-14), no face",
    "DHS-55": "biographic record de-duplication; 'biometric' only describes the wider system",
    "DHS-56": "biographic record checks; 'biometric' only describes the wider system",
    "DHS-344": "retired umbrella entry for the Traveler Verification Service, split into the separate TVS use "
    "cases imported here (counting it too would count them twice)",
    "DHS-54": "retired umbrella entry for ICE's face recognition, split into separate use cases (DHS-172 and "
    "others); counting it too would count them twice",
}

# -- OMB's consolidated file (agencies other than DHS) ------------------------------------------------
# Keyed by omb_key(row): "<Agency Abbreviation> | <Bureau> | <Use Case Name>" (the file has no ids).
REVIEWED_OMB: dict[str, Review2024] = {
    "DOJ | USMS | Clearview AI": Review2024(
        "Department of Justice / USMS",
        vendor="Clearview AI",
        same_as_2025="DOJ-0226",
        note="The 2024 row is named 'Clearview AI' and describes USMS searching photos against Clearview's "
        "collection of public images; the 2025 row is named 'Facial Recognition Technology' and names Clearview "
        "AI as vendor.",
    ),
    "DOJ | CRM | Clearview AI": Review2024(
        "Department of Justice / CRM",
        "The Criminal Division's Child Exploitation and Obscenity Section tried Clearview AI fewer than five "
        "times in 2020 and stopped almost at once after a reported data breach at Clearview; it no longer holds "
        "a licence and does not plan to use it again.",
        vendor="Clearview AI",
        start="2020",
        note="The start year is the year the row's text gives for the trial; the date columns are blank.",
    ),
    "DOJ | FBI | Facial Recognition Technology (Procurement ID: 15F06723P0001356 )": Review2024(
        "Department of Justice / FBI",
        same_as_2025="DOJ-0122",
        note="Matched to the 2025 row of the same name. The 2024 row gives procurement id 15F06723P0001356 and "
        "describes searches against publicly available images; the 2025 row says developed in-house.",
    ),
    "DOJ | FBI | Facial Recognition Technology and Data Mapping Tools - 1 (Procurement ID: 15F06720P0001515)": (
        Review2024(
            "Department of Justice / FBI",
            same_as_2025="DOJ-0126",
            note="Matched to the 2025 row 'Facial Recognition Technology and Data Mapping Tools'; the 2024 row "
            "gives procurement id 15F06720P0001515.",
        )
    ),
    "DOJ | FBI | Facial Recognition Technology and Data Mapping Tools - 2 (Procurement ID: 15F06720P0001275)": (
        Review2024(
            "Department of Justice / FBI",
            same_as_2025="DOJ-0137",
            note="Matched to the 2025 row of the same name; the 2024 row gives procurement id 15F06720P0001275.",
        )
    ),
    "DOJ | FBI | Next Generation Identification (NGI)": Review2024(
        "Department of Justice / FBI",
        "The FBI's Next Generation Identification (NGI) system, whose biometric matching includes face "
        "recognition alongside fingerprints, irises and latent prints; the results are investigative leads.",
    ),
    "DOJ | USMS | Prisoner Movement Management (JPMM) - JPATS": Review2024(
        "Department of Justice / USMS",
        "The Justice Prisoner and Alien Transportation System (JPATS) uses face recognition to identify "
        "prisoners in transit and call up their movement records when boarding flights.",
    ),
    "GSA | FAS (TTS) | Login.gov": Review2024(
        "GSA",
        "Login.gov, the government sign-in service run by GSA's Technology Transformation Services, adds face "
        "matching to remote identity proofing, answering match or no match; other agencies' services rely on it.",
        note="The row says the system was built with contracting resources but names no vendor.",
    ),
    "STATE | CA/CST | Consular Affairs Photo Quality Service (PQS) / FaceVACS": Review2024(
        "STATE",
        "The Bureau of Consular Affairs' Photo Quality Service checks passport photos during online passport "
        "renewal and asks applicants to retake photos that fail; the row names FaceVACS, Cognitec's face "
        "recognition software. No one is identified by this use.",
        vendor="Cognitec",
        note="The inventory names the product FaceVACS, not the company; FaceVACS is Cognitec's product line.",
    ),
    "USDA | OSSP: Office of Safety, Security, and Protection | Video Surveillance System": Review2024(
        "USDA",
        "USDA's Office of Safety, Security, and Protection runs face recognition on security video: a match "
        "with a selected person raises an alarm in the security control centre.",
    ),
}

EXCLUDED_OMB: dict[str, str] = {
    "DOI | BOR | Machine Learning Working Group": "'faced' as a verb; a working group, no face technology",
    "DOL | OCIO | Facebook Mobile App": "selected only for the word 'Facebook'",
    "HHS | ASPR | PPE Product Classification Model": "'face shields' are a product category",
    "HHS | CDC | Automated Analysis of Injury Control Research Center (ICRC) Annual Progress Reports (APRs) using "
    "Large Language Models": "'faced' as a verb; text analysis",
    "HHS | CDC | HIV Data Virtual Assistant": "'faced' as a verb; a chatbot",
    "HHS | CDC | The School Closure Awareness System": "selected only for the word 'Facebook'",
    "HHS | HHS | Facial Recognition Unlock": "the iPhone's own Face ID unlock on staff phones, not an agency "
    "face recognition system",
    "HHS | NIH | Portfolio Analysis Summarization Tool (PAST)": "'face' as a verb; text summaries",
    "NASA | Jet Propulsion Laboratory | Mars2020 Rover (Perseverance)": "'multi-faceted'; a Mars rover",
    "NASA | Jet Propulsion Laboratory | Onboard Planner for Mars2020 Rover (Perseverance)": "'multi-faceted'; a "
    "Mars rover planner",
    "STATE | R/GEC | Deepfake Detector": "classifies whether a face image is synthetic; nobody is identified",
    "TREAS | Internal Revenue Service | Enable Face ID to unlock M365 apps on Government iPhone and iPad": "the "
    "iPhone's own Face ID unlock on staff devices",
    "TREAS | Internal Revenue Service | Redaction Studio - Redaction Assistant": "Axon's redaction assistant "
    "finds faces in body-worn camera footage to blur them before release; no face is matched",
    "USAID | USAID/Bureau for Global Health (GH) | BA Cote d'Ivoire Public Social Media Data": "selected only "
    "for the word 'Facebook'",
    "USAID | USAID/Colombia | Social listening to inform youth programming in Colombia (previously "
    '"Communications Strategy")': "selected only for the word 'Facebook'",
    "USAID | USAID/Bureau for the Middle East | Drip irrigation system with AI control": "'faced' as a verb",
    "FRB | Office of the Inspector General | Body Worn Cameras Data Management System": "detects faces in "
    "body-worn camera footage to redact them; no face is matched",
    "USAGM | OCIO | Automated Translations": "'faces' as a verb; machine translation",
    "VA | VHA: Veterans Health Administration | Identify cancer patients symptom burden, including symptoms "
    "supported by embedded mental health.": "'faces' as a verb; clinical text",
    "DOJ | ATR | Veritone Illuminate - Video/Audio-to-Text Translation Machine Language Translation": "the row "
    "says the product's face detection is not used; transcription and translation",
    "DOJ | FBI | Document Text Extraction and Language Translation Tool": "finds fingerprint blocks on tenprint "
    "cards; the row says it is not used for identification",
    "DOJ | FBOP | Trunet Systems": "inmate account access by fingerprint and voice, no face",
    "DOJ | FBOP | Veritone": "Veritone software redacts faces in videos released under FOIA; faces are "
    "detected to be blurred, not matched or identified",
    "DOJ | USNCB | Aware": "reformats biometric data for sharing; the row says it is not used for biometric "
    "identification",
    "NCUA | NCUA | iPhone Facial Recognition Technology": "the iPhone's own Face ID unlock on staff phones",
}


# -- Reading ---------------------------------------------------------------------------------------
def read_omb(path: Path) -> list[dict[str, str]]:
    """All rows of OMB's consolidated file, decoded as cp1252."""
    with path.open(encoding=OMB_ENCODING, newline="") as handle:
        rows = [dict(r) for r in csv.DictReader(handle)]
    _check_columns(path, rows, (OMB_NAME, OMB_ABBR, OMB_BUREAU, OMB_STAGE, OMB_IMPLEMENTED, *OMB_MATCH))
    return rows


def read_dhs(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [dict(r) for r in csv.DictReader(handle)]
    _check_columns(path, rows, (DHS_ID, DHS_COMPONENT, DHS_STAGE, DHS_FACE, DHS_DEPLOYED, *DHS_MATCH))
    return rows


def _check_columns(path: Path, rows: list[dict[str, str]], needed: tuple[str, ...]) -> None:
    if rows:
        missing = [c for c in needed if c not in rows[0]]
        if missing:
            raise ValueError(f"{path}: missing columns {missing}")


def omb_key(row: dict[str, str]) -> str:
    return " | ".join(clean(row.get(c)) for c in (OMB_ABBR, OMB_BUREAU, OMB_NAME))


def says_face_recognition(row: dict[str, str]) -> bool:
    """DHS's own answer in its face recognition column."""
    return clean(row.get(DHS_FACE)).casefold().startswith("yes")


def derive_dhs(path: Path) -> list[dict[str, str]]:
    """DHS rows selected for review (keywords or DHS's face recognition column), in file order."""
    return [
        r
        for r in read_dhs(path)
        if says_face_recognition(r) or any(KEYWORDS.search(r.get(c) or "") for c in DHS_MATCH)
    ]


def derive_omb(path: Path) -> list[dict[str, str]]:
    """OMB rows selected for review (keywords; agencies in OMB_SKIPPED_AGENCIES left out), in file order."""
    return [
        r
        for r in read_omb(path)
        if clean(r.get(OMB_ABBR)) not in OMB_SKIPPED_AGENCIES
        and any(KEYWORDS.search(r.get(c) or "") for c in OMB_MATCH)
    ]


def status_of(stage: str) -> str:
    return STATUS.get(clean(stage).casefold(), "unknown")


def plausible_year(iso: str) -> bool:
    """Dates before the first face recognition inventories or after the inventory year are junk (e.g. 1905)."""
    return bool(iso) and 2000 <= int(iso[:4]) <= 2024


def origin_file() -> str:
    return f"db/external/{SUBDIR}/{DHS_FILE}"
