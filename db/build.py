"""Build the FaceLedger database from the text sources in db/.

Usage: python db/build.py [-o OUT.db]

Deterministic: the same sources give the same rows in the same order, and the same manifest.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import operator
import re
import sqlite3
import sys
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "app"))

import sqlite_utils  # noqa: E402

from faceledger.data import charts, schema  # noqa: E402
from faceledger.data.entities import (  # noqa: E402
    ALL_SPECS,
    ENTITIES,
    KNOWN_BENCHMARK,
    KNOWN_CUSTOMERS,
    KNOWN_EVENTS,
    KNOWN_PROFILE,
    KNOWN_STUDIES,
    SECTOR_OF_TYPE,
)
from faceledger.data.manifest import write_manifest  # noqa: E402
from faceledger.data.text import fold, search_text  # noqa: E402

SOURCES_DIR = HERE / "sources"
EXTERNAL_DIR = HERE / "external"
DEFAULT_OUT = ROOT / "app" / "faceledger" / "bundled" / "faceledger.db"
SCHEMA_VERSION = 1

VERIFICATION = schema.VERIFICATION.values

# Every enumerated field, from the one declaration the app also uses (faceledger.data.schema).
ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("source", "kind"): schema.SOURCE_KINDS.values,
    ("customer", "type"): schema.CUSTOMER_TYPES.values,
    ("deployment", "status"): schema.DEPLOYMENT_STATUSES.values,
    ("count", "qualifier"): schema.QUALIFIERS.values,
    ("count", "kind"): schema.COUNT_KINDS.values,
    ("count", "counted"): schema.COUNTED.values,
    ("count", "product"): schema.PRODUCTS.values,
    ("count", "scope"): schema.SCOPES.values,
    ("event", "kind"): schema.EVENT_KINDS.values,
}

# Source kinds that can make a record "verified": an official record, court or regulator document,
# paper or company statement ("primary"), or an outlet's own article on its own site ("press").
# Copies, relays, aggregators and encyclopedias cannot; a record resting only on them is "partial".
PRIMARY_SOURCE_KINDS = ("primary", "press")

# Qualifiers that never carry a number: "a handful" stays words.
WORD_QUALIFIERS = schema.WORD_QUALIFIERS

DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

FACT_KINDS = ("vendor", "customer", "deployment", "count", "study", "figure", "event")
ALL_KINDS = ("source",) + FACT_KINDS

# record kind -> table name in the database
TABLE = {
    "source": "sources",
    "vendor": "vendors",
    "customer": "customers",
    "deployment": "deployments",
    "count": "customer_counts",
    "study": "studies",
    "figure": "study_figures",
    "event": "events",
}

# Fields per kind: name -> (required, type). Types: str, list, int, num, date, id:<kind>, ids:<kind>.
COMMON = {
    "id": (True, "str"),
    "sources": (True, "ids:source"),
    "verification": (True, "enum"),
    "verification_note": (False, "str"),
    "note": (False, "str"),
    "origin": (False, "str"),
    "dataset": (False, "str"),
    "link": (False, "str"),
}
FIELDS: dict[str, dict[str, tuple[bool, str]]] = {
    "source": {
        "id": (True, "str"),
        "url": (True, "str"),
        "publisher": (True, "str"),
        "title": (False, "str"),
        "date": (False, "date"),
        "kind": (True, "enum"),
        "dataset": (False, "str"),
        "note": (False, "str"),
    },
    "vendor": {
        **COMMON,
        "name": (True, "str"),
        "aliases": (False, "list"),
        "legal_name": (False, "str"),
        "hq_country": (False, "str"),
        "hq_city": (False, "str"),
        "founded": (False, "date"),
        "products": (False, "str"),
        "website": (False, "str"),
        "summary": (False, "str"),
    },
    "customer": {
        **COMMON,
        "name": (True, "str"),
        "aliases": (False, "list"),
        "type": (True, "enum"),
        "country": (False, "str"),
        "region": (False, "str"),
        "parent": (False, "id:customer"),
        "summary": (False, "str"),
    },
    "deployment": {
        **COMMON,
        "vendor": (True, "id:vendor"),
        "customer": (True, "id:customer"),
        "product": (False, "str"),
        "status": (True, "enum"),
        "start": (False, "date"),
        "end": (False, "date"),
        "end_not_known": (False, "bool"),
        "summary": (False, "str"),
    },
    "count": {
        **COMMON,
        "vendor": (False, "id:vendor"),
        "subject": (True, "str"),
        "qualifier": (True, "enum"),
        "value": (False, "int"),
        "region": (False, "str"),
        "as_of": (False, "date"),
        "reported_by": (True, "str"),
        "kind": (True, "enum"),
        "counted": (True, "enum"),
        "product": (True, "enum"),
        "scope": (True, "enum"),
    },
    "study": {
        **COMMON,
        "title": (True, "str"),
        "authors": (False, "str"),
        "org": (False, "str"),
        "venue": (False, "str"),
        "date": (True, "date"),
        "url": (False, "str"),
        "method": (False, "str"),
        "vendors": (False, "ids:vendor"),
    },
    "figure": {
        **COMMON,
        "study": (True, "id:study"),
        "vendor": (False, "id:vendor"),
        "vendor_label": (False, "str"),
        "subgroup": (False, "str"),
        "metric": (True, "str"),
        "value": (False, "num"),
        "value_text": (False, "str"),
        "unit": (False, "str"),
        "where": (False, "str"),
    },
    "event": {
        **COMMON,
        "date": (True, "date"),
        "kind": (True, "enum"),
        "title": (True, "str"),
        "summary": (False, "str"),
        "jurisdiction": (False, "str"),
        "country": (False, "str"),
        "vendors": (False, "ids:vendor"),
        "customers": (False, "ids:customer"),
        "amount": (False, "num"),
        "currency": (False, "str"),
        "person": (False, "str"),
        "place": (False, "str"),
    },
}


class BuildError(Exception):
    """A problem in the sources; the message names the file and the record."""


@dataclass
class Record:
    kind: str
    data: dict[str, Any]
    origin_file: str

    @property
    def id(self) -> str:
        return str(self.data.get("id", "?"))

    def where(self) -> str:
        return f"{self.origin_file}: {self.kind} '{self.id}'"


@dataclass
class Dataset:
    id: str
    name: str
    publisher: str
    licence: str
    licence_url: str
    attribution: str
    url: str
    retrieved: str
    upstream: str
    note: str = ""
    rows: dict[str, int] = field(default_factory=dict)


class Collection:
    """All records of one build, with lookups the importers use to resolve organisations."""

    def __init__(self) -> None:
        self.records: dict[str, list[Record]] = {k: [] for k in ALL_KINDS}
        self.datasets: list[Dataset] = []
        self._by_id: dict[str, dict[str, Record]] = {k: {} for k in ALL_KINDS}
        self._names: dict[str, dict[str, str]] = {"vendor": {}, "customer": {}}

    # -- adding -------------------------------------------------------------------------------
    def add(self, kind: str, data: dict[str, Any], origin_file: str) -> Record:
        if kind not in ALL_KINDS:
            raise BuildError(f"{origin_file}: unknown record kind '{kind}'")
        rec = Record(kind, dict(data), origin_file)
        rid = rec.data.get("id")
        if not isinstance(rid, str) or not ID_RE.match(rid):
            raise BuildError(f"{rec.where()}: id must be a lowercase slug (a-z, 0-9, . _ -)")
        if rid in self._by_id[kind]:
            other = self._by_id[kind][rid]
            raise BuildError(f"{rec.where()}: duplicate id (also in {other.origin_file})")
        self._by_id[kind][rid] = rec
        self.records[kind].append(rec)
        if kind in self._names:
            for name in [rec.data.get("name", "")] + list(rec.data.get("aliases", []) or []):
                key = org_key(str(name))
                if not key:
                    continue
                owner = self._names[kind].get(key)
                if owner is not None and owner != rid:
                    raise BuildError(
                        f"{rec.where()}: name or alias '{name}' already belongs to {kind} '{owner}'"
                    )
                self._names[kind][key] = rid
        return rec

    def get(self, kind: str, rid: str) -> Record | None:
        return self._by_id[kind].get(rid)

    def has(self, kind: str, rid: str) -> bool:
        return rid in self._by_id[kind]

    def resolve(self, kind: str, name: str) -> str | None:
        """The id of the vendor or customer whose name or alias matches `name`, if any."""
        return self._names[kind].get(org_key(name))

    def add_alias(self, kind: str, rid: str, alias: str) -> None:
        rec = self._by_id[kind][rid]
        key = org_key(alias)
        if not key or self._names[kind].get(key) == rid:
            return
        if key in self._names[kind]:
            raise BuildError(f"{rec.where()}: alias '{alias}' already belongs to another {kind}")
        rec.data.setdefault("aliases", [])
        rec.data["aliases"] = list(rec.data["aliases"]) + [alias]
        self._names[kind][key] = rid


def org_key(name: str) -> str:
    """Key for matching organisation names: folded, punctuation and spacing ignored."""
    return re.sub(r"[^0-9a-z]+", " ", fold(name)).strip()


def slug(text: str) -> str:
    s = re.sub(r"[^0-9a-z]+", "-", fold(text)).strip("-")
    return s[:60].strip("-") or "x"


# -- loading ----------------------------------------------------------------------------------
def load_toml_sources(coll: Collection, src_dir: Path) -> None:
    for path in sorted(src_dir.glob("*.toml")):
        rel = f"db/sources/{path.name}"
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise BuildError(f"{rel}: not valid TOML: {exc}") from exc
        for kind, items in doc.items():
            if kind not in ALL_KINDS:
                raise BuildError(f"{rel}: unknown record kind '[[{kind}]]'")
            if not isinstance(items, list):
                raise BuildError(f"{rel}: '{kind}' must be an array of tables ([[{kind}]])")
            for item in items:
                coll.add(kind, _normalise_dates(item), rel)


def _normalise_dates(item: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in item.items():
        if isinstance(v, _dt.date) and not isinstance(v, _dt.datetime):
            v = v.isoformat()
        out[k] = v
    return out


# -- validation -------------------------------------------------------------------------------
def validate(coll: Collection) -> None:
    for kind in ALL_KINDS:
        spec = FIELDS[kind]
        for rec in coll.records[kind]:
            _validate_record(coll, rec, spec)
    for kind in FACT_KINDS:
        for rec in coll.records[kind]:
            _check_verified_has_primary(coll, rec)
    validate_identities(coll)


def _check_verified_has_primary(coll: Collection, rec: Record) -> None:
    """A record marked verified must cite at least one source whose kind is primary or press."""
    if rec.data.get("verification") != "verified":
        return
    kinds = [src.data.get("kind") for s in rec.data["sources"] if (src := coll.get("source", s))]
    if not any(k in PRIMARY_SOURCE_KINDS for k in kinds):
        raise BuildError(
            f"{rec.where()}: marked verified, but none of its sources is a primary source "
            f"(kind {' or '.join(PRIMARY_SOURCE_KINDS)}); cite one, or mark it partial with a "
            "verification_note naming the copy it rests on"
        )


def validate_identities(coll: Collection) -> None:
    """One organisation, one id, whatever roles it plays: a vendor and a customer that share a name
    or alias must be the same record id (the detail pane then shows both roles), and a vendor and a
    customer with the same id must share a name (the id never joins two different organisations)."""
    vendor_names = coll._names["vendor"]
    for key, cid in sorted(coll._names["customer"].items()):
        vid = vendor_names.get(key)
        if vid is not None and vid != cid:
            rec = coll.get("customer", cid)
            where = rec.where() if rec else f"customer '{cid}'"
            raise BuildError(
                f"{where}: name or alias {key!r} also belongs to vendor '{vid}'; one organisation "
                "needs one id in both roles"
            )
    for rec in coll.records["customer"]:
        vendor = coll.get("vendor", rec.id)
        if vendor is None:
            continue
        names = {org_key(n) for n in [rec.data.get("name", ""), *(rec.data.get("aliases") or [])]}
        other = {org_key(n) for n in [vendor.data.get("name", ""), *(vendor.data.get("aliases") or [])]}
        if not (names & other) - {""}:
            raise BuildError(
                f"{rec.where()}: vendor '{rec.id}' has the same id but no name in common; "
                "an id shared across roles must name one organisation"
            )


def _validate_record(coll: Collection, rec: Record, spec: dict[str, tuple[bool, str]]) -> None:
    d = rec.data
    for key in d:
        if key not in spec:
            raise BuildError(f"{rec.where()}: unknown field '{key}'")
    for key, (required, typ) in spec.items():
        value = d.get(key)
        empty = value is None or value == "" or value == []
        if empty:
            if required:
                what = "has no source" if key == "sources" else f"missing required field '{key}'"
                raise BuildError(f"{rec.where()}: {what}")
            continue
        if typ == "str":
            if not isinstance(value, str):
                raise BuildError(f"{rec.where()}: field '{key}' must be text")
        elif typ == "list":
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                raise BuildError(f"{rec.where()}: field '{key}' must be a list of text")
        elif typ == "bool":
            if not isinstance(value, bool):
                raise BuildError(f"{rec.where()}: field '{key}' must be true or false")
        elif typ == "int":
            if not isinstance(value, int) or isinstance(value, bool):
                raise BuildError(f"{rec.where()}: field '{key}' must be a whole number")
        elif typ == "num":
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise BuildError(f"{rec.where()}: field '{key}' must be a number")
        elif typ == "date":
            if not isinstance(value, str) or not DATE_RE.match(value):
                raise BuildError(
                    f"{rec.where()}: field '{key}' is not an ISO 8601 date "
                    f"(YYYY, YYYY-MM or YYYY-MM-DD): {value!r}"
                )
        elif typ == "enum":
            allowed = VERIFICATION if key == "verification" else ENUMS[(rec.kind, key)]
            if value not in allowed:
                raise BuildError(
                    f"{rec.where()}: unknown {key} {value!r} (expected one of: {', '.join(allowed)})"
                )
        elif typ.startswith("id:"):
            target = typ[3:]
            if not isinstance(value, str) or not coll.has(target, value):
                raise BuildError(f"{rec.where()}: field '{key}' points to no {target} {value!r}")
        elif typ.startswith("ids:"):
            target = typ[4:]
            if not isinstance(value, list):
                raise BuildError(f"{rec.where()}: field '{key}' must be a list of {target} ids")
            for x in value:
                if not isinstance(x, str) or not coll.has(target, x):
                    raise BuildError(f"{rec.where()}: field '{key}' points to no {target} {x!r}")
            if len(set(value)) != len(value):
                raise BuildError(f"{rec.where()}: field '{key}' lists an id twice")
    if rec.kind == "count":
        q, v = d.get("qualifier"), d.get("value")
        if q in WORD_QUALIFIERS and v is not None:
            raise BuildError(f"{rec.where()}: qualifier {q!r} must not carry a number")
        if q not in WORD_QUALIFIERS and v is None:
            raise BuildError(f"{rec.where()}: qualifier {q!r} needs a value")
    if rec.kind == "deployment" and d.get("end_not_known") and d.get("end"):
        raise BuildError(f"{rec.where()}: has an end and says the end is not known")
    if (
        rec.kind == "deployment"
        and d.get("status") == "ended"
        and not d.get("end")
        and not d.get("end_not_known")
    ):
        raise BuildError(
            f"{rec.where()}: ended with no end date: give the date or 'end_not_known = true' "
            "(the pane then shows 'end not known')"
        )
    if rec.kind == "deployment" and d.get("start") and d.get("end"):
        if str(d["end"]) < str(d["start"])[: len(str(d["end"]))]:
            raise BuildError(f"{rec.where()}: end {d['end']} is before start {d['start']}")
    dataset = d.get("dataset")
    if dataset and dataset not in {ds.id for ds in coll.datasets}:
        raise BuildError(f"{rec.where()}: field 'dataset' points to no dataset {dataset!r}")


# -- writing ----------------------------------------------------------------------------------
def count_display(d: dict[str, Any]) -> str:
    q, v = d["qualifier"], d.get("value")
    if q in WORD_QUALIFIERS:
        return str(q)
    num = f"{v:,}"
    return num if q == "exact" else f"{q} {num}"


def _join(items: Iterable[str] | None) -> str:
    return "; ".join(items or [])


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date else None


def _base(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "verification": d["verification"],
        "verification_note": d.get("verification_note", ""),
        "note": d.get("note", ""),
        "dataset_id": d.get("dataset") or None,
        "link": d.get("link", ""),
    }


def rows_for(coll: Collection) -> dict[str, list[dict[str, Any]]]:
    """Database rows per table, in a deterministic order (sorted by id)."""

    def recs(kind: str) -> list[dict[str, Any]]:
        return [r.data for r in sorted(coll.records[kind], key=lambda r: r.id)]

    names = {
        "vendor": {r.id: r.data["name"] for r in coll.records["vendor"]},
        "customer": {r.id: r.data["name"] for r in coll.records["customer"]},
    }
    out: dict[str, list[dict[str, Any]]] = {}
    out["datasets"] = [
        {
            "id": ds.id,
            "name": ds.name,
            "publisher": ds.publisher,
            "licence": ds.licence,
            "licence_url": ds.licence_url,
            "attribution": ds.attribution,
            "url": ds.url,
            "retrieved": ds.retrieved,
            "upstream": ds.upstream,
            "rows_imported": sum(ds.rows.values()),
            "rows_detail": "; ".join(f"{k}: {v}" for k, v in sorted(ds.rows.items())),
            "note": ds.note,
        }
        for ds in sorted(coll.datasets, key=lambda ds: ds.id)
    ]
    out["sources"] = [
        {
            "id": d["id"],
            "url": d["url"],
            "publisher": d["publisher"],
            "title": d.get("title", ""),
            "date": d.get("date") or None,
            "kind": d["kind"],
            "dataset_id": d.get("dataset") or None,
            "note": d.get("note", ""),
        }
        for d in recs("source")
    ]
    dep = coll.records["deployment"]
    vendor_customers: dict[str, set[str]] = {}
    customer_vendors: dict[str, set[str]] = {}
    for rec in dep:
        vendor_customers.setdefault(rec.data["vendor"], set()).add(rec.data["customer"])
        customer_vendors.setdefault(rec.data["customer"], set()).add(rec.data["vendor"])
    vendor_events: dict[str, int] = {}
    customer_events: dict[str, int] = {}
    for rec in coll.records["event"]:
        for v in set(rec.data.get("vendors", [])):
            vendor_events[v] = vendor_events.get(v, 0) + 1
        for c in set(rec.data.get("customers", [])):
            customer_events[c] = customer_events.get(c, 0) + 1
    known_from = vendors_known_from(coll, vendor_customers, vendor_events)
    out["vendors"] = [
        {
            "id": d["id"],
            "name": d["name"],
            "aliases": _join(d.get("aliases")),
            "legal_name": d.get("legal_name", ""),
            "hq_country": d.get("hq_country", ""),
            "hq_city": d.get("hq_city", ""),
            "founded": d.get("founded") or None,
            "products": d.get("products", ""),
            "website": d.get("website", ""),
            "summary": d.get("summary", ""),
            "origin": d.get("origin", "curated"),
            "customer_count": len(vendor_customers.get(d["id"], ())),
            "event_count": vendor_events.get(d["id"], 0),
            "known_from": known_from[d["id"]],
            "reported_customers": "",  # filled in from the counts once they are written
            "reported_customers_sort": None,
            **_base(d),
        }
        for d in recs("vendor")
    ]
    out["customers"] = [
        {
            "id": d["id"],
            "name": d["name"],
            "aliases": _join(d.get("aliases")),
            "type": d["type"],
            "country": d.get("country", ""),
            "region": d.get("region", ""),
            "parent_id": d.get("parent") or None,
            "summary": d.get("summary", ""),
            "origin": d.get("origin", "curated"),
            "vendor_count": len(customer_vendors.get(d["id"], ())),
            "event_count": customer_events.get(d["id"], 0),
            "sector": SECTOR_OF_TYPE[d["type"]],
            **_base(d),
        }
        for d in recs("customer")
    ]
    customer_by_id = {r.id: r.data for r in coll.records["customer"]}
    out["deployments"] = [
        {
            "id": d["id"],
            "vendor_id": d["vendor"],
            "customer_id": d["customer"],
            "vendor_name": names["vendor"][d["vendor"]],
            "customer_name": names["customer"][d["customer"]],
            "customer_type": customer_by_id[d["customer"]]["type"],
            "customer_country": customer_by_id[d["customer"]].get("country", ""),
            "product": d.get("product", ""),
            "status": d["status"],
            "start": d.get("start") or None,
            "end": d.get("end") or None,
            "summary": d.get("summary", ""),
            **_base(d),
        }
        for d in recs("deployment")
    ]
    out["customer_counts"] = [
        {
            "id": d["id"],
            "vendor_id": d.get("vendor") or None,
            "vendor_name": names["vendor"].get(d.get("vendor") or "", "all vendors"),
            "subject": d["subject"],
            "qualifier": d["qualifier"],
            "value": d.get("value"),
            "value_text": count_display(d),
            "region": d.get("region", ""),
            "as_of": d.get("as_of") or None,
            "reported_by": d["reported_by"],
            "kind": d["kind"],
            "counted": d["counted"],
            "product": d["product"],
            "scope": d["scope"],
            **_base(d),
        }
        for d in recs("count")
    ]
    out["studies"] = [
        {
            "id": d["id"],
            "title": d["title"],
            "authors": d.get("authors", ""),
            "org": d.get("org", ""),
            "venue": d.get("venue", ""),
            "date": d["date"],
            "year": _year(d["date"]),
            "url": d.get("url", ""),
            "method": d.get("method", ""),
            **_base(d),
        }
        for d in recs("study")
    ]
    out["study_vendors"] = sorted(
        (
            {"study_id": d["id"], "vendor_id": v}
            for d in recs("study")
            for v in set(d.get("vendors", []))
            | {
                f.data["vendor"]
                for f in coll.records["figure"]
                if f.data["study"] == d["id"] and f.data.get("vendor")
            }
        ),
        key=lambda r: (r["study_id"], r["vendor_id"]),
    )
    out["study_figures"] = [
        {
            "id": d["id"],
            "study_id": d["study"],
            "vendor_id": d.get("vendor") or None,
            "vendor_label": d.get("vendor_label") or names["vendor"].get(d.get("vendor") or "", ""),
            "subgroup": d.get("subgroup", ""),
            "metric": d["metric"],
            "value": d.get("value"),
            "value_text": d.get("value_text") or _num_text(d.get("value")),
            "unit": d.get("unit", ""),
            "location": d.get("where", ""),
            **_base(d),
        }
        for d in recs("figure")
    ]
    out["events"] = [
        {
            "id": d["id"],
            "date": d["date"],
            "year": _year(d["date"]),
            "kind": d["kind"],
            "title": d["title"],
            "summary": d.get("summary", ""),
            "jurisdiction": d.get("jurisdiction", ""),
            "country": d.get("country", ""),
            "vendor_names": _join(names["vendor"][v] for v in d.get("vendors", [])),
            "customer_names": _join(names["customer"][c] for c in d.get("customers", [])),
            "amount": d.get("amount"),
            "currency": d.get("currency", ""),
            "person": d.get("person", ""),
            "place": d.get("place", ""),
            **_base(d),
        }
        for d in recs("event")
    ]
    out["event_vendors"] = [
        {"event_id": d["id"], "vendor_id": v} for d in recs("event") for v in sorted(d.get("vendors", []))
    ]
    out["event_customers"] = [
        {"event_id": d["id"], "customer_id": c} for d in recs("event") for c in sorted(d.get("customers", []))
    ]
    out["citations"] = [
        {"entity": TABLE[kind], "record_id": d["id"], "source_id": s}
        for kind in FACT_KINDS
        for d in recs(kind)
        for s in sorted(set(d["sources"]))
    ]
    out["aliases"] = [
        {"entity": TABLE[kind], "record_id": d["id"], "alias": a}
        for kind in ("vendor", "customer")
        for d in recs(kind)
        for a in d.get("aliases", []) or []
    ]
    return out


def vendors_known_from(
    coll: Collection, vendor_customers: Mapping[str, set[str]], vendor_events: Mapping[str, int]
) -> dict[str, str]:
    """What FaceLedger knows each vendor from (vendors.known_from): customers or counts, events,
    studies, only NIST's benchmark tables (an imported study by NIST), or only its own profile."""
    counted = {r.data["vendor"] for r in coll.records["count"] if r.data.get("vendor")}
    studies = {r.id: r.data for r in coll.records["study"]}
    in_studies: dict[str, set[str]] = {}
    for r in coll.records["study"]:
        for v in r.data.get("vendors", []):
            in_studies.setdefault(v, set()).add(r.id)
    for r in coll.records["figure"]:
        if r.data.get("vendor"):
            in_studies.setdefault(r.data["vendor"], set()).add(r.data["study"])

    def benchmark(study: str) -> bool:
        d = studies[study]
        return bool(d.get("dataset")) and d.get("org") == "NIST"

    out = {}
    for r in coll.records["vendor"]:
        vid = r.id
        if vendor_customers.get(vid) or vid in counted:
            out[vid] = KNOWN_CUSTOMERS
        elif vendor_events.get(vid):
            out[vid] = KNOWN_EVENTS
        elif vid in in_studies:
            nist_only = all(benchmark(s) for s in in_studies[vid]) and r.data.get("origin")
            out[vid] = KNOWN_BENCHMARK if nist_only else KNOWN_STUDIES
        else:
            out[vid] = KNOWN_PROFILE
    return out


