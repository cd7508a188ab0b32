"""Damaged, tampered and hostile databases: one clear message, a non-zero exit, nothing written.

Every damaged file is made from a copy of the real bundled database. The GUI and the command line
run in fresh interpreters, so what a user would see on standard error (and the exit code) is
checked exactly; the GUI's dialog is read by a timer inside that process and then closed.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from faceledger.data import database as database_module
from faceledger.data.database import Database
from faceledger.data.errors import DatabaseProblem, QueryTimeout
from faceledger.data.manifest import file_sha256, manifest_path
from faceledger.data.repositories import Repositories

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# -- making damaged copies ----------------------------------------------------------------------
def copy_db(src: Path, folder: Path, name: str = "faceledger.db") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dst = folder / name
    shutil.copy(src, dst)
    shutil.copy(manifest_path(src), manifest_path(dst))
    return dst


def resign(path: Path) -> None:
    """What a careful tamperer does: put the new file checksum in the manifest, keep the rest."""
    data = json.loads(manifest_path(path).read_text(encoding="utf-8"))
    data["file_sha256"] = file_sha256(path)
    manifest_path(path).write_text(json.dumps(data), encoding="utf-8")


def btree_pages(path: Path, name: str) -> tuple[list[int], list[int], int]:
    """Interior and leaf pages of a table's b-tree (read from the file format), and the page size."""
    data = path.read_bytes()
    size = struct.unpack(">H", data[16:18])[0]
    size = 65536 if size == 1 else size
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
    finally:
        conn.close()
    interior: list[int] = []
    leaves: list[int] = []
    stack = [root]
    while stack:
        page = stack.pop()
        base = (page - 1) * size
        header = base + (100 if page == 1 else 0)
        kind = data[header]
        if kind == 0x0D:
            leaves.append(page)
            continue
        assert kind == 0x05, f"page {page} of {name} is not a table b-tree page"
        interior.append(page)
        cells = struct.unpack(">H", data[header + 3 : header + 5])[0]
        stack.append(struct.unpack(">I", data[header + 8 : header + 12])[0])
        for i in range(cells):
            pointer = struct.unpack(">H", data[header + 12 + 2 * i : header + 14 + 2 * i])[0]
            stack.append(struct.unpack(">I", data[base + pointer : base + pointer + 4])[0])
    return interior, leaves, size


