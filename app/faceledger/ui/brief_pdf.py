"""The meeting brief on paper: a `faceledger.data.brief.Brief` laid out with QTextDocument and
drawn on a PDF file (QPdfWriter) or a printer (QPrinter), A4 or US Letter.

Type is never smaller than `MIN_PT` (9 pt): a brief that does not fit on `MAX_PAGES` pages is
summarised further (the next of `LIMIT_STEPS`), never shrunk. Everything is black on white but the
chart's grey bars, so a black-and-white copy reads the same. The chart is drawn with QPainter
as vector graphics where a blank image keeps its place in the text, so its words stay text in the
PDF.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QPolygonF,
    QTextBlock,
    QTextDocument,
)

from faceledger.data.brief import (
    LIMIT_STEPS,
    STATUS_MEANING,
    Brief,
    ChartBar,
    CountChartData,
    Fact,
    Group,
    build_brief,
)
from faceledger.data.brief_facts import FactReader
from faceledger.data.export_files import ExportError, replace_file
from faceledger.data.repositories import Repositories
from faceledger.data.schema import UNDISCLOSED

MAX_PAGES = 2
MAX_PASSES = 8  # layouts of one brief to keep its headings with their text
# Type sizes in points: nothing on the page is smaller than MIN_PT.
MIN_PT = 9.0
TITLE_PT = 16.0
HEADING_PT = 11.5
BODY_PT = 10.0
NOTE_PT = 9.0
CHART_PT = 9.0
FOOTER_PT = 9.0
TYPE_SIZES = (TITLE_PT, HEADING_PT, BODY_PT, NOTE_PT, CHART_PT, FOOTER_PT)
FONT_FAMILIES = ["Helvetica", "Arial", "Liberation Sans", "DejaVu Sans"]
MARGIN_MM = 12.0
PDF_DPI = 300
PAGE_SIZES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
CHART_SLOT = "faceledger-brief:chart"  # a blank image keeping the chart's place in the text
ROW_SPACING = 1.45  # a chart row's height, in lines of its type
BAR_GREY = QColor(150, 150, 150)


class BriefError(ExportError):
    """The brief could not be written (one sentence naming the file); the command exits 3, as an
    export that cannot be written does."""


@dataclass(frozen=True)
class LaidOut:
    """A brief laid out for one device: the document and its page count."""

    brief: Brief
    document: QTextDocument
    pages: int
    chart: ChartPlace | None
    step: int = 0  # the step of LIMIT_STEPS it was built with (0: nothing summarised for space)
    device: QPagedPaintDevice | None = None  # the device laid out for, kept alive with its layout


def e(value: object) -> str:
    return html.escape(str(value), quote=True)


def page_layout(page_size: str) -> QPageLayout:
    """A portrait page of `page_size` ('a4' or 'letter') with the brief's margins."""
    if page_size not in PAGE_SIZES:
        raise BriefError(f"unknown page size '{page_size}' (choose a4 or letter)")
    m = MARGIN_MM
    return QPageLayout(
        QPageSize(PAGE_SIZES[page_size]),
        QPageLayout.Orientation.Portrait,
        QMarginsF(m, m, m, m),
        QPageLayout.Unit.Millimeter,
    )


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(points)
    font.setBold(bold)
    # No ligatures: "fi" stays two letters, so an address copied from the PDF still works.
    for tag in ("liga", "clig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


# -- the chart, drawn inside the text ----------------------------------------------------------
@dataclass(frozen=True)
class ChartPlace:
    """Where the chart goes: its rectangle in the document (device pixels) and its fonts."""

    rect: QRectF
    font: QFont
    bold: QFont


def chart_size(chart: CountChartData, device: QPagedPaintDevice, width: float) -> QSizeF:
    """The chart's size on `device`: one row per bar and one for the scale."""
    row = QFontMetricsF(_font(CHART_PT), device).height() * ROW_SPACING
    return QSizeF(width, row * (len(chart.bars) + 1))


def _bar_words(bar: ChartBar) -> str:
    when = f", {bar.as_of}" if bar.as_of else ""
    status = {"partial": "; partly verified", "unverified": "; unverified"}.get(bar.fact.verification, "")
    no_bar = ""
    if bar.value is None:
        no_bar = " (no number: no bar)" if bar.value_text == UNDISCLOSED else " (in words: no bar)"
    return f"{bar.value_text}{no_bar}{when} [{bar.fact.number}]{status}"


def draw_chart(
    painter: QPainter,
    rect: QRectF,
    chart: CountChartData,
    font: QFont,
    bold: QFont,
    device: QPagedPaintDevice,
) -> None:
    """One row per vendor: its name, a bar from zero (none for a count in words), and the count
    as reported with its date, note number and status. The brief's own vendor is in bold with a
    black bar; the others grey. A scale line at the bottom shows zero and the largest value."""
    painter.save()
    metrics = QFontMetricsF(font, device)
    bold_metrics = QFontMetricsF(bold, device)
    row = metrics.height() * ROW_SPACING
    names = [b.vendor for b in chart.bars]
    label_w = max(bold_metrics.horizontalAdvance(n) for n in names) + metrics.averageCharWidth() * 2
    words_w = max(metrics.horizontalAdvance(_bar_words(b)) for b in chart.bars) + metrics.averageCharWidth()
    bar_x = rect.left() + label_w
    bar_w = max(rect.width() - label_w - words_w, rect.width() * 0.25)
    top = max((b.value or 0) for b in chart.bars) or 1
    pen = QPen(Qt.GlobalColor.black)
    pen.setWidthF(max(1.0, metrics.height() / 14))
    painter.setPen(pen)
    for i, bar in enumerate(chart.bars):
        y = rect.top() + i * row
        painter.setFont(bold if bar.highlighted else font)
        painter.drawText(
            QRectF(rect.left(), y, label_w - metrics.averageCharWidth(), row),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            bar.vendor,
        )
        end = bar_x
        if bar.value is not None:
            length = bar_w * bar.value / top
            box = QRectF(bar_x, y + row * 0.2, max(length, pen.widthF()), row * 0.6)
            painter.fillRect(box, QColor(Qt.GlobalColor.black) if bar.highlighted else BAR_GREY)
            painter.drawRect(box)
            end = box.right()
            if bar.lower_bound:  # "at least", "more than": an arrowhead says the bar may go on
                tip = end + row * 0.45
                painter.setBrush(QColor(Qt.GlobalColor.black))
                painter.drawPolygon(
                    QPolygonF(
                        [QPointF(end, box.top()), QPointF(tip, box.center().y()), QPointF(end, box.bottom())]
                    )
                )
                painter.setBrush(Qt.BrushStyle.NoBrush)
                end = tip
        painter.setFont(font)
        painter.drawText(
            QRectF(end + metrics.averageCharWidth(), y, rect.right() - end, row),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            _bar_words(bar),
        )
    y = rect.top() + len(chart.bars) * row
    painter.drawLine(QPointF(bar_x, rect.top()), QPointF(bar_x, y))
    painter.drawLine(QPointF(bar_x, y), QPointF(bar_x + bar_w, y))
    painter.setFont(font)
    painter.drawText(
        QRectF(bar_x, y, bar_w, row), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), "0"
    )
    painter.drawText(
        QRectF(bar_x, y, bar_w, row), int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), f"{top:,}"
    )
    painter.restore()


