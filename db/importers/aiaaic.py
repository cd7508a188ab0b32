"""Importer for the AIAAIC Repository incidents sheet (facial-recognition entries only).

Raw file: db/external/aiaaic/aiaaic-repository-incidents.csv (see PROVENANCE.md there).
Licence: CC BY-SA 4.0. Every imported entry keeps its AIAAIC page link (`link` and a source).

What it adds:
- one [[source]] (kind "dataset") per entry with a page link; one dataset-level source for entries without one;
- one [[event]] (kind "incident") per selected entry that has an `Occurred` year;
- new [[vendor]] records for developers and new [[customer]] records for deployers that FaceLedger does not
  know yet (resolved first by name/alias against the curated records and the earlier importers).

Entries without an `Occurred` year are skipped (no date is ever invented) and counted in SKIPPED.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.collection import Collection, Dataset, org_key, slug
from db.importers._common import clean, fail, free_id, read_csv
from db.importers.aiaaic_review import NOT_LINKED, PUBLIC_BODY_DEVELOPERS, SAME_HAPPENING

DATASET_ID = "aiaaic"
ORIGIN = "aiaaic"
SUBDIR = "aiaaic"
RAW_FILE = "aiaaic-repository-incidents.csv"
ORIGIN_FILE = f"db/external/{SUBDIR}/{RAW_FILE}"
REPOSITORY_URL = "https://www.aiaaic.org/aiaaic-repository"
ATTRIBUTION = "Data provided by AIAAIC (https://www.aiaaic.org/aiaaic-repository) under CC BY-SA 4.0."
VERIFICATION_NOTE = "Imported from the AIAAIC Repository; not re-checked against the original reports."
TECH_MATCH = "facial recognition"

# Column positions in the raw file (line 2 headers, line 3 sub-headers under the grouped columns).
COL_ID, COL_HEADLINE, COL_OCCURRED, COL_COUNTRY, COL_SECTOR = 0, 1, 2, 3, 4
COL_DEPLOYER, COL_DEVELOPER, COL_SYSTEM, COL_TECH, COL_PURPOSE = 5, 6, 7, 8, 9
COL_TRIGGER, COL_ISSUES = 10, 11
COL_HARM_INDIVIDUAL, COL_HARM_SOCIETAL, COL_HARM_ENVIRONMENTAL = 12, 13, 14
COL_IMPACT_REPUTATION, COL_IMPACT_OPERATIONAL, COL_IMPACT_FINANCIAL, COL_IMPACT_LEGAL = 15, 16, 17, 18
COL_LINK = 19
N_COLUMNS = 20
EXPECTED_HEADERS = {COL_ID: "AIAAIC ID#", COL_TECH: "Technology(ies)", COL_LINK: "Summary/links"}

# Raw cell values that name no organisation.
VAGUE = {"", "multiple", "unknown", "various", "n/a", "na", "none", "unclear", "not known", "undisclosed"}

# -- Reviewed name table -----------------------------------------------------------------------
# Raw deployer/developer names (as AIAAIC writes them, after splitting on ";") that need a hand
# decision. Value: the organisation name(s) to use; an empty tuple means "no organisation".
# Reasons are given per line. Names not listed are used as written.
NAME_FIXES: dict[str, tuple[str, ...]] = {
    # Same company under a division, product or earlier name: one organisation.
    "Amazon/AWS": ("Amazon",),  # AWS is Amazon's cloud division
    "Alibaba/Alibaba Cloud": ("Alibaba",),  # cloud division of Alibaba
    "Uber/Uber Eats": ("Uber",),  # Uber's delivery service
    "Tencent/WeChat": ("Tencent",),  # WeChat is a Tencent product
    "ByteDance/TikTok": ("ByteDance",),  # TikTok is a ByteDance product
    "Everalbum/Ever AI/Paravision": ("Paravision",),  # successive names of one company
    "Oosto/AnyVision Interactive Technologies": ("Oosto",),  # AnyVision renamed itself Oosto
    "Meazure Learning/ProctorU": ("Meazure Learning",),  # ProctorU became part of Meazure Learning
    "ProctorU": ("Meazure Learning",),  # see previous line (alias ProctorU kept)
    "Facebook": ("Meta",),  # Facebook, Inc. renamed Meta Platforms (alias Facebook kept)
    # Owner listed next to the company that built or ran the system: keep the company only.
    "Advent International/IDEMIA": ("IDEMIA",),  # Advent International is IDEMIA's owner
    "China Electronics Technology Group/Hikvision": ("Hikvision",),  # CETC is Hikvision's controlling owner
    "Turnitin/ExamSoft": ("ExamSoft",),  # Turnitin owns ExamSoft
    "Match Group/OkCupid": ("OkCupid",),  # Match Group owns OkCupid
    # Two distinct organisations written in one cell.
    "Netposa Technologies/SenseNets": ("Netposa Technologies", "SenseNets"),
    "Danaide/NtechLab": ("Danaide", "NtechLab"),
    "AT&T/Intrepid Networks": ("AT&T", "Intrepid Networks"),
    "Adaria Vending Services/University of Waterloo": ("Adaria Vending Services", "University of Waterloo"),
    "UMG/Taylor Nation": ("UMG", "Taylor Nation"),
    "Parsec 3.26/Reco 3.26": ("Parsec 3.26", "Reco 3.26"),
    "Innefu Labs, Staqu": ("Innefu Labs", "Staqu Technologies"),
    "Delhi Police, Uttar Pradesh Police": ("Delhi Police", "Uttar Pradesh Police"),
    "New Orleans Police Department, Louisiana State Analytical and Fusion Exchange (LA-SAFE)": (
        "New Orleans Police Department",
        "Louisiana State Analytical and Fusion Exchange (LA-SAFE)",
    ),
    "Skelleftea Secondary Education Board, Anderstorp's High School": (
        "Skelleftea Secondary Education Board",
        "Anderstorp's High School",
    ),
    # People named next to an organisation: keep the organisation only (see PERSONS).
    "MIT Media Lab, Joy Buolamwini, Deborah Raji": ("MIT Media Lab",),
    # Variant spellings of one organisation within the file.
    "Staqu Technologies Pvt. Ltd.": ("Staqu Technologies",),
    "Chicago PD": ("Chicago Police Department",),
    "Dallas PD": ("Dallas Police Department",),
    "Woodbridge Police Department, New Jersey": ("Woodbridge Police Department",),
    "National University of Defense Technology, China": ("National University of Defense Technology (NUDT)",),
    "UC Berkeley": ("University of California, Berkeley",),  # alias UC Berkeley kept
    "HTX": ("Home Team Science and Technology Agency (HTX)",),
    "Canada Border Security Agency": ("Canada Border Services Agency (CBSA)",),  # misspelt agency name
    "NEC Software Solutions/Northgate Public Services": ("NEC Software Solutions",),  # renamed company
    # Generic ministry names: qualified with the country of the (single) entry that names them.
    "Ministry of Justice (MOJ)": ("Ministry of Justice of South Korea",),  # AIAAIC0793, South Korea
    "Ministry of Science and ICT (MSIT)": ("Ministry of Science and ICT of South Korea",),  # AIAAIC0793
    # Typing errors in the sheet (the organisation is unambiguous).
    "Ministry of Defen\u0441e of Ukraine": ("Ministry of Defence of Ukraine",),  # Cyrillic "с" in "Defence"
    "US Social Security Adminstration": ("US Social Security Administration",),
    "US Inland Revenue Service (IRS)": ("US Internal Revenue Service (IRS)",),
    "Northrup Grumman": ("Northrop Grumman",),
    # One school under two names in AIAAIC0280: the trial was at Ballarat Clarendon College (The Courier,
    # Ballarat, "Ballarat Clarendon College to use face scan technology for class roll-call"); the Herald
    # Sun's wording "Ballarat, and Clarendon College" split its name in two.
    "Clarendon College": ("Ballarat Clarendon College",),
    "University of Massachussets, Amherst": ("University of Massachusetts Amherst",),
}

# Aliases kept on the organisation when it is created here (the other names AIAAIC uses for it).
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "Paravision": ("Everalbum", "Ever AI"),
    "Oosto": ("AnyVision Interactive Technologies",),
    "Meazure Learning": ("ProctorU",),
    "Meta": ("Facebook",),
    "University of California, Berkeley": ("UC Berkeley",),
    "ByteDance": ("TikTok",),
    "NEC Software Solutions": ("Northgate Public Services",),
    "Ministry of Justice of South Korea": ("MOJ",),
    "Ministry of Science and ICT of South Korea": ("MSIT",),
}

# Private individuals named as developer or deployer (researchers, hobbyists, a photographer).
# They are not organisations: FaceLedger does not create vendor/customer records for people. The
# names stay visible in the event summary, which quotes AIAAIC's deployer/developer lists.
PERSONS = {
    "Andrew Ng",
    "AnhPhu Nguyen",
    "Aythami Morales, Julian Fierrez, Ruben Vera-Rodriguez, Ruben Tolosana",
    "Caine Ardayfio",
    "Carlo Tomasi",
    "Cunrui Wang",
    "Deborah Raji",
    "Egor Tsvetkov",
    "Ergys Ristani",
    "Francesco Solera",
    "Gabriele Trovato",
    "Joy Buolamwini",
    "Lixin Miao",
    "Michal Kosinski",
    "Mykhaylo Andriluka",
    "Qingling Zhan",
    "Rita Cucchiara",
    "Roger Zou",
    "Stewart Russell",
    "Stuart Colianni",
    "Wanquan Liu",
    "Yu Liu",
    "Yuen Ler Chow",
}

# -- Customer types (reviewed) -------------------------------------------------------------------
# Deployers FaceLedger creates get type "other" unless listed here or matched by the narrow rules in
# customer_type() (sheriff, prosecutor, school/university). Keys are org_key() of the name used.
_TYPES: dict[str, tuple[str, ...]] = {
    "local police": (
        "Detroit Police Department",
        "Los Angeles Police Department",
        "New York Police Department",
        "Baltimore Police Department",
        "Buenos Aires City Police",
        "Chicago Police Department",
        "Dallas Police Department",
        "Denver Police Department",
        "Hyderabad City Police",
        "Lucknow Police Commissionerate",
        "Medak District Police",
        "Moscow City Police",
        "New Orleans Police Department",
        "Ningbo City Police",
        "Pagedale Police Department",
        "Woodbridge Police Department",
        "Beijing Municipal Public Security Bureau",
        "Zhengzhou Public Security Bureau",
        "Shenzhen Traffic Police Bureau",
    ),
    "regional police force": (
        "Metropolitan Police Service",
        "South Wales Police",
        "Delhi Police",
        "Lincolnshire Police",
        "Henan Public Security Department",
        "Seine-et-Marne Departmental Directorate of Public Security",
    ),
    "state police": (
        "NSW Police",
        "Civil Police of Rio de Janeiro State",
        "Uttar Pradesh Police",
        "Louisiana State Analytical and Fusion Exchange",  # a state fusion centre
    ),
    "national police": (
        "Royal Canadian Mounted Police",
        "Bundespolizei",
        "Polizia di Stato",
        "Sri Lanka Police",
        "Uganda Police Force",
    ),
    "federal agency": (
        "Canada Border Services Agency",
        "US Department of the Treasury",
        "US Department of Veterans Affairs",
        "US Federal Energy Regulatory Commission",
        "US Internal Revenue Service",
        "US Patent and Trademark Office",
        "US Postal Inspection Service",
        "US Social Security Administration",
        "Department of Homeland Security",
        "Customs and Border Protection",
        "Federal Bureau of Investigation",
        "Iarpa",  # the US Intelligence Advanced Research Projects Activity
        "US Immigration and Customs Enforcement",
    ),
    "national government": (
        "Argentine Ministry of Justice and Security",
        "China Ministry of Public Security",
        "Government of China",
        "Government of Uganda",
        "Government of Zimbabwe",
        "Ministry of Defence of Ukraine",
        "Mossad",
        "ReNaPer",
        "Home Team Science and Technology Agency",
        "Central Board of Secondary Education",
        "State Taxation Administration",
        "New Zealand Department of Internal Affairs",
        "Ministry of Justice of South Korea",
        "Ministry of Science and ICT of South Korea",
        "Ministry of Social Development and Human Security",
        "National e-Governance Division",
        "National Health Authority",
        "Unique Identification Authority of India",
        "UK Home Office",
    ),
    "state government": (
        "Department of Health Victoria",
        "NSW Health",
        "Government of Delhi",
    ),
    "local government": (
        "City of Bucheon",
        "City of Hamburg",
        "Comune di Como",
        "Municipality of Trento",
        "North Ayrshire Council",
        "Naypyitaw Council",
        "Moscow Department of Technology",
        "Beijing Municipal Commission of Transportation",
        "Nanning Natural Resources Bureau",
        "Government of the City of Buenos Aires",
        "Metropolitan Washington Council of Government",
    ),
    "supranational agency": ("EUROPOL",),
    "military": ("Israel Defense Forces",),
    "private company": (
        "7-Eleven Stores",
        "Alibaba",
        "Amazon",
        "Apple",
        "BMW",
        "ByteDance",
        "Cadillac Fairview",
        "Canadian Tire",
        "Clarifai",
        "Clearview AI",
        "Cloudflare",
        "CloudWalk",
        "Delta",
        "DeepScore",
        "Didi Global",
        "Disney",
        "EssilorLuxottica",
        "ExamSoft",
        "Faception",
        "General Electric",
        "General Mills",
        "Google",
        "Hikvision",
        "Hilton",
        "Hitachi",
        "Home Bargains",
        "Huawei",
        "IBM",
        "ID.me",
        "IntelliVision",
        "Jacksons Food Stores",
        "Kmart",
        "Kohler",
        "Kraft",
        "Kroger",
        "Lemonade Inc",
        "LG",
        "Macy's",
        "Megvii",
        "Mercadona",
        "Meta",
        "Microsoft",
        "Mitsubishi Electric",
        "MoviePass",
        "NEC",
        "Netposa Technologies",
        "Northrop Grumman",
        "Ntechlab",
        "Nvidia",
        "OnePlus",
        "OSRAM",
        "Panasonic",
        "Paravision",
        "Philips",
        "PimEyes",
        "Qualcomm",
        "Rite Aid",
        "Ryanair",
        "Samsung",
        "SenseNets",
        "SenseTime",
        "Sogou",
        "Southern Co-op",
        "Sports Direct",
        "Steak 'n Shake",
        "Sunac China Holdings",
        "Tencent",
        "Tesla",
        "Toyota Motor Europe",
        "Uber",
        "Verkada",
        "Walgreens",
        "Xpeng Motors",
        "East Japan Railway Co.",
        "Honeywell Technology Solutions",
        "Greenland Holdings",
    ),
}
CUSTOMER_TYPES: dict[str, str] = {org_key(name): kind for kind, names in _TYPES.items() for name in names}
# Types for which the entry's country is taken as the organisation's country (a police force or public
# body acts in its own country). Companies, universities and "other" get no country: an entry's country
# says where the incident happened, not where the organisation is based.
COUNTRY_FROM_ENTRY = {
    "local police",
    "sheriff",
    "state police",
    "regional police force",
    "national police",
    "federal agency",
    "national government",
    "prosecutor",
    "corrections",
    "local government",
    "state government",
}
_EDUCATION_RE = re.compile(r"\b(university|universidad|universitat|college|school|schools|lycee)\b")


def customer_type(name: str) -> str:
    """Conservative type for a deployer FaceLedger did not know: 'other' unless clear from the name."""
    key = org_key(base_name(name))
    if key in CUSTOMER_TYPES:
        return CUSTOMER_TYPES[key]
    if re.search(r"\bsheriff", key):
        return "sheriff"
    if re.search(r"\bprosecutor", key):
        return "prosecutor"
    if _EDUCATION_RE.search(key) or re.search(r"\bhigh school\b|\bsecondary education board\b", key):
        return "education"
    return "other"


# -- Countries -----------------------------------------------------------------------------------
# AIAAIC country names -> ISO 3166-1 alpha-2. "Global", "EU", "Multiple", "All" name no single country.
COUNTRIES: dict[str, str] = {
    "Afghanistan": "AF",
    "Argentina": "AR",
    "Australia": "AU",
    "Austria": "AT",
    "Belgium": "BE",
    "Brazil": "BR",
    "Canada": "CA",
    "China": "CN",
    "Denmark": "DK",
    "EU - Hungary": "HU",
    "Finland": "FI",
    "France": "FR",
    "Germany": "DE",
    "Greece": "GR",
    "Hong Kong": "HK",
    "Hungary": "HU",
    "India": "IN",
    "Indonesia": "ID",
    "Iran": "IR",
    "Ireland": "IE",
    "Rep Ireland": "IE",
    "Israel": "IL",
    "Italy": "IT",
    "Japan": "JP",
    "Kenya": "KE",
    "Latvia": "LV",
    "Malaysia": "MY",
    "Malta": "MT",
    "Mexico": "MX",
    "Myanmar": "MM",
    "Netherlands": "NL",
    "New Zealand": "NZ",
    "Nigeria": "NG",
    "Norway": "NO",
    "Pakistan": "PK",
    "Palestine": "PS",
    "Philippines": "PH",
    "Poland": "PL",
    "Portugal": "PT",
    "Russia": "RU",
    "Saudi Arabia": "SA",
    "Serbia": "RS",
    "Singapore": "SG",
    "South Africa": "ZA",
    "South Korea": "KR",
    "S Korea": "KR",
    "S. Korea": "KR",
    "Spain": "ES",
    "Sri Lanka": "LK",
    "Sweden": "SE",
    "Switzerland": "CH",
    "Taiwan": "TW",
    "Thailand": "TH",
    "Türkiye": "TR",
    "UAE": "AE",
    "Uganda": "UG",
    "UK": "GB",
    "UK - England": "GB",
    "UK - Scotland": "GB",
    "Scotland": "GB",
    "Ukraine": "UA",
    "US": "US",
    "USA": "US",
    "Vietnam": "VN",
    "Zimbabwe": "ZW",
}
NO_COUNTRY = {"", "Global", "EU", "European Union", "Multiple", "All"}


def country_codes(text: str) -> list[str]:
    """ISO codes of the countries named in an AIAAIC `Country(ies)` cell (unknown names ignored)."""
    codes: list[str] = []
    for part in re.split(r"[;,]", text):
        name = clean(part)
        code = COUNTRIES.get(name)
        if code and code not in codes:
            codes.append(code)
    return codes


def unmapped_countries(text: str) -> list[str]:
    return [
        clean(p) for p in re.split(r"[;,]", text) if clean(p) not in COUNTRIES and clean(p) not in NO_COUNTRY
    ]


# -- Reading -------------------------------------------------------------------------------------
def read_raw(path: Path) -> tuple[list[str], list[list[str]]]:
    """(headers, entry rows) of the raw sheet: line 1 banner, line 2 headers, line 3 sub-headers."""
    rows = read_csv(path)
    if len(rows) < 3:
        raise ValueError(f"{path}: expected a banner line, two header lines and entries")
    headers = rows[1]
    for col, title in EXPECTED_HEADERS.items():
        if len(headers) <= col or clean(headers[col]) != title:
            raise ValueError(f"{path}: column {col + 1} should be {title!r}, found {headers[col : col + 1]}")
    entries = [r + [""] * (N_COLUMNS - len(r)) for r in rows[3:] if any(c.strip() for c in r)]
    return headers, entries


def is_facial_recognition(row: list[str]) -> bool:
    return TECH_MATCH in row[COL_TECH].casefold()


def derive_rows(path: Path) -> list[list[str]]:
    """The raw rows whose Technology(ies) contains 'facial recognition' (case-insensitive), in file order."""
    _, entries = read_raw(path)
    return [r for r in entries if is_facial_recognition(r)]


def event_date(occurred: str) -> tuple[str, str]:
    """(ISO year, note) from AIAAIC's `Occurred`: the first year of a range; ("", "") if none."""
    text = clean(occurred)
    m = re.match(r"^(\d{4})(.*)$", text)
    if not m:
        return "", ""
    year, rest = m.group(1), m.group(2).strip()
    if not rest:
        return year, ""
    return year, f"AIAAIC gives the time of occurrence as '{text}'; the first year is used as the date."


