"""The detail pane: the selected record in full, related records as links, and its sources.

Every value from the database is HTML-escaped before it is placed in the pane's markup, so text
is always shown as plain text. Links are signals: internal links emit `navigate_requested`;
web links emit `open_url_requested` and are opened only when clicked.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QWidget

from faceledger.data.citation import citation_text
from faceledger.data.entities import ALL_SPECS, ENTITIES, dataset_label, record_heading
from faceledger.data.records import record_fields
from faceledger.data.repositories import RELATED_LIMIT, Citation, Link, Repositories
from faceledger.data.schema import COUNTED, TABLE, end_shown
from faceledger.data.text import number_text
from faceledger.ui import style
from faceledger.ui.link_focus import LinkFocus

INTERNAL_SCHEME = "faceledger"
BRIEF_SCHEME = "faceledger-brief"

URL_FIELDS = {"url", "website", "licence_url", "link"}

BADGE = {
    "verified": ("#166534", "#dcfce7", "✔ Verified", "A primary source cited below states it."),
    "partial": (
        "#854d0e",
        "#fef9c3",
        "◐ Partly verified",
        "Not all of it was confirmed in a primary source; see the note.",
    ),
    "unverified": ("#9a3412", "#ffedd5", "⚠ Unverified claim", "Not confirmed from a source actually read."),
}


def e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def internal_href(entity: str, record_id: str) -> str:
    return f"{INTERNAL_SCHEME}:{e(entity)}/{e(record_id)}"


class DetailPane(QTextBrowser):
    navigate_requested = Signal(str, str)
    open_url_requested = Signal(str)
    brief_requested = Signal(str, str)  # a vendor's or customer's "Brief…" link

    def __init__(self, repos: Repositories, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.repos = repos
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setObjectName("detailPane")
        self.setStyleSheet(style.DETAIL_PANE)
        self.setMinimumWidth(300)
        self.entity: str | None = None
        self.record: Any = None
        self._citations: list[Citation] = []
        self.link_focus = LinkFocus(self)  # the link reached with Tab, clearly marked
        self._connect_signals()
        self.show_nothing()

    def _connect_signals(self) -> None:
        self.anchorClicked.connect(self._on_anchor_clicked)

    # -- public -------------------------------------------------------------------------------
    def show_nothing(self, message: str = "Select a row to see the record, its links and sources.") -> None:
        self.entity, self.record, self._citations = None, None, []
        self.setHtml(f"<p style='color:#666'>{e(message)}</p>")

    def show_record(self, entity: str, record_id: str) -> bool:
        repo = self.repos.for_entity(entity)
        record = repo.get(record_id)
        if record is None:
            self.show_nothing(f"The record {record_id} is not in this database.")
            return False
        self.entity, self.record = entity, record
        self._citations = repo.citations(record_id) if entity not in ("sources", "datasets") else []
        self.setHtml(self._render(entity, record))
        return True

    def citation(self) -> str:
        """A plain-text citation of the shown record ('' when none is shown)."""
        if self.record is None or self.entity is None:
            return ""
        spec = ALL_SPECS[self.entity]
        label = record_heading(
            self.entity, self.record, str(getattr(self.record, spec.label, "") or self.record.id)
        )
        if self.entity == "sources":
            from faceledger.data.citation import describe_source  # noqa: PLC0415

            return describe_source(Citation(self.record))
        version = self.repos.db.meta().get("data_version", "?")
        return citation_text(spec.singular, label, self.record, self._citations, version)

    # -- rendering ----------------------------------------------------------------------------
    def _render(self, entity: str, rec: Any) -> str:
        spec = ALL_SPECS[entity]
        label = record_heading(entity, rec, str(getattr(rec, spec.label, "") or rec.id))
        out = [f"<h2 style='margin-bottom:2px'>{e(label)}</h2>"]
        brief = ""
        if entity in ("vendors", "customers"):
            brief = f" · <a href='{BRIEF_SCHEME}:{e(entity)}/{e(rec.id)}'>Brief… (Ctrl+P)</a>"
        out.append(f"<div style='color:#555'>{e(spec.singular.capitalize())} · id {e(rec.id)}{brief}</div>")
        v = getattr(rec, "verification", "")
        if v in BADGE:
            fg, bg, text, expl = BADGE[v]
            note = getattr(rec, "verification_note", "")
            out.append(
                f"<table cellpadding='6' style='margin-top:8px; background:{bg}; color:{fg}' width='100%'>"
                f"<tr><td><b>{e(text)}</b> — {e(expl)}"
                + (f"<br>{e(note)}" if note else "")
                + "</td></tr></table>"
            )
        out.append("<table cellspacing='0' cellpadding='3' style='margin-top:8px'>")
        columns = TABLE[entity]
        for name in record_fields(rec):
            label = columns.column(name).label  # the declared words; columns without them stay out
            if not label:
                continue
            value = getattr(rec, name)
            if name == "end" and entity == "deployments":
                value = end_shown(value, rec.status)  # ended on no known date: "not known"
            if value in (None, ""):
                continue
            if name in URL_FIELDS:
                shown = f"<a href='{e(value)}'>{e(value)}</a>"
            elif isinstance(value, float):
                shown = e(f"{value:,.2f}".rstrip("0").rstrip("."))
            elif isinstance(value, int):
                shown = e(f"{value:,}")
            elif name == "origin":
                shown = e(dataset_label(str(value)))
            else:
                shown = e(value).replace("\n", "<br>")
            out.append(
                f"<tr><td valign='top' style='color:#555; padding-right:10px'>{e(label)}</td>"
                f"<td valign='top'>{shown}</td></tr>"
            )
        out.append("</table>")
        out += self._related(entity, rec)
        # The record's own dataset, then the datasets of its sources (a curated record merged with a
        # dataset entry cites it): each with its licence and attribution.
        dataset_ids = [getattr(rec, "dataset_id", None)] + [c.source.dataset_id for c in self._citations]
        datasets = [self.repos.vendors.dataset(d) for d in dict.fromkeys(d for d in dataset_ids if d)]
        if any(ds is not None for ds in datasets):
            out.append("<h3>Imported data</h3>")
        for ds in datasets:
            if ds is not None:
                out.append(
                    f"<p>From the dataset <a href='{internal_href('datasets', ds.id)}'>{e(ds.name)}</a>, "
                    f"licence {e(ds.licence)}. {e(ds.attribution)}</p>"
                )
        if entity not in ("sources", "datasets"):
            out += self._sources()
        return "".join(out)

    def _links(self, title: str, links: list[Link], total: int | None = None) -> list[str]:
        """A section of related records; `total`, when known, is how many there are in all."""
        if not links:
            return []
        if total is not None and total > len(links):
            out = [
                f"<h3>{e(title)} ({total:,}; the first {len(links):,} listed)</h3>"
                "<p style='color:#666'>Only the first ones are listed here.</p>"
            ]
        elif total is None and len(links) >= RELATED_LIMIT:  # the repository lists no more than that
            out = [
                f"<h3>{e(title)} (the first {len(links):,})</h3>"
                "<p style='color:#666'>Only the first ones are listed here; the table pages show all.</p>"
            ]
        else:
            out = [f"<h3>{e(title)} ({len(links):,})</h3>"]
        out.append("<ul style='margin-left:-20px'>")
        for link in links:
            mark = ""
            if link.verification == "unverified":
                mark = " <span style='color:#9a3412'>⚠ unverified</span>"
            elif link.verification == "partial":
                mark = " <span style='color:#854d0e'>◐ partly verified</span>"
            note = f" <span style='color:#666'>· {e(link.note)}</span>" if link.note else ""
            out.append(
                f"<li><a href='{internal_href(link.entity, link.record_id)}'>{e(link.label)}</a>{note}{mark}</li>"
            )
        out.append("</ul>")
        return out

    def _related(self, entity: str, rec: Any) -> list[str]:
        r = self.repos
        rid = rec.id
        out: list[str] = []
        if entity == "vendors":
            # The build counts each vendor's customers and events: a long list says how many in all.
            out += self._links("Also a customer", r.vendors.as_customer(rid))
            out += self._links("Customers", r.vendors.customers(rid), rec.customer_count)
            out += self._links("Deployments", r.vendors.deployments(rid))
            for counted, links in r.vendors.counts_by_counted(rid):
                out += self._links(f"Reported counts of {COUNTED.label(counted)}", links)
            out += self._links("Studies that evaluated it", r.vendors.studies(rid))
            out += self._links("Events", r.vendors.events(rid), rec.event_count)
        elif entity == "customers":
            out += self._links("Also a vendor", r.customers.as_vendor(rid))
            out += self._links("Parent organisation", r.customers.parent(rid))
            out += self._links("Vendors", r.customers.vendors(rid))
            out += self._links("Deployments", r.customers.deployments(rid))
            out += self._links("Events", r.customers.events(rid))
        elif entity == "deployments":
            out += self._links("Parties", r.deployments.parties(rid))
        elif entity == "customer_counts":
            out += self._links("Vendor", r.customer_counts.vendor(rid))
        elif entity == "studies":
            out += self._links("Vendors evaluated", r.studies.vendors(rid))
            out += self._figures(r.studies.figures(rid))
        elif entity == "events":
            out += self._links("Vendors", r.events.vendors(rid))
            out += self._links("Customers", r.events.customers(rid))
        elif entity == "sources":
            out += self._links("Cited by", r.sources.cited_by(rid), r.sources.cited_by_count(rid))
        return out

    def _figures(self, figures: list[Any]) -> list[str]:
        if not figures:
            return []
        shown = figures[:300]
        out = [f"<h3>Figures ({len(figures):,})</h3>"]
        out.append("<table cellspacing='0' cellpadding='3' border='0'>")
        out.append(
            "<tr style='color:#555'><td>Vendor</td><td>Subgroup</td><td>Metric</td>"
            "<td align='right'>Value</td><td>Status</td></tr>"
        )
        for f in shown:
            mark = {"verified": "✔", "partial": "◐", "unverified": "⚠"}.get(f.verification, "")
            out.append(
                f"<tr><td>{e(f.vendor_label)}</td><td>{e(f.subgroup)}</td><td>{e(f.metric)}</td>"
                f"<td align='right'>{e(number_text(f.value or 0.0, f.value_text or ''))} {e(f.unit)}</td>"
                f"<td title='{e(f.verification)}'>{mark} {e(f.verification)}</td></tr>"
            )
        out.append("</table>")
        if len(figures) > len(shown):
            out.append(f"<p>… and {len(figures) - len(shown):,} more.</p>")
        return out

    def _sources(self) -> list[str]:
        if not self._citations:
            return ["<h3>Sources</h3><p style='color:#9a3412'>No source recorded.</p>"]
        out = [f"<h3>Sources ({len(self._citations)})</h3><ol style='margin-left:-20px'>"]
        for c in self._citations:
            s = c.source
            bits = [f"<b>{e(s.publisher)}</b>"]
            if s.title:
                bits.append(e(s.title))
            if s.date:
                bits.append(e(s.date))
            bits.append(f"<i>{e(s.kind)}</i>")
            out.append(
                f"<li>{' · '.join(bits)}<br><a href='{e(s.url)}'>{e(s.url)}</a>"
                f" · <a href='{internal_href('sources', s.id)}'>source record</a></li>"
            )
        out.append("</ol>")
        return out

    # -- slots --------------------------------------------------------------------------------
    def _on_anchor_clicked(self, url: QUrl) -> None:
        text = url.toString()
        if url.scheme() == BRIEF_SCHEME:
            entity, _, rid = text.split(":", 1)[1].partition("/")
            self.brief_requested.emit(entity, QUrl.fromPercentEncoding(rid.encode()))
            return
        if url.scheme() == INTERNAL_SCHEME:
            path = text.split(":", 1)[1]
            entity, _, rid = path.partition("/")
            rid = QUrl.fromPercentEncoding(rid.encode())
            if entity in ENTITIES and rid:
                self.navigate_requested.emit(entity, rid)
            return
        # Qt keeps an href's entities as written (`&amp;`): undo the escaping `e()` applied, so
        # the address opened is the one stored.
        self.open_url_requested.emit(html.unescape(text))
