"""The About the data page: reached from the navigation, Ctrl+0 and the Help menu; what it says;
its links; the status bar's data date; the welcome shown once on the first start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QUrl

from faceledger.data.about import about_data
from faceledger.data.database import Database
from faceledger.data.dates import readable_date
from faceledger.ui.detail import internal_href
from faceledger.ui.main_window import MainWindow

APP = Path(__file__).resolve().parents[1] / "app"


def _about_row(window: MainWindow) -> int:
    rows = [i for i in range(window.nav.count()) if window.nav.item(i).text() == "About the data"]
    assert len(rows) == 1
    return rows[0]


def test_about_page_is_in_the_navigation_on_ctrl_0_and_in_the_help_menu(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.nav.setCurrentRow(_about_row(window))
    assert window.stack.currentWidget() is window.about
    window.show_page("vendors")
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.about
    assert window.nav.currentRow() == _about_row(window)
    assert window.current_page().entity == "vendors"  # record actions still have a page
    help_items = [a.text().replace("&", "") for a in window.help_menu.actions()]
    assert "About the data" in help_items


def test_about_page_says_how_current_the_data_is_and_where_it_comes_from(
    window: MainWindow, db: Database
) -> None:  # type: ignore[no-untyped-def]
    window.show_about()
    text = window.about.text.toPlainText()
    data = about_data(db)
    assert "FaceLedger is an offline reference on face recognition" in text
    assert f"Data as of\n{readable_date(db.meta()['data_date'])}" in text
    fact = data.newest_fact
    assert fact is not None and f"{readable_date(fact.date)}: the deployment {fact.label}" in text
    assert db.meta()["data_version"] in text
    for c in data.contributions:
        assert c.short_name in text
        assert f"{c.total:,}" in text
        if c.dataset_id:
            assert c.name in text and c.licence in text and c.attribution in text
    assert "3,919" in text  # NIST's study figures, with a thousands separator
    for v in data.verification:
        assert v.meaning in text and f"{v.records:,}" in text
    for words in ("⚠ partial", "◐ Partly verified", "⚠ unverified", "⚠ Unverified claim", "✔ Verified"):
        assert words in text
    assert "before release" not in text


def test_about_page_links_open_the_record_and_the_datasets_page(window: MainWindow, db: Database) -> None:  # type: ignore[no-untyped-def]
    page = window.about
    window.show_about()
    fact = about_data(db).newest_fact
    assert fact is not None
    page.text.anchorClicked.emit(QUrl(internal_href(fact.entity, fact.record_id)))
    shown = window.current_page()
    assert window.stack.currentWidget() is shown and shown.entity == fact.entity
    assert shown.detail.record.id == fact.record_id
    window.show_about()
    page.text.anchorClicked.emit(QUrl("page:datasets"))
    assert window.stack.currentWidget() is window.pages["datasets"]


def test_status_bar_gives_the_data_date(window: MainWindow, db: Database) -> None:  # type: ignore[no-untyped-def]
    text = window.data_label.text()
    assert text.startswith(f"Data as of {readable_date(db.meta()['data_date'])} · ")
    assert db.meta()["data_version"] in text


def test_welcome_is_shown_on_the_first_start_only(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from faceledger.jobs import wait_all
    from faceledger.main import build_window
    from faceledger.ui.settings import Settings

    shown = []
    for _start in range(2):
        settings = Settings(tmp_path / "settings.ini")
        window = build_window(db, settings)
        window.welcome = settings.welcome_pending()
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.started, timeout=10_000):
            window.show()
        current = window.stack.currentWidget()
        shown.append(current.objectName())
        if current is window.about:
            assert window.about.text.toPlainText().startswith("Welcome to FaceLedger")
            assert window.nav.currentRow() == _about_row(window)
        assert window.current_page().entity == "vendors"  # built behind it, for the menus
        wait_all()
        window.close()
    assert shown == ["page_about", "page_vendors"]


PROBE = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from faceledger.main import make_application, run_gui
from faceledger.ui.main_window import MainWindow

app = make_application()
seen = {}

def inspect():
    for w in QApplication.topLevelWidgets():
        if isinstance(w, MainWindow):
            seen["page"] = w.stack.currentWidget().objectName()
    for w in QApplication.topLevelWidgets():
        w.close()

QTimer.singleShot(1500, inspect)
code = run_gui()
print(json.dumps(seen))
sys.exit(code)
"""


def test_the_app_welcomes_on_its_first_start_and_remembers_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "FACELEDGER_NO_ERROR_DIALOG"}
    env.update(
        PYTHONPATH=str(APP),
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    pages = []
    for _start in range(2):
        result = subprocess.run(
            [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stdout + result.stderr
        pages.append(json.loads(result.stdout.strip().splitlines()[-1])["page"])
    assert pages == ["page_about", "page_vendors"]
