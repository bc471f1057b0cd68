"""领导驾驶舱 (the leaders' dashboard, ADR 0066): the figures behind its charts, kept by the platform.

A refresh counts every app's tallies (`core.tallies`) once for all regions and departments and stores them here per
county-level region (records of a township counted under its county; the city's own under the city) × department
× month × key; the dashboard reads only these rows, summed in the reader's scope. A refresh replaces the rows of
the previous one and is recorded in `Refresh`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Department, Region


class Refresh(models.Model):
    computed_at = models.DateTimeField(_("计算时间"), auto_now_add=True)
    computed_by = models.CharField(_("计算人"), max_length=100)
    first_month = models.CharField(_("起始月份"), max_length=7)
    last_month = models.CharField(_("截止月份"), max_length=7)
    rows = models.PositiveIntegerField(_("数据行数"), default=0)

    class Meta:
        verbose_name = _("驾驶舱数据刷新")
        verbose_name_plural = _("驾驶舱数据刷新")
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.first_month}–{self.last_month} {self.computed_at:%Y-%m-%d %H:%M}"


class Figure(models.Model):
    chart = models.CharField(_("图表"), max_length=20)
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+",
                               db_constraint=False)
    department = models.ForeignKey(Department, verbose_name=_("部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+", db_constraint=False)
    month = models.CharField(_("月份"), max_length=7, blank=True)
    key = models.CharField(_("分项"), max_length=40)
    value = models.PositiveIntegerField(_("数量"))

    class Meta:
        verbose_name = _("驾驶舱数据")
        verbose_name_plural = _("驾驶舱数据")
        indexes = [models.Index(fields=["region", "chart"])]

    def __str__(self) -> str:
        return f"{self.chart} {self.region_id} {self.month} {self.key} {self.value}"