def split_names(cell: str) -> list[str]:
    return [clean(p) for p in cell.split(";") if clean(p)]


def base_name(name: str) -> str:
    """The name without a trailing parenthesised abbreviation: 'South Wales Police (SWP)' -> 'South Wales Police'."""
    return clean(re.sub(r"\s*\(([^()]*)\)\s*$", "", name)) or name


def abbreviation(name: str) -> str:
    m = re.search(r"\(([^()]*)\)\s*$", name)
    return clean(m.group(1)) if m else ""


def _us_variants(name: str) -> list[str]:
    m = re.match(r"^(US|U\.S\.|United States)\s+(.*)$", name)
    if not m:
        return []
    rest = m.group(2)
    return [f"US {rest}", f"U.S. {rest}", f"United States {rest}", rest]


def name_candidates(name: str) -> list[str]:
    """Names to try, in order, when resolving an AIAAIC organisation name to an existing record."""
    out: list[str] = []
    for n in (name, base_name(name)):
        for v in [n, *_us_variants(n)]:
            if v and v not in out:
                out.append(v)
    return out


def organisations(cell: str) -> tuple[list[str], list[str]]:
    """(organisation names, skipped raw names) for one Deployer(s)/Developer(s) cell."""
    orgs: list[str] = []
    skipped: list[str] = []
    for raw in split_names(cell):
        raw_key = raw.replace("\u2019", "'")
        if raw_key in NAME_FIXES or raw in NAME_FIXES:
            names = list(NAME_FIXES.get(raw, NAME_FIXES.get(raw_key, ())))
        elif raw_key in PERSONS or raw.casefold() in VAGUE:
            names = []
        else:
            names = [raw]
        if not names:
            skipped.append(raw)
        for n in names:
            if n not in orgs:
                orgs.append(n)
    return orgs, skipped


