"""Chart widgets on pyqtgraph: reported customer counts, documented deployments, study figures
and events over time. Each is a component with a data-in method (`set_counts`, `set_segments`,
`set_figures`, `set_events`); the numbers come from `faceledger.data.charts`, never from here.

This package imports pyqtgraph (and NumPy); only `charts_page` imports it, when the Charts page is
first shown, so the app's cold start does not pay for it. One module per concern: `style`
(colours, pens, tooltip text), `bars` (the item that draws bars), `view` (the chart base and its
export), one module per chart, and `tabs` (each tab's controls).
"""

from faceledger.ui.charts.counts_chart import CountsChart
from faceledger.ui.charts.deployments_chart import DeploymentsChart
from faceledger.ui.charts.study_chart import StudyChart
from faceledger.ui.charts.tabs import CountsTab, StudyTab, TimelineTab
from faceledger.ui.charts.timeline_chart import TimelineChart
from faceledger.ui.charts.view import ChartView, RowChart

__all__ = [
    "ChartView",
    "CountsChart",
    "CountsTab",
    "DeploymentsChart",
    "RowChart",
    "StudyChart",
    "StudyTab",
    "TimelineChart",
    "TimelineTab",
]
