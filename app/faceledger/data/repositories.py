"""The repositories of each entity, with their related-record queries, and `Repositories`, the
set of them that the composition root builds once (Qt-free).

The queries every entity shares (pages, counts, facets, positions, exports) are the generic
`Repository` (`repository.py`); how a page is read fast is `paging.py`; the global search is
`searcher.py`. Worker threads use `Repositories.on(conn)` / `Repository.bound(conn)`.
"""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from faceledger.data import records as r
from faceledger.data import schema
from faceledger.data.database import Database
from faceledger.data.entities import ALL_SPECS, ENTITIES, FIGURES
from faceledger.data.errors import UnknownName
from faceledger.data.paging import PAGE_SIZE as PAGE_SIZE  # the rows a table view reads at a time
from faceledger.data.repository import Citation as Citation
from faceledger.data.repository import Link as Link
from faceledger.data.repository import Query as Query
from faceledger.data.repository import Repository as Repository
from faceledger.data.worker_database import WorkerDatabase

if TYPE_CHECKING:
    # The global search, built on these repositories: made on first use (not at start).
    from faceledger.data.searcher import Searcher

# Related records listed in a detail pane, at most (a vendor can have a million deployments, a
# dataset's source cites thousands of figures): a list a reader can scan, rendered at once.
RELATED_LIMIT = 100


class VendorRepository(Repository[r.Vendor]):
    def deployments(self, vendor_id: str, limit: int = RELATED_LIMIT) -> list[Link]:
        rows = self.db.query(
            "SELECT id, customer_name, status, start, end, product, verification FROM deployments "
            "WHERE vendor_id = ? ORDER BY customer_name COLLATE NOCASE, customer_id, id LIMIT ?",
            (vendor_id, limit),
        )
        return [Link("deployments", i, f"{c} — {st}", _span(s, e, p, st), v) for i, c, st, s, e, p, v in rows]

    def customers(self, vendor_id: str, limit: int = RELATED_LIMIT) -> list[Link]:
        # The first customers in name order straight from the build's index on (vendor_id,
        # customer_name, customer_id, id), then their details: not every deployment sorted.
        rows = self.db.query(
            "SELECT c.id, c.name, c.type, c.country, c.verification FROM "
            "(SELECT DISTINCT customer_id, customer_name FROM deployments WHERE vendor_id = ? "
            "ORDER BY customer_name COLLATE NOCASE, customer_id LIMIT ?) d "
            "JOIN customers c ON c.id = d.customer_id ORDER BY d.customer_name COLLATE NOCASE, d.customer_id",
            (vendor_id, limit),
        )
        return [Link("customers", i, n, _join(t, co), v) for i, n, t, co, v in rows]

    def counts(self, vendor_id: str, limit: int = RELATED_LIMIT) -> list[Link]:
        rows = self.db.query(
            "SELECT id, value_text, subject, as_of, region, verification FROM customer_counts "
            "WHERE vendor_id = ? ORDER BY as_of, id LIMIT ?",
            (vendor_id, limit),
        )
        return [Link("customer_counts", i, f"{vt} {s}", _join(a, rg), v) for i, vt, s, a, rg, v in rows]

    def counts_by_counted(self, vendor_id: str) -> list[tuple[str, list[Link]]]:
        """A vendor's counts grouped by what was counted (in the vocabulary's order), each with
        its date, region and sources; a count of another product than face recognition says so."""
        rows = self.db.query(
            "SELECT c.id, c.value_text, c.subject, c.as_of, c.region, c.verification, c.counted, "
            "c.product, c.scope, (SELECT group_concat(publisher, '; ') FROM (SELECT DISTINCT s.publisher "
            "FROM citations ci JOIN sources s ON s.id = ci.source_id "
            "WHERE ci.entity = 'customer_counts' AND ci.record_id = c.id ORDER BY s.publisher)) "
            f"FROM customer_counts c WHERE c.vendor_id = ? ORDER BY {schema.COUNTED.sql_rank('c.counted')}, "
            "c.as_of, c.id LIMIT ?",
            (vendor_id, RELATED_LIMIT),
        )
        groups: dict[str, list[Link]] = {}
        for i, vt, s, a, rg, v, counted, product, scope, publishers in rows:
            other = (
                ""
                if product == schema.FACE_RECOGNITION
                else f"another product: {schema.PRODUCTS.label(product)}"
            )
            part = "one region or group only" if scope == "part" else ""
            note = _join(a, rg, part, other, f"source: {publishers}" if publishers else "no source")
            groups.setdefault(str(counted), []).append(Link("customer_counts", i, f"{vt} {s}", note, v))
        return list(groups.items())

    def studies(self, vendor_id: str) -> list[Link]:
        rows = self.db.query(
            "SELECT s.id, s.title, s.date, s.verification FROM study_vendors sv "
            "JOIN studies s ON s.id = sv.study_id WHERE sv.vendor_id = ? ORDER BY s.date, s.id",
            (vendor_id,),
        )
        return [Link("studies", i, t, d or "", v) for i, t, d, v in rows]

    def events(self, vendor_id: str, limit: int = RELATED_LIMIT) -> list[Link]:
        rows = self.db.query(
            "SELECT e.id, e.title, e.date, e.kind, e.verification FROM event_vendors ev "
            "JOIN events e ON e.id = ev.event_id WHERE ev.vendor_id = ? ORDER BY e.date, e.id LIMIT ?",
            (vendor_id, limit),
        )
        return [Link("events", i, t, _join(d, k), v) for i, t, d, k, v in rows]

    def as_customer(self, vendor_id: str) -> list[Link]:
        """The same organisation in its customer role (one id across roles; the build checks it)."""
        rows = self.db.query(
            "SELECT id, name, type, vendor_count, event_count, verification FROM customers WHERE id = ?",
            (vendor_id,),
        )
        return [
            Link("customers", i, n, _role_note(t, "vendor", vc, "event", ec), v)
            for i, n, t, vc, ec, v in rows
        ]


