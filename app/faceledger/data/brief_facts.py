"""The facts a meeting brief may use, read through the repositories (Qt-free): each a `Draft`
with its text, verification status, sources and date, not yet chosen or numbered (that is
`faceledger.data.brief`'s work).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from faceledger.data import charts, schema
from faceledger.data import records as r
from faceledger.data.errors import UnknownName
from faceledger.data.repositories import Citation, Link, Query, Repositories, Repository

# A vendor's deployments read per status to choose from (a synthetic vendor has a million; the
# brief names a handful and counts the rest).
READ_PER_STATUS = 200
# Customer types bound by the laws of their city or state (a federal agency is not).
LOCAL_TYPES = frozenset(
    {
        "local police",
        "sheriff",
        "state police",
        "prosecutor",
        "corrections",
        "local government",
        "state government",
    }
)
# A customer's place-matched rules: bans and moratoria of its city or state that name no agency
# (not laws: a privacy law such as Illinois's BIPA may not bind a public agency at all).
PLACE_RULE_KINDS = ("ban", "moratorium")
# Words that end the place part of an agency's name ("Boston Police Department" -> "Boston").
_AGENCY_WORDS = frozenset(
    {"police", "sheriff", "sheriff's", "department", "office", "bureau", "district", "metropolitan"}
)


class _Record(Protocol):
    """What every fact record has (see `faceledger.data.records`)."""

    @property
    def id(self) -> str: ...
    @property
    def verification(self) -> str: ...
    @property
    def dataset_id(self) -> str | None: ...


@dataclass(frozen=True)
class SourceNote:
    """A source as a brief's notes cite it."""

    publisher: str
    title: str
    date: str
    url: str
    dataset_id: str | None = None
    kind: str = ""  # primary, press, relay-or-mirror, aggregator, dataset

    def line(self) -> str:
        """'Publisher, “Title”, 2020-01-18, https://…'."""
        parts = [self.publisher or "Unknown publisher"]
        if self.title:
            parts.append(f"“{self.title}”")
        if self.date:
            parts.append(self.date)
        if self.url:
            parts.append(self.url)
        return ", ".join(parts)


@dataclass(frozen=True)
class Draft:
    """A fact before it is chosen and numbered; `key` names its record (one number per record)."""

    key: tuple[str, str]
    text: str
    verification: str
    sources: tuple[SourceNote, ...]
    date: str = ""
    kind: str = ""  # an event's kind, a deployment's status
    curated: bool = True  # from FaceLedger's own sources, not an imported dataset
    priority: int = 0  # kept first when a summary leaves facts out (lower first)


def rank_key(d: Draft) -> tuple[int, int, int, int]:
    """Which facts a summary keeps first: better verified, then its priority (a fine before a
    ruling, a count of all customers before one of a region), curated, then newest."""
    return (
        schema.VERIFICATION.rank(d.verification),
        d.priority,
        0 if d.curated else 1,
        -_date_number(d.date),
    )


def _date_number(date: str) -> int:
    digits = "".join(ch for ch in date if ch.isdigit())[:8]
    return int(digits.ljust(8, "0")) if digits else 0


@dataclass(frozen=True)
class Subject:
    """The vendor or customer a brief is about."""

    entity: str
    record_id: str
    name: str
    kind: str
    identity: tuple[str, ...]
    what: Draft
    dataset_ids: tuple[str | None, ...]


@dataclass(frozen=True)
class VendorCount:
    """One vendor's count in a chart's measure, as `charts.reported_counts` chose it."""

    vendor_id: str
    vendor_name: str
    value: int | None
    value_text: str
    qualifier: str
    as_of: str
    draft: Draft


@dataclass(frozen=True)
class LicenceNote:
    """An imported dataset used on the page: its name, licence and attribution."""

    name: str
    licence: str
    attribution: str
    licence_url: str


