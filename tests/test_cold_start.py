"""Start-up: the plain GUI start skips the full parser, what the first paint needs (and only that)
is imported, the window paints its navigation before building the first page, and the file
checksum computed on a thread refuses a modified database as before."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from faceledger.data.database import Database
from faceledger.data.errors import DatabaseProblem
from faceledger.data.manifest import manifest_path
from faceledger.startup import plain_gui_start

APP = Path(__file__).resolve().parents[1] / "app"


def _probe(code: str, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh Python with the app on its path, offscreen, its own home folder."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env={
            "PYTHONPATH": str(APP),
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "QT_QPA_PLATFORM": "offscreen",
            "FACELEDGER_NO_ERROR_DIALOG": "1",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (True, None)),
        (["gui"], (True, None)),
        (["--db", "x.db"], (True, Path("x.db"))),
        (["gui", "--db", "x.db"], (True, Path("x.db"))),
        (["--db=x.db", "gui"], (True, Path("x.db"))),
        (["--db", "a.db", "--db", "b.db"], (True, Path("b.db"))),  # the last one, as argparse
        (["gui", "gui"], (False, None)),
        (["--db"], (False, None)),
        (["--db", "--help"], (False, None)),
        (["--db="], (False, None)),
        (["-h"], (False, None)),
        (["stats"], (False, None)),
        (["gui", "--verbose"], (False, None)),
    ],
)
def test_plain_gui_start_is_recognised_and_nothing_else(argv: list[str], expected: object) -> None:
    assert plain_gui_start(argv) == expected


def test_qt_constants_named_without_the_qt_namespace() -> None:
    from PySide6.QtCore import Qt

    from faceledger.ui.main_window import USER_ROLE

    assert Qt.ItemDataRole(USER_ROLE) == Qt.ItemDataRole.UserRole


START_PATH = "import sys\nimport faceledger.cli, faceledger.main\nprint(' '.join(sorted(sys.modules)))\n"
NOT_AT_START = (
    "faceledger.ui.entity_page",
    "faceledger.ui.detail",
    "faceledger.models.table_model",
    "faceledger.ui.export_dialog",
    "faceledger.data.export",
    "faceledger.ui.charts_page",
    "faceledger.data.charts",
    "faceledger.ui.global_search",
    "faceledger.ui.navigation",
    "faceledger.models.facets",
    # a search's ranking, counts and match reasons, and the global search: at the first search
    "faceledger.data.ranking",
    "faceledger.data.word_count",
    "faceledger.data.trigram_count",
    "faceledger.data.matching",
    "faceledger.data.searcher",
    "faceledger.export_cli",
    "logging.handlers",
    "importlib.resources",
    "pyqtgraph",
)


def test_the_start_path_imports_only_what_the_first_paint_needs(tmp_path: Path) -> None:
    result = _probe(START_PATH, tmp_path)
    loaded = set(result.stdout.split())
    assert "faceledger.ui.main_window" in loaded, result.stdout + result.stderr
    assert [m for m in NOT_AT_START if m in loaded] == []


def test_window_paints_its_navigation_then_builds_the_first_page(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from faceledger.main import build_window
    from faceledger.ui.main_window import PAGE_ORDER
    from faceledger.ui.settings import Settings

    window = build_window(db, Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    assert dict(window.pages) == {}  # nothing of the pages before the first paint
    assert window.nav.count() == len(PAGE_ORDER) + 2  # the record types, Charts, About the data
    assert window.nav.currentRow() == 0
    assert not [a for a in window.file_menu.actions() if a.objectName().startswith("exportAction_")]
    menus = [m.title() for m in (window.file_menu, window.edit_menu, window.go_menu, window.help_menu)]
    assert menus == ["&File", "&Edit", "&Go", "&Help"]  # painted first, filled after
    assert window.go_menu.actions() == []
    at_started: list[bool] = []
    window.started.connect(lambda: at_started.append(window.pages[PAGE_ORDER[0]].painted_or_hidden))
    with qtbot.waitSignal(window.started, timeout=10_000):
        window.show()  # the first paint schedules the rest
    assert at_started == [True]  # the rest came after the first page's table had painted
    page = window.pages[PAGE_ORDER[0]]
    assert window.stack.currentWidget() is page and page.model.rowCount() > 0
    assert window.nav.count() == len(PAGE_ORDER) + 2  # Charts and About on their entries, not new ones
    window.show_charts()
    assert window.nav.currentRow() == len(PAGE_ORDER)
    assert [a for a in window.file_menu.actions() if a.objectName().startswith("exportAction_")]
    shortcuts = {a.shortcut().toString() for a in window.go_menu.actions()}
    assert {f"Ctrl+{i + 1}" for i in range(len(PAGE_ORDER))} | {"Alt+Left", "Alt+Right"} <= shortcuts
    assert any(a.text() == "&Quit" for a in window.file_menu.actions())
    from faceledger.jobs import wait_all

    wait_all()
    window.close()


def _modified_copy(db_path: Path, tmp_path: Path) -> Path:
    """A copy whose last byte differs (unused space or a record: the schema still reads)."""
    path = tmp_path / "modified.db"
    shutil.copy(db_path, path)
    shutil.copy(manifest_path(db_path), manifest_path(path))
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def test_background_checksum_refuses_a_modified_file(db_path: Path, tmp_path: Path) -> None:
    path = _modified_copy(db_path, tmp_path)
    with pytest.raises(DatabaseProblem) as sync:
        Database.open(path)
    try:
        db = Database.open(path, checksum_in_background=True)
    except DatabaseProblem as at_open:
        # The changed byte can fall in text that opening reads (the schema): the checksum
        # mismatch is still what the user is told, at once.
        assert at_open.what == sync.value.what and "checksum manifest" in at_open.what
        return
    try:
        with pytest.raises(DatabaseProblem) as later:
            db.wait_checks()
        assert later.value.what == sync.value.what
        assert "checksum manifest" in later.value.what
    finally:
        db.close()


def test_background_checksum_passes_an_intact_file(db_path: Path) -> None:
    with Database.open(db_path, checksum_in_background=True) as db:
        db.wait_checks()
        assert db.checks_problem() is None


# The `faceledger` command, up to the point where it opens its database: what had been imported
# then, and whether the checksum thread was running. The spy stops the start there.
OPEN_ORDER = """
import sys, threading
import faceledger.data.database as d

