"""Fast inserts of many rows for seeds and imports (COPY on PostgreSQL, executemany on SQLite), the ids of many
rows by a unique field in one statement, and rows with large binary values read without text encoding.

Rows are tuples in the order of `columns` (database column names). Call inside a transaction; nothing here
writes the audit chain, so the caller records one event describing the batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, models


def bulk_insert(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]],
                *, chunk: int = 20_000, binary_types: Sequence[str] | None = None) -> int:
    """Insert the rows; `binary_types` (the PostgreSQL type of each column, e.g. "bigint", "text", "bytea") makes
    the COPY binary, so that tens of MB of bytea travel as they are instead of as hexadecimal text."""
    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3 cursor: COPY streams rows without building statements
            form = " (FORMAT BINARY)" if binary_types else ""
            # The raw cursor's errors are psycopg's: raised as Django's (IntegrityError …) like any statement's.
            with connection.wrap_database_errors, raw.copy(
                    f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN{form}") as copy:
                if binary_types:
                    copy.set_types(list(binary_types))
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


def slices(values: Sequence[Any], size: int = 5000) -> Iterator[Sequence[Any]]:
    """`values` in consecutive slices of at most `size` (keys of an IN (...) look-up, under the bound-parameter
    limits)."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def ids_by(model: type[models.Model], field: str, values: Sequence[str]) -> dict[str, int]:
    """{value: primary key} of the rows whose unique `field` is one of `values` (tens of thousands at once, as one
    parameter: `core.lookups.Among`)."""
    rows = model._base_manager.filter(**{f"{field}__among": list(values)}).order_by().values_list(field, "pk")
    return dict(rows)


def binary_rows(queryset: models.QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a `values_list` queryset, read on PostgreSQL in binary form: bytea arrives as bytes, not as
    hexadecimal text to decode (a quarter of the time for the tens of MB of a draw's inputs)."""
    if connection.vendor != "postgresql":
        return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in queryset]
    import psycopg  # PostgreSQL only

    sql, params = queryset.query.sql_with_params()
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:  # server-side binding: results may be binary
        cursor.execute(sql, params, binary=True)
        return cursor.fetchall()
