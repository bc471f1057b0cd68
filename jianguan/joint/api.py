"""`/api/v1/joint/…`: the city's joint plans, their tasks (a department's proposal, a joint task from a scenario),
merge proposals found, accepted or declined, and an entity's burden ledger (ADR 0054).

The ledger is `GET /api/v1/subjects/{uscc}/visits` (and, as before, `GET /api/v1/joint/entities/{uscc}/visits`):
it reads the spot checks and inspections, which lie above the object library, so joint's router serves the path under
`/subjects/` (as `chain` serves `/subjects/{uscc}/chain`); the subjects app imports nothing above it.

Joint visits (one visit, many records): `POST /joint/tasks/{id}/visits`, `GET /joint/visits/{id}`, a department's
`results`, a problem on another department's item handed over as its clue (`clues`), and the 笔录 (`transitions`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from jianguan.accounts.contracts import allow
from jianguan.core.api import ErrorOut, InputSchema, Page, PageQuery, paginate, require_person
from jianguan.core.errors import InvalidTransition
from jianguan.core.roles import Role

from . import dispatch, merges, participants, scenarios, selectors, services, visits
from .models import JointPlan, JointTask, JointVisit, MergeProposal

router = Router(tags=["联合监管 joint supervision"])
PEOPLE = (Role.OFFICER, Role.HEAD)
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class PlanOut(Schema):
    id: int
    number: str
    title: str
    year: int
    status: str
    office: int
    office_name: str
    region: str
    approved_on: dt.date | None

    @staticmethod
    def resolve_office(obj: JointPlan) -> int:
        return int(obj.office_id)

    @staticmethod
    def resolve_office_name(obj: JointPlan) -> str:
        return str(obj.office.name)

    @staticmethod
    def resolve_region(obj: JointPlan) -> str:
        return str(obj.region_id)


class JointTaskOut(Schema):
    id: int
    number: str
    plan: int | None
    title: str
    status: str
    lead: int
    lead_name: str
    scenario: str
    window_start: dt.date
    window_end: dt.date
    visit_hours: int
    times_per_year: int
    over_budget: int
    participants: list[dict[str, Any]]

    @staticmethod
    def resolve_plan(obj: JointTask) -> int | None:
        return None if obj.plan_id is None else int(obj.plan_id)

    @staticmethod
    def resolve_lead(obj: JointTask) -> int:
        return int(obj.lead_id)

    @staticmethod
    def resolve_lead_name(obj: JointTask) -> str:
        return str(obj.lead.name)

    @staticmethod
    def resolve_participants(obj: JointTask) -> list[dict[str, Any]]:
        return [{"department": p.department_id, "items": p.items, "fed_back": p.feedback_at is not None}
                for p in obj.participants.all()]


class MergeOut(Schema):
    id: int
    plan: int
    first: str
    second: str
    lead: int
    entity_count: int
    items: list[dict[str, Any]]
    inspectors: list[dict[str, Any]]
    rules: list[str]
    window_start: dt.date
    window_end: dt.date
    status: str
    reason: str
    visits_saved: int
    merged_task: str | None

    @staticmethod
    def resolve_plan(obj: MergeProposal) -> int:
        return int(obj.plan_id)

    @staticmethod
    def resolve_first(obj: MergeProposal) -> str:
        return str(obj.first.number)

    @staticmethod
    def resolve_second(obj: MergeProposal) -> str:
        return str(obj.second.number)

    @staticmethod
    def resolve_entity_count(obj: MergeProposal) -> int:
        return len(obj.entities)

    @staticmethod
    def resolve_lead(obj: MergeProposal) -> int:
        return int(obj.lead_id)

    @staticmethod
    def resolve_merged_task(obj: MergeProposal) -> str | None:
        return None if obj.merged_task is None else str(obj.merged_task.number)


class PlanIn(InputSchema):
    title: str
    year: int
    note: str = ""


class StepIn(InputSchema):
    action: str
    note: str = ""
    reason: str = ""


class TaskIn(InputSchema):
    title: str
    items: list[str]
    entities: list[str]
    window_start: str
    window_end: str
    visit_hours: int = 2
    times_per_year: int = 1
    inspectors: list[str] = []


class ScenarioTaskIn(InputSchema):
    scenario: str
    departments: list[int]
    lead: int
    entities: list[str]
    window_start: str
    window_end: str


class CombineIn(InputSchema):
    tasks: list[int]
    lead: int
    title: str


class ParticipantIn(InputSchema):
    department: int
    items: list[str]
    entities: list[str]
    inspectors: list[str] = []


class FeedbackIn(InputSchema):
    feedback: str
    inspections: list[str] = []


class FindIn(InputSchema):
    task: int | None = None


class TaskFilter(PageQuery):
    status: str = ""


class VisitOut(Schema):
    day: dt.date
    departments: list[str]
    records: int
    joint: bool


class LedgerOut(Schema):
    uscc: str
    name: str
    year: int
    visits: list[VisitOut]
    by_department: dict[str, int]
    risk_class: str
    budget: int | None
    count: int
    joint: int
    over_budget: bool


class ScenarioOut(Schema):
    key: str
    name: str
    visit_hours: int
    rows: list[dict[str, Any]]


@router.get("/joint/scenarios", response=list[ScenarioOut])
def scenario_list(request: HttpRequest) -> list[dict[str, Any]]:
    require_person(request)
    return [{"key": s.key, "name": s.name, "visit_hours": s.visit_hours,
             "rows": [{"line": r.line, "label": r.label, "catalog": list(r.catalog)} for r in s.rows]}
            for s in scenarios.current().scenarios]


@router.get("/joint/plans", response=Page[PlanOut])
def plan_list(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    return paginate(selectors.plan_list(reader=require_person(request)).order_by("-year", "-pk"), filters)


@router.post("/joint/plans", auth=allow(*PEOPLE), response={201: PlanOut, **ERRORS})
def plan_create(request: HttpRequest, data: PlanIn) -> Status[JointPlan]:
    plan = services.plan_create(title=data.title, year=data.year, note=data.note, actor=require_person(request))
    return Status(201, plan)


@router.get("/joint/plans/{plan_id}", response={200: PlanOut, 404: ErrorOut})
def plan_get(request: HttpRequest, plan_id: int) -> JointPlan:
    return selectors.plan_get(reader=require_person(request), plan_id=plan_id)


@router.post("/joint/plans/{plan_id}/transitions", auth=allow(*PEOPLE), response={200: PlanOut, **ERRORS})
def plan_act(request: HttpRequest, plan_id: int, data: StepIn) -> JointPlan:
    reader = require_person(request)
    selectors.plan_get(reader=reader, plan_id=plan_id)
    return services.plan_transition(plan_id=plan_id, action=data.action, values=data.dict(), actor=reader)


@router.get("/joint/plans/{plan_id}/tasks", response={200: Page[JointTaskOut], 404: ErrorOut})
def task_list(request: HttpRequest, plan_id: int, filters: Query[TaskFilter]) -> dict[str, Any]:
    reader = require_person(request)
    selectors.plan_get(reader=reader, plan_id=plan_id)
    return paginate(selectors.task_list(reader=reader, plan_id=plan_id, status=filters.status), filters)


@router.post("/joint/plans/{plan_id}/tasks", auth=allow(*PEOPLE), response={201: JointTaskOut, **ERRORS})
def task_propose(request: HttpRequest, plan_id: int, data: TaskIn) -> Status[JointTask]:
    """A department's proposal: items from its own claimed rows (`item_not_claimed`), entities of its
    jurisdiction (`entity_outside_jurisdiction`), its own inspectors."""
    reader = require_person(request)
    selectors.plan_get(reader=reader, plan_id=plan_id)
    task = services.task_propose(plan_id=plan_id, actor=reader, **data.dict())
    return Status(201, task)


@router.post("/joint/plans/{plan_id}/scenario-tasks", auth=allow(*PEOPLE), response={201: JointTaskOut, **ERRORS})
def task_from_scenario(request: HttpRequest, plan_id: int, data: ScenarioTaskIn) -> Status[JointTask]:
    """A joint task from a “综合查一次” scenario (the joint-meeting office)."""
    reader = require_person(request)
    selectors.plan_get(reader=reader, plan_id=plan_id)
    values = data.dict()
    task = services.task_from_scenario(plan_id=plan_id, lead_id=values.pop("lead"), actor=reader, **values)
    return Status(201, task)


@router.post("/joint/plans/{plan_id}/joint-tasks", auth=allow(*PEOPLE), response={201: JointTaskOut, **ERRORS})
def task_combine(request: HttpRequest, plan_id: int, data: CombineIn) -> Status[JointTask]:
    """The office combines overlapping proposals into a joint task with a lead department (`windows_incompatible`
    when their windows lie more than the merge window apart)."""
    reader = require_person(request)
    selectors.plan_get(reader=reader, plan_id=plan_id)
    task = merges.task_combine(plan_id=plan_id, task_ids=data.tasks, lead_id=data.lead, title=data.title,
                               actor=reader)
    return Status(201, task)


@router.get("/joint/tasks/{task_id}", response={200: JointTaskOut, 404: ErrorOut})
def task_get(request: HttpRequest, task_id: int) -> JointTask:
    return selectors.task_get(reader=require_person(request), task_id=task_id)


@router.post("/joint/tasks/{task_id}/participants", auth=allow(*PEOPLE), response={201: JointTaskOut, **ERRORS})
def participant_add(request: HttpRequest, task_id: int, data: ParticipantIn) -> Status[JointTask]:
    """The office adds a department — of another line or level, or of a neighbouring city — with its own claimed
    items, inspectors and objects of its jurisdiction (ADR 0056)."""
    reader = require_person(request)
    selectors.task_get(reader=reader, task_id=task_id)
    participants.participant_add(task_id=task_id, department_id=data.department, items=data.items,
                                 entities=data.entities, inspectors=data.inspectors, actor=reader)
    return Status(201, selectors.task_get(reader=reader, task_id=task_id))


@router.post("/joint/tasks/{task_id}/feedback", auth=allow(*PEOPLE), response={200: JointTaskOut, **ERRORS})
def task_feedback(request: HttpRequest, task_id: int, data: FeedbackIn) -> JointTask:
    """A department's feedback on a task dispatched from above: its opinion and its own 行政检查 records; the
    exchange pushes it to the sender (ADR 0056)."""
    reader = require_person(request)
    selectors.task_get(reader=reader, task_id=task_id)
    dispatch.dispatch_feedback(task_id=task_id, feedback=data.feedback, inspections=data.inspections, actor=reader)
    return selectors.task_get(reader=reader, task_id=task_id)


@router.get("/joint/plans/{plan_id}/merge-proposals", response={200: Page[MergeOut], 404: ErrorOut})
def merge_list(request: HttpRequest, plan_id: int, filters: Query[TaskFilter]) -> dict[str, Any]:
    reader = require_person(request)
    selectors.plan_get(reader=reader, plan_id=plan_id)
    return paginate(selectors.merge_list(reader=reader, plan_id=plan_id, status=filters.status), filters)


@router.post("/joint/plans/{plan_id}/merge-proposals", auth=allow(*PEOPLE),
             response={200: list[MergeOut], **ERRORS})
def merge_find(request: HttpRequest, plan_id: int, data: FindIn) -> list[MergeProposal]:
    """Find the same entities planned by other departments within the merge window and propose merging them."""
    reader = require_person(request)
    selectors.plan_get(reader=reader, plan_id=plan_id)
    return merges.merge_proposals_find(plan_id=plan_id, task_id=data.task, actor=reader)


@router.post("/joint/merge-proposals/{proposal_id}/transitions", auth=allow(*PEOPLE),
             response={200: MergeOut, **ERRORS})
def merge_act(request: HttpRequest, proposal_id: int, data: StepIn) -> MergeProposal:
    """`accept` (one visit: a joint task for the shared entities) or `decline` with a `reason`."""
    reader = require_person(request)
    selectors.merge_get(reader=reader, proposal_id=proposal_id)
    return merges.merge_transition(proposal_id=proposal_id, action=data.action, values=data.dict(), actor=reader)


@router.get("/subjects/{uscc}/visits", response={200: LedgerOut, 400: ErrorOut, 404: ErrorOut},
            operation_id="subject_visits")
@router.get("/joint/entities/{uscc}/visits", response={200: LedgerOut, 400: ErrorOut, 404: ErrorOut})
def entity_visits(request: HttpRequest, uscc: str, year: int | None = None) -> dict[str, Any]:
    """The burden ledger of one entity: its on-site visits of the year (joint ones once), by department, its
    credit class's budget."""
    reader = require_person(request)
    code, name, found = selectors.entity_ledger(reader=reader, uscc=uscc, year=year or timezone.localdate().year)
    return {"uscc": code, "name": name, "year": found.year, "risk_class": found.risk_class, "budget": found.budget,
            "count": found.count, "joint": found.joint, "over_budget": found.over,
            "by_department": dict(found.by_department),
            "visits": [{"day": v.day, "departments": list(v.departments), "records": v.records, "joint": v.joint}
                       for v in found.visits]}


