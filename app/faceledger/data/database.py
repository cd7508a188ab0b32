"""Opening a FaceLedger database: read-only, checked, and guarded against hostile files."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from faceledger.data import schema, verified
from faceledger.data.errors import DatabaseProblem, QueryTimeout, interrupt_requested
from faceledger.data.file_checks import (
    check_database_file,
    compare_checksum,
    expected_checksum,
)
from faceledger.data.manifest import (
    content_tables,
    file_sha256,
    read_manifest,
    table_digest,
)

BUNDLED_NAME = "faceledger.db"
QUERY_TIME_LIMIT = 10.0  # seconds; stops a hostile view or trigger from hanging the app

# The tables and columns the app relies on, as declared (faceledger.data.schema); checked before
# any other query.
EXPECTED_SCHEMA: dict[str, set[str]] = {
    **{t.name: set(t.column_names) for t in schema.TABLES},
    **{name: set(columns) for name, columns in schema.STATISTICS_TABLES.items()},
}
FTS_TABLES = tuple(t.name for t in schema.TABLES if t.search_label)

SQLITE_PERM, SQLITE_INTERRUPT, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_CANTOPEN, SQLITE_NOTADB = (
    3,
    9,
    10,
    11,
    14,
    26,
)
# Generic (SQLITE_ERROR) messages that mean a damaged file: a broken search index, a bad schema.
DAMAGE_MESSAGES = ("malformed", "corrupt", "vtable constructor failed")


def _normal_sql(sql: object) -> str:
    return " ".join(str(sql).split()).lower() if sql else ""


def bundled_database_path() -> Path:
    """The database shipped inside the installed package (a folder on disk: SQLite needs a file).
    The package's own path, rather than `importlib.resources` (about 4 ms of imports at start-up)."""
    return Path(__file__).resolve().parents[1] / "bundled" / BUNDLED_NAME


class CheckReport(NamedTuple):
    """What `Database.check()` found: problems is empty when all is well."""

    path: Path
    quick_check: str
    file_checksum_ok: bool
    changed_tables: tuple[str, ...]
    row_counts: dict[str, int]

    @property
    def ok(self) -> bool:
        return self.quick_check == "ok" and self.file_checksum_ok and not self.changed_tables


