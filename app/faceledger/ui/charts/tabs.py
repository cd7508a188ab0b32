"""The Charts page's three tabs: each tab's controls and chart, reading `faceledger.data.charts`."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from faceledger.data import charts as data
from faceledger.data import deployment_charts, schema
from faceledger.data import study_charts as study_data
from faceledger.data.charts import ReportedCount, YearKindCount
from faceledger.data.database import Database
from faceledger.data.deployment_charts import DeploymentFilter, DeploymentSegment
from faceledger.data.text import plural
from faceledger.ui.charts.counts_chart import CountsChart
from faceledger.ui.charts.deployments_chart import DeploymentsChart
from faceledger.ui.charts.study_chart import StudyChart
from faceledger.ui.charts.timeline_chart import TimelineChart
from faceledger.ui.charts.view import ChartView
from faceledger.ui.flow_layout import FlowLayout


# -- the three tabs: controls + chart, reading the data layer -------------------------------------
class CountsTab(QWidget):
    """Reported counts or documented deployments, with the as-of year, log scale and filters."""

    deployments_requested = Signal(str, str, object)  # vendor id, vendor name, DeploymentFilter

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.picks: dict[str, str] = {}  # vendor id -> count id the user chose
        self.measure = QComboBox(self)
        self.measure.setObjectName("chartMeasure")
        self.measure.addItem("Reported counts", "reported")
        self.measure.addItem("Documented deployments", "deployments")
        self.measure.setToolTip("What the bars show")
        self.counted = QComboBox(self)
        self.counted.setObjectName("chartCounted")
        for kind, vendors in data.count_measures(db):
            self._add_counted(kind, vendors)
        default = self.counted.findData(schema.DEFAULT_COUNTED)
        self.counted.setCurrentIndex(max(default, 0))
        self.counted.setToolTip(
            "What was counted: a chart compares counts of one kind of thing, for the vendors' face recognition"
        )
        self.as_of = QComboBox(self)
        self.as_of.setObjectName("chartAsOf")
        self.as_of.setToolTip("Show each vendor's latest count reported in or before this year")
        self._fill_years()
        self.log_box = QCheckBox("&Log scale", self)
        self.log_box.setObjectName("chartLogScale")
        self.log_box.setToolTip("A logarithmic axis, so that 2,400 and 20 are both readable")
        self.reset_picks = QPushButton("Reset count choices", self)
        self.reset_picks.setToolTip("Show the default count for every vendor again")
        self.reset_picks.setEnabled(False)
        values = deployment_charts.deployment_filter_values(db)
        self.filters: dict[str, QComboBox] = {}
        for key, header, options in (
            ("customer_country", "Country", values.customer_country),
            ("customer_type", "Customer type", values.customer_type),
            ("status", "Status", values.status),
        ):
            box = QComboBox(self)
            box.setObjectName(f"chartFilter_{key}")
            box.addItem(f"{header}: all", None)
            for value, n in options:
                box.addItem(f"{value or '(none)'} ({n:,})", value)
            box.setToolTip(f"Only deployments with this {header.lower()} (as on the Deployments page)")
            self.filters[key] = box
        controls = QWidget(self)
        bar = FlowLayout(controls)  # one row when it fits, more on a narrow window
        for widget in (self.measure, self.counted, self.as_of, self.reset_picks, *self.filters.values()):
            widget.setParent(controls)
            bar.addWidget(widget)
        self.log_box.setParent(controls)
        bar.addWidget(self.log_box)
        self.counts_chart = CountsChart(self)
        self.counts_chart.options_for = lambda vid: data.vendor_count_options(
            self.db, vid, self.year(), self.counted_kind()
        )
        self.counts_chart.pick_count = self.pick
        self.deployments_chart = DeploymentsChart(self)
        self.stack = QStackedWidget(self)
        for chart in (self.counts_chart, self.deployments_chart):
            self.stack.addWidget(chart)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(controls)
        layout.addWidget(self.stack, 1)
        self._connect_signals()
        self._on_measure_changed()

    def _connect_signals(self) -> None:
        self.measure.currentIndexChanged.connect(self._on_measure_changed)
        self.counted.currentIndexChanged.connect(self._on_counted_changed)
        self.as_of.currentIndexChanged.connect(self.refresh)
        self.log_box.toggled.connect(self.counts_chart.set_log_scale)
        self.reset_picks.clicked.connect(self._on_reset_picks)
        for box in self.filters.values():
            box.currentIndexChanged.connect(self.refresh)
        self.counts_chart.activated.connect(self._on_count_activated)
        self.deployments_chart.activated.connect(self._on_segment_activated)

    # -- public -------------------------------------------------------------------------------
    def chart(self) -> ChartView:
        return self.deployments_chart if self.showing_deployments() else self.counts_chart

    def showing_deployments(self) -> bool:
        return bool(self.measure.currentData() == "deployments")

    def show_measure(self, measure: str) -> None:
        self.measure.setCurrentIndex(self.measure.findData(measure))

    def counted_kind(self) -> str:
        """What the count chart compares (a value of `schema.COUNTED`)."""
        kind = self.counted.currentData()
        return schema.DEFAULT_COUNTED if kind is None else str(kind)

    def _add_counted(self, kind: str, vendors: int) -> None:
        self.counted.addItem(
            f"Counted: {schema.COUNTED.label(kind)} ({vendors} vendor{'s' if vendors != 1 else ''})", kind
        )

    def show_counted(self, kind: str, year: int | None = None) -> None:
        """Show the count chart of one measure, as of a year (None: the latest). A measure no
        vendor has a count of is offered only when asked for: its chart lists the vendors with
        no count of this kind rather than keeping another measure's bars under its name."""
        if self.counted.findData(kind) < 0:
            self._add_counted(kind, 0)
        self.counted.setCurrentIndex(self.counted.findData(kind))
        self.as_of.setCurrentIndex(max(self.as_of.findData(year), 0))

    def year(self) -> int | None:
        y = self.as_of.currentData()
        return None if y is None else int(y)

    def current_filter(self) -> DeploymentFilter:
        v = {k: box.currentData() for k, box in self.filters.items()}
        return DeploymentFilter(v["customer_country"], v["customer_type"], v["status"])

    def set_filter(self, flt: DeploymentFilter) -> None:
        """Take over the Deployments page's filters (country, customer type, status)."""
        for key, value in (
            ("customer_country", flt.customer_country),
            ("customer_type", flt.customer_type),
            ("status", flt.status),
        ):
            box = self.filters[key]
            idx = box.findData(value) if value is not None else 0
            if idx < 0:
                box.addItem(f"{value} (0)", value)
                idx = box.count() - 1
            box.blockSignals(True)
            box.setCurrentIndex(idx)
            box.blockSignals(False)
        self.refresh()

    def pick(self, vendor_id: str, count_id: str) -> None:
        self.picks[vendor_id] = count_id
        self.reset_picks.setEnabled(True)
        self.refresh()

    def refresh(self) -> None:
        if self.showing_deployments():
            flt = self.current_filter()
            self.deployments_chart.set_segments(
                deployment_charts.documented_deployments(self.db, flt), _filter_text(flt)
            )
        else:
            chart = data.count_chart(self.db, self.counted_kind(), self.year(), self.picks.values())
            self.counts_chart.set_chart(chart, log_scale=self.log_box.isChecked())

    # -- slots --------------------------------------------------------------------------------
    def _on_measure_changed(self, *_args: object) -> None:
        deployments = self.showing_deployments()
        self.stack.setCurrentIndex(1 if deployments else 0)
        for box in self.filters.values():
            box.setVisible(deployments)
        self.as_of.setVisible(not deployments)
        self.counted.setVisible(not deployments)
        self.log_box.setVisible(not deployments)
        self.reset_picks.setVisible(not deployments)
        self.refresh()

    def _fill_years(self) -> None:
        """The as-of years of the measure shown (the year kept when the measure has it)."""
        year = self.as_of.currentData()
        self.as_of.blockSignals(True)
        self.as_of.clear()
        self.as_of.addItem("As of: latest", None)
        for y in data.count_years(self.db, self.counted_kind()):
            self.as_of.addItem(f"As of: {y}", y)
        self.as_of.setCurrentIndex(max(self.as_of.findData(year), 0) if year is not None else 0)
        self.as_of.blockSignals(False)

    def _on_counted_changed(self, *_args: object) -> None:
        self._fill_years()
        self.refresh()

    def _on_reset_picks(self) -> None:
        self.picks.clear()
        self.reset_picks.setEnabled(False)
        self.refresh()

    def _on_count_activated(self, c: ReportedCount) -> None:
        self.deployments_requested.emit(c.vendor_id, c.vendor_name, DeploymentFilter())

    def _on_segment_activated(self, s: DeploymentSegment) -> None:
        flt = self.current_filter()
        self.deployments_requested.emit(
            s.vendor_id, s.vendor_name, DeploymentFilter(flt.customer_country, flt.customer_type, s.status)
        )