# -- the text ----------------------------------------------------------------------------------
def _ref(fact: Fact) -> str:
    """'[12]', and the status in words when it is not verified."""
    words = {"partial": "partly verified", "unverified": "unverified"}.get(fact.verification, "")
    status = f", <i>{e(words)}</i>" if words else ""
    return f"[{fact.number}]{status}"


def _group_html(group: Group) -> str:
    out: list[str] = []
    title = f"<b>{e(group.title)}</b>" if group.title else ""
    if group.inline:
        items = "; ".join(f"{e(f.text)} {_ref(f)}" for f in group.facts)
        more = f"; <i>{e(group.more)}</i>" if group.more else ""
        out.append(f"<p class='fact'>{title}{': ' if title else ''}{items}{more}.</p>")
        return "".join(out)
    if title:
        out.append(_heading(H3, title))
    for f in group.facts:
        out.append(f"<p class='fact'>{e(f.text)} {_ref(f)}</p>")
    if group.more:
        out.append(f"<p class='fact'><i>{e(group.more)}</i></p>")
    return "".join(out)


def _note_html(fact: Fact) -> str:
    status = e(fact.status_words)
    if fact.same_sources_as is not None:
        where = f"Source as in note {fact.same_sources_as}."
    elif fact.sources:
        where = "; ".join(e(s.line()) for s in fact.sources) + "."
    else:
        where = "No source recorded."
    if fact.more_sources:
        n = fact.more_sources
        where += f" ({n} more source{'s' if n != 1 else ''} in FaceLedger.)"
    return f"<p class='note'>{fact.number}. <b>{status}.</b> {where}</p>"


