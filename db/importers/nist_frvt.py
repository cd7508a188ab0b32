"""Importer for NIST FRVT 1:1 Verification tables (2020 extract by martinsbruveris/nist-frvt-analysis).

Raw files: db/external/nist-frvt-11-2020/frvt_11_overview.csv and frvt_11_gender_race.csv (see
PROVENANCE.md there). The numbers are NIST measurements (US government work).

Adds one [[study]] ("nist-frvt-11-2020"), one [[source]] for the FRVT 1:1 page and one [[figure]] per
algorithm and measured (non-empty) cell:
- overview: FNMR at the stated FMR for each dataset (the `rank` columns are leaderboard positions, not
  measurements, and are not imported);
- gender_race: false match rates for impostor pairs by sex and race.
Algorithms are linked to vendors through PREFIX_MAP (reviewed by hand); other developer prefixes become
vendor records "nist-<prefix>".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.collection import Collection, Dataset, org_key, slug
from db.importers._common import clean, fail, read_csv
from db.importers.nist_frvt_developers import DEVELOPER_NAMES
from db.importers.nist_frvt_developers import SOURCE as NAMES_SOURCE

DATASET_ID = "nist-frvt-11-2020"
ORIGIN = "nist-frvt"
SUBDIR = "nist-frvt-11-2020"
OVERVIEW_FILE = "frvt_11_overview.csv"
GENDER_RACE_FILE = "frvt_11_gender_race.csv"
ORIGIN_FILE = f"db/external/{SUBDIR}/{OVERVIEW_FILE}"
PAGE_URL = "https://pages.nist.gov/frvt/html/frvt11.html"
STUDY_ID = "nist-frvt-11-2020"
SOURCE_ID = "nist-frvt-11"
ATTRIBUTION = (
    "NIST Face Recognition Vendor Test (FRVT) 1:1 Verification, 2020 tables, extracted by the "
    "martinsbruveris/nist-frvt-analysis project"
)
VERIFICATION_NOTE = (
    "NIST's own measurement, as extracted from the 2020 FRVT 1:1 tables by the third-party "
    "martinsbruveris/nist-frvt-analysis project; not re-checked against NIST's report."
)
GENDER_RACE_NOTE = (
    " The extractor labels these rates as measured at a threshold set for an overall FMR of 1e-3; "
    "that reading is not confirmed against the NIST report."
)
VENDOR_SUMMARY = "Known to FaceLedger only as a developer in NIST FRVT 1:1 tables."

# Reviewed map: NIST developer prefix (the part of the algorithm ID before "-<nnn>") -> the vendor id
# FaceLedger uses, followed by names to resolve when that id does not exist. A mapped prefix whose
# vendor is not in the collection falls back to a "nist-<prefix>" record (never a guessed link).
PREFIX_MAP: dict[str, tuple[str, ...]] = {
    # Curated vendors (the fixed 15) that appear in the 2020 extract.
    "idemia": ("idemia", "IDEMIA", "Idemia"),
    "cognitec": ("cognitec", "Cognitec", "Cognitec Systems"),
    "rankone": ("rank-one-computing", "Rank One Computing"),
    "megvii": ("megvii", "Megvii"),
    "sensetime": ("sensetime", "SenseTime"),
    "vigilantsolutions": ("vigilant-solutions", "Vigilant Solutions"),
    "ayonix": ("ayonix", "Ayonix"),
    "nec": ("nec", "NEC"),
    # Other curated vendors.
    "digitalbarriers": ("digitalbarriers", "DigitalBarriers", "Digital Barriers"),
    "fujitsulab": (
        "fujitsu",
        "Fujitsu",
    ),  # Fujitsu Laboratories, Fujitsu's research arm  # not present in this 2020 extract; kept so a re-extract links correctly
    # Companies FaceLedger may know from other datasets (AIAAIC); linked only if such a record exists.
    "paravision": ("paravision", "Paravision"),
    "everai-paravision": ("paravision", "Paravision", "Ever AI"),  # Ever AI renamed itself Paravision
    "anyvision": ("oosto", "Oosto", "AnyVision Interactive Technologies"),  # AnyVision renamed Oosto
    "ntechlab": ("ntechlab", "NtechLab"),
    "visionlabs": ("visionlabs", "VisionLabs"),
    "tevian": ("tevian", "Tevian"),
    "dahua": ("zhejiang-dahua-technology", "Zhejiang Dahua Technology", "Dahua"),
    "hik": ("hikvision", "Hikvision"),
    "yitu": ("yitu", "Yitu"),
    "intellifusion": ("intellifusion", "Intellifusion"),
    "intellivision": ("intellivision", "IntelliVision"),
    "innefulabs": ("innefu-labs", "Innefu Labs"),
    "staqu": ("staqu-technologies", "Staqu Technologies"),
    "videmo": ("videmo", "Videmo"),
    "didiglobalface": ("didi-global", "Didi Global"),
    # Curated vendor records added for issue 14 (the NIST label is the company's own name).
    "cogent": ("thales", "Thales"),  # Thales's face algorithm is called Cogent (source nv-s25)
    "trueface": ("trueface", "Trueface"),
    "neurotechnology": ("neurotechnology", "Neurotechnology"),
}

# gender_race column -> readable subgroup (M/F = male/female, W/B = white/black, per PROVENANCE.md).
_SEX = {"M": "male", "F": "female"}
_RACE = {"W": "white", "B": "black"}


def pair_label(code: str) -> str:
    a, b = code.split("_")
    return f"{_SEX[a[0]]} {_RACE[a[1]]} vs {_SEX[b[0]]} {_RACE[b[1]]} impostor pairs ({code})"


def normalise_name(name: str) -> str:
    """Algorithm IDs as NIST writes them; the PDF extraction sometimes has a Unicode minus for '-'."""
    return clean(name).replace("\u2212", "-").casefold()


def nist_vendor(prefix: str, named: tuple[str, str] | None) -> dict[str, Any]:
    """The vendor record for a developer FaceLedger knows only from NIST's tables."""
    data: dict[str, Any] = {
        "id": f"nist-{slug(prefix)}",
        "name": prefix,
        "summary": VENDOR_SUMMARY + f" Its algorithms carry the prefix '{prefix}'.",
        "origin": ORIGIN,
        "dataset": DATASET_ID,
        "sources": [SOURCE_ID],
        "verification": "partial",
        "verification_note": (
            "Name as it appears in NIST's algorithm IDs (2020 FRVT 1:1 extract); NIST's 2021 leaderboard "
            "does not list this prefix, so the company behind it has not been identified."
        ),
    }
    if named is not None:
        name, country = named
        data["name"] = name
        if org_key(prefix) != org_key(name):
            data["aliases"] = [prefix]
        data["hq_country"] = country
        data["sources"] = [SOURCE_ID, NAMES_SOURCE["id"]]
        data["verification_note"] = (
            "Name and country as NIST's FRVT 1:1 leaderboard gives them for this algorithm prefix "
            "(2021-05-24); NIST's tables are the only source FaceLedger has for this developer."
        )
    return data