class Stop(Exception):
    pass

opened = d.Database.open.__func__
def spy(cls, *a, **k):
    db = opened(cls, *a, **k)
    threads = [t.name for t in threading.enumerate()]
    print("QT_LOADED", "PySide6" in sys.modules, "CHECKSUM_THREAD", "faceledger-checksum" in threads,
          "OPENSSL", "_hashlib" in sys.modules, "MMAP", "mmap" in sys.modules)
    db.wait_checks()
    db.close()
    raise Stop
d.Database.open = classmethod(spy)
from faceledger.cli import main
try:
    main([])
except Stop:
    pass
"""


def test_the_command_opens_its_database_before_qt_loads(tmp_path: Path) -> None:
    """So that the file is hashed on another core while PySide6 loads; the next start, on the
    unchanged file, hashes nothing and loads no OpenSSL."""
    result = _probe(OPEN_ORDER, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "QT_LOADED False CHECKSUM_THREAD True" in result.stdout, result.stdout + result.stderr
    again = _probe(OPEN_ORDER, tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "QT_LOADED False CHECKSUM_THREAD False OPENSSL False MMAP False" in again.stdout, again.stdout + again.stderr


def test_a_missing_manifest_is_reported_at_open_either_way(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "no-manifest.db"
    shutil.copy(db_path, path)
    with pytest.raises(DatabaseProblem) as sync:
        Database.open(path)
    with pytest.raises(DatabaseProblem) as background:
        Database.open(path, checksum_in_background=True)
    assert background.value.what == sync.value.what
    assert "no checksum manifest" in sync.value.what


def test_file_checksum_of_an_empty_and_a_small_file(tmp_path: Path) -> None:
    import hashlib

    from faceledger.data.manifest import file_sha256

    empty, small = tmp_path / "empty", tmp_path / "small"
    empty.write_bytes(b"")
    small.write_bytes(b"FaceLedger\n" * 1000)
    assert file_sha256(empty) == hashlib.sha256(b"").hexdigest()
    assert file_sha256(small) == hashlib.sha256(b"FaceLedger\n" * 1000).hexdigest()


# The command's start, watched: whether Python's garbage collector runs by itself while the window
# is built and after it has started, and on which threads collections run once it has (the probe
# makes collections due often, then runs a page's counts on workers). The window then quits.
GC_PROBE = r"""
import gc, sys, threading
import faceledger.main as m
gc.set_threshold(50, 2, 2)
seen = {}
threads = set()
def watch(phase, info):
    if phase == "start" and "at_started" in seen:
        threads.add(threading.current_thread() is threading.main_thread())
gc.callbacks.append(watch)
build = m.build_window
def spy_build(*a, **k):
    seen["while_building"] = gc.isenabled()
    window = build(*a, **k)
    window.started.connect(lambda: seen.setdefault("at_started", gc.isenabled()))
    def search():
        page = window.pages["customers"]
        window.show_page("customers")
        page.search.setText("police")
    def after():
        seen["after_started"] = gc.isenabled()
        window.close()
    window.started.connect(lambda: m.QTimer.singleShot(0, search))
    window.started.connect(lambda: m.QTimer.singleShot(1500, after))
    return window
