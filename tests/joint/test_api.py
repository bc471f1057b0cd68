"""`/api/v1/joint/…`: plans, proposals, scenario tasks, merge proposals accepted or declined, an entity's ledger;
refusals in the error envelope with nothing written; outsiders get 404 on every path naming a record."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.audit.models import AuditEvent
from jianguan.joint.models import JointTask, MergeProposal, MergeStatus

pytestmark = pytest.mark.django_db


def _task_body(world, items, entities, days=0):
    start = world.start + dt.timedelta(days=days)
    return {"title": "检查", "items": items, "entities": entities, "window_start": start.isoformat(),
            "window_end": (start + dt.timedelta(days=10)).isoformat()}


def test_a_department_proposes_and_the_office_merges_through_the_api(api, world):
    plan = world.plan.pk
    answer = api(world.officer).post(f"/api/v1/joint/plans/{plan}/tasks",
                                     _task_body(world, [world.food], world.entities[:3]),
                                     content_type="application/json")
    assert answer.status_code == 201 and answer.json()["participants"][0]["items"] == [world.food]
    answer = api(world.yj).post(f"/api/v1/joint/plans/{plan}/tasks",
                                _task_body(world, [world.gas], world.entities[1:4]), content_type="application/json")
    assert answer.status_code == 201
    found = api(world.officer).post(f"/api/v1/joint/plans/{plan}/merge-proposals", {},
                                    content_type="application/json")
    assert found.status_code == 200 and len(found.json()) == 1 and found.json()[0]["entity_count"] == 2
    proposal = found.json()[0]["id"]
    accepted = api(world.officer).post(f"/api/v1/joint/merge-proposals/{proposal}/transitions",
                                       {"action": "accept"}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["visits_saved"] == 2
    listed = api(world.leader).get(f"/api/v1/joint/plans/{plan}/merge-proposals").json()
    assert listed["items"][0]["status"] == MergeStatus.ACCEPTED


def test_refusals_name_the_rule_and_write_nothing(api, world):
    plan = world.plan.pk
    sthj, county, officer = api(world.sthj), api(world.county), api(world.officer)
    before = (JointTask.objects.count(), AuditEvent.objects.count())
    answer = sthj.post(f"/api/v1/joint/plans/{plan}/tasks",
                                  _task_body(world, [world.food], world.entities[:2]), content_type="application/json")
    assert answer.status_code == 400 and answer.json()["code"] == "item_not_claimed"
    answer = county.post(f"/api/v1/joint/plans/{plan}/tasks",
                                    _task_body(world, [world.county_food], [world.elsewhere]),
                                    content_type="application/json")
    assert answer.status_code == 400 and answer.json()["code"] == "entity_outside_jurisdiction"
    answer = officer.post(f"/api/v1/joint/plans/{plan}/transitions", {"action": "approve"},
                                     content_type="application/json")
    assert answer.status_code == 409
    assert (JointTask.objects.count(), AuditEvent.objects.count()) == before


def test_the_office_combines_proposals_into_a_joint_task(api, world):
    a = world.propose(world.officer, [world.food])
    b = world.propose(world.yj, [world.gas], days=3)
    answer = api(world.officer).post(f"/api/v1/joint/plans/{world.plan.pk}/joint-tasks",
                                     {"tasks": [a.pk, b.pk], "lead": world.yj_dept.pk, "title": "联合检查"},
                                     content_type="application/json")
    assert answer.status_code == 201 and answer.json()["status"] == "joint"
    assert answer.json()["lead"] == world.yj_dept.pk and len(answer.json()["participants"]) == 2
    refused = api(world.yj).post(f"/api/v1/joint/plans/{world.plan.pk}/joint-tasks",
                                 {"tasks": [a.pk, b.pk], "lead": world.yj_dept.pk, "title": "联合检查"},
                                 content_type="application/json")
    assert refused.status_code == 403 and JointTask.objects.filter(status="joint").count() == 1


def test_a_declined_merge_without_a_reason_is_refused(api, world):
    world.propose(world.officer, [world.food])
    world.propose(world.yj, [world.gas])
    [proposal] = api(world.officer).post(f"/api/v1/joint/plans/{world.plan.pk}/merge-proposals", {},
                                         content_type="application/json").json()
    answer = api(world.officer).post(f"/api/v1/joint/merge-proposals/{proposal['id']}/transitions",
                                     {"action": "decline"}, content_type="application/json")
    assert answer.status_code == 400 and answer.json()["code"] == "reason_required"
    assert MergeProposal.objects.get().status == MergeStatus.PROPOSED


def test_the_ledger_of_an_entity(api, world):
    answer = api(world.officer).get(f"/api/v1/joint/entities/{world.entities[0]}/visits")
    assert answer.status_code == 200 and answer.json()["uscc"] == world.entities[0] and answer.json()["count"] == 0
    assert api(world.officer).get(f"/api/v1/joint/entities/{world.entities[0]}/visits?year=99999").status_code == 400


def test_scenarios_are_listed_each_row_citing_catalog_codes(api, world):
    rows = api(world.officer).get("/api/v1/joint/scenarios").json()
    assert {s["name"] for s in rows} >= {"餐饮店", "加油站", "药店", "建筑工地"}
    assert all(row["catalog"] for s in rows for row in s["rows"])


def _other_city_officer():
    """An officer of a 市场监管局 of another city: outside the plan's region and above none of it."""
    from jianguan.accounts.models import Department, Region
    from tests.enforcement_fixtures import make_user

    region = Region.objects.create(code="429900", name="邻市", level=Region.objects.get(code="421200").level,
                                   gb2260="429900", path="/429900/")
    department = Department.objects.create(name="邻市市场监督管理局", short_name="邻市市场监管局",
                                           uscc="11429900MB0000001X", kind="scjg", region=region)
    return make_user("neighbour_officer", "邻市执法人员", department, ["officer"])


