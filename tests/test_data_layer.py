"""The Qt-free data core: read-only database, repositories, search."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from faceledger.data.database import Database
from faceledger.data.repositories import Query, Repositories
from faceledger.data.search import highlight_spans, parse_terms
from faceledger.data.text import fold

APP = Path(__file__).resolve().parents[1] / "app"


def test_data_package_never_imports_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, faceledger.data as d\n"
        "for m in pkgutil.iter_modules(d.__path__): importlib.import_module('faceledger.data.' + m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'pyqtgraph'))]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env={"PYTHONPATH": str(APP)}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_database_is_read_only(db: Database) -> None:
    with pytest.raises(sqlite3.OperationalError):
        db.query("DELETE FROM vendors")
    with pytest.raises(sqlite3.OperationalError):
        db.query("CREATE TABLE x (a)")
    assert db.query("PRAGMA query_only")[0][0] == 1


def test_close_is_idempotent(db_path: Path) -> None:
    d = Database.open(db_path)
    d.close()
    d.close()
    assert d.closed


def test_vendors_of_june_2020_are_present_with_sources(repos: Repositories) -> None:
    names = {v.name for v in repos.vendors.page(Query(), 0, 1000)}
    for name in (
        "Amazon",
        "Microsoft",
        "IBM",
        "Clearview AI",
        "NEC",
        "Ayonix",
        "iOmniscient",
        "Herta Security",
        "Idemia",
    ):
        assert name in names
    for v in repos.vendors.page(Query(), 0, 1000):
        assert repos.vendors.citations(v.id), f"{v.name} has no source"


def test_fold_ignores_case_and_diacritics() -> None:
    assert fold("HÉRTA") == "herta"
    assert fold("Müller") == "muller"
    assert fold("Société") == "societe"
    assert fold("Straße") == "strasse"


def test_search_inside_words_case_and_diacritics(repos: Repositories) -> None:
    for q in ("view", "VIEW", "clearvi"):
        labels = [h.label for h in repos.search.search_type("vendors", q, 20)]
        assert "Clearview AI" in labels, q
    for q in ("HÉRTA", "herta", "Hérta"):
        labels = [h.label for h in repos.search.search_type("vendors", q, 20)]
        assert labels == ["Herta Security"], q


def test_page_search_and_sort(repos: Repositories) -> None:
    rows = repos.vendors.page(Query(search="clearvi"), 0, 50)
    assert [r.name for r in rows] == ["Clearview AI"]
    names = [r.name for r in repos.vendors.page(Query(order=("name", False)), 0, 100)]
    assert names == sorted(names, key=lambda n: n.casefold(), reverse=True)


def test_position_matches_page_order(repos: Repositories) -> None:
    for order in (None, ("name", False), ("founded", True), ("founded", False)):
        q = Query(order=order)
        rows = repos.vendors.page(q, 0, 1000)
        for i, r in enumerate(rows):
            assert repos.vendors.position(q, r.id) == i, (order, r.id)


def test_reverse_paging_gives_the_same_rows(repos: Repositories) -> None:
    q = Query(order=("title", True))
    total = repos.sources.count(q)
    everything = [r.id for r in repos.sources.page(q, 0, total)]
    tail = [r.id for r in repos.sources.page(q, total - 7, 7, total)]
    assert tail == everything[-7:]


HOSTILE = [
    '"',
    "'",
    '""',
    "a AND b",
    "OR",
    "NOT",
    "NEAR(a b)",
    "*",
    "^clear",
    "col:value",
    "(",
    ")",
    "[x]",
    "{}",
    "\x00",
    "clear\x00view",
    "😀",
    "👩🏽‍💻 face",
    "مرحبا",
    "שלום",
    "\u202e",
    "%",
    "_",
    "\\",
    "'; DROP TABLE vendors; --",
    "x" * 10_000,
    "a" * 2,
    " ",
    "\t\n",
    "NEAR",
    "clearview*",
    '"clearview',
    "-clearview",
    "+",
    "a:b:c",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_any_input_is_searchable(repos: Repositories, text: str) -> None:
    repos.search.search(text)
    for entity in ("vendors", "customers", "events", "sources"):
        repo = repos.for_entity(entity)
        repo.page(Query(search=text), 0, 50)
        repo.count(Query(search=text))


def test_highlight_spans_map_back_to_original_text() -> None:
    text = "Herta Security (HÉRTA)"
    spans = highlight_spans(text, parse_terms("herta"))
    assert [text[s:e] for s, e in spans] == ["Herta", "HÉRTA"]
