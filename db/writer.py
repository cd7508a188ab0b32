"""Writing a database: tables as `faceledger.data.schema` declares them, rows in each page's
order, indexes, the statistics the charts read, the full-text search index, then VACUUM and the
checksum manifest. Shared by the build and the synthetic benchmark generator."""

from __future__ import annotations

import operator
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import sqlite_utils

from db.collection import BuildError
from faceledger.data import charts
from faceledger.data.entities import ALL_SPECS, ENTITIES, HEADING_COLUMNS, record_heading
from faceledger.data.manifest import write_manifest
from faceledger.data.schema import (
    TABLE,
    TABLES,
    search_index,
    search_indexes,
    trigram_rows,
    word_index,
    word_list,
)
from faceledger.data.text import search_text

SCHEMA_VERSION = 1

# Indexes for lookups and ranges; the columns pages filter on are indexed by FACET_INDEXES below.
INDEXES: list[tuple[str, list[str]]] = [
    ("customers", ["name"]),
    ("deployments", ["start"]),
    ("events", ["date"]),
    ("events", ["year"]),
    ("customer_counts", ["as_of"]),
    ("citations", ["entity", "record_id"]),
    ("aliases", ["alias"]),
]

# Every column a page filters on, indexed: its filter's counts (one GROUP BY per filter, run after
# each change) are then read from the index in order, not sorted again in memory (at a million
# deployments a sort for the Verification filter cost 2 MiB of the worker's memory each time).
FACET_INDEXES: list[tuple[str, str]] = sorted(
    {(s.table, f.key) for s in ENTITIES.values() for f in s.facets}
    & {(t.name, c) for t in TABLES for c in t.column_names}
)


def _page_orders() -> dict[str, str]:
    """Per record type, the column its page sorts on by default (as the repositories resolve it)."""
    out = {}
    for spec in ALL_SPECS.values():
        try:
            out[spec.table] = spec.field(spec.default_sort).sort_key
        except KeyError:
            out[spec.table] = spec.default_sort
    return out


# Rows of each record type are stored in its page's default order ("column" COLLATE NOCASE, id),
# and its search index shares their rowids: the app reads the first page of a search straight
# from the index, in order, instead of sorting every match (meta key rowid_order.<table>).
ROW_ORDER: dict[str, str] = _page_orders()
# Every other column a page sorts on, indexed as it sorts (COLLATE NOCASE, then id), so that a
# million rows sorted by any column are read from an index, not sorted again for each page.
SORT_INDEXES: list[tuple[str, str]] = sorted(
    {(s.table, f.sort_key) for s in ENTITIES.values() for f in s.fields if f.sort_key != ROW_ORDER[s.table]}
)
# Year expressions a page filters on ("CAST(substr(start, 1, 4) AS INTEGER)"): indexed so that
# the year range of a million rows is two index steps, not a scan.
YEAR_INDEXES: list[tuple[str, str]] = [
    (s.table, s.year_column) for s in ENTITIES.values() if s.year_column and "(" in s.year_column
]

# Columns of every table in order, primary keys, foreign keys and column types: all from the one
# declaration of tables (faceledger.data.schema).
SCHEMA: dict[str, list[str]] = {t.name: list(t.column_names) for t in TABLES}
PKS: dict[str, str | tuple[str, ...]] = {t.name: t.pk for t in TABLES}
FKS: dict[str, list[tuple[str, str, str]]] = {
    t.name: [(c.name, c.references, "id") for c in t.columns if c.references]
    for t in TABLES
    if any(c.references for c in t.columns)
}
# What the full-text index holds per table: (label column, columns searched)
SEARCH_SPEC: dict[str, tuple[str, list[str]]] = {
    t.name: (t.search_label, list(t.search_columns)) for t in TABLES if t.search_label
}
# The order tables are written in: each after the tables it points to.
ORDER: tuple[str, ...] = tuple(t.name for t in TABLES)


