"""The table model reads plain rows of the columns it shows, builds a record only for the row asked
for, counts small tables at once and large ones on a worker, and a page starts its background
counting after its first paint (or at once when built hidden)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QModelRoleData, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QTableView

from faceledger.data import paging, schema
from faceledger.data.entities import ENTITIES
from faceledger.data.repositories import Query, Repositories
from faceledger.data.searcher import Searcher
from faceledger.data.worker_database import WorkerDatabase
from faceledger.jobs import wait_all
from faceledger.models import table_model
from faceledger.models.table_model import EntityTableModel, IdRole, RecordRole, SortRole, display
from faceledger.ui import entity_page, global_search
from faceledger.ui.entity_page import EntityPage
from faceledger.ui.global_search import GlobalSearch

# A query that runs for many seconds (to the query time limit) unless it is interrupted.
ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT COUNT(*) FROM c"


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_rows_hold_exactly_the_grid_columns_of_the_records(repos: Repositories, entity: str) -> None:
    repo = repos.for_entity(entity)
    for query in (Query(), Query(search="pol"), Query(order=(repo.spec.fields[-1].key, False))):
        rows = repo.rows(query, 0, 120)
        records = repo.page(query, 0, 120)
        assert len(rows) == len(records)
        assert rows[0][0] == records[0].id if rows else True
        for values, record in zip(rows, records, strict=True):
            assert values == tuple(getattr(record, c) for c in repo.grid_columns)
    assert repo.grid_columns[0] == "id"
    assert {f.key for f in repo.spec.fields} <= set(repo.grid_columns)


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_model_cells_match_the_records(qtbot, repos: Repositories, entity: str) -> None:  # type: ignore[no-untyped-def]
    repo = repos.for_entity(entity)
    model = EntityTableModel(repo)
    records = repo.page(model.query, 0, 50)  # the page's first query (its default filters)
    for row, record in enumerate(records):
        assert model.record(row) == record
        assert model.record_id(row) == record.id
        for column, field in enumerate(repo.spec.fields):
            index = model.index(row, column)
            expected = display(getattr(record, field.key), field)
            if entity == "deployments" and field.key == "end":  # ended on no known date
                expected = schema.end_shown(record.end, record.status)
            assert model.data(index) == expected
            assert model.data(index, SortRole) == getattr(record, field.sort_key)
            assert model.data(index, IdRole) == record.id
            assert model.data(index, RecordRole) == record
    assert model.record(-1) is None and model.record_id(model.rowCount()) is None
    assert model.data(QModelIndex()) is None


def test_unverified_cells_are_marked_from_the_row(qtbot, repos: Repositories) -> None:  # type: ignore[no-untyped-def]
    repo = repos.for_entity("customer_counts")  # the 2020 claims reported second-hand
    model = EntityTableModel(repo)
    model.set_query(Query(filters=(("verification", ("unverified",)),)))
    column = repo.spec.keys.index("verification")
    assert model.rowCount() > 0
    index = model.index(0, column)
    assert model.data(index).startswith("⚠")
    assert model.data(index, Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(index, Qt.ItemDataRole.FontRole).italic()
    note = model.record(0).verification_note
    assert note and model.data(index, Qt.ItemDataRole.ToolTipRole) == f"{model.data(index)}\n{note}"


def test_a_small_table_is_counted_at_once(qtbot, repos: Repositories) -> None:  # type: ignore[no-untyped-def]
    repo = repos.for_entity("sources")
    model = EntityTableModel(repo)
    assert repo.approx_rows > table_model.PAGE_SIZE  # more than one page: a count was needed
    assert model.matching == repo.total() == model.rowCount()
    model.set_query(Query(search="police"))
    assert model.matching == repo.count(Query(search="police")) == model.rowCount()


def test_a_large_table_is_counted_on_a_worker_and_grows_to_the_count(
    qtbot,
    repos: Repositories,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr(paging, "SMALL_TABLE_ROWS", 0)
    repo = repos.for_entity("sources")
    model = EntityTableModel(repo)
    assert model.matching is None and model.rowCount() == table_model.PAGE_SIZE
    qtbot.waitUntil(lambda: model.matching is not None, timeout=10_000)
    assert model.matching == model.rowCount() == repo.total()


def test_a_held_count_starts_only_when_released(
    qtbot, repos: Repositories, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(paging, "SMALL_TABLE_ROWS", 0)
    repo = repos.for_entity("sources")
    model = EntityTableModel(repo, hold_count=True)
    wait_all()
    qtbot.wait(20)
    assert model.matching is None
    model.release_count()
    qtbot.waitUntil(lambda: model.matching == repo.total(), timeout=10_000)


def test_a_shown_page_counts_after_its_first_paint(
    qtbot, repos: Repositories, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(paging, "SMALL_TABLE_ROWS", 0)
    monkeypatch.setattr(entity_page, "PAINT_FALLBACK_MS", 60_000)  # only the paint may start it
    page = EntityPage(repos, repos.for_entity("sources"))
    qtbot.addWidget(page)
    assert page.model.matching is None
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.model.matching is not None, timeout=10_000)
    assert "of" in page.status_text()
    qtbot.waitUntil(lambda: len(page.filters[0].values()) > 0, timeout=10_000)  # filter counts too


def test_a_page_built_hidden_counts_at_once(
    qtbot, repos: Repositories, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(paging, "SMALL_TABLE_ROWS", 0)
    monkeypatch.setattr(entity_page, "PAINT_FALLBACK_MS", 60_000)
    page = EntityPage(repos, repos.for_entity("sources"))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.matching is not None, timeout=10_000)
    assert not page.isVisible()


def test_a_scan_of_a_large_table_runs_off_the_gui_thread_and_is_cancelled_by_a_newer_query(
    qtbot,
    repos: Repositories,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    """One- and two-letter words cannot use the trigram index: on a large table their first page is
    read on a worker (status "Searching…"), and typing on supersedes it."""
    monkeypatch.setattr(paging, "SMALL_TABLE_ROWS", 0)
    repo = repos.for_entity("customers")
    page = EntityPage(repos, repo)
    qtbot.addWidget(page)
    before = page.model.rowCount()
    page.search.setText("de")
    assert page.model.busy and page.status_text() == "Searching…"
    assert page.model.query.search == "de"
    assert page.model.rowCount() == before  # the previous rows stay until the new ones arrive
    assert not page.model.canFetchMore()
    page.search.setText("de p")  # a newer query before the first arrives
    qtbot.waitUntil(lambda: not page.model.busy, timeout=10_000)
    wait_all()
    qtbot.wait(20)
    expected = [r[0] for r in repo.rows(Query(search="de p"), 0, table_model.PAGE_SIZE)]
    assert [page.model.record_id(i) for i in range(len(expected))] == expected
    assert page.model.query.search == "de p"
    qtbot.waitUntil(lambda: page.model.matching is not None, timeout=10_000)
    assert page.model.matching == repo.count(Query(search="de p"))
    page.search.setText("")  # the index-driven query is read at once
    assert not page.model.busy and page.model.rowCount() > 0


def test_an_interrupted_scan_reports_nothing(
    qtbot, repos: Repositories, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Each newer query interrupts the scan before it: scans that would run for many seconds end
    at once, and the interruption is not reported as an error."""
    monkeypatch.setattr(paging, "SMALL_TABLE_ROWS", 0)
    errors: list[object] = []
    monkeypatch.setattr("sys.excepthook", lambda *a: errors.append(a))
    repo = repos.for_entity("deployments")
    plain_rows = type(repo).rows

    def rows(self: Any, query: Query, *args: Any, **kw: Any) -> Any:
        if isinstance(self.db, WorkerDatabase) and query.search != "q":  # on a worker
            self.db.conn.execute(ENDLESS).fetchall()  # ends only when interrupted
        return plain_rows(self, query, *args, **kw)

    monkeypatch.setattr(type(repo), "rows", rows)  # on the class: the worker's bound copy uses it
    model = EntityTableModel(repo)
    started = time.monotonic()
    for text in ("a", "b", "c", "x", "y", "z"):
        model.set_query(Query(search=text))
        qtbot.wait(30)  # the worker is inside its slow scan when the next query comes
    model.set_query(Query(search="q"))
    qtbot.waitUntil(lambda: not model.busy, timeout=8_000)
    wait_all()
    qtbot.wait(20)
    assert time.monotonic() - started < 5  # no scan ran to its end or to the 10 s time limit
    assert errors == []
    assert model.query.search == "q"
    assert [model.record_id(i) for i in range(model.rowCount())] == [
        r[0] for r in repo.rows(Query(search="q"), 0, 200)
    ]