# -- Applying the review (db/importers/aiaaic_review.py) ----------------------------------------
_PUBLIC_BODY_KEYS = {org_key(n) for n in PUBLIC_BODY_DEVELOPERS}


def is_public_body(name: str) -> bool:
    """Whether a developer name is a police force or government body (it is then a customer)."""
    return org_key(base_name(name)) in _PUBLIC_BODY_KEYS


def _not_linked(aid: str, role: str, name: str) -> bool:
    for item in NOT_LINKED:
        if item.entry == aid and item.role == role:
            if "*" in item.names or org_key(base_name(name)) in {org_key(n) for n in item.names}:
                return True
    return False


def entry_roles(row: list[str], report: Report) -> list[tuple[str, str]]:
    """(kind, organisation name) pairs an entry links to its event: developers as vendors and
    deployers as customers, except public bodies listed as developers (customers) and the reviewed
    links not made."""
    aid = row[COL_ID].strip()
    out: list[tuple[str, str]] = []
    for role, col in (("developer", COL_DEVELOPER), ("deployer", COL_DEPLOYER)):
        names, skipped = organisations(row[col])
        for s in skipped:
            report.skipped_names[s] = report.skipped_names.get(s, 0) + 1
        for name in names:
            if _not_linked(aid, role, name):
                report.not_linked.append((aid, role, name))
                continue
            kind = "vendor" if role == "developer" else "customer"
            if role == "developer" and is_public_body(name):
                report.public_developers.append((aid, name))
                kind = "customer"
            if (kind, name) not in out:
                out.append((kind, name))
    return out


