# The 列入严重违法失信名单决定书 among the kinds of documents.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0003_documents_rendered_in_the_background'),
    ]

    operations = [
        migrations.AlterField(
            model_name='documentsequence',
            name='kind',
            field=models.CharField(choices=[('filing_approval', '立案审批表'), ('not_filing_approval', '不予立案审批表'), ('onsite_record', '现场检查笔录'), ('inquiry_record', '询问笔录'), ('rectification_order', '责令改正通知书'), ('penalty_notice', '行政处罚告知书'), ('hearing_notice', '听证通知书'), ('penalty_decision', '行政处罚决定书'), ('simple_decision', '当场行政处罚决定书'), ('service_receipt', '送达回证'), ('seizure_decision', '查封（扣押）决定书'), ('extension_decision', '延长行政强制措施期限决定书'), ('release_decision', '解除行政强制措施决定书'), ('demand_notice', '催告书'), ('enforcement_decision', '行政强制执行决定书'), ('closing_approval', '结案审批表'), ('serious_listing_decision', '列入严重违法失信名单决定书')], max_length=40),
        ),
        migrations.AlterField(
            model_name='documenttemplate',
            name='kind',
            field=models.CharField(choices=[('filing_approval', '立案审批表'), ('not_filing_approval', '不予立案审批表'), ('onsite_record', '现场检查笔录'), ('inquiry_record', '询问笔录'), ('rectification_order', '责令改正通知书'), ('penalty_notice', '行政处罚告知书'), ('hearing_notice', '听证通知书'), ('penalty_decision', '行政处罚决定书'), ('simple_decision', '当场行政处罚决定书'), ('service_receipt', '送达回证'), ('seizure_decision', '查封（扣押）决定书'), ('extension_decision', '延长行政强制措施期限决定书'), ('release_decision', '解除行政强制措施决定书'), ('demand_notice', '催告书'), ('enforcement_decision', '行政强制执行决定书'), ('closing_approval', '结案审批表'), ('serious_listing_decision', '列入严重违法失信名单决定书')], max_length=40, verbose_name='文书种类'),
        ),
        migrations.AlterField(
            model_name='issueddocument',
            name='kind',
            field=models.CharField(choices=[('filing_approval', '立案审批表'), ('not_filing_approval', '不予立案审批表'), ('onsite_record', '现场检查笔录'), ('inquiry_record', '询问笔录'), ('rectification_order', '责令改正通知书'), ('penalty_notice', '行政处罚告知书'), ('hearing_notice', '听证通知书'), ('penalty_decision', '行政处罚决定书'), ('simple_decision', '当场行政处罚决定书'), ('service_receipt', '送达回证'), ('seizure_decision', '查封（扣押）决定书'), ('extension_decision', '延长行政强制措施期限决定书'), ('release_decision', '解除行政强制措施决定书'), ('demand_notice', '催告书'), ('enforcement_decision', '行政强制执行决定书'), ('closing_approval', '结案审批表'), ('serious_listing_decision', '列入严重违法失信名单决定书')], max_length=40, verbose_name='文书种类'),
        ),
    ]
