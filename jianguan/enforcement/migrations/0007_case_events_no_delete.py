"""The database refuses DELETE of a case's events on SQLite too (PostgreSQL refused it already, migration 0003).

The test harness lifts the triggers around its own flush (tests/conftest.py).
"""

from django.db import migrations

from jianguan.core.migration_ops import DELETE, append_only


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0006_proposer")]
    operations = [append_only("enforcement_caseevent", name="enforcement_case_event", what="case events",
                              postgresql=[], sqlite=[DELETE])]
