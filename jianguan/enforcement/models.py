"""Enforcement: for now the clue (案件线索) that starts a penalty case; the enforcement issue builds the cases,
steps and documents on it.

A clue must be checked and a decision to open a case (立案) or not taken within 15 working days of its
discovery or receipt, extendable by 15 on approval (市场监督管理行政处罚程序规定; enforcement.md §2, stage 2).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Department, Region
from jianguan.core.models import TimeStamped
from jianguan.core.scoping import ScopedQuerySet
from jianguan.subjects.models import MarketEntity


class ClueSource(models.TextChoices):
    """案件来源."""

    INSPECTION = "inspection", _("监督检查")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    TRANSFER = "transfer", _("移送")
    ASSIGNMENT = "assignment", _("上级交办")
    MONITORING = "monitoring", _("数据监测")


class ClueStatus(models.TextChoices):
    OPEN = "open", _("待核查")
    FILED = "filed", _("已立案")
    NOT_FILED = "not_filed", _("不予立案")


class Clue(TimeStamped):
    number = models.CharField(_("线索编号"), max_length=20, unique=True)
    source = models.CharField(_("案件来源"), max_length=12, choices=ClueSource.choices)
    source_ref = models.CharField(_("来源编号"), max_length=50)
    department = models.ForeignKey(Department, verbose_name=_("承办部门"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    entity = models.ForeignKey(MarketEntity, verbose_name=_("当事人"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    party_name = models.CharField(_("当事人名称"), max_length=200)
    summary = models.TextField(_("线索内容"))
    received_on = models.DateField(_("发现或收到日期"))
    check_due = models.DateField(_("核查期限"))
    status = models.CharField(_("状态"), max_length=10, choices=ClueStatus.choices, default=ClueStatus.OPEN)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("案件线索")
        verbose_name_plural = _("案件线索")
        ordering = ["-received_on"]
        indexes = [models.Index(fields=["entity", "received_on"])]
        constraints = [models.UniqueConstraint(fields=["source", "source_ref"], name="clue_source_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.party_name}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id
