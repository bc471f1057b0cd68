"""知识库 (ADR 0059): laws, regulations, rules and normative documents as structured text.

A `Law` is the document (title, issuing body, level); each `LawVersion` is its text in force from one date (the
versions of one law never overlap); a `Provision` is one 章/节/条/款/项 of a version, addressed by a stable id
(`<law>/a33/p1/i2`) that is the same in every version, so a citation resolves against the version in force on the
date of the act. `ArticleTerm` holds the trigrams of each 条 for the search; `Citation` is the index of who cites
which provision, filled by the sweep from the apps that register sources (`core.registry.citing_sources`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jianguan.core.scoping import ScopedQuerySet


class Level(models.TextChoices):
    LAW = "law", _("法律")
    ADMINISTRATIVE = "administrative", _("行政法规")
    DEPARTMENTAL = "departmental", _("部门规章")
    LOCAL = "local", _("地方性法规")
    NORMATIVE = "normative", _("规范性文件")


class TextStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已核对")
    UNVERIFIED = "unverified", _("待核对")


class Kind(models.TextChoices):
    CHAPTER = "chapter", _("章")
    SECTION = "section", _("节")
    ARTICLE = "article", _("条")
    PARAGRAPH = "paragraph", _("款")
    ITEM = "item", _("项")


class Law(models.Model):
    slug = models.SlugField(_("标识"), max_length=60, unique=True)
    title = models.CharField(_("名称"), max_length=200)
    short_title = models.CharField(_("简称"), max_length=100, blank=True)
    issuer = models.CharField(_("制定机关"), max_length=100)
    level = models.CharField(_("效力层级"), max_length=20, choices=Level.choices)
    imported_at = models.DateTimeField(_("导入时间"), auto_now=True)

    class Meta:
        verbose_name = _("法律法规")
        verbose_name_plural = _("法律法规")
        ordering = ["level", "title"]

    def __str__(self) -> str:
        return self.title


class LawVersion(models.Model):
    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="versions")
    label = models.CharField(_("版本"), max_length=60)
    number = models.CharField(_("文号"), max_length=100, blank=True)
    issued_on = models.DateField(_("公布日期"))
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)  # the day after the last in force
    repealed = models.BooleanField(_("已废止"), default=False)
    status = models.CharField(_("核对状态"), max_length=12, choices=TextStatus.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("法律法规版本")
        ordering = ["law", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["law", "effective_from"], name="laws_version_start_unique"),
            models.CheckConstraint(condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F(
                "effective_from")), name="laws_version_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.law.title}（{self.label}）"


class Provision(models.Model):
    version = models.ForeignKey(LawVersion, on_delete=models.CASCADE, related_name="provisions")
    pid = models.CharField(_("条文标识"), max_length=120)
    kind = models.CharField(_("层级"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("序号"), max_length=40)  # 第三十三条, 第一款, （二）
    heading = models.CharField(_("标题"), max_length=200, blank=True)  # a chapter's or section's title
    text = models.TextField(_("条文"), blank=True)
    status = models.CharField(_("核对状态"), max_length=12, choices=TextStatus.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    position = models.PositiveIntegerField(_("顺序"))
    search_text = models.TextField(blank=True)  # an article's law title, number, label and whole text, casefolded

    class Meta:
        verbose_name = _("条文")
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "pid"], name="laws_provision_pid_unique")]
        indexes = [models.Index(fields=["pid"]), models.Index(fields=["kind", "version", "position"])]

    def __str__(self) -> str:
        return self.pid


class ArticleTerm(models.Model):
    """A trigram of an article's search text (ADR 0059, the approach of ADR 0052)."""

    term = models.CharField(max_length=3)
    article = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "article"], name="laws_term_unique")]

    def __str__(self) -> str:
        return self.term


class TermCount(models.Model):
    term = models.CharField(max_length=3, primary_key=True)
    articles = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.term} {self.articles}"


class Citation(models.Model):
    """One place that cites a provision: a catalog row's 设定依据, a case's 处罚依据, a risk rule. Rows of a
    department's records carry it (and its region) and are read in scope; shared rows (catalog, risk) carry none."""

    pid = models.CharField(_("条文标识"), max_length=120, db_index=True)
    source = models.CharField(_("来源"), max_length=40)
    key = models.CharField(_("来源标识"), max_length=120)
    label = models.CharField(_("名称"), max_length=300)
    url = models.CharField(_("链接"), max_length=300)
    text = models.CharField(_("引用原文"), max_length=500)
    department_id = models.BigIntegerField(null=True, blank=True)
    region_code = models.CharField(max_length=12, blank=True)
    swept_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_code"

    class Meta:
        verbose_name = _("引用")
        constraints = [models.UniqueConstraint(fields=["pid", "source", "key"], name="laws_citation_unique")]

    def __str__(self) -> str:
        return f"{self.label} → {self.pid}"

    @staticmethod
    def extra_visibility(scope: object) -> Q:
        """Shared rows (the catalog's, the risk models') are read by everyone signed in."""
        return Q(department_id__isnull=True)
