"""Credit records about market entities, imported from their sources with source and date: the 经营异常名录,
the 严重违法失信名单, court enforcement and judgments, 行政处罚 and 行政许可 publicity, 抽检 results.
Classification (A–D) comes later and reads these."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Region
from jianguan.core.models import Intake, TimeStamped
from jianguan.core.scoping import ScopedQuerySet
from jianguan.subjects.models import MarketEntity


class CreditKind(models.TextChoices):
    ABNORMAL = "abnormal", _("经营异常名录")
    SERIOUS = "serious", _("严重违法失信名单")
    DISHONEST_DEBTOR = "dishonest_debtor", _("失信被执行人")
    JUDGMENT = "judgment", _("裁判文书")
    PENALTY_PUBLICITY = "penalty_publicity", _("行政处罚公示")
    LICENCE_PUBLICITY = "licence_publicity", _("行政许可公示")
    SAMPLING = "sampling", _("抽检结果")


class CreditImport(Intake):
    """One file or one API call of credit records, kept as received."""

    kind = models.CharField(_("类别"), max_length=20, choices=CreditKind.choices)
    source = models.CharField(_("来源"), max_length=100)

    class Meta(Intake.Meta):
        verbose_name = _("信用信息导入")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.source} {self.file_name}".strip()


class CreditRecord(TimeStamped):
    """One record of one source about one entity. Public information: scoped by the entity's region only."""

    kind = models.CharField(_("类别"), max_length=20, choices=CreditKind.choices)
    entity = models.ForeignKey(MarketEntity, verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("来源"), max_length=100)
    source_ref = models.CharField(_("来源编号"), max_length=100)
    date = models.DateField(_("日期"))
    title = models.CharField(_("事由"), max_length=300)
    authority = models.CharField(_("作出机关"), max_length=200, blank=True)
    detail = models.TextField(_("内容"), blank=True)
    ends_on = models.DateField(_("移出/届满日期"), null=True, blank=True)
    imported = models.ForeignKey(CreditImport, null=True, blank=True, on_delete=models.PROTECT, related_name="records")

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用记录")
        indexes = [models.Index(fields=["entity", "date"]), models.Index(fields=["kind", "date"])]
        constraints = [models.UniqueConstraint(fields=["kind", "source", "source_ref"], name="credit_record_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title}"

    def audit_jurisdiction(self) -> tuple[str, None]:
        return self.region_id, None


class Scorecard(models.Model):
    """A scorecard version in force for classification runs: the definition as published (its file's content and
    digest), who published it and the monotonicity table its points were checked against (ADR 0040)."""

    name = models.CharField(_("评分卡"), max_length=60)
    version = models.CharField(_("版本"), max_length=30)
    title = models.CharField(_("名称"), max_length=200)
    sha256 = models.CharField(_("内容摘要"), max_length=64)
    definition = models.JSONField(_("定义"))
    monotonicity = models.JSONField(_("单调性检验"), default=list)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.CharField(_("发布人"), max_length=100)

    class Meta:
        verbose_name = _("信用风险分类评分卡")
        verbose_name_plural = _("信用风险分类评分卡")
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="credit_scorecard_version")]

    def __str__(self) -> str:
        return f"{self.name}-{self.version}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    DRAFT = "draft", _("待发布")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被新结果取代")
    FAILED = "failed", _("失败")


