"""Writes of enforcement: clues and cases, the one transition service of the penalty workflow, evidence, and the
events other apps append to a case's history.

Every step: lock the case, look its edge up in `workflow.EDGES` (out of order → 409 with the allowed actions;
the wrong person → 403; a guard that fails → its own code), do the step, issue the step's 文书 through
`documents.contracts.issue`, append the hash-chained `CaseEvent` (with the document's id and SHA-256) and the
audit event, all in one transaction. Rules of law are cited in `workflow.py`, `deadlines.py` and `policy.py`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jianguan.accounts.contracts import credential_on
from jianguan.accounts.models import Department, Region, User
from jianguan.audit.contracts import record
from jianguan.behaviour import contracts as behaviour
from jianguan.behaviour.contracts import PENALTY_KINDS
from jianguan.behaviour.models import Inspection, Penalty
from jianguan.catalog.contracts import require_in_force, require_item_in_force
from jianguan.complaints import contracts as complaints
from jianguan.complaints.models import ComplaintKind
from jianguan.core.actors import Actor, actor_ref
from jianguan.core.canonical import to_jsonable
from jianguan.core.errors import AccessDenied, InvalidTransition, NotFound, ValidationFailed
from jianguan.core.numbering import daily_number, next_number
from jianguan.core.protect import unseal
from jianguan.core.roles import Role
from jianguan.core.validation import day, parse_amount, text
from jianguan.core.validation import require as _require
from jianguan.documents import contracts as documents
from jianguan.subjects.contracts import person_register, require_entity
from jianguan.subjects.models import EntityType

from . import casefile, deadlines, history, policy, procedure, workflow
from .models import (
    BEHAVIOUR_CASE_SOURCE,
    BEHAVIOUR_INSPECTION_FORM,
    BEHAVIOUR_PROCEDURE,
    Approval,
    Case,
    CaseEvent,
    CaseOfficer,
    CaseStatus,
    Clue,
    ClueSource,
    ClueStatus,
    Evidence,
    EvidenceKind,
    Extension,
    ExtensionKind,
    Hearing,
    Mitigation,
    Outcome,
    PartyKind,
    Payment,
    Preservation,
    Procedure,
    Service,
    ServiceMethod,
    Suspension,
    SuspensionKind,
)
from .permissions import actor_facts, case_facts, current_decision_due

# Evidence files [config]: extension → (content type, kind, magic test); at most EVIDENCE_MAX_BYTES each.
EVIDENCE_TYPES: dict[str, tuple[str, str, Callable[[bytes], bool]]] = {
    "jpg": ("image/jpeg", EvidenceKind.PHOTO, lambda b: b[:3] == b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", EvidenceKind.PHOTO, lambda b: b[:3] == b"\xff\xd8\xff"),
    "png": ("image/png", EvidenceKind.PHOTO, lambda b: b[:8] == b"\x89PNG\r\n\x1a\n"),
    "pdf": ("application/pdf", EvidenceKind.DOCUMENT, lambda b: b[:5] == b"%PDF-"),
    "mp3": ("audio/mpeg", EvidenceKind.AUDIO, lambda b: b[:3] == b"ID3" or b[:2] in (b"\xff\xfb", b"\xff\xf3",
                                                                                       b"\xff\xf2")),
    "wav": ("audio/wav", EvidenceKind.AUDIO, lambda b: b[:4] == b"RIFF" and b[8:12] == b"WAVE"),
    "mp4": ("video/mp4", EvidenceKind.VIDEO, lambda b: b[4:8] == b"ftyp"),
}
EVIDENCE_MAX_BYTES = 50 * 1024 * 1024
SIMPLE_PAYMENT = "自收到决定书之日起十五日内到指定银行或者通过电子支付系统缴纳"


class EvidenceTooLarge(ValidationFailed):
    """A file of evidence above the configured size (413)."""

    status = 413


def evidence_max_bytes() -> int:
    return int(getattr(settings, "JIANGUAN_EVIDENCE_MAX_BYTES", EVIDENCE_MAX_BYTES))


def evidence_path(sha256: str) -> Path:
    """Where the bytes of an evidence file live: content-addressed under the var directory."""
    return Path(settings.VAR_DIR) / "evidence" / sha256[:2] / sha256


# Numbers and small helpers -----------------------------------------------------------------------------------

def _clue_number() -> str:
    """线索编号 per day: XS2026120700001 (taken under the day's sequence row lock)."""
    return daily_number("XS", timezone.localdate(), issued=Clue.objects)


def _case_number(department: Department, year: int) -> str:
    """案件编号 per department and year, gapless: AJ2026-0012-00001 (taken under the sequence row's lock)."""
    return next_number(f"AJ{year}-{department.pk:04d}-", scope=f"AJ-{department.pk}", period=str(year),
                       issued=Case.objects)


def _text(data: dict, key: str, label: str, **rules: Any) -> str:
    """The text `data[key]` by the shared rules (`core.validation.text`)."""
    return text(data.get(key), key, label, **rules)


def _date(data: dict, key: str, label: str, *, today: dt.date, default: dt.date | None = None,
          future: bool = False) -> dt.date:
    """The date `data[key]` by the shared rules (`core.validation.day`), not after the step's `today`."""
    return day(data.get(key), key, label, today=today, default=default, future=future)


def _money(data: dict, key: str, label: str) -> Decimal | None:
    return parse_amount(data.get(key), key, label)


def _flag(data: dict, key: str) -> bool:
    value = data.get(key)
    return value is True or str(value).lower() in ("true", "1", "on", "yes")


def _kinds(data: dict, key: str = "penalty_kinds") -> list[str]:
    kinds = data.get(key) or []
    if isinstance(kinds, str):
        kinds = [k for k in kinds.replace("、", ",").replace(" ", ",").split(",") if k]
    unknown = sorted(set(kinds) - set(PENALTY_KINDS))
    _require(not unknown, f"处罚种类无效：{'、'.join(unknown)}", "penalty_kind_invalid", key)
    return sorted(set(kinds))


def _person_actor(actor: Any) -> User:
    if not getattr(actor, "is_person", False):
        raise AccessDenied("案件办理须由本部门人员进行", code="not_permitted")
    return actor


def _colleague(username: str, department_id: int, field: str) -> User:
    user = User.objects.filter(username=str(username).strip(), department_id=department_id, is_active=True).first()
    _require(user is not None, f"“{username}”不是本部门人员", "user_unknown", field)
    return user  # type: ignore[return-value]


# Party ------------------------------------------------------------------------------------------------------

def _party_values(party: dict[str, Any], *, actor: Actor, field: str = "party") -> dict[str, Any]:
    """The case's party from {"uscc"} (an entity), {"id_number", "name", "region"} (a person, registered sealed),
    or {"name"} alone (not yet identified)."""
    party = party or {}
    code = str(party.get("uscc") or party.get("entity_code") or "").strip()
    if code:
        entity = require_entity(code, f"{field}.uscc", reader=actor)
        kind = PartyKind.PERSON if entity.entity_type == EntityType.INDIVIDUAL else PartyKind.ORGANISATION
        return {"entity": entity, "person": None, "party_name": entity.name, "party_code": entity.uscc,
                "party_kind": kind, "party_address": entity.registered_address, "region": entity.region}
    number = str(party.get("id_number") or party.get("person_id") or "").strip()
    if number:
        name = str(party.get("name") or "").strip()
        _require(name, "缺少当事人姓名", "required", f"{field}.name")
        region = str(party.get("region") or "")
        _require(region, "自然人当事人须注明所在区划", "required", f"{field}.region")
        person = person_register(actor=actor, name=name, id_number=number, region_code=region)
        return {"entity": None, "person": person, "party_name": person.name, "party_code": person.id_masked,
                "party_kind": PartyKind.PERSON, "party_address": str(party.get("address") or "")[:400],
                "region": person.region}
    name = str(party.get("name") or "").strip()
    _require(name, "须写明当事人（统一社会信用代码、身份证号码或名称）", "party_required", field)
    return {"entity": None, "person": None, "party_name": name[:200], "party_code": "",
            "party_kind": PartyKind.ORGANISATION if party.get("kind") != "person" else PartyKind.PERSON,
            "party_address": str(party.get("address") or "")[:400], "region": None}


def _behaviour_party(case: Case) -> dict[str, Any]:
    if case.entity_id:
        return {"entity_code": case.entity.uscc}
    if case.person_id:
        return {"person_id": unseal(case.person.id_sealed), "person_name": case.person.name}
    raise ValidationFailed("当事人尚未确认（须为市场主体或已登记的自然人）", code="party_unidentified", field="party")


# The case's history -----------------------------------------------------------------------------------------

def _append_event(case: Case, *, actor: Actor, verb: str, on: dt.date, data: dict[str, Any] | None = None,
                  from_status: str = "", to_status: str = "", document: Any = None,
                  supersedes: int | None = None) -> CaseEvent:
    """Append one event to the case's chain; the caller holds the case's row lock and has saved the case, whose
    changed columns the event records (`history.state_changes`) so that its state is the replay of its history."""
    ref = actor_ref(actor)
    values: dict[str, Any] = {
        "case": case.number, "seq": case.event_count + 1, "occurred_at": timezone.now(), "on": on,
        "actor_kind": ref.kind, "actor_id": ref.id, "actor_label": ref.label[:200], "verb": verb,
        "from_status": str(from_status), "to_status": str(to_status), "data": to_jsonable(data or {}),
        "document_id": document.id if document else None,
        "document_sha256": (document.digest or document.sha256) if document else "",  # the content digest (ADR 0030)
        "supersedes": supersedes, "algorithm": settings.JIANGUAN_AUDIT_HASH, "prev_hash": case.last_hash}
    previous, _ = history.replay(list(CaseEvent.objects.filter(case=case).order_by("seq").values("data", "to_status")))
    changes = history.state_changes(previous, history.state_of(Case, case.pk))
    if changes:  # an event that changed nothing of the case records nothing
        values["data"] = {**values["data"], history.STATE_KEY: changes}
    values["hash"] = history.event_hash(values)
    event = CaseEvent.objects.create(**{**values, "case": case})
    case.event_count, case.last_hash = event.seq, event.hash
    Case.objects.filter(pk=case.pk).update(event_count=event.seq, last_hash=event.hash)
    casefile.build_later(case.pk)  # the case file (案卷) as it now stands, in the background
    return event


def _lock(case_id: int) -> Case:
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    return Case.objects.select_related("department__region", "department__parent", "region", "entity",
                                       "person", "clue").get(pk=case.pk)


def _refresh_later(case_id: int) -> None:
    from . import tasks  # tasks import the services: resolved at call time

    transaction.on_commit(lambda: tasks.case_deadlines_refresh.enqueue(case_id=case_id))


# Registration -----------------------------------------------------------------------------------------------

@transaction.atomic
def case_register(*, actor: Actor, department: Department, party: dict[str, Any], summary: str, source: str,
                  source_ref: str, received_on: dt.date, implementation_code: str = "",
                  inspection_number: str = "", cause: str = "", region: Region | None = None) -> Case:
    """Register a clue (案件来源登记) as the first stage of a case; its 15-working-day check clock starts on the
    day the body discovered or received it (SAMR 程序规定 第十八条)."""
    _require(source in ClueSource.values, "案件来源无效", "source_invalid", "source")
    _require(bool(str(summary).strip()), "缺少必填字段“线索内容”", "required", "summary")
    _require(bool(str(source_ref).strip()), "缺少必填字段“来源编号”", "required", "source_ref")
    _require(received_on <= timezone.localdate(), "“发现或收到日期”不能晚于今天", "date_in_future", "received_on")
    _require(not Clue.objects.filter(source=source, source_ref=source_ref).exists(),
             "该来源已登记为案件线索", "clue_exists", "source_ref")
    values = _party_values(party, actor=actor)
    region = region or values.pop("region") or department.region  # `region`: a routing that decided it
    values.pop("region", None)
    due = deadlines.check_due(received_on, rules=procedure.for_department(department))
    clue = Clue.objects.create(
        number=_clue_number(), source=source, source_ref=source_ref, department=department, region=region,
        entity=values["entity"], party_name=values["party_name"], summary=summary, received_on=received_on,
        check_due=due)
    case = Case.objects.create(
        number=_case_number(department, timezone.localdate().year),
        department=department, region=region, clue=clue, source=source, source_ref=source_ref, cause=cause[:200],
        summary=summary, received_on=received_on, check_due=due, implementation_code=implementation_code,
        inspection_number=inspection_number, **values)
    _append_event(case, actor=actor, verb="register", on=received_on, to_status=CaseStatus.CLUE,
                  data={"source": source, "source_ref": source_ref, "clue": clue.number, "party": case.party_name,
                        "check_due": due})
    record(actor=actor, verb="enforcement.clue_registered", target=clue,
           data={"source": source, "source_ref": source_ref, "check_due": due, "case": case.number})
    _refresh_later(case.pk)
    return case


@transaction.atomic
def clue_from_complaint(*, actor: User, complaint_id: int, note: str = "") -> Clue:
    """Turn a complaint or report into a clue of the department handling it, in one step.

    The 15-working-day clock counts from the complaint's receipt (the day the body learned of it).
    """
    complaint = complaints.complaint_mark_converted(actor=actor, complaint_id=complaint_id,
                                                    note=note or "转为案件线索")
    party = {"uscc": complaint.entity.uscc} if complaint.entity_id else {"name": complaint.subject_name}
    case = case_register(
        actor=actor, department=complaint.department, party=party, summary=complaint.content,
        source=ClueSource.REPORT if complaint.kind == ComplaintKind.REPORT else ClueSource.COMPLAINT,
        source_ref=complaint.number, received_on=timezone.localtime(complaint.received_at).date(),
        region=complaint.region)  # the complaint's routing decided the jurisdiction
    return Clue.objects.get(pk=case.clue_id)


@transaction.atomic
def clue_from_inspection(*, actor: User, inspection_number: str, summary: str) -> Clue:
    """A clue found by an inspection (案件来源：监督检查), for the department that inspected; the 15-working-day
    check counts from the inspection day."""
    inspection = Inspection.objects.select_related("department", "region", "entity").get(number=inspection_number)
    if Clue.objects.filter(source=ClueSource.INSPECTION, source_ref=inspection.number).exists():
        raise InvalidTransition("该检查已转为案件线索", code="clue_exists")
    party = {"uscc": inspection.entity.uscc} if inspection.entity_id else {"name": inspection.party_name}
    case = case_register(actor=actor, department=inspection.department, party=party, summary=summary,
                         source=ClueSource.INSPECTION, source_ref=inspection.number, received_on=inspection.date,
                         implementation_code=inspection.implementation_code, inspection_number=inspection.number,
                         region=inspection.region)
    return Clue.objects.get(pk=case.clue_id)


def _officers(department_id: int, usernames: list[str], day: dt.date, field: str = "officers"):
    """Two or more officers of the department, each with an 执法证 valid on `day` (行政处罚法 第四十二条)."""
    names = [str(u).strip() for u in (usernames or []) if str(u).strip()]
    _require(len(set(names)) >= 2, "执法人员不得少于两人（《行政处罚法》第四十二条）", "officers_too_few", field)
    chosen = []
    for username in dict.fromkeys(names):
        user = _colleague(username, department_id, field)
        _require(user.has_role(Role.OFFICER), f"{user.full_name}不是执法人员", "not_an_officer", field)
        credential = credential_on(user, day)
        _require(credential is not None, f"{user.full_name}的执法证在 {day} 无效（《行政处罚法》第四十二条）",
                 "credential_invalid", field)
        chosen.append((user, credential))
    return chosen


def _assign(case: Case, chosen, lead: str, day: dt.date) -> None:
    CaseOfficer.objects.filter(case=case).delete()
    lead_name = lead or chosen[0][0].username
    CaseOfficer.objects.bulk_create([CaseOfficer(case=case, user=user, credential=credential, assigned_on=day,
                                                 lead=user.username == lead_name) for user, credential in chosen])


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
    actor = _person_actor(actor)
    _require(actor.has_role(Role.OFFICER), "当场处罚须由执法人员作出", "not_an_officer", "officers")
    department = actor.department
    today = timezone.localdate()
    decided_on = decided_on or today
    _require(decided_on <= today, "“决定日期”不能晚于今天", "date_in_future", "decided_on")
    _require(actor.username in officers, "作出决定的执法人员应在执法人员之列", "actor_not_officer", "officers")
    chosen = _officers(department.pk, officers, decided_on)
    kinds = _kinds({"penalty_kinds": penalty_kinds})
    _require(kinds, "缺少必填字段“处罚种类”", "required", "penalty_kinds")
    limits = policy.in_force(policy.SIMPLE_FINE_LIMITS, decided_on)
    _require(set(kinds) <= policy.SIMPLE_KINDS, f"当场处罚只能是警告或者罚款（{limits.citation}）",
             "simple_kind_invalid", "penalty_kinds")
    amount = _money({"fine": fine}, "fine", "罚款金额")
    _require(("02" in kinds) == bool(amount), "罚款须写明金额，未处罚款则不填金额", "fine_mismatch", "fine")
    values = _party_values(party, actor=actor)
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
        number=_case_number(department, decided_on.year), department=department, region=region,
        procedure=Procedure.SIMPLE, status=CaseStatus.HANDED_OVER, source=ClueSource.INSPECTION,
        source_ref="", cause=cause[:200] or facts[:60], summary=facts, received_on=decided_on, check_due=decided_on,
        filed_on=decided_on, catalog_code=catalog_code, implementation_code=implementation_code, facts=facts,
        violated=violated, basis=basis, penalty_kinds=kinds, fine=amount, outcome=Outcome.PENALTY,
        decided_on=decided_on, served_on=decided_on, simple_filing_due=deadlines.simple_filing_due(decided_on),
        simple_filed_on=None, **values)
    _assign(case, chosen, actor.username, decided_on)
    names = [user.full_name for user, _ in chosen]
    credentials = [credential.number for _, credential in chosen]
    inspection = behaviour.inspection_record(
        actor=actor, department=department, implementation_code=implementation_code,
        number=f"{case.number}-JC1", name=f"{card.item_name}（当场检查）", date=decided_on,
        form=BEHAVIOUR_INSPECTION_FORM[case.source], category="1", method="现场检查",
        # 当场处罚 orders the party to correct the act (行政处罚法第二十八条): result E, 发现问题已责令改正.
        result="发现问题已责令改正", inspectors=names, credential_numbers=credentials,
        party=_behaviour_party(case))
    issued = documents.issue(actor=actor, kind="simple_decision", department=department, subject=case.subject,
                             number=number, context=to_jsonable({
                                 "party": _party_context(case), "time": decided_on, "place": place, "facts": facts,
                                 "violated": violated, "basis": basis,
                                 "penalty": "、".join(PENALTY_KINDS[k] for k in kinds),
                                 "fine": amount, "officers": _officers_context(case), "review": _review(case),
                                 "payment": {"method": SIMPLE_PAYMENT}}))
    case.inspection_number = inspection.number
    case.decision_number, case.decision_document_id = issued.number, issued.id
    case.save(update_fields=["inspection_number", "decision_number", "decision_document_id"])
    if amount:
        Payment.objects.create(case=case, fine=amount, due_on=deadlines.payment_due(decided_on))
    _record_penalty(case, actor)
    _append_event(case, actor=actor, verb="simple_decide", on=decided_on, to_status=CaseStatus.HANDED_OVER,
                  document=issued, data={"kinds": kinds, "fine": amount, "limit": limit, "citation": limits.citation,
                                         "officers": names, "credentials": credentials,
                                         "inspection": inspection.number,
                                         "document": {"kind": "simple_decision", "number": issued.number}})
    record(actor=actor, verb="enforcement.simple_decided", target=case,
           data={"number": case.number, "decision": issued.number, "fine": amount, "document": issued.id,
                 "digest": issued.digest})
    _refresh_later(case.pk)
    return case


