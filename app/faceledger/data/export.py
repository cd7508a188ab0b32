"""CSV export, shared by the window and the command line (Qt-free).

Every export is a generator yielding ``(done, total)`` progress, so `faceledger.jobs.run_job` can run
it off the GUI thread and cancel it between batches; the command line simply drives it to the end.

Files are written to a temporary file in the destination folder, flushed to disk and renamed into
place only when complete. On any error, on cancellation (the generator is closed) or on Ctrl+C the
temporary file is removed, so no partial file is ever left and an existing file is replaced only by
a complete export. The export of everything does the same with a temporary folder.

Rows are streamed from SQLite in batches (flat memory) and written exactly as the `csv` module
writes them (RFC 4180 minimal quoting, ``\\r\\n`` line ends, UTF-8; the "excel" profile adds a
byte-order mark): `format_batch` builds a batch's text a column at a time at C speed, and hands
anything unusual to `csv.writer` itself. Text cells that a spreadsheet would read as a formula get
a leading apostrophe; numbers are never changed.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any, TextIO

from faceledger.data.entities import ALL_SPECS
from faceledger.data.errors import UnknownName, interrupt_requested
from faceledger.data.export_files import (
    ALL_TABLES,
    README_NAME,
    README_TITLE,
    TEMP_PREFIX,
    ExportError,
    ExportOptionError,
    check_folder_destination,
    file_target,
    fsync_folder,
    is_previous_export,
    move_folder_into_place,
    open_stream,
    os_error,
    remove_file,
    remove_stale_temporaries,
    set_mode,
    temp_prefix,
)
from faceledger.data.repositories import LINK_TABLES, Query, Repositories, Repository

Progress = tuple[int, int]

PROFILES: dict[str, str] = {
    "standard": "Standard (UTF-8)",
    "excel": "Excel (UTF-8 with byte-order mark)",
}
DELIMITERS: dict[str, str] = {",": "comma", ";": "semicolon", "\t": "tab"}
# Characters that make a spreadsheet read a text cell as a formula (OWASP "CSV injection").
GUARD_CHARS = frozenset("=+-@\t\r")
# A file opened with another separator than it was written with (a comma file opened as
# semicolon-separated, as LibreOffice and Excel do in much of Europe) splits a cell at that
# separator, or at a line break: what follows one of these, after spaces or quotes, must not
# start a formula either.
INNER_DELIMITERS = ",;\t|\r\n"
_FORMULA_AFTER = tuple(re.compile(re.escape(d) + '[ "]*[=+\\-@]') for d in INNER_DELIMITERS)
_INNER_FORMULA = re.compile('([,;\t|\r\n][ "]*)(?=[=+\\-@])')
BOM = "\ufeff"
LINE_END = "\r\n"
BATCH_ROWS = 4096
# The columns "with sources" adds after the exported ones: the record's id and the URLs of the
# sources it cites, in one cell. URLs hold no spaces, so " | " splits them back unambiguously
# (a spreadsheet's "text to columns" on "|", or TEXTSPLIT), and the cell stays on one line.
SOURCE_HEADERS = ("record_id", "source_urls")
SOURCES_SEPARATOR = " | "

# Friendly names accepted for a table on the command line (besides each table's own name).
TABLE_ALIASES: dict[str, str] = {
    "counts": "customer_counts",
    "customer-counts": "customer_counts",
    "figures": "study_figures",
    "study-figures": "study_figures",
}


class WhereError(ExportOptionError):
    """A malformed ``--where FIELD=VALUE`` argument (the only error `parse_where` raises)."""


@dataclass(frozen=True)
class ExportOptions:
    """How a CSV file is written."""

    profile: str = "standard"  # "standard" (UTF-8) or "excel" (UTF-8 with a byte-order mark)
    delimiter: str = ","  # "," ";" or "\t"
    formula_guard: bool = True  # prefix formula-like text cells with "'"
    with_sources: bool = False  # add each row's record id and source URLs (SOURCE_HEADERS)

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise ExportOptionError(
                f"unknown CSV profile {_shown(self.profile)} (choose {' or '.join(PROFILES)})"
            )
        if self.delimiter not in DELIMITERS:
            raise ExportOptionError("the delimiter must be a comma, a semicolon or a tab")


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the file (or folder), the data rows and, for everything, the files."""

    path: Path | None
    rows: int
    files: tuple[tuple[str, int], ...] = ()  # (file name, data rows) of an export of everything