class VisitIn(InputSchema):
    uscc: str
    visited_on: str
    place: str
    officers: list[str]


class ResultIn(InputSchema):
    item: str
    outcome: str
    note: str = ""


class ResultsIn(InputSchema):
    results: list[ResultIn]


class HandoverIn(InputSchema):
    item: str
    summary: str


class VisitStepIn(InputSchema):
    action: str


class VisitOutFull(Schema):
    id: int
    number: str
    task: str
    uscc: str
    entity_name: str
    lead: int
    visited_on: dt.date
    place: str
    status: str
    officers: list[dict[str, Any]]
    results: list[dict[str, Any]]
    handovers: list[dict[str, Any]]
    record_number: str

    @staticmethod
    def resolve_task(obj: JointVisit) -> str:
        return str(obj.task.number)

    @staticmethod
    def resolve_uscc(obj: JointVisit) -> str:
        return str(obj.entity.uscc)

    @staticmethod
    def resolve_entity_name(obj: JointVisit) -> str:
        return str(obj.entity.name)

    @staticmethod
    def resolve_lead(obj: JointVisit) -> int:
        return int(obj.lead_id)

    @staticmethod
    def resolve_officers(obj: JointVisit) -> list[dict[str, Any]]:
        return [{k: o[k] for k in ("name", "department", "department_name", "credential")} for o in obj.officers]

    @staticmethod
    def resolve_results(obj: JointVisit) -> list[dict[str, Any]]:
        return [{"department": r.department_id, "department_name": r.department.name, "item": r.item,
                 "outcome": r.outcome, "note": r.note, "inspection_number": r.inspection_number, "recognised": True}
                for r in obj.results.all()]

    @staticmethod
    def resolve_handovers(obj: JointVisit) -> list[dict[str, Any]]:
        return [{"department": h.department_id, "item": h.item, "summary": h.summary, "clue": h.clue_number}
                for h in obj.handovers.all()]