# Documents' context ----------------------------------------------------------------------------------------

def _party_context(case: Case) -> dict[str, Any]:
    entity = case.entity
    return {"kind": "person" if case.party_kind == PartyKind.PERSON else "organisation", "name": case.party_name,
            "code": case.party_code, "address": case.party_address,
            "legal_representative": entity.legal_representative if entity else ""}


def _officers_context(case: Case) -> list[dict[str, str]]:
    return [{"name": a.user.full_name, "credential": a.credential.number}
            for a in case.assignments.select_related("user", "credential")]


def _case_context(case: Case) -> dict[str, Any]:
    return {"number": case.number, "cause": case.cause, "source": case.get_source_display(),
            "filed_on": case.filed_on.isoformat() if case.filed_on else ""}


def _review(case: Case) -> dict[str, str]:
    """The remedies paragraph's 复议机关 and court (《行政复议法》（2023年修订）第二十四条, documents.remedies)."""
    return documents.remedies(case.department)


def _opinion(opinion: str, signer: Any, day: dt.date) -> dict[str, str]:
    return {"opinion": opinion, "signer": getattr(signer, "full_name", str(signer)), "date": day.isoformat()}


def _penalty_text(case: Case) -> str:
    parts = [PENALTY_KINDS[k] for k in case.penalty_kinds]
    if case.fine:
        parts.append(f"罚款人民币 {case.fine} 元")
    if case.confiscation:
        parts.append(f"没收违法所得人民币 {case.confiscation} 元")
    return "；".join(parts)


