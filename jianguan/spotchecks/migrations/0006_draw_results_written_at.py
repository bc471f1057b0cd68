from django.db import migrations, models
from django.db.models import F


def written_when_drawn(apps, schema_editor):
    """Draws drawn before this field existed wrote their result rows in the reveal itself."""
    apps.get_model("spotchecks", "Draw").objects.filter(drawn_at__isnull=False).update(results_written_at=F("drawn_at"))


class Migration(migrations.Migration):
    dependencies = [("spotchecks", "0005_result_indexes")]

    operations = [
        migrations.AddField(model_name="draw", name="results_written_at",
                            field=models.DateTimeField(blank=True, null=True, verbose_name="检查记录生成时间")),
        migrations.RunPython(written_when_drawn, migrations.RunPython.noop),
    ]
