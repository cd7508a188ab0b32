"""The one declaration of tables and columns (faceledger.data.schema) against what reads it: a fresh
build, the records, the opening check and the detail pane's labels."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from db import build

from faceledger.data import records, schema
from faceledger.data.database import EXPECTED_SCHEMA
from faceledger.data.entities import ALL_SPECS

SQL_TYPES = {str: "TEXT", int: "INTEGER", float: "REAL"}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    out = tmp_path_factory.mktemp("schema") / "fresh.db"
    build.build(out)
    conn = sqlite3.connect(str(out))
    yield conn
    conn.close()


@pytest.mark.parametrize("table", schema.TABLES, ids=lambda t: t.name)
def test_a_fresh_build_has_the_declared_columns_types_and_keys(
    fresh: sqlite3.Connection, table: schema.Table
) -> None:
    info = fresh.execute(f'PRAGMA table_info("{table.name}")').fetchall()
    assert [row[1] for row in info] == list(table.column_names)
    assert {row[1]: row[2] for row in info} == {c.name: SQL_TYPES[c.type] for c in table.columns}
    assert {row[1] for row in info if row[3]} == {c.name for c in table.columns if c.not_null}
    pk = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
    assert pk == ([table.pk] if isinstance(table.pk, str) else list(table.pk))
    fks = {(row[3], row[2]) for row in fresh.execute(f'PRAGMA foreign_key_list("{table.name}")')}
    assert fks == {(c.name, c.references) for c in table.columns if c.references}


@pytest.mark.parametrize("table", schema.TABLES, ids=lambda t: t.name)
def test_enumerated_columns_hold_only_declared_values(fresh: sqlite3.Connection, table: schema.Table) -> None:
    for column in table.columns:
        if column.vocabulary is None:
            continue
        stored = {v for (v,) in fresh.execute(f'SELECT DISTINCT "{column.name}" FROM "{table.name}"')}
        assert stored <= set(column.vocabulary.values), (table.name, column.name)


def test_search_indexes_are_those_declared(fresh: sqlite3.Connection) -> None:
    declared = {n: sql for t in schema.TABLES if t.search_label for n, sql in schema.search_indexes(t.name).items()}
    fts = dict(
        fresh.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%' "
            f"OR name IN ({', '.join('?' * len(declared))})",
            list(declared),
        )
    )
    assert fts == declared
    assert {f"fts_{t.name}" for t in schema.TABLES if t.search_label} <= set(fts)
    for table in schema.TABLES:
        if table.search_label:
            assert table.search_columns and table.search_label in table.column_names


def test_every_record_class_has_a_field_per_declared_column() -> None:
    for table in schema.TABLES:
        if table.record:
            cls = getattr(records, table.record)
            assert set(records.record_fields(cls)) == set(table.column_names), table.name
            assert records.record_fields(cls)[0] == "id"


def test_the_opening_check_asks_for_every_declared_column() -> None:
    for table in schema.TABLES:
        assert EXPECTED_SCHEMA[table.name] == set(table.column_names)


def test_every_column_a_page_shows_is_declared_and_every_shown_field_has_words() -> None:
    for entity, spec in ALL_SPECS.items():
        table = schema.TABLE[entity]
        for field in spec.fields:
            table.column(field.key)  # raises KeyError for a column the declaration lacks
        for column in table.columns:
            assert column.label.strip() == column.label, (entity, column.name)


def test_every_source_field_names_a_known_check_and_vocabulary() -> None:
    simple = {"str", "list", "bool", "int", "num", "date", "enum", "dataset"}
    kinds = set(schema.TABLE_OF_KIND)
    for table in schema.TABLES:
        for name, column in table.fields.items():
            kind, _, target = column.check.partition(":")
            assert column.check in simple or (kind in ("id", "ids") and target in kinds), (table.name, name)
            assert (column.check == "enum") == (column.vocabulary is not None), (table.name, name)


def test_build_refuses_a_field_the_declaration_lacks(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "facts.toml").write_text(
        '[[source]]\nid = "s1"\nurl = "https://example.org/a"\npublisher = "Example"\nkind = "press"\n'
        '[[vendor]]\nid = "acme"\nname = "Acme"\nsources = ["s1"]\nverification = "partial"\n'
        'stock_ticker = "ACME"\n',
        encoding="utf-8",
    )
    with pytest.raises(build.BuildError, match="unknown field 'stock_ticker'"):
        build.build(tmp_path / "out.db", src_dir=src, external_dir=tmp_path / "none", importers=[])


def test_every_searched_column_can_be_named_as_a_search_reason() -> None:
    from faceledger.data.matching import REASON_COLUMNS

    for table, columns in REASON_COLUMNS.items():
        assert {c for c, _header in columns} == set(schema.TABLE[table].search_columns), table
        assert all(header and header != c for c, header in columns), table
