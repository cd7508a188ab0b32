"""The checks on a database's file before SQLite opens it (Qt-free): it is a regular file (not a
folder, a named pipe, a device or a symbolic link loop), readable, starts like a SQLite file, and
its checksum manifest beside it is a small regular file of the expected shape."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from faceledger.data.errors import DatabaseProblem
from faceledger.data.files import NotAFile, kind_of, missing_reason, open_regular
from faceledger.data.manifest import (
    MANIFEST_SUFFIX,
    ManifestError,
    file_sha256,
    manifest_path,
    read_manifest_and_stat,
)

SQLITE_MAGIC = b"SQLite format 3\x00"


class Expected(NamedTuple):
    """What the manifest beside a database says: the file's SHA-256; and the stat of the manifest
    that said it, taken as it was read (`verified.file_key`)."""

    file_sha256: str
    manifest_stat: os.stat_result


def check_database_file(p: Path) -> os.stat_result:
    """Raise DatabaseProblem unless `p` is a readable regular file starting like a SQLite database;
    returns its stat. A named pipe or a device is refused before it is opened (opening a pipe
    would wait forever for a writer)."""
    if not str(p).strip():
        raise DatabaseProblem(p, "No database file was named (the path is empty)")
    try:
        st = os.stat(p)
    except OSError as exc:
        reason = missing_reason(p, exc)
        if reason == "does not exist":
            raise DatabaseProblem(p, "The database file does not exist") from exc
        if reason is not None:
            raise DatabaseProblem(p, f"The database path {reason}") from exc
        raise DatabaseProblem(p, f"The database file cannot be read ({exc.strerror})") from exc
    kind = kind_of(st.st_mode)
    if kind != "a regular file":
        raise DatabaseProblem(p, f"The database path is {kind}, not a file")
    try:
        fd, st = open_regular(p)
    except NotAFile as exc:  # swapped for something else since the stat
        raise DatabaseProblem(p, f"The database path is {exc.kind}, not a file") from exc
    except OSError as exc:
        raise DatabaseProblem(p, f"The database file cannot be read ({exc.strerror})") from exc
    try:
        head = os.read(fd, 100)
    except OSError as exc:
        raise DatabaseProblem(p, f"The database file cannot be read ({exc.strerror})") from exc
    finally:
        os.close(fd)
    if len(head) == 0:
        raise DatabaseProblem(p, "The database file is empty (0 bytes)")
    if not head.startswith(SQLITE_MAGIC):
        raise DatabaseProblem(
            p, "The file is not a SQLite database (it may be encrypted, damaged or another kind of file)"
        )
    if len(head) < 100:
        raise DatabaseProblem(p, "The database file is truncated")
    return st


def expected_checksum(p: Path) -> Expected:
    """The file SHA-256 recorded in the manifest beside `p` (and which manifest said it)."""
    try:
        manifest, st = read_manifest_and_stat(p)
    except FileNotFoundError as exc:
        raise DatabaseProblem(
            p, "The database has no checksum manifest (expected beside it: " + p.name + MANIFEST_SUFFIX + ")"
        ) from exc
    except ManifestError as exc:
        raise DatabaseProblem(p, f"The database's checksum manifest cannot be read ({exc})") from exc
    except OSError as exc:
        reason = missing_reason(manifest_path(p), exc) or exc.strerror or "it cannot be read"
        raise DatabaseProblem(p, f"The database's checksum manifest cannot be read (it {reason})") from exc
    return Expected(str(manifest["file_sha256"]), st)


def compare_checksum(p: Path, expected: str) -> None:
    """Raise DatabaseProblem unless the file's SHA-256 is `expected`."""
    try:
        actual = file_sha256(p)
    except OSError as exc:
        raise DatabaseProblem(p, f"The database file cannot be read ({exc.strerror})") from exc
    if actual != expected:
        raise DatabaseProblem(
            p,
            "The database does not match its checksum manifest (it was damaged or modified)",
        )
