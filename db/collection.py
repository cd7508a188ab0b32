"""The records of one build: loaded from the text sources (and added by the importers), with the
lookups the importers use to resolve organisations by name."""

from __future__ import annotations

import datetime as _dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from faceledger.data.schema import TABLE_OF_KIND
from faceledger.data.text import fold

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

# The record kinds of the text sources (`[[vendor]]`), from the one declaration of tables.
ALL_KINDS: tuple[str, ...] = tuple(TABLE_OF_KIND)
FACT_KINDS: tuple[str, ...] = tuple(k for k in ALL_KINDS if k != "source")


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
