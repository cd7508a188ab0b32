"""The formula guard, checked by a real spreadsheet: exported files opened in LibreOffice (headless)
with every common separator — including ones the file was not written with, as a user whose
spreadsheet defaults to semicolons does — contain no formula.

CI installs LibreOffice Calc (`.ci/run`); each opening separator is one `soffice` run converting the
files written with a comma, a semicolon and a tab to OpenDocument, whose content.xml is read back.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from faceledger.data import export as ex
from faceledger.data.export import ExportOptions

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

# Cells a spreadsheet could run once it splits them at a separator or a line break.
HOSTILE = [
    "Acme;=2+3;",
    "Acme,=2+3,",
    "Acme\t=2+3",
    "Acme|=2+3",
    "Acme;+2+3",
    "Acme,-2+3",
    "Acme|@SUM(2;3)",
    "first line\n=2+3",
    "first line\r\n+2+3",
    "Acme; =2+3",
    'Acme;"=2+3"',
    "=2+3",
    "@SUM(2,3)",
]
OPENED_WITH = {",": 44, ";": 59, "\t": 9, "|": 124}
WRITTEN_WITH = {",": "comma", ";": "semicolon", "\t": "tab"}


def write_files(folder: Path, guard: bool, written_with: dict[str, str] = WRITTEN_WITH) -> list[Path]:
    rows = [(f"r{i}", cell, "tail") for i, cell in enumerate(HOSTILE)]
    rows += [(cell, f"r{i}", "tail") for i, cell in enumerate(HOSTILE)]  # first in its row, too
    files = []
    for delimiter, name in written_with.items():
        dest = folder / f"{name}{'' if guard else '-unguarded'}.csv"
        options = ExportOptions(delimiter=delimiter, formula_guard=guard)
        for _ in ex.write_file(dest, ["id", "text", "more"], [rows], options):
            pass
        files.append(dest)
    return files


def formulas_when_opened(files: list[Path], separator: str, work: Path) -> dict[str, list[str]]:
    """Open each file in LibreOffice with `separator`, save as .ods, return each file's formulas."""
    out = work / f"opened-{OPENED_WITH[separator]}"
    out.mkdir()
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            f"--infilter=CSV:{OPENED_WITH[separator]},34,76,1",
            "--convert-to",
            "ods",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    found: dict[str, list[str]] = {}
    for f in files:
        with zipfile.ZipFile(out / (f.stem + ".ods")) as z:
            content = z.read("content.xml").decode("utf-8")
        assert content.count("<table:table-row") >= len(HOSTILE), "LibreOffice read no rows"
        found[f.name] = re.findall(r'table:formula="([^"]*)"', content)
    return found


@pytest.mark.parametrize("separator", list(OPENED_WITH), ids=["comma", "semicolon", "tab", "pipe"])
def test_no_formula_runs_whatever_separator_the_file_is_opened_with(separator: str, tmp_path: Path) -> None:
    # Fails rather than skips without LibreOffice: a check that silently stops running guards nothing.
    assert SOFFICE is not None, "LibreOffice (Debian: libreoffice-calc-nogui) is needed; .ci/run installs it"
    files = write_files(tmp_path, guard=True)
    # The check can fail: the same cells written without the guard do run as formulas.
    unguarded = write_files(tmp_path, guard=False, written_with={",": "comma"})
    found = formulas_when_opened(files + unguarded, separator, tmp_path)
    assert {f.name: found[f.name] for f in files} == {f.name: [] for f in files}
    assert found[unguarded[0].name], "LibreOffice ran no formula from the unguarded file"
