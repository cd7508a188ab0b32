"""What a meeting brief of a vendor or a customer says (Qt-free): which facts, in which groups,
numbered in reading order, and how a long record is summarised to fit.

A brief is one page, two at most. Every fact on it is numbered; its number leads to a note with
its verification status in words and its sources (publisher, title, date, address). A record too
long for the page is summarised ("and 24 more agencies — see FaceLedger"), never set in smaller
type: `LIMIT_STEPS` lists ever shorter selections, and the renderer uses the first that fits.
The facts are read by `faceledger.data.brief_facts`; this module chooses and numbers them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from faceledger.data import schema
from faceledger.data.brief_facts import (
    Draft,
    FactReader,
    LicenceNote,
    SourceNote,
    Subject,
    VendorCount,
    rank_key,
)
from faceledger.data.errors import UnknownName

BRIEF_ENTITIES = ("vendors", "customers")
SEE_APP = "see FaceLedger"
# A note lists a fact's first sources (oldest first) and counts the others.
SOURCES_PER_NOTE = 1


@dataclass(frozen=True)
class Limits:
    """How many facts of each kind a brief names before it summarises the rest."""

    per_status: int  # a vendor's deployments named per status
    per_count_group: int  # reported counts per kind of thing counted
    per_event_group: int  # events per group (fines and lawsuits, incidents, ...)
    studies: int
    chart_bars: int
    deployments: int  # a customer's deployments (vendors it used)


FULLEST = Limits(per_status=6, per_count_group=4, per_event_group=6, studies=4, chart_bars=8, deployments=16)
# The least each limit goes down to (the chart keeps a few bars to compare with).
SHORTEST = Limits(per_status=1, per_count_group=1, per_event_group=1, studies=1, chart_bars=3, deployments=3)
# The order in which limits are lowered, one step each, round after round.
LOWER_FIRST = ("per_event_group", "per_status", "deployments", "chart_bars", "per_count_group", "studies")


def _ladder() -> tuple[Limits, ...]:
    """From FULLEST to SHORTEST, one limit lowered by one at each step (so each step leaves out
    only a few facts more than the one before it)."""
    steps = [FULLEST]
    while steps[-1] != SHORTEST:
        for name in LOWER_FIRST:
            now = getattr(steps[-1], name)
            if now > getattr(SHORTEST, name):
                steps.append(replace(steps[-1], **{name: now - 1}))
    return tuple(steps)


# From the fullest brief to the shortest; the renderer takes the first that fits on two pages.
LIMIT_STEPS: tuple[Limits, ...] = _ladder()

# Which events go in which group, in the brief's order. Every event kind falls in one group.
VENDOR_EVENT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Stance on selling to police", ("moratorium", "exit", "product change", "policy")),
    ("Fines, orders, lawsuits and rulings", ("fine", "settlement", "order", "lawsuit", "ruling")),
    ("Bans and laws", ("ban", "law")),
    ("Incidents", ("incident", "wrongful arrest", "misuse", "data breach")),
)
CUSTOMER_EVENT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Wrongful arrests and incidents", ("wrongful arrest", "incident", "misuse", "data breach")),
    ("Policies, bans and laws", ("policy", "ban", "law", "moratorium", "order")),
    ("Lawsuits, settlements, fines and rulings", ("lawsuit", "settlement", "fine", "ruling")),
)
OTHER_EVENTS = "Other events"


@dataclass(frozen=True)
class Fact:
    """One numbered fact: its text, how well it is verified, and its sources."""

    number: int
    text: str
    verification: str
    sources: tuple[SourceNote, ...]
    date: str = ""
    same_sources_as: int | None = None  # an earlier note listing the same source
    more_sources: int = 0  # sources not listed in the note (see FaceLedger)
    key: tuple[str, str] = ("", "")  # the record it states: (table, id)

    @property
    def status_words(self) -> str:
        """The verification status in words, as a reader sees it."""
        return STATUS_WORDS.get(self.verification, self.verification or "status not recorded")

    @property
    def unverified(self) -> bool:
        return self.verification != "verified"


STATUS_WORDS = {
    "verified": "Verified",
    "partial": "Partly verified",
    "unverified": "Unverified claim",
}
# What the status words mean, said once at the foot of the brief.
STATUS_MEANING = (
    "Verified: a primary source (an official record, the publisher's own article, the paper, a court "
    "or regulator) states it. Partly verified: not all of it was confirmed in a primary source. "
    "Unverified claim: not confirmed from a source actually read."
)
# Said after the fact itself, so an unverified fact says so in words and not only in its note.
INLINE_STATUS = {"partial": "partly verified", "unverified": "unverified"}


@dataclass(frozen=True)
class Group:
    """Facts under one heading, and the summary of those left out."""

    title: str
    facts: tuple[Fact, ...]
    more: str = ""
    inline: bool = False  # short facts (agency names) run on in one paragraph


@dataclass(frozen=True)
class Section:
    title: str
    groups: tuple[Group, ...]
    empty: str = ""  # said when the section has no fact


@dataclass(frozen=True)
class ChartBar:
    """One vendor's reported count in the chart's measure."""

    vendor: str
    value: int | None  # None: a size in words or not disclosed (no bar is drawn)
    value_text: str
    as_of: str
    lower_bound: bool
    upper_bound: bool
    highlighted: bool  # the brief's own vendor
    fact: Fact


@dataclass(frozen=True)
class CountChartData:
    """The customer-count chart of the vendor's measure: one bar per vendor, as reported."""

    title: str
    counted: str  # what was counted, in words
    note: str
    bars: tuple[ChartBar, ...]
    more: str = ""


