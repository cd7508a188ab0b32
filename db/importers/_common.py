"""Helpers shared by the dataset importers (standard library plus db.build; no Qt)."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from db.collection import Collection, org_key


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


def add_alias_if_free(coll: Collection, kind: str, rid: str, alias: str) -> bool:
    """Add `alias` to record `rid` unless another record already uses that name. True if added."""
    if not org_key(alias) or coll.resolve(kind, alias) is not None:
        return False
    coll.add_alias(kind, rid, alias)
    return True
