"""Where an export is written, and how, without ever destroying a destination (Qt-free).

- A regular file, or a new name: written to a temporary file in the same folder, flushed to disk
  and renamed over the destination only when complete (an existing file is replaced only by a
  complete export; nothing is left behind on an error, a cancel, Ctrl+C or SIGTERM).
- A symbolic link: resolved, and its target replaced as above (the link itself stays a link).
- A named pipe (FIFO), a character device (a terminal, /dev/null) or a name under /dev/ or
  /proc/self/fd/ (such as /dev/stdout): written into directly, as standard output is; nothing is
  renamed over it. A block device (a disk) is refused.
- Hidden `.faceledger-export-*` files and folders that an export killed outright (SIGKILL, a power
  cut) left behind are removed by the next export into the same folder, once they are older than
  the running process and no running process's own.

Every OSError becomes one sentence naming the path (`os_error`).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TextIO, cast

from faceledger.data.entities import ALL_SPECS
from faceledger.data.errors import FaceLedgerError
from faceledger.data.files import kind_of, missing_reason
from faceledger.data.repositories import LINK_TABLES

Progress = tuple[int, int]
# Writes a file's text to an open stream (and the name to give in its errors), yielding progress;
# returns the data rows written.
WriteText = Callable[[TextIO, Path], Generator[Progress, None, int]]
WriteFile = Callable[[IO[Any], Path], Generator[Progress, None, int]]  # text or bytes

TEMP_PREFIX = ".faceledger-export-"
README_NAME = "README.txt"
README_TITLE = "FaceLedger export"
# The record tables, in the order of the app's pages, then the secondary and link tables.
ALL_TABLES: tuple[str, ...] = (*ALL_SPECS, *LINK_TABLES)
# Paths written into directly, whatever they resolve to: the process's own streams.
STREAM_PREFIXES = ("/dev/", "/proc/self/fd/")
# Temporary names carry the writing process's id, so that a running export is never taken for
# a leftover: .faceledger-export-p1234-k2j3h4.csv.tmp
_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r"(?:old-)?(?:p(\d+)-)?")
# When this module was first imported: leftovers older than that are not this process's.
_STARTED = time.time()


class ExportError(FaceLedgerError):
    """An export could not be written; the message names the path and says why, in plain words."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class ExportOptionError(ExportError):
    """The export was asked for wrongly (an unknown delimiter, no columns, an empty file name):
    nothing about the destination or the disk."""


@dataclass(frozen=True)
class FileTarget:
    """Where a CSV file goes: `shown` as the user named it, `path` what is written (a symbolic
    link's target), `stream` True to write into it directly, `existed` whether it was there."""

    shown: Path
    path: Path
    stream: bool
    existed: bool


def temp_prefix() -> str:
    return f"{TEMP_PREFIX}p{os.getpid()}-"


def file_target(dest: Path) -> FileTarget:
    """Decide how `dest` is written (see the module's docstring); raise ExportError when it cannot be."""
    dest = Path(dest)
    if str(dest).strip() in ("", "."):
        raise ExportOptionError("no file name was given for the export")
    if str(dest).startswith(STREAM_PREFIXES):
        return FileTarget(dest, dest, True, True)
    try:
        st = os.stat(dest)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR) and not os.path.lexists(dest):
            _check_parent(dest)  # a new file: its folder must be there
            return FileTarget(dest, dest, False, False)
        if exc.errno == errno.ENOENT:  # a link to nothing: the link's target is created
            target = Path(os.path.realpath(dest))
            _check_parent(target, dest)
            return FileTarget(dest, target, False, False)
        reason = missing_reason(dest, exc)
        if reason is not None:
            raise ExportError(f"Could not export to {dest}: it {reason}; nothing was written.", dest) from exc
        raise os_error(dest, exc, "create", False) from exc
    if stat.S_ISDIR(st.st_mode):
        raise ExportOptionError(f"Could not export to {dest}: it is a folder; give a file name.", dest)
    if stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode):
        return FileTarget(dest, dest, True, True)
    if not stat.S_ISREG(st.st_mode):
        raise ExportError(
            f"Could not export to {dest}: it is {kind_of(st.st_mode)}, which exports are not written to; "
            "nothing was written.",
            dest,
        )
    path = Path(os.path.realpath(dest)) if os.path.islink(dest) else dest
    return FileTarget(dest, path, False, True)


