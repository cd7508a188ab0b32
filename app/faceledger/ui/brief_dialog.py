"""The "Brief…" action (Ctrl+P): the meeting brief of the vendor or customer in the detail pane,
printed through the system print dialog or saved as a PDF file.

`save_brief_to()` writes the PDF to a given file name without any dialog (the action's save
path, and what the tests drive); `open_brief()` asks how, then prints or saves.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import QLocale, QStandardPaths, Qt
from PySide6.QtGui import QGuiApplication, QPageSize
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from faceledger.data.brief import BRIEF_ENTITIES
from faceledger.data.errors import FaceLedgerError
from faceledger.data.repositories import Repositories
from faceledger.ui.brief_pdf import PAGE_SIZES, LaidOut, page_layout, print_brief, save_brief_pdf

log = logging.getLogger(__name__)

# Where US Letter is the paper in the trays.
LETTER_TERRITORIES = frozenset({QLocale.Country.UnitedStates, QLocale.Country.Canada})


def default_page_size(locale: QLocale | None = None) -> str:
    """'letter' in the United States and Canada, 'a4' elsewhere."""
    territory = (locale or QLocale()).territory()
    return "letter" if territory in LETTER_TERRITORIES else "a4"


def suggested_file_name(name: str) -> str:
    """'Clearview AI brief.pdf': the record's name without characters a file system refuses."""
    clean = " ".join(re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", name).split()).strip(" .") or "FaceLedger"
    return f"{clean[:80]} brief.pdf"


def save_brief_to(
    repos: Repositories, entity: str, record_id: str, path: Path | str, page_size: str | None = None
) -> LaidOut:
    """Write the brief of one vendor or customer to `path` (no dialog); raises FaceLedgerError."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return save_brief_pdf(repos, entity, record_id, Path(path), page_size or default_page_size())
    finally:
        QGuiApplication.restoreOverrideCursor()


def ask_how(parent: QWidget, name: str) -> tuple[str, str]:
    """Ask whether to print the brief of `name` or save it (and where): ("print", ""),
    ("save", file name) or ("", "") when cancelled."""
    box = QMessageBox(parent)
    box.setWindowTitle("Brief")
    box.setText(f"The meeting brief of {name}: one page, two at most.")
    box.setInformativeText("Print it, or save it as a PDF file?")
    print_button = box.addButton("Print…", QMessageBox.ButtonRole.AcceptRole)
    save_button = box.addButton("Save as PDF…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save_button)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is print_button:
        return "print", ""
    if clicked is not save_button:
        return "", ""
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
    if not folder.is_dir():
        folder = Path.home()
    start = str(folder / suggested_file_name(name))
    path, _ = QFileDialog.getSaveFileName(parent, "Save the brief as PDF", start, "PDF files (*.pdf)")
    if not path:
        return "", ""
    return "save", path if path.lower().endswith(".pdf") else path + ".pdf"


def open_brief(parent: QWidget, repos: Repositories, entity: str, record_id: str) -> str:
    """Ask how (`ask_how`), then print or save the brief. Returns what happened in words (for
    the status bar), '' when cancelled or refused (a message box says why)."""
    if entity not in BRIEF_ENTITIES:
        return ""
    name = repos.for_entity(entity).label_of(record_id)
    how, path = ask_how(parent, name)
    try:
        if how == "save":
            laid = save_brief_to(repos, entity, record_id, path)
            return f"Brief saved to {path} ({_pages(laid)})."
        if how == "print":
            return _print(parent, repos, entity, record_id)
    except FaceLedgerError as exc:
        log.warning("brief not made: %s", exc)
        QMessageBox.warning(parent, "Brief", f"The brief could not be made: {str(exc).rstrip('.')}.")
    return ""


def _pages(laid: LaidOut) -> str:
    return f"{laid.pages} page{'s' if laid.pages != 1 else ''}"


def _print(parent: QWidget, repos: Repositories, entity: str, record_id: str) -> str:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # noqa: PLC0415 (on first print only)

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    size = default_page_size()
    printer.setPageLayout(page_layout(size))
    printer.setPageSize(QPageSize(PAGE_SIZES[size]))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print the brief")
    accepted = dialog.exec() == QPrintDialog.DialogCode.Accepted
    dialog.setParent(None)  # gone now, before the printer it points to
    del dialog
    if not accepted:
        return ""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        laid = print_brief(repos, entity, record_id, printer)
    finally:
        QGuiApplication.restoreOverrideCursor()
    return f"Brief sent to the printer ({_pages(laid)})."
