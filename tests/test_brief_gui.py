"""The "Brief…" action (Ctrl+P) and the detail pane's Brief… link, through the whole window.

The question "print or save, and where" is the one step that needs a person (`ask_how`): the
tests answer it with a file name and check the PDF the action wrote.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl

from faceledger.ui import brief_dialog
from faceledger.ui.brief_dialog import default_page_size, save_brief_to, suggested_file_name
from faceledger.ui.main_window import MainWindow


def _text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _answer(monkeypatch: pytest.MonkeyPatch, how: str, path: Path | None) -> list[str]:
    asked: list[str] = []

    def ask(parent: object, name: str) -> tuple[str, str]:
        asked.append(name)
        return how, str(path or "")

    monkeypatch.setattr(brief_dialog, "ask_how", ask)
    return asked


def test_ctrl_p_saves_the_brief_of_the_shown_vendor(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "clearview.pdf"
    asked = _answer(monkeypatch, "save", path)
    assert window.navigate("vendors", "clearview-ai")
    assert window.act_brief.shortcut().toString() == "Ctrl+P"
    assert window.act_brief in window.file_menu.actions()
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["Clearview AI"]
    text = _text(path)
    assert "Clearview AI" in text and "Law-enforcement stance" in text
    assert window.statusBar().currentMessage().startswith(f"Brief saved to {path}")


def test_detail_pane_link_saves_the_brief_of_a_customer(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "detroit.pdf"
    _answer(monkeypatch, "save", path)
    assert window.navigate("customers", "detroit-police-department")
    pane = window.current_page().detail
    assert "faceledger-brief:customers/detroit-police-department" in pane.toHtml()
    pane.anchorClicked.emit(QUrl("faceledger-brief:customers/detroit-police-department"))
    assert "Robert Williams" in _text(path)


def test_brief_needs_a_vendor_or_a_customer(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _answer(monkeypatch, "save", None)
    assert window.navigate("studies", "gao-21-518")
    assert window.open_brief() == ""
    assert asked == []
    assert "Select a vendor or a customer" in window.statusBar().currentMessage()
    assert "faceledger-brief:" not in window.current_page().detail.toHtml()


def test_cancel_writes_nothing(window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _answer(monkeypatch, "", None)
    assert window.navigate("vendors", "nec")
    assert window.open_brief() == ""
    assert list(tmp_path.iterdir()) == []


def test_save_path_without_dialog(qapp: object, window: MainWindow, tmp_path: Path) -> None:
    laid = save_brief_to(window.repos, "vendors", "nec", tmp_path / "nec.pdf", "letter")
    assert laid.pages <= 2 and (tmp_path / "nec.pdf").stat().st_size > 1000
    assert suggested_file_name('A/B: "C"') == "A B C brief.pdf"
    assert default_page_size() in ("a4", "letter")


def test_print_path_draws_on_a_printer(qapp: object, window: MainWindow, tmp_path: Path) -> None:
    """The print dialog's printer, set to write a PDF file: the same brief on the printer's page."""
    from PySide6.QtPrintSupport import QPrinter

    from faceledger.ui.brief_pdf import page_layout, print_brief

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setPageLayout(page_layout("letter"))
    laid = print_brief(window.repos, "vendors", "clearview-ai", printer)  # a brief with a chart
    assert laid.pages == 2 and laid.chart is not None
    text = _text(tmp_path / "printed.pdf")
    assert "Clearview AI" in text and "Chart: Reported law-enforcement agencies per vendor" in text


def test_a_brief_that_cannot_be_written_says_why(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    _answer(monkeypatch, "save", tmp_path / "no-such-folder" / "brief.pdf")
    assert window.navigate("vendors", "nec")
    assert window.open_brief() == ""
    assert len(shown) == 1 and shown[0].startswith("The brief could not be made: Could not write")
    assert "does not exist; nothing was written." in shown[0] and ".." not in shown[0]
    assert "Traceback" not in shown[0]
    assert list(tmp_path.iterdir()) == []
