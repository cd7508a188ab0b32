"""The study chart answers "which systems were most biased?": a measure's algorithms ranked worst
(or best) first, the company beside each code, an axis fitted to the bars shown, the unit in
words, the study's abbreviations spelled out, where the profiled vendors stand; a study with
single figures said in words. `faceledger chart studies` gives the same rows."""

from __future__ import annotations

import html
import io
import json
import re

import pytest

from faceledger.cli import main
from faceledger.data import charts, study_charts
from faceledger.data.database import Database
from faceledger.data.text import number_text

FRVT = "nist-frvt-11-2020"
FMR = "FMR, impostor pairs by sex and race"
SAME_GROUP = ("FB_FB", "FW_FW", "MB_MB", "MW_MW")


def _choice(db: Database, study_id: str) -> charts.StudyChoice:
    return next(s for s in charts.studies_with_figures(db) if s.study_id == study_id)


def _raw_ratios(db: Database) -> dict[str, float]:
    """Highest ÷ lowest same-group false-match rate per algorithm, straight from the table."""
    rates: dict[str, list[float]] = {}
    for label, sub, value in db.query(
        "SELECT vendor_label, subgroup, value FROM study_figures WHERE study_id = ? AND metric = ?",
        (FRVT, FMR),
    ):
        if any(sub.endswith(f"({code})") for code in SAME_GROUP):
            rates.setdefault(label, []).append(value)
    return {k: max(v) / min(v) for k, v in rates.items() if min(v) > 0}


def test_frvt_is_ranked_by_the_ratio_between_groups_worst_first(db: Database) -> None:
    r = study_charts.ranked_study(db, _choice(db, FRVT), FMR, "")
    raw = _raw_ratios(db)
    assert r.rank_by == study_charts.RANK_RATIO and r.ranked == len(raw) == 240
    expected = sorted(raw, key=lambda k: (-raw[k], k.casefold()))[:20]
    assert [row.group for row in r.rows] == expected
    assert [row.position for row in r.rows] == list(range(1, 21))
    for row in r.rows:
        assert row.value == pytest.approx(raw[row.group])
    best = study_charts.ranked_study(db, _choice(db, FRVT), FMR, "", order=study_charts.BEST_FIRST)
    assert [row.group for row in best.rows] == sorted(raw, key=lambda k: (raw[k], k.casefold()))[:20]
    every = study_charts.ranked_study(db, _choice(db, FRVT), FMR, "", limit=None)
    assert len(every.rows) == 240


def test_company_names_beside_codes_and_profiled_vendors(db: Database) -> None:
    r = study_charts.ranked_study(db, _choice(db, FRVT), FMR, "", limit=None)
    names = {
        str(label): (str(name), str(origin))
        for label, name, origin in db.query(
            "SELECT DISTINCT f.vendor_label, v.name, v.origin FROM study_figures f JOIN vendors v "
            "ON v.id = f.vendor_id WHERE f.study_id = ? AND f.metric = ?",
            (FRVT, FMR),
        )
    }
    top = r.rows[0]
    assert top.label == f"{top.group} · {names[top.group][0]}"
    for row in r.rows:
        name, origin = names[row.group]
        assert row.profiled == (origin != "nist-frvt")
        if row.group.startswith(("hr-", "mt-", "ultinous-")):  # prefixes NIST's leaderboard gives no name
            assert row.company == "developer not named by NIST"
        else:
            assert row.company == name
    assert {row.group for row in r.profiled} == {g for g, (_n, o) in names.items() if o != "nist-frvt"}
    megvii = next(row for row in r.profiled if row.company == "Megvii")
    assert megvii.position == 1 + sum(1 for row in r.rows if row.value > megvii.value)


def test_unit_in_words_and_legend_from_the_study(db: Database) -> None:
    for choice in charts.studies_with_figures(db):
        for metric, unit, _n in study_charts.charted_measures(choice):
            words = study_charts.ranked_study(db, choice, metric, unit).value_words
            assert words and "no unit" not in words
    fnmr = study_charts.unit_words("FNMR at FMR=1e-6", "")
    assert "false non-match rate" in fnmr
    assert study_charts.unit_words("gender classification error rate", "%") == "per cent"
    frvt = study_charts.ranked_study(db, _choice(db, FRVT), FMR, "")
    assert frvt.value_words.startswith("times")
    assert dict(frvt.legend)["FB_FB"] == "female black vs female black impostor pairs"
    gs = study_charts.ranked_study(
        db, _choice(db, "gender-shades-2018"), "gender classification error rate", "%"
    )
    stored = {
        s
        for (s,) in db.query(
            "SELECT DISTINCT subgroup FROM study_figures WHERE study_id = 'gender-shades-2018'"
        )
    }
    assert dict(gs.legend) == {
        "DF": "darker-skinned females",
        "DM": "darker-skinned males",
        "LF": "lighter-skinned females",
        "LM": "lighter-skinned males",
    }
    assert {f"{w} ({c})" for c, w in gs.legend} <= stored  # the words are the database's
    assert [row.group for row in gs.rows] == ["IBM", "Megvii", "Microsoft"]  # highest error first


