"""PySide6 6.12.0 leaks a reference to None on each Qt call returning nothing, then aborts."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_qt_calls_do_not_drop_references_to_none(qtbot) -> None:  # type: ignore[no-untyped-def]
    label = QLabel()
    qtbot.addWidget(label)
    label.setText("warm-up")
    before = sys.getrefcount(None)
    for i in range(1000):
        label.setText(str(i))
    after = sys.getrefcount(None)
    assert abs(after - before) < 100, f"None refcount moved by {after - before}: use PySide6 6.11.x"
