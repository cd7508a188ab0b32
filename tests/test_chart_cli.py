"""`faceledger chart`: one row per bar, equal to what the Charts page draws; CSV and table; the
chart drawn headless as PNG or SVG at the size asked for; one-line errors."""

from __future__ import annotations

import csv
import io
import json
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from faceledger.cli import main
from faceledger.data import charts as data
from faceledger.data.database import Database
from faceledger.ui.main_window import MainWindow

APP = Path(__file__).resolve().parents[1] / "app"


def _run(*argv: str) -> str:
    out = io.StringIO()
    assert main(["chart", *argv], stdout=out) == 0
    return out.getvalue()


def _drawn_counts(chart) -> list[object]:  # type: ignore[no-untyped-def]
    bars = chart.number_bars.bars + chart.word_bars.bars
    return sorted(bars, key=lambda b: b.rect.center().y())


@pytest.mark.parametrize("year", [None, 2020, 2023])
def test_counts_json_equals_what_the_page_draws(window: MainWindow, qtbot, year: int | None) -> None:  # type: ignore[no-untyped-def]
    page = window.show_charts()
    tab = page.tab("counts")
    tab.show_counted("law-enforcement agencies", year)
    drawn = _drawn_counts(tab.counts_chart)
    args = ["counts", "--format", "json"] + (["--as-of", str(year)] if year else [])
    doc = json.loads(_run(*args))
    assert doc["title"] in tab.counts_chart.title.text
    assert len(doc["bars"]) == len(drawn) >= 7
    for row, bar in zip(doc["bars"], drawn, strict=True):
        c = bar.key
        assert (row["vendor"], row["value"], row["qualifier"], row["value_text"]) == (
            c.vendor_name,
            c.value,
            c.qualifier,
            c.value_text,
        )
        assert bar.label.startswith(row["value_text"])
        assert (row["counted"], row["product"]) == ("law-enforcement agencies", "face recognition")
        assert (row["subject"], row["region"], row["as_of"], row["verification"]) == (
            c.subject,
            c.region,
            c.as_of,
            c.verification,
        )
        assert row["sources"] and all(s.url in row["sources"] for s in c.sources)
        if c.has_number:  # a bar's length is the number in the JSON
            assert bar.rect.width() == row["value"]
        else:
            assert row["value"] is None
    assert doc["no_count_of_this_kind"] == list(tab.counts_chart.no_count)


def test_the_2020_counts_from_the_command_line(db: Database) -> None:
    doc = json.loads(_run("counts", "--as-of", "2020", "--format", "json"))
    assert [(r["vendor"], r["value_text"], r["verification"]) for r in doc["bars"]] == [
        ("Clearview AI", "2,400", "unverified"),
        ("NEC", "20", "unverified"),
        ("Microsoft", "0", "verified"),
        ("Ayonix", "a handful", "partial"),
        ("Herta Security", "a handful", "partial"),
        ("iOmniscient", "a handful", "partial"),
        ("Amazon", "not disclosed", "partial"),
    ]
    table = _run("counts", "--as-of", "2020")
    assert table.splitlines()[0] == data.count_chart(db, as_of_year=2020).title
    assert "No count of this kind in or before 2020: Idemia, Vigilant Solutions." in table
    rows = list(csv.DictReader(io.StringIO(_run("counts", "--as-of", "2020", "--format", "csv"))))
    assert [r["vendor"] for r in rows] == [r["vendor"] for r in doc["bars"]]
    assert rows[3]["value"] == "" and rows[3]["qualifier"] == "a handful"


def test_deployments_leave_the_undisclosed_vendor_out_and_say_so(db: Database) -> None:
    hidden = db.query("SELECT COUNT(*) FROM deployments WHERE vendor_id = 'undisclosed-vendor'")[0][0]
    assert hidden > 1
    note = f"Not shown: {hidden:,} deployments whose vendor was not disclosed."
    table = _run("deployments")
    assert "Vendor not disclosed" not in table
    assert table.rstrip().splitlines()[-1] == note
    doc = json.loads(_run("deployments", "--format", "json"))
    assert doc["undisclosed_deployments"] == hidden
    assert "Vendor not disclosed" not in {r["vendor"] for r in doc["bars"]}
    rows = list(csv.DictReader(io.StringIO(_run("deployments", "--format", "csv"))))
    assert [r["vendor"] for r in rows] == [r["vendor"] for r in doc["bars"]]


