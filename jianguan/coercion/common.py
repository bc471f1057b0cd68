"""What the writes of 行政强制 share — coercive measures (`measures.py`) and compulsory executions
(`executions.py`): who may take a step (the transition tables of `workflow.py` with the record's facts), the party
copied from the inspection, the documents issued through `documents.contracts.issue`, and one step written as a
whole: the record's timeline, the linked case's history and the audit event with the record's state (ADR 0023).

Law: 行政强制法 (2011); enforcement.md §3. Clocks: `deadlines.py`.
"""

from __future__ import annotations

import datetime as dt
import inspect
from decimal import Decimal
from functools import partial
from typing import Any

from django.utils import timezone

from jianguan.accounts.models import Department, User
from jianguan.audit import contracts as audit
from jianguan.audit.contracts import record
from jianguan.behaviour import contracts as behaviour
from jianguan.behaviour.models import Coercion, Inspection
from jianguan.core import replay
from jianguan.core.actors import Actor, Person
from jianguan.core.errors import InvalidTransition, NotFound, ValidationFailed
from jianguan.core.numbering import daily_number
from jianguan.core.scoping import HasScope
from jianguan.core.validation import day, text
from jianguan.core.validation import require as _require
from jianguan.documents import contracts as documents
from jianguan.enforcement import contracts as cases

from . import workflow
from .models import GOODS_KINDS, Measure

field_text = partial(text, max_len=2000)  # a required text of a measure or an execution, 2000 characters at most


def happened_on(value: Any, field: str, label: str, *, default_today: bool = True) -> dt.date:
    """A date of something that has happened (today when not given, unless `default_today` is off)."""
    return day(value, field, label, default=timezone.localdate() if default_today else None)


# Who may act -----------------------------------------------------------------------------------------------------

def _is_officer(actor: Actor | Person, department_id: int) -> bool:
    return workflow.is_officer(actor, department_id)


def _is_head(actor: Actor | Person, department_id: int, region_id: str) -> bool:
    return workflow.is_head(actor, department_id)


def _proposer(row: Any) -> int | None:
    """The 提出人 of a measure (who requested it or acted in an emergency) or of a compulsory execution."""
    return getattr(row, "requested_by_id", None) or getattr(row, "created_by_id", None)


def facts_of(row: Any, actor: Actor, action: str, on: dt.date | None) -> workflow.Facts:
    """What the table may know of the measure or execution `row` for `action` by `actor` on the day `on`."""
    if isinstance(row, Measure):
        return workflow.Facts(row.status, actor, row.department_id, _proposer(row), action, on,
                              goods=row.kind in GOODS_KINDS, extension_days=row.extension_days,
                              starts_on=row.starts_on, due_on=row.due_on)
    return workflow.Facts(row.status, actor, row.department_id, _proposer(row), action, on, power=row.power,
                          objection_upheld=row.objection_upheld, decision_served_on=row.decision_served_on,
                          payment_due=row.payment_due, principal=row.principal, late_fee_rate=row.late_fee_rate,
                          demand_served_on=row.demand_served_on, demand_deadline=row.demand_deadline,
                          remedy_ends=row.remedy_ends)


def take(edges: tuple[workflow.Edge, ...], row: Any, action: str, actor: Actor, *,
         on: dt.date | None = None) -> workflow.Edge:
    """The edge for `action` on `row`, if the actor may take it and its guards hold (InvalidTransition 409,
    AccessDenied 403, or the guard's refusal). Guards of the step's day hold until `on` is given: a service calls
    again with the day once it has read it."""
    return workflow.table(edges).check(action, facts_of(row, actor, action, on))


def open_step(edges: tuple[workflow.Edge, ...], action: str, actor: Actor) -> workflow.Edge:
    """The edge opening a measure or an execution by `action`, if the actor may: one of their own body's officers
    (the record is the actor's department's)."""
    facts = workflow.Facts(workflow.NEW, actor, getattr(actor, "department_id", None), action=action)
    return workflow.table(edges).check(action, facts)


def actions_for(actor: Actor, row: Any, edges: tuple[workflow.Edge, ...]) -> list[str]:
    """The steps open in the record's state that this person may take (what a page offers)."""
    officer = _is_officer(actor, row.department_id)
    head = _is_head(actor, row.department_id, row.region_id)
    return [e.action for e in edges if e.source == row.status and workflow.may(e, officer=officer, head=head)]


