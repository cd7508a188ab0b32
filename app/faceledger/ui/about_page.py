"""The "About the data" page: what FaceLedger is, how current its data is, what each dataset
contributes with its licence and attribution, and how the verification marks read. Also the
welcome shown once, on the first start. The page only emits signals; the main window places it,
shows it and connects them."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QUrl, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from faceledger.data.about import AboutData, Contribution, about_data
from faceledger.data.database import Database
from faceledger.data.dates import readable_date
from faceledger.data.entities import ENTITIES
from faceledger.models.table_model import display
from faceledger.ui.detail import BADGE, INTERNAL_SCHEME, e, internal_href

WELCOME_TITLE = "Welcome to FaceLedger"
TITLE = "About the data"


def _date(value: str) -> str:
    return readable_date(value) if value else "not recorded"


def _link(url: str, text: str) -> str:
    return f"<a href='{e(url)}'>{e(text)}</a>" if url else e(text)


class AboutPage(QWidget):
    """The page; its text is read from the database when it is first shown."""

    navigate_requested = Signal(str, str)  # entity, record id
    page_requested = Signal(str)  # entity: open that page
    open_url_requested = Signal(str)
    painted = Signal()  # the page's text has painted for the first time

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("page_about")
        self.welcome = False
        self.data: AboutData | None = None
        self.text = QTextBrowser(self)
        self.text.setObjectName("aboutText")
        self.text.setOpenLinks(False)
        self.text.setOpenExternalLinks(False)
        self.text.setAccessibleName(TITLE)
        self.text.setAccessibleDescription(
            "What FaceLedger is, how current its data is, where each part of it comes from with its "
            "licence, and what the verification marks mean. Tab moves through the links."
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.text)
        self.text.anchorClicked.connect(self._on_anchor_clicked)
        self.text.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self.text.viewport():
            watched.removeEventFilter(self)
            self.painted.emit()
        return False

    # -- public -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the numbers from the database and show them."""
        self.data = about_data(self.db)
        self.text.setHtml(self._render(self.data))

    def set_welcome(self, welcome: bool) -> None:
        """Show the page as the first start's welcome (a heading and a line on where to find it again)."""
        self.welcome = welcome
        if self.data is not None:
            self.text.setHtml(self._render(self.data))

    def showEvent(self, event: QShowEvent) -> None:
        if self.data is None:
            self.refresh()
        super().showEvent(event)

    # -- rendering ----------------------------------------------------------------------------
    def _render(self, data: AboutData) -> str:
        out = [f"<h1>{e(WELCOME_TITLE if self.welcome else TITLE)}</h1>"]
        if self.welcome:
            out.append(
                "<p style='color:#374151'>This page is shown once, on the first start. It stays under "
                f"<b>{e(TITLE)}</b> in the list on the left (Ctrl+0). "
                f"<a href='page:vendors'>Start with the vendors</a>.</p>"
            )
        out.append(
            "<p>FaceLedger is an offline reference on face recognition sold to law enforcement: who sells "
            "it (vendors), who buys it (police forces and other agencies), what the audits found (studies "
            "and their figures) and what happened since (bans, moratoria, fines, lawsuits, wrongful "
            "arrests). Every fact names its sources, with publisher and date, and says how well it is "
            "verified. It never goes online: a source opens in your browser only when you click it.</p>"
        )
        out += self._currency(data)
        out += self._verification(data)
        out += self._contributions(data)
        return "\n".join(out)

    def _currency(self, data: AboutData) -> list[str]:
        out = ["<h2>How current it is</h2>", "<table cellpadding='3'>"]
        out.append(
            f"<tr><td><b>Data as of</b></td><td>{e(_date(data.data_date))}: the newest source or dataset "
            "snapshot this database was built from</td></tr>"
        )
        fact = data.newest_fact
        if fact is not None:
            spec = ENTITIES[fact.entity]
            out.append(
                f"<tr><td><b>Newest fact</b></td><td>{e(readable_date(fact.date))}: the {e(spec.singular)} "
                f"<a href='{internal_href(fact.entity, fact.record_id)}'>{e(fact.label)}</a></td></tr>"
            )
        out.append(f"<tr><td><b>Newest source</b></td><td>{e(_date(data.newest_source))}</td></tr>")
        if data.data_version:
            out.append(f"<tr><td><b>Data version</b></td><td>{e(data.data_version)}</td></tr>")
        out.append(f"<tr><td><b>Database file</b></td><td>{e(self.db.path)} (opened read-only)</td></tr>")
        out.append("</table>")
        out.append(
            "<p style='color:#374151'>Nothing later than these dates is in FaceLedger: check the sources "
            "for what happened since.</p>"
        )
        return out

    def _verification(self, data: AboutData) -> list[str]:
        field = ENTITIES["vendors"].field("verification")
        out = [
            "<h2>How to read the verification marks</h2>",
            "<table cellpadding='4' cellspacing='0' border='1' style='border-color:#d1d5db'>",
            "<tr><th align='left'>In the tables</th><th align='left'>In the detail pane</th>"
            "<th align='left'>What it means</th><th align='right'>Records</th></tr>",
        ]
        for v in data.verification:
            fg, bg, badge, _expl = BADGE.get(v.value, ("#000000", "#ffffff", v.label, ""))
            out.append(
                f"<tr><td>{e(display(v.value, field))}</td>"
                f"<td style='background:{bg}; color:{fg}'><b>{e(badge)}</b></td>"
                f"<td>{e(v.meaning)}</td><td align='right'>{v.records:,}</td></tr>"
            )
        out.append("</table>")
        out.append(
            "<p style='color:#374151'>A record's sources and their kinds are listed in its detail pane; "
            "a copy, a summary or an imported dataset never makes a record verified.</p>"
        )
        return out

    def _contributions(self, data: AboutData) -> list[str]:
        titles: list[str] = []
        for c in data.contributions:
            titles += [t for t, _n in c.rows if t not in titles]
        out = [
            "<h2>Where the data comes from</h2>",
            "<p>Records per origin. FaceLedger's own research is written from the sources each record "
            "cites; the imported datasets keep their licences and their attribution, given below.</p>",
            "<table cellpadding='4' cellspacing='0' border='1' style='border-color:#d1d5db'>",
            "<tr><th align='left'>Origin</th>"
            + "".join(f"<th align='right'>{e(t)}</th>" for t in titles)
            + "<th align='right'>Total</th></tr>",
        ]
        for c in data.contributions:
            rows = dict(c.rows)
            cells = "".join(
                f"<td align='right'>{rows[t]:,}</td>" if t in rows else "<td align='right'>–</td>"
                for t in titles
            )
            out.append(f"<tr><td>{e(c.short_name)}</td>{cells}<td align='right'><b>{c.total:,}</b></td></tr>")
        out.append("</table>")
        out.append("<h2>Licences and attribution</h2>")
        for c in data.contributions:
            if c.dataset_id:
                out += self._dataset(c)
        out.append(
            "<p>The <a href='page:datasets'>Datasets page</a> has each dataset's full notes: how its rows "
            "were chosen and where the copy was taken from.</p>"
        )
        return out

    def _dataset(self, c: Contribution) -> list[str]:
        out = [f"<h3>{_link(c.url, c.name)}</h3>", "<table cellpadding='2'>"]
        out.append(f"<tr><td><b>Publisher</b></td><td>{e(c.publisher)}</td></tr>")
        out.append(f"<tr><td><b>Licence</b></td><td>{_link(c.licence_url, c.licence)}</td></tr>")
        out.append(f"<tr><td><b>Attribution</b></td><td>{e(c.attribution)}</td></tr>")
        if c.retrieved:
            out.append(f"<tr><td><b>Snapshot date</b></td><td>{e(readable_date(c.retrieved))}</td></tr>")
        out.append("</table>")
        return out

    # -- slots --------------------------------------------------------------------------------
    def _on_anchor_clicked(self, url: QUrl) -> None:
        text = url.toString()
        if url.scheme() == "page":
            entity = text.split(":", 1)[1]
            if entity in ENTITIES:
                self.page_requested.emit(entity)
            return
        if url.scheme() == INTERNAL_SCHEME:
            entity, _, rid = text.split(":", 1)[1].partition("/")
            rid = QUrl.fromPercentEncoding(rid.encode())
            if entity in ENTITIES and rid:
                self.navigate_requested.emit(entity, rid)
            return
        self.open_url_requested.emit(text)
