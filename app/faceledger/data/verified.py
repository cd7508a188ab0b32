"""Remembering that a database file passed its full checks (Qt-free).

Hashing a large `--db` file and running SQLite's quick check on it take seconds (2.5 GB: about
3.5 s); a command run again on the same, unchanged file need not pay that again. The bundled
database is only hashed (its install is not a file a user points the app at), some 10 ms of a
second core at every start: once it has passed, it too is not hashed again until it changes.

A pass is remembered in the user's cache folder under a key made of the file's device, inode,
size, modification and change times (the change time cannot be set back by a user: any write,
rename or `touch` changes it) and the same facts of the manifest beside it (no hash: OpenSSL is
then not loaded at a start that skips the checks). Anything else about the file, or another
manifest (the same one rewritten included), is another key, and the file is checked in full
again. `faceledger doctor` always checks in full.

The memory is a small JSON list, read like every file the app does not trust (a regular file of
bounded size, parsed defensively); any problem with it just means "not remembered".
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from pathlib import Path

from faceledger.data.files import read_small_file

log = logging.getLogger(__name__)

CACHE_FILE = "verified-databases.json"
MAX_ENTRIES = 64
MAX_BYTES = 64 * 1024


def cache_dir() -> Path:
    """The user's cache folder for FaceLedger (Qt-free: the command line does not load Qt)."""
    home = Path.home()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return (Path(base) if base else home / "AppData" / "Local") / "FaceLedger" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "FaceLedger"
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else home / ".cache") / "faceledger"


def stat_key(st: os.stat_result) -> str:
    """A file's device, inode, size, modification and change times: any write, rename or `touch`
    changes it."""
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def file_key(st: os.stat_result, manifest: os.stat_result) -> str:
    """The key a verified file is remembered under: its own `stat_key` and its manifest's."""
    return f"{stat_key(st)}:{stat_key(manifest)}"


def _entries(path: Path) -> list[str]:
    try:
        data = json.loads(read_small_file(path, MAX_BYTES).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return []
    if not isinstance(data, list):
        return []
    return [e for e in data if isinstance(e, str)]


def was_verified(key: str, folder: Path | None = None) -> bool:
    """Whether a file with this key passed its full checks before."""
    return key in _entries((folder or cache_dir()) / CACHE_FILE)


def remember(p: Path, st: os.stat_result, key: str, folder: Path | None = None) -> None:
    """Remember that the file `p`, whose stat was `st` before its checks began, passed them; only
    if it is still the same file (a file changed while it was being checked is not remembered).
    Never raises: a cache that cannot be written only means the next command checks again."""
    try:
        now = os.stat(p)
    except OSError:
        return
    if stat_key(now) != stat_key(st):
        return
    folder = folder or cache_dir()
    path = folder / CACHE_FILE
    entries = [e for e in _entries(path) if e != key][-(MAX_ENTRIES - 1) :] + [key]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".verified-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(entries, fh)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.debug("could not remember a verified database: %s", exc)
