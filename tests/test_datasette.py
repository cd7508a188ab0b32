"""Sharing the database through Datasette: the metadata (Qt-free), Datasette driven in-process on
the bundled database (its ASGI test client, no socket), and `faceledger serve` in a subprocess."""

from __future__ import annotations

import asyncio
import html
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import httpx
import pytest
from datasette.app import Datasette
from db import build

from faceledger.cli import main
from faceledger.data.database import Database, bundled_database_path
from faceledger.data.datasette_metadata import (
    COLUMN_NOTES,
    TABLE_COLUMN_NOTES,
    datasette_metadata,
    metadata_json,
    metadata_path,
)
from faceledger.data.entities import ALL_SPECS
from faceledger.data.schema import TABLE

ROOT = Path(__file__).resolve().parents[1]
NAME = "faceledger"  # Datasette names a database after its file


@pytest.fixture(scope="module")
def metadata() -> dict[str, Any]:
    db = Database.open()
    try:
        return datasette_metadata(db)
    finally:
        db.close()


def tables_of(metadata: dict[str, Any]) -> dict[str, Any]:
    tables: dict[str, Any] = metadata["databases"][NAME]["tables"]
    return tables


def sql(query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    db = Database.open()
    try:
        return db.query(query, params)
    finally:
        db.close()


def get(
    metadata: dict[str, Any], *paths: str, settings: dict[str, Any] | None = None
) -> list[httpx.Response]:
    """Datasette on the bundled database, immutable, with `metadata`; each path requested through
    its in-process client (ASGI, no network socket)."""

    async def run() -> list[httpx.Response]:
        ds = Datasette(immutables=[str(bundled_database_path())], metadata=metadata, settings=settings)
        await ds.invoke_startup()
        return [await ds.client.get(p) for p in paths]

    return asyncio.run(run())


# -- the metadata ---------------------------------------------------------------------------------
def test_shipped_metadata_equals_one_made_from_the_bundled_database(metadata: dict[str, Any]) -> None:
    shipped = metadata_path(bundled_database_path())
    assert shipped.read_text(encoding="utf-8") == metadata_json(metadata), (
        "run `python db/build.py` and commit the result"
    )


def test_build_writes_the_metadata_beside_the_database(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "facts.toml").write_text(
        '[[source]]\nid = "s1"\nurl = "https://example.org/a"\npublisher = "Example"\nkind = "press"\n'
        '[[vendor]]\nid = "acme"\nname = "Acme Face"\nsources = ["s1"]\nverification = "verified"\n',
        encoding="utf-8",
    )
    out = tmp_path / "small.db"
    build.build(out, src, tmp_path / "no-external", importers=[])
    written = json.loads(metadata_path(out).read_text(encoding="utf-8"))
    vendors = written["databases"]["small"]["tables"]["vendors"]
    assert vendors["fts_table"] == "fts_vendors"
    assert "1 row from FaceLedger's curated research" in vendors["description"]


def test_title_data_version_and_dates_come_from_the_database(metadata: dict[str, Any]) -> None:
    meta = dict(sql("SELECT key, value FROM meta"))
    newest_source = sql("SELECT MAX(date) FROM sources WHERE date <> ''")[0][0]
    assert metadata["title"] == "FaceLedger"
    assert f"Data version {meta['data_version']} (schema {meta['schema_version']})" in metadata["description"]
    assert f"newest source is dated {newest_source}" in metadata["description"]


def test_every_column_is_described_under_the_apps_label(metadata: dict[str, Any]) -> None:
    tables = tables_of(metadata)
    db_tables = [
        t
        for (t,) in sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'fts\\_%' ESCAPE '\\'"
        )
    ]
    assert sorted(t for t in tables if tables[t] != {"hidden": True} or t in db_tables) == sorted(db_tables)
    unexplained = []
    for table in db_tables:
        columns = [c for (_cid, c, *_rest) in sql(f'PRAGMA table_info("{table}")')]
        assert list(tables[table]["columns"]) == columns
        for column in columns:
            if (table, column) not in TABLE_COLUMN_NOTES and column not in COLUMN_NOTES:
                unexplained.append(f"{table}.{column}")
    assert not unexplained, f"write a plain-words note for {unexplained} in datasette_metadata.py"
    # The words are the app's: a page's column header, else the detail pane's label.
    for table, spec in ALL_SPECS.items():
        for field in spec.fields:
            assert tables[table]["columns"][field.key].startswith(f"{field.header}: "), (table, field.key)
    assert tables["vendors"]["columns"]["legal_name"].startswith(TABLE["vendors"].column("legal_name").label + ": ")
    assert "partial (shown as “partly verified”)" in tables["deployments"]["columns"]["verification"]
    assert "pitch-only" in tables["deployments"]["columns"]["status"]