def _visit(request: HttpRequest, visit_id: int) -> JointVisit:
    return selectors.visit_get(reader=require_person(request), visit_id=visit_id)


@router.post("/joint/tasks/{task_id}/visits", auth=allow(*PEOPLE), response={201: VisitOutFull, **ERRORS})
def visit_open(request: HttpRequest, task_id: int, data: VisitIn) -> Status[JointVisit]:
    """A joint task's visit to one of its entities with the officers present (at least two, each with a valid
    执法证, of the participating departments)."""
    reader = require_person(request)
    selectors.task_get(reader=reader, task_id=task_id)
    visit = visits.visit_open(task_id=task_id, actor=reader, **data.dict())
    return Status(201, selectors.visit_get(reader=reader, visit_id=visit.pk))


@router.get("/joint/visits/{visit_id}", response={200: VisitOutFull, 404: ErrorOut})
def visit_get(request: HttpRequest, visit_id: int) -> JointVisit:
    return _visit(request, visit_id)


@router.post("/joint/visits/{visit_id}/results", auth=allow(*PEOPLE), response={200: VisitOutFull, **ERRORS})
def visit_results(request: HttpRequest, visit_id: int, data: ResultsIn) -> JointVisit:
    """The caller's department enters the results of its own items (another department's: `item_other_department`);
    its 行政检查 record is written."""
    _visit(request, visit_id)
    visits.visit_results_enter(visit_id=visit_id, results=[r.dict() for r in data.results],
                               actor=require_person(request))
    return _visit(request, visit_id)


@router.post("/joint/visits/{visit_id}/clues", auth=allow(*PEOPLE), response={200: VisitOutFull, **ERRORS})
def visit_hand_over(request: HttpRequest, visit_id: int, data: HandoverIn) -> JointVisit:
    """A problem found on another participant's item becomes that department's clue, citing the visit."""
    _visit(request, visit_id)
    visits.visit_hand_over(visit_id=visit_id, item=data.item, summary=data.summary, actor=require_person(request))
    return _visit(request, visit_id)


@router.post("/joint/visits/{visit_id}/transitions", auth=allow(*PEOPLE), response={200: VisitOutFull, **ERRORS})
def visit_act(request: HttpRequest, visit_id: int, data: VisitStepIn) -> JointVisit:
    """`close`: one 现场检查笔录 for the visit, once every department has entered its results."""
    _visit(request, visit_id)
    if data.action != "close":
        raise InvalidTransition(f"未知的操作“{data.action}”：此处只能制作现场检查笔录（close）",
                                code="invalid_transition")
    visits.visit_close(visit_id=visit_id, actor=require_person(request))
    return _visit(request, visit_id)
