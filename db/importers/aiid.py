"""Importer for the AI Incident Database (incidents to 2025-02-08): face recognition by police or government.

Raw file: db/external/aiid-incidents-2025/incidents.csv (see PROVENANCE.md there). Licence: CC BY-SA 4.0;
every imported incident keeps its page, https://incidentdatabase.ai/cite/{id}, as its source.

Selection: SELECT over the title and description (face, faces, facial, FRT), then a hand review. Every
selected incident is either in REVIEWED (face recognition used by, or acted on by, police or another
government body) or in EXCLUDED (with the reason). A selected incident in neither table stops the build.

Each reviewed incident becomes one [[source]] (kind "dataset"). When FaceLedger already records the same
happening (a curated event, or an AIAAIC entry), that record wins and the incident becomes one more of
its sources (`same_as`). Otherwise it becomes a new [[event]] "aiid-<id>", linked to organisations through
ORGANISATIONS (the AIID's deployer/developer slugs mapped by hand onto existing records by name or alias;
a new organisation only where FaceLedger has none under any name).
"""

from __future__ import annotations

import ast
import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.collection import Collection, Dataset, slug
from db.importers._common import clean, fail, free_id

DATASET_ID = "aiid-incidents-2025"
ORIGIN = "aiid"
SUBDIR = "aiid-incidents-2025"
RAW_FILE = "incidents.csv"
ORIGIN_FILE = f"db/external/{SUBDIR}/{RAW_FILE}"
CITE_URL = "https://incidentdatabase.ai/cite/{}"
PUBLISHER = "AI Incident Database (Responsible AI Collaborative)"
ATTRIBUTION = (
    "AI Incident Database, Responsible AI Collaborative, incidentdatabase.ai/cite/{id} for each incident; "
    "shared under CC BY-SA 4.0."
)
VERIFICATION_NOTE = "Imported from the AI Incident Database; not re-checked against the reports it lists."

COL_ID, COL_DATE, COL_TITLE, COL_DESCRIPTION = "incident_id", "date", "title", "description"
COL_DEPLOYER = "Alleged deployer of AI system"
COL_DEVELOPER = "Alleged developer of AI system"
COL_HARMED = "Alleged harmed or nearly harmed parties"
COLUMNS = (COL_ID, COL_DATE, COL_TITLE, COL_DESCRIPTION, COL_DEPLOYER, COL_DEVELOPER, COL_HARMED)

SELECT = re.compile(r"\bfac(?:e|es|ial)\b|\bFRT\b", re.IGNORECASE)


@dataclass(frozen=True)
class Incident:
    """Our reading of one incident.

    `same_as`: ids of the events FaceLedger records for the same happening, the curated one first, then the
    AIAAIC entry; the incident becomes a source of the first that exists (a build without the curated
    files falls back to the AIAAIC entry, and skips the incident when neither exists). For a new event: `kind`, `country` (ISO code), `place`, `person`.
    """

    why: str
    same_as: tuple[str, ...] = ()
    kind: str = "incident"
    country: str = ""
    place: str = ""
    person: str = ""


