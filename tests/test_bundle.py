"""The standalone bundle works on a machine without Python (issue: a laptop install).

Marked `bundle`: the main test command leaves these out (pyproject's addopts); `.ci/run` builds the
bundle with `python3 build/make_bundle.py` and then runs `pytest -m bundle`. They test the archive
in dist/ as a user gets it: unpacked into a folder whose path has spaces and non-ASCII letters,
made read-only (a read-only bind mount in a private mount namespace: CI runs as root), with
PATH=/usr/bin:/bin, no virtual environment, and every Python standard library on the machine
hidden under an empty tmpfs, so that nothing but the bundle can serve the program.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.bundle

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
NAME = PYPROJECT["tool"]["faceledger"]["bundle"]["name"]
VERSION = PYPROJECT["project"]["version"]
DIST = ROOT / "dist"
ARCHIVE = DIST / f"{NAME}-{VERSION}-linux-x86_64.tar.gz"
FOLDER_LIMIT = 150_000_000
ARCHIVE_LIMIT = 70_000_000
# Where a user unpacks it: spaces and letters outside ASCII in every part.
PLACE = Path("Programmes de Zoë") / "Face Ledger — reçu"


def python_library_folders() -> list[Path]:
    """Every Python standard library on this machine, hidden while the bundle runs."""
    found = {Path(sys.base_prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"}
    for base in (Path("/usr/lib"), Path("/usr/local/lib")):
        found.update(p for p in base.glob("python3*") if p.is_dir())
    return sorted(p for p in found if p.is_dir())


def folder_state(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.lstat().st_size, p.lstat().st_mtime_ns)
        for p in folder.rglob("*")
    }


@pytest.fixture(scope="module")
def archive() -> Path:
    if not ARCHIVE.exists():
        pytest.fail(f"no bundle: build it first with `python3 build/make_bundle.py` ({ARCHIVE} is missing)")
    return ARCHIVE


@pytest.fixture(scope="module")
def laptop(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The archive unpacked as a user would, and a home folder of its own."""
    base = tmp_path_factory.mktemp("laptop")
    place = base / PLACE
    place.mkdir(parents=True)
    with tarfile.open(archive) as tf:
        tf.extractall(place, filter="tar")
    home = base / "home of Zoë"
    home.mkdir()
    yield {"folder": place / NAME, "program": place / NAME / NAME, "home": home, "base": base}


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """What a fresh desktop session hands a program: no Python, no virtual environment."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    env.update(extra)
    return env


def sealed(cmd: list[str], read_only: Path) -> list[str]:
    """`cmd` run with `read_only` mounted read-only and the machine's Python libraries hidden, in a
    mount namespace of its own (gone when the command ends)."""
    hidden = " ".join(f"'{p}'" for p in python_library_folders())
    script = (
        'set -e; mount --bind "$1" "$1"; mount -o remount,bind,ro "$1"; '
        f'for d in {hidden}; do mount -t tmpfs -o ro,size=1m none "$d"; done; '
        'shift; exec "$@"'
    )
    return ["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", str(read_only), *cmd]


def run_sealed(
    cmd: list[str], *, read_only: Path, env: dict[str, str], timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(sealed(cmd, read_only), env=env, capture_output=True, text=True, timeout=timeout)


def test_archive_and_folder_are_small(archive: Path, laptop: dict[str, Path]) -> None:
    folder = laptop["folder"]
    size = sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    assert size <= FOLDER_LIMIT, f"unpacked bundle {size:,} bytes"
    assert archive.stat().st_size <= ARCHIVE_LIMIT, f"archive {archive.stat().st_size:,} bytes"
    with tarfile.open(archive) as tf:
        tops = {Path(m.name).parts[0] for m in tf.getmembers()}
    assert tops == {NAME}, "the archive unpacks into one folder"
    assert os.access(laptop["program"], os.X_OK)


def test_the_sealed_machine_has_no_python(laptop: dict[str, Path]) -> None:
    """The check below would be empty if Python still worked inside the sandbox."""
    python = shutil.which("python3", path="/usr/bin:/bin") or sys.executable
    env = clean_env(laptop["home"])
    result = run_sealed([python, "-c", "import json"], read_only=laptop["folder"], env=env)
    assert result.returncode != 0


def test_doctor_search_and_export_from_a_read_only_folder(laptop: dict[str, Path]) -> None:
    program, folder, home = laptop["program"], laptop["folder"], laptop["home"]
    env = clean_env(home)
    before = folder_state(folder)

    doctor = run_sealed([str(program), "doctor"], read_only=folder, env=env)
    assert doctor.returncode == 0, doctor.stderr
    assert "quick_check: ok" in doctor.stdout and "main window: ok" in doctor.stdout
    assert "all checks passed" in doctor.stdout
    assert str(folder) in doctor.stdout  # the database inside the unpacked folder

    search = run_sealed([str(program), "search", "clearview", "--format", "csv"], read_only=folder, env=env)
    assert search.returncode == 0, search.stderr
    assert "Clearview AI" in search.stdout

    out = home / "exports ü"
    out.mkdir()
    export = run_sealed(
        [str(program), "export", "vendors", "--search", "idemia", "-o", str(out / "vendors.csv")],
        read_only=folder,
        env=env,
    )
    assert export.returncode == 0, export.stderr
    text = (out / "vendors.csv").read_text(encoding="utf-8")
    assert text.startswith("id,") and "IDEMIA" in text.upper()

    everything = run_sealed(
        [str(program), "export", "--all", "-o", str(out / "all")], read_only=folder, env=env
    )
    assert everything.returncode == 0, everything.stderr
    assert (out / "all" / "README.txt").exists()
    assert folder_state(folder) == before


def test_a_newer_database_from_a_read_only_folder(laptop: dict[str, Path]) -> None:
    """`--db`: a data release beside the program's folder, read-only; nothing written beside it."""
    folder, home = laptop["folder"], laptop["home"]
    release = laptop["base"] / "données 2027"
    release.mkdir()
    db = folder / "_internal" / "faceledger" / "bundled" / "faceledger.db"
    shutil.copy(db, release / "faceledger.db")
    shutil.copy(str(db) + ".manifest.json", release / "faceledger.db.manifest.json")
    before = folder_state(release)
    result = run_sealed(
        [str(laptop["program"]), "doctor", "--db", str(release / "faceledger.db")],
        read_only=release,
        env=clean_env(home),
    )
    assert result.returncode == 0, result.stderr
    assert str(release / "faceledger.db") in result.stdout
    assert folder_state(release) == before


