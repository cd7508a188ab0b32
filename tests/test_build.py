"""The database build: validation messages, structure, determinism."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from db import build

from faceledger.data.database import bundled_database_path
from faceledger.data.manifest import compute_manifest, manifest_path

SOURCE = """
[[source]]
id = "s1"
url = "https://example.org/a"
publisher = "Example"
kind = "press"
"""
VENDOR = """
[[vendor]]
id = "acme"
name = "Acme Face"
aliases = ["ACME"]
sources = ["s1"]
verification = "verified"
"""


def write(tmp_path: Path, text: str) -> Path:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "facts.toml").write_text(text, encoding="utf-8")
    return src


def build_from(tmp_path: Path, text: str) -> Path:
    out = tmp_path / "out.db"
    build.build(out, src_dir=write(tmp_path, text), importers=[])
    return out


@pytest.mark.parametrize(
    "extra, message",
    [
        (
            '[[vendor]]\nid = "x"\nname = "X"\nsources = []\nverification = "verified"\n',
            "vendor 'x': has no source",
        ),
        (
            '[[vendor]]\nid = "x"\nname = "X"\nsources = ["nope"]\nverification = "verified"\n',
            "points to no source 'nope'",
        ),
        (
            '[[deployment]]\nid = "d"\nvendor = "acme"\ncustomer = "ghost"\nstatus = "active"\n'
            'sources = ["s1"]\nverification = "verified"\n',
            "deployment 'd': field 'customer' points to no customer 'ghost'",
        ),
        (
            '[[event]]\nid = "e"\ndate = "2020-13-01"\nkind = "ban"\ntitle = "T"\nsources = ["s1"]\nverification = "verified"\n',
            "event 'e': field 'date' is not an ISO 8601 date",
        ),
        (
            '[[event]]\nid = "e"\ndate = "June 2020"\nkind = "ban"\ntitle = "T"\nsources = ["s1"]\nverification = "verified"\n',
            "is not an ISO 8601 date",
        ),
        (
            '[[event]]\nid = "e"\ndate = "2020"\nkind = "bann"\ntitle = "T"\nsources = ["s1"]\nverification = "verified"\n',
            "unknown kind 'bann'",
        ),
        (
            '[[vendor]]\nid = "y"\nname = "Y"\nsources = ["s1"]\nverification = "sure"\n',
            "unknown verification 'sure'",
        ),
        (
            '[[vendor]]\nid = "acme"\nname = "Other"\nsources = ["s1"]\nverification = "verified"\n',
            "vendor 'acme': duplicate id",
        ),
        (
            '[[vendor]]\nid = "z"\nname = "acme"\nsources = ["s1"]\nverification = "verified"\n',
            "already belongs to vendor 'acme'",
        ),
        (
            '[[count]]\nid = "c"\nvendor = "acme"\nsubject = "police"\nqualifier = "a handful"\nvalue = 3\n'
            'as_of = "2020"\nreported_by = "X"\nkind = "journalism"\ncounted = "countries"\nproduct = "face recognition"\nscope = "overall"\n'
            'sources = ["s1"]\nverification = "verified"\n',
            "qualifier 'a handful' must not carry a number",
        ),
        (
            '[[count]]\nid = "c"\nvendor = "acme"\nsubject = "police"\nqualifier = "a handful"\n'
            'reported_by = "X"\nkind = "journalism"\nproduct = "face recognition"\nscope = "overall"\n'
            'sources = ["s1"]\nverification = "verified"\n',
            "count 'c': missing required field 'counted'",
        ),
        (
            '[[count]]\nid = "c"\nvendor = "acme"\nsubject = "police"\nqualifier = "a handful"\n'
            'reported_by = "X"\nkind = "journalism"\ncounted = "police"\nproduct = "face recognition"\n'
            'scope = "overall"\nsources = ["s1"]\nverification = "verified"\n',
            "unknown counted 'police' (expected one of: law-enforcement agencies,",
        ),
        (
            '[[count]]\nid = "c"\nvendor = "acme"\nsubject = "police"\nqualifier = "a handful"\n'
            'reported_by = "X"\nkind = "journalism"\ncounted = "countries"\nproduct = "LPR"\n'
            'scope = "overall"\nsources = ["s1"]\nverification = "verified"\n',
            "unknown product 'LPR'",
        ),
    ],
)
def test_build_rejects_bad_records_naming_file_and_record(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(build.BuildError) as info:
        build_from(tmp_path, SOURCE + VENDOR + extra)
    text = str(info.value)
    assert "db/sources/facts.toml" in text
    assert message in text


def test_build_structure(tmp_path: Path) -> None:
    out = build_from(tmp_path, SOURCE + VENDOR)
    conn = sqlite3.connect(out)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    fks = conn.execute("PRAGMA foreign_key_list(deployments)").fetchall()
    assert {row[2] for row in fks} == {"vendors", "customers", "datasets"}
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert any("deployments_vendor_id" in i for i in indexes)
    hit = conn.execute("SELECT record_id FROM fts_vendors WHERE fts_vendors MATCH '\"acm\"'").fetchall()
    assert hit == [("acme",)]
    assert conn.execute("SELECT COUNT(*) FROM citations").fetchone()[0] == 1
    assert not Path(str(out) + "-wal").exists()
    manifest = json.loads(manifest_path(out).read_text())
    assert manifest["tables"]["vendors"]["rows"] == 1


def test_build_is_deterministic(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = build_from(tmp_path / "a", SOURCE + VENDOR)
    b = build_from(tmp_path / "b", SOURCE + VENDOR)
    assert compute_manifest(a) == compute_manifest(b)


def test_bundled_database_equals_a_fresh_build(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.db"
    build.build(fresh)
    shipped = json.loads(manifest_path(bundled_database_path()).read_text())
    rebuilt = compute_manifest(fresh)
    assert shipped["tables"] == rebuilt["tables"], "run `python db/build.py` and commit the result"
    assert compute_manifest(bundled_database_path())["file_sha256"] == shipped["file_sha256"]