def _role_note(kind: str, first: str, n: int, second: str, m: int) -> str:
    """'private company · 2 vendors · 1 event'."""
    return _join(kind, *(_plural(k, w) for k, w in ((n, first), (m, second)) if k))


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


class CustomerRepository(Repository[r.Customer]):
    def deployments(self, customer_id: str, limit: int = RELATED_LIMIT) -> list[Link]:
        rows = self.db.query(
            "SELECT id, vendor_name, status, start, end, product, verification FROM deployments "
            "WHERE customer_id = ? ORDER BY vendor_name COLLATE NOCASE, id LIMIT ?",
            (customer_id, limit),
        )
        return [
            Link("deployments", i, f"{vn} — {st}", _span(s, e, p, st), v) for i, vn, st, s, e, p, v in rows
        ]

    def vendors(self, customer_id: str, limit: int = RELATED_LIMIT) -> list[Link]:
        rows = self.db.query(
            "SELECT DISTINCT v.id, v.name, v.hq_country, v.verification FROM deployments d "
            "JOIN vendors v ON v.id = d.vendor_id WHERE d.customer_id = ? "
            "ORDER BY v.name COLLATE NOCASE, v.id LIMIT ?",
            (customer_id, limit),
        )
        return [Link("vendors", i, n, c or "", v) for i, n, c, v in rows]

    def events(self, customer_id: str, limit: int = RELATED_LIMIT) -> list[Link]:
        rows = self.db.query(
            "SELECT e.id, e.title, e.date, e.kind, e.verification FROM event_customers ec "
            "JOIN events e ON e.id = ec.event_id WHERE ec.customer_id = ? ORDER BY e.date, e.id LIMIT ?",
            (customer_id, limit),
        )
        return [Link("events", i, t, _join(d, k), v) for i, t, d, k, v in rows]

    def parent(self, customer_id: str) -> list[Link]:
        rows = self.db.query(
            "SELECT p.id, p.name, p.verification FROM customers c JOIN customers p "
            "ON p.id = c.parent_id WHERE c.id = ?",
            (customer_id,),
        )
        return [Link("customers", i, n, "parent organisation", v) for i, n, v in rows]

    def as_vendor(self, customer_id: str) -> list[Link]:
        """The same organisation in its vendor role (one id across roles; the build checks it)."""
        rows = self.db.query(
            "SELECT id, name, customer_count, event_count, verification FROM vendors WHERE id = ?",
            (customer_id,),
        )
        return [
            Link("vendors", i, n, _role_note("vendor", "customer", cc, "event", ec), v)
            for i, n, cc, ec, v in rows
        ]


