"""Resetting and re-filtering the models in quick succession, with a chart on screen.

Qt's own model tester (pytest-qt's `qtmodeltester`) is attached to every page's model *before* the
storm, so each reset, insert and data call during it is checked; it reports problems as Qt
warnings, and any Qt warning fails the test (pyproject: qt_log_level_fail = "WARNING").
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from faceledger.jobs import wait_all
from faceledger.ui.main_window import PAGE_ORDER, MainWindow

SEARCHES = ["", "police", "clear", "a", "NEAR(", '"', "z" * 40, "é", "de", "sheriff"]


def _show_a_chart(window: MainWindow) -> object | None:
    charts = getattr(window, "charts", None)
    if charts is None:
        return None  # the Charts page is not part of this build
    window.show_charts()
    charts.show_tab("counts")
    assert charts.isVisible()
    return charts


def test_twenty_quick_resets_while_a_chart_is_shown(qtbot, window: MainWindow, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    for entity in PAGE_ORDER:
        qtmodeltester.check(window.pages[entity].model)  # attached for the rest of the test
    charts = _show_a_chart(window)
    deployments = window.pages["deployments"]
    events = window.pages["events"]
    status = next(fb for fb in deployments.filters if fb.key == "status")
    qtbot.waitUntil(lambda: len(status.values()) > 2, timeout=10_000)
    values = [v for v, _ in status.values()]
    resets: list[int] = []
    deployments.model.modelReset.connect(lambda: resets.append(1))
    for i in range(20):
        deployments.search.setText(SEARCHES[i % len(SEARCHES)])
        status.set_selected(values[: i % 3], notify=True)  # none, one, or two values
        column = i % deployments.model.columnCount()
        deployments.model.sort(column, Qt.SortOrder.DescendingOrder if i % 2 else Qt.SortOrder.AscendingOrder)
        events.set_year(2015 + i % 8 if i % 3 else None)
        if i % 5 == 4:
            deployments.reset_view()
        if charts is not None:
            charts.follow_filter(window.navigator.deployment_filter())  # type: ignore[attr-defined]
        # no waiting between changes: counts and facets of earlier queries are still running
    assert len(resets) >= 20
    wait_all()
    qtbot.wait(50)  # deliver the finished counts (stale ones must be dropped, not applied)
    assert charts is None or charts.isVisible()  # type: ignore[attr-defined]
    for entity in PAGE_ORDER:
        model = window.pages[entity].model
        qtmodeltester.check(model, force_py=True)
        n = model.count_now()
        assert n == model.repository.count(model.query)
        assert model.rowCount() <= n
    final = deployments.current_query()
    assert deployments.model.query.search == final.search
    assert deployments.model.query.filters == final.filters


def test_a_job_that_ends_before_its_caller_connects_is_not_lost(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Callers connect to `handle.signals` after `run_job` returns; a fast job may already be done
    by then. Its result must still arrive (this was a lost facet count, now and then)."""
    from faceledger.jobs import run_job

    handle = run_job(lambda _h: 42)
    assert handle.done.wait(5)  # finished on the pool before anyone listened
    with qtbot.waitSignal(handle.signals.finished, timeout=5000) as blocker:
        pass
    assert blocker.args == [42]
    failing = run_job(lambda _h: 1 / 0)
    assert failing.done.wait(5)
    with qtbot.waitSignal(failing.signals.failed, timeout=5000) as blocker:
        pass
    assert isinstance(blocker.args[0], ZeroDivisionError)


def test_a_job_whose_owner_is_deleted_while_it_runs_ends_quietly(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A page closed while its count still runs: the handle goes with it, but what the pool thread
    emits on stays alive until the job ends (emitting on an object the GUI thread is deleting
    crashed the process now and then), and nothing is delivered to the deleted handle."""
    import threading

    import shiboken6
    from PySide6.QtCore import QObject

    from faceledger.jobs import run_job

    owner = QObject()
    release = threading.Event()
    handle = run_job(lambda _h: release.wait(5), owner)
    emitter = handle._worker
    delivered: list[object] = []
    handle.signals.finished.connect(delivered.append)
    shiboken6.delete(owner)  # deletes the handle with it
    assert not shiboken6.isValid(handle)
    assert shiboken6.isValid(emitter)  # the job still holds what it emits on
    release.set()
    assert handle.done.wait(5)
    assert wait_all(5000)
    qtbot.wait(50)  # a queued delivery would arrive now
    assert delivered == []