@dataclass(frozen=True)
class Brief:
    entity: str
    record_id: str
    name: str
    kind: str  # "Vendor" or "Customer (local police)"
    identity: tuple[str, ...]  # aliases, country: one line each
    what: Fact  # the one line saying what it is
    sections: tuple[Section, ...]
    chart: CountChartData | None
    chart_after: str  # the title of the section the chart follows
    facts: tuple[Fact, ...]  # every numbered fact, in number order (the notes)
    data_version: str
    newest: str  # the date of the newest fact on the page
    licences: tuple[LicenceNote, ...]
    summarised: bool = False  # some facts were left out and counted instead

    def fact(self, number: int) -> Fact:
        return self.facts[number - 1]


@dataclass
class _Numberer:
    """Gives each record a number the first time it appears; the same record keeps it."""

    facts: list[Fact] = field(default_factory=list)
    by_key: dict[tuple[str, str], Fact] = field(default_factory=dict)
    by_sources: dict[tuple[str, ...], int] = field(default_factory=dict)

    def number(self, draft: Draft) -> Fact:
        if draft.key in self.by_key:
            return self.by_key[draft.key]
        n = len(self.facts) + 1
        listed = draft.sources[:SOURCES_PER_NOTE]
        urls = tuple(s.url for s in listed)  # the sources the note lists
        same = self.by_sources.get(urls) if urls else None
        if urls and same is None:
            self.by_sources[urls] = n
        more = len(draft.sources) - len(listed)
        fact = Fact(n, draft.text, draft.verification, listed, draft.date, same, more, draft.key)
        self.facts.append(fact)
        self.by_key[draft.key] = fact
        return fact

    def group(self, title: str, drafts: Sequence[Draft], more: str = "", inline: bool = False) -> Group:
        return Group(title, tuple(self.number(d) for d in drafts), more, inline)


def build_brief(reader: FactReader, entity: str, record_id: str, limits: Limits = LIMIT_STEPS[0]) -> Brief:
    """The brief of one vendor or customer with at most `limits` facts of each kind."""
    if entity not in BRIEF_ENTITIES:
        raise UnknownName(f"a brief is made for a vendor or a customer, not for {entity!r}")
    if entity == "vendors":
        return _vendor_brief(reader, record_id, limits)
    return _customer_brief(reader, record_id, limits)


def _pick(drafts: Sequence[Draft], limit: int) -> tuple[list[Draft], int]:
    """The `limit` best-supported drafts (verified and curated first, then newest), shown in
    their original order, and how many were left out."""
    if len(drafts) <= limit:
        return list(drafts), 0
    keep = set(sorted(range(len(drafts)), key=lambda i: rank_key(drafts[i]))[:limit])
    return [d for i, d in enumerate(drafts) if i in keep], len(drafts) - limit


