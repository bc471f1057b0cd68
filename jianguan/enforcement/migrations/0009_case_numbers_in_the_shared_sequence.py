"""案件编号 are taken from the platform's one number sequence (`core.NumberSequence`, scope `AJ-<department id>`,
one period a year) like every number it issues: each department's last number of each year moves there, then
the app's own sequence table goes."""

from django.db import migrations


def to_shared(apps, schema_editor):
    CaseSequence = apps.get_model("enforcement", "CaseSequence")
    NumberSequence = apps.get_model("core", "NumberSequence")
    NumberSequence.objects.bulk_create([
        NumberSequence(scope=f"AJ-{row.department_id}", period=str(row.year), last=row.last)
        for row in CaseSequence.objects.all()])


def to_own(apps, schema_editor):
    CaseSequence = apps.get_model("enforcement", "CaseSequence")
    NumberSequence = apps.get_model("core", "NumberSequence")
    rows = NumberSequence.objects.filter(scope__startswith="AJ-")
    CaseSequence.objects.bulk_create([
        CaseSequence(department_id=int(row.scope[3:]), year=int(row.period), last=row.last) for row in rows])
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0008_case_files"), ("core", "0002_number_sequence")]
    operations = [
        migrations.RunPython(to_shared, to_own),
        migrations.RemoveConstraint(model_name="casesequence", name="case_sequence_unique"),
        migrations.DeleteModel(name="CaseSequence"),
    ]
