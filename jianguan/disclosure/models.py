"""Disclosure items (公示事项, ADR 0047): one per decision made on the platform or received through the exchange
(行政处罚, 行政许可, 行政检查 results, 行政强制), with the fields that may be published, the clock by which it must be
published, the rule that keeps it unpublished, its publicity period and the steps taken on it.

The item holds a copy of the publishable fields (`fields`, in the 双公示 standard's names where one exists); the
decision in the behaviour library is never changed by disclosure."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Department, Region, User
from jianguan.core.models import TimeStamped
from jianguan.core.scoping import ScopedQuerySet
from jianguan.subjects.models import MarketEntity


class SourceKind(models.TextChoices):
    PENALTY = "penalty", _("行政处罚")
    LICENCE = "licence", _("行政许可")
    INSPECTION = "inspection", _("行政检查")
    COERCION = "coercion", _("行政强制")


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("待公示")
    PREPARED = "prepared", _("待审核")
    PUBLISHED = "published", _("已公示")
    WITHDRAWN = "withdrawn", _("已撤回")
    EXPIRED = "expired", _("已届满")
    ENDED = "ended", _("提前终止")
    WITHHELD = "withheld", _("不予公示")


class WithheldRule(models.TextChoices):
    """Why an item is not published (disclosure-credit.md §4–§5)."""

    MINOR = "minor", _("当事人为未成年人")
    SECRETS = "secrets", _("涉及国家秘密、商业秘密或者个人隐私")
    UNSUITABLE = "unsuitable", _("经审核认定不宜公开")
    WARNING_ONLY = "warning_only", _("仅受警告处罚（市场监管）")
    SIMPLE_PROCEDURE = "simple_procedure", _("适用简易程序（市场监管）")


class ItemQuerySet(ScopedQuerySet):
    pass


class DisclosureItem(TimeStamped):
    """公示事项: a decision to be published by its department (谁执法谁公示)."""

    number = models.CharField(_("公示编号"), max_length=20, unique=True)
    record_id = models.UUIDField(_("公示记录唯一标识"), unique=True, default=uuid.uuid4)
    source_kind = models.CharField(_("决定类别"), max_length=12, choices=SourceKind.choices)
    source_id = models.PositiveBigIntegerField(_("决定记录"))
    source_record_id = models.CharField(_("决定记录唯一标识"), max_length=64)
    # The version of the received record the item was made or last updated from (行政许可 through the exchange,
    # ADR 0062); decisions of the behaviour library keep 1.
    source_version = models.PositiveIntegerField(_("决定记录版本"), default=1)
    # The day a received record changed the fields of a published item: shown for review until a reviewer confirms.
    source_changed_on = models.DateField(_("决定记录更新日期"), null=True, blank=True)
    department = models.ForeignKey(Department, verbose_name=_("公示部门"), on_delete=models.PROTECT,
                                   related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+")
    entity = models.ForeignKey(MarketEntity, verbose_name=_("市场主体"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    party_name = models.CharField(_("行政相对人名称"), max_length=200)
    decision_number = models.CharField(_("决定文书号"), max_length=100)
    decided_on = models.DateField(_("决定日期"))
    fields = models.JSONField(_("公示内容（原文）"), default=dict)
    # The copy that is published: `fields` with the masks applied (ADR 0047); the original is never published.
    redacted = models.JSONField(_("公示内容（脱敏后）"), default=dict)
    masks = models.JSONField(_("脱敏标记"), default=list)
    # The natural persons the decision's records name (the case's person list, `persons.py`): hidden in free text,
    # all but the party.
    persons = models.JSONField(_("涉及的自然人"), default=list)
    # A reviewer's changes to the masks found by the rules, each with its reason: masks added (rule `manual`) and
    # spans removed ([field, start, end, reason]); the copy is made again from the original with them.
    masks_added = models.JSONField(_("手工隐去"), default=list)
    masks_removed = models.JSONField(_("取消隐去"), default=list)
    clock_days = models.PositiveSmallIntegerField(_("公示时限（工作日）"))
    clock_basis = models.CharField(_("时限依据"), max_length=200)
    due_on = models.DateField(_("应公示日期"))
    status = models.CharField(_("状态"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    withheld_rule = models.CharField(_("不予公示情形"), max_length=20, choices=WithheldRule.choices, blank=True)
    withheld_basis = models.CharField(_("不予公示依据"), max_length=200, blank=True)
    withheld_reason = models.CharField(_("不予公示理由"), max_length=1000, blank=True)
    restriction_ends_on = models.DateField(_("限制措施届满日"), null=True, blank=True)
    prepared_by = models.ForeignKey(User, verbose_name=_("经办人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    prepared_at = models.DateTimeField(_("提交审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(User, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    period_label = models.CharField(_("公示期限"), max_length=40, blank=True)
    period_ends_on = models.DateField(_("公示截止日期"), null=True, blank=True)
    changed_on = models.DateField(_("决定变更、撤销或确认违法日期"), null=True, blank=True)
    withdraw_due = models.DateField(_("应撤回日期"), null=True, blank=True)
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回原因"), max_length=1000, blank=True)
    ended_on = models.DateField(_("停止公示日期"), null=True, blank=True)
    end_reason = models.CharField(_("停止公示原因"), max_length=200, blank=True)

    objects = ItemQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("公示事项")
        verbose_name_plural = _("公示事项")
        constraints = [models.UniqueConstraint(fields=["source_kind", "source_id"], name="disclosure_one_per_source")]
        # The public search's filters, each with the order of the list (newest first, then the key), so that a
        # page is read in order from one index (ADR 0052).
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["department", "decided_on"]),
                   models.Index(fields=["status", "published_on"]),
                   models.Index(fields=["published_on", "id"], name="disclosure_public_order"),
                   models.Index(fields=["source_kind", "published_on", "id"], name="disclosure_public_kind"),
                   models.Index(fields=["department", "published_on", "id"], name="disclosure_public_department"),
                   models.Index(fields=["region", "published_on", "id"], name="disclosure_public_region"),
                   models.Index(fields=["entity", "published_on", "id"], name="disclosure_public_entity")]

    def __str__(self) -> str:
        return f"{self.number} {self.decision_number}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class DisclosureStep(models.Model):
    """One step taken on an item (the edge's action, from, to, who, why); never changed."""

    item = models.ForeignKey(DisclosureItem, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(_("操作"), max_length=20)
    old = models.CharField(_("原状态"), max_length=12, blank=True)
    new = models.CharField(_("新状态"), max_length=12)
    actor = models.ForeignKey(User, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_label = models.CharField(_("操作方"), max_length=100)
    note = models.CharField(_("说明"), max_length=1000, blank=True)
    citation = models.CharField(_("依据"), max_length=200, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公示事项办理记录")
        verbose_name_plural = _("公示事项办理记录")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.old} → {self.new}"


class PublishedPdf(models.Model):
    """The published PDF of an item (公示文书): laid out at release from the published copy only, its metadata
    empty, read back and refused if any masked value can still be read (`pdfs.py`); served on the public page."""

    item = models.OneToOneField(DisclosureItem, verbose_name=_("公示事项"), on_delete=models.PROTECT,
                                related_name="pdf")
    data = models.BinaryField(_("文件内容"))
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    made_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公示文书（PDF）")
        verbose_name_plural = _("公示文书（PDF）")

    def __str__(self) -> str:
        return f"{self.item_id} {self.sha256[:12]}"
class SearchTerm(models.Model):
    """A trigram of a public item's party name or decision number (casefolded, each text ended by `search.END`),
    with the item's publication day so that one term's items are read newest first (ADR 0052). Kept by
    `search.terms_sync` in the transaction that publishes, withdraws or ends the item. A row left behind can only
    slow a search: every candidate is checked against the item itself."""

    pk = models.CompositePrimaryKey("term", "published_on", "item")
    term = models.CharField(_("检索词"), max_length=3)
    published_on = models.DateField(_("公示日期"))
    # No index of its own (the key starts with the term) and no constraint: items are never deleted.
    item = models.ForeignKey(DisclosureItem, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
                             related_name="search_terms")

    class Meta:
        verbose_name = _("公示检索词")
        verbose_name_plural = _("公示检索词")

    def __str__(self) -> str:
        return self.term


class SearchTermCount(models.Model):
    """How many public items hold a term (the row of the empty term: how many items are public); `head`, the
    term's first two characters, finds the terms a two-character search covers. A search starts from its rarest
    term."""

    term = models.CharField(_("检索词"), max_length=3, primary_key=True)
    head = models.CharField(_("前两字"), max_length=2, db_index=True)
    items = models.IntegerField(_("公示事项数"))

    class Meta:
        verbose_name = _("公示检索词频")
        verbose_name_plural = _("公示检索词频")

    def __str__(self) -> str:
        return f"{self.term} {self.items}"