def _more(n: int, noun: str, plural: str | None = None) -> str:
    if n <= 0:
        return ""
    word = noun if n == 1 else (plural or noun + "s")
    return f"and {n:,} more {word} — {SEE_APP}"


def _vendor_brief(reader: FactReader, vendor_id: str, limits: Limits) -> Brief:
    vendor = reader.vendor(vendor_id)
    num = _Numberer()
    what = num.number(vendor.what)
    sections: list[Section] = []
    summarised = False

    # Stance first: what the vendor itself did about police sales.
    events = reader.vendor_events(vendor_id)
    grouped = _group_events(events, VENDOR_EVENT_GROUPS)
    stance_title = VENDOR_EVENT_GROUPS[0][0]
    stance, left = _pick(grouped.pop(stance_title, []), limits.per_event_group * 2)
    summarised |= left > 0
    sections.append(
        Section(
            "Law-enforcement stance",
            (num.group("", stance, _more(left, "event")),) if stance else (),
            "No moratorium, exit, pause or resumption is recorded.",
        )
    )

    # Reported customer counts, grouped by what was counted.
    count_groups: list[Group] = []
    for counted, drafts in reader.vendor_counts(vendor_id):
        kept, left = _pick(drafts, limits.per_count_group)
        summarised |= left > 0
        title = (
            "Counts where it is not clear what was counted"
            if counted == "unclear"
            else f"Counts of {schema.COUNTED.label(counted)}"
        )
        count_groups.append(num.group(title, kept, _more(left, "count")))
    sections.append(Section("Reported customer counts", tuple(count_groups), "No count is recorded."))

    chart = _chart(reader, vendor_id, limits, num)

    # Documented deployments by status, the agencies named.
    dep_groups: list[Group] = []
    for status, total, drafts in reader.vendor_deployments(vendor_id):
        kept, _ = _pick(drafts, limits.per_status)
        left = total - len(kept)
        summarised |= left > 0
        title = f"{status.capitalize()} ({total:,})"
        dep_groups.append(num.group(title, kept, _more(left, "agency", "agencies"), inline=True))
    sections.append(Section("Documented deployments, by status", tuple(dep_groups), "None recorded."))

    studies = reader.vendor_studies(vendor_id)
    kept, left = _pick(studies, limits.studies)
    summarised |= left > 0
    sections.append(
        Section(
            "Studies that evaluated it",
            (num.group("", kept, _more(left, "study", "studies")),) if kept else (),
            "No study in FaceLedger evaluated it.",
        )
    )

    event_groups: list[Group] = []
    for title, _kinds in (*VENDOR_EVENT_GROUPS[1:], (OTHER_EVENTS, ())):
        drafts = grouped.get(title, [])
        if not drafts:
            continue
        kept, left = _pick(drafts, limits.per_event_group)
        summarised |= left > 0
        event_groups.append(num.group(title, kept, _more(left, "event")))
    sections.append(Section("Fines, lawsuits, bans and incidents", tuple(event_groups), "None recorded."))

    return _finish(reader, vendor, num, what, sections, chart, "Reported customer counts", summarised)


def _customer_brief(reader: FactReader, customer_id: str, limits: Limits) -> Brief:
    customer = reader.customer(customer_id)
    num = _Numberer()
    what = num.number(customer.what)
    sections: list[Section] = []
    summarised = False

    deployments = reader.customer_deployments(customer_id)
    kept, left = _pick(deployments, limits.deployments)
    summarised |= left > 0
    sections.append(
        Section(
            "Vendors it used",
            (num.group("", kept, _more(left, "deployment")),) if kept else (),
            "No deployment of face recognition is recorded.",
        )
    )

    grouped = _group_events(reader.customer_events(customer_id), CUSTOMER_EVENT_GROUPS)
    event_groups: list[Group] = []
    for title, _kinds in (*CUSTOMER_EVENT_GROUPS, (OTHER_EVENTS, ())):
        drafts = grouped.get(title, [])
        if not drafts:
            continue
        kept, left = _pick(drafts, limits.per_event_group * 2)
        summarised |= left > 0
        event_groups.append(num.group(title, kept, _more(left, "event")))
    sections.append(Section("Events and incidents", tuple(event_groups), "None recorded."))

    place, rules = reader.place_rules(customer_id)
    if rules:
        kept, left = _pick(rules, limits.per_event_group)
        summarised |= left > 0
        title = f"Bans and moratoria of {place} (matched by place: they name no agency)"
        sections.append(Section("Bans where it works", (num.group(title, kept, _more(left, "rule")),)))

    return _finish(reader, customer, num, what, sections, None, "", summarised)