def prefix_of(algorithm: str) -> str:
    m = re.match(r"^(.+)-(\d{3})$", algorithm)
    if not m:
        raise ValueError(f"unexpected algorithm id {algorithm!r}")
    return m.group(1)


@dataclass(frozen=True)
class Cell:
    file: str
    algorithm: str
    column: str  # as written in the header
    subgroup: str
    metric: str
    value_text: str


def derive_overview(path: Path) -> list[Cell]:
    """Non-empty FNMR cells of the overview table (rank columns skipped), in file order."""
    rows = read_csv(path)
    header = rows[0]
    cells: list[Cell] = []
    for row in rows[1:]:
        if not row or not clean(row[0]):
            continue
        alg = normalise_name(row[0])
        for col, title in enumerate(header[1:], start=1):
            if title.strip().endswith("rank"):
                continue
            value = clean(row[col]) if col < len(row) else ""
            if not value:
                continue
            dataset_name, fmr = (clean(x) for x in title.split(",", 1))
            cells.append(Cell(path.name, alg, title, dataset_name, f"FNMR at FMR={fmr}", value))
    return cells


def derive_gender_race(path: Path) -> list[Cell]:
    """Non-empty demographic false-match-rate cells of the gender_race table, in file order."""
    rows = read_csv(path)
    header = rows[0]
    cells: list[Cell] = []
    for row in rows[1:]:
        if not row or not clean(row[0]):
            continue
        alg = normalise_name(row[0])
        for col, title in enumerate(header[1:], start=1):
            value = clean(row[col]) if col < len(row) else ""
            if not value:
                continue
            code = clean(title)
            cells.append(
                Cell(path.name, alg, code, pair_label(code), "FMR, impostor pairs by sex and race", value)
            )
    return cells


