"""The stages of 抽查 plans, tasks and draws on the workflow kernel: every edge taken by its person (the
department's own people; for a void's approval a second person, its head or a legal reviewer), every other
(state, action) pair refused with the step's own code, the wrong person refused, and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.audit.models import AuditEvent
from jianguan.catalog.models import Implementation
from jianguan.core.errors import AccessDenied, InvalidTransition, ValidationFailed
from jianguan.core.roles import Role
from jianguan.spotchecks import drawing, plans, task_setup, workflow
from jianguan.spotchecks.models import CheckResult, Draw, DrawStatus, PlanStatus, TaskStatus
from jianguan.spotchecks.workflow import DrawState as D
from tests.catalog_fixtures import FOOD
from tests.spotcheck_fixtures import MOMENT, VALUE, WINDOW, _drawn, _witness
from tests.workflow_walk import Person, out_of_order

DEPARTMENT = 4
OFFICER = Person(1, DEPARTMENT, frozenset({Role.OFFICER}))
ADMIN = Person(2, DEPARTMENT, frozenset({Role.DEPARTMENT_ADMIN}))
TABLES = {"plans": (workflow.PLANS, PlanStatus.values, {"file": "plan_not_draft", "publish": "plan_not_filed"}),
          "tasks": (workflow.TASKS, TaskStatus.values,
                    {"publish": "task_not_draft", "commit_draw": "task_not_published"})}


def facts(state: str, actor: Person = ADMIN, **changes) -> workflow.Facts:
    return workflow.Facts(state, actor, DEPARTMENT, **changes)


@pytest.mark.parametrize("name", TABLES)
@pytest.mark.parametrize("actor", [OFFICER, ADMIN])
def test_every_edge_is_taken_by_the_department_s_own_people(name, actor):
    table, _, _ = TABLES[name]
    for edge in table.edges:
        assert table.check(edge, facts(edge.source, actor)) == edge
        assert edge in table.allowed(facts(edge.source, actor))


@pytest.mark.parametrize("name", TABLES)
def test_every_action_out_of_order_is_refused_with_the_step_s_code(name):
    table, states, codes = TABLES[name]
    pairs = out_of_order(table, states)
    assert {a for _, a in pairs} == set(codes)
    for state, action in pairs:
        with pytest.raises(InvalidTransition) as refused:
            table.check(action, facts(state))
        assert refused.value.code == codes[action], (state, action)


@pytest.mark.parametrize("name", TABLES)
@pytest.mark.parametrize("actor", [Person(3, DEPARTMENT + 1, frozenset({Role.DEPARTMENT_ADMIN})),
                                   Person(5, DEPARTMENT, frozenset({Role.HEAD, Role.LEADER})),
                                   Person(6, DEPARTMENT, frozenset({Role.OFFICER}), is_person=False)])
def test_anyone_else_is_refused(name, actor):
    table, _, _ = TABLES[name]
    for edge in table.edges:
        with pytest.raises(AccessDenied) as refused:
            table.check(edge, facts(edge.source, actor))
        assert refused.value.code == "not_own_department"


def test_a_second_live_draw_is_refused():
    with pytest.raises(InvalidTransition) as refused:
        workflow.TASKS.check("commit_draw", facts(TaskStatus.DRAWN, live_draw=True))
    assert refused.value.code == "draw_exists"
    assert workflow.TASKS.allowed(facts(TaskStatus.PUBLISHED, live_draw=True)) == []


@pytest.mark.django_db
def test_stored_plans_and_tasks_out_of_order_write_nothing(small_catalog, persona, city_scjg):
    admin = persona("scjg_admin")
    plan = plans.plan_create(actor=admin, year=2025, title="草稿计划")
    code = Implementation.objects.get(item__code=FOOD, body=city_scjg).code
    task = task_setup.task_create(actor=admin, plan_id=plan.pk, name="尚未公布的任务", items=[code],
                                  window_start=WINDOW[0], window_end=WINDOW[1])
    events = AuditEvent.objects.count()
    for call, code in ((lambda: plans.plan_publish(actor=admin, plan_id=plan.pk), "plan_not_filed"),
                       (lambda: drawing.draw_commit(actor=admin, task_id=task.pk, beacon=_witness(), now=MOMENT),
                        "task_not_published")):
        with pytest.raises(InvalidTransition) as refused:
            call()
        assert refused.value.code == code
    plan.refresh_from_db()
    task.refresh_from_db()
    assert (plan.status, task.status, Draw.objects.filter(task=task).count()) == ("draft", "draft", 0)
    assert AuditEvent.objects.count() == events


# Draws ----------------------------------------------------------------------------------------------------------

HEAD = Person(7, DEPARTMENT, frozenset({Role.HEAD}))
REVIEWER = Person(8, DEPARTMENT, frozenset({Role.LEGAL_REVIEWER}))
PROPOSER = 9
DRAW_STATES = [D.COMMITTED, D.COMMITTED_VOID_REQUESTED, D.DRAWN, D.DRAWN_VOID_REQUESTED, D.VOID]
DRAW_CODES = {"reveal": "draw_not_committed", "replace": "draw_not_drawn", "request_void": "void_requested",
              "approve_void": "void_not_requested"}
BY_WHO = {workflow.ANYONE: [Person(3, DEPARTMENT + 1, frozenset()), OFFICER],
          workflow.OWN: [OFFICER, ADMIN], workflow.SECOND: [HEAD, REVIEWER]}


def draw_facts(state: str, actor: Person = ADMIN, **changes) -> workflow.DrawFacts:
    return workflow.DrawFacts(state, actor, DEPARTMENT, **{"proposer_id": PROPOSER, **changes})


def test_a_draw_s_state_is_its_status_and_a_void_waiting_for_approval():
    assert [workflow.draw_state(s, asked) for s in DrawStatus.values for asked in (False, True)] == [
        D.COMMITTED, D.COMMITTED_VOID_REQUESTED, D.DRAWN, D.DRAWN_VOID_REQUESTED, D.VOID, D.VOID]
    assert {workflow.draw_status(s) for s in DRAW_STATES} == set(DrawStatus.values)
    assert {e.source for e in workflow.DRAWS.edges} | {e.target for e in workflow.DRAWS.edges} == set(DRAW_STATES)


@pytest.mark.parametrize("edge", workflow.DRAWS.edges, ids=lambda e: f"{e.source}-{e.action}")
def test_every_draw_edge_is_taken_by_its_people(edge):
    for actor in BY_WHO[edge.who]:
        facts = draw_facts(edge.source, actor)
        assert workflow.DRAWS.check(edge, facts) == edge
        assert edge in workflow.DRAWS.allowed(facts)
    assert workflow.draw_status(edge.target) == {"reveal": DrawStatus.DRAWN, "approve_void": DrawStatus.VOID}.get(
        edge.action, workflow.draw_status(edge.source))


def test_every_draw_action_out_of_order_is_refused_with_the_step_s_code():
    pairs = out_of_order(workflow.DRAWS, DRAW_STATES)
    assert {a for _, a in pairs} == set(DRAW_CODES)
    assert (D.VOID, "request_void") in pairs and (D.DRAWN_VOID_REQUESTED, "request_void") in pairs
    for state, action in pairs:
        for actor in (ADMIN, HEAD):
            with pytest.raises(InvalidTransition) as refused:
                workflow.DRAWS.check(action, draw_facts(state, actor))
            assert refused.value.code == DRAW_CODES[action], (state, action)


@pytest.mark.parametrize("edge", workflow.DRAWS.edges, ids=lambda e: f"{e.source}-{e.action}")
def test_the_wrong_person_is_refused_a_draw_step(edge):
    outsider = Person(3, DEPARTMENT + 1, frozenset({Role.DEPARTMENT_ADMIN, Role.HEAD, Role.LEGAL_REVIEWER}))
    wrong = {workflow.ANYONE: [],
             workflow.OWN: [(outsider, "not_own_department"), (HEAD, "not_own_department"),
                            (REVIEWER, "not_own_department")],
             workflow.SECOND: [(outsider, "void_second_approver"), (OFFICER, "void_second_approver"),
                               (ADMIN, "void_second_approver"),
                               (Person(5, DEPARTMENT, frozenset({Role.LEADER})), "void_second_approver"),
                               (Person(PROPOSER, DEPARTMENT, frozenset({Role.HEAD})), "same_person")]}[edge.who]
    for actor, code in wrong:
        with pytest.raises(AccessDenied) as refused:
            workflow.DRAWS.check(edge, draw_facts(edge.source, actor))
        assert refused.value.code == code, (edge, actor)
        assert edge not in workflow.DRAWS.allowed(draw_facts(edge.source, actor))


def test_the_draw_guards_refuse_with_their_codes():
    for state in (D.DRAWN, D.DRAWN_VOID_REQUESTED):
        with pytest.raises(InvalidTransition) as pending:
            workflow.DRAWS.check("replace", draw_facts(state, results_pending=True))
        assert pending.value.code == "results_pending"
    for state in (D.COMMITTED, D.DRAWN):
        with pytest.raises(InvalidTransition) as entered:
            workflow.DRAWS.check("request_void", draw_facts(state, results_entered=True))
        assert entered.value.code == "results_entered"
        assert workflow.DRAWS.check("request_void", draw_facts(state, results_entered=False)).target \
            == f"{state}{workflow.VOID_REQUESTED}"


def _draw_row(draw: Draw) -> tuple:
    draw.refresh_from_db()
    return (draw.status, draw.void_requested_by_id, draw.void_approved_by_id, draw.replacements,
            draw.transcript_hash, draw.task.status)


@pytest.mark.django_db
def test_stored_draws_out_of_order_or_by_the_wrong_person_write_nothing(food_task, persona):
    admin, head, officer = persona("scjg_admin"), persona("scjg_head"), persona("scjg_officer")
    committed = drawing.draw_commit(actor=admin, task_id=food_task.pk, beacon=_witness(), now=MOMENT)
    uscc = "91421200000000000X"
    refusals = [
        (lambda: drawing.draw_replace(actor=admin, draw_id=committed.pk, uscc=uscc, out="spot_0", reason="病假"),
         "draw_not_drawn"),
        (lambda: drawing.draw_void_approve(actor=head, draw_id=committed.pk), "void_not_requested"),
        (lambda: drawing.draw_void_request(actor=head, draw_id=committed.pk, reason="名录缺少新设立主体"),
         "not_own_department")]
    _refused_without_writing(committed, refusals)
    drawing.draw_void_request(actor=admin, draw_id=committed.pk, reason="名录缺少新设立主体")
    _refused_without_writing(committed, [
        (lambda: drawing.draw_void_request(actor=officer, draw_id=committed.pk, reason="再次申请作废"),
         "void_requested"),
        (lambda: drawing.draw_void_approve(actor=admin, draw_id=committed.pk), "same_person"),
        (lambda: drawing.draw_void_approve(actor=officer, draw_id=committed.pk), "void_second_approver")])
    drawing.draw_void_approve(actor=head, draw_id=committed.pk)
    _refused_without_writing(committed, [
        (lambda: drawing.draw_reveal(actor=admin, draw_id=committed.pk, beacon_value=VALUE,
                                     now=MOMENT + dt.timedelta(minutes=1)), "draw_not_committed"),
        (lambda: drawing.draw_void_request(actor=admin, draw_id=committed.pk, reason="名录缺少新设立主体"),
         "void_requested"),
        (lambda: drawing.draw_void_approve(actor=head, draw_id=committed.pk), "void_not_requested")])
    assert (committed.status, CheckResult.objects.filter(draw=committed).count()) == (DrawStatus.VOID, 0)


@pytest.mark.django_db
def test_a_draw_with_results_entered_is_not_voided_and_a_drawn_one_is_not_revealed_again(food_task,
                                                                                       persona):
    admin = persona("scjg_admin")
    draw = _drawn(food_task, persona)
    CheckResult.objects.filter(pk=CheckResult.objects.filter(draw=draw).first().pk).update(entered_at=MOMENT)
    _refused_without_writing(draw, [
        (lambda: drawing.draw_reveal(actor=admin, draw_id=draw.pk, beacon_value=VALUE,
                                     now=MOMENT + dt.timedelta(minutes=1)), "draw_not_committed"),
        (lambda: drawing.draw_void_request(actor=admin, draw_id=draw.pk, reason="名录缺少新设立主体"),
         "results_entered")])
    with pytest.raises(ValidationFailed) as no_reason:  # the reason is read before the results entered
        drawing.draw_void_request(actor=admin, draw_id=draw.pk, reason="")
    assert no_reason.value.code == "reason_required"


def _refused_without_writing(draw: Draw, calls: list) -> None:
    before, events = _draw_row(draw), AuditEvent.objects.count()
    for call, code in calls:
        with pytest.raises((InvalidTransition, AccessDenied)) as refused:
            call()
        assert refused.value.code == code
    assert (_draw_row(draw), AuditEvent.objects.count()) == (before, events)
