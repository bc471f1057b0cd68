"""The database refuses to change or delete an issued document (its bytes and SHA-256 are what the case history
and the case file name): a trigger on UPDATE and DELETE on both databases (TRUNCATE, used by PostgreSQL's test
teardown, is left to table owners; the SQLite test harness lifts the triggers around its flush).
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION documents_issued_document_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'issued documents are append-only (%)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER documents_issued_document_append_only BEFORE UPDATE OR DELETE ON documents_issueddocument
    FOR EACH ROW EXECUTE FUNCTION documents_issued_document_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS documents_issued_document_append_only ON documents_issueddocument;
DROP FUNCTION IF EXISTS documents_issued_document_append_only();
"""
SQLITE_UP = [
    "CREATE TRIGGER documents_issued_document_append_only BEFORE UPDATE ON documents_issueddocument "
    "BEGIN SELECT RAISE(ABORT, 'issued documents are append-only (UPDATE)'); END",
    "CREATE TRIGGER documents_issued_document_no_delete BEFORE DELETE ON documents_issueddocument "
    "BEGIN SELECT RAISE(ABORT, 'issued documents are append-only (DELETE)'); END",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS documents_issued_document_append_only", "DROP TRIGGER IF EXISTS documents_issued_document_no_delete"]


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
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
