"""The fast paths of page, count and position (rows stored in page order, the search index sharing
their rowids) give exactly what the plain SQL order gives."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from db import build

from faceledger.data import paging, trigram_count, word_count
from faceledger.data import ranking as ranking_module
from faceledger.data.database import Database
from faceledger.data.entities import ENTITIES
from faceledger.data.repositories import RELATED_LIMIT, Query, Repositories
from faceledger.data.search import fts_condition, match_level, parse_terms
from faceledger.data.text import KEY_CLOSE, KEY_OPEN

TERMS = ["pol", "ice", "a", "de", "clear view", "é", "zz", "police department", "'; --", "nypd", "facial rec"]


@pytest.fixture()
def raw(db_path: Path):  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    yield conn
    conn.close()


def reference(raw: sqlite3.Connection, table: str, query: Query, column: str, asc: bool) -> list[str]:
    """Ids under `query` the slow, obvious way: match ids by record_id, sort by the column."""
    where = "1"
    params: list[str] = []
    terms = parse_terms(query.search)
    if not terms.empty:
        sub, params = fts_condition(f"fts_{table}", terms)
        where = f"id IN ({sub})"
    for key, values in query.filters:
        where += f" AND COALESCE(\"{key}\", '') IN ({', '.join('?' for _ in values)})"
        params = [*params, *values]
    d = "ASC" if asc else "DESC"
    sql = f'SELECT id FROM "{table}" WHERE {where} ORDER BY "{column}" COLLATE NOCASE {d}, id {d}'
    ids = [r[0] for r in raw.execute(sql, params)]
    if query.order is not None or terms.empty:
        return ids
    return ranked(raw, table, ids, query.search, ranking_module.CANDIDATES)


def ranked(raw: sqlite3.Connection, table: str, ids: list[str], search: str, candidates: int) -> list[str]:
    """Best matches first, the slow, obvious way: every row's index text read by id; the rows
    whose name or alias is the search first, then the first `candidates` others by level (and
    a match in the names and aliases first), then the rest in page order."""
    terms = parse_terms(search)
    texts = dict(raw.execute(f"SELECT record_id, text FROM fts_{table}"))
    exact = [i for i in ids if f"{KEY_OPEN} {terms.exact} {KEY_CLOSE}" in texts[i]]
    others = [i for i in ids if i not in exact]
    head, tail = others[:candidates], others[candidates:]
    names = {i: t[: t.index(f"{KEY_CLOSE} | ") + 2] if KEY_CLOSE in t else "" for i, t in texts.items()}
    head.sort(key=lambda i: (match_level(texts[i], terms), match_level(names[i], terms) == 4))
    return exact + head + tail


def test_rows_are_stored_in_page_order_and_share_rowids_with_the_index(raw: sqlite3.Connection) -> None:
    meta = dict(raw.execute("SELECT key, value FROM meta"))
    for table, column in build.ROW_ORDER.items():
        assert meta[f"rowid_order.{table}"] == column
        by_rowid = [r[0] for r in raw.execute(f'SELECT id FROM "{table}" ORDER BY rowid')]
        by_order = [
            r[0] for r in raw.execute(f'SELECT id FROM "{table}" ORDER BY "{column}" COLLATE NOCASE, id')
        ]
        assert by_rowid == by_order, table
        pairs = raw.execute(
            f'SELECT t.id, f.record_id FROM "{table}" t JOIN fts_{table} f ON f.rowid = t.rowid'
        ).fetchall()
        assert len(pairs) == len(by_rowid) and all(a == b for a, b in pairs), table


@pytest.mark.parametrize("candidates", [ranking_module.CANDIDATES, 3])
@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_search_pages_counts_and_positions_follow_the_sort_order(
    repos: Repositories,
    raw: sqlite3.Connection,
    entity: str,
    candidates: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Also when only the first few matches are ranked (as at a million rows): the rest follow."""
    monkeypatch.setattr(ranking_module, "CANDIDATES", candidates)
    repo = repos.for_entity(entity)
    spec = repo.spec
    default = spec.field(spec.default_sort).sort_key
    facet = spec.facets[0].key if spec.facets else None
    for term in TERMS:
        for order in (
            None,
            (spec.default_sort, True),
            (spec.default_sort, False),
            (spec.fields[-1].key, False),
        ):
            queries = [Query(search=term, order=order)]
            if facet is not None:
                value = raw.execute(f'SELECT COALESCE("{facet}", \'\') FROM "{entity}" LIMIT 1').fetchone()
                if value is not None:
                    queries.append(Query(search=term, order=order, filters=((facet, (value[0],)),)))
            for q in queries:
                column, asc = (default, spec.default_ascending) if order is None else (order[0], order[1])
                column = spec.field(column).sort_key
                expected = reference(raw, entity, q, column, asc)
                assert repo.count(q) == len(expected), (term, q)
                got = [r.id for r in repo.page(q, 0, len(expected) + 5)]
                assert got == expected, (term, q)
                if len(expected) > 3:
                    tail = [r.id for r in repo.page(q, len(expected) - 3, 3, len(expected))]
                    assert tail == expected[-3:], (term, q)
                    middle = [r.id for r in repo.page(q, 1, 2)]
                    assert middle == expected[1:3], (term, q)
                for i in (0, len(expected) // 2, len(expected) - 1) if expected else ():
                    assert repo.position(q, expected[i]) == i, (term, q)


def test_many_matches_read_through_the_sort_index_in_the_same_order(
    repos: Repositories, raw: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "MANY_MATCHES", 1)
    repo = repos.customers
    for term in ("po", "ice", "a"):
        for key, asc in (("country", True), ("type", False), ("vendor_count", False)):
            q = Query(search=term, order=(key, asc))
            expected = reference(raw, "customers", q, key, asc)
            assert [r.id for r in repo.page(q, 0, len(expected) + 5)] == expected, (term, key)


def test_year_bounds_match_the_years_present(repos: Repositories, raw: sqlite3.Connection) -> None:
    for entity, spec in ENTITIES.items():
        if not spec.year_column:
            continue
        year = spec.year_column
        low, high = raw.execute(
            f'SELECT MIN({year}), MAX({year}) FROM "{entity}" WHERE {year} > 0'
        ).fetchone()
        assert repos.for_entity(entity).year_bounds() == (None if low is None else (low, high))


def test_a_vendors_customers_are_listed_in_name_order_up_to_the_limit(
    repos: Repositories, raw: sqlite3.Connection
) -> None:
    for (vendor_id,) in raw.execute("SELECT id FROM vendors"):
        expected = [
            r[0]
            for r in raw.execute(
                "SELECT DISTINCT c.id, c.name FROM deployments d JOIN customers c ON c.id = d.customer_id "
                "WHERE d.vendor_id = ? ORDER BY c.name COLLATE NOCASE, c.id",
                (vendor_id,),
            )
        ]
        assert [link.record_id for link in repos.vendors.customers(vendor_id)] == expected[:RELATED_LIMIT]
        assert [link.record_id for link in repos.vendors.customers(vendor_id, limit=2)] == expected[:2]
        n = raw.execute("SELECT COUNT(*) FROM deployments WHERE vendor_id = ?", (vendor_id,)).fetchone()[0]
        assert len(repos.vendors.deployments(vendor_id, limit=3)) == min(3, n)


@pytest.mark.parametrize("parts", [2, 3, 4])
@pytest.mark.parametrize("large", [1, 100])
def test_a_count_split_into_rowid_ranges_equals_the_whole_count(
    repos: Repositories, raw: sqlite3.Connection, parts: int, large: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large indexes are counted in parallel parts (after a capped count, which is the answer when
    the matches are fewer than the cap); every part boundary is counted exactly once."""
    expected = {}
    for entity in sorted(ENTITIES):
        for term in TERMS:
            expected[entity, term] = len(reference(raw, entity, Query(search=term), "id", True))
    monkeypatch.setattr(paging, "PARALLEL_COUNT_ROWS", large)
    monkeypatch.setattr(paging, "COUNT_PARTS", parts)
    for entity in sorted(ENTITIES):
        repo = repos.for_entity(entity)
        for term in TERMS:
            assert repo.count(Query(search=term)) == expected[entity, term], (entity, term)
            with repo.reading() as worker:  # as the table model's count job calls it
                assert worker.count(Query(search=term)) == expected[entity, term], (entity, term)


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_pages_far_into_every_row_read_as_rowid_ranges_match_offsets(
    repos: Repositories, monkeypatch: pytest.MonkeyPatch, entity: str
) -> None:
    """Every row in stored order, far from the start: read as a rowid range (rowids run 1..N),
    the same rows as LIMIT/OFFSET, ascending and descending, to the last page."""
    repo = repos.for_entity(entity)
    total = repo.total()
    column = repo.sort_column(Query())[0]
    orders = [None] + [
        (f.key, asc) for f in repo.spec.fields if f.sort_key == column for asc in (True, False)
    ]
    expected = {order: repo.rows(Query(order=order), 0, total + 5) for order in orders}
    monkeypatch.setattr(paging, "DENSE_JUMP_OFFSET", 0)
    for order in orders:
        rows = expected[order]
        for offset in sorted({0, 1, 7, total // 2, max(0, total - 3), total - 1, total}):
            got = repo.rows(Query(order=order), offset, 50)
            assert got == rows[offset : offset + 50], (entity, order, offset)
            assert repo.rows(Query(order=order), offset, 50, total) == got, (entity, order, offset)


def _trigram_count(raw: sqlite3.Connection, entity: str, search: str) -> int:
    sql, params = fts_condition(f"fts_{entity}", parse_terms(search), "COUNT(*)")
    return int(raw.execute(sql, params).fetchone()[0])


def _answered(
    raw: sqlite3.Connection, db: Database, entity: str, searches: list[str], count: Callable[..., int | None]
) -> int:
    """How many of `searches` `count` answers (None: it leaves them to the trigram index); each
    answer checked against the trigram index's own count."""
    answered = 0
    for search in dict.fromkeys(searches):
        got = count(db, entity, parse_terms(search))
        if got is not None:
            answered += 1
            assert got == _trigram_count(raw, entity, search), (entity, search)
    return answered


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_a_count_through_the_word_index_equals_the_trigram_count(
    raw: sqlite3.Connection, db: Database, entity: str
) -> None:
    """Every word of the index, a piece from inside it, words typed in capitals or with accents,
    two words and words meaning the same: the word index counts exactly what the trigram index
    matches (and answers for every long word of letters and digits found in few words)."""
    texts = [str(text).split(" ") for (text,) in raw.execute(f"SELECT text FROM fts_{entity}")]
    words = sorted({w for text in texts for w in text if len(w) >= 4})
    # words joined by a mark, as typed ("attorney's", "x-ray"): the index holds them apart
    marked = sorted(
        {"".join(t[i : i + 3]) for t in texts for i in range(len(t) - 2) if not t[i + 1].isalnum() and t[i + 1] != "|"}
    )
    searches = [*words, *(w[1:5] for w in words), *(w[-4:].upper() for w in words), *marked[:300]]
    searches += ["polic", "Zürich", "MÜLLER", "facial", "face", "police department", "recog clear", "qxzvw"]
    assert _answered(raw, db, entity, searches, word_count.count) >= len(words) // 2


def test_long_search_words_are_counted_through_the_word_index(repos: Repositories, db: Database) -> None:
    """A page's count for a long search word reads the word index; a short word, a word with
    punctuation and an acronym are counted by the trigram index."""
    read: list[str] = []
    db._conn.set_trace_callback(read.append)
    repo = repos.for_entity("customers")
    for search, through_words in [("polic", True), ("police department", True), ("pol", False), ("o'brien", False)]:
        read.clear()
        repo.count(Query(search=search))
        assert any("fts_customers_words" in sql for sql in read) == through_words, search
    db._conn.set_trace_callback(None)


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_a_one_trigram_count_equals_the_trigram_index_count(raw: sqlite3.Connection, db: Database, entity: str) -> None:
    """Every three-letter word the index lists, typed in small letters, in capitals or with an
    accent: the stored count of records holding it is exactly what the trigram index matches."""
    listed = [t for (t,) in raw.execute(f"SELECT trigram FROM fts_{entity}_trigram_rows") if t.isalnum()]
    assert listed
    searches = [*listed, *(t.upper() for t in listed[::5]), "zür", "ÉTA", "qxz"]
    assert _answered(raw, db, entity, searches, trigram_count.count) >= len(listed)


def test_a_three_letter_search_is_counted_from_the_stored_trigram_counts(repos: Repositories, db: Database) -> None:
    """A page's count for one three-letter word reads the stored count and not the index; two
    words, a shorter word and an acronym matched as a whole word are counted by the indexes."""
    read: list[str] = []
    db._conn.set_trace_callback(read.append)
    repo = repos.for_entity("customers")
    for search, stored in [("pol", True), ("POL", True), ("pol dep", False), ("po", False), ("ICE", False)]:
        read.clear()
        counted = repo.count(Query(search=search))
        assert any("fts_customers_trigram_rows" in sql for sql in read) == stored, search
        if stored:
            assert not any("MATCH" in sql for sql in read), search
        assert counted > 0, search
    db._conn.set_trace_callback(None)


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_ranked_rows_come_back_in_the_order_asked(repos: Repositories, db: Database, entity: str) -> None:
    """The rows of a ranked page, asked by rowid: in the table's order, its reverse, a mixed order
    (the ranked head) and with a rowid that names no row, each row where its rowid was asked. A
    page in the table's order (past the head) is read in that order in one query."""
    repo = repos.for_entity(entity)
    select = 't."id"'
    every = [r for (r,) in db.query(f'SELECT rowid FROM "{repo.table}" ORDER BY rowid')][:40]
    ids = dict(db.query(f'SELECT rowid, id FROM "{repo.table}"'))
    mixed = every[1::2] + every[::2]
    for rowids in (every, every[::-1], mixed, [*every[:3], max(ids) + 7, *every[3:6]]):
        got = [row[0] for row in paging.rows_in_order(db, repo.table, select, list(rowids))]
        assert got == [ids[r] for r in rowids if r in ids], (entity, rowids)
    read: list[str] = []
    db._conn.set_trace_callback(read.append)
    paging.rows_in_order(db, repo.table, select, every[::-1])
    db._conn.set_trace_callback(None)
    assert len(read) == 1 and read[0].endswith("ORDER BY t.rowid DESC"), read
