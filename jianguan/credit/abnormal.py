"""Writes of the platform's own 经营异常名录 (ADR 0043): a listing proposed by an officer of the market-supervision
department that registers the entity, approved by that department's head, decided with its 列入决定书 and published;
an application for removal on repair, decided with the 移出决定书. Every step is an edge of
`abnormal_workflow.ENTRIES`, checked before anything is written, recorded in the audit chain in the same transaction.

A decided entry is mirrored as a `CreditRecord` of kind 经营异常名录 (source `SOURCE`, its number as the source's
number; the removal day as its end), so the classification's override (经营异常名录 → at least C) and every other
reader of credit records see it with the imported ones.

《企业经营异常名录管理暂行办法》（国家工商行政管理总局令第68号）第三条至第十四条; 《企业信息公示暂行条例》第十七条.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import DepartmentKind, User
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.calendar import add_working_days
from jianguan.core.numbering import daily_number
from jianguan.core.roles import Role
from jianguan.core.validation import day, require, text
from jianguan.core.workflow import acts_for
from jianguan.documents import contracts as documents
from jianguan.subjects.contracts import require_entity

from .abnormal_workflow import ARTICLES, ENTRIES, IN_LIST, REPAIR_FOR, RULES, Facts
from .models import AbnormalEntry, AbnormalReason, AbnormalRepair, AbnormalStatus, CreditKind, CreditRecord

# 暂行办法 第六条至第九条: the listing decision within 10 working days of the ground (the end of the annual-report
# period, the end of the time limit ordered, the day the false information or the unreachable address was
# verified). The spot checks' 经营异常名录 clock is this one (`spotchecks.check_results`).
LISTING_WORKING_DAYS = 10
SOURCE = "本平台经营异常名录"
PREFIX = "YC"
FOUND_ON_LABELS = {
    AbnormalReason.ANNUAL_REPORT: "年度报告公示期届满日",
    AbnormalReason.DISCLOSURE: "责令公示期限届满日",
    AbnormalReason.FALSE_INFORMATION: "查实日期",
    AbnormalReason.UNREACHABLE: "查实日期",
}


def listing_due(found_on: dt.date) -> dt.date:
    """The last day to decide a listing whose ground arose on `found_on` (暂行办法 第六条至第九条)."""
    return add_working_days(found_on, LISTING_WORKING_DAYS)


def removal_due(applied_on: dt.date) -> dt.date:
    """The last day to decide a removal applied for on `applied_on` (暂行办法 第十一条至第十四条: 5 working days,
    `JIANGUAN_ABNORMAL_REMOVAL_WORKING_DAYS`)."""
    return add_working_days(applied_on, settings.JIANGUAN_ABNORMAL_REMOVAL_WORKING_DAYS)


def _reason(value: Any) -> AbnormalReason:
    labels = "、".join(str(r.label) for r in AbnormalReason)
    message = f"“列入事由”应为《企业经营异常名录管理暂行办法》第四条规定的情形之一：{labels}"
    require(value in AbnormalReason.values, message, "reason_not_in_law", "reason")
    return AbnormalReason(value)


@transaction.atomic
def abnormal_propose(*, actor: User, uscc: str, reason: str, facts: str, found_on: Any) -> AbnormalEntry:
    """提出列入: an officer of a 市场监督管理 department proposes to list an entity of its jurisdiction for one of
    the four grounds of 暂行办法 第四条 (第三条: the department that registers the entity keeps its entries). The
    10 working-day clock runs from `found_on` (第六条至第九条). An entity already in the list, or proposed, for the
    same ground is refused."""
    require(acts_for(actor, actor.department_id, Role.OFFICER) and actor.department.kind == DepartmentKind.SCJG,
            "只有市场监督管理部门的执法人员可以提出列入经营异常名录", "not_market_supervision", "department")
    ground = _reason(reason)
    entity = require_entity(uscc, reader=actor)
    what = text(facts, "facts", "事实", max_len=2000)
    since = day(found_on, "found_on", FOUND_ON_LABELS[ground])
    require(since >= entity.established_on, f"“{FOUND_ON_LABELS[ground]}”不能早于该主体的成立日期",
            "date_before_established", "found_on")
    open_states = (AbnormalStatus.PROPOSED, AbnormalStatus.APPROVED, *IN_LIST)
    require(not AbnormalEntry.objects.filter(entity=entity, reason=ground, status__in=open_states).exists(),
            f"该主体已因“{ground.label}”被提出或列入经营异常名录", "already_listed", "uscc")
    entry = AbnormalEntry.objects.create(
        number=daily_number(PREFIX, timezone.localdate(), issued=AbnormalEntry.objects.all()), entity=entity,
        region_id=entity.region_id, department_id=actor.department_id, reason=ground, facts=what, found_on=since,
        listing_due=listing_due(since), proposed_by=actor)
    record(actor=actor, verb="credit.abnormal_proposed", target=entry,
           data={"number": entry.number, "uscc": entity.uscc, "reason": ground.value, "found_on": since,
                 "listing_due": entry.listing_due})
    return entry


def facts_of(entry: AbnormalEntry, actor: Actor, repair: str = "") -> Facts:
    """The workflow's snapshot of `entry` for `actor` (the proposer of the step awaiting approval)."""
    proposer = entry.removal_proposed_by_id if entry.status == AbnormalStatus.REMOVAL_APPLIED else entry.proposed_by_id
    return Facts(entry.status, actor, entry.department_id, proposer, entry.reason, repair)


