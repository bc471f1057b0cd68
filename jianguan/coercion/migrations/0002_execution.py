"""`Enforcement` becomes `Execution` (行政强制执行), so that it no longer reads as the enforcement app's cases: the
tables are renamed with their rows (RenameModel), no row is rewritten. The coercion tables carry no append-only
triggers (their history is the audit chain); audit events written before keep their target type
`coercion.enforcement`, read by `common.history`."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('coercion', '0001_initial'),
    ]

    operations = [
        migrations.RenameModel(old_name='Enforcement', new_name='Execution'),
        migrations.RenameModel(old_name='EnforcementStep', new_name='ExecutionStep'),
        migrations.RenameField(model_name='executionstep', old_name='enforcement', new_name='execution'),
        migrations.RenameIndex(model_name='execution', new_name='coercion_ex_status_75080a_idx',
                               old_name='coercion_en_status_7a71db_idx'),
        migrations.RenameIndex(model_name='execution', new_name='coercion_ex_departm_5740d7_idx',
                               old_name='coercion_en_departm_42aea9_idx'),
        migrations.RenameIndex(model_name='execution', new_name='coercion_ex_case_nu_5a5df7_idx',
                               old_name='coercion_en_case_nu_539f38_idx'),
        migrations.AlterField(
            model_name='execution',
            name='measure',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name='executions', to='coercion.measure', verbose_name='查封、扣押措施'),
        ),
    ]
