"""`faceledger install-desktop-entry [--uninstall]`: the Linux menu entry and icons for the current
user, through `desktop_entry.py`. Works from the standalone bundle and from a pip install."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any, TextIO

from faceledger import desktop_entry
from faceledger.cli_errors import CliError, OutputError


def add_desktop_entry_parser(
    sub: Any, add_db: Callable[[argparse.ArgumentParser], None] | None = None
) -> None:
    """Add the `install-desktop-entry` subcommand to the `faceledger` parser (no --db: the entry
    starts the bundled database; a menu entry for another one is a copy edited by hand)."""
    p = sub.add_parser(
        "install-desktop-entry",
        help="add FaceLedger to your desktop's application menu (Linux, this user only)",
        description=(
            "Add FaceLedger to the application menu of a Linux desktop, for you only: a .desktop "
            "file and the icon under ~/.local/share (XDG_DATA_HOME). The entry starts the program "
            "this command was run from."
        ),
    )
    p.add_argument("--uninstall", action="store_true", help="remove the menu entry and the icons again")


def run_desktop_entry(args: argparse.Namespace, out: TextIO) -> int:
    if not sys.platform.startswith("linux"):
        raise CliError("install-desktop-entry is for Linux desktops; see the README for Windows and macOS")
    try:
        if args.uninstall:
            removed = desktop_entry.uninstall()
            if not removed:
                print("FaceLedger's menu entry was not installed for this user: nothing to remove.", file=out)
            else:
                print(f"Removed FaceLedger's menu entry and icons ({len(removed)} files):", file=out)
                for path in removed:
                    print(f"  {path}", file=out)
            return 0
        prog = desktop_entry.program()
        written = desktop_entry.install(prog)
    except OSError as exc:
        where = exc.filename or desktop_entry.data_home()
        raise OutputError(f"could not change the menu entry in {where}: {exc.strerror or exc}") from exc
    print(f"FaceLedger is in your application menu; the entry starts {prog}", file=out)
    print(f"  {written[0]}", file=out)
    print(f"  icons: {len(written) - 1} files under {written[1].parents[2]}", file=out)
    print(f"Remove it again with: {prog.name} install-desktop-entry --uninstall", file=out)
    return 0
