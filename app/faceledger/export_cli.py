"""`faceledger export`: CSV files from the command line, through the same writer as the window.

faceledger export TABLE -o FILE [--search Q] [--where FIELD=VALUE ...] [--columns a,b,c]
                  [--with-sources] [--without-licences] [--profile excel] [--delimiter ';'] [--no-formula-guard] [--db PATH]
faceledger export --all -o FOLDER [--profile excel] [--delimiter ';'] [--no-formula-guard]
"""

from __future__ import annotations

import argparse
import io
import logging
import re
import textwrap
from collections.abc import Callable, Generator, Iterable
from pathlib import Path
from typing import Any, TextIO, TypeVar

from faceledger.cli_errors import CliError, discard_output
from faceledger.data.csv_writer import DELIMITERS, shown
from faceledger.data.database import Database
from faceledger.data.entities import ALL_SPECS
from faceledger.data.errors import UnknownName
from faceledger.data.export import (
    ALL_TABLES,
    PROFILES,
    ExportError,
    ExportOptionError,
    ExportOptions,
    ExportResult,
    check_fields,
    export_all,
    export_query,
    export_query_to_stream,
)
from faceledger.data.repositories import Query, Repositories
from faceledger.data.text import plural

log = logging.getLogger(__name__)

R = TypeVar("R")

# Friendly names accepted for a table on the command line (besides each table's own name).
TABLE_ALIASES: dict[str, str] = {
    "counts": "customer_counts",
    "customer-counts": "customer_counts",
    "figures": "study_figures",
    "study-figures": "study_figures",
}


class WhereError(ExportOptionError):
    """A malformed ``--where FIELD=VALUE`` argument (the only error `parse_where` raises)."""