# The transition service ------------------------------------------------------------------------------------

@dataclass
class Step:
    """What a step handler receives, and what it leaves for the event."""

    case: Case
    actor: User
    data: dict[str, Any]
    today: dt.date
    edge: workflow.Edge
    on: dt.date
    event: dict[str, Any]
    document: Any = None

    def issue(self, kind: str, context: dict[str, Any], number: str = "") -> Any:
        self.document = documents.issue(actor=self.actor, kind=kind, department=self.case.department,
                                        context=to_jsonable(context), subject=self.case.subject, number=number)
        self.event.update({"document": {"kind": kind, "number": self.document.number}})
        return self.document

    def approve(self, opinion: str, *, approved: bool = True, role: str = Role.HEAD) -> None:
        proposer = self.case.proposed_by_id
        Approval.objects.create(case=self.case, step=self.edge.action, role=role, approver=self.actor,
                                proposed_by_id=proposer, approved=approved, opinion=opinion,
                                decided_at=timezone.now())
        self.event.update({"approval": {"role": role, "approved": approved, "opinion": opinion,
                                        "proposed_by": proposer}})


HANDLERS: dict[str, Callable[[Step], None]] = {}


def handles(*actions: str) -> Callable:
    def register(function: Callable[[Step], None]) -> Callable[[Step], None]:
        for action in actions:
            HANDLERS[action] = function
        return function

    return register


