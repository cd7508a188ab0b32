"""One generic, lazily loaded table model for every entity, driven by the entity's column specs.

Rows are fetched from the repository a page at a time, only when a view asks for them, as plain
tuples of the columns the view shows (a record is built only for the row a user selects); at most
`MAX_PAGES` pages are kept. The first page is loaded at once when the query changes; the full
match count is computed off the GUI thread and then the model grows to it, so typing never waits
for a count over a million rows. Sorting is done by SQL on raw values.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from faceledger.data import schema
from faceledger.data.entities import Field, dataset_label
from faceledger.data.repositories import PAGE_SIZE, Query, Repository
from faceledger.data.schema import VERIFICATION
from faceledger.data.text import number_text
from faceledger.jobs import JobHandle, ReadJob, run_job
from faceledger.models.match_tooltip import match_tooltip

RecordRole = int(Qt.ItemDataRole.UserRole) + 1
SortRole = int(Qt.ItemDataRole.UserRole) + 2
IdRole = int(Qt.ItemDataRole.UserRole) + 3

# Plain ints: data() is called for every role of every visible cell at each paint.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)  # what a screen reader says for a cell
_MARK_ROLES = (_FONT, _FOREGROUND, _ACCESSIBLE)  # answered for the verification column only
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# Column headers: centred, and a long one over a narrow column wraps onto a second line.
_HEADER_ALIGNMENT = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
# Where QStyledItemDelegate's span holds the roles multiData() answers itself: display, alignment,
# font, foreground (at 5, 1, 0, 2).
_DELEGATE_ROLES = (_DISPLAY, _ALIGN, _FONT, _FOREGROUND)
_HANDLED_ROLES = frozenset(
    {_DISPLAY, _TOOLTIP, _ALIGN, _FOREGROUND, _FONT, _ACCESSIBLE, SortRole, RecordRole, IdRole}
)

MAX_PAGES = 80

UNVERIFIED = QColor("#9a3412")
PARTIAL = QColor("#8a6d00")


_marks: dict[str, tuple[QBrush, QFont | None]] = {}


def _mark(status: Any) -> tuple[QBrush, QFont | None] | None:
    """The verification column's mark for a status: (text colour, font or None); verified has
    none. Made on first use (a QFont wants the application to exist)."""
    if not _marks:
        italic = QFont()
        italic.setItalic(True)
        _marks["unverified"] = (QBrush(UNVERIFIED), italic)
        _marks["partial"] = (QBrush(PARTIAL), None)
    return _marks.get(status)


_Index = QModelIndex | QPersistentModelIndex


def display(value: Any, field: Field) -> str:
    """How a raw value is shown in a cell."""
    if value is None or value == "":
        return ""
    if field.kind == "float" and isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{value:,.0f}"
    if field.kind == "int" and isinstance(value, int):
        return f"{value:,}"
    if field.kind in ("int", "float") and isinstance(value, str):
        return number_text(0.0, value)  # "117000000" -> "117,000,000"; words kept as written
    if field.key == "verification" and value != "verified":
        return f"⚠ {value}"
    if field.labels == "datasets":
        return dataset_label(str(value))
    return str(value)


def _formatter(field: Field, at: int, columns: dict[str, int]) -> Callable[[tuple[Any, ...]], str]:
    """`display` for one field, as a function of the row (`at`: where its value sits). A
    deployment's end reads "not known" when it ended on no known date (its status is in the row)."""
    status_at = columns.get("status")
    if field.key == "end" and field.kind == "date" and status_at is not None:
        return lambda values: display(values[at], field) or schema.end_shown(None, values[status_at])
    return lambda values: display(values[at], field)


