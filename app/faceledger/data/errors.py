"""Errors the data layer raises, each with a message a user can act on."""

from __future__ import annotations

from pathlib import Path


class FaceLedgerError(Exception):
    """Base class: `str(exc)` is one line a user can read."""


class DatabaseProblem(FaceLedgerError):
    """The database cannot be used: missing, damaged, not a FaceLedger database or tampered with."""

    def __init__(self, path: Path | str, what: str, advice: str = "") -> None:
        self.path = Path(path)
        self.what = what
        self.advice = advice or (
            "Reinstall FaceLedger to restore the bundled database, or choose another "
            "FaceLedger database with --db PATH."
        )
        super().__init__(f"{self.what}: {self.path}")

    def details(self) -> str:
        return f"{self.what}.\n\nFile: {self.path}\n\n{self.advice}"


class QueryTimeout(DatabaseProblem):
    """A query ran longer than the time limit and was stopped (a damaged or hostile database)."""

    def __init__(self, path: Path | str, seconds: float) -> None:
        super().__init__(
            path,
            f"A query took longer than {seconds:g} s and was stopped "
            "(the database may be damaged or built to slow FaceLedger down)",
        )


class UnknownName(FaceLedgerError):
    """An unknown table, column or filter field was asked for."""


# -- interruption -----------------------------------------------------------------------------
# Ctrl+C (or SIGTERM) while SQLite works: Python runs the signal handler inside SQLite's progress
# callback, where the KeyboardInterrupt it raises is swallowed and SQLite merely reports
# "interrupted", which would read as a damaged database or a slow query. The command line's
# handler records the signal here first; the data layer then raises KeyboardInterrupt instead.
_interrupted: list[int] = []


def note_interrupt(signum: int) -> None:
    """Record that the user interrupted the program (called from a signal handler)."""
    _interrupted.append(signum)


def interrupt_requested() -> int:
    """The signal that interrupted the program, or 0."""
    return _interrupted[-1] if _interrupted else 0

