"""CSV export (Qt-free): every file read back with the csv module and compared cell by cell with
the database; formats, the formula guard, atomic writes, failures, cancel, `--where`, the CLI."""

from __future__ import annotations

import csv
import errno
import io
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from db import build
from hypothesis import given, settings
from hypothesis import strategies as st

from faceledger import export_cli
from faceledger.cli import main as cli_main
from faceledger.data import csv_writer, export_files
from faceledger.data import export as ex
from faceledger.data.database import Database
from faceledger.data.entities import ALL_SPECS
from faceledger.data.errors import FaceLedgerError, UnknownName
from faceledger.data.export import ExportError, ExportOptions
from faceledger.data.repositories import LINK_TABLES, Query, Repositories
from faceledger.export_cli import WhereError

ROOT = Path(__file__).resolve().parents[1]
GUARD = "=+-@\t\r"

# Awkward values: commas, quotes, newlines, non-Latin scripts, emoji, and every formula prefix.
SOURCES = r"""
[[source]]
id = "s1"
url = "https://example.org/a?x=1,2"
publisher = "Example, \"Quoted\" Press"
title = "Line one\nline two, with \"quotes\""
date = "2020-06-01"
kind = "press"

[[source]]
id = "s2"
url = "https://example.org/b"
publisher = "=HYPERLINK(\"http://evil.example\")"
kind = "primary"
"""

PREFIXED = {
    "eq": "=1+2",
    "plus": "+33 Face",
    "minus": "-2+3",
    "at": "@SUM(A1)",
    "tab": "\tTabbed",
    "cr": "\rReturn",
}

VENDORS = (
    "".join(
        f'''
[[vendor]]
id = "{vid}"
name = "{name}"
sources = ["s1"]
verification = "verified"
'''
        for vid, name in [
            ("acme", r"Acme, \"Face\" Inc."),
            ("societe", "Société Générale Vision"),
            ("muller", "Müller Gesichtserkennung"),
            ("arabic", "شركة التعرف على الوجه"),
            ("emoji", "Face 😀 Ltd"),
            *[(f"p-{k}", v.replace("\t", r"\t").replace("\r", r"\r")) for k, v in PREFIXED.items()],
        ]
    )
    + r"""
[[vendor]]
id = "multi"
name = "Multi Line"
aliases = ["Multi, Inc.", "MLX"]
hq_city = "Paris\nCedex 08"
founded = "2001-02-03"
products = "Watch; Search"
sources = ["s1", "s2"]
verification = "partial"
verification_note = "One source only: \"see s2\""
"""
)

REST = r"""
[[customer]]
id = "montreal"
name = "Service de police de la Ville de Montréal"
type = "local police"
country = "CA"
region = "Québec"
sources = ["s1"]
verification = "verified"

[[customer]]
id = "calc"
name = "=cmd|' /C calc'!A0"
type = "sheriff"
country = "US"
sources = ["s2"]
verification = "unverified"

[[deployment]]
id = "d1"
vendor = "acme"
customer = "montreal"
product = "Face, \"Search\""
status = "active"
start = "2019-05"
end = "2020"
sources = ["s1"]
verification = "verified"

[[deployment]]
id = "d2"
vendor = "societe"
customer = "calc"
status = "trial"
start = "2021-01-15"
sources = ["s2"]
verification = "unverified"

[[count]]
id = "cnt-neg"
vendor = "acme"
subject = "police, \"agencies\""
qualifier = "exact"
value = -5
as_of = "2020-06"
reported_by = "-Reporter"
kind = "journalism"
counted = "law-enforcement agencies"
product = "face recognition"
scope = "overall"
sources = ["s1"]
verification = "verified"

[[count]]
id = "cnt-words"
vendor = "muller"
subject = "Polizeibehörden"
qualifier = "a handful"
reported_by = "Zeitung"
kind = "journalism"
counted = "law-enforcement agencies"
product = "face recognition"
scope = "overall"
sources = ["s1"]
verification = "partial"

[[study]]
id = "st1"
title = "Étude: \"bias\",\nsecond line"
date = "2019-01-01"
vendors = ["acme"]
sources = ["s1"]
verification = "verified"

[[figure]]
id = "f-neg"
study = "st1"
vendor = "acme"
subgroup = "@group"
metric = "FNMR"
value = -0.25
unit = "%"
sources = ["s1"]
verification = "verified"

[[figure]]
id = "f-big"
study = "st1"
vendor = "arabic"
metric = "+rate"
value = 1234.5
sources = ["s1"]
verification = "verified"

[[event]]
id = "e1"
date = "2020-06-10"
kind = "fine"
title = "+Fine, \"big\"\nand long"
amount = -1000.5
currency = "EUR"
vendors = ["acme", "muller"]
customers = ["montreal"]
sources = ["s1"]
verification = "verified"

[[event]]
id = "e2"
date = "2021"
kind = "ban"
title = "Ban in Zürich 🚫"
amount = 2500000
currency = "CHF"
sources = ["s2"]
verification = "partial"
"""