class EntityTableModel(QAbstractTableModel):
    """Rows of one entity matching a `Query`."""

    counted = Signal(int, int)  # rows matching, rows in the table
    query_changed = Signal()
    busy_changed = Signal(bool)

    def __init__(
        self, repository: Repository[Any], parent: QObject | None = None, *, hold_count: bool = False
    ) -> None:
        """`hold_count`: do not count the first query's rows until `release_count()` (a page
        starts its background work once it has painted)."""
        super().__init__(parent)
        self._held = hold_count
        self.repository = repository
        self.fields: tuple[Field, ...] = repository.spec.fields
        columns = {c: i for i, c in enumerate(repository.grid_columns)}
        # Per column of the view: where its value, its sort value and the verification sit in a row.
        self._value_at = tuple(columns[f.key] for f in self.fields)
        self._sort_at = tuple(columns[f.sort_key] for f in self.fields)
        self._verification_at = columns.get("verification")
        self._verification_column = next(
            (i for i, f in enumerate(self.fields) if f.key == "verification"), -1
        )
        self._formats = tuple(_formatter(f, columns[f.key], columns) for f in self.fields)
        self._numeric = tuple(f.kind in ("int", "float") for f in self.fields)
        # The page the last cell came from: (first row, end row, rows), for data()'s common path.
        self._hot: tuple[int, int, list[tuple[Any, ...]]] | None = None
        self._last_record: tuple[str, Any] | None = None
        self._pending: tuple[int, Query, ReadJob] | None = None
        # Pages being read on a worker (queries that scan a large table), by page number.
        self._loads: dict[int, ReadJob] = {}
        self._scan = False
        self._query = Query()
        self._pages: OrderedDict[int, list[tuple[Any, ...]]] = OrderedDict()
        self._rows = 0
        self._count: int | None = None
        self._total: int | None = None
        self._generation = 0
        self._count_job: JobHandle | None = None
        # With defer_count (typing), the count starts once control is back in the event loop, after
        # the view has repainted: a keystroke's results are painted before a worker takes a CPU.
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(0)
        self._count_timer.timeout.connect(self._start_count)
        self.set_query(Query(filters=repository.spec.default_filters))

    # -- query --------------------------------------------------------------------------------
    @property
    def query(self) -> Query:
        """The query asked for last (its first page may still be read off the GUI thread)."""
        return self._pending[1] if self._pending is not None else self._query

    @property
    def shown_query(self) -> Query:
        """The query of the rows the model holds now (while `busy`, the previous one)."""
        return self._query

    @property
    def busy(self) -> bool:
        """Whether a query's first page is being read off the GUI thread (the rows shown are the
        previous query's until it arrives)."""
        return self._pending is not None

    @property
    def total(self) -> int | None:
        """Every row of the table, once counted (off the GUI thread on a large table)."""
        return self._total

    @property
    def matching(self) -> int | None:
        """Rows matching the query, once counted."""
        return self._count

    def set_query(self, query: Query, *, defer_count: bool = False) -> None:
        if not self.repository.cheap(query):
            # A one- or two-letter word or a filter may read a large table to its end before a page
            # is full: read it on a worker, the view stays responsive and a newer query cancels it.
            self._read_first_page_off_thread(query, defer_count)
            return
        # Read first: when the read fails (a damaged database) the model stays as it was.
        first = self.repository.rows(query, 0, PAGE_SIZE)
        count: int | None = None
        if len(first) < PAGE_SIZE:
            count = len(first)
        elif self.repository.small:
            count = self.repository.count(query)  # well under a millisecond: no worker
        self._cancel_pending()
        self._show_first_page(query, first, count, defer_count)

    def _show_first_page(
        self, query: Query, first: list[tuple[Any, ...]], count: int | None, defer_count: bool
    ) -> None:
        self.beginResetModel()
        self._query = query
        self._generation += 1
        self._stop_loads()
        self._scan = not self.repository.cheap(query)
        self._pages.clear()
        self._hot = None
        self._pages[0] = first
        self._rows = len(first) if count is None else count
        self._count = count
        self.endResetModel()
        self.query_changed.emit()
        if self._count is None and self._held:
            pass  # counted on release_count()
        elif self._count is None and defer_count:
            self._count_timer.start()
        elif self._count is None:
            self._count_timer.stop()
            self._start_count()
        else:
            self._emit_counted()

    def _read_first_page_off_thread(self, query: Query, defer_count: bool) -> None:
        self._cancel_pending()
        self._generation += 1  # results of the previous query's jobs are dropped from now on
        self._stop_loads()
        read = self._read_page_off_thread(query, 0, None)
        self._pending = (self._generation, query, read)
        read.handle.signals.finished.connect(lambda result: self._on_first_page_read(result, defer_count))
        self.busy_changed.emit(True)

    def _read_page_off_thread(self, query: Query, page_no: int, count: int | None) -> ReadJob:
        """A page of `query` read on a worker. Its result is (generation, page number, rows), or
        None when a newer query interrupted it meanwhile."""
        gen = self._generation
        repo = self.repository
        return ReadJob(
            repo.db,
            lambda conn: (gen, page_no, repo.bound(conn).rows(query, page_no * PAGE_SIZE, PAGE_SIZE, count)),
            self,
        )

    def _on_first_page_read(
        self, result: tuple[int, int, list[tuple[Any, ...]]] | None, defer_count: bool
    ) -> None:
        if result is None or self._pending is None or self._pending[0] != result[0]:
            return  # cancelled or superseded
        if self.repository.db.closed:
            return
        first = result[2]
        query = self._pending[1]
        self._pending = None
        self._show_first_page(query, first, len(first) if len(first) < PAGE_SIZE else None, defer_count)
        self.busy_changed.emit(False)

    def _cancel_pending(self) -> None:
        if self._pending is None:
            return
        read = self._pending[2]
        self._pending = None
        self._generation += 1
        read.interrupt()
        self.busy_changed.emit(False)

    def release_count(self) -> None:
        """Start counting, when the model was made with `hold_count`."""
        if self._held:
            self._held = False
            if self._count is None:
                self._start_count()

    def refresh(self) -> None:
        self.set_query(self.query)

    def _start_count(self) -> None:
        if self._count is not None or self.repository.db.closed:
            return  # counted meanwhile (count_now), or the window is closing
        gen = self._generation
        repo = self.repository
        query = self._query
        need_total = self._total is None

        def job(_h: JobHandle) -> tuple[int, int, int | None]:
            with repo.reading() as worker:
                return gen, worker.count(query), worker.count(Query()) if need_total else None

        handle = run_job(job, self, report_errors=True)
        handle.signals.finished.connect(self._on_count_finished)
        self._count_job = handle

    def _on_count_finished(self, result: tuple[int, int, int | None]) -> None:
        gen, count, total = result
        if gen != self._generation or self.repository.db.closed:
            return  # an older query's count, or the window is closing
        if total is not None:
            self._total = total
        self._count = count
        if count > self._rows:
            self.beginInsertRows(QModelIndex(), self._rows, count - 1)
            self._rows = count
            self.endInsertRows()
        elif count < self._rows:  # cannot happen on an immutable database; stay consistent
            self.beginRemoveRows(QModelIndex(), count, self._rows - 1)
            self._rows = count
            self._hot = None
            self.endRemoveRows()
        self._emit_counted()

    def _emit_counted(self) -> None:
        if self._total is None:
            self._total = self.repository.total()
        self.counted.emit(self._count or 0, self._total)

    def count_now(self) -> int:
        """Count synchronously (tests and exports that need the figure at once)."""
        if self._count is None:
            self._on_count_finished((self._generation, self.repository.count(self._query), None))
        return self._count or 0

    # -- lazy rows ----------------------------------------------------------------------------
    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:
        return (
            not parent.isValid()
            and self._pending is None
            and self._count is None
            and self._rows % PAGE_SIZE == 0
            and (self._rows // PAGE_SIZE) not in self._loads
        )

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:
        if parent.isValid() or self._count is not None or self._pending is not None:
            return
        page_no = self._rows // PAGE_SIZE
        if not self._reads_at_once(page_no):
            self._load_page_off_thread(page_no)  # the rows are inserted when they arrive
            return
        self._grow_by(self._page(page_no))

    def _reads_at_once(self, page_no: int) -> bool:
        """Whether a page is read on the GUI thread: on a large table, not a page of a query that
        may scan the table (`_scan`), nor one far into a query in an order the stored rows do not
        follow (SQLite would step over every row before it)."""
        return not self._scan and self.repository.cheap(self._query, page_no * PAGE_SIZE, self._count)

    def _grow_by(self, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self.beginInsertRows(QModelIndex(), self._rows, self._rows + len(rows) - 1)
            self._rows += len(rows)
            self.endInsertRows()
        if len(rows) < PAGE_SIZE:
            self._count = self._rows
            self._emit_counted()

    def _page(self, page_no: int) -> list[tuple[Any, ...]]:
        page = self._pages.get(page_no)
        if page is None:
            if not self._reads_at_once(page_no):
                # A page that may take SQLite long to reach: read it on a worker; its cells are
                # empty until it arrives (then dataChanged repaints them).
                self._load_page_off_thread(page_no)
                return []
            page = self.repository.rows(self._query, page_no * PAGE_SIZE, PAGE_SIZE, self._count)
            self._keep(page_no, page)
        else:
            self._pages.move_to_end(page_no)
        return page

    def _keep(self, page_no: int, page: list[tuple[Any, ...]]) -> None:
        self._pages[page_no] = page
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)

    def _load_page_off_thread(self, page_no: int) -> None:
        if page_no in self._loads or self.repository.db.closed:
            return
        read = self._read_page_off_thread(self._query, page_no, self._count)
        self._loads[page_no] = read
        read.handle.signals.finished.connect(self._on_page_loaded)

    def _on_page_loaded(self, result: tuple[int, int, list[tuple[Any, ...]]] | None) -> None:
        if result is None or self.repository.db.closed:
            return
        gen, page_no, page = result
        if gen != self._generation:
            return
        self._loads.pop(page_no, None)
        self._keep(page_no, page)
        first = page_no * PAGE_SIZE
        if self._count is None and first == self._rows:  # fetchMore's next page
            self._grow_by(page)
        elif page and first < self._rows:
            last = min(first + len(page), self._rows) - 1
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.fields) - 1))

    def _stop_loads(self) -> None:
        for read in self._loads.values():
            read.interrupt()
        self._loads.clear()

    def _row(self, row: int) -> tuple[Any, ...] | None:
        if row < 0 or row >= self._rows:
            return None
        page_no = row // PAGE_SIZE
        page = self._page(page_no)
        first = page_no * PAGE_SIZE
        self._hot = (first, min(first + len(page), self._rows), page)
        i = row - first
        return page[i] if i < len(page) else None

    def record_id(self, row: int) -> str | None:
        values = self._row(row)
        return None if values is None else str(values[0])

    def record(self, row: int) -> Any:
        """The whole record shown in `row` (read by its id; the last one is kept)."""
        rid = self.record_id(row)
        if rid is None:
            return None
        if self._last_record is None or self._last_record[0] != rid:
            self._last_record = (rid, self.repository.get(rid))
        return self._last_record[1]

    def loaded_pages(self) -> int:
        return len(self._pages)

    # -- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.fields)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.fields):
            f = self.fields[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return f.header
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{f.header}: click to sort"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _HEADER_ALIGNMENT
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def multiData(self, index: _Index, roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:
        """Qt's item delegate asks for the seven roles of a painted cell in one call: answered
        here with one Python call per cell instead of seven data() calls.

        The delegate's span is font, alignment, foreground, check state, decoration, display,
        background, and it keeps that one array for every cell it paints, so what a cell does not
        set stays from the cell before: every cell sets or clears its text, alignment, font and
        foreground (the verification column's mark); check state, decoration and background are
        never set by this model. Any other span (another caller, another Qt) is answered role by
        role through `data()`."""
        span: Any = roleDataSpan  # indexable and iterable (PySide's stubs do not say so)
        is_span = isinstance(roleDataSpan, QModelRoleDataSpan)
        column = index.column()
        if is_span and column >= 0 and len(span) == 7:
            text, align, font, foreground = span[5], span[1], span[0], span[2]
            if (text.role(), align.role(), font.role(), foreground.role()) == _DELEGATE_ROLES:
                row = index.row()
                hot = self._hot
                if hot is not None and hot[0] <= row < hot[1]:
                    values: tuple[Any, ...] | None = hot[2][row - hot[0]]
                else:
                    values = self._row(row)
                if values is None:
                    text.clearData()
                else:
                    text.setData(self._formats[column](values))
                if self._numeric[column]:
                    align.setData(_RIGHT)
                else:
                    align.clearData()
                mark = None
                if (
                    values is not None
                    and column == self._verification_column
                    and self._verification_at is not None
                ):
                    mark = _mark(values[self._verification_at])
                if mark is None:
                    font.clearData()
                    foreground.clearData()
                else:
                    foreground.setData(mark[0])
                    if mark[1] is None:
                        font.clearData()
                    else:
                        font.setData(mark[1])
                return
        for item in span if is_span else (span,):
            item.setData(self.data(index, item.role()))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for one role at a time by everything but the item delegate's paint (multiData):
        # the common path is a hot page, a tuple index and a per-column formatter.
        if role not in _HANDLED_ROLES:
            return None
        column = index.column()
        if column < 0:  # an invalid index
            return None
        if role == _ALIGN:
            return _RIGHT if self._numeric[column] else None
        if role in _MARK_ROLES and column != self._verification_column:
            return None  # (a cell's accessible text is its display text, but for the verification's)
        row = index.row()
        hot = self._hot
        if hot is not None and hot[0] <= row < hot[1]:
            values = hot[2][row - hot[0]]
        else:
            found = self._row(row)
            if found is None:
                return None
            values = found
        if role == _DISPLAY:
            return self._formats[column](values)
        if role == SortRole:
            return values[self._sort_at[column]]
        if role == IdRole:
            return values[0]
        if role == RecordRole:
            return self.record(row)
        if column != self._verification_column:  # only the tooltip is left to answer
            text = self._formats[column](values)
            if self._query.search.strip():  # where the search found this row
                return match_tooltip(self.repository, str(values[0]), self._query.search, text)
            return text if len(text) > 30 else None
        verification = values[self._verification_at] if self._verification_at is not None else ""
        if role == _ACCESSIBLE:  # the status in words, without the mark ("⚠ partial": "partly verified")
            return VERIFICATION.label(str(verification))
        if role == _FOREGROUND or role == _FONT:
            mark = _mark(verification)
            return None if mark is None else mark[0] if role == _FOREGROUND else mark[1]
        # The tooltip; the note is not in the row: read the record (one row).
        text = self._formats[column](values)
        note = getattr(self.record(row), "verification_note", "")
        return f"{text}\n{note}" if note else text

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.fields):
            return
        asc = order == Qt.SortOrder.AscendingOrder
        key = self.fields[column].key
        spec = self.repository.spec
        query = self.query
        if (query.order or (spec.default_sort, spec.default_ascending)) == (key, asc):
            return  # already in this order (the default one when the query names none)
        self.set_query(query._replace(order=(key, asc)))

    def row_of(self, record_id: str) -> int | None:
        """Row of a record in the current query, or None when the query excludes it."""
        return self.repository.position(self._query, record_id)

    def loaded_row_of(self, record_id: str) -> int | None:
        """Row of a record among the rows already read (no query), or None."""
        for page_no, page in self._pages.items():
            for i, values in enumerate(page):
                if str(values[0]) == record_id:
                    row = page_no * PAGE_SIZE + i
                    return row if row < self._rows else None
        return None

    @property
    def small(self) -> bool:
        """Whether the table is small enough to be counted and searched on the GUI thread."""
        return self.repository.small
