"""The database itself refuses to change a case's events (the case's history is append-only).

PostgreSQL: a trigger raises on UPDATE and DELETE (TRUNCATE, used by test teardown, is left to table owners).
SQLite: a trigger aborts UPDATE; DELETE stays possible because SQLite has no TRUNCATE and test teardown deletes
(migration 0007 refuses it too).
A change made by dropping the trigger still breaks the chain, which `history.verify` names.
"""

from django.db import migrations

from jianguan.core.migration_ops import UPDATE, append_only


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0002_cases")]
    operations = [append_only("enforcement_caseevent", name="enforcement_case_event", what="case events",
                              sqlite=[UPDATE])]
