"""What a repair is judged by: the scheme version stored in force, the scheme row for a penalty, and the conditions
of an early end, each named by its rule (ADR 0045; disclosure-credit.md §4, §6).

Conditions (市场监督管理行政处罚信息公示规定 第十六条; 国市监信规〔2021〕3号; 信用修复管理办法 2026):
- `min_served`: the minimum publication period of the scheme row has passed — the application may be made on the
  day the period ends (decision date + minimum months), not the day before;
- `performed`: the decision is performed (the case closed: 结案);
- `repairable`: the scheme allows repairing this penalty (not a heavy type of §4/§6: “不可修复”);
- `not_listed`: the entity is on neither the 经营异常名录 nor the 严重违法失信名单 on the day (read from the credit
  records of kinds ABNORMAL and SERIOUS, where the lists mirror their entries)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.errors import DomainError, ValidationFailed

from . import repair_policy as rp
from .models import CreditKind, CreditRecord, RepairPolicy


def low_fine() -> Decimal:
    return Decimal(settings.JIANGUAN_CREDIT_LOW_FINE_YUAN)


def policy_load(*, actor: Actor, path: Any = None) -> RepairPolicy:
    """Store a scheme file as a policy version (once: the same version again is returned if its content is the
    same, refused if it differs — a changed file is a new version)."""
    chosen = path or rp.newest_file()
    policy, data = rp.read(chosen)
    digest = hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    stored = RepairPolicy.objects.filter(name=policy.name, version=policy.version).first()
    if stored is not None:
        if stored.sha256 != digest:
            raise ValidationFailed(f"信用修复方案 {policy.name}-{policy.version} 已载入且内容不同；"
                                   "修改后须使用新版本号", code="policy_version_changed", field="version")
        return stored
    stored = RepairPolicy.objects.create(name=policy.name, version=policy.version, title=policy.title, sha256=digest,
                                         definition=data, loaded_by=actor.as_actor_ref().label[:100])
    record(actor=actor, verb="credit.repair_policy_loaded", target=stored,
           data={"version": policy.version, "sha256": digest, "rows": len(policy.rows)})
    return stored


def policy_in_force(*, actor: Actor) -> tuple[RepairPolicy, rp.Policy]:
    """The newest stored version (the shipped file is stored first if none is)."""
    stored = RepairPolicy.objects.order_by("-loaded_at", "-pk").first() or policy_load(actor=actor)
    return stored, rp.parse(stored.definition, f"{stored.name}-{stored.version}")


def policy_of(app: Any) -> tuple[RepairPolicy, rp.Policy]:
    """The version an application was judged by when it was made: its decision reads the same rows."""
    stored = RepairPolicy.objects.get(pk=app.policy_id)
    return stored, rp.parse(stored.definition, f"{stored.name}-{stored.version}")


@dataclass(frozen=True)
class Judged:
    """A penalty as a repair reads it: its publication, channel, category, the scheme row and dates."""

    facts: rp.PenaltyFacts
    publication: rp.Publication
    channel: str
    category: str
    scheme_date: dt.date
    row: rp.SchemeRow | None
    eligible_on: dt.date | None


def judge(penalty: Any, *, department_kind: str, policy: rp.Policy, applied_on: dt.date) -> Judged:
    """The scheme row for `penalty`, chosen by the decision or the application date (the setting)."""
    facts = rp.PenaltyFacts.of(penalty)
    channel, category = rp.channel_of(department_kind), rp.category(facts, low_fine=low_fine())
    by_decision = settings.JIANGUAN_CREDIT_REPAIR_SCHEME_DATE == "decision"
    day = facts.decided_on if by_decision else applied_on
    row = policy.row_for(channel=channel, category=category, day=day)
    eligible = rp.add_months(facts.decided_on, rp.minimum_months(row, facts)) if row is not None else None
    return Judged(facts, rp.publication(facts, low_fine=low_fine()), channel, category, day, row, eligible)


def first_refusal(judged: Judged, *, today: dt.date) -> None:
    """Refuse an application that cannot be made at all: nothing published, publication over, or no scheme."""
    if not judged.publication.published:
        raise ValidationFailed(f"该处罚信息未公示，无需修复：{judged.publication.reason}", code="not_published",
                               field="decision_number")
    if judged.publication.ends_on is not None and judged.publication.ends_on <= today:
        raise ValidationFailed(f"该处罚信息已于 {judged.publication.ends_on} 公示期满", code="publication_over",
                               field="decision_number")
    if judged.row is None:
        raise ValidationFailed(f"{judged.scheme_date} 没有适用于{rp.CATEGORIES[judged.category]}类处罚信息的"
                               f"{rp.CHANNELS[judged.channel]}信用修复方案", code="no_scheme", field="decision_number")


def listed(entity_id: int, today: dt.date) -> list[str]:
    """The lists the entity is on today (经营异常名录, 严重违法失信名单)."""
    rows = CreditRecord.objects.filter(entity_id=entity_id, kind__in=(CreditKind.ABNORMAL, CreditKind.SERIOUS),
                                       date__lte=today).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
    return sorted({str(CreditKind(kind).label) for kind in rows.values_list("kind", flat=True)})


def problems(judged: Judged, penalty: Any, *, today: dt.date) -> dict[str, DomainError]:
    """Each condition that does not hold today, as its refusal, by rule name."""
    found: dict[str, DomainError] = {}
    row = judged.row
    if row is None or judged.eligible_on is None:
        found["repairable"] = ValidationFailed("没有适用的信用修复方案", code="no_scheme", field="decision_number")
        return found
    if today < judged.eligible_on:
        found["min_served"] = ValidationFailed(
            f"最短公示期未满：{row.title}要求公示满 {rp.minimum_months(row, judged.facts)} 个月，"
            f"{judged.eligible_on} 起方可申请", code="min_period_not_served", field="decision_number",
            extra={"eligible_on": judged.eligible_on.isoformat()})
    if penalty.closed_on is None or penalty.no_penalty:
        found["performed"] = ValidationFailed("行政处罚决定尚未履行完毕（未结案）", code="penalty_not_performed",
                                              field="decision_number")
    why = rp.not_repairable(row, judged.facts)
    if why:
        found["repairable"] = ValidationFailed(f"不可修复：{why}", code="not_repairable", field="decision_number")
    lists = listed(penalty.entity_id, today)
    if lists:
        found["not_listed"] = ValidationFailed(f"该主体在{'、'.join(lists)}中，不能修复", code="entity_listed",
                                               field="uscc")
    return found


def penalty_publication(penalty: Any) -> rp.Publication:
    """The publication period of `penalty` (a `behaviour.models.Penalty`) under 令第45号 arts. 7, 14, with the
    province's 较低数额罚款 (`JIANGUAN_CREDIT_LOW_FINE_YUAN`): what disclosure publishes for, and how long."""
    return rp.publication(rp.PenaltyFacts.of(penalty), low_fine=low_fine())