class DeploymentRepository(Repository[r.Deployment]):
    def parties(self, deployment_id: str) -> list[Link]:
        rows = self.db.query(
            "SELECT v.id, v.name, v.verification, c.id, c.name, c.verification FROM deployments d "
            "JOIN vendors v ON v.id = d.vendor_id JOIN customers c ON c.id = d.customer_id "
            "WHERE d.id = ?",
            (deployment_id,),
        )
        out: list[Link] = []
        for vi, vn, vv, ci, cn, cv in rows:
            out += [Link("vendors", vi, vn, "vendor", vv), Link("customers", ci, cn, "customer", cv)]
        return out


class CountRepository(Repository[r.CustomerCount]):
    def vendor(self, count_id: str) -> list[Link]:
        rows = self.db.query(
            "SELECT v.id, v.name, v.verification FROM customer_counts c JOIN vendors v "
            "ON v.id = c.vendor_id WHERE c.id = ?",
            (count_id,),
        )
        return [Link("vendors", i, n, "vendor", v) for i, n, v in rows]


class StudyRepository(Repository[r.Study]):
    def figures(self, study_id: str) -> list[r.StudyFigure]:
        cols = self.db.columns("study_figures")
        rows = self.db.query(
            "SELECT * FROM study_figures WHERE study_id = ? "
            "ORDER BY vendor_label COLLATE NOCASE, subgroup, metric, id",
            (study_id,),
        )
        return [r.from_row(r.StudyFigure, cols, row) for row in rows]

    def vendors(self, study_id: str) -> list[Link]:
        rows = self.db.query(
            "SELECT v.id, v.name, v.verification FROM study_vendors sv JOIN vendors v "
            "ON v.id = sv.vendor_id WHERE sv.study_id = ? ORDER BY v.name COLLATE NOCASE",
            (study_id,),
        )
        return [Link("vendors", i, n, "", v) for i, n, v in rows]


class EventRepository(Repository[r.Event]):
    def vendors(self, event_id: str) -> list[Link]:
        rows = self.db.query(
            "SELECT v.id, v.name, v.verification FROM event_vendors ev JOIN vendors v "
            "ON v.id = ev.vendor_id WHERE ev.event_id = ? ORDER BY v.name COLLATE NOCASE",
            (event_id,),
        )
        return [Link("vendors", i, n, "", v) for i, n, v in rows]

    def customers(self, event_id: str) -> list[Link]:
        rows = self.db.query(
            "SELECT c.id, c.name, c.verification FROM event_customers ec JOIN customers c "
            "ON c.id = ec.customer_id WHERE ec.event_id = ? ORDER BY c.name COLLATE NOCASE",
            (event_id,),
        )
        return [Link("customers", i, n, "", v) for i, n, v in rows]


class SourceRepository(Repository[r.Source]):
    def cited_by_count(self, source_id: str) -> int:
        row = self.db.query_one("SELECT COUNT(*) FROM citations WHERE source_id = ?", (source_id,))
        return int(row[0]) if row else 0

    def cited_by(self, source_id: str, limit: int = RELATED_LIMIT) -> list[Link]:
        rows = self.db.query(
            "SELECT entity, record_id FROM citations WHERE source_id = ? ORDER BY entity, record_id LIMIT ?",
            (source_id, limit),
        )
        out: list[Link] = []
        for entity, rid in rows:
            spec = ALL_SPECS.get(entity)
            if spec is None:
                continue
            label_row = self.db.query_one(f'SELECT "{spec.label}" FROM "{spec.table}" WHERE id = ?', (rid,))
            label = str(label_row[0]) if label_row and label_row[0] else rid
            target = entity if entity in ENTITIES else "studies"
            if entity == "study_figures":
                st = self.db.query_one("SELECT study_id FROM study_figures WHERE id = ?", (rid,))
                rid = str(st[0]) if st else rid
            out.append(Link(target, rid, label, spec.singular))
        return out


