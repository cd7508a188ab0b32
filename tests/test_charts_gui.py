"""The Charts page (pytest-qt): bars drawn from the database, qualifiers drawn as words, tooltips with
sources, clicks that navigate, PNG/SVG export, and many re-renders."""

from __future__ import annotations

import html
import math
import re
import subprocess
import sys
import xml.dom.minidom
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QFontMetrics

from faceledger.data import charts as data
from faceledger.data import deployment_charts
from faceledger.data.database import Database
from faceledger.data.errors import FaceLedgerError
from faceledger.ui.charts.style import STATUS_COLOURS
from faceledger.ui.main_window import MainWindow

APP = Path(__file__).resolve().parents[1] / "app"


@pytest.fixture()
def charts_page(window: MainWindow, qtbot):  # type: ignore[no-untyped-def]
    page = window.show_charts()
    qtbot.waitUntil(lambda: "counts" in page.built)
    # As a user first sees it: laid out and painted (the chart maps bars to the screen as painted).
    painted: list[bool] = []
    page.tab("counts").counts_chart.view.scene().sigPrepareForPaint.connect(lambda: painted.append(True))
    qtbot.waitUntil(lambda: bool(painted))
    return page


def _bar_point(chart, item, index: int) -> QPoint:  # type: ignore[no-untyped-def]
    """Where a bar's centre is on the chart's viewport."""
    scene_pt = item.mapToScene(item.bars[index].rect.normalized().center())
    return chart.view.mapFromScene(scene_pt)


def _wait_painted(qtbot, chart) -> None:  # type: ignore[no-untyped-def]
    """Let a newly shown chart get its size and lay out its plots before clicking on it."""
    qtbot.waitUntil(chart.view.isVisible)
    qtbot.wait(50)
    chart.view.viewport().repaint()


def test_cold_start_does_not_import_pyqtgraph(tmp_path: Path) -> None:
    code = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from pathlib import Path\n"
        "import tempfile\n"
        "from faceledger.main import make_application, build_window\n"
        "from faceledger.data.database import Database\n"
        "from faceledger.ui.settings import Settings\n"
        "app = make_application([])\n"
        "db = Database.open()\n"
        "w = build_window(db, Settings(Path(tempfile.mkdtemp()) / 's.ini'))\n"
        "w.show(); app.processEvents()\n"
        "before = 'pyqtgraph' in sys.modules\n"
        "w.show_charts(); app.processEvents()\n"
        "print(before, 'pyqtgraph' in sys.modules)\n"
        "w.close(); db.close()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(APP), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split()[-2:] == ["False", "True"], result.stdout + result.stderr