def test_numbers_get_thousands_separators() -> None:
    assert number_text(18270000.0, "18270000") == "18,270,000"
    assert number_text(0.0107, "0.0107") == "0.0107"
    assert number_text(1270.0, "1270") == "1,270"
    assert number_text(0.0, "11.8–19.2") == "11.8–19.2"


def _ticks(chart) -> list[str]:  # type: ignore[no-untyped-def]
    return [text.replace("\n", " ") for _y, text in chart.plot.getAxis("left")._tickLevels[0]]


def test_frvt_chart_widget(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    from faceledger.ui.charts.tabs import StudyTab

    tab = StudyTab(db)
    qtbot.addWidget(tab)
    tab.resize(1440, 900)
    tab.show()
    tab.show_study(FRVT)
    chart = tab.chart_view
    bars = chart.bars.bars
    assert len(bars) == 20
    lengths = [b.rect.width() for b in sorted(bars, key=lambda b: b.rect.center().y())]
    assert lengths == sorted(lengths, reverse=True)
    x_lo, x_hi = chart.plot.getViewBox().state["targetRange"][0]
    assert x_lo == 0 and max(lengths) < x_hi <= 1.3 * max(lengths)  # the axis fits the bars shown
    tip = html.unescape(re.sub("<[^>]+>", "", bars[0].tooltip))
    for code in SAME_GROUP:  # each figure behind the ratio, with its own place in the study
        assert f"column '{code}'" in tip
    assert "worked out by FaceLedger" in tip
    ticks = _ticks(chart)
    assert ticks[0].startswith("1. intsysmsu-001 · Lomonosov Moscow State University")
    assert any(t.endswith("Megvii ★") for t in ticks)
    axis = chart.plot.getAxis("bottom").labelText
    assert axis.startswith("times") and "no unit" not in axis
    foot = chart.footer_text()
    assert "Compared: FB_FB = female black vs female black impostor pairs" in foot
    assert "Where the vendors FaceLedger profiles stand" in foot and "Megvii 10th" in foot
    assert "Showing 20 of 240 ranked systems" in foot
    assert "Face Recognition Vendor Test (FRVT) 1:1" in chart.details.text()  # the info line follows
    tab.show_study("gender-shades-2018")
    assert "Gender Shades" in chart.details.text()
    legend = [html.unescape(label.text) for _sample, label in chart.legend.items]
    assert legend == [
        "DF: darker-skinned females",
        "DM: darker-skinned males",
        "LF: lighter-skinned females",
        "LM: lighter-skinned males",
    ]
    tab.order.setCurrentIndex(tab.order.findData(study_charts.BEST_FIRST))
    assert _ticks(chart)[0].startswith("1. Microsoft")


def test_single_headline_figures_are_words_not_a_lone_bar(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    from faceledger.ui.charts.tabs import StudyTab

    tab = StudyTab(db)
    qtbot.addWidget(tab)
    tab.show_study("nist-frvt-part3-2019")
    chart = tab.chart_view
    assert chart.bars.bars == [] and not chart.plot.isVisible()
    foot = chart.footer_text()
    assert "algorithms evaluated: 189 algorithms" in foot
    assert "18,270,000" in foot and "18270000" not in foot


def test_chart_studies_command_gives_the_same_rows(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    from faceledger.ui.charts.tabs import StudyTab

    out = io.StringIO()
    assert main(["chart", "studies", "--study", FRVT, "--format", "json"], stdout=out) == 0
    doc = json.loads(out.getvalue())
    tab = StudyTab(db)
    qtbot.addWidget(tab)
    tab.show_study(FRVT)
    drawn = [b.key.row for b in tab.chart_view.bars.bars]
    assert [(r["place"], r["group"], r["company"]) for r in doc["bars"]] == [
        (r.position, r.group, r.company) for r in drawn
    ]
    assert (
        doc["axis"].startswith("times")
        and doc["legend"]["MW_MW"] == "male white vs male white impostor pairs"
    )
    out = io.StringIO()
    assert main(["chart", "studies", "--study", FRVT, "--order", "best", "--limit", "5"], stdout=out) == 0
    lines = out.getvalue().splitlines()
    rows = [line for line in lines if re.match(r"\d+ {2,}", line)]
    assert len(rows) == 5 and rows[0].startswith("1 ")
    values = [float(re.search(r"([\d.]+)×", line)[1]) for line in rows]  # type: ignore[index]
    assert values == sorted(values)
    out = io.StringIO()
    assert main(["chart", "studies", "--study", "nist-frvt-part3-2019"], stdout=out) == 0
    assert "18,270,000" in out.getvalue() and "11 figures" in out.getvalue()
