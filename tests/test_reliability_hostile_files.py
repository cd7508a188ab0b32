"""Hostile files given as a database or found as its manifest: a FIFO, a device, a symbolic link
loop, a manifest that never ends or is nested a hundred thousand deep, a schema with a damaged
name, a table the app reads removed. Each gives one sentence saying what it is, exit 2 from the
command line and one dialog from the app, quickly: every run is a fresh interpreter with a timeout,
and the hostile-manifest runs under an address-space limit, so that a regression fails the test
instead of hanging it or exhausting the machine.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from faceledger.data.database import EXPECTED_SCHEMA, Database
from faceledger.data.errors import DatabaseProblem
from faceledger.data.manifest import manifest_path
from test_reliability_database import (
    GUI_PROBE,
    child_env,
    copy_db,
    gui_seen,
    qt_noise_removed,
    resign,
)

ROOT = Path(__file__).resolve().parents[1]
MEMORY_LIMIT = 1_500_000_000  # bytes of address space for a child reading a hostile manifest
TIMEOUT = 60


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_limited(args: list[str], home: Path, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    """`faceledger ARGS` in a fresh interpreter, under an address-space limit and a timeout."""
    return subprocess.run(
        [sys.executable, "-m", "faceledger.cli", *args],
        env=child_env(home),
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory,
    )


def snapshot(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every entry of the folder: mode, size and content hash (a regular file's only: reading a
    FIFO would block)."""
    import hashlib
    import stat

    out: dict[str, tuple[int, int, str]] = {}
    for p in sorted(folder.iterdir()):
        st = p.lstat()
        digest = hashlib.sha256(p.read_bytes()).hexdigest() if stat.S_ISREG(st.st_mode) else ""
        out[p.name] = (st.st_mode, st.st_size, digest)
    return out


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    err = qt_noise_removed(result.stderr)
    assert len(err) == 1 and "Traceback" not in result.stderr, result.stderr
    return err[0]


