"""A page's filter on one field: a button naming what is chosen, with a menu of the field's values
and their row counts, several of which can be chosen at once (as in Datasette's facets)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QMenu, QSizePolicy, QToolButton, QWidget

from faceledger.data.entities import Facet
from faceledger.ui import style

# Two chosen values are named on the button when they fit in this many characters; more are
# counted ("3 chosen"), the tooltip names them all.
NAMED_CHARS = 28


class FacetMenu(QMenu):
    """A menu whose check marks toggle without closing it, so that several values can be chosen:
    click or Space toggles; Enter toggles and closes; Esc closes."""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        action = self.actionAt(event.position().toPoint())
        if action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self.activeAction()
        if event.key() == Qt.Key.Key_Space and action is not None and action.isCheckable():
            action.trigger()
            event.accept()
            return
        super().keyPressEvent(event)


class FacetFilter(QToolButton):
    """Filter rows by one field: any of the chosen values (none chosen: every row)."""

    changed = Signal()  # the user chose or dropped a value

    def __init__(self, facet: Facet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facet = facet
        self.key = facet.key
        self.header = facet.header
        self.setObjectName(f"filter_{facet.key}")
        self.setStyleSheet(style.FACET_FILTER)
        self._chosen: list[str] = list(facet.default)
        self._counts: list[tuple[str, int]] = []
        self._labels: dict[str, str] = {}
        self._counted = False
        self.menu_ = FacetMenu(self)
        self.menu_.setObjectName(f"filterMenu_{facet.key}")
        self.menu_.aboutToShow.connect(self._on_menu_about_to_show)
        self.setMenu(self.menu_)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(f"Filter by {facet.header.lower()}")
        self._update_text()

    # -- public -------------------------------------------------------------------------------
    def selected(self) -> tuple[str, ...]:
        """The chosen values (stored values, not their names), in the order they were chosen."""
        return tuple(self._chosen)

    def set_selected(self, values: Iterable[str], *, notify: bool = False) -> None:
        chosen = list(dict.fromkeys(values))
        if chosen == self._chosen:
            return
        self._chosen = chosen
        self._update_text()
        if notify:
            self.changed.emit()

    def set_counts(self, counts: list[tuple[str, int]], labels: dict[str, str] | None = None) -> None:
        """The field's values with their row counts under the page's other filters and search."""
        self._counts = list(counts)
        self._labels = dict(labels or {})
        self._counted = True
        self._update_text()

    def values(self) -> list[tuple[str, int]]:
        """The values offered, with their counts (chosen ones the counts lack: 0)."""
        have = {v for v, _ in self._counts}
        return self._counts + [(v, 0) for v in self._chosen if v not in have]

    def label(self, value: str) -> str:
        """How a value is named for people."""
        return self._labels.get(value, value) or "(none)"

    def actions_for_values(self) -> list[QAction]:
        """The menu's entries for the values (built now if the menu has not been opened)."""
        self._rebuild_menu()
        return [a for a in self.menu_.actions() if a.isCheckable()]

    # -- internals ----------------------------------------------------------------------------
    def _update_text(self) -> None:
        counts = dict(self._counts)
        if not self._chosen:
            what = "all"
            n = sum(counts.values())
        elif self.facet.default_off and set(self._chosen) == set(self.facet.default):
            what = "all but " + ", ".join(self.label(v) for v in self.facet.default_off)
            n = sum(counts.get(v, 0) for v in self._chosen)
        else:
            names = [self.label(v) for v in self._chosen]
            joined = ", ".join(names)
            what = joined if len(names) == 1 or len(joined) <= NAMED_CHARS else f"{len(names)} chosen"
            n = sum(counts.get(v, 0) for v in self._chosen)
        self.setText(f"{self.header}: {what} ({n:,})" if self._counted else f"{self.header}: {what}")
        tip = f"Filter by {self.header.lower()}: choose one or more values."
        if self._chosen:
            tip += "\nShowing rows with any of: " + ", ".join(self.label(v) for v in self._chosen)
        self.setToolTip(tip)
        self.setAccessibleDescription(tip)
        self.updateGeometry()

    def _rebuild_menu(self) -> None:
        menu = self.menu_
        menu.clear()
        clear = menu.addAction(f"Any {self.header.lower()} (clear this filter)")
        clear.setEnabled(bool(self._chosen))
        clear.triggered.connect(self._on_clear_triggered)
        menu.addSeparator()
        for value, n in self.values():
            act = menu.addAction(f"{self.label(value)} ({n:,})")
            act.setCheckable(True)
            act.setChecked(value in self._chosen)
            act.setData(value)
            act.toggled.connect(lambda on, v=value: self._on_value_toggled(v, on))

    def _on_menu_about_to_show(self) -> None:
        self._rebuild_menu()

    def _on_value_toggled(self, value: str, on: bool) -> None:
        chosen = [v for v in self._chosen if v != value] + ([value] if on else [])
        self.set_selected(chosen, notify=True)
        for act in self.menu_.actions():
            if not act.isCheckable():
                act.setEnabled(bool(self._chosen))  # the "no filter" entry
                break

    def _on_clear_triggered(self) -> None:
        self.set_selected((), notify=True)
        for act in self.menu_.actions():
            if act.isCheckable():
                act.blockSignals(True)
                act.setChecked(False)
                act.blockSignals(False)
