"""The database refuses to change or delete a draw's frozen inputs (the bytes its commitment was computed over):
a trigger on UPDATE and DELETE on both databases (TRUNCATE, used by PostgreSQL's test teardown, is left to table
owners; the SQLite test harness lifts the triggers around its flush).
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION spotchecks_draw_input_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'draw inputs are append-only (%)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER spotchecks_draw_input_append_only BEFORE UPDATE OR DELETE ON spotchecks_drawinput
    FOR EACH ROW EXECUTE FUNCTION spotchecks_draw_input_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS spotchecks_draw_input_append_only ON spotchecks_drawinput;
DROP FUNCTION IF EXISTS spotchecks_draw_input_append_only();
"""
SQLITE_UP = [
    "CREATE TRIGGER spotchecks_draw_input_append_only BEFORE UPDATE ON spotchecks_drawinput "
    "BEGIN SELECT RAISE(ABORT, 'draw inputs are append-only (UPDATE)'); END",
    "CREATE TRIGGER spotchecks_draw_input_no_delete BEFORE DELETE ON spotchecks_drawinput "
    "BEGIN SELECT RAISE(ABORT, 'draw inputs are append-only (DELETE)'); END",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS spotchecks_draw_input_append_only", "DROP TRIGGER IF EXISTS spotchecks_draw_input_no_delete"]


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
    dependencies = [("spotchecks", "0006_draw_results_written_at")]
    operations = [migrations.RunPython(forwards, backwards)]
