"""The keyboard in a meeting: Ctrl+E and Ctrl+K from the search box, Down into the rows, and a
clearly visible focus on the detail pane's links."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from faceledger.ui.link_focus import FOCUS_BACKGROUND
from faceledger.ui.main_window import MainWindow


def started(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: getattr(window, "export_controller", None) is not None, timeout=10_000)


def test_ctrl_e_exports_the_view_while_typing_in_the_search_box(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    started(qtbot, window)
    asked: list[str] = []
    monkeypatch.setattr(window.export_controller, "ask_and_export", asked.append)  # type: ignore[attr-defined]
    page = window.show_page("customers")
    page.focus_search()
    qtbot.keyClicks(page.search, "police")
    assert QApplication.focusWidget() is page.search
    qtbot.keyClick(page.search, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["view"]
    assert page.search.text() == "police"  # the key did nothing else in the box


def test_a_window_shortcut_wins_over_the_search_boxs_own_keys(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """On Linux a line edit claims Ctrl+E (end of line) and Ctrl+K (delete to the end), so those
    window shortcuts never fired from the search box. The test platform has no such bindings: a
    window action is given Ctrl+Z, which a line edit claims (undo) on every platform."""
    from PySide6.QtGui import QAction, QKeySequence

    started(qtbot, window)
    fired: list[bool] = []
    act = QAction("Test action", window)
    act.setShortcut(QKeySequence("Ctrl+Z"))
    act.triggered.connect(lambda: fired.append(True))
    window.addAction(act)
    page = window.show_page("customers")
    page.focus_search()
    qtbot.keyClicks(page.search, "police")
    qtbot.keyClick(page.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert fired == [True]
    assert page.search.text() == "police"  # not undone
    window.removeAction(act)
    qtbot.keyClick(page.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.search.text() != "police"  # the box's own key again once no action has it


def test_ctrl_k_opens_the_search_of_everything_from_the_search_box(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    started(qtbot, window)
    page = window.show_page("vendors")
    page.focus_search()
    qtbot.keyClicks(page.search, "idemia")
    page.search.setCursorPosition(2)
    qtbot.keyClick(page.search, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.global_search.isVisible()
    assert page.search.text() == "idemia"  # not cut to the end of the line


def test_down_moves_from_the_search_box_into_the_rows(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page("deployments")
    page.focus_search()
    qtbot.keyClicks(page.search, "clearview")
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is page.table
    assert page.table.currentIndex().row() == 0
    assert page.detail.record.vendor_name == "Clearview AI"
    qtbot.keyClick(page.table, Qt.Key.Key_Down)  # and on down the rows
    assert page.table.currentIndex().row() == 1
    assert page.detail.record.id == page.model.record_id(1)


def test_the_link_with_the_keyboard_focus_is_clearly_marked(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.navigate("customers", "detroit-police-department")
    detail = window.current_page().detail
    detail.setFocus()
    qtbot.waitUntil(detail.hasFocus)
    assert detail.link_focus.focused_link() == ""
    qtbot.keyClick(detail, Qt.Key.Key_Tab)
    qtbot.wait(10)
    assert detail.link_focus.focused_link() == "Brief… (Ctrl+P)"  # the first link, under the name
    qtbot.keyClick(detail, Qt.Key.Key_Tab)
    qtbot.keyClick(detail, Qt.Key.Key_Tab)
    qtbot.wait(10)
    assert detail.link_focus.focused_link() == "DataWorks Plus — active"  # the third link
    marks = detail.extraSelections()
    assert len(marks) == 1 and marks[0].cursor.selectedText() == "DataWorks Plus — active"
    # Painted: the pane shows the strong background behind the link.
    image = detail.viewport().grab().toImage()
    colours = {
        image.pixelColor(x, y).name() for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
    }
    assert FOCUS_BACKGROUND.name() in colours
    window.current_page().table.setFocus()  # focus elsewhere: the mark goes
    qtbot.waitUntil(lambda: not detail.hasFocus())
    assert detail.extraSelections() == []
