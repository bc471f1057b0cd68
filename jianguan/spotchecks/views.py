"""Pages of 双随机一公开: plans and tasks, a task with its draw (commit, beacon value, result, replacements, void),
the inspector's checks and the result form (phone-sized screens too), and the public portal's pages."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.catalog.models import ImplementationVersion
from jianguan.core.errors import DomainError
from jianguan.core.http import attempt, page_of, post_roles, role_required
from jianguan.core.roles import Role
from jianguan.core.validation import parse_date

from . import check_results, drawing, inspector_directory, plans, pools, protocol, selectors, task_setup
from .models import Avoidance, Draw, DrawStatus, Expert, ResultCode, Task, TaskKind

CLASSES = ("A", "B", "C", "D")




@post_roles(Role.DEPARTMENT_ADMIN, Role.OFFICER)
def index(request: HttpRequest) -> HttpResponse:
    """Plans and tasks of the reader's scope, and the forms of a new plan and a new task."""
    user = request.user
    if request.method == "POST" and request.POST.get("form") == "plan":
        attempt(request, lambda: plans.plan_create(actor=user, year=int(request.POST.get("year") or 0),
                                                       title=request.POST.get("title", ""),
                                                       content=request.POST.get("content", "")), _("计划已创建。"))
        return redirect("spotchecks:index")
    own_plans = selectors.plan_list(reader=user).filter(department=user.department)
    items = ImplementationVersion.objects.in_force(timezone.localdate()).filter(
        in_random_checks=True, implementation__body=user.department).select_related("implementation__item")
    return render(request, "spotchecks/index.html", {
        "plans": selectors.plan_list(reader=user)[:50], "tasks": page_of(request, selectors.task_list(reader=user)),
        "own_plans": own_plans, "items": items, "classes": CLASSES,
        "figures": selectors.figures(reader=user), "year": timezone.localdate().year,
        "by_department": selectors.figures_by_department(reader=user)})


@post_roles(Role.DEPARTMENT_ADMIN, Role.OFFICER)
def directory(request: HttpRequest) -> HttpResponse:
    """执法检查人员名录库 of the reader's department; an officer's own avoidance declarations; areas set by the
    department administrator."""
    user, post = request.user, request.POST
    if request.method == "POST" and post.get("form") == "avoidance":
        day = post.get("ends_on") or None
        attempt(request, lambda: inspector_directory.avoidance_declare(
            actor=user, uscc=post.get("uscc", ""), reason=post.get("reason", ""),
            ends_on=parse_date(day, "ends_on", "回避截止日期") if day else None), _("回避声明已登记。"))
        return redirect("spotchecks:directory")
    if request.method == "POST" and post.get("form") == "expert":
        attempt(request, lambda: inspector_directory.expert_add(
            actor=user, name=post.get("name", ""), organisation=post.get("organisation", ""),
            specialties=post.get("specialties", "").replace("、", " ").split()), _("专家已添加。"))
        return redirect("spotchecks:directory")
    if request.method == "POST" and post.get("form") == "inspector":
        attempt(request, lambda: inspector_directory.inspector_set(
            actor=user, username=post.get("username", ""), areas=post.get("areas", "").split(),
            in_draws=post.get("in_draws") == "on"), _("检查人员信息已更新。"))
        return redirect("spotchecks:directory")
    return render(request, "spotchecks/directory.html", {
        "rows": page_of(request, selectors.inspector_list(department=user.department), per_page=100),
        "mine": Avoidance.objects.filter(inspector=user).select_related("entity"),
        "experts": Expert.objects.visible_to(user)[:200]})