@transaction.atomic
def abnormal_transition(*, entry_id: int, action: str, values: dict[str, Any], actor: User) -> AbnormalEntry:
    """Take one step of the entry's table (`abnormal_workflow.ENTRIES`): the edge checked (order, who, guards),
    then the step's handler, the audit event in the same transaction. The caller has read the entry as `actor`."""
    entry: AbnormalEntry = AbnormalEntry.objects.select_for_update(of=("self",)).select_related(
        "entity", "department__region", "credit_record").get(pk=entry_id)
    edge = ENTRIES.check(action, facts_of(entry, actor, str(values.get("repair") or "")))
    before = entry.status
    data = HANDLERS[edge.action](entry, values, actor)
    entry.status = edge.target
    entry.save()
    record(actor=actor, verb=f"credit.abnormal_{edge.action}", target=entry,
           data={"number": entry.number, "from": before, "to": entry.status, "citation": edge.citation, **data})
    return entry


def _approve(entry: AbnormalEntry, values: dict[str, Any], actor: User) -> dict[str, Any]:
    entry.approved_by, entry.approved_at = actor, timezone.now()
    entry.note = text(values.get("note"), "note", "审批意见", required=False, max_len=1000)
    return {"note": entry.note}


def _reject(entry: AbnormalEntry, values: dict[str, Any], actor: User) -> dict[str, Any]:
    entry.approved_by, entry.approved_at = actor, timezone.now()
    entry.note = text(values.get("note"), "note", "不予列入理由", max_len=1000)
    return {"note": entry.note}


def _party(entry: AbnormalEntry) -> dict[str, str]:
    entity = entry.entity
    return {"kind": "organisation", "name": entity.name, "code": entity.uscc, "address": entity.registered_address,
            "legal_representative": entity.legal_representative}


def _decide(entry: AbnormalEntry, values: dict[str, Any], actor: User) -> dict[str, Any]:
    """列入决定 (暂行办法 第五条): the day of listing (not before the ground arose, not in the future; a decision
    after `listing_due` is late, shown as overdue, not refused), the day it was published (公示, not before the
    decision), the 列入决定书 issued and the entry mirrored as a credit record."""
    decided = day(values.get("decided_on"), "decided_on", "列入日期", default=timezone.localdate())
    require(decided >= entry.found_on, "“列入日期”不能早于列入情形发生（查实）日期", "date_before_ground", "decided_on")
    published = day(values.get("published_on"), "published_on", "公示日期", default=decided)
    require(published >= decided, "“公示日期”不能早于列入日期", "published_before_decision", "published_on")
    reason = AbnormalReason(entry.reason)
    issued = documents.issue(actor=actor, kind="abnormal_listing_decision", department=entry.department,
                             subject=f"abnormal:{entry.number}", context={
                                 "party": _party(entry), "reason": str(reason.label), "facts": entry.facts,
                                 "basis": f"{RULES}{ARTICLES[reason][0]}", "listed_on": decided.isoformat(),
                                 "repair": _REPAIR_TEXT[reason], "review": documents.remedies(entry.department)})
    entry.decided_on, entry.published_on = decided, published
    entry.decision_number, entry.decision_document = issued.number, issued.id
    entry.credit_record = CreditRecord.objects.create(
        kind=CreditKind.ABNORMAL, entity=entry.entity, region_id=entry.region_id, source=SOURCE,
        source_ref=entry.number, date=decided, title=str(reason.label), authority=entry.department.name,
        detail=entry.facts)
    return {"decided_on": decided, "published_on": published, "document": issued.number, "digest": issued.digest,
            "late": decided > entry.listing_due}