def _num_text(v: float | int | None) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return f"{v:.1f}"
    return str(v)


# Columns of every table, in order (the rows built in rows_for() carry exactly these keys).
_BASE_COLS = ["verification", "verification_note", "note", "dataset_id", "link"]
SCHEMA: dict[str, list[str]] = {
    "datasets": [
        "id",
        "name",
        "publisher",
        "licence",
        "licence_url",
        "attribution",
        "url",
        "retrieved",
        "upstream",
        "rows_imported",
        "rows_detail",
        "note",
    ],
    "sources": [
        "id",
        "url",
        "publisher",
        "title",
        "date",
        "kind",
        "dataset_id",
        "note",
    ],
    "vendors": [
        "id",
        "name",
        "aliases",
        "legal_name",
        "hq_country",
        "hq_city",
        "founded",
        "products",
        "website",
        "summary",
        "origin",
        "customer_count",
        "event_count",
        "known_from",
        "reported_customers",
        "reported_customers_sort",
        *_BASE_COLS,
    ],
    "customers": [
        "id",
        "name",
        "aliases",
        "type",
        "country",
        "region",
        "parent_id",
        "summary",
        "origin",
        "vendor_count",
        "event_count",
        "sector",
        *_BASE_COLS,
    ],
    "deployments": [
        "id",
        "vendor_id",
        "customer_id",
        "vendor_name",
        "customer_name",
        "customer_type",
        "customer_country",
        "product",
        "status",
        "start",
        "end",
        "summary",
        *_BASE_COLS,
    ],
    "customer_counts": [
        "id",
        "vendor_id",
        "vendor_name",
        "subject",
        "qualifier",
        "value",
        "value_text",
        "region",
        "as_of",
        "reported_by",
        "kind",
        "counted",
        "product",
        "scope",
        *_BASE_COLS,
    ],
    "studies": [
        "id",
        "title",
        "authors",
        "org",
        "venue",
        "date",
        "year",
        "url",
        "method",
        *_BASE_COLS,
    ],
    "study_vendors": ["study_id", "vendor_id"],
    "study_figures": [
        "id",
        "study_id",
        "vendor_id",
        "vendor_label",
        "subgroup",
        "metric",
        "value",
        "value_text",
        "unit",
        "location",
        *_BASE_COLS,
    ],
    "events": [
        "id",
        "date",
        "year",
        "kind",
        "title",
        "summary",
        "jurisdiction",
        "country",
        "vendor_names",
        "customer_names",
        "amount",
        "currency",
        "person",
        "place",
        *_BASE_COLS,
    ],
    "event_vendors": ["event_id", "vendor_id"],
    "event_customers": ["event_id", "customer_id"],
    "citations": ["entity", "record_id", "source_id"],
    "aliases": ["entity", "record_id", "alias"],
}

