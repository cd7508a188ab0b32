"""Build the FaceLedger database from the text sources in db/.

Usage: python db/build.py [-o OUT.db]

Deterministic: the same sources give the same rows in the same order, and the same manifest
and Datasette metadata (both written beside the database).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(ROOT / "app")]

# The build's parts, named here for the importers, the tests and the benchmarks.
from db.collection import (  # noqa: E402
    ALL_KINDS,
    FACT_KINDS,
    BuildError,
    Collection,
    Dataset,
    Record,
    load_toml_sources,
    org_key,
    slug,
)
from db.rows import count_display, rows_for  # noqa: E402
from db.validation import PRIMARY_SOURCE_KINDS, checked_url, validate  # noqa: E402
from db.writer import ROW_ORDER, SCHEMA, SCHEMA_VERSION, SEARCH_SPEC, write_database  # noqa: E402
from faceledger.data.datasette_metadata import metadata_path, write_metadata  # noqa: E402

__all__ = [
    "ALL_KINDS",
    "FACT_KINDS",
    "PRIMARY_SOURCE_KINDS",
    "ROW_ORDER",
    "SCHEMA",
    "SCHEMA_VERSION",
    "SEARCH_SPEC",
    "BuildError",
    "Collection",
    "Dataset",
    "Record",
    "build",
    "checked_url",
    "collect",
    "count_display",
    "org_key",
    "rows_for",
    "slug",
    "validate",
    "write_database",
]

SOURCES_DIR = HERE / "sources"
EXTERNAL_DIR = HERE / "external"
DEFAULT_OUT = ROOT / "app" / "faceledger" / "bundled" / "faceledger.db"


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
    write_metadata(out)  # Datasette's metadata, shipped beside the database
    return {name: len(rows) for name, rows in tables.items()}


def data_date(tables: Mapping[str, Iterable[dict[str, Any]]]) -> str:
    """The date of the data in a build (meta `data_date`): the newest source date or dataset
    snapshot ("retrieved") date. Taken from the data, not the clock, so rebuilding is deterministic."""
    dates = [str(r["date"]) for r in tables.get("sources", ()) if r.get("date")]
    dates += [str(r["retrieved"]) for r in tables.get("datasets", ()) if r.get("retrieved")]
    return max(dates, default="")


def _data_version(src_dir: Path, external_dir: Path) -> str:
    """A version string derived from the sources themselves, so rebuilding is deterministic."""
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
    print(f"wrote {args.output} and {metadata_path(args.output).name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
