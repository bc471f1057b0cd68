"""Frozen inputs move out of the draw row into one canonical-JSON row per input (DrawInput).

The bytes written for existing draws are the canonical JSON of what each draw stored, which is what its commitment
was computed over, so every commitment still matches. The encoding is written out here rather than imported, so that
this migration means the same thing whatever the protocol module becomes."""

import json

import django.db.models.deletion
from django.db import DatabaseError, migrations, models, transaction

FIELDS = ("task", "strata", "pool", "object_regions", "inspectors", "excluded_pairs", "beacon")


def canonical(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()


def split_inputs(apps, schema_editor):
    Draw, DrawInput = apps.get_model("spotchecks", "Draw"), apps.get_model("spotchecks", "DrawInput")
    for draw in Draw.objects.iterator(chunk_size=10):
        DrawInput.objects.bulk_create([DrawInput(draw=draw, field=f, data=canonical(draw.frozen[f])) for f in FIELDS])


def fast_compression(apps, schema_editor):
    """PostgreSQL compresses large values with pglz by default, at a few MB a second; a city's pool is tens of MB.
    lz4 (PostgreSQL 14+, when built with it) is an order faster; without it the value is stored uncompressed."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in ("ALTER TABLE spotchecks_drawinput ALTER COLUMN data SET COMPRESSION lz4",
                      "ALTER TABLE spotchecks_drawinput ALTER COLUMN data SET STORAGE EXTERNAL"):
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute(statement)
            return
        except DatabaseError:
            continue


def join_inputs(apps, schema_editor):
    Draw, DrawInput = apps.get_model("spotchecks", "Draw"), apps.get_model("spotchecks", "DrawInput")
    for draw in Draw.objects.iterator(chunk_size=10):
        draw.frozen = {row.field: json.loads(bytes(row.data)) for row in DrawInput.objects.filter(draw=draw)}
        draw.save(update_fields=["frozen"])


class Migration(migrations.Migration):

    dependencies = [
        ("spotchecks", "0003_experts"),
    ]

    operations = [
        migrations.CreateModel(
            name="DrawInput",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("field", models.CharField(choices=[(f, f) for f in FIELDS], max_length=20, verbose_name="输入项")),
                ("data", models.BinaryField(verbose_name="规范 JSON")),
                ("draw", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="inputs",
                                           to="spotchecks.draw", verbose_name="随机抽取")),
            ],
            options={"verbose_name": "抽取的冻结输入"},
        ),
        migrations.AddConstraint(
            model_name="drawinput",
            constraint=models.UniqueConstraint(fields=("draw", "field"), name="draw_input_once"),
        ),
        migrations.AlterField(model_name="draw", name="frozen",
                              field=models.JSONField(null=True, verbose_name="冻结的输入")),
        migrations.RunPython(fast_compression, migrations.RunPython.noop),
        migrations.RunPython(split_inputs, join_inputs),
        migrations.RemoveField(model_name="draw", name="frozen"),
    ]
