"""Credit repair (信用修复) of published 行政处罚 information (ADR 0045)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Region
from jianguan.core.scoping import ScopedQuerySet
from jianguan.subjects.models import MarketEntity


class RepairPolicy(models.Model):
    """A version of the credit-repair schemes as loaded from its file (`repair_schemes/*.json`, checked by
    `repair_policy.parse`): the rows every application of its time was judged by. Never changed; a new file is a
    new version."""

    name = models.CharField(_("方案"), max_length=60)
    version = models.CharField(_("版本"), max_length=30)
    title = models.CharField(_("名称"), max_length=200)
    sha256 = models.CharField(_("内容摘要"), max_length=64)
    definition = models.JSONField(_("定义"))
    loaded_at = models.DateTimeField(_("载入时间"), auto_now_add=True)
    loaded_by = models.CharField(_("载入人"), max_length=100)

    class Meta:
        verbose_name = _("信用修复方案")
        verbose_name_plural = _("信用修复方案")
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="credit_repair_policy_version")]

    def __str__(self) -> str:
        return f"{self.name}-{self.version}"


class RepairStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    APPROVED = "approved", _("准予修复")
    REJECTED = "rejected", _("不予修复")


class RepairChannel(models.TextChoices):
    PORTAL = "portal", _("服务门户")
    OFFICER = "officer", _("工作人员录入")
    API = "api", _("接入系统")


class RepairApplication(models.Model):
    """An application to end the publication of a 行政处罚 early (信用修复), decided by the deciding department: the
    scheme row it was judged by (policy version, scheme, category, minimum months), the dates that count, what was
    received as received (`raw`), and each step's person and time."""

    number = models.CharField(_("申请编号"), max_length=20, unique=True)
    penalty = models.ForeignKey("behaviour.Penalty", verbose_name=_("行政处罚"), on_delete=models.PROTECT,
                                related_name="+")
    entity = models.ForeignKey(MarketEntity, verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("accounts.Department", verbose_name=_("处罚决定机关"), on_delete=models.PROTECT,
                                   related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("申请渠道"), max_length=10, choices=RepairChannel.choices)
    status = models.CharField(_("状态"), max_length=10, choices=RepairStatus.choices, default=RepairStatus.SUBMITTED)
    applicant_name = models.CharField(_("申请人"), max_length=100)
    applicant_phone = models.CharField(_("联系电话"), max_length=30)
    correction = models.TextField(_("纠正失信行为情况"))
    raw = models.JSONField(_("原始申请"), default=dict)
    policy = models.ForeignKey(RepairPolicy, verbose_name=_("修复方案版本"), on_delete=models.PROTECT,
                               related_name="+")
    scheme = models.CharField(_("适用方案"), max_length=40)
    publication_channel = models.CharField(_("公示平台"), max_length=12)
    category = models.CharField(_("失信类别"), max_length=10)
    scheme_date = models.DateField(_("确定方案的日期"))
    eligible_on = models.DateField(_("最短公示期届满日"))
    publish_until = models.DateField(_("公示截止日"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    submitted_by = models.CharField(_("录入人"), max_length=100)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    accepted_by = models.ForeignKey("accounts.User", verbose_name=_("受理人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", verbose_name=_("决定人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField(_("理由"), blank=True)
    decision_document = models.PositiveBigIntegerField(_("信用修复决定书"), null=True, blank=True)
    decision_document_number = models.CharField(_("信用修复决定书文号"), max_length=60, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        indexes = [models.Index(fields=["department", "status"]), models.Index(fields=["penalty", "status"])]

    def __str__(self) -> str:
        return self.number

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class RepairAttachment(models.Model):
    """A file of an application: the 守信承诺书 or a proof of correction, kept as received with its digest."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("信用承诺书")
        PROOF = "proof", _("纠正失信行为的证明材料")

    application = models.ForeignKey(RepairApplication, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("材料类别"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(_("内容摘要"), max_length=64)
    data = models.BinaryField(_("内容"))

    class Meta:
        verbose_name = _("信用修复申请材料")
        verbose_name_plural = _("信用修复申请材料")

    def __str__(self) -> str:
        return self.name


class PublicationEnd(models.Model):
    """The publication of a 行政处罚 ended early on `ended_on` by an approved repair: the record the disclosure
    side and the exchange read (`contracts.publication_end_list`). One per penalty; never changed."""

    penalty = models.OneToOneField("behaviour.Penalty", verbose_name=_("行政处罚"), on_delete=models.PROTECT,
                                   related_name="+")
    repair = models.OneToOneField(RepairApplication, verbose_name=_("信用修复申请"), on_delete=models.PROTECT,
                                  related_name="publication_end")
    ended_on = models.DateField(_("停止公示日期"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("提前停止公示")
        verbose_name_plural = _("提前停止公示")

    def __str__(self) -> str:
        return f"{self.penalty_id} {self.ended_on}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