PKS = {
    "datasets": "id",
    "sources": "id",
    "vendors": "id",
    "customers": "id",
    "deployments": "id",
    "customer_counts": "id",
    "studies": "id",
    "study_figures": "id",
    "events": "id",
    "study_vendors": ("study_id", "vendor_id"),
    "event_vendors": ("event_id", "vendor_id"),
    "event_customers": ("event_id", "customer_id"),
    "citations": ("entity", "record_id", "source_id"),
    "aliases": ("entity", "record_id", "alias"),
}
FKS: dict[str, list[tuple[str, str, str]]] = {
    "sources": [("dataset_id", "datasets", "id")],
    "vendors": [("dataset_id", "datasets", "id")],
    "customers": [("parent_id", "customers", "id"), ("dataset_id", "datasets", "id")],
    "deployments": [
        ("vendor_id", "vendors", "id"),
        ("customer_id", "customers", "id"),
        ("dataset_id", "datasets", "id"),
    ],
    "customer_counts": [
        ("vendor_id", "vendors", "id"),
        ("dataset_id", "datasets", "id"),
    ],
    "studies": [("dataset_id", "datasets", "id")],
    "study_vendors": [("study_id", "studies", "id"), ("vendor_id", "vendors", "id")],
    "study_figures": [
        ("study_id", "studies", "id"),
        ("vendor_id", "vendors", "id"),
        ("dataset_id", "datasets", "id"),
    ],
    "events": [("dataset_id", "datasets", "id")],
    "event_vendors": [("event_id", "events", "id"), ("vendor_id", "vendors", "id")],
    "event_customers": [
        ("event_id", "events", "id"),
        ("customer_id", "customers", "id"),
    ],
    "citations": [("source_id", "sources", "id")],
}
COLUMN_TYPES: dict[str, dict[str, type]] = {
    "customer_counts": {"value": int},
    "vendors": {"customer_count": int, "event_count": int, "reported_customers_sort": int},
    "customers": {"vendor_count": int, "event_count": int},
    "study_figures": {"value": float},
    "events": {"amount": float, "year": int},
    "studies": {"year": int},
    "datasets": {"rows_imported": int},
}
INDEXES: list[tuple[str, list[str]]] = [
    ("customers", ["type"]),
    ("customers", ["country"]),
    ("customers", ["name"]),
    ("deployments", ["status"]),
    ("deployments", ["customer_type"]),
    ("deployments", ["customer_country"]),
    ("deployments", ["start"]),
    ("events", ["date"]),
    ("events", ["kind"]),
    ("events", ["year"]),
    ("customer_counts", ["as_of"]),
    ("citations", ["entity", "record_id"]),
    ("aliases", ["alias"]),
]


