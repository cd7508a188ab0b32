"""Composition root: build the QApplication, open the database, build repositories and the window."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from faceledger import startup
from faceledger.data.database import Database
from faceledger.data.errors import DatabaseProblem, FaceLedgerError
from faceledger.data.repositories import PAGE_SIZE, Query, Repositories
from faceledger.desktop_entry import APP_ID, ICON_SIZES, resources_dir
from faceledger.ui.main_window import PAGE_ORDER, MainWindow
from faceledger.ui.settings import Settings, user_data_dir

if TYPE_CHECKING:
    # Dialogs and workers are imported where first used: not on the way to the first paint.
    from PySide6.QtWidgets import QMessageBox, QPushButton

log = logging.getLogger("faceledger")

# Checks of the whole file still running this long after the window is built (a large `--db`
# file) are waited for behind a small "Checking the database" window.
CHECKING_NOTICE_AFTER_S = 0.3


def setup_logging(folder: Path | None = None) -> Path | None:
    """Log to a rotating file in the user's data folder (call after `make_application`, which
    names that folder); never print. Returns the log file, or None when it cannot be written."""
    import logging.handlers  # noqa: PLC0415 (socket, pickle: not on the start path; see run_gui)

    folder = folder or user_data_dir()
    path = folder / "faceledger.log"
    root = logging.getLogger("faceledger")
    for old in [h for h in root.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]:
        if Path(old.baseFilename) == path.resolve():
            return path
        root.removeHandler(old)  # another folder (tests): log to the new one only
        old.close()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=512_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def set_window_icon(app: QApplication) -> None:
    """The app's icon, from its PNG sizes (16 to 256 pixels; the SVG when they are missing), for the
    window and the task bar (QIcon's Python type, with its 151-member ThemeIcon enum, costs 1.3 ms:
    set after the first paint)."""
    from PySide6.QtGui import QIcon  # noqa: PLC0415

    res = resources_dir()
    # Smallest first: X11 carries the sizes in one window property and Qt stops adding sizes once
    # it would be too large (the 256-pixel one does not fit beside the others).
    pngs = [res / f"faceledger-{n}.png" for n in ICON_SIZES if (res / f"faceledger-{n}.png").exists()]
    icon = QIcon()
    for png in pngs:
        icon.addFile(str(png))
    if not pngs and (res / "faceledger.svg").exists():
        icon.addFile(str(res / "faceledger.svg"))
    if not icon.isNull():
        app.setWindowIcon(icon)


def make_application(argv: list[str] | None = None, *, icon_now: bool = True) -> QApplication:
    """The QApplication with its names and (unless `icon_now` is False, for a start that sets it
    after the first paint) its icon. Its look is set on the widgets it is for (`ui/style.py`)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("FaceLedger")
    app.setOrganizationName("FaceLedger")
    app.setDesktopFileName(APP_ID)  # the menu entry's name: how Wayland task bars find the icon
    if icon_now:
        set_window_icon(app)
    return app


def database_problem_box(problem: DatabaseProblem, parent: QWidget | None = None) -> QMessageBox:
    """The dialog for a database that cannot be used: what is wrong, which file, what to do."""
    from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415

    box = QMessageBox(parent)
    box.setObjectName("databaseProblem")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("FaceLedger cannot use its database")
    box.setText(problem.what + ".")
    box.setInformativeText(f"File: {problem.path}\n\n{problem.advice}")
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    return box


def show_database_problem(problem: DatabaseProblem, parent: QWidget | None = None) -> None:
    """Before any window exists: the only thing on screen, so modal."""
    database_problem_box(problem, parent).exec()


def show_notice(parent: QWidget, title: str, text: str) -> QMessageBox:
    """A non-blocking information box (settings reset and the like)."""
    from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415

    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("notice")
    box.open()
    return box