@transaction.atomic
def case_transition(*, actor: Any, case_id: int, action: str, data: dict[str, Any] | None = None,
                    today: dt.date | None = None) -> Case:
    """Take one step of the penalty workflow on a case (the one write service of the table)."""
    today = today or timezone.localdate()
    data = dict(data or {})
    case = _lock(case_id)
    edge = workflow.check(case_facts(case, today), actor_facts(actor), action, today)
    unknown = sorted(set(data) - set(edge.fields))
    _require(not unknown, f"不允许的字段：{'、'.join(unknown)}", "unknown_field", unknown[0] if unknown else None)
    on = _date(data, "on", "日期", today=today, default=today) if "on" in edge.fields else today
    _require(on >= case.received_on, "日期不能早于案件线索的发现或收到日期", "date_order", "on")
    step = Step(case=case, actor=actor, data=data, today=today, edge=edge, on=on, event={})
    old = case.status
    HANDLERS[action](step)
    if action in workflow.PROPOSALS:
        case.proposed_by = actor
        step.event["proposed_by"] = actor.pk
    case.status = edge.target
    if case.filed_on and case.procedure == Procedure.ORDINARY:
        case.decision_due = current_decision_due(case, today)
    case.save()
    _append_event(case, actor=actor, verb=action, on=on, from_status=old, to_status=edge.target,
                  data=step.event, document=step.document)
    record(actor=actor, verb=f"enforcement.case_{action}", target=case, data={
        "from": old, "to": edge.target, "seq": case.event_count,
        **({"document": step.document.id, "digest": step.document.digest} if step.document else {})})
    _refresh_later(case.pk)
    return case


# Step handlers: 立案 ----------------------------------------------------------------------------------------

@handles("propose_filing")
def _propose_filing(step: Step) -> None:
    case, data = step.case, step.data
    if data.get("party"):
        values = _party_values(data["party"], actor=step.actor)
        region = values.pop("region")
        for name, value in values.items():
            setattr(case, name, value)
        if region is not None:
            case.region = region
    _require(case.entity_id or case.person_id, "立案前须确认当事人（市场主体或自然人）", "party_unidentified", "party")
    chosen = _officers(case.department_id, data.get("officers") or [], step.today)
    violation_on = _date(data, "violation_on", "违法行为发生日期", today=step.today, default=case.received_on)
    grave = _flag(data, "grave_harm")
    ends = deadlines.limitation_ends(violation_on, grave=grave)
    if case.received_on > ends:
        raise ValidationFailed(f"违法行为已超过追责时效（{deadlines.RULES['limitation']}）", code="limitation_expired",
                               field="violation_on")
    catalog_code = _text(data, "catalog_code", "监管事项目录编码（行政处罚子项）", max_len=14)
    require_item_in_force(code=catalog_code, on=step.today, action_types=("penalty",))
    implementation = _text(data, "implementation_code", "检查实施清单编码", required=False, max_len=200)
    if implementation:
        require_in_force(body_id=case.department_id, implementation_code=implementation, on=step.today,
                         field="implementation_code")
        case.implementation_code = implementation
    case.cause = _text(data, "cause", "案由", max_len=200)
    case.catalog_code = catalog_code
    case.filing_proposal = "file"
    _assign(case, chosen, str(data.get("lead") or ""), step.today)
    step.event.update({"officers": [u.full_name for u, _ in chosen], "credentials": [c.number for _, c in chosen],
                       "cause": case.cause, "catalog_code": catalog_code, "violation_on": violation_on,
                       "opinion": _text(data, "opinion", "承办人意见", required=False)})


@handles("propose_not_filing")
def _propose_not_filing(step: Step) -> None:
    step.case.not_filed_reason = _text(step.data, "reason", "不予立案理由")
    step.case.filing_proposal = "not_file"
    step.event["reason"] = step.case.not_filed_reason


@handles("extend_check")
def _extend_check(step: Step) -> None:
    reason = _text(step.data, "reason", "延期理由")
    case = step.case
    rules = procedure.for_department(case.department)
    Extension.objects.create(case=case, kind=ExtensionKind.CHECK, days=rules.check.extension or 0,
                             working_days=rules.check.working_days, reason=reason, approved_by=step.actor,
                             approved_on=step.today)
    case.check_due = deadlines.check_due(case.received_on, rules=rules, extended=True)
    if case.clue_id:
        case.clue.check_due = case.check_due
        case.clue.save(update_fields=["check_due", "updated_at"])
    step.approve(reason)
    step.event.update({"check_due": case.check_due})


def _handler_opinion(case: Case) -> dict[str, Any]:
    proposal = case.events.filter(verb__in=("propose_filing", "propose_not_filing")).order_by("-seq").first()
    if proposal is None:
        return {}
    return {"opinion": proposal.data.get("opinion") or proposal.data.get("reason") or "",
            "signer": proposal.actor_label, "date": proposal.on.isoformat()}


def _clue_status(case: Case, status: str) -> None:
    if case.clue_id:
        case.clue.status = status
        case.clue.save(update_fields=["status", "updated_at"])


@handles("approve_filing")
def _approve_filing(step: Step) -> None:
    case = step.case
    opinion = _text(step.data, "opinion", "负责人意见", required=False) or "同意立案"
    case.filed_on = step.today
    case.decision_due = deadlines.decision_due(case.filed_on, rules=procedure.for_department(case.department),
                                               today=step.today)
    _clue_status(case, ClueStatus.FILED)
    step.approve(opinion)
    step.issue("filing_approval", {
        "case": _case_context(case), "party": _party_context(case), "summary": case.summary,
        "basis": f"监管事项 {case.catalog_code}", "officers": _officers_context(case),
        "opinions": {"handler": _handler_opinion(case), "head": _opinion(opinion, step.actor, step.today)}})
    step.event.update({"filed_on": case.filed_on, "decision_due": case.decision_due})


@handles("approve_not_filing")
def _approve_not_filing(step: Step) -> None:
    case = step.case
    opinion = _text(step.data, "opinion", "负责人意见", required=False) or "同意不予立案"
    _clue_status(case, ClueStatus.NOT_FILED)
    step.approve(opinion)
    step.issue("not_filing_approval", {
        "case": _case_context(case), "party": _party_context(case), "summary": case.summary,
        "reason": case.not_filed_reason, "opinions": {"handler": _handler_opinion(case),
                                                      "head": _opinion(opinion, step.actor, step.today)}})


@handles("return_proposal")
def _return_proposal(step: Step) -> None:
    step.approve(_text(step.data, "opinion", "退回意见"), approved=False)
    step.case.filing_proposal = ""


# Step handlers: 调查取证 -------------------------------------------------------------------------------------

@handles("record_inquiry")
def _record_inquiry(step: Step) -> None:
    data = step.data
    interviewee = data.get("interviewee") or {}
    if isinstance(interviewee, str):
        interviewee = {"name": interviewee}
    _require(isinstance(interviewee, dict) and str(interviewee.get("name") or "").strip(), "缺少被询问人姓名",
             "required", "interviewee")
    qa = data.get("qa") or []
    if isinstance(qa, str):
        qa = [{"q": "", "a": line} for line in qa.splitlines() if line.strip()]
    _require(isinstance(qa, list) and qa, "缺少询问内容", "required", "qa")
    officers = _officers_context(step.case)
    step.issue("inquiry_record", {
        "started_at": str(data.get("started_at") or step.on), "ended_at": str(data.get("ended_at") or ""),
        "place": _text(data, "place", "询问地点", required=False), "officers": officers,
        "recorder": officers[-1]["name"] if officers else "", "interviewee": interviewee, "qa": qa})
    step.event.update({"interviewee": interviewee.get("name"), "questions": len(qa)})