# -- special files as the database or its manifest ----------------------------------------------
def _fifo_db(src: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    p = folder / "faceledger.db"
    os.mkfifo(p)
    return p


def _fifo_manifest(src: Path, folder: Path) -> Path:
    p = copy_db(src, folder)
    manifest_path(p).unlink()
    os.mkfifo(manifest_path(p))
    return p


def _zero_manifest(src: Path, folder: Path) -> Path:
    p = copy_db(src, folder)
    manifest_path(p).unlink()
    manifest_path(p).symlink_to("/dev/zero")
    return p


def _nested_manifest(src: Path, folder: Path) -> Path:
    p = copy_db(src, folder)
    manifest_path(p).write_text("[" * 100_000, encoding="utf-8")
    return p


def _nested_object_manifest(src: Path, folder: Path) -> Path:
    p = copy_db(src, folder)
    manifest_path(p).write_text('{"a":' * 100_000, encoding="utf-8")
    return p


def _huge_manifest(src: Path, folder: Path) -> Path:
    p = copy_db(src, folder)
    data = json.loads(manifest_path(p).read_text(encoding="utf-8"))
    data["padding"] = "x" * 5_000_000
    manifest_path(p).write_text(json.dumps(data), encoding="utf-8")
    return p


def _wrong_shape_manifest(src: Path, folder: Path) -> Path:
    p = copy_db(src, folder)
    data = json.loads(manifest_path(p).read_text(encoding="utf-8"))
    data["tables"]["vendors"] = ["not", "a", "checksum"]
    manifest_path(p).write_text(json.dumps(data), encoding="utf-8")
    return p


def _symlink_loop(src: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    a, b = folder / "a.db", folder / "b.db"
    a.symlink_to(b.name)
    b.symlink_to(a.name)
    return a


def _dangling_symlink(src: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    p = folder / "faceledger.db"
    p.symlink_to("gone.db")
    return p


def _device(src: Path, folder: Path) -> Path:
    return Path("/dev/zero")


def _damaged_schema_name(src: Path, folder: Path) -> Path:
    """One byte of a table's name in the schema made invalid UTF-8 (seen as a UnicodeDecodeError
    from the schema check), with no manifest, as `doctor` examines such a file."""
    p = copy_db(src, folder)
    manifest_path(p).unlink()
    data = bytearray(p.read_bytes())
    at = data.index(b"tablestudy_figuresstudy_figures") + len(b"tablest")
    data[at] ^= 0x80  # 'u' -> 0xf5
    p.write_bytes(bytes(data))
    return p


HOSTILE = {  # name -> (builder, words the message must contain)
    "fifo-db": (_fifo_db, "is a named pipe (FIFO), not a file"),
    "fifo-manifest": (_fifo_manifest, "manifest cannot be read (it is a named pipe (FIFO)"),
    "dev-zero-manifest": (_zero_manifest, "manifest cannot be read (it is a character device"),
    "nested-array-manifest": (_nested_manifest, "nested too deeply"),
    "nested-object-manifest": (_nested_object_manifest, "nested too deeply"),
    "huge-manifest": (_huge_manifest, "larger than 1,000,000 bytes"),
    "wrong-shape-manifest": (_wrong_shape_manifest, "entry for table 'vendors' is not a checksum"),
    "symlink-loop": (_symlink_loop, "is a symbolic link loop"),
    "dangling-symlink": (_dangling_symlink, "is a symbolic link to a file that does not exist"),
    "device": (_device, "is a character device, not a file"),
}


OPEN_PROBE = r"""
import sys
from faceledger.data.database import Database
from faceledger.data.errors import DatabaseProblem
try:
    Database.open(sys.argv[1]).close()
except DatabaseProblem as problem:
    print(problem.what)
    print(problem.path)
    print(str(problem).count("\n"))
"""


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_file_is_refused_by_the_data_layer(case: str, db_path: Path, tmp_path: Path) -> None:
    """`Database.open` in a child (a regression would block on the FIFO or read /dev/zero)."""
    path = HOSTILE[case][0](db_path, tmp_path / "case")
    result = subprocess.run(
        [sys.executable, "-c", OPEN_PROBE, str(path)],
        env=child_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=_limit_memory,
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    what, where, newlines = result.stdout.splitlines()
    assert HOSTILE[case][1] in what and where == str(path) and newlines == "0"


# doctor examines a database whatever its manifest: its manifest cases are checked below.
CLI_CASES = [
    (case, command)
    for case in HOSTILE
    for command in ("stats", "search", "doctor", "export")
    if not (command == "doctor" and "manifest" in case)
]


@pytest.mark.parametrize("case, command", CLI_CASES)
def test_hostile_file_cli_one_line_exit_2(case: str, command: str, db_path: Path, tmp_path: Path) -> None:
    path = HOSTILE[case][0](db_path, tmp_path / "case")
    folder = path.parent
    before = snapshot(folder) if folder != Path("/dev") else None
    args = {
        "stats": ["stats"],
        "search": ["search", "police"],
        "doctor": ["doctor"],
        "export": ["export", "vendors", "-o", str(tmp_path / "v.csv")],
    }[command]
    result = run_limited([*args, "--db", str(path)], tmp_path / "home")
    assert result.returncode == 2, result.stderr
    line = one_line(result)
    assert HOSTILE[case][1] in line and str(path) in line
    assert result.stdout == "" or command == "doctor"
    if before is not None:
        assert snapshot(folder) == before
    assert not (tmp_path / "v.csv").exists()


@pytest.mark.parametrize("case", [c for c in HOSTILE if "manifest" in c])
def test_doctor_on_a_hostile_manifest_says_it_is_unreadable(case: str, db_path: Path, tmp_path: Path) -> None:
    path = HOSTILE[case][0](db_path, tmp_path / "case")
    result = run_limited(["doctor", "--db", str(path)], tmp_path / "home")
    assert result.returncode == 2, result.stderr
    assert "no readable checksum manifest" in one_line(result)


@pytest.mark.parametrize("case", ["fifo-db", "fifo-manifest", "dev-zero-manifest", "nested-array-manifest"])
def test_hostile_file_gui_one_dialog_exit_2(case: str, db_path: Path, tmp_path: Path) -> None:
    path = HOSTILE[case][0](db_path, tmp_path / "case")
    result = subprocess.run(
        [sys.executable, "-c", GUI_PROBE, "--db", str(path)],
        env=child_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    seen = gui_seen(result)
    assert seen["windows"] == [] and len(seen["dialogs"]) == 1
    dialog = seen["dialogs"][0]
    assert isinstance(dialog, dict)
    assert HOSTILE[case][1] in dialog["text"] and str(path) in dialog["info"]
    assert qt_noise_removed(result.stderr) == [], result.stderr


def test_the_memory_limit_leaves_room_for_a_normal_run(db_path: Path, tmp_path: Path) -> None:
    """The limit the hostile cases run under is not what stops them: a sound copy opens under it."""
    path = copy_db(db_path, tmp_path / "ok")
    result = run_limited(["stats", "--db", str(path)], tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert "records per entity:" in result.stdout


def test_a_damaged_schema_name_is_one_line_from_doctor(db_path: Path, tmp_path: Path) -> None:
    path = _damaged_schema_name(db_path, tmp_path / "case")
    result = run_limited(["doctor", "--db", str(path)], tmp_path / "home")
    assert result.returncode == 2, result.stderr
    line = one_line(result)
    assert "damaged" in line and "UTF-8" in line and str(path) in line
    with pytest.raises(DatabaseProblem, match="not valid UTF-8"):
        Database.open(path, verify=False)


def test_an_empty_db_argument_is_one_line(tmp_path: Path) -> None:
    for args in (["stats", "--db="], ["stats", "--db", ""], ["--db", ""]):
        result = run_limited(args, tmp_path / "home")
        assert result.returncode == 4, result.stderr
        line = one_line(result)
        assert "--db" in line and "empty" in line and "folder" not in line


# -- every table the app reads is checked at open -----------------------------------------------
def _without_table(db_path: Path, tmp_path: Path, table: str) -> Path:
    work = copy_db(db_path, tmp_path / "work")
    conn = sqlite3.connect(work)
    conn.execute(f'DROP TABLE "{table}"')
    conn.commit()
    conn.close()
    path = copy_db(work, tmp_path / "case")
    resign(path)  # a careful tamperer rewrites the manifest too
    data = json.loads(manifest_path(path).read_text(encoding="utf-8"))
    data["tables"].pop(table, None)
    manifest_path(path).write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_charts_facets_table_is_checked_at_open(db_path: Path, tmp_path: Path) -> None:
    path = _without_table(db_path, tmp_path, "vendor_customer_facets")
    with pytest.raises(DatabaseProblem, match="table 'vendor_customer_facets' is missing"):
        Database.open(path)
    result = run_limited(["doctor", "--db", str(path)], tmp_path / "home")
    assert result.returncode == 2 and "vendor_customer_facets" in one_line(result)


def _tables_read_by_the_app() -> set[str]:
    """Every table named after FROM or JOIN in the data layer's SQL (common table expressions,
    the schema table and the search indexes, checked on their own, aside)."""
    import re

    names: set[str] = set()
    ctes: set[str] = set()
    for module in (ROOT / "app" / "faceledger" / "data").glob("*.py"):
        text = module.read_text(encoding="utf-8")
        names.update(re.findall(r'\b(?:FROM|JOIN) +"?([a-z_]+)', text))
        ctes.update(re.findall(r"\b([a-z_]+) AS \(", text))
    return {n for n in names - ctes if n != "sqlite_master" and not n.startswith("fts_")}


def test_every_table_the_app_reads_is_in_the_opening_schema_check() -> None:
    read = _tables_read_by_the_app()
    assert "vendor_customer_facets" in read and "vendors" in read  # the scan finds them
    assert read <= set(EXPECTED_SCHEMA), read - set(EXPECTED_SCHEMA)
