"""Fast inserts of many rows for seeds and imports (COPY on PostgreSQL, executemany on SQLite), and the ids of many
rows by a unique field in one statement.

Rows are tuples in the order of `columns` (database column names). Call inside a transaction; nothing here
writes the audit chain, so the caller records one event describing the batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def bulk_insert(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]],
                *, chunk: int = 20_000) -> int:
    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3 cursor: COPY streams rows without building statements
            with raw.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= chunk:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def ids_by(model: type[models.Model], field: str, values: Sequence[str]) -> dict[str, int]:
    """{value: primary key} of the rows whose unique `field` is one of `values` (tens of thousands at once, as one
    parameter: `core.lookups.Among`)."""
    rows = model._base_manager.filter(**{f"{field}__among": list(values)}).order_by().values_list(field, "pk")
    return dict(rows)
