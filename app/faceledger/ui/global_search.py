"""Global search (Ctrl+K): every record type at once, grouped by type, matches highlighted."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QHideEvent,
    QKeyEvent,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from faceledger.data.entities import ENTITIES
from faceledger.data.searcher import Hit, Searcher, hits_summary
from faceledger.jobs import ReadJob
from faceledger.ui import style
from faceledger.ui.accessibility import name_global_search

# Above this many rows in its largest table, a database is searched on a worker.
OFF_THREAD_ROWS = 20_000

HitRole = int(Qt.ItemDataRole.UserRole) + 10
HtmlRole = int(Qt.ItemDataRole.UserRole) + 11
SuggestionRole = int(Qt.ItemDataRole.UserRole) + 12  # a name offered when nothing matched


def marked(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """HTML of `text` (escaped) with the spans wrapped in <b> highlight."""
    out: list[str] = []
    pos = 0
    for s, e in spans:
        out.append(html.escape(text[pos:s]))
        out.append("<b style='background-color:#fde68a; color:#000'>" + html.escape(text[s:e]) + "</b>")
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out)


def why(hit: Hit) -> str:
    """Where a hit's words were found, in words ("Found in Also known as")."""
    spec = ENTITIES[hit.entity]
    if not hit.field:
        return ""
    if hit.field == spec.field(spec.label).header:
        return f"Found in its {hit.field.lower()}"
    return f"Found in {hit.field}"


def hit_html(hit: Hit) -> str:
    """A hit as two lines of our own escaped markup: its name with the matched words
    highlighted, then the column the words were found in and a snippet of it (or, when the name
    is what matched, the record's other main columns)."""
    spec = ENTITIES[hit.entity]
    first = marked(hit.label, hit.label_spans)
    if hit.field and hit.field != spec.field(spec.label).header:
        second = f"<span style='color:#1e3a8a'>{html.escape(hit.field)}:</span> {marked(hit.context, hit.context_spans)}"
    else:
        second = marked(hit.context, hit.context_spans)
    return first + (f"<br><span style='color:#444'>{second}</span>" if second else "")