def _page_orders() -> dict[str, str]:
    """Per record type, the column its page sorts on by default (as the repositories resolve it)."""
    out = {}
    for spec in ALL_SPECS.values():
        try:
            out[spec.table] = spec.field(spec.default_sort).sort_key
        except KeyError:
            out[spec.table] = spec.default_sort
    return out


# Rows of each record type are stored in its page's default order ("column" COLLATE NOCASE, id),
# and its search index shares their rowids: the app reads the first page of a search straight
# from the index, in order, instead of sorting every match (meta key rowid_order.<table>).
ROW_ORDER: dict[str, str] = _page_orders()
# Every other column a page sorts on, indexed as it sorts (COLLATE NOCASE, then id), so that a
# million rows sorted by any column are read from an index, not sorted again for each page.
SORT_INDEXES: list[tuple[str, str]] = sorted(
    {(s.table, f.sort_key) for s in ENTITIES.values() for f in s.fields if f.sort_key != ROW_ORDER[s.table]}
)
# Year expressions a page filters on ("CAST(substr(start, 1, 4) AS INTEGER)"): indexed so that
# the year range of a million rows is two index steps, not a scan.
YEAR_INDEXES: list[tuple[str, str]] = [
    (s.table, s.year_column) for s in ENTITIES.values() if s.year_column and "(" in s.year_column
]

