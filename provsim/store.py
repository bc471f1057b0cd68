"""The simulator's persistent store: one SQLite file (WAL) in the data directory.

Tables: ``batches`` (one row per (source, batch) with its signed receipt), ``versions`` (every accepted record
version, deletes included: the history) and ``current`` (the latest version of each live record; a delete removes
the row). A batch is received in one ``BEGIN IMMEDIATE`` transaction: stored whole or not at all, and a batch
number seen before from the same source returns the stored receipt without touching anything.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from provsim import checks
from provsim.checks import Batch, Record

DB_FILE = "provsim.sqlite3"
SCHEMA_VERSION = "1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS batches (
    source TEXT NOT NULL,
    batch TEXT NOT NULL,
    standard TEXT NOT NULL,
    received_at TEXT NOT NULL,
    received INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    receipt TEXT NOT NULL,
    PRIMARY KEY (source, batch)
);
CREATE TABLE IF NOT EXISTS versions (
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    standard TEXT NOT NULL,
    op TEXT NOT NULL,
    data TEXT NOT NULL,
    batch TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (source, record_id, version)
);
CREATE TABLE IF NOT EXISTS current (
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    standard TEXT NOT NULL,
    op TEXT NOT NULL,
    data TEXT NOT NULL,
    batch TEXT NOT NULL,
    number TEXT,
    PRIMARY KEY (source, record_id)
);
CREATE INDEX IF NOT EXISTS current_number ON current (standard, number);
CREATE INDEX IF NOT EXISTS current_standard ON current (standard, source);
CREATE INDEX IF NOT EXISTS versions_standard ON versions (standard, source);
CREATE TABLE IF NOT EXISTS dispatched (
    task_no TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    dispatched_at TEXT NOT NULL,
    answer TEXT NOT NULL
);
"""

