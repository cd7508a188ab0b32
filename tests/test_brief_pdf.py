"""The meeting brief as PDF: drawn with Qt, read back with poppler's pdftotext and pdfinfo (Debian
poppler-utils, which .ci/run installs: without it these tests fail rather than skip).

Each brief is checked on A4 and US Letter: the key facts, their numbers and notes, the source
addresses, two pages at most, and no type under 9 pt (the words' heights on the page).
"""

from __future__ import annotations

import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QFontMetricsF, QPdfWriter

from faceledger.cli import main
from faceledger.data.brief import LIMIT_STEPS, Brief, Fact, build_brief
from faceledger.data.brief_facts import FactReader
from faceledger.data.repositories import Repositories
from faceledger.ui import brief_pdf
from faceledger.ui.brief_pdf import MIN_PT, save_brief_pdf

PAGE_POINTS = {"a4": ("595", "842"), "letter": ("612", "792")}
DETROIT = "detroit-police-department"


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdf_text(path: Path) -> str:
    return _run("pdftotext", "-layout", str(path), "-")


def pdf_info(path: Path) -> dict[str, str]:
    info = {}
    for line in _run("pdfinfo", str(path)).splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def flat(text: str) -> str:
    """Text without any white space: a line break inside an address or a title does not matter."""
    return re.sub(r"\s+", "", text)


def fact(brief: Brief, entity: str, record_id: str) -> Fact:
    return next(f for f in brief.facts if f.key == (entity, record_id))


def check_fact(text: str, brief: Brief, entity: str, record_id: str, words: str) -> None:
    """The fact's words with its number after them, and its note with status and first source."""
    f = fact(brief, entity, record_id)
    assert flat(f"{words}") in flat(text)
    assert re.search(re.escape(flat(f.text)) + re.escape(f"[{f.number}]"), flat(text)), f.text
    note = re.search(rf"^\s*{f.number}\. (\w+( \w+)?)\.", text, re.M)
    assert note and note.group(1) == f.status_words
    if f.same_sources_as is None:
        assert flat(f.sources[0].url) in flat(text)


@pytest.mark.parametrize("page_size", ["a4", "letter"])
def test_clearview_brief_fits_on_two_pages_by_summarising(
    qapp: object, repos: Repositories, tmp_path: Path, page_size: str
) -> None:
    path = tmp_path / "clearview.pdf"
    laid = save_brief_pdf(repos, "vendors", "clearview-ai", path, page_size)
    info = pdf_info(path)
    assert int(info["Pages"]) == laid.pages <= 2
    assert info["Page size"].startswith("{} x {} pts".format(*PAGE_POINTS[page_size]))
    assert info["Title"] == "FaceLedger brief: Clearview AI"
    text = pdf_text(path)
    brief = laid.brief
    assert "Clearview AI" in text and "Vendor of face recognition" in text
    check_fact(text, brief, "events", "clearview-exits-canada-2020", "Clearview AI withdraws from Canada")
    check_fact(
        text, brief, "events", "netherlands-ap-fine-2024", "Dutch DPA fines Clearview AI 30.5 million euros"
    )
    check_fact(text, brief, "studies", "gao-21-518", "Federal Law Enforcement Agencies Should Better Assess")
    # Summarised, never shrunk: the left-out agencies are counted.
    assert re.search(r"and\s+\d+\s+more\s+agencies\s+—\s+see\s+FaceLedger", text)
    assert "Documented deployments, by status" in text and "Ended (16)" in text
    # The count chart of its measure, drawn as text and bars: what was counted is said.
    assert "Chart: Reported law-enforcement agencies per vendor" in text
    assert re.search(r"Clearview AI\s+hundreds \(in words: no bar\), 2023-03 \[\d+\]; partly verified", text)
    assert "Each bar is one vendor's most recent reported count of law-enforcement agencies" in flat_spaces(
        text
    )
    # The foot: data version, newest fact's date, licences of imported data.
    assert f"FaceLedger data version {repos.db.meta()['data_version']}." in text
    assert f"Newest fact on this page dated {brief.newest}." in flat_spaces(text)
    assert "licence CC BY-SA 4.0" in flat_spaces(text) or "Public domain in the US" in flat_spaces(text)
    assert f"page {laid.pages} of {laid.pages}" in text
    assert brief_pdf._heading_to_move(laid.document) is None  # no heading alone at a page's foot
    # The fullest brief that fits: one step fuller does not.
    assert laid.step > 0
    fuller = build_brief(FactReader(repos), "vendors", "clearview-ai", LIMIT_STEPS[laid.step - 1])
    assert len(fuller.facts) > len(brief.facts)
    writer = QPdfWriter(str(tmp_path / "fuller.pdf"))
    writer.setResolution(brief_pdf.PDF_DPI)
    writer.setPageLayout(brief_pdf.page_layout(page_size))
    assert brief_pdf._document(fuller, writer).pages > 2