# -- Review of the selected incidents ---------------------------------------------------------------
REVIEWED: dict[int, Incident] = {
    # Same happening as a curated event (the curated record wins: its date, names and sources).
    74: Incident(
        "Detroit police, Robert Williams",
        same_as=("detroit-robert-williams-wrongful-arrest-2020-01", "aiaaic-0420"),
    ),
    114: Incident(
        "ACLU test of a product marketed to police", same_as=("amazon-aclu-congress-test-2018", "aiaaic-0137")
    ),
    288: Incident("Woodbridge police, Nijeer Parks", same_as=("parks-woodbridge-2019", "aiaaic-0422")),
    439: Incident("Detroit police, Michael Oliver", same_as=("oliver-detroit-2019", "aiaaic-0421")),
    440: Incident("Louisiana police, Randal Reid", same_as=("reid-louisiana-2022", "aiaaic-0905")),
    515: Incident(
        "Jefferson Parish sheriff, Randal Reid (same happening as 440)",
        same_as=("reid-louisiana-2022", "aiaaic-0905"),
    ),
    518: Incident("NYPD search with an actor's photo", same_as=("nypd-celebrity-probe-2017",)),
    592: Incident("Detroit police, Porcha Woodruff", same_as=("woodruff-detroit-2023", "aiaaic-1069")),
    598: Incident(
        "Jefferson Parish sheriff, Randal Reid (same as 440)", same_as=("reid-louisiana-2022", "aiaaic-0905")
    ),
    781: Incident(
        "Dutch data protection authority's fine", same_as=("netherlands-ap-fine-2024", "aiaaic-1728")
    ),
    # Same happening as an AIAAIC entry.
    36: Incident("Ningbo traffic police, billboard face taken for a jaywalker", same_as=("aiaaic-0170",)),
    76: Incident("Buenos Aires city government, children in the wanted database", same_as=("aiaaic-0434",)),
    276: Incident("Bucheon city government, COVID-19 tracing", same_as=("aiaaic-0807",)),
    295: Incident("Ousmane Bah, Apple store thefts and NYPD", same_as=("aiaaic-0640",)),
    371: Incident(
        "Ugandan government and police, Huawei surveillance of opposition", same_as=("aiaaic-0435",)
    ),
    438: Incident("Henan public security, tracking journalists and students", same_as=("aiaaic-0800",)),
    441: Incident("South Korean ministries, airport travellers' face data", same_as=("aiaaic-0793",)),
    483: Incident("Medak police, Mohammed Khadeer", same_as=("aiaaic-0966",)),
    484: Incident("CBP One failing on Black asylum seekers' faces", same_as=("aiaaic-1688",)),
    558: Incident("NYPD, Derrick Ingram and Black Lives Matter activists", same_as=("aiaaic-0432",)),
    659: Incident("Israeli military in Gaza (Corsight), Mosab Abu Toha", same_as=("aiaaic-1413",)),
    692: Incident("Met Police live face recognition, Shaun Thompson", same_as=("aiaaic-1510",)),
    816: Incident("West New York and NYPD, Francisco Arteaga", same_as=("aiaaic-1832",)),
    # New to FaceLedger: one event each.
    184: Incident("court suspends São Paulo Metro's face recognition", country="BR", place="São Paulo"),
    249: Incident("Chinese government surveillance in Xinjiang", country="CN", place="Xinjiang"),
    309: Incident(
        "Met Police trial at Notting Hill Carnival", country="GB", place="London, Notting Hill Carnival"
    ),
    310: Incident("South Wales Police at the Champions League final", country="GB", place="Cardiff"),
    368: Incident("Israeli military 'Blue Wolf' app in the West Bank", place="West Bank"),
    388: Incident("Bahia state face recognition pilot", country="BR", place="Bahia"),
    412: Incident("Finnish police trial of Clearview AI reprimanded", country="FI", place="Finland"),
    472: Incident("NYPD camera network and biased policing", country="US", place="New York City"),
    517: Incident(
        "NYPD arrest for a sock theft after a face match",
        kind="wrongful arrest",
        country="US",
        place="New York",
    ),
    557: Incident(
        "Miami police arrest of a protester", country="US", place="Miami", person="Oriana Albornoz"
    ),
    815: Incident("US police forces not disclosing face recognition in arrests", kind="report", country="US"),
    829: Incident(
        "Buenos Aires system's false matches and judicial inquiry", country="AR", place="Buenos Aires"
    ),
    896: Incident("US police arrests resting on face recognition matches alone", kind="report", country="US"),
}

EXCLUDED: dict[int, str] = {
    26: "consumer phone unlock (Apple Face ID)",
    32: "consumer phone unlock (Apple Face ID)",
    95: "private employer screening (HireVue)",
    96: "teacher evaluation lawsuit; 'face' as a verb",
    103: "image cropping on a social network",
    107: "companies' patents; the entry names no police or government user",
    108: "a private skating rink",
    109: "a public face search site (PimEyes); no police or government party in the entry",
    122: "a social network's photo tagging",
    140: "university exam proctoring",
    158: "remote learning software",
    165: "a research image upscaling model",
    166: "a private networking app",
    167: "academic research on sexual orientation",
    199: "a private photo app (Ever AI)",
    212: "a car maker's cameras",
    214: "a school district's security system (education, not police or government administration)",
    223: "parcel lockers",
    224: "a payment app",
    235: "an insurer",
    236: "scammers' generated faces",
    254: "a consumer photo service",
    258: "retailers",
    265: "a delivery platform's driver checks",
    267: "the building of Clearview AI's collection; the entry names no police or government party",
    273: "a consumer photo app",
    298: "a student's app",
    307: "consumer phone unlock",
    315: "private users of a public face search service",
    324: "generated faces in a disinformation network",
    328: "generated faces in a disinformation network",
    335: "a visa algorithm sorting by nationality; no face recognition",
    358: "shopping malls",
    375: "a bank's wallet app; the government programmes are what people registered for",
    385: "a face predicted from DNA and published by police; not face recognition",
    391: "a retailer",
    409: "academic research dataset",
    418: "a ride-hailing company's driver checks",
    430: "a private venue",
    431: "robbers unlocking phones",
    454: "research on emotion detection",
    480: "deepfake pornography",
    494: "a deepfake app's adverts",
    496: "deepfake pornography",
    584: "a lawsuit against face search companies; no police or government party",
    591: "health insurance claims; 'face' as a verb",
    604: "deepfake child abuse images",
    618: "mortgage approvals; 'faces' as a verb",
    619: "a retailer",
    630: "a retailer's face recognition (the police only acted on the retailer's report)",
    651: "deepfake images by students",
    652: "deepfake images by students",
    660: "deepfake pornography",
    665: "a supermarket",
    683: "deepfake adverts",
    691: "a retailer",
    771: "deepfake pornography",
    780: "generated child abuse images; 'faces' as a verb",
    801: "deepfake detection",
    806: "deepfake fraud",
    848: "deepfake images by a student",
    904: "deepfake abuse",
    908: "deepfake abuse",
    911: "deepfake romance scams",
}

