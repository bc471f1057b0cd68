"""The database itself refuses to change a case's events (the case's history is append-only).

PostgreSQL: a trigger raises on UPDATE and DELETE (TRUNCATE, used by test teardown, is left to table owners).
SQLite: a trigger aborts UPDATE; DELETE stays possible because SQLite has no TRUNCATE and test teardown deletes.
A change made by dropping the trigger still breaks the chain, which `history.verify` names.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION enforcement_case_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'case events are append-only (%)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER enforcement_case_event_append_only BEFORE UPDATE OR DELETE ON enforcement_caseevent
    FOR EACH ROW EXECUTE FUNCTION enforcement_case_event_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS enforcement_case_event_append_only ON enforcement_caseevent;
DROP FUNCTION IF EXISTS enforcement_case_event_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER enforcement_case_event_append_only BEFORE UPDATE ON enforcement_caseevent
BEGIN SELECT RAISE(ABORT, 'case events are append-only (UPDATE)'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS enforcement_case_event_append_only;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0002_cases")]
    operations = [migrations.RunPython(forwards, backwards)]