def open_stream(target: FileTarget) -> int:
    """A descriptor for writing into a pipe, device or stream (never created, truncated or
    renamed; appended to, so `-o /dev/stdout >> file` keeps what the file held)."""
    try:
        return os.open(target.path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise os_error(target.shown, exc, "stream", True) from exc


def check_folder_destination(dest: Path) -> None:
    """A folder export (everything) goes to a new or empty folder, or over an earlier export."""
    _check_parent(dest)
    try:
        st = os.stat(dest)
    except FileNotFoundError:
        return
    except OSError as exc:
        reason = missing_reason(dest, exc)
        if reason is not None:
            raise ExportError(f"Could not export to {dest}: it {reason}; nothing was written.", dest) from exc
        raise os_error(dest, exc, "create", False) from exc
    if not stat.S_ISDIR(st.st_mode):
        raise ExportError(
            f"Could not export to {dest}: a file of that name is in the way; nothing was written.", dest
        )
    if not _is_empty(dest) and not is_previous_export(dest):
        raise ExportError(
            f"Could not export to {dest}: the folder already exists and holds other files; "
            "choose a new or empty folder. Nothing was written.",
            dest,
        )


def _check_parent(dest: Path, shown: Path | None = None) -> None:
    """The destination's folder must exist and be a folder."""
    shown = shown or dest
    parent = dest.parent
    try:
        st = os.stat(parent)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise ExportError(
                f"Could not export to {shown}: the folder {parent} does not exist; nothing was written.",
                shown,
            ) from exc
        if exc.errno == errno.ENOTDIR:
            raise ExportError(
                f"Could not export to {shown}: part of the path is a file, not a folder; nothing was written.",
                shown,
            ) from exc
        reason = missing_reason(parent, exc)
        if reason is not None:
            raise ExportError(
                f"Could not export to {shown}: the folder {parent} {reason}; nothing was written.", shown
            ) from exc
        raise os_error(shown, exc, "create", False) from exc
    if not stat.S_ISDIR(st.st_mode):
        raise ExportError(
            f"Could not export to {shown}: {parent} is a file, not a folder; nothing was written.", shown
        )


def _is_empty(folder: Path) -> bool:
    try:
        return not any(folder.iterdir())
    except OSError:
        return False


def is_previous_export(folder: Path) -> bool:
    """True when `folder` holds only what an export of everything writes (safe to replace)."""
    try:
        names = {p.name for p in folder.iterdir()}
        with open(folder / README_NAME, encoding="utf-8") as fh:
            first = fh.readline().strip()
    except (OSError, UnicodeDecodeError):
        return False
    allowed = {README_NAME, *(f"{t}.csv" for t in ALL_TABLES)}
    return first == README_TITLE and names <= allowed


def move_folder_into_place(tmp: Path, dest: Path) -> None:
    if not dest.exists():
        os.replace(tmp, dest)
        return
    if _is_empty(dest):
        dest.rmdir()
        os.replace(tmp, dest)
        return
    # An earlier export: move it aside, move the new one in, then delete the old one.
    old = Path(
        tempfile.mkdtemp(dir=dest.parent, prefix=TEMP_PREFIX + "old-" + temp_prefix()[len(TEMP_PREFIX) :])
    )
    old.rmdir()
    os.replace(dest, old)
    try:
        os.replace(tmp, dest)
    except BaseException:
        os.replace(old, dest)
        raise
    shutil.rmtree(old, ignore_errors=True)


def remove_stale_temporaries(folder: Path) -> list[str]:
    """Remove the `.faceledger-export-*` files and folders in `folder` that an export killed
    outright left behind: ours by name, older than this process, and not carrying the id of a
    process that is still running. Returns the names removed; never raises."""
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _TEMP_NAME.match(entry.name)
        if m is None:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if st.st_mtime >= _STARTED or (m.group(1) and _running(int(m.group(1)))):
                continue
            if stat.S_ISDIR(st.st_mode):
                shutil.rmtree(entry.path)
            elif stat.S_ISREG(st.st_mode):
                os.unlink(entry.path)
            else:
                continue
        except OSError:
            continue
        removed.append(entry.name)
    return removed


def _running(pid: int) -> bool:
    """Whether a process with this id exists (another user's counts: it may be writing)."""
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # cannot tell cheaply: leave it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def remove_file(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); harmless where folders cannot be opened (Windows)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def set_mode(path: Path, like: Path | None, default: int) -> None:
    """Temporary files are private (0600); give the result the mode a normal new file would have."""
    if os.name != "posix":
        return
    try:
        mode = (like.stat().st_mode & 0o7777) if like is not None else default & ~umask()
        os.chmod(path, mode)
    except OSError:
        pass


def umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no /proc (macOS): read it the classic way
    os.umask(mask)
    return mask


_REASONS: dict[int, str] = {
    errno.ENOSPC: "the disk is full",
    errno.EROFS: "the disk is read-only",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "part of the path is a file, not a folder",
    errno.EISDIR: "a folder of that name is in the way",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.EBUSY: "the file is in use by another program",
    errno.ETXTBSY: "the file is in use by another program",
    errno.ENOTEMPTY: "a folder of that name already exists and is not empty",
    errno.EEXIST: "a file or folder of that name already exists",
    errno.EXDEV: "the temporary file is on another disk",
    errno.EIO: "the disk reported an input/output error",
    errno.ELOOP: "the path is a symbolic link loop",
    errno.EPIPE: "the program reading the output closed it",
    errno.EBADF: "the output is closed",
    errno.EFBIG: "the file is too large for the disk",
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = "your disk quota is used up"

# Windows errors when a file is open in another program (for example a spreadsheet).
_WIN_LOCKED = {32, 33}


def write_atomically(dest: Path, write: WriteText, total: int = 0) -> Generator[Progress, None, int]:
    """Write a CSV file without ever destroying `dest` (see `export_files`): a regular file or a
    new name gets a temporary file in its folder, fsync, rename into place; a symbolic link's
    target is replaced so; a named pipe or a device (/dev/stdout) is written into directly.

    Whatever stops it (an error, the generator being closed, KeyboardInterrupt) removes the
    temporary file, and `dest` is left as it was."""
    target = file_target(Path(dest))
    if target.stream:
        return (yield from _write_stream(target, write))
    return (yield from _into_place(target, cast(WriteFile, write), binary=False, total=total))


def replace_file(dest: Path, data: bytes) -> None:
    """`data` as the file `dest`, whole or not at all (a chart, a brief, metadata), as
    `write_atomically` writes a CSV file; but what is not a regular file (a folder, a device such
    as /dev/null, a pipe) is refused, never replaced by a file. Errors are ExportErrors in plain
    words (said of writing a file, not of an export), and `dest` is then as it was."""

    def write(fh: IO[Any], _dest: Path) -> Generator[Progress, None, int]:
        fh.write(data)
        return len(data)
        yield  # a generator, as `_into_place` drives it

    try:
        target = file_target(Path(dest))
        if target.stream:
            raise ExportError(
                f"Could not export to {dest}: it is not a regular file (a device or a pipe); nothing was written.",
                Path(dest),
            )
        for _ in _into_place(target, write, binary=True):
            pass
    except ExportError as exc:
        raise ExportError(str(exc).replace("Could not export to", "Could not write", 1), exc.path) from exc


def _into_place(
    target: FileTarget,
    write: Callable[[IO[Any], Path], Generator[Progress, None, int]],
    binary: bool,
    total: int = 0,
) -> Generator[Progress, None, int]:
    """A regular file (or a new name, or a link's target) written into a new temporary file in
    its folder, flushed to disk and renamed over it; whatever stops it (an error, the generator
    being closed, KeyboardInterrupt) removes the temporary file and leaves the file as it was."""
    dest, existed = target.path, target.existed
    remove_stale_temporaries(dest.parent)
    try:
        fd, name = tempfile.mkstemp(
            dir=dest.parent, prefix=temp_prefix(), suffix=(dest.suffix or ".csv") + ".tmp"
        )
    except OSError as exc:
        raise os_error(target.shown, exc, "create", existed) from exc
    tmp = Path(name)
    stage = "write"
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            n = yield from write(fh, dest)
            fh.flush()
            os.fsync(fh.fileno())
        set_mode(tmp, dest if existed else None, 0o666)
        yield n, max(total, n)  # the last chance to cancel: after this the file is in place
        stage = "replace"
        os.replace(tmp, dest)
    except BaseException as exc:
        remove_file(tmp)
        if isinstance(exc, OSError):
            raise os_error(target.shown, exc, stage, existed) from exc
        raise
    fsync_folder(dest.parent)
    return n


def _write_stream(target: FileTarget, write: WriteText) -> Generator[Progress, None, int]:
    """Into a pipe, a device or a stream, as to standard output: written, flushed, checked."""
    fd = open_stream(target)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            n = yield from write(fh, target.shown)
            fh.flush()
    except OSError as exc:
        raise os_error(target.shown, exc, "stream", True) from exc
    return n


def os_error(dest: Path | str, exc: OSError, stage: str, existed: bool) -> ExportError:
    """An OSError turned into one sentence naming the path and saying what happened."""
    winerror = getattr(exc, "winerror", None)
    if winerror in _WIN_LOCKED:
        reason = (
            "the file is open in another program (close it, for example in your spreadsheet, and try again)"
        )
    elif exc.errno in (errno.EACCES, errno.EPERM):
        if stage == "replace" and existed:
            reason = "the existing file cannot be replaced (it is read-only or open in another program)"
        elif stage == "stream":
            reason = "it cannot be written to (permission denied)"
        else:
            reason = "the folder is not writable (permission denied)"
    else:
        reason = _REASONS.get(exc.errno or 0) or (exc.strerror or str(exc)).rstrip(".").lower()
    if stage == "stream":
        kept = "what was written before the error is incomplete"
    else:
        kept = "the existing one was left unchanged" if existed else "nothing was written"
    return ExportError(f"Could not export to {dest}: {reason}; {kept}.", Path(dest))
