"""Joint supervision (ADR 0054): the city's annual 部门联合抽查 plan, the tasks departments propose in it and the
joint tasks the joint-meeting office makes of them, each participant's items, inspectors and objects, and the
proposals to merge visits of the same entity into one.

A plan, its tasks and the merge proposals are scoped by the plan's region (the office's): every department of the
city reads the city's plan; a participant's items, inspectors and objects stay its own rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Department, Region, User
from jianguan.core.models import TimeStamped
from jianguan.core.scoping import ScopedQuerySet
from jianguan.subjects.models import MarketEntity


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草拟")
    SUBMITTED = "submitted", _("已报送")
    APPROVED = "approved", _("已批准")


class JointPlan(TimeStamped):
    number = models.CharField(_("计划编号"), max_length=30, unique=True)
    title = models.CharField(_("计划名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    office = models.ForeignKey(Department, verbose_name=_("联席会议办公室"), on_delete=models.PROTECT,
                               related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    drafted_by = models.ForeignKey(User, verbose_name=_("草拟人"), on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(User, verbose_name=_("报送人"), null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    approved_by = models.ForeignKey(User, verbose_name=_("批准人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("部门联合抽查计划")
        verbose_name_plural = _("部门联合抽查计划")
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.office_id


class TaskStatus(models.TextChoices):
    PROPOSED = "proposed", _("部门提出")
    JOINT = "joint", _("联合任务")
    COMBINED = "combined", _("已并入联合任务")


class JointTask(TimeStamped):
    # No plan: a task dispatched from above (省级、部委) through the exchange (`Dispatch`).
    plan = models.ForeignKey(JointPlan, verbose_name=_("所属计划"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="tasks")
    number = models.CharField(_("任务编号"), max_length=30, unique=True)
    title = models.CharField(_("任务名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.PROPOSED)
    lead = models.ForeignKey(Department, verbose_name=_("牵头部门"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    scenario = models.CharField(_("综合查一次场景"), max_length=40, blank=True)
    window_start = models.DateField(_("检查开始日期"))
    window_end = models.DateField(_("检查结束日期"))
    visit_hours = models.PositiveSmallIntegerField(_("现场检查时长（小时）"), default=2)
    times_per_year = models.PositiveSmallIntegerField(_("年检查频次"), default=1)
    combined_into = models.ForeignKey("self", verbose_name=_("并入的联合任务"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="sources")
    proposed_by = models.ForeignKey(User, verbose_name=_("提出人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    over_budget = models.PositiveIntegerField(_("超出检查负担预算的对象数"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("联合抽查任务")
        verbose_name_plural = _("联合抽查任务")
        ordering = ["window_start", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(window_end__gte=models.F("window_start")),
                                              name="joint_task_window_ordered")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.lead_id


class Participant(models.Model):
    """A department in a task: its own items (its claimed implementation rows) and its own inspectors."""

    task = models.ForeignKey(JointTask, on_delete=models.CASCADE, related_name="participants")
    department = models.ForeignKey(Department, verbose_name=_("参与部门"), on_delete=models.PROTECT,
                                   related_name="+")
    items = models.JSONField(_("检查事项（检查实施清单编码）"), default=list)
    inspectors = models.ManyToManyField(User, verbose_name=_("检查人员"), blank=True, related_name="+")
    # The unit's feedback on a task dispatched from above (taskDetails / feedbackUnitInfo, behaviour-records.md §6).
    feedback = models.TextField(_("反馈意见"), blank=True)
    feedback_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    fed_back_by = models.ForeignKey(User, verbose_name=_("反馈人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    inspection_numbers = models.JSONField(_("本部门检查行为编号"), default=list)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["task", "department"], name="joint_participant_unique")]

    def __str__(self) -> str:
        return f"{self.task_id}:{self.department_id}"


class PlannedObject(models.Model):
    """An entity a participant plans to check in a task (its object scope)."""

    task = models.ForeignKey(JointTask, on_delete=models.CASCADE, related_name="objects_planned")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", db_index=False)
    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "department", "entity"],
                                               name="joint_planned_object_unique")]

    def __str__(self) -> str:
        return f"{self.task_id}:{self.entity_id}"


class MergeStatus(models.TextChoices):
    PROPOSED = "proposed", _("待决定")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已拒绝")


class MergeProposal(TimeStamped):
    """Merge the visits of the same entities planned by two tasks into one visit of a joint task."""

    plan = models.ForeignKey(JointPlan, verbose_name=_("所属计划"), on_delete=models.PROTECT,
                             related_name="merge_proposals")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    first = models.ForeignKey(JointTask, verbose_name=_("任务一"), on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey(JointTask, verbose_name=_("任务二"), on_delete=models.PROTECT, related_name="+")
    lead = models.ForeignKey(Department, verbose_name=_("牵头部门"), on_delete=models.PROTECT, related_name="+")
    entities = models.JSONField(_("同一检查对象（市场主体 id）"), default=list)
    items = models.JSONField(_("合并后的检查事项"), default=list)
    inspectors = models.JSONField(_("合并后的检查人员"), default=list)
    rules = models.JSONField(_("适用的合并规则"), default=list)
    window_start = models.DateField(_("合并检查开始日期"))
    window_end = models.DateField(_("合并检查结束日期"))
    status = models.CharField(_("状态"), max_length=20, choices=MergeStatus.choices, default=MergeStatus.PROPOSED)
    reason = models.TextField(_("理由"), blank=True)
    decided_by = models.ForeignKey(User, verbose_name=_("决定人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    merged_task = models.ForeignKey(JointTask, verbose_name=_("合并形成的联合任务"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    visits_saved = models.PositiveIntegerField(_("减少的检查次数"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("合并检查建议")
        verbose_name_plural = _("合并检查建议")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="joint_merge_pair_unique")]

    def __str__(self) -> str:
        return f"{self.first_id}+{self.second_id}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.lead_id


class VisitStatus(models.TextChoices):
    OPEN = "open", _("检查中")
    CLOSED = "closed", _("已制作笔录")


class JointVisit(TimeStamped):
    """A joint task's visit to one entity (进一次门、查多项事): the officers present of the participating departments,
    each department's results of its own items, one 现场检查笔录 signed by all."""

    task = models.ForeignKey(JointTask, verbose_name=_("联合抽查任务"), on_delete=models.PROTECT,
                             related_name="visits")
    number = models.CharField(_("联合检查编号"), max_length=30, unique=True)
    entity = models.ForeignKey(MarketEntity, verbose_name=_("检查对象"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    lead = models.ForeignKey(Department, verbose_name=_("牵头部门"), on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("检查日期"))
    place = models.CharField(_("检查地点"), max_length=200)
    status = models.CharField(_("状态"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.OPEN)
    officers = models.JSONField(_("到场检查人员"), default=list)
    opened_by = models.ForeignKey(User, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    record_document = models.PositiveBigIntegerField(_("现场检查笔录（文书 id）"), null=True, blank=True)
    record_number = models.CharField(_("现场检查笔录文号"), max_length=60, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("联合检查")
        verbose_name_plural = _("联合检查")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.number}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.lead_id


class Outcome(models.TextChoices):
    PASSED = "passed", _("未发现问题")
    PROBLEM = "problem", _("发现问题")


class VisitResult(models.Model):
    """One department's result of one of its own items in a joint visit, recognised by the other participants."""

    visit = models.ForeignKey(JointVisit, on_delete=models.CASCADE, related_name="results")
    department = models.ForeignKey(Department, verbose_name=_("检查部门"), on_delete=models.PROTECT,
                                   related_name="+")
    item = models.CharField(_("检查事项（检查实施清单编码）"), max_length=64)
    outcome = models.CharField(_("检查结果"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("检查情况"), blank=True)
    inspection_number = models.CharField(_("行政检查行为编号"), max_length=64)
    entered_by = models.ForeignKey(User, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="joint_visit_result_unique")]

    def __str__(self) -> str:
        return f"{self.visit_id}:{self.item}"


class Handover(models.Model):
    """A problem found in a joint visit on another department's item, handed to that department as its clue."""

    visit = models.ForeignKey(JointVisit, on_delete=models.CASCADE, related_name="handovers")
    department = models.ForeignKey(Department, verbose_name=_("移交部门"), on_delete=models.PROTECT,
                                   related_name="+")
    item = models.CharField(_("检查事项（检查实施清单编码）"), max_length=64)
    summary = models.TextField(_("发现的问题"))
    clue_number = models.CharField(_("线索编号"), max_length=40)
    handed_by = models.ForeignKey(User, verbose_name=_("移交人"), on_delete=models.PROTECT, related_name="+")
    handed_at = models.DateTimeField(_("移交时间"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="joint_handover_unique")]

    def __str__(self) -> str:
        return f"{self.visit_id}:{self.item}→{self.clue_number}"


class Dispatch(models.Model):
    """A joint task dispatched from above (省级平台、部委) and received through the exchange under the joint-task
    standard (联合监管任务, behaviour-records.md §6): who sent it, the task's number at the sender and what it asks;
    its joint task is assigned to the city departments it names."""

    task = models.OneToOneField(JointTask, verbose_name=_("联合任务"), on_delete=models.PROTECT,
                                related_name="dispatch")
    source_system = models.CharField(_("报送系统"), max_length=64)
    task_no = models.CharField(_("上级任务编号"), max_length=64)
    initiator_code = models.CharField(_("发起单位编码"), max_length=50)
    initiator_name = models.CharField(_("发起单位名称"), max_length=200)
    initiator_type = models.CharField(_("发起单位类型"), max_length=20, blank=True)
    matter_code = models.CharField(_("监管事项编码"), max_length=14)
    content = models.TextField(_("检查内容"))
    claim = models.TextField(_("检查要求"), blank=True)
    received_at = models.DateTimeField(_("接收时间"))
    call = models.PositiveBigIntegerField(_("数据交换调用"), null=True, blank=True)

    class Meta:
        verbose_name = _("上级部署的联合任务")
        verbose_name_plural = _("上级部署的联合任务")
        constraints = [models.UniqueConstraint(fields=["source_system", "task_no"], name="joint_dispatch_unique")]

    def __str__(self) -> str:
        return f"{self.source_system}:{self.task_no}"
