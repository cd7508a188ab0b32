"""Frozen records returned by the repositories, one class per entity."""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any, TypeVar

T = TypeVar("T")


def from_row(cls: type[T], columns: Sequence[str], row: tuple[Any, ...]) -> T:
    """Build a record from a row, keeping only the fields the record declares."""
    key: Any = cls
    maker: Callable[[tuple[Any, ...]], T] = _maker(key, tuple(columns))
    return maker(row)


@functools.cache
def _maker(cls: Any, columns: tuple[str, ...]) -> Callable[[tuple[Any, ...]], Any]:
    """Row -> record for one record class and column list, worked out once (a page builds 200)."""
    names = [f.name for f in fields(cls)]
    if len(names) > 1 and all(n in columns for n in names):
        pick = operator.itemgetter(*(columns.index(n) for n in names))

        def positional(row: tuple[Any, ...]) -> Any:
            return cls(*pick(row))

        return positional
    present = [(n, i) for i, c in enumerate(columns) for n in names if n == c]

    def by_name(row: tuple[Any, ...]) -> Any:
        return cls(**{n: row[i] for n, i in present if i < len(row)})

    return by_name


@dataclass(frozen=True)
class Fact:
    id: str
    verification: str = ""
    verification_note: str = ""
    note: str = ""
    dataset_id: str | None = None
    link: str = ""


@dataclass(frozen=True)
class Vendor(Fact):
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


@dataclass(frozen=True)
class Customer(Fact):
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


@dataclass(frozen=True)
class Deployment(Fact):
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


@dataclass(frozen=True)
class CustomerCount(Fact):
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


@dataclass(frozen=True)
class Study(Fact):
    title: str = ""
    authors: str = ""
    org: str = ""
    venue: str = ""
    date: str = ""
    year: int | None = None
    url: str = ""
    method: str = ""


@dataclass(frozen=True)
class StudyFigure(Fact):
    study_id: str = ""
    vendor_id: str | None = None
    vendor_label: str = ""
    subgroup: str = ""
    metric: str = ""
    value: float | None = None
    value_text: str = ""
    unit: str = ""
    location: str = ""


@dataclass(frozen=True)
class Event(Fact):
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


@dataclass(frozen=True)
class Source:
    id: str
    url: str = ""
    publisher: str = ""
    title: str = ""
    date: str | None = None
    kind: str = ""
    dataset_id: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Dataset:
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
