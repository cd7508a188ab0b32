"""The command line over the data layer."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from faceledger.cli import main


def run(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = main(args, stdout=out)
    return code, out.getvalue()


def test_doctor_passes_on_the_bundled_database(qapp) -> None:  # type: ignore[no-untyped-def]
    code, out = run(["doctor"])
    assert code == 0, out
    assert "quick_check: ok" in out
    assert "main window: ok" in out


def test_doctor_accepts_another_database(qapp, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "release.db"
    shutil.copy(db_path, copy)
    shutil.copy(str(db_path) + ".manifest.json", str(copy) + ".manifest.json")
    code, out = run(["doctor", "--db", str(copy)])
    assert code == 0 and str(copy) in out


def test_missing_database_gives_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run(["stats", "--db", str(tmp_path / "nope.db")])
    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1 and "does not exist" in err and "Traceback" not in err


def test_search_prints_hits_and_no_matches() -> None:
    code, out = run(["search", "clearview", "--type", "vendors"])
    assert code == 0 and "Clearview AI" in out
    code, out = run(["search", "zzzqqqxxx"])
    assert code == 0 and out.strip() == "No matches for 'zzzqqqxxx'."
    code, out = run(["search", "herta", "--format", "json", "--limit", "3"])
    data = json.loads(out)
    assert any(d["label"] == "Herta Security" for d in data)
    code, out = run(["search", "herta", "--format", "csv", "--type", "vendors"])
    assert out.splitlines()[0] == "type,id,label,context,matched_in"


def test_unknown_option_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run(["search"])
    assert code == 4  # the command was given wrongly (2 is a database that cannot be used)
    assert "Traceback" not in capsys.readouterr().err


def test_stats_lists_entities_statuses_and_datasets() -> None:
    code, out = run(["stats"])
    assert code == 0
    assert "records per entity:" in out and "verification status:" in out and "imported datasets:" in out