# What the full-text index holds per table: (label column, columns searched)
SEARCH_SPEC: dict[str, tuple[str, list[str]]] = {
    "vendors": (
        "name",
        ["name", "aliases", "legal_name", "products", "hq_country", "summary"],
    ),
    "customers": ("name", ["name", "aliases", "type", "country", "region", "summary"]),
    "deployments": (
        "vendor_name",
        ["vendor_name", "customer_name", "product", "status", "summary"],
    ),
    "customer_counts": (
        "vendor_name",
        ["vendor_name", "subject", "value_text", "region", "reported_by"],
    ),
    "studies": ("title", ["title", "authors", "org", "venue", "method"]),
    "study_figures": (
        "metric",
        ["vendor_label", "subgroup", "metric", "value_text", "location"],
    ),
    "events": (
        "title",
        [
            "title",
            "summary",
            "kind",
            "jurisdiction",
            "vendor_names",
            "customer_names",
            "person",
            "place",
        ],
    ),
    "sources": ("title", ["title", "publisher", "url"]),
    "datasets": ("name", ["name", "publisher", "licence", "attribution"]),
}


def write_database(out: Path, tables: Mapping[str, Iterable[dict[str, Any]]], meta: dict[str, str]) -> None:
    """Write `tables` (rows per table, each an iterable that is read once) and `meta` to `out`."""
    tmp = out.with_name(out.name + ".building")
    if tmp.exists():
        tmp.unlink()
    conn = sqlite3.connect(str(tmp))
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA journal_mode=DELETE")
    # No fsync while building: the file is a temporary one, renamed into place when complete.
    # A larger cache and in-memory sorting speed up indexes at a million rows; neither is stored.
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-262144")
    db.execute("PRAGMA temp_store=MEMORY")
    order = [
        "datasets",
        "sources",
        "vendors",
        "customers",
        "deployments",
        "customer_counts",
        "studies",
        "study_vendors",
        "study_figures",
        "events",
        "event_vendors",
        "event_customers",
        "citations",
        "aliases",
    ]
    for name in order:
        rows = tables[name]
        columns = _columns_of(name, rows)
        db[name].create(
            columns,
            pk=PKS[name],
            foreign_keys=FKS.get(name, []),
            not_null=_not_null(name),
        )
        if name in ROW_ORDER:
            _insert_in_page_order(db, name, columns, rows)
        else:
            _insert_rows(db.conn, name, rows)
    _store_reported_customers(db.conn)
    for table, cols in INDEXES:
        db[table].create_index(cols)
    for table, col in SORT_INDEXES:
        db.execute(f'CREATE INDEX "idx_{table}_{col}_sort" ON "{table}"("{col}" COLLATE NOCASE, id)')
    for table, expression in YEAR_INDEXES:
        db.execute(f'CREATE INDEX "idx_{table}_year" ON "{table}"({expression})')
    # A vendor's deployments and customers in name order, for its detail pane, from one index.
    db.execute(
        'CREATE INDEX "idx_deployments_vendor_customer" ON deployments'
        "(vendor_id, customer_name COLLATE NOCASE, customer_id, id)"
    )
    db.index_foreign_keys()
    # The vendor statistics the charts read (precomputed so the chart query is an index lookup).
    db.execute(
        """CREATE TABLE vendor_customer_stats AS
           SELECT vendor_id, status, COUNT(DISTINCT customer_id) AS customers,
                  COUNT(*) AS deployments
           FROM deployments GROUP BY vendor_id, status ORDER BY vendor_id, status"""
    )
    db.execute("CREATE INDEX idx_vendor_customer_stats ON vendor_customer_stats(vendor_id)")
    # The same split further by customer type and country (the chart's filters). A customer has
    # one type and one country, so distinct-customer counts add up across types and countries.
    db.execute(
        """CREATE TABLE vendor_customer_facets AS
           SELECT vendor_id, status, COALESCE(customer_type, '') AS customer_type,
                  COALESCE(customer_country, '') AS customer_country,
                  COUNT(DISTINCT customer_id) AS customers, COUNT(*) AS deployments
           FROM deployments GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"""
    )
    # Covering, and ordered by vendor within a filter value, so a filtered chart reads rows in order.
    for col, other in (("customer_type", "customer_country"), ("customer_country", "customer_type")):
        db.execute(
            f"CREATE INDEX idx_vendor_customer_facets_{col} ON vendor_customer_facets"
            f"({col}, vendor_id, status, {other}, customers, deployments)"
        )
    _write_search_index(db)
    db["meta"].create({"key": str, "value": str}, pk="key")
    meta = {**meta, **{f"rowid_order.{t}": col for t, col in ROW_ORDER.items()}}
    db["meta"].insert_all([{"key": k, "value": v} for k, v in sorted(meta.items())])
    conn.commit()
    db.execute("VACUUM")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp.replace(out)
    write_manifest(out)


