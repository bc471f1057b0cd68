"""Tampering as someone with direct database access would: around the append-only triggers of a table."""

from __future__ import annotations

from django.db import connection


def raw(table: str, sql: str, params: list | None = None) -> None:
    """Run `sql` with every trigger of `table` lifted, then put them back as they were."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                           [table])
            if not cursor.fetchone()[0]:
                cursor.execute(sql, params or [])
                return
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks before ALTER TABLE
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
            cursor.execute(sql, params or [])
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
            return
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
        triggers = cursor.fetchall()
        for name, _ in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        cursor.execute(sql, params or [])
        for _, create in triggers:
            cursor.execute(create)
