"""What the steps of a case keep besides its events: evidence, approvals, extensions and suspended periods,
先行登记保存, the hearing, service, payment, the deadline alerts and the case file (案卷)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import User
from jianguan.core.scoping import ScopedQuerySet

from .case import Case


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    DOCUMENT = "document", _("书证、笔录")
    AUDIO = "audio", _("录音")
    VIDEO = "video", _("录像")
    ELECTRONIC = "electronic", _("电子数据")


class Evidence(models.Model):
    """A file of evidence (证据材料), stored by content under the var directory; its SHA-256 was given by the sender
    and checked against the bytes received."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(_("证据类型"), max_length=12, choices=EvidenceKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    file_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("格式"), max_length=50)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    collected_on = models.DateField(_("取证日期"))
    uploaded_by = models.ForeignKey(User, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"))

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "case__department_id"
    scope_region_field = "case__region_id"

    class Meta:
        verbose_name = _("证据")
        verbose_name_plural = _("证据")
        ordering = ["case_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "sha256"], name="evidence_unique_per_case")]

    def __str__(self) -> str:
        return self.title


class Approval(models.Model):
    """A decision of an approver on a step (立案, 法制审核, 集体讨论, 决定, 结案 …): who, in which role, the opinion."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    step = models.CharField(_("环节"), max_length=30)
    role = models.CharField(_("角色"), max_length=20)
    approver = models.ForeignKey(User, verbose_name=_("审批人"), on_delete=models.PROTECT, related_name="+")
    proposed_by = models.ForeignKey(User, verbose_name=_("提出人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved = models.BooleanField(_("同意"), default=True)
    opinion = models.TextField(_("意见"), blank=True)
    decided_at = models.DateTimeField(_("审批时间"))

    class Meta:
        verbose_name = _("审批")
        ordering = ["case_id", "decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.step}"


class ExtensionKind(models.TextChoices):
    CHECK = "check", _("核查立案期限延长 15 个工作日")
    DECISION = "decision", _("处罚决定期限延长 30 日")
    FURTHER = "further", _("集体讨论决定继续延期")


class Extension(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    kind = models.CharField(_("延期类型"), max_length=10, choices=ExtensionKind.choices)
    days = models.PositiveSmallIntegerField(_("延长天数"))
    working_days = models.BooleanField(_("按工作日计算"), default=False)
    reason = models.TextField(_("理由"))
    discussion = models.TextField(_("集体讨论记录"), blank=True)
    approved_by = models.ForeignKey(User, verbose_name=_("批准人"), on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField(_("批准日期"))

    class Meta:
        verbose_name = _("延期")
        ordering = ["case_id", "approved_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}+{self.days}"


class SuspensionKind(models.TextChoices):
    """Time not counted in the 90-day clock (市场监督管理行政处罚程序规定 第六十四条)."""

    HEARING = "hearing", _("听证")
    TESTING = "testing", _("检测、检验、检疫、鉴定")
    ANNOUNCEMENT = "announcement", _("公告")
    OTHER = "other", _("权利人辨认或者鉴别等")


class Suspension(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspensions")
    kind = models.CharField(_("类型"), max_length=12, choices=SuspensionKind.choices)
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    reason = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("不计入办案期限的期间")
        ordering = ["case_id", "starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind} {self.starts_on}–{self.ends_on or ''}"


class Preservation(models.Model):
    """先行登记保存证据: the head's approval, then a decision within 7 working days (行政处罚法 第五十六条)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="preservations")
    items = models.JSONField(_("物品清单"), default=list)
    reason = models.TextField(_("理由"))
    requested_by = models.ForeignKey(User, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField(_("申请日期"))
    approved_by = models.ForeignKey(User, verbose_name=_("批准人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_on = models.DateField(_("批准并实施日期"), null=True, blank=True)
    due = models.DateField(_("处理决定期限"), null=True, blank=True)
    decided_on = models.DateField(_("处理日期"), null=True, blank=True)
    decision = models.CharField(_("处理决定"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("先行登记保存")
        ordering = ["case_id", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.requested_on}"


class Hearing(models.Model):
    """听证 (行政处罚法 第六十三条—第六十五条)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="hearing")
    requested_on = models.DateField(_("申请日期"))
    notice_sent_on = models.DateField(_("通知日期"), null=True, blank=True)
    notice_document_id = models.BigIntegerField(_("听证通知书"), null=True, blank=True)
    held_on = models.DateField(_("举行日期"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    public = models.BooleanField(_("公开举行"), default=True)
    chair = models.ForeignKey(User, verbose_name=_("主持人"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    transcript = models.ForeignKey(Evidence, verbose_name=_("听证笔录"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("结果"), max_length=20, blank=True)  # held | absent | withdrawn

    class Meta:
        verbose_name = _("听证")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.held_on or self.requested_on}"


class ServiceMethod(models.TextChoices):
    """送达方式 (行政处罚法 第六十一条; 民事诉讼法)."""

    DIRECT = "direct", _("直接送达")
    LEFT = "left", _("留置送达")
    MAIL = "mail", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")
    ENTRUSTED = "entrusted", _("委托送达")
    ANNOUNCEMENT = "announcement", _("公告送达")


class Service(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    document_id = models.BigIntegerField(_("送达的文书"))
    method = models.CharField(_("送达方式"), max_length=12, choices=ServiceMethod.choices)
    consent = models.BooleanField(_("当事人同意电子送达"), default=False)
    recipient = models.CharField(_("受送达人"), max_length=200)
    address = models.CharField(_("送达地点"), max_length=400, blank=True)
    served_on = models.DateField(_("送达日期"))
    receipt_document_id = models.BigIntegerField(_("送达回证"), null=True, blank=True)

    class Meta:
        verbose_name = _("送达")
        ordering = ["case_id", "served_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.method} {self.served_on}"


class Payment(models.Model):
    """The fine's performance: due 15 days after service (第六十七条), a late fee of 3 % of the fine a day, never
    above the fine (第七十二条), and the application for court enforcement when unpaid."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="payment")
    fine = models.DecimalField(_("罚款金额（元）"), max_digits=14, decimal_places=2)
    due_on = models.DateField(_("缴纳期限"))
    paid_amount = models.DecimalField(_("已缴金额（元）"), max_digits=14, decimal_places=2, default=0)
    late_fee = models.DecimalField(_("加处罚款（元）"), max_digits=14, decimal_places=2, default=0)
    paid_on = models.DateField(_("缴清日期"), null=True, blank=True)
    receipts = models.JSONField(_("缴款记录"), default=list)
    enforcement_applied_on = models.DateField(_("申请强制执行日期"), null=True, blank=True)
    court = models.CharField(_("受理法院"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("罚款缴纳")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.fine}"


class AlertState(models.TextChoices):
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已逾期")


class DeadlineAlert(models.Model):
    """An open step of a case that is overdue or due soon, as the last refresh found it (`tasks.py`)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    step = models.CharField(_("环节"), max_length=30)
    label = models.CharField(_("事项"), max_length=100)
    due = models.DateField(_("期限"))
    rule = models.CharField(_("依据"), max_length=200)
    state = models.CharField(_("状态"), max_length=10, choices=AlertState.choices)
    refreshed_at = models.DateTimeField(_("刷新时间"))

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "case__department_id"
    scope_region_field = "case__region_id"

    class Meta:
        verbose_name = _("期限提醒")
        ordering = ["due", "case_id"]
        constraints = [models.UniqueConstraint(fields=["case", "step"], name="deadline_alert_unique")]
        indexes = [models.Index(fields=["state", "due"])]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.step} {self.due}"


class CaseFile(models.Model):
    """The case file (案卷) as built in the background after a change of the case (`casefile.build`): the bundle's
    bytes for the case as it stood at event `seq`. A download serves the row whose `seq` is the case's
    `event_count`; older rows are removed once a newer one is stored."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="files")
    seq = models.PositiveIntegerField(_("事件序号"))
    pdf = models.BinaryField(_("PDF"))
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    built_at = models.DateTimeField(_("生成时间"))
    seconds = models.FloatField(_("生成用时（秒）"))

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "case__department_id"
    scope_region_field = "case__region_id"

    class Meta:
        verbose_name = _("案卷文件")
        verbose_name_plural = _("案卷文件")
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="case_file_unique_seq")]

    def __str__(self) -> str:
        return f"{self.case_id}@{self.seq}"
