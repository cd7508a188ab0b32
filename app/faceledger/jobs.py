"""Running long work off the GUI thread.

A job is a plain (Qt-free) callable that may be a generator yielding progress as
``(done, total)``; `run_job` runs it on a QThreadPool and delivers progress, result and error
on the GUI thread. Workers never touch widgets. `JobHandle.cancel()` asks a generator job to stop
at its next yield.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading
import traceback
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a job when its handle was cancelled."""


class JobSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object, str)  # exception, formatted traceback
    cancelled = Signal()


class _WorkerSignals(QObject):
    """What the pool thread emits; the handle relays it as `JobHandle.signals` on the GUI thread.

    It has no parent: it lives as long as the job does, not as long as the handle. A handle is
    deleted with its owner (a page closed while its count runs), and a worker must never emit on
    an object the GUI thread may be deleting at that moment; once the handle is gone, Qt has
    removed the connections and the emission reaches nobody."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object, str)
    cancelled = Signal()


class JobHandle(QObject):
    """What the GUI keeps of a running job."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.signals = JobSignals()
        self._cancel = threading.Event()
        self.done = threading.Event()
        # Connected before the job starts and delivered by the GUI thread's event loop, so a job
        # that ends before its caller has connected to `signals` is never lost.
        self._worker = _WorkerSignals()
        self._worker.progress.connect(self._relay_progress)
        self._worker.finished.connect(self._relay_finished)
        self._worker.failed.connect(self._relay_failed)
        self._worker.cancelled.connect(self._relay_cancelled)

    @Slot(int, int)
    def _relay_progress(self, done: int, total: int) -> None:
        self.signals.progress.emit(done, total)

    @Slot(object)
    def _relay_finished(self, result: object) -> None:
        self.signals.finished.emit(result)

    @Slot(object, str)
    def _relay_failed(self, exc: object, details: str) -> None:
        self.signals.failed.emit(exc, details)

    @Slot()
    def _relay_cancelled(self) -> None:
        self.signals.cancelled.emit()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _on_failed(self, exc: object, _details: str) -> None:
        """Runs on the GUI thread: hand the job's error to the application's error reporter."""
        if isinstance(exc, BaseException):
            sys.excepthook(type(exc), exc, exc.__traceback__)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[JobHandle], Any], handle: JobHandle) -> None:
        super().__init__()
        self.fn = fn
        self.handle = handle
        self.out = handle._worker  # kept alive by the job itself (see _WorkerSignals)
        self.setAutoDelete(True)

    def run(self) -> None:  # runs on a pool thread
        h = self.handle
        out = self.out

        def deliver(signal: str, *args: object) -> None:
            # The handle's owner (a page, a model) may have been deleted while the job ran, and
            # the handle and its signals with it: then there is nobody to tell.
            try:
                getattr(out, signal).emit(*args)
            except RuntimeError:
                log.debug("job outlived its owner; its %s is dropped", signal)

        try:
            result = self.fn(h)
            if isinstance(result, Generator):
                gen = result
                try:
                    while True:
                        if h.is_cancelled:
                            gen.close()
                            raise Cancelled()
                        done, total = next(gen)
                        deliver("progress", int(done), int(total))
                except StopIteration as stop:
                    result = stop.value
            if h.is_cancelled:
                raise Cancelled()
            deliver("finished", result)
        except Cancelled:
            deliver("cancelled")
        except Exception as exc:  # delivered to the GUI thread as a message
            log.warning("job failed: %s", exc)
            deliver("failed", exc, traceback.format_exc())
        finally:
            h.done.set()


_POOL: QThreadPool | None = None


def pool() -> QThreadPool:
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(2)
    return _POOL


def run_job(
    fn: Callable[[JobHandle], Any], parent: QObject | None = None, *, report_errors: bool = False
) -> JobHandle:
    """Start `fn(handle)` on the pool; connect to `handle.signals` for the outcome.

    With `report_errors`, a failure goes to `sys.excepthook` (the app's error dialog and log) on the
    GUI thread — for background work whose caller has nothing better to do with an error."""
    handle = JobHandle(parent)
    if report_errors:
        handle.signals.failed.connect(handle._on_failed)
    pool().start(_Runnable(fn, handle))
    return handle


class ReadJob:
    """`read(conn)` on a worker, on a connection of its own to `db` (`Database.reader()`), that the
    GUI thread can stop: `interrupt()` ends a read SQLite is running, or one not yet started.
    `handle.signals.finished` delivers the read's result, or None when it was interrupted (an
    interrupted read reports no error); any other failure goes to `sys.excepthook`."""

    def __init__(
        self, db: Any, read: Callable[[sqlite3.Connection], Any], parent: QObject | None = None
    ) -> None:
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._stopped = False
        self.handle = run_job(lambda _h: self._run(db, read), parent, report_errors=True)

    def _run(self, db: Any, read: Callable[[sqlite3.Connection], Any]) -> Any:
        try:
            with db.reader() as conn:
                with self._lock:
                    if self._stopped:
                        return None
                    self._conn = conn
                return read(conn)
        except Exception:
            if self._stopped:
                return None  # interrupted: nothing to report
            raise
        finally:
            with self._lock:
                self._conn = None

    def interrupt(self) -> None:
        with self._lock:
            self._stopped = True
            if self._conn is not None:
                try:
                    self._conn.interrupt()  # SQLite allows this from another thread
                except sqlite3.Error:
                    pass  # the read just ended


def wait_all(msecs: int = 10_000) -> bool:
    """Wait for every running job (used at shutdown and in tests)."""
    return pool().waitForDone(msecs)