_FIELD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_where(items: Iterable[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Turn ``FIELD=VALUE`` arguments into `Query.filters`.

    The same field given twice means either value (OR); different fields must all match (AND).
    An empty value matches records where the field is empty. Field names are not checked against
    a table here (see `check_fields`). Raises only `WhereError`."""
    filters: dict[str, list[str]] = {}
    for item in items:
        if not isinstance(item, str):
            raise WhereError(f"--where expects FIELD=VALUE text, not {type(item).__name__}")
        name, sep, value = item.partition("=")
        if not sep:
            raise WhereError(f"--where {shown(item)}: expected FIELD=VALUE (no '=' found)")
        name = name.strip()
        if not name:
            raise WhereError(f"--where {shown(item)}: the field name before '=' is missing")
        if not _FIELD_RE.fullmatch(name):
            raise WhereError(
                f"--where {shown(item)}: {shown(name)} is not a field name "
                "(letters, digits and '_', not starting with a digit)"
            )
        values = filters.setdefault(name.lower(), [])
        value = value.strip()
        if value not in values:
            values.append(value)
    return tuple((k, tuple(v)) for k, v in filters.items())


def parse_columns(text: str) -> tuple[str, ...]:
    """``a,b,c`` -> ("a", "b", "c"); empty names and repeats are errors."""
    names = [part.strip() for part in text.split(",")]
    if not text.strip() or any(not n for n in names):
        raise ExportOptionError(
            f"--columns {shown(text)}: give column names separated by commas, like name,country"
        )
    seen: set[str] = set()
    for n in names:
        if n in seen:
            raise ExportOptionError(f"--columns: column '{n}' is listed twice")
        seen.add(n)
    return tuple(names)


def parse_delimiter(text: str) -> str:
    """A delimiter as typed on a command line: ``,`` ``;`` a tab, or the words comma/semicolon/tab."""
    words = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t"}
    d = words.get(text.strip().lower(), text)
    if d not in DELIMITERS:
        raise ExportOptionError(f"unknown delimiter {shown(text)} (use ',' ';' or tab)")
    return d


def resolve_table(name: str) -> str:
    """The table a user means: a table name, a page title, a record type, or a friendly alias."""
    key = name.strip().lower().replace(" ", "_")
    if key in ALL_TABLES:
        return key
    alias = TABLE_ALIASES.get(key.replace("_", "-"))
    if alias:
        return alias
    for table, spec in ALL_SPECS.items():
        if key in (spec.title.lower().replace(" ", "_"), spec.singular.replace(" ", "_")):
            return table
    raise UnknownName(f"unknown table {shown(name)} (tables: {', '.join(ALL_SPECS)})")


EPILOG = (
    textwrap.fill(
        f"tables: {', '.join(ALL_SPECS)} (also: counts, figures). "
        "Without --columns every column of the table is written under its database name. "
        "--where FIELD=VALUE keeps rows whose field equals VALUE exactly (an empty VALUE: the field "
        "is empty); repeat a field for either value, give several fields for all of them. "
        "--with-sources adds two columns after the others: record_id and source_urls (the URLs of "
        "the record's sources in one cell, separated by ' | '); it is off unless given, so that "
        "scripts reading the columns of earlier exports keep working. "
        "Rows from a dataset whose licence asks for attribution (CC BY-SA: the AIAAIC Repository, the "
        "AI Incident Database) carry it in a last column, dataset_licence, added only when such rows "
        "are exported (--without-licences leaves it out; keep the attribution when you share them). "
        "-o FILE: a regular file is written to a temporary file beside it and renamed into place only "
        "when complete (an existing file is replaced only by a complete export); a symbolic link is "
        "followed and its target is replaced that way; a named pipe (FIFO), a character device or a "
        "stream such as /dev/stdout is written into directly.",
        width=78,
    )
    + """

examples:
  faceledger export vendors -o vendors.csv
  faceledger export deployments --search clearview --where status=active -o clearview.csv
  faceledger export --all -o faceledger-csv"""
)


def add_export_parser(sub: Any, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the `export` subcommand to the `faceledger` parser."""
    p = sub.add_parser(
        "export",
        help="write a table, or everything, as CSV",
        description="Write a table (or everything) as CSV: UTF-8, RFC 4180 quoting, CRLF line ends.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("table", nargs="?", metavar="TABLE", help="the table to export")
    p.add_argument("--all", action="store_true", dest="export_all", help="every table plus README.txt")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="the CSV file (a new folder with --all); - for stdout",
    )
    p.add_argument("--search", default="", metavar="Q", help="only rows matching this search (as in the app)")
    p.add_argument(
        "--where", action="append", default=[], metavar="FIELD=VALUE", help="only rows where FIELD is VALUE"
    )
    p.add_argument("--columns", metavar="a,b,c", help="these columns, in this order")
    p.add_argument(
        "--with-sources",
        action="store_true",
        help="add each row's record_id and its sources' URLs (off by default, as before)",
    )
    p.add_argument(
        "--without-licences",
        action="store_false",
        dest="with_licences",
        help="leave out the dataset_licence column (the attribution rows from CC BY-SA datasets need)",
    )
    p.add_argument("--profile", choices=tuple(PROFILES), default="standard", help="excel adds a UTF-8 BOM")
    p.add_argument("--delimiter", default=",", metavar="D", help="',' (default), ';' or tab")
    p.add_argument(
        "--no-formula-guard",
        action="store_false",
        dest="formula_guard",
        help="do not prefix text cells starting with = + - @ tab CR with '",
    )
    add_db(p)


def run_export(args: argparse.Namespace, out: TextIO) -> int:
    """Run `faceledger export`; errors are FaceLedgerErrors (one line, non-zero exit)."""
    if args.export_all and args.table:
        raise CliError("give a TABLE or --all, not both")
    if not args.export_all and not args.table:
        raise CliError("give the TABLE to export, or --all (tables: " + ", ".join(ALL_SPECS) + ")")
    if args.export_all and (args.search or args.where or args.columns):
        raise CliError("--search, --where and --columns apply to one table, not to --all")
    if args.export_all and args.with_sources:
        raise CliError("--with-sources applies to one table; --all writes citations.csv and sources.csv")
    if args.export_all and args.output == "-":
        raise CliError("--all writes a folder of files; -o - is for one table")
    options = ExportOptions(
        args.profile,
        parse_delimiter(args.delimiter),
        args.formula_guard,
        args.with_sources,
        args.with_licences,
    )
    filters = parse_where(args.where)
    table = resolve_table(args.table) if args.table else ""
    db = Database.open(getattr(args, "db", None))
    try:
        repos = Repositories(db)
        if args.export_all:
            result = _drive(export_all(repos, Path(args.output), options))
            print(
                f"wrote {plural(len(result.files), 'file')} ({plural(result.rows, 'row')}) and README.txt to {result.path}",
                file=out,
            )
            return 0
        repo = repos.for_entity(table)
        keys = parse_columns(args.columns) if args.columns else repo.columns
        check_fields(repo, keys)
        check_fields(repo, (k for k, _ in filters), "field")
        query = Query(search=args.search, filters=filters)
        if args.output == "-":
            _to_stdout(lambda fh: export_query_to_stream(repo, query, keys, keys, fh, options), out)
            return 0
        result = _drive(export_query(repo, query, keys, keys, Path(args.output), options))
        print(f"wrote {plural(result.rows, 'row')} to {result.path}", file=out)
        return 0
    finally:
        db.close()


def _drive(gen: Generator[Any, None, R]) -> R:
    """Run an export generator to its end (the command line has no progress bar)."""
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]


def _to_stdout(make: Callable[[TextIO], Generator[Any, None, ExportResult]], out: TextIO) -> None:
    """Write UTF-8 with CRLF kept as is: through the byte buffer of a real stdout, else to `out`."""
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        _drive(make(out))
        return
    out.flush()
    fh = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=False)
    try:
        _drive(make(fh))
        fh.flush()
    except OSError:  # a closed pipe (`| head`), a full disk: Python's own flush at exit must not fail
        discard_output(out)
        raise
    finally:
        try:
            fh.detach()
        except ValueError:
            pass


__all__ = ["ExportError", "WhereError", "add_export_parser", "parse_where", "resolve_table", "run_export"]
