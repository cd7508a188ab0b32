"""Test setup: headless Qt, the repository root on sys.path (for db/), the real bundled database,
and one fresh full build of db/ shared by the data tests."""

from __future__ import annotations

import gc
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("FACELEDGER_NO_ERROR_DIALOG", "1")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

# Fuzzing is reproducible everywhere (CI included): a fixed seed per test (derandomize), no example
# database written into the checkout, no per-example deadline on a loaded machine, and a bounded
# default number of examples (tests that want more or fewer say so with @settings).
hypothesis_settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, max_examples=200, print_blob=True
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

from db import build  # noqa: E402

from faceledger.collector import collect_if_due  # noqa: E402
from faceledger.data.database import Database, bundled_database_path  # noqa: E402
from faceledger.data.repositories import Repositories  # noqa: E402

# As in the app once its window has started (faceledger/collector.py): Python's collector never
# runs by itself, since a collection a worker thread happened to start would delete Qt objects on
# that thread; the main thread collects what is due after each test.
gc.disable()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """The jobs a test started finish before its widgets are closed and its database is closed,
    as the app waits for them before it closes its own; then the main thread collects."""
    jobs = sys.modules.get("faceledger.jobs")
    if jobs is not None:
        jobs.wait_all()
    result = yield
    collect_if_due()
    return result


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings and logs go to a temporary folder, never the user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))


@pytest.fixture(scope="session")
def db_path() -> Path:
    return bundled_database_path()


@pytest.fixture(scope="session")
def full_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole build of db/ as it stands (curated records and every imported dataset, what the
    app ships), made once per test run for the data tests that read it."""
    out = tmp_path_factory.mktemp("full-build") / "faceledger.db"
    build.build(out)
    return out


@pytest.fixture(scope="session")
def full_rows(full_build: Path) -> Iterator[sqlite3.Connection]:
    """A connection to `full_build` whose rows are read by column name."""
    with closing(sqlite3.connect(str(full_build))) as conn:
        conn.row_factory = sqlite3.Row
        yield conn


@pytest.fixture()
def db(db_path: Path):  # type: ignore[no-untyped-def]
    database = Database.open(db_path)
    yield database
    database.close()


@pytest.fixture()
def repos(db: Database) -> Repositories:
    return Repositories(db)


@pytest.fixture()
def window(qtbot, db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    from faceledger.main import build_window
    from faceledger.ui.main_window import DEFAULT_SIZE
    from faceledger.ui.settings import Settings

    w = build_window(db, Settings(tmp_path / "settings.ini"))
    # The window's default size on a desktop screen (the offscreen screen, 800x600, would make it
    # fit that; tests of small screens resize it themselves).
    w.resize(*DEFAULT_SIZE)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.started, timeout=20_000):  # its pages and menus come after the first paint
        w.show()
    qtbot.waitExposed(w)
    yield w
    from faceledger.jobs import wait_all

    wait_all()
    w.close()
