"""Results of 双随机一公开: entered by an assigned inspector (谁检查、谁录入) as 行政检查 records, the on-site check,
the step to a case clue, the 经营异常名录 and the publication of the results.

Results are public within 20 working days of the check's end and, where the firm cannot be reached at its
registered address or its public information is false, go on the 经营异常名录 within 10 working days
(企业信息公示暂行条例 第十四条、第十七条; spot-checks.md §3).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.behaviour import contracts as behaviour
from jianguan.catalog.contracts import implementation_bodies
from jianguan.core.calendar import add_working_days
from jianguan.core.errors import AccessDenied, InvalidTransition, NotFound
from jianguan.core.validation import require as _require
from jianguan.credit import contracts as credit
from jianguan.credit.models import CreditKind
from jianguan.enforcement import contracts as enforcement
from jianguan.inspections import contracts as inspections

from .models import CheckResult, DrawStatus, ResultCode, Task
from .plans import require_own

ABNORMAL_WORKING_DAYS = credit.ABNORMAL_LISTING_WORKING_DAYS  # 企业经营异常名录管理暂行办法 第八条、第九条
ABNORMAL_CODES = {ResultCode.UNREACHABLE, ResultCode.FALSE_PUBLICITY}
PENDING_SUBCODES = {ResultCode.PENDING_REGISTRATION, ResultCode.PENDING_FOOD_DRUG, ResultCode.PENDING_QUALITY,
                    ResultCode.PENDING_OTHER_DEPARTMENT, ResultCode.PENDING_POLICE}


def _codes(codes: list[str]) -> list[str]:
    _require(bool(codes), "至少选择一项检查结果", "required", "codes")
    unknown = set(codes) - set(ResultCode.values)
    _require(not unknown, f"检查结果代码不存在：{'、'.join(sorted(unknown))}", "choice_invalid", "codes")
    _require(ResultCode.NO_PROBLEM not in codes or len(set(codes)) == 1, "“未发现问题”不能与其他结果同时选择",
             "codes_conflict", "codes")
    chosen = set(codes)
    if chosen & PENDING_SUBCODES:
        chosen.add(ResultCode.PENDING)
    _require(ResultCode.PENDING not in chosen or bool(chosen & PENDING_SUBCODES),
             "“发现问题待后续处理”须注明违反的规定类别（2、3、4、5 或 G）", "codes_subcode_required", "codes")
    return sorted(chosen, key=ResultCode.values.index)


@transaction.atomic
def result_enter(*, actor: User, result_id: int, codes: list[str], checked_on: dt.date, problems: str = "",
                 evidence: str = "", follow_up: str = "") -> CheckResult:
    """谁检查、谁录入: only an inspector assigned to the object enters its result. It is stored as the 行政检查
    record of each item of the inspector's department (citing its implementation row), and sets the 经营异常名录
    clock where the result requires it."""
    check = CheckResult.objects.select_for_update().select_related("draw__task", "entity").get(pk=result_id)
    task = check.draw.task
    if not check.inspectors.filter(pk=actor.pk).exists():
        raise AccessDenied("只有抽中的检查人员可以录入本户检查结果", code="result_not_assigned")
    if check.entered_at:
        raise InvalidTransition("检查结果已录入", code="result_entered")
    clean = _codes(codes)
    _require(task.window_start <= checked_on <= min(task.window_end, timezone.localdate()),
             "检查日期应在任务检查期间内且不晚于今天", "date_out_of_window", "checked_on")
    colleagues = _visit_officers(check, actor)
    credentials = [c.credentials.filter(revoked_at=None).order_by("-valid_to").first() for c in colleagues]
    check.codes = clean
    bodies_of = implementation_bodies(task.items)
    on_site = _on_site_records(check, actor)
    numbers = []
    for index, code in enumerate(c for c in task.items if bodies_of.get(c) == actor.department_id):
        if code in on_site:
            numbers.append(on_site[code])
            continue
        number = f"{check.draw.number}-{check.pk}-{index + 1}"
        behaviour.inspection_record(
            actor=actor, department=actor.department, implementation_code=code, number=number,
            name=f"双随机抽查：{task.name}", date=checked_on, form="双随机抽查", category="1",
            result=check.result_labels,
            inspectors=[u.full_name for u in colleagues],
            credential_numbers=[c.number if c else "" for c in credentials], spot_check_plan=str(task.pk),
            party={"entity_code": check.entity.uscc})
        numbers.append(number)
    check.problems, check.evidence, check.follow_up = problems, evidence, follow_up
    check.checked_on, check.entered_by, check.entered_at = checked_on, actor, timezone.now()
    check.inspection_numbers = numbers
    if ABNORMAL_CODES & set(clean):
        check.abnormal_due = add_working_days(checked_on, ABNORMAL_WORKING_DAYS)
    check.save()
    record(actor=actor, verb="spotchecks.result_entered", target=check,
           data={"codes": clean, "inspections": numbers, "abnormal_due": check.abnormal_due})
    return check


def _on_site_records(check: CheckResult, actor: User) -> dict[str, str]:
    """{task item: 行政检查 number} of the items the actor's department checked on site (result_inspect): the result
    takes those numbers and writes no second record. A draft still open would write its own record when submitted,
    a second one for the same item, so it must be submitted first."""
    mine = [i for i in inspections.for_origin(origin_kind="spot_check", origin_ref=_origin(check))
            if i.department_id == actor.department_id]
    if any(not i.number for i in mine):
        raise InvalidTransition("本户的现场检查记录尚未提交：请先在“我的任务”中提交现场检查，再录入检查结果",
                                code="onsite_not_submitted")
    return {i.implementation_code: i.number for i in mine}


def _visit_officers(check: CheckResult, actor: User) -> list[User]:
    """The officers who visit a drawn object: on a joint task the inspectors of every department drawn for it, the
    actor's department first — two officers in total, not two per department (行政处罚法 第四十二条)."""
    return sorted(check.inspectors.all(), key=lambda u: (u.department_id != actor.department_id, u.username))


