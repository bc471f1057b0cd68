"""Documents are rendered in the background (ADR 0030): the PDF moves from the issued document to a row of its own,
one to one (`RenderedDocument`, insert only like the document), and the document keeps what fixes its content (the
letterhead as printed and the content digest). Existing PDFs are moved as they are; their documents keep an empty
digest (their case events and audit events name the PDF's SHA-256, as they did).

SQLite rebuilds the table to add and drop columns, which drops its triggers: the append-only triggers of the issued
documents are put back, and the rendered documents get the same on both databases.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

PG_RENDERED_UP = """
CREATE OR REPLACE FUNCTION documents_rendered_document_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'rendered documents are append-only (%)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER documents_rendered_document_append_only BEFORE UPDATE OR DELETE ON documents_rendereddocument
    FOR EACH ROW EXECUTE FUNCTION documents_rendered_document_append_only();
"""
PG_RENDERED_DOWN = """
DROP TRIGGER IF EXISTS documents_rendered_document_append_only ON documents_rendereddocument;
DROP FUNCTION IF EXISTS documents_rendered_document_append_only();
"""
SQLITE_UP = [
    "CREATE TRIGGER IF NOT EXISTS documents_issued_document_append_only BEFORE UPDATE ON documents_issueddocument "
    "BEGIN SELECT RAISE(ABORT, 'issued documents are append-only (UPDATE)'); END",
    "CREATE TRIGGER IF NOT EXISTS documents_issued_document_no_delete BEFORE DELETE ON documents_issueddocument "
    "BEGIN SELECT RAISE(ABORT, 'issued documents are append-only (DELETE)'); END",
    "CREATE TRIGGER documents_rendered_document_append_only BEFORE UPDATE ON documents_rendereddocument "
    "BEGIN SELECT RAISE(ABORT, 'rendered documents are append-only (UPDATE)'); END",
    "CREATE TRIGGER documents_rendered_document_no_delete BEFORE DELETE ON documents_rendereddocument "
    "BEGIN SELECT RAISE(ABORT, 'rendered documents are append-only (DELETE)'); END",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS documents_rendered_document_append_only",
               "DROP TRIGGER IF EXISTS documents_rendered_document_no_delete"]


def triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_RENDERED_UP, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_UP:
            schema_editor.execute(sql)


def triggers_back(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_RENDERED_DOWN, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_DOWN:
            schema_editor.execute(sql)


def move_pdfs(apps, schema_editor):
    """Each stored PDF becomes its document's rendered row, bytes and facts unchanged."""
    issued = apps.get_model("documents", "IssuedDocument")
    rendered = apps.get_model("documents", "RenderedDocument")
    rows = issued.objects.values_list("pk", "pdf", "sha256", "size", "pages", "issued_at").order_by("pk")
    batch = []
    for pk, pdf, sha256, size, pages, issued_at in rows.iterator(chunk_size=200):
        batch.append(rendered(document_id=pk, pdf=bytes(pdf), sha256=sha256, size=size, pages=pages,
                              rendered_at=issued_at))
        if len(batch) >= 200:
            rendered.objects.bulk_create(batch)
            batch = []
    rendered.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_issued_documents_append_only")]

    operations = [
        migrations.CreateModel(
            name="RenderedDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("pdf", models.BinaryField(verbose_name="PDF")),
                ("sha256", models.CharField(db_index=True, max_length=64, verbose_name="SHA-256")),
                ("size", models.PositiveIntegerField(verbose_name="字节数")),
                ("pages", models.PositiveIntegerField(verbose_name="页数")),
                ("rendered_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="生成时间")),
                ("seconds", models.DecimalField(decimal_places=3, default=0, max_digits=8, verbose_name="用时（秒）")),
                ("document", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT,
                                                  related_name="rendered", to="documents.issueddocument",
                                                  verbose_name="执法文书")),
            ],
            options={"verbose_name": "文书 PDF", "verbose_name_plural": "文书 PDF"},
        ),
        migrations.CreateModel(
            name="RenderFailure",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=50, verbose_name="错误代码")),
                ("message", models.TextField(verbose_name="错误说明")),
                ("attempts", models.PositiveIntegerField(default=1, verbose_name="失败次数")),
                ("failed_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="失败时间")),
                ("document", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                                  to="documents.issueddocument")),
            ],
            options={"verbose_name": "文书生成失败", "verbose_name_plural": "文书生成失败"},
        ),
        migrations.RunPython(move_pdfs, migrations.RunPython.noop),
        migrations.AddField(model_name="issueddocument", name="header",
                            field=models.JSONField(default=dict, verbose_name="文书抬头")),
        migrations.AddField(model_name="issueddocument", name="digest",
                            field=models.CharField(blank=True, max_length=64, verbose_name="内容摘要")),
        migrations.RemoveField(model_name="issueddocument", name="pdf"),
        migrations.RemoveField(model_name="issueddocument", name="sha256"),
        migrations.RemoveField(model_name="issueddocument", name="size"),
        migrations.RemoveField(model_name="issueddocument", name="pages"),
        migrations.RunPython(triggers, triggers_back),
    ]
