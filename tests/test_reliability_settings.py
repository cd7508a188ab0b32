"""A damaged settings file is reset (or the unusable values dropped) with a notice, never a crash."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray

from faceledger.data.database import Database
from faceledger.jobs import wait_all
from faceledger.main import build_window
from faceledger.ui.main_window import PAGE_ORDER
from faceledger.ui.settings import Settings

APP = Path(__file__).resolve().parents[1] / "app"

# Qt's own complaints while it parses a hand-made @Variant(...) value: expected for this input.
QT_PARSE_NOISE = ("Trying to construct an instance of an invalid type", "QVariant::load")

BROKEN_FILES: dict[str, bytes] = {
    "binary-junk": random.Random(5).randbytes(4096),
    "nul-bytes": b"[window]\ngeometry=\x00\x00\x00\x00\n",
    "invalid-utf8": b"[window]\ngeometry=\xff\xfe\xfd\n[columns]\nvendors=\xc3\x28\n",
    "ini-syntax": b"[window\n=====\n[[[]]]\ngeometry\n",
}
WRONG_TYPES = (
    b"[window]\ngeometry=hello\n"
    b"[columns]\nvendors=@ByteArray(not a header state)\ncustomers=@Variant(abc)\nevents=1,2,3\n"
    b"[splitter]\nvendors=12\nstudies=@Size(a b)\nsources=@ByteArray()\n"
)


@pytest.mark.parametrize("content", list(BROKEN_FILES.values()), ids=list(BROKEN_FILES))
def test_broken_file_is_reset_with_a_notice(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "settings.ini"
    path.write_bytes(content)
    settings = Settings(path)
    assert "damaged" in settings.notice and "reset" in settings.notice
    kept = tmp_path / "settings.ini.broken"
    assert kept.read_bytes() == content  # moved aside, not lost
    settings.set_value("window/geometry", QByteArray(b"abc"))
    settings.sync()
    again = Settings(path)
    assert again.notice == ""
    assert again.byte_array("window/geometry") == QByteArray(b"abc")


def test_notice_does_not_claim_a_move_that_failed(tmp_path: Path) -> None:
    """A folder named settings.ini.broken, not empty, is in the way: the damaged file cannot be
    moved there, and the notice says so instead of claiming it was kept."""
    path = tmp_path / "settings.ini"
    path.write_bytes(BROKEN_FILES["nul-bytes"])
    blocker = tmp_path / "settings.ini.broken"
    blocker.mkdir()
    (blocker / "mine.txt").write_text("not settings", encoding="utf-8")
    settings = Settings(path)
    assert "damaged" in settings.notice and "reset" in settings.notice
    assert "was kept" not in settings.notice
    assert "could not be kept as settings.ini.broken" in settings.notice
    assert (blocker / "mine.txt").read_text(encoding="utf-8") == "not settings"


def test_settings_path_that_is_a_folder(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    path.mkdir()
    settings = Settings(path)
    assert settings.notice
    settings.set_value("x", 1)
    settings.sync()
    assert path.is_file()


@pytest.mark.qt_log_ignore(*QT_PARSE_NOISE)
def test_wrong_types_are_dropped_with_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    path.write_bytes(WRONG_TYPES)
    settings = Settings(path)
    assert settings.notice == ""  # the file itself is readable
    assert settings.byte_array("window/geometry") is None
    assert settings.byte_array("splitter/vendors") is None
    assert settings.byte_array("columns/customers") is None
    assert settings.byte_array("columns/never-saved") is None
    assert settings.discarded == ["window/geometry", "splitter/vendors", "columns/customers"]
    assert "could not be used" in settings.notice
    settings.sync()
    assert b"hello" not in path.read_bytes()


@pytest.mark.qt_log_ignore(*QT_PARSE_NOISE)
@pytest.mark.parametrize("content", [*BROKEN_FILES.values(), WRONG_TYPES], ids=[*BROKEN_FILES, "wrong-types"])
def test_window_starts_with_a_broken_settings_file(
    qtbot, db: Database, tmp_path: Path, content: bytes
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "settings.ini"
    path.write_bytes(content)
    settings = Settings(path)
    window = build_window(db, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert settings.notice  # run_gui shows it once the window is up
    assert window.width() > 400 and window.height() > 300
    for entity in PAGE_ORDER:
        page = window.show_page(entity)
        assert page.model.columnCount() == len(page.spec.fields)
        assert not page.table.horizontalHeader().isSectionHidden(0)
    window.close()  # saves a good layout over the bad one
    wait_all()
    reopened = Settings(path)
    window2 = build_window(db, reopened)
    qtbot.addWidget(window2)
    assert reopened.notice == "" and reopened.discarded == []
    _let_jobs_end(qtbot)
    window2.close()


def test_a_size_saved_on_a_wider_screen_is_no_fault(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A laptop taken off its large monitor: Qt declines a geometry saved on a screen of another
    width. The window then opens at a size that fits this screen, with no notice of a fault, and
    the other saved layouts are kept."""
    path = tmp_path / "settings.ini"
    first = Settings(path)
    window = build_window(db, first)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.close()
    wait_all()
    saved = bytearray(Settings(path).byte_array("window/geometry").data())
    width = int.from_bytes(saved[46:50], "big")  # the screen's width when it was saved
    saved[46:50] = (width * 2).to_bytes(4, "big")
    wider = Settings(path)
    wider.set_value("window/geometry", QByteArray(bytes(saved)))
    wider.sync()
    again = Settings(path)
    window2 = build_window(db, again)
    qtbot.addWidget(window2)
    assert not window2.restoreGeometry(QByteArray(bytes(saved)))  # Qt declines it
    room = window2.screen().availableGeometry()
    assert again.notice == "" and again.discarded == []
    assert 400 < window2.width() <= room.width() and 300 < window2.height() <= room.height()
    _let_jobs_end(qtbot)
    window2.close()


def _let_jobs_end(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A window built hidden starts its pages' counts once control is back in the event loop: let
    them start and end before the window is closed and pytest-qt deletes it (as the `window`
    fixture does)."""
    qtbot.wait(20)
    wait_all()


NOTICE_PROBE = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from faceledger.main import make_application, run_gui
from faceledger.ui.settings import user_data_dir

app = make_application()
folder = user_data_dir()
folder.mkdir(parents=True, exist_ok=True)
(folder / "settings.ini").write_bytes(b"\x00\xff junk \x00")
seen = {}

def inspect():
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    seen["notices"] = [(b.windowTitle(), b.text()) for b in boxes]
    seen["windows"] = [w.objectName() for w in QApplication.topLevelWidgets() if w.isVisible()]
    for w in QApplication.topLevelWidgets():
        w.close()

QTimer.singleShot(600, inspect)
code = run_gui()
print(json.dumps(seen))
sys.exit(code)
"""


def test_run_gui_shows_the_settings_notice(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "FACELEDGER_NO_ERROR_DIALOG"}
    env.update(
        PYTHONPATH=str(APP),
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    result = subprocess.run(
        [sys.executable, "-c", NOTICE_PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert "mainWindow" in seen["windows"]
    assert len(seen["notices"]) == 1
    title, text = seen["notices"][0]
    assert title == "Settings reset" and "damaged" in text
    assert "Traceback" not in result.stderr
