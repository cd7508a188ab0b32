"""Filters people expect: a Vendor filter on Deployments, several values of a field at once (in the
query, the status line and the exported view), and datasets named as people know them."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from faceledger.data.entities import DATASET_NAMES, ENTITIES
from faceledger.data.export import ExportOptions, ExportResult
from faceledger.data.repositories import Query, Repositories
from faceledger.jobs import pool, wait_all
from faceledger.ui.entity_page import EntityPage
from faceledger.ui.facet_filter import FacetFilter
from faceledger.ui.main_window import MainWindow


def settle_jobs() -> None:
    """Let the page's background jobs end (pytest-qt closes a test's widgets before fixtures end:
    a job still running then would report to a deleted page)."""
    for _ in range(5):  # a delivered result may start another job (a count, the filter counts)
        wait_all()
        QApplication.processEvents()
        if pool().activeThreadCount() == 0:
            break


def facet(page: EntityPage, key: str) -> FacetFilter:
    return next(fb for fb in page.filters if fb.key == key)


def counted(qtbot, fb: FacetFilter) -> dict[str, int]:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: len(fb.values()) > 0, timeout=10_000)
    return dict(fb.values())


def choose(fb: FacetFilter, value: str) -> None:
    """Tick a value in the filter's menu, as a click does."""
    next(a for a in fb.actions_for_values() if a.data() == value).trigger()


def test_several_values_of_a_field_match_any_of_them(repos: Repositories) -> None:
    repo = repos.deployments
    one = repo.count(Query(filters=(("vendor_id", ("clearview-ai",)),)))
    other = repo.count(Query(filters=(("vendor_id", ("nec",)),)))
    both = Query(filters=(("vendor_id", ("clearview-ai", "nec")),))
    assert one > 0 and other > 0
    assert repo.count(both) == one + other
    rows = repo.page(both, 0, 1000)
    assert {r.vendor_id for r in rows} == {"clearview-ai", "nec"}
    # The facet counts of a field ignore its own filter (the other values stay offered).
    counts = dict(repo.facet_counts("vendor_id", both))
    assert counts["clearview-ai"] == one and counts["nec"] == other and len(counts) > 2


def test_facet_values_are_named_as_people_know_them(repos: Repositories) -> None:
    names = repos.deployments.facet_labels("vendor_id", ["clearview-ai", "nec", "no-such-vendor"])
    assert names == {"clearview-ai": "Clearview AI", "nec": "NEC"}
    origins = [v for v, _ in repos.vendors.facet_counts("origin")]
    labels = repos.vendors.facet_labels("origin", origins)
    assert labels["aiaaic"] == "AIAAIC Repository"
    assert labels["nist-frvt"] == "NIST FRVT 1:1 (2020)"
    assert all(labels[v] != v for v in origins), "every origin in the database has a name"
    assert repos.customers.facet_labels("country", ["US"]) == {}  # shown as stored