# -- Organisations named by the AIID's slugs (for new events only) ---------------------------------
# slug -> (record kind, name to resolve by name or alias). ("", "") = not an organisation FaceLedger
# records: unknown or vague parties, and a government named as its own developer (government bodies are
# customers, not vendors).
ORGANISATIONS: dict[str, tuple[str, str]] = {
    "unknown": ("", ""),
    "police-departments": ("", ""),
    "developers-of-mugshot-recognition-software": ("", ""),
    "developers-of-law-enforcement-facial-recognition-software": ("", ""),
    "government-of-argentina": ("", ""),  # too broad: the entry's other parties name the city and ministry
    "argentinean-ministry-of-security": ("", ""),  # not matched with confidence to a recorded ministry
    "chinese-government": ("customer", "Government of China"),
    "companhia-do-metropolitano-de-sao-paulo": ("customer", "Companhia do Metropolitano de São Paulo"),
    "securos": ("vendor", "SecurOS"),
    "metropolitan-police-service": ("customer", "Metropolitan Police Service"),
    "south-wales-police": ("customer", "South Wales Police"),
    "nec": ("vendor", "NEC"),
    "the-israel-military": ("customer", "Israel Defense Forces"),
    "anyvision": ("vendor", "Oosto"),  # AnyVision renamed itself Oosto (alias on the record)
    "the-government-in-bahia": ("customer", "Bahia Secretariat of Public Security"),
    "bahia's-secretary-of-public-security": ("customer", "Bahia Secretariat of Public Security"),
    "huawei": ("vendor", "Huawei"),
    "finland-national-bureau-of-investigation": ("customer", "National Bureau of Investigation (Finland)"),
    "clearview-ai": ("vendor", "Clearview AI"),
    "new-york-police-department": ("customer", "New York City Police Department"),
    "nypd": ("customer", "New York City Police Department"),
    "miami-police-department": ("customer", "Miami Police Department"),
    "miami-pd": ("customer", "Miami Police Department"),
    "evansville-pd": ("customer", "Evansville Police Department"),
    "evansville-indiana-police-department": ("customer", "Evansville Police Department"),
    "pflugerville-pd": ("customer", "Pflugerville Police Department"),
    "jefferson-parish-sheriff's-office": ("customer", "Jefferson Parish Sheriff's Office"),
    "west-new-york-pd": ("customer", "West New York Police Department"),
    "coral-springs-pd": ("customer", "Coral Springs Police Department"),
    "coral-springs-florida-police-department": ("customer", "Coral Springs Police Department"),
    "arvada-pd": ("customer", "Arvada Police Department"),
    "florence-kentucky-police-department": ("customer", "Florence Police Department (Kentucky)"),
    "bradenton-florida-police-department": ("customer", "Bradenton Police Department"),
    "austin-police-department": ("customer", "Austin Police Department"),
    "detroit-police-department": ("customer", "Detroit Police Department"),
    "government-of-buenos-aires": ("customer", "Government of the City of Buenos Aires"),
}

