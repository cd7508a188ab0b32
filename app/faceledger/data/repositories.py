"""One repository per entity; together they own every SQL statement the app runs.

All statements are parameterised; table and column names come only from the entity specs.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from typing import Any, Generic, NamedTuple, TypeVar

from faceledger.data import records as r
from faceledger.data import schema
from faceledger.data.database import Database
from faceledger.data.entities import ALL_SPECS, ENTITIES, FIGURES, EntitySpec, dataset_label
from faceledger.data.errors import UnknownName
from faceledger.data.matching import Reason, match_reason
from faceledger.data.ranking import Ranker
from faceledger.data.search import Terms, fts_condition, parse_terms
from faceledger.data.searcher import Hit as Hit  # the global search, built on these repositories
from faceledger.data.searcher import Searcher

T = TypeVar("T")

# A search with at least this many matches, sorted on a column other than the table's row order,
# is read through that column's index (see Repository.where) rather than sorted whole.
MANY_MATCHES = 20_000
# Related records listed in a detail pane, at most (a vendor can have a million deployments, a
# dataset's source cites thousands of figures): a list a reader can scan, rendered at once.
RELATED_LIMIT = 100
# The rows a table view reads at a time (its first page, and each page after): some three
# screens of rows, so a first paint reads no more than it needs.
PAGE_SIZE = 100
# From this offset on, a page of every row in stored order is read as a rowid range (see _select).
DENSE_JUMP_OFFSET = 10_000
# A search's full count over an index of at least PARALLEL_COUNT_ROWS rows is split into
# COUNT_PARTS rowid ranges counted at once, one thread and connection each.
PARALLEL_COUNT_ROWS = 200_000
COUNT_PARTS = max(1, min(4, os.cpu_count() or 1))


class Query(NamedTuple):
    """What a page shows: search text, filters (field -> accepted values), a year range, order."""

    search: str = ""
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    order: tuple[str, bool] | None = None  # (field key, ascending)

    def with_filter(self, key: str, values: tuple[str, ...]) -> Query:
        rest = tuple((k, v) for k, v in self.filters if k != key)
        return self._replace(filters=rest + ((key, values),) if values else rest)

    def without_filter(self, key: str) -> Query:
        return self._replace(filters=tuple((k, v) for k, v in self.filters if k != key))


class Citation(NamedTuple):
    source: r.Source
    dataset_name: str = ""


class Link(NamedTuple):
    """A related record shown in a detail pane: entity, id, text, and an optional note."""

    entity: str
    record_id: str
    label: str
    note: str = ""
    verification: str = ""


class Repository(Generic[T]):
    """Generic queries over one entity table."""

    def __init__(self, db: Database, spec: EntitySpec) -> None:
        self.db = db
        self.spec = spec
        self.table = spec.table
        self._columns = db.columns(self.table)
        # The column whose order ("column" COLLATE NOCASE, id) the table's rowids follow, and so its
        # search index's rowids (the build stores rows that way and says so in meta); "" when not.
        order = db.meta().get(f"rowid_order.{self.table}", "")
        self._rowid_order = order if order in self._columns else ""
        wanted = ["id", "verification"]  # the verification note (a tooltip) is read per record
        for f in spec.fields:
            wanted += [f.key, f.sort_key]
        self._grid = tuple(c for c in dict.fromkeys(wanted) if c in self._columns)
        self._cached: dict[str, int] = {}
        self._acronyms: dict[str, bool] = {}
        self._grid_select = ", ".join(f't."{c}"' for c in self._grid)
        # A search in the page's default order lists the best matches first (data/ranking.py).
        try:
            default = spec.field(spec.default_sort).sort_key
        except KeyError:
            default = spec.default_sort
        self._ranker = (
            Ranker(db, self.table, descending=not spec.default_ascending, rows=lambda: self.approx_rows)
            if self._rowid_order and default == self._rowid_order
            else None
        )

    # -- building SQL -------------------------------------------------------------------------
    def _terms(self, text: str) -> Terms:
        """The words of a search, acronyms ("ICE", "NYPD") recognised by `_known_acronym`."""
        return parse_terms(text, self._known_acronym)

    def _known_acronym(self, word: str) -> bool:
        """Whether `word`, as typed in capitals, is an organisation's alias or name (read once)."""
        if word not in self._acronyms:
            row = self.db.query_one(
                "SELECT 1 FROM aliases WHERE alias = ? UNION ALL SELECT 1 FROM vendors WHERE name = ? "
                "UNION ALL SELECT 1 FROM customers WHERE name = ? LIMIT 1",
                (word, word, word),
            )
            self._acronyms[word] = row is not None
        return self._acronyms[word]

    def _check_key(self, key: str) -> str:
        if key not in self._columns:
            raise UnknownName(f"unknown field {key[:40]!r} for {self.spec.title.lower()}")
        return key

    def where(self, query: Query, *, by_sort_index: bool = False) -> tuple[str, list[Any]]:
        """SQL condition on `t` and its parameters. `by_sort_index`: have SQLite read the sort
        column's index in order and check each row against the search matches, instead of
        collecting and sorting every match (better when the matches are many)."""
        parts: list[str] = []
        params: list[Any] = []
        terms = self._terms(query.search)
        if not terms.empty:
            if self._rowid_order:  # the index shares the table's rowids: no lookup by id
                sub, sub_params = fts_condition(f"fts_{self.table}", terms, "rowid")
                parts.append(f"{'+' if by_sort_index else ''}t.rowid IN ({sub})")
            else:
                sub, sub_params = fts_condition(f"fts_{self.table}", terms)
                parts.append(f"t.id IN ({sub})")
            params.extend(sub_params)
        for key, values in query.filters:
            col = self._check_key(key)
            if not values:
                continue
            marks = ", ".join("?" for _ in values)
            parts.append(f"COALESCE(t.\"{col}\", '') IN ({marks})")
            params.extend(values)
        # "+": never drive a page by the year index (it would sort every row of the years); rows
        # are read in the page's order and tested (year_bounds uses that index).
        if self.spec.year_column and query.year_from is not None:
            parts.append(f"+{self.spec.year_column} >= ?")
            params.append(int(query.year_from))
        if self.spec.year_column and query.year_to is not None:
            parts.append(f"+{self.spec.year_column} <= ?")
            params.append(int(query.year_to))
        return (" AND ".join(parts) or "1"), params

    def ranked(self, query: Query) -> bool:
        """Whether `query`'s rows come best match first: a search, and no column chosen."""
        return self._ranker is not None and query.order is None and not self._terms(query.search).empty

    def _ranked_rows(
        self, rowids: list[int], select: str, conn: sqlite3.Connection | None
    ) -> list[tuple[Any, ...]]:
        """The rows of `rowids`, in that order."""
        if not rowids:
            return []
        marks = ", ".join("?" for _ in rowids)
        found = self.db.query(
            f'SELECT t.rowid, {select} FROM "{self.table}" t WHERE t.rowid IN ({marks})', rowids, conn
        )
        by_rowid = {row[0]: row[1:] for row in found}
        return [by_rowid[r] for r in rowids if r in by_rowid]

    def _iter_ranked(
        self, query: Query, select: str, conn: sqlite3.Connection | None, size: int
    ) -> Iterator[list[tuple[Any, ...]]]:
        assert self._ranker is not None
        rest = self.where(query._replace(search=""))
        batch: list[int] = []
        for rowid in self._ranker.iter_rowids(self._terms(query.search), rest, conn):
            batch.append(rowid)
            if len(batch) == size:
                yield self._ranked_rows(batch, select, conn)
                batch = []
        if batch:
            yield self._ranked_rows(batch, select, conn)

    def sort_column(self, query: Query) -> tuple[str, bool]:
        """The column `query` sorts on, and whether ascending."""
        key, asc = query.order or (self.spec.default_sort, self.spec.default_ascending)
        try:
            return self._check_key(self.spec.field(key).sort_key), asc
        except KeyError:
            return self._check_key(key), asc

    def order_by(self, query: Query, reverse: bool = False) -> str:
        col, asc = self.sort_column(query)
        if reverse:
            asc = not asc
        d = "ASC" if asc else "DESC"
        if col == self._rowid_order:
            return f"t.rowid {d}"
        return f't."{col}" COLLATE NOCASE {d}, t.id {d}'

    # -- reading ------------------------------------------------------------------------------
    def count(self, query: Query = Query(), conn: sqlite3.Connection | None = None) -> int:
        where, params = self.where(query)
        sql = f'SELECT COUNT(*) FROM "{self.table}" t WHERE {where}'
        terms = self._terms(query.search)
        if not terms.empty and self.where(query._replace(search=""))[0] == "1":
            # A search alone: count the index's matches (one index row per record), not the table.
            sql, params = fts_condition(f"fts_{self.table}", terms, "COUNT(*)")
            if terms.long and COUNT_PARTS > 1:
                return self._count_in_parts(sql, params, conn)
        row = self.db.query_one(sql, params, conn)
        return int(row[0]) if row else 0

    def _count_in_parts(self, sql: str, params: list[Any], conn: sqlite3.Connection | None) -> int:
        """A large index count split into rowid ranges counted at once on their own connections
        (SQLite leaves the GIL while it reads): a common term's matches are counted by every core."""
        last = self._cached_int(f"SELECT MAX(rowid) FROM fts_{self.table}")

        def one(sql: str, args: list[Any]) -> int:
            row = self.db.query_one(sql, args, conn)
            return int(row[0]) if row else 0

        if last < PARALLEL_COUNT_ROWS:
            return one(sql, params)
        # Most searches match few rows: count up to a cap first, which is then the whole count
        # (the threads and connections of a split cost about a millisecond).
        cap = PARALLEL_COUNT_ROWS // 10
        assert sql.startswith("SELECT COUNT(*) FROM ")
        capped = one(
            f"SELECT COUNT(*) FROM (SELECT 1 {sql[len('SELECT COUNT(*) ') :]} LIMIT ?)", [*params, cap]
        )
        if capped < cap:
            return capped
        bounds = [last * i // COUNT_PARTS for i in range(COUNT_PARTS + 1)]
        ranged = f"{sql} AND rowid > ? AND rowid <= ?"
        results: list[int | BaseException] = [0] * COUNT_PARTS

        def part(i: int) -> None:
            try:
                with self.db.reader() as own:
                    results[i] = int(own.execute(ranged, [*params, bounds[i], bounds[i + 1]]).fetchone()[0])
            except BaseException as exc:  # re-raised by the caller's thread
                results[i] = exc

        threads = [threading.Thread(target=part, args=(i,), daemon=True) for i in range(1, COUNT_PARTS)]
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

    def _dense_rowids(self, rows: int) -> bool:
        """Whether the table's rowids are exactly 1..`rows`, given its row count (known to the
        caller, counted off the GUI thread): the first is 1 and the last is the count."""
        first = self._cached_int(f'SELECT MIN(rowid) FROM "{self.table}"')
        return rows > 0 and first == 1 and self.approx_rows == rows

    @property
    def approx_rows(self) -> int:
        """The table's size, read at once from its last rowid (rows are never deleted from a
        built database): tells a table a synchronous count or scan can afford from a large one."""
        return self._cached_int(f'SELECT MAX(rowid) FROM "{self.table}"')

    def _cached_int(self, sql: str) -> int:
        """A number that cannot change in a read-only database, read once (0 for NULL)."""
        if sql not in self._cached:
            row = self.db.query_one(sql)
            self._cached[sql] = int(row[0]) if row and row[0] is not None else 0
        return self._cached[sql]

    def total(self) -> int:
        """Every row of the table (counted once: the database never changes while open)."""
        return self._cached_int(f'SELECT COUNT(*) FROM "{self.table}"')

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column of the table, in table order (whole-table exports)."""
        return tuple(self._columns)

    @property
    def grid_columns(self) -> tuple[str, ...]:
        """The columns a table view shows (its fields and their sort columns), after the id and
        the verification status: what `rows()` selects, in this order."""
        return self._grid

    def page(self, query: Query, offset: int, limit: int, total: int | None = None) -> list[T]:
        """Records offset..offset+limit in the query's order (every column). When `total` is known
        and the page lies in the second half, the order is reversed so SQLite skips fewer rows."""
        rows = self._select(query, offset, limit, total, "t.*")
        return [r.from_row(self.spec.record_type, self._columns, row) for row in rows]

    def rows(
        self,
        query: Query,
        offset: int,
        limit: int,
        total: int | None = None,
        conn: sqlite3.Connection | None = None,
    ) -> list[tuple[Any, ...]]:
        """Like `page`, as plain tuples of `grid_columns`: what a table view needs, without building
        a record per row (a keystroke's page of rows). `conn`: a worker's own connection."""
        return self._select(query, offset, limit, total, self._grid_select, conn)

    def index_driven(self, query: Query) -> bool:
        """Whether the first page of `query` is read through an index whatever the table's size:
        no search and no filter, or a search the trigram index can look up with no filter. Others
        (a one- or two-letter word, a rare filter value) may read the whole table to fill a page."""
        if query.filters or query.year_from is not None or query.year_to is not None:
            return False
        terms = self._terms(query.search)
        return terms.empty or not terms.short

    def _select(
        self,
        query: Query,
        offset: int,
        limit: int,
        total: int | None,
        select: str,
        conn: sqlite3.Connection | None = None,
    ) -> list[tuple[Any, ...]]:
        if total is not None and offset >= total:
            return []  # past the end (reversed, the LIMIT would go negative: "no limit" to SQLite)
        terms = self._terms(query.search)
        if self._ranker is not None and self.ranked(query):
            filters = self.where(query._replace(search=""))
            rowids = self._ranker.rowids(terms, filters, offset, limit, total, conn)
            return self._ranked_rows(rowids, select, conn)
        col, asc = self.sort_column(query)
        if offset >= DENSE_JUMP_OFFSET and self._rowid_range(query, total):
            # Every row, in the order the rowids follow, which run 1..N without a gap: the page is
            # a rowid range wherever it lies (OFFSET would step over every row before it).
            n = self.approx_rows
            lo, hi = (offset + 1, offset + limit) if asc else (n - offset - limit + 1, n - offset)
            sql = (
                f'SELECT {select} FROM "{self.table}" t WHERE t.rowid BETWEEN ? AND ? '
                f"ORDER BY t.rowid {'ASC' if asc else 'DESC'}"
            )
            args0 = [max(1, lo), hi]
            return self.db.query(sql, args0, conn)
        many = not terms.empty and col != self._rowid_order and self._many_matches(terms, conn)
        where, params = self.where(query, by_sort_index=many)
        reverse = total is not None and offset > total // 2
        if reverse:
            assert total is not None
            end = min(total, offset + limit)
            offset, limit = max(0, total - end), end - offset
        sql = (
            f'SELECT {select} FROM "{self.table}" t WHERE {where} '
            f"ORDER BY {self.order_by(query, reverse)} LIMIT ? OFFSET ?"
        )
        args: list[Any] = [*params, limit, offset]
        if not terms.empty and col == self._rowid_order:
            # Rowids follow this order: walk the search index's matches in rowid order and stop
            # after the page, rather than collect and sort every match (a million, for "pol").
            sub, fts_params = fts_condition(f"fts_{self.table}", terms, "rowid AS r")
            args = [*fts_params]
            d = "ASC" if asc != reverse else "DESC"
            rest, rest_params = self.where(query._replace(search=""))
            if rest == "1":  # skip rows inside the index, before reading the table
                sub += f" ORDER BY rowid {d} LIMIT ? OFFSET ?"
                sql = (
                    f'SELECT {select} FROM ({sub}) f JOIN "{self.table}" t ON t.rowid = f.r ORDER BY f.r {d}'
                )
                args += [limit, offset]
            else:
                sql = (
                    f'SELECT {select} FROM ({sub}) f JOIN "{self.table}" t ON t.rowid = f.r '
                    f"WHERE {rest} ORDER BY f.r {d} LIMIT ? OFFSET ?"
                )
                args += [*rest_params, limit, offset]
        rows = self.db.query(sql, args, conn)
        if reverse:
            rows.reverse()
        return rows

    def _rowid_range(self, query: Query, total: int | None) -> bool:
        """Whether any page of `query` is a rowid range: every row, in the order the rowids follow
        (the stored order), rowids running 1..N without a gap."""
        return (
            total is not None
            and self.sort_column(query)[0] == self._rowid_order
            and query._replace(order=None) == Query()
            and self._dense_rowids(total)
        )

    def reads_directly(self, query: Query, offset: int, total: int | None) -> bool:
        """Whether the page at `offset` is read without stepping over most of the rows before it:
        within DENSE_JUMP_OFFSET rows of either end of the query's rows (a page in the second half
        is read from the end, in reverse), or any page of every row in the stored order (a rowid
        range). Others step over `offset` rows through an index: hundreds of milliseconds in the
        middle of a million."""
        if offset < DENSE_JUMP_OFFSET or (total is not None and total - offset <= DENSE_JUMP_OFFSET):
            return True
        return self._rowid_range(query, total)

    def _many_matches(self, terms: Terms, conn: sqlite3.Connection | None = None) -> bool:
        """Whether a search matches at least MANY_MATCHES rows (read from the index, capped)."""
        if not self._rowid_order:
            return False
        sub, params = fts_condition(f"fts_{self.table}", terms, "1")
        sql, args = f"SELECT COUNT(*) FROM ({sub} LIMIT ?)", [*params, MANY_MATCHES]
        row = self.db.query_one(sql, args, conn)
        return bool(row and row[0] >= MANY_MATCHES)

    def position(self, query: Query, record_id: str) -> int | None:
        """The row number of a record under `query`, or None when the query excludes it."""
        col, asc = self.sort_column(query)
        where, params = self.where(query)
        if self._ranker is not None and self.ranked(query):
            hit = self.db.query_one(f'SELECT t.rowid FROM "{self.table}" t WHERE t.id = ?', [record_id])
            if hit is None:
                return None
            rest = self.where(query._replace(search=""))
            return self._ranker.position(self._terms(query.search), rest, int(hit[0]))
        if col == self._rowid_order:
            found = self.db.query_one(
                f'SELECT t.rowid FROM "{self.table}" t WHERE t.id = ? AND {where}', [record_id, *params]
            )
            if found is None:
                return None
            op = "<" if asc else ">"
            n = self.db.query_one(
                f'SELECT COUNT(*) FROM "{self.table}" t WHERE {where} AND t.rowid {op} ?', [*params, found[0]]
            )
            return int(n[0]) if n else None
        row = self.db.query_one(
            f'SELECT t."{col}" FROM "{self.table}" t WHERE t.id = ? AND {where}', [record_id, *params]
        )
        if row is None:
            return None
        value = row[0]
        c = f't."{col}" COLLATE NOCASE'
        lt = "<" if asc else ">"
        if value is None:
            # NULL sorts first ascending, last descending.
            before = (
                f'(t."{col}" IS NULL AND t.id {lt} ?)' if asc else (f'(t."{col}" IS NOT NULL OR t.id {lt} ?)')
            )
            extra: list[Any] = [record_id]
        else:
            null_first = f't."{col}" IS NULL OR ' if asc else ""
            before = f"({null_first}{c} {lt} ? OR ({c} = ? AND t.id {lt} ?))"
            extra = [value, value, record_id]
        n = self.db.query_one(
            f'SELECT COUNT(*) FROM "{self.table}" t WHERE {where} AND {before}', [*params, *extra]
        )
        return int(n[0]) if n else None

    def match_reason(self, record_id: str, search: str) -> Reason | None:
        """Where `search` was found in the record (column, snippet, spans); None when nowhere."""
        terms = self._terms(search)
        return None if terms.empty else match_reason(self.db, self.table, record_id, terms, self.spec.label)

    def get(self, record_id: str) -> T | None:
        row = self.db.query_one(f'SELECT * FROM "{self.table}" WHERE id = ?', (record_id,))
        return r.from_row(self.spec.record_type, self._columns, row) if row else None

    def iter_values(
        self,
        query: Query,
        keys: list[str],
        conn: sqlite3.Connection | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream the values of `keys` for every row matching `query`, in its order (exports)."""
        cols = ", ".join(f't."{self._check_key(k)}"' for k in keys)
        if self.ranked(query):
            return (row for batch in self._iter_ranked(query, cols, conn, 4096) for row in batch)
        where, params = self.where(query)
        sql = f'SELECT {cols} FROM "{self.table}" t WHERE {where} ORDER BY {self.order_by(query)}'
        return self.db.iterate(sql, params, conn)

    def iter_value_batches(
        self, query: Query, keys: list[str], conn: sqlite3.Connection | None = None, size: int = 4096
    ) -> Iterator[list[tuple[Any, ...]]]:
        """`iter_values` in lists of up to `size` rows (CSV export)."""
        cols = ", ".join(f't."{self._check_key(k)}"' for k in keys)
        if self.ranked(query):
            return self._iter_ranked(query, cols, conn, size)
        where, params = self.where(query)
        sql = f'SELECT {cols} FROM "{self.table}" t WHERE {where} ORDER BY {self.order_by(query)}'
        return self.db.iterate_batches(sql, params, conn, size)

    def facet_counts(
        self, key: str, query: Query = Query(), conn: sqlite3.Connection | None = None
    ) -> list[tuple[str, int]]:
        """Values of `key` with their row counts under `query` minus its own filter on `key`."""
        col = self._check_key(key)
        where, params = self.where(query.without_filter(key))
        # Grouped on the column itself, so SQLite reads the column's index in order (a million
        # rows: about 0.2 s instead of 0.9 s sorting an expression); empty and NULL merged here.
        sql = f'SELECT t."{col}", COUNT(*) FROM "{self.table}" t WHERE {where} GROUP BY t."{col}"'
        counts: dict[str, int] = {}
        for v, n in self.db.query(sql, params, conn):
            value = "" if v is None else str(v)
            counts[value] = counts.get(value, 0) + int(n)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def facet_labels(
        self, key: str, values: list[str], conn: sqlite3.Connection | None = None
    ) -> dict[str, str]:
        """How the values of facet `key` are named for people (values named as stored are left out)."""
        kind = next((f.labels for f in self.spec.facets if f.key == key), "")
        if kind == "datasets":
            return {v: dataset_label(v) for v in values}
        if kind == "vendors" and values:
            found: dict[str, str] = {}
            for i in range(0, len(values), 500):  # within SQLite's limit on parameters
                part = values[i : i + 500]
                marks = ", ".join("?" for _ in part)
                rows = self.db.query(f"SELECT id, name FROM vendors WHERE id IN ({marks})", part, conn)
                found.update((str(i_), str(n)) for i_, n in rows)
            return found
        return {}

    def year_bounds(self) -> tuple[int, int] | None:
        if not self.spec.year_column:
            return None
        # Two queries: each is one step along the build's index on the year expression.
        year = self.spec.year_column
        low = self.db.query_one(f'SELECT MIN({year}) FROM "{self.table}" t WHERE {year} > 0')
        high = self.db.query_one(f'SELECT MAX({year}) FROM "{self.table}" t')
        if not low or low[0] is None or not high or high[0] is None:
            return None
        return int(low[0]), int(high[0])

    def citations(self, record_id: str) -> list[Citation]:
        rows = self.db.query(
            "SELECT s.id, s.url, s.publisher, s.title, s.date, s.kind, s.dataset_id, s.note, "
            "COALESCE(d.name, '') FROM citations c JOIN sources s ON s.id = c.source_id "
            "LEFT JOIN datasets d ON d.id = s.dataset_id "
            "WHERE c.entity = ? AND c.record_id = ? ORDER BY s.date, s.publisher, s.id",
            (self.table, record_id),
        )
        return [Citation(r.Source(*row[:8]), str(row[8])) for row in rows]

    def source_urls(
        self, record_ids: list[str], conn: sqlite3.Connection | None = None
    ) -> dict[str, list[str]]:
        """The URLs of the sources each record cites, in the detail pane's order (date, publisher);
        records citing none are left out. One query per 500 ids (SQLite's parameter limit)."""
        found: dict[str, list[str]] = {}
        for i in range(0, len(record_ids), 500):
            part = record_ids[i : i + 500]
            marks = ", ".join("?" for _ in part)
            rows = self.db.query(
                "SELECT c.record_id, s.url FROM citations c JOIN sources s ON s.id = c.source_id "
                f"WHERE c.entity = ? AND c.record_id IN ({marks}) "
                "ORDER BY c.record_id, s.date, s.publisher, s.id",
                [self.table, *part],
                conn,
            )
            for record_id, url in rows:
                if url:
                    found.setdefault(str(record_id), []).append(str(url))
        return found

    def label_of(self, record_id: str) -> str:
        row = self.db.query_one(f'SELECT "{self.spec.label}" FROM "{self.table}" WHERE id = ?', (record_id,))
        return str(row[0]) if row and row[0] is not None else record_id

    def dataset(self, dataset_id: str | None) -> r.Dataset | None:
        if not dataset_id:
            return None
        row = self.db.query_one("SELECT * FROM datasets WHERE id = ?", (dataset_id,))
        if not row:
            return None
        cols = self.db.columns("datasets")
        return r.from_row(r.Dataset, cols, row)


class VendorRepository(Repository[r.Vendor]):
    def deployments(self, vendor_id: str, limit: int = RELATED_LIMIT) -> list[Link]:
        rows = self.db.query(
            "SELECT id, customer_name, status, start, end, product, verification FROM deployments "
            "WHERE vendor_id = ? ORDER BY customer_name COLLATE NOCASE, customer_id, id LIMIT ?",
            (vendor_id, limit),
        )
        return [Link("deployments", i, f"{c} — {st}", _span(s, e, p), v) for i, c, st, s, e, p, v in rows]

    def customers(self, vendor_id: str, limit: int = RELATED_LIMIT) -> list[Link]:
        # The first customers in name order straight from the build's index on (vendor_id,
        # customer_name, customer_id, id), then their details: not every deployment sorted.
        rows = self.db.query(
            "SELECT c.id, c.name, c.type, c.country, c.verification FROM "
            "(SELECT DISTINCT customer_id, customer_name FROM deployments WHERE vendor_id = ? "
            "ORDER BY customer_name COLLATE NOCASE, customer_id LIMIT ?) d "
            "JOIN customers c ON c.id = d.customer_id ORDER BY d.customer_name COLLATE NOCASE, d.customer_id",
            (vendor_id, limit),
        )
        return [Link("customers", i, n, _join(t, co), v) for i, n, t, co, v in rows]

    def counts(self, vendor_id: str, limit: int = RELATED_LIMIT) -> list[Link]:
        rows = self.db.query(
            "SELECT id, value_text, subject, as_of, region, verification FROM customer_counts "
            "WHERE vendor_id = ? ORDER BY as_of, id LIMIT ?",
            (vendor_id, limit),
        )
        return [Link("customer_counts", i, f"{vt} {s}", _join(a, rg), v) for i, vt, s, a, rg, v in rows]

    def counts_by_counted(self, vendor_id: str) -> list[tuple[str, list[Link]]]:
        """A vendor's counts grouped by what was counted (in the vocabulary's order), each with
        its date, region and sources; a count of another product than face recognition says so."""
        rows = self.db.query(
            "SELECT c.id, c.value_text, c.subject, c.as_of, c.region, c.verification, c.counted, "
            "c.product, c.scope, (SELECT group_concat(publisher, '; ') FROM (SELECT DISTINCT s.publisher "
            "FROM citations ci JOIN sources s ON s.id = ci.source_id "
            "WHERE ci.entity = 'customer_counts' AND ci.record_id = c.id ORDER BY s.publisher)) "
            f"FROM customer_counts c WHERE c.vendor_id = ? ORDER BY {schema.COUNTED.sql_rank('c.counted')}, "
            "c.as_of, c.id LIMIT ?",
            (vendor_id, RELATED_LIMIT),
        )
        groups: dict[str, list[Link]] = {}
        for i, vt, s, a, rg, v, counted, product, scope, publishers in rows:
            other = (
                ""
                if product == schema.FACE_RECOGNITION
                else f"another product: {schema.PRODUCTS.label(product)}"
            )
            part = "one region or group only" if scope == "part" else ""
            note = _join(a, rg, part, other, f"source: {publishers}" if publishers else "no source")
            groups.setdefault(str(counted), []).append(Link("customer_counts", i, f"{vt} {s}", note, v))
        return list(groups.items())

    def studies(self, vendor_id: str) -> list[Link]:
        rows = self.db.query(
            "SELECT s.id, s.title, s.date, s.verification FROM study_vendors sv "
            "JOIN studies s ON s.id = sv.study_id WHERE sv.vendor_id = ? ORDER BY s.date, s.id",
            (vendor_id,),
        )
        return [Link("studies", i, t, d or "", v) for i, t, d, v in rows]

    def events(self, vendor_id: str, limit: int = RELATED_LIMIT) -> list[Link]:
        rows = self.db.query(
            "SELECT e.id, e.title, e.date, e.kind, e.verification FROM event_vendors ev "
            "JOIN events e ON e.id = ev.event_id WHERE ev.vendor_id = ? ORDER BY e.date, e.id LIMIT ?",
            (vendor_id, limit),
        )
        return [Link("events", i, t, _join(d, k), v) for i, t, d, k, v in rows]

    def as_customer(self, vendor_id: str) -> list[Link]:
        """The same organisation in its customer role (one id across roles; the build checks it)."""
        rows = self.db.query(
            "SELECT id, name, type, vendor_count, event_count, verification FROM customers WHERE id = ?",
            (vendor_id,),
        )
        return [
            Link("customers", i, n, _role_note(t, "vendor", vc, "event", ec), v)
            for i, n, t, vc, ec, v in rows
        ]


def _role_note(kind: str, first: str, n: int, second: str, m: int) -> str:
    """'private company · 2 vendors · 1 event'."""
    return _join(kind, *(_plural(k, w) for k, w in ((n, first), (m, second)) if k))


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


class CustomerRepository(Repository[r.Customer]):
    def deployments(self, customer_id: str, limit: int = RELATED_LIMIT) -> list[Link]:
        rows = self.db.query(
            "SELECT id, vendor_name, status, start, end, product, verification FROM deployments "
            "WHERE customer_id = ? ORDER BY vendor_name COLLATE NOCASE, id LIMIT ?",
            (customer_id, limit),
        )
        return [Link("deployments", i, f"{vn} — {st}", _span(s, e, p), v) for i, vn, st, s, e, p, v in rows]

    def vendors(self, customer_id: str, limit: int = RELATED_LIMIT) -> list[Link]:
        rows = self.db.query(
            "SELECT DISTINCT v.id, v.name, v.hq_country, v.verification FROM deployments d "
            "JOIN vendors v ON v.id = d.vendor_id WHERE d.customer_id = ? "
            "ORDER BY v.name COLLATE NOCASE, v.id LIMIT ?",
            (customer_id, limit),
        )
        return [Link("vendors", i, n, c or "", v) for i, n, c, v in rows]

    def events(self, customer_id: str, limit: int = RELATED_LIMIT) -> list[Link]:
        rows = self.db.query(
            "SELECT e.id, e.title, e.date, e.kind, e.verification FROM event_customers ec "
            "JOIN events e ON e.id = ec.event_id WHERE ec.customer_id = ? ORDER BY e.date, e.id LIMIT ?",
            (customer_id, limit),
        )
        return [Link("events", i, t, _join(d, k), v) for i, t, d, k, v in rows]

    def parent(self, customer_id: str) -> list[Link]:
        rows = self.db.query(
            "SELECT p.id, p.name, p.verification FROM customers c JOIN customers p "
            "ON p.id = c.parent_id WHERE c.id = ?",
            (customer_id,),
        )
        return [Link("customers", i, n, "parent organisation", v) for i, n, v in rows]

    def as_vendor(self, customer_id: str) -> list[Link]:
        """The same organisation in its vendor role (one id across roles; the build checks it)."""
        rows = self.db.query(
            "SELECT id, name, customer_count, event_count, verification FROM vendors WHERE id = ?",
            (customer_id,),
        )
        return [
            Link("vendors", i, n, _role_note("vendor", "customer", cc, "event", ec), v)
            for i, n, cc, ec, v in rows
        ]


class DeploymentRepository(Repository[r.Deployment]):
    def parties(self, deployment_id: str) -> list[Link]:
        rows = self.db.query(
            "SELECT v.id, v.name, v.verification, c.id, c.name, c.verification FROM deployments d "
            "JOIN vendors v ON v.id = d.vendor_id JOIN customers c ON c.id = d.customer_id "
            "WHERE d.id = ?",
            (deployment_id,),
        )
        out: list[Link] = []
        for vi, vn, vv, ci, cn, cv in rows:
            out += [Link("vendors", vi, vn, "vendor", vv), Link("customers", ci, cn, "customer", cv)]
        return out


class CountRepository(Repository[r.CustomerCount]):
    def vendor(self, count_id: str) -> list[Link]:
        rows = self.db.query(
            "SELECT v.id, v.name, v.verification FROM customer_counts c JOIN vendors v "
            "ON v.id = c.vendor_id WHERE c.id = ?",
            (count_id,),
        )
        return [Link("vendors", i, n, "vendor", v) for i, n, v in rows]


class StudyRepository(Repository[r.Study]):
    def figures(self, study_id: str) -> list[r.StudyFigure]:
        cols = self.db.columns("study_figures")
        rows = self.db.query(
            "SELECT * FROM study_figures WHERE study_id = ? "
            "ORDER BY vendor_label COLLATE NOCASE, subgroup, metric, id",
            (study_id,),
        )
        return [r.from_row(r.StudyFigure, cols, row) for row in rows]

    def vendors(self, study_id: str) -> list[Link]:
        rows = self.db.query(
            "SELECT v.id, v.name, v.verification FROM study_vendors sv JOIN vendors v "
            "ON v.id = sv.vendor_id WHERE sv.study_id = ? ORDER BY v.name COLLATE NOCASE",
            (study_id,),
        )
        return [Link("vendors", i, n, "", v) for i, n, v in rows]


class EventRepository(Repository[r.Event]):
    def vendors(self, event_id: str) -> list[Link]:
        rows = self.db.query(
            "SELECT v.id, v.name, v.verification FROM event_vendors ev JOIN vendors v "
            "ON v.id = ev.vendor_id WHERE ev.event_id = ? ORDER BY v.name COLLATE NOCASE",
            (event_id,),
        )
        return [Link("vendors", i, n, "", v) for i, n, v in rows]

    def customers(self, event_id: str) -> list[Link]:
        rows = self.db.query(
            "SELECT c.id, c.name, c.verification FROM event_customers ec JOIN customers c "
            "ON c.id = ec.customer_id WHERE ec.event_id = ? ORDER BY c.name COLLATE NOCASE",
            (event_id,),
        )
        return [Link("customers", i, n, "", v) for i, n, v in rows]


class SourceRepository(Repository[r.Source]):
    def cited_by_count(self, source_id: str) -> int:
        row = self.db.query_one("SELECT COUNT(*) FROM citations WHERE source_id = ?", (source_id,))
        return int(row[0]) if row else 0

    def cited_by(self, source_id: str, limit: int = RELATED_LIMIT) -> list[Link]:
        rows = self.db.query(
            "SELECT entity, record_id FROM citations WHERE source_id = ? ORDER BY entity, record_id LIMIT ?",
            (source_id, limit),
        )
        out: list[Link] = []
        for entity, rid in rows:
            spec = ALL_SPECS.get(entity)
            if spec is None:
                continue
            label_row = self.db.query_one(f'SELECT "{spec.label}" FROM "{spec.table}" WHERE id = ?', (rid,))
            label = str(label_row[0]) if label_row and label_row[0] else rid
            target = entity if entity in ENTITIES else "studies"
            if entity == "study_figures":
                st = self.db.query_one("SELECT study_id FROM study_figures WHERE id = ?", (rid,))
                rid = str(st[0]) if st else rid
            out.append(Link(target, rid, label, spec.singular))
        return out


class DatasetRepository(Repository[r.Dataset]):
    def all(self) -> list[r.Dataset]:
        return self.page(Query(), 0, 1000)


class FigureRepository(Repository[r.StudyFigure]):
    pass


# The link tables (no page of their own), with their columns, for the export of everything.
LINK_TABLES: dict[str, tuple[str, ...]] = {
    "citations": ("entity", "record_id", "source_id"),
    "study_vendors": ("study_id", "vendor_id"),
    "event_vendors": ("event_id", "vendor_id"),
    "event_customers": ("event_id", "customer_id"),
}


class LinkRepository:
    """Reads the link tables whole, in key order."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _table(self, table: str) -> tuple[str, ...]:
        if table not in LINK_TABLES:
            raise UnknownName(f"unknown table '{table}'")
        return LINK_TABLES[table]

    def count(self, table: str, conn: sqlite3.Connection | None = None) -> int:
        self._table(table)
        sql = f'SELECT COUNT(*) FROM "{table}"'
        row = self.db.query_one(sql, (), conn)
        return int(row[0]) if row else 0

    def iter_rows(self, table: str, conn: sqlite3.Connection | None = None) -> Iterator[tuple[Any, ...]]:
        cols = ", ".join(f'"{c}"' for c in self._table(table))
        return self.db.iterate(f'SELECT {cols} FROM "{table}" ORDER BY {cols}', (), conn)


class Repositories:
    """Every repository over one database, built once by the composition root."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.vendors = VendorRepository(db, ENTITIES["vendors"])
        self.customers = CustomerRepository(db, ENTITIES["customers"])
        self.deployments = DeploymentRepository(db, ENTITIES["deployments"])
        self.customer_counts = CountRepository(db, ENTITIES["customer_counts"])
        self.studies = StudyRepository(db, ENTITIES["studies"])
        self.events = EventRepository(db, ENTITIES["events"])
        self.sources = SourceRepository(db, ENTITIES["sources"])
        self.datasets = DatasetRepository(db, ENTITIES["datasets"])
        self.study_figures = FigureRepository(db, FIGURES)
        self.links = LinkRepository(db)
        self.search = Searcher(self)

    def for_entity(self, entity: str) -> Repository[Any]:
        repo = getattr(self, entity, None)
        if not isinstance(repo, Repository):
            raise UnknownName(f"unknown table '{entity}'")
        return repo


def _span(start: str | None, end: str | None, product: str | None) -> str:
    when = ""
    if start or end:
        when = f"{start or '?'} – {end or ''}".strip()
    return _join(when, product or "")


def _join(*parts: str | None) -> str:
    return " · ".join(p for p in parts if p)
