"""The platform's own 严重违法失信名单 (SAMR 令第44号《市场监督管理严重违法失信名单管理办法》, disclosure-credit.md §7;
ADR 0044): a proposal from a heavier 行政处罚 of the behaviour library or from three years in the 经营异常名录, the
prior notice with the party's defence and hearing, approval (the level above's agreement where required), the
decision (列入决定书 through the documents app), publication, and removal early on application or at the end.

A decided entry is mirrored into the credit records as kind 严重违法失信名单 (source `本平台`, the entry's number),
its end the planned end or the day it was removed: the classification's override (严重违法失信名单 → D) and the
punishment flags (`serious_rules.punishment_flags`) read every entry the same way, imported or decided here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import Department, RegionLevel, User
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor, SystemActor, actor_ref
from jianguan.core.calendar import add_working_days
from jianguan.core.errors import AccessDenied
from jianguan.core.numbering import daily_number
from jianguan.core.roles import Role
from jianguan.core.scoping import HasScope
from jianguan.core.validation import day, require, text
from jianguan.core.workflow import Edge, acts_for
from jianguan.documents import contracts as documents
from jianguan.subjects.contracts import require_entity

from . import serious_rules as rules
from . import serious_workflow as flow
from .models import CreditKind, CreditRecord, SeriousBasis, SeriousEntry, SeriousStatus, SeriousStep

SOURCE = "本平台"
LEVELS = {"county": RegionLevel.COUNTY, "city": RegionLevel.CITY, "province": RegionLevel.PROVINCE}


def upper_needed(department: Department) -> bool:
    """Whether a listing decided by `department` needs the level above's agreement (县级、设区的市级部门 by default,
    `JIANGUAN_CREDIT_SERIOUS_UPPER_LEVELS`; 令第44号 as in force, a 2025 draft revision would drop it [config])."""
    return department.region.level in {LEVELS[name] for name in settings.JIANGUAN_CREDIT_SERIOUS_UPPER_LEVELS}


def facts_for(entry: SeriousEntry, actor: Actor, **extra: Any) -> flow.Facts:
    """The facts the table judges for `actor` on `entry` today (`extra`: what an application for removal states)."""
    department = entry.department
    return flow.Facts(
        state=entry.status, actor=actor, department_id=entry.department_id, proposer_id=entry.proposed_by_id,
        today=timezone.localdate(), upper_department_id=department.parent_id, upper_needed=upper_needed(department),
        statement_due=entry.statement_due, hearing_requested=entry.hearing_requested,
        hearing_outcome=entry.hearing_outcome, listed_on=entry.listed_on, ends_on=entry.ends_on, **extra)


def _step(entry: SeriousEntry, edge: Edge, actor: Actor, note: str = "") -> None:
    SeriousStep.objects.create(entry=entry, action=edge.action, source=edge.source, target=edge.target,
                               actor=actor_ref(actor).label, note=note)
    record(actor=actor, verb=f"credit.serious_{edge.action}", target=entry,
           data={"number": entry.number, "from": edge.source, "to": edge.target, "note": note[:200]})


# Proposal ------------------------------------------------------------------------------------------------------


def _officer_of(actor: Actor, department_id: int) -> None:
    if not acts_for(actor, department_id, Role.OFFICER, Role.HEAD):
        raise AccessDenied("只有作出行政处罚的部门的执法人员可以提出列入（谁处罚、谁列入）",
                           code="not_department_officer")


def _from_penalty(data: dict[str, Any], actor: User) -> dict[str, Any]:
    penalty = rules.penalty_for(data.get("penalty"), actor)
    _officer_of(actor, penalty.department_id)
    aggravated = bool(data.get("aggravated"))
    rules.require_heavier(penalty.penalty_kinds, aggravated)
    require(not SeriousEntry.objects.filter(penalty=penalty).exclude(
        status__in=(SeriousStatus.REFUSED, SeriousStatus.WITHDRAWN)).exists(),
        "该行政处罚已提出过列入严重违法失信名单", "already_proposed", "penalty")
    assert penalty.entity is not None
    return {"entity": penalty.entity, "department_id": penalty.department_id, "penalty": penalty,
            "penalty_kinds": list(penalty.penalty_kinds), "aggravated": aggravated,
            "domain": rules.domain(data.get("domain"))}


def _from_abnormal(data: dict[str, Any], actor: User) -> dict[str, Any]:
    entity = require_entity(str(data.get("uscc") or ""), "uscc", reader=actor)
    department_id: int = actor.department_id
    _officer_of(actor, department_id)
    rules.require_abnormal_three_years(entity.pk, timezone.localdate())
    return {"entity": entity, "department_id": department_id, "penalty": None, "penalty_kinds": [],
            "aggravated": False, "domain": rules.ABNORMAL_DOMAIN}


@transaction.atomic
def serious_propose(*, data: dict[str, Any], actor: User) -> SeriousEntry:
    """拟列入: the basis (a heavier 行政处罚, 令第44号 第二条; or 经营异常名录届满3年), the domain (第五条至第十条),
    the officer's statement that the act is 性质恶劣、情节严重、社会危害较大 and the factors weighed (第十二条:
    intent, frequency, duration, amounts; a party shown to have acted without intent is not listed)."""
    basis = str(data.get("basis") or SeriousBasis.PENALTY)
    require(basis in SeriousBasis.values, f"列入依据类别无效：{basis}", "basis_invalid", "basis")
    found = _from_penalty(data, actor) if basis == SeriousBasis.PENALTY else _from_abnormal(data, actor)
    factors = rules.factors(data.get("factors") or {})
    require(not SeriousEntry.objects.filter(entity=found["entity"], status__in=rules.OPEN).exists(),
            "该市场主体已有办理中或在列的严重违法失信名单记录", "already_listed", "uscc")
    today = timezone.localdate()
    entry = SeriousEntry.objects.create(
        number=daily_number("YZ", today, issued=SeriousEntry.objects.all()), region_id=found["entity"].region_id,
        basis=basis, reason=text(data.get("reason"), "reason", "列入事由", max_len=500),
        statement=text(data.get("statement"), "statement", "性质恶劣、情节严重、社会危害较大的理由"),
        factors=factors, proposed_by=actor, **found)
    _step(entry, Edge("", "propose", SeriousStatus.PROPOSED, flow.OFFICER), actor, entry.reason)
    return entry


# Steps ---------------------------------------------------------------------------------------------------------


def _notify(entry: SeriousEntry, data: dict[str, Any]) -> str:
    entry.notified_on = day(data.get("notified_on"), "notified_on", "告知日期", default=timezone.localdate())
    entry.statement_due = add_working_days(entry.notified_on, settings.JIANGUAN_CREDIT_SERIOUS_NOTICE_DAYS)
    return f"告知日期 {entry.notified_on}，陈述、申辩和申请听证期限至 {entry.statement_due}"


def _defend(entry: SeriousEntry, data: dict[str, Any]) -> str:
    entry.defence = text(data.get("defence"), "defence", "陈述、申辩意见")
    entry.hearing_requested = entry.hearing_requested or bool(data.get("hearing_requested"))
    return entry.defence


def _hear(entry: SeriousEntry, data: dict[str, Any]) -> str:
    entry.hearing_outcome = text(data.get("hearing_outcome"), "hearing_outcome", "听证情况")
    return entry.hearing_outcome


def _reason(entry: SeriousEntry, data: dict[str, Any]) -> str:
    entry.refusal_reason = text(data.get("reason"), "reason", "理由")
    return entry.refusal_reason


def _approve(entry: SeriousEntry, data: dict[str, Any], actor: Actor) -> str:
    entry.approved_by, entry.approved_on = actor, timezone.localdate()  # type: ignore[assignment]
    return _decide(entry, actor)


def _forward(entry: SeriousEntry, data: dict[str, Any], actor: Actor) -> str:
    entry.approved_by, entry.approved_on = actor, timezone.localdate()  # type: ignore[assignment]
    return "报上一级部门同意"


def _agree(entry: SeriousEntry, data: dict[str, Any], actor: Actor) -> str:
    entry.upper_by, entry.upper_on = actor, timezone.localdate()  # type: ignore[assignment]
    return _decide(entry, actor)


def _record_upper(entry: SeriousEntry, data: dict[str, Any], actor: Actor) -> str:
    entry.upper_reference = text(data.get("upper_reference"), "upper_reference", "上一级同意文号", max_len=100)
    entry.upper_on = day(data.get("upper_on"), "upper_on", "上一级同意日期")
    require(entry.approved_on is None or entry.upper_on >= entry.approved_on, "上一级同意日期不能早于本级批准日期",
            "date_order", "upper_on")
    return _decide(entry, actor)


def _decide(entry: SeriousEntry, actor: Actor) -> str:
    """已列入: the listing day, the end of the period, the 列入决定书 and the mirrored credit record."""
    entry.listed_on = timezone.localdate()
    entry.ends_on = flow.add_years(entry.listed_on, settings.JIANGUAN_CREDIT_SERIOUS_YEARS)
    issued = documents.issue(actor=actor, kind="serious_listing_decision", department=entry.department,
                             context=rules.decision_context(entry), subject=f"credit-serious:{entry.number}")
    entry.decision_document_id, entry.decision_number = issued.id, issued.number
    entry.credit_record = CreditRecord.objects.create(
        kind=CreditKind.SERIOUS, entity_id=entry.entity_id, region_id=entry.region_id, source=SOURCE,
        source_ref=entry.number, date=entry.listed_on, title=entry.reason[:300], authority=entry.department.name,
        detail=entry.statement, ends_on=entry.ends_on)
    return f"列入决定书 {issued.number}，公示期至 {entry.ends_on}"


def _publish(entry: SeriousEntry, data: dict[str, Any]) -> str:
    entry.published_on = day(data.get("published_on"), "published_on", "公示日期", default=timezone.localdate())
    require(entry.listed_on is not None and entry.published_on >= entry.listed_on, "公示日期不能早于列入日期",
            "date_order", "published_on")
    return f"公示日期 {entry.published_on}"


def _remove(entry: SeriousEntry, kind: str, reason: str) -> str:
    entry.removed_on, entry.removal, entry.removal_reason = timezone.localdate(), kind, reason
    if entry.credit_record_id is not None:
        CreditRecord.objects.filter(pk=entry.credit_record_id).update(ends_on=entry.removed_on,
                                                                      updated_at=timezone.now())
    return reason


def _remove_early(entry: SeriousEntry, data: dict[str, Any]) -> str:
    return _remove(entry, "early", text(data.get("reason"), "reason", "提前移出理由"))


def _expire(entry: SeriousEntry, data: dict[str, Any]) -> str:
    return _remove(entry, "expired", f"列入满{settings.JIANGUAN_CREDIT_SERIOUS_YEARS}年，届满移出")


Handler = Callable[..., str]
HANDLERS: dict[str, tuple[Handler, bool]] = {  # action → (handler, whether it takes the actor)
    "notify": (_notify, False), "defend": (_defend, False), "hear": (_hear, False),
    "submit": (lambda entry, data: "", False), "withdraw": (_reason, False), "refuse": (_reason, False),
    "disagree": (_reason, False), "approve": (_approve, True), "forward": (_forward, True), "agree": (_agree, True),
    "record_upper": (_record_upper, True), "publish": (_publish, False), "remove_early": (_remove_early, False),
    "expire": (_expire, False)}
assert set(HANDLERS) == flow.ENTRIES.actions


def _removal_facts(entry: SeriousEntry, action: str, data: dict[str, Any]) -> dict[str, Any]:
    if action != "remove_early":
        return {}
    performed = bool(data.get("performed")) and (entry.penalty is None or entry.penalty.closed_on is not None)
    return {"performed": performed, "harm_removed": bool(data.get("harm_removed")),
            "heavier_since": rules.heavier_since(entry)}


@transaction.atomic
def serious_act(*, entry_id: int, action: str, data: dict[str, Any] | None = None, actor: Actor) -> SeriousEntry:
    """Take `action` on the entry (the edge checked on the table, then its handler), in one transaction. The entry
    is read within the actor's scope (a person) or whole (the system's removal at the end)."""
    data = data or {}
    entries = SeriousEntry.objects.select_for_update(of=("self",)).select_related("department__region", "penalty")
    if isinstance(actor, HasScope):
        entry: SeriousEntry = entries.get_visible(actor, pk=entry_id)
    else:
        entry = entries.get(pk=entry_id)
    edge = flow.ENTRIES.check(action, facts_for(entry, actor, **_removal_facts(entry, action, data)))
    handler, with_actor = HANDLERS[edge.action]
    note = handler(entry, data, actor) if with_actor else handler(entry, data)
    entry.status = edge.target
    entry.save()
    _step(entry, edge, actor, note)
    return entry


def serious_expire_due(*, actor: SystemActor, today: dt.date | None = None) -> list[str]:
    """Remove every entry whose period has ended (列入届满): the numbers removed. Each in its own transaction."""
    day_ = today or timezone.localdate()
    due = SeriousEntry.objects.filter(status__in=rules.IN_FORCE, ends_on__lte=day_).order_by("pk")
    removed = []
    for entry_id, number in due.values_list("pk", "number"):
        serious_act(entry_id=entry_id, action="expire", actor=actor)
        removed.append(number)
    return removed