def test_desktop_entry_from_the_bundle(laptop: dict[str, Path]) -> None:
    program, home = laptop["program"], laptop["home"]
    env = clean_env(home)
    result = run_sealed([str(program), "install-desktop-entry"], read_only=laptop["folder"], env=env)
    assert result.returncode == 0, result.stderr
    entry = home / ".local" / "share" / "applications" / "faceledger.desktop"
    text = entry.read_text(encoding="utf-8")
    assert f'Exec="{program}"' in text and "Icon=faceledger" in text and "Name=FaceLedger" in text
    icons = home / ".local" / "share" / "icons" / "hicolor"
    assert (icons / "256x256" / "apps" / "faceledger.png").stat().st_size > 0
    assert (icons / "16x16" / "apps" / "faceledger.png").stat().st_size > 0
    check = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert check.returncode == 0 and not check.stdout.strip(), check.stdout
    removed = run_sealed(
        [str(program), "install-desktop-entry", "--uninstall"], read_only=laptop["folder"], env=env
    )
    assert removed.returncode == 0, removed.stderr
    assert not entry.exists() and not (icons / "256x256" / "apps" / "faceledger.png").exists()


# -- the window, on an X server of its own -------------------------------------------------------


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not start"
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


def x(display: str, *args: str) -> str:
    env = {"PATH": "/usr/bin:/bin", "DISPLAY": display}
    return subprocess.run(list(args), env=env, capture_output=True, text=True, timeout=30).stdout


