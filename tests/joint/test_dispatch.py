"""Joint tasks dispatched from above through the exchange's intake (ADR 0056): the task becomes a joint task of the
departments it names, each with its own claimed rows and the objects of its jurisdiction; the rules refuse the record
with nothing made; the units' feedback (their own 行政检查 records only, once) is queued for the push."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.audit.models import AuditEvent
from jianguan.core.actors import SystemActor
from jianguan.core.errors import AccessDenied, InvalidTransition, ValidationFailed
from jianguan.exchange import collect
from jianguan.exchange.models import KeptRecord, OutboxRecord
from jianguan.joint import dispatch
from jianguan.joint.models import Dispatch, JointTask, PlannedObject
from tests.exchange_fixtures import system_client
from tests.joint.world import FOOD, visit

pytestmark = pytest.mark.django_db


def dispatched(world, departments, objects, **over):
    record = {"task_no": "SJ-LH-2026-001", "task_name": "省级食品安全联合检查",
              "task_start_time": f"{timezone.localdate().isoformat()} 09:00:00", "status": "分发",
              "initiate_unit_no": "11420000MB1234567X", "initiate_unit_name": "湖北省市场监督管理局",
              "initiate_unit_type": "department", "union_dept_nos": [d.uscc for d in departments],
              "supervision_matter_code": FOOD, "inspect_content": "进货查验、索证索票", "object_codes": objects}
    record.update(over)
    return record


def send(client, records):
    answer = client.post("/api/v1/exchange/joint_task/records", records, content_type="application/json")
    assert answer.status_code == 200, answer.content
    return answer.json()


@pytest.fixture
def province(persona, world):
    """The province's system, keyed by the joint-meeting office (the city's 市场监管局)."""
    return system_client(persona, department=world.scjg_dept, name="省级平台")[0]


def test_a_dispatched_task_becomes_a_joint_task_of_the_named_city_and_county_departments(world, province, client):
    objects = [*world.entities[:2], world.elsewhere]
    answer = send(province, [dispatched(world, [world.scjg_dept, world.county_dept], objects)])
    assert answer["accepted"] == 1 and not answer["rejected"]
    task = JointTask.objects.get(dispatch__task_no="SJ-LH-2026-001")
    assert task.plan is None and task.lead == world.scjg_dept and task.status == "joint"
    parts = {p.department: p.items for p in task.participants.all()}
    assert parts == {world.scjg_dept: [world.food], world.county_dept: [world.county_food]}
    planned = {(p.department, p.entity.uscc) for p in PlannedObject.objects.filter(task=task)}
    assert (world.county_dept, world.elsewhere) not in planned  # outside 咸安区: the city's department alone
    assert (world.scjg_dept, world.elsewhere) in planned and (world.county_dept, world.entities[0]) in planned
    assert AuditEvent.objects.filter(verb="joint.dispatch_received").count() == 1
    again = send(province, [dispatched(world, [world.scjg_dept, world.county_dept], objects)])
    assert again["duplicates"] == 1 and JointTask.objects.filter(dispatch__isnull=False).count() == 1
    client.force_login(world.county)
    page = client.get("/joint/").content.decode()
    assert "SJ-LH-2026-001" in page and "0/2" in page


@pytest.mark.parametrize(("case", "code"), [("unclaimed", "item_not_claimed"),
                                            ("outside", "entity_outside_jurisdiction"),
                                            ("unknown", "department_unknown")])
def test_a_dispatch_breaking_a_rule_is_refused_naming_it_and_nothing_is_made(world, province, case, code):
    departments = {"unclaimed": [world.scjg_dept, world.yj_dept], "outside": [world.county_dept],
                   "unknown": [world.scjg_dept]}[case]
    record = dispatched(world, departments, [world.elsewhere] if case == "outside" else world.entities[:1])
    if case == "unknown":
        record["union_dept_nos"] = [*record["union_dept_nos"], "11420000MB7654321Y"]
    answer = send(province, [record])
    assert answer["accepted"] == 0 and answer["rejected"][0]["errors"][0]["code"] == code
    assert not JointTask.objects.filter(dispatch__isnull=False).exists()
    assert not KeptRecord.objects.filter(standard="joint_task").exists()


def test_a_city_departments_own_joint_task_is_only_kept_and_passed_on(world, province):
    own = dispatched(world, [world.scjg_dept, world.county_dept], world.entities[:1],
                     initiate_unit_no=world.scjg_dept.uscc)
    assert send(province, [own])["accepted"] == 1
    assert KeptRecord.objects.filter(standard="joint_task").count() == 1
    assert not Dispatch.objects.exists()


def test_each_department_feeds_back_its_own_records_once_and_the_feedback_is_queued(world, province, persona):
    send(province, [dispatched(world, [world.scjg_dept, world.county_dept], world.entities[:2])])
    task = JointTask.objects.get(dispatch__isnull=False)
    today = timezone.localdate()
    visit(world.scjg_dept, world.food, world.entities[0], today, "JC-SJ-1")
    visit(world.county_dept, world.county_food, world.entities[1], today, "JC-SJ-2")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        dispatch.dispatch_feedback(task_id=task.pk, feedback="已检查", inspections=["JC-SJ-2"], actor=world.officer)
    assert refused.value.code == "inspection_other_department"
    with pytest.raises(AccessDenied):
        dispatch.dispatch_feedback(task_id=task.pk, feedback="已检查", inspections=[], actor=world.sthj)
    assert AuditEvent.objects.count() == events
    dispatch.dispatch_feedback(task_id=task.pk, feedback="未发现问题", inspections=["JC-SJ-1"], actor=world.officer)
    with pytest.raises(InvalidTransition):
        dispatch.dispatch_feedback(task_id=task.pk, feedback="再次", inspections=[], actor=world.officer)
    assert AuditEvent.objects.filter(verb="joint.dispatch_feedback").count() == 1
    collect.platform_collect(actor=SystemActor("test"))
    [queued] = OutboxRecord.objects.filter(standard="joint_feedback")
    assert queued.record_id == f"SJ-LH-2026-001-{world.scjg_dept.uscc}" and queued.data["status"] == "反馈"
    assert [i["number"] for i in queued.data["adm_inspection"]] == ["JC-SJ-1"]
    collect.platform_collect(actor=SystemActor("test"))
    assert OutboxRecord.objects.filter(standard="joint_feedback").count() == 1  # once
    dispatch.dispatch_feedback(task_id=task.pk, feedback="完成", inspections=["JC-SJ-2"], actor=world.county)
    collect.platform_collect(actor=SystemActor("test"))
    assert OutboxRecord.objects.filter(standard="joint_feedback").count() == 2
    assert task.window_end == task.window_start + dt.timedelta(days=30)


def test_the_demo_receives_a_dispatched_task_through_the_intake_and_answers_it(world):
    import io

    from jianguan.core.seeding import SeedContext
    from jianguan.exchange import seed as exchange_seed
    from jianguan.joint import seed as joint_seed

    ctx = SeedContext(scale="demo", seed=7, stdout=io.StringIO())
    exchange_seed.seed_dispatch(ctx)
    task = JointTask.objects.get(dispatch__isnull=False)
    assert task.dispatch.call is not None and task.participants.count() == 2
    joint_seed.seed_feedback(ctx)
    assert not task.participants.filter(feedback_at__isnull=True).exists()
    collect.platform_collect(actor=SystemActor("test"))
    assert OutboxRecord.objects.filter(standard="joint_feedback").count() == 2
