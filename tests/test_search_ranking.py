"""Search finds what people mean, best first: exact names and aliases, whole words, word starts,
then words inside others; acronyms as whole words; "facial" and "face" alike; why a row matched;
"Did you mean …?" when nothing did."""

from __future__ import annotations

from faceledger.data.matching import match_reason, suggest
from faceledger.data.repositories import Query, Repositories
from faceledger.data.search import parse_terms


def names(repos: Repositories, entity: str, text: str, n: int = 1000) -> list[str]:
    repo = repos.for_entity(entity)
    return [getattr(r, repo.spec.label) for r in repo.page(Query(search=text), 0, n)]


def test_ice_in_capitals_is_the_agency_not_police_or_justice(repos: Repositories) -> None:
    rows = repos.deployments.page(Query(search="ICE"), 0, 200)
    assert rows, "ICE's deployments are found"
    ice = [r for r in rows if r.customer_id == "us-immigration-and-customs-enforcement"]
    # Every deployment of the agency, and they come first.
    n_ice = repos.deployments.count(
        Query(filters=(("customer_id", ("us-immigration-and-customs-enforcement",)),))
    )
    assert len(ice) == n_ice >= 3
    assert rows[: len(ice)] == ice
    # No row is there only because "ice" is inside "police", "service" or "justice".
    assert len(rows) < 20
    assert repos.deployments.count(Query(search="ICE")) == len(rows)
    for r in rows[len(ice) :]:
        text = f"{r.vendor_name} {r.customer_name} {r.product} {r.summary}"
        assert " ICE" in text or "(ICE" in text or "ICE " in text, r.id


def test_ice_in_lower_case_still_finds_words_inside_but_the_agency_first(repos: Repositories) -> None:
    rows = repos.deployments.page(Query(search="ice"), 0, 500)
    assert len(rows) > 50  # "police", "service", "justice": still there, for who typed that
    first = [r.customer_id for r in rows[:3]]
    assert first == ["us-immigration-and-customs-enforcement"] * 3


def test_exact_alias_comes_first(repos: Repositories) -> None:
    assert names(repos, "customers", "NYPD")[0] == "New York City Police Department"
    assert names(repos, "customers", "nypd")[0] == "New York City Police Department"
    assert names(repos, "vendors", "IDEMIA")[0] == "Idemia"
    assert names(repos, "vendors", "idemia")[0] == "Idemia"
    # Deployments of the NYPD (alias of their customer) before rows that only mention it.
    rows = repos.deployments.page(Query(search="NYPD"), 0, 100)
    nypd = [r.customer_id == "new-york-city-police-department" for r in rows]
    assert nypd[0] and nypd == sorted(nypd, reverse=True), nypd
    # Ctrl+K: the agency itself first.
    hits = repos.search.search("NYPD")
    assert (hits[0].entity, hits[0].label, hits[0].level) == (
        "customers",
        "New York City Police Department",
        0,
    )


def test_facial_recognition_ban_finds_bans_said_with_face_recognition_first(repos: Repositories) -> None:
    titles = names(repos, "events", "facial recognition ban", 100)
    top = titles[:8]
    assert all(" ban" in t.lower() for t in top), top
    assert any("face recognition" in t.lower() for t in top), top
    assert "San Francisco bans city use of face recognition" in titles
    assert "Agricultural Bank of China facial recognition age bias" not in top
    hits = repos.search.search("facial recognition ban")
    assert hits[0].entity == "events" and " ban" in hits[0].label.lower(), hits[0]
    assert "Agricultural Bank of China" not in [h.label for h in hits[:8]]


def test_face_and_facial_find_each_other(repos: Repositories) -> None:
    facial = set(names(repos, "events", "facial recognition"))
    face = set(names(repos, "events", "face recognition"))
    assert facial == face
    assert any("face recognition" in t.lower() and "facial" not in t.lower() for t in facial)


def test_ranked_pages_are_the_same_rows_as_the_count(repos: Repositories) -> None:
    for text in ("ICE", "ice", "facial recognition ban", "NYPD", "clear"):
        for entity in ("vendors", "customers", "deployments", "events", "sources"):
            repo = repos.for_entity(entity)
            q = Query(search=text)
            ids = [r.id for r in repo.page(q, 0, 10_000)]
            assert len(ids) == len(set(ids)) == repo.count(q), (text, entity)
            for i in (0, len(ids) - 1) if ids else ():
                assert repo.position(q, ids[i]) == i


def test_choosing_a_column_sorts_on_it_instead_of_ranking(repos: Repositories) -> None:
    q = Query(search="facial recognition ban", order=("date", True))
    dates = [r.date for r in repos.events.page(q, 0, 100)]
    assert dates == sorted(dates)


def test_why_a_row_matched_names_the_column_and_highlights_the_words(repos: Repositories) -> None:
    hits = repos.search.search("ICE")
    agency = next(h for h in hits if h.entity == "customers")
    assert agency.field == "Also known as"
    assert [agency.context[s:e] for s, e in agency.context_spans] == ["ICE"]
    deployment = next(h for h in hits if h.entity == "deployments")
    assert deployment.field == "Customer alias"
    terms = parse_terms("face recognition ban")
    reason = match_reason(repos.db, "events", "sf-ban-2019", terms, "title")
    assert reason is not None and reason.field in ("Summary", "Event")
    marked = [reason.text[s:e].lower() for s, e in reason.spans]
    assert "ban" in marked or "bans" in marked


def test_did_you_mean_offers_the_nearest_names(repos: Repositories) -> None:
    assert repos.vendors.count(Query(search="clearveiw")) == 0
    assert suggest(repos.db, "clearveiw")[0] == "Clearview AI"
    assert repos.search.suggestions("idemmia")[0] == "Idemia"
    assert suggest(repos.db, "nypf")[0] == "NYPD"
    assert suggest(repos.db, "qxzvqxzv") == []
    assert suggest(repos.db, "Clearview AI") == []  # the name itself is not a suggestion


def test_search_names_a_deployment_and_a_count_as_the_detail_pane_does(repos: Repositories) -> None:
    """Ctrl+K lists a deployment as its vendor at its customer and a count with its number, as
    the detail pane heads them: a bare "Clearview AI" under Deployments does not say where."""
    from faceledger.data.entities import record_heading

    hits = [h for h in repos.search.search("NYPD") if h.entity == "deployments"]
    assert hits
    for h in hits:
        rec = repos.deployments.get(h.record_id)
        assert (
            h.label == record_heading("deployments", rec, "") == f"{rec.vendor_name} at {rec.customer_name}"
        )
    counts = [h for h in repos.search.search("2,400") if h.entity == "customer_counts"]
    assert counts
    for h in counts:
        rec = repos.customer_counts.get(h.record_id)
        assert h.label == record_heading("customer_counts", rec, "") and rec.value_text in h.label