def test_every_role_of_an_invalid_index_or_a_row_past_the_end_is_empty(qtbot, repos: Repositories) -> None:  # type: ignore[no-untyped-def]
    model = EntityTableModel(repos.for_entity("vendors"))
    roles = [int(r) for r in Qt.ItemDataRole] + [IdRole, RecordRole, SortRole]
    past = model.createIndex(model.rowCount() + 5, 0)
    for role in roles:
        assert model.data(QModelIndex(), role) is None, role
        if role != int(Qt.ItemDataRole.TextAlignmentRole):
            assert model.data(past, role) is None, role


def test_cells_follow_the_query_after_a_reset(qtbot, repos: Repositories) -> None:  # type: ignore[no-untyped-def]
    """The model keeps the page its last cell came from: a new query must not show the old rows."""
    repo = repos.for_entity("customers")
    model = EntityTableModel(repo)
    first = model.data(model.index(0, 0))
    model.set_query(Query(search="zürich"))
    expected = repo.rows(Query(search="zürich"), 0, 1)
    shown = model.data(model.index(0, 0))
    assert shown == (expected[0][repo.grid_columns.index("name")] if expected else None)
    model.set_query(Query())
    assert model.data(model.index(0, 0)) == first


def test_pages_of_a_scanning_query_on_a_large_table_arrive_from_a_worker(
    qtbot,
    repos: Repositories,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    """Past its first page, a query that may scan a large table (a one-letter word) reads each page
    on a worker: rows are appended when they arrive, and a page reached by a jump shows empty
    cells until its rows arrive, then repaints."""
    monkeypatch.setattr(paging, "SMALL_TABLE_ROWS", 0)
    repo = repos.for_entity("sources")
    query = Query(search="e")
    expected = [r[0] for r in repo.rows(query, 0, 10_000)]
    assert len(expected) > 2 * table_model.PAGE_SIZE
    model = EntityTableModel(repo, hold_count=True)  # no count job: the pages alone grow the rows
    model.set_query(query)
    qtbot.waitUntil(lambda: not model.busy, timeout=10_000)
    assert model.rowCount() == table_model.PAGE_SIZE and model.matching is None
    while model.matching is None:
        assert model.canFetchMore()
        before = model.rowCount()
        model.fetchMore()
        assert not model.canFetchMore()  # one read of the next page at a time
        assert model.rowCount() == before  # appended when they arrive, not now
        qtbot.waitUntil(
            lambda before=before: model.rowCount() > before or model.matching is not None, timeout=10_000
        )
    assert model.matching == model.rowCount() == len(expected)
    # A page that is not in memory: empty at first, filled by a worker, announced by dataChanged.
    model._pages.clear()
    model._hot = None
    last = len(expected) - 1
    assert model.record_id(last) is None
    with qtbot.waitSignal(model.dataChanged, timeout=10_000):
        pass
    assert model.record_id(last) == expected[last]
    qtbot.waitUntil(lambda: [model.record_id(i) for i in range(len(expected))] == expected, timeout=10_000)


class _RoleByRole(EntityTableModel):
    """Qt's own multiData: every role of the span through data(), one call each."""

    def multiData(self, index, roleDataSpan) -> None:  # type: ignore[no-untyped-def]
        QAbstractTableModel.multiData(self, index, roleDataSpan)


class _CountingData(EntityTableModel):
    display_calls = 0

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if role == Qt.ItemDataRole.DisplayRole:
            type(self).display_calls += 1
        return super().data(index, role)


def _painted(qtbot, model: EntityTableModel, widths: list[int]) -> QImage:  # type: ignore[no-untyped-def]
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(1400, 700)
    for i, width in enumerate(widths):
        view.setColumnWidth(i, width)
    view.show()
    qtbot.waitExposed(view)
    return view.viewport().grab().toImage()


@pytest.mark.parametrize("entity", ["customer_counts", "customers", "studies"])
def test_cells_painted_through_multidata_equal_cells_painted_role_by_role(
    qtbot, repos: Repositories, entity: str
) -> None:  # type: ignore[no-untyped-def]
    """One call per painted cell (the delegate's seven roles at once) paints exactly what seven
    data() calls paint: texts, number alignment, and the unverified mark's colour and italics."""
    repo = repos.for_entity(entity)
    widths = [f.width for f in repo.spec.fields]
    # Partial, then unverified, then verified rows on screen: each marked cell (its own colour and
    # font) is followed by unmarked cells, which must not keep its colour, font or alignment.
    query = Query(order=("verification", True))
    fast, slow = EntityTableModel(repo), _RoleByRole(repo)
    fast.set_query(query)
    slow.set_query(query)
    assert _painted(qtbot, fast, widths) == _painted(qtbot, slow, widths)


def test_the_delegate_paints_cells_without_a_data_call_per_role(qtbot, repos: Repositories) -> None:  # type: ignore[no-untyped-def]
    repo = repos.for_entity("customers")
    model = _CountingData(repo)
    _painted(qtbot, model, [f.width for f in repo.spec.fields])
    shown = model.rowCount()
    assert shown > 20
    assert _CountingData.display_calls == 0  # every cell, the verification marks included


def test_multidata_outside_the_delegate_answers_through_data(qtbot, repos: Repositories) -> None:  # type: ignore[no-untyped-def]
    model = EntityTableModel(repos.for_entity("customers"))
    for column in range(model.columnCount()):
        index = model.index(3, column)
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole, SortRole, IdRole):
            item = QModelRoleData(int(role))
            model.multiData(index, item)
            assert item.data() == model.data(index, int(role))