@handles("record_onsite")
def _record_onsite(step: Step) -> None:
    case, data = step.case, step.data
    findings = _text(data, "findings", "现场检查情况")
    implementation = _text(data, "implementation_code", "检查实施清单编码", required=False,
                           max_len=200) or case.implementation_code
    officers = _officers_context(case)
    step.issue("onsite_record", {
        "party": _party_context(case), "started_at": step.on, "place": _text(data, "place", "检查地点",
                                                                             required=False),
        "officers": officers, "recorder": officers[-1]["name"] if officers else "", "findings": findings,
        "party_statement": _text(data, "party_statement", "当事人意见", required=False)})
    if implementation and (case.entity_id or case.person_id):
        count = Inspection.objects.filter(number__startswith=f"{case.number}-JC").count()
        inspection = behaviour.inspection_record(
            actor=step.actor, department=case.department, implementation_code=implementation,
            number=f"{case.number}-JC{count + 1}", name=f"{case.cause or case.party_name}案现场检查", date=step.on,
            form=BEHAVIOUR_INSPECTION_FORM[case.source], category="1", method="现场检查",
            result="发现问题待后续处理",
            inspectors=[o["name"] for o in officers], credential_numbers=[o["credential"] for o in officers],
            party=_behaviour_party(case))
        case.implementation_code = implementation
        case.inspection_number = case.inspection_number or inspection.number
        step.event["inspection"] = inspection.number
    step.event["findings"] = findings[:200]


@handles("record_sampling")
def _record_sampling(step: Step) -> None:
    items = step.data.get("items") or []
    _require(isinstance(items, list) and items, "缺少抽样物品", "required", "items")
    step.event.update({"items": items, "place": _text(step.data, "place", "抽样地点", required=False)})


@handles("order_rectification")
def _order_rectification(step: Step) -> None:
    data = step.data
    deadline = _date(data, "deadline", "改正期限", today=step.today, future=True)
    _require(deadline >= step.today, "改正期限不能早于今天", "date_order", "deadline")
    step.issue("rectification_order", {
        "party": _party_context(step.case), "facts": _text(data, "facts", "违法事实"),
        "violated": _text(data, "violated", "违反的规定", required=False),
        "basis": _text(data, "basis", "责令改正的依据"), "deadline": deadline,
        "requirements": _text(data, "requirements", "改正要求", required=False)})
    step.event["deadline"] = deadline


@handles("preserve_request")
def _preserve_request(step: Step) -> None:
    items = step.data.get("items") or []
    if isinstance(items, str):
        items = [{"name": line.strip()} for line in items.splitlines() if line.strip()]
    _require(isinstance(items, list) and items, "缺少先行登记保存的物品清单", "required", "items")
    preservation = Preservation.objects.create(case=step.case, items=items, reason=_text(step.data, "reason", "理由"),
                                               requested_by=step.actor, requested_on=step.today)
    step.event.update({"preservation": preservation.pk, "items": items})


@handles("preserve_approve")
def _preserve_approve(step: Step) -> None:
    preservation = step.case.preservations.filter(approved_on=None, decided_on=None).order_by("pk").first()
    preservation.approved_by, preservation.approved_on = step.actor, step.on
    preservation.due = deadlines.preservation_due(step.on)
    preservation.save(update_fields=["approved_by", "approved_on", "due"])
    step.approve(_text(step.data, "opinion", "负责人意见", required=False) or "同意先行登记保存")
    step.event.update({"preservation": preservation.pk, "due": preservation.due,
                       "rule": deadlines.RULES["preservation"]})


PRESERVATION_DECISIONS = {"release": "解除先行登记保存", "seize": "依法查封、扣押", "confiscate": "依法没收",
                          "test": "送检测、检验、检疫、鉴定", "transfer": "移送有关机关"}


@handles("preserve_decide")
def _preserve_decide(step: Step) -> None:
    preservation = step.case.preservations.exclude(approved_on=None).filter(decided_on=None).order_by("pk").first()
    decision = _text(step.data, "decision", "处理决定", max_len=20)
    _require(decision in PRESERVATION_DECISIONS, f"处理决定应为：{'、'.join(PRESERVATION_DECISIONS)}",
             "choice_invalid", "decision")
    if step.on > preservation.due and decision != "release":
        raise InvalidTransition(f"先行登记保存已于 {preservation.due} 逾期，措施自动解除，只能登记解除"
                                "（《行政处罚法》第五十六条）", code="preservation_lapsed")
    preservation.decided_on, preservation.decision = step.on, decision
    preservation.save(update_fields=["decided_on", "decision"])
    step.event.update({"preservation": preservation.pk, "decision": PRESERVATION_DECISIONS[decision],
                       "in_time": step.on <= preservation.due})


@handles("suspend")
def _suspend(step: Step) -> None:
    kind = _text(step.data, "kind", "期间类型", max_len=20)
    _require(kind in SuspensionKind.values and kind != SuspensionKind.HEARING,
             "期间类型应为检测检验检疫鉴定、公告或其他（听证期间自动计算）", "choice_invalid", "kind")
    Suspension.objects.create(case=step.case, kind=kind, starts_on=step.on,
                              reason=_text(step.data, "reason", "说明", max_len=300))
    step.event.update({"kind": kind, "starts_on": step.on})


def _end_suspensions(case: Case, on: dt.date, kind: str | None = None) -> None:
    open_ones = case.suspensions.filter(ends_on=None)
    if kind:
        open_ones = open_ones.filter(kind=kind)
    for suspension in open_ones:
        _require(on >= suspension.starts_on, "结束日期不能早于起始日期", "date_order", "on")
    open_ones.update(ends_on=on)


@handles("resume")
def _resume(step: Step) -> None:
    _end_suspensions(step.case, step.on)
    step.event["ends_on"] = step.on


@handles("extend_decision")
def _extend_decision(step: Step) -> None:
    reason = _text(step.data, "reason", "延期理由")
    days = procedure.for_department(step.case.department).decision.extension or 0
    Extension.objects.create(case=step.case, kind=ExtensionKind.DECISION, days=days,
                             reason=reason, approved_by=step.actor, approved_on=step.today)
    step.approve(reason)
    step.event.update({"days": days})


@handles("extend_further")
def _extend_further(step: Step) -> None:
    try:
        days = int(step.data.get("days") or 0)
    except (TypeError, ValueError):
        days = 0
    _require(1 <= days <= 365, "继续延期须确定合理期限（1 至 365 日）", "days_invalid", "days")
    reason, discussion = _text(step.data, "reason", "延期理由"), _text(step.data, "discussion", "集体讨论记录")
    Extension.objects.create(case=step.case, kind=ExtensionKind.FURTHER, days=days, reason=reason,
                             discussion=discussion, approved_by=step.actor, approved_on=step.today)
    step.approve(reason)
    step.event.update({"days": days, "discussion": discussion[:500]})


@handles("end_investigation")
def _end_investigation(step: Step) -> None:
    case, data = step.case, step.data
    case.facts = _text(data, "facts", "违法事实")
    case.violated = _text(data, "violated", "违反的规定", required=False)
    case.basis = _text(data, "basis", "处罚依据")
    case.penalty_kinds = _kinds(data)
    case.fine = _money(data, "fine", "罚款金额")
    case.confiscation = _money(data, "confiscation", "没收违法所得")
    _require(("02" in case.penalty_kinds) == bool(case.fine), "罚款须写明金额，未处罚款则不填金额", "fine_mismatch",
             "fine")
    case.hearing_right = policy.hearing_due(party_kind=case.party_kind, kinds=case.penalty_kinds, fine=case.fine,
                                            confiscation=case.confiscation, on=step.today)
    case.major = _flag(data, "major") or policy.major_case(party_kind=case.party_kind, kinds=case.penalty_kinds,
                                                           fine=case.fine, on=step.today)
    case.legal_review_required = case.major or case.hearing_right or _flag(data, "legal_review")
    step.event.update({"penalty_kinds": case.penalty_kinds, "fine": case.fine, "confiscation": case.confiscation,
                       "hearing_right": case.hearing_right, "major": case.major,
                       "legal_review_required": case.legal_review_required})


