"""Python's garbage collector, run on the GUI thread only once the window has started.

Python starts a collection whenever enough objects have been made, on whichever thread makes
them. A collection on a worker thread (a page's count, a search, an export) that frees a cycle
holding a Qt object deletes that object on the worker while the GUI thread may be using it, and
PySide then crashes. So once the window has started the collector no longer runs by itself: a
timer on the GUI thread collects what Python's own thresholds say is due, every `EVERY_MS`
(`startup.collect_on_gui_thread_when` hands the collector over). Reference counting still frees
everything that is not part of a cycle at once, on any thread.

No Qt is imported at module level: the tests use `collect_if_due` without a window.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

# How often the GUI thread collects, at most (a collection of the youngest objects takes well
# under a millisecond).
EVERY_MS = 500


def collect_if_due() -> int:
    """Collect as Python would have since the last call: when more objects were made than the
    first threshold, the oldest generation whose count passed its threshold. Returns the number of
    unreachable objects found. Call it on the GUI thread."""
    thresholds, counts = gc.get_threshold(), gc.get_count()
    if thresholds[0] == 0 or counts[0] <= thresholds[0]:
        return 0
    generation = next((g for g in (2, 1) if counts[g] > thresholds[g]), 0)
    return gc.collect(generation)


def collect_on(owner: QObject) -> None:
    """From now on, collect on `owner`'s thread (the GUI thread) only: the automatic collector is
    off and a timer owned by `owner` collects what is due, as long as `owner` lives."""
    from PySide6.QtCore import QTimer  # noqa: PLC0415 (this module is imported without Qt)

    gc.disable()
    timer = QTimer(owner)
    timer.setObjectName("garbageCollector")
    timer.setInterval(EVERY_MS)
    timer.timeout.connect(collect_if_due)
    timer.start()
    collect_if_due()
