"""The database refuses to change or delete a draw's frozen inputs (the bytes its commitment was computed over):
a trigger on UPDATE and DELETE on both databases (TRUNCATE, used by PostgreSQL's test teardown, is left to table
owners; the SQLite test harness lifts the triggers around its flush).
"""

from django.db import migrations

from jianguan.core.migration_ops import append_only


class Migration(migrations.Migration):
    dependencies = [("spotchecks", "0006_draw_results_written_at")]
    operations = [append_only("spotchecks_drawinput", name="spotchecks_draw_input", what="draw inputs")]