def review_notes(aid: str, report: Report) -> list[str]:
    """Sentences for an event's note saying which listed organisations are linked otherwise or not."""
    notes: list[str] = []
    public = [n for a, n in report.public_developers if a == aid]
    if public:
        notes.append(
            f"AIAAIC lists {', '.join(base_name(n) for n in public)} as developer; FaceLedger links "
            "public bodies as customers that built or ran the system."
        )
    for item in NOT_LINKED:
        if item.entry == aid:
            names = [n for a, r, n in report.not_linked if a == aid and r == item.role]
            if names:
                notes.append(
                    f"Listed as {item.role}s by AIAAIC but not linked: {', '.join(names)}. {item.reason}"
                )
    return notes


def check_review(coll: Collection, rows: list[list[str]]) -> None:
    """Fail when a reviewed decision names an entry, a name or an event that is not there."""
    by_id = {r[COL_ID].strip(): r for r in rows}
    for item in NOT_LINKED:
        row = by_id.get(item.entry)
        if row is None:
            fail(
                coll, f"{ORIGIN_FILE}: review names entry {item.entry}, which is not a face recognition entry"
            )
            return
        cell = row[COL_DEPLOYER if item.role == "deployer" else COL_DEVELOPER]
        present = {org_key(base_name(n)) for n in organisations(cell)[0]}
        for n in item.names:
            if n != "*" and org_key(n) not in present:
                fail(coll, f"{ORIGIN_FILE}: review says {item.entry} lists {n!r} as {item.role}; it does not")
    for same in SAME_HAPPENING:
        if same.entry not in by_id:
            fail(
                coll, f"{ORIGIN_FILE}: review names entry {same.entry}, which is not a face recognition entry"
            )
        if same.event.startswith("aiaaic-") and same.event.removeprefix("aiaaic-") not in {
            entry_number(a) for a in by_id
        }:
            fail(coll, f"{ORIGIN_FILE}: review merges {same.entry} into {same.event!r}, which is no entry")


