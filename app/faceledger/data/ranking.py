"""Best matches first: the order of a search's rows when the reader has not chosen a column.

A row whose name or alias is exactly the query comes first ("ICE", "NYPD", "IDEMIA"), then rows
where every word of the query is a whole word, then where every word starts a word, then the rows
that have a word only inside another ("ice" in "police"); within a level, rows whose names or
aliases hold every word come before rows matched in another column, and then the page's own order.

The ranking stays bounded: the exact names are one look-up in the search index (a name is written
there between two marks, see `faceledger.data.text`), and the levels are computed for the first
`CANDIDATES` matches in the page's order only, the matches after those following in the page's
order; on a table of more than `LEVELS_UP_TO_ROWS` rows (a million customers) only the exact
names come first. FaceLedger's own tables are small: every match is ranked.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple, Protocol

from faceledger.data.schema import search_index
from faceledger.data.search import Terms, exact_match_expression, fts_condition, level_patterns, match_level

# The matches (in the page's order) whose level is computed; those after them keep that order.
CANDIDATES = 1000
# On a table of more rows than this, no level is computed (reading each candidate's text from the
# index costs some 0.1 ms a row there): the exact names and aliases first, then the page's order.
LEVELS_UP_TO_ROWS = 20_000
# Rows whose name or alias is exactly the query, at most (listed first, in the page's order).
EXACT_LIMIT = 100
# Queries whose first ranked rows are kept (a page of rows, then the next, reuse them).
_CACHED = 16
EXACT = 0


class _Db(Protocol):
    def query(
        self, sql: str, params: Any = (), conn: sqlite3.Connection | None = None
    ) -> list[tuple[Any, ...]]: ...

    def iterate(
        self, sql: str, params: Any = (), conn: sqlite3.Connection | None = None
    ) -> Iterator[Any]: ...


class Head(NamedTuple):
    """The ranked start of a query's rows: rowids with their levels (0 exact, 1 whole words,
    2 word starts, 3 inside a word), the exact rows, and where the unranked rest begins."""

    rowids: tuple[int, ...]
    levels: tuple[int, ...]
    exact: tuple[int, ...]
    # The last candidate's rowid, after which the unranked rest follows in page order (0: the rest
    # is every match that is not exact); None when every match is in `rowids`.
    boundary: int | None


class Ranker:
    """Ranks the matches of one record type's search index (its rowids are the table's)."""

    def __init__(self, db: _Db, table: str, descending: bool, rows: Callable[[], int]) -> None:
        self.db = db
        self.rows = rows  # the table's size (read when first needed)
        self.table = table
        self.fts = search_index(table)
        self.descending = descending
        self._heads: OrderedDict[tuple[Any, ...], Head] = OrderedDict()
        self._lock = threading.Lock()

    # -- SQL ----------------------------------------------------------------------------------
    def _matches(
        self,
        terms: Terms,
        rest: tuple[str, list[Any]],
        *,
        exact: bool = False,
        after: int | None = None,
        without: tuple[int, ...] = (),
        columns: str = "rowid AS r",
        reverse: bool = False,
    ) -> tuple[str, list[Any]]:
        """SQL of the matching rowids (and `columns` of the index) in the page's order, or the
        reverse; only those after `after` in that order, none of `without`."""
        also = exact_match_expression(terms) if exact else ""
        if exact and not terms.short:  # a name that is the whole query holds every word
            terms = Terms()
        sql, fts_params = fts_condition(self.fts, terms, columns, also)
        params: list[Any] = list(fts_params)
        asc = not self.descending
        if after is not None:
            sql += f" AND rowid {'>' if asc else '<'} ?"
            params = [*params, after]
        if without:
            sql += f" AND rowid NOT IN ({', '.join('?' for _ in without)})"
            params = [*params, *without]
        d = "ASC" if asc != reverse else "DESC"
        where, where_params = rest
        if where == "1":
            return f"{sql} ORDER BY rowid {d}", params
        outer = (
            f'SELECT f.* FROM ({sql}) f JOIN "{self.table}" t ON t.rowid = f.r WHERE {where} ORDER BY f.r {d}'
        )
        return outer, [*params, *where_params]

    # -- ranking ------------------------------------------------------------------------------
    def head(self, terms: Terms, rest: tuple[str, list[Any]], conn: sqlite3.Connection | None = None) -> Head:
        key = (terms, rest[0], tuple(rest[1]))
        with self._lock:
            if key in self._heads:
                self._heads.move_to_end(key)
                return self._heads[key]
        head = self._rank(terms, rest, conn)
        with self._lock:
            self._heads[key] = head
            while len(self._heads) > _CACHED:
                self._heads.popitem(last=False)
        return head

    def _rank(self, terms: Terms, rest: tuple[str, list[Any]], conn: sqlite3.Connection | None) -> Head:
        exact: tuple[int, ...] = ()
        if exact_match_expression(terms):
            sql, params = self._matches(terms, rest, exact=True)
            exact = tuple(r for (r,) in self.db.query(f"{sql} LIMIT ?", [*params, EXACT_LIMIT], conn))
        window = CANDIDATES if self.rows() <= LEVELS_UP_TO_ROWS else 0
        if window == 0:
            return Head(rowids=exact, levels=(EXACT,) * len(exact), exact=exact, boundary=0)
        sql, params = self._matches(terms, rest, columns="rowid AS r, text")
        rows = self.db.query(f"{sql} LIMIT ?", [*params, window + len(exact)], conn)
        complete = len(rows) < window + len(exact)
        taken = set(exact)
        candidates = [row for row in rows if row[0] not in taken][:window]
        patterns = level_patterns(terms)
        scored = sorted(
            (
                match_level(str(text), patterns),
                # the record's names and aliases (the index text's first part) hold every word
                0 if match_level(str(text).split(" | ", 1)[0], patterns) < 4 else 1,
                i,
                rowid,
            )
            for i, (rowid, text) in enumerate(candidates)
        )
        boundary = None if complete or not candidates else int(candidates[-1][0])
        return Head(
            rowids=exact + tuple(s[3] for s in scored),
            levels=(EXACT,) * len(exact) + tuple(s[0] for s in scored),
            exact=exact,
            boundary=boundary,
        )

    def rowids(
        self,
        terms: Terms,
        rest: tuple[str, list[Any]],
        offset: int,
        limit: int,
        total: int | None = None,
        conn: sqlite3.Connection | None = None,
    ) -> list[int]:
        """The rowids of rows offset..offset+limit in ranked order. When `total` (the number of
        matches) is known and the page lies in the second half of the unranked rest, that rest is
        read from its end, so SQLite steps over fewer rows."""
        head = self.head(terms, rest, conn)
        n = len(head.rowids)
        out = list(head.rowids[offset : offset + limit])
        if len(out) == limit or head.boundary is None:
            return out
        tail_offset, tail_limit = max(0, offset - n), limit - len(out)
        args = {"after": head.boundary or None, "without": head.exact}
        if total is not None and tail_offset > (total - n) // 2:
            tail_total = total - n
            end = min(tail_total, tail_offset + tail_limit)
            if end <= tail_offset:
                return out
            sql, params = self._matches(terms, rest, reverse=True, **args)  # type: ignore[arg-type]
            rows = self.db.query(
                f"{sql} LIMIT ? OFFSET ?", [*params, end - tail_offset, tail_total - end], conn
            )
            return out + [r for (r,) in reversed(rows)]
        sql, params = self._matches(terms, rest, **args)  # type: ignore[arg-type]
        rows = self.db.query(f"{sql} LIMIT ? OFFSET ?", [*params, tail_limit, tail_offset], conn)
        return out + [r for (r,) in rows]

    def iter_rowids(
        self, terms: Terms, rest: tuple[str, list[Any]], conn: sqlite3.Connection | None = None
    ) -> Iterator[int]:
        """Every matching rowid in ranked order (an export of the view)."""
        head = self.head(terms, rest, conn)
        yield from head.rowids
        if head.boundary is not None:
            sql, params = self._matches(terms, rest, after=head.boundary or None, without=head.exact)
            for (r,) in self.db.iterate(sql, params, conn):
                yield int(r)

    def position(
        self, terms: Terms, rest: tuple[str, list[Any]], rowid: int, conn: sqlite3.Connection | None = None
    ) -> int | None:
        """The row number of `rowid` in ranked order, or None when it does not match."""
        head = self.head(terms, rest, conn)
        if rowid in head.rowids:
            return head.rowids.index(rowid)
        if head.boundary is None:
            return None
        asc = not self.descending
        if head.boundary and ((rowid <= head.boundary) if asc else (rowid >= head.boundary)):
            return None  # every match up to the boundary is in the head
        sql, params = self._matches(terms, rest, after=head.boundary or None, without=head.exact)
        found = self.db.query(
            f"SELECT COUNT(*), MAX(r = ?) FROM ({sql}) WHERE r {'<=' if asc else '>='} ?",
            [rowid, *params, rowid],
            conn,
        )
        if not found or not found[0][1]:
            return None
        return len(head.rowids) + int(found[0][0]) - 1