def test_charts_page_is_in_the_navigation_and_on_ctrl_9(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    charts_row = window.nav.count() - 2  # Charts, then About the data
    assert window.nav.item(charts_row).text().startswith("Charts")
    qtbot.keyClick(window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.charts
    window.nav.setCurrentRow(0)
    assert window.current_page().entity == "vendors"
    window.nav.setCurrentRow(charts_row)
    assert window.stack.currentWidget() is window.charts
    assert window.current_page().entity == "vendors"  # record actions still have a page


def test_each_bar_length_equals_the_database_value(charts_page, db: Database) -> None:  # type: ignore[no-untyped-def]
    tab = charts_page.tab("counts")
    chart = tab.counts_chart
    tab.as_of.setCurrentIndex(tab.as_of.findData(2020))
    numbers = chart.number_bars.bars
    assert len(numbers) >= 3
    for log_scale in (False, True):
        tab.log_box.setChecked(log_scale)
        for bar in chart.number_bars.bars:
            (value,) = db.query("SELECT value FROM customer_counts WHERE id = ?", (bar.key.count_id,))[0]
            assert value is not None and bar.key.value == value
            if log_scale:  # bars start at 0.5 so that a count of 1 shows; 0 has no length
                floor = math.log10(0.5)
                assert bar.rect.left() == pytest.approx(floor)
                assert bar.rect.right() == pytest.approx(math.log10(value) if value > 0 else floor)
            else:
                assert bar.rect.left() == 0 and bar.rect.right() == value
    tab.log_box.setChecked(False)


def _every_count(db: Database) -> list[data.ReportedCount]:
    """Every vendor count a chart can show, each as the chart would receive it."""
    out = []
    for cid, vid, counted in db.query(
        "SELECT id, vendor_id, counted FROM customer_counts WHERE vendor_id IS NOT NULL "
        "AND product = 'face recognition' AND scope = 'overall' AND counted != 'unclear'"
    ):
        got = [c for c in data.reported_counts(db, chosen=[cid], counted=counted) if c.vendor_id == vid]
        assert got[0].count_id == cid
        out.append(got[0])
    return out


def test_qualifiers_are_words_never_bars_of_an_invented_height(charts_page, db: Database) -> None:  # type: ignore[no-untyped-def]
    chart = charts_page.tab("counts").counts_chart
    counts = _every_count(db)
    # and every qualifier the data model allows, even those the bundled data does not use yet
    template = next(c for c in counts if c.in_words)
    for q in (*data.SIZE_WORDS, data.UNDISCLOSED):
        counts.append(
            replace(template, count_id=f"t-{q}", vendor_name=f"Test {q}", qualifier=q, value_text=q)
        )
    number = next(c for c in counts if c.has_number and c.value)
    for q in ("at least", "up to", "about"):
        counts.append(replace(number, count_id=f"t-{q}", qualifier=q, value_text=f"{q} {number.value:,}"))
    chart.set_counts(counts)

    drawn = {b.key.count_id: b for b in chart.number_bars.bars}
    words = {b.key.count_id: b for b in chart.word_bars.bars}
    for c in counts:
        if c.has_number:
            assert c.count_id in drawn and c.count_id not in words
            assert drawn[c.count_id].rect.width() == c.value
            assert drawn[c.count_id].open_end == ("right" if c.lower_bound else "")
        else:
            assert c.count_id not in drawn, f"{c.qualifier!r} drawn as a numeric bar"
        if c.in_words:
            assert c.count_id in words
            assert words[c.count_id].label.startswith(c.qualifier)
            assert words[c.count_id].brush.color().alpha() == 0 and words[c.count_id].hatch is not None
        if c.undisclosed:  # words too, but no size: no hatching, a dotted outline, muted words
            assert c.count_id in words and words[c.count_id].label.startswith("not disclosed")
            assert words[c.count_id].hatch is None and words[c.count_id].brush.color().alpha() == 0
            assert words[c.count_id].pen.style() == Qt.PenStyle.DotLine
    # words sit in their own column, all the same size whatever they say
    assert {(b.rect.width(), b.rect.height()) for b in words.values()} == {(0.92, 0.72)}
    assert chart.words_plot is not chart.number_plot
    assert {*data.SIZE_WORDS, data.UNDISCLOSED} <= {b.key.qualifier for b in words.values()}
    labels = chart.word_bars.label_texts()
    for q in (*data.SIZE_WORDS, data.UNDISCLOSED):
        assert any(text.startswith(q) for text in labels)


def test_unverified_counts_are_marked(charts_page, db: Database) -> None:  # type: ignore[no-untyped-def]
    chart = charts_page.tab("counts").counts_chart
    chart.set_counts(_every_count(db))
    bars = chart.number_bars.bars + chart.word_bars.bars
    unverified = [b for b in bars if b.key.verification == "unverified"]
    assert unverified
    for b in bars:
        dashed = b.pen.style() == Qt.PenStyle.DashLine
        assert dashed == (b.key.verification == "unverified" and not b.key.undisclosed)
        assert ("unverified" in b.label) == (b.key.verification == "unverified")
        assert ("partly verified" in b.label) == (b.key.verification == "partial")


def test_tooltips_carry_value_context_and_source(charts_page, qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    import html

    chart = charts_page.tab("counts").counts_chart
    for b in chart.number_bars.bars + chart.word_bars.bars:
        c = b.key
        tip = html.unescape(b.tooltip)
        for text in (c.value_text, c.subject, c.reported_by, c.kind, c.as_of or "no date given"):
            assert text in tip
        assert ("unverified" if c.verification == "unverified" else "verified") in tip
        assert c.sources
        for s in c.sources:
            assert s.publisher in tip and s.url in tip
    # hovering a bar sets its tooltip on the chart
    item = chart.number_bars
    qtbot.mouseMove(chart.view.viewport(), _bar_point(chart, item, 0))
    qtbot.waitUntil(lambda: bool(item.toolTip()))
    assert item.bars[0].key.sources[0].url in html.unescape(item.toolTip())
    assert item.bars[0].key.vendor_name in chart.details.text()


def test_clicking_a_bar_opens_that_vendors_deployments(
    window: MainWindow, charts_page, qtbot, db: Database
) -> None:  # type: ignore[no-untyped-def]
    chart = charts_page.tab("counts").counts_chart
    item = chart.number_bars
    i = next(n for n, b in enumerate(item.bars) if b.key.vendor_id == "nec")
    _wait_painted(qtbot, chart)
    qtbot.mouseClick(chart.view.viewport(), Qt.MouseButton.LeftButton, pos=_bar_point(chart, item, i))
    page = window.current_page()
    assert window.stack.currentWidget() is page and page.entity == "deployments"
    qtbot.waitUntil(lambda: page.model.matching is not None)
    expected = db.query("SELECT COUNT(*) FROM deployments WHERE vendor_id = 'nec'")[0][0]
    assert page.model.matching == expected > 0
    assert {page.model.record(r).vendor_id for r in range(page.model.rowCount())} == {"nec"}
    assert page.detail.record.vendor_id == "nec"  # the pane shows a row of the new view
    assert page.pinned_chip.isVisible() and "NEC" in page.pinned_chip.text()
    page.pinned_chip.click()  # the chip removes the vendor restriction
    qtbot.waitUntil(lambda: page.model.matching is not None)
    assert page.model.matching == db.query("SELECT COUNT(*) FROM deployments")[0][0]


def test_words_bars_and_keyboard_also_navigate(window: MainWindow, charts_page, qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = charts_page.tab("counts").counts_chart
    seen: list[object] = []
    chart.activated.connect(seen.append)
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Down)
    assert chart.number_bars.current == 0
    assert chart.number_bars.bars[0].key.vendor_name in chart.details.text()
    qtbot.keyClick(chart, Qt.Key.Key_Return)
    assert seen == [chart.number_bars.bars[0].key]
    assert window.current_page().entity == "deployments"


def test_deployment_segments_follow_filters_and_open_filtered(
    window: MainWindow, charts_page, qtbot, db: Database
) -> None:  # type: ignore[no-untyped-def]
    tab = charts_page.tab("counts")
    tab.show_measure("deployments")
    chart = tab.deployments_chart
    flt = deployment_charts.DeploymentFilter(customer_country="US")
    tab.set_filter(flt)
    assert chart.chart == deployment_charts.documented_deployments(db, flt)
    for b in chart.bars.bars:
        assert b.rect.width() == b.key.customers
    # a segment opens that vendor's deployments with the chart's filters and the segment's status
    i = next(n for n, b in enumerate(chart.bars.bars) if b.key.status == "ended")
    seg = chart.bars.bars[i].key
    _wait_painted(qtbot, chart)
    qtbot.mouseClick(chart.view.viewport(), Qt.MouseButton.LeftButton, pos=_bar_point(chart, chart.bars, i))
    page = window.current_page()
    assert page.entity == "deployments"
    qtbot.waitUntil(lambda: page.model.matching is not None)
    rows = [page.model.record(r) for r in range(page.model.rowCount())]
    assert rows and {(r.vendor_id, r.status, r.customer_country) for r in rows} == {
        (seg.vendor_id, "ended", "US")
    }
    assert page.model.matching == seg.deployments
    # the chart follows the Deployments page's filters when they change there
    page.show_only(None, {"status": "active"})
    window.show_charts()
    assert tab.current_filter() == deployment_charts.DeploymentFilter(status="active")


def test_a_tall_deployments_chart_builds_only_the_bars_it_draws(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    from faceledger.ui.charts import DeploymentsChart

    chart = DeploymentsChart()
    qtbot.addWidget(chart)
    chart.resize(900, 320)
    chart.show()
    result = deployment_charts.documented_deployments(db, limit=100)
    chart.set_segments(result)
    _wait_painted(qtbot, chart)
    item = chart.bars
    assert item.bar_count() == len(result.segments) > 10
    # a screenful of rows is drawn straight from the bars' corners: no bar is built for it
    assert item.bars_built() == 0
    image = chart.view.grab().toImage()
    colours = {QColor(c).rgb() for c in STATUS_COLOURS.values()}
    drawn = {
        image.pixel(x, y)
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
        if image.pixel(x, y) in colours
    }
    assert drawn  # the bars are there in their statuses' colours
    # hovering a bar builds it, and it alone
    item.bar(0)
    assert item.bars_built() == 1
    # asked for, every bar is there, in order, as long as its segment's customers
    assert [b.key for b in item.bars] == list(result.segments)
    for bar in item.bars:
        assert bar.rect.width() == pytest.approx(bar.key.customers)
    assert item.bars_built() == item.bar_count()
    # hovering the last row's bar finds it from its corners (it was not drawn at first)
    last = item.bar_count() - 1
    assert item.index_at(item.bar(last).rect.center()) == last


def test_deployments_chart_names_no_placeholder_vendor_and_counts_it_in_the_footer(
    charts_page, db: Database
) -> None:  # type: ignore[no-untyped-def]
    tab = charts_page.tab("counts")
    tab.show_measure("deployments")
    chart = tab.deployments_chart
    tab.set_filter(deployment_charts.DeploymentFilter())
    hidden = db.query("SELECT COUNT(*) FROM deployments WHERE vendor_id = 'undisclosed-vendor'")[0][0]
    assert hidden > 1
    names = {b.key.vendor_name for b in chart.bars.bars}
    assert "Vendor not disclosed" not in names and len(names) == chart.chart.vendors_shown
    labels = [t for ticks in chart.plot.getAxis("left")._tickLevels for _y, t in ticks]
    assert "Vendor not disclosed" not in labels
    assert f"Not shown: {hidden:,} deployments whose vendor was not disclosed." in chart.footer.text
    # under a filter no placeholder deployment matches, the footer says nothing of it
    tab.set_filter(deployment_charts.DeploymentFilter(customer_country="GB"))
    assert chart.chart is not None and chart.chart.undisclosed_deployments == 0
    assert "Not shown" not in chart.footer.text


def test_picking_another_count_from_the_menu(charts_page) -> None:  # type: ignore[no-untyped-def]
    tab = charts_page.tab("counts")
    chart = tab.counts_chart
    i = next(n for n, b in enumerate(chart.word_bars.bars) if b.key.vendor_id == "clearview-ai")
    menu = chart.build_context_menu(_bar_point(chart, chart.word_bars, i))
    texts = [a.text() for a in menu.actions()]
    assert any(t.startswith("Open Clearview AI") for t in texts)
    assert "Export chart as PNG…" in texts and "Export chart as SVG…" in texts
    sub = next(a.menu() for a in menu.actions() if a.menu() is not None)
    pick = next(a for a in sub.actions() if "police customers" in a.text() and "2,400" in a.text())
    pick.trigger()
    got = next(b.key for b in chart.number_bars.bars if b.key.vendor_id == "clearview-ai")
    assert got.count_id == "clearview-ai-2020-06-wsj" and got.value == 2400
    assert tab.reset_picks.isEnabled()
    tab.reset_picks.click()
    got = next(
        b.key for b in chart.number_bars.bars + chart.word_bars.bars if b.key.vendor_id == "clearview-ai"
    )
    assert got.count_id != "clearview-ai-2020-06-wsj"


def test_as_of_year_picker(charts_page, db: Database) -> None:  # type: ignore[no-untyped-def]
    tab = charts_page.tab("counts")
    tab.as_of.setCurrentIndex(tab.as_of.findData(2020))
    keys = [b.key for b in tab.counts_chart.number_bars.bars + tab.counts_chart.word_bars.bars]
    assert keys and all(k.as_of and int(k.as_of[:4]) <= 2020 for k in keys)
    assert {k.count_id for k in keys} <= {c.count_id for c in data.reported_counts(db, 2020)}
    assert "2020" in tab.counts_chart.title.text


def test_study_chart_bars_equal_the_figures(window: MainWindow, charts_page, qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    import html

    tab = charts_page.show_tab("study")
    chart = tab.chart()
    assert tab.study.currentData() == "gender-shades-2018"
    bars = chart.bars.bars
    assert len(bars) == 12
    for b in bars:
        f = b.key.figure
        (value, unit, location) = db.query(
            "SELECT value, unit, location FROM study_figures WHERE id = ?", (f.figure_id,)
        )[0]
        assert b.rect.right() == pytest.approx(value) and b.rect.left() == 0
        tip = html.unescape(re.sub("<[^>]+>", "", b.tooltip))
        assert f"Unit: {unit}" in tip and f"Where in the study: {location}" in tip
        assert f.sources[0].url in tip
    assert len(chart.legend.items) == 4
    # a figure opens its study
    _wait_painted(qtbot, chart)
    i = next(
        n for n, b in enumerate(bars) if b.key.row.group == "IBM" and b.key.figure.subgroup.endswith("(DF)")
    )
    qtbot.mouseClick(chart.view.viewport(), Qt.MouseButton.LeftButton, pos=_bar_point(chart, chart.bars, i))
    assert window.current_page().entity == "studies"
    assert window.current_page().detail.record.id == "gender-shades-2018"
    window.show_charts()
    tab.show_study("nist-frvt-11-2020")
    assert len(chart.bars.bars) == 20  # the 20 worst, not 1,920 figures in alphabetical order


def test_year_click_filters_the_events_page(window: MainWindow, charts_page, qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    tab = charts_page.show_tab("timeline")
    chart = tab.chart()
    totals = {(b.key.year, b.key.kind): b.rect.height() for b in chart.bars.bars}
    raw = db.query("SELECT year, kind, COUNT(*) FROM events WHERE year > 0 GROUP BY 1, 2")
    assert totals == {(y, k): n for y, k, n in raw}
    i = next(n for n, b in enumerate(chart.bars.bars) if b.key.year == 2019 and b.key.kind == "incident")
    _wait_painted(qtbot, chart)
    qtbot.mouseClick(chart.view.viewport(), Qt.MouseButton.LeftButton, pos=_bar_point(chart, chart.bars, i))
    page = window.current_page()
    assert page.entity == "events"
    assert page.year_from.value() == page.year_to.value() == 2019
    qtbot.waitUntil(lambda: page.model.matching is not None)
    rows = [page.model.record(r) for r in range(page.model.rowCount())]
    assert {(r.year, r.kind) for r in rows} == {(2019, "incident")}
    assert (page.detail.record.year, page.detail.record.kind) == (2019, "incident")
    assert page.model.matching == chart.bars.bars[i].key.events


@pytest.mark.parametrize("name", ["counts", "study", "timeline"])
def test_exports_png_and_svg(charts_page, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    charts_page.show_tab(name)
    png = charts_page.export_chart(tmp_path / "chart.png")
    svg = charts_page.export_chart(tmp_path / "chart", "svg")
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and png.stat().st_size > 5000
    assert svg.suffix == ".svg" and svg.stat().st_size > 5000
    doc = xml.dom.minidom.parse(str(svg))
    assert doc.documentElement.tagName == "svg"
    text = svg.read_text(encoding="utf-8")
    if name == "counts":
        assert "Ayonix" in text and "a handful" in text
    # The title, footer and legend, kept as pictures on screen, are written as text, not images.
    chart = charts_page.current_chart()
    assert chart.title.text and html.unescape(chart.title.text).split("<")[0] in html.unescape(text)
    assert "<image" not in text
    assert not list(tmp_path.glob("*.part*"))
    with pytest.raises(ValueError):
        charts_page.export_chart(tmp_path / "chart.pdf")


def test_a_chart_survives_3000_renders(charts_page, db: Database) -> None:  # type: ignore[no-untyped-def]
    """Regression for PySide6 6.12.0, which aborts after a few thousand Qt calls on Python 3.11."""
    chart = charts_page.tab("counts").counts_chart
    counts = data.reported_counts(db)
    for i in range(3000):
        chart.set_counts(counts[: 1 + i % len(counts)], log_scale=bool(i % 2))
    chart.set_counts(counts)
    assert len(chart.number_bars.bars) + len(chart.word_bars.bars) == len(counts)


def test_export_buttons_ask_for_a_file_and_report_failure(charts_page, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    target = tmp_path / "counts"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    charts_page.export_svg.click()
    assert (tmp_path / "counts.svg").stat().st_size > 5000
    assert "counts.svg" in charts_page.current_chart().details.text()
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    missing = tmp_path / "no such folder" / "chart.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(missing), ""))
    charts_page.export_png.click()
    assert warnings and "could not be written" in warnings[0]
    assert not missing.parent.exists()


def _shown(chart) -> list[data.ReportedCount]:  # type: ignore[no-untyped-def]
    """The counts a count chart draws, top row first."""
    bars = chart.number_bars.bars + chart.word_bars.bars
    return [b.key for b in sorted(bars, key=lambda b: b.rect.center().y())]


def test_every_count_chart_compares_one_measure_of_face_recognition(charts_page, db: Database) -> None:  # type: ignore[no-untyped-def]
    tab = charts_page.tab("counts")
    chart = tab.counts_chart
    assert tab.counted_kind() == "law-enforcement agencies"  # the default measure
    assert tab.counted.count() == len(data.count_measures(db)) >= 2
    for i in range(tab.counted.count()):
        tab.counted.setCurrentIndex(i)
        for j in range(tab.as_of.count()):
            tab.as_of.setCurrentIndex(j)
            shown = _shown(chart)
            assert shown, (tab.counted.currentText(), tab.as_of.currentText())
            ids = [c.count_id for c in shown]
            rows = db.query(
                f"SELECT DISTINCT counted, product, scope FROM customer_counts "
                f"WHERE id IN ({', '.join('?' for _ in ids)})",
                ids,
            )
            assert rows == [(tab.counted_kind(), "face recognition", "overall")]
            assert data.MEASURE_TITLES[tab.counted_kind()] in chart.title.text


def _every_chart(charts_page):  # type: ignore[no-untyped-def]
    """Each chart of the Charts page in turn, shown: (name, chart)."""
    counts = charts_page.tab("counts")
    for name, setup in (
        ("counts", lambda: counts.show_measure("reported")),
        ("deployments", lambda: counts.show_measure("deployments")),
        ("study", lambda: None),
        ("timeline", lambda: None),
    ):
        tab = charts_page.show_tab("counts" if name in ("counts", "deployments") else name)
        setup()
        yield name, tab.chart()


def test_every_chart_fits_a_laptop_window(window: MainWindow, charts_page, qtbot) -> None:  # type: ignore[no-untyped-def]
    """At 1024x700 each chart, with its legend and footer, fits its view: a chart wider than its
    view would hide its latest years or its legend's names off the right edge."""
    window.resize(1024, 700)
    shown = []
    for name, chart in _every_chart(charts_page):
        _wait_painted(qtbot, chart)
        layout = chart.view.ci.geometry()
        shown.append((name, layout.width(), chart.view.viewport().width()))
    assert all(width <= room + 1 for _name, width, room in shown), shown


@pytest.mark.parametrize("width", [1024, 1200])
def test_number_labels_stay_on_screen_in_a_narrow_window(
    window: MainWindow, charts_page, qtbot, width: int
) -> None:  # type: ignore[no-untyped-def]
    """A laptop's window: every number and its status ("2,400 · unverified") is drawn whole,
    never cut off at the chart's right edge."""
    window.resize(width, 700)
    tab = charts_page.tab("counts")
    tab.show_counted("law-enforcement agencies", 2020)
    chart = tab.counts_chart
    _wait_painted(qtbot, chart)
    item = chart.number_bars
    metrics = QFontMetrics(chart.view.font())
    edge = chart.view.viewport().width()
    for bar in item.bars:
        end = chart.view.mapFromScene(item.mapToScene(QPointF(*bar.label_at)))
        assert end.x() + bar.label_offset[0] + metrics.horizontalAdvance(bar.label) <= edge, bar.label


def test_the_2020_chart_on_the_page(charts_page, db: Database) -> None:  # type: ignore[no-untyped-def]
    tab = charts_page.tab("counts")
    tab.show_counted("law-enforcement agencies", 2020)
    chart = tab.counts_chart
    numbers = [(b.key.vendor_name, b.label) for b in chart.number_bars.bars]
    words = [(b.key.vendor_name, b.label) for b in chart.word_bars.bars]
    assert numbers == [("Clearview AI", "2,400 · unverified"), ("NEC", "20 · unverified"), ("Microsoft", "0")]
    assert words == [
        ("Ayonix", "a handful · partly verified"),
        ("Herta Security", "a handful · partly verified"),
        ("iOmniscient", "a handful · partly verified"),
        ("Amazon", "not disclosed · partly verified"),
    ]
    assert [c.count_id for c in _shown(chart)] == [
        c.count_id for c in data.count_chart(db, "law-enforcement agencies", 2020).counts
    ]
    assert "No count of this kind in or before 2020: Idemia, Vigilant Solutions." in chart.footer_text()
    assert "as reported in or before 2020" in chart.title.text


def _svg_texts(path: Path) -> str:
    """The words an SVG writes as text (one string; a label may be split into several elements)."""
    doc = xml.dom.minidom.parse(str(path))
    return " ".join(
        node.data
        for el in doc.getElementsByTagName("text")
        for node in el.childNodes
        if node.nodeType == node.TEXT_NODE
    )


def test_a_chart_scrolled_to_some_rows_says_so_and_exports_them_all(
    qtbot, db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A laptop shows a screenful of vendors: a note says which rows are on screen and that there
    are more; an exported picture has every vendor, not the screenful it was scrolled to."""
    from faceledger.ui.charts import DeploymentsChart

    chart = DeploymentsChart()
    qtbot.addWidget(chart)
    chart.resize(900, 420)
    chart.show()
    result = deployment_charts.documented_deployments(db)
    vendors = list(dict.fromkeys(s.vendor_name for s in result.segments))
    chart.set_segments(result)
    _wait_painted(qtbot, chart)
    fit = chart.rows_in_view()
    assert len(vendors) > fit + 3
    assert chart.rows_note.isVisible()
    assert chart.rows_note.text().startswith(f"Showing vendors 1\u2013{fit} of {len(vendors)}: scroll")
    chart.scrollbar.setValue(2)
    assert chart.rows_note.text().startswith(f"Showing vendors 3\u2013{fit + 2} of {len(vendors)}")
    on_screen = chart.view.ci.geometry()

    svg = chart.export_chart(tmp_path / "deployments.svg")
    written = _svg_texts(svg)
    assert all(name in written for name in vendors), [n for n in vendors if n not in written]
    png = chart.export_chart(tmp_path / "deployments.png")
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert image.height() >= on_screen.height() + (len(vendors) - fit) * chart.row_pixels * 0.9
    # the chart on screen is as it was: the same size, scrolled to the same rows
    assert chart.view.ci.geometry() == on_screen
    assert chart.scrollbar.value() == 2
    assert chart.rows_note.text().startswith(f"Showing vendors 3\u2013{fit + 2}")
    # every row fits a tall window: no note
    chart.resize(900, 300 + len(vendors) * chart.row_pixels)
    qtbot.waitUntil(lambda: not chart.rows_note.isVisible())


def test_chart_footers_hold_in_an_exported_picture(charts_page, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A footer is printed with the chart: it tells no one to hover or click (the line under the
    chart on screen does that)."""
    footers = {name: html.unescape(chart.footer.text) for name, chart in _every_chart(charts_page)}
    assert len(footers) == 4
    for name, text in footers.items():
        assert text and not re.search(r"\b(hover|click)", text, re.IGNORECASE), (name, text)


def test_a_measure_with_no_counts_is_drawn_as_asked(charts_page, db: Database) -> None:  # type: ignore[no-untyped-def]
    """Asked for a kind of count no vendor has (as `faceledger chart counts --counted KIND -o`
    does), the chart is that kind's, with every vendor listed as having no count of it, never
    the chart shown before under another name."""
    measured = {kind for kind, _n in data.count_measures(db)}
    kind = next(k for k in ("countries", "searches or cases", "users or accounts") if k not in measured)
    tab = charts_page.tab("counts")
    tab.show_counted(kind)
    chart = tab.counts_chart
    assert tab.counted.currentData() == kind
    assert not chart.number_bars.bars and not chart.word_bars.bars
    assert kind.split()[0].lower() in html.unescape(chart.title.text).lower()
    assert "No count of this kind" in html.unescape(chart.footer.text)


def test_an_export_replaces_a_file_whole_or_not_at_all(charts_page, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A chart is written beside its file and renamed over it once flushed to disk: a full disk
    leaves the earlier file as it was and no temporary file; a pipe (or a device) is refused, not
    replaced by a file; a symbolic link's target is replaced and the link kept."""
    import errno
    import os
    import stat

    from faceledger.data import export_files

    chart = charts_page.current_chart()
    earlier = tmp_path / "chart.png"
    earlier.write_bytes(b"the chart of last week")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(export_files.os, "fsync", full)
        with pytest.raises(FaceLedgerError, match="the disk is full"):
            chart.export_chart(earlier)
    assert earlier.read_bytes() == b"the chart of last week"
    assert [p.name for p in tmp_path.iterdir()] == ["chart.png"]

    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    with pytest.raises(FaceLedgerError, match="not a regular file"):
        chart.export_chart(fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)

    link = tmp_path / "link.svg"
    target = tmp_path / "drawn.svg"
    link.symlink_to(target)
    chart.export_chart(link)
    assert link.is_symlink() and target.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.png", "drawn.svg", "link.svg", "pipe.png"]
