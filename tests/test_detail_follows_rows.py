"""The detail pane always shows the table's current row: after a search, a filter, a sort, a year
range, a pinned filter or a first page read on a worker, on every page. When the record it showed
is no longer among the rows, the first row becomes current; with no rows, nothing is selected."""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from faceledger.data import paging
from faceledger.data.entities import ENTITIES
from faceledger.data.repositories import Query, Repositories, Repository
from faceledger.jobs import pool, wait_all
from faceledger.models import table_model
from faceledger.ui.entity_page import EntityPage
from faceledger.ui.main_window import MainWindow


def settle_jobs() -> None:
    """Let the page's background jobs end (pytest-qt closes a test's widgets before fixtures end:
    a job still running then would report to a deleted page)."""
    for _ in range(5):  # a delivered result may start another job (a count, the filter counts)
        wait_all()
        QApplication.processEvents()
        if pool().activeThreadCount() == 0:
            break


def shown_id(page: EntityPage) -> str | None:
    if page.detail.entity != page.entity or page.detail.record is None:
        return None
    return str(page.detail.record.id)


def assert_pane_follows_table(page: EntityPage) -> None:
    """The pane shows the current row, which is one of the query's rows; or, with no rows, nothing.
    (After new rows, the pane follows once control is back in the event loop: the table paints
    its rows first.)"""
    QApplication.processEvents()
    if page.model.rowCount() == 0:
        assert page.detail.record is None
        assert "no record is selected" in page.detail.toPlainText()
        return
    current = page.table.currentIndex()
    assert current.isValid(), "a row is current"
    rid = page.model.record_id(current.row())
    assert rid is not None
    assert shown_id(page) == rid, "the pane shows the current row"
    assert page.repository.position(page.model.shown_query, rid) == current.row(), "the record is on screen"


def make_page(qtbot, repos: Repositories, entity: str) -> EntityPage:  # type: ignore[no-untyped-def]
    page = EntityPage(repos, repos.for_entity(entity))
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.painted_or_hidden)  # its background work started: none left to start
    page.ensure_selection()
    QApplication.processEvents()
    return page


def select(page: EntityPage, record_id: str) -> None:
    row = page.model.row_of(record_id)
    assert row is not None
    if row >= page.model.rowCount():
        page.model.count_now()
    page.table.selectRow(row)
    assert shown_id(page) == record_id


def records(repo: Repository[Any]) -> list[Any]:
    return repo.page(Query(), 0, 5000)


def label(repo: Repository[Any], rec: Any) -> str:
    return str(getattr(rec, repo.spec.label, "") or "")


def search_excluding(repo: Repository[Any], selected: str, short: bool = False) -> str:
    """A search that matches some rows but not the `selected` record (a two-letter one: `short`)."""
    for rec in reversed(records(repo)):
        words = re.findall(r"[A-Za-z]{4,}", label(repo, rec))
        if short:
            words = [w[i : i + 2] for w in words for i in range(len(w) - 1)]
        for word in words:
            q = Query(search=word)
            if repo.position(q, selected) is None and repo.count(q) > 0:
                return word
    raise AssertionError("no search excludes the selected record")


def filter_excluding(repo: Repository[Any], selected: Any) -> tuple[str, str]:
    for facet in repo.spec.facets:
        own = getattr(selected, facet.key, None) or ""
        for value, n in repo.facet_counts(facet.key):
            if value != own and n > 0:
                return facet.key, value
    raise AssertionError("no filter excludes the selected record")


def year_excluding(repo: Repository[Any], selected: str) -> int:
    bounds = repo.year_bounds()
    assert bounds is not None
    for year in range(bounds[1], bounds[0] - 1, -1):
        q = Query(year_from=year, year_to=year)
        if repo.position(q, selected) is None and repo.count(q) > 0:
            return year
    raise AssertionError("no year excludes the selected record")


# Every page, and every way its rows change that the page offers.
CASES = [
    (entity, kind)
    for entity, spec in ENTITIES.items()
    for kind in ("search", "filter", "sort", "years", "pinned", "worker", "no rows")
    if (kind != "filter" or spec.facets) and (kind != "years" or spec.year_column)
]


