"""An exported row keeps its sources: the record's id and its sources' URLs after the exported
columns, from the window (on by default in the dialog) and the command line (--with-sources)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from faceledger.cli import main as cli_main
from faceledger.data.export import SOURCE_HEADERS, SOURCES_SEPARATOR, ExportOptions
from faceledger.data.repositories import Repositories, Repository
from faceledger.data.repository import LICENCE_KEY
from faceledger.ui import export_dialog as ed


def read(path: Path, delimiter: str = ",") -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh, delimiter=delimiter))


def cell(value: object) -> str:
    return "" if value is None else str(value)


def cited_urls(repo: Repository[object], record_id: str) -> str:
    """The URLs the detail pane lists for a record, in its order, as the export writes them."""
    return SOURCES_SEPARATOR.join(c.source.url for c in repo.citations(record_id))


def check_sources(repo: Repository[object], rows: list[list[str]]) -> None:
    """Each row's last two cells: its record's id, and that record's cited URLs."""
    assert rows
    for row in rows:
        record_id, urls = row[-2], row[-1]
        assert repo.get(record_id) is not None
        assert urls == cited_urls(repo, record_id)
        assert urls, f"{record_id} has no source"  # every record in the bundled data cites one
    assert any(SOURCES_SEPARATOR in row[-1] for row in rows)  # several sources share one cell


@pytest.fixture()
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


# -- the window ----------------------------------------------------------------------------------
def test_view_export_with_sources_adds_the_id_and_urls_after_the_visible_columns(  # type: ignore[no-untyped-def]
    window, qtbot, out: Path
) -> None:
    page = window.show_page("customers")
    qtbot.keyClicks(page.search, "police")
    keys, headers = ed.view_columns(page)
    dest = out / "view.csv"
    with qtbot.waitSignal(window.export_controller.finished, timeout=20_000):
        window.export_controller.export_scope(
            "view", dest, ExportOptions(with_sources=True, with_licences=False)
        )
    got = read(dest)
    assert got[0] == [*headers, *SOURCE_HEADERS]
    n = page.model.count_now()
    assert len(got) - 1 == n > 1
    assert [row[-2] for row in got[1:]] == [page.model.record(i).id for i in range(n)]
    assert [row[: len(keys)] for row in got[1:]] == [
        [cell(getattr(page.model.record(i), k)) for k in keys] for i in range(n)
    ]
    check_sources(page.repository, got[1:])


def test_view_export_without_sources_has_only_the_visible_columns(  # type: ignore[no-untyped-def]
    window, qtbot, out: Path
) -> None:
    page = window.show_page("vendors")
    _, headers = ed.view_columns(page)
    dest = out / "plain.csv"
    with qtbot.waitSignal(window.export_controller.finished, timeout=20_000):
        window.export_controller.export_scope(
            "view", dest, ExportOptions(with_sources=False, with_licences=False)
        )
    got = read(dest)
    assert got[0] == list(headers)
    assert all(len(row) == len(headers) for row in got)


def test_the_dialog_offers_sources_on_by_default_and_remembers_the_choice(  # type: ignore[no-untyped-def]
    window, qtbot, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.settings.set_value("export/folder", str(out))
    ticked: list[bool] = []
    untick = [False]

    def accept(dialog: ed.ExportDialog) -> int:  # the user looks, maybe unticks, clicks Export
        assert dialog.sources.isVisibleTo(dialog)
        ticked.append(dialog.sources.isChecked())
        if untick[0]:
            dialog.sources.setChecked(False)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ed.ExportDialog, "exec", accept)
    page = window.show_page("events")
    _, headers = ed.view_columns(page)
    action = window.findChild(type(window.file_menu.actions()[0]), "exportAction_view")
    with qtbot.waitSignal(window.export_controller.finished, timeout=20_000) as blocker:
        action.trigger()
    first = read(blocker.args[0].path)
    # the sources after the columns, then the attribution some imported events' licence asks for
    assert first[0] == [*headers, *SOURCE_HEADERS, LICENCE_KEY]
    check_sources(page.repository, [row[:-1] for row in first[1:]])

    untick[0] = True
    with qtbot.waitSignal(window.export_controller.finished, timeout=20_000) as blocker:
        action.trigger()
    assert read(blocker.args[0].path)[0] == [*headers, LICENCE_KEY]
    untick[0] = False
    with qtbot.waitSignal(window.export_controller.finished, timeout=20_000):
        action.trigger()
    assert ticked == [True, True, False]  # on by default, then as last chosen


def test_the_dialog_for_everything_has_no_sources_choice(window, qtbot, out: Path) -> None:  # type: ignore[no-untyped-def]
    plan = ed.plan_for(window.current_page, "all")
    dialog = ed.ExportDialog(plan, out / "all", ExportOptions(with_sources=True), None, window)
    qtbot.addWidget(dialog)
    assert not dialog.sources.isVisibleTo(dialog)
    assert not dialog.options().with_sources


# -- the command line ----------------------------------------------------------------------------
def run(args: list[str]) -> tuple[int, str]:
    stream = io.StringIO()
    code = cli_main(args, stdout=stream)
    return code, stream.getvalue()


def test_cli_with_sources_adds_the_id_and_urls(repos: Repositories, tmp_path: Path) -> None:
    dest = tmp_path / "customers.csv"
    code, _ = run(
        [
            "export",
            "customers",
            "--columns",
            "name,country",
            "--with-sources",
            "--without-licences",
            "-o",
            str(dest),
        ]
    )
    assert code == 0
    got = read(dest)
    assert got[0] == ["name", "country", *SOURCE_HEADERS]
    assert len(got) - 1 == repos.customers.total()
    check_sources(repos.customers, got[1:])
    for row in got[1:20]:
        record = repos.customers.get(row[2])
        assert record is not None and row[0] == record.name


def test_cli_with_sources_to_standard_output(repos: Repositories) -> None:
    code, text = run(["export", "studies", "--columns", "title", "--with-sources", "-o", "-"])
    assert code == 0
    got = list(csv.reader(io.StringIO(text, newline="")))
    assert got[0] == ["title", *SOURCE_HEADERS]
    check_sources(repos.studies, got[1:])


def test_cli_without_the_flag_keeps_the_columns_as_before(tmp_path: Path) -> None:
    dest = tmp_path / "customers.csv"
    code, _ = run(["export", "customers", "--columns", "name,country", "--without-licences", "-o", str(dest)])
    assert code == 0
    got = read(dest)
    assert got[0] == ["name", "country"]
    assert all(len(row) == 2 for row in got)


def test_cli_with_sources_is_for_one_table(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _ = run(["export", "--all", "--with-sources", "-o", str(tmp_path / "all")])
    assert code != 0
    assert "--with-sources applies to one table" in capsys.readouterr().err
    assert not (tmp_path / "all").exists()
