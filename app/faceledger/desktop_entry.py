"""FaceLedger in the application menu of a Linux desktop, for the current user only (no
administrator rights); the command is `desktop_entry_cli.py`.

Writes, under `$XDG_DATA_HOME` (default `~/.local/share`):
  applications/faceledger.desktop              the menu entry, starting this very program
  icons/hicolor/NxN/apps/faceledger.png         the icon in each size (16 to 256 pixels)
  icons/hicolor/scalable/apps/faceledger.svg    and as SVG
`--uninstall` removes exactly these files. Works from the standalone bundle (the entry starts the
bundle's program) and from a pip install (the `faceledger` command). No Qt here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from faceledger.cli_errors import CliError

# The desktop file's name without `.desktop`, and the icon's name: the window names the same file
# (QGuiApplication.setDesktopFileName), which is how Wayland task bars find the icon.
APP_ID = "faceledger"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
# X11 task bars match a window to its menu entry by the window's class, which Qt takes from the
# application name (main.make_application).
WINDOW_CLASS = "FaceLedger"


def data_home() -> Path:
    """`$XDG_DATA_HOME`, or `~/.local/share` when it is unset, empty or not absolute (the spec)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / ".local" / "share"


def installed_paths(base: Path | None = None) -> list[Path]:
    """Every file `install` writes (and `uninstall` removes), the .desktop file first."""
    base = base or data_home()
    icons = base / "icons" / "hicolor"
    paths = [base / "applications" / f"{APP_ID}.desktop"]
    paths += [icons / f"{n}x{n}" / "apps" / f"{APP_ID}.png" for n in ICON_SIZES]
    paths.append(icons / "scalable" / "apps" / f"{APP_ID}.svg")
    return paths


def program() -> Path:
    """The program the menu entry starts: the bundle's executable, or the installed `faceledger`
    command this process was started as (found on PATH or beside the Python running it)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).absolute()
    started_as = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if (
        started_as
        and started_as.name.startswith(APP_ID)
        and started_as.suffix != ".py"
        and started_as.is_file()
    ):
        return started_as.absolute()
    beside = Path(sys.executable).with_name(APP_ID)
    if beside.is_file():
        return beside.absolute()
    import shutil  # noqa: PLC0415 (not on the window's start path, which imports APP_ID)

    found = shutil.which(APP_ID)
    if found:
        return Path(found).absolute()
    raise CliError(
        "cannot find the faceledger command to put in the menu entry; install FaceLedger with pip first"
    )


def exec_argument(path: Path) -> str:
    """`path` as one argument of a desktop entry's Exec key: in double quotes with `"`, `` ` ``,
    `$` and `\\` escaped (the Exec rules), then every backslash doubled and `%` written `%%` (the
    rules of the key's string value)."""
    text = str(path)
    if "\n" in text or "\r" in text:
        raise CliError(f"the program's path cannot be used in a menu entry (it holds a line break): {text!r}")
    for char in ("\\", '"', "`", "$"):
        text = text.replace(char, "\\" + char)
    return f'"{text}"'.replace("\\", "\\\\").replace("%", "%%")


def string_value(text: str) -> str:
    """A desktop entry string value: backslashes doubled (line breaks are refused by the caller)."""
    return text.replace("\\", "\\\\")


def desktop_file(prog: Path) -> str:
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.4",
            "Name=FaceLedger",
            "GenericName=Face recognition reference",
            "Comment=Offline reference on face recognition sold to law enforcement, with sources",
            f"Exec={exec_argument(prog)}",
            f"TryExec={string_value(str(prog))}",
            f"Icon={APP_ID}",
            "Terminal=false",
            "Categories=Office;",
            "Keywords=face recognition;police;surveillance;vendors;audits;",
            f"StartupWMClass={WINDOW_CLASS}",
            "StartupNotify=true",
            "",
        ]
    )


def resources_dir() -> Path:
    """The icons. Installed: the faceledger.resources package; from a
    checkout: the repository's resources/."""
    installed = Path(__file__).resolve().parent / "resources"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "resources"


def icon_sources() -> list[Path]:
    """The icon files shipped with the app, in the order of `installed_paths()[1:]`."""
    res = resources_dir()
    sources = [res / f"{APP_ID}-{n}.png" for n in ICON_SIZES] + [res / f"{APP_ID}.svg"]
    missing = [p.name for p in sources if not p.is_file()]
    if missing:
        raise CliError(f"the app's icons are missing from {res}: {', '.join(missing)}")
    return sources


def install(prog: Path, base: Path | None = None) -> list[Path]:
    """Write the menu entry and icons; returns what was written. Each file is written beside its
    place and renamed there, so a menu never reads half a file."""
    paths = installed_paths(base)
    contents: list[bytes] = [desktop_file(prog).encode("utf-8")]
    contents += [p.read_bytes() for p in icon_sources()]
    for path, data in zip(paths, contents, strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(data)
        partial.replace(path)
    return paths


def uninstall(base: Path | None = None) -> list[Path]:
    """Remove what `install` wrote; returns the files removed (none when it was not installed)."""
    removed = []
    for path in installed_paths(base):
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed
