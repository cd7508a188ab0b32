"""Accessible names and descriptions of the window's controls, for screen readers: what each
control is (its name, never its current value) and what it does (its description). Set here, in
one place, for the navigation, the record pages and the Charts page's tabs; the About page and
the filter buttons name their own controls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtWidgets import QListWidget

    from faceledger.ui.charts_page import ChartsPage
    from faceledger.ui.entity_page import EntityPage
    from faceledger.ui.global_search import GlobalSearch

# The Charts page's controls by object name: (name, description; "" takes the tooltip).
CHART_CONTROLS = {
    "chartMeasure": ("What the bars show", "Reported customer counts, or documented deployments by status."),
    "chartCounted": ("What was counted", ""),
    "chartAsOf": ("Counts as of", ""),
    "chartLogScale": ("Log scale", ""),
    "chartFilter_customer_country": ("Customer country", ""),
    "chartFilter_customer_type": ("Customer type", ""),
    "chartFilter_status": ("Deployment status", ""),
    "chartStudy": ("Study", "The study whose figures the chart shows."),
    "chartStudyMeasure": ("Measure", "Which of the study's measures the bars show."),
    "chartStudyRankBy": ("Rank by", "What the rows are ranked by: the ratio between subgroups, the highest figure or one subgroup."),
    "chartStudyOrder": ("Order", "Worst first (highest) or best first (lowest)."),
    "chartStudyLimit": ("Rows shown", "How many algorithms or vendors the chart shows."),
    "chartRows": ("Chart rows", "Scrolls through the chart's rows when they do not all fit."),
}
CHART_KEYS = (
    "Arrow keys move from bar to bar; the line under the chart reads the current bar's value, "
    "qualifier, date and sources; Enter opens the records behind it; the context menu key exports it."
)


def describe(widget: QWidget, name: str, description: str = "") -> None:
    """Give `widget` an accessible name and description (its tooltip when none is given)."""
    widget.setAccessibleName(name)
    widget.setAccessibleDescription(description or widget.toolTip() or name)


def name_navigation(nav: QListWidget) -> None:
    describe(
        nav,
        "Pages",
        "The record types, Charts and About the data; Ctrl+1 to Ctrl+9 and Ctrl+0 open them directly.",
    )


def name_entity_page(page: EntityPage) -> None:
    """The search box, year range, table, detail pane and what appears under the search."""
    title = page.spec.title
    describe(page.search, f"Search {title.lower()}", page.search.toolTip())
    for box, which in ((page.year_from, "from"), (page.year_to, "to")):
        if box is not None:
            describe(box, f"Years {which}", box.toolTip())
    describe(
        page.table,
        f"{title} table",
        f"The {title.lower()} that match the search and filters, one per row. Up and Down move between "
        "rows and the detail pane shows the current one; a column header sorts by that column. The "
        "verification column says verified, partly verified or unverified.",
    )
    describe(
        page.detail,
        f"Details of the selected {page.spec.singular}",
        "The record in full: how well it is verified, in words, its fields, its related records as "
        "links and its sources. Tab moves through the links, Enter opens one.",
    )
    describe(page.pinned_chip, "Pinned filter", "Shows all rows again when pressed.")
    describe(
        page.suggestion, "Search suggestions", "Names close to a search that found nothing; each is a link."
    )


CHART_TABS = {
    "counts": "Customer counts each vendor reported, or its documented deployments by status.",
    "study": "The figures a study reported, for the study and measure chosen.",
    "timeline": "Events per year: bans, moratoria, fines, lawsuits and wrongful arrests.",
}


def name_charts_page(page: ChartsPage, tab_keys: Sequence[str]) -> None:
    """The tabs, `tab_keys` in their order (a tab bar reads as its current tab's name; each tab
    has a description)."""
    describe(page.tabs, "Charts", "Customer counts, study results and events over time, one chart per tab.")
    bar = page.tabs.tabBar()
    describe(bar, "Chart tabs", "Choose a chart: customer counts, study results or events over time.")
    for i, key in enumerate(tab_keys):
        bar.setTabToolTip(i, CHART_TABS[key])


def name_chart_tab(tab: QWidget) -> None:
    """A chart tab's controls (by object name) and its charts, once the tab is built."""
    from faceledger.ui.charts.view import ChartView  # noqa: PLC0415 (pyqtgraph: built charts only)

    for widget in tab.findChildren(QWidget):
        if widget.objectName() in CHART_CONTROLS:
            describe(widget, *CHART_CONTROLS[widget.objectName()])
    for chart in tab.findChildren(ChartView):
        describe(chart, f"{chart.title_text} chart", CHART_KEYS)
        describe(chart.view, f"{chart.title_text}: the bars", CHART_KEYS)


def name_global_search(palette: GlobalSearch) -> None:
    """The Ctrl+K palette: its search box and its list of hits."""
    describe(palette.input, "Search everything", palette.input.placeholderText())
    describe(
        palette.results,
        "Hits",
        "The best hits of every record type, grouped by type; each says where its words were found. "
        "Enter opens the selected hit.",
    )
