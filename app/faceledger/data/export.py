"""CSV export, shared by the window and the command line (Qt-free).

Every export is a generator yielding ``(done, total)`` progress, so `faceledger.jobs.run_job` can run
it off the GUI thread and cancel it between batches; the command line simply drives it to the end.

Where the text goes is `export_files` (a temporary file or folder renamed into place only when
complete: no partial file is ever left, an existing file is replaced only by a complete export);
how it is written is `csv_writer`. Rows are streamed from SQLite in batches (flat memory).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from faceledger.data.csv_writer import (
    BATCH_ROWS,
    DELIMITERS,
    LINE_END,
    PROFILES,
    SOURCE_HEADERS,
    SOURCES_SEPARATOR,
    ExportOptions,
    batched,
    shown,
    write_csv,
)
from faceledger.data.entities import ALL_SPECS
from faceledger.data.errors import UnknownName, interrupt_requested
from faceledger.data.export_files import (
    ALL_TABLES,
    README_NAME,
    README_TITLE,
    TEMP_PREFIX,
    ExportError,
    ExportOptionError,
    Progress,
    check_folder_destination,
    fsync_folder,
    is_previous_export,
    move_folder_into_place,
    os_error,
    remove_stale_temporaries,
    set_mode,
    temp_prefix,
    write_atomically,
)
from faceledger.data.repositories import LINK_TABLES, Repositories
from faceledger.data.repository import LICENCE_KEY, Query, Repository


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the file (or folder), the data rows and, for everything, the files."""

    path: Path | None
    rows: int
    files: tuple[tuple[str, int], ...] = ()  # (file name, data rows) of an export of everything


def check_fields(repo: Repository[Any], names: Iterable[str], what: str = "column") -> None:
    """Raise `UnknownName` (naming the valid columns) unless every name is a column of `repo`."""
    have = repo.columns
    for n in names:
        if n not in have:
            raise UnknownName(f"unknown {what} {shown(n)} in {repo.table} (columns: {', '.join(have)})")


def export_query(
    repo: Repository[Any],
    query: Query,
    keys: Sequence[str],
    headers: Sequence[str],
    dest: Path,
    options: ExportOptions,
) -> Generator[Progress, None, ExportResult]:
    """Export the rows of `repo` matching `query`, in its order, to the CSV file `dest` (atomically).

    `keys` are the columns, `headers` their names in the file. On a worker thread, pass the
    repository bound to the worker's connection (`Repository.bound`)."""
    keys, headers = _check_columns(repo, keys, headers)
    dest = Path(dest)
    total = _read(dest, lambda: repo.count(query))
    headers, batches = _rows(repo, query, keys, headers, options)
    n = yield from write_file(dest, headers, batches, options, total)
    return ExportResult(dest, n)


def export_query_to_stream(
    repo: Repository[Any],
    query: Query,
    keys: Sequence[str],
    headers: Sequence[str],
    fh: TextIO,
    options: ExportOptions,
) -> Generator[Progress, None, ExportResult]:
    """Like `export_query`, to an open text stream (standard output); nothing to clean up."""
    keys, headers = _check_columns(repo, keys, headers)
    headers, batches = _rows(repo, query, keys, headers, options)
    n = yield from _guard_sqlite(Path("-"), write_csv(fh, headers, batches, options))
    return ExportResult(None, n)


def _rows(
    repo: Repository[Any],
    query: Query,
    keys: list[str],
    headers: list[str],
    options: ExportOptions,
) -> tuple[list[str], Iterator[Sequence[Sequence[Any]]]]:
    """The header and the batches of rows of an export of one table: with sources when asked
    (SOURCE_HEADERS after the columns), then, last, the attribution of each row from a dataset
    whose licence asks for it (LICENCE_KEY; only when such rows are exported, unless asked not to)."""
    licence = options.with_licences and LICENCE_KEY not in keys and repo.has_dataset_rows(query)
    tail = [LICENCE_KEY] if licence else []
    if not options.with_sources:
        return [*headers, *tail], repo.iter_value_batches(query, [*keys, *tail], BATCH_ROWS)
    batches = repo.iter_value_batches(query, [*keys, *tail, "id"], BATCH_ROWS)
    return [*headers, *SOURCE_HEADERS, *tail], _add_sources(repo, batches, len(keys))