def _origin(check: CheckResult) -> str:
    return f"{check.draw.task_id}/{check.pk}"


@transaction.atomic
def result_inspect(*, actor: User, result_id: int) -> list:
    """现场检查 of a drawn object: for each task item of the inspector's department, the draft 行政检查 (checklist,
    on-site record, photos, signature) of the inspectors drawn from that department, started on the phone page;
    asking again answers the drafts already made. Only an inspector assigned to the object starts it."""
    check = CheckResult.objects.select_related("draw__task", "entity").get(pk=result_id)
    if not check.inspectors.filter(pk=actor.pk).exists():
        raise AccessDenied("只有抽中的检查人员可以开始现场检查", code="result_not_assigned")
    if check.entered_at:
        raise InvalidTransition("检查结果已录入", code="result_entered")
    task = check.draw.task
    bodies_of = implementation_bodies(task.items)
    visitors = _visit_officers(check, actor)
    officers = [u.username for u in visitors]
    partners = {u.department_id for u in visitors} - {actor.department_id}
    return [inspections.assign(actor=actor, origin_kind="spot_check", origin_ref=_origin(check),
                               department=actor.department, implementation_code=code,
                               party={"kind": "entity", "uscc": check.entity.uscc}, officers=officers,
                               joint_with=partners)
            for code in task.items if bodies_of.get(code) == actor.department_id]


def result_to_clue(*, actor: User, result_id: int):
    """One step from a result with problems to a penalty case's clue (案件来源：监督检查)."""
    check = CheckResult.objects.select_related("draw__task", "entity").get(pk=result_id)
    if not check.inspectors.filter(pk=actor.pk).exists() and actor.department_id != check.draw.task.lead_id:
        raise NotFound()
    if not check.entered_at or not check.has_problem:
        raise InvalidTransition("只有发现问题的检查结果可以转为案件线索", code="result_without_problem")
    return enforcement.clue_from_inspection(actor=actor, inspection_number=check.inspection_numbers[0],
                                            summary=check.problems or check.result_labels)


@transaction.atomic
def result_list_abnormal(*, actor: User, result_id: int):
    """列入经营异常名录 where the result requires it (unreachable at the registered address, or false public
    information; 企业信息公示暂行条例 第十七条), as a credit record of the lead department, within 10 working days."""
    check = CheckResult.objects.select_for_update().select_related("draw__task__lead", "entity").get(pk=result_id)
    require_own(actor, check.draw.task.lead_id)
    if not check.abnormal_due:
        raise InvalidTransition("该检查结果不需要列入经营异常名录", code="abnormal_not_required")
    if check.abnormal_listed_at:
        raise InvalidTransition("已列入经营异常名录", code="abnormal_listed")
    reasons = "；".join(str(ResultCode(code).label) for code in check.codes if code in ABNORMAL_CODES)
    batch = credit.credit_import_json(actor=actor, kind=CreditKind.ABNORMAL, source="双随机抽查", records=[{
        "uscc": check.entity.uscc, "date": timezone.localdate().isoformat(), "title": reasons,
        "source_ref": check.inspection_numbers[0], "authority": check.draw.task.lead.name,
        "detail": f"{check.draw.task.name}（{check.draw.number}）"}])
    check.abnormal_listed_at = timezone.now()
    check.save(update_fields=["abnormal_listed_at", "updated_at"])
    record(actor=actor, verb="spotchecks.abnormal_listed", target=check, data={"credit_import": batch.pk})
    return check


@transaction.atomic
def results_publish(*, actor: User, task_id: int) -> int:
    """公示: the entered results of the task become public (entity, code, items, result, date, department)."""
    task = Task.objects.get(pk=task_id)
    require_own(actor, task.lead_id)
    count = CheckResult.objects.filter(draw__task=task, draw__status=DrawStatus.DRAWN, published_at=None).exclude(
        entered_at=None).update(published_at=timezone.now())
    record(actor=actor, verb="spotchecks.results_published", target=task, data={"count": count})
    return count
