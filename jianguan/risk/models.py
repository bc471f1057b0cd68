"""The monitoring data the models read (`Observation`), the alerts they raise (`Alert`), each alert's steps of
verification and disposal (`AlertStep`), and the reference registers the models judge against (`RegisterImport`,
one file of one kind from one source kept as received; `RegisterEntry`, its rows; ADR 0037).

An observation keeps what its sender sent (`payload`, the item as received) beside the fields the models read; it
is identified by its sender and the sender's own id, so a batch sent twice stores nothing new. An alert is one per
(subject, model, window) and is updated by every further observation of that window, never repeated. A control
item (`Alert.control`) is an observation that raised no alert, drawn into a month's control sample
(`ControlSample`) and verified like an alert, so that the models' misses can be estimated (risk-models.md).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Department, Region
from jianguan.core.models import Intake, TimeStamped
from jianguan.core.scoping import ScopedQuerySet
from jianguan.risk import registers
from jianguan.subjects.models import MarketEntity


class RiskModel(models.TextChoices):
    MEDICAL_AD = "medical_ad", _("虚假医疗广告")
    FUNDRAISING = "fundraising", _("非法集资")
    DRUG_SALES = "drug_sales", _("非法销售药品")
    RX_SALES = "rx_sales", _("非法销售处方药品")
    DEVICE_SALES = "device_sales", _("非法销售医疗器械")


class ObservationKind(models.TextChoices):
    AD = "ad", _("广告")
    WEB = "web", _("网页")
    LISTING = "listing", _("网络销售商品")


class Observation(models.Model):
    """One ad, web page or online listing as captured by a monitoring system (risk-models.md §1)."""

    sender = models.CharField(_("报送方"), max_length=120)
    sender_label = models.CharField(_("报送方名称"), max_length=200)
    sender_id = models.CharField(_("报送方编号"), max_length=200)
    payload = models.JSONField(_("原始内容"))
    payload_hash = models.CharField(_("内容摘要"), max_length=64)
    model = models.CharField(_("模型"), max_length=20, choices=RiskModel.choices)
    kind = models.CharField(_("类型"), max_length=10, choices=ObservationKind.choices)
    fields = models.JSONField(_("模型输入"))
    text = models.TextField(_("文字"), blank=True)
    channel = models.CharField(_("渠道"), max_length=200, blank=True)
    url = models.CharField(_("网址"), max_length=2000, blank=True)
    captured_at = models.DateTimeField(_("采集时间"))
    snapshot_hash = models.CharField(_("快照摘要"), max_length=64)
    advertiser = models.CharField(_("广告主"), max_length=200, blank=True)
    review_number = models.CharField(_("广告审查证明文号"), max_length=200, blank=True)
    seller = models.CharField(_("卖家"), max_length=200, blank=True)
    platform = models.CharField(_("销售平台"), max_length=200, blank=True)
    product_name = models.CharField(_("商品名称"), max_length=200, blank=True)
    registration_number = models.CharField(_("批准文号、注册证编号或备案编号"), max_length=200, blank=True)
    device_class = models.PositiveSmallIntegerField(_("医疗器械管理类别"), null=True, blank=True)
    prescription_step = models.BooleanField(_("结算要求处方"), null=True, blank=True)
    prescription_id = models.CharField(_("处方编号"), max_length=200, blank=True)
    prescription_time = models.DateTimeField(_("处方开具时间"), null=True, blank=True)
    order_time = models.DateTimeField(_("下单时间"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("销售数量"), null=True, blank=True)
    prescribed_quantity = models.PositiveIntegerField(_("处方数量"), null=True, blank=True)
    entity_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, verbose_name=_("报送部门"), on_delete=models.PROTECT,
                                   related_name="+")
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)
    scanned_at = models.DateTimeField(_("研判时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("监测数据")
        verbose_name_plural = _("监测数据")
        ordering = ["-captured_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["sender", "sender_id"], name="risk_observation_sender_id")]
        indexes = [models.Index(fields=["scanned_at"]), models.Index(fields=["model", "captured_at"])]

    def __str__(self) -> str:
        return f"{self.sender_label} {self.sender_id}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class AlertStatus(models.TextChoices):
    PENDING = "pending", _("待分派")
    VERIFYING = "verifying", _("核查中")
    UNFOUNDED = "unfounded", _("不属实")
    MINOR = "minor", _("轻微不予立案")
    CASE = "case", _("立案")
    TRANSFERRED = "transferred", _("移送")


class Alert(TimeStamped):
    """One alert per (subject, model, window): the subject an entity's 统一社会信用代码, else the seller's or
    advertiser's code or name as sent; the window a calendar month of capture time."""

    subject_key = models.CharField(_("对象"), max_length=200)
    subject_name = models.CharField(_("对象名称"), max_length=200)
    entity = models.ForeignKey(MarketEntity, verbose_name=_("市场主体"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    model = models.CharField(_("模型"), max_length=20, choices=RiskModel.choices)
    window = models.CharField(_("时间窗"), max_length=7)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, verbose_name=_("承办部门"), on_delete=models.PROTECT,
                                   related_name="+")
    routing_note = models.CharField(_("分派说明"), max_length=200, blank=True)
    score = models.FloatField(_("风险分值"))
    band = models.CharField(_("等级"), max_length=2)
    model_version = models.CharField(_("模型版本"), max_length=40)
    lexicon_versions = models.JSONField(_("词库版本"), default=dict)
    hits = models.JSONField(_("命中规则"), default=list)
    observations = models.ManyToManyField(Observation, related_name="alerts", verbose_name=_("监测数据"))
    status = models.CharField(_("状态"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.PENDING)
    verify_started = models.DateField(_("期限起算日期"), null=True, blank=True)
    verify_due = models.DateField(_("核查期限"), null=True, blank=True)
    extended = models.BooleanField(_("已延长"), default=False)
    finding = models.TextField(_("核查意见"), blank=True)
    proposed_by = models.PositiveIntegerField(_("核查人"), null=True, blank=True)
    transfer_to = models.CharField(_("移送机关"), max_length=200, blank=True)
    decided_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    clue_number = models.CharField(_("案件线索编号"), max_length=20, blank=True)
    control = models.BooleanField(_("对照样本"), default=False)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("风险预警")
        verbose_name_plural = _("风险预警")
        ordering = ["-score", "-pk"]
        constraints = [models.UniqueConstraint(fields=["subject_key", "model", "window"], condition=Q(control=False),
                                               name="risk_alert_subject_model_window")]
        indexes = [models.Index(fields=["department", "status"]), models.Index(fields=["window", "model"])]

    def __str__(self) -> str:
        return f"{self.get_model_display()}：{self.subject_name}（{self.window}）"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class AlertStep(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=20)
    old = models.CharField(max_length=12, choices=AlertStatus.choices)
    new = models.CharField(max_length=12, choices=AlertStatus.choices)
    actor_label = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"


class ControlSample(models.Model):
    """The control sample of one month: the observations of that month that raised no alert, drawn per model at
    `rate` by ranking their ids by SHA-256(seed ‖ id) (`sample.METHOD`); each drawn observation is sent for
    verification as a control item. `strata` keeps per model the version in force, the population, the number
    drawn, the SHA-256 of the pool and the ids drawn, so anyone can redo the draw from the seed."""

    month = models.CharField(_("月份"), max_length=7, unique=True)
    rate = models.DecimalField(_("抽样比例"), max_digits=7, decimal_places=6)
    seed = models.CharField(_("随机种子"), max_length=64)
    method = models.CharField(_("抽样方法"), max_length=40)
    strata = models.JSONField(_("各模型抽样"), default=dict)
    drawn_by = models.CharField(_("抽样人"), max_length=200)
    drawn_at = models.DateTimeField(_("抽样时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("对照样本")
        verbose_name_plural = _("对照样本")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month} 对照样本"
class RegisterKind(models.TextChoices):
    DRUG_APPROVAL = "drug_approval", _("药品批准文号")
    DEVICE_REGISTRATION = "device_registration", _("医疗器械注册证、备案")
    DRUG_BUSINESS_LICENCE = "drug_business_licence", _("药品经营许可证")
    DEVICE_BUSINESS_LICENCE = "device_business_licence", _("医疗器械经营许可证")
    DEVICE_BUSINESS_FILING = "device_business_filing", _("第二类医疗器械经营备案")
    MEDICAL_INSTITUTION_LICENCE = "medical_institution_licence", _("医疗机构执业许可证")
    AD_REVIEW = "ad_review", _("广告审查证明")


class RegisterImport(Intake):
    """One file of one register kind from one source (`source`: who sent it; `created_at`: when; `file_name`,
    `raw`: the file as received), imported by a department: scoped by that department and its region."""

    kind = models.CharField(_("登记种类"), max_length=30, choices=RegisterKind.choices)
    source = models.CharField(_("来源（报送单位）"), max_length=200)
    department = models.ForeignKey(Department, verbose_name=_("导入部门"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta(Intake.Meta):
        verbose_name = _("登记导入")
        verbose_name_plural = _("登记导入")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.source} {self.file_name}".strip()

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class RegisterEntry(models.Model):
    """One row of a register file, never changed: the columns the models read, the kind's own (`details`) and the
    row as received (`raw`, by the file's headers). The newest import's row of a number is the one in force."""

    imported = models.ForeignKey(RegisterImport, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("登记种类"), max_length=30, choices=RegisterKind.choices)
    row = models.PositiveIntegerField(_("行号"))
    number = models.CharField(_("编号"), max_length=200)
    number_key = models.CharField(max_length=200)
    holder = models.CharField(_("持有人"), max_length=200)
    holder_key = models.CharField(max_length=200)
    holder_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    name = models.CharField(_("产品或服务名称"), max_length=200, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, default=registers.VALID)
    details = models.JSONField(_("其他登记事项"), default=dict)
    raw = models.JSONField(_("原始行"))

    class Meta:
        verbose_name = _("登记条目")
        verbose_name_plural = _("登记条目")
        ordering = ["imported", "row"]
        indexes = [models.Index(fields=["kind", "number_key"]), models.Index(fields=["kind", "holder_code"]),
                   models.Index(fields=["kind", "holder_key"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def entry(self) -> registers.Entry:
        return registers.Entry(self.kind, self.number, self.holder, self.holder_code, self.name, self.valid_until,
                               self.status, self.details)
