"""How a page of rows is read quickly at a million rows (Qt-free): the paging planner.

`Repository` asks this module how to read a page and whether it is cheap:

- a page of every row in stored order, far in, is a rowid range (`rowid_range`), not an OFFSET;
- a page in the second half of a query's rows is read from the end in reverse (`from_the_end`);
- a search matching many rows is read through the sort column's index (`many_matches`);
- a search's count over a large index is split into rowid ranges counted at once, one thread and
  connection each (`count_in_parts`);
- the rows of a ranked page are read by rowid in one query, in the table's order when the page
  follows it (`rows_in_order`);
- `cheap` is the one question a table view asks before reading a page on the GUI thread.
"""

from __future__ import annotations

import operator
import os
import threading
from itertools import islice
from typing import Any

from faceledger.data.database import Database
from faceledger.data.search import Terms, fts_condition

# The rows a table view reads at a time (its first page, and each page after): some three
# screens of rows, so a first paint reads no more than it needs.
PAGE_SIZE = 100
# A table this small is counted, searched and paged on the GUI thread whatever the query.
SMALL_TABLE_ROWS = 20_000
# A search with at least this many matches, sorted on a column other than the table's row order,
# is read through that column's index (see Repository.where) rather than sorted whole.
MANY_MATCHES = 20_000
# From this offset on, a page of every row in stored order is read as a rowid range; within this
# many rows of either end, a page of any query is read directly (see `near_an_end`).
DENSE_JUMP_OFFSET = 10_000
# A search's full count over an index of at least PARALLEL_COUNT_ROWS rows is split into
# COUNT_PARTS rowid ranges counted at once, one thread and connection each.
PARALLEL_COUNT_ROWS = 200_000
COUNT_PARTS = max(1, min(4, os.cpu_count() or 1))


def cheap(small: bool, index_driven: bool, near_an_end: bool, rowid_range: bool) -> bool:
    """Whether a page is read at once on the GUI thread: any page of a small table; else a query
    whose rows an index finds (no filter, a search the trigram index serves) and a page that is
    read without stepping over most of the rows before it (near an end, or a rowid range)."""
    return small or (index_driven and (near_an_end or rowid_range))


def near_an_end(offset: int, total: int | None) -> bool:
    """Whether the page at `offset` lies within DENSE_JUMP_OFFSET rows of either end of the
    query's rows (a page in the second half is read from the end, in reverse)."""
    return offset < DENSE_JUMP_OFFSET or (total is not None and total - offset <= DENSE_JUMP_OFFSET)


def rowid_range(rows: int, offset: int, limit: int, ascending: bool) -> tuple[int, int]:
    """The rowids (first, last) of a page of every row, rowids running 1..`rows` without a gap."""
    lo, hi = (offset + 1, offset + limit) if ascending else (rows - offset - limit + 1, rows - offset)
    return max(1, lo), hi


def from_the_end(offset: int, limit: int, total: int | None) -> tuple[int, int] | None:
    """(offset, limit) counted from the end, in reverse, when the page lies in the second half of
    `total` rows (SQLite then skips fewer rows); None otherwise."""
    if total is None or offset <= total // 2:
        return None
    end = min(total, offset + limit)
    return max(0, total - end), end - offset


def rows_in_order(db: Database, table: str, select: str, rowids: list[int]) -> list[tuple[Any, ...]]:
    """The rows of `table` (`select`, over `t`) whose rowids are `rowids`, in that order. Past a
    search's ranked head its rowids follow the table's order, and SQLite returns them so: one
    query, without a rowid column or a lookup table."""
    if not rowids:
        return []
    marks = ",".join("?" * len(rowids))
    for d, follows in (("ASC", operator.lt), ("DESC", operator.gt)):
        if all(map(follows, rowids, islice(rowids, 1, None))):
            sql = f'SELECT {select} FROM "{table}" t WHERE t.rowid IN ({marks}) ORDER BY t.rowid {d}'
            rows = db.query(sql, rowids)
            if len(rows) == len(rowids):
                return rows
            break
    found = db.query(f'SELECT t.rowid, {select} FROM "{table}" t WHERE t.rowid IN ({marks})', rowids)
    by_rowid = {row[0]: row[1:] for row in found}
    return [by_rowid[r] for r in rowids if r in by_rowid]


def many_matches(db: Database, fts_table: str, terms: Terms) -> bool:
    """Whether a search matches at least MANY_MATCHES rows (read from the index, capped)."""
    sub, params = fts_condition(fts_table, terms, "1")
    row = db.query_one(f"SELECT COUNT(*) FROM ({sub} LIMIT ?)", [*params, MANY_MATCHES])
    return bool(row and row[0] >= MANY_MATCHES)


def count_in_parts(db: Database, sql: str, params: list[Any], last: int) -> int:
    """An index count (`sql` is ``SELECT COUNT(*) FROM fts_... WHERE ...``), split into rowid
    ranges counted at once on their own connections when the index's last rowid is `last` or more
    than PARALLEL_COUNT_ROWS (SQLite leaves the GIL while it reads): a common term's matches are
    counted by every core."""

    def one(sql: str, args: list[Any]) -> int:
        row = db.query_one(sql, args)
        return int(row[0]) if row else 0

    if last < PARALLEL_COUNT_ROWS:
        return one(sql, params)
    # Most searches match few rows: count up to a cap first, which is then the whole count
    # (the threads and connections of a split cost about a millisecond).
    cap = PARALLEL_COUNT_ROWS // 10
    assert sql.startswith("SELECT COUNT(*) FROM ")
    capped = one(f"SELECT COUNT(*) FROM (SELECT 1 {sql[len('SELECT COUNT(*) ') :]} LIMIT ?)", [*params, cap])
    if capped < cap:
        return capped
    parts = COUNT_PARTS
    bounds = [last * i // parts for i in range(parts + 1)]
    ranged = f"{sql} AND rowid > ? AND rowid <= ?"
    results: list[int | BaseException] = [0] * parts

    def part(i: int) -> None:
        try:
            with db.reader() as own:
                results[i] = int(own.execute(ranged, [*params, bounds[i], bounds[i + 1]]).fetchone()[0])
        except BaseException as exc:  # re-raised by the caller's thread
            results[i] = exc

    threads = [threading.Thread(target=part, args=(i,), daemon=True) for i in range(1, parts)]
    for t in threads:
        t.start()
    try:
        results[0] = one(ranged, [*params, bounds[0], bounds[1]])
    finally:
        for t in threads:
            t.join()
    total = 0
    for res in results:
        if isinstance(res, BaseException):
            raise res
        total += res
    return total
