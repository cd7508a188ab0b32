"""Desktop integration: the menu entry and icons for the current user, the icon PNGs, the window's
name and icon. (The bundle's own `FaceLedger install-desktop-entry` is in tests/test_bundle.py.)"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from faceledger import desktop_entry
from faceledger.cli import main
from faceledger.desktop_entry import APP_ID, ICON_SIZES, exec_argument, install, installed_paths, uninstall

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "resources"


def unquote_exec(value: str) -> list[str]:
    """A desktop entry's Exec value read back as its launcher would (Desktop Entry Specification:
    the string value's escapes first, then quoted arguments, then field codes)."""
    text = re.sub(r"\\(.)", lambda m: {"s": " ", "n": "\n", "t": "\t", "r": "\r"}.get(m[1], m[1]), value)
    args, current, quoted, i = [], "", False, 0
    while i < len(text):
        c = text[i]
        if quoted and c == "\\":
            i += 1
            current += text[i]
        elif c == '"':
            quoted = not quoted
        elif c == " " and not quoted:
            args.append(current)
            current = ""
        else:
            current += c
        i += 1
    args.append(current)
    return [a.replace("%%", "%") for a in args if a]


@pytest.mark.parametrize(
    "path",
    [
        "/opt/FaceLedger/FaceLedger",
        "/home/zoë/Programmes de Zoë/Face Ledger — reçu/FaceLedger",
        '/tmp/a "quoted" name/$HOME `cmd` back\\slash 100%/FaceLedger',
    ],
)
def test_exec_line_starts_exactly_the_program(path: str) -> None:
    assert unquote_exec(exec_argument(Path(path))) == [path]


def test_exec_line_refuses_a_path_with_a_line_break() -> None:
    from faceledger.cli import CliError

    with pytest.raises(CliError, match="line break"):
        exec_argument(Path("/tmp/two\nlines/faceledger"))


def test_install_writes_the_entry_and_every_icon_and_uninstall_removes_only_them(tmp_path: Path) -> None:
    base = tmp_path / "data"
    neighbour = base / "applications" / "other.desktop"
    neighbour.parent.mkdir(parents=True)
    neighbour.write_text("[Desktop Entry]\n", encoding="utf-8")
    prog = tmp_path / "Face Ledger" / "FaceLedger"

    written = install(prog, base)
    assert written == installed_paths(base)
    entry = (base / "applications" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    assert entry.startswith("[Desktop Entry]\n")
    values = dict(line.split("=", 1) for line in entry.splitlines()[1:] if line)
    assert unquote_exec(values["Exec"]) == [str(prog)]
    assert values["Icon"] == APP_ID and values["Name"] == "FaceLedger" and values["Type"] == "Application"
    assert values["StartupWMClass"] == "FaceLedger"
    for size in ICON_SIZES:
        icon = base / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert icon.read_bytes() == (RESOURCES / f"faceledger-{size}.png").read_bytes()
    scalable = base / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == (RESOURCES / "faceledger.svg").read_bytes()
    assert not list(base.rglob("*.partial"))
    check = subprocess.run(
        ["desktop-file-validate", str(base / "applications" / f"{APP_ID}.desktop")],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0 and not check.stdout.strip(), check.stdout  # Debian: desktop-file-utils

    assert uninstall(base) == written
    assert not any(p.exists() for p in written)
    assert neighbour.exists()
    assert uninstall(base) == []


def test_command_installs_for_the_user_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(desktop_entry, "program", lambda: Path("/opt/FaceLedger/FaceLedger"))
    out = io.StringIO()
    assert main(["install-desktop-entry"], stdout=out) == 0
    assert "/opt/FaceLedger/FaceLedger" in out.getvalue()
    assert (tmp_path / "xdg" / "applications" / "faceledger.desktop").exists()
    out = io.StringIO()
    assert main(["install-desktop-entry", "--uninstall"], stdout=out) == 0
    assert "Removed" in out.getvalue()
    assert not (tmp_path / "xdg" / "applications" / "faceledger.desktop").exists()
    out = io.StringIO()
    assert main(["install-desktop-entry", "--uninstall"], stdout=out) == 0
    assert "nothing to remove" in out.getvalue()


def test_relative_xdg_data_home_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", "relative/share")
    assert desktop_entry.data_home() == tmp_path / ".local" / "share"


def test_unwritable_data_folder_gives_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    monkeypatch.setattr(desktop_entry, "program", lambda: Path("/opt/FaceLedger/FaceLedger"))
    assert main(["install-desktop-entry"], stdout=io.StringIO()) == 3  # the output could not be written
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "could not change the menu entry" in err and "Traceback" not in err


def test_installed_command_puts_itself_in_the_entry(tmp_path: Path) -> None:
    """From a pip install: the `faceledger` command beside the environment's Python."""
    command = Path(sys.executable).with_name("faceledger")
    assert command.exists(), "the test environment has the faceledger command (pip install)"
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "xdg"))
    result = subprocess.run([str(command), "install-desktop-entry"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    entry = (tmp_path / "xdg" / "applications" / "faceledger.desktop").read_text(encoding="utf-8")
    exec_value = next(line for line in entry.splitlines() if line.startswith("Exec="))[len("Exec=") :]
    assert unquote_exec(exec_value) == [str(command.absolute())]


def test_committed_icons_are_the_svg_rendered(qapp) -> None:  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "build"))
    try:
        import render_icons
    finally:
        sys.path.remove(str(ROOT / "build"))
    from PySide6.QtGui import QImage

    assert render_icons.SIZES == ICON_SIZES
    for size in ICON_SIZES:
        committed = QImage(str(RESOURCES / f"faceledger-{size}.png")).convertToFormat(
            QImage.Format.Format_ARGB32_Premultiplied
        )
        fresh = render_icons.render(size)
        assert committed.size() == fresh.size()  # type: ignore[attr-defined]
        worst = max(
            abs(a - b)
            for a, b in zip(
                committed.constBits().tobytes(),
                fresh.constBits().tobytes(),  # type: ignore[attr-defined]
                strict=True,
            )
        )
        assert worst <= 8, f"resources/faceledger-{size}.png differs from the SVG: run build/render_icons.py"


def test_application_names_its_menu_entry_and_carries_every_icon_size(qapp) -> None:  # type: ignore[no-untyped-def]
    from faceledger.main import make_application, set_window_icon

    app = make_application()
    set_window_icon(app)
    assert app.desktopFileName() == APP_ID
    assert app.applicationDisplayName() == "FaceLedger"
    sizes = {s.width() for s in app.windowIcon().availableSizes()}
    assert set(ICON_SIZES) <= sizes
