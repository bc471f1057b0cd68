"""简易程序: a warning or a small fine decided on the spot, its decision handed over and then filed with the
department (行政处罚法 第五十一条、第五十二条)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.behaviour import contracts as behaviour
from jianguan.behaviour.contracts import PENALTY_KINDS
from jianguan.catalog.contracts import require_in_force, require_item_in_force
from jianguan.core.canonical import to_jsonable
from jianguan.core.errors import ValidationFailed
from jianguan.core.roles import Role
from jianguan.core.validation import require as _require
from jianguan.documents import contracts as documents

from . import deadlines, policy
from .cases import new_case_number, refresh_later
from .context import officers_context, party_context, review_context
from .history import append_event
from .inputs import kinds_in, money_in, person_actor
from .models import BEHAVIOUR_INSPECTION_FORM, Case, CaseStatus, ClueSource, Outcome, PartyKind, Payment, Procedure
from .parties import assign_officers, behaviour_party, chosen_officers, party_values
from .steps.decision import record_penalty

SIMPLE_PAYMENT = "自收到决定书之日起十五日内到指定银行或者通过电子支付系统缴纳"


@transaction.atomic
def case_simple(*, actor: User, party: dict[str, Any], officers: list[str], facts: str, basis: str,
                penalty_kinds: list[str], fine: Any = None, decided_on: dt.date | None = None, place: str = "",
                violated: str = "", catalog_code: str, implementation_code: str, number: str = "",
                cause: str = "") -> Case:
    """简易程序: a warning or a small fine decided on the spot, the pre-numbered decision handed over, then filed
    with the department (行政处罚法 第五十一条、第五十二条).

    The limits are those in force on the decision day (`policy.SIMPLE_FINE_LIMITS`); the on-site check becomes a
    行政检查行为 and the decision a 行政处罚行为 of the behaviour library, both through the catalog's guard.
    """
    actor = person_actor(actor)
    _require(actor.has_role(Role.OFFICER), "当场处罚须由执法人员作出", "not_an_officer", "officers")
    department = actor.department
    today = timezone.localdate()
    decided_on = decided_on or today
    _require(decided_on <= today, "“决定日期”不能晚于今天", "date_in_future", "decided_on")
    _require(actor.username in officers, "作出决定的执法人员应在执法人员之列", "actor_not_officer", "officers")
    chosen = chosen_officers(department.pk, officers, decided_on)
    kinds = kinds_in({"penalty_kinds": penalty_kinds})
    _require(kinds, "缺少必填字段“处罚种类”", "required", "penalty_kinds")
    limits = policy.in_force(policy.SIMPLE_FINE_LIMITS, decided_on)
    _require(set(kinds) <= policy.SIMPLE_KINDS, f"当场处罚只能是警告或者罚款（{limits.citation}）",
             "simple_kind_invalid", "penalty_kinds")
    amount = money_in({"fine": fine}, "fine", "罚款金额")
    _require(("02" in kinds) == bool(amount), "罚款须写明金额，未处罚款则不填金额", "fine_mismatch", "fine")
    values = party_values(party, actor=actor)
    _require(values["entity"] or values["person"], "当事人须为市场主体或已登记的自然人", "party_unidentified",
             "party")
    limit = limits.for_party(values["party_kind"])
    if amount and amount > limit:
        who = "公民" if values["party_kind"] == PartyKind.PERSON else "法人或者其他组织"
        raise ValidationFailed(f"当场处罚对{who}的罚款不得超过 {limit} 元（{limits.citation}），应适用普通程序",
                               code="simple_fine_over_limit", field="fine", extra={"limit": str(limit),
                                                                                  "citation": limits.citation})
    _require(str(facts).strip() and str(basis).strip(), "须写明违法事实和处罚依据", "required", "facts")
    require_item_in_force(code=catalog_code, on=decided_on, action_types=("penalty",))
    card = require_in_force(body_id=department.pk, implementation_code=implementation_code, on=decided_on)
    number = str(number or "").strip()
    if number:  # a form printed with its number (预定格式、编有号码的行政处罚决定书)
        _require(not Case.objects.filter(decision_number=number).exists(), f"决定书文号“{number}”已使用",
                 "decision_number_used", "number")
    else:
        number = documents.next_number(department=department, kind="simple_decision", year=decided_on.year)
    region = values.pop("region") or department.region
    case = Case.objects.create(
        number=new_case_number(department, decided_on.year), department=department, region=region,
        procedure=Procedure.SIMPLE, status=CaseStatus.HANDED_OVER, source=ClueSource.INSPECTION,
        source_ref="", cause=cause[:200] or facts[:60], summary=facts, received_on=decided_on, check_due=decided_on,
        filed_on=decided_on, catalog_code=catalog_code, implementation_code=implementation_code, facts=facts,
        violated=violated, basis=basis, penalty_kinds=kinds, fine=amount, outcome=Outcome.PENALTY,
        decided_on=decided_on, served_on=decided_on, simple_filing_due=deadlines.simple_filing_due(decided_on),
        simple_filed_on=None, **values)
    assign_officers(case, chosen, actor.username, decided_on)
    names = [user.full_name for user, _ in chosen]
    credentials = [credential.number for _, credential in chosen]
    inspection = behaviour.inspection_record(
        actor=actor, department=department, implementation_code=implementation_code,
        number=f"{case.number}-JC1", name=f"{card.item_name}（当场检查）", date=decided_on,
        form=BEHAVIOUR_INSPECTION_FORM[case.source], category="1", method="现场检查",
        # 当场处罚 orders the party to correct the act (行政处罚法第二十八条): result E, 发现问题已责令改正.
        result="发现问题已责令改正", inspectors=names, credential_numbers=credentials,
        party=behaviour_party(case))
    issued = documents.issue(actor=actor, kind="simple_decision", department=department, subject=case.subject,
                             number=number, context=to_jsonable({
                                 "party": party_context(case), "time": decided_on, "place": place, "facts": facts,
                                 "violated": violated, "basis": basis,
                                 "penalty": "、".join(PENALTY_KINDS[k] for k in kinds),
                                 "fine": amount, "officers": officers_context(case), "review": review_context(case),
                                 "payment": {"method": SIMPLE_PAYMENT}}))
    case.inspection_number = inspection.number
    case.decision_number, case.decision_document_id = issued.number, issued.id
    case.save(update_fields=["inspection_number", "decision_number", "decision_document_id"])
    if amount:
        Payment.objects.create(case=case, fine=amount, due_on=deadlines.payment_due(decided_on))
    record_penalty(case, actor)
    append_event(case, actor=actor, verb="simple_decide", on=decided_on, to_status=CaseStatus.HANDED_OVER,
                 document=issued, data={"kinds": kinds, "fine": amount, "limit": limit, "citation": limits.citation,
                                        "officers": names, "credentials": credentials,
                                        "inspection": inspection.number,
                                        "document": {"kind": "simple_decision", "number": issued.number}})
    record(actor=actor, verb="enforcement.simple_decided", target=case,
           data={"number": case.number, "decision": issued.number, "fine": amount, "document": issued.id,
                 "digest": issued.digest})
    refresh_later(case.pk)
    return case