def test_each_table_names_its_licences_and_sources(metadata: dict[str, Any]) -> None:
    tables = tables_of(metadata)
    datasets = sql("SELECT id, name, licence, attribution FROM datasets")
    for table in ("vendors", "customers", "deployments", "events", "sources", "study_figures"):
        counts = dict(sql(f"SELECT COALESCE(dataset_id, ''), COUNT(*) FROM {table} GROUP BY 1"))
        for ds_id, name, licence, attribution in datasets:
            if ds_id in counts:
                assert licence in tables[table]["license"], (table, ds_id)
                assert name in tables[table]["source"], (table, ds_id)
                assert f"{counts[ds_id]:,} row" in tables[table]["description"]
                assert attribution in tables[table]["description"], (table, ds_id)
            else:
                assert name not in tables[table]["source"], (table, ds_id)
        assert ("curated records: no licence stated" in tables[table]["license"]) == ("" in counts)


def test_search_sort_facets_and_labels_are_configured(metadata: dict[str, Any]) -> None:
    tables = tables_of(metadata)
    fts = [t for (t,) in sql("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%fts5%'")]
    fts = [t for t in fts if t.removeprefix("fts_") in tables]  # not the word indexes and lists
    assert len(fts) >= 9
    for name in fts:
        assert tables[name.removeprefix("fts_")]["fts_table"] == name
        assert tables[name.removeprefix("fts_")]["fts_pk"] == "rowid"
    assert tables["vendors"]["sort_desc"] == "customer_count"
    assert "reported_customers_sort" in tables["vendors"]["sortable_columns"]
    assert "summary" not in tables["vendors"]["sortable_columns"]
    assert {"customer_country", "customer_type", "status", "verification"} <= set(
        tables["deployments"]["facets"]
    )
    assert {"country", "type"} <= set(tables["customers"]["facets"])
    assert "counted" in tables["customer_counts"]["facets"]
    assert tables["vendors"]["label_column"] == "name"
    assert tables["customers"]["label_column"] == "name"
    for name in fts:  # the stored trigram counts are hidden, as Datasette hides the indexes
        assert tables[f"{name}_trigram_rows"] == {"hidden": True}


def test_datasette_metadata_command_writes_the_file(tmp_path: Path, metadata: dict[str, Any]) -> None:
    out = io.StringIO()
    target = tmp_path / "metadata.json"
    assert main(["datasette-metadata", "-o", str(target)], stdout=out) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == metadata
    assert f"to {target}" in out.getvalue()
    out = io.StringIO()
    assert main(["datasette-metadata"], stdout=out) == 0
    assert json.loads(out.getvalue()) == metadata


def test_datasette_is_only_an_extra() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not any("datasette" in d.lower() for d in project["dependencies"])
    assert any(d.startswith("datasette") for d in project["optional-dependencies"]["serve"])
    # The metadata command works without importing Datasette.
    script = (
        "import io, sys; from faceledger.cli import main; "
        "code = main(['datasette-metadata'], stdout=io.StringIO()); "
        "print(code, 'datasette' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["0", "False"], done.stderr


def test_serve_without_datasette_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "datasette", None)
    monkeypatch.setitem(sys.modules, "datasette.cli", None)
    assert main(["serve"], stdout=io.StringIO()) == 4  # the command cannot run as given
    err = capsys.readouterr().err
    assert "pip install 'faceledger[serve]'" in err
    assert len(err.strip().splitlines()) == 1


