"""Helpers shared by the dataset importers (no Qt, standard library plus db.build)."""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from db.build import Collection, org_key, slug


def fail(coll: Collection, message: str) -> None:
    """Raise the BuildError of the module that defined `coll`.

    When db/build.py runs as a script its classes live in ``__main__``; raising that module's
    BuildError lets the script print its usual one-line message.
    """
    module = sys.modules.get(type(coll).__module__)
    error = getattr(module, "BuildError", RuntimeError)
    raise error(message)


def read_csv(path: Path) -> list[list[str]]:
    """All rows of a UTF-8 CSV file (a leading byte-order mark is ignored)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [list(row) for row in csv.reader(handle)]


def read_csv_dicts(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [dict(row) for row in csv.DictReader(handle)]


def clean(text: str | None) -> str:
    """Collapse runs of white space (including non-breaking spaces) and trim."""
    return re.sub(r"\s+", " ", (text or "").replace("\xa0", " ")).strip()


def free_id(coll: Collection, kind: str, base: str) -> str:
    """`base` if no record of `kind` uses it yet, else `base-2`, `base-3`, ... (deterministic)."""
    if not coll.has(kind, base):
        return base
    n = 2
    while coll.has(kind, f"{base}-{n}"):
        n += 1
    return f"{base}-{n}"


def name_is_free(coll: Collection, kind: str, name: str) -> bool:
    key = org_key(name)
    return bool(key) and coll.resolve(kind, name) is None


def add_alias_if_free(coll: Collection, kind: str, rid: str, alias: str) -> bool:
    """Add `alias` to record `rid` unless another record already uses that name. True if added."""
    owner = coll.resolve(kind, alias)
    if not org_key(alias) or owner is not None:
        return False
    coll.add_alias(kind, rid, alias)
    return True


def org_slug(name: str) -> str:
    return slug(name)


def sorted_unique(items: Iterable[str]) -> list[str]:
    return sorted({x for x in items if x})


def join_plain(items: Iterable[str], sep: str = "; ") -> str:
    return sep.join(x for x in items if x)


def set_rows(rows: dict[str, int], kind: str, added: int) -> None:
    if added:
        rows[kind] = rows.get(kind, 0) + added


def count_by_kind(records: Iterable[tuple[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for kind, _ in records:
        out[kind] = out.get(kind, 0) + 1
    return out