def test_deployments_filter_by_vendor_first_with_counts(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page("deployments")
    assert page.filters[0].key == "vendor_id" and page.filters[0].header == "Vendor"
    vendor = facet(page, "vendor_id")
    counts = counted(qtbot, vendor)
    expected = page.repository.count(Query(filters=(("vendor_id", ("clearview-ai",)),)))
    assert counts["clearview-ai"] == expected >= 20
    assert vendor.text() == f"Vendor: all ({page.repository.total():,})"
    entries = {a.data(): a.text() for a in vendor.actions_for_values()}
    assert entries["clearview-ai"] == f"Clearview AI ({expected:,})"  # a name, not an id
    choose(vendor, "clearview-ai")
    assert vendor.text() == f"Vendor: Clearview AI ({expected:,})"
    assert page.model.count_now() == expected
    qtbot.waitUntil(lambda: page.detail.record.vendor_name == "Clearview AI")  # the pane follows
    assert page.status_text() == f"{expected:,} of {page.repository.total():,} rows"


def test_choosing_two_vendors_and_two_statuses(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page("deployments")
    vendor, status = facet(page, "vendor_id"), facet(page, "status")
    counts = counted(qtbot, vendor)
    choose(vendor, "clearview-ai")
    choose(vendor, "nec")
    assert page.current_query().filters == (("vendor_id", ("clearview-ai", "nec")),)
    n = page.model.count_now()
    assert n == counts["clearview-ai"] + counts["nec"]
    assert vendor.text() == f"Vendor: Clearview AI, NEC ({n:,})"
    assert page.status_text() == f"{n:,} of {page.repository.total():,} rows"
    # The status counts follow, counted among the two vendors' rows.
    qtbot.waitUntil(lambda: sum(c for _, c in status.values()) == n, timeout=10_000)
    statuses = dict(status.values())
    choose(status, "active")
    choose(status, "ended")
    m = page.model.count_now()
    assert m == statuses.get("active", 0) + statuses["ended"]
    rows = [page.model.record(i) for i in range(m)]
    assert {r.vendor_id for r in rows} <= {"clearview-ai", "nec"}
    assert {r.status for r in rows} <= {"active", "ended"}
    choose(vendor, "nec")  # ticked again: dropped
    assert vendor.selected() == ("clearview-ai",)
    clear = vendor.menu_.actions()[0]
    assert clear.isEnabled() and not clear.isCheckable()
    clear.trigger()
    assert vendor.selected() == () and vendor.text().startswith("Vendor: all (")
    assert page.current_query().filters == (("status", ("active", "ended")),)


def test_the_menu_stays_open_while_values_are_ticked(qtbot, repos: Repositories) -> None:  # type: ignore[no-untyped-def]
    page = EntityPage(repos, repos.deployments)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.painted_or_hidden)
    vendor = facet(page, "vendor_id")
    counted(qtbot, vendor)
    menu = vendor.menu_
    menu.popup(vendor.mapToGlobal(vendor.rect().bottomLeft()))
    qtbot.waitExposed(menu)
    first, second = [a for a in menu.actions() if a.isCheckable()][:2]
    QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(first).center())
    assert menu.isVisible() and first.isChecked()
    menu.setActiveAction(second)
    QTest.keyClick(menu, Qt.Key.Key_Space)
    assert menu.isVisible() and second.isChecked()
    assert vendor.selected() == (first.data(), second.data())
    QTest.keyClick(menu, Qt.Key.Key_Escape)
    assert not menu.isVisible()
    assert page.model.query.filters == (("vendor_id", (first.data(), second.data())),)
    settle_jobs()


def test_the_exported_view_holds_exactly_the_chosen_values(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page("customers")
    country = facet(page, "country")
    counts = counted(qtbot, country)
    choose(country, "US")
    choose(country, "GB")
    n = page.model.count_now()
    assert n == counts["US"] + counts["GB"]
    dest = tmp_path / "view.csv"
    with qtbot.waitSignal(window.export_controller.finished, timeout=20_000) as blocker:
        window.export_controller.export_scope("view", dest, ExportOptions())
    result: ExportResult = blocker.args[0]
    assert result.rows == n
    with dest.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == n and {r["Country"] for r in rows} == {"US", "GB"}


def test_dataset_filters_and_cells_show_dataset_names(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page("vendors")
    facet(page, "known_from").set_selected((), notify=True)  # benchmark-only developers too
    origin = facet(page, "origin")
    # the counts under the new query (those of the default one, without the benchmark-only
    # developers, may still be shown)
    qtbot.waitUntil(lambda: "nist-frvt" in dict(origin.values()), timeout=10_000)
    counts = counted(qtbot, origin)
    texts = [a.text() for a in origin.actions_for_values()]
    assert f"AIAAIC Repository ({counts['aiaaic']:,})" in texts
    assert f"NIST FRVT 1:1 (2020) ({counts['nist-frvt']:,})" in texts
    assert not any(t.startswith(("aiaaic", "nist-frvt")) for t in texts)
    choose(origin, "nist-frvt")
    assert origin.text() == f"Origin: NIST FRVT 1:1 (2020) ({counts['nist-frvt']:,})"
    column = page.spec.keys.index("origin")
    assert page.model.index(0, column).data() == "NIST FRVT 1:1 (2020)"
    qtbot.waitUntil(lambda: "NIST FRVT 1:1 (2020)" in page.detail.toPlainText())


def test_every_origin_and_dataset_id_has_a_short_name(repos: Repositories) -> None:
    for entity, spec in ENTITIES.items():
        if "origin" in spec.keys:
            for value, _ in repos.for_entity(entity).facet_counts("origin"):
                assert value in DATASET_NAMES, (entity, value)
    for ds in repos.datasets.all():
        assert ds.id in DATASET_NAMES


def test_filter_counts_merge_empty_values_and_sort_by_count(repos: Repositories) -> None:
    """The counts equal a grouping on the value with NULL read as empty, largest first."""
    for entity, spec in ENTITIES.items():
        repo = repos.for_entity(entity)
        for f in spec.facets:
            rows = repos.db.query(
                f'SELECT COALESCE("{f.key}", \'\') AS v, COUNT(*) FROM "{entity}" GROUP BY v '
                "ORDER BY COUNT(*) DESC, v"
            )
            assert repo.facet_counts(f.key) == [(str(v), int(n)) for v, n in rows], (entity, f.key)
