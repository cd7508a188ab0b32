"""Rows from an imported dataset whose licence asks for attribution (CC BY-SA: the AIAAIC
Repository, the AI Incident Database) carry that attribution when exported, in a last column,
dataset_licence; FaceLedger's own rows and public-domain data leave it empty, and an export with no
such rows has no such column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from faceledger.cli import main as cli_main
from faceledger.data.database import Database
from faceledger.data.repository import LICENCE_KEY


def export(args: list[str]) -> list[list[str]]:
    stream = io.StringIO()
    assert cli_main(["export", *args, "-o", "-"], stdout=stream) == 0
    return list(csv.reader(io.StringIO(stream.getvalue(), newline="")))


def test_each_row_from_a_cc_by_sa_dataset_carries_its_attribution(db: Database) -> None:
    licences = dict(db.query("SELECT id, licence FROM datasets"))
    attribution = dict(db.query("SELECT id, attribution || ' ' || licence_url FROM datasets"))
    assert {licences["aiaaic"], licences["aiid-incidents-2025"]} == {"CC BY-SA 4.0"}
    rows = export(["vendors"])
    head, body = rows[0], rows[1:]
    assert head[-1] == LICENCE_KEY
    origin = head.index("dataset_id")
    seen = set()
    for row in body:
        dataset = row[origin]
        if dataset and licences[dataset].startswith("CC BY"):
            assert row[-1] == attribution[dataset] and "creativecommons.org/licenses/by-sa/4.0" in row[-1]
        else:  # FaceLedger's research, the public-domain NIST and federal tables: no attribution owed
            assert row[-1] == ""
        seen.add(dataset)
    assert {"", "aiaaic", "nist-frvt-11-2020"} <= seen


def test_no_such_column_without_such_rows_or_when_left_out() -> None:
    curated = export(["customers", "--where", "origin=curated", "--columns", "name"])
    assert curated[0] == ["name"]
    assert len(curated) > 10
    imported = export(["customers", "--where", "origin=aiaaic", "--columns", "name"])
    assert imported[0] == ["name", LICENCE_KEY] and all(row[1] for row in imported[1:])
    left_out = export(["customers", "--where", "origin=aiaaic", "--columns", "name", "--without-licences"])
    assert left_out[0] == ["name"]


def test_the_whole_export_folder_carries_it_too(tmp_path: Path) -> None:
    out = tmp_path / "all"
    assert cli_main(["export", "--all", "-o", str(out)], stdout=io.StringIO()) == 0
    with open(out / "events.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][-1] == LICENCE_KEY
    assert any("CC BY-SA 4.0" in row[-1] for row in rows[1:])