class Database:
    """A read-only FaceLedger database. Use `Database.open(path)`; `close()` is idempotent.

    Plain `sqlite3` rather than a `sqlite_utils.Database` wrapper: sqlite-utils imports NumPy and
    urllib at start-up (about 120 ms), which the app's cold start cannot afford. The build in db/
    uses sqlite-utils."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        checks: BackgroundChecks | None = None,
        columns: dict[str, list[str]] | None = None,
    ) -> None:
        self.path = path
        self._conn = conn
        self._lock = threading.RLock()
        self._closed = False
        self._checks = checks
        # The file never changes while open (read-only, immutable): its tables' columns and its
        # meta table are read once (the columns by the schema check that opening does).
        self._columns: dict[str, list[str]] = dict(columns or {})
        self._meta: dict[str, str] | None = None

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def open(
        cls, path: Path | str | None = None, *, verify: bool = True, checksum_in_background: bool = False
    ) -> Database:
        """Open `path` (default: the bundled database) read-only and check it.

        Raises DatabaseProblem with a message naming the file and what to do.

        `checksum_in_background`: the checks that read the whole file (its SHA-256 against the
        manifest and, for a file other than the bundled one, SQLite's quick check) run on threads
        of their own, so the caller can build its window meanwhile; the caller must call
        `wait_checks()` before showing anything read from the database (`checks_done()` tells
        whether that would wait). Every other check is done here, as without it.

        A file that passed its checks before, unchanged since (the bundled one included: its
        checksum), is not checked again (`faceledger.data.verified`)."""
        p = Path(path) if path is not None else bundled_database_path()
        st = check_database_file(p)
        checks: BackgroundChecks | None = None
        structure = verify and not _is_bundled(p)
        key = ""
        remembered = False
        if verify:
            expected = expected_checksum(p)
            key = verified.file_key(st, expected.manifest_stat)
            remembered = verified.was_verified(key)
            if remembered:
                structure = False  # checked before and unchanged since; the schema still is, below
            elif checksum_in_background:
                checks = BackgroundChecks(p, expected.file_sha256, structure, (st, key))
            else:
                compare_checksum(p, expected.file_sha256)
        try:
            conn = _connect(p)
        except DatabaseProblem as problem:
            _raise_checksum_first(checks, problem)
            raise
        try:
            columns = _check_schema(conn, p)
            if structure and checks is None:
                _check_structure(conn, p)
            if verify and not remembered and checks is None:
                verified.remember(p, st, key)
        except DatabaseProblem as problem:
            conn.close()
            _raise_checksum_first(checks, problem)
            raise
        return cls(p, conn, checks, columns)

    @classmethod
    def open_for_window(cls, path: Path | str | None = None) -> Database | DatabaseProblem:
        """`open(path, checksum_in_background=True)`, or the problem that stops it, which the app
        shows in a dialog once Qt is up."""
        try:
            return cls.open(path, checksum_in_background=True)
        except DatabaseProblem as problem:
            return problem

    def checks_done(self, timeout: float | None = 0) -> bool:
        """Whether the background checks have finished (waiting at most `timeout` seconds);
        True when none were started."""
        return self._checks is None or self._checks.done(timeout)

    def wait_checks(self) -> None:
        """Wait for the checks started by `open(..., checksum_in_background=True)`; raise the
        DatabaseProblem of the first that failed. Without any, return at once."""
        problem = self.checks_problem()
        if problem is not None:
            raise problem

    def checks_problem(self) -> DatabaseProblem | None:
        """The background checks' first problem, once they have finished (None: all passed)."""
        return self._checks.wait() if self._checks is not None else None

    def connect_reader(self) -> sqlite3.Connection:
        """A separate read-only connection for a worker thread (same guards)."""
        return _connect(self.path)

    @contextmanager
    def reader(self) -> Iterator[sqlite3.Connection]:
        """A worker's own connection, closed on exit; SQLite errors raised inside the block become
        `DatabaseProblem` / `QueryTimeout` with a message a user can read."""
        conn = _connect(self.path)
        try:
            with translated_errors(self.path):
                yield conn
        finally:
            conn.close()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            if self._checks is not None:
                self._checks.cancel()
            self._conn.close()

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- querying -----------------------------------------------------------------------------
    def query(
        self, sql: str, params: tuple[Any, ...] | list[Any] = (), conn: sqlite3.Connection | None = None
    ) -> list[tuple[Any, ...]]:
        """All rows; on `conn` when given (a worker's own connection), else on the shared one."""
        if conn is not None:
            with translated_errors(self.path):
                return conn.execute(sql, params).fetchall()
        with self._guard():
            return self._conn.execute(sql, params).fetchall()

    def query_one(
        self, sql: str, params: tuple[Any, ...] | list[Any] = (), conn: sqlite3.Connection | None = None
    ) -> tuple[Any, ...] | None:
        """The first row or None; on `conn` when given, as `query`."""
        if conn is not None:
            with translated_errors(self.path):
                found: tuple[Any, ...] | None = conn.execute(sql, params).fetchone()
                return found
        with self._guard():
            row: tuple[Any, ...] | None = self._conn.execute(sql, params).fetchone()
            return row

    def iterate(
        self, sql: str, params: tuple[Any, ...] | list[Any] = (), conn: sqlite3.Connection | None = None
    ) -> Iterator[tuple[Any, ...]]:
        """Stream rows (for exports); pass a reader connection when called from a worker."""
        c = conn or self._conn
        with translated_errors(self.path):
            cur = c.execute(sql, params)
            while True:
                rows = cur.fetchmany(2000)
                if not rows:
                    return
                # The time limit applies to each batch: a long export is not a slow query.
                _install_time_limit(c)
                yield from rows

    def iterate_batches(
        self,
        sql: str,
        params: tuple[Any, ...] | list[Any] = (),
        conn: sqlite3.Connection | None = None,
        size: int = 4096,
    ) -> Iterator[list[tuple[Any, ...]]]:
        """Like `iterate`, in lists of up to `size` rows (the CSV writer formats a batch at a time)."""
        c = conn or self._conn
        with translated_errors(self.path):
            cur = c.execute(sql, params)
            while True:
                rows = cur.fetchmany(size)
                if not rows:
                    return
                _install_time_limit(c)  # per batch, as in `iterate`
                yield rows

    @contextmanager
    def _guard(self) -> Iterator[None]:
        with self._lock, translated_errors(self.path):
            yield

    def meta(self) -> dict[str, str]:
        """The meta table (read once; a copy)."""
        if self._meta is None:
            self._meta = {str(k): str(v) for k, v in self.query("SELECT key, value FROM meta")}
        return dict(self._meta)

    def columns(self, table: str) -> list[str]:
        """A table's columns in table order (read once; a copy)."""
        if table not in self._columns:
            self._columns[table] = [str(r[1]) for r in self.query(f'PRAGMA table_info("{table}")')]
        return list(self._columns[table])

    # -- checking -----------------------------------------------------------------------------
    def check(self) -> CheckReport:
        """Full check for `faceledger doctor`: quick_check, file checksum and per-table checksums."""
        quick = _quick_check(self._conn, self._lock)
        try:
            manifest = read_manifest(self.path)
        except (OSError, ValueError):  # missing, not a regular file, too large, malformed
            return CheckReport(self.path, quick, False, ("(manifest missing)",), self._safe_counts())
        file_ok = file_sha256(self.path) == manifest["file_sha256"]
        expected = manifest["tables"]
        digest: dict[str, str | None] = {}
        with self._lock:
            try:
                tables = content_tables(self._conn)
            except (sqlite3.Error, UnicodeDecodeError):
                tables = sorted(expected)
            for t in tables:
                try:
                    digest[t] = table_digest(self._conn, t)[1]
                except (sqlite3.Error, UnicodeDecodeError):  # an unreadable table counts as changed
                    _raise_if_interrupted()
                    digest[t] = None
        changed = tuple(
            sorted(
                t
                for t in set(digest) | set(expected)
                if digest.get(t) is None or digest.get(t) != expected.get(t, {}).get("sha256")
            )
        )
        return CheckReport(self.path, quick, file_ok, changed, self._safe_counts())

    def _safe_counts(self) -> dict[str, int]:
        """Row counts for doctor; -1 for a table that cannot be read."""
        out: dict[str, int] = {}
        for t in EXPECTED_SCHEMA:
            try:
                out[t] = int(self.query(f'SELECT COUNT(*) FROM "{t}"')[0][0])
            except DatabaseProblem:
                out[t] = -1
        return out


def database_error(exc: sqlite3.Error | UnicodeDecodeError, path: Path) -> BaseException:
    """The one translation of an SQLite error caused by the database file (damaged, unreadable,
    too slow) into a `DatabaseProblem` a user can act on; a query stopped because the user
    pressed Ctrl+C is a KeyboardInterrupt. Other errors (a write attempt, an SQL mistake) are
    returned unchanged: they are bugs, reported as such."""
    if interrupt_requested():
        return KeyboardInterrupt()
    if isinstance(exc, UnicodeDecodeError):  # SQLite's message quotes bytes of a damaged schema
        return DatabaseProblem(path, "The database is damaged (a stored name or text is not valid UTF-8)")
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    text = str(exc)
    if code == SQLITE_INTERRUPT or text == "interrupted":
        return QueryTimeout(path, QUERY_TIME_LIMIT)
    if code in (SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_PERM):
        return DatabaseProblem(path, f"The database file could not be read ({text})")
    if code == SQLITE_NOTADB:
        return DatabaseProblem(path, "The file is not a SQLite database")
    if code == SQLITE_CORRUPT or any(m in text for m in DAMAGE_MESSAGES):
        return DatabaseProblem(path, f"The database is damaged ({text})")
    if text.startswith("Could not decode to UTF-8"):  # text bytes overwritten inside a page
        return DatabaseProblem(path, "The database is damaged (a stored text is not valid UTF-8)")
    return exc


@contextmanager
def translated_errors(path: Path) -> Iterator[None]:
    """Raise `database_error(...)` for an SQLite error raised inside the block."""
    try:
        yield
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        translated = database_error(exc, path)
        if translated is exc:
            raise
        raise translated from exc


def _is_bundled(p: Path) -> bool:
    try:
        return p.resolve() == bundled_database_path().resolve()
    except OSError:
        return False


def _quick_check(conn: sqlite3.Connection, lock: threading.RLock | None = None) -> str:
    """'ok', or what SQLite's quick_check found (first lines)."""
    try:
        if lock is not None:
            with lock:
                rows = conn.execute("PRAGMA quick_check").fetchall()
        else:
            rows = conn.execute("PRAGMA quick_check").fetchall()
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        _raise_if_interrupted()
        return str(exc)
    if rows and rows[0][0] == "ok":
        return "ok"
    lines = "\n".join(str(r[0]) for r in rows).splitlines()
    return "; ".join(line for line in lines if not line.startswith("***"))[:300] or "failed"


def _check_structure(conn: sqlite3.Connection, p: Path) -> None:
    """quick_check (b-tree structure, cell sizes): catches damage a regenerated manifest hides."""
    result = _quick_check(conn)
    if result != "ok":
        raise DatabaseProblem(p, "The database is damaged (SQLite's quick check failed)")


def _raise_if_interrupted() -> None:
    """An SQLite call that failed because the user pressed Ctrl+C is an interruption, not damage."""
    if interrupt_requested():
        raise KeyboardInterrupt


class BackgroundChecks:
    """The checks that read the whole file, each on a thread of its own, started at once: the
    file compared with its manifest (`compare_checksum`) and, for a database other than the
    bundled one, SQLite's quick check (`_check_structure`, on its own connection). Neither thread
    runs much Python: the manifest is read by the caller, and the hash and SQLite leave the GIL.
    `wait()` returns the first problem, the checksum's before the quick check's."""

    def __init__(
        self, p: Path, expected: str, structure: bool, remember: tuple[os.stat_result, str] | None = None
    ) -> None:
        self._path = p
        self._remember = remember  # (stat before the checks, key): a pass is remembered
        self._problems: dict[str, DatabaseProblem] = {}
        self._structure_conn: sqlite3.Connection | None = None
        self._cancelled = False
        self._checksum = threading.Thread(
            target=self._run_checksum, args=(p, expected), name="faceledger-checksum", daemon=True
        )
        self._threads = [self._checksum]
        if structure:
            self._threads.append(
                threading.Thread(
                    target=self._run_structure, args=(p,), name="faceledger-quick-check", daemon=True
                )
            )
        for t in self._threads:
            t.start()

    def _run_checksum(self, p: Path, expected: str) -> None:
        try:
            compare_checksum(p, expected)
        except DatabaseProblem as problem:
            self._problems["checksum"] = problem

    def _run_structure(self, p: Path) -> None:
        try:
            conn = _connect(p)
        except DatabaseProblem as problem:
            self._problems["structure"] = problem
            return
        self._structure_conn = conn
        try:
            if not self._cancelled:
                _check_structure(conn, p)
        except DatabaseProblem as problem:
            if not self._cancelled:
                self._problems["structure"] = problem
        finally:
            self._structure_conn = None
            conn.close()

    def done(self, timeout: float | None = None) -> bool:
        """Whether every check has finished, waiting at most `timeout` seconds for them."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for t in self._threads:
            t.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self._threads)

    def wait(self) -> DatabaseProblem | None:
        self.done()
        problem = self._problems.get("checksum") or self._problems.get("structure")
        if problem is None and self._remember is not None and not self._cancelled:
            verified.remember(self._path, *self._remember)
            self._remember = None
        return problem

    def checksum_problem(self) -> DatabaseProblem | None:
        """The checksum's problem, once it has finished (the quick check may still run)."""
        self._checksum.join()
        return self._problems.get("checksum")

    def cancel(self) -> None:
        """Stop the quick check (the database is being closed): it reports nothing."""
        self._cancelled = True
        conn = self._structure_conn
        if conn is not None:
            try:
                conn.interrupt()
            except sqlite3.Error:
                pass  # it just finished


def _raise_checksum_first(checks: BackgroundChecks | None, problem: DatabaseProblem) -> None:
    """When the file also fails its checksum, that is the problem to report (as without a
    background checksum, where it is checked first); otherwise return (the caller re-raises)."""
    if checks is None:
        return
    checks.cancel()
    first = checks.checksum_problem()
    if first is not None:
        raise first from problem


def _connect(p: Path) -> sqlite3.Connection:
    uri = "file:" + _uri_path(p) + "?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA cell_size_check = ON")
        conn.execute("PRAGMA mmap_size = 0")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        raise DatabaseProblem(p, f"The database cannot be opened ({exc})") from exc
    _install_time_limit(conn)
    return conn