# Organisations created when FaceLedger has none under the name or any alias: type, country, region
# (only what the incident's own slugs and text state).
NEW_ORGANISATIONS: dict[str, dict[str, str]] = {
    "SecurOS": {},  # a vendor: no type
    "Bahia Secretariat of Public Security": {"type": "state government", "country": "BR", "region": "Bahia"},
    "National Bureau of Investigation (Finland)": {"type": "national police", "country": "FI"},
    "Evansville Police Department": {"type": "local police", "country": "US", "region": "Indiana"},
    "Pflugerville Police Department": {"type": "local police", "country": "US"},
    "West New York Police Department": {"type": "local police", "country": "US", "region": "New Jersey"},
    "Coral Springs Police Department": {"type": "local police", "country": "US", "region": "Florida"},
    "Arvada Police Department": {"type": "local police", "country": "US"},
    "Florence Police Department (Kentucky)": {"type": "local police", "country": "US", "region": "Kentucky"},
    "Bradenton Police Department": {"type": "local police", "country": "US", "region": "Florida"},
    "Austin Police Department": {"type": "local police", "country": "US"},
}


# -- Reading ---------------------------------------------------------------------------------------
def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [dict(r) for r in csv.DictReader(handle)]
    if rows:
        missing = [c for c in COLUMNS if c not in rows[0]]
        if missing:
            raise ValueError(f"{path}: missing columns {missing}")
    return rows


def derive_rows(path: Path) -> list[dict[str, str]]:
    """Incidents whose title or description names face recognition, in incident id order."""
    rows = [r for r in read_rows(path) if SELECT.search(f"{r[COL_TITLE]} {r[COL_DESCRIPTION]}")]
    return sorted(rows, key=lambda r: int(r[COL_ID]))


def slugs(cell: str) -> list[str]:
    """The slugs of a JSON-style list cell: '["a","b"]' -> ['a', 'b']."""
    text = clean(cell)
    if not text:
        return []
    value = ast.literal_eval(text)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"not a list of slugs: {cell!r}")
    return value


def event_id(incident: int) -> str:
    return f"aiid-{incident}"


def source_id(incident: int) -> str:
    return f"aiid-incident-{incident}"


@dataclass
class Report:
    selected: list[int] = field(default_factory=list)
    merged: dict[int, str] = field(default_factory=dict)  # incident -> event id it became a source of
    new_events: list[int] = field(default_factory=list)
    resolved: dict[str, str] = field(default_factory=dict)  # slug -> existing id
    created: list[str] = field(default_factory=list)
    unmatched: list[int] = field(default_factory=list)  # same happening recorded nowhere in this build




