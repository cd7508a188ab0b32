"""How a `faceledger` command fails: one line on standard error and one exit code per kind of
failure; standard output checked (closed, a full disk, a locale that cannot encode the text);
Ctrl+C and SIGTERM reported as an interruption, never as damage."""

from __future__ import annotations

import errno
import io
import logging
import os
import signal
import sys
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TextIO

from faceledger.data.errors import DatabaseProblem, FaceLedgerError, UnknownName, note_interrupt

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_DATABASE = 2
EXIT_OUTPUT = 3
EXIT_USAGE = 4
EXIT_INTERRUPTED = 128 + signal.SIGINT  # 130
EXIT_TERMINATED = 128 + signal.SIGTERM  # 143

EXIT_CODES_HELP = (
    "exit codes: 0 done; "
    "1 an unexpected error; "
    "2 the database cannot be used (missing, not a file, damaged, tampered with, not a FaceLedger "
    "database; the app exits 2 too); "
    "3 the output could not be written (an export's destination, a full disk, a closed standard "
    "output); "
    "4 the command was given wrongly (an unknown option, table or column, a bad value); "
    "130 interrupted (Ctrl+C); 143 stopped by SIGTERM. Either way nothing is left half-written."
)


class CliError(Exception):
    """A mistake in the command line: one line on standard error, exit 4."""


class OutputError(FaceLedgerError):
    """Standard output could not be written (closed, a full disk): exit 3."""


def exit_code(exc: BaseException) -> int:
    """The exit code for a failure (see EXIT_CODES_HELP)."""
    from faceledger.data.export_files import ExportError, ExportOptionError  # noqa: PLC0415

    if isinstance(exc, (CliError, UnknownName, ExportOptionError)):
        return EXIT_USAGE
    if isinstance(exc, DatabaseProblem):
        return EXIT_DATABASE
    if isinstance(exc, (ExportError, OutputError)):
        return EXIT_OUTPUT
    return EXIT_UNEXPECTED


def output_error(exc: OSError) -> OutputError:
    """A failed write to standard output, in words."""
    if exc.errno == errno.ENOSPC:
        why = "the disk is full"
    elif exc.errno == errno.EBADF:
        why = "it is closed"
    elif exc.errno == errno.EFBIG:
        why = "the file is too large for the disk"
    else:
        why = (exc.strerror or str(exc)).rstrip(".").lower()
    return OutputError(f"could not write to standard output: {why}; the output is incomplete")


# Streams `prepared_output` made (closed by `finish_output`).
_OWN: weakref.WeakSet[io.TextIOWrapper] = weakref.WeakSet()


def prepared_output(out: TextIO | None) -> TextIO:
    """The stream a command writes to.

    - Standard output closed (`>&-`): refused, before anything is done.
    - A text stream written straight to its file descriptor (PYTHONUNBUFFERED or `python -u`):
      such a stream drops the rest of a short write without a word (a disk filling up cuts the
      output and the command still succeeds), so the command writes through a buffered writer on
      a duplicate of the descriptor instead, which reports the error.
    - An encoding that cannot write every character (a non-UTF-8 locale): what it cannot write
      becomes '?' instead of an error."""
    if out is None:
        raise OutputError("standard output is closed; nothing was written")
    if isinstance(out, io.TextIOWrapper) and isinstance(getattr(out, "buffer", None), io.RawIOBase):
        try:
            out.flush()
            buffered = io.BufferedWriter(io.FileIO(os.dup(out.fileno()), "w"))
        except OSError as exc:
            raise output_error(exc) from exc
        out = io.TextIOWrapper(buffered, encoding=out.encoding, errors=out.errors)
        _OWN.add(out)
    encoding = (getattr(out, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    strict = out.errors in ("strict", "surrogateescape") if isinstance(out, io.TextIOWrapper) else False
    if isinstance(out, io.TextIOWrapper) and encoding not in ("utf8", "utf8sig") and strict:
        try:
            out.reconfigure(errors="replace")
        except (ValueError, OSError):
            log.debug("could not set the output's error handler")
    return out


def finish_output(out: TextIO) -> None:
    """Flush what a command wrote, raising OutputError when it could not be written (a full disk
    or /dev/full: without this, Python would report it at exit with exit code 120)."""
    try:
        out.flush()
        buffer = getattr(out, "buffer", None)
        if buffer is not None:
            buffer.flush()
        if out in _OWN:
            out.close()
    except BrokenPipeError:
        raise
    except OSError as exc:
        discard_output(out)
        raise output_error(exc) from exc


def discard_output(out: TextIO) -> None:
    """After a write error on standard output (a closed pipe, a full disk), point it at the null
    device, so that Python's own flush at exit (or the stream's, when it is collected) neither
    fails nor prints a second message."""
    if out is not sys.stdout and out not in _OWN:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        log.debug("could not redirect standard output")


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    note_interrupt(signum)
    raise KeyboardInterrupt


@contextmanager
def interrupts_reported() -> Iterator[None]:
    """Ctrl+C and SIGTERM raise KeyboardInterrupt (recorded first, so that the data layer can tell
    an interrupted query from a damaged file); handlers restored on exit."""
    previous: list[tuple[signal.Signals, Callable[..., object] | int | None]] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            previous.append((signum, signal.signal(signum, _on_signal)))
        except (ValueError, OSError):  # not the main thread
            pass
    try:
        yield
    finally:
        for signum, handler in previous:
            signal.signal(signum, handler)


def interrupted_exit(err: TextIO | None) -> int:
    """Say "Interrupted." and return 130 (143 for SIGTERM)."""
    from faceledger.data.errors import interrupt_requested  # noqa: PLC0415

    signum = interrupt_requested() or int(signal.SIGINT)
    _say(err, "Interrupted.")
    return EXIT_TERMINATED if signum == signal.SIGTERM else EXIT_INTERRUPTED


def report(exc: BaseException, err: TextIO | None) -> int:
    """Print a failure as one line, `faceledger: ...`, and return its exit code."""
    code = exit_code(exc)
    if code == EXIT_UNEXPECTED:
        log.error("unexpected error", exc_info=exc)
        text = f"unexpected error: {type(exc).__name__}: {exc}"
    else:
        text = str(exc)
    _say(err, "faceledger: " + " ".join(text.split()))
    return code


def _say(err: TextIO | None, line: str) -> None:
    if err is None:
        return
    try:
        print(line.encode(err.encoding or "utf-8", "replace").decode(err.encoding or "utf-8"), file=err)
        err.flush()
    except (OSError, ValueError, LookupError):
        pass