def _uri_path(p: Path) -> str:
    """Percent-escape the characters that end or escape a path in an SQLite URI."""
    out = str(p.resolve())
    for ch, esc in (("%", "%25"), ("?", "%3F"), ("#", "%23")):
        out = out.replace(ch, esc)
    return out


def _install_time_limit(conn: sqlite3.Connection) -> None:
    state = {"start": time.monotonic()}

    def handler() -> int:
        return 1 if time.monotonic() - state["start"] > QUERY_TIME_LIMIT else 0

    # Reset the clock at each statement through a trace callback (cheap), check every 100k steps.
    def trace(_stmt: str) -> None:
        state["start"] = time.monotonic()

    conn.set_trace_callback(trace)
    conn.set_progress_handler(handler, 100_000)


def _check_schema(conn: sqlite3.Connection, p: Path) -> dict[str, list[str]]:
    """Check the tables and search indexes; returns each table's columns, in table order."""
    columns: dict[str, list[str]] = {}
    try:
        rows = conn.execute("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')").fetchall()
        present = {name: typ for name, typ in rows}
        for table, cols in EXPECTED_SCHEMA.items():
            if present.get(table) != "table":
                raise DatabaseProblem(p, f"This is not a FaceLedger database (table '{table}' is missing)")
            columns[table] = [str(r[1]) for r in conn.execute(f'PRAGMA table_info("{table}")')]
            missing = cols - set(columns[table])
            if missing:
                raise DatabaseProblem(
                    p,
                    f"This is not a FaceLedger database (table '{table}' lacks {', '.join(sorted(missing))})",
                )
        fts_sql = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE name LIKE 'fts%'").fetchall())
        for t in FTS_TABLES:
            # A view or a table under an index's name would be run by every search: require the
            # exact FTS5 definitions the build writes (no external content table, no other tokenizer).
            for name, sql in schema.search_indexes(t).items():
                if name not in fts_sql and name != schema.search_index(t):
                    raise DatabaseProblem(
                        p,
                        f"This database was built by an earlier FaceLedger (the search index for {t} "
                        f"lacks its part '{name}'): build it again with this version's db/build.py",
                    )
                if _normal_sql(fts_sql.get(name)) != _normal_sql(sql):
                    raise DatabaseProblem(
                        p, f"This is not a FaceLedger database (the search index for {t} is wrong)"
                    )
    except sqlite3.DatabaseError as exc:
        _raise_if_interrupted()
        raise DatabaseProblem(p, f"The database is damaged ({exc})") from exc
    except UnicodeDecodeError as exc:  # SQLite's message quotes a damaged name's bytes
        raise DatabaseProblem(p, "The database is damaged (a stored name is not valid UTF-8)") from exc
    return columns
