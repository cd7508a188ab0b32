"""CSV export from the window: the File menu, exactly the current view, progress, cancel, failure."""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox, QProgressDialog, QPushButton

from faceledger.data.export import TEMP_PREFIX, ExportOptions, ExportResult
from faceledger.data.repositories import Query
from faceledger.ui import export_dialog as ed

GUARD = frozenset("=+-@\t\r")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value[:1] in GUARD else value
    return repr(value) if isinstance(value, float) else str(value)


def read(path: Path, delimiter: str = ",", encoding: str = "utf-8") -> list[list[str]]:
    with open(path, encoding=encoding, newline="") as fh:
        return list(csv.reader(fh, delimiter=delimiter))


@pytest.fixture()
def out(tmp_path: Path) -> Path:
    """Where exports go (the window fixture keeps its settings.ini in tmp_path itself)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_file_menu_has_the_three_export_actions_before_quit(window) -> None:  # type: ignore[no-untyped-def]
    texts = [a.text() for a in window.file_menu.actions()]
    assert texts[:3] == ["Export current &view as CSV…", "Export whole &table as CSV…", "Export &everything…"]
    assert texts[-1] == "&Quit"
    view = window.findChild(type(window.file_menu.actions()[0]), "exportAction_view")
    assert view.shortcut() == QKeySequence("Ctrl+E")


def test_current_view_export_is_exactly_what_is_on_screen(window, qtbot, out: Path) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page("customers")
    qtbot.keyClicks(page.search, "police")
    page.set_filter("country", "US")
    keys = [f.key for f in page.spec.fields]
    page.table.sortByColumn(keys.index("name"), Qt.SortOrder.DescendingOrder)
    header = page.table.horizontalHeader()
    header.moveSection(header.visualIndex(keys.index("region")), 0)  # Region first
    header.hideSection(keys.index("type"))  # Type hidden
    query = page.model.query
    assert (
        query.search == "police"
        and query.filters == (("country", ("US",)),)
        and query.order == ("name", False)
    )

    controller = window.export_controller
    dest = out / "view.csv"
    with qtbot.waitSignal(controller.finished, timeout=20_000) as blocker:
        window.export_controller.export_scope("view", dest, ExportOptions())
    result: ExportResult = blocker.args[0]

    expected_keys = ["region"] + [k for k in keys if k not in ("region", "type")]
    fields = {f.key: f.header for f in page.spec.fields}
    n = page.model.count_now()
    shown = [page.model.record(i) for i in range(n)]  # the rows of the view, all of them
    assert 0 < n < page.repository.total()
    assert result.rows == n
    got = read(dest)
    # then, last, the attribution rows from a CC BY-SA dataset (the AIAAIC Repository) carry
    licences = dict(
        window.repos.db.query(
            "SELECT id, attribution || ' ' || licence_url FROM datasets WHERE licence LIKE 'CC BY%'"
        )
    )
    assert any(r.dataset_id in licences for r in shown)
    assert got[0] == [fields[k] for k in expected_keys] + ["dataset_licence"]
    assert got[1:] == [
        [cell(getattr(r, k)) for k in expected_keys] + [licences.get(r.dataset_id, "")] for r in shown
    ]
    assert [r[expected_keys.index("name")] for r in got[1:]] == sorted(
        (r[expected_keys.index("name")] for r in got[1:]), key=str.casefold, reverse=True
    )
    assert f"Exported {n:,} rows to {dest}" in window.statusBar().currentMessage()
    assert not [p for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_view_export_includes_rows_not_yet_loaded(window, qtbot, out: Path) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page("sources")
    total = page.repository.total()
    assert total > 200  # more than the model's first page
    with qtbot.waitSignal(window.export_controller.finished, timeout=20_000) as blocker:
        window.export_controller.export_scope("view", out / "s.csv", ExportOptions())
    assert blocker.args[0].rows == total == len(read(out / "s.csv")) - 1


def test_whole_table_export_has_every_row_and_column(window, qtbot, out: Path) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page("deployments")
    qtbot.keyClicks(page.search, "clearview")  # the whole table ignores the view's search
    dest = out / "d.tsv"
    with qtbot.waitSignal(window.export_controller.finished, timeout=20_000):
        window.export_controller.export_scope("table", dest, ExportOptions(profile="excel", delimiter="\t"))
    assert dest.read_bytes().startswith(b"\xef\xbb\xbfid\t")
    got = read(dest, "\t", "utf-8-sig")
    assert got[0] == list(page.repository.columns)
    records = page.repository.page(Query(), 0, 100_000)
    assert [r[0] for r in got[1:]] == [r.id for r in records]


def test_export_everything_from_the_window(window, qtbot, out: Path) -> None:  # type: ignore[no-untyped-def]
    dest = out / "faceledger-export"
    with qtbot.waitSignal(window.export_controller.finished, timeout=30_000) as blocker:
        window.export_controller.export_scope("all", dest, ExportOptions())
    result = blocker.args[0]
    assert (dest / "README.txt").read_text(encoding="utf-8").startswith("FaceLedger export")
    assert len(result.files) == 13 and all((dest / name).is_file() for name, _ in result.files)
    assert "README.txt" in window.statusBar().currentMessage()


def test_cancel_leaves_nothing_and_the_window_stays_responsive(  # type: ignore[no-untyped-def]
    window, qtbot, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = window.show_page("sources")
    repo = page.repository
    real = type(repo).iter_value_batches  # patched on the class: the export's bound copy uses it
    gate = threading.Event()
    reached = threading.Event()

    def gated(self: Any, query: Query, keys: list[str], size: int = 0) -> Iterator[list[Any]]:
        def gen() -> Iterator[list[Any]]:
            for i, batch in enumerate(real(self, query, keys, 100)):
                if i == 1:
                    reached.set()
                    gate.wait(20)  # the worker is mid-export until the test lets it go on
                yield batch

        return gen()

    monkeypatch.setattr(type(repo), "iter_value_batches", gated)
    dest = out / "s.csv"
    try:
        handle = window.export_controller.export_scope("view", dest, ExportOptions())
        qtbot.waitUntil(reached.is_set, timeout=10_000)
        progress = window.findChild(QProgressDialog, "exportProgress")
        qtbot.waitUntil(progress.isVisible, timeout=5_000)
        assert [p for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)]  # writing, in a temp file
        qtbot.keyClicks(page.search, "press")  # the window answers while the export runs
        assert page.model.query.search == "press"
        with qtbot.waitSignal(window.export_controller.cancelled, timeout=20_000):
            button = progress.findChild(QPushButton)
            assert button is not None and button.text() == "Cancel"
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            assert handle.is_cancelled
            gate.set()
    finally:
        gate.set()
    assert list(out.iterdir()) == []
    assert "cancelled" in window.statusBar().currentMessage()
    assert window.findChild(QProgressDialog, "exportProgress") is None or not progress.isVisible()


def test_failure_shows_a_message_naming_the_path(window, qtbot, out: Path) -> None:  # type: ignore[no-untyped-def]
    blocker_file = out / "report.txt"
    blocker_file.write_text("not a folder", encoding="utf-8")
    dest = blocker_file / "vendors.csv"
    with qtbot.waitSignal(window.export_controller.failed, timeout=20_000) as blocker:
        window.export_controller.export_scope("view", dest, ExportOptions())
    assert str(dest) in blocker.args[0] and "not a folder" in blocker.args[0]
    box = window.findChild(QMessageBox, "exportError")
    assert box is not None and box.isVisible() and str(dest) in box.text()
    box.close()
    assert sorted(p.name for p in out.iterdir()) == ["report.txt"]


def test_menu_flow_through_the_dialog(window, qtbot, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    window.settings.set_value("export/folder", str(out))
    window.settings.set_value("export/delimiter", ";")
    seen: list[tuple[ExportOptions, Path, str]] = []

    def accept(dialog: ed.ExportDialog) -> int:  # the user looks, then clicks Export
        seen.append((dialog.options(), dialog.destination(), dialog.summary.text()))
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ed.ExportDialog, "exec", accept)
    window.show_page("vendors")
    with qtbot.waitSignal(window.export_controller.finished, timeout=20_000):
        window.findChild(type(window.file_menu.actions()[0]), "exportAction_view").trigger()
    options, dest, summary = seen[0]
    assert options == ExportOptions(delimiter=";", with_sources=True)  # remembered; guard, sources on
    assert summary.startswith("Vendors: the ")
    expected = out / f"faceledger-vendors-{date.today().isoformat()}.csv"
    assert dest == expected and expected.is_file()
    assert not window.findChildren(ed.ExportDialog)  # the dialog does not linger
    assert read(expected, ";")[0][0] == "Vendor"


def test_dialog_options_and_default_names(window, qtbot, out: Path) -> None:  # type: ignore[no-untyped-def]
    window.show_page("customer_counts")
    plan = ed.plan_for(window.current_page, "view")
    day = date(2026, 11, 26)
    assert ed.default_name(plan, ",", day) == "faceledger-customer-counts-2026-11-26.csv"
    assert ed.default_name(plan, "\t", day) == "faceledger-customer-counts-2026-11-26.tsv"
    assert (
        ed.default_name(ed.plan_for(window.current_page, "all"), ",", day) == "faceledger-export-2026-11-26"
    )
    dialog = ed.ExportDialog(plan, out / "x.csv", ExportOptions(), 29, window)
    qtbot.addWidget(dialog)
    assert dialog.guard.isChecked() and dialog.options() == ExportOptions()
    assert "29 rows" in dialog.summary.text()
    dialog.delimiter.setCurrentIndex(dialog.delimiter.findData("\t"))
    dialog.profile.setCurrentIndex(dialog.profile.findData("excel"))
    dialog.guard.setChecked(False)
    assert dialog.destination() == out / "x.tsv"
    assert dialog.options() == ExportOptions("excel", "\t", False)
    (out / "faceledger-export").mkdir()
    assert ed.unique_path(out / "faceledger-export") == out / "faceledger-export (2)"


def test_closing_the_window_cancels_a_running_export(  # type: ignore[no-untyped-def]
    window, qtbot, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = window.show_page("sources")
    repo = page.repository
    real = type(repo).iter_value_batches  # patched on the class: the export's bound copy uses it
    started = threading.Event()

    def slow(self: Any, query: Query, keys: list[str], size: int = 0) -> Iterator[list[Any]]:
        def gen() -> Iterator[list[Any]]:
            for batch in real(self, query, keys, 10):
                started.set()
                threading.Event().wait(0.02)
                yield batch

        return gen()

    monkeypatch.setattr(type(repo), "iter_value_batches", slow)
    handle = window.export_controller.export_scope("view", out / "s.csv", ExportOptions())
    qtbot.waitUntil(started.is_set, timeout=10_000)
    window.close()
    assert handle.done.is_set() and handle.is_cancelled
    assert list(out.iterdir()) == []
