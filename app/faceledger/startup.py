"""The fast start, in one place (the method is explained in docs/startup.md).

1. `plain_gui_start()` recognises a plain `faceledger [gui] [--db PATH]` without the full parser.
2. `open_before_qt()` pauses Python's garbage collector and opens the database before PySide6 is
   imported, so that the file is hashed on a thread while Qt loads.
3. The window paints its navigation and menus first; `after_first_paint()` runs the work that can
   wait (the first page, then the counts, the Charts page, the export actions) once a widget has
   painted, or after a fallback delay, or at once for a widget that is hidden.
4. `collect_on_gui_thread_when()` hands the collector to the GUI thread once the window has
   started, and at the latest `HAND_OVER_COLLECTOR_AFTER_MS` after it was shown: from then on it
   runs there only (`faceledger.collector`), never on a worker thread.

This module is imported by the command line before Qt is: it imports no Qt at module level.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from faceledger import collector

if TYPE_CHECKING:
    from PySide6.QtCore import QObject, SignalInstance
    from PySide6.QtWidgets import QWidget

    from faceledger.data.database import Database
    from faceledger.data.errors import DatabaseProblem

# A widget shown but not painted within this time (a window covered, a slow compositor) starts
# the work waiting for its paint anyway.
PAINT_FALLBACK_MS = 300
# The collector paused for the start goes to the GUI thread once the window has started, and at
# the latest this long after the window is shown (a window started minimised is not painted).
HAND_OVER_COLLECTOR_AFTER_MS = 3000

_collector_paused = False


def plain_gui_start(argv: Sequence[str]) -> tuple[bool, Path | None]:
    """(True, db) when `argv` only starts the GUI (`faceledger`, `faceledger gui`, each with an
    optional `--db PATH`): recognised without building the full parser, whose subcommands import
    the record types and the export writer that the window's first paint does not need. Anything
    else, (False, None): the full parser reads it (and reports any mistake)."""
    db: Path | None = None
    seen_gui = False
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "gui" and not seen_gui:
            seen_gui = True
        elif arg == "--db" and rest and rest[0] and not rest[0].startswith("-"):
            db = Path(rest.pop(0))
        elif arg.startswith("--db=") and len(arg) > len("--db="):
            db = Path(arg[len("--db=") :])
        else:
            return False, None
    return True, db


def pause_collector() -> None:
    """Pause Python's cyclic garbage collector for the start: the start creates some hundred
    thousand objects (modules, Qt's types, the window) that all live on, and collecting them over
    and over as they are made costs several milliseconds for nothing."""
    global _collector_paused  # noqa: PLW0603 (one start per process)
    if gc.isenabled():
        gc.disable()
        _collector_paused = True


def resume_collector() -> None:
    """Give Python back its own collector if the start paused it or handed it to the GUI thread
    (at the app's end, or when the start fails; a collector paused by someone else stays so)."""
    global _collector_paused  # noqa: PLW0603
    if _collector_paused:
        _collector_paused = False
        gc.enable()


def open_before_qt(db_path: Path | None) -> Database | DatabaseProblem:
    """Pause the collector and open the database for the window before anything imports PySide6
    (the file's checksum then runs on a thread of its own while Qt loads). The collector is
    resumed if opening raises."""
    pause_collector()
    try:
        # The Qt-free data layer the window reads at start, imported before Qt loads.
        from faceledger.data import links, repositories  # noqa: F401, PLC0415
        from faceledger.data.database import Database  # noqa: PLC0415

        return Database.open_for_window(db_path)
    except BaseException:
        resume_collector()
        raise


def collect_on_gui_thread_when(started: SignalInstance, window: QWidget) -> None:
    """When `started` is emitted, and at the latest `HAND_OVER_COLLECTOR_AFTER_MS` after `window`
    is shown (call before showing it), the collector paused for the start goes to the GUI thread:
    it then runs only there, from a timer owned by `window` (`faceledger.collector`), until
    `resume_collector()` at the app's end."""
    from PySide6.QtCore import QTimer  # noqa: PLC0415 (this module is imported before Qt)

    handed: list[bool] = []

    def hand_over() -> None:
        global _collector_paused  # noqa: PLW0603
        if handed:
            return
        handed.append(True)
        if gc.isenabled():  # not paused by the start: turned off here, so on again at the end
            _collector_paused = True
        collector.collect_on(window)

    started.connect(hand_over)
    QTimer.singleShot(HAND_OVER_COLLECTOR_AFTER_MS, window, hand_over)


def after_first_paint(
    widget: QWidget,
    callback: Callable[[], object],
    *,
    fallback_ms: int | None = None,
    at_once_if_hidden: bool = False,
) -> None:
    """Run `callback` once, in the event loop turn after `widget` first paints (so that the paint
    reaches the screen before the work starts). With `fallback_ms`, also when that much time has
    passed without a paint; with `at_once_if_hidden`, also when the widget is still hidden once
    control is back in the event loop (built for later: there is no paint to wait for)."""
    _paint_hook_type()(widget, callback, fallback_ms, at_once_if_hidden)


@cache
def _paint_hook_type() -> type[Any]:
    """The event filter behind `after_first_paint`, defined on first use (it needs Qt)."""
    from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: PLC0415 (this module is imported before Qt)

    class PaintHook(QObject):
        def __init__(
            self,
            widget: QWidget,
            callback: Callable[[], object],
            fallback_ms: int | None,
            at_once_if_hidden: bool,
        ) -> None:
            super().__init__(widget)  # deleted with the widget: nothing runs for a deleted widget
            self._widget = widget
            self._callback = callback
            self._done = False
            widget.installEventFilter(self)
            if at_once_if_hidden:
                QTimer.singleShot(0, self, self._unless_painting)
            if fallback_ms is not None:
                QTimer.singleShot(fallback_ms, self, self._run)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not self._done:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, self, self._run)
            return False

        def _unless_painting(self) -> None:
            if not self._widget.isVisible():
                self._run()

        def _run(self) -> None:
            if self._done:
                return
            self._done = True
            self._widget.removeEventFilter(self)
            self._callback()

    return PaintHook
