"""What the benchmark database builders share (bench only): tables loaded without their secondary indexes on a
connection set for bulk writes, the steps timed, ANALYZE at the end, and the `build N [SEED]` command line.

For the load only: the secondary indexes of the loaded tables are dropped and built again at the end (one sorted
build instead of millions of random inserts); on SQLite no rollback journal, no fsync and no foreign-key checks,
on PostgreSQL no foreign-key triggers (`session_replication_role = replica`)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any


def secondary_indexes(cursor: Any, vendor: str, table: str) -> list[tuple[str, str]]:
    """(name, definition) of the table's indexes that back no constraint (primary key, unique constraint)."""
    if vendor == "sqlite":
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                       "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'", [table])
        return list(cursor.fetchall())
    cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                   "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass) "
                   "AND indexdef NOT LIKE 'CREATE UNIQUE%%'", [table, table])
    return list(cursor.fetchall())


@contextmanager
def loading(tables: Sequence[str], *, postgresql_only: Sequence[tuple[str, str]] = ()) -> Iterator[None]:
    """`tables` without their secondary indexes and the connection set for bulk writes, for the block; the indexes
    built again after it. `postgresql_only`: (drop, build again) statements of more, on PostgreSQL (a key)."""
    from django.db import connection

    vendor = connection.vendor
    with connection.cursor() as cursor:
        indexes = [index for table in tables for index in secondary_indexes(cursor, vendor, table)]
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        again = [definition for _, definition in indexes]
        if vendor == "sqlite":
            for pragma in ("journal_mode = OFF", "synchronous = OFF", "foreign_keys = OFF", "cache_size = -2000000",
                           "temp_store = MEMORY"):
                cursor.execute(f"PRAGMA {pragma}")
        else:
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for drop, build in postgresql_only:
                cursor.execute(drop)
                again.append(build)
    yield
    with connection.cursor() as cursor:
        for definition in again:
            cursor.execute(definition)
        if vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


class Laps:
    """Seconds per named step, each from the end of the one before."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._began = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = now - self._began
        self._began = now


def analyse(laps: Laps) -> dict[str, float]:
    """ANALYZE (VACUUM ANALYZE on PostgreSQL), as the seed ends; the laps' seconds."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    laps.lap("ANALYZE")
    return laps.seconds


def main(module: str, what: str, build: Callable[[int, int], dict[str, float]]) -> None:
    """`python -m MODULE build N [SEED]`: the database built, each step's seconds printed."""
    if sys.argv[1:2] != ["build"] or len(sys.argv) < 3:
        raise SystemExit(f"usage: python -m {module} build {what} [SEED]")
    started = time.perf_counter()
    steps = build(int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 2026)
    print("  " + "，".join(f"{k} {v:.1f} 秒" for k, v in steps.items()))
    print(f"built in {time.perf_counter() - started:.1f} s")
