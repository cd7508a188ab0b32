"""Composition root: build the QApplication, open the database, build repositories and the window."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from faceledger.data.database import Database
from faceledger.data.errors import DatabaseProblem
from faceledger.data.repositories import Repositories
from faceledger.ui.main_window import MainWindow
from faceledger.ui.settings import Settings, user_data_dir

log = logging.getLogger("faceledger")


def resources_dir() -> Path:
    """Installed: the faceledger.resources package; from a checkout: the repository's resources/."""
    installed = Path(__file__).resolve().parent / "resources"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "resources"


def setup_logging(folder: Path | None = None) -> Path | None:
    """Log to a rotating file in the user's data folder; never print."""
    folder = folder or user_data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "faceledger.log"
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=512_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("faceledger")
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("FaceLedger")
    app.setOrganizationName("FaceLedger")
    res = resources_dir()
    icon = res / "faceledger.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    style = res / "style.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app


def show_database_problem(problem: DatabaseProblem, parent: QWidget | None = None) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("FaceLedger cannot open its database")
    box.setText(problem.what + ".")
    box.setInformativeText(f"File: {problem.path}\n\n{problem.advice}")
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.exec()


class ErrorReporter:
    """Shows an unexpected exception in a dialog with 'Copy details', logs it, keeps running."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent
        self.last_details = ""
        self._showing = False

    def __call__(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        self.last_details = details
        log.error("unexpected error:\n%s", details)
        if self._showing or os.environ.get("FACELEDGER_NO_ERROR_DIALOG"):
            return
        self._showing = True
        try:
            box = QMessageBox(self.parent)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle("Something went wrong")
            box.setText("FaceLedger hit an unexpected problem. Your data is safe; you can keep working.")
            box.setInformativeText(str(exc) or exc_type.__name__)
            box.setDetailedText(details)
            copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
            box.addButton(QMessageBox.StandardButton.Ok)
            box.exec()
            if box.clickedButton() is copy:
                QGuiApplication.clipboard().setText(details)
        finally:
            self._showing = False


def build_window(db: Database, settings: Settings | None = None) -> MainWindow:
    repos = Repositories(db)
    return MainWindow(repos, settings or Settings())


def run_gui(db_path: Path | None = None, *, quit_after_ms: int | None = None) -> int:
    """Start the app. Returns the process exit code (2 when the database cannot be used)."""
    setup_logging()
    app = make_application()
    try:
        db = Database.open(db_path)
    except DatabaseProblem as problem:
        log.error("database problem: %s", problem)
        if quit_after_ms is None:
            show_database_problem(problem)
        print(f"faceledger: {problem}", file=sys.stderr)
        return 2
    settings = Settings()
    window = build_window(db, settings)
    reporter = ErrorReporter(window)
    sys.excepthook = reporter
    window.show()
    if settings.notice:
        QTimer.singleShot(0, lambda: QMessageBox.information(window, "Settings reset", settings.notice))
    if quit_after_ms is not None:
        QTimer.singleShot(quit_after_ms, window.close)
    code = app.exec()
    db.close()
    return int(code)


def main() -> int:
    from faceledger.cli import main as cli_main  # noqa: PLC0415

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
