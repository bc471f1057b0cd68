"""双随机一公开: annual plans, tasks under them, verifiable draws (protocol `jianguan-draw-v1`, see
docs/draw-protocol.md), avoidance declarations, voids with a second approver, and each drawn object's result.

Facts: 国办发〔2015〕58号 (一单两库, selection by lot), 国发〔2019〕5号 (joint checks), 优化营商环境条例 第五十四条,
企业信息公示暂行条例 第十四条; spot-checks.md.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Department, Region, User
from jianguan.core.bulk import binary_rows
from jianguan.core.canonical import parse_json_plain
from jianguan.core.models import TimeStamped
from jianguan.core.scoping import ScopedQuerySet
from jianguan.subjects.models import MarketEntity

from . import protocol


def _joint(path: str) -> staticmethod:
    """Extra visibility of a joint task's records: every participating department (`path` leads to them) sees
    them, besides the lead department's scope."""

    def visibility(scope) -> models.Q:
        if scope.department_ids is None:
            return models.Q()
        return models.Q(**{f"{path}__in": scope.department_ids})

    return staticmethod(visibility)


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FILED = "filed", _("已报备")
    PUBLISHED = "published", _("已公开")


class Plan(TimeStamped):
    """年度抽查计划 of one department (county level and up), filed with the department guiding it, then published."""

    department = models.ForeignKey(Department, verbose_name=_("制定部门"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("计划名称"), max_length=200)
    content = models.TextField(_("抽查范围、数量与批次安排"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    filed_with = models.ForeignKey(Department, verbose_name=_("报备部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("报备时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"

    class Meta:
        verbose_name = _("年度抽查计划")
        ordering = ["-year", "department_id"]

    def __str__(self) -> str:
        return self.title


class TaskKind(models.TextChoices):
    """抽查类型: 定向 draws from a filtered subset, 不定向 from the whole pool."""

    DIRECTED = "directed", _("定向抽查")
    UNDIRECTED = "undirected", _("不定向抽查")


class TaskStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已公布")
    DRAWN = "drawn", _("已抽取")
    CLOSED = "closed", _("已完成")


class Task(TimeStamped):
    """抽查任务 under a plan. A joint task lists several departments: each contributes items and inspectors, and one
    visit per object covers all items (优化营商环境条例 第五十四条, "进一次门、查多项事")."""

    plan = models.ForeignKey(Plan, verbose_name=_("所属计划"), on_delete=models.PROTECT, related_name="tasks")
    name = models.CharField(_("抽查任务名称"), max_length=200)
    kind = models.CharField(_("抽查类型"), max_length=12, choices=TaskKind.choices, default=TaskKind.DIRECTED)
    lead = models.ForeignKey(Department, verbose_name=_("发起部门"), on_delete=models.PROTECT, related_name="+")
    departments = models.ManyToManyField(Department, verbose_name=_("检查部门"), related_name="+")
    items = models.JSONField(_("抽查事项（检查实施清单编码）"), default=list)
    scope = models.JSONField(_("抽查对象范围"), default=dict,
                             help_text=_("regions, industries, entity_types, licence_types, statuses"))
    strata = models.JSONField(_("抽查比例或数量（按信用风险分类）"), default=dict)
    window_start = models.DateField(_("检查开始日期"))
    window_end = models.DateField(_("检查结束日期"))
    inspectors_per_department = models.PositiveSmallIntegerField(_("每部门每户检查人员数"), default=2)
    max_objects_per_inspector = models.PositiveIntegerField(_("每名检查人员最多检查户数"), default=50)
    required_qualifications = models.JSONField(_("检查人员须具备的资格"), default=list)
    rotation_months = models.PositiveSmallIntegerField(_("同一人员再次检查同一对象的间隔（月）"), default=12)
    status = models.CharField(_("状态"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.DRAFT)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "lead_id"

    extra_visibility = _joint("departments")

    class Meta:
        verbose_name = _("抽查任务")
        ordering = ["-window_start", "-pk"]

    def __str__(self) -> str:
        return self.name


class Inspector(TimeStamped):
    """An officer's entry in the 执法检查人员名录库 beyond the credential: the areas (片区、网格) the officer covers
    when narrower than the department's jurisdiction, and whether the officer takes part in draws (leave,
    secondment)."""

    user = models.OneToOneField(User, verbose_name=_("执法人员"), on_delete=models.PROTECT, related_name="+")
    areas = models.JSONField(_("负责片区（区划代码）"), default=list, blank=True)
    in_draws = models.BooleanField(_("参加随机抽取"), default=True)

    class Meta:
        verbose_name = _("检查人员名录")

    def __str__(self) -> str:
        return str(self.user)


class Expert(TimeStamped):
    """An expert added to the inspector directory (专家库): accompanies checks that need special knowledge; not an
    officer, so never one of the two officers the law requires, and not drawn by the protocol."""

    department = models.ForeignKey(Department, verbose_name=_("所属部门"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    organisation = models.CharField(_("工作单位"), max_length=200)
    specialties = models.JSONField(_("专业领域"), default=list)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"

    class Meta:
        verbose_name = _("专家")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Avoidance(TimeStamped):
    """An inspector's declared conflict with an entity (回避: kinship, former employer, an earlier case …); such a
    pair is never drawn (行政处罚法 第四十三条)."""

    inspector = models.ForeignKey(User, verbose_name=_("检查人员"), on_delete=models.PROTECT, related_name="+")
    entity = models.ForeignKey(MarketEntity, verbose_name=_("回避对象"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("回避事由"), max_length=200)
    ends_on = models.DateField(_("回避截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("回避声明")
        constraints = [models.UniqueConstraint(fields=["inspector", "entity"], name="avoidance_unique")]

    def __str__(self) -> str:
        return f"{self.inspector} ↔ {self.entity}"


class DrawStatus(models.TextChoices):
    COMMITTED = "committed", _("已承诺，待随机数")
    DRAWN = "drawn", _("已抽取")
    VOID = "void", _("已作废")


class Draw(TimeStamped):
    """One draw of a task: frozen inputs and commitment first, the beacon value later, then the result. Never
    deleted or repeated; a void needs a reason and a second approver and is published."""

    task = models.ForeignKey(Task, verbose_name=_("抽查任务"), on_delete=models.PROTECT, related_name="draws")
    number = models.CharField(_("抽取编号"), max_length=30, unique=True)
    status = models.CharField(_("状态"), max_length=10, choices=DrawStatus.choices, default=DrawStatus.COMMITTED)
    commitment = models.CharField(_("承诺值"), max_length=64, unique=True)
    beacon = models.JSONField(_("随机源"))
    beacon_value = models.CharField(_("随机源取值"), max_length=256, blank=True)
    seed = models.CharField(_("种子"), max_length=64, blank=True)
    result = models.JSONField(_("抽取结果"), null=True, blank=True)
    replacements = models.JSONField(_("人员替换记录"), default=list)
    transcript_hash = models.CharField(_("过程记录摘要"), max_length=64, blank=True)
    committed_by = models.CharField(_("发起人"), max_length=200)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    results_written_at = models.DateTimeField(_("检查记录生成时间"), null=True, blank=True)
    void_reason = models.CharField(_("作废理由"), max_length=300, blank=True)
    void_requested_by = models.ForeignKey(User, verbose_name=_("作废申请人"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    void_approved_by = models.ForeignKey(User, verbose_name=_("作废批准人"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "task__lead_id"

    extra_visibility = _joint("task__departments")

    class Meta:
        verbose_name = _("随机抽取")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number

    @property
    def results_pending(self) -> bool:
        """Drawn, and its result rows not written yet (a large draw's are written by a background task)."""
        return self.status == DrawStatus.DRAWN and self.results_written_at is None

    @cached_property
    def encoded_inputs(self) -> dict[str, bytes]:
        """The frozen inputs as stored: each one's canonical JSON bytes, exactly as committed."""
        return dict(binary_rows(self.inputs.values_list("field", "data")))

    @cached_property
    def frozen(self) -> dict[str, Any]:
        """The frozen inputs (protocol §Freeze), read from their stored bytes."""
        return protocol.decode(self.encoded_inputs, loads=parse_json_plain)


class DrawInput(models.Model):
    """One frozen input of a draw (task, strata, pool, object_regions, inspectors, excluded_pairs, beacon) as the
    canonical JSON bytes its commitment was computed over. Apart from the draw, so that lists of draws do not carry a
    city's pool; as bytes, so that a reveal checks exactly what was hashed and a transcript is written out of them."""

    draw = models.ForeignKey(Draw, verbose_name=_("随机抽取"), on_delete=models.PROTECT, related_name="inputs")
    field = models.CharField(_("输入项"), max_length=20, choices=[(f, f) for f in protocol.FROZEN_FIELDS])
    data = models.BinaryField(_("规范 JSON"))

    class Meta:
        verbose_name = _("抽取的冻结输入")
        constraints = [models.UniqueConstraint(fields=["draw", "field"], name="draw_input_once")]

    def __str__(self) -> str:
        return f"{self.draw_id}:{self.field}"


class ResultCode(models.TextChoices):
    """检查结果 (spot-checks.md §4, a default dictionary [unconfirmed]); several may apply. A (问题待后续处理) is the
    parent of 2, 3, 4, 5 and G: it is counted by them, so it goes with at least one."""

    NO_PROBLEM = "1", _("未发现问题")
    PENDING = "A", _("发现问题待后续处理")
    PENDING_REGISTRATION = "2", _("违反工商行政管理相关规定")
    PENDING_FOOD_DRUG = "3", _("违反食品药品管理相关规定")
    PENDING_QUALITY = "4", _("违反质量技术监督相关规定")
    PENDING_OTHER_DEPARTMENT = "5", _("违反其他部门相关规定")
    PENDING_POLICE = "G", _("违反公安部门相关规定")
    NOT_PUBLISHED = "B", _("未按规定公示应当公示的信息")
    FALSE_PUBLICITY = "C", _("公示信息隐瞒真实情况弄虚作假")
    OTHER_VIOLATION = "D", _("违反其他工商行政管理规定行为")
    CORRECTED = "E", _("发现问题已责令改正")
    NO_ACTIVITY = "F", _("未发现开展本次抽查涉及的经营活动")
    UNREACHABLE = "6", _("通过登记的住所（经营场所）无法联系")
    CLOSED = "7", _("已关闭停业或正在组织清算")
    OBSTRUCTED = "8", _("不配合检查情节严重")
    CANCELLED = "9", _("注销")
    REVOKED = "10", _("被吊销")
    WITHDRAWN = "11", _("被撤销")
    MOVED_OUT = "12", _("迁出")


class CheckResult(TimeStamped):
    """The check of one drawn object: who may enter it (the assigned inspectors), what was found, the follow-ups,
    and the publication clock (20 working days after the task's window ends)."""

    # tens of thousands are written by one draw: no index beyond what is read (`check_result_unique` leads with draw)
    draw = models.ForeignKey(Draw, verbose_name=_("随机抽取"), on_delete=models.PROTECT, related_name="results",
                             db_index=False)
    entity = models.ForeignKey(MarketEntity, verbose_name=_("检查对象"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField(_("抽取层"), max_length=10)
    inspectors = models.ManyToManyField(User, verbose_name=_("检查人员"), related_name="+")
    codes = models.JSONField(_("检查结果"), default=list)
    problems = models.TextField(_("发现的问题"), blank=True)
    evidence = models.TextField(_("证据与记录"), blank=True)
    follow_up = models.TextField(_("后续处理"), blank=True)
    checked_on = models.DateField(_("检查日期"), null=True, blank=True)
    entered_by = models.ForeignKey(User, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", db_index=False)
    entered_at = models.DateTimeField(_("录入时间"), null=True, blank=True)
    inspection_numbers = models.JSONField(_("行政检查行为编号"), default=list)
    abnormal_due = models.DateField(_("列入经营异常名录期限"), null=True, blank=True)
    abnormal_listed_at = models.DateTimeField(_("列入经营异常名录时间"), null=True, blank=True)
    publish_due = models.DateField(_("公示期限"))
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "draw__task__lead_id"
    scope_region_field = "region_id"

    extra_visibility = _joint("draw__task__departments")

    class Meta:
        verbose_name = _("抽查结果")
        ordering = ["draw_id", "entity_id"]
        constraints = [models.UniqueConstraint(fields=["draw", "entity"], name="check_result_unique")]

    def __str__(self) -> str:
        return f"{self.draw} {self.entity}"

    @property
    def result_labels(self) -> str:
        return "；".join(str(ResultCode(code).label) for code in self.codes)

    @property
    def has_problem(self) -> bool:
        return bool(self.codes) and self.codes != [ResultCode.NO_PROBLEM]


class SupervisionPolicy(TimeStamped):
    """差异化监管策略: per credit-risk class the default share drawn, the bounds a task may choose within, and the
    checks per firm and year; the share of the A-class control sample and how far back a complaint, alert or transfer
    points at an A-class entity ("无事不扰"). Versioned by effective date: never edited, a change is a new row; a
    task takes the row in force on its first day (spot-checks.md §6, disclosure-credit.md §8)."""

    region = models.ForeignKey(Region, verbose_name=_("适用区划"), on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateField(_("生效日期"))
    rules = models.JSONField(_("各类抽查比例与频次"))
    control_share = models.CharField(_("A 类对照样本比例"), max_length=12)
    lookback_days = models.PositiveSmallIntegerField(_("线索回溯天数"))
    note = models.CharField(_("依据与说明"), max_length=300)
    created_by = models.ForeignKey(User, verbose_name=_("设定人"), on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("差异化监管策略")
        ordering = ["-effective_from"]
        constraints = [models.UniqueConstraint(fields=["region", "effective_from"], name="policy_once_a_day")]

    def __str__(self) -> str:
        return f"{self.effective_from:%Y-%m-%d}"