# -- Datasette in-process -------------------------------------------------------------------------
def test_every_table_page_answers(metadata: dict[str, Any]) -> None:
    names = [t for (t,) in sql("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    responses = get(metadata, *(f"/{NAME}/{t}" for t in names))
    failed = [(t, r.status_code) for t, r in zip(names, responses, strict=True) if r.status_code != 200]
    assert not failed
    assert len(names) > 40  # the record tables, the link tables and the search indexes


def test_home_page_shows_each_datasets_licence(metadata: dict[str, Any]) -> None:
    (home,) = get(metadata, "/")
    assert home.status_code == 200
    page = html.unescape(home.text)
    datasets = sql("SELECT name, licence, attribution FROM datasets")
    assert len(datasets) >= 4
    for name, licence, attribution in datasets:
        assert name in page
        assert f"licence {licence}" in re.sub(r"<[^>]+>", "", page), name
        assert attribution in page
    assert "no licence stated" in page  # the curated records say so rather than claim one
    assert "Data version" in page


def search_rows(metadata: dict[str, Any], table: str, term: str) -> tuple[int, list[dict[str, Any]]]:
    (r,) = get(metadata, f"/{NAME}/{table}.json?_search={term}&_shape=objects&_size=max")
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    return int(body["filtered_table_rows_count"]), body["rows"]


def test_full_text_search_finds_clearview_among_vendors(metadata: dict[str, Any]) -> None:
    total = sql("SELECT COUNT(*) FROM vendors")[0][0]
    n, rows = search_rows(metadata, "vendors", "clearview")
    assert 0 < n < total
    assert "clearview-ai" in {row["id"] for row in rows}
    assert all("clearview" in json.dumps(row).lower() for row in rows)


def test_full_text_search_finds_detroit_among_customers(metadata: dict[str, Any]) -> None:
    total = sql("SELECT COUNT(*) FROM customers")[0][0]
    n, rows = search_rows(metadata, "customers", "detroit")
    assert 0 < n < total
    assert all("detroit" in json.dumps(row).lower() for row in rows)
    assert any("Detroit" in row["name"] for row in rows)


def test_deployments_facet_by_status(metadata: dict[str, Any]) -> None:
    expected = dict(sql("SELECT status, COUNT(*) FROM deployments GROUP BY status"))
    asked, default = get(metadata, f"/{NAME}/deployments.json?_facet=status", f"/{NAME}/deployments.json")
    assert asked.status_code == 200
    results = asked.json()["facet_results"]["status"]["results"]
    assert {r["value"]: r["count"] for r in results} == expected
    # Without asking: the facets the metadata configures (the app's filters).
    assert {"status", "customer_country", "customer_type", "verification"} <= set(
        default.json()["facet_results"]
    )


def test_sorting_and_labels_follow_the_metadata(metadata: dict[str, Any]) -> None:
    ((dep_id, vendor_id, customer_id, vendor, customer),) = sql(
        "SELECT d.id, vendor_id, customer_id, v.name, c.name FROM deployments d "
        "JOIN vendors v ON v.id = vendor_id JOIN customers c ON c.id = customer_id "
        "WHERE vendor_id = 'clearview-ai' ORDER BY d.id LIMIT 1"
    )
    page, unsortable, deployment = get(
        metadata,
        f"/{NAME}/vendors.json?_shape=objects",
        f"/{NAME}/vendors.json?_sort=summary",
        f"/{NAME}/deployments.json?id={dep_id}&_labels=on&_shape=objects",
    )
    counts = [row["customer_count"] for row in page.json()["rows"]]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]  # the Vendors page's order
    assert "Cannot sort table by summary" in unsortable.text  # only the app's sort columns
    row = deployment.json()["rows"][0]
    assert row["vendor_id"] == {"value": vendor_id, "label": vendor}
    assert row["customer_id"] == {"value": customer_id, "label": customer}


def test_vendors_page_shows_column_descriptions(metadata: dict[str, Any]) -> None:
    (page,) = get(metadata, f"/{NAME}/vendors")
    text = html.unescape(page.text)
    assert tables_of(metadata)["vendors"]["columns"]["customer_count"] in text
    assert "Documented customers: " in text


def test_no_sql_setting_refuses_arbitrary_queries(metadata: dict[str, Any]) -> None:
    query = f"/{NAME}.json?sql=select+count(*)+from+vendors"
    (allowed,) = get(metadata, query)
    (refused, table) = get(metadata, query, f"/{NAME}/vendors.json", settings={"default_allow_sql": False})
    assert allowed.status_code == 200
    assert refused.status_code == 403
    assert table.status_code == 200


# -- faceledger serve -----------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_serve_answers_on_localhost(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "app"), "HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "faceledger.cli", "serve", "--port", str(port), "--no-sql"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 60
        body = ""
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(url + "-/databases.json", timeout=5) as r:
                    body = r.read().decode()
                    break
            except OSError:
                time.sleep(0.2)
        assert body, f"no answer from {url}"
        databases = json.loads(body)
        assert [(d["name"], d["is_mutable"]) for d in databases] == [(NAME, False)]  # --immutable
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + f"{NAME}.json?sql=select+1", timeout=5)
        refused.value.close()
        assert refused.value.code == 403  # --no-sql
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    assert f"Open {url} in a browser." in out, out + err


@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_serve_on_a_taken_port_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = io.StringIO()
        assert main(["serve", "--port", str(port)], stdout=out) == 4
    err = capsys.readouterr().err
    assert err == f"faceledger: port {port} on 127.0.0.1 is already in use: choose another with --port N\n"
    assert out.getvalue() == ""  # no address announced for a server that did not start
