"""Command line: `faceledger` starts the app; subcommands work on the same data layer.

faceledger [--db PATH]                       start the GUI
faceledger doctor [--db PATH]                check an install
faceledger stats [--db PATH]                 counts per entity, status and dataset
faceledger search QUERY [--type T] [--limit N] [--format table|csv|json] [--db PATH]
faceledger chart counts|deployments|studies|events [...]   a chart's numbers, or the chart drawn
faceledger brief vendors|customers ID -o FILE.pdf [--page-size a4|letter]   a meeting brief as PDF
faceledger install-desktop-entry [--uninstall]   add the app to a Linux desktop's menu
faceledger datasette-metadata [-o FILE]      Datasette metadata: licences, sources, columns, search
faceledger serve [--port N] [--host H]       the database read-only in a browser (Datasette, an extra)
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import textwrap
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from faceledger import startup
from faceledger.cli_errors import (
    EXIT_CODES_HELP,
    EXIT_DATABASE,
    EXIT_UNEXPECTED,
    CliError,
    discard_output,
    finish_output,
    interrupted_exit,
    interrupts_reported,
    output_error,
    prepared_output,
)
from faceledger.cli_errors import report as report_failure
from faceledger.startup import plain_gui_start

if TYPE_CHECKING:
    from faceledger.data.database import CheckReport, Database

log = logging.getLogger(__name__)


def _db_path(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError("the database file name is empty (give --db PATH, or leave --db out)")
    return Path(text)


def _add_db(p: argparse.ArgumentParser, top: bool = False) -> None:
    p.add_argument(
        "--db",
        type=_db_path,
        metavar="PATH",
        default=None if top else argparse.SUPPRESS,
        help="open another FaceLedger database (default: the bundled one)",
    )


# Each command's --help ends with a few examples.
COMMANDS = {
    "gui": "start the app (the default)",
    "doctor": "check the install and the database",
    "stats": "counts per entity, verification status and dataset",
}
EXAMPLES = {
    "faceledger": """examples:
  faceledger                         start the app
  faceledger search clearview        search every record type
  faceledger export vendors -o vendors.csv""",
    "gui": """examples:
  faceledger gui
  faceledger gui --db faceledger-copy.db""",
    "doctor": """examples:
  faceledger doctor
  faceledger doctor --db faceledger-copy.db""",
    "stats": """examples:
  faceledger stats
  faceledger stats --db faceledger-copy.db""",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2
        raise CliError(message)


def build_parser() -> argparse.ArgumentParser:
    from faceledger.search_cli import add_search_parser  # noqa: PLC0415 (not on the GUI's start path)

    parser = _Parser(
        prog="faceledger",
        description="Offline reference on face recognition sold to law enforcement.",
        epilog=EXAMPLES["faceledger"] + "\n\n" + textwrap.fill(EXIT_CODES_HELP, width=78),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_db(parser, top=True)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    for name, text in COMMANDS.items():
        p = sub.add_parser(
            name,
            help=text,
            description=text[0].upper() + text[1:] + ".",
            epilog=EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _add_db(p)
    add_search_parser(sub, _add_db)
    try:
        from faceledger.export_cli import add_export_parser  # noqa: PLC0415

        add_export_parser(sub, _add_db)
    except ImportError:
        pass
    from faceledger.chart_cli import add_chart_parser  # noqa: PLC0415

    add_chart_parser(sub, _add_db)

    from faceledger.desktop_entry_cli import add_desktop_entry_parser  # noqa: PLC0415

    add_desktop_entry_parser(sub, _add_db)
    from faceledger.serve_cli import add_serve_parsers  # noqa: PLC0415

    add_serve_parsers(sub, _add_db)
    from faceledger.brief_cli import add_brief_parser  # noqa: PLC0415

    add_brief_parser(sub, _add_db)
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    """Run a command; every failure is one line on standard error and an exit code per kind
    (`cli_errors.EXIT_CODES_HELP`, shown by --help)."""
    try:
        arguments = list(argv) if argv is not None else sys.argv[1:]
        gui, db = plain_gui_start(arguments)
        if gui:
            return start_gui(db)
        args = build_parser().parse_args(arguments)
        command = args.command or "gui"
        if command == "gui":
            return start_gui(args.db)
        with interrupts_reported():
            out = prepared_output(stdout if stdout is not None else sys.stdout)
            try:
                code = _run(command, args, out)
            except BrokenPipeError:
                raise
            except OSError as exc:  # the data layer turns its own into FaceLedgerErrors: the output
                discard_output(out)
                raise output_error(exc) from exc
            finish_output(out)
            return code
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error
        discard_output(sys.stdout)
        return 0
    except KeyboardInterrupt:
        return interrupted_exit(sys.stderr)
    except Exception as exc:  # one line, whatever it is (unexpected ones are logged in full)
        return report_failure(exc, sys.stderr)


def _run(command: str, args: argparse.Namespace, out: TextIO) -> int:
    if command == "doctor":
        return doctor(args.db, out)
    if command == "stats":
        return stats(args.db, out)
    if command == "search":
        from faceledger.search_cli import run_search  # noqa: PLC0415

        return run_search(args, out)
    if command == "export":
        from faceledger.export_cli import run_export  # noqa: PLC0415

        return int(run_export(args, out))
    if command == "chart":
        from faceledger.chart_cli import run_chart  # noqa: PLC0415

        return run_chart(args, out)
    if command == "brief":
        from faceledger.brief_cli import run_brief  # noqa: PLC0415

        return run_brief(args, out)
    if command == "install-desktop-entry":
        from faceledger.desktop_entry_cli import run_desktop_entry  # noqa: PLC0415

        return run_desktop_entry(args, out)
    if command in ("serve", "datasette-metadata"):
        from faceledger import serve_cli  # noqa: PLC0415

        run = serve_cli.run_serve if command == "serve" else serve_cli.run_datasette_metadata
        return run(args, out)
    raise CliError(f"unknown command {command}")


def start_gui(db_path: Path | None) -> int:
    """The window, started as docs/startup.md tells: the database opened (and its file hashed on
    a thread) before PySide6 is imported, the garbage collector paused until the window has
    started."""
    opened = startup.open_before_qt(db_path)
    try:
        from faceledger.main import run_gui  # noqa: PLC0415 (Qt loads here, after the database is open)
    except BaseException:
        startup.resume_collector()
        raise
    return run_gui(db_path, opened=opened)


def doctor(db_path: Path | None, out: TextIO) -> int:
    """Open read-only, quick_check, checksums, counts, build the window offscreen.

    Opens without the manifest check that `Database.open` does by default, so that a tampered
    file is still examined and the changed tables can be named."""
    from faceledger.data.database import Database  # noqa: PLC0415

    db = Database.open(db_path, verify=False)
    try:
        report = db.check()
        print(f"database: {report.path}", file=out)
        print(f"quick_check: {report.quick_check}", file=out)
        print(f"file checksum: {'ok' if report.file_checksum_ok else 'MISMATCH'}", file=out)
        if report.changed_tables:
            print(f"tables changed since the build: {', '.join(report.changed_tables)}", file=out)
        else:
            print("table checksums: ok", file=out)
        for table, n in report.row_counts.items():
            print(f"  {table:24} {n:>9,}" if n >= 0 else f"  {table:24}  unreadable", file=out)
        if not report.ok:
            out.flush()
            print(f"faceledger doctor: {report.path}: {_doctor_reason(report)}", file=sys.stderr)
            return EXIT_DATABASE
        window_ok = _check_window(db)
        print(f"main window: {window_ok}", file=out)
        if window_ok != "ok":
            out.flush()
            print(f"faceledger doctor: main window could not be built: {window_ok}", file=sys.stderr)
            return EXIT_UNEXPECTED
        print("all checks passed", file=out)
        return 0
    finally:
        db.close()


def _doctor_reason(report: CheckReport) -> str:
    """The one line doctor prints to standard error when a check fails."""
    tables = [t for t in report.changed_tables if not t.startswith("(")]
    changed = f"tables changed: {', '.join(tables)}" if tables else ""
    if "(manifest missing)" in report.changed_tables:
        return "the database has no readable checksum manifest, so tampering cannot be ruled out"
    if report.quick_check != "ok":
        return "database damaged (SQLite's quick check failed" + (f"; {changed})" if changed else ")")
    if not report.file_checksum_ok and tables:
        return f"database tampered with or damaged: it does not match its checksum manifest; {changed}"
    if tables:
        return (
            f"database tampered with: the file matches its manifest but the table checksums do not; {changed}"
        )
    return (
        "database tampered with or damaged: the file does not match its checksum manifest "
        "(no table's rows changed: the search index or unused space differs)"
    )


def _check_window(db: Database) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        import tempfile  # noqa: PLC0415

        from PySide6.QtCore import (  # noqa: PLC0415
            QCoreApplication,
            QEvent,
            QEventLoop,
            qInstallMessageHandler,
        )

        from faceledger.jobs import wait_all  # noqa: PLC0415
        from faceledger.main import build_window, make_application  # noqa: PLC0415
        from faceledger.ui.settings import Settings  # noqa: PLC0415

        # Qt's own messages about the offscreen window ("This plugin does not support
        # propagateSizeHints()") go to the log, not into doctor's report.
        previous = qInstallMessageHandler(lambda _mode, _where, text: log.info("Qt: %s", text))
        app = make_application()
        with _restored(previous), tempfile.TemporaryDirectory() as tmp:
            window = build_window(db, Settings(Path(tmp) / "settings.ini"))
            started: list[bool] = []
            window.started.connect(lambda: started.append(True))
            window.show()  # built as in a start: its pages, actions and Charts after the first paint
            deadline = time.monotonic() + 30
            while not started and time.monotonic() < deadline:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            if not started:
                raise RuntimeError("the window did not finish starting within 30 seconds")
            window.close()
            app.processEvents()  # work the window scheduled (a page's counts) starts here
            wait_all()  # and ends before the window is deleted
            window.deleteLater()
            QCoreApplication.sendPostedEvents(None, int(QEvent.Type.DeferredDelete))
        return "ok"
    except Exception as exc:  # reported as one line
        log.exception("window check failed")
        return f"{type(exc).__name__}: {exc}"


@contextlib.contextmanager
def _restored(handler: Any) -> Iterator[None]:
    """Put Qt's previous message handler back on the way out."""
    from PySide6.QtCore import qInstallMessageHandler  # noqa: PLC0415

    try:
        yield
    finally:
        qInstallMessageHandler(handler)


def stats(db_path: Path | None, out: TextIO) -> int:
    from faceledger.data.database import Database  # noqa: PLC0415

    db = Database.open(db_path)
    try:
        from faceledger.data.stats import database_stats  # noqa: PLC0415

        s = database_stats(db)
        print("records per entity:", file=out)
        for table, n in s.per_table.items():
            print(f"  {table:24} {n:>9,}", file=out)
        print("verification status:", file=out)
        for table, statuses in s.per_status.items():
            parts = ", ".join(f"{k} {v:,}" for k, v in statuses.items())
            print(f"  {table:24} {parts}", file=out)
        print("imported datasets:", file=out)
        for name, rows in s.per_dataset.items():
            parts = ", ".join(f"{k} {v:,}" for k, v in rows.items())
            print(f"  {name}: {parts}", file=out)
        return 0
    finally:
        db.close()


if __name__ == "__main__":
    sys.exit(main())
