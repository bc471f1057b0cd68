"""Cross-region and cross-level joint tasks (ADR 0056): the office adds a county's department, another line's, or a
neighbouring city's (a region outside the city's tree); each keeps its own items, inspectors and objects, each
within its own jurisdiction; the neighbour's people then read the task, not the city's plan; refusals write
nothing."""

from __future__ import annotations

import pytest

from jianguan.accounts import services as accounts
from jianguan.accounts.models import DepartmentKind, Region, RegionLevel, User
from jianguan.audit.models import AuditEvent
from jianguan.core.actors import SystemActor
from jianguan.core.codes import build_uscc
from jianguan.joint import merges
from jianguan.joint.models import Participant, PlannedObject
from jianguan.subjects.models import MarketEntity
from tests.joint.world import FOOD, claim

pytestmark = pytest.mark.django_db


class Neighbour:
    """黄石市 beside the city: its 市场监管局 with its own FOOD row, an officer and an entity of its own."""

    def __init__(self, persona) -> None:
        admin = persona("admin")
        province = Region.objects.get(code="420000")
        self.region = accounts.region_create(actor=admin, code="420200", name="黄石市", level=RegionLevel.CITY,
                                             parent=province)
        self.department = accounts.department_create(
            actor=admin, name="黄石市市场监督管理局", short_name="黄石市场监管", kind=DepartmentKind.SCJG,
            region=self.region, uscc=build_uscc(authority="1", category="1", region="420200", org_body="MB002001"))
        self.officer: User = accounts.user_create(
            actor=SystemActor("test"), username="hs_scjg_officer", full_name="黄石检查员", department=self.department,
            roles=["officer"], password="Neighbour-Pass-2026!")
        self.food = claim(FOOD, "scjg", self.department)
        entity = MarketEntity.objects.order_by("pk").first()
        entity.pk, entity.uscc, entity.region = None, build_uscc(authority="9", category="1", region="420200",
                                                                 org_body="HA000001"), self.region
        entity.save()
        self.entity = entity.uscc


@pytest.fixture
def neighbour(persona):
    return Neighbour(persona)


@pytest.fixture
def joint(world):
    first = world.propose(world.officer, [world.food])
    second = world.propose(world.yj, [world.gas])
    return merges.task_combine(plan_id=world.plan.pk, task_ids=[first.pk, second.pk], lead_id=world.scjg_dept.pk,
                               title="联合检查", actor=world.officer)


def add(api, who, task, department, items, entities, inspectors=()):
    client = api(who) if isinstance(who, User) else who
    return client.post(f"/api/v1/joint/tasks/{task.pk}/participants",
                         {"department": department.pk, "items": items, "entities": entities,
                          "inspectors": list(inspectors)}, content_type="application/json")


def test_a_neighbouring_citys_department_joins_with_its_own_items_inspectors_and_objects(api, world, neighbour,
                                                                                        joint):
    assert api(neighbour.officer).get(f"/api/v1/joint/tasks/{joint.pk}").status_code == 404
    answer = add(api, world.officer, joint, neighbour.department, [neighbour.food], [neighbour.entity],
                 ["hs_scjg_officer"])
    assert answer.status_code == 201, answer.content
    part = Participant.objects.get(task=joint, department=neighbour.department)
    assert part.items == [neighbour.food] and [u.username for u in part.inspectors.all()] == ["hs_scjg_officer"]
    assert [p.entity.uscc for p in PlannedObject.objects.filter(task=joint, department=neighbour.department)] == [
        neighbour.entity]
    assert AuditEvent.objects.filter(verb="joint.participant_added").count() == 1
    assert api(neighbour.officer).get(f"/api/v1/joint/tasks/{joint.pk}").status_code == 200
    assert api(neighbour.officer).get(f"/api/v1/joint/plans/{world.plan.pk}").status_code == 404


def test_county_and_other_line_departments_join_each_with_its_own_rows(api, world, joint):
    assert add(api, world.officer, joint, world.county_dept, [world.county_food], world.entities[:2]).status_code == 201
    assert add(api, world.officer, joint, world.sthj_dept, [world.fuel], [world.elsewhere]).status_code == 201
    items = dict(Participant.objects.filter(task=joint).values_list("department_id", "items"))
    assert items[world.county_dept.pk] == [world.county_food] and items[world.sthj_dept.pk] == [world.fuel]


@pytest.mark.parametrize(("case", "code", "status"), [
    ("another_row", "item_not_claimed", 400), ("outside", "entity_outside_jurisdiction", 400),
    ("inspector", "inspector_other_department", 400), ("twice", "participant_exists", 400),
    ("not_office", "forbidden", 403)])
def test_a_participant_breaking_a_rule_is_refused_and_nothing_is_written(api, world, neighbour, joint, case, code,
                                                                         status):
    who, items, entities, people = world.officer, [neighbour.food], [neighbour.entity], []
    if case == "another_row":
        items = [world.food]
    elif case == "outside":
        entities = [world.entities[0]]
    elif case == "inspector":
        people = ["scjg_officer"]
    elif case == "twice":
        add(api, world.officer, joint, neighbour.department, items, entities)
    elif case == "not_office":
        who = world.sthj
    client = api(who)  # the token is issued (and audited) before counting
    before = (Participant.objects.count(), PlannedObject.objects.count(), AuditEvent.objects.count())
    answer = add(api, client, joint, neighbour.department, items, entities, people)
    assert answer.status_code == status and answer.json()["code"] == code
    assert (Participant.objects.count(), PlannedObject.objects.count(), AuditEvent.objects.count()) == before
