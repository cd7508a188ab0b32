"""No network: after every page has been used, no networking module has even been imported.

Sockets are disabled for the whole suite (pytest-socket, see pyproject `addopts`), so any attempt
to connect fails a test. These tests go further and check, in a fresh interpreter so that other
tests' imports cannot hide or cause anything, that the app and the command line never import a
module that speaks a network protocol.

What is checked, and what is not (on purpose):

- checked: ``PySide6.QtNetwork``, ``ssl``/``_ssl``, ``http`` (and ``http.client``/``http.server``),
  ``urllib.request``/``urllib.response``/``urllib.error``, ``ftplib``, ``smtplib``, ``poplib``,
  ``imaplib``, ``xmlrpc.client``, ``socketserver`` and ``webbrowser``.
- not checked: the ``urllib`` package itself and ``urllib.parse``, which Python 3.11's own
  ``pathlib`` imports at start-up (pure string handling, no I/O); and ``socket``, which the standard
  library's ``logging.handlers`` (the app's rotating log file) and pyqtgraph import without
  opening anything. Actual connections are what pytest-socket forbids.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"

PAGES = ("vendors", "customers", "deployments", "customer_counts", "studies", "events", "sources", "datasets")
FORBIDDEN = (
    "PySide6.QtNetwork",
    "ssl",
    "_ssl",
    "http",
    "http.client",
    "http.server",
    "urllib.request",
    "urllib.response",
    "urllib.error",
    "ftplib",
    "smtplib",
    "poplib",
    "imaplib",
    "xmlrpc.client",
    "socketserver",
    "webbrowser",
)

REPORT = r"""
import json, sys
FORBIDDEN = %r
print("MODULES " + json.dumps(sorted(m for m in FORBIDDEN if m in sys.modules)))
"""

# Start the window through the composition root and use every page, then report the imports.
USE_EVERYTHING = r"""
import sys, tempfile
from pathlib import Path
from PySide6.QtCore import QItemSelectionModel, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from faceledger.data.database import Database
from faceledger.jobs import wait_all
from faceledger.main import build_window, make_application, setup_logging
from faceledger.ui.main_window import PAGE_ORDER
from faceledger.ui.settings import Settings

opened = []
QDesktopServices.openUrl = lambda url: opened.append(url.toString()) or True  # no browser in a test
app = make_application()
tmp = Path(tempfile.mkdtemp())
setup_logging(tmp / "logs")
db = Database.open()
window = build_window(db, Settings(tmp / "settings.ini"))
errors = []
sys.excepthook = lambda *exc: errors.append(repr(exc[1]))  # any error while using the pages fails
window.show()
app.processEvents()
used = []

def settle():
    wait_all()
    app.processEvents()

for entity in PAGE_ORDER:
    page = window.show_page(entity)
    QTest.keyClicks(page.search, "an")
    settle()
    for fb in page.filters:
        if fb.values():
            fb.set_selected([fb.values()[0][0]], notify=True)
    if page.year_from is not None:
        page.set_year(2020)
    settle()
    page.reset_view()
    settle()
    for row in range(min(3, page.model.rowCount())):
        page.table.selectionModel().setCurrentIndex(
            page.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
    if page.detail.record is not None:
        window.copy_citation()
        for c in window.repos.for_entity(entity).citations(page.detail.record.id)[:1]:
            page.detail.anchorClicked.emit(QUrl(c.source.url))
    page.table.sortByColumn(1, page.table.horizontalHeader().sortIndicatorOrder())
    page.table.scrollToBottom()
    settle()
    used.append(entity)

window.navigate("vendors", "idemia")
window.go_back()
window.go_forward()
window.open_global_search()
QTest.keyClicks(window.global_search.input, "clearview")
hits = window.global_search.hits()
window.global_search.results.setCurrentRow(1)
window.global_search._on_input_return()
used.append("global-search")

charts = getattr(window, "charts", None)
if charts is not None:
    from faceledger.ui.charts_page import TABS
    window.stack.setCurrentWidget(charts)
    for name, _title in TABS:
        charts.show_tab(name)
        app.processEvents()
        charts.export_chart(tmp / f"{name}.png")
        charts.export_chart(tmp / f"{name}.svg")
    used.append("charts")

try:
    from faceledger.data.export import ExportOptions
except ImportError:
    pass
else:
    window.show_page("vendors")
    for _ in range(200):  # the export actions come once the window has started
        if window.export_controller is not None:
            break
        QTest.qWait(25)
    for scope, dest in (("view", tmp / "view.csv"), ("table", tmp / "table.csv"), ("all", tmp / "all")):
        window.export_controller.export_scope(scope, dest, ExportOptions())
        settle()
    settle()
    used.append("export")

settle()
window.close()
settle()
print("USED " + ",".join(used))
print("OPENED %d" % len(opened))
print("ERRORS " + repr(errors))
print("PYQTGRAPH %s" % ("pyqtgraph" in sys.modules))
"""

CLI_COMMANDS = r"""
import io, tempfile
from pathlib import Path
from faceledger.cli import main
tmp = Path(tempfile.mkdtemp())
codes = []
for args in (
    ["stats"],
    ["search", "clearview"],
    ["search", "police", "--format", "json"],
    ["search", "nec", "--format", "csv", "--type", "vendors"],
    ["export", "vendors", "-o", str(tmp / "v.csv")],
    ["export", "--all", "-o", str(tmp / "all")],
    ["doctor"],
    ["datasette-metadata", "-o", str(tmp / "metadata.json")],
):
    codes.append(main(args, stdout=io.StringIO()))
print("CODES " + repr(codes))
"""


def _run(script: str, tmp_path: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "FACELEDGER_NO_ERROR_DIALOG"}
    env.update(
        PYTHONPATH=str(APP),
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    full = script + REPORT % (FORBIDDEN,)
    result = subprocess.run(
        [sys.executable, "-c", full], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _modules(stdout: str) -> list[str]:
    line = next(x for x in stdout.splitlines() if x.startswith("MODULES "))
    found: list[str] = json.loads(line.removeprefix("MODULES "))
    return found


def test_window_used_everywhere_imports_no_network_module(tmp_path: Path) -> None:
    out = _run(USE_EVERYTHING, tmp_path)
    used = next(x for x in out.splitlines() if x.startswith("USED ")).removeprefix("USED ").split(",")
    assert set(PAGES) <= set(used)
    assert "global-search" in used
    if (APP / "faceledger" / "ui" / "charts_page.py").exists():
        assert "charts" in used and "PYQTGRAPH True" in out  # the charts were really drawn
    if (APP / "faceledger" / "ui" / "export_dialog.py").exists():
        assert "export" in used
    assert "ERRORS []" in out, out
    assert "OPENED 0" not in out  # a source link was clicked (and went to the recorder)
    assert _modules(out) == []


def test_cli_commands_import_no_network_module(tmp_path: Path) -> None:
    out = _run(CLI_COMMANDS, tmp_path)
    assert "CODES [0, 0, 0, 0, 0, 0, 0, 0]" in out, out
    assert _modules(out) == []


def test_the_check_would_see_a_network_import(tmp_path: Path) -> None:
    """The report is not vacuous: importing one of the modules is seen."""
    out = _run("import http.client\n", tmp_path)
    assert {"http", "http.client", "ssl"} <= set(_modules(out))


def test_sockets_are_disabled_in_tests() -> None:
    with pytest.raises(Exception, match="(?i)socket"):
        socket.create_connection(("127.0.0.1", 9), timeout=0.5)
