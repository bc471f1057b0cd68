"""Reads of 双随机一公开, scoped: the work portal's lists and pages, the inspector's own checks, the figures of
the dashboard, and what the public portal shows."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.core.scoping import HasScope
from jianguan.credit import contracts as credit
from jianguan.subjects.models import EntityStatus, MarketEntity

from .models import CheckResult, Draw, DrawStatus, Plan, PlanStatus, SupervisionPolicy, Task, TaskStatus


def plan_list(*, reader: HasScope) -> QuerySet[Plan]:
    return Plan.objects.visible_to(reader).select_related("department", "filed_with")


def task_list(*, reader: HasScope) -> QuerySet[Task]:
    return Task.objects.visible_to(reader).distinct().select_related("plan", "lead")


def task_get(*, reader: HasScope, task_id: int) -> Task:
    return task_list(reader=reader).get_visible(reader, pk=task_id)


def draw_get(*, reader: HasScope, draw_id: int) -> Draw:
    return Draw.objects.select_related("task").get_visible(reader, pk=draw_id)


def draw_result_list(*, draw: Draw) -> QuerySet[CheckResult]:
    return draw.results.select_related("entity", "entered_by").prefetch_related("inspectors").order_by(
        "stratum", "entity__uscc")


def check_result_get(*, reader: HasScope, result_id: int) -> CheckResult:
    """A check: visible to its task's departments, and always to the inspectors drawn for it."""
    check = CheckResult.objects.select_related("draw__task", "entity", "region").filter(pk=result_id).first()
    if check is not None and check.inspectors.filter(pk=getattr(reader, "pk", None)).exists():
        return check
    return CheckResult.objects.select_related("draw__task", "entity", "region").get_visible(reader, pk=result_id)


def check_result_list(*, reader: User, mine: bool = False) -> QuerySet[CheckResult]:
    """The checks within the reader's scope; with `mine`, those the reader was drawn for and has not entered yet,
    soonest window end first."""
    if not mine:
        return CheckResult.objects.visible_to(reader).distinct()
    return CheckResult.objects.filter(inspectors=reader, entered_at=None, draw__status=DrawStatus.DRAWN).select_related(
        "draw__task", "entity").order_by("draw__task__window_end", "entity__name")


def overdue_result_list(*, reader: HasScope) -> QuerySet[CheckResult]:
    return CheckResult.objects.visible_to(reader).filter(published_at=None, publish_due__lt=timezone.localdate(),
                                                         draw__status=DrawStatus.DRAWN).distinct()


def figures(*, reader: HasScope) -> dict[str, int]:
    """Plans, tasks, draws, completion, overdue publications and voids within the reader's scope."""
    visible_tasks = task_list(reader=reader)
    draws = Draw.objects.visible_to(reader).distinct()
    results = check_result_list(reader=reader).aggregate(
        total=Count("pk", distinct=True), entered=Count("pk", filter=~Q(entered_at=None), distinct=True),
        published=Count("pk", filter=~Q(published_at=None), distinct=True))
    return {"plans": plan_list(reader=reader).count(), "tasks": visible_tasks.count(),
            "draws": draws.exclude(status=DrawStatus.VOID).count(),
            "voids": draws.filter(status=DrawStatus.VOID).count(), "objects": results["total"],
            "entered": results["entered"], "published": results["published"],
            "overdue": overdue_result_list(reader=reader).count()}


def figures_by_department(*, reader: HasScope) -> list[dict]:
    """Per lead department: tasks, live draws, voids, drawn objects, entered and published results, overdue."""
    today = timezone.localdate()
    rows = CheckResult.objects.visible_to(reader).values("draw__task__lead__name").annotate(
        objects=Count("pk", distinct=True), entered=Count("pk", filter=~Q(entered_at=None), distinct=True),
        published=Count("pk", filter=~Q(published_at=None), distinct=True),
        overdue=Count("pk", filter=Q(published_at=None, publish_due__lt=today), distinct=True)).order_by(
        "draw__task__lead__name")
    draws = {row["task__lead__name"]: row for row in Draw.objects.visible_to(reader).values("task__lead__name")
             .annotate(live=Count("pk", filter=~Q(status=DrawStatus.VOID), distinct=True),
                       voids=Count("pk", filter=Q(status=DrawStatus.VOID), distinct=True))}
    return [{**row, "department": row["draw__task__lead__name"], **draws.get(row["draw__task__lead__name"], {})}
            for row in rows]


