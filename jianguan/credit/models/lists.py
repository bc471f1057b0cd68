"""The platform's own lists: the 严重违法失信名单 (SAMR 令第44号, ADR 0044) and the 经营异常名录 (ADR 0043)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Region
from jianguan.core.models import TimeStamped
from jianguan.core.scoping import ScopedQuerySet
from jianguan.subjects.models import MarketEntity

from .records import CreditRecord


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
