"""The app's look: a few style-sheet rules, each set on the widgets it is for.

Quiet, readable, high contrast. Each constant is set (`setStyleSheet`) on its widgets only, not
on the whole application: an application-wide sheet makes Qt draw every widget (menus, the status
bar, every label, button and splitter) through its style-sheet style, which costs about 3% of the
time to the window's first paint and 6% to the first page's rows (measured). The other widgets
keep the platform style. A rule set on a widget also reaches its children (a table's header).
"""

from __future__ import annotations

# The navigation list on the left (`MainWindow.nav`).
NAVIGATION = (
    "QListWidget#navigation { font-size: 10.5pt; padding: 4px; background: #f3f4f6; border: none; }"
    "QListWidget#navigation::item { padding: 7px 6px; border-radius: 4px; }"
    "QListWidget#navigation::item:selected { background: #1e3a5f; color: white; }"
)
# A page's search box and the global search's (Ctrl+K).
SEARCH_BOX = "QLineEdit#pageSearch, QLineEdit#globalSearchInput { padding: 5px; font-size: 10.5pt; }"
# A page's table and its header.
TABLE = (
    "QTableView { gridline-color: #e5e7eb; selection-background-color: #1e3a5f; selection-color: white; }"
    "QHeaderView::section { padding: 4px; font-weight: bold; background: #f3f4f6; border: none;"
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