def _filter_text(flt: DeploymentFilter) -> str:
    parts = [
        f"{label}: {value or '(none)'}"
        for label, value in (
            ("customer country", flt.customer_country),
            ("customer type", flt.customer_type),
            ("status", flt.status),
        )
        if value is not None
    ]
    return ("Filtered by " + ", ".join(parts)) if parts else ""


class StudyTab(QWidget):
    """One study: a measure ranked (how, in which order, how many rows), or its single figures in
    words; every choice reads `faceledger.data.study_charts`."""

    record_requested = Signal(str, str)  # entity, record id: a bar opens its study

    SUMMARY = "summary"  # the measure box's entry for a study's figures in words
    LIMITS = ((10, "Show 10"), (20, "Show 20"), (50, "Show 50"), (0, "Show all"))

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.studies = data.studies_with_figures(db)
        self.study = QComboBox(self)
        self.study.setObjectName("chartStudy")
        self.study.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.study.setMinimumContentsLength(30)
        for s in self.studies:
            self.study.addItem(f"{s.title} ({s.year or 'no date'})", s.study_id)
        self.measure = QComboBox(self)
        self.measure.setObjectName("chartStudyMeasure")
        self.measure.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.measure.setMinimumContentsLength(24)
        self.rank_by = QComboBox(self)
        self.rank_by.setObjectName("chartStudyRankBy")
        self.rank_by.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.rank_by.setMinimumContentsLength(30)
        self.rank_by.setToolTip("What the rows are ranked by")
        self.order = QComboBox(self)
        self.order.setObjectName("chartStudyOrder")
        self.order.setToolTip("Worst or best first")
        self.limit = QComboBox(self)
        self.limit.setObjectName("chartStudyLimit")
        for n, text in self.LIMITS:
            self.limit.addItem(text, n)
        self.limit.setCurrentIndex(self.limit.findData(study_data.DEFAULT_LIMIT))
        self.limit.setToolTip("How many algorithms or vendors the chart shows")
        controls = QWidget(self)
        bar = FlowLayout(controls)  # one row when it fits, more on a narrow window
        for text, box in (("&Study", self.study), ("&Measure", self.measure), ("&Rank by", self.rank_by)):
            pair = QWidget(controls)  # a label wraps to the next line together with its box
            row = QHBoxLayout(pair)
            row.setContentsMargins(0, 0, 0, 0)
            label = QLabel(text, pair)
            label.setBuddy(box)
            box.setParent(pair)
            row.addWidget(label)
            row.addWidget(box)
            bar.addWidget(pair)
        for box in (self.order, self.limit):
            box.setParent(controls)
            bar.addWidget(box)
        self.chart_view = StudyChart(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(controls)
        layout.addWidget(self.chart_view, 1)
        self.study.currentIndexChanged.connect(self._on_study_changed)
        self.measure.currentIndexChanged.connect(self._on_measure_changed)
        for box in (self.rank_by, self.order, self.limit):
            box.currentIndexChanged.connect(self.refresh)
        self.chart_view.activated.connect(self._on_figure_activated)
        default = self.study.findData(data.DEFAULT_STUDY)
        if default >= 0:
            self.study.setCurrentIndex(default)
        self._on_study_changed()

    def chart(self) -> ChartView:
        return self.chart_view

    def show_study(
        self,
        study_id: str,
        measure_index: int = 0,
        order: str = study_data.WORST_FIRST,
        limit: int | None = study_data.DEFAULT_LIMIT,
    ) -> None:
        """Show a study's measure (by its place in the measure box), in an order, `limit` rows."""
        self.study.setCurrentIndex(self.study.findData(study_id))
        self.measure.setCurrentIndex(measure_index)
        self.order.setCurrentIndex(max(self.order.findData(order), 0))
        self.limit.setCurrentIndex(max(self.limit.findData(limit or 0), 0))

    def _current(self) -> data.StudyChoice | None:
        sid = self.study.currentData()
        return next((s for s in self.studies if s.study_id == sid), None)

    def _on_study_changed(self, *_args: object) -> None:
        choice = self._current()
        self.measure.blockSignals(True)
        self.measure.clear()
        for metric, unit, n in study_data.charted_measures(choice) if choice else ():
            unit_text = f" ({unit})" if unit else ""
            self.measure.addItem(f"{metric}{unit_text} — {plural(n, 'figure')}", (metric, unit))
        if choice is not None:
            self.measure.addItem("All its figures, in words", self.SUMMARY)
        self.measure.blockSignals(False)
        self._on_measure_changed()

    def _on_measure_changed(self, *_args: object) -> None:
        """Offer the rankings and the orders of the measure chosen."""
        choice = self._current()
        picked = self.measure.currentData()
        for box in (self.rank_by, self.order):
            box.blockSignals(True)
            box.clear()
        if choice is not None and isinstance(picked, tuple):
            metric, unit = picked
            figures = data.study_figures(self.db, choice.study_id, metric, unit)
            for option in study_data.rank_options(figures):
                self.rank_by.addItem(option.label, option.key)
            for key, text in study_data.order_labels(metric).items():
                self.order.addItem(text, key)
        summary = not isinstance(picked, tuple)
        for box in (self.rank_by, self.order, self.limit):
            box.setEnabled(not summary)
        for box in (self.rank_by, self.order):
            box.blockSignals(False)
        self.refresh()

    def _on_figure_activated(self, _bar: object) -> None:
        choice = self._current()
        if choice is not None:
            self.record_requested.emit("studies", choice.study_id)

    def ranked(self) -> study_data.RankedStudy | None:
        """The ranking the chart shows (None for a study said in words)."""
        choice = self._current()
        picked = self.measure.currentData()
        if choice is None or not isinstance(picked, tuple):
            return None
        metric, unit = picked
        limit = self.limit.currentData()
        return study_data.ranked_study(
            self.db,
            choice,
            metric,
            unit,
            self.rank_by.currentData(),
            self.order.currentData() or study_data.WORST_FIRST,
            int(limit) or None if limit is not None else study_data.DEFAULT_LIMIT,
        )

    def refresh(self, *_args: object) -> None:
        choice = self._current()
        if choice is None:
            self.chart_view.set_summary("No study with numeric figures", [])
            return
        ranked = self.ranked()
        if ranked is None:
            self.chart_view.set_summary(choice.title, study_data.study_summary(self.db, choice.study_id))
        else:
            self.chart_view.set_ranked(ranked, self.order.currentText())


class TimelineTab(QWidget):
    events_requested = Signal(int, str)  # year, kind

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.chart_view = TimelineChart(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.chart_view, 1)
        self.chart_view.activated.connect(self._on_activated)
        self.refresh()

    def chart(self) -> ChartView:
        return self.chart_view

    def refresh(self) -> None:
        self.chart_view.set_events(data.events_per_year(self.db))

    def _on_activated(self, r: YearKindCount) -> None:
        self.events_requested.emit(r.year, r.kind)