class DatasetRepository(Repository[r.Dataset]):
    def all(self) -> list[r.Dataset]:
        return self.page(Query(), 0, 1000)


class FigureRepository(Repository[r.StudyFigure]):
    pass


# The link tables (no page of their own), with their columns, for the export of everything.
LINK_TABLES: dict[str, tuple[str, ...]] = {
    "citations": ("entity", "record_id", "source_id"),
    "study_vendors": ("study_id", "vendor_id"),
    "event_vendors": ("event_id", "vendor_id"),
    "event_customers": ("event_id", "customer_id"),
}


class LinkRepository:
    """Reads the link tables whole, in key order."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _table(self, table: str) -> tuple[str, ...]:
        if table not in LINK_TABLES:
            raise UnknownName(f"unknown table '{table}'")
        return LINK_TABLES[table]

    def count(self, table: str) -> int:
        self._table(table)
        sql = f'SELECT COUNT(*) FROM "{table}"'
        row = self.db.query_one(sql)
        return int(row[0]) if row else 0

    def iter_rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        cols = ", ".join(f'"{c}"' for c in self._table(table))
        return self.db.iterate(f'SELECT {cols} FROM "{table}" ORDER BY {cols}')


class Repositories:
    """Every repository over one database, built once by the composition root."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.vendors = VendorRepository(db, ENTITIES["vendors"])
        self.customers = CustomerRepository(db, ENTITIES["customers"])
        self.deployments = DeploymentRepository(db, ENTITIES["deployments"])
        self.customer_counts = CountRepository(db, ENTITIES["customer_counts"])
        self.studies = StudyRepository(db, ENTITIES["studies"])
        self.events = EventRepository(db, ENTITIES["events"])
        self.sources = SourceRepository(db, ENTITIES["sources"])
        self.datasets = DatasetRepository(db, ENTITIES["datasets"])
        self.study_figures = FigureRepository(db, FIGURES)
        self.links = LinkRepository(db)
        self._search: Searcher | None = None

    @property
    def search(self) -> Searcher:
        """The global search over these repositories (Ctrl+K, `faceledger search`)."""
        if self._search is None:
            from faceledger.data.searcher import Searcher  # noqa: PLC0415 (see TYPE_CHECKING above)

            self._search = Searcher(self)
        return self._search

    def on(self, conn: sqlite3.Connection) -> Repositories:
        """Every repository on a worker's own connection (from `Database.reader()`), the global
        search included: use them on that worker only."""
        twin = copy.copy(self)
        twin.db = WorkerDatabase(self.db, conn)
        for name, value in vars(self).items():
            if isinstance(value, Repository):
                setattr(twin, name, value.bound(conn))
        twin.links = LinkRepository(twin.db)
        twin._search = None  # its own, over the twins
        return twin

    @contextmanager
    def reading(self) -> Iterator[Repositories]:
        """On a worker: every repository on a connection of its own, closed at the end."""
        with self.db.reader() as conn:
            yield self.on(conn)

    def for_entity(self, entity: str) -> Repository[Any]:
        repo = getattr(self, entity, None)
        if not isinstance(repo, Repository):
            raise UnknownName(f"unknown table '{entity}'")
        return repo


def _span(start: str | None, end: str | None, product: str | None, status: str | None = None) -> str:
    """When a deployment ran, in words: "2019-12 – 2020-02", "2019-12 – end not known" (ended on
    no known date), "from 2019-12" (not ended), "until 2020-02" (start not known)."""
    end_text = schema.end_shown(end, status)
    if start and end_text:
        when = f"{start} – {end_text if end else 'end ' + end_text}"
    elif start:
        when = f"from {start}"
    elif end:
        when = f"until {end}"
    else:
        when = f"end {end_text}" if end_text else ""
    return _join(when, product or "")


def _join(*parts: str | None) -> str:
    return " · ".join(p for p in parts if p)
