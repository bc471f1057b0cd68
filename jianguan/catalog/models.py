"""The one list: the supervision item catalog, the implementation lists, their versions and their changes.

Shape:
- `CatalogItem` is the identity of a 主项 or 子项 (its 14-digit code, its line); `CatalogVersion` rows hold what
  the item says, one row per published version, never edited. The same pair for the 检查实施清单:
  `Implementation` (which body carries out which 子项 at which level, its 实施清单编码) and
  `ImplementationVersion`.
- A version is in force on day D when it is published, `effective_from <= D`, D is before `superseded_on`
  (the day the next version took effect) and before `cancel_on`, and its status is 在用.
- Every change is a `ChangeRequest` (submit → review → publish); publishing (`Publication`) turns approved
  changes into versions, so history, diffs and as-of reads come from the version rows.
- Fusion: `SpotCheckItem` (随机抽查事项清单) and `PowerItem` (权力清单) rows link to 子项.
- Mapping a department's own list: `MappingImport` → `MappingRow` → `MappingCandidate`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.core.models import TimeStamped
from jianguan.core.scoping import ScopedQuerySet


class ActionType(models.TextChoices):
    """行政类型; `EXCHANGE_CODES` gives the exchange table's digit."""

    CHECK = "check", _("行政检查")
    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    OTHER = "other", _("其他")


ACTION_EXCHANGE_CODES = {"check": "0", "penalty": "1", "coercion": "2", "other": "3"}


class ItemStatus(models.TextChoices):
    """操作状态: 取消 ends a row for good, 停用 suspends it and can be reversed ([unconfirmed] reading)."""

    IN_USE = "in_use", _("在用")
    CANCELLED = "cancelled", _("取消")
    SUSPENDED = "suspended", _("停用")


ITEM_STATUS_EXCHANGE_CODES = {"in_use": "0", "cancelled": "1", "suspended": "2"}


class ExerciseLevel(models.IntegerChoices):
    """行使层级 ([practice]; the digit-to-level mapping is [unconfirmed])."""

    NATIONAL = 1, _("国家级")
    PROVINCE = 2, _("省级")
    CITY = 3, _("市级")
    COUNTY = 4, _("县级")
    TOWNSHIP = 5, _("乡镇/街道级")