def _chart_html(chart: CountChartData, slot: QSizeF) -> str:
    """The chart's title, a blank image of its size (the chart is drawn there), its note."""
    more = f" <i>{e(chart.more[:1].upper() + chart.more[1:])}.</i>" if chart.more else ""
    return (
        _heading(H3, f"Chart: {e(chart.title)}")
        + f"<p class='chart'><img src='{CHART_SLOT}' width='{slot.width():.0f}' height='{slot.height():.0f}'></p>"
        f"<p class='note'>{e(chart.note)}{more}</p>"
    )


# Headings are paragraphs holding an anchor named HEADING (Qt's <h1>..<h3> would add a size of
# their own on top of the one set); BREAK_MARK in a heading's style is where a page break goes
# when the heading would otherwise end a page.
HEADING = "heading"
BREAK_MARK = "\x00break\x00"
PAGE_BREAK = " page-break-before: always;"
H1 = f"font-size: {TITLE_PT}pt; font-weight: bold; margin: 0 0 2pt 0;"
H2 = f"font-size: {HEADING_PT}pt; font-weight: bold; margin: 7pt 0 1pt 0;"
H3 = f"font-size: {BODY_PT}pt; font-weight: bold; margin: 3pt 0 0 0;"
STYLE = f"""
body {{ color: black; }}
p {{ margin: 0; }}
p.kind {{ font-size: {BODY_PT}pt; margin: 0 0 1pt 0; }}
p.what {{ font-size: {BODY_PT}pt; margin: 2pt 0 0 0; }}
p.fact {{ font-size: {BODY_PT}pt; margin: 1pt 0 0 12pt; }}
p.note {{ font-size: {NOTE_PT}pt; margin: 1pt 0 0 0; }}
p.chart {{ margin: 3pt 0 2pt 0; }}
p.empty {{ font-size: {BODY_PT}pt; margin: 1pt 0 0 12pt; font-style: italic; }}
p.foot {{ font-size: {NOTE_PT}pt; margin: 2pt 0 0 0; }}
"""


def _heading(style: str, text: str) -> str:
    """A heading (its text already escaped), named so the layout can find it."""
    return f"<p style='{style}{BREAK_MARK}'><a name='{HEADING}'>{text}</a></p>"


def brief_html(brief: Brief, chart_slot: QSizeF | None = None, breaks: frozenset[int] = frozenset()) -> str:
    """The brief as HTML for QTextDocument; every text from the database is escaped.
    `chart_slot`: the chart's size in the document's image units; `breaks`: the headings (counted
    from 0) that start a new page."""
    out = [f"<html><head><style>{STYLE}</style></head><body>"]
    out.append(_heading(H1, e(brief.name)))
    out.append(
        f"<p class='kind'><b>{e(brief.kind)}</b>" + "".join(f" · {e(i)}" for i in brief.identity) + "</p>"
    )
    out.append(f"<p class='what'>{e(brief.what.text)} {_ref(brief.what)}</p>")
    for section in brief.sections:
        out.append(_heading(H2, e(section.title)))
        if not section.groups:
            out.append(f"<p class='empty'>{e(section.empty)}</p>")
        out += [_group_html(g) for g in section.groups]
        if brief.chart is not None and section.title == brief.chart_after:
            out.append(_chart_html(brief.chart, chart_slot or QSizeF(600, 200)))
    out.append(_heading(H2, "Notes: verification and sources"))
    out += [_note_html(f) for f in brief.facts]
    out.append(_heading(H2, "About this brief"))
    out.append(f"<p class='foot'>{e(_about(brief))}</p>")
    for lic in brief.licences:
        out.append(
            f"<p class='foot'>Imported data on this page: {e(lic.name)}, licence {e(lic.licence)}"
            f" ({e(lic.licence_url)}). {e(lic.attribution)}</p>"
        )
    out.append("</body></html>")
    parts = "".join(out).split(BREAK_MARK)
    return parts[0] + "".join((PAGE_BREAK if i in breaks else "") + p for i, p in enumerate(parts[1:]))


