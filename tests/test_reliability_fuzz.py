"""Fuzzing with Hypothesis: search input, export options and the `--where` filter parser.

Every test runs with the "ci" profile from tests/conftest.py: a fixed seed (derandomize), no example
database, and the number of examples set here, so CI runs the same bounded search every time.
The data-layer search runs thousands of examples; widget tests, which drive real Qt widgets, fewer.
"""

from __future__ import annotations

import contextlib
import csv
import io
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from faceledger import export_cli
from faceledger.data import csv_writer, export
from faceledger.data.database import Database
from faceledger.data.entities import ENTITIES
from faceledger.data.errors import FaceLedgerError, UnknownName
from faceledger.data.repositories import Query, Repositories
from faceledger.data.repository import LICENCE_KEY
from faceledger.data.search import parse_terms

WORDS = ["clear", "view", "police", "nec", "idemia", "rekognition", "2020", "ban", "São", "Zürich", "NYPD"]
TOKENS = [
    '"', "'", "*", "^", ":", "(", ")", "-", "+", "%", "_", "\\", "NEAR(", "NEAR", "AND", "OR", "NOT",
    "{", "}", "[", "]", ";", "--", "/*", "\x00", "\u202e", "\ufeff", "\u200b", "\ud800", "\udfff",
    "\n", "\t", "\r", " ", "é", "ß", "İ", "ﬁ", "😀", "👩🏽‍💻", "ǅ", "ⅷ", "\u0301",
]  # fmt: skip

search_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(exclude_categories=()), max_size=30),  # any code point, surrogates too
    st.lists(
        st.one_of(st.sampled_from(WORDS), st.sampled_from(TOKENS), st.text(max_size=4)), max_size=12
    ).map("".join),
    st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(TOKENS)), max_size=10).map(" ".join),
    st.text(min_size=200, max_size=3000),
)


@pytest.fixture(scope="module")
def fuzz_repos(db_path: Path):  # type: ignore[no-untyped-def]
    db = Database.open(db_path)
    yield Repositories(db)
    db.close()


def _spans_ok(text: str, spans: tuple[tuple[int, int], ...]) -> bool:
    return all(0 <= s < e <= len(text) for s, e in spans) and list(spans) == sorted(spans)


# -- search: data layer --------------------------------------------------------------------------
@settings(max_examples=1500)
@given(text=search_text)
def test_any_search_text_pages_and_counts_every_repository(fuzz_repos: Repositories, text: str) -> None:
    terms = parse_terms(text)
    for entity in ENTITIES:
        repo = fuzz_repos.for_entity(entity)
        query = Query(search=text)
        n = repo.count(query)
        rows = repo.page(query, 0, 25)
        assert len(rows) == min(25, n)
        if terms.empty:
            assert n == repo.total()
    hits = fuzz_repos.search.search(text, per_type=5)
    if terms.empty:
        assert hits == []
    for hit in hits:
        assert hit.entity in ENTITIES and hit.record_id
        assert _spans_ok(hit.label, hit.label_spans) and _spans_ok(hit.context, hit.context_spans)


@settings(max_examples=600)
@given(
    text=search_text,
    entity=st.sampled_from(list(ENTITIES)),
    year_from=st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1), st.integers(1900, 2030)),
    year_to=st.one_of(st.none(), st.integers(1900, 2030)),
    order_desc=st.booleans(),
    offset=st.integers(0, 5000),
)
def test_any_query_is_consistent(
    fuzz_repos: Repositories,
    text: str,
    entity: str,
    year_from: int | None,
    year_to: int | None,
    order_desc: bool,
    offset: int,
) -> None:
    """Search with years, order and any offset: page lengths and positions agree with the count."""
    repo = fuzz_repos.for_entity(entity)
    spec = ENTITIES[entity]
    query = Query(
        search=text, year_from=year_from, year_to=year_to, order=(spec.default_sort, not order_desc)
    )
    n = repo.count(query)
    rows = repo.page(query, offset, 20, n)
    assert len(rows) == max(0, min(20, n - offset))
    if rows:
        assert repo.position(query, rows[0].id) == offset


@settings(max_examples=300)
@given(key=st.text(max_size=20), value=st.text(max_size=20), entity=st.sampled_from(list(ENTITIES)))
def test_any_filter_is_answered_or_named_as_unknown(
    fuzz_repos: Repositories, key: str, value: str, entity: str
) -> None:
    repo = fuzz_repos.for_entity(entity)
    query = Query(filters=((key, (value,)),))
    try:
        n = repo.count(query)
    except UnknownName as exc:
        assert "\n" not in str(exc)
        return
    assert 0 <= n <= repo.total()
    assert len(repo.page(query, 0, 10)) == min(10, n)
    assert sum(c for _, c in repo.facet_counts(key, query)) == repo.total()


# -- search: widgets -----------------------------------------------------------------------------
def typeable(text: str) -> str:
    """What QTest can type as key presses (printable ASCII: Qt's QTest asserts on many other
    characters, even accented Latin-1 ones); the full text, control characters and all, is then
    set as a paste would put it."""
    return "".join(ch for ch in text if " " <= ch <= "~")[:8]


widget_settings = settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])


@widget_settings
@given(text=search_text, entity=st.sampled_from(["vendors", "customers", "events", "sources"]))
def test_typing_any_text_in_a_page_search(qtbot, window, text: str, entity: str) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page(entity)
    page.search.clear()
    printable = typeable(text)
    qtbot.keyClicks(page.search, printable)
    page.search.setText(text)  # what a paste would put there, control characters included
    n = page.model.count_now()
    assert n == page.repository.count(page.current_query())
    assert page.model.rowCount() == n or page.model.canFetchMore()
    assert page.status_text()