def _store_reported_customers(conn: sqlite3.Connection) -> None:
    """Each vendor's "Reported customers": the count the default count chart shows for it, by
    the chart's own query (faceledger.data.charts), with its year and verification."""
    sql, params = charts.chosen_counts_sql()
    rows = conn.execute(
        f"SELECT vendor_id, qualifier, value, value_text, as_of, verification FROM ({sql})", params
    ).fetchall()
    conn.executemany(
        "UPDATE vendors SET reported_customers = ?, reported_customers_sort = ? WHERE id = ?",
        [
            (charts.reported_text(text, as_of, ver), charts.reported_sort_key(q, value), vid)
            for vid, q, value, text, as_of, ver in rows
        ],
    )
    conn.commit()


def _insert_in_page_order(
    db: sqlite_utils.Database, name: str, columns: dict[str, type], rows: Iterable[dict[str, Any]]
) -> None:
    """Insert through a staging table, then copy in ROW_ORDER (so rowids follow that order)."""
    staging = db.table(f"_unsorted_{name}")
    staging.create(columns)
    _insert_rows(db.conn, name, rows, into=staging.name)
    cols = ", ".join(f'"{c}"' for c in SCHEMA[name])
    db.execute(
        f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM "{staging.name}" '
        f'ORDER BY "{ROW_ORDER[name]}" COLLATE NOCASE, id'
    )
    staging.drop()
    db.conn.commit()


