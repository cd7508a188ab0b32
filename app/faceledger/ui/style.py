"""The app's look: a few style-sheet rules, each set on the widgets it is for.

Quiet, readable, high contrast. Each constant is set (`setStyleSheet`) on its widgets only, not
on the whole application: an application-wide sheet makes Qt draw every widget (menus, the status
bar, every label, button and splitter) through its style-sheet style, which costs about 3% of the
time to the window's first paint and 6% to the first page's rows (measured). The other widgets
keep the platform style. A rule set on a widget also reaches its children, so a page's table
takes its colours from its palette and only its header carries a sheet (`style_table`).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QTableView

# The navigation list on the left (`MainWindow.nav`).
NAVIGATION = (
    "QListWidget#navigation { font-size: 10.5pt; padding: 4px; background: #f3f4f6; border: none; }"
    "QListWidget#navigation::item { padding: 7px 6px; border-radius: 4px; }"
    "QListWidget#navigation::item:selected { background: #1e3a5f; color: white; }"
)
# A page's search box and the global search's (Ctrl+K).
SEARCH_BOX = "QLineEdit#pageSearch, QLineEdit#globalSearchInput { padding: 5px; font-size: 10.5pt; }"
# A page's table header (set on the header alone: a style sheet on the table would draw every
# cell through the style-sheet style, twice the time per repaint; the table's own colours are
# set through its palette, `style_table`).
TABLE_HEADER = (
    "QHeaderView::section { padding: 4px; font-weight: bold; background: #f3f4f6; border: none;"
    " border-right: 1px solid #e5e7eb; border-bottom: 1px solid #d1d5db; }"
)
SELECTION = "#1e3a5f"  # the chosen row, as the chosen navigation item
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


def style_table(table: QTableView) -> None:
    """A page's table: the chosen row in the selection colour, focused or not (its palette), and
    its header's look (a style sheet on the header only)."""
    palette = table.palette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Highlight, QColor(SELECTION))
        palette.setColor(group, QPalette.ColorRole.HighlightedText, QColor("white"))
    table.setPalette(palette)
    table.horizontalHeader().setStyleSheet(TABLE_HEADER)
