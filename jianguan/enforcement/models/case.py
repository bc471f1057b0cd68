"""The clue (案件线索), the case (行政处罚案件) with its officers, and the events of its hash-chained history."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Department, OfficerCredential, Region, User
from jianguan.core.models import TimeStamped
from jianguan.core.scoping import ScopedQuerySet
from jianguan.subjects.models import MarketEntity, Person


class ClueSource(models.TextChoices):
    """案件来源."""

    INSPECTION = "inspection", _("监督检查")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    TRANSFER = "transfer", _("移送")
    ASSIGNMENT = "assignment", _("上级交办")
    MONITORING = "monitoring", _("数据监测")
    RISK_ALERT = "risk_alert", _("风险预警")


class ClueStatus(models.TextChoices):
    OPEN = "open", _("待核查")
    FILED = "filed", _("已立案")
    NOT_FILED = "not_filed", _("不予立案")


class Clue(TimeStamped):
    """The registration of a 案件来源 (案件来源登记表); its case carries the work from here on."""

    number = models.CharField(_("线索编号"), max_length=20, unique=True)
    source = models.CharField(_("案件来源"), max_length=12, choices=ClueSource.choices)
    source_ref = models.CharField(_("来源编号"), max_length=50)
    department = models.ForeignKey(Department, verbose_name=_("承办部门"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    entity = models.ForeignKey(MarketEntity, verbose_name=_("当事人"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    party_name = models.CharField(_("当事人名称"), max_length=200)
    summary = models.TextField(_("线索内容"))
    received_on = models.DateField(_("发现或收到日期"))
    check_due = models.DateField(_("核查期限"))
    status = models.CharField(_("状态"), max_length=10, choices=ClueStatus.choices, default=ClueStatus.OPEN)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("案件线索")
        verbose_name_plural = _("案件线索")
        ordering = ["-received_on"]
        indexes = [models.Index(fields=["entity", "received_on"])]
        constraints = [models.UniqueConstraint(fields=["source", "source_ref"], name="clue_source_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.party_name}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class Procedure(models.TextChoices):
    """处罚程序 (the national dictionary's codes 01 简易程序, 02 一般程序 are in `BEHAVIOUR_PROCEDURE`)."""

    ORDINARY = "ordinary", _("普通程序")
    SIMPLE = "simple", _("简易程序")


BEHAVIOUR_PROCEDURE = {Procedure.SIMPLE: "01", Procedure.ORDINARY: "02"}
# The 行政处罚行为's 案件来源 and its inspection's 检查形式 (the exchange standards' dictionaries, behaviour-records.md
# §2–§3) by the case's source: the platform's labels (投诉, 举报, 移送 …) are not values of those dictionaries.
BEHAVIOUR_CASE_SOURCE = {ClueSource.INSPECTION: "监督检查", ClueSource.COMPLAINT: "投诉举报",
                         ClueSource.REPORT: "投诉举报", ClueSource.TRANSFER: "其他部门移送",
                         ClueSource.ASSIGNMENT: "上级交办", ClueSource.MONITORING: "风险预警",
                         ClueSource.RISK_ALERT: "风险预警"}
BEHAVIOUR_INSPECTION_FORM = {ClueSource.INSPECTION: "日常检查", ClueSource.COMPLAINT: "投诉举报核查",
                             ClueSource.REPORT: "投诉举报核查", ClueSource.TRANSFER: "其他",
                             ClueSource.ASSIGNMENT: "其他", ClueSource.MONITORING: "风险预警核查",
                             ClueSource.RISK_ALERT: "风险预警核查"}


class CaseStatus(models.TextChoices):
    CLUE = "clue", _("线索待核查")
    FILING_REVIEW = "filing_review", _("立案待审批")
    NOT_FILED = "not_filed", _("不予立案")
    INVESTIGATING = "investigating", _("调查取证")
    INVESTIGATED = "investigated", _("调查终结")
    LEGAL_REVIEW = "legal_review", _("法制审核")
    REVIEWED = "reviewed", _("法制审核通过")
    DISCUSSED = "discussed", _("已集体讨论")
    NOTIFIED = "notified", _("已告知（陈述申辩）")
    HEARING_REQUESTED = "hearing_requested", _("已申请听证")
    HEARING_SCHEDULED = "hearing_scheduled", _("听证已通知")
    HEARD = "heard", _("听证结束")
    DECIDED = "decided", _("已作出决定")
    TRANSFERRED = "transferred", _("已移送")
    HANDED_OVER = "handed_over", _("当场处罚待备案")
    SERVED = "served", _("已送达（执行中）")
    CLOSING_REVIEW = "closing_review", _("结案待审批")
    CLOSED = "closed", _("已结案")
    ARCHIVED = "archived", _("已归档")


class PartyKind(models.TextChoices):
    """For the thresholds of law: 公民 (natural persons and 个体工商户) or 法人、其他组织."""

    ORGANISATION = "organisation", _("法人或其他组织")
    PERSON = "person", _("公民")


class Outcome(models.TextChoices):
    PENALTY = "penalty", _("给予行政处罚")
    NO_PENALTY = "no_penalty", _("不予行政处罚")


class Mitigation(models.TextChoices):
    """裁量 (行政处罚法 第三十二条 从轻减轻, 第三十三条 不予处罚)."""

    NONE = "", _("一般")
    LIGHTER = "lighter", _("从轻")
    REDUCED = "reduced", _("减轻")
    HEAVIER = "heavier", _("从重")


PENALTY_KIND_LABELS = {"01": _("警告"), "02": _("罚款"), "03": _("没收违法所得"), "04": _("责令停产停业"),
                       "05": _("吊销许可证"), "06": _("行政拘留"), "07": _("法律、行政法规规定的其他行政处罚"),
                       "08": _("通报批评"), "09": _("没收非法财物"), "10": _("降低资质等级"), "11": _("暂扣许可证"),
                       "12": _("限制开展经营活动"), "13": _("限制从业"), "14": _("责令关闭")}


class Case(TimeStamped):
    """One 行政处罚案件: its party, the list items it rests on, its officers, its stage and its dates."""

    number = models.CharField(_("案件编号"), max_length=30, unique=True)
    department = models.ForeignKey(Department, verbose_name=_("承办部门"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    clue = models.OneToOneField(Clue, verbose_name=_("案件线索"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="case")
    procedure = models.CharField(_("程序"), max_length=10, choices=Procedure.choices, default=Procedure.ORDINARY)
    status = models.CharField(_("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.CLUE)
    source = models.CharField(_("案件来源"), max_length=12, choices=ClueSource.choices)
    source_ref = models.CharField(_("来源编号"), max_length=50, blank=True)
    cause = models.CharField(_("案由"), max_length=200, blank=True)
    summary = models.TextField(_("案情摘要"), blank=True)

    entity = models.ForeignKey(MarketEntity, verbose_name=_("当事人（市场主体）"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name=_("当事人（自然人）"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    party_name = models.CharField(_("当事人名称"), max_length=200)
    party_code = models.CharField(_("当事人证件号码"), max_length=20, blank=True)  # a USCC, or a masked ID number
    party_kind = models.CharField(_("当事人类别"), max_length=12, choices=PartyKind.choices,
                                  default=PartyKind.ORGANISATION)
    party_address = models.CharField(_("当事人地址"), max_length=400, blank=True)

    catalog_code = models.CharField(_("监管事项目录编码"), max_length=14, blank=True)
    implementation_code = models.TextField(_("检查实施清单编码"), blank=True)
    inspection_number = models.CharField(_("检查行为编号"), max_length=50, blank=True)

    received_on = models.DateField(_("发现或收到日期"))
    check_due = models.DateField(_("立案决定期限"))
    filing_proposal = models.CharField(_("立案建议"), max_length=10, blank=True)  # "file" | "not_file"
    # 提出人: who proposed the step now awaiting approval (workflow.PROPOSALS); never its approver.
    proposed_by = models.ForeignKey(User, verbose_name=_("提出人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    not_filed_reason = models.TextField(_("不予立案理由"), blank=True)
    filed_on = models.DateField(_("立案日期"), null=True, blank=True)
    decision_due = models.DateField(_("处罚决定期限"), null=True, blank=True)

    major = models.BooleanField(_("重大案件"), default=False)
    hearing_right = models.BooleanField(_("应告知听证权利"), default=False)
    criminal = models.BooleanField(_("涉刑案件"), default=False)
    legal_review_required = models.BooleanField(_("须法制审核"), default=False)
    legal_review_submitted_on = models.DateField(_("送法制审核日期"), null=True, blank=True)
    legal_review_on = models.DateField(_("法制审核日期"), null=True, blank=True)
    legal_review_opinion = models.CharField(_("法制审核意见"), max_length=100, blank=True)
    collective_on = models.DateField(_("集体讨论日期"), null=True, blank=True)
    collective_conclusion = models.CharField(_("集体讨论结论"), max_length=1000, blank=True)

    facts = models.TextField(_("违法事实"), blank=True)
    violated = models.TextField(_("违反的规定"), blank=True)
    basis = models.TextField(_("处罚依据"), blank=True)
    penalty_kinds = models.JSONField(_("处罚种类"), default=list, blank=True)
    fine = models.DecimalField(_("罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    confiscation = models.DecimalField(_("没收违法所得（元）"), max_digits=14, decimal_places=2, null=True, blank=True)

    # The discretion benchmark's band the proposal was judged by (`bands.judged`): band, range, circumstances,
    # whether the fine lies outside it and the written reason the legal review reads (ADR 0060).
    discretion = models.JSONField(_("裁量基准适用"), default=dict, blank=True)
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    hearing_waived = models.BooleanField(_("放弃听证"), default=False)
    outcome = models.CharField(_("处理结果"), max_length=12, choices=Outcome.choices, blank=True)
    mitigation = models.CharField(_("裁量"), max_length=10, choices=Mitigation.choices, blank=True)
    no_penalty_reason = models.CharField(_("不予处罚理由"), max_length=300, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_number = models.CharField(_("处罚决定书文号"), max_length=100, blank=True)
    decision_document_id = models.BigIntegerField(_("处罚决定书"), null=True, blank=True)
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    simple_filing_due = models.DateField(_("当场处罚备案期限"), null=True, blank=True)
    simple_filed_on = models.DateField(_("当场处罚备案日期"), null=True, blank=True)
    transferred_to = models.CharField(_("移送机关"), max_length=200, blank=True)
    transferred_on = models.DateField(_("移送日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    archived_on = models.DateField(_("归档日期"), null=True, blank=True)
    behaviour_number = models.CharField(_("处罚行为编号"), max_length=50, blank=True)

    officers = models.ManyToManyField(User, through="CaseOfficer", verbose_name=_("承办人员"), related_name="+")
    event_count = models.PositiveIntegerField(_("事件数"), default=0)
    last_hash = models.CharField(_("最后事件摘要"), max_length=64, default="0" * 64)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("行政处罚案件")
        verbose_name_plural = _("行政处罚案件")
        ordering = ["-received_on", "-pk"]
        # case_scope_recent serves the case list and its word search: the scope (department, region) in the order
        # of the list (received_on, id), with the texts searched by words, so count and page read the index only.
        indexes = [models.Index(fields=["department", "status"]), models.Index(fields=["entity", "received_on"]),
                   models.Index(fields=["department", "region", "received_on", "id", "cause", "party_name"],
                                name="case_scope_recent"),
                   models.Index(fields=["decision_number"], name="case_decision_number"),
                   models.Index(fields=["party_code"], name="case_party_code")]
        constraints = [models.CheckConstraint(condition=models.Q(fine__isnull=True) | models.Q(fine__gte=0),
                                              name="case_fine_not_negative")]

    def __str__(self) -> str:
        return f"{self.number} {self.party_name}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id

    @property
    def penalty_labels(self) -> str:
        """处罚种类 by name (the codes of behaviour.services.PENALTY_KINDS, 行政处罚法 第九条)."""
        return "、".join(str(PENALTY_KIND_LABELS.get(code, code)) for code in self.penalty_kinds)

    @property
    def subject(self) -> str:
        """The documents app's free reference to this case."""
        return f"case:{self.number}"


class CaseOfficer(models.Model):
    """An officer assigned to a case, with the 执法证 valid on the day of assignment (行政处罚法 第四十二条)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(User, verbose_name=_("执法人员"), on_delete=models.PROTECT, related_name="+")
    credential = models.ForeignKey(OfficerCredential, verbose_name=_("执法证"), on_delete=models.PROTECT,
                                   related_name="+")
    lead = models.BooleanField(_("主办"), default=False)
    assigned_on = models.DateField(_("指派日期"))

    class Meta:
        verbose_name = _("承办人员")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_officer_unique")]
        indexes = [models.Index(fields=["user", "case"], name="case_officer_user")]  # an officer's own cases
        ordering = ["-lead", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.user_id}"


class CaseEvent(models.Model):
    """One entry of a case's history: who, when, what, from which stage to which, the document issued (id and
    SHA-256), chained to the previous entry by `prev_hash` (`hash` = H(canonical JSON of the entry)).

    Never updated; a correction is a new event whose `supersedes` names the corrected `seq`.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("序号"))
    occurred_at = models.DateTimeField(_("时间"))
    on = models.DateField(_("行为日期"))
    actor_kind = models.CharField(_("主体类型"), max_length=16)
    actor_id = models.CharField(_("主体标识"), max_length=64)
    actor_label = models.CharField(_("主体"), max_length=200)
    verb = models.CharField(_("动作"), max_length=50)
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, blank=True)
    data = models.JSONField(_("内容"), default=dict)
    document_id = models.BigIntegerField(_("文书"), null=True, blank=True)
    document_sha256 = models.CharField(_("文书摘要"), max_length=64, blank=True)
    supersedes = models.PositiveIntegerField(_("更正的事件"), null=True, blank=True)
    algorithm = models.CharField(_("摘要算法"), max_length=10)
    prev_hash = models.CharField(_("前一事件摘要"), max_length=64)
    hash = models.CharField(_("摘要"), max_length=64)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "case__department_id"
    scope_region_field = "case__region_id"

    class Meta:
        verbose_name = _("案件事件")
        verbose_name_plural = _("案件事件")
        ordering = ["case_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="case_event_seq_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.verb}"