class Law(models.Model):
    """A law or regulation cited as 设定依据."""

    key = models.CharField(_("简称"), max_length=60, unique=True)
    title = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类别"), max_length=20, blank=True)
    version = models.CharField(_("版本"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("法律法规")
        verbose_name_plural = _("法律法规")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title


class CatalogItem(models.Model):
    """The identity of a 主项 (no parent) or 子项: its 14-digit code never changes."""

    code = models.CharField(_("目录编码"), max_length=14, unique=True)
    parent = models.ForeignKey("self", verbose_name=_("主项"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    line = models.CharField(_("监管部门（条线）"), max_length=20, choices=DepartmentKind.choices, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("监管事项")
        verbose_name_plural = _("监管事项")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def is_sub_item(self) -> bool:
        return self.parent_id is not None


class VersionQuerySet(models.QuerySet):
    def in_force(self, day) -> VersionQuerySet:
        """Versions in force on `day` (published, started, not superseded, not cancelled, 在用)."""
        return self.filter(
            Q(superseded_on__isnull=True) | Q(superseded_on__gt=day),
            Q(cancel_on__isnull=True) | Q(cancel_on__gt=day),
            published_at__isnull=False, effective_from__lte=day, status=ItemStatus.IN_USE,
        )

    def current_on(self, day) -> VersionQuerySet:
        """The version of each identity that applies on `day`, whatever its status (published only)."""
        return self.filter(Q(superseded_on__isnull=True) | Q(superseded_on__gt=day), published_at__isnull=False,
                           effective_from__lte=day)


class VersionFields(models.Model):
    """What every published version carries."""

    version = models.PositiveIntegerField(_("版本号"))
    version_id = models.CharField(_("版本ID"), max_length=14)  # yyyyMMddHHmmss of publication [unconfirmed]
    status = models.CharField(_("操作状态"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.IN_USE)
    effective_from = models.DateField(_("计划生效日期"))
    cancel_on = models.DateField(_("计划取消日期"), null=True, blank=True)
    superseded_on = models.DateField(_("被新版本替代日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    change = models.ForeignKey("ChangeRequest", verbose_name=_("变更申请"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")

    objects = VersionQuerySet.as_manager()

    class Meta:
        abstract = True


class CatalogVersion(VersionFields):
    item = models.ForeignKey(CatalogItem, on_delete=models.PROTECT, related_name="versions")
    # The item's code and kind, copied from the identity (which never changes) so that lists and searches
    # filter and order without a join.
    code = models.CharField(_("目录编码"), max_length=14, db_index=True)
    is_sub_item = models.BooleanField(_("是否子项"), default=True)
    name = models.CharField(_("事项名称"), max_length=200)
    action_type = models.CharField(_("行政类型"), max_length=10, choices=ActionType.choices, blank=True)
    supervised_object = models.TextField(_("监管对象"), blank=True)
    supervision_method = models.TextField(_("监管方式"), blank=True)
    supervision_process = models.TextField(_("监管流程"), blank=True)
    supervision_result = models.TextField(_("监管结果"), blank=True)
    levels = models.JSONField(_("监管层级"), default=list)

    class Meta:
        verbose_name = _("监管事项版本")
        verbose_name_plural = _("监管事项版本")
        ordering = ["code", "version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="catalog_version_unique"),
            models.CheckConstraint(condition=Q(cancel_on__isnull=True) | Q(cancel_on__gt=models.F("effective_from")),
                                   name="catalog_version_dates_ordered"),
        ]
        indexes = [models.Index(fields=["effective_from", "superseded_on"]),
                   models.Index(fields=["is_sub_item", "code"])]

    def __str__(self) -> str:
        return f"{self.item.code} v{self.version} {self.name}"


class LegalReference(models.Model):
    """One 设定依据 of a catalog version: law, article, clause and the text."""

    version = models.ForeignKey(CatalogVersion, on_delete=models.CASCADE, related_name="basis")
    law = models.ForeignKey(Law, verbose_name=_("法律法规"), on_delete=models.PROTECT, related_name="+")
    article = models.CharField(_("条"), max_length=30)
    clause = models.CharField(_("款/项"), max_length=30, blank=True)
    text = models.TextField(_("条文"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("设定依据")
        ordering = ["position"]

    def __str__(self) -> str:
        return f"《{self.law.title}》{self.article}{self.clause}"


class Implementation(models.Model):
    """Which body carries out which 子项 at which level; identified by its 实施清单编码."""

    code = models.TextField(_("实施清单编码"), unique=True)
    item = models.ForeignKey(CatalogItem, verbose_name=_("检查子项"), on_delete=models.PROTECT,
                             related_name="implementations")
    body = models.ForeignKey(Department, verbose_name=_("实施主体"), on_delete=models.PROTECT,
                             related_name="implementations")
    level = models.PositiveSmallIntegerField(_("行使层级"), choices=ExerciseLevel.choices)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查实施清单")
        verbose_name_plural = _("检查实施清单")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["item", "body", "level"], name="implementation_unique")]

    def __str__(self) -> str:
        return self.code


class ImplementationVersion(VersionFields):
    implementation = models.ForeignKey(Implementation, on_delete=models.PROTECT, related_name="versions")
    delegated_by = models.ForeignKey(Department, verbose_name=_("委托部门"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    check_category = models.CharField(_("检查类别"), max_length=10, default="现场检查")
    check_method = models.CharField(_("检查方式"), max_length=60, blank=True)
    in_random_checks = models.BooleanField(_("是否纳入双随机"), default=False)
    check_ratio = models.CharField(_("检查比例"), max_length=100, blank=True)
    check_frequency = models.CharField(_("检查频次"), max_length=100, blank=True)
    # 检查频次 read from the published text (`frequency.parse_frequency`): the period and the least checks in it.
    frequency_period = models.CharField(_("检查频次周期"), max_length=10, blank=True,
                                        choices=[("year", _("每年")), ("half_year", _("每半年")),
                                                 ("quarter", _("每季度")), ("month", _("每月"))])
    frequency_min_times = models.PositiveSmallIntegerField(_("每周期最少检查次数"), null=True, blank=True)
    content_routine = models.TextField(_("检查内容（日常）"), blank=True)
    content_special = models.TextField(_("检查内容（专项）"), blank=True)
    sampling = models.BooleanField(_("是否抽检"), default=False)
    sampling_content = models.TextField(_("监督抽检内容"), blank=True)
    cooperative = models.BooleanField(_("是否协同"), default=False)
    cooperating_bodies = models.ManyToManyField(Department, verbose_name=_("协同相关机构"), blank=True,
                                                related_name="+")

    class Meta:
        verbose_name = _("检查实施清单版本")
        verbose_name_plural = _("检查实施清单版本")
        ordering = ["implementation__code", "version"]
        constraints = [
            models.UniqueConstraint(fields=["implementation", "version"], name="implementation_version_unique"),
            models.CheckConstraint(condition=Q(cancel_on__isnull=True) | Q(cancel_on__gt=models.F("effective_from")),
                                   name="implementation_version_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.implementation.code} v{self.version}"


class ChangeKind(models.TextChoices):
    ITEM_ADD = "item_add", _("新增事项")
    ITEM_MODIFY = "item_modify", _("修改事项")
    ITEM_SPLIT = "item_split", _("拆分事项")
    ITEM_MERGE = "item_merge", _("合并事项")
    ITEM_CANCEL = "item_cancel", _("取消事项")
    ITEM_SUSPEND = "item_suspend", _("停用事项")
    ITEM_RESUME = "item_resume", _("恢复事项")
    CLAIM = "claim", _("认领（新增实施清单）")
    IMPL_MODIFY = "impl_modify", _("修改实施清单")
    IMPL_CANCEL = "impl_cancel", _("取消实施清单")
    IMPL_SUSPEND = "impl_suspend", _("停用实施清单")


class ChangeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已审核待发布")
    REJECTED = "rejected", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")
    PUBLISHED = "published", _("已发布")


class ChangeQuerySet(ScopedQuerySet):
    pass


class ChangeRequest(TimeStamped):
    """One proposed change of the list (动态调整), from submission to publication."""

    kind = models.CharField(_("变更类型"), max_length=20, choices=ChangeKind.choices)
    status = models.CharField(_("状态"), max_length=12, choices=ChangeStatus.choices, default=ChangeStatus.DRAFT)
    department = models.ForeignKey(Department, verbose_name=_("申请部门"), on_delete=models.PROTECT,
                                   related_name="catalog_changes")
    region = models.ForeignKey("accounts.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    payload = models.JSONField(_("变更内容"))
    reason = models.TextField(_("变更理由"), blank=True)
    submitted_by = models.ForeignKey("accounts.User", verbose_name=_("申请人"), null=True, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey("accounts.User", verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    publication = models.ForeignKey("Publication", verbose_name=_("发布批次"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="changes")

    objects = ChangeQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("清单变更申请")
        verbose_name_plural = _("清单变更申请")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "department"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class ChangeStep(models.Model):
    """A transition of a change request (who moved it, from what to what, why)."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="steps")
    old = models.CharField(max_length=12, choices=ChangeStatus.choices)
    new = models.CharField(max_length=12, choices=ChangeStatus.choices)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"


class Publication(models.Model):
    """A published version of the city's list, with its changelog and a digest of what it contains."""

    number = models.CharField(_("版本号"), max_length=20, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    changelog = models.TextField(_("变更说明"))
    published_by = models.ForeignKey("accounts.User", verbose_name=_("发布人"), on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField(_("发布时间"))
    effective_on = models.DateField(_("生效日期"))
    item_count = models.PositiveIntegerField(_("在用子项数"), default=0)
    implementation_count = models.PositiveIntegerField(_("在用实施清单数"), default=0)
    digest = models.CharField(_("清单摘要"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("清单发布")
        verbose_name_plural = _("清单发布")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class SpotCheckCategory(models.TextChoices):
    GENERAL = "general", _("一般检查事项")
    KEY = "key", _("重点检查事项")


class SpotCheckItem(TimeStamped):
    """A row of a 随机抽查事项清单 (its published columns), linked to the 子项 it rests on."""

    line = models.CharField(_("条线"), max_length=20, choices=DepartmentKind.choices)
    category = models.CharField(_("事项类别"), max_length=10, choices=SpotCheckCategory.choices)
    name = models.CharField(_("检查事项"), max_length=200)
    basis = models.TextField(_("检查依据"))
    supervised_object = models.TextField(_("检查对象"), blank=True)
    ratio = models.CharField(_("抽查比例"), max_length=100, blank=True)
    frequency = models.CharField(_("抽查频次"), max_length=100, blank=True)
    method = models.CharField(_("检查方式"), max_length=100, blank=True)
    items = models.ManyToManyField(CatalogItem, verbose_name=_("对应子项"), blank=True, related_name="spot_checks")

    class Meta:
        verbose_name = _("随机抽查事项")
        verbose_name_plural = _("随机抽查事项清单")
        ordering = ["line", "name"]

    def __str__(self) -> str:
        return self.name


class PowerType(models.TextChoices):
    CHECK = "check", _("行政检查")
    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")


class PowerItem(TimeStamped):
    """A 行政检查/处罚/强制 row of the 行政权力清单 (权责清单), linked to 子项 of the same legal basis."""

    line = models.CharField(_("条线"), max_length=20, choices=DepartmentKind.choices)
    power_type = models.CharField(_("职权类型"), max_length=10, choices=PowerType.choices)
    name = models.CharField(_("职权名称"), max_length=300)
    basis = models.TextField(_("实施依据"))
    items = models.ManyToManyField(CatalogItem, verbose_name=_("对应子项"), blank=True, related_name="powers")

    class Meta:
        verbose_name = _("权力事项")
        verbose_name_plural = _("行政权力清单")
        ordering = ["line", "power_type", "name"]

    def __str__(self) -> str:
        return self.name


class Guidance(TimeStamped):
    """A note from a guiding department to one it guides about a 子项 (e.g. a claim that is missing)."""

    from_department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    to_department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="catalog_guidance")
    item = models.ForeignKey(CatalogItem, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("指导意见"))
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("认领指导")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.from_department} → {self.to_department}: {self.item}"


class SearchTerm(models.Model):
    """A segmented word of a catalog version's name or basis: the keyword index (works on SQLite and PostgreSQL,
    and for one- and two-character Chinese words, which trigram indexes miss).

    Each posting repeats its version's validity, so that "how many 子项 in force on a day contain this word" is
    answered from the index alone; `superseded_on` is updated with the version's when a newer one takes over.
    """

    term = models.CharField(max_length=40)
    version = models.ForeignKey(CatalogVersion, on_delete=models.CASCADE, related_name="+")
    is_sub_item = models.BooleanField(default=True)
    status = models.CharField(max_length=12, choices=ItemStatus.choices)
    effective_from = models.DateField()
    superseded_on = models.DateField(null=True, blank=True)
    cancel_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["term", "is_sub_item", "status", "effective_from", "superseded_on",
                                        "cancel_on", "version"], name="search_term_in_force")]
        constraints = [models.UniqueConstraint(fields=["term", "version"], name="search_term_unique")]

    def __str__(self) -> str:
        return self.term


class MappingImport(TimeStamped):
    """A department's own item list, imported to be mapped onto the catalog. The uploaded file is kept."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("文件名"), max_length=200)
    raw = models.BinaryField(_("原始文件"))
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("自建事项清单导入")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


class MappingDecision(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("无对应事项")


class MappingRow(models.Model):
    mapping = models.ForeignKey(MappingImport, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("行号"))
    name = models.CharField(_("事项名称"), max_length=300)
    action_type = models.CharField(_("行政类型"), max_length=10, blank=True)
    basis = models.TextField(_("依据"))
    decision = models.CharField(_("结论"), max_length=10, choices=MappingDecision.choices,
                                default=MappingDecision.PENDING)
    confirmed_item = models.ForeignKey(CatalogItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["row_number"]

    def __str__(self) -> str:
        return f"{self.row_number} {self.name}"


class MappingCandidate(models.Model):
    row = models.ForeignKey(MappingRow, on_delete=models.CASCADE, related_name="candidates")
    item = models.ForeignKey(CatalogItem, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.DecimalField(max_digits=5, decimal_places=3)
    evidence = models.JSONField(default=dict)

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.row_id}#{self.rank} {self.item_id}"

