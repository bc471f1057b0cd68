"""The database itself refuses to change audit events.

PostgreSQL: a trigger raises on UPDATE and DELETE (TRUNCATE, used by test teardown, is left to table owners).
SQLite: a trigger aborts UPDATE; DELETE stays possible because SQLite has no TRUNCATE and test teardown deletes
(migration 0003 refuses it too).
Whoever can drop a trigger can still tamper; `jianguan audit verify` then names the event.
"""

from django.db import migrations

from jianguan.core.migration_ops import UPDATE, append_only


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [append_only("audit_auditevent", name="audit_event", what="audit events", sqlite=[UPDATE])]
