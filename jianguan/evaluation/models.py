"""部门考核 (department evaluation, ADR 0063): the scoring schemes as versions, a month's evaluation and its scores.

A scheme is data (`schemes/*.json`, checked by `scheme.py`), stored once per version and never changed. An
evaluation of a month is computed from the apps' measures (`core.measures`) under the scheme in force on the
month's first day; computing the month again makes a new evaluation and the newest is shown, so every figure
published stays traceable to the inputs and the scheme it was computed from."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Department, Region
from jianguan.core.scoping import ScopedQuerySet


class Scheme(models.Model):
    version = models.CharField(_("方案版本"), max_length=40, unique=True)
    title = models.CharField(_("方案名称"), max_length=200)
    effective_from = models.DateField(_("施行日期"))
    total = models.PositiveSmallIntegerField(_("满分"))
    weights = models.JSONField(_("指标与权重"))
    digest = models.CharField(_("内容摘要（SHA-256）"), max_length=64)
    loaded_at = models.DateTimeField(_("载入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-effective_from", "-pk"]

    def __str__(self) -> str:
        return f"{self.title}（{self.version}）"


class Evaluation(models.Model):
    month = models.CharField(_("考核月份"), max_length=7)
    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(_("计算时间"), auto_now_add=True)
    computed_by = models.CharField(_("计算人"), max_length=100)
    departments = models.PositiveIntegerField(_("参评部门数"), default=0)

    class Meta:
        verbose_name = _("月度考核")
        verbose_name_plural = _("月度考核")
        indexes = [models.Index(fields=["month", "-computed_at"])]

    def __str__(self) -> str:
        return f"{self.month} {self.scheme.version}"


class Level(models.TextChoices):
    DEPARTMENT = "department", _("部门")
    REGION = "region", _("区划")


class Score(models.Model):
    """One department's score of the month, or a region's (its departments' counts together); `inputs` holds each
    measure's counts, rate, weight and points, the figures behind the score."""

    evaluation = models.ForeignKey(Evaluation, verbose_name=_("月度考核"), on_delete=models.CASCADE,
                                   related_name="scores")
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    department = models.ForeignKey(Department, verbose_name=_("部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(_("得分"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    inputs = models.JSONField(_("指标明细"), default=list)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("考核得分")
        verbose_name_plural = _("考核得分")
        indexes = [models.Index(fields=["evaluation", "level", "rank"])]

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.department_id or self.region_id} {self.score}"