def inspector_list(*, department) -> list[dict]:
    """The department's part of the 执法检查人员名录库: officers, their credential, areas, avoidance count."""
    from jianguan.accounts.models import OfficerCredential

    from .models import Avoidance, Inspector

    entries = {e.user_id: e for e in Inspector.objects.filter(user__department=department)}
    avoid = dict(Avoidance.objects.filter(inspector__department=department).values_list("inspector_id").annotate(
        n=Count("pk")).order_by())
    rows = []
    for credential in OfficerCredential.objects.filter(user__department=department, revoked_at=None).select_related(
            "user").order_by("user__username", "-valid_to"):
        if rows and rows[-1]["user"].pk == credential.user_id:
            continue
        entry = entries.get(credential.user_id)
        rows.append({"user": credential.user, "credential": credential, "areas": entry.areas if entry else [],
                     "in_draws": entry.in_draws if entry else True, "avoidances": avoid.get(credential.user_id, 0),
                     "valid": credential.valid_to >= timezone.localdate()})
    return rows


def abnormal_result_list(*, reader: HasScope) -> QuerySet[CheckResult]:
    """Results that call for the 经营异常名录 and are not listed yet."""
    return CheckResult.objects.visible_to(reader).filter(abnormal_listed_at=None).exclude(abnormal_due=None).distinct()


def dashboard_counts(*, reader: User) -> dict[str, int]:
    """The dashboard card's figures, one statement each."""
    return {"tasks": task_list(reader=reader).count(), "mine": check_result_list(reader=reader, mine=True).count(),
            "overdue": overdue_result_list(reader=reader).count(),
            "abnormal": abnormal_result_list(reader=reader).count()}


# The public portal ----------------------------------------------------------------------------------------------

def public_plan_list() -> QuerySet[Plan]:
    return Plan.objects.filter(status=PlanStatus.PUBLISHED).select_related("department").order_by("-year", "title")


def public_task_list() -> QuerySet[Task]:
    return Task.objects.exclude(status=TaskStatus.DRAFT).select_related("lead", "plan").prefetch_related(
        "departments", "draws").order_by("-window_start")


def public_task_get(*, task_id: int) -> Task:
    return public_task_list().get(pk=task_id)


def public_draw_get(*, draw_id: int) -> Draw:
    """A draw whose transcript is public (`drawing.transcript_is_public`); Draw.DoesNotExist otherwise."""
    return Draw.objects.select_related("task").exclude(task__status=TaskStatus.DRAFT).filter(
        result__isnull=False).get(pk=draw_id)


def public_result_list(*, task: Task) -> QuerySet[CheckResult]:
    return CheckResult.objects.filter(draw__task=task, draw__status=DrawStatus.DRAWN).exclude(
        published_at=None).select_related("entity").order_by("entity__uscc")


# 差异化监管 --------------------------------------------------------------------------------------------------------

def policy_list(*, reader: HasScope) -> QuerySet[SupervisionPolicy]:
    """The versions of the supervision policy of the reader's jurisdiction, newest effective date first."""
    return SupervisionPolicy.objects.visible_to(reader).select_related("created_by").order_by("-effective_from")


def key_supervision_list(*, reader: HasScope) -> QuerySet[MarketEntity]:
    """重点监管名单: the entities in business of the reader's jurisdiction that the classification in force puts in
    class D (`credit.contracts`), by code."""
    return (MarketEntity.objects.visible_to(reader).filter(pk__in=credit.class_members("D"), status=EntityStatus.ACTIVE)
            .select_related("region").order_by("uscc"))


def last_checked(*, reader: HasScope, entity_ids: list[int]) -> dict[int, dt.date]:
    """entity id → the day of its latest spot check entered that the reader may see (one statement)."""
    rows = (CheckResult.objects.visible_to(reader).filter(entity_id__in=entity_ids).exclude(checked_on=None)
            .values("entity_id").annotate(last=Max("checked_on")).order_by())
    return {row["entity_id"]: row["last"] for row in rows}
