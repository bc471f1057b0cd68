"""The behaviour library (监管行为信息库): records of 行政检查, 行政处罚, 行政强制 and 其他行为 with the national data
elements (behaviour-records.md §1–§5). The enforcement app writes here; the exchange app fills it from other
systems. A record is never edited in place by either: corrections arrive as a new version of the same
记录唯一标识 (`record_id`) and replace the row (`version` + 1), keeping the raw payload received; a withdrawal
(`d`) sets `withdrawn_at` and keeps the row.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Department, Region
from jianguan.core.models import TimeStamped
from jianguan.core.scoping import ScopedQuerySet
from jianguan.subjects.models import MarketEntity, Person, SupervisedObject


class PartyNature(models.TextChoices):
    """行政相对人类别 (disclosure-credit.md §1)."""

    ORGANISATION = "organisation", _("法人及非法人组织")
    PERSON = "person", _("自然人")
    INDIVIDUAL = "individual", _("个体工商户")


class IdType(models.TextChoices):
    """证件类型: the two codes whose meaning is known (reference-codes.md §6)."""

    USCC = "001", _("统一社会信用代码")
    RESIDENT_ID = "111", _("居民身份证")


class Source(models.TextChoices):
    PLATFORM = "platform", _("本平台")
    EXCHANGE = "exchange", _("部门业务系统报送")
    SEED = "seed", _("演示数据")


class RecordQuerySet(ScopedQuerySet):
    pass


class BehaviourRecord(TimeStamped):
    """The block shared by the four record types (behaviour-records.md §1)."""

    record_id = models.CharField(_("记录唯一标识"), max_length=64, unique=True, default=uuid.uuid4)
    number = models.CharField(_("行为编号"), max_length=50, unique=True)
    name = models.CharField(_("行为名称"), max_length=500)
    # No single-column indexes on `department` and `entity`: each table's (department, date) and (entity, date)
    # indexes serve those look-ups, and exchange intakes insert rows 10,000 at a time.
    department = models.ForeignKey(Department, verbose_name=_("实施机构"), on_delete=models.PROTECT,
                                   related_name="+", db_index=False)
    delegated_by = models.ForeignKey(Department, verbose_name=_("受委托部门"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    catalog_code = models.CharField(_("监管事项目录编码"), max_length=14)
    object_type = models.CharField(_("监管对象类型"), max_length=20, blank=True)
    object_name = models.CharField(_("监管对象"), max_length=200)
    entity = models.ForeignKey(MarketEntity, verbose_name=_("市场主体"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", db_index=False)
    person = models.ForeignKey(Person, verbose_name=_("个人当事人"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    supervised_object = models.ForeignKey(SupervisedObject, verbose_name=_("监管对象（非市场主体）"), null=True,
                                          blank=True, on_delete=models.PROTECT, related_name="+")
    party_name = models.CharField(_("行政相对人名称"), max_length=200)
    party_nature = models.CharField(_("行政相对人性质"), max_length=20, choices=PartyNature.choices)
    party_id_type = models.CharField(_("行政相对人证件类型"), max_length=3, choices=IdType.choices)
    party_code = models.CharField(_("行政相对人编码"), max_length=20)  # a USCC, or a masked ID number
    registered_address = models.CharField(_("注册地址"), max_length=400, blank=True)
    business_address = models.CharField(_("经营地址"), max_length=400, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("行为日期"))
    reported_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    reported_by = models.CharField(_("报送人员"), max_length=50, blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, default=Source.PLATFORM)
    raw = models.JSONField(_("原始报文"), null=True, blank=True)
    # Exchange identity (catalog.md §7): the sending system and the version of this 记录唯一标识. A `u` replaces the
    # row with a higher version; a `d` marks it withdrawn and keeps it. The same (system, id, version) is stored once.
    version = models.PositiveIntegerField(_("版本"), default=1, db_default=1)
    source_system = models.CharField(_("报送系统"), max_length=64, blank=True, default="", db_default="")
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    objects = RecordQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class Inspection(BehaviourRecord):
    """行政检查行为 (behaviour-records.md §2)."""

    implementation_code = models.TextField(_("监管事项检查实施清单编码"))
    spot_check_plan = models.CharField(_("双随机一公开计划id"), max_length=50, blank=True)
    form = models.CharField(_("检查形式"), max_length=20)
    category = models.CharField(_("检查类别"), max_length=2, choices=[("1", _("现场检查")), ("2", _("非现场检查"))])
    method = models.CharField(_("检查方式"), max_length=20, blank=True)
    result = models.CharField(_("检查结果"), max_length=50)
    inspectors = models.JSONField(_("检查人员"), default=list)
    credential_numbers = models.JSONField(_("执法证号"), default=list)

    class Meta:
        verbose_name = _("行政检查行为")
        verbose_name_plural = _("行政检查行为")
        indexes = [models.Index(fields=["entity", "date"]), models.Index(fields=["department", "date"]),
                   # the checks of one implementation row per entity and date (who is due for a check)
                   models.Index(fields=["implementation_code", "entity", "date"], name="inspection_row_entity_date")]


class Penalty(BehaviourRecord):
    """行政处罚行为 (behaviour-records.md §3); 处罚种类 codes follow 行政处罚法 art. 9 (disclosure-credit.md §1)."""

    case_source = models.CharField(_("案件来源"), max_length=20)
    inspection_number = models.CharField(_("检查行为编号"), max_length=50)
    facts = models.TextField(_("违法事实"))
    basis = models.TextField(_("处罚依据"))
    procedure = models.CharField(_("处罚程序"), max_length=2, choices=[("01", _("简易程序")), ("02", _("一般程序"))])
    hearing = models.BooleanField(_("是否听证"), default=False)
    filed_on = models.DateField(_("处罚立案时间"), null=True, blank=True)
    criminal = models.BooleanField(_("是否涉刑案件"), default=False)
    major = models.BooleanField(_("是否重大案件"), default=False)
    legal_review = models.BooleanField(_("是否法制审核"), default=False)
    legal_review_on = models.DateField(_("法制审核日期"), null=True, blank=True)
    legal_review_opinion = models.CharField(_("法制审核意见"), max_length=100, blank=True)
    collective = models.BooleanField(_("是否集体讨论"), default=False)
    collective_on = models.DateField(_("集体讨论日期"), null=True, blank=True)
    collective_conclusion = models.CharField(_("集体讨论结论"), max_length=1000, blank=True)
    decision_number = models.CharField(_("处罚文书号"), max_length=100)
    penalty_kinds = models.JSONField(_("处罚种类"), default=list)
    fine = models.DecimalField(_("罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    result = models.CharField(_("处罚结果"), max_length=1000)
    reconsideration = models.CharField(_("行政复议"), max_length=20, blank=True)
    litigation = models.CharField(_("行政诉讼"), max_length=20, blank=True)
    execution_method = models.CharField(_("结案情况—执行方式"), max_length=20, blank=True)
    execution_result = models.CharField(_("结案情况—执行结果"), max_length=20, blank=True)
    paid = models.DecimalField(_("结案实缴罚款金额"), max_digits=14, decimal_places=2, null=True, blank=True)
    no_penalty = models.BooleanField(_("结案情况—不予行政处罚"), default=False)
    closed_on = models.DateField(_("结案情况—结案日期"), null=True, blank=True)
    other_handling = models.CharField(_("其他处理情况"), max_length=20, blank=True)
    transferred_on = models.DateField(_("移送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("行政处罚行为")
        verbose_name_plural = _("行政处罚行为")
        indexes = [models.Index(fields=["entity", "date"]), models.Index(fields=["department", "date"])]


class CoercionKind(models.TextChoices):
    MEASURE = "measure", _("行政强制措施")
    ENFORCEMENT = "enforcement", _("行政强制执行")


class Coercion(BehaviourRecord):
    """行政强制行为 (behaviour-records.md §4); types from 行政强制法 arts. 9 and 12."""

    inspection_number = models.CharField(_("检查行为编号"), max_length=50)
    facts = models.TextField(_("违法事实"))
    basis = models.TextField(_("强制依据"))
    decision_number = models.CharField(_("强制决定书号"), max_length=100)
    kind = models.CharField(_("行政强制种类"), max_length=12, choices=CoercionKind.choices)
    measure_type = models.CharField(_("强制措施类型"), max_length=50, blank=True)
    enforcement_type = models.CharField(_("强制执行类型"), max_length=50, blank=True)
    result = models.CharField(_("强制结果"), max_length=50, blank=True)
    starts_on = models.DateField(_("实施强制措施的起始时间"), null=True, blank=True)
    ends_on = models.DateField(_("实施强制措施的结束时间"), null=True, blank=True)
    extension = models.CharField(_("强制措施延长期限"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("行政强制行为")
        verbose_name_plural = _("行政强制行为")
        indexes = [models.Index(fields=["entity", "date"]), models.Index(fields=["department", "date"])]


class OtherAction(BehaviourRecord):
    """其他行政行为 (behaviour-records.md §5)."""

    inspection_number = models.CharField(_("检查行为编号"), max_length=50, blank=True)
    matter_source = models.CharField(_("事项来源"), max_length=50, blank=True)
    measure = models.CharField(_("监管措施"), max_length=50, blank=True)
    conclusion = models.CharField(_("结案情况"), max_length=200, blank=True)
    starts_on = models.DateField(_("开始时间"), null=True, blank=True)
    ends_on = models.DateField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("其他行政行为")
        verbose_name_plural = _("其他行政行为")
        indexes = [models.Index(fields=["entity", "date"]), models.Index(fields=["department", "date"])]
