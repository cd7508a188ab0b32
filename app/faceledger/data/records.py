"""Immutable records returned by the repositories, one class per entity.

Named tuples rather than dataclasses: a frozen dataclass is compiled from generated source when its
module is imported (about a millisecond each), which the app's start pays for every record type.
Every fact record starts with the same six fields: id, verification, verification_note, note,
dataset_id, link.
"""

# No `from __future__ import annotations`: typing.NamedTuple would compile each field's string
# annotation at import, about twice the cost of evaluating them (measured at start-up).

import functools
import operator
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, TypeVar

T = TypeVar("T")


def record_fields(cls_or_record: Any) -> tuple[str, ...]:
    """The field names of a record class or record, in order."""
    return tuple(cls_or_record._fields)


def from_row(cls: type[T], columns: Sequence[str], row: tuple[Any, ...]) -> T:
    """Build a record from a row, keeping only the fields the record declares."""
    key: Any = cls
    maker: Callable[[tuple[Any, ...]], T] = _maker(key, tuple(columns))
    return maker(row)


@functools.cache
def _maker(cls: Any, columns: tuple[str, ...]) -> Callable[[tuple[Any, ...]], Any]:
    """Row -> record for one record class and column list, worked out once (a page builds 200)."""
    names = record_fields(cls)
    if len(names) > 1 and all(n in columns for n in names):
        pick = operator.itemgetter(*(columns.index(n) for n in names))

        def positional(row: tuple[Any, ...]) -> Any:
            return cls(*pick(row))

        return positional
    present = [(n, i) for i, c in enumerate(columns) for n in names if n == c]

    def by_name(row: tuple[Any, ...]) -> Any:
        return cls(**{n: row[i] for n, i in present if i < len(row)})

    return by_name


class Vendor(NamedTuple):
    id: str
    verification: str = ""
    verification_note: str = ""
    note: str = ""
    dataset_id: str | None = None
    link: str = ""
    name: str = ""
    aliases: str = ""
    legal_name: str = ""
    hq_country: str = ""
    hq_city: str = ""
    founded: str | None = None
    products: str = ""
    website: str = ""
    summary: str = ""
    origin: str = ""
    customer_count: int = 0
    event_count: int = 0
    known_from: str = ""
    reported_customers: str = ""
    reported_customers_sort: int | None = None


class Customer(NamedTuple):
    id: str
    verification: str = ""
    verification_note: str = ""
    note: str = ""
    dataset_id: str | None = None
    link: str = ""
    name: str = ""
    aliases: str = ""
    type: str = ""
    country: str = ""
    region: str = ""
    parent_id: str | None = None
    summary: str = ""
    origin: str = ""
    vendor_count: int = 0
    event_count: int = 0
    sector: str = ""


class Deployment(NamedTuple):
    id: str
    verification: str = ""
    verification_note: str = ""
    note: str = ""
    dataset_id: str | None = None
    link: str = ""
    vendor_id: str = ""
    customer_id: str = ""
    vendor_name: str = ""
    customer_name: str = ""
    customer_type: str = ""
    customer_country: str = ""
    product: str = ""
    status: str = ""
    start: str | None = None
    end: str | None = None
    summary: str = ""


class CustomerCount(NamedTuple):
    id: str
    verification: str = ""
    verification_note: str = ""
    note: str = ""
    dataset_id: str | None = None
    link: str = ""
    vendor_id: str | None = None
    vendor_name: str = ""
    subject: str = ""
    qualifier: str = ""
    value: int | None = None
    value_text: str = ""
    region: str = ""
    as_of: str | None = None
    reported_by: str = ""
    kind: str = ""
    counted: str = ""
    product: str = ""
    scope: str = ""


class Study(NamedTuple):
    id: str
    verification: str = ""
    verification_note: str = ""
    note: str = ""
    dataset_id: str | None = None
    link: str = ""
    title: str = ""
    authors: str = ""
    org: str = ""
    venue: str = ""
    date: str = ""
    year: int | None = None
    url: str = ""
    method: str = ""


class StudyFigure(NamedTuple):
    id: str
    verification: str = ""
    verification_note: str = ""
    note: str = ""
    dataset_id: str | None = None
    link: str = ""
    study_id: str = ""
    vendor_id: str | None = None
    vendor_label: str = ""
    subgroup: str = ""
    metric: str = ""
    value: float | None = None
    value_text: str = ""
    unit: str = ""
    location: str = ""


class Event(NamedTuple):
    id: str
    verification: str = ""
    verification_note: str = ""
    note: str = ""
    dataset_id: str | None = None
    link: str = ""
    date: str = ""
    year: int | None = None
    kind: str = ""
    title: str = ""
    summary: str = ""
    jurisdiction: str = ""
    country: str = ""
    vendor_names: str = ""
    customer_names: str = ""
    amount: float | None = None
    currency: str = ""
    person: str = ""
    place: str = ""


class Source(NamedTuple):
    id: str
    url: str = ""
    publisher: str = ""
    title: str = ""
    date: str | None = None
    kind: str = ""
    dataset_id: str | None = None
    note: str = ""


class Dataset(NamedTuple):
    id: str
    name: str = ""
    publisher: str = ""
    licence: str = ""
    licence_url: str = ""
    attribution: str = ""
    url: str = ""
    retrieved: str = ""
    upstream: str = ""
    rows_imported: int | None = None
    rows_detail: str = ""
    note: str = ""
