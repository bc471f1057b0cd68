"""The database refuses DELETE of a case's events on SQLite too (PostgreSQL refused it already, migration 0003).

The test harness lifts the triggers around its own flush (tests/plugin.py).
"""

from django.db import migrations

PG_UP = PG_DOWN = ""
SQLITE_UP = [
    "CREATE TRIGGER enforcement_case_event_no_delete BEFORE DELETE ON enforcement_caseevent "
    "BEGIN SELECT RAISE(ABORT, 'case events are append-only (DELETE)'); END",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS enforcement_case_event_no_delete"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql" and PG_UP:
        schema_editor.execute(PG_UP, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_UP:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql" and PG_DOWN:
        schema_editor.execute(PG_DOWN, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_DOWN:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0006_proposer")]
    operations = [migrations.RunPython(forwards, backwards)]
