# The platform's own 严重违法失信名单 (SAMR 令第44号): entries and their steps.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_signin_delays_and_token_revocation'),
        ('behaviour', '0004_inspection_row_entity_date'),
        ('credit', '0005_abnormal'),
        ('documents', '0004_serious_listing_decision'),
        ('subjects', '0004_entity_pool_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SeriousEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('number', models.CharField(max_length=20, unique=True, verbose_name='编号')),
                ('status', models.CharField(choices=[('proposed', '拟列入'), ('notified', '已告知'), ('submitted', '待审批'), ('upper', '待上一级同意'), ('listed', '已列入'), ('published', '已公示'), ('removed', '已移出'), ('refused', '不予列入'), ('withdrawn', '已撤回')], default='proposed', max_length=12, verbose_name='状态')),
                ('basis', models.CharField(choices=[('penalty', '受到较重行政处罚'), ('abnormal_3y', '经营异常名录届满3年')], max_length=12, verbose_name='列入依据类别')),
                ('penalty_kinds', models.JSONField(blank=True, default=list, verbose_name='处罚种类')),
                ('aggravated', models.BooleanField(default=False, verbose_name='按从重处罚原则处以罚款')),
                ('domain', models.CharField(max_length=20, verbose_name='违法行为领域')),
                ('reason', models.CharField(max_length=500, verbose_name='列入事由')),
                ('statement', models.TextField(verbose_name='性质恶劣、情节严重、社会危害较大的理由')),
                ('factors', models.JSONField(default=dict, verbose_name='综合考量因素')),
                ('notified_on', models.DateField(blank=True, null=True, verbose_name='告知日期')),
                ('statement_due', models.DateField(blank=True, null=True, verbose_name='陈述、申辩和申请听证期限')),
                ('defence', models.TextField(blank=True, verbose_name='陈述、申辩意见')),
                ('hearing_requested', models.BooleanField(default=False, verbose_name='申请听证')),
                ('hearing_outcome', models.TextField(blank=True, verbose_name='听证情况')),
                ('approved_on', models.DateField(blank=True, null=True, verbose_name='批准日期')),
                ('upper_reference', models.CharField(blank=True, max_length=100, verbose_name='上一级同意文号')),
                ('upper_on', models.DateField(blank=True, null=True, verbose_name='上一级同意日期')),
                ('listed_on', models.DateField(blank=True, null=True, verbose_name='列入日期')),
                ('decision_number', models.CharField(blank=True, max_length=100, verbose_name='列入决定书文号')),
                ('published_on', models.DateField(blank=True, null=True, verbose_name='公示日期')),
                ('ends_on', models.DateField(blank=True, null=True, verbose_name='届满日期')),
                ('removed_on', models.DateField(blank=True, null=True, verbose_name='移出日期')),
                ('removal', models.CharField(blank=True, max_length=10, verbose_name='移出方式')),
                ('removal_reason', models.TextField(blank=True, verbose_name='移出理由')),
                ('refusal_reason', models.TextField(blank=True, verbose_name='不予列入理由')),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='批准人')),
                ('credit_record', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='credit.creditrecord', verbose_name='信用记录')),
                ('decision_document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='documents.issueddocument', verbose_name='列入决定书')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.department', verbose_name='作出决定的部门')),
                ('entity', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='subjects.marketentity', verbose_name='市场主体')),
                ('penalty', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='behaviour.penalty', verbose_name='行政处罚')),
                ('proposed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='提出人')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.region', verbose_name='行政区划')),
                ('upper_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='上一级同意人')),
            ],
            options={
                'verbose_name': '严重违法失信名单列入',
                'verbose_name_plural': '严重违法失信名单列入',
            },
        ),
        migrations.CreateModel(
            name='SeriousStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(max_length=20, verbose_name='操作')),
                ('source', models.CharField(max_length=12, verbose_name='原状态')),
                ('target', models.CharField(max_length=12, verbose_name='新状态')),
                ('actor', models.CharField(max_length=100, verbose_name='操作人')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                ('note', models.TextField(blank=True, verbose_name='说明')),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='steps', to='credit.seriousentry')),
            ],
            options={
                'verbose_name': '严重违法失信名单办理步骤',
                'verbose_name_plural': '严重违法失信名单办理步骤',
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.AddIndex(
            model_name='seriousentry',
            index=models.Index(fields=['department', 'status'], name='credit_seri_departm_f10e35_idx'),
        ),
        migrations.AddIndex(
            model_name='seriousentry',
            index=models.Index(fields=['status', 'ends_on'], name='credit_seri_status_c7d1c7_idx'),
        ),
    ]
