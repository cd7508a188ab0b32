"""The Vendors table's two customer columns (documented links, reported count) and the vendor's
counts grouped by what was counted: Qt-free against the database, then on the Vendors page."""

from __future__ import annotations

from PySide6.QtCore import Qt

from faceledger.data import charts, schema
from faceledger.data.database import Database
from faceledger.data.repositories import Repositories
from faceledger.ui.main_window import MainWindow


def test_reported_customers_is_what_the_default_chart_shows(db: Database) -> None:
    shown = {c.vendor_id: c for c in charts.count_chart(db).counts}
    rows = db.query("SELECT id, reported_customers, reported_customers_sort FROM vendors")
    assert len(shown) >= 7
    for vid, text, key in rows:
        if vid in shown:
            c = shown[vid]
            assert text == c.reported_text() and key == charts.reported_sort_key(c.qualifier, c.value)
        else:
            assert (text, key) == ("", None)
    texts = {vid: text for vid, text, _key in rows}
    assert texts["nec"] == "20 (2020) · unverified"
    assert texts["ayonix"] == "a handful (2020) · partly verified"
    assert texts["microsoft"] == "0 (2020)"
    assert texts["vigilant-solutions"] == ""  # its count is of licence-plate recognition


def test_reported_text_and_sort_key() -> None:
    assert charts.reported_text("2,400", "2020-06", "unverified") == "2,400 (2020) · unverified"
    assert charts.reported_text("a handful", "2020-06", "verified") == "a handful (2020)"
    assert charts.reported_text("hundreds", None, "partial") == "hundreds · partly verified"
    order = [("exact", 2400), ("about", 20), ("exact", 0), ("hundreds", None), ("dozens", None)]
    order += [("several", None), ("a handful", None), ("not disclosed", None)]
    keys = [charts.reported_sort_key(q, v) for q, v in order]
    assert keys == sorted(keys, reverse=True) and len(set(keys)) == len(keys)


def test_a_vendors_counts_are_grouped_by_what_was_counted(repos: Repositories, db: Database) -> None:
    groups = repos.vendors.counts_by_counted("clearview-ai")
    kinds = [k for k, _links in groups]
    assert kinds == sorted(kinds, key=schema.COUNTED.rank) and len(kinds) == len(set(kinds)) >= 3
    listed = {link.record_id: kind for kind, links in groups for link in links}
    raw = dict(db.query("SELECT id, counted FROM customer_counts WHERE vendor_id = 'clearview-ai'"))
    assert listed == raw
    for _kind, links in groups:
        for link in links:
            assert "source: " in link.note
    ring = [link for _k, links in repos.vendors.counts_by_counted("amazon") for link in links]
    notes = {link.record_id: link.note for link in ring}
    assert "another product: Ring" in notes["amazon-ring-2020-06-us"]
    assert "another product" not in notes["amazon-2020-06-us"]


def test_vendors_table_shows_documented_and_reported_customers(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page("vendors")
    model = page.model
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert "Documented customers" in headers and "Reported customers" in headers
    assert "Customers" not in headers
    col = headers.index("Reported customers")
    model.sort(col, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: model.rowCount() > 8)
    top = [model.data(model.index(r, col)) for r in range(8)]
    assert top[:3] == ["20 (2020) · unverified", "0 (2020)", "hundreds (2023) · partly verified"]
    assert top[3:6] == ["a handful (2020) · partly verified"] * 3
    assert top[6] == "not disclosed (2020) · partly verified"
    assert top[7] in ("", None)


def test_vendor_detail_lists_counts_by_kind(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.navigate("vendors", "amazon")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.detail.record is not None and page.detail.record.id == "amazon")
    text = page.detail.toPlainText()
    assert "Reported counts of law-enforcement agencies (2)" in text
    assert "another product: Ring doorbell-video partnerships (not face recognition)" in text
    assert "Reported customers" in text and "not disclosed (2020)" in text


def test_both_customer_columns_read_whole_on_a_laptop(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    """At 1024x700 the Vendors table shows its first three columns whole beside the detail pane:
    every reported figure with its year and status, under headers that are not cut off."""
    window.resize(1024, 700)
    page = window.show_page("vendors")
    model, table = page.model, page.table
    qtbot.waitUntil(lambda: model.rowCount() > 8)
    qtbot.wait(50)
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    reported = headers.index("Reported customers")
    view_width = table.viewport().width()
    metrics = table.fontMetrics()
    for col in range(reported + 1):
        assert table.columnViewportPosition(col) + table.columnWidth(col) <= view_width, headers[col]
    texts = [model.data(model.index(r, reported)) for r in range(model.rowCount())]
    for text in filter(None, texts):
        assert metrics.horizontalAdvance(text) + 8 <= table.columnWidth(reported), text
    header = table.horizontalHeader()
    for col in range(reported + 1):
        words = headers[col].split()
        lines = 1 if metrics.horizontalAdvance(headers[col]) + 24 <= table.columnWidth(col) else len(words)
        assert all(metrics.horizontalAdvance(w) + 8 <= table.columnWidth(col) for w in words), headers[col]
        assert header.height() >= lines * metrics.lineSpacing(), headers[col]
