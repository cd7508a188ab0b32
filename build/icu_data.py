"""A smaller ICU data library for the bundle (used by faceledger.spec, Linux only).

Qt links ICU, and ICU's data library (libicudata, 32 MB) holds every locale's names, calendars,
currencies and units, text-break dictionaries, transliterators and 200 legacy character-set
converters. Qt's widgets format numbers and dates from their own locale tables and break text with
their own Unicode tables; of ICU they use collation (QCollator, e.g. the file dialog sorting names),
case mapping and time-zone names, which need ICU's core files, the root collation and the English
zone names. This module rewrites
the library with those items only: the same ICU "common data" package format, the same exported
symbol and soname, assembled with binutils (`as`, `ld`), so the Qt libraries load it unchanged.

What is kept (`kept()`): the core files at the top level of the package (normalisation, the
supplemental, likely-subtags and time-zone data), and of the collation and time-zone-name trees the
root and English data (the root collation table: QCollator; English zone names: QTimeZone).
Left out: the legacy converters (`*.cnv`; UTF-8 and Latin-1 need none), other languages' data,
the trees of language, region, currency and unit names, number spelling, transliteration and
text-break rules and dictionaries, character names, spoof checking and IDNA 2003 preparation
(Qt has its own IDNA). A tailored collation (Swedish, say) falls back to the root collation, which
orders every script.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
from pathlib import Path

# Trees (folders of the package) Qt reads: collation (QCollator) and time-zone names (QTimeZone);
# of each, the root and English data and the tree's index and key pool, and the root collation table.
KEPT_TREES = {"coll", "zone"}
KEPT_IN_TREES = {"root.res", "en.res", "en_US.res", "en_US_POSIX.res", "pool.res", "res_index.res"}
KEPT_TREE_FILES = {"coll/ucadata.icu"}
# Top-level files no Qt class reads: character names, spoof checking, IDNA 2003 string preparation.
DROPPED_FILES = {"unames.icu", "confusables.cfu"}
LOCALE_RE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]+)*\.res$")


def kept(name: str) -> bool:
    """Whether a package item (e.g. `icudt73l/coll/root.res`) stays in the bundle."""
    parts = name.split("/")[1:]
    item = parts[-1]
    if len(parts) == 1:  # the package's top level: core data files and locale data
        if item.endswith((".cnv", ".spp")) or item in DROPPED_FILES:
            return False
        return not LOCALE_RE.match(item) or item in KEPT_IN_TREES
    if parts[0] not in KEPT_TREES:
        return False
    return item in KEPT_IN_TREES or "/".join(parts) in KEPT_TREE_FILES


def readelf(*args: str) -> str:
    return subprocess.run(
        ["readelf", "-W", *args],
        capture_output=True,
        text=True,
        check=True,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
    ).stdout


def package_bytes(lib: Path) -> tuple[str, str, bytes]:
    """The soname, the data symbol's name and the ICU common data package inside `lib`."""
    syms = readelf("--dyn-syms", str(lib))
    m = re.search(
        r"([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+DEFAULT\s+(\d+)\s+(icudt\d+_dat)\b", syms
    )
    if not m:
        raise ValueError(f"{lib}: no icudt*_dat symbol")
    value, size, section, symbol = int(m[1], 16), int(m[2], 0), int(m[3]), m[4]
    for line in readelf("-S", str(lib)).splitlines():
        s = re.match(r"\s*\[\s*(\d+)\]\s+\S+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if s and int(s[1]) == section:
            start = value - int(s[2], 16) + int(s[3], 16)
            break
    else:
        raise ValueError(f"{lib}: section {section} not found")
    soname = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", readelf("-d", str(lib)))
    if not soname:
        raise ValueError(f"{lib}: no soname")
    return soname[1], symbol, lib.read_bytes()[start : start + size]


def read_package(data: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """(header, [(name, item bytes)]) of an ICU common data package ("CmnD", offset TOC)."""
    header_size = struct.unpack_from("<H", data, 0)[0]
    if data[2:4] != b"\xda\x27" or data[12:16] != b"CmnD":
        raise ValueError("not an ICU common data package")
    toc = data[header_size:]
    count = struct.unpack_from("<I", toc, 0)[0]
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_at, data_at) in enumerate(entries):
        name = toc[name_at : toc.index(b"\0", name_at)].decode("ascii")
        end = entries[i + 1][1] if i + 1 < count else len(toc)
        items.append((name, toc[data_at:end]))
    return data[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """The package with `items` (names kept in the given, sorted order; items 16-byte aligned)."""

    def pad(n: int) -> int:
        return (-n) % 16

    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    toc_size = 4 + 8 * len(items)
    data_start = toc_size + len(names)
    data_start += pad(len(header) + data_start)
    entries, blobs, name_at, data_at = [], [], toc_size, data_start
    for name, blob in items:
        entries.append(struct.pack("<II", name_at, data_at))
        name_at += len(name) + 1
        blobs.append(blob + b"\xaa" * pad(len(blob)))
        data_at += len(blobs[-1])
    body = struct.pack("<I", len(items)) + b"".join(entries) + names
    body += b"\xaa" * (data_start - len(body))  # the padding byte ICU's own tools write
    return header + body + b"".join(blobs)


def trimmed_library(lib: Path, out_dir: Path) -> Path:
    """Write the smaller library under `out_dir` (same file name as `lib`); returns its path."""
    soname, symbol, data = package_bytes(lib)
    header, items = read_package(data)
    package = write_package(header, [(n, b) for n, b in items if kept(n)])
    out_dir.mkdir(parents=True, exist_ok=True)
    dat, asm, obj, out = (out_dir / f"{symbol}.{ext}" for ext in ("dat", "s", "o", "so"))
    dat.write_bytes(package)
    asm.write_text(
        "\n".join(
            [
                '\t.section .rodata,"a"',
                f"\t.globl {symbol}",
                f"\t.type {symbol}, @object",
                "\t.balign 16",
                f"{symbol}:",
                f'\t.incbin "{dat}"',
                f"\t.size {symbol}, . - {symbol}",
                '\t.section .note.GNU-stack,"",@progbits',
                "",
            ]
        ),
        encoding="ascii",
    )
    subprocess.run(["as", "-o", str(obj), str(asm)], check=True)
    subprocess.run(
        ["ld", "-shared", "-z", "noexecstack", "-soname", soname, "-o", str(out), str(obj)], check=True
    )
    final = out_dir / lib.name
    out.replace(final)
    return final


if __name__ == "__main__":  # python build/icu_data.py LIB OUT_DIR: write and report
    src = Path(sys.argv[1])
    result = trimmed_library(src, Path(sys.argv[2]))
    print(f"{src.name}: {src.stat().st_size:,} -> {result.stat().st_size:,} bytes")
