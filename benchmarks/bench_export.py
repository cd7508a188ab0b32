"""Benchmark: CSV export of 1,000,000 rows x 8 columns against `sqlite3 -csv` on the same query.

    PYTHONPATH=app python benchmarks/bench_export.py [--rows N] [--keep]

Builds (once, cached in the temporary folder) a FaceLedger-shaped database: the bundled database
with its deployments table filled to N synthetic rows — or uses `benchmarks/synthetic.py` when it
exists. Then, in one run, it exports the Deployments page's columns (id plus the 7 visible ones, in
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))

from faceledger.data.database import Database, bundled_database_path  # noqa: E402
from faceledger.data.export import ExportOptions, export_query  # noqa: E402
from faceledger.data.repositories import Query, Repositories  # noqa: E402

TABLE = "deployments"
KEYS = ["id", "vendor_name", "customer_name", "product", "status", "start", "end", "verification"]
TARGET_RATE = 200_000
TARGET_RATIO = 3.0


def _synthetic_module() -> object | None:
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
            product = rnd.choice(["Face search", "Mugshot matching, v2", 'Live "watchlist" alerts', "Rekognition"])
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
    synthetic = _synthetic_module()
    if synthetic is not None and hasattr(synthetic, "ensure_database"):
        print("database: benchmarks/synthetic.py")
        return Path(synthetic.ensure_database(rows))  # type: ignore[attr-defined]
    path = Path(tempfile.gettempdir()) / f"faceledger-bench-export-{rows}.db"
    if not path.exists():
        t = time.perf_counter()
        _own_database(path, rows)
        print(f"database: built {path} in {time.perf_counter() - t:.1f} s")
    else:
        print(f"database: reusing {path}")
    return path


def export_once(repos: Repositories, dest: Path, query: Query, conn: sqlite3.Connection) -> tuple[int, float]:
    t = time.perf_counter()
    gen = export_query(repos.deployments, query, KEYS, KEYS, dest, ExportOptions(), conn)
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            n = stop.value.rows
            break
    return n, time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
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
    cols = ", ".join(f't."{k}"' for k in KEYS)
    sql = f'SELECT {cols} FROM "{TABLE}" t WHERE {where} ORDER BY {repo.order_by(query)}'
    assert not params
    n_rows = repo.count(query)
    print(f"query ({n_rows:,} rows x {len(KEYS)} columns): {sql}")

    out = Path(tempfile.mkdtemp(prefix="faceledger-bench-"))
    try:
        # Warm the page cache for both contenders.
        subprocess.run([sqlite_cli, "-csv", str(path), f"SELECT COUNT(*) FROM {TABLE}"], check=True, capture_output=True)

        conn = db.connect_reader()
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        runs = []
        for _ in range(2):
            n, secs = export_once(repos, out / "faceledger.csv", query, conn)
            runs.append(secs)
        rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        ours = min(runs)

        cli_runs = []
        for _ in range(2):
            t = time.perf_counter()
            with open(out / "sqlite3.csv", "wb") as fh:
                subprocess.run([sqlite_cli, "-csv", str(path), sql], check=True, stdout=fh)
            cli_runs.append(time.perf_counter() - t)
        theirs = min(cli_runs)

        # Python's traced peak at a tenth of the rows and at all of them: flat when streamed.
        peaks = []
        for limit in (max(1, n_rows // 10), n_rows):
            small = Query(year_from=None)
            gc.collect()
            tracemalloc.start()
            gen = export_query(repo, small, KEYS, KEYS, out / "traced.csv", ExportOptions(), conn)
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
        print(f"faceledger writer: {ours:.2f} s  -> {rate:,.0f} rows/s   (runs: {', '.join(f'{r:.2f}' for r in runs)})")
        print(
            f"sqlite3 -csv:      {theirs:.2f} s  -> {n / theirs:,.0f} rows/s   (runs: {', '.join(f'{r:.2f}' for r in cli_runs)})"
        )
        print(f"ratio (writer time / sqlite3 time): {ratio:.2f}x   target <= {TARGET_RATIO:.0f}x")
        print(f"rate target >= {TARGET_RATE:,} rows/s: {'met' if rate >= TARGET_RATE else 'NOT met'}")
        print(f"ratio target <= {TARGET_RATIO:.0f}x: {'met' if ratio <= TARGET_RATIO else 'NOT met'}")
        print(f"peak RSS growth during the exports: {(rss1 - rss0) / 1024:.1f} MB (file: {size / 1e6:.0f} MB)")
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
        for x, y in zip(ra, rb, strict=True):
            y = ["'" + c if c[:1] in "=+-@\t\r" else c for c in y]
            if x != y:
                return False
    return True


if __name__ == "__main__":
    sys.exit(main())
