"""The entry conditions and the measures of the 严重违法失信名单 (SAMR 令第44号, disclosure-credit.md §7): which
penalties are heavier (第二条第二款), the domains (第五条至第十条), the factors weighed (第十二条), the basis of
three years in the 经营异常名录, and what the decision says.

Heavier penalties as 处罚种类 codes of the behaviour library (`behaviour.contracts.PENALTY_KINDS`, 行政处罚法 第九条):
04 责令停产停业, 05 吊销许可证, 10 降低资质等级, 12 限制开展经营活动, 13 限制从业, 14 责令关闭 qualify by
themselves (第二条第二款第二、三项); a fine (02) only when the officer states it was imposed 按从重处罚原则 under the
discretion benchmark (第一项) — the library does not record the discretion. 第四项 (other heavier penalties named by
law) is left to a later rule: it needs the provision named [unconfirmed]."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q

from jianguan.behaviour.contracts import PENALTY_KINDS
from jianguan.behaviour.models import Penalty
from jianguan.core.actors import Actor
from jianguan.core.errors import ValidationFailed
from jianguan.core.scoping import HasScope
from jianguan.core.validation import require
from jianguan.documents import contracts as documents

from .models import CreditKind, CreditRecord, SeriousEntry, SeriousStatus
from .serious_workflow import LAW, add_years

HEAVIER = {"04", "05", "10", "12", "13", "14"}
FINE = "02"
# Domains of the acts listed (第五条至第十条): food, drugs and special equipment are named by the law; the
# article each of the others maps to is [unconfirmed] in the domain reference.
DOMAINS = {"food": "食品安全领域", "drug": "药品、医疗器械、化妆品领域", "quality": "质量安全领域（含特种设备）",
           "consumer": "侵害消费者权益领域", "competition": "破坏公平竞争秩序和扰乱市场秩序领域",
           "obligation": "拒不履行法定义务、严重影响市场监管秩序", "other": "其他（法律、行政法规规定的情形）"}
ABNORMAL_DOMAIN = "obligation"
OPEN = (SeriousStatus.PROPOSED, SeriousStatus.NOTIFIED, SeriousStatus.SUBMITTED, SeriousStatus.UPPER,
        SeriousStatus.LISTED, SeriousStatus.PUBLISHED)
IN_FORCE = (SeriousStatus.LISTED, SeriousStatus.PUBLISHED)
ABNORMAL_YEARS = 3
# The measures while listed (令第44号, 管理措施), as the flags other apps read (`punishment_flags`).
MEASURES = {
    "licences_weighed": "在审查行政许可、资质、资格时作为重要考量因素",
    "procurement_barred": "在委托承担政府采购项目、工程招投标时作为重要考量因素",
    "more_checks": "列为重点监管对象，提高检查频次，依法严格监管",
    "commitment_refused": "不适用告知承诺制",
    "honours_barred": "不予授予市场监督管理部门荣誉称号等表彰奖励",
}
REMOVAL = ("列入严重违法失信名单满一年，且已经自觉履行行政处罚决定中规定的义务、已经主动消除危害后果和不良影响、"
           "未再受到市场监督管理部门较重行政处罚的，可以向本局申请提前移出；列入满三年的，本局将其移出。")


def penalty_for(value: Any, reader: Actor) -> Penalty:
    """The 行政处罚 the proposal rests on (by id, 行为编号 or 处罚文书号), within the reader's scope (out of scope
    refused like unknown); about a market entity, not withdrawn."""
    key = str(value if value is not None else "").strip()
    require(key, "缺少必填字段“行政处罚”", "required", "penalty")
    penalties = Penalty.objects.select_related("entity", "department").filter(withdrawn_at__isnull=True)
    if isinstance(reader, HasScope):
        penalties = penalties.visible_to(reader)
    by_number = Q(number=key) | Q(decision_number=key)
    penalty: Penalty | None = penalties.filter(by_number | Q(pk=int(key)) if key.isdigit() else by_number).first()
    require(penalty is not None, "行政处罚不存在或不在本部门管辖范围内", "penalty_unknown", "penalty")
    assert penalty is not None
    require(penalty.entity_id is not None, "该行政处罚的当事人不是监管对象库中的市场主体", "entity_required", "penalty")
    return penalty


def require_heavier(kinds: list[str], aggravated: bool) -> None:
    """A heavier penalty (较重行政处罚, 令第44号 第二条第二款): one of the qualifying kinds, or a fine stated to be
    从重; otherwise refused with the rule named."""
    if set(kinds) & HEAVIER or (aggravated and FINE in kinds):
        return
    names = "、".join(PENALTY_KINDS.get(k, k) for k in kinds) or "无"
    hint = "（罚款须按从重处罚原则作出）" if FINE in kinds else ""
    raise ValidationFailed(f"处罚种类“{names}”不属于较重行政处罚{hint}，不能列入严重违法失信名单（{LAW} 第二条第二款）",
                           code="penalty_not_heavier", field="penalty")


def domain(value: Any) -> str:
    code = str(value or "").strip()
    require(code in DOMAINS, f"违法行为领域无效：“{code}”（{LAW} 第五条至第十条）", "domain_invalid", "domain")
    return code


def _count(factors: dict[str, Any], key: str, label: str) -> int:
    try:
        number = int(factors.get(key) or 0)
    except (TypeError, ValueError):
        raise ValidationFailed(f"“{label}”应为整数", code="number_invalid", field=f"factors.{key}") from None
    require(number >= 0, f"“{label}”不能为负数", "number_invalid", f"factors.{key}")
    return number


def factors(raw: dict[str, Any]) -> dict[str, Any]:
    """The factors weighed (令第44号 第十二条): intent (主观故意; shown absent → not listed), frequency (违法次数,
    at least 1), duration (持续天数), amount (罚没款或货值金额, 元)."""
    require(isinstance(raw, dict), "综合考量因素格式无效", "factors_invalid", "factors")
    require("intent" in raw, "缺少必填字段“主观故意”", "required", "factors.intent")
    require(bool(raw.get("intent")), f"当事人有证据足以证明没有主观故意的，不列入严重违法失信名单（{LAW} 第十二条）",
            "no_intent", "factors.intent")
    frequency = _count(raw, "frequency", "违法次数")
    require(frequency >= 1, "“违法次数”至少为 1", "number_invalid", "factors.frequency")
    try:
        amount = Decimal(str(raw.get("amount") or "0")).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValidationFailed("“涉案金额”应为金额", code="amount_invalid", field="factors.amount") from None
    require(amount >= 0, "“涉案金额”不能为负数", "amount_invalid", "factors.amount")
    return {"intent": True, "frequency": frequency, "duration_days": _count(raw, "duration_days", "持续天数"),
            "amount": str(amount)}


def require_abnormal_three_years(entity_id: int, today: dt.date) -> None:
    """经营异常名录届满3年: an entry of the entity in the 经营异常名录, still in force, listed three years ago or
    earlier (the day three years on is the first it may be proposed)."""
    entries = CreditRecord.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today), kind=CreditKind.ABNORMAL,
                                          entity_id=entity_id, date__lte=today)
    first = entries.order_by("date").values_list("date", flat=True).first()
    due = add_years(first, ABNORMAL_YEARS) if first is not None else None
    require(due is not None and due <= today,
            f"该市场主体未被列入经营异常名录满{ABNORMAL_YEARS}年" + (f"（{due} 届满）" if due else ""),
            "abnormal_not_three_years", "uscc")


def heavier_since(entry: SeriousEntry) -> int:
    """Heavier penalties (by kind) the entity received after it was listed: each bars early removal."""
    if entry.listed_on is None:
        return 0
    later = Penalty.objects.filter(entity_id=entry.entity_id, date__gt=entry.listed_on, withdrawn_at__isnull=True)
    return sum(1 for kinds in later.values_list("penalty_kinds", flat=True) if set(kinds) & HEAVIER)


def decision_context(entry: SeriousEntry) -> dict[str, Any]:
    """What the 列入决定书 says: the party, the penalty, the reasons, the statement, the defence, the measures, the
    period, removal and the remedies."""
    entity, penalty = entry.entity, entry.penalty
    defence = entry.defence or "当事人在规定期限内未提出陈述、申辩。"
    if entry.hearing_outcome:
        defence += f"听证情况：{entry.hearing_outcome}"
    context: dict[str, Any] = {
        "party": {"kind": "organisation", "name": entity.name, "code": entity.uscc,
                  "address": entity.registered_address, "legal_representative": entity.legal_representative},
        "reason": entry.reason, "statement": entry.statement, "defence": defence,
        "basis": "《市场监督管理严重违法失信名单管理办法》第二条、第十二条",
        "measures": list(MEASURES.values()),
        "period": {"start": entry.listed_on.isoformat() if entry.listed_on else "",
                   "end": entry.ends_on.isoformat() if entry.ends_on else ""},
        "removal": REMOVAL, "review": documents.remedies(entry.department)}
    if penalty is not None:
        context["penalty"] = {"number": penalty.decision_number, "date": penalty.date.isoformat(),
                              "content": penalty.result}
    return context
