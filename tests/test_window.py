"""Widgets through the composition root: pages, search, links, history."""

from __future__ import annotations

from PySide6.QtCore import Qt

from faceledger.ui.main_window import PAGE_ORDER, MainWindow


def test_window_opens_on_vendors(window: MainWindow) -> None:
    page = window.current_page()
    assert page.entity == "vendors"
    assert page.model.rowCount() >= 9
    assert "of" in page.status_text()


def test_typing_in_page_search_filters_rows(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.current_page()
    qtbot.keyClicks(page.search, "clearVI")
    names = [page.model.record(r).name for r in range(page.model.rowCount())]
    assert names == ["Clearview AI"]
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert page.search.text() == ""
    assert page.model.rowCount() >= 9


def test_every_page_opens(window: MainWindow) -> None:
    for entity in PAGE_ORDER:
        page = window.show_page(entity)
        assert page.model.columnCount() == len(page.spec.fields)


def test_navigate_and_back(window: MainWindow) -> None:
    assert window.navigate("vendors", "idemia")
    assert window.current_page().current_record().id == "idemia"
    assert window.navigate("sources", window.repos.vendors.citations("idemia")[0].source.id)
    assert window.current_page().entity == "sources"
    window.go_back()
    assert window.current_page().entity == "vendors"
    assert window.current_page().detail.record.id == "idemia"
    window.go_forward()
    assert window.current_page().entity == "sources"


def test_copy_citation(window: MainWindow) -> None:
    window.navigate("vendors", "nec")
    text = window.copy_citation()
    assert text.startswith("NEC (vendor)") and "Sources:" in text


def test_refuses_non_web_links(window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    for url in (
        "file:///etc/passwd",
        "javascript:alert(1)",
        "\\\\server\\share",
        "https://user:pw@example.org/",
    ):
        assert window.open_url(url) is False
    assert len(shown) == 4


def test_a_deployment_and_a_count_are_named_for_what_they_say(window: MainWindow, db) -> None:  # type: ignore[no-untyped-def]
    """Shown or cited alone, a deployment names its vendor and its customer, and a count says
    whose count it is, of what, how many and when: the customer's or the vendor's name alone
    would be read as that organisation's own record."""
    dep = db.query(
        "SELECT id, vendor_name, customer_name FROM deployments WHERE vendor_name = 'Amazon' ORDER BY id LIMIT 1"
    )[0]
    window.navigate("deployments", dep[0])
    detail = window.current_page().detail
    heading = f"{dep[1]} at {dep[2]}"
    assert detail.toPlainText().startswith(heading)
    assert window.copy_citation().startswith(f"{heading} (deployment)")

    count = db.query(
        "SELECT id, vendor_name, subject, value_text, as_of FROM customer_counts WHERE value_text = '2,400'"
    )[0]
    window.navigate("customer_counts", count[0])
    says = f"{count[1]} \u2014 {count[2]}: 2,400 ({count[4]})"
    assert window.current_page().detail.toPlainText().startswith(says)
    assert window.copy_citation().startswith(f"{says} (customer count)")


def test_the_look_is_set_on_its_widgets_not_on_the_whole_application(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """No application-wide style sheet (it would draw every widget through Qt's style-sheet
    style): a page's search box, table header, filters, row count and the detail pane carry their
    own rules; the navigation and a page's table none (their palettes), and the look takes effect:
    the navigation is a light panel and its chosen item is dark blue."""
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QApplication

    from faceledger.ui import style

    assert QApplication.instance().styleSheet() == ""
    page = window.pages["vendors"]
    assert window.nav.styleSheet() == ""  # painted first: a sheet there slows the start
    assert page.search.styleSheet() == style.SEARCH_BOX
    assert page.table.styleSheet() == ""  # its cells are drawn by the platform style
    assert page.table.horizontalHeader().styleSheet() == style.TABLE_HEADER
    assert page.status.styleSheet() == style.ROW_STATUS
    assert page.detail.styleSheet() == style.DETAIL_PANE
    assert page.filters and all(f.styleSheet() == style.FACET_FILTER for f in page.filters)
    window.nav.setCurrentRow(0)
    rect = window.nav.visualItemRect(window.nav.item(0))
    image = window.nav.viewport().grab().toImage()

    def near(pixel: QColor, colour: str) -> bool:  # the platform style may shade a colour by a unit
        want = QColor(colour)
        return all(abs(a - b) <= 2 for a, b in zip(pixel.getRgb(), want.getRgb(), strict=True))

    assert near(image.pixelColor(rect.left() + 3, rect.center().y()), style.SELECTION)
    below = window.nav.visualItemRect(window.nav.item(window.nav.count() - 1)).bottom() + 3
    assert near(image.pixelColor(rect.left() + 3, below), style.PANEL)
    assert window.nav.font().pointSizeF() == style.NAVIGATION_POINTS