def scribble(path: Path, pages: list[int], size: int, *, tail: int | None = None, seed: int = 7) -> None:
    """Random bytes into pages: the whole page after its first bytes, or only its last `tail` bytes
    (the record content, leaving the page header and cell pointers readable)."""
    rng = random.Random(seed)
    with open(path, "r+b") as fh:
        for page in pages:
            if tail is None:
                fh.seek((page - 1) * size + (100 if page == 1 else 0) + 8)
                fh.write(rng.randbytes(size // 2))
            else:
                fh.seek(page * size - tail)
                fh.write(rng.randbytes(tail))


def png_bytes() -> bytes:
    """A real 1x1 PNG image."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def _missing(src: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    return folder / "faceledger.db"


def _empty(src: Path, folder: Path) -> Path:
    p = copy_db(src, folder)
    p.write_bytes(b"")
    return p


def _truncated(keep: Callable[[int], int], resigned: bool) -> Callable[[Path, Path], Path]:
    def make(src: Path, folder: Path) -> Path:
        p = copy_db(src, folder)
        data = p.read_bytes()
        p.write_bytes(data[: keep(len(data))])
        if resigned:
            resign(p)
        return p

    return make


def _random_pages(resigned: bool) -> Callable[[Path, Path], Path]:
    def make(src: Path, folder: Path) -> Path:
        p = copy_db(src, folder)
        interior, leaves, size = btree_pages(p, "vendors")
        scribble(p, interior + leaves, size)
        if resigned:
            resign(p)
        return p

    return make


def _deep_page_resigned(src: Path, folder: Path) -> Path:
    """Damage in the middle of the search index only: no query at start-up reads it, so only
    SQLite's quick check (run on opening a database given with --db) can notice."""
    p = copy_db(src, folder)
    interior, leaves, size = btree_pages(p, "fts_study_figures_data")
    scribble(p, leaves[len(leaves) // 2 : len(leaves) // 2 + 3], size)
    resign(p)
    return p


def _folder(src: Path, folder: Path) -> Path:
    p = folder / "faceledger.db"
    p.mkdir(parents=True)
    return p


def _png(with_manifest: bool) -> Callable[[Path, Path], Path]:
    def make(src: Path, folder: Path) -> Path:
        p = copy_db(src, folder)
        p.write_bytes(png_bytes())
        if not with_manifest:
            manifest_path(p).unlink()
        return p

    return make


def _encrypted(src: Path, folder: Path) -> Path:
    p = copy_db(src, folder)
    p.write_bytes(random.Random(11).randbytes(src.stat().st_size))
    return p


def _unreadable(src: Path, folder: Path) -> Path:
    p = copy_db(src, folder)
    p.chmod(0)
    return p


def _edited(src: Path, folder: Path) -> Path:
    """A copy changed with an ordinary UPDATE (in another folder: SQLite writes a journal there),
    put beside the original manifest."""
    work = folder.parent / (folder.name + "-work")
    edited = copy_db(src, work)
    conn = sqlite3.connect(edited)
    conn.execute("UPDATE vendors SET name = 'Nobody' WHERE id = (SELECT MIN(id) FROM vendors)")
    conn.commit()
    conn.close()
    p = copy_db(src, folder)
    shutil.copy(edited, p)
    return p


# name -> (builder, words the message must contain)
DAMAGED: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "missing": (_missing, "does not exist"),
    "zero-bytes": (_empty, "empty"),
    "truncated-4096": (_truncated(lambda n: 4096, False), "does not match its checksum manifest"),
    "truncated-4096-resigned": (_truncated(lambda n: 4096, True), "damaged"),
    "truncated-half": (_truncated(lambda n: n // 2, False), "does not match its checksum manifest"),
    "truncated-half-resigned": (_truncated(lambda n: n // 2, True), "damaged"),
    "random-pages": (_random_pages(False), "does not match its checksum manifest"),
    "random-pages-resigned": (_random_pages(True), "damaged"),
    "deep-page-resigned": (_deep_page_resigned, "damaged"),
    "folder": (_folder, "folder"),
    "png-renamed": (_png(False), "not a SQLite database"),
    "png-renamed-with-manifest": (_png(True), "not a SQLite database"),
    "encrypted": (_encrypted, "not a SQLite database"),
    "unreadable": (_unreadable, "cannot be read"),
    "edited": (_edited, "does not match its checksum manifest"),
}


def make_case(name: str, src: Path, tmp_path: Path) -> Path:
    return DAMAGED[name][0](src, tmp_path / "case")


def drop_file_capabilities() -> None:
    """In a child about to exec, as root: drop the capabilities that let root read any file
    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) from the bounding set, so that the program it runs
    is refused a mode-000 file as anyone else is. Nothing to do for other users."""
    if not IS_ROOT:
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop, cap_dac_override, cap_dac_read_search = 24, 1, 2
    for cap in (cap_dac_override, cap_dac_read_search):
        if libc.prctl(pr_capbset_drop, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


OPEN_PROBE = r"""
import sys
from faceledger.data.database import Database
from faceledger.data.errors import DatabaseProblem
try:
    Database.open(sys.argv[1]).close()
except DatabaseProblem as problem:
    print(problem.what)
    print(problem.path)
    print(problem.advice)
    print(str(problem).count("\n"))
"""


def snapshot(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every file in the folder: size, mtime and content hash (unreadable files by metadata only)."""
    out: dict[str, tuple[int, int, str]] = {}
    for p in sorted(folder.iterdir()):
        st = p.stat()
        try:
            digest = "folder" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
        except PermissionError:
            digest = "unreadable"
        out[p.name] = (st.st_size, st.st_mtime_ns, digest)
    return out


def child_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "FACELEDGER_NO_ERROR_DIALOG"}
    env.update(
        PYTHONPATH=str(APP),
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
    )
    return env


def run_cli(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "faceledger.cli", *args],
        env=child_env(home),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=drop_file_capabilities,  # as anyone else: a mode-000 file is unreadable
    )


# The GUI in a fresh interpreter: a timer reads whatever dialog is up, writes it to stdout as JSON
# and closes it; if the main window appears instead, it is recorded and closed too.
GUI_PROBE = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from faceledger.main import make_application
from faceledger.cli import main

app = make_application()
seen = {"dialogs": [], "windows": []}

def probe():
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox):
        seen["dialogs"].append({"title": box.windowTitle(), "text": box.text(),
                                "info": box.informativeText()})
        box.button(QMessageBox.StandardButton.Close).click()
        return
    shown = [w.objectName() for w in QApplication.topLevelWidgets() if w.isVisible()]
    if shown:
        seen["windows"].extend(shown)
        for w in QApplication.topLevelWidgets():
            w.close()
        return
    QTimer.singleShot(50, probe)

QTimer.singleShot(50, probe)
code = main(sys.argv[1:])
print(json.dumps(seen))
sys.exit(code)
"""


def run_gui(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", GUI_PROBE, *args],
        env=child_env(home),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=drop_file_capabilities,
    )


def gui_seen(result: subprocess.CompletedProcess[str]) -> dict[str, list[object]]:
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, result.stdout + result.stderr
    seen: dict[str, list[object]] = json.loads(lines[-1])
    return seen


def qt_noise_removed(stderr: str) -> list[str]:
    """stderr lines, minus the offscreen platform plugin's own notice."""
    return [line for line in stderr.splitlines() if "propagateSizeHints" not in line]


# -- 1. damaged databases -----------------------------------------------------------------------
@pytest.mark.parametrize("case", list(DAMAGED))
def test_damaged_database_is_refused_by_the_data_layer(case: str, db_path: Path, tmp_path: Path) -> None:
    path = make_case(case, db_path, tmp_path)
    before = snapshot(path.parent)
    if case == "unreadable" and IS_ROOT:  # root reads any file: open it where root cannot
        result = subprocess.run(
            [sys.executable, "-c", OPEN_PROBE, str(path)],
            env=child_env(tmp_path / "home"),
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=drop_file_capabilities,
        )
        what, where, advice, newlines = result.stdout.splitlines()
        assert DAMAGED[case][1] in what and where == str(path), result.stderr
        assert "Reinstall" in advice and "--db" in advice and newlines == "0"
        assert snapshot(path.parent) == before
        return
    with pytest.raises(DatabaseProblem) as info:
        Database.open(path)
    problem = info.value
    assert DAMAGED[case][1] in problem.what
    assert problem.path == path
    assert "Reinstall" in problem.advice and "--db" in problem.advice
    assert "\n" not in str(problem)
    assert snapshot(path.parent) == before


@pytest.mark.parametrize("command", ["stats", "doctor"])
@pytest.mark.parametrize("case", list(DAMAGED))
def test_damaged_database_cli_prints_one_line(case: str, command: str, db_path: Path, tmp_path: Path) -> None:
    path = make_case(case, db_path, tmp_path)
    before = snapshot(path.parent)
    result = run_cli([command, "--db", str(path)], tmp_path / "home")
    assert result.returncode == 2  # as the app: the database cannot be used
    err = qt_noise_removed(result.stderr)
    assert len(err) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert str(path) in err[0]
    assert snapshot(path.parent) == before
    assert not any(n.endswith(("-journal", "-wal", "-shm")) for n in os.listdir(path.parent))


@pytest.mark.parametrize("case", list(DAMAGED))
def test_damaged_database_gui_shows_one_dialog_and_exits(case: str, db_path: Path, tmp_path: Path) -> None:
    path = make_case(case, db_path, tmp_path)
    before = snapshot(path.parent)
    result = run_gui(["--db", str(path)], tmp_path / "home")
    assert result.returncode == 2, result.stdout + result.stderr
    seen = gui_seen(result)
    assert seen["windows"] == [], "a window was shown for a damaged database"
    assert len(seen["dialogs"]) == 1
    dialog = seen["dialogs"][0]
    assert isinstance(dialog, dict)
    assert DAMAGED[case][1] in dialog["text"]  # what is wrong
    assert str(path) in dialog["info"]  # which file
    assert "Reinstall" in dialog["info"] and "--db" in dialog["info"]  # what to do
    assert qt_noise_removed(result.stderr) == [], result.stderr  # no traceback, no print
    assert snapshot(path.parent) == before
    assert not any(n.endswith(("-journal", "-wal", "-shm")) for n in os.listdir(path.parent))


def test_gui_refuses_a_database_damaged_where_the_first_page_reads(db_path: Path, tmp_path: Path) -> None:
    """Opening passes (no manifest check, as for the bundled file), then building the first page
    (Vendors; the other pages are built when first shown) reads damaged rows: the same dialog,
    exit 2, no window."""
    path = copy_db(db_path, tmp_path / "case")
    _interior, leaves, size = btree_pages(path, "vendors")
    scribble(path, leaves, size, tail=1500)
    resign(path)
    # quick_check would catch this at open; the bundled database skips it, so skip it here too.
    probe = GUI_PROBE.replace(
        "from faceledger.cli import main",
        "from faceledger.cli import main\nimport faceledger.data.database as d\nd._check_structure = lambda c, p: None",
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, "--db", str(path)],
        env=child_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    seen = gui_seen(result)
    assert seen["windows"] == []
    assert len(seen["dialogs"]) == 1 and "damaged" in str(seen["dialogs"][0])
    assert qt_noise_removed(result.stderr) == [], result.stderr


# -- doctor names the tables that changed --------------------------------------------------------
def _edited_table_copy(db_path: Path, tmp_path: Path, resigned: bool) -> Path:
    path = _edited(db_path, tmp_path / "case")
    if resigned:
        resign(path)
    return path


@pytest.mark.parametrize("resigned", [False, True], ids=["file-checksum-fails", "file-checksum-passes"])
def test_doctor_names_the_changed_tables(resigned: bool, db_path: Path, tmp_path: Path) -> None:
    path = _edited_table_copy(db_path, tmp_path, resigned)
    before = snapshot(path.parent)
    result = run_cli(["doctor", "--db", str(path)], tmp_path / "home")
    assert result.returncode == 2  # the database cannot be used, as the app exits
    err = qt_noise_removed(result.stderr)
    assert len(err) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "tampered" in err[0] and "tables changed: vendors" in err[0]
    assert "tables changed since the build: vendors" in result.stdout
    assert ("file checksum: ok" in result.stdout) is resigned
    assert snapshot(path.parent) == before


def test_resigned_edit_opens_but_check_reports_it(db_path: Path, tmp_path: Path) -> None:
    """A structurally sound edit with a regenerated file checksum opens (the checksum matches);
    only the per-table digests, which doctor computes, can tell."""
    path = _edited_table_copy(db_path, tmp_path, resigned=True)
    with Database.open(path) as db:
        report = db.check()
    assert report.file_checksum_ok and report.quick_check == "ok"
    assert report.changed_tables == ("vendors",) and not report.ok


def test_doctor_reports_damage_without_a_traceback(db_path: Path, tmp_path: Path) -> None:
    path = _random_pages(True)(db_path, tmp_path / "case")
    result = run_cli(["doctor", "--db", str(path)], tmp_path / "home")
    assert result.returncode == 2
    err = qt_noise_removed(result.stderr)
    assert len(err) == 1 and "damaged" in err[0] and "Traceback" not in result.stderr, result.stderr


# -- 2. untrusted databases ----------------------------------------------------------------------
def _pragmas(conn: sqlite3.Connection) -> tuple[int, int, int, int]:
    return (
        conn.execute("PRAGMA trusted_schema").fetchone()[0],
        conn.execute("PRAGMA cell_size_check").fetchone()[0],
        conn.execute("PRAGMA mmap_size").fetchone()[0],
        conn.execute("PRAGMA query_only").fetchone()[0],
    )


def test_every_connection_is_guarded(db: Database) -> None:
    assert db.query("PRAGMA trusted_schema")[0][0] == 0
    assert db.query("PRAGMA cell_size_check")[0][0] == 1
    assert db.query("PRAGMA mmap_size")[0][0] == 0
    assert db.query("PRAGMA query_only")[0][0] == 1
    reader = db.connect_reader()
    try:
        assert _pragmas(reader) == (0, 1, 0, 1)
    finally:
        reader.close()
    with db.reader() as conn:
        assert _pragmas(conn) == (0, 1, 0, 1)


def test_untrusted_schema_cannot_call_application_functions(db_path: Path, tmp_path: Path) -> None:
    """With trusted_schema OFF a view may not call a function that is not marked innocuous."""
    path = copy_db(db_path, tmp_path / "case")
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIEW sneaky AS SELECT side_effect() AS x")
    conn.commit()
    conn.close()
    with Database.open(path, verify=False) as db, db.reader() as reader:
        calls: list[int] = []
        reader.create_function("side_effect", 0, lambda: calls.append(1) or 1)
        with pytest.raises(sqlite3.OperationalError, match="unsafe use"):
            reader.execute("SELECT x FROM sneaky").fetchall()
        assert calls == []


def test_schema_is_checked_before_any_other_query(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    statements: list[str] = []

    class Recording(sqlite3.Connection):
        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:  # type: ignore[override]
            statements.append(sql)
            return super().execute(sql, *args)  # type: ignore[arg-type]

    real_connect = sqlite3.connect
    monkeypatch.setattr(
        database_module.sqlite3, "connect", lambda *a, **k: real_connect(*a, factory=Recording, **k)
    )
    with Database.open(db_path) as db:
        Repositories(db).vendors.total()
    first_other = next(i for i, s in enumerate(statements) if "sqlite_master" not in s and "PRAGMA" not in s)
    schema = [i for i, s in enumerate(statements) if "sqlite_master" in s]
    assert schema and max(schema) < first_other
    assert all(s.startswith("PRAGMA") for s in statements[: schema[0]])


def _hostile_copy(db_path: Path, tmp_path: Path, sql: list[str]) -> Path:
    path = copy_db(db_path, tmp_path / "case")
    conn = sqlite3.connect(path)
    for statement in sql:
        conn.execute(statement)
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    resign(path)
    return path


ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c"


@pytest.mark.parametrize(
    "sql",
    [
        # the expected table replaced by an endless view
        ["DROP TABLE meta", f"CREATE VIEW meta AS SELECT 'k' AS key, x AS value FROM ({ENDLESS})"],
        # the search index replaced by an endless view with the right columns
        [
            "DROP TABLE fts_vendors",
            f"CREATE VIEW fts_vendors AS SELECT x AS record_id, x AS label, x AS text FROM ({ENDLESS})",
        ],
        # a search index whose rows come from an endless view (external content)
        [
            "DROP TABLE fts_vendors",
            f"CREATE VIEW evil AS SELECT x AS rowid, x AS record_id, x AS label, x AS text FROM ({ENDLESS})",
            "CREATE VIRTUAL TABLE fts_vendors USING fts5(record_id UNINDEXED, label UNINDEXED, text, "
            "content='evil', tokenize='trigram')",
        ],
        # the word index replaced by an endless view
        [
            "DROP TABLE fts_vendors_words",
            f"CREATE VIEW fts_vendors_words AS SELECT x AS text FROM ({ENDLESS})",
        ],
        # an expected column missing
        [
            "DROP INDEX idx_vendors_origin_sort",
            "DROP INDEX idx_vendors_origin",
            "ALTER TABLE vendors DROP COLUMN origin",
        ],
    ],
    ids=[
        "meta-is-endless-view",
        "fts-is-endless-view",
        "fts-external-content-view",
        "word-index-is-endless-view",
        "column-missing",
    ],
)
def test_hostile_schema_is_refused_at_open(sql: list[str], db_path: Path, tmp_path: Path) -> None:
    path = _hostile_copy(db_path, tmp_path, sql)
    with pytest.raises(DatabaseProblem, match="not a FaceLedger database"):
        Database.open(path)


@pytest.mark.parametrize(
    "sql",
    [
        ["DROP TABLE fts_vendors_words", "DROP TABLE fts_vendors_vocabulary", "DROP TABLE fts_vendors_trigram_rows"],
        ["DROP TABLE fts_vendors_trigram_rows"],
    ],
    ids=["no word index", "no trigram counts"],
)
def test_a_database_built_before_the_word_index_is_named_as_such(sql: list[str], db_path: Path, tmp_path: Path) -> None:
    """A database an earlier FaceLedger built (no word index or word list, or no stored trigram
    counts): the message says so and how to build it again, not that it is no FaceLedger database."""
    path = _hostile_copy(db_path, tmp_path, sql)
    with pytest.raises(DatabaseProblem, match="built by an earlier FaceLedger .* db/build.py"):
        Database.open(path)


def test_time_limit_stops_an_endless_query(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database_module, "QUERY_TIME_LIMIT", 0.2)
    with pytest.raises(QueryTimeout) as info:
        db.query(f"SELECT COUNT(*) FROM ({ENDLESS})")
    assert "0.2 s" in str(info.value) and str(db.path) in str(info.value)
    assert db.query("SELECT COUNT(*) FROM vendors")[0][0] > 0  # the connection still works
    with pytest.raises(QueryTimeout), db.reader() as conn:  # and on a worker's connection
        conn.execute(f"SELECT COUNT(*) FROM ({ENDLESS})").fetchone()
    with pytest.raises(QueryTimeout):
        list(db.iterate(f"SELECT x FROM ({ENDLESS}) ORDER BY x"))


@pytest.mark.qt_no_exception_capture
def test_time_limit_message_reaches_the_gui(qtbot, window, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A query stopped by the time limit on a worker's connection ends in the error dialog, in
    plain words naming the file (the path every background count and facet job takes)."""
    from faceledger.jobs import run_job
    from faceledger.main import ErrorReporter

    monkeypatch.delenv("FACELEDGER_NO_ERROR_DIALOG", raising=False)
    reporter = ErrorReporter(window)
    monkeypatch.setattr(sys, "excepthook", reporter)
    monkeypatch.setattr(database_module, "QUERY_TIME_LIMIT", 0.2)
    db = window.repos.db

    def endless(_handle: object) -> int:
        with db.reader() as conn:
            return int(conn.execute(f"SELECT COUNT(*) FROM ({ENDLESS})").fetchone()[0])

    run_job(endless, window, report_errors=True)
    qtbot.waitUntil(lambda: reporter.box is not None and reporter.box.isVisible(), timeout=10_000)
    assert reporter.box is not None
    assert "took longer than 0.2 s" in reporter.box.text()
    assert str(db.path) in reporter.box.informativeText()
    reporter.box.close()


@pytest.mark.qt_no_exception_capture
def test_damaged_page_met_while_browsing_gives_a_message(
    qtbot, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Study figures are read only when a study is selected: damage there surfaces on the click,
    through the error reporter, once; the app keeps working."""
    from PySide6.QtCore import QItemSelectionModel

    from faceledger.jobs import wait_all
    from faceledger.main import ErrorReporter, build_window
    from faceledger.ui.settings import Settings

    path = copy_db(db_path, tmp_path / "case")
    _interior, leaves, size = btree_pages(path, "study_figures")
    scribble(path, leaves, size, tail=1500)
    monkeypatch.delenv("FACELEDGER_NO_ERROR_DIALOG", raising=False)
    db = Database.open(path, verify=False)  # as the bundled file is opened: no quick check
    window = build_window(db, Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    reporter = ErrorReporter(window)
    monkeypatch.setattr(sys, "excepthook", reporter)
    window.show()
    page = window.show_page("studies")
    for row in (0, 1):
        page.table.selectionModel().setCurrentIndex(
            page.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
    assert reporter.box is not None and reporter.box.isVisible()
    assert "damaged" in reporter.box.text()
    assert str(path) in reporter.box.informativeText()
    first = reporter.box
    first.close()
    page.table.selectionModel().setCurrentIndex(
        page.model.index(2, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert reporter.box is first and not first.isVisible()  # the same damage is not shown again
    vendors = window.show_page("vendors")  # and the rest of the app still works
    qtbot.keyClicks(vendors.search, "clearview")
    assert vendors.model.rowCount() >= 1
    wait_all()
    window.close()
    db.close()


@pytest.mark.qt_no_exception_capture
def test_search_over_a_damaged_index_leaves_the_table_as_it_was(
    qtbot, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    """The vendors' search index is damaged: the page opens, typing a search fails. The message
    appears, the model keeps its rows and query (the read happens before the model resets)."""
    from faceledger.jobs import wait_all
    from faceledger.main import ErrorReporter, build_window
    from faceledger.ui.settings import Settings

    path = copy_db(db_path, tmp_path / "case")
    _interior, leaves, size = btree_pages(path, "fts_vendors_data")
    scribble(path, leaves, size)
    monkeypatch.delenv("FACELEDGER_NO_ERROR_DIALOG", raising=False)
    db = Database.open(path, verify=False)
    window = build_window(db, Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    reporter = ErrorReporter(window)
    monkeypatch.setattr(sys, "excepthook", reporter)
    window.show()
    page = window.show_page("vendors")
    qtmodeltester.check(page.model)
    before = (page.model.query, page.model.rowCount(), page.model.record(0))
    qtbot.keyClicks(page.search, "clearview")
    assert reporter.box is not None and reporter.box.isVisible()
    assert "damaged" in reporter.box.text() and str(path) in reporter.box.informativeText()
    assert (page.model.query, page.model.rowCount(), page.model.record(0)) == before
    assert page.table.model().index(0, 0).data() == page.model.index(0, 0).data()
    reporter.box.done(0)
    page.search.clear()  # back to a query that can be answered
    assert page.model.rowCount() == before[1]
    wait_all()
    window.close()
    db.close()