def _about(brief: Brief) -> str:
    n = len(brief.facts)
    parts = [
        f"FaceLedger data version {brief.data_version}.",
        f"Newest fact on this page dated {brief.newest}."
        if brief.newest
        else "No fact on this page is dated.",
        f"{n:,} numbered fact{'s' if n != 1 else ''}; each note gives its verification status and its "
        "first source (closest to the original).",
        STATUS_MEANING,
    ]
    if brief.summarised:
        parts.append("Longer lists are summarised; FaceLedger holds every record.")
    return " ".join(parts)


# -- layout and drawing ------------------------------------------------------------------------
def _document(brief: Brief, device: QPagedPaintDevice) -> LaidOut:
    doc = QTextDocument()
    layout: QAbstractTextDocumentLayout = doc.documentLayout()
    layout.setPaintDevice(device)
    doc.setDefaultFont(_font(BODY_PT))
    doc.setDocumentMargin(0)
    body = _body_size(device)
    doc.setPageSize(body)
    blank = QImage(1, 1, QImage.Format.Format_ARGB32)
    blank.fill(0)
    doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(CHART_SLOT), blank)
    # The document sizes images in pixels of a 96 dpi screen, scaled to the device's resolution.
    scale = device.logicalDpiY() / 96.0
    size = QSizeF(body.width(), 0)
    if brief.chart is not None:
        size = chart_size(brief.chart, device, body.width() * 0.98)
    slot = QSizeF(size.width() / scale, size.height() / scale)
    breaks: frozenset[int] = frozenset()
    for _ in range(MAX_PASSES):  # each pass moves one heading that would end a page
        doc.setHtml(brief_html(brief, slot, breaks))
        more = _heading_to_move(doc)
        if more is None:
            break
        breaks = (breaks - more[1]) | {more[0]}
    place: ChartPlace | None = None
    if brief.chart is not None:
        place = ChartPlace(_chart_rect(doc, size), _font(CHART_PT), _font(CHART_PT, bold=True))
    return LaidOut(brief, doc, doc.pageCount(), place, device=device)


