"""Numbers for `faceledger stats` and for the charts: each from one query here."""

from __future__ import annotations

from dataclasses import dataclass

from faceledger.data.database import Database
from faceledger.data.schema import FACT_TABLES


@dataclass(frozen=True)
class DatabaseStats:
    per_table: dict[str, int]
    per_status: dict[str, dict[str, int]]
    per_dataset: dict[str, dict[str, int]]


def database_stats(db: Database) -> DatabaseStats:
    per_table = {
        t: int(db.query(f'SELECT COUNT(*) FROM "{t}"')[0][0])
        for t in (*FACT_TABLES, "sources", "citations", "datasets")
    }
    per_status: dict[str, dict[str, int]] = {}
    for t in FACT_TABLES:
        rows = db.query(
            f'SELECT verification, COUNT(*) FROM "{t}" GROUP BY verification ORDER BY verification'
        )
        per_status[t] = {str(v): int(n) for v, n in rows}
    per_dataset: dict[str, dict[str, int]] = {}
    names = {str(i): str(n) for i, n in db.query("SELECT id, name FROM datasets ORDER BY id")}
    for t in FACT_TABLES:
        rows = db.query(
            f'SELECT dataset_id, COUNT(*) FROM "{t}" WHERE dataset_id IS NOT NULL GROUP BY dataset_id'
        )
        for ds, n in rows:
            per_dataset.setdefault(names.get(str(ds), str(ds)), {})[t] = int(n)
    curated = {
        t: int(db.query(f'SELECT COUNT(*) FROM "{t}" WHERE dataset_id IS NULL')[0][0]) for t in FACT_TABLES
    }
    per_dataset = {"curated research (db/sources)": curated, **dict(sorted(per_dataset.items()))}
    return DatabaseStats(per_table, per_status, per_dataset)