# Step handlers: 法制审核, 集体讨论, 告知, 听证 ----------------------------------------------------------------

@handles("submit_review")
def _submit_review(step: Step) -> None:
    step.case.legal_review_submitted_on = step.today
    step.event["due"] = deadlines.legal_review_due(step.today)


@handles("pass_review")
def _pass_review(step: Step) -> None:
    opinion = _text(step.data, "opinion", "法制审核意见", max_len=100)
    step.case.legal_review_on, step.case.legal_review_opinion = step.today, opinion
    step.approve(opinion, role=Role.LEGAL_REVIEWER)


@handles("return_review")
def _return_review(step: Step) -> None:
    step.approve(_text(step.data, "opinion", "法制审核意见", max_len=100), approved=False, role=Role.LEGAL_REVIEWER)


@handles("discuss")
def _discuss(step: Step) -> None:
    conclusion = _text(step.data, "conclusion", "集体讨论结论", max_len=1000)
    participants = step.data.get("participants") or []
    if isinstance(participants, str):
        participants = [p for p in participants.replace("、", ",").split(",") if p.strip()]
    step.case.collective_on, step.case.collective_conclusion = step.on, conclusion
    step.approve(conclusion)
    step.event.update({"participants": participants})


@handles("notify")
def _notify(step: Step) -> None:
    case = step.case
    _require(case.penalty_kinds, "调查终结时未写明拟作出的处罚", "penalty_missing", "penalty_kinds")
    case.notified_on = step.on
    contact = step.data.get("contact") or {"name": step.actor.full_name, "phone": step.actor.phone}
    step.issue("penalty_notice", {
        "party": _party_context(case), "case": _case_context(case), "facts": case.facts,
        "violated": case.violated, "basis": case.basis, "penalty": _penalty_text(case),
        "hearing_right": case.hearing_right, "contact": contact})
    step.event.update({"penalty": _penalty_text(case), "hearing_right": case.hearing_right})
    if case.hearing_right:
        step.event["hearing_request_due"] = deadlines.hearing_request_due(step.on)


@handles("record_statement")
def _record_statement(step: Step) -> None:
    step.event.update({"statement": _text(step.data, "statement", "陈述、申辩内容"),
                       "adopted": _flag(step.data, "adopted")})


@handles("waive_hearing")
def _waive_hearing(step: Step) -> None:
    step.case.hearing_waived = True


@handles("request_hearing")
def _request_hearing(step: Step) -> None:
    Hearing.objects.update_or_create(case=step.case, defaults={"requested_on": step.on, "outcome": ""})
    Suspension.objects.create(case=step.case, kind=SuspensionKind.HEARING, starts_on=step.on, reason="当事人申请听证")


@handles("schedule_hearing")
def _schedule_hearing(step: Step) -> None:
    case, data = step.case, step.data
    held_on = _date(data, "held_on", "听证日期", today=step.today, future=True)
    earliest = deadlines.earliest_hearing(step.on)
    if held_on < earliest:
        raise ValidationFailed(f"听证通知应在举行听证的七个工作日前送达，最早可于 {earliest} 举行"
                               "（《行政处罚法》第六十四条）", code="hearing_notice_too_late", field="held_on",
                               extra={"earliest": str(earliest)})
    chair = _colleague(str(data.get("chair") or ""), case.department_id, "chair")
    _require(not case.assignments.filter(user=chair).exists(),
             "听证主持人不得为本案调查人员（《行政处罚法》第六十四条）", "chair_investigated", "chair")
    hearing = case.hearing
    hearing.held_on, hearing.chair, hearing.notice_sent_on = held_on, chair, step.on
    hearing.place, hearing.public = _text(data, "place", "听证地点", max_len=200), data.get("public") not in (
        False, "false", "0")
    document = step.issue("hearing_notice", {
        "party": _party_context(case), "case": _case_context(case),
        "hearing": {"time": held_on, "place": hearing.place, "chair": chair.full_name, "public": hearing.public},
        "contact": {"name": step.actor.full_name, "phone": step.actor.phone}})
    hearing.notice_document_id = document.id
    hearing.save()
    step.event.update({"held_on": held_on, "chair": chair.full_name, "earliest": earliest})


@handles("withdraw_hearing")
def _withdraw_hearing(step: Step) -> None:
    _end_suspensions(step.case, step.on, SuspensionKind.HEARING)
    Hearing.objects.filter(case=step.case).update(outcome="withdrawn")
    step.case.hearing_waived = True


@handles("hold_hearing")
def _hold_hearing(step: Step) -> None:
    case, hearing = step.case, step.case.hearing
    _require(step.on >= hearing.held_on, f"听证定于 {hearing.held_on} 举行", "hearing_not_yet", "on")
    absent = _flag(step.data, "absent")
    transcript = None
    if not absent:
        transcript = case.evidence.filter(pk=int(step.data.get("transcript") or 0)).first()
        _require(transcript is not None, "须上传经当事人签字的听证笔录（证据）并注明其编号", "transcript_required",
                 "transcript")
    hearing.transcript, hearing.outcome = transcript, "absent" if absent else "held"
    hearing.held_on = step.on
    hearing.save(update_fields=["transcript", "outcome", "held_on"])
    _end_suspensions(case, step.on, SuspensionKind.HEARING)
    if absent:
        case.hearing_waived = True  # 无正当理由拒不出席 = 放弃听证 (第六十五条)
    step.event.update({"outcome": hearing.outcome,
                       "transcript": {"id": transcript.pk, "sha256": transcript.sha256} if transcript else None})


# Step handlers: 决定, 移送 ---------------------------------------------------------------------------------------

def _record_penalty(case: Case, actor: Any) -> None:
    """The 行政处罚行为 of the behaviour library (behaviour-records.md §3), through the catalog's guard."""
    _require(case.inspection_number, "须先记录现场检查（行政处罚行为须引用检查行为编号）", "inspection_required",
             "inspection")
    hearing = Hearing.objects.filter(case=case, outcome="held").exists()
    penalty = behaviour.penalty_record(
        actor=actor, department=case.department, catalog_code=case.catalog_code,
        inspection_number=case.inspection_number, number=f"{case.number}-CF", name=f"{case.cause or '行政处罚'}案",
        decided_on=case.decided_on, decision_number=case.decision_number, facts=case.facts or case.summary,
        basis=case.basis, procedure=BEHAVIOUR_PROCEDURE[case.procedure], penalty_kinds=case.penalty_kinds,
        result=_penalty_text(case)[:1000], case_source=BEHAVIOUR_CASE_SOURCE[case.source], fine=case.fine,
        filed_on=case.filed_on, party=_behaviour_party(case), hearing=hearing, criminal=case.criminal,
        major=case.major, legal_review=case.legal_review_on is not None, legal_review_on=case.legal_review_on,
        legal_review_opinion=case.legal_review_opinion, collective=case.collective_on is not None,
        collective_on=case.collective_on, collective_conclusion=case.collective_conclusion,
        reconsideration="未申请", litigation="未起诉")  # 行政复议 / 行政诉讼 are required; none yet at the decision
    case.behaviour_number = penalty.number
    Case.objects.filter(pk=case.pk).update(behaviour_number=penalty.number)