@pytest.mark.parametrize(("entity", "kind"), CASES)
def test_the_detail_pane_shows_the_current_row_after_the_rows_change(
    qtbot,
    repos: Repositories,
    monkeypatch: pytest.MonkeyPatch,
    entity: str,
    kind: str,  # type: ignore[no-untyped-def]
) -> None:
    repo = repos.for_entity(entity)
    if kind == "worker":  # the large-table path: a short word's first page is read on a worker
        monkeypatch.setattr(paging, "SMALL_TABLE_ROWS", 0)
    page = make_page(qtbot, repos, entity)
    all_records = records(repo)
    # The last record in the page's order: not the first row, which becomes current by default.
    selected = all_records[-1] if kind != "worker" else all_records[min(5, len(all_records) - 1)]
    select(page, selected.id)
    assert_pane_follows_table(page)

    if kind == "search":
        page.search.setText(search_excluding(repo, selected.id))
    elif kind == "filter":
        key, value = filter_excluding(repo, selected)
        page.set_filter(key, value)
    elif kind == "sort":
        column = len(page.spec.fields) - 1
        page.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
        assert page.model.query.order == (page.spec.fields[column].key, False)
    elif kind == "years":
        year = year_excluding(repo, selected.id)
        assert page.year_from is not None and page.year_to is not None
        page.year_to.setValue(year)
        page.year_from.setValue(year)
    elif kind == "pinned":
        other = next(r for r in all_records if label(repo, r) != label(repo, selected))
        page.show_only((repo.spec.label, label(repo, other), "Only one"), {})
    elif kind == "worker":
        page.search.setText(search_excluding(repo, selected.id, short=True))
        assert page.model.busy
        assert_pane_follows_table(page)  # the previous rows stay on screen until the new ones arrive
        qtbot.waitUntil(lambda: not page.model.busy, timeout=10_000)
    elif kind == "no rows":
        page.search.setText("qqxzqqxz")
        assert page.model.rowCount() == 0

    assert_pane_follows_table(page)
    if kind == "sort":  # still among the rows: it stays current
        assert shown_id(page) == selected.id
    elif kind != "no rows":  # no longer among the rows: the first row is current
        assert page.table.currentIndex().row() == 0
        assert shown_id(page) != selected.id
    settle_jobs()


def test_removing_a_search_keeps_the_record_shown(qtbot, repos: Repositories) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, repos, "customers")
    page.search.setText("toronto")
    assert_pane_follows_table(page)
    select(page, "toronto-police-service")
    page.search.clear()
    assert_pane_follows_table(page)
    assert shown_id(page) == "toronto-police-service"  # among all rows, past the first page
    assert page.table.currentIndex().row() > table_model.PAGE_SIZE
    settle_jobs()


def test_automatic_selections_are_not_visits_in_the_history(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.navigate("customers", "new-york-city-police-department")
    page = window.current_page()
    visits = list(window.history._items)
    qtbot.keyClicks(page.search, "detroit")
    assert_pane_follows_table(page)
    assert shown_id(page) == "detroit-police-department"
    assert window.history._items == visits  # typing made no visits: back goes to the record before
    window.go_back()
    assert window.current_page().entity == visits[-2][0]


def test_customers_typed_in_a_meeting(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The issue's examples: the pane never keeps the NYPD's or Chicago's vendors on screen."""
    window.navigate("customers", "new-york-city-police-department")
    page = window.current_page()
    qtbot.keyClicks(page.search, "detroit")
    assert page.model.rowCount() == 1
    assert_pane_follows_table(page)
    assert page.detail.record.name == "Detroit Police Department"
    assert "New York" not in page.detail.toPlainText()
    page.search.clear()
    window.navigate("customers", "chicago-police-department")
    qtbot.keyClicks(page.search, "paulo")
    assert_pane_follows_table(page)
    assert page.detail.record.id == "companhia-do-metropolitano-de-sao-paulo"
    assert "São Paulo" in page.detail.toPlainText()
    assert_pane_follows_table(page)


def test_deployments_typed_in_a_meeting(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.navigate("deployments", "amazon--federal-bureau-of-investigation")
    page = window.current_page()
    qtbot.keyClicks(page.search, "clearview")
    assert page.model.count_now() >= 20
    assert_pane_follows_table(page)
    assert page.detail.record.vendor_name == "Clearview AI"
    assert "Amazon" not in page.detail.toPlainText()
    assert_pane_follows_table(page)
