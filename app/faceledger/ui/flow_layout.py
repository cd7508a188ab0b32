"""A layout that places its widgets in a row and wraps them onto more rows when the width runs out
(a page's search box and filters on a small screen). In each row, the room left over goes to the
items that expand horizontally (the search box), so a wide window still shows one full row."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def spacing(self) -> int:
        """The gap between items, across and between rows."""
        return self._spacing

    # -- QLayout ------------------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, apply=True)

    def sizeHint(self) -> QSize:
        """One row of every item at its preferred size."""
        items = self._visible()
        w = sum(i.sizeHint().width() for i in items) + self._spacing * max(0, len(items) - 1)
        h = max((i.sizeHint().height() for i in items), default=0)
        m = self.contentsMargins()
        return QSize(w + m.left() + m.right(), h + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        """As narrow as the widest item (everything else wraps)."""
        w = max((i.minimumSize().width() for i in self._visible()), default=0)
        m = self.contentsMargins()
        return QSize(w + m.left() + m.right(), self.heightForWidth(w + m.left() + m.right()))

    # -- placing ------------------------------------------------------------------------------
    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _rows(self, width: int) -> list[list[QLayoutItem]]:
        rows: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._visible():
            w = self._width(item)
            if rows[-1] and used + self._spacing + w > width:
                rows.append([])
                used = 0
            used += (self._spacing if rows[-1] else 0) + w
            rows[-1].append(item)
        return [r for r in rows if r]

    @staticmethod
    def _width(item: QLayoutItem) -> int:
        """The width an item needs: its preferred width, or for an expanding one its minimum."""
        if _expands(item):
            return max(item.minimumSize().width(), 1)
        return item.sizeHint().width()

    def _place(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        y = area.y()
        for row in self._rows(area.width()):
            widths = [self._width(i) for i in row]
            spare = area.width() - sum(widths) - self._spacing * (len(row) - 1)
            growing = [k for k, i in enumerate(row) if _expands(i)]
            if spare > 0 and growing:
                for k in growing:
                    maximum = row[k].maximumSize().width()
                    widths[k] = min(maximum, widths[k] + spare // len(growing))
            height = max(i.sizeHint().height() for i in row)
            x = area.x()
            for item, w in zip(row, widths, strict=True):
                if apply:
                    h = min(height, item.maximumSize().height())
                    top = y + (height - h) // 2
                    item.setGeometry(QRect(QPoint(x, top), QSize(w, h)))
                x += w + self._spacing
            y += height + self._spacing
        return y - self._spacing - area.y() + m.top() + m.bottom() if y > area.y() else 0


def _expands(item: QLayoutItem) -> bool:
    widget = item.widget()
    return widget is not None and widget.sizePolicy().horizontalPolicy() in (
        QSizePolicy.Policy.Expanding,
        QSizePolicy.Policy.MinimumExpanding,
    )