@require_POST
@role_required(Role.DEPARTMENT_ADMIN, Role.OFFICER)
def plan_act(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_list(reader=request.user).get_visible(request.user, pk=plan_id)
    if request.POST.get("action") == "file":
        attempt(request, lambda: plans.plan_file(actor=request.user, plan_id=plan.pk), _("计划已报备。"))
    elif request.POST.get("action") == "publish":
        attempt(request, lambda: plans.plan_publish(actor=request.user, plan_id=plan.pk), _("计划已公开。"))
    return redirect("spotchecks:index")


@require_POST
@role_required(Role.DEPARTMENT_ADMIN, Role.OFFICER)
def task_create(request: HttpRequest) -> HttpResponse:
    post = request.POST
    strata = {name: {"ratio": post.get(f"ratio_{name}")} for name in CLASSES if post.get(f"ratio_{name}", "") != ""}

    def create():
        return task_setup.task_create(
            actor=request.user, plan_id=int(post.get("plan") or 0), name=post.get("name", ""),
            items=post.getlist("items"),
            window_start=parse_date(post.get("window_start", ""), "window_start", "检查开始日期"),
            window_end=parse_date(post.get("window_end", ""), "window_end", "检查结束日期"),
            kind=post.get("kind", TaskKind.UNDIRECTED), strata=strata,
            inspectors_per_department=int(post.get("inspectors_per_department") or 2),
            max_objects_per_inspector=int(post.get("max_objects_per_inspector") or 50))

    task = attempt(request, create, _("抽查任务已创建。"))
    return redirect("spotchecks:task", task_id=task.pk) if task else redirect("spotchecks:index")


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get(reader=request.user, task_id=task_id)
    draws = list(task.draws.order_by("-created_at"))
    live = next((d for d in draws if d.status != DrawStatus.VOID), None)
    suggested_round = protocol.drand_round_at(timezone.now().timestamp() + 120)
    return render(request, "spotchecks/task.html", {
        "task": task, "draws": draws, "draw": live,
        "results": page_of(request, selectors.draw_result_list(draw=live), per_page=50) if live else [],
        "may_act": request.user.department_id == task.lead_id, "suggested_round": suggested_round,
        "preview": pools.preview(task) if live is None else None,
        "suggested_due": (timezone.localtime() + dt.timedelta(minutes=5)).isoformat(timespec="seconds")})


@require_POST
@role_required(Role.DEPARTMENT_ADMIN, Role.OFFICER, Role.HEAD, Role.LEGAL_REVIEWER)
def task_act(request: HttpRequest, task_id: int) -> HttpResponse:
    """Publish the task, commit a draw, give the beacon value, replace an inspector, void, publish the results."""
    task = selectors.task_get(reader=request.user, task_id=task_id)
    user, post, action = request.user, request.POST, request.POST.get("action")
    draw = task.draws.exclude(status=DrawStatus.VOID).first()
    if action == "publish":
        attempt(request, lambda: task_setup.task_publish(actor=user, task_id=task.pk), _("任务已公布。"))
    elif action == "commit":
        beacon = ({"source": "drand", "round": int(post.get("round") or 0)} if post.get("source") == "drand"
                  else {"source": "witness", "witness": post.get("witness", ""), "due": post.get("due", "")})
        attempt(request, lambda: drawing.draw_commit(actor=user, task_id=task.pk, beacon=beacon),
                 _("已冻结名录并公布承诺值，待随机数产生后抽取。"))
    elif action == "reveal" and draw:
        attempt(request, lambda: drawing.draw_reveal(actor=user, draw_id=draw.pk,
                                                       beacon_value=post.get("beacon_value", ""),
                                                       signature=post.get("signature", "")), _("已完成抽取。"))
    elif action == "replace" and draw:
        attempt(request, lambda: drawing.draw_replace(actor=user, draw_id=draw.pk, uscc=post.get("object", ""),
                                                        out=post.get("out", ""), reason=post.get("reason", "")),
                 _("已按排序替换检查人员。"))
    elif action == "void_request" and draw:
        attempt(request, lambda: drawing.draw_void_request(actor=user, draw_id=draw.pk,
                                                             reason=post.get("reason", "")), _("已申请作废，待审批。"))
    elif action == "void_approve":
        target = task.draws.filter(pk=int(post.get("draw") or 0)).first()
        if target:
            attempt(request, lambda: drawing.draw_void_approve(actor=user, draw_id=target.pk), _("抽取已作废。"))
    elif action == "publish_results":
        attempt(request, lambda: check_results.results_publish(actor=user, task_id=task.pk), _("检查结果已公示。"))
    return redirect("spotchecks:task", task_id=task.pk)


@login_required
def transcript(request: HttpRequest, draw_id: int) -> HttpResponse:
    draw = selectors.draw_get(reader=request.user, draw_id=draw_id)
    response = HttpResponse(drawing.transcript_bytes(draw), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{draw.number}.json"'
    return response


@login_required
def my_checks(request: HttpRequest) -> HttpResponse:
    checks = selectors.check_result_list(reader=request.user, mine=True)
    return render(request, "spotchecks/my_checks.html", {"checks": checks})


@post_roles(Role.OFFICER, Role.DEPARTMENT_ADMIN)
def check(request: HttpRequest, result_id: int) -> HttpResponse:
    """One drawn object: the result form for its assigned inspectors, then the outcome and the hand-over."""
    result = selectors.check_result_get(reader=request.user, result_id=result_id)
    assigned = result.inspectors.filter(pk=request.user.pk).exists()
    if request.method == "POST":
        if request.POST.get("action") == "abnormal":
            attempt(request, lambda: check_results.result_list_abnormal(actor=request.user, result_id=result.pk),
                     _("已列入经营异常名录。"))
        elif request.POST.get("action") == "inspect":
            started = attempt(request, lambda: check_results.result_inspect(actor=request.user, result_id=result.pk),
                              _("已生成现场检查任务，请在手机端“我的任务”中检查。"))
            if started:
                return redirect("inspections:detail", inspection_id=started[0].id)
        elif request.POST.get("action") == "clue":
            attempt(request, lambda: check_results.result_to_clue(actor=request.user, result_id=result.pk),
                     _("已转为案件线索。"))
        else:
            entered = {"codes": request.POST.getlist("codes"), "checked_on": request.POST.get("checked_on", ""),
                       **{name: request.POST.get(name, "") for name in ("problems", "evidence", "follow_up")}}
            try:
                check_results.result_enter(actor=request.user, result_id=result.pk, codes=entered["codes"],
                                           checked_on=parse_date(entered["checked_on"], "checked_on", "检查日期"),
                                           problems=entered["problems"], evidence=entered["evidence"],
                                           follow_up=entered["follow_up"])
            except DomainError as exc:  # the form comes back with what was entered and the reason
                messages.error(request, f"{exc.message}（{exc.code}）")
                return _check_page(request, result, assigned, entered, status=400)
            messages.success(request, _("检查结果已录入。"))
        return redirect("spotchecks:check", result_id=result.pk)
    return _check_page(request, result, assigned, {})


def entry_day(task, today: dt.date) -> dt.date:
    """The date a result form offers: today, kept inside the task's window (检查期间)."""
    return max(task.window_start, min(today, task.window_end))


def _check_page(request: HttpRequest, result, assigned: bool, entered: dict, status: int = 200) -> HttpResponse:
    task = result.draw.task
    entered = {"codes": [], "problems": "", "evidence": "", "follow_up": "", **entered}
    entered["checked_on"] = entered.get("checked_on") or entry_day(task, timezone.localdate()).isoformat()
    return render(request, "spotchecks/check.html", {
        "check": result, "assigned": assigned, "codes": ResultCode.choices, "has_problem": result.has_problem,
        "may_list": request.user.department_id == task.lead_id and result.abnormal_due
        and not result.abnormal_listed_at, "entered": entered,
        "window": (task.window_start, task.window_end), "inspectors": result.inspectors.select_related("department")},
        status=status)


def public_index(request: HttpRequest) -> HttpResponse:
    """一公开: plans and tasks before the inspections, each draw's commitment and transcript digest, voids."""
    return render(request, "spotchecks/public_index.html", {"plans": selectors.public_plan_list()[:100],
                                                            "tasks": page_of(request, selectors.public_task_list())})


def public_transcript(request: HttpRequest, draw_id: int) -> HttpResponse:
    """The public form of a published draw's transcript, for anyone (`python -m jianguan.spotchecks.verify`)."""
    try:
        draw = selectors.public_draw_get(draw_id=draw_id)
    except Draw.DoesNotExist:  # absent, not drawn yet, or of a draft task: the same answer
        raise Http404 from None
    response = HttpResponse(drawing.public_transcript_bytes(draw), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{draw.number}-public.json"'
    return response


def public_task(request: HttpRequest, task_id: int) -> HttpResponse:
    try:
        task = selectors.public_task_get(task_id=task_id)
    except Task.DoesNotExist:  # absent or still a draft: the same answer
        raise Http404 from None
    return render(request, "spotchecks/public_task.html", {
        "task": task, "draws": task.draws.order_by("-created_at"),
        "results": page_of(request, selectors.public_result_list(task=task), per_page=50)})