def _add_sources(
    repo: Repository[Any], batches: Iterator[list[tuple[Any, ...]]], n_keys: int
) -> Iterator[Sequence[Sequence[Any]]]:
    """Each row (its `n_keys` columns, then any licence, then the record's id) as its columns,
    the id, its sources' URLs in one cell, and the licence."""
    join = SOURCES_SEPARATOR.join
    for batch in batches:
        urls = repo.source_urls([str(row[-1]) for row in batch])
        yield [(*row[:n_keys], row[-1], join(urls.get(str(row[-1]), ())), *row[n_keys:-1]) for row in batch]


def export_table(
    repo: Repository[Any], dest: Path, options: ExportOptions
) -> Generator[Progress, None, ExportResult]:
    """A whole table: every column under its database name, in the table's default order."""
    keys = repo.columns
    return (yield from export_query(repo, Query(), keys, keys, dest, options))


def write_file(
    dest: Path,
    headers: Sequence[str],
    batches: Iterable[Sequence[Sequence[Any]]],
    options: ExportOptions,
    total: int = 0,
) -> Generator[Progress, None, int]:
    """Write a CSV file without ever destroying `dest` (`export_files.write_atomically`): whatever
    stops it (an error, the generator being closed, KeyboardInterrupt) leaves `dest` as it was."""
    return (
        yield from write_atomically(
            Path(dest),
            lambda fh, shown: _guard_sqlite(shown, write_csv(fh, headers, batches, options, total)),
            total,
        )
    )


# -- everything -----------------------------------------------------------------------------------
def export_all(
    repos: Repositories,
    dest: Path,
    options: ExportOptions,
    meta: dict[str, str] | None = None,
    now: datetime | None = None,
) -> Generator[Progress, None, ExportResult]:
    """Every table as one CSV file (all columns) plus README.txt, in the new folder `dest`.

    `dest` must not exist, or be an empty folder, or hold an earlier FaceLedger export (which is
    replaced only once the new one is complete). The files are written to a temporary folder
    beside `dest` that is renamed into place at the end, or removed on any failure or cancel.
    On a worker thread, pass `repos.on(conn)` and `meta` (the database's meta table)."""
    dest = Path(dest)
    check_folder_destination(dest)
    meta = meta if meta is not None else repos.db.meta()
    tables: list[tuple[str, Repository[Any] | None]] = [(t, repos.for_entity(t)) for t in ALL_SPECS]
    tables += [(t, None) for t in LINK_TABLES]

    def count(table: str, repo: Repository[Any] | None) -> int:
        return repo.count(Query()) if repo is not None else repos.links.count(table)

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
                keys: Sequence[str]
                keys, batches = _rows(repo, Query(), list(repo.columns), list(repo.columns), options)
            else:
                keys = LINK_TABLES[table]
                batches = batched(repos.links.iter_rows(table))
            path = tmp / f"{table}.csv"
            with open(path, "w", encoding="utf-8", newline="") as fh:
                gen = _guard_sqlite(dest, write_csv(fh, keys, batches, options, counts[table]))
                n = yield from _offset(gen, done, total)
                fh.flush()
                os.fsync(fh.fileno())
            set_mode(path, None, 0o666)
            files.append((path.name, n))
            done += n
        datasets = _read(dest, lambda: _datasets(repos))
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


def _datasets(repos: Repositories) -> list[dict[str, Any]]:
    keys = ["name", "licence", "licence_url", "attribution", "url", "retrieved", "rows_imported"]
    return [dict(zip(keys, row, strict=True)) for row in repos.datasets.iter_values(Query(), keys)]


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
        "stay under that dataset's licence; keep the attribution when you reuse them. Rows from a",
        f"dataset whose licence asks for attribution (CC BY-SA) carry it in their last column, {LICENCE_KEY}.",
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


# Names other modules import from here (how CSV text is written lives in `csv_writer`, where it
# goes in `export_files`).
__all__ = [
    "ALL_TABLES",
    "DELIMITERS",
    "PROFILES",
    "SOURCE_HEADERS",
    "SOURCES_SEPARATOR",
    "TEMP_PREFIX",
    "ExportError",
    "ExportOptionError",
    "ExportOptions",
    "ExportResult",
    "check_fields",
    "export_all",
    "export_query",
    "export_query_to_stream",
    "export_table",
    "is_previous_export",
    "write_file",
]
