"""Benchmark: CSV export of 1,000,000 rows x 8 columns against `sqlite3 -csv` on the same query.

    PYTHONPATH=app python benchmarks/bench_export.py [--rows N] [--rounds R] [--keep]

Uses the synthetic FaceLedger database of `benchmarks/synthetic.py` (built once if missing; when
that file is absent, the bundled database with its deployments table filled to N synthetic rows).
Then, in one run, it exports the Deployments page's columns (id plus the 7 visible ones, in
the page's default order) with the app's writer (`export_query`: count, stream, guard, write,
fsync, rename), runs the same SELECT through the sqlite3 command-line shell in CSV mode, and prints
rows/s, the ratio of the two, and memory (peak RSS growth during the export; Python's traced peak
at N/10 and N rows, which stays flat when the export streams).
Targets (issue 6): >= 200,000 rows/s and within 3x of sqlite3.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))

from faceledger.data.database import Database, bundled_database_path  # noqa: E402
from faceledger.data.export import ExportOptions, export_query  # noqa: E402
from faceledger.data.repositories import Query, Repositories  # noqa: E402
from faceledger.data.repository import LICENCE_KEY  # noqa: E402

TABLE = "deployments"
KEYS = ["id", "vendor_name", "customer_name", "product", "status", "start", "end", "verification"]
TARGET_RATE = 200_000
TARGET_RATIO = 3.0
GUARD = frozenset("=+-@\t\r")


def _synthetic_module() -> Any:
    path = Path(__file__).with_name("synthetic.py")
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("faceledger_synthetic", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _own_database(path: Path, rows: int) -> None:
    """The bundled database with `rows` synthetic deployments (FTS left as built: no search here)."""
    tmp = path.with_suffix(".partial")
    shutil.copy(bundled_database_path(), tmp)
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA foreign_keys = OFF")
    vendors = conn.execute("SELECT id, name FROM vendors").fetchall()
    customers = conn.execute("SELECT id, name FROM customers").fetchall()
    statuses = ["active", "ended", "trial", "paused", "unknown"]
    checks = ["verified", "partial", "unverified"]
    rnd = random.Random(6)

    def gen() -> object:
        for i in range(rows):
            vid, vname = vendors[rnd.randrange(len(vendors))]
            cid, cname = customers[rnd.randrange(len(customers))]
            product = rnd.choice(
                ["Face search", "Mugshot matching, v2", 'Live "watchlist" alerts', "Rekognition"]
            )
            if i % 97 == 0:
                product = "-" + product  # a formula-like cell now and then: the guard has work to do
            year = 2010 + i % 16
            yield (
                f"syn-{i:07d}",
                vid,
                cid,
                vname,
                cname,
                product,
                statuses[i % len(statuses)],
                f"{year}-{1 + i % 12:02d}",
                f"{year + 1}" if i % 3 else None,
                f"Synthetic row {i}, for the export benchmark.",
                checks[i % 3],
            )

    conn.executemany(
        "INSERT INTO deployments (id, vendor_id, customer_id, vendor_name, customer_name, product, status, "
        "start, end, summary, verification) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        gen(),  # type: ignore[arg-type]
    )
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    tmp.replace(path)


def database(rows: int) -> Path:
    """benchmarks/synthetic.py's database when it exists (reused if already built with enough
    deployments), else the bundled database with `rows` synthetic deployments."""
    synthetic: Any = _synthetic_module()
    if synthetic is not None:
        default = Path(synthetic.DEFAULT_OUT)
        if _deployments(default) >= rows:
            print(f"database: {default} (benchmarks/synthetic.py, reused)")
            return default
        path = Path(tempfile.gettempdir()) / f"faceledger-bench-export-synthetic-{rows}.db"
        if _deployments(path) < rows:
            t = time.perf_counter()
            synthetic.generate(path, customers=min(rows, 20_000), deployments=rows, seed=2020)
            print(f"database: built {path} with benchmarks/synthetic.py in {time.perf_counter() - t:.0f} s")
        else:
            print(f"database: {path} (benchmarks/synthetic.py, reused)")
        return path
    path = Path(tempfile.gettempdir()) / f"faceledger-bench-export-{rows}.db"
    if _deployments(path) < rows:
        t = time.perf_counter()
        _own_database(path, rows)
        print(f"database: built {path} in {time.perf_counter() - t:.1f} s")
    else:
        print(f"database: reusing {path}")
    return path


def _deployments(path: Path) -> int:
    if not path.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM deployments").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def export_once(
    repos: Repositories, dest: Path, query: Query, conn: sqlite3.Connection
) -> tuple[int, float, float]:
    t, cpu = time.perf_counter(), time.process_time()
    gen = export_query(repos.deployments.bound(conn), query, KEYS, KEYS, dest, ExportOptions())
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            n = stop.value.rows
            break
    return n, time.perf_counter() - t, time.process_time() - cpu


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3, help="runs of each contender (the best counts)")
    ap.add_argument("--keep", action="store_true", help="keep the CSV files")
    args = ap.parse_args()
    sqlite_cli = shutil.which("sqlite3")
    if sqlite_cli is None:
        print("the sqlite3 command-line shell is needed (apt-get install sqlite3)", file=sys.stderr)
        return 2

    path = database(args.rows)
    db = Database.open(path, verify=False)
    repos = Repositories(db)
    repo = repos.deployments
    query = Query()
    where, params = repo.where(query)
    # The export adds the dataset licence of rows from an imported dataset (all the synthetic
    # rows are): sqlite3 is given the same column.
    keys = [*KEYS, LICENCE_KEY] if repo.has_dataset_rows(query) else KEYS
    sql = f'SELECT {repo.select_columns(keys)} FROM "{TABLE}" t WHERE {where} ORDER BY {repo.order_by(query)}'
    assert not params
    n_rows = repo.count(query)
    print(f"query ({n_rows:,} rows x {len(keys)} columns): {sql}")

    out = Path(tempfile.mkdtemp(prefix="faceledger-bench-"))
    try:
        # Warm the page cache for both contenders.
        subprocess.run(
            [sqlite_cli, "-csv", str(path), f"SELECT COUNT(*) FROM {TABLE}"], check=True, capture_output=True
        )

        conn = db.connect_reader()
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        runs: list[float] = []
        cli_runs: list[float] = []
        cpu_runs: list[float] = []
        cli_cpu_runs: list[float] = []
        n = 0
        for _ in range(args.rounds):  # alternate, so that other load on the machine hits both alike
            n, secs, cpu = export_once(repos, out / "faceledger.csv", query, conn)
            runs.append(secs)
            cpu_runs.append(cpu)
            t, c0 = time.perf_counter(), _children_cpu()
            with open(out / "sqlite3.csv", "wb") as fh:
                subprocess.run([sqlite_cli, "-csv", str(path), sql], check=True, stdout=fh)
            cli_runs.append(time.perf_counter() - t)
            cli_cpu_runs.append(_children_cpu() - c0)
        rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        ours, theirs = min(runs), min(cli_runs)

        # Python's traced peak after a tenth of the rows and after all of them: flat when streamed.
        peaks = []
        for limit in (max(1, n_rows // 10), n_rows):
            gc.collect()
            tracemalloc.start()
            gen = export_query(repo.bound(conn), query, KEYS, KEYS, out / "traced.csv", ExportOptions())
            done = 0
            for done, _total in gen:
                if done >= limit:
                    gen.close()
                    break
            peaks.append((done, tracemalloc.get_traced_memory()[1]))
            tracemalloc.stop()
        conn.close()

        size = (out / "faceledger.csv").stat().st_size
        same = _same_rows(out / "faceledger.csv", out / "sqlite3.csv")
        rate = n / ours
        ratio = ours / theirs
        print(f"rows exported: {n:,} ({size / 1e6:.0f} MB), same rows as sqlite3: {same}")
        print(
            f"faceledger writer: {ours:.2f} s  -> {rate:,.0f} rows/s   (runs: {', '.join(f'{r:.2f}' for r in runs)})"
        )
        print(
            f"sqlite3 -csv:      {theirs:.2f} s  -> {n / theirs:,.0f} rows/s   (runs: {', '.join(f'{r:.2f}' for r in cli_runs)})"
        )
        print(f"ratio (writer time / sqlite3 time): {ratio:.2f}x   target <= {TARGET_RATIO:.0f}x")
        print(
            f"CPU seconds: writer {min(cpu_runs):.2f}, sqlite3 {min(cli_cpu_runs):.2f} "
            f"-> {min(cpu_runs) / min(cli_cpu_runs):.2f}x (less sensitive to other load on the machine)"
        )
        print(f"rate target >= {TARGET_RATE:,} rows/s: {'met' if rate >= TARGET_RATE else 'NOT met'}")
        print(f"ratio target <= {TARGET_RATIO:.0f}x: {'met' if ratio <= TARGET_RATIO else 'NOT met'}")
        print(
            f"peak RSS growth during the exports: {(rss1 - rss0) / 1024:.1f} MB (file: {size / 1e6:.0f} MB)"
        )
        for done, peak in peaks:
            print(f"traced Python peak after {done:>9,} rows: {peak / 1e6:.2f} MB")
    finally:
        db.close()
        if args.keep:
            print(f"files kept in {out}")
        else:
            shutil.rmtree(out, ignore_errors=True)
    return 0


def _same_rows(a: Path, b: Path) -> bool:
    """Both files hold the same records (the shell writes CRLF too; it never prefixes formulas)."""
    import csv

    with open(a, encoding="utf-8", newline="") as fa, open(b, encoding="utf-8", newline="") as fb:
        ra, rb = csv.reader(fa), csv.reader(fb)
        next(ra)  # our header row; the shell's CSV mode writes none without -header
        try:
            for x, y in zip(ra, rb, strict=True):
                if x != ["'" + c if c[:1] in GUARD else c for c in y]:
                    return False
        except ValueError:  # not the same number of rows
            return False
    return True


if __name__ == "__main__":
    sys.exit(main())
