"""Licence and attribution of imported datasets on each record's detail pane (bundled database).

A record built from a dataset, or citing a dataset's entry as one of its sources (a curated event merged
with an AI Incident Database incident, a 2025 inventory deployment also reported in 2024), names every
such dataset with its licence and attribution. The Datasets page lists the new datasets.
"""

from __future__ import annotations

import pytest

from faceledger.data.repositories import Query, Repositories


@pytest.mark.parametrize(
    "entity, record_id, datasets",
    [
        # A curated event: its own record has no dataset, its AIID sources do.
        ("events", "reid-louisiana-2022", ["AI Incident Database"]),
        # An event imported from the AIID.
        ("events", "aiid-310", ["AI Incident Database"]),
        # An AIAAIC entry that an AIID incident about the same happening merged into.
        ("events", "aiaaic-1510", ["AIAAIC Repository", "AI Incident Database"]),
        # One deployment for a use case in both inventories.
        (
            "deployments",
            "fed-ai-2025-dhs-2413",
            ["AI use case inventories 2025", "AI use case inventories 2024"],
        ),
        # A use case only in the 2024 inventory.
        ("deployments", "fed-ai-2024-doj-crm-clearview-ai", ["AI use case inventories 2024"]),
    ],
)
def test_detail_pane_names_each_dataset_with_licence_and_attribution(  # type: ignore[no-untyped-def]
    qtbot, repos: Repositories, entity: str, record_id: str, datasets: list[str]
) -> None:
    from faceledger.ui.detail import DetailPane

    pane = DetailPane(repos)
    qtbot.addWidget(pane)
    assert pane.show_record(entity, record_id)
    text = pane.toPlainText()
    assert "Imported data" in text
    by_name = {ds.name: ds for ds in repos.datasets.page(Query(), 0, 100)}
    for words in datasets:
        matching = [ds for ds in by_name.values() if words in ds.name]
        assert len(matching) == 1, words
        ds = matching[0]
        assert f"From the dataset {ds.name}, licence {ds.licence}. {ds.attribution}" in text


def test_datasets_page_lists_the_new_datasets(repos: Repositories) -> None:
    rows = {ds.id: ds for ds in repos.datasets.page(Query(), 0, 100)}
    assert rows["aiid-incidents-2025"].licence == "CC BY-SA 4.0"
    assert rows["us-federal-ai-inventory-2024"].licence.startswith("Public domain")
    for did in ("aiid-incidents-2025", "us-federal-ai-inventory-2024"):
        assert rows[did].attribution and rows[did].rows_imported > 0
