"""Benchmark: the `faceledger` command on a large `--db` file, against baselines run in the same run.

    PYTHONPATH=app python benchmarks/bench_cli.py [--db /tmp/faceledger-1m.db] [--reps N]

Every measurement is a fresh `faceledger` process (wall time from spawn to exit), with its own
cache folder (XDG_CACHE_HOME) for the run:

1. `faceledger search pol --db BIG`: the first run checks the whole file (SHA-256 against the
   manifest and SQLite's quick check) and remembers that it passed; the next runs on the unchanged
   file skip both. Their median is compared with `faceledger search pol` on the bundled database.
   Target: <= 1.5x.
2. `faceledger export customers -o FILE --db BIG` (after a first run that did the checks) against
   the sqlite3 command-line shell writing the same SELECT (the statement the export runs, taken
   from SQLite's trace of it) in CSV mode to a file. Target: <= 2x.

The database file is read once before the runs so that both sides find it in the page cache.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))

from faceledger.data.database import Database  # noqa: E402
from faceledger.data.repositories import Query, Repositories  # noqa: E402

DEFAULT_DB = Path("/tmp/faceledger-1m.db")
SEARCH_TARGET = 1.5
EXPORT_TARGET = 2.0


def timed(command: list[str], env: dict[str, str], stdout: int | None = subprocess.DEVNULL) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=stdout, stderr=subprocess.PIPE, check=True)
    return time.perf_counter() - start


def export_sql(db_path: Path, table: str) -> str:
    """The SELECT `faceledger export TABLE` runs for its rows, as SQLite traced it."""
    statements: list[str] = []
    with Database.open(db_path, verify=False) as db:
        repo = Repositories(db).for_entity(table)
        conn = db.connect_reader()
        conn.set_trace_callback(statements.append)
        keys = list(repo.columns)
        for _ in repo.bound(conn).iter_value_batches(Query(), keys, 4096):
            break
        conn.close()
    return next(s for s in statements if s.lstrip().upper().startswith("SELECT") and "COUNT(" not in s)


def warm(path: Path) -> None:
    with open(path, "rb") as fh:
        while fh.read(1 << 24):
            pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    big: Path = args.db
    if not big.exists():
        print(f"{big} is missing: build it with benchmarks/synthetic.py", file=sys.stderr)
        return 2
    sqlite_cli = shutil.which("sqlite3")
    if sqlite_cli is None:
        print("the sqlite3 command-line shell is needed (apt-get install sqlite3)", file=sys.stderr)
        return 2
    faceledger = [sys.executable, "-m", "faceledger.cli"]
    work = Path(tempfile.mkdtemp(prefix="faceledger-bench-cli-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "app"), "XDG_CACHE_HOME": str(work / "cache")}
    ok = True
    try:
        warm(big)
        size = big.stat().st_size
        print(f"database: {big} ({size / 1e9:.2f} GB)")

        # 1. search
        first = timed([*faceledger, "search", "pol", "--db", str(big)], env)
        timed([*faceledger, "search", "pol"], env)  # warm the bundled side as well
        ours, base = [], []
        for _ in range(args.reps):  # interleaved, so that both see the same machine
            ours.append(timed([*faceledger, "search", "pol", "--db", str(big)], env))
            base.append(timed([*faceledger, "search", "pol"], env))
        ratio = statistics.median(ours) / statistics.median(base)
        print(f"search pol --db BIG, first run (full checks): {first:.2f} s")
        print(
            f"search pol --db BIG, repeated: median {statistics.median(ours) * 1000:.0f} ms; "
            f"bundled: {statistics.median(base) * 1000:.0f} ms; ratio {ratio:.2f}x, target <= {SEARCH_TARGET}x "
            f"{'PASS' if ratio <= SEARCH_TARGET else 'FAIL'}"
        )
        ok &= ratio <= SEARCH_TARGET

        # 2. export customers
        sql = export_sql(big, "customers")
        dest = work / "customers.csv"
        timed([*faceledger, "export", "customers", "-o", str(dest), "--db", str(big)], env)  # checks
        uri = f"file:{big}?mode=ro"
        mine, theirs = [], []
        for _ in range(max(3, args.reps // 2)):
            mine.append(timed([*faceledger, "export", "customers", "-o", str(dest), "--db", str(big)], env))
            with open(work / "sqlite3.csv", "wb") as fh:
                theirs.append(timed([sqlite_cli, "-csv", "-header", uri, sql], env, stdout=fh.fileno()))
        rows = sum(1 for _ in open(dest, "rb")) - 1
        ratio = statistics.median(mine) / statistics.median(theirs)
        print(
            f"export customers --db BIG ({rows:,} rows): median {statistics.median(mine):.2f} s; "
            f"sqlite3 -csv: {statistics.median(theirs):.2f} s; ratio {ratio:.2f}x, target <= {EXPORT_TARGET}x "
            f"{'PASS' if ratio <= EXPORT_TARGET else 'FAIL'}"
        )
        print(
            f"  runs: ours {', '.join(f'{t:.2f}' for t in mine)}; sqlite3 {', '.join(f'{t:.2f}' for t in theirs)}"
        )
        ok &= ratio <= EXPORT_TARGET
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sqlite3.connect(":memory:").close()
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
