"""The rows of every table, worked out from a validated collection: the columns copied from the
text sources as `faceledger.data.schema` declares them, and the columns the build computes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from db.collection import FACT_KINDS, Collection
from faceledger.data import schema
from faceledger.data.entities import (
    KNOWN_BENCHMARK,
    KNOWN_CUSTOMERS,
    KNOWN_EVENTS,
    KNOWN_PLACEHOLDER,
    KNOWN_PROFILE,
    KNOWN_STUDIES,
    SECTOR_OF_TYPE,
)


# -- writing ----------------------------------------------------------------------------------
def count_display(d: Mapping[str, Any]) -> str:
    """A count as the app shows it: "about 3,100", "a handful"."""
    q, v = d["qualifier"], d.get("value")
    if q in schema.WORD_QUALIFIERS:
        return str(q)
    num = f"{v:,}"
    return num if q == "exact" else f"{q} {num}"


def _join(items: Iterable[str] | None) -> str:
    return "; ".join(items or [])


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date else None


def _num_text(v: float | int | None) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return f"{v:.1f}"
    return str(v)


def copied(column: schema.Column, d: Mapping[str, Any]) -> Any:
    """The value of `column` copied from a text-source record `d`, as it is stored."""
    value = d.get(column.field)
    if column.check == "list":
        return _join(value)
    if column.check in ("int", "num"):
        return value
    if column.check in ("date", "dataset") or column.check.startswith("id:"):
        return value or None
    return column.default if value is None else value


def declared_rows(
    table: schema.Table,
    records: Iterable[Mapping[str, Any]],
    computed: Callable[[Mapping[str, Any]], dict[str, Any]],
) -> list[dict[str, Any]]:
    """One row per record: each column copied from its field, or computed (`computed(record)` gives
    the computed columns and any copied value it overrides)."""
    copies = [c for c in table.columns if c.field]
    return [{**{c.name: copied(c, d) for c in copies}, **computed(d)} for d in records]


class _Context:
    """What rows of one table need to know about the others: names, links and counts."""

    def __init__(self, coll: Collection) -> None:
        self.coll = coll
        self.names = {
            kind: {r.id: r.data["name"] for r in coll.records[kind]} for kind in ("vendor", "customer")
        }
        self.customer_by_id = {r.id: r.data for r in coll.records["customer"]}
        self.vendor_customers: dict[str, set[str]] = {}
        self.customer_vendors: dict[str, set[str]] = {}
        for rec in coll.records["deployment"]:
            self.vendor_customers.setdefault(rec.data["vendor"], set()).add(rec.data["customer"])
            self.customer_vendors.setdefault(rec.data["customer"], set()).add(rec.data["vendor"])
        self.vendor_events: dict[str, int] = {}
        self.customer_events: dict[str, int] = {}
        for rec in coll.records["event"]:
            for v in set(rec.data.get("vendors", [])):
                self.vendor_events[v] = self.vendor_events.get(v, 0) + 1
            for c in set(rec.data.get("customers", [])):
                self.customer_events[c] = self.customer_events.get(c, 0) + 1
        self.known_from = vendors_known_from(coll, self.vendor_customers, self.vendor_events)

    def records(self, kind: str) -> list[dict[str, Any]]:
        return [r.data for r in sorted(self.coll.records[kind], key=lambda r: r.id)]

    def vendor_name(self, vid: str | None, default: str = "") -> str:
        return str(self.names["vendor"].get(vid or "", default))

    # -- computed columns, per table --------------------------------------------------------------
    def vendors(self, d: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "customer_count": len(self.vendor_customers.get(d["id"], ())),
            "event_count": self.vendor_events.get(d["id"], 0),
            "known_from": self.known_from[d["id"]],
            "reported_customers": "",  # filled in from the counts once they are written
            "reported_customers_sort": None,
        }

    def customers(self, d: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "vendor_count": len(self.customer_vendors.get(d["id"], ())),
            "event_count": self.customer_events.get(d["id"], 0),
            "sector": SECTOR_OF_TYPE[d["type"]],
        }

    def deployments(self, d: Mapping[str, Any]) -> dict[str, Any]:
        customer = self.customer_by_id[d["customer"]]
        return {
            "vendor_name": self.vendor_name(d["vendor"]),
            "customer_name": customer["name"],
            "customer_type": customer["type"],
            "customer_country": customer.get("country", ""),
        }

    def customer_counts(self, d: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "vendor_name": self.vendor_name(d.get("vendor"), "all vendors"),
            "value_text": count_display(d),
        }

    def studies(self, d: Mapping[str, Any]) -> dict[str, Any]:
        return {"year": _year(d["date"])}

    def study_figures(self, d: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "vendor_label": d.get("vendor_label") or self.vendor_name(d.get("vendor")),
            "value_text": d.get("value_text") or _num_text(d.get("value")),
        }

    def events(self, d: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "year": _year(d["date"]),
            "vendor_names": _join(self.names["vendor"][v] for v in d.get("vendors", [])),
            "customer_names": _join(self.names["customer"][c] for c in d.get("customers", [])),
        }

    def sources(self, d: Mapping[str, Any]) -> dict[str, Any]:
        return {}


def rows_for(coll: Collection) -> dict[str, list[dict[str, Any]]]:
    """Database rows per table, in a deterministic order (sorted by id)."""
    ctx = _Context(coll)
    out: dict[str, list[dict[str, Any]]] = {"datasets": dataset_rows(coll)}
    for table in schema.TABLES:
        if table.kind:
            out[table.name] = declared_rows(table, ctx.records(table.kind), getattr(ctx, table.name))
    out.update(link_rows(ctx))
    return {t.name: out[t.name] for t in schema.TABLES}


def dataset_rows(coll: Collection) -> list[dict[str, Any]]:
    return [
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


def link_rows(ctx: _Context) -> dict[str, list[dict[str, Any]]]:
    """The tables that link records: studies and events to vendors and customers, records to their
    sources (citations) and organisations to their aliases."""
    figures = ctx.coll.records["figure"]
    studies = ctx.records("study")
    events = ctx.records("event")
    return {
        "study_vendors": sorted(
            (
                {"study_id": d["id"], "vendor_id": v}
                for d in studies
                for v in set(d.get("vendors", []))
                | {f.data["vendor"] for f in figures if f.data["study"] == d["id"] and f.data.get("vendor")}
            ),
            key=lambda r: (r["study_id"], r["vendor_id"]),
        ),
        "event_vendors": [
            {"event_id": d["id"], "vendor_id": v} for d in events for v in sorted(d.get("vendors", []))
        ],
        "event_customers": [
            {"event_id": d["id"], "customer_id": c} for d in events for c in sorted(d.get("customers", []))
        ],
        "citations": [
            {"entity": schema.TABLE_OF_KIND[kind].name, "record_id": d["id"], "source_id": s}
            for kind in FACT_KINDS
            for d in ctx.records(kind)
            for s in sorted(set(d["sources"]))
        ],
        "aliases": [
            {"entity": schema.TABLE_OF_KIND[kind].name, "record_id": d["id"], "alias": a}
            for kind in ("vendor", "customer")
            for d in ctx.records(kind)
            for a in d.get("aliases", []) or []
        ],
    }


def vendors_known_from(
    coll: Collection, vendor_customers: Mapping[str, set[str]], vendor_events: Mapping[str, int]
) -> dict[str, str]:
    """What FaceLedger knows each vendor from (vendors.known_from): customers or counts, events,
    studies, only NIST's benchmark tables (an imported study by NIST), or only its own profile; the
    placeholder for an undisclosed vendor is marked as such."""
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
        if vid == schema.UNDISCLOSED_VENDOR:
            out[vid] = KNOWN_PLACEHOLDER
        elif vendor_customers.get(vid) or vid in counted:
            out[vid] = KNOWN_CUSTOMERS
        elif vendor_events.get(vid):
            out[vid] = KNOWN_EVENTS
        elif vid in in_studies:
            nist_only = all(benchmark(s) for s in in_studies[vid]) and r.data.get("origin")
            out[vid] = KNOWN_BENCHMARK if nist_only else KNOWN_STUDIES
        else:
            out[vid] = KNOWN_PROFILE
    return out