def merge_targets(coll: Collection) -> dict[str, str]:
    """AIAAIC id -> the event that records its happening, for the targets present: without the
    curated events (an importer run on its own) an entry whose event is absent keeps its own."""
    return {
        s.entry: s.event
        for s in SAME_HAPPENING
        if s.event.startswith("aiaaic-") or coll.has("event", s.event)
    }


# -- Building ------------------------------------------------------------------------------------
@dataclass
class _NewOrg:
    name: str
    aliases: list[str] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)  # AIAAIC ids
    sources: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # one per entry ("" when not a single country)
    spellings: dict[str, int] = field(default_factory=dict)


@dataclass
class Report:
    selected: int = 0
    imported: int = 0
    skipped_no_date: list[str] = field(default_factory=list)
    no_link: list[str] = field(default_factory=list)
    skipped_names: dict[str, int] = field(default_factory=dict)
    unmapped_countries: dict[str, int] = field(default_factory=dict)
    resolved: dict[str, str] = field(default_factory=dict)  # "kind:raw name" -> existing id
    not_linked: list[tuple[str, str, str]] = field(default_factory=list)  # (entry, role, name)
    public_developers: list[tuple[str, str]] = field(default_factory=list)  # (entry, name)
    merged: dict[str, str] = field(default_factory=dict)  # entry -> the event that records it




