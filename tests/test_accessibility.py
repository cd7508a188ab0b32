"""What a screen reader gets, read through Qt's accessibility interface (`QAccessible`): every
control of the window, on every page, has a name and a description; verification is said in words
in the table's cells and in the detail pane."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QTabBar,
    QWidget,
)

from faceledger.data.repositories import Query
from faceledger.data.schema import VERIFICATION
from faceledger.models.table_model import RecordRole
from faceledger.ui.main_window import PAGE_ORDER, MainWindow

NAME = QAccessible.Text.Name
DESCRIPTION = QAccessible.Text.Description


# Qt's own parts of a control: the table's select-all corner (hidden with the row numbers) and
# the menu bar's overflow arrow.
QT_PARTS = {"qt_tableview_cornerbutton", "qt_menubar_ext_button"}


def _internal(widget: QWidget) -> bool:
    """A part of another control that the screen reader reads through that control: a spin box's
    or combo box's line edit, a combo box's list, a line edit's clear button, a scroll area's
    viewport and scroll bars, a tab bar's scroll arrows."""
    parent = widget.parentWidget()
    if widget.objectName() in QT_PARTS or isinstance(
        parent, QAbstractSpinBox | QComboBox | QTabBar | QLineEdit
    ):
        return True
    ancestor = parent
    while ancestor is not None:
        if isinstance(ancestor, QComboBox):
            return True
        ancestor = ancestor.parentWidget()
    if isinstance(parent, QAbstractScrollArea) and widget is parent.viewport():
        return True
    return widget.objectName().startswith("qt_scrollarea") or (
        parent is not None and parent.objectName().startswith("qt_scrollarea")
    )


def _controls(root: QWidget) -> list[QWidget]:
    """Widgets a user reaches with the keyboard or clicks, shown now or later (hidden ones too)."""
    found = [
        w
        for w in root.findChildren(QWidget)
        if (w.focusPolicy() != Qt.FocusPolicy.NoFocus or isinstance(w, QAbstractButton)) and not _internal(w)
    ]
    return [w for w in found if not w.isWindow()]


def _unnamed(root: QWidget) -> list[str]:
    missing = []
    for w in _controls(root):
        iface = QAccessible.queryAccessibleInterface(w)
        assert iface is not None, w
        name, description = iface.text(NAME).strip(), iface.text(DESCRIPTION).strip()
        if isinstance(w, QTabBar):  # read as its current tab: each tab needs its own description
            tabs = [iface.child(i) for i in range(w.count())]
            description = "" if any(not t.text(DESCRIPTION) for t in tabs) else "every tab"
        if isinstance(w, QComboBox):
            # Qt on Linux reads a combo box's name as its current choice (its label comes through
            # AT-SPI relations); elsewhere the accessible name: that must name the box.
            name = w.accessibleName() if name else ""
        if not name or not description:
            missing.append(
                f"{type(w).__name__} {w.objectName()!r}: name={name!r} description={description!r}"
            )
    return missing


def test_every_control_on_every_page_has_an_accessible_name_and_description(
    window: MainWindow, qtbot
) -> None:  # type: ignore[no-untyped-def]
    for entity in PAGE_ORDER:
        window.show_page(entity)
    charts = window.charts
    window.show_charts()
    for name in ("counts", "study", "timeline"):
        charts.show_tab(name)
    window.show_about()
    window.open_global_search()
    missing = _unnamed(window)
    assert missing == [], "\n".join(missing)
    names = {
        w.accessibleName() if isinstance(w, QComboBox) else QAccessible.queryAccessibleInterface(w).text(NAME)
        for w in _controls(window)
        if not isinstance(w, QTabBar)
    }
    # Named for what they are, not for their current value.
    expected = {
        "Pages",
        "Search vendors",
        "Years from",
        "Years to",
        "Vendors table",
        "Details of the selected vendor",
        "What the bars show",
        "What was counted",
        "Study",
        "Measure",
        "Reported customer counts chart",
        "About the data",
    }
    assert expected <= names, expected - names
    assert "Reported counts" not in names  # a combo box is not named by its current choice
    assert len(_controls(window)) > 60  # the walk reached every page


def _cell_name(page, row: int, key: str) -> str:  # type: ignore[no-untyped-def]
    table = page.table
    column = [f.key for f in page.spec.fields].index(key)
    index = page.model.index(row, column)
    table.scrollTo(index)
    point = table.viewport().mapToGlobal(table.visualRect(index).center())
    cell = QAccessible.queryAccessibleInterface(table).childAt(point.x(), point.y())
    assert cell is not None and cell.role() == QAccessible.Role.Cell
    return cell.text(NAME)


@pytest.mark.parametrize("entity", ["vendors", "events", "customer_counts"])
def test_a_verification_cell_is_read_as_words(window: MainWindow, entity: str) -> None:
    page = window.show_page(entity)
    model = page.model
    statuses = {}
    for row in range(min(model.rowCount(), 200)):
        record = model.index(row, 0).data(RecordRole)
        statuses.setdefault(record.verification, row)
    assert {"verified", "partial"} <= set(statuses)
    if entity == "customer_counts":
        assert "unverified" in statuses  # three counts are unverified claims
    for status, row in statuses.items():
        said = _cell_name(page, row, "verification")
        assert said == VERIFICATION.label(status)
        assert said.replace(" ", "").isalpha()  # words only: no "⚠" or "◐" read out as a symbol
    shown = model.index(statuses["partial"], [f.key for f in page.spec.fields].index("verification")).data()
    assert shown == "⚠ partial"  # the mark stays on screen
    # Another column is read as it is shown.
    assert _cell_name(page, 0, page.spec.fields[0].key) == model.index(0, 0).data()


def test_the_detail_pane_says_the_verification_in_words(window: MainWindow) -> None:
    page = window.show_page("vendors")
    by_status = {}
    for r in window.repos.vendors.page(Query(), 0, 5000):
        by_status.setdefault(r.verification, r.id)
    words = {"verified": "Verified", "partial": "Partly verified", "unverified": "Unverified claim"}
    for status, record_id in by_status.items():
        assert page.show_record(record_id)
        assert words[status] in page.detail.toPlainText()
    iface = QAccessible.queryAccessibleInterface(page.detail)
    assert iface.text(NAME) == "Details of the selected vendor"
    assert "verified, in words" in iface.text(DESCRIPTION)
