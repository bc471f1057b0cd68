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

from jianguan.core.migration_ops import DELETE, append_only


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
        append_only("audit_auditevent", name="audit_event", what="audit events", postgresql=[], sqlite=[DELETE]),
        append_only("audit_checkpoint", name="audit_checkpoint", what="audit checkpoints"),
    ]