def entry_number(aiaaic_id: str) -> str:
    m = re.match(r"^AIAAIC(\d+)$", aiaaic_id.strip())
    if not m:
        raise ValueError(f"unexpected AIAAIC id {aiaaic_id!r}")
    return m.group(1)


def event_id(aiaaic_id: str) -> str:
    return f"aiaaic-{entry_number(aiaaic_id)}"


def _compose_summary(row: list[str]) -> str:
    """A neutral summary assembled from AIAAIC's classification fields (labels are ours)."""

    def field_text(col: int) -> str:
        return "; ".join(split_names(row[col]))

    parts: list[str] = [f"AIAAIC entry {row[COL_ID].strip()}."]
    labelled = [
        ("Sector", COL_SECTOR),
        ("System", COL_SYSTEM),
        ("Technology", COL_TECH),
        ("Stated purpose", COL_PURPOSE),
        ("Deployer(s) listed", COL_DEPLOYER),
        ("Developer(s) listed", COL_DEVELOPER),
        ("Issues", COL_ISSUES),
        ("Harms to individuals", COL_HARM_INDIVIDUAL),
        ("Harms to society", COL_HARM_SOCIETAL),
        ("Environmental harms", COL_HARM_ENVIRONMENTAL),
        ("Reputational/strategic impact", COL_IMPACT_REPUTATION),
        ("Operational impact", COL_IMPACT_OPERATIONAL),
        ("Financial impact", COL_IMPACT_FINANCIAL),
        ("Legal/regulatory impact", COL_IMPACT_LEGAL),
        ("Made news through", COL_TRIGGER),
    ]
    for label, col in labelled:
        text = field_text(col)
        if text:
            parts.append(f"{label}: {text}.")
    return " ".join(parts)


