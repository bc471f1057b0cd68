"""The case library (案例库, ADR 0061): entries made from closed cases by the sweep, and typical cases (典型案例)
entered by hand and reviewed by another person; the trigrams of each entry's texts for the search."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Department, Region, User
from jianguan.core.models import TimeStamped
from jianguan.core.scoping import ScopedQuerySet


class EntryKind(models.TextChoices):
    CASE = "case", _("办结案件")
    TYPICAL = "typical", _("典型案例")


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEW = "review", _("待审核")
    PUBLISHED = "published", _("已入库")


class Copy(models.TextChoices):
    """Where an entry's texts come from: the published copy of the decision (disclosure), the case's texts with
    names hidden (not published: kept internal), or written by hand."""

    PUBLISHED = "published", _("公示文本")
    REDACTED = "redacted", _("隐去姓名（仅内部）")
    WRITTEN = "written", _("人工编写")


class Entry(TimeStamped):
    """One library entry. Texts are never the case's originals: the published copy, or the case's texts redacted."""

    kind = models.CharField(_("类别"), max_length=10, choices=EntryKind.choices)
    status = models.CharField(_("状态"), max_length=10, choices=EntryStatus.choices)
    case_number = models.CharField(_("案件编号"), max_length=30, blank=True)
    department = models.ForeignKey(Department, verbose_name=_("办案部门"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("标题"), max_length=200)
    party = models.CharField(_("当事人（已隐去）"), max_length=200, blank=True)
    facts = models.TextField(_("违法事实"), blank=True)
    violation = models.CharField(_("违法行为类型"), max_length=200, blank=True)
    catalog_code = models.CharField(_("监管事项目录编码"), max_length=14, blank=True)
    implementation_code = models.TextField(_("检查实施清单编码"), blank=True)
    article = models.CharField(_("处罚依据条款"), max_length=300, blank=True)
    basis = models.TextField(_("处罚依据"), blank=True)
    circumstances = models.JSONField(_("裁量情节"), default=list, blank=True)
    band = models.CharField(_("裁量幅度"), max_length=10, blank=True)
    outcome = models.CharField(_("处理结果"), max_length=200, blank=True)
    fine = models.DecimalField(_("罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    confiscation = models.DecimalField(_("没收违法所得（元）"), max_digits=14, decimal_places=2, null=True,
                                       blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    copy = models.CharField(_("文本来源"), max_length=10, choices=Copy.choices)
    internal_only = models.BooleanField(_("仅内部可见"), default=True)
    author = models.ForeignKey(User, verbose_name=_("编写人"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    reviewer = models.ForeignKey(User, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    review_opinion = models.CharField(_("审核意见"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("案例")
        verbose_name_plural = _("案例")
        ordering = ["-decided_on", "-pk"]
        # casebook_similar serves "similar cases": one violation (item and article) in one band, by fine, so the
        # count, the quartiles (an offset each) and the histogram's buckets (a range count each) read the index.
        indexes = [models.Index(fields=["catalog_code", "article", "band", "status", "fine"], name="casebook_similar"),
                   models.Index(fields=["department", "region", "decided_on", "id"], name="casebook_scope_recent"),
                   # the list and the search, newest first, over many departments: read in order, stop at a page
                   models.Index(fields=["decided_on", "id"], name="casebook_recent")]
        constraints = [models.UniqueConstraint(fields=["case_number"], condition=~models.Q(case_number=""),
                                               name="casebook_one_entry_per_case")]

    def __str__(self) -> str:
        return self.title

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class EntryTerm(models.Model):
    """A trigram of an entry's title, violation type, article and party (`core.trigrams`)."""

    term = models.CharField(max_length=3)
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "entry"], name="casebook_term_entry")]
        indexes = [models.Index(fields=["entry"], name="casebook_term_by_entry")]

    def __str__(self) -> str:
        return self.term
