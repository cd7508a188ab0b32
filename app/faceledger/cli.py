"""Command line: `faceledger` starts the app; subcommands work on the same data layer.

faceledger [--db PATH]                       start the GUI
faceledger doctor [--db PATH]                check an install
faceledger stats [--db PATH]                 counts per entity, status and dataset
faceledger search QUERY [--type T] [--limit N] [--format table|csv|json] [--db PATH]
faceledger chart counts|deployments|studies|events [...]   a chart's numbers, or the chart drawn
faceledger brief vendors|customers ID -o FILE.pdf [--page-size a4|letter]   a meeting brief as PDF
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from faceledger.data.errors import FaceLedgerError

if TYPE_CHECKING:
    from faceledger.data.database import CheckReport, Database

log = logging.getLogger(__name__)


class CliError(Exception):
    """A one-line error for standard error and a non-zero exit."""


def _add_db(p: argparse.ArgumentParser, top: bool = False) -> None:
    p.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        default=None if top else argparse.SUPPRESS,
        help="open another FaceLedger database (default: the bundled one)",
    )


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2
        raise CliError(message)


def build_parser() -> argparse.ArgumentParser:
    from faceledger.data.entities import ENTITIES  # noqa: PLC0415 (not on the GUI's start path)

    parser = _Parser(
        prog="faceledger", description="Offline reference on face recognition sold to law enforcement."
    )
    _add_db(parser, top=True)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("gui", help="start the app (the default)")
    _add_db(p)
    p = sub.add_parser("doctor", help="check the install and the database")
    _add_db(p)
    p = sub.add_parser("stats", help="counts per entity, verification status and dataset")
    _add_db(p)
    p = sub.add_parser("search", help="search every record type")
    p.add_argument("query")
    p.add_argument("--type", choices=sorted(ENTITIES), dest="entity")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    _add_db(p)
    try:
        from faceledger.export_cli import add_export_parser  # noqa: PLC0415

        add_export_parser(sub, _add_db)
    except ImportError:
        pass
    from faceledger.chart_cli import add_chart_parser  # noqa: PLC0415

    add_chart_parser(sub, _add_db)
    from faceledger.brief_cli import add_brief_parser  # noqa: PLC0415

    add_brief_parser(sub, _add_db)
    return parser


def plain_gui_start(argv: Sequence[str]) -> tuple[bool, Path | None]:
    """(True, db) when `argv` only starts the GUI (`faceledger`, `faceledger gui`, each with an
    optional `--db PATH`): recognised without building the full parser, whose subcommands import
    the record types and the export writer that the window's first paint does not need. Anything
    else, (False, None): the full parser reads it (and reports any mistake)."""
    db: Path | None = None
    seen_gui = False
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "gui" and not seen_gui:
            seen_gui = True
        elif arg == "--db" and rest and rest[0] and not rest[0].startswith("-"):
            db = Path(rest.pop(0))
        elif arg.startswith("--db=") and len(arg) > len("--db="):
            db = Path(arg[len("--db=") :])
        else:
            return False, None
    return True, db


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    try:
        arguments = list(argv) if argv is not None else sys.argv[1:]
        gui, db = plain_gui_start(arguments)
        if gui:
            return start_gui(db)
        args = build_parser().parse_args(arguments)
        command = args.command or "gui"
        if command == "gui":
            return start_gui(args.db)
        if command == "doctor":
            return doctor(args.db, out)
        if command == "stats":
            return stats(args.db, out)
        if command == "search":
            return search(args, out)
        if command == "export":
            from faceledger.export_cli import run_export  # noqa: PLC0415

            return int(run_export(args, out))
        if command == "chart":
            from faceledger.chart_cli import run_chart  # noqa: PLC0415

            return run_chart(args, out)
        if command == "brief":
            from faceledger.brief_cli import run_brief  # noqa: PLC0415

            return run_brief(args, out)
        raise CliError(f"unknown command {command}")
    except CliError as exc:
        print(f"faceledger: {exc}", file=sys.stderr)
        return 2
    except FaceLedgerError as exc:
        print(f"faceledger: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


def start_gui(db_path: Path | None) -> int:
    """The window. The database is opened first, before anything imports PySide6: its file is
    hashed on a thread of its own (the GIL released) while Qt loads on this one, so the check is
    done by the time the window is ready to be shown.

    Python's cyclic garbage collector is paused until the window's first page has painted
    (`run_gui` resumes it): the start creates some hundred thousand objects (modules, Qt's
    types, the window) that all live on, and collecting them over and over as they are made
    costs several milliseconds of the start for nothing."""
    import gc  # noqa: PLC0415

    gc.disable()
    try:
        # The Qt-free data layer the window reads at start, imported before Qt loads.
        from faceledger.data import links, repositories  # noqa: F401, PLC0415
        from faceledger.data.database import Database  # noqa: PLC0415

        opened = Database.open_for_window(db_path)
        from faceledger.main import run_gui  # noqa: PLC0415
    except BaseException:
        gc.enable()
        raise
    return run_gui(db_path, opened=opened, resume_gc=True)


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
            print(f"faceledger doctor: {report.path}: {_doctor_reason(report)}", file=sys.stderr)
            return 1
        window_ok = _check_window(db)
        print(f"main window: {window_ok}", file=out)
        if window_ok != "ok":
            print(f"faceledger doctor: main window could not be built: {window_ok}", file=sys.stderr)
            return 1
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

        from PySide6.QtCore import QCoreApplication, QEvent  # noqa: PLC0415

        from faceledger.jobs import wait_all  # noqa: PLC0415
        from faceledger.main import build_window, make_application  # noqa: PLC0415
        from faceledger.ui.settings import Settings  # noqa: PLC0415

        app = make_application()
        with tempfile.TemporaryDirectory() as tmp:
            window = build_window(db, Settings(Path(tmp) / "settings.ini"))
            window.show()
            app.processEvents()
            window.close()
            app.processEvents()  # work the window scheduled (a page's counts) starts here
            wait_all()  # and ends before the window is deleted
            window.deleteLater()
            QCoreApplication.sendPostedEvents(None, int(QEvent.Type.DeferredDelete))
        return "ok"
    except Exception as exc:  # reported as one line
        log.exception("window check failed")
        return f"{type(exc).__name__}: {exc}"


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


def search(args: argparse.Namespace, out: TextIO) -> int:
    import csv  # noqa: PLC0415
    import json  # noqa: PLC0415

    from faceledger.data.database import Database  # noqa: PLC0415
    from faceledger.data.entities import ENTITIES  # noqa: PLC0415
    from faceledger.data.repositories import Repositories  # noqa: PLC0415

    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    db = Database.open(args.db)
    try:
        repos = Repositories(db)
        if args.entity:
            hits = repos.search.search_type(args.entity, args.query, args.limit)
        else:
            hits = repos.search.search(args.query, per_type=args.limit)[: args.limit * len(ENTITIES)]
        if not hits:
            print("no matches", file=out)
            return 0
        rows = [(ENTITIES[h.entity].singular, h.record_id, h.label, h.context) for h in hits]
        if args.format == "json":
            json.dump(
                [dict(zip(("type", "id", "label", "context"), r, strict=False)) for r in rows],
                out,
                ensure_ascii=False,
                indent=1,
            )
            print(file=out)
        elif args.format == "csv":
            w = csv.writer(out, lineterminator="\n")
            w.writerow(("type", "id", "label", "context"))
            w.writerows(rows)
        else:
            for kind, _rid, label, context in rows:
                print(f"{kind:16} {label[:60]:60}  {context[:70]}", file=out)
        return 0
    finally:
        db.close()


if __name__ == "__main__":
    sys.exit(main())
