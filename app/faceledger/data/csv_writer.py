"""How FaceLedger writes CSV text (Qt-free): the options, the formula guard and the fast writer.

Rows are written exactly as the `csv` module writes them (RFC 4180 minimal quoting, ``\\r\\n`` line
ends, UTF-8; the "excel" profile adds a byte-order mark): `format_batch` builds a batch's text a
column at a time at C speed, and hands anything unusual to `csv.writer` itself. Text cells that a
spreadsheet would read as a formula get a leading apostrophe; numbers are never changed.

Where the text goes (a temporary file renamed into place, a pipe) is `export_files`; what is
exported (a query, a table, everything) is `export`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from typing import Any, TextIO

from faceledger.data.export_files import ExportOptionError, Progress

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


@dataclass(frozen=True)
class ExportOptions:
    """How a CSV file is written."""

    profile: str = "standard"  # "standard" (UTF-8) or "excel" (UTF-8 with a byte-order mark)
    delimiter: str = ","  # "," ";" or "\t"
    formula_guard: bool = True  # prefix formula-like text cells with "'"
    with_sources: bool = False  # add each row's record id and source URLs (SOURCE_HEADERS)
    # add each row's dataset attribution and licence when any row comes from an imported dataset
    with_licences: bool = True

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise ExportOptionError(
                f"unknown CSV profile {shown(self.profile)} (choose {' or '.join(PROFILES)})"
            )
        if self.delimiter not in DELIMITERS:
            raise ExportOptionError("the delimiter must be a comma, a semicolon or a tab")


def shown(text: str, limit: int = 40) -> str:
    """`text` quoted for a one-line message, shortened when long."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


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