def wait_for_window(display: str, title: str, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = x(display, "xdotool", "search", "--onlyvisible", "--name", title).split()
        if found:
            return found[-1]
        time.sleep(0.3)
    raise AssertionError(f"no window titled {title!r} within {timeout} s")


def test_window_charts_export_and_quit(laptop: dict[str, Path], display: str) -> None:
    """The window from the read-only folder: named FaceLedger with its icon, the Charts page drawn
    with pyqtgraph and exported as PNG and SVG (QtSvg), quit from the keyboard; settings and the
    log end up in the user's data folder."""
    program, folder, home = laptop["program"], laptop["folder"], laptop["home"]
    env = clean_env(home, DISPLAY=display)
    app = subprocess.Popen(
        sealed([str(program)], folder),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        win = wait_for_window(display, "FaceLedger")
        assert re.search(r'WM_CLASS\(STRING\) = "FaceLedger", "FaceLedger"', x(display, "xprop", "-id", win))
        x(display, "xdotool", "windowfocus", "--sync", win)
        icon = ""
        for _ in range(50):  # set once the first page has painted
            icon = x(display, "xprop", "-id", win, "_NET_WM_ICON")
            if "Icon (128 x 128)" in icon:
                break
            time.sleep(0.2)
        sizes = set(re.findall(r"Icon \((\d+) x \1\)", icon))
        assert {"16", "24", "32", "48", "64", "128"} <= sizes, icon[:200]
        title = x(display, "xprop", "-id", win, "_NET_WM_NAME")
        assert re.search(
            r"_NET_WM_NAME\(UTF8_STRING\) = \"FaceLedger [^\"]*with sources\"$", title.strip()
        ), title

        for fmt, key in (("png", "alt+p"), ("svg", "alt+v")):
            # Typed into Qt's file dialog: ASCII, as xdotool cannot type other letters reliably
            # (the program's own path has them, and `export` above writes to such a folder).
            target = laptop["base"] / "charts out" / f"chart.{fmt}"
            target.parent.mkdir(exist_ok=True)
            x(display, "xdotool", "key", "--clearmodifiers", "ctrl+9")
            time.sleep(1.0)
            x(display, "xdotool", "key", "--clearmodifiers", key)
            dialog = wait_for_window(display, f"Export chart as {fmt.upper()}", timeout=30)
            x(display, "xdotool", "windowfocus", "--sync", dialog)
            x(display, "xdotool", "key", "--clearmodifiers", "ctrl+a")
            x(display, "xdotool", "type", "--delay", "20", str(target))
            x(display, "xdotool", "key", "--clearmodifiers", "Return")
            deadline = time.monotonic() + 30
            while not (target.exists() and target.stat().st_size > 0) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert target.exists(), f"the chart was not exported as {fmt}"
            x(display, "xdotool", "windowfocus", "--sync", win)
        problems = x(display, "xdotool", "search", "--onlyvisible", "--name", "Something went wrong|cannot")
        assert not problems.split(), "an error dialog is open"
        charts = laptop["base"] / "charts out"
        assert (charts / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert "<svg" in (charts / "chart.svg").read_text(encoding="utf-8")

        x(display, "xdotool", "key", "--clearmodifiers", "ctrl+q")
        _out, err = app.communicate(timeout=60)
    finally:
        if app.poll() is None:
            app.kill()
            app.communicate()
    assert app.returncode == 0, err
    assert "Traceback" not in err
    data = home / ".local" / "share" / "FaceLedger" / "FaceLedger"
    assert (data / "settings.ini").exists()
    log = (data / "faceledger.log").read_text(encoding="utf-8")
    assert "ERROR" not in log, log
