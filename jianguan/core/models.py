"""Shared model bases and the working-day calendar's admin-extendable table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class Intake(TimeStamped):
    """A batch received from outside (a file or an API call), kept exactly as received: nothing received is lost,
    whether its rows were stored or refused."""

    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    raw = models.BinaryField(_("原始内容"))
    rows = models.PositiveIntegerField(_("记录数"), default=0)
    imported_by = models.CharField(_("导入人"), max_length=200)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class CalendarDay(models.Model):
    """An administrator's statement about one date: a holiday or an adjusted working day (调休).

    Overrides the packaged Chinese holiday calendar, and is the only source for years the package does not know.
    """

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("说明"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'工作日' if self.is_working_day else '休息日'} {self.name}"


class NumberSequence(models.Model):
    """The last number taken in one numbering scope (a prefix such as 线索 `XS`) and period (a day `20261207`, a
    year `2026`): numbers are taken under this row's lock (`core.numbering`), never as the largest issued + 1."""

    scope = models.CharField(_("编号范围"), max_length=40)
    period = models.CharField(_("期间"), max_length=10)
    last = models.PositiveIntegerField(_("已取到"), default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")
        constraints = [models.UniqueConstraint(fields=["scope", "period"], name="number_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.scope}/{self.period}: {self.last}"
