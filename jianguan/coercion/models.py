"""行政强制 (行政强制法, 2011): coercive measures (行政强制措施: 查封, 扣押, 冻结 …) with their item lists, periods,
extensions and release, and compulsory execution (行政强制执行: 催告 → 陈述申辩 → 决定 → 执行, or an application
to court). Each record keeps its steps (`MeasureStep`, `ExecutionStep`): who did what, when, with which
document — the record's timeline; the audit chain holds the same events for compliance.

Statuses and transitions: `workflow.py`; clocks: `deadlines.py`; every write: `measures.py` and
`executions.py` (what both share: `common.py`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Department, Region, User
from jianguan.core.models import TimeStamped
from jianguan.core.scoping import ScopedQuerySet
from jianguan.subjects.models import MarketEntity

from .workflow import EXECUTION_STATES, MEASURE_STATES, ExecutionState, MeasureState


class MeasureKind(models.TextChoices):
    """行政强制法 第九条: the measures a 市场监管 body may take (限制人身自由 is not among them)."""

    SEAL_PREMISES = "seal_premises", _("查封场所")
    SEAL_FACILITIES = "seal_facilities", _("查封设施")
    SEAL_GOODS = "seal_goods", _("查封财物")
    SEIZE = "seize", _("扣押财物")
    FREEZE = "freeze", _("冻结存款、汇款")
    OTHER = "other", _("其他行政强制措施")


# 第二十五条第三款: testing time is excluded only where goods are held.
GOODS_KINDS = (MeasureKind.SEAL_FACILITIES, MeasureKind.SEAL_GOODS, MeasureKind.SEIZE)


class ExecutionMode(models.TextChoices):
    """行政强制法 第十二条: the modes of compulsory execution."""

    LATE_FEE = "late_fee", _("加处罚款或者滞纳金")
    TRANSFER = "transfer", _("划拨存款、汇款")
    AUCTION = "auction", _("拍卖或者依法处理查封、扣押的场所、设施或者财物")
    REMOVE = "remove", _("排除妨碍、恢复原状")
    SUBSTITUTE = "substitute", _("代履行")
    OTHER = "other", _("其他强制执行方式")


class Power(models.TextChoices):
    """Whether the body enforces by itself (a law gives it the power) or applies to court (第十三条, 第五十三条)."""

    OWN = "own", _("行政机关自行强制执行")
    COURT = "court", _("申请人民法院强制执行")


class Party(TimeStamped):
    """The party of a coercive act, copied from the inspection that found the facts (its 行政相对人)."""

    department = models.ForeignKey(Department, verbose_name=_("实施机关"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+")
    entity = models.ForeignKey(MarketEntity, verbose_name=_("市场主体"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    party_name = models.CharField(_("当事人"), max_length=200)
    party_code = models.CharField(_("当事人证件号码"), max_length=20)
    party_nature = models.CharField(_("当事人性质"), max_length=20)
    party_address = models.CharField(_("住所（住址）"), max_length=400, blank=True)
    catalog_code = models.CharField(_("监管事项目录编码"), max_length=14)
    inspection_number = models.CharField(_("检查行为编号"), max_length=50)
    case_number = models.CharField(_("案件编号"), max_length=50, blank=True)
    case_id = models.PositiveBigIntegerField(_("案件"), null=True, blank=True)
    behaviour_number = models.CharField(_("行政强制行为编号"), max_length=50, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        abstract = True

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class Measure(Party):
    """行政强制措施 (第九条, 第十八条—第二十八条, 第三十二条): the decision approved by the head in advance, or taken on
    the spot in an emergency and approved within 24 hours (第十九条); carried out by two or more officers with
    valid credentials; the decision and the item list handed over on the spot (第二十四条); at most 30 days,
    +30 once on approval (第二十五条, 第三十二条), testing time excluded; released with a decision (第二十八条)."""

    number = models.CharField(_("编号"), max_length=30, unique=True)
    kind = models.CharField(_("措施种类"), max_length=20, choices=MeasureKind.choices)
    kind_note = models.CharField(_("其他措施名称"), max_length=100, blank=True)
    facts = models.TextField(_("理由（违法事实）"))
    basis = models.TextField(_("依据"))
    place = models.CharField(_("实施地点"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=list(MEASURE_STATES.items()),
                              default=MeasureState.REQUESTED)
    emergency = models.BooleanField(_("情况紧急当场实施"), default=False)
    acted_at = models.DateTimeField(_("当场实施时间"), null=True, blank=True)
    approval_due = models.DateTimeField(_("补办批准期限"), null=True, blank=True)
    requested_by = models.ForeignKey(User, verbose_name=_("承办人"), on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(User, verbose_name=_("批准人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    officers = models.JSONField(_("执法人员及执法证号"), default=list)
    party_present = models.BooleanField(_("当事人到场"), default=True)
    witness = models.CharField(_("见证人"), max_length=100, blank=True)
    days = models.PositiveSmallIntegerField(_("期限（日）"))
    starts_on = models.DateField(_("起始日期"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延长（日）"), default=0)
    extension_reason = models.TextField(_("延长理由"), blank=True)
    testing = models.JSONField(_("检测、检验、检疫、技术鉴定期间"), default=list)
    excluded_days = models.PositiveSmallIntegerField(_("不计入期限的天数"), default=0)
    due_on = models.DateField(_("期限届满日"), null=True, blank=True)
    decision_number = models.CharField(_("决定书文号"), max_length=100, blank=True)
    decision_document_id = models.PositiveBigIntegerField(_("决定书"), null=True, blank=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    end_reason = models.TextField(_("解除或处理理由"), blank=True)

    class Meta:
        verbose_name = _("行政强制措施")
        verbose_name_plural = _("行政强制措施")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["department", "created_at"]),
                   models.Index(fields=["case_number"])]
        constraints = [models.CheckConstraint(condition=models.Q(days__gte=1, days__lte=30),
                                              name="measure_days_30"),
                       models.CheckConstraint(condition=models.Q(extension_days__lte=30),
                                              name="measure_extension_30")]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()} {self.party_name}"


class MeasureItem(models.Model):
    """One row of the 场所、设施、财物清单 (第二十四条第二款); for 冻结: the account and the sum."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="items")
    seq = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("名称"), max_length=200)
    spec = models.CharField(_("规格（型号）"), max_length=200, blank=True)
    quantity = models.DecimalField(_("数量"), max_digits=16, decimal_places=3)
    unit = models.CharField(_("单位"), max_length=20)
    condition = models.CharField(_("状况"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("清单物品")
        ordering = ["measure_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["measure", "seq"], name="measure_item_seq_unique")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.name}"


class Execution(Party):
    """行政强制执行 of an administrative decision the party did not perform (第三十四条—第三十八条, 第四十五条,
    第四十六条, 第五十三条, 第五十四条)."""

    number = models.CharField(_("编号"), max_length=30, unique=True)
    power = models.CharField(_("执行方式"), max_length=10, choices=Power.choices)
    mode = models.CharField(_("强制执行方式"), max_length=12, choices=ExecutionMode.choices)
    measure = models.ForeignKey(Measure, verbose_name=_("查封、扣押措施"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="executions")
    decision_reference = models.CharField(_("所执行的行政决定文号"), max_length=100)
    decision_served_on = models.DateField(_("行政决定送达日期"))
    obligation = models.TextField(_("当事人应履行的义务"))
    principal = models.DecimalField(_("金钱给付义务（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    payment_due = models.DateField(_("缴纳期限"), null=True, blank=True)
    late_fee_rate = models.DecimalField(_("加处罚款日比例"), max_digits=6, decimal_places=4, default=0)
    remedy_ends = models.DateField(_("复议、诉讼期限届满日"))
    status = models.CharField(_("状态"), max_length=12, choices=list(EXECUTION_STATES.items()),
                              default=ExecutionState.CREATED)
    created_by = models.ForeignKey(User, verbose_name=_("承办人"), on_delete=models.PROTECT, related_name="+")
    demand_served_on = models.DateField(_("催告书送达日期"), null=True, blank=True)
    demand_deadline = models.DateField(_("催告履行期限"), null=True, blank=True)
    demand_manner = models.CharField(_("履行方式"), max_length=200, blank=True)
    demand_amount = models.DecimalField(_("催告金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    demand_late_fee = models.DecimalField(_("催告时加处罚款（元）"), max_digits=14, decimal_places=2, null=True,
                                          blank=True)
    demand_number = models.CharField(_("催告书文号"), max_length=100, blank=True)
    statement = models.TextField(_("陈述申辩"), blank=True)
    statement_waived = models.BooleanField(_("放弃陈述申辩"), default=False)
    objection_upheld = models.BooleanField(_("陈述申辩成立"), default=False)
    heard_on = models.DateField(_("听取日期"), null=True, blank=True)
    decided_on = models.DateField(_("强制执行决定日期"), null=True, blank=True)
    immediate = models.BooleanField(_("立即强制执行"), default=False)
    decision_number = models.CharField(_("强制执行决定书文号"), max_length=100, blank=True)
    court = models.CharField(_("受理法院"), max_length=100, blank=True)
    applied_on = models.DateField(_("申请日期"), null=True, blank=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    result = models.TextField(_("执行结果"), blank=True)
    collected = models.DecimalField(_("执行到位金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("行政强制执行")
        verbose_name_plural = _("行政强制执行")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["department", "created_at"]),
                   models.Index(fields=["case_number"])]

    def __str__(self) -> str:
        return f"{self.number} {self.party_name}"


class Step(models.Model):
    """One step of a record's timeline: the transition, who took it, when, the note and the document."""

    action = models.CharField(_("操作"), max_length=30)
    old = models.CharField(_("原状态"), max_length=12, blank=True)
    new = models.CharField(_("新状态"), max_length=12)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    on = models.DateField(_("日期"))
    actor = models.CharField(_("操作人"), max_length=200)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict)
    document_id = models.PositiveBigIntegerField(_("文书"), null=True, blank=True)
    document_title = models.CharField(_("文书名称"), max_length=100, blank=True)
    document_number = models.CharField(_("文书文号"), max_length=100, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]


class MeasureStep(Step):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="steps")

    class Meta(Step.Meta):
        verbose_name = _("行政强制措施步骤")

    def __str__(self) -> str:
        return f"{self.measure_id}:{self.action}"


class ExecutionStep(Step):
    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="steps")

    class Meta(Step.Meta):
        verbose_name = _("行政强制执行步骤")

    def __str__(self) -> str:
        return f"{self.enforcement_id}:{self.action}"
