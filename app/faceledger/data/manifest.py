"""Checksum manifest of a FaceLedger database.

The manifest sits beside the database (``faceledger.db.manifest.json``) and records the SHA-256
of the file and, per table, the row count and a SHA-256 of the rows in primary-key order. Opening
checks the file hash (fast); ``faceledger doctor`` also checks the tables and names the ones that
changed.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path
from typing import Any

from faceledger.data.files import NotAFile, read_small_file_and_stat

MANIFEST_SUFFIX = ".manifest.json"
# A real manifest is a few kilobytes (one line per table); anything larger is not read.
MANIFEST_MAX_BYTES = 1_000_000
_SHA256 = re.compile(r"[0-9a-f]{64}")


class ManifestError(ValueError):
    """The manifest is there but cannot be used; `str()` says why, in words that follow
    "The database's checksum manifest cannot be read (...)"."""


def manifest_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + MANIFEST_SUFFIX)


def file_sha256(path: Path) -> str:
    """The file's SHA-256, hashed from a read-only memory map in one call: no copy, and the GIL
    is released for the whole hash (a chunked loop would take it back for every chunk, which
    costs a thread running beside busy Python code up to a switch interval per chunk)."""
    import hashlib  # noqa: PLC0415 (OpenSSL is loaded when a file is hashed: not at a start that skips it)
    import mmap  # noqa: PLC0415 (as hashlib)

    with open(path, "rb") as fh:
        if fh.seek(0, 2) == 0:
            return hashlib.sha256().hexdigest()  # an empty file cannot be mapped
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return hashlib.sha256(mapped).hexdigest()


def content_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'fts\\_%' ESCAPE '\\' ORDER BY name"
    ).fetchall()
    return [r[0] for r in rows]


def table_digest(conn: sqlite3.Connection, table: str) -> tuple[int, str]:
    """Row count and SHA-256 of a table's rows, ordered by every column."""
    import hashlib  # noqa: PLC0415 (as file_sha256: the build and doctor hash, opening does not)

    quoted = '"' + table.replace('"', '""') + '"'
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info({quoted})")]
    order = ", ".join(str(i + 1) for i in range(len(cols)))
    h = hashlib.sha256()
    h.update(json.dumps(cols).encode())
    n = 0
    for row in conn.execute(f"SELECT * FROM {quoted} ORDER BY {order}"):
        h.update(json.dumps(row, ensure_ascii=False, default=repr).encode("utf-8"))
        h.update(b"\n")
        n += 1
    return n, h.hexdigest()


def content_digest(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for table in content_tables(conn):
        n, digest = table_digest(conn, table)
        out[table] = {"rows": n, "sha256": digest}
    return out


def compute_manifest(db_path: Path) -> dict[str, Any]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = content_digest(conn)
    finally:
        conn.close()
    return {"format": 1, "file_sha256": file_sha256(db_path), "tables": tables}


def write_manifest(db_path: Path) -> Path:
    path = manifest_path(db_path)
    data = compute_manifest(db_path)
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_manifest(db_path: Path) -> dict[str, Any]:
    """The manifest's content; raises FileNotFoundError when there is none, ManifestError (a
    ValueError) when it is not a regular file of sensible size or not a manifest, OSError when it
    cannot be read."""
    return read_manifest_and_stat(db_path)[0]


def read_manifest_and_stat(db_path: Path) -> tuple[dict[str, Any], os.stat_result]:
    """`read_manifest` and the manifest file's stat, taken on the descriptor it was read from.

    Read defensively: only a regular file (a FIFO would block, /dev/zero never ends) of at most
    `MANIFEST_MAX_BYTES`, parsed by the standard JSON parser with its recursion failure caught,
    and checked for the exact shape the build writes."""
    path = manifest_path(db_path)
    try:
        raw, st = read_small_file_and_stat(path, MANIFEST_MAX_BYTES)
    except NotAFile as exc:
        raise ManifestError(f"it is {exc.kind}, not a manifest file") from exc
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ManifestError("it is not UTF-8 text") from exc
    except RecursionError as exc:
        raise ManifestError("it is not valid JSON: it is nested too deeply") from exc
    except ValueError as exc:
        raise ManifestError("it is not valid JSON") from exc
    _check_shape(data)
    return data, st


def _check_shape(data: Any) -> None:
    if not isinstance(data, dict) or not isinstance(data.get("file_sha256"), str):
        raise ManifestError("it has no file checksum")
    if not _SHA256.fullmatch(data["file_sha256"]):
        raise ManifestError("its file checksum is not a SHA-256")
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise ManifestError("it has no table checksums")
    for name, entry in tables.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            raise ManifestError(f"its entry for table {name[:40]!r} is not a checksum")
