"""The stages of 抽查 plans and tasks on the workflow kernel: every edge taken by the department's own people,
every other (state, action) pair refused with the step's own code, and nothing written."""

from __future__ import annotations

import pytest

from jianguan.audit.models import AuditEvent
from jianguan.catalog.models import Implementation
from jianguan.core.errors import AccessDenied, InvalidTransition
from jianguan.core.roles import Role
from jianguan.spotchecks import drawing, plans, task_setup, workflow
from jianguan.spotchecks.models import Draw, PlanStatus, TaskStatus
from tests.catalog_fixtures import FOOD
from tests.spotcheck_fixtures import MOMENT, WINDOW, _witness
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
