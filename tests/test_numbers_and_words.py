"""Numbers and words as a reader expects them: thousands separators wherever a number is shown,
"1 row" / "2 rows", an ended deployment's end date or "not known" (never "2019-12 –"), chart
labels wrapped at spaces and never broken inside a word."""

from __future__ import annotations

import io
import re
from pathlib import Path

from faceledger.cli import main
from faceledger.data.entities import FIGURES
from faceledger.data.repositories import Query, Repositories
from faceledger.data.text import number_text, plural
from faceledger.models.table_model import EntityTableModel, display

# Ended deployments of record whose end is not known (the build requires `end_not_known = true`).
ENDED_NO_DATE = "clearview-ai--metropolitan-police-service"  # started 2019-12


def test_plural_and_separators() -> None:
    assert plural(1, "row") == "1 row"
    assert plural(2, "row") == "2 rows"
    assert plural(0, "row") == "0 rows"
    assert plural(12000, "file") == "12,000 files"
    assert number_text(117000000.0, "117000000") == "117,000,000"
    assert number_text(0.0, "a handful") == "a handful"


def test_figure_values_have_separators_in_cells_and_in_the_pane(qtbot, repos: Repositories) -> None:  # type: ignore[no-untyped-def]
    field = next(f for f in FIGURES.fields if f.key == "value_text")
    assert display("117000000", field) == "117,000,000"
    from faceledger.ui.detail import DetailPane

    pane = DetailPane(repos)
    qtbot.addWidget(pane)
    assert pane.show_record("studies", "georgetown-perpetual-lineup-2016")
    text = pane.toPlainText()
    assert "117,000,000" in text and "117000000" not in text


def test_an_ended_deployment_says_its_end_is_not_known(qtbot, repos: Repositories) -> None:  # type: ignore[no-untyped-def]
    model = EntityTableModel(repos.deployments)
    end_col = next(i for i, f in enumerate(repos.deployments.spec.fields) if f.key == "end")
    rows = {model.record_id(r): r for r in range(model.rowCount())}
    assert ENDED_NO_DATE in rows
    assert model.data(model.index(rows[ENDED_NO_DATE], end_col)) == "not known"
    # a deployment still running has no end and says nothing there
    active = next(
        r for r in range(model.rowCount()) if model.record(r).status == "active" and not model.record(r).end
    )
    assert model.data(model.index(active, end_col)) == ""
    # the customer's page lists it with its start and "end not known", not "2019-12 –"
    note = next(
        link.note
        for link in repos.customers.deployments("metropolitan-police-service")
        if link.record_id == ENDED_NO_DATE
    )
    assert note.startswith("2019-12 – end not known")
    running = [link.note for link in repos.customers.deployments("new-york-city-police-department")]
    assert running and not any(re.search(r"– ?(·|$)", n) for n in running)
    from faceledger.ui.detail import DetailPane

    pane = DetailPane(repos)
    qtbot.addWidget(pane)
    assert pane.show_record("customers", "metropolitan-police-service")
    assert "2019-12 – end not known" in pane.toPlainText()
    assert pane.show_record("deployments", ENDED_NO_DATE)
    assert re.search(r"End\s+not known", pane.toPlainText())


def test_one_row_is_one_row(tmp_path: Path, repos: Repositories) -> None:
    assert repos.customers.count(Query(search="detroit")) == 1
    out = io.StringIO()
    target = tmp_path / "one.csv"
    assert main(["export", "customers", "--search", "detroit", "-o", str(target)], stdout=out) == 0
    assert "wrote 1 row to" in out.getvalue()


def test_chart_labels_wrap_at_spaces(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QFont, QFontMetrics

    from faceledger.ui.charts.style import wrap_label

    metrics = QFontMetrics(QFont())
    text = "8. fiberhome-nanjing-002 · Fiberhome Telecommunication Technologies Corporation Limited"
    wrapped = wrap_label(metrics, text, 200)
    words = set(text.split())
    for line in wrapped.split("\n"):
        assert all(w in words or w == "…" for w in line.split())
    assert len(wrapped.split("\n")) == 2 and wrapped.endswith("…")