# -- parsing user input ---------------------------------------------------------------------------
_FIELD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _shown(text: str, limit: int = 40) -> str:
    """`text` quoted for a one-line message, shortened when long."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


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
            raise WhereError(f"--where {_shown(item)}: expected FIELD=VALUE (no '=' found)")
        name = name.strip()
        if not name:
            raise WhereError(f"--where {_shown(item)}: the field name before '=' is missing")
        if not _FIELD_RE.fullmatch(name):
            raise WhereError(
                f"--where {_shown(item)}: {_shown(name)} is not a field name "
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
            f"--columns {_shown(text)}: give column names separated by commas, like name,country"
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
        raise ExportOptionError(f"unknown delimiter {_shown(text)} (use ',' ';' or tab)")
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
    raise UnknownName(f"unknown table {_shown(name)} (tables: {', '.join(ALL_SPECS)})")


def check_fields(repo: Repository[Any], names: Iterable[str], what: str = "column") -> None:
    """Raise `UnknownName` (naming the valid columns) unless every name is a column of `repo`."""
    have = repo.columns
    for n in names:
        if n not in have:
            raise UnknownName(f"unknown {what} {_shown(n)} in {repo.table} (columns: {', '.join(have)})")


# -- writing --------------------------------------------------------------------------------------
def has_inner_formula(text: str) -> bool:
    """Whether a formula character follows a delimiter or line break inside `text`. One C-speed
    scan per delimiter the text holds (a regex led by a single literal is fast; a character
    class is not)."""
    return any(
        d in text and rx.search(text) is not None
        for d, rx in zip(INNER_DELIMITERS, _FORMULA_AFTER, strict=True)
    )


def guard_text(text: str) -> str:
    """`text` as written with the formula guard: a leading "'" when it starts like a formula, and
    a "'" before any formula character that follows a delimiter or a line break inside it."""
    if text[:1] in GUARD_CHARS:
        text = "'" + text
    return _INNER_FORMULA.sub("\\1'", text) if has_inner_formula(text) else text


def guard_cell(value: Any) -> Any:
    """A text value a spreadsheet could treat as a formula is guarded (`guard_text`); others pass
    unchanged (numbers are never changed)."""
    if value.__class__ is str and value:
        return guard_text(value)
    return value


def _needs_guard(value: Any) -> bool:
    return value.__class__ is str and (value[:1] in GUARD_CHARS or has_inner_formula(value))


def _guard_batch(batch: list[Any]) -> None:
    """Guard formula-like text cells in place."""
    for i, row in enumerate(batch):
        if any(map(_needs_guard, row)):
            batch[i] = tuple(guard_cell(c) for c in row)


_NUL = "\x00"
_GUARD_AFTER_NUL = re.compile("\x00[=+\\-@\t\r]")  # a cell (after the separator) starting like a formula
_TEXT_OR_NULL = frozenset({str, type(None)})
_NUMBERS = frozenset({int, float, type(None)})


def format_batch(batch: Sequence[Sequence[Any]], delimiter: str, guard: bool) -> str | None:
    """The CSV text of `batch`: exactly what `csv.writer` (QUOTE_MINIMAL, CRLF) writes for these
    rows after the formula guard, but built a column at a time with C-speed string operations
    (join, find, regex) instead of a Python step per cell; tests compare it with `csv.writer`.

    Returns None when it cannot: a column holding something other than text, NULL and numbers,
    or rows of a single column (`csv.writer` writes a lone empty cell as ``""``)."""
    if not batch:
        return ""
    width = len(batch[0])
    if width < 2 or len(set(map(len, batch))) != 1:
        return None
    columns: list[Sequence[str]] = []
    for i in range(width):
        col: Sequence[Any] = tuple(map(itemgetter(i), batch))
        try:
            joined = _NUL.join(col)  # fails fast (TypeError) unless every cell is text
        except TypeError:
            kinds = set(map(type, col))
            if kinds <= _TEXT_OR_NULL:
                col = [v or "" for v in col]
                joined = _NUL.join(col)
            elif kinds <= _NUMBERS:  # numbers as csv writes them (repr for floats); never guarded
                columns.append(["" if v is None else repr(v) for v in col])
                continue
            else:
                return None
        if guard and (
            col[0][:1] in GUARD_CHARS or _GUARD_AFTER_NUL.search(joined) or has_inner_formula(joined)
        ):
            col = [guard_text(v) for v in col]
        if '"' in joined or delimiter in joined or "\n" in joined or "\r" in joined:
            d = delimiter
            col = [
                ('"' + v.replace('"', '""') + '"') if ('"' in v or d in v or "\n" in v or "\r" in v) else v
                for v in col
            ]
        columns.append(col)
    return LINE_END.join(map(delimiter.join, zip(*columns, strict=True))) + LINE_END


def batched(rows: Iterable[Sequence[Any]], size: int | None = None) -> Iterator[list[Sequence[Any]]]:
    """Rows in lists of up to `size` (default `BATCH_ROWS`)."""
    it = iter(rows)
    n = size or BATCH_ROWS
    while batch := list(islice(it, n)):
        yield batch


def write_csv(
    fh: TextIO,
    headers: Sequence[str],
    batches: Iterable[Sequence[Sequence[Any]]],
    options: ExportOptions,
    total: int = 0,
) -> Generator[Progress, None, int]:
    """Stream a header and the rows of `batches` to `fh` (opened with ``newline=""``); yield
    progress after each batch.

    Returns the number of data rows. Values are written as they come from SQLite: text as text,
    numbers as numbers (never prefixed), None as an empty cell. Each batch is formatted by
    `format_batch`, or by `csv.writer` when that declines."""
    delimiter = options.delimiter
    writer = csv.writer(
        fh, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator=LINE_END, doublequote=True
    )
    if options.profile == "excel":
        fh.write(BOM)
    guard = options.formula_guard
    head = list(headers)
    writer.writerow([guard_cell(h) for h in head] if guard else head)
    write = fh.write
    done = 0
    yield done, total
    for batch in batches:
        if not batch:
            continue
        text = format_batch(batch, delimiter, guard)
        if text is not None:
            write(text)
        else:
            rows = list(batch)
            if guard:
                _guard_batch(rows)
            writer.writerows(rows)
        done += len(batch)
        yield done, max(total, done)
    return done


def export_query(
    repo: Repository[Any],
    query: Query,
    keys: Sequence[str],
    headers: Sequence[str],
    dest: Path,
    options: ExportOptions,
    conn: sqlite3.Connection | None = None,
) -> Generator[Progress, None, ExportResult]:
    """Export the rows of `repo` matching `query`, in its order, to the CSV file `dest` (atomically).

    `keys` are the columns, `headers` their names in the file. Pass a reader connection (`conn`)
    when running on a worker thread."""
    keys, headers = _check_columns(repo, keys, headers)
    dest = Path(dest)
    total = _read(dest, lambda: repo.count(query, conn))
    headers, batches = _rows(repo, query, keys, headers, options, conn)
    n = yield from write_file(dest, headers, batches, options, total)
    return ExportResult(dest, n)


def export_query_to_stream(
    repo: Repository[Any],
    query: Query,
    keys: Sequence[str],
    headers: Sequence[str],
    fh: TextIO,
    options: ExportOptions,
    conn: sqlite3.Connection | None = None,
) -> Generator[Progress, None, ExportResult]:
    """Like `export_query`, to an open text stream (standard output); nothing to clean up."""
    keys, headers = _check_columns(repo, keys, headers)
    headers, batches = _rows(repo, query, keys, headers, options, conn)
    n = yield from _guard_sqlite(Path("-"), write_csv(fh, headers, batches, options))
    return ExportResult(None, n)


def _rows(
    repo: Repository[Any],
    query: Query,
    keys: list[str],
    headers: list[str],
    options: ExportOptions,
    conn: sqlite3.Connection | None,
) -> tuple[list[str], Iterator[Sequence[Sequence[Any]]]]:
    """The header and the batches of rows of an export of one table, with sources when asked."""
    if not options.with_sources:
        return headers, repo.iter_value_batches(query, keys, conn, BATCH_ROWS)
    batches = repo.iter_value_batches(query, [*keys, "id"], conn, BATCH_ROWS)
    return [*headers, *SOURCE_HEADERS], _add_sources(repo, batches, conn)


def _add_sources(
    repo: Repository[Any], batches: Iterator[list[tuple[Any, ...]]], conn: sqlite3.Connection | None
) -> Iterator[Sequence[Sequence[Any]]]:
    """Each row (whose last value is the record's id) followed by its sources' URLs in one cell."""
    join = SOURCES_SEPARATOR.join
    for batch in batches:
        urls = repo.source_urls([str(row[-1]) for row in batch], conn)
        yield [(*row, join(urls.get(str(row[-1]), ()))) for row in batch]


def export_table(
    repo: Repository[Any], dest: Path, options: ExportOptions, conn: sqlite3.Connection | None = None
) -> Generator[Progress, None, ExportResult]:
    """A whole table: every column under its database name, in the table's default order."""
    keys = repo.columns
    return (yield from export_query(repo, Query(), keys, keys, dest, options, conn))


def write_file(
    dest: Path,
    headers: Sequence[str],
    batches: Iterable[Sequence[Sequence[Any]]],
    options: ExportOptions,
    total: int = 0,
) -> Generator[Progress, None, int]:
    """Write a CSV file without ever destroying `dest` (see `export_files`): a regular file or a
    new name gets a temporary file in its folder, fsync, rename into place; a symbolic link's
    target is replaced so; a named pipe or a device (/dev/stdout) is written into directly.

    Whatever stops it (an error, the generator being closed, KeyboardInterrupt) removes the
    temporary file, and `dest` is left as it was."""
    target = file_target(Path(dest))
    if target.stream:
        return (yield from _write_stream(target, headers, batches, options, total))
    dest, existed = target.path, target.existed
    remove_stale_temporaries(dest.parent)
    try:
        fd, name = tempfile.mkstemp(dir=dest.parent, prefix=temp_prefix(), suffix=".csv.tmp")
    except OSError as exc:
        raise os_error(target.shown, exc, "create", existed) from exc
    tmp = Path(name)
    stage = "write"
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            n = yield from _guard_sqlite(dest, write_csv(fh, headers, batches, options, total))
            fh.flush()
            os.fsync(fh.fileno())
        set_mode(tmp, dest if existed else None, 0o666)
        yield n, max(total, n)  # the last chance to cancel: after this the file is in place
        stage = "replace"
        os.replace(tmp, dest)
    except BaseException as exc:
        remove_file(tmp)
        if isinstance(exc, OSError):
            raise os_error(target.shown, exc, stage, existed) from exc
        raise
    fsync_folder(dest.parent)
    return n


def _write_stream(
    target: Any,
    headers: Sequence[str],
    batches: Iterable[Sequence[Sequence[Any]]],
    options: ExportOptions,
    total: int,
) -> Generator[Progress, None, int]:
    """Into a pipe, a device or a stream, as to standard output: written, flushed, checked."""
    fd = open_stream(target)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            n = yield from _guard_sqlite(target.shown, write_csv(fh, headers, batches, options, total))
            fh.flush()
    except OSError as exc:
        raise os_error(target.shown, exc, "stream", True) from exc
    return n


# -- everything -----------------------------------------------------------------------------------
def export_all(
    repos: Repositories,
    dest: Path,
    options: ExportOptions,
    conn: sqlite3.Connection | None = None,
    meta: dict[str, str] | None = None,
    now: datetime | None = None,
) -> Generator[Progress, None, ExportResult]:
    """Every table as one CSV file (all columns) plus README.txt, in the new folder `dest`.

    `dest` must not exist, or be an empty folder, or hold an earlier FaceLedger export (which is
    replaced only once the new one is complete). The files are written to a temporary folder
    beside `dest` that is renamed into place at the end, or removed on any failure or cancel.
    Pass `meta` (the database's meta table) when running on a worker thread."""
    dest = Path(dest)
    check_folder_destination(dest)
    meta = meta if meta is not None else repos.db.meta()
    tables: list[tuple[str, Repository[Any] | None]] = [(t, repos.for_entity(t)) for t in ALL_SPECS]
    tables += [(t, None) for t in LINK_TABLES]

    def count(table: str, repo: Repository[Any] | None) -> int:
        return repo.count(Query(), conn) if repo is not None else repos.links.count(table, conn)

    counts = _read(dest, lambda: {t: count(t, repo) for t, repo in tables})
    total = sum(counts.values())
    remove_stale_temporaries(dest.parent)
    try:
        tmp = Path(tempfile.mkdtemp(dir=dest.parent, prefix=temp_prefix()))
    except OSError as exc:
        raise os_error(dest, exc, "create", dest.exists()) from exc
    stage = "write"
    files: list[tuple[str, int]] = []
    try:
        done = 0
        yield done, total
        for table, repo in tables:
            batches: Iterator[Sequence[Sequence[Any]]]
            if repo is not None:
                keys: Sequence[str] = repo.columns
                batches = repo.iter_value_batches(Query(), list(keys), conn, BATCH_ROWS)
            else:
                keys = LINK_TABLES[table]
                batches = batched(repos.links.iter_rows(table, conn))
            path = tmp / f"{table}.csv"
            with open(path, "w", encoding="utf-8", newline="") as fh:
                gen = _guard_sqlite(dest, write_csv(fh, keys, batches, options, counts[table]))
                n = yield from _offset(gen, done, total)
                fh.flush()
                os.fsync(fh.fileno())
            set_mode(path, None, 0o666)
            files.append((path.name, n))
            done += n
        datasets = _read(dest, lambda: _datasets(repos, conn))
        with open(tmp / README_NAME, "w", encoding="utf-8", newline=LINE_END) as fh:
            fh.write(readme_text(meta, datasets, files, options, now or datetime.now().astimezone()))
            fh.flush()
            os.fsync(fh.fileno())
        set_mode(tmp / README_NAME, None, 0o666)
        set_mode(tmp, None, 0o777)
        fsync_folder(tmp)
        yield done, total  # the last chance to cancel: after this the folder is in place
        stage = "replace"
        move_folder_into_place(tmp, dest)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise os_error(dest, exc, stage, dest.exists()) from exc
        raise
    fsync_folder(dest.parent)
    return ExportResult(dest, done, tuple(files))


def _datasets(repos: Repositories, conn: sqlite3.Connection | None) -> list[dict[str, Any]]:
    keys = ["name", "licence", "licence_url", "attribution", "url", "retrieved", "rows_imported"]
    return [dict(zip(keys, row, strict=True)) for row in repos.datasets.iter_values(Query(), keys, conn)]


def readme_text(
    meta: dict[str, str],
    datasets: list[dict[str, Any]],
    files: Sequence[tuple[str, int]],
    options: ExportOptions,
    now: datetime,
) -> str:
    """README.txt of an export of everything: data version, files, licences and attributions."""
    lines = [
        README_TITLE,
        "=" * len(README_TITLE),
        "",
        f"Exported: {now.isoformat(timespec='seconds')}",
        f"Data version: {meta.get('data_version', 'unknown')} (schema {meta.get('schema_version', '?')})",
        f"Format: CSV, {PROFILES[options.profile]}, {DELIMITERS[options.delimiter]}-separated, "
        "RFC 4180 quoting, CRLF line ends; one header row of column names.",
        "Lists inside a cell are joined with '; '. Dates are ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD).",
    ]
    if options.formula_guard:
        lines.append(
            "Formula guard: text cells starting with = + - @, a tab or a carriage return were written "
            "with a leading ', and inside a cell a ' was put before = + - @ following a comma, "
            "semicolon, tab, | or line break (a spreadsheet opening the file with another separator "
            "splits cells there), so that spreadsheets do not run them; numbers were not changed."
        )
    else:
        lines.append("Formula guard: off (cells were written exactly as stored).")
    lines += ["", "Files", "-----"]
    for name, n in files:
        lines.append(f"{name:24} {n:>9,} rows  {_describe(name)}")
    lines += [
        "",
        "Sources and licences",
        "--------------------",
        "Every record cites its sources: citations.csv links each record (entity, record_id) to",
        "sources.csv. Records with a dataset_id were imported from the third-party dataset below and",
        "stay under that dataset's licence; keep the attribution when you reuse them.",
    ]
    if not datasets:
        lines += ["", "No third-party datasets are included in this database."]
    for ds in datasets:
        lines += ["", str(ds["name"] or "")]
        lines.append(f"  Licence: {ds['licence'] or 'not stated'}")
        if ds["licence_url"]:
            lines.append(f"  Licence text: {ds['licence_url']}")
        lines.append(f"  Attribution: {ds['attribution'] or ''}")
        if ds["url"]:
            lines.append(f"  Source: {ds['url']}")
        if ds["retrieved"]:
            lines.append(f"  Retrieved: {ds['retrieved']}")
    lines.append("")
    return "\n".join(_one_line(s) for s in lines)


def _describe(file_name: str) -> str:
    table = file_name.removesuffix(".csv")
    if table in ALL_SPECS:
        return ALL_SPECS[table].title
    return {
        "citations": "which source supports which record",
        "study_vendors": "vendors covered by each study",
        "event_vendors": "vendors involved in each event",
        "event_customers": "customers involved in each event",
    }.get(table, "")


def _one_line(text: str) -> str:
    """Database text in README.txt stays on its own line."""
    return " ".join(text.splitlines()) if ("\n" in text or "\r" in text) else text


# -- helpers --------------------------------------------------------------------------------------
def _check_columns(
    repo: Repository[Any], keys: Sequence[str], headers: Sequence[str]
) -> tuple[list[str], list[str]]:
    keys, headers = list(keys), list(headers)
    if not keys:
        raise ExportOptionError("there are no columns to export")
    if len(keys) != len(headers):
        raise ExportOptionError("each exported column needs exactly one header")
    check_fields(repo, keys)
    return keys, headers


def _offset(gen: Generator[Progress, None, int], base: int, total: int) -> Generator[Progress, None, int]:
    """Progress of one file inside a multi-file export."""
    try:
        while True:
            done, _ = next(gen)
            yield base + done, total
    except StopIteration as stop:
        return int(stop.value)
    finally:
        gen.close()


def _guard_sqlite(dest: Path, gen: Generator[Progress, None, int]) -> Generator[Progress, None, int]:
    """Turn a database error raised while streaming into an ExportError naming the destination."""
    try:
        return (yield from gen)
    except sqlite3.Error as exc:
        raise _db_error(dest, exc) from exc


def _read(dest: Path, fn: Any) -> Any:
    try:
        return fn()
    except sqlite3.Error as exc:
        raise _db_error(dest, exc) from exc


def _db_error(dest: Path, exc: sqlite3.Error) -> BaseException:
    if interrupt_requested():  # Ctrl+C while SQLite read: an interruption, not a read error
        return KeyboardInterrupt()
    return ExportError(f"Could not export to {dest}: the database could not be read ({exc}).", dest)


# Names other modules import from here (the destination handling lives in `export_files`).
__all__ = [
    "ALL_TABLES",
    "TEMP_PREFIX",
    "ExportError",
    "ExportOptionError",
    "ExportOptions",
    "ExportResult",
    "WhereError",
    "export_all",
    "export_query",
    "export_query_to_stream",
    "export_table",
    "is_previous_export",
    "write_file",
]