@widget_settings
@given(text=search_text)
def test_typing_any_text_in_the_global_search(qtbot, window, text: str) -> None:  # type: ignore[no-untyped-def]
    gs = window.global_search
    gs.open_palette()
    gs.input.clear()
    printable = typeable(text)
    qtbot.keyClicks(gs.input, printable)
    gs.set_query(text)
    hits = gs.hits()
    assert hits == window.repos.search.search(text)
    assert gs.summary.text()
    gs.hide()


# -- export options and the --where parser -------------------------------------------------------


@settings(max_examples=800)
@given(items=st.lists(st.one_of(st.text(max_size=25), st.builds(lambda k, v: f"{k}={v}", st.sampled_from(
    ["status", "STATUS", " customer_country ", "verification", "kind", "type", "country", "nope", "1x", "a b", ""]
), st.text(max_size=12))), max_size=5), entity=st.sampled_from(list(ENTITIES)))  # fmt: skip
def test_any_where_filter_is_applied_or_refused_in_one_line(
    fuzz_repos: Repositories, items: list[str], entity: str
) -> None:
    try:
        filters = export_cli.parse_where(items)
        repo = fuzz_repos.for_entity(entity)
        export.check_fields(repo, (k for k, _ in filters), "field")
    except FaceLedgerError as exc:
        assert "\n" not in str(exc)
        return
    query = Query(filters=filters)
    n = repo.count(query)
    keys = ("id", *[k for k, _ in filters])
    out = io.StringIO(newline="")
    for _ in export.export_query_to_stream(repo, query, keys, keys, out, export.ExportOptions()):
        pass
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert len(rows) == n + 1
    for key_index, (_key, values) in enumerate(filters, start=1):
        for row in rows[1:]:
            cell = row[key_index]
            assert cell in values or cell.removeprefix("'") in values


@settings(max_examples=150)
@given(
    where=st.text(max_size=30), table=st.sampled_from(["vendors", "deployments", "events", "counts", "nope"])
)
def test_export_cli_with_any_where_prints_csv_or_one_line(where: str, table: str) -> None:
    from faceledger.cli import main

    out, errors = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(errors):
        code = main(["export", table, "--where", where, "-o", "-"], stdout=out)
    err = errors.getvalue()
    if code == 0:
        assert err == ""
        assert out.getvalue().startswith("id,") or out.getvalue().split("\r\n", 1)[0]
    else:
        assert code in (2, 3, 4)  # database, output, usage: never an unexpected error
        assert err.count("\n") == 1 and err.startswith("faceledger: ") and "Traceback" not in err


@settings(max_examples=400)
@example(
    profile="\n", delimiter=",", guard=True, entity="vendors", text="", ncols=1
)  # a message stays one line
@example(profile="standard", delimiter="\n", guard=True, entity="vendors", text="", ncols=1)
@given(
    profile=st.one_of(st.sampled_from(["standard", "excel"]), st.text(max_size=8)),
    delimiter=st.one_of(st.sampled_from([",", ";", "\t"]), st.text(max_size=2)),
    guard=st.booleans(),
    entity=st.sampled_from(list(ENTITIES)),
    text=search_text,
    ncols=st.integers(1, 6),
)
def test_any_export_options_write_csv_that_reads_back(
    fuzz_repos: Repositories, profile: str, delimiter: str, guard: bool, entity: str, text: str, ncols: int
) -> None:
    """Any options are either refused in one line or give a CSV file that reads back, cell for cell,
    as the database values (text guarded against formulas when asked, numbers never changed)."""
    try:
        options = export.ExportOptions(profile, delimiter, guard)
    except FaceLedgerError as exc:
        assert "\n" not in str(exc)
        return
    repo = fuzz_repos.for_entity(entity)
    keys = [f.key for f in ENTITIES[entity].fields][:ncols]
    query = Query(search=text)
    out = io.StringIO(newline="")
    for _ in export.export_query_to_stream(repo, query, keys, keys, out, options):
        pass
    if repo.has_dataset_rows(query):  # the attribution a CC BY-SA dataset's rows carry, last
        keys = [*keys, LICENCE_KEY]
    written = out.getvalue()
    if profile == "excel":
        assert written.startswith("\ufeff")
        written = written[1:]
    back = list(csv.reader(io.StringIO(written, newline=""), delimiter=delimiter))
    expected = list(repo.iter_values(query, keys))
    assert back[0] == keys
    assert len(back) == len(expected) + 1
    for got, want in zip(back[1:], expected, strict=True):
        for g, w in zip(got, want, strict=True):
            if w is None:
                assert g == ""
            elif isinstance(w, str):
                assert g == ("'" + w if guard and w and w[0] in csv_writer.GUARD_CHARS else w)
            elif isinstance(w, float):
                assert float(g) == w
            else:
                assert g == str(w)


def test_fuzzing_profile_is_fixed() -> None:
    """CI runs the same bounded search each time: derandomized, no example database."""
    assert settings.default.derandomize is True
    assert settings.default.database is None
    assert settings.default.max_examples <= 2000


def test_raw_fts_syntax_would_fail_but_searches_do_not(fuzz_repos: Repositories) -> None:
    """What the fuzzing guards against is real: raw FTS syntax errors in SQLite; searches do not."""
    for raw in TOKENS:
        for entity in ENTITIES:
            fuzz_repos.for_entity(entity).count(Query(search=raw))
    with pytest.raises(sqlite3.OperationalError):
        fuzz_repos.db.query("SELECT * FROM fts_vendors WHERE fts_vendors MATCH ?", ('"',))