def run(coll: Collection, external_dir: Path) -> None:
    path = external_dir / SUBDIR / RAW_FILE
    if not path.exists():
        fail(coll, f"{ORIGIN_FILE}: raw AIAAIC file not found")
    report = Report()
    dataset = Dataset(
        id=DATASET_ID,
        name="AIAAIC Repository (incidents sheet), facial recognition entries",
        publisher="AIAAIC (AI, Algorithmic, and Automation Incidents and Controversies)",
        licence="CC BY-SA 4.0",
        licence_url="https://creativecommons.org/licenses/by-sa/4.0/",
        attribution=ATTRIBUTION,
        url=REPOSITORY_URL,
        retrieved="2025-12-06",
        upstream=(
            "GitHub cartesiosson/ai_act_project, commit 41593413d52394c9bc9c95f2411ac2441acf1688, "
            "forensic_agent/benchmark/data/AIAAIC Repository - Incidents.csv (file last changed 2025-12-06)"
        ),
        note=(
            "Entries whose Technology(ies) field contains 'facial recognition'. Imported rows stay under "
            "CC BY-SA 4.0 (share-alike) and keep each entry's AIAAIC page link. The licence was read from the "
            "copying repository's AIAAIC_LICENSE.md; AIAAIC's own terms are at https://www.aiaaic.org/terms. "
            "Entries without an 'Occurred' year are not imported (no date is invented)."
        ),
    )
    coll.datasets.append(dataset)
    added: dict[str, int] = {}

    def add(kind: str, data: dict[str, Any]) -> None:
        coll.add(kind, data, ORIGIN_FILE)
        added[kind] = added.get(kind, 0) + 1

    rows = derive_rows(path)
    report.selected = len(rows)

    # Dataset-level source, cited by entries that have no page link in the export.
    repo_source = "aiaaic-repository"

    # Pass 1: per entry, the organisations it names, resolved to existing ids or to new records.
    new_orgs: dict[str, dict[str, _NewOrg]] = {"vendor": {}, "customer": {}}
    new_keys: dict[str, dict[str, str]] = {"vendor": {}, "customer": {}}  # name/alias key -> new-org key
    planned: list[tuple[list[str], str, str, str, dict[str, list[str]]]] = []

    def lookup_new(kind: str, name: str) -> str | None:
        for cand in name_candidates(name):
            k = new_keys[kind].get(org_key(cand))
            if k:
                return k
        return None

    def resolve_existing(kind: str, name: str) -> str | None:
        # No country check: AIAAIC's country is where an entry happened (and is sometimes wrong, e.g.
        # a London case filed under USA), not where the organisation is based. Generic names that could
        # belong to several countries are qualified in NAME_FIXES instead.
        for cand in name_candidates(name):
            rid = coll.resolve(kind, cand)
            if rid is not None:
                return rid
        return None

    check_review(coll, rows)
    same_as = merge_targets(coll)
    for row in rows:
        aid = row[COL_ID].strip()
        date, date_note = event_date(row[COL_OCCURRED])
        if not date:
            report.skipped_no_date.append(aid)
            continue
        link = clean(row[COL_LINK])
        source_id = event_id(aid) if link else repo_source
        if not link:
            report.no_link.append(aid)
        if aid in same_as:
            # Another event records this happening: the entry is one of its sources, nothing more.
            report.merged[aid] = same_as[aid]
            planned.append((row, date, date_note, source_id, {"vendor": [], "customer": []}))
            continue
        codes = country_codes(row[COL_COUNTRY])
        for c in unmapped_countries(row[COL_COUNTRY]):
            report.unmapped_countries[c] = report.unmapped_countries.get(c, 0) + 1
        single = codes[0] if len(codes) == 1 else ""
        refs: dict[str, list[str]] = {"vendor": [], "customer": []}
        for kind, name in entry_roles(row, report):
            rid = resolve_existing(kind, name)
            if rid is not None:
                report.resolved[f"{kind}:{name}"] = rid
                ref = f"id:{rid}"
            else:
                key = lookup_new(kind, name)
                if key is None:
                    key = org_key(base_name(name))
                    org = _NewOrg(name=base_name(name))
                    first = [abbreviation(name)] if abbreviation(name) else []
                    first += list(EXTRA_ALIASES.get(base_name(name), ()))
                    org.aliases = [a for a in first if org_key(a) and org_key(a) != key]
                    new_orgs[kind][key] = org
                    for known in [org.name, *org.aliases]:
                        new_keys[kind].setdefault(org_key(known), key)
                org = new_orgs[kind][key]
                org.entries.append(aid)
                org.sources.append(source_id)
                org.countries.append(single)
                org.spellings[base_name(name)] = org.spellings.get(base_name(name), 0) + 1
                ref = f"new:{key}"
            if ref not in refs[kind]:
                refs[kind].append(ref)
        planned.append((row, date, date_note, source_id, refs))

    # Sources: one per entry with a page link, plus the dataset-level one when needed.
    if report.no_link:
        add(
            "source",
            {
                "id": repo_source,
                "url": REPOSITORY_URL,
                "publisher": "AIAAIC",
                "title": "AIAAIC Repository",
                "kind": "dataset",
                "dataset": DATASET_ID,
                "note": "Cited for AIAAIC entries whose export row carries no page link.",
            },
        )
    for row, _date, _note, source_id, _refs in planned:
        if source_id == repo_source:
            continue
        add(
            "source",
            {
                "id": source_id,
                "url": clean(row[COL_LINK]),
                "publisher": "AIAAIC",
                "title": f"AIAAIC Repository entry {row[COL_ID].strip()}: {clean(row[COL_HEADLINE])}",
                "kind": "dataset",
                "dataset": DATASET_ID,
            },
        )

    # Pass 2: create the new organisations (sorted by key, so ids are stable).
    new_ids: dict[str, dict[str, str]] = {"vendor": {}, "customer": {}}
    for kind in ("vendor", "customer"):
        for key in sorted(new_orgs[kind]):
            org = new_orgs[kind][key]
            # Display name: the spelling used most often (ties: alphabetical).
            name = sorted(org.spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            if coll.resolve(kind, name) is not None:  # defensive; resolve_existing found no match
                fail(coll, f"{ORIGIN_FILE}: name {name!r} is already used by another {kind}")
            rid = free_id(coll, kind, slug(name))
            aliases: list[str] = []
            for a in [*org.aliases, *sorted(org.spellings)]:
                if org_key(a) == org_key(name) or coll.resolve(kind, a) is not None:
                    continue
                if all(org_key(a) != org_key(x) for x in aliases):
                    aliases.append(a)
            entries = sorted(set(org.entries), key=lambda x: int(entry_number(x)))
            count = len(entries)
            role = "developer" if kind == "vendor" else "deployer"
            summary = (
                f"Listed as a {role} in {count} facial recognition "
                f"{'entry' if count == 1 else 'entries'} of the AIAAIC Repository ({', '.join(entries)}). "
                "FaceLedger holds no other information about this organisation."
            )
            data: dict[str, Any] = {
                "id": rid,
                "name": name,
                "summary": summary,
                "origin": ORIGIN,
                "dataset": DATASET_ID,
                "sources": sorted(set(org.sources)),
                "verification": "partial",
                "verification_note": VERIFICATION_NOTE,
            }
            if aliases:
                data["aliases"] = aliases
            if kind == "customer":
                data["type"] = customer_type(name)
                if data["type"] in COUNTRY_FROM_ENTRY and len(set(org.countries)) == 1 and org.countries[0]:
                    data["country"] = org.countries[0]
            add(kind, data)
            new_ids[kind][key] = rid

    # Pass 3: the events.
    for row, date, date_note, source_id, refs in planned:
        aid = row[COL_ID].strip()
        if aid in report.merged:
            continue
        ids: dict[str, list[str]] = {}
        for kind in ("vendor", "customer"):
            out = []
            for ref in refs[kind]:
                rid = ref[3:] if ref.startswith("id:") else new_ids[kind][ref[4:]]
                if rid not in out:
                    out.append(rid)
            ids[kind] = sorted(out)
        codes = country_codes(row[COL_COUNTRY])
        vnote = VERIFICATION_NOTE
        if source_id == repo_source:
            vnote += " The AIAAIC export gives no page link for this entry."
        data = {
            "id": event_id(aid),
            "date": date,
            "kind": "incident",
            "title": clean(row[COL_HEADLINE]),
            "summary": _compose_summary(row),
            "jurisdiction": clean(row[COL_COUNTRY]),
            "country": codes[0] if len(codes) == 1 else "",
            "vendors": ids["vendor"],
            "customers": ids["customer"],
            "sources": [source_id],
            "verification": "partial",
            "verification_note": vnote,
            "dataset": DATASET_ID,
            "link": clean(row[COL_LINK]),
        }
        notes = [date_note] if date_note else []
        notes += review_notes(aid, report)
        if notes:
            data["note"] = " ".join(notes)
        add("event", {k: v for k, v in data.items() if v not in ("", [])})
        report.imported += 1

    # Entries that repeat a happening another event records: their page becomes its source.
    for row, _date, _note, source_id, _refs in planned:
        target = report.merged.get(row[COL_ID].strip())
        if target is None:
            continue
        event = coll.get("event", target)
        if event is None:  # checked by check_review; defensive
            fail(coll, f"{ORIGIN_FILE}: no event {target!r} to merge {row[COL_ID].strip()} into")
            return
        if source_id not in event.data["sources"]:
            event.data["sources"] = [*event.data["sources"], source_id]

    dataset.rows.update(added)