def _insert_rows(
    conn: sqlite3.Connection, name: str, rows: Iterable[dict[str, Any]], into: str | None = None
) -> None:
    """Insert rows (dicts with exactly the table's SCHEMA columns) in the given order, streaming.

    Plain `executemany` rather than sqlite-utils' `insert_all`, whose per-value conversions cost
    ten times more at a million rows; the values here are already plain text and numbers."""
    cols = SCHEMA[name]
    expected = set(cols)
    get = operator.itemgetter(*cols)
    names = ", ".join(f'"{c}"' for c in cols)
    marks = ", ".join("?" for _ in cols)

    def values() -> Iterator[tuple[Any, ...]]:
        for row in rows:
            if row.keys() != expected:
                raise BuildError(
                    f"{name}: row {row.get('id', row)!r} has columns {sorted(row)}, expected {cols}"
                )
            yield get(row)

    conn.executemany(f'INSERT INTO "{into or name}" ({names}) VALUES ({marks})', values())
    conn.commit()


def _columns_of(name: str, rows: Iterable[dict[str, Any]]) -> dict[str, type]:
    types = COLUMN_TYPES.get(name, {})
    return {col: types.get(col, str) for col in SCHEMA[name]}


def _not_null(name: str) -> set[str]:
    base = {
        "datasets": {"name", "licence", "attribution"},
        "sources": {"url", "publisher", "kind"},
    }
    if name in (
        "vendors",
        "customers",
        "deployments",
        "customer_counts",
        "studies",
        "study_figures",
        "events",
    ):
        return {"verification"}
    return base.get(name, set())


def fts_table(table: str) -> str:
    return f"fts_{table}"