# check(record, inspection_known) -> failures of the simulator's own content checks for one i/u/d record.
RecordCheck = Callable[[Record, Callable[[str], bool]], list[dict[str, str]]]
# seal(unsigned receipt) -> the signed receipt.
Seal = Callable[[dict[str, Any]], dict[str, Any]]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Store:
    """Thread-safe access to the SQLite file: one connection, one lock, explicit transactions."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / DB_FILE
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")  # a receipt handed out means the batch is on disk
        self._conn.executescript(SCHEMA)
        self._conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)", (SCHEMA_VERSION,))

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # --- writes ---------------------------------------------------------------------------------------------------

    def dispatched_add(self, task_no: str, *, platform: str, at: str, answer: Any) -> None:
        """Remember a joint task this simulator dispatched to a city platform (its feedback must name it)."""
        with self._lock:
            self._conn.execute("INSERT OR REPLACE INTO dispatched (task_no, platform, dispatched_at, answer)"
                               " VALUES (?, ?, ?, ?)", (task_no, platform, at, _dumps(answer)))

    def dispatched_known(self, task_no: str) -> bool:
        """Whether the simulator dispatched `task_no`; called by the record checks inside ``receive`` (the lock is
        held there by the same thread, so it is not taken again)."""
        return self._conn.execute("SELECT 1 FROM dispatched WHERE task_no = ?", (task_no,)).fetchone() is not None

    def receive(self, batch: Batch, *, received_at: str, check: RecordCheck, seal: Seal) -> tuple[dict[str, Any], bool]:
        """Store a batch and return (its signed receipt, True), or (the stored receipt, False) if seen before.

        Per record, in order: a (source, id, version) already stored counts as a duplicate; a version below the
        latest stored one, or a delete of a record that is not current, is rejected; then ``check`` decides; an
        accepted record is added to the history and becomes (or, for ``d``, leaves) the current record.
        """
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                stored = conn.execute("SELECT receipt FROM batches WHERE source = ? AND batch = ?",
                                      (batch.source, batch.batch)).fetchone()
                if stored is not None:
                    conn.execute("ROLLBACK")
                    return json.loads(stored[0]), False
                receipt = seal(self._apply(batch, received_at, check))
                conn.execute(
                    "INSERT INTO batches (source, batch, standard, received_at, received, accepted, duplicates,"
                    " rejected, receipt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (batch.source, batch.batch, batch.standard, received_at, receipt["received"],
                     receipt["accepted"], receipt["duplicates"], len(receipt["rejected"]), _dumps(receipt)))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return receipt, True

    def _apply(self, batch: Batch, received_at: str, check: RecordCheck) -> dict[str, Any]:
        conn = self._conn
        accepted = duplicates = 0
        rejected: list[dict[str, Any]] = []

        def inspection_known(number: str) -> bool:
            return conn.execute("SELECT 1 FROM current WHERE standard = 'inspection' AND number = ? LIMIT 1",
                                (number,)).fetchone() is not None

        for record in batch.records:
            key = (batch.source, record.id)
            if conn.execute("SELECT 1 FROM versions WHERE source = ? AND record_id = ? AND version = ?",
                            (*key, record.version)).fetchone():
                duplicates += 1
                continue
            latest = conn.execute("SELECT max(version) FROM versions WHERE source = ? AND record_id = ?",
                                  key).fetchone()[0]
            exists = conn.execute("SELECT 1 FROM current WHERE source = ? AND record_id = ?", key).fetchone()
            errors = checks.duplicate_free(record, latest, exists is not None) or check(record, inspection_known)
            if errors:
                rejected.append({"id": record.id, "version": record.version, "errors": errors})
                continue
            data = _dumps(record.data)
            conn.execute(
                "INSERT INTO versions (source, record_id, version, standard, op, data, batch, received_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (*key, record.version, batch.standard, record.op, data, batch.batch, received_at))
            if record.op == "d":
                conn.execute("DELETE FROM current WHERE source = ? AND record_id = ?", key)
            else:
                conn.execute(
                    "INSERT OR REPLACE INTO current (source, record_id, version, standard, op, data, batch, number)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (*key, record.version, batch.standard, record.op, data, batch.batch,
                     checks.own_inspection_number(batch.standard, record.data)))
            accepted += 1
        return {"batch": batch.batch, "source": batch.source, "standard": batch.standard,
                "received": len(batch.records), "accepted": accepted, "duplicates": duplicates,
                "rejected": rejected, "received_at": received_at}

    # --- reads ----------------------------------------------------------------------------------------------------

    def receipt(self, source: str, batch: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._conn.execute("SELECT receipt FROM batches WHERE source = ? AND batch = ?",
                                     (source, batch)).fetchone()
        return None if row is None else json.loads(row[0])

    def stats(self) -> dict[str, Any]:
        """Counts for tests and the demo: batches, accepted record versions, current records, duplicates, rejects."""
        with self._lock:
            conn = self._conn
            by_standard: dict[str, dict[str, int]] = {}

            def bump(standard: str, key: str, value: int) -> None:
                row = by_standard.setdefault(standard, dict.fromkeys(
                    ("batches", "records", "current", "duplicates", "rejected"), 0))
                row[key] += value

            for standard, n, dup, rej in conn.execute(
                    "SELECT standard, count(*), sum(duplicates), sum(rejected) FROM batches GROUP BY standard"):
                bump(standard, "batches", n)
                bump(standard, "duplicates", dup)
                bump(standard, "rejected", rej)
            for standard, n in conn.execute("SELECT standard, count(*) FROM versions GROUP BY standard"):
                bump(standard, "records", n)
            for standard, n in conn.execute("SELECT standard, count(*) FROM current GROUP BY standard"):
                bump(standard, "current", n)
        totals = {key: sum(row[key] for row in by_standard.values())
                  for key in ("batches", "records", "current", "duplicates", "rejected")}
        return {**totals, "by_standard": dict(sorted(by_standard.items()))}

    def records(self, *, standard: str = "", source: str = "", history: bool = False) -> list[dict[str, Any]]:
        """Current records (or, with ``history``, every accepted version, deletes included), by source, id, version."""
        table = "versions" if history else "current"
        where, params = [], []
        if standard:
            where.append("standard = ?")
            params.append(standard)
        if source:
            where.append("source = ?")
            params.append(source)
        sql = f"SELECT source, standard, record_id, version, op, data, batch FROM {table}"  # noqa: S608 - fixed names
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY source, record_id, version"
        with self._lock:
            rows = self._conn.execute(sql, params).fetchall()
        return [{"source": s, "standard": st, "id": rid, "version": v, "op": op, "data": json.loads(data),
                 "batch": b} for s, st, rid, v, op, data, b in rows]