def test_a_page_never_asks_for_row_headers(qtbot, repos: Repositories, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The row header is hidden and fixed before the model is set: no header per row is asked
    for (a visible, resizable one asks four roles of every row when the model arrives)."""
    asked: list[int] = []

    class Counting(EntityTableModel):
        def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
            if orientation == Qt.Orientation.Vertical:
                asked.append(section)
            return super().headerData(section, orientation, role)

    monkeypatch.setattr(entity_page, "EntityTableModel", Counting)
    page = EntityPage(repos, repos.for_entity("customers"))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    assert page.model.rowCount() > 100
    assert asked == []
    wait_all()


def test_a_jump_deep_into_a_large_table_in_another_order_is_read_off_the_gui_thread(
    qtbot,
    repos: Repositories,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    """Sorted on a column other than the stored order, a page far from both ends would step over
    every row before it (OFFSET): on a large table it is read on a worker and painted when it
    arrives, and the detail pane then shows the current row. Pages near either end, and every
    page in the stored order, are still read at once."""
    monkeypatch.setattr(paging, "SMALL_TABLE_ROWS", 0)
    monkeypatch.setattr(paging, "DENSE_JUMP_OFFSET", 100)
    repo = repos.for_entity("sources")
    other = next(f.key for f in repo.spec.fields if f.key != repo.spec.default_sort)
    query = Query(order=(other, True))
    expected = [r[0] for r in repo.rows(query, 0, 10_000)]
    assert len(expected) > 3 * table_model.PAGE_SIZE
    assert not repo.reads_directly(query, table_model.PAGE_SIZE, len(expected))
    assert repo.reads_directly(query, 50, len(expected))  # near the start
    assert repo.reads_directly(query, len(expected) - 60, len(expected))  # near the end, reversed
    page = EntityPage(repos, repo)
    qtbot.addWidget(page)
    page.show()
    page.model.set_query(query)
    page.model.count_now()
    model = page.model
    middle = table_model.PAGE_SIZE + 7
    assert model.record_id(middle) is None  # not read on the GUI thread
    page.table.setCurrentIndex(model.index(middle, 0))
    qtbot.waitUntil(lambda: model.record_id(middle) == expected[middle], timeout=10_000)
    qtbot.waitUntil(lambda: getattr(page.detail.record, "id", None) == expected[middle], timeout=10_000)
    assert model.record_id(len(expected) - 1) == expected[-1]  # Ctrl+End: at once
    wait_all()


def test_global_search_on_a_large_database_runs_on_a_worker_and_newer_input_wins(
    qtbot,
    repos: Repositories,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    """On a database with large tables, the Ctrl+K palette searches on a worker ("Searching…"
    meanwhile); each keystroke interrupts the search before it, which reports nothing, and the
    hits shown are those of the last input."""

    monkeypatch.setattr(global_search, "OFF_THREAD_ROWS", 0)
    errors: list[object] = []
    monkeypatch.setattr("sys.excepthook", lambda *a: errors.append(a))
    plain = Searcher.search

    def search(self: Searcher, text: str, per_type: int = 8, conn: object = None) -> object:
        if conn is not None and text != "idemia":
            conn.execute(ENDLESS).fetchall()  # type: ignore[attr-defined]  # ends only when interrupted
        return plain(self, text, per_type, conn)  # type: ignore[arg-type]

    monkeypatch.setattr(Searcher, "search", search)
    palette = GlobalSearch(repos.search)
    qtbot.addWidget(palette)
    started = time.monotonic()
    for text in ("c", "cl", "cle", "clear"):
        palette.set_query(text)
        assert palette.summary.text() == "Searching…"  # not answered on the GUI thread
        qtbot.wait(30)  # the worker is inside its slow search when the next key comes
    palette.set_query("idemia")
    qtbot.waitUntil(lambda: palette.summary.text() != "Searching…", timeout=8_000)
    wait_all()
    qtbot.wait(20)
    assert time.monotonic() - started < 5  # no search ran to its end or to the 10 s time limit
    assert errors == []
    assert palette.hits() == plain(repos.search, "idemia")
    assert any(h.label == "Idemia" for h in palette.hits())


def test_a_source_cited_by_thousands_says_how_many_and_lists_the_first(qtbot, repos: Repositories) -> None:  # type: ignore[no-untyped-def]
    from faceledger.data.repositories import RELATED_LIMIT
    from faceledger.ui.detail import DetailPane

    row = repos.db.query_one(
        "SELECT source_id, COUNT(*) AS n FROM citations GROUP BY source_id ORDER BY n DESC LIMIT 1"
    )
    assert row is not None and row[1] > RELATED_LIMIT  # a dataset's source cites its many figures
    source_id, n = str(row[0]), int(row[1])
    assert repos.sources.cited_by_count(source_id) == n
    assert len(repos.sources.cited_by(source_id)) == RELATED_LIMIT
    pane = DetailPane(repos)
    qtbot.addWidget(pane)
    assert pane.show_record("sources", source_id)
    text = pane.toPlainText()
    assert f"Cited by ({n:,}; the first {RELATED_LIMIT} listed)" in text


def test_a_vendors_listed_customers_and_events_agree_with_its_counts(repos: Repositories) -> None:
    """The detail pane gives a long list's size from the vendor's own counts: they must agree."""
    for vendor in repos.vendors.page(Query(), 0, 10_000):
        assert len(repos.vendors.customers(vendor.id, 10_000)) == vendor.customer_count, vendor.id
        assert len(repos.vendors.events(vendor.id, 10_000)) == vendor.event_count, vendor.id


def test_closing_the_palette_stops_its_search_and_reopening_runs_it_again(
    qtbot,
    repos: Repositories,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:

    monkeypatch.setattr(global_search, "OFF_THREAD_ROWS", 0)
    plain = Searcher.search
    calls: list[str] = []

    def search(self: Searcher, text: str, per_type: int = 8, conn: object = None) -> object:
        calls.append(text)
        if conn is not None and len(calls) == 1:
            conn.execute(ENDLESS).fetchall()  # type: ignore[attr-defined]  # ends only when interrupted
        return plain(self, text, per_type, conn)  # type: ignore[arg-type]

    monkeypatch.setattr(Searcher, "search", search)
    palette = GlobalSearch(repos.search)
    qtbot.addWidget(palette)
    palette.open_palette()
    palette.set_query("idemia")
    qtbot.wait(50)
    started = time.monotonic()
    palette.hide()  # Esc: the slow search is stopped, not waited for
    wait_all()
    assert time.monotonic() - started < 5
    assert palette.hits() == []
    palette.open_palette()  # the same input, searched again
    qtbot.waitUntil(lambda: palette.summary.text() != "Searching…", timeout=8_000)
    assert calls == ["idemia", "idemia"]
    assert palette.hits() == plain(repos.search, "idemia")