def _sources(citations: Sequence[Citation]) -> tuple[SourceNote, ...]:
    """A record's sources, the closest to the original first (primary, press, copies, aggregators,
    datasets), then oldest first."""
    notes = [
        SourceNote(
            c.source.publisher,
            c.source.title,
            c.source.date or "",
            c.source.url,
            c.source.dataset_id,
            c.source.kind,
        )
        for c in citations
    ]
    return tuple(sorted(notes, key=lambda s: (schema.SOURCE_KINDS.rank(s.kind), s.date or "9999")))


def _span(start: str | None, end: str | None) -> str:
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"from {start}"
    if end:
        return f"until {end}"
    return "dates not recorded"


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    for i, ch in enumerate(text):
        if ch == "." and (i + 1 == len(text) or text[i + 1] == " ") and i > 20:
            return text[: i + 1]
    return text


class FactReader:
    """Reads a brief's facts through the repositories of one open database."""

    def __init__(self, repos: Repositories) -> None:
        self.repos = repos

    def _draft(
        self,
        repo: Repository[Any],
        entity: str,
        record: _Record,
        text: str,
        date: str = "",
        kind: str = "",
        priority: int = 0,
    ) -> Draft:
        return Draft(
            (entity, record.id),
            text,
            record.verification,
            _sources(repo.citations(record.id)),
            date,
            kind,
            record.dataset_id is None,
            priority,
        )

    # -- the subject ------------------------------------------------------------------------
    def vendor(self, vendor_id: str) -> Subject:
        v = self.repos.vendors.get(vendor_id)
        if v is None:
            raise UnknownName(f"no vendor with the id '{vendor_id}' in this database")
        where = ", ".join(p for p in (v.hq_city, v.hq_country) if p)
        identity = [f"Also known as {v.aliases}" if v.aliases else "", f"Based in {where}" if where else ""]
        if v.founded:
            identity.append(f"Founded {v.founded}")
        what = (
            _first_sentence(v.summary)
            or f"A vendor of face recognition ({v.products or 'products not recorded'})."
        )
        return Subject(
            "vendors",
            v.id,
            v.name,
            "Vendor of face recognition",
            tuple(i for i in identity if i),
            self._draft(self.repos.vendors, "vendors", v, what),
            (v.dataset_id,),
        )

    def customer(self, customer_id: str) -> Subject:
        c = self.repos.customers.get(customer_id)
        if c is None:
            raise UnknownName(f"no customer with the id '{customer_id}' in this database")
        where = ", ".join(p for p in (c.region, c.country) if p)
        identity = [f"Also known as {c.aliases}" if c.aliases else "", f"Location: {where}" if where else ""]
        parent = self.repos.customers.parent(c.id)
        if parent:
            identity.append(f"Part of {parent[0].label}")
        kind = c.type or "organisation"
        article = "An" if kind[:1].lower() in "aeiou" else "A"
        what = _first_sentence(c.summary) or f"{article} {kind} agency" + (f" in {where}." if where else ".")
        if kind in ("private company", "other", "education") and not c.summary:
            what = f"{article} {kind}" + (f" in {where}." if where else ".")
        return Subject(
            "customers",
            c.id,
            c.name,
            f"Customer ({kind})",
            tuple(i for i in identity if i),
            self._draft(self.repos.customers, "customers", c, what),
            (c.dataset_id,),
        )

    # -- a vendor's facts -------------------------------------------------------------------
    def _events(self, links: Iterable[Link]) -> list[Draft]:
        out: list[Draft] = []
        for link in links:
            e = self.repos.events.get(link.record_id)
            if e is None:
                continue
            out.append(self._draft(self.repos.events, "events", e, f"{e.date}: {e.title}", e.date, e.kind))
        return out

    def vendor_events(self, vendor_id: str) -> list[Draft]:
        return self._events(self.repos.vendors.events(vendor_id))

    def vendor_counts(self, vendor_id: str) -> list[tuple[str, list[Draft]]]:
        """The vendor's reported counts grouped by what was counted (the vocabulary's order)."""
        repo = self.repos.customer_counts
        counts = repo.page(Query(filters=(("vendor_id", (vendor_id,)),), order=("as_of", True)), 0, 1000)
        groups: dict[str, list[Draft]] = {}
        for c in counts:
            # Counts of the vendor's customers overall, for its face recognition, are kept first.
            overall = c.scope == "overall" and c.product == schema.FACE_RECOGNITION
            groups.setdefault(c.counted, []).append(
                self._draft(
                    repo, "customer_counts", c, count_text(c), c.as_of or "", priority=0 if overall else 1
                )
            )
        return sorted(groups.items(), key=lambda kv: schema.COUNTED.rank(kv[0]))

    def vendor_deployments(self, vendor_id: str) -> list[tuple[str, int, list[Draft]]]:
        """Per deployment status (in the vocabulary's order): how many, and up to READ_PER_STATUS
        of them in customer-name order."""
        repo = self.repos.deployments
        mine = Query(filters=(("vendor_id", (vendor_id,)),))
        totals = dict(repo.facet_counts("status", mine))
        out: list[tuple[str, int, list[Draft]]] = []
        for status in sorted(totals, key=schema.DEPLOYMENT_STATUSES.rank):
            query = mine.with_filter("status", (status,))._replace(order=("customer_name", True))
            drafts = []
            for d in repo.page(query, 0, READ_PER_STATUS):
                text = f"{d.customer_name} ({_span(d.start, d.end)})"
                drafts.append(
                    self._draft(repo, "deployments", d, text, max(d.start or "", d.end or ""), d.status)
                )
            out.append((status, totals[status], drafts))
        return out

    def vendor_studies(self, vendor_id: str) -> list[Draft]:
        out: list[Draft] = []
        for link in self.repos.vendors.studies(vendor_id):
            s = self.repos.studies.get(link.record_id)
            if s is None:
                continue
            figures = [f for f in self.repos.studies.figures(s.id) if f.vendor_id == vendor_id]
            head = headline_figure(figures)
            who = s.org or s.authors
            text = f"{s.title} ({who}, {s.date})" if who else f"{s.title} ({s.date})"
            if head:
                text += f": {head}"
            out.append(self._draft(self.repos.studies, "studies", s, text, s.date))
        return out

    def vendor_chart(self, vendor_id: str) -> tuple[str, list[VendorCount]] | None:
        """The first measure (in the vocabulary's order) in which the vendor has a count the count
        chart shows, and every vendor's chosen count in it; None when it has none."""
        for measure in charts.CHART_MEASURES:
            counts = charts.reported_counts(self.repos.db, counted=measure)
            if any(c.vendor_id == vendor_id for c in counts):
                return measure, [self._vendor_count(c) for c in counts]
        return None

    def _vendor_count(self, c: charts.ReportedCount) -> VendorCount:
        record = self.repos.customer_counts.get(c.count_id)
        assert record is not None  # the chart read it from the same table
        draft = self._draft(
            self.repos.customer_counts,
            "customer_counts",
            record,
            f"{c.vendor_name}: {count_text(record)}",
            c.as_of,
        )
        value = c.value if c.has_number else None
        return VendorCount(c.vendor_id, c.vendor_name, value, c.value_text, c.qualifier, c.as_of, draft)

    # -- a customer's facts -----------------------------------------------------------------
    def customer_deployments(self, customer_id: str) -> list[Draft]:
        repo = self.repos.deployments
        query = Query(filters=(("customer_id", (customer_id,)),), order=("vendor_name", True))
        out: list[Draft] = []
        for d in repo.page(query, 0, 1000):
            product = f", {d.product}" if d.product else ""
            text = f"{d.vendor_name}{product}: {d.status}, {_span(d.start, d.end)}"
            out.append(self._draft(repo, "deployments", d, text, max(d.start or "", d.end or ""), d.status))
        out.sort(key=lambda d: schema.DEPLOYMENT_STATUSES.rank(d.kind))
        return out

    def customer_events(self, customer_id: str) -> list[Draft]:
        return self._events(self.repos.customers.events(customer_id))

    def place_rules(self, customer_id: str) -> tuple[str, list[Draft]]:
        """Bans and moratoria of the customer's state or city that name no agency (a
        sub-national agency only): the place matched, and the rules."""
        c = self.repos.customers.get(customer_id)
        if c is None or c.type not in LOCAL_TYPES or not c.region:
            return "", []
        places = [c.region]
        city = _place_in_name(c.name)
        if city:
            places.append(f"{city}, {c.region}")
        query = Query(
            filters=(("jurisdiction", tuple(places)), ("kind", PLACE_RULE_KINDS)), order=("date", True)
        )
        linked = {link.record_id for link in self.repos.customers.events(customer_id)}
        rules = [
            e
            for e in self.repos.events.page(query, 0, 100)
            if e.id not in linked and not self.repos.events.customers(e.id)
        ]
        drafts = [
            self._draft(self.repos.events, "events", e, f"{e.date}: {e.title}", e.date, e.kind) for e in rules
        ]
        return " or ".join(places), drafts

    # -- the foot ---------------------------------------------------------------------------
    def data_version(self) -> str:
        return self.repos.db.meta().get("data_version", "unknown")

    def licences(self, dataset_ids: Iterable[str | None]) -> tuple[LicenceNote, ...]:
        out: list[LicenceNote] = []
        for d in dataset_ids:
            ds = self.repos.datasets.dataset(d)
            if ds is not None:
                out.append(LicenceNote(ds.name, ds.licence, ds.attribution, ds.licence_url))
        return tuple(out)


