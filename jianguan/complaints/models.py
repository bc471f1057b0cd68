"""The complaints and reports library (投诉举报信息库): from the public portal, the API and 12345 hotline files;
assigned to a department by jurisdiction and subject; decided and handled against the SAMR clocks."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Department, Region
from jianguan.core.models import Intake, TimeStamped
from jianguan.core.scoping import ScopedQuerySet
from jianguan.subjects.models import MarketEntity


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")


class Channel(models.TextChoices):
    PORTAL = "portal", _("服务门户")
    API = "api", _("系统接口")
    HOTLINE = "hotline", _("12345 热线")
    PHONE = "phone", _("电话")
    LETTER = "letter", _("信件")


class Category(models.TextChoices):
    """The subject, which decides the line that handles it (`routing.LINES`)."""

    FOOD = "food", _("食品安全")
    DRUG = "drug", _("药品医疗器械化妆品")
    PRICE = "price", _("价格收费")
    QUALITY = "quality", _("产品质量")
    ADVERTISING = "advertising", _("广告宣传")
    CONSUMER = "consumer", _("消费维权")
    ENVIRONMENT = "environment", _("生态环境")
    SAFETY = "safety", _("安全生产")
    CONSTRUCTION = "construction", _("住房建设")
    TRANSPORT = "transport", _("交通运输")
    TOURISM = "tourism", _("文化旅游")
    HEALTH = "health", _("医疗卫生")
    AGRICULTURE = "agriculture", _("农资农产品")
    MEDICAL_INSURANCE = "medical_insurance", _("医保基金")
    CITY = "city", _("市容环境")
    FINANCE = "finance", _("非法集资")
    OTHER = "other", _("其他")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    CONCLUDED = "concluded", _("已办结")
    CONVERTED = "converted", _("已转为案件线索")


class ComplaintImport(Intake):
    """A file of complaints (the 12345 hotline's export), kept as received."""

    class Meta(Intake.Meta):
        verbose_name = _("投诉举报导入")

    def __str__(self) -> str:
        return self.file_name


class Complaint(TimeStamped):
    number = models.CharField(_("编号"), max_length=20, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=ComplaintKind.choices)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    external_ref = models.CharField(_("来源编号"), max_length=50, blank=True)
    received_at = models.DateTimeField(_("收到时间"))
    complainant_name = models.CharField(_("投诉举报人"), max_length=50, blank=True)
    complainant_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    real_name = models.BooleanField(_("实名"), default=False)
    entity = models.ForeignKey(MarketEntity, verbose_name=_("被投诉举报主体"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    subject_name = models.CharField(_("被投诉举报对象"), max_length=200)
    subject_address = models.CharField(_("地址"), max_length=300, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("事项类别"), max_length=20, choices=Category.choices)
    content = models.TextField(_("内容"))
    department = models.ForeignKey(Department, verbose_name=_("承办部门"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.RECEIVED)
    accept_due = models.DateField(_("受理决定期限"), null=True, blank=True)
    decided_at = models.DateTimeField(_("受理决定时间"), null=True, blank=True)
    decision_note = models.TextField(_("受理意见"), blank=True)
    handle_due = models.DateField(_("办理期限"), null=True, blank=True)
    outcome = models.TextField(_("办理结果"), blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    raw = models.JSONField(_("原始内容"), null=True, blank=True)
    # SHA-256 of what was submitted (channel and cleaned fields): the same submission again within the window is
    # answered with this complaint instead of a new one (services.complaint_receive).
    content_hash = models.CharField(_("内容摘要"), max_length=64, blank=True, db_index=True)
    imported = models.ForeignKey(ComplaintImport, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="complaints")

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["entity", "received_at"]), models.Index(fields=["department", "status"])]
        constraints = [models.UniqueConstraint(fields=["channel", "external_ref"], condition=~models.Q(external_ref=""),
                                               name="complaint_external_ref_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}：{self.subject_name}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class ComplaintStep(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="steps")
    old = models.CharField(max_length=12, choices=ComplaintStatus.choices)
    new = models.CharField(max_length=12, choices=ComplaintStatus.choices)
    actor_label = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"