def _dataset_importer(coll: build.Collection, _external: Path) -> None:
    coll.datasets.append(
        build.Dataset(
            id="ds-awkward",
            name='Données "ouvertes", Müller edition',
            publisher="Amt für Daten",
            licence="CC BY 4.0",
            licence_url="https://creativecommons.org/licenses/by/4.0/",
            attribution="Data © Müller & Société, 2024; شكرا",
            url="https://example.org/dataset",
            retrieved="2024-01-02",
            upstream="example upstream",
        )
    )


@pytest.fixture(scope="module")
def awkward_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("awkward")
    src = base / "src"
    src.mkdir()
    (src / "facts.toml").write_text(SOURCES + VENDORS + REST, encoding="utf-8")
    out = base / "awkward.db"
    build.build(out, src_dir=src, importers=[_dataset_importer])
    return out


@pytest.fixture()
def adb(awkward_db: Path) -> Iterator[Database]:
    database = Database.open(awkward_db)
    yield database
    database.close()


@pytest.fixture()
def arepos(adb: Database) -> Repositories:
    return Repositories(adb)


# -- helpers ---------------------------------------------------------------------------------------
def drive(gen: Generator[Any, None, Any]) -> Any:
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value


def cell(value: Any, guard: bool = True) -> str:
    """What a database value must read back as."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if guard and value[:1] and value[:1] in GUARD else value
    return repr(value) if isinstance(value, float) else str(value)


def read(path: Path, delimiter: str = ",", encoding: str = "utf-8") -> list[list[str]]:
    with open(path, encoding=encoding, newline="") as fh:
        return list(csv.reader(fh, delimiter=delimiter))


def table_rows(db_file: Path, table: str, columns: list[str]) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        cols = ", ".join(f'"{c}"' for c in columns)
        return conn.execute(f'SELECT {cols} FROM "{table}"').fetchall()
    finally:
        conn.close()


def table_columns(db_file: Path, table: str) -> list[str]:
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
    finally:
        conn.close()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(ex.TEMP_PREFIX))


# -- round trips -----------------------------------------------------------------------------------
def test_export_everything_round_trips_every_table_cell_by_cell(
    arepos: Repositories, awkward_db: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "everything"
    result = drive(ex.export_all(arepos, dest, ExportOptions()))
    assert result.path == dest
    assert leftovers(tmp_path) == []
    tables = [*ALL_SPECS, *LINK_TABLES]
    assert sorted(p.name for p in dest.iterdir()) == sorted([f"{t}.csv" for t in tables] + ["README.txt"])
    assert dict(result.files) == {f"{t}.csv": len(table_rows(awkward_db, t, ["rowid"])) for t in tables}
    for table in tables:
        columns = table_columns(awkward_db, table) if table in ALL_SPECS else list(LINK_TABLES[table])
        got = read(dest / f"{table}.csv")
        assert got[0] == columns, table
        expected = sorted([cell(v) for v in row] for row in table_rows(awkward_db, table, columns))
        assert sorted(got[1:]) == expected, table
    # The awkward values really are in there (the comparison above is not vacuous).
    vendors = read(dest / "vendors.csv")
    names = {row[vendors[0].index("name")] for row in vendors[1:]}
    assert {'Acme, "Face" Inc.', "Société Générale Vision", "شركة التعرف على الوجه", "Face 😀 Ltd"} <= names
    assert "'=1+2" in names and "'\rReturn" in names
    multi = next(r for r in vendors[1:] if r[0] == "multi")
    assert multi[vendors[0].index("hq_city")] == "Paris\nCedex 08"
    assert multi[vendors[0].index("aliases")] == "Multi, Inc.; MLX"


def test_rows_come_in_the_tables_default_order(arepos: Repositories, tmp_path: Path) -> None:
    result = drive(ex.export_table(arepos.events, tmp_path / "events.csv", ExportOptions()))
    rows = read(tmp_path / "events.csv")
    assert result.rows == 2 and [r[0] for r in rows[1:]] == ["e1", "e2"]  # by date: 2020-06-10, then 2021


def test_readme_has_data_version_and_each_datasets_licence(
    arepos: Repositories, adb: Database, tmp_path: Path
) -> None:
    drive(ex.export_all(arepos, tmp_path / "all", ExportOptions(profile="excel", delimiter=";")))
    text = (tmp_path / "all" / "README.txt").read_text(encoding="utf-8")
    assert text.startswith(ex.README_TITLE)
    assert f"Data version: {adb.meta()['data_version']}" in text
    for needle in (
        'Données "ouvertes", Müller edition',
        "Licence: CC BY 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
        "Attribution: Data © Müller & Société, 2024; شكرا",
        "semicolon-separated",
        "byte-order mark",
        "citations.csv",
    ):
        assert needle in text, needle
    assert "vendors.csv" in text and "12 rows" in text


def test_numbers_are_never_prefixed_even_when_negative(arepos: Repositories, tmp_path: Path) -> None:
    drive(ex.export_all(arepos, tmp_path / "all", ExportOptions()))

    def column(table: str, rid: str, key: str) -> str:
        rows = read(tmp_path / "all" / f"{table}.csv")
        row = next(r for r in rows[1:] if r[0] == rid)
        return row[rows[0].index(key)]

    assert column("customer_counts", "cnt-neg", "value") == "-5"
    assert column("study_figures", "f-neg", "value") == "-0.25"
    assert column("events", "e1", "amount") == "-1000.5"
    assert column("events", "e2", "amount") == "2500000.0"
    # ... while text that looks like a formula is guarded, including a count's display text.
    assert column("customer_counts", "cnt-neg", "value_text") == "'-5"
    assert column("customer_counts", "cnt-neg", "reported_by") == "'-Reporter"
    assert column("study_figures", "f-big", "metric") == "'+rate"


@pytest.mark.parametrize("key", sorted(PREFIXED))
def test_each_formula_prefix_is_guarded_and_the_guard_can_be_turned_off(
    arepos: Repositories, tmp_path: Path, key: str
) -> None:
    query = Query(filters=(("id", (f"p-{key}",)),))
    for guard, expected in ((True, "'" + PREFIXED[key]), (False, PREFIXED[key])):
        dest = tmp_path / f"{key}-{guard}.csv"
        drive(
            ex.export_query(
                arepos.vendors,
                query,
                ["id", "name"],
                ["Id", "Vendor"],
                dest,
                ExportOptions(formula_guard=guard),
            )
        )
        assert read(dest) == [["Id", "Vendor"], [f"p-{key}", expected]]


def test_guard_cell_rules() -> None:
    assert [csv_writer.guard_cell(v) for v in ("=x", "+x", "-x", "@x", "\tx", "\rx")] == [
        "'=x",
        "'+x",
        "'-x",
        "'@x",
        "'\tx",
        "'\rx",
    ]
    assert [csv_writer.guard_cell(v) for v in ("", "x=1", " =x", "'=x", None, -5, -0.5, 3)] == [
        "",
        "x=1",
        " =x",
        "'=x",
        None,
        -5,
        -0.5,
        3,
    ]


def test_standard_profile_is_utf8_crlf_without_bom_and_excel_adds_the_bom(
    arepos: Repositories, tmp_path: Path
) -> None:
    keys = ["id", "hq_city", "name"]
    std, xl = tmp_path / "std.csv", tmp_path / "xl.csv"
    drive(ex.export_query(arepos.vendors, Query(), keys, keys, std, ExportOptions()))
    drive(ex.export_query(arepos.vendors, Query(), keys, keys, xl, ExportOptions(profile="excel")))
    raw, raw_xl = std.read_bytes(), xl.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw_xl == b"\xef\xbb\xbf" + raw
    assert raw.startswith(b"id,hq_city,name\r\n") and raw.endswith(b"\r\n")
    assert b'"Paris\nCedex 08"' in raw  # a newline inside a cell is kept, quoted
    assert raw.replace(b"Paris\nCedex", b"").count(b"\n") == raw.count(b"\r\n")  # every line end is CRLF
    assert "Société".encode() in raw
    assert read(xl, encoding="utf-8-sig") == read(std)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_choice(arepos: Repositories, awkward_db: Path, tmp_path: Path, delimiter: str) -> None:
    keys = ["id", "name", "aliases", "hq_city"]
    dest = tmp_path / "v.csv"
    drive(
        ex.export_query(
            arepos.vendors, Query(order=("id", True)), keys, keys, dest, ExportOptions(delimiter=delimiter)
        )
    )
    assert dest.read_bytes().startswith(delimiter.join(keys).encode() + b"\r\n")
    got = read(dest, delimiter)
    expected = sorted([cell(v) for v in r] for r in table_rows(awkward_db, "vendors", keys))
    assert got[1:] == expected


def test_view_export_equals_the_rows_the_view_shows(arepos: Repositories, tmp_path: Path) -> None:
    repo = arepos.vendors
    query = Query(search="face", filters=(("verification", ("verified", "partial")),), order=("name", False))
    keys = ["name", "verification", "id"]
    dest = tmp_path / "view.csv"
    result = drive(
        ex.export_query(repo, query, keys, ["Vendor", "Verification", "Id"], dest, ExportOptions())
    )
    shown = repo.page(query, 0, 1000)
    assert result.rows == len(shown) == repo.count(query) >= 3
    assert read(dest) == [["Vendor", "Verification", "Id"]] + [
        [cell(getattr(r, k)) for k in keys] for r in shown
    ]
    assert len(shown) < repo.total()  # the search and filter did narrow the rows


def test_stream_export_writes_the_same_text(arepos: Repositories, tmp_path: Path) -> None:
    keys = ["id", "name"]
    buf = io.StringIO(newline="")
    drive(ex.export_query_to_stream(arepos.vendors, Query(), keys, keys, buf, ExportOptions()))
    drive(ex.export_query(arepos.vendors, Query(), keys, keys, tmp_path / "v.csv", ExportOptions()))
    assert buf.getvalue().encode("utf-8") == (tmp_path / "v.csv").read_bytes()


def test_progress_counts_up_to_the_total(arepos: Repositories, tmp_path: Path) -> None:
    gen = ex.export_query(arepos.study_figures, Query(), ["id"], ["id"], tmp_path / "f.csv", ExportOptions())
    steps = []
    try:
        while True:
            steps.append(next(gen))
    except StopIteration:
        pass
    assert steps[0] == (0, 2) and steps[-1] == (2, 2)


# -- atomic writes, failures and cancel -------------------------------------------------------------
def test_cancel_leaves_no_file_and_no_temporary_file(arepos: Repositories, tmp_path: Path) -> None:
    gen = ex.export_query(arepos.vendors, Query(), ["id"], ["id"], tmp_path / "v.csv", ExportOptions())
    next(gen)
    assert len(leftovers(tmp_path)) == 1  # the export is under way in a temporary file
    gen.close()  # what jobs.run_job does when the user cancels
    assert list(tmp_path.iterdir()) == []


def test_cancel_keeps_an_existing_file(arepos: Repositories, tmp_path: Path) -> None:
    dest = tmp_path / "v.csv"
    dest.write_text("old contents", encoding="utf-8")
    gen = ex.export_query(arepos.vendors, Query(), ["id"], ["id"], dest, ExportOptions())
    next(gen)
    gen.close()
    assert dest.read_text(encoding="utf-8") == "old contents"
    assert leftovers(tmp_path) == []


def test_ctrl_c_midway_leaves_nothing(arepos: Repositories, tmp_path: Path) -> None:
    gen = ex.export_query(arepos.vendors, Query(), ["id"], ["id"], tmp_path / "v.csv", ExportOptions())
    next(gen)
    with pytest.raises(KeyboardInterrupt):
        gen.throw(KeyboardInterrupt())
    assert list(tmp_path.iterdir()) == []


def test_existing_file_is_replaced_only_by_a_complete_export(arepos: Repositories, tmp_path: Path) -> None:
    dest = tmp_path / "v.csv"
    dest.write_text("old contents", encoding="utf-8")
    gen = ex.export_query(arepos.vendors, Query(), ["id"], ["id"], dest, ExportOptions())
    next(gen)
    assert dest.read_text(encoding="utf-8") == "old contents"  # still the old file while writing
    result = drive(gen)
    assert read(dest)[0] == ["id"] and len(read(dest)) == result.rows + 1 == 13
    assert leftovers(tmp_path) == []


def test_a_folder_that_is_really_a_file_gives_a_clear_message(arepos: Repositories, tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")
    dest = blocker / "v.csv"
    with pytest.raises(ExportError) as info:
        drive(ex.export_table(arepos.vendors, dest, ExportOptions()))
    assert str(dest) in str(info.value) and "not a folder" in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    with pytest.raises(ExportError) as info:
        drive(ex.export_all(arepos, blocker / "all", ExportOptions()))
    assert "not a folder" in str(info.value)


def test_missing_folder_gives_a_clear_message(arepos: Repositories, tmp_path: Path) -> None:
    dest = tmp_path / "nope" / "v.csv"
    with pytest.raises(ExportError, match="does not exist") as info:
        drive(ex.export_table(arepos.vendors, dest, ExportOptions()))
    assert str(dest) in str(info.value)


# As root, a mode does not stop writes: the folder is made read-only by a read-only bind mount in a
# private mount namespace (`unshare -m`), where the export runs; otherwise by its mode.
READ_ONLY_MOUNT = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'


@pytest.mark.parametrize("what", ["table", "everything"])
def test_read_only_folder(what: str, awkward_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    args = (
        ["export", "vendors", "-o", str(folder / "v.csv")]
        if what == "table"
        else ["export", "--all", "-o", str(folder / "all")]
    )
    command = [sys.executable, "-m", "faceledger.cli", *args, "--db", str(awkward_db)]
    as_root = os.geteuid() == 0
    if as_root:
        command = ["unshare", "-m", "sh", "-c", READ_ONLY_MOUNT, "sh", str(folder), *command]
    else:
        folder.chmod(0o500)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "app"), "HOME": str(tmp_path / "home")}
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    finally:
        folder.chmod(0o700)
    assert result.returncode == 3, result.stderr
    reason = "the disk is read-only" if as_root else "the folder is not writable (permission denied)"
    assert (
        result.stderr.count("\n") == 1 and reason in result.stderr and "nothing was written" in result.stderr
    )
    assert list(folder.iterdir()) == []


def test_unwritable_folder_via_permission_error(
    arepos: Repositories, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_a: Any, **_k: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    with pytest.raises(ExportError) as info:
        drive(ex.export_table(arepos.vendors, tmp_path / "v.csv", ExportOptions()))
    assert (
        str(info.value)
        == f"Could not export to {tmp_path / 'v.csv'}: the folder is not writable (permission denied); nothing was written."
    )
    with pytest.raises(ExportError, match="not writable"):
        drive(ex.export_all(arepos, tmp_path / "all", ExportOptions()))
    assert list(tmp_path.iterdir()) == []


class _FullDisk:
    """A file whose writes fail with ENOSPC after `room` characters (a disk filling up)."""

    def __init__(self, fh: Any, room: int) -> None:
        self.fh, self.room = fh, room

    def write(self, text: str) -> int:
        self.room -= len(text)
        if self.room < 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        return int(self.fh.write(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.fh, name)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fh.close()


def test_disk_full_while_writing_leaves_nothing_and_keeps_the_old_file(
    arepos: Repositories, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "v.csv"
    dest.write_text("old contents", encoding="utf-8")
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: _FullDisk(real_fdopen(*a, **k), 50))
    with pytest.raises(ExportError) as info:
        drive(ex.export_table(arepos.vendors, dest, ExportOptions()))
    assert (
        str(info.value)
        == f"Could not export to {dest}: the disk is full; the existing one was left unchanged."
    )
    assert dest.read_text(encoding="utf-8") == "old contents"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "err, words",
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EROFS, "the disk is read-only"),
        (errno.EACCES, "cannot be replaced (it is read-only or open in another program)"),
        (errno.EBUSY, "in use by another program"),
    ],
)
def test_failure_when_moving_into_place(
    arepos: Repositories, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, err: int, words: str
) -> None:
    dest = tmp_path / "v.csv"
    dest.write_text("old contents", encoding="utf-8")

    def fail(*_a: Any, **_k: Any) -> None:
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(ExportError) as info:
        drive(ex.export_table(arepos.vendors, dest, ExportOptions()))
    assert str(dest) in str(info.value) and words in str(info.value)
    assert dest.read_text(encoding="utf-8") == "old contents"
    assert leftovers(tmp_path) == []


def test_fsync_failure_is_reported(
    arepos: Repositories, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(_fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(ExportError, match="input/output error; nothing was written"):
        drive(ex.export_table(arepos.vendors, tmp_path / "v.csv", ExportOptions()))
    assert list(tmp_path.iterdir()) == []


def test_export_everything_cancelled_or_failing_leaves_nothing(
    arepos: Repositories, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gen = ex.export_all(arepos, tmp_path / "all", ExportOptions())
    for _ in range(4):
        next(gen)
    assert len(leftovers(tmp_path)) == 1
    gen.close()
    assert list(tmp_path.iterdir()) == []

    real_open = open
    opened: list[str] = []

    def failing_open(path: Any, *a: Any, **k: Any) -> Any:
        opened.append(Path(path).name)
        if Path(path).name == "events.csv":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, *a, **k)

    monkeypatch.setattr("builtins.open", failing_open)
    with pytest.raises(ExportError, match="the disk is full; nothing was written"):
        drive(ex.export_all(arepos, tmp_path / "all", ExportOptions()))
    assert "vendors.csv" in opened  # some files were written before the failure ...
    assert list(tmp_path.iterdir()) == []  # ... and removed with the temporary folder


def test_export_everything_replaces_only_an_earlier_export(arepos: Repositories, tmp_path: Path) -> None:
    dest = tmp_path / "all"
    drive(ex.export_all(arepos, dest, ExportOptions()))
    (dest / "vendors.csv").write_text("stale", encoding="utf-8")
    drive(ex.export_all(arepos, dest, ExportOptions()))  # an earlier export: replaced
    assert read(dest / "vendors.csv")[0][0] == "id"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all"]

    other = tmp_path / "mine"
    other.mkdir()
    (other / "thesis.docx").write_text("precious", encoding="utf-8")
    with pytest.raises(ExportError, match="holds other files"):
        drive(ex.export_all(arepos, other, ExportOptions()))
    assert [p.name for p in other.iterdir()] == ["thesis.docx"]

    empty = tmp_path / "empty"
    empty.mkdir()
    drive(ex.export_all(arepos, empty, ExportOptions()))
    assert (empty / "README.txt").is_file()
    assert leftovers(tmp_path) == []


def test_unknown_columns_are_refused_before_anything_is_written(arepos: Repositories, tmp_path: Path) -> None:
    with pytest.raises(UnknownName, match="unknown column 'nope' in vendors"):
        drive(
            ex.export_query(
                arepos.vendors, Query(), ["id", "nope"], ["a", "b"], tmp_path / "v.csv", ExportOptions()
            )
        )
    with pytest.raises(ExportError, match="one header"):
        drive(ex.export_query(arepos.vendors, Query(), ["id"], [], tmp_path / "v.csv", ExportOptions()))
    with pytest.raises(ExportError, match="it is a folder"):
        drive(ex.export_table(arepos.vendors, tmp_path, ExportOptions()))
    assert list(tmp_path.iterdir()) == []


def test_options_are_checked() -> None:
    with pytest.raises(ExportError, match="profile"):
        ExportOptions(profile="lotus")
    with pytest.raises(ExportError, match="delimiter"):
        ExportOptions(delimiter="|")


def test_new_files_get_normal_permissions(arepos: Repositories, tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("POSIX modes")
    dest = tmp_path / "v.csv"
    drive(ex.export_table(arepos.vendors, dest, ExportOptions()))
    mask = export_files.umask()
    assert dest.stat().st_mode & 0o777 == 0o666 & ~mask  # not the temporary file's 0600


# -- parsing user input -----------------------------------------------------------------------------
def test_parse_where() -> None:
    assert export_cli.parse_where(["country=US", "type=sheriff", "country=CA", "country=US"]) == (
        ("country", ("US", "CA")),
        ("type", ("sheriff",)),
    )
    assert export_cli.parse_where([" Region = Québec ", "note=", "url=https://x.org/?a=b"]) == (
        ("region", ("Québec",)),
        ("note", ("",)),
        ("url", ("https://x.org/?a=b",)),
    )
    assert export_cli.parse_where([]) == ()


@pytest.mark.parametrize(
    "bad, words",
    [
        ("country", "no '=' found"),
        ("=US", "field name before '=' is missing"),
        ("1st=x", "is not a field name"),
        ("a b=c", "is not a field name"),
        ("x;drop=1", "is not a field name"),
        ("", "no '=' found"),
    ],
)
def test_parse_where_errors(bad: str, words: str) -> None:
    with pytest.raises(WhereError, match=words):
        export_cli.parse_where([bad])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=30)))
def test_parse_where_fuzz_only_raises_its_own_error(items: list[str]) -> None:
    try:
        filters = export_cli.parse_where(items)
    except WhereError as exc:
        assert "\n" not in str(exc)
        return
    for key, values in filters:
        assert key and key == key.strip().lower() and values


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=10), st.integers(), st.none(), st.binary(max_size=5))))
def test_parse_where_fuzz_any_object(items: list[Any]) -> None:
    try:
        export_cli.parse_where(items)
    except WhereError:
        pass


def test_parse_columns_delimiter_and_table_names() -> None:
    assert export_cli.parse_columns(" name, hq_country ,id") == ("name", "hq_country", "id")
    for bad in ("", "a,,b", "a,a", " , "):
        with pytest.raises(ExportError):
            export_cli.parse_columns(bad)
    assert [export_cli.parse_delimiter(d) for d in (",", ";", "\t", "tab", "TAB", "\\t", "semicolon", "comma")] == [
        ",",
        ";",
        "\t",
        "\t",
        "\t",
        "\t",
        ";",
        ",",
    ]
    with pytest.raises(ExportError):
        export_cli.parse_delimiter("|")
    assert export_cli.resolve_table("counts") == "customer_counts"
    assert export_cli.resolve_table("Figures") == "study_figures"
    assert export_cli.resolve_table("study-figures") == "study_figures"
    assert export_cli.resolve_table("vendor") == "vendors"
    assert export_cli.resolve_table("citations") == "citations"
    for table in ALL_SPECS:
        assert export_cli.resolve_table(table) == table
    with pytest.raises(UnknownName, match="unknown table 'venders'"):
        export_cli.resolve_table("venders")


# -- command line ------------------------------------------------------------------------------------
def run(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = cli_main(args, stdout=out)
    return code, out.getvalue()


def test_cli_exports_a_table_with_every_option(awkward_db: Path, tmp_path: Path) -> None:
    db = ["--db", str(awkward_db)]
    dest = tmp_path / "v.csv"
    code, out = run(["export", "vendors", "-o", str(dest), *db])
    assert code == 0 and f"wrote 12 rows to {dest}" in out
    got = read(dest)
    columns = table_columns(awkward_db, "vendors")
    assert got[0] == columns
    assert sorted(got[1:]) == sorted([cell(v) for v in r] for r in table_rows(awkward_db, "vendors", columns))

    code, _ = run(["export", "vendors", "-o", str(dest), "--columns", "name,id", "--search", "acme", *db])
    assert code == 0 and read(dest) == [["name", "id"], ['Acme, "Face" Inc.', "acme"]]

    code, _ = run(["export", "customers", "-o", str(dest), "--columns", "id", "--where", "country=US", *db])
    assert read(dest) == [["id"], ["calc"]]
    code, _ = run(
        [
            "export",
            "customers",
            "-o",
            str(dest),
            "--columns",
            "id",
            "--where",
            "country=US",
            "--where",
            "country=CA",
            *db,
        ]
    )
    assert sorted(read(dest)[1:]) == [["calc"], ["montreal"]]  # the same field twice: either value
    code, _ = run(
        [
            "export",
            "customers",
            "-o",
            str(dest),
            "--columns",
            "id",
            "--where",
            "country=CA",
            "--where",
            "type=sheriff",
            *db,
        ]
    )
    assert read(dest) == [["id"]]  # two fields: both must match

    code, _ = run(
        [
            "export",
            "counts",
            "-o",
            str(dest),
            "--columns",
            "id,value,reported_by",
            "--profile",
            "excel",
            "--delimiter",
            ";",
            "--where",
            "id=cnt-neg",
            *db,
        ]
    )
    assert dest.read_bytes() == "\ufeffid;value;reported_by\r\ncnt-neg;-5;'-Reporter\r\n".encode()
    code, _ = run(
        [
            "export",
            "figures",
            "-o",
            str(dest),
            "--columns",
            "id,metric",
            "--delimiter",
            "tab",
            "--no-formula-guard",
            "--where",
            "id=f-big",
            *db,
        ]
    )
    assert dest.read_bytes() == b"id\tmetric\r\nf-big\t+rate\r\n"


def test_cli_writes_to_standard_output(awkward_db: Path) -> None:
    code, out = run(["export", "events", "-o", "-", "--columns", "id,title,amount", "--db", str(awkward_db)])
    assert code == 0
    assert list(csv.reader(io.StringIO(out, newline=""))) == [
        ["id", "title", "amount"],
        ["e1", '\'+Fine, "big"\nand long', "-1000.5"],
        ["e2", "Ban in Zürich 🚫", "2500000.0"],
    ]


def test_cli_standard_output_is_utf8_bytes_with_crlf(awkward_db: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "app"), "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "faceledger.cli",
            "export",
            "vendors",
            "-o",
            "-",
            "--columns",
            "id,name",
            "--where",
            "id=societe",
            "--profile",
            "excel",
            "--db",
            str(awkward_db),
        ],
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "\ufeffid,name\r\nsociete,Société Générale Vision\r\n".encode()


def test_cli_exports_everything(awkward_db: Path, tmp_path: Path) -> None:
    code, out = run(["export", "--all", "-o", str(tmp_path / "all"), "--db", str(awkward_db)])
    assert code == 0 and "README.txt" in out
    assert (tmp_path / "all" / "README.txt").is_file() and (tmp_path / "all" / "citations.csv").is_file()


@pytest.mark.parametrize(
    "args, words",
    [
        (["export", "venders", "-o", "-"], "unknown table 'venders'"),
        (["export", "vendors", "-o", "-", "--columns", "id,nope"], "unknown column 'nope'"),
        (["export", "vendors", "-o", "-", "--where", "nope=1"], "unknown field 'nope'"),
        (["export", "vendors", "-o", "-", "--where", "country"], "expected FIELD=VALUE"),
        (["export", "vendors", "-o", "-", "--delimiter", "|"], "unknown delimiter"),
        (["export", "vendors", "-o", "-", "--profile", "lotus"], "invalid choice"),
        (["export", "-o", "x.csv"], "give the TABLE to export, or --all"),
        (["export", "vendors", "--all", "-o", "x"], "not both"),
        (["export", "--all", "-o", "-"], "-o - is for one table"),
        (["export", "--all", "-o", "x", "--search", "a"], "apply to one table"),
        (["export", "vendors"], "required: -o"),
    ],
)
def test_cli_errors_are_one_line(
    awkward_db: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    code, out = run([*args, "--db", str(awkward_db)])
    err = capsys.readouterr().err
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and words in err and "Traceback" not in err


def test_cli_unwritable_destination_is_one_line(
    awkward_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _ = run(["export", "vendors", "-o", str(blocker / "v.csv"), "--db", str(awkward_db)])
    err = capsys.readouterr().err
    assert code == 3 and err.count("\n") == 1 and str(blocker / "v.csv") in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_errors_are_faceledger_errors() -> None:
    assert issubclass(ExportError, FaceLedgerError) and issubclass(WhereError, ExportError)


# -- the fast formatter is csv.writer, cell for cell -------------------------------------------------
_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("ab ,;\"\t\r\n=+-@'é😀\x00")), st.characters(exclude_categories=("Cs",))
    ),
    max_size=8,
)
_COLUMN_KINDS = {
    "text": _TEXT,
    "text or null": st.one_of(st.none(), _TEXT),
    "numbers": st.one_of(
        st.none(), st.integers(-(10**20), 10**20), st.floats(allow_nan=True, allow_infinity=True)
    ),
    "anything": st.one_of(st.none(), _TEXT, st.integers(), st.floats(), st.booleans(), st.binary(max_size=3)),
}


def _reference(rows: list[tuple[Any, ...]], delimiter: str, guard: bool) -> str:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerows([tuple(csv_writer.guard_cell(v) for v in r) if guard else r for r in rows])
    return buf.getvalue()


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(sorted(_COLUMN_KINDS)), min_size=1, max_size=5).flatmap(
        lambda kinds: st.lists(st.tuples(*(_COLUMN_KINDS[k] for k in kinds)), max_size=12)
    ),
    st.sampled_from([",", ";", "\t"]),
    st.booleans(),
)
def test_fast_formatting_writes_exactly_what_csv_writer_writes(
    rows: list[tuple[Any, ...]], delimiter: str, guard: bool
) -> None:
    fast = csv_writer.format_batch(rows, delimiter, guard)
    if fast is not None:
        assert fast == _reference(rows, delimiter, guard)
    buf = io.StringIO(newline="")
    options = ExportOptions(delimiter=delimiter, formula_guard=guard)
    drive(csv_writer.write_csv(buf, ["h"] * (len(rows[0]) if rows else 1), csv_writer.batched(rows, 5), options))
    header = _reference([tuple(["h"] * (len(rows[0]) if rows else 1))], delimiter, guard)
    assert buf.getvalue() == header + _reference(rows, delimiter, guard)


def test_fast_formatting_is_used_for_text_and_numbers() -> None:
    rows = [("a", None, 1, 2.5), ("=b", "c,d", None, -1.0)]
    assert csv_writer.format_batch(rows, ",", True) == 'a,,1,2.5\r\n\'=b,"c,d",,-1.0\r\n'
    assert csv_writer.format_batch([("a",), ("",)], ",", True) is None  # csv.writer quotes a lone empty cell
    assert csv_writer.format_batch([("a", b"x")], ",", True) is None