@handles("decide")
def _decide(step: Step) -> None:
    case, data = step.case, step.data
    outcome = _text(data, "outcome", "处理结果", max_len=12)
    _require(outcome in Outcome.values, "处理结果应为给予行政处罚或不予行政处罚", "choice_invalid", "outcome")
    mitigation = str(data.get("mitigation") or "")
    _require(mitigation in Mitigation.values, "裁量情节无效", "choice_invalid", "mitigation")
    opinion = _text(data, "opinion", "负责人意见", required=False) or "同意"
    case.outcome, case.mitigation, case.decided_on = outcome, mitigation, step.today
    case.facts = _text(data, "facts", "违法事实", required=False) or case.facts
    case.basis = _text(data, "basis", "处罚依据", required=False) or case.basis
    step.approve(opinion)
    if outcome == Outcome.NO_PENALTY:
        case.no_penalty_reason = _text(data, "no_penalty_reason", "不予处罚理由", max_len=300)
        case.penalty_kinds, case.fine, case.confiscation = [], None, None
        step.event.update({"outcome": outcome, "reason": case.no_penalty_reason})
        return
    kinds = _kinds(data) if "penalty_kinds" in data else case.penalty_kinds
    fine = _money(data, "fine", "罚款金额") if "fine" in data else case.fine
    confiscation = _money(data, "confiscation", "没收违法所得") if "confiscation" in data else case.confiscation
    _require(kinds, "缺少必填字段“处罚种类”", "required", "penalty_kinds")
    _require(("02" in kinds) == bool(fine), "罚款须写明金额，未处罚款则不填金额", "fine_mismatch", "fine")
    heavier = (set(kinds) - set(case.penalty_kinds)) or (fine or 0) > (case.fine or 0) or \
        (confiscation or 0) > (case.confiscation or 0)
    if heavier:
        raise ValidationFailed("决定不得重于已告知的处罚；如需加重，应重新告知（《行政处罚法》第四十四条、第四十五条）",
                               code="heavier_than_notified", field="penalty_kinds")
    case.penalty_kinds, case.fine, case.confiscation = kinds, fine, confiscation
    statements = list(case.events.filter(verb="record_statement").values_list("data", flat=True))
    document = step.issue("penalty_decision", {
        "party": _party_context(case), "case": _case_context(case), "facts": case.facts, "violated": case.violated,
        "statements": [s.get("statement", "") for s in statements] or "当事人未提出陈述、申辩。",
        "discretion": str(Mitigation(mitigation).label) if mitigation else "", "basis": case.basis,
        "penalties": [PENALTY_KINDS[k] for k in kinds], "fine": fine, "confiscation": confiscation,
        "payment": {"deadline_days": deadlines.PAYMENT_DAYS, "method": "到指定银行或者通过电子支付系统缴纳"},
        "review": _review(case)})
    case.decision_number, case.decision_document_id = document.number, document.id
    _record_penalty(case, step.actor)
    step.event.update({"outcome": outcome, "penalty_kinds": kinds, "fine": fine, "confiscation": confiscation,
                       "mitigation": mitigation, "decision_number": document.number,
                       "behaviour": case.behaviour_number})


@handles("transfer")
def _transfer(step: Step) -> None:
    case = step.case
    case.transferred_to = _text(step.data, "to", "移送机关", max_len=200)
    case.criminal = _flag(step.data, "criminal")
    case.transferred_on = step.on
    reason = _text(step.data, "reason", "移送理由")
    step.approve(reason)
    step.event.update({"to": case.transferred_to, "criminal": case.criminal, "reason": reason})


# Step handlers: 送达, 执行, 结案, 归档 ---------------------------------------------------------------------------

@handles("serve")
def _serve(step: Step) -> None:
    case, data = step.case, step.data
    method = _text(data, "method", "送达方式", max_len=12)
    _require(method in ServiceMethod.values, "送达方式无效", "choice_invalid", "method")
    consent = _flag(data, "consent")
    _require(method != ServiceMethod.ELECTRONIC or consent,
             "电子送达须经当事人同意并签订送达地址确认书（《行政处罚法》第六十一条）", "consent_required", "consent")
    _require(step.on >= case.decided_on, "送达日期不能早于决定日期", "date_order", "on")
    recipient = _text(data, "recipient", "受送达人", required=False, max_len=200) or case.party_name
    address = _text(data, "address", "送达地点", required=False, max_len=400) or case.party_address
    servers = _officers_context(case)
    served_documents = ([{"title": "行政处罚决定书", "number": case.decision_number}] if case.decision_number
                        else [{"title": "不予行政处罚决定", "number": case.number}])
    receipt = step.issue("service_receipt", {
        "documents": served_documents, "recipient": recipient, "address": address,
        "method": str(ServiceMethod(method).label), "served_at": step.on, "servers": servers, "receiver": recipient})
    Service.objects.create(case=case, document_id=case.decision_document_id or receipt.id, method=method,
                           consent=consent, recipient=recipient, address=address, served_on=step.on,
                           receipt_document_id=receipt.id)
    case.served_on = step.on
    if case.outcome == Outcome.PENALTY and case.fine:
        Payment.objects.update_or_create(case=case, defaults={"fine": case.fine,
                                                              "due_on": deadlines.payment_due(step.on)})
    due = deadlines.service_due(case.decided_on)
    step.event.update({"method": method, "consent": consent, "in_time": step.on <= due, "due": due})


@handles("file_record")
def _file_record(step: Step) -> None:
    step.case.simple_filed_on = step.on
    step.event.update({"due": step.case.simple_filing_due, "in_time": step.on <= step.case.simple_filing_due})


@handles("record_payment")
def _record_payment(step: Step) -> None:
    payment = step.case.payment
    _require(step.on >= (step.case.served_on or step.case.decided_on), "缴款日期不能早于决定书送达日期", "date_order",
             "on")
    amount = _money(step.data, "amount", "缴款金额")
    _require(amount and amount > 0, "缺少缴款金额", "required", "amount")
    fee = deadlines.late_fee(payment.fine, payment.due_on, step.on)
    owed = payment.fine + fee - payment.paid_amount
    _require(amount <= owed, f"缴款金额超过应缴金额 {owed} 元", "overpayment", "amount")
    payment.paid_amount += amount
    payment.late_fee = fee
    payment.receipts = [*payment.receipts, to_jsonable({"on": step.on, "amount": amount,
                                                        "reference": str(step.data.get("reference") or "")})]
    if payment.paid_amount >= payment.fine + fee:
        payment.paid_on = step.on
    payment.save()
    step.event.update({"amount": amount, "late_fee": fee, "paid_in_full": payment.paid_on is not None})


@handles("apply_enforcement")
def _apply_enforcement(step: Step) -> None:
    payment = step.case.payment
    payment.enforcement_applied_on, payment.court = step.on, _text(step.data, "court", "受理法院", max_len=200)
    payment.late_fee = deadlines.late_fee(payment.fine, payment.due_on, step.on)
    payment.save(update_fields=["enforcement_applied_on", "court", "late_fee"])
    step.approve("申请人民法院强制执行")
    step.event.update({"court": payment.court, "late_fee": payment.late_fee})


@handles("propose_closing")
def _propose_closing(step: Step) -> None:
    step.event["summary"] = _text(step.data, "summary", "结案理由", required=False) or "已执行完毕"