_REPAIR_TEXT = {
    AbnormalReason.ANNUAL_REPORT: "补报未报年份的年度报告并公示",
    AbnormalReason.DISCLOSURE: "履行即时信息公示义务",
    AbnormalReason.FALSE_INFORMATION: "更正其公示的信息",
    AbnormalReason.UNREACHABLE: "依法办理住所或者经营场所变更登记，或者通过登记的住所或者经营场所可以重新取得联系",
}


def _apply_removal(entry: AbnormalEntry, values: dict[str, Any], actor: User) -> dict[str, Any]:
    """移出申请 (暂行办法 第十一条至第十四条): the repair that fits the ground (the edge's guard), what was done,
    the day the application was received; the removal clock starts."""
    applied = day(values.get("applied_on"), "applied_on", "申请移出日期", default=timezone.localdate())
    require(entry.decided_on is not None and applied >= entry.decided_on, "“申请移出日期”不能早于列入日期",
            "date_before_listing", "applied_on")
    entry.repair = AbnormalRepair(values["repair"])
    entry.repair_facts = text(values.get("repair_facts"), "repair_facts", "履行义务情况", max_len=2000)
    entry.removal_applied_on, entry.removal_due = applied, removal_due(applied)
    entry.removal_proposed_by = actor
    return {"repair": entry.repair, "applied_on": applied, "removal_due": entry.removal_due}


def _remove(entry: AbnormalEntry, values: dict[str, Any], actor: User) -> dict[str, Any]:
    """移出决定 (暂行办法 第十条): the day of removal (not before the application, not in the future), the
    移出决定书 issued; the mirrored credit record ends that day."""
    removed = day(values.get("removed_on"), "removed_on", "移出日期", default=timezone.localdate())
    require(entry.removal_applied_on is not None and removed >= entry.removal_applied_on,
            "“移出日期”不能早于申请移出日期", "date_before_application", "removed_on")
    reason = AbnormalReason(entry.reason)
    issued = documents.issue(actor=actor, kind="abnormal_removal_decision", department=entry.department,
                             subject=f"abnormal:{entry.number}", context={
                                 "party": _party(entry), "repair": str(REPAIR_FOR[reason].label),
                                 "listing": {"number": entry.decision_number,
                                             "date": entry.decided_on.isoformat() if entry.decided_on else "",
                                             "reason": str(reason.label)},
                                 "facts": entry.repair_facts, "basis": f"{RULES}{ARTICLES[reason][1]}",
                                 "removed_on": removed.isoformat()})
    entry.removed_on, entry.removed_by = removed, actor
    entry.removal_number, entry.removal_document = issued.number, issued.id
    if entry.credit_record is not None:
        entry.credit_record.ends_on = removed
        entry.credit_record.save(update_fields=["ends_on", "updated_at"])
    return {"removed_on": removed, "document": issued.number, "digest": issued.digest,
            "late": entry.removal_due is not None and removed > entry.removal_due}


def _refuse_removal(entry: AbnormalEntry, values: dict[str, Any], actor: User) -> dict[str, Any]:
    """不予移出: the application is answered with the reason; the entry stays in the list as it was."""
    entry.note = text(values.get("note"), "note", "不予移出理由", max_len=1000)
    refused = {"repair": entry.repair, "applied_on": entry.removal_applied_on, "note": entry.note}
    entry.repair, entry.repair_facts, entry.removal_applied_on, entry.removal_due = "", "", None, None
    entry.removal_proposed_by = None
    return refused


HANDLERS: dict[str, Callable[[AbnormalEntry, dict[str, Any], User], dict[str, Any]]] = {
    "approve": _approve, "reject": _reject, "decide": _decide, "apply_removal": _apply_removal, "remove": _remove,
    "refuse_removal": _refuse_removal,
}