def visible(model: type, actor: HasScope, pk: int, *, lock: bool = True) -> Any:
    """The record, locked for the step, if the actor may see it (404 otherwise)."""
    rows = model.objects.select_for_update() if lock else model.objects.all()
    row = rows.get_visible(actor, pk=pk)
    return row


# Shared pieces -----------------------------------------------------------------------------------------------

def number_for(model: type, prefix: str) -> str:
    """QZCS2026120700001 / QZZX2026120700001, per day (taken under the day's sequence row lock)."""
    return daily_number(prefix, timezone.localdate(), issued=model.objects)


def inspection_of(actor: HasScope, number: str) -> Inspection:
    """The 行政检查行为 that found the facts (every 行政强制行为 points back to one; behaviour-records.md §4)."""
    number = field_text(number, "inspection_number", "检查行为编号", max_len=50)
    found = Inspection.objects.visible_to(actor).select_related("region").filter(number=number).first()
    _require(found, f"检查行为编号“{number}”不存在", "inspection_unknown", "inspection_number")
    return found


def party_from(inspection: Inspection) -> dict[str, Any]:
    return {"entity_id": inspection.entity_id, "party_name": inspection.party_name,
            "party_code": inspection.party_code, "party_nature": inspection.party_nature,
            "party_address": inspection.registered_address or inspection.business_address,
            "region_id": inspection.region_id, "inspection_number": inspection.number}


def _party_context(row: Any) -> dict[str, Any]:
    return {"kind": "person" if row.party_nature == "person" else "organisation", "name": row.party_name,
            "code": row.party_code, "address": row.party_address}


def _review(department: Department) -> dict[str, str]:
    """The remedies paragraph: the 复议机关 (行政复议法 (2023) 第二十四条) and the court, as for every decision
    (documents.remedies)."""
    return documents.remedies(department)


def plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


def issue(actor: Actor, kind: str, row: Any, context: dict[str, Any]) -> documents.Issued:
    return documents.issue(actor=actor, kind=kind, department=row.department, subject=f"coercion:{row.number}",
                           context={"party": _party_context(row), "review": _review(row.department), **context})


def add_step(step_model: type, owner: dict[str, Any], row: Any, edge: workflow.Edge, actor: Actor, *, on: dt.date,
             note: str = "", data: dict[str, Any] | None = None, document: documents.Issued | None = None,
             verb_prefix: str) -> None:
    """The timeline step, the case's history (when linked) and the audit event of one transition."""
    data = {key: value for key, value in (data or {}).items() if value not in (None, "", [], {})}
    step_model.objects.create(**owner, action=edge.action, old=edge.source, new=edge.target, on=on,
                              actor=actor.as_actor_ref().label[:200], note=note, data=jsonable(data),
                              document_id=document.id if document else None,
                              document_title=document.title if document else "",
                              document_number=document.number if document else "")
    verb = f"coercion.{verb_prefix}_{edge.action}"
    payload = {"number": row.number, "from": edge.source, "to": edge.target, "on": on, **data}
    if document:
        payload["document"] = {"id": document.id, "number": document.number, "digest": document.digest}
    if row.case_id:
        cases.case_append_event(actor=actor, case_id=row.case_id, verb=verb, data=jsonable(payload),
                                document_id=document.id if document else None)
    record(actor=actor, verb=verb, target=row, data={**payload, **recorded_state(row)})


STATE_KEY = "record_state"

# The audit chain names each event's record by its model's label as it was when the event was written; the chain
# is never rewritten, so a renamed model's history is read under its former labels too (all of them older).
FORMER_LABELS = {"coercion.execution": ("coercion.enforcement",)}


def history(row: Any) -> list[dict[str, Any]]:
    """The payloads of the row's audit events, oldest first: its chained history (ADR 0023), read under the
    model's former labels first (events written before the model was renamed) and then under its label."""
    label = row._meta.label_lower
    return [payload for target_type in (*FORMER_LABELS.get(label, ()), label)
            for payload in audit.payload_list(target_type=target_type, target_id=str(row.pk))
            if isinstance(payload, dict)]


