"""Build the standalone FaceLedger bundle with one command, from a fresh clone:

    python build/make_bundle.py

1. Creates (once) a build environment outside the repository, in the user's cache folder
   (`~/.cache/faceledger-build/`, or `$XDG_CACHE_HOME`, or `FACELEDGER_BUILD_CACHE`), with the
   app's dependencies from pyproject.toml and a pinned PyInstaller. It is reused while those stay
   the same.
2. Runs PyInstaller on build/faceledger.spec; PyInstaller's work folder is in that cache folder.
3. Writes dist/<Name>/ (the program, `<Name>` or `<Name>.exe`) and the archive
   dist/<Name>-<version>-<platform>.tar.gz (a .zip on Windows), then prints their sizes and the
   largest files.

Needs Python 3.11 or newer (the version the bundle then carries) and, on Linux, nothing else.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10 or older
    sys.exit("make_bundle: Python 3.11 or newer is needed")

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"

# The build tools, pinned: a new PyInstaller release can change what lands in the bundle.
BUILD_REQUIREMENTS = ["pyinstaller==6.22.3", "pyinstaller-hooks-contrib==2026.10"]


def project() -> dict[str, str]:
    """Name, display name and version from pyproject.toml (the display name is the bundle's)."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    meta = data["project"]
    bundle = data.get("tool", {}).get("faceledger", {}).get("bundle", {})
    return {
        "name": meta["name"],
        "display_name": bundle.get("name", meta["name"]),
        "version": meta["version"],
        "dependencies": meta.get("dependencies", []),
    }


def platform_tag() -> str:
    system = {"Linux": "linux", "Darwin": "macos", "Windows": "windows"}.get(platform.system(), "other")
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "aarch64": "arm64"}.get(machine, machine)
    return f"{system}-{machine}"


def cache_dir() -> Path:
    if os.environ.get("FACELEDGER_BUILD_CACHE"):
        return Path(os.environ["FACELEDGER_BUILD_CACHE"])
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "faceledger-build"


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def build_environment(requirements: list[str], cache: Path) -> Path:
    """A virtual environment with `requirements`, made once per set of requirements and Python
    version; returns its Python."""
    key = "\n".join([sys.version, *sorted(requirements)])
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    venv = cache / f"venv-py{sys.version_info.major}.{sys.version_info.minor}-{digest}"
    ready = venv / "faceledger-requirements.txt"
    python = venv_python(venv)
    if ready.exists() and python.exists():
        print(f"build environment: {venv} (reused)")
        return python
    print(f"build environment: {venv} (installing {len(requirements)} packages)")
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *requirements],
        check=True,
    )
    ready.write_text(key + "\n", encoding="utf-8")
    return python


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def largest_files(folder: Path, n: int = 10) -> list[tuple[int, str]]:
    files = [(p.lstat().st_size, p.relative_to(folder).as_posix()) for p in folder.rglob("*")]
    return sorted(((s, name) for s, name in files if not Path(folder / name).is_dir()), reverse=True)[:n]


def write_archive(folder: Path, archive: Path) -> None:
    """The folder as one archive whose single top folder is the bundle's, written atomically."""
    partial = archive.with_name(archive.name + ".partial")
    paths = sorted(folder.rglob("*"))
    if archive.suffix == ".zip":
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for p in paths:
                zf.write(p, Path(folder.name, p.relative_to(folder)).as_posix())
    else:
        with tarfile.open(partial, "w:gz", compresslevel=9) as tf:
            tf.add(folder, arcname=folder.name, recursive=False)
            for p in paths:
                tf.add(p, arcname=Path(folder.name, p.relative_to(folder)).as_posix(), recursive=False)
    partial.replace(archive)


def mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the standalone FaceLedger bundle into dist/.")
    parser.add_argument("--no-archive", action="store_true", help="only the folder, no archive")
    args = parser.parse_args(argv)
    started = time.monotonic()
    meta = project()
    name, version = meta["display_name"], meta["version"]
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    requirements = [*meta["dependencies"], *BUILD_REQUIREMENTS]
    if not sys.platform.startswith("linux"):
        requirements.append("pillow>=10,<13")  # PyInstaller turns the PNG icon into .ico/.icns
    python = build_environment(requirements, cache)

    work = cache / "pyinstaller-work"
    env = dict(os.environ, FACELEDGER_BUNDLE_NAME=name, PYTHONDONTWRITEBYTECODE="1")
    env["PYINSTALLER_CONFIG_DIR"] = str(cache / "pyinstaller-config")
    subprocess.run(
        [
            str(python),
            "-m",
            "PyInstaller",
            str(ROOT / "build" / "faceledger.spec"),
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(work),
        ],
        check=True,
        cwd=cache,  # nothing written into the repository but dist/
        env=env,
    )
    folder = DIST / name
    program = folder / (name + ".exe" if sys.platform == "win32" else name)
    if not program.exists():
        print(f"make_bundle: PyInstaller did not write {program}", file=sys.stderr)
        return 1

    print(f"\n{folder.relative_to(ROOT)}/: {mb(folder_size(folder))} unpacked; largest files:")
    for size, rel in largest_files(folder):
        print(f"  {mb(size):>10}  {rel}")
    if not args.no_archive:
        suffix = ".zip" if sys.platform == "win32" else ".tar.gz"
        archive = DIST / f"{name}-{version}-{platform_tag()}{suffix}"
        write_archive(folder, archive)
        print(f"{archive.relative_to(ROOT)}: {mb(archive.stat().st_size)}")
    print(f"built in {time.monotonic() - started:.0f} s; run {program.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