class HtmlDelegate(QStyledItemDelegate):
    """Paints an item's HtmlRole as rich text (our own escaped markup only)."""

    def _doc(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(str(index.data(HtmlRole) or ""))
        doc.setTextWidth(max(200, option.rect.width() - 8))
        return doc

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if index.data(HtmlRole) is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._doc(option, index)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        if opt.state & QStyle.StateFlag.State_Selected:
            ctx.palette.setColor(
                QPalette.ColorRole.Text, opt.palette.color(QPalette.ColorRole.HighlightedText)
            )
        painter.save()
        painter.translate(opt.rect.left() + 4, opt.rect.top() + 2)
        painter.setClipRect(QRectF(0, 0, opt.rect.width() - 4, opt.rect.height() - 2))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        if index.data(HtmlRole) is None:
            return super().sizeHint(option, index)
        doc = self._doc(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 4)


class GlobalSearch(QDialog):
    """A search palette over all record types."""

    navigate_requested = Signal(str, str)

    def __init__(self, searcher: Searcher, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.searcher = searcher
        # On a database with large tables a search (a rare one- or two-letter word, say) may read
        # a whole table: it runs on a worker, and a newer keystroke interrupts it.
        self._off_thread = searcher.largest_table > OFF_THREAD_ROWS
        self._generation = 0
        self._read: ReadJob | None = None
        self._searching = False  # a search of the current input is on a worker (or was stopped)
        self.setObjectName("globalSearch")
        self.setWindowTitle("Search everything")
        self.resize(720, 520)
        self.input = QLineEdit(self)
        self.input.setObjectName("globalSearchInput")
        self.input.setStyleSheet(style.SEARCH_BOX)
        self.input.setPlaceholderText(
            "Search vendors, customers, deployments, counts, studies, events, sources…"
        )
        self.input.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setObjectName("globalSearchResults")
        self.results.setItemDelegate(HtmlDelegate(self.results))
        self.results.setUniformItemSizes(False)
        self.summary = QLabel(self)
        self.summary.setObjectName("globalSearchSummary")
        layout = QVBoxLayout(self)
        layout.addWidget(self.input)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.summary)
        name_global_search(self)
        self._connect_signals()
        self._set_summary("Type to search every record. Enter opens the selected hit; Esc closes.")

    def _connect_signals(self) -> None:
        self.input.textChanged.connect(self._on_input_text_changed)
        self.input.returnPressed.connect(self._on_input_return)
        self.results.itemActivated.connect(self._on_item_activated)

    # -- public -------------------------------------------------------------------------------
    def open_palette(self) -> None:
        if self._searching:  # closed while its search ran (which was stopped): search again
            self._on_input_text_changed(self.input.text())
        self.show()
        self.raise_()
        self.activateWindow()
        self.input.setFocus()
        self.input.selectAll()

    def hits(self) -> list[Hit]:
        out = []
        for i in range(self.results.count()):
            hit = self.results.item(i).data(HitRole)
            if hit is not None:
                out.append(hit)
        return out

    def set_query(self, text: str) -> None:
        self.input.setText(text)

    # -- internals ----------------------------------------------------------------------------
    def _set_summary(self, text: str) -> None:
        self.summary.setText(text)

    def _show(self, hits: list[Hit]) -> None:
        more: frozenset[str] = getattr(hits, "more", frozenset())  # the types with more matches than listed
        self.results.clear()
        current = None
        first: QListWidgetItem | None = None
        for hit in hits:
            if hit.entity != current:
                current = hit.entity
                n = sum(1 for h in hits if h.entity == current)
                title = ENTITIES[current].title
                header = QListWidgetItem(
                    f"{title} (the best {n}; more on the {title} page)"
                    if current in more
                    else f"{title} ({n})"
                )
                header.setFlags(Qt.ItemFlag.NoItemFlags)
                font = header.font()
                font.setBold(True)
                header.setFont(font)
                self.results.addItem(header)
            item = QListWidgetItem()
            item.setData(HitRole, hit)
            item.setData(Qt.ItemDataRole.DisplayRole, hit.label)
            item.setData(HtmlRole, hit_html(hit))
            item.setToolTip(f"{hit.label}\n{why(hit)}")
            self.results.addItem(item)
            if first is None:
                first = item
        if first is not None:
            self.results.setCurrentItem(first)

    def _show_suggestions(self, names: list[str]) -> None:
        """Nothing matched: the nearest names, each an item that searches for it when opened."""
        self.results.clear()
        for name in names:
            item = QListWidgetItem()
            item.setData(SuggestionRole, name)
            item.setData(Qt.ItemDataRole.DisplayRole, f"Did you mean {name}?")
            item.setData(HtmlRole, f"Did you mean <b>{html.escape(name)}</b>?")
            item.setToolTip(f"Search for {name}")
            self.results.addItem(item)
        if names:
            self.results.setCurrentRow(0)

    def suggestions(self) -> list[str]:
        return [
            str(self.results.item(i).data(SuggestionRole))
            for i in range(self.results.count())
            if self.results.item(i).data(SuggestionRole) is not None
        ]

    def _open(self, item: QListWidgetItem) -> None:
        hit = item.data(HitRole)
        if isinstance(hit, Hit):
            self.navigate_requested.emit(hit.entity, hit.record_id)
            self.hide()
        elif item.data(SuggestionRole) is not None:
            self.input.setText(str(item.data(SuggestionRole)))

    # -- slots --------------------------------------------------------------------------------
    def _on_input_text_changed(self, text: str) -> None:
        self._generation += 1
        self._interrupt()
        if not self._off_thread or not text.strip():
            self._show_hits(text, *_search(self.searcher, text))
            return
        gen, searcher = self._generation, self.searcher
        self._searching = True
        self._set_summary("Searching…")
        self._read = ReadJob(
            searcher.repos.db, lambda conn: (gen, text, *_search(searcher, text, conn)), self
        )
        self._read.handle.signals.finished.connect(self._on_searched)

    def _on_searched(self, result: tuple[int, str, list[Hit], list[str]] | None) -> None:
        if result is None or result[0] != self._generation or self.searcher.repos.db.closed:
            return  # superseded by a newer keystroke
        self._show_hits(result[1], result[2], result[3])

    def hideEvent(self, event: QHideEvent) -> None:
        """Closed (Esc, Enter on a hit, the window closing): a search still running is stopped."""
        self._generation += 1
        self._interrupt()
        super().hideEvent(event)

    def _interrupt(self) -> None:
        if self._read is not None:
            self._read.interrupt()  # its result, None, is dropped
            self._read = None

    def _show_hits(self, text: str, hits: list[Hit], suggestions: list[str] | None = None) -> None:
        self._searching = False
        self._show(hits)
        if not text.strip():
            self._set_summary("Type to search every record. Enter opens the selected hit; Esc closes.")
        elif not hits:
            self._show_suggestions(suggestions or [])
            self._set_summary(
                "No matches. Enter searches for the name offered." if suggestions else "No matches."
            )
        else:
            self._set_summary(hits_summary(hits) + " ↓ to choose, Enter to open.")

    def _on_input_return(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._open(item)

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        self._open(item)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.input.hasFocus():
            self.results.setFocus()
            self.results.keyPressEvent(event)
            return
        super().keyPressEvent(event)


def _search(searcher: Searcher, text: str, conn: Any = None) -> tuple[list[Hit], list[str]]:
    """The hits of `text`, and when there are none the names it may have meant."""
    hits = searcher.search(text, conn=conn)
    return hits, ([] if hits or not text.strip() else searcher.suggestions(text, conn))