def write_database(out: Path, tables: Mapping[str, Iterable[dict[str, Any]]], meta: dict[str, str]) -> None:
    """Write `tables` (rows per table, each an iterable that is read once) and `meta` to `out`."""
    tmp = out.with_name(out.name + ".building")
    if tmp.exists():
        tmp.unlink()
    conn = sqlite3.connect(str(tmp))
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA journal_mode=DELETE")
    # No fsync while building: the file is a temporary one, renamed into place when complete.
    # A larger cache and in-memory sorting speed up indexes at a million rows; neither is stored.
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-262144")
    db.execute("PRAGMA temp_store=MEMORY")
    for name in ORDER:
        rows = tables[name]
        columns = _columns_of(name)
        db[name].create(
            columns,
            pk=PKS[name],
            foreign_keys=FKS.get(name, []),
            not_null=_not_null(name),
        )
        if name in ROW_ORDER:
            _insert_in_page_order(db, name, columns, rows)
        else:
            _insert_rows(db.conn, name, rows)
    _store_reported_customers(db.conn)
    for table, cols in INDEXES:
        db[table].create_index(cols)
    for table, col in FACET_INDEXES:
        db[table].create_index([col])
    for table, col in SORT_INDEXES:
        db.execute(f'CREATE INDEX "idx_{table}_{col}_sort" ON "{table}"("{col}" COLLATE NOCASE, id)')
    for table, expression in YEAR_INDEXES:
        db.execute(f'CREATE INDEX "idx_{table}_year" ON "{table}"({expression})')
    # A vendor's deployments and customers in name order, for its detail pane, from one index.
    db.execute(
        'CREATE INDEX "idx_deployments_vendor_customer" ON deployments'
        "(vendor_id, customer_name COLLATE NOCASE, customer_id, id)"
    )
    db.index_foreign_keys()
    # The vendor statistics the charts read (precomputed so the chart query is an index lookup).
    db.execute(
        """CREATE TABLE vendor_customer_stats AS
           SELECT vendor_id, status, COUNT(DISTINCT customer_id) AS customers,
                  COUNT(*) AS deployments
           FROM deployments GROUP BY vendor_id, status ORDER BY vendor_id, status"""
    )
    db.execute("CREATE INDEX idx_vendor_customer_stats ON vendor_customer_stats(vendor_id)")
    # The same split further by customer type and country (the chart's filters). A customer has
    # one type and one country, so distinct-customer counts add up across types and countries.
    db.execute(
        """CREATE TABLE vendor_customer_facets AS
           SELECT vendor_id, status, COALESCE(customer_type, '') AS customer_type,
                  COALESCE(customer_country, '') AS customer_country,
                  COUNT(DISTINCT customer_id) AS customers, COUNT(*) AS deployments
           FROM deployments GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"""
    )
    # Covering, and ordered by vendor within a filter value, so a filtered chart reads rows in order.
    for col, other in (("customer_type", "customer_country"), ("customer_country", "customer_type")):
        db.execute(
            f"CREATE INDEX idx_vendor_customer_facets_{col} ON vendor_customer_facets"
            f"({col}, vendor_id, status, {other}, customers, deployments)"
        )
    # The same summed over the other facet, for a chart filtered on one of the two (the common
    # case): a few rows per vendor and status instead of one per type and country.
    db.execute(
        """CREATE TABLE vendor_customer_by_filter AS
           SELECT 'customer_type' AS filter, customer_type AS value, vendor_id, status,
                  SUM(customers) AS customers, SUM(deployments) AS deployments
           FROM vendor_customer_facets GROUP BY customer_type, vendor_id, status
           UNION ALL
           SELECT 'customer_country', customer_country, vendor_id, status, SUM(customers), SUM(deployments)
           FROM vendor_customer_facets GROUP BY customer_country, vendor_id, status
           ORDER BY 1, 2, 3, 4"""
    )
    db.execute(
        "CREATE INDEX idx_vendor_customer_by_filter ON vendor_customer_by_filter"
        "(filter, value, vendor_id, status, customers, deployments)"
    )
    _write_search_index(db)
    db["meta"].create({"key": str, "value": str}, pk="key")
    meta = {**meta, **{f"rowid_order.{t}": col for t, col in ROW_ORDER.items()}}
    db["meta"].insert_all([{"key": k, "value": v} for k, v in sorted(meta.items())])
    conn.commit()
    db.execute("VACUUM")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp.replace(out)
    write_manifest(out)