class ErrorReporter:
    """`sys.excepthook` for the GUI: every exception (from a slot, a paint, a worker's failure) is
    logged with its traceback and shown in a dialog with "Copy details"; the app keeps running.

    Errors the data layer explains (a damaged database, a query stopped by the time limit) are shown
    in their own words, once each. The dialog is opened non-modally (`open()`), so an error raised
    while Qt paints never starts a nested event loop, and tests can inspect `self.box`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent
        self.last_details = ""
        self.box: QMessageBox | None = None
        self.copy_button: QPushButton | None = None
        self._problems_shown: set[str] = set()
        self.before_logging: Callable[[], object] | None = None

    def __call__(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        import traceback  # noqa: PLC0415

        if self.before_logging is not None:  # the log file is set up after the first paint
            self.before_logging()
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        self.last_details = details
        if isinstance(exc, FaceLedgerError):
            log.error("%s\n%s", exc, details)
        else:
            log.error("unexpected error:\n%s", details)
        if os.environ.get("FACELEDGER_NO_ERROR_DIALOG"):
            return
        if self.box is not None and self.box.isVisible():
            return  # one dialog at a time; the rest are in the log
        if isinstance(exc, FaceLedgerError):
            if str(exc) in self._problems_shown:
                return  # a damaged page read again: said once is enough
            self._problems_shown.add(str(exc))
        self.show(exc, details)

    def show(self, exc: BaseException, details: str) -> QMessageBox:
        from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415

        if self.box is not None:
            self.box.deleteLater()
        box = QMessageBox(self.parent)
        box.setObjectName("errorReport")
        if isinstance(exc, DatabaseProblem):
            box.setIcon(QMessageBox.Icon.Critical)
            box.setWindowTitle("FaceLedger cannot read its database")
            box.setText(exc.what + ".")
            box.setInformativeText(f"File: {exc.path}\n\n{exc.advice}")
        else:
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle("Something went wrong")
            box.setText("FaceLedger hit an unexpected problem. Your data is safe; you can keep working.")
            box.setInformativeText(str(exc) or type(exc).__name__)
        box.setDetailedText(details)
        copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
        ok = box.addButton(QMessageBox.StandardButton.Ok)
        box.setDefaultButton(ok)
        box.setEscapeButton(ok)
        box.buttonClicked.connect(lambda button: self._on_button_clicked(button, details))
        self.box, self.copy_button = box, copy
        box.open()
        return box

    def _on_button_clicked(self, button: object, details: str) -> None:
        if button is self.copy_button:
            QGuiApplication.clipboard().setText(details)


def wait_for_checks(db: Database) -> bool:
    """While a large file is still being checked (its checksum, SQLite's quick check): a small
    window says so, with a Quit button. False when the user quit."""
    from PySide6.QtCore import Qt  # noqa: PLC0415
    from PySide6.QtWidgets import QProgressDialog  # noqa: PLC0415

    size = db.path.stat().st_size if db.path.exists() else 0
    box = QProgressDialog(
        f"Checking the database before opening it…\n{db.path.name} ({size / 1e9:.1f} GB)",
        "Quit",
        0,
        0,
    )
    box.setObjectName("checkingDatabase")
    box.setWindowTitle("FaceLedger")
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setMinimumDuration(0)
    box.show()
    app = QApplication.instance()
    try:
        while not db.checks_done(0.03):
            if app is not None:
                app.processEvents()
            if box.wasCanceled():
                return False
        return True
    finally:
        box.close()
        box.deleteLater()


def build_window(db: Database, settings: Settings | None = None) -> MainWindow:
    """The main window over `db`: its navigation and menus now, its pages after its first paint."""
    return MainWindow(Repositories(db), settings or Settings())


def read_first_rows(window: MainWindow) -> None:
    """Read the rows the first page will show, as its table reads them: a database damaged there is
    refused before any window is shown, although the page itself is built after the first paint."""
    repo = window.repos.for_entity(PAGE_ORDER[0])
    repo.rows(Query(), 0, PAGE_SIZE)


def run_gui(
    db_path: Path | None = None,
    *,
    quit_after_ms: int | None = None,
    opened: Database | DatabaseProblem | None = None,
) -> int:
    """Start the app. Returns the process exit code (2 when the database cannot be used).
    `opened`: the database, or the problem met opening it, when the `faceledger` command opened
    it already (`startup.open_before_qt`, which also paused the garbage collector).

    The order of the start is docs/startup.md's: the file checksum runs on a thread while the
    window is built and is checked before the window is shown; the window builds its pages after
    its first paint; the log file and the icon come once it has started."""
    reporter = ErrorReporter()
    reporter.before_logging = _logging_once
    previous_hook, sys.excepthook = sys.excepthook, reporter
    try:
        if opened is None:
            opened = Database.open_for_window(db_path)
        if isinstance(opened, DatabaseProblem):
            make_application()
            return _refuse(opened)
        db = opened
        app = make_application(icon_now=False)  # the icon is set once the window has started
        try:
            settings = Settings()
            window = build_window(db, settings)
            window.welcome = settings.welcome_pending()  # the About the data page, once
            read_first_rows(window)
            if not db.checks_done(CHECKING_NOTICE_AFTER_S) and not wait_for_checks(db):
                db.close()  # the user quit while a large file was being checked
                return 0
            db.wait_checks()
        except DatabaseProblem as problem:  # damage met while the window read its first rows
            problem = db.checks_problem() or problem  # a checksum mismatch says it first
            from faceledger.jobs import wait_all  # noqa: PLC0415 (QThreadPool: after the first paint)

            wait_all()
            db.close()
            return _refuse(problem)
        reporter.parent = window
        startup.collect_on_gui_thread_when(window.started, window)
        window.started.connect(lambda: QTimer.singleShot(0, _logging_once))
        window.started.connect(lambda: QTimer.singleShot(0, lambda: set_window_icon(app)))
        window.show()
        if settings.notice:
            QTimer.singleShot(0, lambda: show_notice(window, "Settings reset", settings.notice))
        if quit_after_ms is not None:
            QTimer.singleShot(quit_after_ms, window.close)
        code = app.exec()
        from faceledger.jobs import wait_all  # noqa: PLC0415

        wait_all()
        db.close()
        return int(code)
    finally:
        sys.excepthook = previous_hook
        startup.resume_collector()


_logging_ready = False


def _logging_once() -> None:
    global _logging_ready  # noqa: PLW0603
    if not _logging_ready:
        _logging_ready = True
        setup_logging()


def _refuse(problem: DatabaseProblem) -> int:
    _logging_once()
    log.error("database problem: %s", problem)
    show_database_problem(problem)
    return 2
