"""A version of a line's 行政处罚裁量权基准 as loaded from its file (`benchmarks/*.json`, checked by
`benchmark.parse`): never changed; a changed file is a new version (ADR 0060)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Benchmark(models.Model):
    """One loaded version. Benchmarks are published documents (国办发〔2022〕27号: 向社会公开), so every signed-in
    reader sees all of them; which one a case follows is chosen by its department's line and the day."""

    name = models.CharField(_("基准"), max_length=60)
    version = models.CharField(_("版本"), max_length=30)
    title = models.CharField(_("名称"), max_length=200)
    line = models.CharField(_("条线"), max_length=20)
    issued_by = models.CharField(_("制定机关"), max_length=200)
    effective_from = models.DateField(_("施行日期"))
    violations = models.PositiveIntegerField(_("违法行为数"))
    sha256 = models.CharField(_("内容摘要"), max_length=64)
    definition = models.JSONField(_("定义"))
    loaded_at = models.DateTimeField(_("载入时间"), auto_now_add=True)
    loaded_by = models.CharField(_("载入人"), max_length=100)

    class Meta:
        verbose_name = _("裁量基准")
        verbose_name_plural = _("裁量基准")
        ordering = ["line", "-effective_from", "-pk"]
        indexes = [models.Index(fields=["line", "effective_from"], name="discretion_line_from")]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="discretion_benchmark_version")]

    def __str__(self) -> str:
        return f"{self.name}-{self.version}"