def _line_page(doc: QTextDocument, block: QTextBlock) -> int:
    """The page on which a block's first line is set."""
    top = doc.documentLayout().blockBoundingRect(block).top()
    layout = block.layout()
    if layout is not None and layout.lineCount() > 0:
        top += layout.lineAt(0).y()
    return int(top // doc.pageSize().height())


def _is_heading(block: QTextBlock) -> bool:
    it = block.begin()
    return not it.atEnd() and HEADING in it.fragment().charFormat().anchorNames()


def _heading_to_move(doc: QTextDocument) -> tuple[int, frozenset[int]] | None:
    """The first run of headings set on another page than the text after it: the number of its
    first heading (to start a new page) and of the others (which then need no break of their
    own); None when every heading is on the page of its text (Qt has no 'keep with next')."""
    doc.pageCount()  # the whole layout, before lines are read
    number = -1
    block = doc.begin()
    while block.isValid():
        if not _is_heading(block):
            block = block.next()
            continue
        run: list[tuple[int, QTextBlock]] = []
        while block.isValid() and _is_heading(block):
            number += 1
            run.append((number, block))
            block = block.next()
        if block.isValid() and _line_page(doc, run[0][1]) != _line_page(doc, block):
            return run[0][0], frozenset(n for n, _b in run[1:])
    return None


def _chart_rect(doc: QTextDocument, size: QSizeF) -> QRectF:
    """Where the layout put the chart's blank image (the one object in its paragraph)."""
    doc.pageCount()  # lays the whole document out now: a line read below stays valid
    block = doc.begin()
    while block.isValid():
        if "\ufffc" in block.text():
            corner = doc.documentLayout().blockBoundingRect(block).topLeft()
            line = block.layout().lineAt(0)
            top = corner + line.position()
            bottom = top.y() + line.height()
            return QRectF(top.x(), bottom - size.height() - line.descent(), size.width(), size.height())
        block = block.next()
    raise BriefError("the chart has no place in the brief's layout")


def _footer_height(device: QPagedPaintDevice) -> float:
    return QFontMetricsF(_font(FOOTER_PT), device).height() * 2


def _body_size(device: QPagedPaintDevice) -> QSizeF:
    """The text area of a page in device pixels: the page inside its margins, less the footer."""
    return QSizeF(device.width(), device.height() - _footer_height(device))


def lay_out(reader: FactReader, entity: str, record_id: str, device: QPagedPaintDevice) -> LaidOut:
    """The fullest brief that fits on MAX_PAGES pages of `device` (the shortest one otherwise).
    Each step of LIMIT_STEPS leaves out more than the one before, so the first that fits is
    found by halving the steps (a handful of layouts for a long record)."""

    def at(step: int) -> LaidOut:
        laid = _document(build_brief(reader, entity, record_id, LIMIT_STEPS[step]), device)
        return replace(laid, step=step)

    laid = at(0)
    if laid.pages <= MAX_PAGES:
        return laid
    fits: LaidOut | None = None
    low, high = 1, len(LIMIT_STEPS) - 1
    while low <= high:
        mid = (low + high) // 2
        laid = at(mid)
        if laid.pages <= MAX_PAGES:
            fits, high = laid, mid - 1
        else:
            low = mid + 1
    return fits or at(len(LIMIT_STEPS) - 1)


def paint(laid: LaidOut, device: QPagedPaintDevice) -> None:
    """Draw every page of a laid-out brief on `device`, each with a footer line."""
    painter = QPainter()
    if not painter.begin(device):
        raise BriefError("the printer or file could not be opened for drawing")
    try:
        body = laid.document.pageSize()
        footer = _font(FOOTER_PT)
        for page in range(laid.pages):
            if page:
                device.newPage()
            painter.save()
            painter.translate(0, -page * body.height())
            area = QRectF(0, page * body.height(), body.width(), body.height())
            laid.document.drawContents(painter, area)
            if laid.chart is not None and laid.brief.chart is not None and area.intersects(laid.chart.rect):
                draw_chart(
                    painter, laid.chart.rect, laid.brief.chart, laid.chart.font, laid.chart.bold, device
                )
            painter.restore()
            painter.setFont(footer)
            painter.setPen(QPen(Qt.GlobalColor.black))
            line = QRectF(0, body.height(), body.width(), device.height() - body.height())
            text = (
                f"FaceLedger brief: {laid.brief.name} · data version {laid.brief.data_version}"
                f" · page {page + 1} of {laid.pages}"
            )
            painter.drawText(line, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom), text)
    finally:
        painter.end()


def print_brief(repos: Repositories, entity: str, record_id: str, device: QPagedPaintDevice) -> LaidOut:
    """Lay out and draw the brief on a printer (or any paged device) as it is set up."""
    laid = lay_out(FactReader(repos), entity, record_id, device)
    paint(laid, device)
    return laid


def save_brief_pdf(
    repos: Repositories, entity: str, record_id: str, path: Path, page_size: str = "a4"
) -> LaidOut:
    """Write the brief to `path` as a PDF, whole or not at all (`replace_file`: drawn in memory,
    then a temporary file in the same folder, flushed and renamed over `path`; never over a
    device, a pipe or a folder)."""
    path = Path(path)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(page_layout(page_size))
    writer.setCreator("FaceLedger")
    laid = lay_out(FactReader(repos), entity, record_id, writer)
    writer.setTitle(f"FaceLedger brief: {laid.brief.name}")
    paint(laid, writer)  # the PDF is complete once the painter has ended (in `paint`)
    del writer
    buffer.close()
    data = bytes(buffer.data().data())
    if not data:
        raise BriefError(f"cannot write {path}: the brief could not be drawn; nothing was written")
    replace_file(path, data)
    return laid
