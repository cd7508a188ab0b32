"""A database file's verification is remembered: a second command on the unchanged file skips the
full hash and SQLite's quick check; any change to the file or its manifest, and `doctor`, check in
full again. The checks are spied on (the real ones run), not replaced."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from faceledger.data import database, verified
from faceledger.data.database import Database
from faceledger.data.errors import DatabaseProblem
from faceledger.data.manifest import manifest_path


@pytest.fixture()
def calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counted = {"checksum": 0, "quick_check": 0}
    checksum, structure = database.compare_checksum, database._check_structure

    def spy_checksum(*a, **k):  # type: ignore[no-untyped-def]
        counted["checksum"] += 1
        return checksum(*a, **k)

    def spy_structure(*a, **k):  # type: ignore[no-untyped-def]
        counted["quick_check"] += 1
        return structure(*a, **k)

    monkeypatch.setattr(database, "compare_checksum", spy_checksum)
    monkeypatch.setattr(database, "_check_structure", spy_structure)
    return counted


def copy(db_path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dst = folder / "release.db"
    shutil.copy(db_path, dst)
    shutil.copy(manifest_path(db_path), manifest_path(dst))
    return dst


def open_close(path: Path, background: bool = False) -> None:
    db = Database.open(path, checksum_in_background=background)
    db.wait_checks()
    db.close()


@pytest.mark.parametrize("background", [False, True], ids=["command line", "window"])
def test_a_second_open_of_an_unchanged_file_skips_the_full_checks(
    background: bool, calls: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = copy(db_path, tmp_path)
    open_close(path, background)
    assert calls == {"checksum": 1, "quick_check": 1}
    assert (verified.cache_dir() / verified.CACHE_FILE).is_file()
    assert str(verified.cache_dir()).startswith(os.environ["HOME"])  # the user's cache folder
    open_close(path, background)
    open_close(path, not background)
    assert calls == {"checksum": 1, "quick_check": 1}


def test_a_changed_file_is_checked_again_even_with_its_times_put_back(
    calls: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = copy(db_path, tmp_path)
    open_close(path)
    st = path.stat()
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF  # same size; then the modification time put back
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(DatabaseProblem, match="does not match its checksum manifest"):
        Database.open(path)
    assert calls["checksum"] == 2


def test_another_manifest_is_another_key(calls: dict[str, int], db_path: Path, tmp_path: Path) -> None:
    path = copy(db_path, tmp_path)
    open_close(path)
    data = json.loads(manifest_path(path).read_text(encoding="utf-8"))
    manifest_path(path).write_text(json.dumps(data, indent=4), encoding="utf-8")  # same facts
    open_close(path)
    assert calls == {"checksum": 2, "quick_check": 2}


def test_a_copy_elsewhere_is_checked_in_full(calls: dict[str, int], db_path: Path, tmp_path: Path) -> None:
    open_close(copy(db_path, tmp_path / "a"))
    open_close(copy(db_path, tmp_path / "b"))
    assert calls == {"checksum": 2, "quick_check": 2}


def test_a_failed_check_is_not_remembered(calls: dict[str, int], db_path: Path, tmp_path: Path) -> None:
    path = copy(db_path, tmp_path)
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    for _ in range(2):
        with pytest.raises(DatabaseProblem):
            Database.open(path)
    assert calls["checksum"] == 2


def test_doctor_always_checks_in_full(calls: dict[str, int], db_path: Path, tmp_path: Path) -> None:
    path = copy(db_path, tmp_path)
    open_close(path)
    with Database.open(path, verify=False) as db:
        report = db.check()
    assert report.ok and report.quick_check == "ok" and report.file_checksum_ok


@pytest.mark.parametrize("content", ["fifo", "junk", "nested", "huge", "wrong type"])
def test_a_hostile_cache_file_only_means_not_remembered(
    content: str, calls: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    cache = verified.cache_dir() / verified.CACHE_FILE
    cache.parent.mkdir(parents=True, exist_ok=True)
    if content == "fifo":
        os.mkfifo(cache)
    else:
        text = {
            "junk": "\x00\xff not json",
            "nested": "[" * 100_000,
            "huge": json.dumps(["x" * 100] * 10_000),
        }
        cache.write_text(text.get(content, '{"a": 1}'), encoding="utf-8", errors="surrogateescape")
    path = copy(db_path, tmp_path)
    open_close(path)
    open_close(path)
    assert calls["checksum"] >= 1  # opened, no error, nothing blocked


def test_the_bundled_database_is_hashed_once_until_it_changes(
    calls: dict[str, int], db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled file is only hashed (no quick check); a pass is remembered like a --db file's,
    so the next starts skip the hash, until the file changes."""
    path = copy(db_path, tmp_path)
    monkeypatch.setattr(database, "bundled_database_path", lambda: path)
    open_close(path, background=True)  # the window's start
    assert calls == {"checksum": 1, "quick_check": 0}
    open_close(path, background=True)
    db = Database.open(path, checksum_in_background=True)
    assert db.checks_done() and db._checks is None  # no thread at all
    db.close()
    assert calls == {"checksum": 1, "quick_check": 0}
    st = path.stat()
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF  # damaged in place, its modification time put back
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(DatabaseProblem, match="does not match its checksum manifest"):
        open_close(path, background=True)
    assert calls == {"checksum": 2, "quick_check": 0}
