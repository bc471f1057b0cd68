"""Custom redaction rules as versioned rows: never edited in place, a change is a new version of the same code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import User


class RedactionRule(models.Model):
    """One version of an administrator's rule: every match of `pattern` in a published text is hidden as `kind`.
    The newest version of a code is the one in force; a version with `active` off retires the code. Rules are the
    platform's, not a department's: they apply to every publication."""

    code = models.SlugField(_("规则代码"), max_length=40)
    version = models.PositiveIntegerField(_("版本"))
    pattern = models.CharField(_("正则表达式"), max_length=500)
    kind = models.CharField(_("隐去类别"), max_length=20)
    description = models.CharField(_("说明"), max_length=300)
    active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(User, verbose_name=_("设定人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("设定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("隐去规则")
        verbose_name_plural = _("隐去规则")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="redaction_rule_version")]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"
