"""What the "About the data" page says, read from the database (Qt-free): how current the data is
(the newest dated fact, the newest source or dataset snapshot the build drew on), what each
dataset contributes (rows per record type) with its licence and attribution, and how the
verification marks read."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from faceledger.data.database import Database
from faceledger.data.dates import data_date
from faceledger.data.entities import ALL_SPECS, dataset_label, record_heading
from faceledger.data.schema import VERIFICATION

# The record types whose rows a dataset can contribute, in the order the page lists them.
CONTRIBUTED_TABLES = (
    "vendors",
    "customers",
    "deployments",
    "customer_counts",
    "studies",
    "study_figures",
    "events",
    "sources",
)

# Where each kind of fact carries its date: (table, date column); a fact is named as its record
# is in the detail pane (`record_heading`).
FACT_DATES = (
    ("events", "date"),
    ("deployments", "start"),
    ("studies", "date"),
    ("customer_counts", "as_of"),
)

# What each verification status means, in the words of the rule the build enforces
# (db/README.md: "Verified" means a primary source says it).
VERIFICATION_MEANINGS = {
    "verified": (
        "A primary source states it: an official record, a court or regulator document, the study "
        "itself, a company's own statement, or a news outlet's own article on its own site."
    ),
    "partial": (
        "Some of it is confirmed, or it rests on a copy or summary (a mirror, Wikipedia, an aggregator, "
        "an imported dataset); the record's note says what is and is not confirmed."
    ),
    "unverified": "Reported, but not confirmed in any source FaceLedger has read: treat it as a claim.",
}

@dataclass(frozen=True)
class DatedFact:
    """The newest dated fact: its date (ISO), record type, id and what it is about."""

    date: str
    entity: str
    record_id: str
    label: str


@dataclass(frozen=True)
class Contribution:
    """What one dataset (or FaceLedger's own research, `dataset_id` "") adds to the database."""

    dataset_id: str
    short_name: str
    name: str
    publisher: str
    licence: str
    licence_url: str
    attribution: str
    url: str
    retrieved: str
    rows: tuple[tuple[str, int], ...]  # (record type's title, rows), types with rows only

    @property
    def total(self) -> int:
        return sum(n for _title, n in self.rows)


@dataclass(frozen=True)
class Verification:
    value: str
    label: str
    meaning: str
    records: int  # fact records with this status


@dataclass(frozen=True)
class AboutData:
    data_version: str
    data_date: str  # ISO: the newest source or dataset snapshot the build drew on ("" if unknown)
    newest_fact: DatedFact | None
    newest_source: str  # ISO date of the newest dated source ("" if none)
    contributions: tuple[Contribution, ...]
    verification: tuple[Verification, ...]


def newest_fact(db: Database) -> DatedFact | None:
    """The fact with the newest date (an event, a deployment's start, a study, a count's as-of)."""
    best: DatedFact | None = None
    for table, column in FACT_DATES:
        row = db.query_one(
            f'SELECT * FROM "{table}" '
            f'WHERE "{column}" IS NOT NULL AND "{column}" != \'\' ORDER BY "{column}" DESC, id LIMIT 1'
        )
        if row is None:
            continue
        record = SimpleNamespace(**dict(zip(db.columns(table), row, strict=True)))
        date = str(getattr(record, column))
        if best is None or date > best.date:
            label = str(getattr(record, ALL_SPECS[table].label, "") or record.id)
            best = DatedFact(date, table, str(record.id), record_heading(table, record, label))
    return best


def _rows_per_dataset(db: Database) -> dict[str, dict[str, int]]:
    """Rows per dataset id ("" for FaceLedger's own research) and record type."""
    out: dict[str, dict[str, int]] = {}
    for table in CONTRIBUTED_TABLES:
        for dataset_id, n in db.query(f'SELECT dataset_id, COUNT(*) FROM "{table}" GROUP BY dataset_id'):
            out.setdefault(str(dataset_id or ""), {})[table] = int(n)
    return out


def contributions(db: Database) -> tuple[Contribution, ...]:
    """FaceLedger's own research first, then each imported dataset by name, with its rows."""
    counts = _rows_per_dataset(db)

    def rows(dataset_id: str) -> tuple[tuple[str, int], ...]:
        per = counts.get(dataset_id, {})
        return tuple((ALL_SPECS[t].title, per[t]) for t in CONTRIBUTED_TABLES if per.get(t))

    own = Contribution(
        "",
        dataset_label("curated"),
        "FaceLedger's own research",
        "FaceLedger",
        "",
        "",
        "Facts written for FaceLedger from the sources each record cites.",
        "",
        "",
        rows(""),
    )
    datasets = db.query(
        "SELECT id, name, publisher, licence, licence_url, attribution, url, retrieved FROM datasets ORDER BY name"
    )
    return (own,) + tuple(
        Contribution(
            str(i),
            dataset_label(str(i)),
            str(name),
            str(publisher or ""),
            str(licence or ""),
            str(licence_url or ""),
            str(attribution or ""),
            str(url or ""),
            str(retrieved or ""),
            rows(str(i)),
        )
        for i, name, publisher, licence, licence_url, attribution, url, retrieved in datasets
    )


def verification_counts(db: Database) -> tuple[Verification, ...]:
    """Each status with its meaning and how many fact records (not sources) have it."""
    totals = dict.fromkeys(VERIFICATION.values, 0)
    for table in CONTRIBUTED_TABLES:
        if table == "sources":
            continue
        for status, n in db.query(f'SELECT verification, COUNT(*) FROM "{table}" GROUP BY verification'):
            if status in totals:
                totals[str(status)] += int(n)
    return tuple(
        Verification(v, VERIFICATION.label(v), VERIFICATION_MEANINGS[v], totals[v])
        for v in VERIFICATION.values
    )


def about_data(db: Database) -> AboutData:
    row = db.query_one("SELECT MAX(date) FROM sources WHERE date IS NOT NULL AND date != ''")
    return AboutData(
        data_version=db.meta().get("data_version", ""),
        data_date=data_date(db),
        newest_fact=newest_fact(db),
        newest_source=str(row[0]) if row and row[0] else "",
        contributions=contributions(db),
        verification=verification_counts(db),
    )
