"""Browsing as a user does: search, sort by value, links in the detail pane, global search, keyboard."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl

from faceledger.data.database import Database
from faceledger.data.repositories import Query
from faceledger.jobs import wait_all
from faceledger.main import build_window
from faceledger.models.table_model import SortRole
from faceledger.ui.detail import internal_href
from faceledger.ui.global_search import HitRole, HtmlRole
from faceledger.ui.main_window import MainWindow
from faceledger.ui.settings import Settings


def column_of(page, key: str) -> int:  # type: ignore[no-untyped-def]
    return page.spec.keys.index(key)


def test_sort_counts_by_value_with_empty_first(window: MainWindow) -> None:
    page = window.show_page("customer_counts")
    col = column_of(page, "value_text")
    page.table.sortByColumn(col, Qt.SortOrder.AscendingOrder)
    page.model.count_now()
    values = [page.model.index(r, col).data(SortRole) for r in range(page.model.rowCount())]
    empties = [v for v in values if v is None]
    numbers = [v for v in values if v is not None]
    assert values[: len(empties)] == empties, "empty values sort first"
    assert numbers == sorted(numbers), "numbers sort by value, not by text"
    assert len(empties) >= 3  # "a handful" x3 and "not disclosed" have no number
    page.table.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    top = page.model.index(0, col).data(SortRole)
    assert top == max(numbers)


def test_sort_events_by_date(window: MainWindow) -> None:
    page = window.show_page("events")
    col = column_of(page, "date")
    page.table.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    page.model.count_now()
    dates = [page.model.record(r).date for r in range(page.model.rowCount())]
    assert dates == sorted(dates, reverse=True)


def test_filters_show_counts_and_combine_with_search(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page("deployments")
    status = next(f for f in page.filters if f.key == "status")
    qtbot.waitUntil(lambda: len(status.values()) > 2)
    assert status.text().startswith("Status: all (")
    entries = {a.data(): a.text() for a in status.actions_for_values()}
    assert "(" in entries["active"]
    expected = int(entries["active"].rsplit("(", 1)[1].rstrip(")").replace(",", ""))
    next(a for a in status.actions_for_values() if a.data() == "active").trigger()
    assert status.text() == f"Status: active ({expected:,})"
    assert page.model.count_now() == expected
    assert all(page.model.record(r).status == "active" for r in range(page.model.rowCount()))
    qtbot.keyClicks(page.search, "clearview")
    n = page.model.count_now()
    assert 0 < n < expected
    assert all(page.model.record(r).vendor_name == "Clearview AI" for r in range(n))
    assert page.status_text().startswith(f"{n:,} of ")


def test_follow_detail_link_to_another_page_and_back(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.navigate("vendors", "idemia")
    page = window.current_page()
    html = page.detail.toHtml()
    assert "new-york-city-police-department" in html
    page.detail.anchorClicked.emit(QUrl(internal_href("customers", "new-york-city-police-department")))
    assert window.current_page().entity == "customers"
    assert window.current_page().current_record().id == "new-york-city-police-department"
    assert "Idemia" in window.current_page().detail.toPlainText()
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current_page().entity == "vendors"
    assert window.current_page().detail.record.id == "idemia"
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.current_page().entity == "customers"


def test_unverified_claims_are_marked(window: MainWindow) -> None:
    window.navigate("customer_counts", "clearview-ai-2020-06-wsj")
    text = window.current_page().detail.toPlainText()
    assert "Unverified claim" in text
    assert "2,400" in text
    assert "The Batch" in text or "Batch" in text


def test_database_text_is_shown_as_plain_text(window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from faceledger.ui import detail

    assert detail.e("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"


def test_global_search_groups_highlights_and_opens(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window.global_search
    assert palette.isVisible()
    qtbot.keyClicks(palette.input, "idemia")
    hits = palette.hits()
    kinds = [h.entity for h in hits]
    assert "vendors" in kinds and "deployments" in kinds
    assert kinds == sorted(kinds, key=kinds.index), "hits are grouped by type"
    first = palette.results.item(1)
    assert "<b" in first.data(HtmlRole) and "Idemia" in first.data(HtmlRole)
    palette.results.setCurrentItem(first)
    target = first.data(HitRole)
    qtbot.keyClick(palette.input, Qt.Key.Key_Return)
    assert not palette.isVisible()
    assert window.current_page().entity == target.entity
    assert window.current_page().detail.record.id == target.record_id


def test_alias_search_finds_one_organisation(repos) -> None:  # type: ignore[no-untyped-def]
    for alias in ("NYPD", "New York City Police Department"):
        rows = repos.customers.page(Query(search=alias), 0, 50)
        assert [r.id for r in rows] == ["new-york-city-police-department"], alias
    for alias in ("IDEMIA", "idemia"):
        rows = repos.vendors.page(Query(search=alias), 0, 50)
        assert "idemia" in [r.id for r in rows]


def test_column_order_and_widths_persist(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ini = tmp_path / "settings.ini"
    w1 = build_window(db, Settings(ini))
    qtbot.addWidget(w1)
    header = w1.pages["vendors"].table.horizontalHeader()
    header.moveSection(0, 3)
    header.resizeSection(2, 222)
    w1.save_state()
    w2 = build_window(db, Settings(ini))
    qtbot.addWidget(w2)
    h2 = w2.pages["vendors"].table.horizontalHeader()
    assert h2.logicalIndex(3) == 0
    assert h2.sectionSize(2) == 222
    # Windows built hidden start their pages' counts from the event loop: let them end before
    # pytest-qt deletes the windows.
    qtbot.wait(20)
    wait_all()


def test_keyboard_shortcuts(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().entity == "deployments"
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page()
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "nec")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.table.hasFocus() and page.table.currentIndex().isValid()


def test_mouse_back_and_forward_buttons(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.navigate("vendors", "nec")
    window.navigate("events", "amazon-moratorium-2020")
    table = window.current_page().table.viewport()
    qtbot.mouseClick(table, Qt.MouseButton.BackButton)
    assert window.current_page().entity == "vendors"
    qtbot.mouseClick(window.current_page().table.viewport(), Qt.MouseButton.ForwardButton)
    assert window.current_page().entity == "events"


def test_exact_alias_comes_first_in_global_search(repos) -> None:  # type: ignore[no-untyped-def]
    hits = repos.search.search_type("customers", "ICE", 5)
    assert hits[0].record_id == "us-immigration-and-customs-enforcement"
    hits = repos.search.search("nypd")
    assert hits[[h.entity for h in hits].index("customers")].record_id == "new-york-city-police-department"
