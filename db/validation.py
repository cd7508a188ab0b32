"""Checking every record of a build against the declaration of its fields
(`faceledger.data.schema`) and the rules the declaration cannot say: references, verified
records citing a primary source, one id per organisation, addresses the app can open."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from db.collection import ALL_KINDS, FACT_KINDS, BuildError, Collection, Record, org_key
from faceledger.data import schema
from faceledger.data.links import normalised_url, refuse_reason

# Source kinds that can make a record "verified": an official record, court or regulator document,
# paper or company statement ("primary"), or an outlet's own article on its own site ("press").
# Copies, relays, aggregators and encyclopedias cannot; a record resting only on them is "partial".
PRIMARY_SOURCE_KINDS = ("primary", "press")

DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")

# Fields holding a web address: stored as the app will open them (a bare domain gets https://),
# and refused by the build when the app would refuse to open them.
URL_FIELDS = ("url", "website", "link", "licence_url")


def validate(coll: Collection) -> None:
    for kind in ALL_KINDS:
        fields = schema.TABLE_OF_KIND[kind].fields
        for rec in coll.records[kind]:
            _validate_record(coll, rec, fields)
            for key in URL_FIELDS:
                if isinstance(rec.data.get(key), str) and rec.data[key]:
                    rec.data[key] = checked_url(rec.data[key], f"{rec.where()}: field '{key}'")
    for ds in coll.datasets:
        for key in ("url", "licence_url"):
            if getattr(ds, key):
                setattr(ds, key, checked_url(getattr(ds, key), f"dataset {ds.id}: field '{key}'"))
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


def checked_url(url: str, where: str) -> str:
    """`url` as stored (see `normalised_url`); BuildError when the app would not open it."""
    stored = normalised_url(url)
    reason = refuse_reason(stored)
    if reason is not None:
        raise BuildError(f"{where} is not an address the app can open: {reason} ({url!r})")
    return stored


def _validate_record(coll: Collection, rec: Record, fields: dict[str, schema.Column]) -> None:
    """Every field declared and of its declared kind, required ones present, then the rules that
    tie one field to another."""
    for key in rec.data:
        if key not in fields:
            raise BuildError(f"{rec.where()}: unknown field '{key}'")
    for key, column in fields.items():
        value = rec.data.get(key)
        if value is None or value == "" or value == []:
            if column.required:
                what = "has no source" if key == "sources" else f"missing required field '{key}'"
                raise BuildError(f"{rec.where()}: {what}")
            continue
        problem = _field_problem(coll, column, value)
        if problem:
            raise BuildError(f"{rec.where()}: {problem.replace('{key}', key)}")
    RULES.get(rec.kind, _no_rule)(rec)


def _field_problem(coll: Collection, column: schema.Column, value: Any) -> str:
    """What is wrong with `value` for the field `column` reads ("" when nothing); "{key}" in the
    message stands for the field's name."""
    check = column.check
    if check.startswith("id:"):
        target = check[3:]
        ok = isinstance(value, str) and coll.has(target, value)
        return "" if ok else f"field '{{key}}' points to no {target} {value!r}"
    if check.startswith("ids:"):
        return _ids_problem(coll, check[4:], value)
    if check == "enum":
        allowed = column.vocabulary.values if column.vocabulary else ()
        return (
            "" if value in allowed else f"unknown {{key}} {value!r} (expected one of: {', '.join(allowed)})"
        )
    if check == "dataset":
        ok = value in {ds.id for ds in coll.datasets}
        return "" if ok else f"field '{{key}}' points to no dataset {value!r}"
    test, expected = TYPE_CHECKS[check]
    if test(value):
        return ""
    return f"field '{{key}}' {expected}" + (f": {value!r}" if check == "date" else "")


def _ids_problem(coll: Collection, target: str, value: Any) -> str:
    if not isinstance(value, list):
        return f"field '{{key}}' must be a list of {target} ids"
    for x in value:
        if not isinstance(x, str) or not coll.has(target, x):
            return f"field '{{key}}' points to no {target} {x!r}"
    if len(set(value)) != len(value):
        return "field '{key}' lists an id twice"
    return ""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# What a field of each simple kind must hold, and how the build says so when it does not.
TYPE_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "str": (lambda v: isinstance(v, str), "must be text"),
    "list": (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v), "must be a list of text"),
    "bool": (lambda v: isinstance(v, bool), "must be true or false"),
    "int": (lambda v: isinstance(v, int) and not isinstance(v, bool), "must be a whole number"),
    "num": (_is_number, "must be a number"),
    "date": (
        lambda v: isinstance(v, str) and bool(DATE_RE.match(v)),
        "is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)",
    ),
}


def _count_rules(rec: Record) -> None:
    """A count in words ("a handful") carries no number; any other qualifier needs one."""
    q, v = rec.data.get("qualifier"), rec.data.get("value")
    if q in schema.WORD_QUALIFIERS and v is not None:
        raise BuildError(f"{rec.where()}: qualifier {q!r} must not carry a number")
    if q not in schema.WORD_QUALIFIERS and v is None:
        raise BuildError(f"{rec.where()}: qualifier {q!r} needs a value")


def _deployment_rules(rec: Record) -> None:
    """An ended deployment gives its end date or says it is not known (not both); an end is not
    before the start."""
    d = rec.data
    if d.get("end_not_known") and d.get("end"):
        raise BuildError(f"{rec.where()}: has an end and says the end is not known")
    if d.get("status") == "ended" and not d.get("end") and not d.get("end_not_known"):
        raise BuildError(
            f"{rec.where()}: ended with no end date: give the date or 'end_not_known = true' "
            "(the pane then shows 'end not known')"
        )
    if d.get("start") and d.get("end") and str(d["end"]) < str(d["start"])[: len(str(d["end"]))]:
        raise BuildError(f"{rec.where()}: end {d['end']} is before start {d['start']}")


def _no_rule(rec: Record) -> None:
    return None


# The rules that tie one field of a record to another, per record kind.
RULES: dict[str, Callable[[Record], None]] = {"count": _count_rules, "deployment": _deployment_rules}