def recorded_state(row: Any) -> dict[str, Any]:
    """The row's columns changed since its history's last recorded state, for the audit event of the step: the
    measure's or execution's state is the replay of its audit events (`jianguan coercion verify`, ADR 0023)."""
    changes = replay.changes(replay.fold(p.get(STATE_KEY) for p in history(row)),
                             replay.state_of(type(row), row.pk))
    return {STATE_KEY: changes} if changes else {}


def jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return plain(value)
    return value


def _case(actor: HasScope, number: str) -> Any:
    """The enforcement case (案件) a coercive act belongs to, if the actor may see it (a case number is not a secret to
    guess: an unknown or invisible one reads the same)."""
    try:
        return cases.case_card(number=number, reader=actor)
    except NotFound:
        raise ValidationFailed(f"案件“{number}”不存在或无权访问", code="case_unknown", field="case_number") from None


def link(row: Any, actor: HasScope, case_number: str) -> Any:
    number = field_text(case_number, "case_number", "案件编号", max_len=50)
    card = _case(actor, number)
    _require(card.department_id == row.department_id, "案件不属于实施本行为的机关", "case_other_department",
             "case_number")
    _require(not (card.entity_uscc and row.party_code and card.entity_uscc != row.party_code),
             "案件当事人与本行为的当事人不一致", "case_party_mismatch", "case_number")
    row.case_number, row.case_id = card.number, card.id
    return card


def behaviour_record(actor: Actor, row: Any, *, kind: str, name: str, decision_number: str, facts: str, basis: str,
               starts_on: dt.date, measure_type: str = "", enforcement_type: str = "") -> None:
    """The 行政强制行为 record of the behaviour library (behaviour-records.md §4), numbered as the act."""
    behaviour.coercion_record(
        actor=actor, department=row.department, catalog_code=row.catalog_code,
        inspection_number=row.inspection_number, number=row.number, name=name[:400], kind=kind,
        decision_number=decision_number, facts=facts[:1000], basis=basis[:1000], starts_on=starts_on,
        measure_type=measure_type[:50], enforcement_type=enforcement_type[:50])
    row.behaviour_number = row.number


def link_case(row: Any, actor: User, case_number: str, *, verb_prefix: str) -> Any:
    """Link a measure or an execution taken before the case was opened to its case (a measure may precede the
    立案); the record's steps so far are appended to the case's history. Called under the record's lock."""
    _require(_is_officer(actor, row.department_id) or _is_head(actor, row.department_id, row.region_id),
             "只有本机关执法人员或负责人可以关联案件", "not_allowed_for_role")
    if row.case_id:
        raise InvalidTransition(f"已关联案件“{row.case_number}”", code="case_already_linked", field="case_number")
    link(row, actor, case_number)
    row.save(update_fields=["case_number", "case_id", "updated_at"])
    for step in row.steps.order_by("at", "pk"):
        cases.case_append_event(actor=actor, case_id=row.case_id, verb=f"coercion.{verb_prefix}_{step.action}",
                                data={"number": row.number, "from": step.old, "to": step.new,
                                      "on": step.on.isoformat(), "note": step.note, **step.data},
                                document_id=step.document_id)
    record(actor=actor, verb=f"coercion.{verb_prefix}_case_linked", target=row,
           data={"case": row.case_number, **recorded_state(row)})
    return row


def amend_behaviour(actor: Actor, row: Any, reason: str, **changes: Any) -> None:
    """Write what happened after the act (强制结果, 结束时间, 延长期限; behaviour-records.md §4) into its 行政强制行为
    as the record's next version."""
    if row.behaviour_number:
        behaviour.record_amend(actor=actor, model=Coercion, number=row.behaviour_number, changes=changes,
                               reason=reason)


def call_step(service: Any, action: str, **fields: Any) -> Any:
    """Call a step's service with the given fields: a field it does not take, or a required one left out, is
    refused by name (400)."""
    parameters = inspect.signature(service).parameters
    unknown = sorted(set(fields) - set(parameters))
    _require(not unknown, f"操作“{action}”不接受字段：{'、'.join(unknown)}", "field_unknown",
             unknown[0] if unknown else None)
    missing = [name for name, p in parameters.items() if p.default is inspect.Parameter.empty and name not in fields]
    _require(not missing, f"操作“{action}”缺少必填字段：{'、'.join(missing)}", "required",
             missing[0] if missing else None)
    return service(**fields)
