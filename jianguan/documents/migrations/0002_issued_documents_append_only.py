"""The database refuses to change or delete an issued document (its bytes and SHA-256 are what the case history
and the case file name): a trigger on UPDATE and DELETE on both databases (TRUNCATE, used by PostgreSQL's test
teardown, is left to table owners; the SQLite test harness lifts the triggers around its flush).
"""

from django.db import migrations

from jianguan.core.migration_ops import append_only


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [append_only("documents_issueddocument", name="documents_issued_document", what="issued documents")]
