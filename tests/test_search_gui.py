"""Search in the window: Ctrl+K best first with where each hit was found, "Did you mean …?" in
the palette and on a page, and a searched row's tooltip naming the column that matched."""

from __future__ import annotations

from PySide6.QtCore import Qt

from faceledger.ui.global_search import HitRole, HtmlRole, SuggestionRole
from faceledger.ui.main_window import MainWindow


def test_palette_lists_bans_first_and_says_where_words_were_found(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window.global_search
    palette.set_query("facial recognition ban")
    qtbot.waitUntil(lambda: bool(palette.hits()))
    hits = palette.hits()
    assert hits[0].entity == "events" and " ban" in hits[0].label.lower()
    assert "Agricultural Bank of China" not in [h.label for h in hits[:8]]
    # The current row is the best hit; its text highlights the words.
    current = palette.results.currentItem()
    assert current.data(HitRole) == hits[0]
    assert "<b style" in current.data(HtmlRole)
    palette.set_query("ICE")
    qtbot.waitUntil(lambda: bool(palette.hits()) and palette.hits()[0].level == 0)
    agency = next(
        i for i in range(palette.results.count()) if palette.results.item(i).data(HitRole) is not None
    )
    text = palette.results.item(agency).data(HtmlRole)
    assert "Also known as:" in text and ">ICE</b>" in text
    assert "Found in Also known as" in palette.results.item(agency).toolTip()


def test_palette_offers_the_nearest_name_and_searches_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window.global_search
    palette.set_query("clearveiw")
    qtbot.waitUntil(lambda: bool(palette.suggestions()))
    assert palette.suggestions()[0] == "Clearview AI"
    assert palette.hits() == []
    assert palette.results.currentItem().data(SuggestionRole) == "Clearview AI"
    assert "Did you mean" in palette.summary.text() or "No matches" in palette.summary.text()
    qtbot.keyClick(palette.input, Qt.Key.Key_Return)  # searches for the name offered
    assert palette.input.text() == "Clearview AI"
    qtbot.waitUntil(lambda: bool(palette.hits()))
    assert palette.hits()[0].label == "Clearview AI" and palette.isVisible()


def test_page_offers_the_nearest_name_as_a_link(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page("deployments")
    page.search.setText("clearveiw")
    qtbot.waitUntil(lambda: page.model.matching == 0)
    qtbot.waitUntil(page.suggestion.isVisible)
    assert "Did you mean" in page.suggestion.text() and 'href="Clearview AI"' in page.suggestion.text()
    page.suggestion.linkActivated.emit("Clearview AI")
    assert page.search.text() == "Clearview AI"
    qtbot.waitUntil(lambda: (page.model.matching or 0) > 0)
    assert not page.suggestion.isVisible()


def test_a_searched_rows_tooltip_says_where_the_words_were_found(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page("deployments")
    page.search.setText("NYPD")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    tip = page.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Matched in Customer alias" in tip and "<b>NYPD</b>" in tip
    page.search.setText("")
    qtbot.waitUntil(lambda: not page.model.query.search)
    assert "Matched in" not in str(page.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole))


def test_palette_says_which_record_types_have_more_than_it_lists(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """The palette lists the best few hits of each record type: its count is of hits listed, and
    a type with more matches says so (the count is not read as "this many records match")."""
    from faceledger.data.repositories import Query

    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window.global_search
    seen = {}
    for text in ("polic", "berkeley"):
        palette.set_query(text)
        qtbot.waitUntil(lambda: bool(palette.hits()))
        hits = palette.hits()
        headers = {
            palette.results.item(i).text()
            for i in range(palette.results.count())
            if palette.results.item(i).data(HitRole) is None
        }
        listed = {e: sum(1 for h in hits if h.entity == e) for e in {h.entity for h in hits}}
        more = set()
        for entity, n in listed.items():
            matches = window.repos.for_entity(entity).count(Query(search=text))
            title = window.repos.for_entity(entity).spec.title
            if matches > n:
                more.add(entity)
                assert f"{title} (the best {n}; more on the {title} page)" in headers
            else:
                assert matches == n and f"{title} ({n})" in headers
        summary = palette.summary.text()
        if more:
            assert summary.startswith(
                f"The best {len(hits)} hits in {len(listed)} record types; {len(more)} of"
            )
        else:
            assert summary.startswith(f"{len(hits)} hits in {len(listed)} record types, best first.")
        seen[text] = more
    assert seen["polic"] and not seen["berkeley"]  # both cases were seen
