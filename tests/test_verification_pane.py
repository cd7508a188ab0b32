"""The detail pane says how well a record is verified, and what a partial record rests on."""

from __future__ import annotations

import pytest

from faceledger.data.repositories import Repositories
from faceledger.ui.detail import DetailPane


@pytest.mark.parametrize(
    ("entity", "rid", "copy"),
    [
        ("vendors", "dataworks-plus", "Rests only on Wikipedia"),
        ("events", "clearview-nyt-expose-2020", "Pastebin copy of The New York Times article"),
        ("deployments", "ibm--new-york-city-police-department", "relays of The Intercept"),
    ],
)
def test_partial_record_shows_badge_and_the_copy_it_rests_on(
    qtbot, repos: Repositories, entity: str, rid: str, copy: str
) -> None:  # type: ignore[no-untyped-def]
    pane = DetailPane(repos)
    qtbot.addWidget(pane)
    assert pane.show_record(entity, rid)
    text = pane.toPlainText()
    assert "Partly verified" in text
    assert "primary source" in text
    assert copy in text


def test_verified_record_says_a_primary_source_states_it(qtbot, repos: Repositories) -> None:  # type: ignore[no-untyped-def]
    pane = DetailPane(repos)
    qtbot.addWidget(pane)
    assert pane.show_record("events", "portland-or-ban-2020")
    text = pane.toPlainText()
    assert "Verified" in text and "A primary source cited below states it." in text
    assert "Partly verified" not in text