def _store_reported_customers(conn: sqlite3.Connection) -> None:
    """Each vendor's "Reported customers": the count the default count chart shows for it, by
    the chart's own query (faceledger.data.charts), with its year and verification."""
    sql, params = charts.chosen_counts_sql()
    rows = conn.execute(
        f"SELECT vendor_id, qualifier, value, value_text, as_of, verification FROM ({sql})", params
    ).fetchall()
    conn.executemany(
        "UPDATE vendors SET reported_customers = ?, reported_customers_sort = ? WHERE id = ?",
        [
            (charts.reported_text(text, as_of, ver), charts.reported_sort_key(q, value), vid)
            for vid, q, value, text, as_of, ver in rows
        ],
    )
    conn.commit()


def _insert_in_page_order(
    db: sqlite_utils.Database, name: str, columns: dict[str, type], rows: Iterable[dict[str, Any]]
) -> None:
    """Insert through a staging table, then copy in ROW_ORDER (so rowids follow that order)."""
    staging = db.table(f"_unsorted_{name}")
    staging.create(columns)
    _insert_rows(db.conn, name, rows, into=staging.name)
    cols = ", ".join(f'"{c}"' for c in SCHEMA[name])
    db.execute(
        f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM "{staging.name}" '
        f'ORDER BY "{ROW_ORDER[name]}" COLLATE NOCASE, id'
    )
    staging.drop()
    db.conn.commit()


def _insert_rows(
    conn: sqlite3.Connection, name: str, rows: Iterable[dict[str, Any]], into: str | None = None
) -> None:
    """Insert rows (dicts with exactly the table's SCHEMA columns) in the given order, streaming.

    Plain `executemany` rather than sqlite-utils' `insert_all`, whose per-value conversions cost
    ten times more at a million rows; the values here are already plain text and numbers."""
    cols = SCHEMA[name]
    expected = set(cols)
    get = operator.itemgetter(*cols)
    names = ", ".join(f'"{c}"' for c in cols)
    marks = ", ".join("?" for _ in cols)

    def values() -> Iterator[tuple[Any, ...]]:
        for row in rows:
            if row.keys() != expected:
                raise BuildError(
                    f"{name}: row {row.get('id', row)!r} has columns {sorted(row)}, expected {cols}"
                )
            yield get(row)

    conn.executemany(f'INSERT INTO "{into or name}" ({names}) VALUES ({marks})', values())
    conn.commit()


def _columns_of(name: str) -> dict[str, type]:
    return {c.name: c.type for c in TABLE[name].columns}


def _not_null(name: str) -> set[str]:
    return {c.name for c in TABLE[name].columns if c.not_null}


# The names and aliases that open each record's search text (see `faceledger.data.text`): its
# own name columns ("; "-separated lists split), and "<entity>:<column>" for the names and aliases
# of the organisations a record links to. A search that is exactly one of them ranks first.
SEARCH_KEYS: dict[str, list[str]] = {
    "vendors": ["name", "aliases", "legal_name"],
    "customers": ["name", "aliases"],
    "deployments": ["vendor_name", "customer_name", "vendors:vendor_id", "customers:customer_id"],
    "customer_counts": ["vendor_name", "vendors:vendor_id"],
    "studies": ["title"],
    "study_figures": ["vendor_label"],
    "events": [
        "title",
        "vendor_names",
        "customer_names",
        "vendors:@event_vendors",
        "customers:@event_customers",
    ],
    "sources": ["title", "publisher"],
    "datasets": ["name"],
}


def _search_keys(
    rid: str,
    own: Iterable[Any],
    ids: Iterable[Any],
    linked: list[tuple[str, ...]],
    aliases: dict[tuple[str, str], list[str]],
    links: dict[str, dict[str, list[str]]],
) -> list[str]:
    """A record's names and aliases for its search text: its own (`own`, lists split) and the
    aliases of the organisations it links to, by id column (`ids`) or link table."""
    out = [k for v in own if v for k in str(v).split("; ")]
    id_values = iter(ids)
    for entity, col in linked:
        targets = links[col[1:]].get(rid, []) if col.startswith("@") else [next(id_values)]
        out += [a for t in targets if t for a in aliases.get((entity, str(t)), [])]
    return out


