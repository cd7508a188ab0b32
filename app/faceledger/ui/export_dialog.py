"""CSV export from the window: File menu actions, the options dialog, progress, cancel and outcome.

The writing is `faceledger.data.export` (Qt-free), run off the GUI thread by `faceledger.jobs`
on the worker's own database connection. `ExportController.export_scope` is the non-modal entry
point (tests call it); the menu actions open `ExportDialog` first. The main window puts the
controller's actions in its File menu.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from faceledger.data.errors import FaceLedgerError
from faceledger.data.export import (
    ALL_TABLES,
    DELIMITERS,
    PROFILES,
    ExportOptions,
    ExportResult,
    export_all,
    export_query,
)
from faceledger.data.repositories import Query, Repositories
from faceledger.data.text import plural
from faceledger.jobs import JobHandle, run_job

if TYPE_CHECKING:
    from faceledger.ui.entity_page import EntityPage
    from faceledger.ui.settings import Settings

log = logging.getLogger(__name__)

SCOPES = ("view", "table", "all")
DELIMITER_LABELS = {",": "Comma (,)", ";": "Semicolon (;) — Excel in many European languages", "\t": "Tab"}


@dataclass(frozen=True)
class ExportPlan:
    """What one export writes, fixed when it starts (later changes to the view do not affect it)."""

    scope: str
    entity: str
    title: str
    query: Query
    keys: tuple[str, ...]
    headers: tuple[str, ...]

    def describe(self, rows: int | None) -> str:
        n = plural(rows, "row") if rows is not None else "rows"
        if self.scope == "all":
            return (
                f"Every table ({len(ALL_TABLES)} CSV files) and README.txt with the data version, "
                "licences and attributions, into a new folder."
            )
        licences = (
            " Rows from a dataset whose licence asks for attribution (CC BY-SA) carry it in a last column, "
            "dataset_licence."
        )
        if self.scope == "table":
            return (
                f"{self.title}: all {n} and all {plural(len(self.keys), 'column')}, under their database names."
                + licences
            )
        return (
            f"{self.title}: the {n} of the current view (its search, filters and sort order), "
            f"{len(self.keys)} visible columns in their current order: {', '.join(self.headers)}." + licences
        )


def view_columns(page: EntityPage) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The page's visible columns in their on-screen order: (field keys, header names)."""
    header = page.table.horizontalHeader()
    model = page.model
    keys: list[str] = []
    headers: list[str] = []
    for visual in range(header.count()):
        logical = header.logicalIndex(visual)
        if logical < 0 or header.isSectionHidden(logical):
            continue
        keys.append(model.fields[logical].key)
        headers.append(str(model.headerData(logical, Qt.Orientation.Horizontal)))
    return tuple(keys), tuple(headers)


