"""The credit-risk classification A–D: scorecards, runs, each entity's class (ADR 0040) and manual adjustments
with what-ifs (ADR 0041)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Department, Region, User
from jianguan.core.scoping import ScopedQuerySet
from jianguan.subjects.models import MarketEntity, RiskClass


class Scorecard(models.Model):
    """A scorecard version in force for classification runs: the definition as published (its file's content and
    digest), who published it and the monotonicity table its points were checked against (ADR 0040)."""

    name = models.CharField(_("评分卡"), max_length=60)
    version = models.CharField(_("版本"), max_length=30)
    title = models.CharField(_("名称"), max_length=200)
    sha256 = models.CharField(_("内容摘要"), max_length=64)
    definition = models.JSONField(_("定义"))
    monotonicity = models.JSONField(_("单调性检验"), default=list)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.CharField(_("发布人"), max_length=100)

    class Meta:
        verbose_name = _("信用风险分类评分卡")
        verbose_name_plural = _("信用风险分类评分卡")
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="credit_scorecard_version")]

    def __str__(self) -> str:
        return f"{self.name}-{self.version}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    DRAFT = "draft", _("待发布")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被新结果取代")
    FAILED = "failed", _("失败")


class ClassificationRun(models.Model):
    """One classification of every entity of the object library into A–D with one scorecard, as of a day: a draft
    until published; the newest published run is the one others read (`contracts.entity_class`)."""

    number = models.CharField(_("编号"), max_length=20, unique=True)
    month = models.DateField(_("所属月份"))
    as_of = models.DateField(_("数据截止日"))
    scorecard = models.ForeignKey(Scorecard, verbose_name=_("评分卡"), on_delete=models.PROTECT, related_name="runs")
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    started_by = models.CharField(_("发起人"), max_length=100)
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    snapshot_at = models.DateTimeField(_("数据快照时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    progress = models.PositiveIntegerField(_("已处理主体数"), default=0)
    entities = models.PositiveIntegerField(_("主体数"), default=0)
    shares = models.JSONField(_("各类主体数"), default=dict)
    cutoffs = models.JSONField(_("分界分值"), default=list)
    violations = models.JSONField(_("单调性问题"), default=list)
    error = models.TextField(_("错误"), blank=True)
    published_by = models.CharField(_("发布人"), max_length=100, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("信用风险分类批次")
        verbose_name_plural = _("信用风险分类批次")
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self) -> str:
        return self.number

    def audit_jurisdiction(self) -> tuple[str, None]:
        return self.region_id, None

    @property
    def flagged(self) -> bool:
        return bool(self.violations)

    @property
    def share_rows(self) -> list[tuple[str, int]]:
        """(class, entities) for A … D."""
        return [(klass, int(self.shares.get(klass, 0))) for klass in ("A", "B", "C", "D")]


class EntityClass(models.Model):
    """One entity's class in one run: its points, the override that set a floor (if any) and its top reason codes.
    Written once in bulk by the run and never changed (append-only). No foreign-key constraints: a million rows
    are copied in per run, the run's rows only after the run's own row exists, and entities are never deleted."""

    run = models.ForeignKey(ClassificationRun, on_delete=models.PROTECT, related_name="+", db_index=False,
                            db_constraint=False)
    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="+", db_index=False,
                               db_constraint=False)
    risk_class = models.CharField(_("信用风险分类"), max_length=1)
    points = models.IntegerField(_("分值"))
    forced = models.CharField(_("强制规则"), max_length=20, blank=True)
    reasons = models.CharField(_("主要原因代码"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("主体信用风险分类")
        verbose_name_plural = _("主体信用风险分类")
        constraints = [models.UniqueConstraint(fields=["run", "entity"], name="credit_entity_class_unique")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.risk_class}"


class AdjustmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("待批准")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")
    EXPIRED = "expired", _("已到期")
    WITHDRAWN = "withdrawn", _("已撤销")


class AdjustmentQuerySet(ScopedQuerySet):
    def in_force(self, day: dt.date) -> AdjustmentQuerySet:
        """The adjustments that override the computed class on `day`: approved and not past their expiry date."""
        return self.filter(status=AdjustmentStatus.APPROVED, expires_on__gte=day)


class ClassAdjustment(models.Model):
    """A manual adjustment (人工调整) of one entity's credit-risk class: proposed by an officer with a reason and
    evidence (the file kept as received, or a reference to it), approved by the head of the proposer's department;
    while approved and not past `expires_on` it overrides the class the runs compute (ADR 0041). At most one open
    (proposed or approved) adjustment per entity."""

    entity = models.ForeignKey(MarketEntity, verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, verbose_name=_("提出部门"), on_delete=models.PROTECT, related_name="+")
    computed_class = models.CharField(_("调整前分类"), max_length=1, choices=RiskClass.choices)
    run_number = models.CharField(_("分类批次"), max_length=20)
    target_class = models.CharField(_("调整后分类"), max_length=1, choices=RiskClass.choices)
    reason = models.TextField(_("调整理由"))
    evidence_note = models.CharField(_("证据说明"), max_length=500, blank=True)
    evidence_name = models.CharField(_("证据文件名"), max_length=200, blank=True)
    evidence_type = models.CharField(_("证据文件类型"), max_length=100, blank=True)
    evidence_sha256 = models.CharField(_("证据 SHA-256"), max_length=64, blank=True)
    evidence_size = models.PositiveBigIntegerField(_("证据大小（字节）"), default=0)
    evidence = models.BinaryField(_("证据文件"), null=True, blank=True)
    expires_on = models.DateField(_("有效期至"))
    status = models.CharField(_("状态"), max_length=12, choices=AdjustmentStatus.choices,
                              default=AdjustmentStatus.PROPOSED)
    proposed_by = models.ForeignKey(User, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("提出时间"))
    decided_by = models.ForeignKey(User, verbose_name=_("审批人"), on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    opinion = models.TextField(_("审批意见"), blank=True)
    ended_at = models.DateTimeField(_("终止时间"), null=True, blank=True)
    ended_note = models.TextField(_("撤销理由"), blank=True)

    objects = AdjustmentQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("信用风险分类人工调整")
        verbose_name_plural = _("信用风险分类人工调整")
        ordering = ["-proposed_at", "-pk"]
        indexes = [models.Index(fields=["status", "expires_on"])]
        constraints = [models.UniqueConstraint(
            fields=["entity"], condition=models.Q(status__in=["proposed", "approved"]),
            name="credit_adjustment_one_open")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.computed_class}→{self.target_class}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class WhatIfStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class WhatIf(models.Model):
    """A what-if (模拟) of a run under its scorecard with one indicator's weight changed: the run's inputs computed
    again in the background, the cut-offs set to the targets again, each entity's class compared with the run's.
    The run and its results are not touched; this row keeps the question, its progress and the matrix."""

    run = models.ForeignKey(ClassificationRun, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(_("指标"), max_length=60)
    weight = models.CharField(_("权重"), max_length=30)
    definition = models.JSONField(_("模拟评分卡"))
    status = models.CharField(_("状态"), max_length=10, choices=WhatIfStatus.choices, default=WhatIfStatus.QUEUED)
    progress = models.PositiveIntegerField(_("已处理主体数"), default=0)
    total = models.PositiveIntegerField(_("主体数"), default=0)
    changed = models.PositiveIntegerField(_("分类改变的主体数"), default=0)
    matrix = models.JSONField(_("分类变化矩阵"), default=list)
    cutoffs = models.JSONField(_("分界分值"), default=list)
    error = models.TextField(_("错误"), blank=True)
    started_by = models.CharField(_("发起人"), max_length=100)
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("信用风险分类模拟")
        verbose_name_plural = _("信用风险分类模拟")

    def __str__(self) -> str:
        return f"{self.run_id} {self.indicator}={self.weight}"

    def audit_jurisdiction(self) -> tuple[str, None]:
        return self.region_id, None

    @property
    def rows(self) -> list[tuple[str, list[int]]]:
        """(class in the run, counts per class in the what-if) for A … D."""
        return list(zip(("A", "B", "C", "D"), self.matrix, strict=False))
