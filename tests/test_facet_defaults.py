"""Pages start on the records that matter: developers known only from NIST's benchmark are off the
Vendors page until asked for, and the Customers page has "Police and government" one click away."""

from __future__ import annotations

from faceledger.data.entities import ENTITIES, KNOWN_BENCHMARK, KNOWN_PLACEHOLDER, POLICE_AND_GOVERNMENT
from faceledger.data.repositories import Query
from faceledger.data.schema import UNDISCLOSED_VENDOR
from faceledger.ui.main_window import MainWindow


def test_vendors_default_filter_leaves_out_benchmark_only_developers(repos) -> None:  # type: ignore[no-untyped-def]
    spec = ENTITIES["vendors"]
    filters = dict(spec.default_filters)
    assert KNOWN_BENCHMARK not in filters["known_from"]
    repo = repos.vendors
    everything = repo.count(Query())
    shown = repo.count(Query(filters=spec.default_filters))
    benchmark = repo.count(Query(filters=(("known_from", (KNOWN_BENCHMARK,)),)))
    assert benchmark >= 100 and shown == everything - benchmark - 1  # and the one placeholder


def test_vendor_not_disclosed_is_off_the_vendors_page_until_asked_for(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """The placeholder for deployments whose supplier is not named has customers, but it is not a
    company: it must not rank among the vendors by them."""
    page = window.show_page("vendors")
    n = page.model.count_now()
    ids = {page.model.record(r).id for r in range(n)}
    assert UNDISCLOSED_VENDOR not in ids
    box = next(f for f in page.filters if f.key == "known_from")
    qtbot.waitUntil(lambda: "Placeholder (not a vendor)" in box.text())
    page.set_filter("known_from", KNOWN_PLACEHOLDER)
    assert page.model.count_now() == 1
    assert page.model.record(0).id == UNDISCLOSED_VENDOR
    # Opened from a deployment or a search, it shows, whatever the filter.
    box.set_selected(box.facet.default, notify=True)
    assert page.show_record(UNDISCLOSED_VENDOR)
    assert page.current_record().id == UNDISCLOSED_VENDOR


def test_vendors_page_first_screen_and_the_way_back_to_all(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page("vendors")
    page.model.count_now()
    names = [page.model.record(r).known_from for r in range(page.model.rowCount())]
    assert names and KNOWN_BENCHMARK not in names
    box = next(f for f in page.filters if f.key == "known_from")
    assert KNOWN_BENCHMARK not in box.selected()
    qtbot.waitUntil(
        lambda: box.text().startswith("Known from: all but NIST benchmark only, Placeholder (not a vendor) (")
    )
    page.set_filter("known_from", KNOWN_BENCHMARK)
    n = page.model.count_now()
    assert n >= 100
    assert all(page.model.record(r).known_from == KNOWN_BENCHMARK for r in range(n))
    box.set_selected((), notify=True)  # "Any known from (clear this filter)"
    assert page.model.count_now() == n + len(names) + 1  # and the placeholder
    # Opening a benchmark-only developer from elsewhere shows it, whatever the filter.
    box.set_selected(box.facet.default, notify=True)
    assert page.show_record("nist-yuan")
    assert page.current_record().id == "nist-yuan"


def test_customers_police_and_government_is_one_choice(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page("customers")
    total = page.model.count_now()
    box = next(f for f in page.filters if f.key == "sector")
    qtbot.waitUntil(lambda: any(v == POLICE_AND_GOVERNMENT for v, _ in box.values()))
    action = next(a for a in box.actions_for_values() if a.data() == POLICE_AND_GOVERNMENT)
    action.trigger()
    n = page.model.count_now()
    assert 0 < n < total
    records = [page.model.record(r) for r in range(n)]
    assert all(r.sector == POLICE_AND_GOVERNMENT for r in records)
    assert "Companies" not in {r.sector for r in records}
