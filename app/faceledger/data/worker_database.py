"""The database as a worker thread sees it: every query on the worker's own connection (Qt-free).

`Repository.bound(conn)` and `Repositories.on(conn)` build their copies over a `WorkerDatabase`,
so that the code of a repository never passes a connection around: it queries `self.db`, which is
the shared connection on the GUI thread and the worker's own connection on a worker.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from faceledger.data.database import Database


class WorkerDatabase(Database):
    """`db` with `conn` (from `Database.reader()`) as the connection of every query. It shares
    `db`'s path, guards and caches; closing it closes nothing (the connection's owner does)."""

    shared: Database
    conn: sqlite3.Connection

    def __init__(self, db: Database, conn: sqlite3.Connection) -> None:
        shared = db.shared if isinstance(db, WorkerDatabase) else db
        self.__dict__.update(shared.__dict__)  # the same path, meta and column caches
        self.shared = shared
        self.conn = conn

    def query(
        self, sql: str, params: tuple[Any, ...] | list[Any] = (), conn: sqlite3.Connection | None = None
    ) -> list[tuple[Any, ...]]:
        return super().query(sql, params, conn or self.conn)

    def query_one(
        self, sql: str, params: tuple[Any, ...] | list[Any] = (), conn: sqlite3.Connection | None = None
    ) -> tuple[Any, ...] | None:
        return super().query_one(sql, params, conn or self.conn)

    def iterate(
        self, sql: str, params: tuple[Any, ...] | list[Any] = (), conn: sqlite3.Connection | None = None
    ) -> Iterator[tuple[Any, ...]]:
        return super().iterate(sql, params, conn or self.conn)

    def iterate_batches(
        self,
        sql: str,
        params: tuple[Any, ...] | list[Any] = (),
        conn: sqlite3.Connection | None = None,
        size: int = 4096,
    ) -> Iterator[list[tuple[Any, ...]]]:
        return super().iterate_batches(sql, params, conn or self.conn, size)

    @property
    def closed(self) -> bool:
        return self.shared.closed

    def close(self) -> None:
        """Nothing to close: the worker's connection belongs to whoever opened it."""