def test_outsiders_get_404_on_every_joint_path(api, world, signed_in):
    """Another city's officer reads nothing of the city's plan, its tasks, its proposals, nor an entity's ledger,
    and writes nothing."""
    task = world.propose(world.officer, [world.food])
    world.propose(world.yj, [world.gas])
    from jianguan.joint import merges

    [proposal] = merges.merge_proposals_find(plan_id=world.plan.pk, actor=world.officer)
    outsider = _other_city_officer()
    client = api(outsider)
    plan = world.plan.pk
    for path in (f"/api/v1/joint/plans/{plan}", f"/api/v1/joint/plans/{plan}/tasks",
                 f"/api/v1/joint/plans/{plan}/merge-proposals", f"/api/v1/joint/tasks/{task.pk}",
                 f"/api/v1/joint/entities/{world.entities[0]}/visits"):
        assert client.get(path).status_code == 404, path
    assert client.get("/api/v1/joint/plans").json()["count"] == 0
    before = AuditEvent.objects.count()
    for path, body in ((f"/api/v1/joint/plans/{plan}/transitions", {"action": "submit"}),
                       (f"/api/v1/joint/plans/{plan}/tasks", _task_body(world, [world.food], world.entities[:1])),
                       (f"/api/v1/joint/plans/{plan}/scenario-tasks", {
                           "scenario": "restaurant", "departments": [], "lead": 1, "entities": [],
                           "window_start": "2027-01-01", "window_end": "2027-01-02"}),
                       (f"/api/v1/joint/plans/{plan}/merge-proposals", {}),
                       (f"/api/v1/joint/plans/{plan}/joint-tasks", {"tasks": [task.pk], "lead": 1, "title": "联合"}),
                       (f"/api/v1/joint/merge-proposals/{proposal.pk}/transitions", {"action": "accept"}),
                       (f"/api/v1/joint/tasks/{task.pk}/participants", {"department": outsider.department_id,
                                                                       "items": [], "entities": []}),
                       (f"/api/v1/joint/tasks/{task.pk}/feedback", {"feedback": "完成"})):
        assert client.post(path, body, content_type="application/json").status_code == 404, path
    assert AuditEvent.objects.count() == before
    page = signed_in(outsider)
    assert page.get(f"/joint/plans/{plan}/").status_code == 404
    assert page.post(f"/joint/plans/{plan}/act/", {"action": "submit"}).status_code == 404
    assert page.post(f"/joint/merges/{proposal.pk}/act/", {"action": "accept"}).status_code == 404
    assert page.get(f"/joint/entities/{world.entities[0]}/").status_code == 404
    assert MergeProposal.objects.get().status == MergeStatus.PROPOSED


def test_a_county_department_reads_its_citys_plan_but_does_not_run_it(api, world, outsider):
    """嘉鱼县's officer takes part in the city's plan (reads it) but neither submits it nor decides merges."""
    client = api(outsider)
    assert client.get(f"/api/v1/joint/plans/{world.plan.pk}").status_code == 200
    before = AuditEvent.objects.count()
    answer = client.post(f"/api/v1/joint/plans/{world.plan.pk}/transitions", {"action": "submit"},
                         content_type="application/json")
    assert answer.status_code == 403 and AuditEvent.objects.count() == before


def test_the_pages_show_the_plan_its_merges_and_the_scenarios(signed_in, world):
    world.propose(world.officer, [world.food])
    world.propose(world.yj, [world.gas])
    client = signed_in(world.officer)
    client.post(f"/joint/plans/{world.plan.pk}/act/", {"action": "submit"})
    from jianguan.joint import merges

    merges.merge_proposals_find(plan_id=world.plan.pk, actor=world.officer)
    page = client.get(f"/joint/plans/{world.plan.pk}/").content.decode()
    assert "已报送" in page and "接受合并" in page
    assert "建筑工地" in client.get("/joint/scenarios/").content.decode()
    assert world.plan.number in client.get("/joint/").content.decode()


def test_the_task_and_merge_lists_read_a_page_in_a_fixed_number_of_queries(api, world,
                                                                            django_assert_max_num_queries):
    """Each row's lead, participants, tasks and merged task are read along with the page, not row by row."""
    for n, (who, item) in enumerate([(world.officer, world.food), (world.yj, world.gas), (world.sthj, world.fuel),
                                     (world.officer, world.food), (world.yj, world.gas)]):
        world.propose(who, [item], world.entities[:3], days=n)
    client = api(world.officer)
    client.post(f"/api/v1/joint/plans/{world.plan.pk}/merge-proposals", {}, content_type="application/json")
    proposals = list(MergeProposal.objects.order_by("pk"))
    assert len(proposals) >= 3
    accepted = client.post(f"/api/v1/joint/merge-proposals/{proposals[0].pk}/transitions", {"action": "accept"},
                           content_type="application/json")
    assert accepted.status_code == 200
    plan = world.plan.pk
    with django_assert_max_num_queries(12):
        tasks = client.get(f"/api/v1/joint/plans/{plan}/tasks")
    assert tasks.status_code == 200 and len(tasks.json()["items"]) >= 5
    assert all(row["lead_name"] and row["participants"] for row in tasks.json()["items"])
    with django_assert_max_num_queries(12):
        merges = client.get(f"/api/v1/joint/plans/{plan}/merge-proposals")
    rows = merges.json()["items"]
    assert merges.status_code == 200 and len(rows) >= 3 and rows[0]["merged_task"]