def derive_cells(external_dir: Path) -> list[Cell]:
    base = external_dir / SUBDIR
    return derive_overview(base / OVERVIEW_FILE) + derive_gender_race(base / GENDER_RACE_FILE)


def figure_id(cell: Cell) -> str:
    part = (
        "fmr-" + cell.column.casefold().replace("_", "-")
        if cell.file == GENDER_RACE_FILE
        else slug(cell.column)
    )
    return f"{STUDY_ID}-{cell.algorithm}-{part}"


@dataclass
class Report:
    figures: int = 0
    mapped: dict[str, str] = field(default_factory=dict)  # prefix -> vendor id
    mapped_missing: list[str] = field(default_factory=list)  # mapped prefix whose vendor is absent
    new_vendors: list[str] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)  # prefix -> the developer name NIST gives
    mapped_by_name: dict[str, str] = field(default_factory=dict)  # prefix -> existing vendor of that name
    name_clashes: list[str] = field(default_factory=list)




def run(coll: Collection, external_dir: Path) -> None:
    base = external_dir / SUBDIR
    for name in (OVERVIEW_FILE, GENDER_RACE_FILE):
        if not (base / name).exists():
            fail(coll, f"db/external/{SUBDIR}/{name}: file not found")
    report = Report()
    dataset = Dataset(
        id=DATASET_ID,
        name="NIST FRVT 1:1 Verification: 2020 accuracy and demographic tables",
        publisher="NIST (tables extracted by martinsbruveris/nist-frvt-analysis)",
        licence="Public domain in the US (NIST measurements, a work of the US government, 17 U.S.C. 105)",
        licence_url="https://www.nist.gov/oism/copyrights",
        attribution=ATTRIBUTION,
        url=PAGE_URL,
        retrieved="2020-11-07",
        upstream=(
            "GitHub martinsbruveris/nist-frvt-analysis, commit 388962501fa519fbc68618813b8242985d1c57f3, "
            "data/frvt_11_overview.csv and data/frvt_11_gender_race.csv"
        ),
        note=(
            "Only the numbers were copied; the extracting repository has no licence file. The 2020 tables are "
            "out of date (NIST has evaluated many more algorithms since). Leaderboard rank columns are not "
            "imported. 'retrieved' is the date of the extract's snapshot."
        ),
    )
    coll.datasets.append(dataset)
    added: dict[str, int] = {}

    def add(kind: str, data: dict[str, Any]) -> None:
        coll.add(kind, data, ORIGIN_FILE)
        added[kind] = added.get(kind, 0) + 1

    cells = derive_cells(external_dir)
    add(
        "source",
        {
            "id": SOURCE_ID,
            "url": PAGE_URL,
            "publisher": "NIST",
            "title": "Face Recognition Vendor Test (FRVT) 1:1 Verification",
            "kind": "dataset",
            "dataset": DATASET_ID,
            "note": (
                "Values read from a 2020 third-party extraction of the report tables "
                "(GitHub martinsbruveris/nist-frvt-analysis)."
            ),
        },
    )

    vendor_of: dict[str, str] = {}
    prefixes = sorted({prefix_of(c.algorithm) for c in cells})
    if any(p in DEVELOPER_NAMES for p in prefixes):
        # NIST's own page, not part of the extracted dataset: not counted among its rows.
        coll.add("source", dict(NAMES_SOURCE), "db/importers/nist_frvt_developers.py")
    for prefix in prefixes:
        target: str | None = None
        if prefix in PREFIX_MAP:
            vid, *names = PREFIX_MAP[prefix]
            if coll.has("vendor", vid):
                target = vid
            else:
                for name in names:
                    target = target or coll.resolve("vendor", name)
            if target is None:
                report.mapped_missing.append(prefix)
        if target is not None:
            report.mapped[prefix] = target
            vendor_of[prefix] = target
            continue
        vid = f"nist-{slug(prefix)}"
        if coll.has("vendor", vid):  # e.g. a re-run or a curated record with this id
            vendor_of[prefix] = vid
            continue
        named = DEVELOPER_NAMES.get(prefix)
        if named is not None:
            # The developer under the exact name NIST gives it may already be a vendor (curated or
            # imported): that is the same company, so its figures go there.
            existing = coll.resolve("vendor", named[0])
            if existing is not None:
                report.mapped_by_name[prefix] = existing
                vendor_of[prefix] = existing
                continue
        data = nist_vendor(prefix, named)
        if coll.resolve("vendor", data["name"]) is not None:
            # Same name as an unrelated record: keep them apart and flag it for review.
            report.name_clashes.append(prefix)
            data["name"] = f"{prefix} (NIST FRVT developer prefix)"
        aliases = data.get("aliases", [])
        if aliases and coll.resolve("vendor", aliases[0]) is not None:
            del data["aliases"]
        if named is not None:
            report.named[prefix] = named[0]
        add("vendor", data)
        report.new_vendors.append(vid)
        vendor_of[prefix] = vid

    add(
        "study",
        {
            "id": STUDY_ID,
            "title": "Face Recognition Vendor Test (FRVT) 1:1 Verification: 2020 tables",
            "org": "NIST",
            "venue": "NIST FRVT 1:1 report and leaderboard",
            "date": "2020",
            "url": PAGE_URL,
            "method": (
                "NIST runs face verification algorithms submitted by developers on its own image sets (visa, "
                "mugshot, border, in-the-wild and child exploitation photos) and reports the false non-match "
                "rate at fixed false match rates; a second table gives false match rates for impostor pairs "
                "grouped by sex and race. FaceLedger holds a third-party extraction of the 2020 tables."
            ),
            "vendors": sorted(set(vendor_of.values())),
            "link": PAGE_URL,
            "dataset": DATASET_ID,
            "sources": [SOURCE_ID],
            "verification": "partial",
            "verification_note": VERIFICATION_NOTE,
        },
    )

    for cell in cells:
        try:
            value: float | None = float(cell.value_text)
        except ValueError:
            value = None
        data: dict[str, Any] = {
            "id": figure_id(cell),
            "study": STUDY_ID,
            "vendor": vendor_of[prefix_of(cell.algorithm)],
            "vendor_label": cell.algorithm,
            "subgroup": cell.subgroup,
            "metric": cell.metric,
            "value": value,
            "value_text": cell.value_text,
            "where": f"FRVT 1:1 report table, 2020 extract ({cell.file}, column '{cell.column}')",
            "dataset": DATASET_ID,
            "sources": [SOURCE_ID],
            "verification": "partial",
            "verification_note": VERIFICATION_NOTE
            + (GENDER_RACE_NOTE if cell.file == GENDER_RACE_FILE else ""),
        }
        add("figure", {k: v for k, v in data.items() if v is not None and v != ""})
        report.figures += 1

    dataset.rows.update(added)
