"""行政检查 in the field: one inspection of one party under one implementation row (检查实施清单), its checklist from
the row's 检查内容, the on-site record (现场检查笔录) with the officers and their 执法证, the place and the phone's
location, photos and videos as evidence, the party's signature (or a noted refusal before a witness), and the result.

A record is captured on a phone, possibly offline, and reaches the server through an idempotent sync keyed by the
phone's own UUID (`client_id`): the server stores it exactly once however often it is sent, and never overwrites a
copy that changed since the phone last saw it (`version`). Submitting it writes the 行政检查行为 record of the
behaviour library, issues the 现场检查笔录 (and the 责令改正通知书 when ordered) and turns a finding into a clue.

Facts: 行政处罚法 第四十二条、第五十五条 (two or more credentialed officers, credentials shown); enforcement.md §1;
behaviour-records.md §2.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Department, Region, User
from jianguan.core.models import TimeStamped
from jianguan.core.scoping import ScopedQuerySet
from jianguan.subjects.models import MarketEntity, Person, SupervisedObject


class OriginKind(models.TextChoices):
    """What started the inspection (检查来源)."""

    SPOT_CHECK = "spot_check", _("双随机抽查")
    JOINT_TASK = "joint_task", _("联合检查")
    COMPLAINT = "complaint", _("投诉举报核查")
    RISK_ALERT = "risk_alert", _("风险预警核查")
    ROUTINE = "routine", _("日常检查")
    SPECIAL = "special", _("专项检查")
    REMOTE_ALARM = "remote_alarm", _("非现场监管告警核查")


class ChecklistKind(models.TextChoices):
    ROUTINE = "routine", _("日常检查内容")
    SPECIAL = "special", _("专项检查内容")


class Status(models.TextChoices):
    DRAFT = "draft", _("待检查")
    SUBMITTED = "submitted", _("已提交")


class Outcome(models.TextChoices):
    """检查结果 (enforcement.md §1): no problem, corrected on order, a clue for the penalty flow, or a transfer."""

    NO_PROBLEM = "no_problem", _("未发现问题")
    RECTIFY = "rectify", _("发现问题已责令改正")
    CLUE = "clue", _("发现违法线索")
    TRANSFER = "transfer", _("移送有关部门")


class Answer(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")
    NOT_APPLICABLE = "na", _("不涉及")


class FieldInspection(TimeStamped):
    """One 行政检查 (现场检查笔录 and its result)."""

    client_id = models.UUIDField(_("终端记录标识"), unique=True, default=uuid.uuid4)
    number = models.CharField(_("检查行为编号"), max_length=50, unique=True, null=True, blank=True)
    origin_kind = models.CharField(_("检查来源"), max_length=12, choices=OriginKind.choices)
    origin_ref = models.CharField(_("来源编号"), max_length=100, blank=True)
    department = models.ForeignKey(Department, verbose_name=_("实施机构"), on_delete=models.PROTECT,
                                   related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+")
    implementation_code = models.TextField(_("监管事项检查实施清单编码"))
    catalog_code = models.CharField(_("监管事项目录编码"), max_length=14)
    item_name = models.CharField(_("监管事项名称"), max_length=500)
    checklist_kind = models.CharField(_("检查内容类别"), max_length=10, choices=ChecklistKind.choices)
    checklist = models.JSONField(_("检查内容"), default=list)  # [{"seq", "item", "answer", "note"}]
    entity = models.ForeignKey(MarketEntity, verbose_name=_("市场主体"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name=_("个人当事人"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    supervised_object = models.ForeignKey(SupervisedObject, verbose_name=_("监管对象（非市场主体）"), null=True,
                                          blank=True, on_delete=models.PROTECT, related_name="+")
    party_name = models.CharField(_("当事人"), max_length=200)
    party_code = models.CharField(_("当事人证照号码"), max_length=20, blank=True)  # a USCC or a masked ID number
    party_address = models.CharField(_("地址"), max_length=400, blank=True)
    officers = models.ManyToManyField(User, verbose_name=_("检查人员"), related_name="+")
    officer_credentials = models.JSONField(_("检查人员及执法证号"), default=list)  # frozen on submit
    place = models.CharField(_("检查地点"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("检查开始时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("检查结束时间"), null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy = models.DecimalField(_("定位精度（米）"), max_digits=9, decimal_places=1, null=True, blank=True)
    signature_png = models.BinaryField(_("当事人签名"), null=True, blank=True)
    signature_sha256 = models.CharField(_("签名 SHA-256"), max_length=64, blank=True)
    signature_refused = models.BooleanField(_("当事人拒绝签名"), default=False)
    refusal_note = models.CharField(_("拒签情况"), max_length=300, blank=True)
    witness = models.CharField(_("见证人"), max_length=100, blank=True)
    outcome = models.CharField(_("检查结果"), max_length=12, choices=Outcome.choices, blank=True)
    findings = models.TextField(_("检查情况及发现的问题"), blank=True)
    rectify_due = models.DateField(_("责令改正期限"), null=True, blank=True)
    rectify_requirement = models.TextField(_("改正要求"), blank=True)
    transfer_to = models.CharField(_("移送机关"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("版本"), default=1)
    payload_hash = models.CharField(_("最近一次同步内容摘要"), max_length=64, blank=True)
    documents = models.JSONField(_("执法文书"), default=list)  # [{"id", "kind", "title", "number", "digest"}]
    clue_number = models.CharField(_("案件线索编号"), max_length=30, blank=True)
    created_by = models.ForeignKey(User, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    submitted_by = models.ForeignKey(User, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("行政检查")
        verbose_name_plural = _("行政检查")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["origin_kind", "origin_ref"]), models.Index(fields=["department", "status"])]

    def __str__(self) -> str:
        return f"{self.number or _('（未提交）')} {self.party_name}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    VIDEO = "video", _("视频")


class Evidence(TimeStamped):
    """A photo or video taken on site: the bytes as received, their SHA-256 (checked against the phone's), who
    uploaded it. Idempotent by the phone's UUID."""

    inspection = models.ForeignKey(FieldInspection, verbose_name=_("行政检查"), on_delete=models.PROTECT,
                                   related_name="evidence")
    client_id = models.UUIDField(_("终端文件标识"), unique=True)
    kind = models.CharField(_("类别"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(_("文件"), upload_to="inspections/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=50)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    uploaded_by = models.ForeignKey(User, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "inspection__department_id"
    scope_region_field = "inspection__region_id"

    class Meta:
        verbose_name = _("现场证据")
        verbose_name_plural = _("现场证据")
        ordering = ["inspection_id", "created_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.inspection.region_id, self.inspection.department_id