def count_text(c: r.CustomerCount) -> str:
    """'about 600 law-enforcement customers (mostly US), as of 2020-01; a company claim'."""
    text = f"{c.value_text} {c.subject}"
    if c.qualifier == schema.UNDISCLOSED:
        text = f"{c.subject}: number not disclosed"
    if c.region and c.region.casefold() not in c.subject.casefold():
        text += f" ({c.region})"
    text += f", as of {c.as_of}" if c.as_of else ", no date given"
    if c.product and c.product != schema.FACE_RECOGNITION and "face recognition" not in c.subject:
        text += f"; counts {schema.PRODUCTS.label(c.product)}"
    if c.kind:
        text += f"; {c.kind}"
    return text


def headline_figure(figures: Sequence[r.StudyFigure]) -> str:
    """A study's headline for one vendor: the metric it reports for most subgroups (error and
    false-match measures first), as the range from its highest to its lowest value."""
    if not figures:
        return ""
    by_metric: dict[str, list[r.StudyFigure]] = {}
    for f in figures:
        by_metric.setdefault(f.metric, []).append(f)

    def weight(metric: str) -> tuple[int, int, str]:
        low = metric.lower()
        telling = 0 if ("error" in low or "false" in low or "fnmr" in low or "fmr" in low) else 1
        return (telling, -len(by_metric[metric]), metric)

    metric = min(by_metric, key=weight)
    group = [f for f in by_metric[metric] if f.value is not None] or by_metric[metric]
    hi = max(group, key=lambda f: f.value or 0.0)
    lo = min(group, key=lambda f: f.value or 0.0)
    if hi.value is None or lo.value is None or hi.value == lo.value:
        where = f" ({hi.subgroup})" if hi.subgroup else ""
        return " ".join(p for p in (metric, hi.value_text, hi.unit) if p) + where
    if hi.unit == lo.unit:
        unit = f", in {hi.unit}" if hi.unit else ""
        return f"{metric} from {hi.value_text} ({hi.subgroup}) to {lo.value_text} ({lo.subgroup}){unit}"
    high = " ".join(p for p in (hi.value_text, hi.unit) if p)
    low = " ".join(p for p in (lo.value_text, lo.unit) if p)
    return f"{metric} from {high} ({hi.subgroup}) to {low} ({lo.subgroup})"


def _place_in_name(name: str) -> str:
    """The place an agency's name starts with ("Boston Police Department" -> "Boston")."""
    words: list[str] = []
    for w in name.split():
        if w.lower() in _AGENCY_WORDS:
            break
        words.append(w)
    return " ".join(words) if words and len(words) < len(name.split()) else ""
