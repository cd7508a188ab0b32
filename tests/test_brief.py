"""The meeting brief's content (Qt-free): which facts, grouped and numbered, summarised to fit."""

from __future__ import annotations

import re

import pytest

from faceledger.data.brief import LIMIT_STEPS, STATUS_WORDS, Brief, Fact, build_brief
from faceledger.data.brief_facts import FactReader, headline_figure
from faceledger.data.errors import UnknownName
from faceledger.data.repositories import Query, Repositories


@pytest.fixture()
def reader(repos: Repositories) -> FactReader:
    return FactReader(repos)


def _fact(brief: Brief, entity: str, record_id: str) -> Fact:
    found = [f for f in brief.facts if f.key == (entity, record_id)]
    assert found, f"{entity}/{record_id} is not on the brief"
    return found[0]


def test_facts_are_numbered_in_reading_order_once_per_record(reader: FactReader) -> None:
    brief = build_brief(reader, "vendors", "clearview-ai", LIMIT_STEPS[0])
    assert [f.number for f in brief.facts] == list(range(1, len(brief.facts) + 1))
    assert brief.what.number == 1
    keys = [f.key for f in brief.facts]
    assert len(keys) == len(set(keys))  # a record shown twice (a count in the chart) keeps its number
    in_text = [f.number for s in brief.sections for g in s.groups for f in g.facts]
    assert in_text == sorted(in_text)


def test_vendor_brief_has_every_part_the_issue_asks_for(reader: FactReader, repos: Repositories) -> None:
    brief = build_brief(reader, "vendors", "clearview-ai", LIMIT_STEPS[0])
    assert brief.name == "Clearview AI"
    assert any("Clearview AI, Inc." in line for line in brief.identity)
    assert any("New York" in line and "US" in line for line in brief.identity)
    titles = [s.title for s in brief.sections]
    assert titles == [
        "Law-enforcement stance",
        "Reported customer counts",
        "Documented deployments, by status",
        "Studies that evaluated it",
        "Fines, lawsuits, bans and incidents",
    ]
    exit_canada = _fact(brief, "events", "clearview-exits-canada-2020")
    assert "withdraws from Canada" in exit_canada.text and "2020-07-06" in exit_canada.text
    counts = brief.sections[1]
    assert counts.groups[0].title == "Counts of law-enforcement agencies"
    # Deployments grouped by status, with the vendor's total per status.
    deployments = brief.sections[2]
    totals = dict(
        repos.deployments.facet_counts("status", Query(filters=(("vendor_id", ("clearview-ai",)),)))
    )
    shown = {g.title.split(" (")[0].lower(): int(re.sub(r"\D", "", g.title)) for g in deployments.groups}
    assert shown == totals
    study = _fact(brief, "studies", "gao-21-518")
    assert "GAO" in study.text and "10 agencies" in study.text  # its headline figure
    assert _fact(brief, "events", "netherlands-ap-fine-2024").verification == "verified"
    assert brief.chart is not None
    assert brief.chart.counted == "law-enforcement agencies"
    assert [b.vendor for b in brief.chart.bars if b.highlighted] == ["Clearview AI"]
    assert brief.data_version == repos.db.meta()["data_version"]
    assert brief.newest == max(f.date for f in brief.facts if f.date)
    assert {lic.licence for lic in brief.licences} >= {"CC BY-SA 4.0"}


def test_a_long_record_is_summarised_with_how_many_were_left_out(reader: FactReader) -> None:
    tight = build_brief(reader, "vendors", "clearview-ai", LIMIT_STEPS[-1])
    ended = next(g for g in tight.sections[2].groups if g.title.startswith("Ended"))
    total = int(re.sub(r"\D", "", ended.title))
    assert len(ended.facts) == LIMIT_STEPS[-1].per_status
    assert ended.more == f"and {total - len(ended.facts)} more agencies — see FaceLedger"
    assert tight.summarised
    full = build_brief(reader, "vendors", "clearview-ai", LIMIT_STEPS[0])
    assert len(tight.facts) < len(full.facts)
    # Each step leaves out at least as much as the one before (the layout halves the steps).
    sizes = [len(build_brief(reader, "vendors", "clearview-ai", limits).facts) for limits in LIMIT_STEPS]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > sizes[-1]


def test_summaries_keep_the_most_telling_facts_first(reader: FactReader) -> None:
    tight = build_brief(reader, "vendors", "clearview-ai", LIMIT_STEPS[-1])
    fines = next(g for s in tight.sections for g in s.groups if g.title.startswith("Fines"))
    assert len(fines.facts) == 1
    assert "fines" in fines.facts[0].text  # a fine before a ruling, the newest fine
    assert "30.5 million" in fines.facts[0].text


def test_unverified_facts_say_so_in_words(reader: FactReader) -> None:
    brief = build_brief(reader, "vendors", "clearview-ai", LIMIT_STEPS[0])
    statuses = {f.verification: f.status_words for f in brief.facts}
    assert statuses["unverified"] == STATUS_WORDS["unverified"] == "Unverified claim"
    assert statuses["partial"] == "Partly verified"
    assert all(f.sources or f.same_sources_as for f in brief.facts)


def test_customer_brief_detroit(reader: FactReader) -> None:
    brief = build_brief(reader, "customers", "detroit-police-department")
    assert brief.name == "Detroit Police Department"
    assert "local police" in brief.kind
    assert any("DPD" in line for line in brief.identity)
    vendors = brief.sections[0]
    assert vendors.title == "Vendors it used"
    dataworks = _fact(brief, "deployments", "dataworks-plus--detroit-police-department")
    assert (
        dataworks.text.startswith("DataWorks Plus")
        and "active" in dataworks.text
        and "2017" in dataworks.text
    )
    events = {g.title: g for g in brief.sections[1].groups}
    arrests = events["Wrongful arrests and incidents"]
    assert any("Robert Williams" in f.text for f in arrests.facts)
    assert any("Directive 307.5" in f.text for f in events["Policies, bans and laws"].facts)
    assert not brief.summarised
    assert brief.chart is None


def test_bans_matched_by_place_name_no_privacy_law(reader: FactReader) -> None:
    lapd = build_brief(reader, "customers", "los-angeles-police-department")
    bans = [s for s in lapd.sections if s.title == "Bans where it works"]
    assert bans and "AB 1215" in bans[0].groups[0].facts[0].text
    assert "matched by place" in bans[0].groups[0].title
    chicago = build_brief(reader, "customers", "chicago-police-department")
    assert not any("BIPA" in f.text for f in chicago.facts)  # a privacy law, not a police ban


def test_headline_figure_is_the_range_of_the_most_reported_error_measure(repos: Repositories) -> None:
    figures = [f for f in repos.studies.figures("actionable-auditing-2019") if f.vendor_id == "amazon"]
    head = headline_figure(figures)
    assert head.startswith(
        "gender classification error from 31.37 (darker-skinned females (DF)) to 0 (lighter-skinned males (LM))"
    )


def test_only_vendors_and_customers_have_briefs(reader: FactReader) -> None:
    with pytest.raises(UnknownName):
        build_brief(reader, "studies", "gao-21-518")
    with pytest.raises(UnknownName):
        build_brief(reader, "vendors", "no-such-vendor")
