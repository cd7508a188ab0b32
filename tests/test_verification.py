"""'Verified' means a primary source says it.

The build refuses a record marked verified whose sources are all copies, relays, aggregators or
datasets, and the bundled database (which tests/test_build.py keeps equal to a fresh build) has no
such record. Records resting only on copies are 'partial' with a note naming the copy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from db import build

from faceledger.data.database import bundled_database_path
from faceledger.data.schema import FACT_TABLES, SOURCE_KINDS

NOT_PRIMARY = tuple(k for k in SOURCE_KINDS if k not in build.PRIMARY_SOURCE_KINDS)


def _source(sid: str, kind: str) -> str:
    return f'[[source]]\nid = "{sid}"\nurl = "https://example.org/{sid}"\npublisher = "Example"\nkind = "{kind}"\n'


def _vendor(vid: str, sources: list[str], verification: str) -> str:
    cited = ", ".join(f'"{s}"' for s in sources)
    return f'[[vendor]]\nid = "{vid}"\nname = "{vid.title()}"\nsources = [{cited}]\nverification = "{verification}"\n'


def _build(tmp_path: Path, text: str) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "facts.toml").write_text(text, encoding="utf-8")
    out = tmp_path / "out.db"
    build.build(out, src_dir=src, importers=[])
    return out


def test_primary_kinds_are_primary_and_press() -> None:
    assert build.PRIMARY_SOURCE_KINDS == ("primary", "press")
    assert set(NOT_PRIMARY) == {"relay-or-mirror", "aggregator", "dataset"}


@pytest.mark.parametrize("kind", NOT_PRIMARY)
def test_build_rejects_verified_record_citing_only_copies(tmp_path: Path, kind: str) -> None:
    text = (
        _source("copy", kind) + _source("wiki", "aggregator") + _vendor("acme", ["copy", "wiki"], "verified")
    )
    with pytest.raises(build.BuildError) as info:
        _build(tmp_path, text)
    message = str(info.value)
    assert "db/sources/facts.toml: vendor 'acme'" in message
    assert "marked verified" in message and "primary" in message


@pytest.mark.parametrize("kind", build.PRIMARY_SOURCE_KINDS)
def test_build_accepts_verified_record_with_one_primary_source(tmp_path: Path, kind: str) -> None:
    text = (
        _source("copy", "relay-or-mirror")
        + _source("own", kind)
        + _vendor("acme", ["copy", "own"], "verified")
    )
    out = _build(tmp_path, text)
    with sqlite3.connect(out) as conn:
        assert conn.execute("SELECT verification FROM vendors WHERE id = 'acme'").fetchone() == ("verified",)


def test_build_accepts_partial_record_resting_on_a_copy(tmp_path: Path) -> None:
    text = _source("copy", "relay-or-mirror") + _vendor("acme", ["copy"], "partial")
    out = _build(tmp_path, text)
    with sqlite3.connect(out) as conn:
        assert conn.execute("SELECT verification FROM vendors WHERE id = 'acme'").fetchone() == ("partial",)


# -- the bundled database ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def conn() -> Iterator[sqlite3.Connection]:
    c = sqlite3.connect(f"file:{bundled_database_path()}?mode=ro", uri=True)
    c.row_factory = sqlite3.Row
    yield c
    c.close()


def _without_primary(conn: sqlite3.Connection, table: str, verification: str) -> list[str]:
    marks = ", ".join("?" for _ in build.PRIMARY_SOURCE_KINDS)
    rows = conn.execute(
        f"SELECT t.id FROM {table} t WHERE t.verification = ? AND NOT EXISTS ("
        "SELECT 1 FROM citations c JOIN sources s ON s.id = c.source_id "
        f"WHERE c.entity = ? AND c.record_id = t.id AND s.kind IN ({marks}))",
        (verification, table, *build.PRIMARY_SOURCE_KINDS),
    )
    return [r[0] for r in rows]


@pytest.mark.parametrize("table", FACT_TABLES)
def test_no_verified_record_without_a_primary_source(conn: sqlite3.Connection, table: str) -> None:
    assert _without_primary(conn, table, "verified") == []


@pytest.mark.parametrize("table", FACT_TABLES)
def test_partial_records_on_copies_name_what_they_rest_on(conn: sqlite3.Connection, table: str) -> None:
    ids = _without_primary(conn, table, "partial")
    assert ids, f"no partial record in {table} rests only on copies; the check below would prove nothing"
    missing = [
        rid
        for rid in ids
        if not conn.execute(f"SELECT verification_note FROM {table} WHERE id = ?", (rid,)).fetchone()[0]
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("table", "rid", "copy"),
    [
        ("vendors", "dataworks-plus", "Wikipedia"),
        ("events", "clearview-nyt-expose-2020", "Pastebin"),
        ("events", "eu-ai-act-adoption-2024", "EUR-Lex"),
        ("events", "eu-ai-act-art5-2025", "EUR-Lex"),
        ("deployments", "ibm--new-york-city-police-department", "The Intercept"),
        ("customer_counts", "ayonix-2020-06-wsj", "Wall Street Journal"),
        ("study_figures", "nist-frvt-part3-2019--people", "DocsLib"),
    ],
)
def test_records_on_second_hand_copies_are_partial(
    conn: sqlite3.Connection, table: str, rid: str, copy: str
) -> None:
    row = conn.execute(f"SELECT verification, verification_note FROM {table} WHERE id = ?", (rid,)).fetchone()
    assert row["verification"] == "partial"
    assert copy in row["verification_note"]


@pytest.mark.parametrize(
    ("table", "rid", "source"),
    [
        ("events", "portland-or-ban-2020", "pv-s5"),
        ("events", "uk-upper-tribunal-2025", "pv-s2"),
        ("events", "uk-ico-fine-2022", "pv-s1"),
        ("vendors", "ibm", "pv-s3"),
        ("events", "virginia-sb741-2022", "pv-s4"),
    ],
)
def test_records_confirmed_by_a_primary_source_cite_it(
    conn: sqlite3.Connection, table: str, rid: str, source: str
) -> None:
    row = conn.execute(f"SELECT verification FROM {table} WHERE id = ?", (rid,)).fetchone()
    assert row["verification"] == "verified"
    kind = conn.execute(
        "SELECT s.kind FROM citations c JOIN sources s ON s.id = c.source_id "
        "WHERE c.entity = ? AND c.record_id = ? AND s.id = ?",
        (table, rid, source),
    ).fetchone()
    assert kind is not None and kind["kind"] in build.PRIMARY_SOURCE_KINDS


@pytest.mark.parametrize("dataset", ["aiaaic", "nist-frvt", "us-federal"])
def test_build_check_covers_imported_records(dataset: str) -> None:
    """An imported row read from a dataset copy cannot be marked verified either."""
    coll = build.collect()
    rec = next(
        r
        for kind in build.FACT_KINDS
        for r in coll.records[kind]
        if str(r.data.get("dataset", "")).startswith(dataset)
        and not any(
            (src := coll.get("source", s)) and src.data.get("kind") in build.PRIMARY_SOURCE_KINDS
            for s in r.data["sources"]
        )
    )
    assert rec.data["verification"] == "partial" and rec.data["verification_note"]
    rec.data["verification"] = "verified"
    with pytest.raises(build.BuildError) as info:
        build.validate(coll)
    assert f"{rec.origin_file}: {rec.kind} '{rec.id}': marked verified" in str(info.value)