def _group_events(
    events: Iterable[Draft], groups: tuple[tuple[str, tuple[str, ...]], ...]
) -> dict[str, list[Draft]]:
    """Events sorted into the groups (by their kind), the rest under OTHER_EVENTS. A group lists
    its kinds most telling first: a summary keeps those first (fines before rulings)."""
    out: dict[str, list[Draft]] = {}
    for d in events:
        title, kinds = next(((t, k) for t, k in groups if d.kind in k), (OTHER_EVENTS, ()))
        priority = kinds.index(d.kind) if d.kind in kinds else 0
        out.setdefault(title, []).append(replace(d, priority=priority))
    return out


def _chart(reader: FactReader, vendor_id: str, limits: Limits, num: _Numberer) -> CountChartData | None:
    """The count chart of the vendor's measure: the vendors with the largest numbers and the
    vendor itself (its bar marked), each count as reported and numbered like any fact."""
    found = reader.vendor_chart(vendor_id)
    if found is None:
        return None
    measure, counts = found
    mine = [c for c in counts if c.vendor_id == vendor_id]
    others = sorted((c for c in counts if c.vendor_id != vendor_id), key=_bar_order)
    room = max(0, limits.chart_bars - len(mine))
    shown: list[VendorCount] = sorted([*others[:room], *mine], key=_bar_order)
    left = len(counts) - len(shown)
    bars = tuple(
        ChartBar(
            vendor=c.vendor_name,
            value=c.value,
            value_text=c.value_text,
            as_of=c.as_of,
            lower_bound=c.qualifier in schema.LOWER_BOUND_QUALIFIERS,
            upper_bound=c.qualifier in schema.UPPER_BOUND_QUALIFIERS,
            highlighted=c.vendor_id == vendor_id,
            fact=num.number(c.draft),
        )
        for c in shown
    )
    counted = schema.COUNTED.label(measure)
    note = (
        f"Each bar is one vendor's most recent reported count of {counted} using its face "
        "recognition, as reported by the source (a company's claim is not a census). Bars start at "
        "zero on one scale; a count given in words has no bar."
    )
    if any(b.lower_bound for b in bars):
        note += " An arrowhead marks a lower bound (“at least”, “more than”)."
    return CountChartData(
        title=f"Reported {counted} per vendor",
        counted=counted,
        note=note,
        bars=bars,
        more=_more(left, "vendor") if left else "",
    )


def _bar_order(c: VendorCount) -> tuple[int, int, int, str]:
    """Numbers first, largest first; then sizes in words, largest first; not disclosed last."""
    words = schema.SIZE_WORDS
    size = -words.index(c.qualifier) if c.qualifier in words else 1
    return (0 if c.value is not None else 1, -(c.value or 0), size, c.vendor_name.casefold())


def _finish(
    reader: FactReader,
    record: Subject,
    num: _Numberer,
    what: Fact,
    sections: list[Section],
    chart: CountChartData | None,
    chart_after: str,
    summarised: bool,
) -> Brief:
    facts = tuple(num.facts)
    dates = [f.date for f in facts if f.date]
    dataset_ids: list[str] = []
    for f in facts:
        dataset_ids += [s.dataset_id for s in f.sources if s.dataset_id]
    dataset_ids += [d for d in record.dataset_ids if d]
    return Brief(
        entity=record.entity,
        record_id=record.record_id,
        name=record.name,
        kind=record.kind,
        identity=record.identity,
        what=what,
        sections=tuple(sections),
        chart=chart,
        chart_after=chart_after,
        facts=facts,
        data_version=reader.data_version(),
        newest=max(dates) if dates else "",
        licences=reader.licences(dict.fromkeys(dataset_ids)),
        summarised=summarised,
    )