def test_other_charts_json_equals_the_page(window: MainWindow, db: Database) -> None:
    page = window.show_charts()
    tab = page.tab("counts")
    tab.show_measure("deployments")
    segments = [b.key for b in tab.deployments_chart.bars.bars]
    doc = json.loads(_run("deployments", "--format", "json"))
    assert [(r["vendor"], r["status"], r["customers"]) for r in doc["bars"]] == [
        (s.vendor_name, s.status, s.customers) for s in segments
    ]
    timeline = page.tab("timeline")
    drawn = sorted((b.key.year, b.key.kind, b.key.events) for b in timeline.chart_view.bars.bars)
    doc = json.loads(_run("events", "--format", "json"))
    assert sorted((r["year"], r["kind"], r["events"]) for r in doc["bars"]) == drawn
    study = page.tab("study")
    groups = list(dict.fromkeys(b.key.row.group for b in study.chart_view.bars.bars))
    doc = json.loads(_run("studies", "--format", "json"))
    assert [r["group"] for r in doc["bars"]] == groups and doc["study"] == data.DEFAULT_STUDY


def test_output_file_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "counts.csv"
    out = _run("counts", "--format", "csv", "-o", str(target))
    assert "wrote 7 rows" in out
    assert target.read_text(encoding="utf-8").startswith("vendor,value,qualifier,value_text,counted,product")
    for argv, message in (
        (["counts", "--counted", "police"], "--counted: unknown kind 'police'"),
        (["events", "--as-of", "2020"], "apply to the counts chart only"),
        (["counts", "--size", "800x600"], "--size applies to a PNG or SVG file"),
        (["counts", "-o", str(tmp_path / "c.png"), "--size", "big"], "--size: give WIDTHxHEIGHT"),
    ):
        assert main(["chart", *argv]) == 4  # the command was given wrongly
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err, err


def test_png_and_svg_are_drawn_headless_at_the_size_asked(tmp_path: Path) -> None:
    png, svg = tmp_path / "counts.png", tmp_path / "deployments.svg"
    script = (
        "import sys; from faceledger.cli import main\n"
        f"a = main(['chart', 'counts', '--as-of', '2020', '-o', {str(png)!r}, '--size', '1000x600'])\n"
        f"b = main(['chart', 'deployments', '-o', {str(svg)!r}])\n"
        "sys.exit(a or b)\n"
    )
    env = {"PYTHONPATH": str(APP), "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", head[16:24]) == (1000, 600)
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "Documented deployments" in text


def test_a_table_written_to_a_pipe_or_a_link_leaves_them_in_place(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """-o a named pipe (or a device such as /dev/null) is written into, never replaced by a file
    (renaming a finished file over it would destroy /dev/null as root); a symbolic link's target
    is replaced, the link kept; a full or missing folder is one line and changes nothing."""
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert main(["chart", "deployments", "--format", "csv", "-o", str(fifo)]) == 0
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # (were it replaced, the reader would wait on: a daemon)
    reader.join(10)
    assert got and got[0].startswith(b"vendor,status,customers")

    target = tmp_path / "real.csv"
    target.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert main(["chart", "events", "--format", "csv", "-o", str(link)]) == 0
    assert link.is_symlink() and target.read_text().startswith("year,kind,events")
    capsys.readouterr()

    assert main(["chart", "events", "-o", str(tmp_path / "missing" / "x.csv")]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "pipe", "real.csv"]


def test_a_picture_in_a_format_charts_are_not_drawn_in_is_refused(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["chart", "counts", "-o", str(tmp_path / "chart.pdf")]) == 4
    assert "a chart is drawn as .png or .svg, not .pdf" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