def _write_search_index(db: sqlite_utils.Database) -> None:
    """One trigram FTS5 table per record type over folded text (substring, case- and
    diacritic-insensitive search; aliases included). Per type, so that a page's search never
    wades through another type's hits and the global search can take the best few of each.

    Read back from the written table (streamed, so a million rows are never all in memory); each
    index row has the rowid of its table row."""
    aliases: dict[tuple[str, str], list[str]] = {}
    for entity, rid, alias in db.conn.execute("SELECT entity, record_id, alias FROM aliases ORDER BY rowid"):
        aliases.setdefault((entity, rid), []).append(alias)
    links: dict[str, dict[str, list[str]]] = {}
    for link, key in (("event_vendors", "vendor_id"), ("event_customers", "customer_id")):
        links[link] = {}
        for eid, oid in db.conn.execute(f'SELECT event_id, "{key}" FROM "{link}" ORDER BY rowid'):
            links[link].setdefault(eid, []).append(oid)
    for table, (label_col, cols) in SEARCH_SPEC.items():
        fts = search_index(table)
        for sql in search_indexes(table).values():
            db.execute(sql)
        own = [k for k in SEARCH_KEYS[table] if ":" not in k]
        linked = [tuple(k.split(":", 1)) for k in SEARCH_KEYS[table] if ":" in k]
        id_cols = [c for _e, c in linked if not c.startswith("@")]
        # a hit is named as the detail pane names its record (a deployment: vendor at customer)
        heading = HEADING_COLUMNS.get(table, ())
        select = ", ".join(f'"{c}"' for c in ["id", label_col, *heading, *own, *id_cols, *cols])
        source = db.conn.execute(f'SELECT rowid, {select} FROM "{table}" ORDER BY rowid')
        n_head, n_own, n_ids = len(heading), len(own), len(id_cols)

        def name(rid: str, label: Any, values: list[Any], table: str = table, heading: Any = heading) -> str:
            if not heading:
                return str(label or rid)
            return record_heading(
                table, SimpleNamespace(**dict(zip(heading, values, strict=True))), str(label or rid)
            )

        db.conn.executemany(
            f"INSERT INTO {fts}(rowid, record_id, label, text) VALUES (?, ?, ?, ?)",
            (
                (
                    rowid,
                    rid,
                    name(rid, label, head_and_rest[:n_head]),
                    search_text(
                        _search_keys(rid, rest[:n_own], rest[n_own : n_own + n_ids], linked, aliases, links),
                        (str(v) for v in rest[n_own + n_ids :] if v not in (None, "")),
                    ),
                )
                for rowid, rid, label, *head_and_rest in source
                for rest in (head_and_rest[n_head:],)
            ),
        )
        db.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")
        _write_word_index(db.conn, table)
        _write_trigram_rows(db.conn, table)


def _write_word_index(conn: sqlite3.Connection, table: str) -> None:
    """The words of each record's search text (split at spaces, as `search_text` sets words
    apart), and the list of every word: read back from the written trigram index, streamed."""
    words, listed = word_index(table), word_list(table)
    seen: set[str] = set()

    def texts() -> Iterator[tuple[int, str]]:
        for rowid, text in conn.execute(f"SELECT rowid, text FROM {search_index(table)} ORDER BY rowid"):
            seen.update(text.split(" "))
            yield rowid, text

    conn.executemany(f"INSERT INTO {words}(rowid, text) VALUES (?, ?)", texts())
    seen.discard("")
    conn.executemany(f"INSERT INTO {listed}(word) VALUES (?)", ((w,) for w in sorted(seen)))
    for index in (words, listed):
        conn.execute(f"INSERT INTO {index}({index}) VALUES ('optimize')")


def _write_trigram_rows(conn: sqlite3.Connection, table: str) -> None:
    """How many records hold each trigram, read from the written trigram index by FTS5's own
    vocabulary table (its 'row' kind: one row per term, with the number of records holding it)."""
    vocabulary = f"temp.{search_index(table)}_terms"
    conn.execute(f"CREATE VIRTUAL TABLE {vocabulary} USING fts5vocab(main, {search_index(table)}, 'row')")
    try:
        conn.execute(f"INSERT INTO {trigram_rows(table)}(trigram, records) SELECT term, doc FROM {vocabulary}")
    finally:
        conn.execute(f"DROP TABLE {vocabulary}")
