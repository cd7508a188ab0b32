"""What is at a path, in plain words, and reading a small file without trusting it (Qt-free).

A database or its manifest is opened only when it is a regular file: a named pipe (FIFO) would
block the reader forever and a device such as /dev/zero never ends. Files are opened without
blocking (`O_NONBLOCK`) and checked again on the open descriptor, so a file swapped for a pipe
between the check and the open is refused too.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

# What a special file is, for a message: "The database path is a named pipe (FIFO), not a file".
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotAFile(OSError):
    """The path exists but is not a regular file (`kind` says what it is), or is too large."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(errno.EINVAL, kind, str(path))
        self.kind = kind


def kind_of(mode: int) -> str:
    """'a regular file', 'a folder', 'a named pipe (FIFO)', ... for an `st_mode`."""
    if stat.S_ISREG(mode):
        return "a regular file"
    for test, name in _KINDS:
        if test(mode):
            return name
    return "a special file"


def missing_reason(path: Path, exc: OSError) -> str | None:
    """Why `path` cannot be found, in words, for an OSError from stat/open; None for other errors.

    A symbolic link loop and a link to nothing are told apart from a plain missing file."""
    if exc.errno == errno.ELOOP:
        return "is a symbolic link loop (the link points, in the end, back to itself)"
    if exc.errno == errno.ENOENT:
        if os.path.lexists(path):
            return "is a symbolic link to a file that does not exist"
        return "does not exist"
    if exc.errno == errno.ENOTDIR:
        return "does not exist (part of the path is a file, not a folder)"
    if exc.errno == errno.ENAMETOOLONG:
        return "has a name that is too long"
    return None


def open_regular(path: Path) -> tuple[int, os.stat_result]:
    """Open `path` read-only without blocking and return (descriptor, its stat): raises `NotAFile`
    (closing the descriptor) unless it is a regular file, or the OSError of the open."""
    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    )
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotAFile(path, kind_of(st.st_mode))
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def check_regular(path: Path) -> os.stat_result:
    """The stat of `path` (symbolic links followed) when it is a regular file, else `NotAFile`;
    OSError when it cannot be found. Never opens the file (a FIFO is not touched)."""
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise NotAFile(path, kind_of(st.st_mode))
    return st


def read_small_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. Raises `NotAFile` for anything else
    (a pipe, a device, a folder, a larger file: kind 'larger than N bytes'), OSError when it
    cannot be read. Never reads more than `limit` + 1 bytes, whatever the file claims."""
    return read_small_file_and_stat(path, limit)[0]


def read_small_file_and_stat(path: Path, limit: int) -> tuple[bytes, os.stat_result]:
    """`read_small_file`, and the file's stat taken on the descriptor it was read from, before
    reading (a change during the read shows as another modification or change time later)."""
    check_regular(path)  # a FIFO is refused before it is opened
    fd, st = open_regular(path)
    try:
        if st.st_size > limit:
            raise NotAFile(path, f"larger than {limit:,} bytes")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise NotAFile(path, f"larger than {limit:,} bytes")
    return b"".join(chunks), st