def flat_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("page_size", ["a4", "letter"])
def test_detroit_brief(qapp: object, repos: Repositories, tmp_path: Path, page_size: str) -> None:
    path = tmp_path / "detroit.pdf"
    laid = save_brief_pdf(repos, "customers", DETROIT, path, page_size)
    assert int(pdf_info(path)["Pages"]) <= 2
    text = pdf_text(path)
    brief = laid.brief
    assert "Detroit Police Department" in text and "Customer (local police)" in text
    check_fact(text, brief, "deployments", "dataworks-plus--detroit-police-department", "DataWorks Plus")
    check_fact(
        text,
        brief,
        "events",
        "detroit-robert-williams-wrongful-arrest-2020-01",
        "Detroit police wrongfully arrest Robert Williams",
    )
    check_fact(text, brief, "events", "woodruff-detroit-2023", "Porcha Woodruff wrongfully arrested")
    check_fact(text, brief, "events", "williams-settlement-2024", "USD 300,000")
    # An imported record is partly verified: the text says so after the fact and in its note.
    aiid = fact(brief, "events", "aiid-896")
    assert aiid.verification == "partial"
    assert re.search(rf"\[{aiid.number}\],\s+partly verified", text)
    assert "AI Incident Database" in text and "CC BY-SA 4.0" in text


def _word_heights(path: Path) -> list[float]:
    xhtml = _run("pdftotext", "-bbox", str(path), "-")
    root = ET.fromstring(xhtml)
    return [
        float(w.get("yMax", 0)) - float(w.get("yMin", 0))
        for w in root.iter("{http://www.w3.org/1999/xhtml}word")
    ]


@pytest.mark.parametrize(("entity", "record_id"), [("vendors", "clearview-ai"), ("customers", DETROIT)])
def test_no_type_under_nine_points(
    qapp: object, repos: Repositories, tmp_path: Path, entity: str, record_id: str
) -> None:
    path = tmp_path / "brief.pdf"
    save_brief_pdf(repos, entity, record_id, path, "a4")
    heights = _word_heights(path)
    assert len(heights) > 200
    # A word's box is its font's ascent plus descent at its size: in points on a 72 dpi writer.
    probe = QPdfWriter(str(tmp_path / "probe.pdf"))
    probe.setResolution(72)
    m = QFontMetricsF(brief_pdf._font(MIN_PT), probe)
    nine_points = m.ascent() + m.descent()
    assert min(heights) >= nine_points * 0.97
    assert all(size >= MIN_PT for size in brief_pdf.TYPE_SIZES)
    sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)pt", brief_pdf.STYLE)]
    assert sizes and min(sizes) >= MIN_PT


def test_command_line_writes_the_brief(
    qapp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "detroit.pdf"
    assert main(["brief", "customers", DETROIT, "-o", str(path), "--page-size", "letter"]) == 0
    assert "wrote" in capsys.readouterr().out
    umask = os.umask(0o022)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # a normal new file, not a private temporary
    assert pdf_info(path)["Page size"].startswith("612 x 792 pts")
    assert "Robert Williams" in pdf_text(path)
    assert main(["brief", "vendors", "no-such-vendor", "-o", str(tmp_path / "x.pdf")]) == 4  # given wrongly
    assert "no vendor with the id 'no-such-vendor'" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
    assert main(["brief", "vendors", "clearview-ai", "-o", str(tmp_path / "missing" / "x.pdf")]) == 3  # not written
    assert "Could not write" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [path]  # no partial or temporary file left behind


@pytest.mark.parametrize("page_size", ["a4", "letter"])
def test_no_heading_ends_a_page(qapp: object, repos: Repositories, tmp_path: Path, page_size: str) -> None:
    """At every length of Clearview AI's brief, each heading is on the page of the text it heads."""
    writer = QPdfWriter(str(tmp_path / "layout.pdf"))
    writer.setResolution(brief_pdf.PDF_DPI)
    writer.setPageLayout(brief_pdf.page_layout(page_size))
    reader = FactReader(repos)
    moved = 0
    for limits in LIMIT_STEPS:
        laid = brief_pdf._document(build_brief(reader, "vendors", "clearview-ai", limits), writer)
        assert brief_pdf._heading_to_move(laid.document) is None
        moved += laid.document.toHtml().count("page-break-before:always")
    assert moved  # some lengths needed a heading moved to the next page


def test_chart_marks_a_lower_bound_with_an_arrowhead(qapp: object) -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter

    from faceledger.data.brief import ChartBar, CountChartData

    def row_ink(lower_bound: bool) -> int:
        fact = Fact(1, "NEC: more than 1,000", "verified", ())
        bar = ChartBar("NEC", 1000, "more than 1,000", "2020", lower_bound, False, False, fact)
        chart = CountChartData("t", "installations", "n", (bar,))
        image = QImage(900, 120, QImage.Format.Format_RGB32)
        image.fill(0xFFFFFF)
        painter = QPainter(image)
        brief_pdf.draw_chart(
            painter, QRectF(0, 0, 900, 120), chart, brief_pdf._font(9), brief_pdf._font(9, True), image
        )
        painter.end()
        # Black ink on the page: the arrowhead adds some (the words only move along).
        return sum(1 for x in range(900) for y in range(40) if image.pixelColor(x, y).lightness() < 60)

    assert row_ink(True) > row_ink(False) + 20