class ClassificationRun(models.Model):
    """One classification of every entity of the object library into A–D with one scorecard, as of a day: a draft
    until published; the newest published run is the one others read (`contracts.entity_class`)."""

    number = models.CharField(_("编号"), max_length=20, unique=True)
    month = models.DateField(_("所属月份"))
    as_of = models.DateField(_("数据截止日"))
    scorecard = models.ForeignKey(Scorecard, verbose_name=_("评分卡"), on_delete=models.PROTECT, related_name="runs")
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    started_by = models.CharField(_("发起人"), max_length=100)
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    snapshot_at = models.DateTimeField(_("数据快照时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    progress = models.PositiveIntegerField(_("已处理主体数"), default=0)
    entities = models.PositiveIntegerField(_("主体数"), default=0)
    shares = models.JSONField(_("各类主体数"), default=dict)
    cutoffs = models.JSONField(_("分界分值"), default=list)
    violations = models.JSONField(_("单调性问题"), default=list)
    error = models.TextField(_("错误"), blank=True)
    published_by = models.CharField(_("发布人"), max_length=100, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("信用风险分类批次")
        verbose_name_plural = _("信用风险分类批次")
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self) -> str:
        return self.number

    def audit_jurisdiction(self) -> tuple[str, None]:
        return self.region_id, None

    @property
    def flagged(self) -> bool:
        return bool(self.violations)

    @property
    def share_rows(self) -> list[tuple[str, int]]:
        """(class, entities) for A … D."""
        return [(klass, int(self.shares.get(klass, 0))) for klass in ("A", "B", "C", "D")]


class EntityClass(models.Model):
    """One entity's class in one run: its points, the override that set a floor (if any) and its top reason codes.
    Written once in bulk by the run and never changed (append-only). No foreign-key constraints: a million rows
    are copied in per run, the run's rows only after the run's own row exists, and entities are never deleted."""

    run = models.ForeignKey(ClassificationRun, on_delete=models.PROTECT, related_name="+", db_index=False,
                            db_constraint=False)
    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="+", db_index=False,
                               db_constraint=False)
    risk_class = models.CharField(_("信用风险分类"), max_length=1)
    points = models.IntegerField(_("分值"))
    forced = models.CharField(_("强制规则"), max_length=20, blank=True)
    reasons = models.CharField(_("主要原因代码"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("主体信用风险分类")
        verbose_name_plural = _("主体信用风险分类")
        constraints = [models.UniqueConstraint(fields=["run", "entity"], name="credit_entity_class_unique")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.risk_class}"


# --- 严重违法失信名单 of the platform's own decisions (SAMR 令第44号; serious.py, ADR 0044) ---------------------------


class SeriousStatus(models.TextChoices):
    PROPOSED = "proposed", _("拟列入")
    NOTIFIED = "notified", _("已告知")
    SUBMITTED = "submitted", _("待审批")
    UPPER = "upper", _("待上一级同意")
    LISTED = "listed", _("已列入")
    PUBLISHED = "published", _("已公示")
    REMOVED = "removed", _("已移出")
    REFUSED = "refused", _("不予列入")
    WITHDRAWN = "withdrawn", _("已撤回")


class SeriousBasis(models.TextChoices):
    PENALTY = "penalty", _("受到较重行政处罚")
    ABNORMAL_3Y = "abnormal_3y", _("经营异常名录届满3年")


class SeriousEntry(TimeStamped):
    """One entity's way onto (and off) the platform's own 严重违法失信名单: the proposal with its basis (a heavier
    行政处罚 of the behaviour library, or three years in the 经营异常名录), the prior notice and the party's
    statement, defence and hearing, approval (and the level above's agreement where required), the decision and its
    publication, and removal early on application or at the end of the period. Scoped by the deciding department
    (谁处罚、谁列入、谁移出)."""

    number = models.CharField(_("编号"), max_length=20, unique=True)
    entity = models.ForeignKey(MarketEntity, verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("accounts.Department", verbose_name=_("作出决定的部门"), on_delete=models.PROTECT,
                                   related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=SeriousStatus.choices, default=SeriousStatus.PROPOSED)
    basis = models.CharField(_("列入依据类别"), max_length=12, choices=SeriousBasis.choices)
    penalty = models.ForeignKey("behaviour.Penalty", verbose_name=_("行政处罚"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    penalty_kinds = models.JSONField(_("处罚种类"), default=list, blank=True)
    aggravated = models.BooleanField(_("按从重处罚原则处以罚款"), default=False)
    domain = models.CharField(_("违法行为领域"), max_length=20)
    reason = models.CharField(_("列入事由"), max_length=500)
    statement = models.TextField(_("性质恶劣、情节严重、社会危害较大的理由"))
    factors = models.JSONField(_("综合考量因素"), default=dict)
    proposed_by = models.ForeignKey("accounts.User", verbose_name=_("提出人"), on_delete=models.PROTECT,
                                    related_name="+")
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    statement_due = models.DateField(_("陈述、申辩和申请听证期限"), null=True, blank=True)
    defence = models.TextField(_("陈述、申辩意见"), blank=True)
    hearing_requested = models.BooleanField(_("申请听证"), default=False)
    hearing_outcome = models.TextField(_("听证情况"), blank=True)
    approved_by = models.ForeignKey("accounts.User", verbose_name=_("批准人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    upper_by = models.ForeignKey("accounts.User", verbose_name=_("上一级同意人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    upper_reference = models.CharField(_("上一级同意文号"), max_length=100, blank=True)
    upper_on = models.DateField(_("上一级同意日期"), null=True, blank=True)
    listed_on = models.DateField(_("列入日期"), null=True, blank=True)
    decision_number = models.CharField(_("列入决定书文号"), max_length=100, blank=True)
    decision_document = models.ForeignKey("documents.IssuedDocument", verbose_name=_("列入决定书"), null=True,
                                          blank=True, on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    ends_on = models.DateField(_("届满日期"), null=True, blank=True)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal = models.CharField(_("移出方式"), max_length=10, blank=True)
    removal_reason = models.TextField(_("移出理由"), blank=True)
    refusal_reason = models.TextField(_("不予列入理由"), blank=True)
    credit_record = models.ForeignKey(CreditRecord, verbose_name=_("信用记录"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("严重违法失信名单列入")
        verbose_name_plural = _("严重违法失信名单列入")
        indexes = [models.Index(fields=["department", "status"]), models.Index(fields=["status", "ends_on"])]

    def __str__(self) -> str:
        return self.number

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class SeriousStep(models.Model):
    """One step taken on an entry (the edge, who and when, and what they wrote); the entry's page shows them."""

    entry = models.ForeignKey(SeriousEntry, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(_("操作"), max_length=20)
    source = models.CharField(_("原状态"), max_length=12)
    target = models.CharField(_("新状态"), max_length=12)
    actor = models.CharField(_("操作人"), max_length=100)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("严重违法失信名单办理步骤")
        verbose_name_plural = _("严重违法失信名单办理步骤")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.action}"


# --- credit repair (信用修复) of published 行政处罚 information (ADR 0045) ---------------------------------------

class RepairPolicy(models.Model):
    """A version of the credit-repair schemes as loaded from its file (`repair_schemes/*.json`, checked by
    `repair_policy.parse`): the rows every application of its time was judged by. Never changed; a new file is a
    new version."""

    name = models.CharField(_("方案"), max_length=60)
    version = models.CharField(_("版本"), max_length=30)
    title = models.CharField(_("名称"), max_length=200)
    sha256 = models.CharField(_("内容摘要"), max_length=64)
    definition = models.JSONField(_("定义"))
    loaded_at = models.DateTimeField(_("载入时间"), auto_now_add=True)
    loaded_by = models.CharField(_("载入人"), max_length=100)

    class Meta:
        verbose_name = _("信用修复方案")
        verbose_name_plural = _("信用修复方案")
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="credit_repair_policy_version")]

    def __str__(self) -> str:
        return f"{self.name}-{self.version}"


class RepairStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    APPROVED = "approved", _("准予修复")
    REJECTED = "rejected", _("不予修复")


class RepairChannel(models.TextChoices):
    PORTAL = "portal", _("服务门户")
    OFFICER = "officer", _("工作人员录入")
    API = "api", _("接入系统")


class RepairApplication(models.Model):
    """An application to end the publication of a 行政处罚 early (信用修复), decided by the deciding department: the
    scheme row it was judged by (policy version, scheme, category, minimum months), the dates that count, what was
    received as received (`raw`), and each step's person and time."""

    number = models.CharField(_("申请编号"), max_length=20, unique=True)
    penalty = models.ForeignKey("behaviour.Penalty", verbose_name=_("行政处罚"), on_delete=models.PROTECT,
                                related_name="+")
    entity = models.ForeignKey(MarketEntity, verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("accounts.Department", verbose_name=_("处罚决定机关"), on_delete=models.PROTECT,
                                   related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("申请渠道"), max_length=10, choices=RepairChannel.choices)
    status = models.CharField(_("状态"), max_length=10, choices=RepairStatus.choices, default=RepairStatus.SUBMITTED)
    applicant_name = models.CharField(_("申请人"), max_length=100)
    applicant_phone = models.CharField(_("联系电话"), max_length=30)
    correction = models.TextField(_("纠正失信行为情况"))
    raw = models.JSONField(_("原始申请"), default=dict)
    policy = models.ForeignKey(RepairPolicy, verbose_name=_("修复方案版本"), on_delete=models.PROTECT,
                               related_name="+")
    scheme = models.CharField(_("适用方案"), max_length=40)
    publication_channel = models.CharField(_("公示平台"), max_length=12)
    category = models.CharField(_("失信类别"), max_length=10)
    scheme_date = models.DateField(_("确定方案的日期"))
    eligible_on = models.DateField(_("最短公示期届满日"))
    publish_until = models.DateField(_("公示截止日"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    submitted_by = models.CharField(_("录入人"), max_length=100)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    accepted_by = models.ForeignKey("accounts.User", verbose_name=_("受理人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", verbose_name=_("决定人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField(_("理由"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        indexes = [models.Index(fields=["department", "status"]), models.Index(fields=["penalty", "status"])]

    def __str__(self) -> str:
        return self.number

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class RepairAttachment(models.Model):
    """A file of an application: the 守信承诺书 or a proof of correction, kept as received with its digest."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("信用承诺书")
        PROOF = "proof", _("纠正失信行为的证明材料")

    application = models.ForeignKey(RepairApplication, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("材料类别"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(_("内容摘要"), max_length=64)
    data = models.BinaryField(_("内容"))

    class Meta:
        verbose_name = _("信用修复申请材料")
        verbose_name_plural = _("信用修复申请材料")

    def __str__(self) -> str:
        return self.name


class PublicationEnd(models.Model):
    """The publication of a 行政处罚 ended early on `ended_on` by an approved repair: the record the disclosure
    side and the exchange read (`contracts.publication_end_list`). One per penalty; never changed."""

    penalty = models.OneToOneField("behaviour.Penalty", verbose_name=_("行政处罚"), on_delete=models.PROTECT,
                                   related_name="+")
    repair = models.OneToOneField(RepairApplication, verbose_name=_("信用修复申请"), on_delete=models.PROTECT,
                                  related_name="publication_end")
    ended_on = models.DateField(_("停止公示日期"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("提前停止公示")
        verbose_name_plural = _("提前停止公示")

    def __str__(self) -> str:
        return f"{self.penalty_id} {self.ended_on}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class AbnormalReason(models.TextChoices):
    """The four grounds of 《企业经营异常名录管理暂行办法》第四条 (企业信息公示暂行条例 第十七条); no other."""

    ANNUAL_REPORT = "annual_report", _("未按规定报送年度报告")
    DISCLOSURE = "disclosure", _("未按规定公示即时信息")
    FALSE_INFORMATION = "false_information", _("公示信息隐瞒真实情况、弄虚作假")
    UNREACHABLE = "unreachable", _("通过登记的住所或者经营场所无法联系")


class AbnormalRepair(models.TextChoices):
    """What the entity did to be removed (暂行办法 第十一条至第十四条), one for each ground."""

    REPORT_FILED = "report_filed", _("已补报未报年份的年度报告并公示")
    INFORMATION_PUBLISHED = "information_published", _("已履行即时信息公示义务")
    INFORMATION_CORRECTED = "information_corrected", _("已更正其公示的信息")
    ADDRESS_REACHABLE = "address_reachable", _("已办理住所（经营场所）变更登记或可以重新取得联系")


class AbnormalStatus(models.TextChoices):
    PROPOSED = "proposed", _("待负责人审批")
    APPROVED = "approved", _("已批准待作出决定")
    REJECTED = "rejected", _("不予列入")
    LISTED = "listed", _("已列入")
    REMOVAL_APPLIED = "removal_applied", _("已申请移出待决定")
    REMOVED = "removed", _("已移出")


class AbnormalEntry(TimeStamped):
    """One listing of one entity in the platform's own 经营异常名录 by the market-supervision department that
    registers it: proposed, approved by that department's head, decided (列入决定书, publication) and perhaps removed
    on repair (移出决定书). Scoped by the department and the entity's region; mirrored as a `CreditRecord` of kind
    经营异常名录 once decided (`credit_record`), so the classification reads it with the imported ones."""

    number = models.CharField(_("编号"), max_length=20, unique=True)
    entity = models.ForeignKey(MarketEntity, verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("accounts.Department", verbose_name=_("作出决定机关"), on_delete=models.PROTECT,
                                   related_name="+")
    reason = models.CharField(_("列入事由"), max_length=20, choices=AbnormalReason.choices)
    facts = models.TextField(_("事实"))
    found_on = models.DateField(_("列入情形发生（查实）日期"))
    listing_due = models.DateField(_("列入决定期限"))
    status = models.CharField(_("状态"), max_length=20, choices=AbnormalStatus.choices,
                              default=AbnormalStatus.PROPOSED)
    proposed_by = models.ForeignKey("accounts.User", verbose_name=_("提出人"), on_delete=models.PROTECT,
                                    related_name="+")
    approved_by = models.ForeignKey("accounts.User", verbose_name=_("审批人"), on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True)
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    note = models.TextField(_("审批意见"), blank=True)
    decided_on = models.DateField(_("列入日期"), null=True, blank=True)
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    decision_number = models.CharField(_("列入决定书文号"), max_length=60, blank=True)
    decision_document = models.PositiveBigIntegerField(_("列入决定书"), null=True, blank=True)
    repair = models.CharField(_("移出事由"), max_length=30, choices=AbnormalRepair.choices, blank=True)
    repair_facts = models.TextField(_("履行义务情况"), blank=True)
    removal_applied_on = models.DateField(_("申请移出日期"), null=True, blank=True)
    removal_due = models.DateField(_("移出决定期限"), null=True, blank=True)
    removal_proposed_by = models.ForeignKey("accounts.User", verbose_name=_("移出提出人"), on_delete=models.PROTECT,
                                            related_name="+", null=True, blank=True)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removed_by = models.ForeignKey("accounts.User", verbose_name=_("移出审批人"), on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    removal_number = models.CharField(_("移出决定书文号"), max_length=60, blank=True)
    removal_document = models.PositiveBigIntegerField(_("移出决定书"), null=True, blank=True)
    credit_record = models.OneToOneField(CreditRecord, verbose_name=_("信用记录"), on_delete=models.PROTECT,
                                         related_name="abnormal_entry", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("经营异常名录")
        verbose_name_plural = _("经营异常名录")
        indexes = [models.Index(fields=["status", "decided_on"]), models.Index(fields=["entity", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.get_reason_display()}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id