@handles("approve_closing")
def _approve_closing(step: Step) -> None:
    case = step.case
    opinion = _text(step.data, "opinion", "负责人意见", required=False) or "同意结案"
    case.closed_on = step.today
    payment = Payment.objects.filter(case=case).first()
    if case.outcome == Outcome.PENALTY:
        result = _penalty_text(case)
    elif case.outcome == Outcome.NO_PENALTY:
        result = f"不予行政处罚：{case.no_penalty_reason}"
    else:
        result = f"移送{case.transferred_to}"
    if payment is None:
        execution = "无罚款"
    elif payment.paid_on:
        execution = f"已缴纳 {payment.paid_amount} 元（含加处罚款 {payment.late_fee} 元）"
    else:
        execution = f"已于 {payment.enforcement_applied_on} 申请{payment.court}强制执行"
    proposal = case.events.filter(verb="propose_closing").order_by("-seq").first()
    step.approve(opinion)
    step.issue("closing_approval", {
        "case": _case_context(case), "party": _party_context(case), "result": result, "execution": execution,
        "summary": proposal.data.get("summary", "") if proposal else "",
        "opinions": {"handler": {"opinion": proposal.data.get("summary", ""), "signer": proposal.actor_label,
                                 "date": proposal.on.isoformat()} if proposal else {},
                     "head": _opinion(opinion, step.actor, step.today)}})
    _amend_penalty_at_closing(case, payment, step.actor, step.today)
    step.event.update({"closed_on": case.closed_on, "execution": execution})


def _amend_penalty_at_closing(case: Case, payment: Payment | None, actor: Any, today: dt.date) -> None:
    """结案情况 of the 行政处罚行为 (behaviour-records.md §3): 结案日期, 执行方式, 执行结果 and 实缴罚款金额, written
    into the record made at the decision as its next version."""
    if not case.behaviour_number:
        return
    if payment is None:
        method, result, paid = "自觉履行", "全部履行", None
    elif payment.paid_on:
        method, result, paid = "自觉履行", "全部履行", payment.paid_amount
    else:
        method, result = "申请法院强制执行", "部分履行" if payment.paid_amount else "未履行"
        paid = payment.paid_amount or None
    behaviour.record_amend(actor=actor, model=Penalty, number=case.behaviour_number, reason="结案", today=today,
                           changes={"closed_on": case.closed_on, "execution_method": method,
                                    "execution_result": result, "paid": paid})


@handles("return_closing")
def _return_closing(step: Step) -> None:
    step.approve(_text(step.data, "opinion", "退回意见"), approved=False)


@handles("archive")
def _archive(step: Step) -> None:
    step.case.archived_on = step.today
    step.event["documents"] = step.case.events.exclude(document_id=None).count()


missing = workflow.ACTIONS - set(HANDLERS)
assert not missing, f"actions without a handler: {sorted(missing)}"


# Evidence, corrections, other apps' events -----------------------------------------------------------------

def _sniff(name: str, data: bytes) -> tuple[str, str, str]:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = "、".join(sorted(EVIDENCE_TYPES))
    _require(extension in EVIDENCE_TYPES, f"不接受此类型的文件（允许：{allowed}）", "file_type_refused", "file")
    content_type, kind, looks_right = EVIDENCE_TYPES[extension]
    _require(looks_right(data), f"文件内容与扩展名 .{extension} 不符", "file_type_mismatch", "file")
    return extension, content_type, kind


@transaction.atomic
def evidence_add(*, actor: User, case_id: int, file_name: str, data: bytes, sha256: str, title: str = "",
                 collected_on: dt.date | None = None, today: dt.date | None = None) -> Evidence:
    """Store a file of evidence for an open case, after checking its type (extension and content), its size and
    that the SHA-256 the sender computed is that of the bytes received."""
    today = today or timezone.localdate()
    case = _lock(case_id)
    handler = workflow.Edge(case.status, "evidence", case.status, workflow.HANDLER, "")
    if not workflow.may(handler, actor_facts(actor), case_facts(case, today)):
        raise AccessDenied("只有本案承办人员可以上传证据", code="not_permitted")
    _require(case.status in workflow.OPEN, "案件已结案，不能再补充证据", "case_closed", "file")
    limit = evidence_max_bytes()
    if len(data) > limit:
        raise EvidenceTooLarge(f"文件超过 {limit // (1024 * 1024)} MB 的上限", code="file_too_large", field="file")
    _require(data, "文件为空", "file_empty", "file")
    digest = hashlib.sha256(data).hexdigest()
    claimed = str(sha256 or "").strip().lower()
    _require(len(claimed) == 64, "须提供文件的 SHA-256（64 位十六进制）", "sha256_required", "sha256")
    _require(claimed == digest, "文件的 SHA-256 与提供的不符（传输中损坏或被改动），已拒收", "sha256_mismatch",
             "sha256")
    _require(not case.evidence.filter(sha256=digest).exists(), "该文件已上传", "evidence_duplicate", "file")
    _, content_type, kind = _sniff(file_name, data)
    collected_on = collected_on or today
    _require(collected_on <= today, "“取证日期”不能晚于今天", "date_in_future", "collected_on")
    path = evidence_path(digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        temporary.write_bytes(data)
        temporary.replace(path)
    evidence = Evidence.objects.create(
        case=case, kind=kind, title=(title or file_name)[:200], file_name=file_name[:200], content_type=content_type,
        size=len(data), sha256=digest, collected_on=collected_on, uploaded_by=actor, uploaded_at=timezone.now())
    _append_event(case, actor=actor, verb="evidence_added", on=collected_on, data={
        "evidence": evidence.pk, "title": evidence.title, "kind": kind, "size": len(data), "sha256": digest})
    record(actor=actor, verb="enforcement.evidence_added", target=case,
           data={"evidence": evidence.pk, "sha256": digest, "size": len(data)})
    return evidence


def evidence_bytes(evidence: Evidence) -> bytes:
    data = evidence_path(evidence.sha256).read_bytes()
    if hashlib.sha256(data).hexdigest() != evidence.sha256:
        raise ValidationFailed("证据文件已被改动（摘要不符）", code="evidence_tampered", field="file")
    return data


@transaction.atomic
def case_event_correct(*, actor: User, case_id: int, seq: int, correction: dict[str, Any], reason: str) -> CaseEvent:
    """Correct what an earlier event says: a new event that names the one it supersedes (the old stays)."""
    case = _lock(case_id)
    if not any(workflow.may(workflow.Edge(case.status, "correct", case.status, who, ""), actor_facts(actor),
                            case_facts(case, timezone.localdate())) for who in (workflow.HANDLER, workflow.LEADER)):
        raise AccessDenied("只有本案承办人员或负责人可以更正记录", code="not_permitted")
    _require(case.events.filter(seq=seq).exists(), f"事件 {seq} 不存在", "event_unknown", "seq")
    _require(str(reason).strip(), "缺少更正理由", "required", "reason")
    event = _append_event(case, actor=actor, verb="corrected", on=timezone.localdate(), supersedes=seq,
                          data={"correction": correction, "reason": reason})
    record(actor=actor, verb="enforcement.event_corrected", target=case, data={"seq": event.seq, "supersedes": seq})
    return event


@transaction.atomic
def case_append_event(*, actor: Actor, case_id: int, verb: str, data: dict, document_id: int | None = None) -> None:
    """Append another app's event (a coercive measure, an inspection) to the case's history, with the document's
    hash when one was issued."""
    case = _lock(case_id)
    _require(verb and len(verb) <= 50, "动作名称无效", "verb_invalid", "verb")
    document = documents.get(document_id) if document_id else None
    _append_event(case, actor=actor, verb=verb, on=timezone.localdate(), data=data, document=document)
    record(actor=actor, verb="enforcement.event_appended", target=case,
           data={"verb": verb, "seq": case.event_count, "document": document_id})


def refresh_decision_due(case_id: int, today: dt.date | None = None) -> None:
    """Recompute the stored decision date (an open suspension moves it every day)."""
    today = today or timezone.localdate()
    case = Case.objects.filter(pk=case_id).first()
    if case is not None and case.filed_on and not case.decided_on and case.procedure == Procedure.ORDINARY:
        due = current_decision_due(case, today)
        if due != case.decision_due:
            Case.objects.filter(pk=case_id).update(decision_due=due)