# The names and aliases that open each record's search text (see `faceledger.data.text`): its
# own name columns ("; "-separated lists split), and "<entity>:<column>" for the names and aliases
# of the organisations a record links to. A search that is exactly one of them ranks first.
SEARCH_KEYS: dict[str, list[str]] = {
    "vendors": ["name", "aliases", "legal_name"],
    "customers": ["name", "aliases"],
    "deployments": ["vendor_name", "customer_name", "vendors:vendor_id", "customers:customer_id"],
    "customer_counts": ["vendor_name", "vendors:vendor_id"],
    "studies": ["title"],
    "study_figures": ["vendor_label"],
    "events": [
        "title",
        "vendor_names",
        "customer_names",
        "vendors:@event_vendors",
        "customers:@event_customers",
    ],
    "sources": ["title", "publisher"],
    "datasets": ["name"],
}


def _search_keys(
    rid: str,
    own: Iterable[Any],
    ids: Iterable[Any],
    linked: list[tuple[str, ...]],
    aliases: dict[tuple[str, str], list[str]],
    links: dict[str, dict[str, list[str]]],
) -> list[str]:
    """A record's names and aliases for its search text: its own (`own`, lists split) and the
    aliases of the organisations it links to, by id column (`ids`) or link table."""
    out = [k for v in own if v for k in str(v).split("; ")]
    id_values = iter(ids)
    for entity, col in linked:
        targets = links[col[1:]].get(rid, []) if col.startswith("@") else [next(id_values)]
        out += [a for t in targets if t for a in aliases.get((entity, str(t)), [])]
    return out


def _write_search_index(db: sqlite_utils.Database) -> None:
    """One trigram FTS5 table per record type over folded text (substring, case- and
    diacritic-insensitive search; aliases included). Per type, so that a page's search never
    wades through another type's hits and the global search can take the best few of each.

    Read back from the written table (streamed, so a million rows are never all in memory); each
    index row has the rowid of its table row."""
    aliases: dict[tuple[str, str], list[str]] = {}
    for entity, rid, alias in db.conn.execute("SELECT entity, record_id, alias FROM aliases ORDER BY rowid"):
        aliases.setdefault((entity, rid), []).append(alias)
    links: dict[str, dict[str, list[str]]] = {}
    for link, key in (("event_vendors", "vendor_id"), ("event_customers", "customer_id")):
        links[link] = {}
        for eid, oid in db.conn.execute(f'SELECT event_id, "{key}" FROM "{link}" ORDER BY rowid'):
            links[link].setdefault(eid, []).append(oid)
    for table, (label_col, cols) in SEARCH_SPEC.items():
        fts = fts_table(table)
        db.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5("
            "record_id UNINDEXED, label UNINDEXED, text, tokenize='trigram')"
        )
        own = [k for k in SEARCH_KEYS[table] if ":" not in k]
        linked = [tuple(k.split(":", 1)) for k in SEARCH_KEYS[table] if ":" in k]
        id_cols = [c for _e, c in linked if not c.startswith("@")]
        select = ", ".join(f'"{c}"' for c in ["id", label_col, *own, *id_cols, *cols])
        source = db.conn.execute(f'SELECT rowid, {select} FROM "{table}" ORDER BY rowid')
        n_own, n_ids = len(own), len(id_cols)
        db.conn.executemany(
            f"INSERT INTO {fts}(rowid, record_id, label, text) VALUES (?, ?, ?, ?)",
            (
                (
                    rowid,
                    rid,
                    str(label or rid),
                    search_text(
                        _search_keys(rid, rest[:n_own], rest[n_own : n_own + n_ids], linked, aliases, links),
                        (str(v) for v in rest[n_own + n_ids :] if v not in (None, "")),
                    ),
                )
                for rowid, rid, label, *rest in source
            ),
        )
        db.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")


# -- entry points -----------------------------------------------------------------------------
def collect(
    src_dir: Path = SOURCES_DIR,
    external_dir: Path = EXTERNAL_DIR,
    importers: Iterable[Callable[[Collection, Path], None]] | None = None,
) -> Collection:
    coll = Collection()
    load_toml_sources(coll, src_dir)
    if importers is None:
        from db.importers import IMPORTERS  # noqa: PLC0415

        importers = IMPORTERS
    for run in importers:
        run(coll, external_dir)
    validate(coll)
    return coll


def build(
    out: Path = DEFAULT_OUT,
    src_dir: Path = SOURCES_DIR,
    external_dir: Path = EXTERNAL_DIR,
    importers: Iterable[Callable[[Collection, Path], None]] | None = None,
) -> dict[str, int]:
    coll = collect(src_dir, external_dir, importers)
    tables = rows_for(coll)
    meta = {
        "schema_version": str(SCHEMA_VERSION),
        "data_version": _data_version(src_dir, external_dir),
        "data_date": data_date(tables),
        "application": "FaceLedger",
    }
    write_database(out, tables, meta)
    return {name: len(rows) for name, rows in tables.items()}


def data_date(tables: Mapping[str, Iterable[dict[str, Any]]]) -> str:
    """The date of the data in a build (meta `data_date`): the newest source date or dataset
    snapshot ("retrieved") date. Taken from the data, not the clock, so rebuilding is deterministic."""
    dates = [str(r["date"]) for r in tables.get("sources", ()) if r.get("date")]
    dates += [str(r["retrieved"]) for r in tables.get("datasets", ()) if r.get("retrieved")]
    return max(dates, default="")


def _data_version(src_dir: Path, external_dir: Path) -> str:
    """A version string derived from the sources themselves, so rebuilding is deterministic."""
    import hashlib  # noqa: PLC0415

    h = hashlib.sha256()
    for base in (src_dir, external_dir):
        if not base.exists():
            continue
        for p in sorted(base.rglob("*")):
            if p.is_file():
                h.update(p.relative_to(base).as_posix().encode())
                h.update(p.read_bytes())
    return h.hexdigest()[:12]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        counts = build(args.output)
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    for name, n in counts.items():
        print(f"{name:18} {n:>7}")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
