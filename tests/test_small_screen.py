"""A small laptop screen (1024x700): every page's search box, filters, labels and buttons are at
least as wide as their text; filters wrap onto more rows instead of being cut."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from faceledger.jobs import wait_all
from faceledger.ui.main_window import PAGE_ORDER, MainWindow

SMALL = (1024, 700)


def settle(qtbot) -> None:  # type: ignore[no-untyped-def]
    wait_all()
    QApplication.processEvents()
    qtbot.wait(30)
    QApplication.processEvents()


def too_narrow(root: QWidget) -> list[str]:
    """Visible labels, buttons, combo boxes, spin boxes and line edits narrower than their text."""
    found: list[str] = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root) or w.width() <= 0:
            continue
        if w.parent() is not None and type(w.parent()).__name__ in ("QHeaderView", "QTableView"):
            continue
        need = 0
        if isinstance(w, QLabel):
            if w.wordWrap() or not w.text():
                need = w.minimumSizeHint().width()
            else:
                need = w.sizeHint().width()
        elif isinstance(w, (QAbstractButton, QComboBox)):
            need = w.sizeHint().width()
        elif isinstance(w, QAbstractSpinBox):
            need = w.minimumSizeHint().width()
        elif isinstance(w, QLineEdit):
            need = w.minimumSizeHint().width()
            hint = w.placeholderText()
            if hint and w.objectName() == "pageSearch":  # the page's search box shows its whole hint
                need = max(need, w.fontMetrics().horizontalAdvance(hint) + 20)
        if w.width() < need:
            name = w.objectName() or type(w).__name__
            text = getattr(w, "text", lambda: "")()
            found.append(f"{name} {text!r}: {w.width()} < {need}")
    return found


@pytest.fixture()
def small_window(window: MainWindow, qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    window.resize(*SMALL)
    settle(qtbot)
    assert (window.width(), window.height()) == SMALL
    return window


@pytest.mark.parametrize("entity", PAGE_ORDER)
def test_no_widget_is_narrower_than_its_text_at_1024x700(
    small_window: MainWindow, qtbot, entity: str
) -> None:  # type: ignore[no-untyped-def]
    page = small_window.show_page(entity)
    settle(qtbot)
    qtbot.waitUntil(lambda: all(fb.values() or not fb.isVisible() for fb in page.filters), timeout=10_000)
    settle(qtbot)
    for fb in page.filters:  # the longest texts a filter shows: counted, with two values chosen
        fb.set_selected([v for v, _ in fb.values()][:2], notify=True)
    settle(qtbot)
    assert (small_window.width(), small_window.height()) == SMALL, "the window still fits the screen"
    assert small_window.minimumSizeHint().width() <= SMALL[0]
    assert too_narrow(small_window) == []
    # Everything of the bar lies inside the page, on as many rows as needed.
    for fb in page.filters:
        assert fb.geometry().right() <= page.width() and fb.isVisible()
    assert page.search.width() >= page.search.minimumWidth()


def test_deployments_filters_wrap_onto_a_second_row(small_window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = small_window.show_page("deployments")
    qtbot.waitUntil(lambda: all(fb.values() for fb in page.filters), timeout=10_000)
    for fb in page.filters:  # long texts: two values chosen
        fb.set_selected([v for v, _ in fb.values()][:2], notify=True)
    settle(qtbot)
    bar = page.filter_bar
    items = [bar.itemAt(i).widget() for i in range(bar.count())]
    shown = [w for w in items if w is not None and w.isVisible()]
    one_row = sum(w.sizeHint().width() for w in shown if w is not page.search)
    one_row += page.search.minimumWidth() + bar.spacing() * (len(shown) - 1)
    rows = {w.geometry().top() for w in shown}
    assert one_row > bar.geometry().width(), "the test needs more than one row of filters at 1024"
    assert len(rows) >= 2  # wrapped, not cut or squeezed
    assert all(w.geometry().right() <= bar.geometry().right() for w in shown)
    small_window.resize(1900, 900)
    settle(qtbot)
    search = page.search.geometry()
    for fb in page.filters:  # one row when there is room
        assert search.top() <= fb.geometry().center().y() <= search.bottom()


def test_the_charts_page_fits_at_1024x700(small_window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    small_window.show_charts()  # type: ignore[union-attr]
    settle(qtbot)
    assert (small_window.width(), small_window.height()) == SMALL
    assert too_narrow(small_window.charts) == []
