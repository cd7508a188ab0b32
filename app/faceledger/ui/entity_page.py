"""One page per entity: search box, filters with counts, the lazy table and the detail pane."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from faceledger.data.repositories import Query, Repositories, Repository
from faceledger.data.text import plural
from faceledger.jobs import JobHandle, run_job
from faceledger.models.facets import Facets, facet_counts
from faceledger.models.table_model import EntityTableModel
from faceledger.startup import PAINT_FALLBACK_MS, after_first_paint
from faceledger.ui import style
from faceledger.ui.accessibility import name_entity_page
from faceledger.ui.detail import DetailPane
from faceledger.ui.facet_filter import FacetFilter
from faceledger.ui.flow_layout import FlowLayout

ANY_YEAR = 0
# Above this many rows in its largest table, a database's "Did you mean" is looked up on a worker.
SUGGEST_OFF_THREAD_ROWS = 20_000


class SearchBox(QLineEdit):
    """A search field: Esc clears it (a second Esc hands focus back), Down moves into the rows,
    and the window's shortcuts work while it has focus (a line edit keeps Ctrl+E and Ctrl+K for
    itself on Linux: end of line, delete to end of line)."""

    escape_pressed = Signal()
    down_pressed = Signal()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if self._is_window_shortcut(event):
                event.ignore()  # not taken here: the window's action runs
                return True
        return super().event(event)

    def _is_window_shortcut(self, event: QKeyEvent) -> bool:
        pressed = QKeySequence(event.keyCombination())
        return any(
            act.isEnabled()
            and any(s.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch for s in act.shortcuts())
            for act in self.window().actions()
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            event.accept()
            return
        if event.key() == Qt.Key.Key_Down and not event.modifiers():
            self.down_pressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class EntityPage(QWidget):
    """Browse one record type."""

    selection_changed = Signal(str, str)  # entity, record id
    navigate_requested = Signal(str, str)
    open_url_requested = Signal(str)
    status_changed = Signal(str)
    # The table has painted (or was built hidden, or did not paint in time): its counts start.
    background_started = Signal()

    def __init__(
        self, repos: Repositories, repository: Repository[Any], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.repos = repos
        self.repository = repository
        self.spec = repository.spec
        self.entity = self.spec.table
        self.setObjectName(f"page_{self.entity}")
        # The match count and the filter counts start once the table has painted (or at once when
        # the page is built hidden): at a million rows they would take a core from the first paint.
        self.model = EntityTableModel(repository, self, hold_count=True)
        self._background_started = False
        self._facet_job: JobHandle | None = None
        self._facet_generation = 0
        # Facets are counted once control is back in the event loop, after the table has repainted.
        self._facet_timer = QTimer(self)
        self._facet_timer.setSingleShot(True)
        self._facet_timer.setInterval(0)
        self._facet_timer.timeout.connect(self._refresh_facets)
        self._pinned: tuple[str, str, str] | None = None  # (key, value, label) set by show_only()
        # The current row's record, the one that was current when the rows were about to change
        # (kept current when it is still among the new rows), and whether a selection is made by
        # the page itself: then the detail pane follows once the table has painted its new rows.
        self._current_id: str | None = None
        self._kept_id: str | None = None
        self._selecting = False
        self._pane_timer = QTimer(self)
        self._pane_timer.setSingleShot(True)
        self._pane_timer.setInterval(0)
        self._pane_timer.timeout.connect(self._show_current_in_pane)
        self._build()
        self._connect_signals()
        self._update_status()
        # The counts start after the table's first paint (docs/startup.md); a page built hidden
        # has no paint to wait for.
        after_first_paint(
            self.table.viewport(),
            self._start_background,
            fallback_ms=PAINT_FALLBACK_MS,
            at_once_if_hidden=True,
        )

    def _start_background(self) -> None:
        if self._background_started or self.repository.db.closed:
            return
        self._background_started = True
        self.model.release_count()
        self._refresh_facets()
        self.background_started.emit()

    @property
    def painted_or_hidden(self) -> bool:
        """Whether `background_started` has been emitted."""
        return self._background_started

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = SearchBox(self)
        self.search.setObjectName("pageSearch")
        self.search.setStyleSheet(style.SEARCH_BOX)
        self.search.setPlaceholderText(f"Search {self.spec.title.lower()} (Ctrl+F)")
        self.search.setToolTip(
            "Part of a word is enough; case and accents are ignored. "
            "Down or Enter moves into the rows, Esc clears."
        )
        self.search.setClearButtonEnabled(True)
        self.filters: list[FacetFilter] = [FacetFilter(f, self) for f in self.spec.facets]
        self.year_from = self.year_to = None
        bounds = self.repository.year_bounds()
        if bounds is not None:
            self.year_from = self._year_box("from", bounds)
            self.year_to = self._year_box("to", bounds)
        self.status = QLabel(self)
        self.status.setObjectName("rowStatus")
        self.status.setStyleSheet(style.ROW_STATUS)
        # "No matches. Did you mean Clearview AI?": each name a link that searches for it.
        self.suggestion = QLabel(self)
        self.suggestion.setObjectName("searchSuggestion")
        self.suggestion.setVisible(False)
        self._suggested: tuple[str, str] = ("", "")
        self._suggest_job: JobHandle | None = None

        self.pinned_chip = QToolButton(self)
        self.pinned_chip.setObjectName("pinnedFilter")
        self.pinned_chip.setToolTip("Click to show all rows again")
        self.pinned_chip.setVisible(False)

        # The search box keeps room for its hint; the filters follow it and wrap onto more rows
        # when the window is narrow (a 1024-pixel laptop screen).
        self.search.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        hint = self.search.fontMetrics().horizontalAdvance(self.search.placeholderText())
        self.search.setMinimumWidth(max(hint + 60, 260))
        bar = FlowLayout()
        bar.addWidget(self.search)
        bar.addWidget(self.pinned_chip)
        for fb in self.filters:
            bar.addWidget(fb)
        if self.year_from is not None and self.year_to is not None:
            years = QWidget(self)  # kept together on one row
            years.setObjectName("yearRange")
            row = QHBoxLayout(years)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(QLabel("Years", years))
            row.addWidget(self.year_from)
            row.addWidget(QLabel("–", years))
            row.addWidget(self.year_to)
            bar.addWidget(years)
        self.filter_bar = bar

        self.table = QTableView(self)
        self.table.setObjectName(f"table_{self.entity}")
        style.style_table(self.table)
        # The row header is set up before the model arrives: a visible, resizable one would ask
        # the model for every row's header (four roles each) when the model is set.
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setVisible(False)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicatorClearable(False)
        # A long header over a narrow column of numbers ("Documented customers") takes two lines
        # rather than the width a laptop needs for the columns after it (the model's headers
        # wrap: as the header's default alignment, word wrap would stop restoreState working).
        metrics = header.fontMetrics()
        if any(metrics.horizontalAdvance(f.header) + 24 > f.width for f in self.spec.fields):
            header.setMinimumHeight(2 * metrics.lineSpacing() + 8)
        for i, f in enumerate(self.spec.fields):
            self.table.setColumnWidth(i, f.width)
        default = self.spec.keys.index(self.spec.default_sort)
        order = Qt.SortOrder.AscendingOrder if self.spec.default_ascending else Qt.SortOrder.DescendingOrder
        header.setSortIndicator(default, order)
        self.table.setSortingEnabled(True)  # sorts by the indicator: the spec's default order

        self.detail = DetailPane(self.repos, self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.suggestion)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        name_entity_page(self)

    def _year_box(self, which: str, bounds: tuple[int, int]) -> QSpinBox:
        box = QSpinBox(self)
        box.setObjectName(f"year_{which}")
        box.setRange(ANY_YEAR, max(bounds[1], 2100))
        box.setSpecialValueText("any")
        box.setValue(ANY_YEAR)
        box.setToolTip(f"Year {which} (type a year; 'any' for no limit)")
        box.setKeyboardTracking(False)
        return box

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._on_search_text_changed)
        self.suggestion.linkActivated.connect(self.search.setText)
        for fb in self.filters:
            fb.changed.connect(self._on_filter_changed)
        for box in (self.year_from, self.year_to):
            if box is not None:
                box.valueChanged.connect(self._on_filter_changed)
        self.model.counted.connect(self._on_model_counted)
        self.model.busy_changed.connect(self._on_model_busy)
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_reset)
        self.model.modelReset.connect(self._on_model_reset)
        self.model.dataChanged.connect(self._on_rows_arrived)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.table.activated.connect(self._on_row_activated)
        self.detail.navigate_requested.connect(self.navigate_requested)
        self.detail.open_url_requested.connect(self.open_url_requested)
        self.search.escape_pressed.connect(self.clear_search)
        self.search.returnPressed.connect(self._on_search_return)
        self.search.down_pressed.connect(self._on_search_return)
        self.pinned_chip.clicked.connect(self._on_pinned_chip_clicked)

    # -- public -------------------------------------------------------------------------------
    def current_query(self) -> Query:
        filters = tuple((fb.key, v) for fb in self.filters if (v := fb.selected()))
        if self._pinned is not None:
            filters += ((self._pinned[0], (self._pinned[1],)),)
        yf = self.year_from.value() if self.year_from is not None else ANY_YEAR
        yt = self.year_to.value() if self.year_to is not None else ANY_YEAR
        return Query(
            search=self.search.text(),
            filters=filters,
            year_from=yf or None,
            year_to=yt or None,
            order=self.model.query.order,
        )

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def clear_search(self) -> None:
        if self.search.text():
            self.search.clear()
        else:
            self.table.setFocus()

    def set_year(self, year: int | None) -> None:
        """Show only one year (or all years when None)."""
        if self.year_from is None or self.year_to is None:
            return
        for box in (self.year_from, self.year_to):
            box.blockSignals(True)
            box.setValue(year or ANY_YEAR)
            box.blockSignals(False)
        self._apply()

    def set_filter(self, key: str, value: str | None) -> None:
        """Show only rows whose `key` is `value` (None: any value)."""
        self.set_filter_values(key, () if value is None else (value,))

    def set_filter_values(self, key: str, values: tuple[str, ...]) -> None:
        """Show only rows whose `key` is any of `values` (none: any value)."""
        for fb in self.filters:
            if fb.key == key:
                fb.set_selected(values, notify=True)

    def show_only(
        self,
        pinned: tuple[str, str, str] | None,
        filters: dict[str, str | None],
        year: int | None = None,
    ) -> None:
        """Show exactly these rows (the charts' drill-down): no search, `filters` on the page's
        filter boxes (None = all), one `year` or any, and `pinned` = (key, value, label) restricting
        a field with no filter box (e.g. one vendor's deployments), shown as a removable chip."""
        boxes = [self.search, self.year_from, self.year_to]
        for w in boxes:
            if w is not None:
                w.blockSignals(True)
        self.search.clear()
        for fb in self.filters:
            value = filters.get(fb.key)
            fb.set_selected(() if value is None else (value,))
        for box in (self.year_from, self.year_to):
            if box is not None:
                box.setValue(year or ANY_YEAR)
        for w in boxes:
            if w is not None:
                w.blockSignals(False)
        self._set_pinned(pinned)
        self._apply()

    def _set_pinned(self, pinned: tuple[str, str, str] | None) -> None:
        self._pinned = pinned
        self.pinned_chip.setText(f"{pinned[2]}  ✕" if pinned else "")
        self.pinned_chip.setVisible(pinned is not None)

    def _on_pinned_chip_clicked(self) -> None:
        self._set_pinned(None)
        self._apply()

    def show_record(self, record_id: str) -> bool:
        """Select a record: in the table when the current view holds it, and in the pane always."""
        row = self.model.row_of(record_id)
        if row is None and (self.search.text() or self.current_query().filters or self._has_years()):
            self.reset_view()
            row = self.model.row_of(record_id)
        if row is not None:
            if row >= self.model.rowCount():
                self.model.count_now()  # one count; fetching pages up to row 500,000 takes minutes
            idx = self.model.index(row, 0)
            sm = self.table.selectionModel()
            sm.blockSignals(True)
            sm.setCurrentIndex(
                idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
            sm.blockSignals(False)
            self.table.scrollTo(idx, QAbstractItemView.ScrollHint.PositionAtCenter)
            self._current_id = record_id
        self._pane_timer.stop()
        return self.detail.show_record(self.entity, record_id)

    def reset_view(self) -> None:
        for w in [self.search, self.year_from, self.year_to]:
            if w is not None:
                w.blockSignals(True)
        self.search.clear()
        for fb in self.filters:
            fb.set_selected(())
        for box in (self.year_from, self.year_to):
            if box is not None:
                box.setValue(ANY_YEAR)
        for w in [self.search, self.year_from, self.year_to]:
            if w is not None:
                w.blockSignals(False)
        self._set_pinned(None)
        self._apply()

    def ensure_selection(self) -> None:
        """Select the first row when nothing is selected, so the detail pane is never empty; the
        pane shows the current row now (not after the next paint)."""
        if not self.table.currentIndex().isValid() and self.model.rowCount() > 0:
            self.table.selectRow(0)
        if self._pane_timer.isActive():
            self._pane_timer.stop()
            self._show_current_in_pane()

    def current_record(self) -> Any:
        idx = self.table.currentIndex()
        return self.model.record(idx.row()) if idx.isValid() else None

    def status_text(self) -> str:
        return self.status.text()

    # -- internals ----------------------------------------------------------------------------
    def _has_years(self) -> bool:
        return any(b is not None and b.value() != ANY_YEAR for b in (self.year_from, self.year_to))

    def _apply(self) -> None:
        query = self.current_query()
        if query == self.model.query:
            return
        self.model.set_query(query, defer_count=True)
        self._facet_timer.start()

    def _refresh_facets(self) -> None:
        if not self.filters or self.repository.db.closed:
            return
        self._facet_generation += 1
        gen = self._facet_generation
        repo = self.repository
        query = self.model.query
        keys = [fb.key for fb in self.filters]

        def job(_h: JobHandle) -> tuple[int, dict[str, Facets]]:
            return gen, facet_counts(repo, keys, query)

        handle = run_job(job, self, report_errors=True)
        handle.signals.finished.connect(self._on_facets_counted)
        self._facet_job = handle

    def _update_status(self) -> None:
        n = self.model.matching
        total = self.model.total
        if self.model.busy:
            text = "Searching…"
        elif n is None:
            text = f"{self.model.rowCount():,}+ rows (counting…)"
        else:
            every = total if total is not None else self.repository.total()
            text = f"{n:,} of {plural(every, 'row')}"
        self.status.setText(text)
        self.status_changed.emit(text)

    def _update_suggestion(self) -> None:
        """Under the search box when it finds nothing: the nearest names, as links (looked up on a
        worker when the database is large: at a million rows that takes a tenth of a second)."""
        text = self.search.text().strip()
        if not text or self.model.matching != 0 or self.repository.db.closed:
            self.suggestion.setVisible(False)
            return
        if self._suggested[0] == text:
            self._show_suggestion()
            return
        searcher = self.repos.search
        if searcher.largest_table <= SUGGEST_OFF_THREAD_ROWS:
            self._on_suggested((text, searcher.suggestions(text)))
            return

        def job(_h: JobHandle) -> tuple[str, list[str]]:
            with searcher.repos.reading() as worker:
                return text, worker.search.suggestions(text)

        self._suggest_job = run_job(job, self)
        self._suggest_job.signals.finished.connect(self._on_suggested)

    def _on_suggested(self, result: tuple[str, list[str]]) -> None:
        text, names = result
        links = [f'<a href="{html.escape(n)}">{html.escape(n)}</a>' for n in names]
        said = links[0] if len(links) == 1 else f"{', '.join(links[:-1])} or {links[-1]}" if links else ""
        self._suggested = (text, f"No matches. Did you mean {said}?" if said else "")
        self._show_suggestion()

    def _show_suggestion(self) -> None:
        current = self.search.text().strip() == self._suggested[0] and self.model.matching == 0
        self.suggestion.setText(self._suggested[1] if current else "")
        self.suggestion.setVisible(current and bool(self._suggested[1]))

    # -- slots --------------------------------------------------------------------------------
    def _on_search_text_changed(self, _text: str) -> None:
        self._apply()

    def _on_search_return(self) -> None:
        """Enter or Down in the search box: into the rows, on the current one (the first)."""
        if self.model.rowCount() > 0:
            self.table.setFocus()
            self.ensure_selection()

    def _on_filter_changed(self, *_args: object) -> None:
        self._apply()

    def _on_model_counted(self, _n: int, _total: int) -> None:
        self._update_status()
        self._update_suggestion()

    def _on_model_busy(self, _busy: bool) -> None:
        self._update_status()

    def _on_model_about_to_reset(self) -> None:
        self._kept_id = self._current_id

    def _on_model_reset(self) -> None:
        """New rows (a search, a filter, a sort, a year range, a pinned filter, a first page from
        a worker): the detail pane follows the table. The record it showed stays current when it
        is among the new rows, else the first row becomes current; with no rows, nothing is."""
        self._update_status()
        self._update_suggestion()
        # A search with no column chosen lists best matches first: no column's arrow is shown.
        self.table.horizontalHeader().setSortIndicatorShown(not self.repository.ranked(self.model.query))
        if self.model.rowCount() == 0:
            self._pane_timer.stop()
            self._current_id = None
            self.detail.show_nothing(
                "No rows match, so no record is selected. Change the search or the filters."
            )
            return
        kept, self._kept_id = self._kept_id, None
        row = None if kept is None else self.model.loaded_row_of(kept)
        if row is None and kept is not None and self.model.small:
            # Beyond the first page (a sort): look it up. On a large table that count could take
            # long on every keystroke, so there the first row becomes current instead.
            row = self.model.row_of(kept)
            if row is not None and row >= self.model.rowCount():
                row = None
        self._select_row(0 if row is None else row)

    def _select_row(self, row: int) -> None:
        """Make `row` current, as the page's own choice (not a visit for the back/forward history);
        the detail pane shows it once the table has painted (a record's pane takes longer to lay
        out than a page of rows: typing paints the rows first)."""
        idx = self.model.index(row, 0)
        self._selecting = True
        try:
            self.table.selectionModel().setCurrentIndex(
                idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
        finally:
            self._selecting = False
        if row > 0:
            self.table.scrollTo(idx, QAbstractItemView.ScrollHint.EnsureVisible)

    def _on_facets_counted(self, result: tuple[int, dict[str, Facets]]) -> None:
        gen, counts = result
        if gen != self._facet_generation or self.repository.db.closed:
            return
        for fb in self.filters:
            fb.set_counts(*counts.get(fb.key, ([], {})))

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        rid = self.model.record_id(current.row())
        self._current_id = rid
        if self._selecting:
            self._pane_timer.start()
            return
        self._pane_timer.stop()
        self._show_current_in_pane()
        if rid is not None:
            self.selection_changed.emit(self.entity, rid)

    def _show_current_in_pane(self) -> None:
        current = self.table.currentIndex()
        if not current.isValid():
            return
        rid = self.model.record_id(current.row())
        if rid is None:  # its page is being read on a worker: shown when it arrives
            self.detail.show_nothing("Reading this row…")
        elif self.detail.entity != self.entity or getattr(self.detail.record, "id", None) != rid:
            self.detail.show_record(self.entity, rid)

    def _on_rows_arrived(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        """A page read on a worker has arrived: when it holds the current row, whose record could
        not be shown while its cells were empty, show it now."""
        current = self.table.currentIndex()
        if not current.isValid() or not top_left.row() <= current.row() <= bottom_right.row():
            return
        rid = self.model.record_id(current.row())
        if rid is not None and getattr(self.detail.record, "id", None) != rid:
            self._on_current_row_changed(current, current)

    def _on_row_activated(self, index: QModelIndex) -> None:
        if self.model.record_id(index.row()) is not None:
            self.detail.setFocus()