m.build_window = spy_build
from faceledger.cli import main
code = main([])
print("GC", seen.get("while_building"), seen.get("at_started"), seen.get("after_started"), gc.isenabled())
print("COLLECTED_ON_MAIN_THREAD_ONLY", threads == {True})
sys.exit(code)
"""


def test_the_collector_is_paused_for_the_start_then_runs_on_the_gui_thread_only(tmp_path: Path) -> None:
    """Paused while the window is built; once it has started, Python no longer starts collections
    by itself (on a worker thread, one would delete Qt objects there): the GUI thread collects
    what is due, and Python has its own collector back when the app ends."""
    result = _probe(GC_PROBE, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "GC False False False True" in result.stdout, result.stdout + result.stderr
    assert "COLLECTED_ON_MAIN_THREAD_ONLY True" in result.stdout, result.stdout + result.stderr


def test_collect_if_due_collects_as_python_would() -> None:
    import gc

    from faceledger import collector

    threshold, enabled = gc.get_threshold(), gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        gc.set_threshold(100, 10, 10)
        assert collector.collect_if_due() == 0  # nothing made since
        for _ in range(50):
            a: list[object] = []
            a.append(a)  # a cycle: only a collection frees it
        del a
        assert collector.collect_if_due() == 0  # fewer than the threshold
        for _ in range(200):
            b: list[object] = []
            b.append(b)
        del b
        assert collector.collect_if_due() >= 200
        assert gc.get_count()[0] < 100
    finally:
        gc.set_threshold(*threshold)
        if enabled:
            gc.enable()


# A `--db` file whose quick check takes a while: a "Checking the database" window shows until the
# checks end, then the main window; or the user quits from it and no main window is shown.
CHECKING_PROBE = r"""
import sys, time
import faceledger.data.database as d
import faceledger.main as m
from PySide6.QtWidgets import QApplication

quick = d._quick_check
def slow_quick_check(*a, **k):
    time.sleep(1.0)
    return quick(*a, **k)
d._quick_check = slow_quick_check
QUIT = sys.argv[2] == "quit"
seen = {"while_checking": set(), "at_started": set()}
def visible():
    return {w.objectName() for w in QApplication.topLevelWidgets() if w.isVisible()}
done = d.Database.checks_done
def spy_done(self, timeout=0):
    names = visible()
    seen["while_checking"] |= names
    if QUIT and "checkingDatabase" in names:
        next(w for w in QApplication.topLevelWidgets() if w.objectName() == "checkingDatabase").cancel()
    return done(self, timeout)
d.Database.checks_done = spy_done
build = m.build_window
def spy_build(*a, **k):
    window = build(*a, **k)
    def started():
        seen["at_started"] = visible()
        window.close()
    window.started.connect(lambda: m.QTimer.singleShot(0, started))
    return window
m.build_window = spy_build
from faceledger.cli import main
code = main(["--db", sys.argv[1]])
print("CODE", code, "CHECKING", "checkingDatabase" in seen["while_checking"],
      "MAIN_WHILE_CHECKING", "mainWindow" in seen["while_checking"],
      "MAIN_AT_STARTED", "mainWindow" in seen["at_started"], "CHECKING_AT_STARTED", "checkingDatabase" in seen["at_started"])
"""


@pytest.mark.parametrize("action", ["wait", "quit"])
def test_a_long_check_of_a_db_file_shows_a_checking_window_first(
    db_path: Path, tmp_path: Path, action: str
) -> None:
    path = tmp_path / "other.db"
    shutil.copy(db_path, path)
    shutil.copy(manifest_path(db_path), manifest_path(path))
    result = _probe(CHECKING_PROBE, tmp_path, str(path), action)
    assert result.returncode == 0, result.stdout + result.stderr
    if action == "wait":
        expected = (
            "CODE 0 CHECKING True MAIN_WHILE_CHECKING False MAIN_AT_STARTED True CHECKING_AT_STARTED False"
        )
    else:  # quit from the checking window: no main window, exit 0
        expected = (
            "CODE 0 CHECKING True MAIN_WHILE_CHECKING False MAIN_AT_STARTED False CHECKING_AT_STARTED False"
        )
    assert expected in result.stdout, result.stdout + result.stderr


def test_closing_a_database_stops_its_quick_check(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    shutil.copy(db_path, path)
    shutil.copy(manifest_path(db_path), manifest_path(path))
    db = Database.open(path, checksum_in_background=True)
    assert db._checks is not None and len(db._checks._threads) == 2  # checksum and quick check
    db.close()
    assert db.checks_done(10)
    with Database.open(db_path, checksum_in_background=True) as bundled:  # no quick check
        assert bundled._checks is not None and len(bundled._checks._threads) == 1