def run(coll: Collection, external_dir: Path) -> None:
    path = external_dir / SUBDIR / RAW_FILE
    if not path.exists():
        fail(coll, f"{ORIGIN_FILE}: file not found")
    report = Report()
    dataset = Dataset(
        id=DATASET_ID,
        name="AI Incident Database: face recognition by police or government",
        publisher=PUBLISHER,
        licence="CC BY-SA 4.0",
        licence_url="https://creativecommons.org/licenses/by-sa/4.0/",
        attribution=ATTRIBUTION,
        url="https://incidentdatabase.ai",
        retrieved="2025-02-08",
        upstream=(
            "MongoDB dump of the AIID public snapshot in GitHub SylvesterDuah/The_Guardian_of_AI_Alignment, commit "
            "16ea2a877e56a69d9253712174c42f4d771c801d, data/raw/mongodump_full_snapshot/incidents.csv"
        ),
        note=(
            "Incidents whose title or description names face recognition, reviewed by hand: only those where "
            f"police or another government body used or acted on face recognition ({len(REVIEWED)} of the "
            f"{len(REVIEWED) + len(EXCLUDED)} selected). An incident FaceLedger already records (a curated event "
            "or an AIAAIC entry) is a source of that event, not a second event. Records derived from the AIID "
            "stay under CC BY-SA 4.0. 'retrieved' is the date of the last incident in the snapshot."
        ),
    )
    coll.datasets.append(dataset)
    added: dict[str, int] = {}

    def add(kind: str, data: dict[str, Any]) -> None:
        coll.add(kind, data, ORIGIN_FILE)
        added[kind] = added.get(kind, 0) + 1

    rows = derive_rows(path)
    report.selected = [int(r[COL_ID]) for r in rows]
    unreviewed = [i for i in report.selected if i not in REVIEWED and i not in EXCLUDED]
    stale = sorted((set(REVIEWED) | set(EXCLUDED)) - set(report.selected))
    both = sorted(set(REVIEWED) & set(EXCLUDED))
    if unreviewed or stale or both:
        fail(
            coll,
            f"{ORIGIN_FILE}: the face recognition review is out of date (not reviewed: {unreviewed}; reviewed "
            f"but no longer selected: {stale}; in both tables: {both}); update db/importers/aiid.py",
        )
    kept = [r for r in rows if int(r[COL_ID]) in REVIEWED]

    def add_source(r: dict[str, str]) -> None:
        n = int(r[COL_ID])
        add(
            "source",
            {
                "id": source_id(n),
                "url": CITE_URL.format(n),
                "publisher": PUBLISHER,
                "title": f"AIID incident {n}: {clean(r[COL_TITLE])}",
                "date": clean(r[COL_DATE]),
                "kind": "dataset",
                "dataset": DATASET_ID,
            },
        )

    def organisation(name_slug: str, incident: int) -> tuple[str, str] | None:
        if name_slug not in ORGANISATIONS:
            fail(
                coll, f"{ORIGIN_FILE}: incident {incident}: slug {name_slug!r} has no entry in ORGANISATIONS"
            )
        kind, name = ORGANISATIONS[name_slug]
        if not kind:
            return None
        rid = coll.resolve(kind, name)
        if rid is None:
            # Names outside NEW_ORGANISATIONS resolve in the full build (a test checks it); a build without
            # the curated files creates them with no more than a name.
            rid = _create(coll, add, kind, name, incident)
            report.created.append(rid)
        else:
            report.resolved[name_slug] = rid
            rec = coll.get(kind, rid)
            if (
                rec is not None
                and rec.data.get("origin") == ORIGIN
                and source_id(incident) not in rec.data["sources"]
            ):
                rec.data["sources"] = [*rec.data["sources"], source_id(incident)]
        return kind, rid

    for r in kept:
        n = int(r[COL_ID])
        review = REVIEWED[n]
        if review.same_as:
            target = _event_for(coll, review.same_as)
            if target is None:
                report.unmatched.append(n)
                continue
            add_source(r)
            if source_id(n) not in target.data["sources"]:
                target.data["sources"] = [*target.data["sources"], source_id(n)]
            report.merged[n] = target.id
            continue
        add_source(r)
        refs: dict[str, list[str]] = {"vendor": [], "customer": []}
        for col, role in ((COL_DEPLOYER, "deployer"), (COL_DEVELOPER, "developer")):
            for s in slugs(r[col]):
                found = organisation(s, n)
                if found is None:
                    continue
                kind, rid = found
                if role == "developer" and kind == "customer":
                    continue  # a government body that built its own system stays a customer only
                if rid not in refs[kind]:
                    refs[kind].append(rid)
        summary = (
            f"AI Incident Database incident {n}. The AIID describes it as follows: {clean(r[COL_DESCRIPTION])} "
            f"Alleged deployer(s) as the AIID lists them: {', '.join(slugs(r[COL_DEPLOYER])) or 'none'}; "
            f"alleged developer(s): {', '.join(slugs(r[COL_DEVELOPER])) or 'none'}."
        )
        data: dict[str, Any] = {
            "id": event_id(n),
            "date": clean(r[COL_DATE]),
            "kind": review.kind,
            "title": clean(r[COL_TITLE]),
            "summary": summary,
            "jurisdiction": review.place,
            "country": review.country,
            "vendors": sorted(refs["vendor"]),
            "customers": sorted(refs["customer"]),
            "person": review.person,
            "place": review.place,
            "link": CITE_URL.format(n),
            "sources": [source_id(n)],
            "verification": "partial",
            "verification_note": VERIFICATION_NOTE,
            "dataset": DATASET_ID,
        }
        add("event", {k: v for k, v in data.items() if v not in ("", [])})
        report.new_events.append(n)

    dataset.rows.update(added)


def _event_for(coll: Collection, candidates: tuple[str, ...]) -> Any:
    """The first candidate event that exists, or the event that cites it as a source (merged into another)."""
    for event in candidates:
        rec = coll.get("event", event)
        if rec is not None:
            return rec
        citing = [e for e in coll.records["event"] if event in e.data.get("sources", [])]
        if len(citing) == 1:
            return citing[0]
    return None


def _create(coll: Collection, add: Any, kind: str, name: str, incident: int) -> str:
    rid = free_id(coll, kind, slug(name))
    facts = NEW_ORGANISATIONS.get(name) or ({"type": "other"} if kind == "customer" else {})
    role = "developer" if kind == "vendor" else "deployer"
    data: dict[str, Any] = {
        "id": rid,
        "name": name,
        "summary": (
            f"Named as an alleged {role} in AI Incident Database incident {incident}. FaceLedger holds no other "
            "information about this organisation."
        ),
        "origin": ORIGIN,
        "dataset": DATASET_ID,
        "sources": [source_id(incident)],
        "verification": "partial",
        "verification_note": VERIFICATION_NOTE,
        **facts,
    }
    add(kind, data)
    return rid
