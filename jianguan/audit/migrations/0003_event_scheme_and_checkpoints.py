"""Every stored column hashed, signed checkpoints, and DELETE refused on SQLite too (ADR 0023).

- `AuditEvent.scheme`: NULL for the events written before (scheme 1, their digests unchanged, so an existing
  chain still verifies); `audit.services.record` writes scheme 2, whose digest covers the row's `id` and the
  scheme as well. A nullable column without a default is added in place on SQLite (no table rebuild), so the
  UPDATE trigger of migration 0002 stays.
- `Checkpoint`: signed statements of the head, never updated or deleted.
- SQLite now refuses DELETE of events as it refuses UPDATE (the test harness lifts the triggers around its own
  flush, see tests/plugin.py); PostgreSQL refused both already.
"""

from django.db import migrations, models

PG_UP = """
CREATE OR REPLACE FUNCTION audit_checkpoint_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit checkpoints are append-only (%)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON audit_checkpoint;
DROP FUNCTION IF EXISTS audit_checkpoint_append_only();
"""
SQLITE_UP = [
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only (DELETE)'); END",
    "CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE ON audit_checkpoint "
    "BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only (UPDATE)'); END",
    "CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint "
    "BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only (DELETE)'); END",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_event_no_delete", "DROP TRIGGER IF EXISTS audit_checkpoint_append_only",
               "DROP TRIGGER IF EXISTS audit_checkpoint_no_delete"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_UP:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_DOWN:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="scheme",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="摘要方案"),
        ),
        migrations.CreateModel(
            name="Checkpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(verbose_name="链头序号")),
                ("hash", models.CharField(max_length=64, verbose_name="链头摘要")),
                ("made_at", models.DateTimeField(db_index=True, verbose_name="时间")),
                ("key_id", models.CharField(max_length=16, verbose_name="签名密钥标识")),
                ("public_key", models.CharField(max_length=64, verbose_name="签名公钥")),
                ("signature", models.CharField(max_length=128, verbose_name="签名")),
            ],
            options={"verbose_name": "审计链检查点", "verbose_name_plural": "审计链检查点", "ordering": ["-made_at"]},
        ),
        migrations.RunPython(forwards, backwards),
    ]