def plan_for(current_page: Callable[[], EntityPage], scope: str) -> ExportPlan:
    """What `scope` means in the window right now (`current_page`: the page a record action is for)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown export scope {scope!r}")
    if scope == "all":
        return ExportPlan("all", "", "Everything", Query(), (), ())
    page = current_page()
    repo = page.repository
    if scope == "table":
        cols = repo.columns
        return ExportPlan("table", page.entity, page.spec.title, Query(), cols, cols)
    keys, headers = view_columns(page)
    return ExportPlan("view", page.entity, page.spec.title, page.model.query, keys, headers)


def default_name(plan: ExportPlan, delimiter: str = ",", today: date | None = None) -> str:
    """faceledger-vendors-2026-11-26.csv (.tsv for tabs); faceledger-export-2026-11-26 for all."""
    day = (today or date.today()).isoformat()
    if plan.scope == "all":
        return f"faceledger-export-{day}"
    ext = "tsv" if delimiter == "\t" else "csv"
    return f"faceledger-{plan.entity.replace('_', '-')}-{day}.{ext}"


def unique_path(path: Path) -> Path:
    """`path`, or `path (2)`, `path (3)`… when it exists (for new export folders)."""
    if not path.exists():
        return path
    n = 2
    while path.with_name(f"{path.name} ({n})").exists():
        n += 1
    return path.with_name(f"{path.name} ({n})")


class ExportDialog(QDialog):
    """Where to write and how: profile, delimiter, formula guard."""

    def __init__(
        self, plan: ExportPlan, dest: Path, options: ExportOptions, rows: int | None, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setObjectName("exportDialog")
        self.setWindowTitle(
            "Export everything" if plan.scope == "all" else f"Export {plan.title.lower()} as CSV"
        )
        self.summary = QLabel(plan.describe(rows), self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)

        self.path = QLineEdit(str(dest), self)
        self.path.setObjectName("exportPath")
        self.browse = QPushButton("Browse…", self)
        self.profile = QComboBox(self)
        self.profile.setObjectName("exportProfile")
        for key, label in PROFILES.items():
            self.profile.addItem(label, key)
        self.profile.setToolTip(
            "Excel adds a byte-order mark so that Excel reads accents and other scripts correctly."
        )
        self.delimiter = QComboBox(self)
        self.delimiter.setObjectName("exportDelimiter")
        for key in DELIMITERS:
            self.delimiter.addItem(DELIMITER_LABELS[key], key)
        self.guard = QCheckBox("Protect against spreadsheet formulas (recommended)", self)
        self.guard.setObjectName("exportFormulaGuard")
        self.guard.setToolTip(
            "Text cells starting with = + - @, a tab or a carriage return get a leading ' so that a "
            "spreadsheet shows them instead of running them. Numbers are never changed."
        )
        self.sources = QCheckBox("Add each row's record ID and source URLs", self)
        self.sources.setObjectName("exportWithSources")
        self.sources.setToolTip(
            "Two columns after the others: record_id, and source_urls with the URLs of the sources "
            "behind the row, separated by ' | '."
        )
        self.sources.setVisible(plan.scope != "all")  # the export of everything has citations.csv
        self.set_options(options)

        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow("Folder to create" if plan.scope == "all" else "File", row)
        form.addRow("Format", self.profile)
        form.addRow("Delimiter", self.delimiter)
        form.addRow("", self.guard)
        if plan.scope != "all":
            form.addRow("", self.sources)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Export")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(620, self.sizeHint().height())

        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        self.browse.clicked.connect(self._on_browse_clicked)
        self.delimiter.currentIndexChanged.connect(self._on_delimiter_changed)

    # -- public -------------------------------------------------------------------------------
    def options(self) -> ExportOptions:
        return ExportOptions(
            str(self.profile.currentData()),
            str(self.delimiter.currentData()),
            self.guard.isChecked(),
            self.sources.isChecked() and self.plan.scope != "all",
        )

    def set_options(self, options: ExportOptions) -> None:
        self.profile.setCurrentIndex(max(0, self.profile.findData(options.profile)))
        self.delimiter.setCurrentIndex(max(0, self.delimiter.findData(options.delimiter)))
        self.guard.setChecked(options.formula_guard)
        self.sources.setChecked(options.with_sources)

    def destination(self) -> Path:
        return Path(self.path.text().strip()).expanduser()

    # -- slots --------------------------------------------------------------------------------
    def _on_browse_clicked(self) -> None:
        current = self.destination()
        if self.plan.scope == "all":
            folder = QFileDialog.getExistingDirectory(
                self, "Create the export folder in", str(current.parent)
            )
            if folder:
                self.path.setText(str(unique_path(Path(folder) / current.name)))
            return
        ext = current.suffix.lstrip(".") or "csv"
        name, _ = QFileDialog.getSaveFileName(
            self, "Export as CSV", str(current), f"CSV files (*.{ext});;All files (*)"
        )
        if name:
            self.path.setText(name)

    def _on_delimiter_changed(self, _index: int) -> None:
        p = self.destination()
        if self.plan.scope != "all" and p.suffix.lower() in (".csv", ".tsv"):
            self.path.setText(str(p.with_suffix(".tsv" if self.delimiter.currentData() == "\t" else ".csv")))

    def _on_accepted(self) -> None:
        dest = self.destination()
        if not self.path.text().strip():
            QMessageBox.warning(self, "Export", "Give a file name for the export.")
            return
        if self.plan.scope != "all" and dest.is_file():
            answer = QMessageBox.question(
                self,
                "Replace the file?",
                f"{dest} already exists. Replace it? (It is replaced only when the export is complete.)",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.accept()


class ExportController(QObject):
    """The export actions (`actions`, for the window's File menu) and running exports. Emits the
    outcome on the GUI thread; progress, messages and dialogs belong to `window`."""

    finished = Signal(object)  # ExportResult
    failed = Signal(str)  # the message shown
    cancelled = Signal()

    def __init__(
        self,
        window: QMainWindow,
        repos: Repositories,
        settings: Settings,
        current_page: Callable[[], EntityPage],
    ) -> None:
        super().__init__(window)
        self.setObjectName("exportController")
        self.window = window
        self.repos = repos
        self.settings = settings
        self.current_page = current_page
        self.jobs: dict[JobHandle, QProgressDialog] = {}
        self._started: dict[JobHandle, float] = {}
        self.actions: list[QAction] = []
        self._make_actions()
        window.installEventFilter(self)

    # -- actions ------------------------------------------------------------------------------
    def _make_actions(self) -> None:
        specs: list[tuple[str, str, str | None]] = [
            ("view", "Export current &view as CSV…", "Ctrl+E"),
            ("table", "Export whole &table as CSV…", None),
            ("all", "Export &everything…", None),
        ]
        for scope, text, shortcut in specs:
            act = QAction(text, self.window)
            act.setObjectName(f"exportAction_{scope}")
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(lambda _=False, s=scope: self.ask_and_export(s))
            self.actions.append(act)

    def ask_and_export(self, scope: str) -> JobHandle | None:
        """The menu flow: the options dialog (modal), then the export in the background."""
        plan = plan_for(self.current_page, scope)
        if plan.scope == "view" and not plan.keys:
            self.window.statusBar().showMessage("Every column is hidden: there is nothing to export.", 6000)
            return None
        options = self._saved_options()
        folder = self._saved_folder()
        name = default_name(plan, options.delimiter)
        dest = unique_path(folder / name) if plan.scope == "all" else folder / name
        rows = None
        if plan.scope == "view":
            rows = self.current_page().model.matching
        elif plan.scope == "table":
            rows = self.current_page().repository.total()
        dialog = ExportDialog(plan, dest, options, rows, self.window)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        options, dest = dialog.options(), dialog.destination()
        dialog.deleteLater()
        if not accepted:
            return None
        self._save(options, dest, plan.scope)
        return self.start(plan, dest, options)

    # -- running ------------------------------------------------------------------------------
    def export_scope(self, scope: str, dest: Path, options: ExportOptions) -> JobHandle:
        """Export `scope` ("view", "table" or "all") of the window to `dest` without any dialog.

        Returns the running job's handle; the outcome arrives on the finished, failed or cancelled
        signal (and in the status bar or a message box)."""
        return self.start(plan_for(self.current_page, scope), Path(dest), options)

    def start(self, plan: ExportPlan, dest: Path, options: ExportOptions) -> JobHandle:
        repos = self.repos
        db = repos.db
        if plan.scope == "all":
            meta = db.meta()  # read here: the worker only uses its own connection

            def job(_h: JobHandle) -> Any:
                conn = db.connect_reader()
                try:
                    return (yield from export_all(repos.on(conn), dest, options, meta))
                finally:
                    conn.close()

            what = "everything"
        else:
            repo = repos.for_entity(plan.entity)

            def job(_h: JobHandle) -> Any:
                conn = db.connect_reader()
                try:
                    return (
                        yield from export_query(
                            repo.bound(conn), plan.query, plan.keys, plan.headers, dest, options
                        )
                    )
                finally:
                    conn.close()

            what = (
                plan.title.lower() if plan.scope == "table" else f"the current view of {plan.title.lower()}"
            )

        progress = QProgressDialog(f"Exporting {what} to\n{dest}", "Cancel", 0, 0, self.window)
        progress.setObjectName("exportProgress")
        progress.setWindowTitle("Export")
        progress.setWindowModality(Qt.WindowModality.NonModal)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setMinimumDuration(300)
        handle = run_job(job, self)
        self.jobs[handle] = progress
        self._started[handle] = time.time()
        progress.canceled.connect(lambda h=handle: self._on_cancel_clicked(h))
        signals = handle.signals
        signals.progress.connect(lambda done, total, h=handle: self._on_progress(h, done, total))
        signals.finished.connect(lambda result, h=handle: self._on_finished(h, result))
        signals.failed.connect(lambda exc, tb, h=handle, d=dest: self._on_failed(h, d, exc, tb))
        signals.cancelled.connect(lambda h=handle, d=dest: self._on_cancelled(h, d))
        self._update_actions()
        return handle

    def cancel_all(self, wait_seconds: float = 30.0) -> None:
        for handle in list(self.jobs):
            handle.cancel()
        for handle in list(self.jobs):
            handle.done.wait(wait_seconds)

    # -- events and slots ---------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close and self.jobs:
            self.cancel_all()  # closing the window stops exports (their temporary files are removed)
        return False

    def _on_cancel_clicked(self, handle: JobHandle) -> None:
        handle.cancel()
        progress = self.jobs.get(handle)
        if progress is not None:
            progress.setLabelText("Cancelling…")

    def _on_progress(self, handle: JobHandle, done: int, total: int) -> None:
        progress = self.jobs.get(handle)
        if progress is None or handle.is_cancelled:
            return
        if total > 0 and progress.maximum() != total:
            progress.setMaximum(total)
        progress.setValue(min(done, total) if total > 0 else 0)

    def _on_finished(self, handle: JobHandle, result: ExportResult) -> None:
        self._end(handle)
        if result.files:
            text = (
                f"Exported {plural(result.rows, 'row')} in {plural(len(result.files), 'file')} and README.txt "
                f"to {result.path}"
            )
        else:
            text = f"Exported {plural(result.rows, 'row')} to {result.path}"
        self.window.statusBar().showMessage(text, 15000)
        self.finished.emit(result)

    def _on_failed(self, handle: JobHandle, dest: Path, exc: object, tb: str) -> None:
        self._end(handle)
        if isinstance(exc, FaceLedgerError):
            text = str(exc)
        else:  # not expected: say what happened, keep the details in the log
            log.error("export to %s failed:\n%s", dest, tb)
            text = f"Could not export to {dest}: {exc}. Nothing was written."
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Export failed", text, QMessageBox.StandardButton.Ok, self.window
        )
        box.setObjectName("exportError")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.window.statusBar().showMessage("Export failed; nothing was written.", 15000)
        self.failed.emit(text)

    def _on_cancelled(self, handle: JobHandle, dest: Path) -> None:
        started = self._started.get(handle, 0.0)
        self._end(handle)
        if _written_since(dest, started):  # Cancel came while the finished file was moved into place
            text = f"The export was already complete when it was cancelled: {dest}"
        else:
            text = f"Export cancelled; nothing was written to {dest}."
        self.window.statusBar().showMessage(text, 15000)
        self.cancelled.emit()

    # -- internals ----------------------------------------------------------------------------
    def _end(self, handle: JobHandle) -> None:
        self._started.pop(handle, None)
        progress = self.jobs.pop(handle, None)
        if progress is not None:
            progress.canceled.disconnect()
            progress.reset()
            progress.hide()
            progress.deleteLater()
        handle.deleteLater()
        self._update_actions()

    def _update_actions(self) -> None:
        for act in self.actions:
            act.setEnabled(not self.jobs)

    def _saved_options(self) -> ExportOptions:
        s = self.settings
        profile = str(s.value("export/profile", "standard"))
        delimiter = str(s.value("export/delimiter", ","))
        guard = str(s.value("export/formula_guard", "true")).lower() not in ("false", "0")
        sources = str(s.value("export/with_sources", "true")).lower() not in ("false", "0")
        try:
            return ExportOptions(profile, delimiter, guard, sources)
        except FaceLedgerError:
            return ExportOptions(with_sources=True)

    def _saved_folder(self) -> Path:
        saved = self.settings.value("export/folder")
        if isinstance(saved, str) and saved and Path(saved).is_dir():
            return Path(saved)
        docs = Path.home() / "Documents"
        return docs if docs.is_dir() else Path.home()

    def _save(self, options: ExportOptions, dest: Path, scope: str) -> None:
        s = self.settings
        s.set_value("export/profile", options.profile)
        s.set_value("export/delimiter", options.delimiter)
        s.set_value("export/formula_guard", "true" if options.formula_guard else "false")
        if scope != "all":  # the export of everything has no such choice
            s.set_value("export/with_sources", "true" if options.with_sources else "false")
        s.set_value("export/folder", str(dest.parent))


def _written_since(dest: Path, started: float) -> bool:
    try:
        return dest.stat().st_mtime >= started - 1.0
    except OSError:
        return False
