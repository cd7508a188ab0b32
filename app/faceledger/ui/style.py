"""The app's look: a few style-sheet rules, each set on the widgets it is for.

Quiet, readable, high contrast. Each constant is set (`setStyleSheet`) on its widgets only, not
on the whole application: an application-wide sheet makes Qt draw every widget (menus, the status
bar, every label, button and splitter) through its style-sheet style, which costs about 3% of the
time to the window's first paint and 6% to the first page's rows (measured). The other widgets
keep the platform style. A rule set on a widget also reaches its children, so a page's table
takes its colours from its palette and only its header carries a sheet (`style_table`). The
navigation, painted first, carries no sheet at all (`style_navigation`): without its sheet the
start takes about 3% less CPU time to the first paint (measured; the first font metrics, which
the sheet paid for before, are now paid here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: the first paint needs none of their Python types
    from PySide6.QtWidgets import QListWidget, QTableView

PANEL = "#f3f4f6"  # the navigation's background, as a table header's
SELECTION = "#1e3a5f"  # the chosen navigation item and the chosen row
# The navigation's text size in points, its margin and the room above and below an item's text
# in pixels.
NAVIGATION_POINTS = 10.5
NAVIGATION_MARGIN = 4
NAVIGATION_ITEM_PADDING = 7
# A page's search box and the global search's (Ctrl+K).
SEARCH_BOX = "QLineEdit#pageSearch, QLineEdit#globalSearchInput { padding: 5px; font-size: 10.5pt; }"
# A page's table header (set on the header alone: a style sheet on the table would draw every
# cell through the style-sheet style, twice the time per repaint; the table's own colours are
# set through its palette, `style_table`).
TABLE_HEADER = (
    f"QHeaderView::section {{ padding: 4px; font-weight: bold; background: {PANEL}; border: none;"
    " border-right: 1px solid #e5e7eb; border-bottom: 1px solid #d1d5db; }"
)
# The line under a page's table ("127 of 127 rows").
ROW_STATUS = "QLabel#rowStatus { color: #374151; padding: 2px; }"
# A page's filters: a button per field, its menu of values (several can be chosen).
FACET_FILTER = (
    "FacetFilter { padding: 4px 18px 4px 8px; border: 1px solid #9ca3af; border-radius: 3px; background: #ffffff; }"
    "FacetFilter:hover { background: #f3f4f6; }"
    "FacetFilter:focus { border: 2px solid #1d4ed8; padding: 3px 17px 3px 7px; }"
    "FacetFilter::menu-indicator { subcontrol-origin: padding; subcontrol-position: center right; right: 4px; }"
)
# The detail pane, when it has the keyboard focus.
DETAIL_PANE = "QTextBrowser#detailPane:focus { border: 2px solid #1d4ed8; }"


def _select_in_colour(widget: QListWidget | QTableView, background: str | None = None) -> None:
    """The chosen item of an item view in the selection colour, focused or not (its palette);
    with `background`, its background too."""
    from PySide6.QtGui import QColor, QPalette  # noqa: PLC0415 (see TYPE_CHECKING above)

    palette = widget.palette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Highlight, QColor(SELECTION))
        palette.setColor(group, QPalette.ColorRole.HighlightedText, QColor("white"))
    if background is not None:
        for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
            palette.setColor(role, QColor(background))
    widget.setPalette(palette)


def style_navigation(nav: QListWidget) -> None:
    """The navigation list, once its items are in: a light panel without a frame, its text a
    little larger, each item with room around its text, the chosen one in the selection colour."""
    from PySide6.QtCore import QSize  # noqa: PLC0415
    from PySide6.QtWidgets import QFrame  # noqa: PLC0415

    _select_in_colour(nav, PANEL)
    font = nav.font()
    font.setPointSizeF(NAVIGATION_POINTS)
    nav.setFont(font)
    nav.setFrameShape(QFrame.Shape.NoFrame)
    nav.setViewportMargins(*(NAVIGATION_MARGIN,) * 4)
    nav.setAutoFillBackground(True)  # the margins in the panel's colour too
    line = nav.fontMetrics().lineSpacing()
    for i in range(nav.count()):
        item = nav.item(i)
        item.setSizeHint(QSize(0, line * (item.text().count("\n") + 1) + 2 * NAVIGATION_ITEM_PADDING))


def style_table(table: QTableView) -> None:
    """A page's table: the chosen row in the selection colour, focused or not (its palette), and
    its header's look (a style sheet on the header only)."""
    _select_in_colour(table)
    table.horizontalHeader().setStyleSheet(TABLE_HEADER)
