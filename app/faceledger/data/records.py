"""Immutable records returned by the repositories, one class per entity, made from the declaration
of tables (`faceledger.data.schema`): a record has a field for every column of its table.

Named tuples rather than dataclasses: a frozen dataclass is compiled from generated source when its
module is imported (about a millisecond each), which the app's start pays for every record type.
Every fact record starts with the same six fields: id, verification, verification_note, note,
dataset_id, link; the other fields follow in the table's column order.
"""

from __future__ import annotations

import collections
import functools
import operator
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from faceledger.data.schema import FACT_COLUMNS, TABLE, Table

if TYPE_CHECKING:
    from typing import Self

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


def record_class(table: Table) -> type:
    """A named tuple class for the rows of `table`: the id, then the columns every fact record
    shares, then the table's own columns; every field but the id has the column's default."""
    shared = [c.name for c in FACT_COLUMNS] if "verification" in table.column_names else []
    own = [c for c in table.columns if c.name != "id" and c.name not in shared]
    fields = ["id", *(n for n in shared if n in table.column_names), *(c.name for c in own)]
    defaults = [table.column(n).default for n in fields[1:]]
    cls = collections.namedtuple(table.record, fields, defaults=defaults)  # type: ignore[misc]
    cls.__module__ = __name__
    cls.__doc__ = f"A row of {table.name}."
    return cls


if TYPE_CHECKING:

    class Record(tuple[Any, ...]):
        """What type checkers know of a record: its id, its fields by name (any type)."""

        _fields: ClassVar[tuple[str, ...]]
        id: str

        def __new__(cls, *args: Any, **kwargs: Any) -> Self: ...
        def __getattr__(self, name: str) -> Any: ...
        def _replace(self, **kwargs: Any) -> Self: ...
        def _asdict(self) -> dict[str, Any]: ...

    class Vendor(Record): ...

    class Customer(Record): ...

    class Deployment(Record): ...

    class CustomerCount(Record): ...

    class Study(Record): ...

    class StudyFigure(Record): ...

    class Event(Record): ...

    class Source(Record): ...

    class Dataset(Record): ...

else:
    Vendor = record_class(TABLE["vendors"])
    Customer = record_class(TABLE["customers"])
    Deployment = record_class(TABLE["deployments"])
    CustomerCount = record_class(TABLE["customer_counts"])
    Study = record_class(TABLE["studies"])
    StudyFigure = record_class(TABLE["study_figures"])
    Event = record_class(TABLE["events"])
    Source = record_class(TABLE["sources"])
    Dataset = record_class(TABLE["datasets"])
