"""The bundle's smaller ICU data library (build/icu_data.py), made from the ICU library PySide6 ships:
the package format is rewritten exactly, and Qt's collation, case mapping and time-zone names work
with the smaller library in place of the full one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build"))
try:
    import icu_data
finally:
    sys.path.remove(str(ROOT / "build"))


@pytest.fixture(scope="module")
def full_library() -> Path:
    import PySide6

    libs = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    assert libs, "PySide6 ships ICU on Linux"
    return libs[0]


@pytest.fixture(scope="module")
def small_library(full_library: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return icu_data.trimmed_library(full_library, tmp_path_factory.mktemp("icu"))


def test_a_package_rewritten_with_every_item_is_icus_own_byte_for_byte(full_library: Path) -> None:
    _soname, _symbol, package = icu_data.package_bytes(full_library)
    header, items = icu_data.read_package(package)
    assert len(items) > 1000
    assert icu_data.write_package(header, items) == package


def test_the_small_library_keeps_what_qt_uses_and_drops_the_rest(
    full_library: Path, small_library: Path
) -> None:
    soname, symbol, package = icu_data.package_bytes(small_library)
    full_soname, full_symbol, full_package = icu_data.package_bytes(full_library)
    assert (soname, symbol) == (full_soname, full_symbol) and soname == full_library.name
    _header, items = icu_data.read_package(package)
    original = dict(icu_data.read_package(full_package)[1])
    names = {n.split("/", 1)[1] for n, _ in items}
    assert {"coll/root.res", "coll/ucadata.icu", "zone/en.res", "root.res", "en.res", "nfkc.nrm"} <= names
    assert not any(n.endswith(".cnv") or n.endswith(".dict") for n in names)
    assert "de.res" not in names and "coll/sv.res" not in names and "translit/root.res" not in names
    assert all(original[n] == blob for n, blob in items)  # items copied unchanged
    assert small_library.stat().st_size < full_library.stat().st_size / 5


PROBE = """
import functools
import json
from PySide6.QtCore import QCollator, QDateTime, QLocale, QTimeZone, qInstallMessageHandler
messages = []
qInstallMessageHandler(lambda kind, context, text: messages.append(text))
words = ["zebra", "Äpfel", "apple", "file10", "file9", "Öl"]
collator = QCollator(QLocale("en_US"))
collator.setNumericMode(True)
order = sorted(words, key=functools.cmp_to_key(collator.compare))
zone = QTimeZone(b"Europe/Paris").displayName(QDateTime(2026, 1, 15, 12, 0, 0), QTimeZone.NameType.LongName, QLocale("en_US"))
print(json.dumps({"order": order, "upper": QLocale("tr_TR").toUpper("istanbul"), "zone": zone, "messages": messages}))
"""


def run_probe(library_folder: Path | None) -> dict[str, object]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if library_folder is not None:
        env["LD_LIBRARY_PATH"] = str(library_folder)  # searched before the Qt libraries' RUNPATH
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_qt_collates_cases_and_names_time_zones_with_the_small_library(small_library: Path) -> None:
    small, full = run_probe(small_library.parent), run_probe(None)
    assert small == full
    assert small["order"] == ["Äpfel", "apple", "file9", "file10", "Öl", "zebra"]
    assert small["upper"] == "İSTANBUL"
    assert small["zone"] == "Central European Standard Time"
    assert small["messages"] == []
