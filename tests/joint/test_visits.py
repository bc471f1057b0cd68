"""One visit, many records: a joint visit of three departments writes one 现场检查笔录 listing every officer present and
a 行政检查 record per department citing its own rows; a department entering another's items is refused
(`item_other_department`) with nothing written; the results are recognised on the other participants' pages and a
proposal of the same entity and item within the recognition window is refused (`already_checked`); a problem on
another department's item becomes that department's clue in one step; the ledger counts the visit once, as joint."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.audit.models import AuditEvent
from jianguan.behaviour.models import Inspection
from jianguan.core.errors import AccessDenied, DomainError, ValidationFailed
from jianguan.documents.models import IssuedDocument
from jianguan.enforcement.models import Clue
from jianguan.joint import ledger, merges, visits
from jianguan.joint.models import Handover, JointVisit, VisitResult, VisitStatus

pytestmark = pytest.mark.django_db
OFFICERS = ["scjg_officer", "sthj_officer", "yj_421200_01"]


def joint_task(world):
    """A joint task of the 市场监管局, 应急管理局 and 生态环境局 over the world's first four entities, open today."""
    tasks = [world.propose(who, [row], days=-10) for who, row in ((world.officer, world.food), (world.yj, world.gas),
                                                                   (world.sthj, world.fuel))]
    return merges.task_combine(plan_id=world.plan.pk, task_ids=[t.pk for t in tasks], lead_id=world.scjg_dept.pk,
                               title="餐饮店综合查一次", actor=world.officer)


def open_visit(world, task=None):
    task = task or joint_task(world)
    return visits.visit_open(task_id=task.pk, uscc=world.entities[0], visited_on=timezone.localdate(),
                             place="咸安区温泉路 1 号", officers=OFFICERS, actor=world.officer)


def enter_all(world, visit):
    visits.visit_results_enter(visit_id=visit.pk, actor=world.officer,
                               results=[{"item": world.food, "outcome": "passed"}])
    visits.visit_results_enter(visit_id=visit.pk, actor=world.yj,
                               results=[{"item": world.gas, "outcome": "problem", "note": "灭火器过期"}])
    visits.visit_results_enter(visit_id=visit.pk, actor=world.sthj,
                               results=[{"item": world.fuel, "outcome": "passed"}])


def test_one_visit_writes_one_record_signed_by_all_and_a_record_per_department(world):
    visit = open_visit(world)
    enter_all(world, visit)
    records = Inspection.objects.filter(number__startswith=visit.number).order_by("number")
    assert [(r.department_id, r.implementation_code) for r in records] == [
        (world.scjg_dept.pk, world.food), (world.yj_dept.pk, world.gas), (world.sthj_dept.pk, world.fuel)]
    assert all(r.raw["joint_visit"] == visit.number and r.form == "联合检查" for r in records)
    assert len(records[0].credential_numbers) == 3 and records[1].result == "发现问题 1 项"
    closed = visits.visit_close(visit_id=visit.pk, actor=world.sthj)
    assert closed.status == VisitStatus.CLOSED
    document = IssuedDocument.objects.get(pk=closed.record_document)
    assert document.kind == "onsite_record" and IssuedDocument.objects.filter(kind="onsite_record").count() == 1
    assert [o["credential"] for o in document.context["officers"]] == [o["credential"] for o in visit.officers]
    assert "灭火器过期" in document.context["findings"] and "均应签名" in document.context["findings"]
    assert AuditEvent.objects.filter(verb="joint.visit_closed", target_id=str(visit.pk)).count() == 1


def test_a_result_for_another_departments_item_is_refused_and_nothing_written(world):
    visit = open_visit(world)
    before = (VisitResult.objects.count(), Inspection.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as refused:
        visits.visit_results_enter(visit_id=visit.pk, actor=world.officer,
                                   results=[{"item": world.food, "outcome": "passed"},
                                            {"item": world.gas, "outcome": "passed"}])
    assert refused.value.code == "item_other_department" and refused.value.field == "results"
    assert "应急管理" in refused.value.message and "本部门" in refused.value.message
    assert (VisitResult.objects.count(), Inspection.objects.count(), AuditEvent.objects.count()) == before


def test_the_record_waits_for_every_department_and_each_enters_once(world):
    visit = open_visit(world)
    visits.visit_results_enter(visit_id=visit.pk, actor=world.officer,
                               results=[{"item": world.food, "outcome": "passed"}])
    with pytest.raises(ValidationFailed) as refused:
        visits.visit_close(visit_id=visit.pk, actor=world.officer)
    assert refused.value.code == "results_missing"
    with pytest.raises(DomainError) as twice:
        visits.visit_results_enter(visit_id=visit.pk, actor=world.officer,
                                   results=[{"item": world.food, "outcome": "passed"}])
    assert twice.value.code == "result_entered"
    assert not IssuedDocument.objects.filter(kind="onsite_record").exists()


def test_a_visit_needs_two_officers_with_credentials_of_the_participants(world):
    task = joint_task(world)
    for officers, code in ((["scjg_officer"], "officers_too_few"),
                           (["scjg_officer", "xa_scjg_officer"], "officer_not_participant")):
        with pytest.raises(ValidationFailed) as refused:
            visits.visit_open(task_id=task.pk, uscc=world.entities[0], visited_on=timezone.localdate(),
                              place="门店", officers=officers, actor=world.officer)
        assert refused.value.code == code
    with pytest.raises(ValidationFailed) as refused:
        visits.visit_open(task_id=task.pk, uscc=world.elsewhere, visited_on=timezone.localdate(), place="门店",
                          officers=OFFICERS, actor=world.officer)
    assert refused.value.code == "entity_not_planned"
    with pytest.raises(AccessDenied):
        visits.visit_open(task_id=task.pk, uscc=world.entities[0], visited_on=timezone.localdate(), place="门店",
                          officers=OFFICERS, actor=world.county)
    assert not JointVisit.objects.exists()


def test_the_ledger_counts_the_visit_once_as_joint(world):
    visit = open_visit(world)
    enter_all(world, visit)
    found = ledger.ledger_of(visit.entity_id, timezone.localdate().year)
    today = [v for v in found.visits if v.day == timezone.localdate()]
    assert len(today) == 1 and today[0].joint and len(today[0].departments) == 3


def test_a_proposal_of_the_same_entity_and_item_within_the_window_is_refused(world, settings):
    visit = open_visit(world)
    enter_all(world, visit)
    with pytest.raises(ValidationFailed) as refused:
        world.propose(world.yj, [world.gas], world.entities[:2])
    assert refused.value.code == "already_checked" and "结果互认" in refused.value.message
    world.propose(world.yj, [world.gas], world.entities[1:3])  # another entity: no result to recognise
    settings.JIANGUAN_JOINT_RECOGNITION_DAYS = 5
    world.propose(world.yj, [world.gas], world.entities[:1])  # the window has passed by the task's start


def test_a_problem_on_another_departments_item_becomes_its_clue_in_one_step(world):
    visit = open_visit(world)
    before = AuditEvent.objects.count()
    handover = visits.visit_hand_over(visit_id=visit.pk, item=world.fuel, summary="后厨油烟直排",
                                      actor=world.officer)
    clue = Clue.objects.get(source_ref=f"{visit.number}/{world.fuel}")
    assert clue.department_id == world.sthj_dept.pk and clue.entity_id == visit.entity_id
    assert visit.number in clue.summary and handover.clue_number
    verbs = set(AuditEvent.objects.filter(seq__gt=0).order_by("-seq")[:5].values_list("verb", flat=True))
    assert {"enforcement.clue_registered", "joint.visit_handed_over"} <= verbs and AuditEvent.objects.count() > before
    for item, code in ((world.food, "item_own_department"), (world.fuel, "clue_exists")):
        with pytest.raises(DomainError) as refused:
            visits.visit_hand_over(visit_id=visit.pk, item=item, summary="问题", actor=world.officer)
        assert refused.value.code == code
    with pytest.raises(AccessDenied) as absent:
        visits.visit_hand_over(visit_id=visit.pk, item=world.food, summary="问题", actor=world.head)
    assert absent.value.code == "not_present"
    assert Handover.objects.count() == 1


def test_results_are_shown_recognised_on_the_other_participants_pages(world, signed_in):
    visit = open_visit(world)
    enter_all(world, visit)
    client = signed_in(world.sthj)
    task_page = client.get(f"/joint/tasks/{visit.task_id}/").content.decode()
    assert "已互认" in task_page and "灭火器过期" in task_page
    entity_page = client.get(f"/joint/entities/{world.entities[0]}/").content.decode()
    assert visit.number in entity_page and "已互认" in entity_page
    visit_page = client.get(f"/joint/visits/{visit.pk}/").content.decode()
    assert "已互认" in visit_page and visit.officers[0]["credential"] in visit_page


def test_the_pages_take_each_step(world, signed_in):
    task = joint_task(world)
    client = signed_in(world.officer)
    client.post(f"/joint/tasks/{task.pk}/visits/", {"uscc": world.entities[0], "visited_on": timezone.localdate(),
                                                    "place": "门店", "officers": OFFICERS})
    visit = JointVisit.objects.get()
    client.post(f"/joint/visits/{visit.pk}/results/", {"items": [world.food], f"outcome_{world.food}": "passed"})
    client.post(f"/joint/visits/{visit.pk}/clues/", {"item": world.gas, "summary": "安全出口堵塞"})
    assert VisitResult.objects.filter(visit=visit).count() == 1 and Handover.objects.filter(visit=visit).exists()
    signed_in(world.yj).post(f"/joint/visits/{visit.pk}/results/", {"items": [world.gas],
                                                                   f"outcome_{world.gas}": "problem"})
    signed_in(world.sthj).post(f"/joint/visits/{visit.pk}/results/", {"items": [world.fuel],
                                                                     f"outcome_{world.fuel}": "passed"})
    signed_in(world.sthj).post(f"/joint/visits/{visit.pk}/close/")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CLOSED
    page = signed_in(world.officer).get(f"/joint/visits/{visit.pk}/").content.decode()
    assert visit.record_number in page and f"/joint/visits/{visit.pk}/record/" in page


def test_the_window_of_recognition_is_a_setting_with_a_default():
    from django.conf import settings

    assert settings.JIANGUAN_JOINT_RECOGNITION_DAYS == 180
    assert dt.timedelta(days=settings.JIANGUAN_JOINT_RECOGNITION_DAYS) > dt.timedelta(0)


def test_outsiders_get_404_on_a_visit_and_its_steps(world, api, signed_in):
    """Another city's officer reads nothing of a joint task, its visit, its 笔录, a merge proposal, nor the ledger
    under /subjects/, and writes nothing."""
    from tests.joint.test_api import _other_city_officer

    visit = open_visit(world)
    enter_all(world, visit)
    visits.visit_close(visit_id=visit.pk, actor=world.officer)
    world.propose(world.officer, [world.food], world.entities[4:6])
    world.propose(world.yj, [world.gas], world.entities[4:6])
    [proposal] = merges.merge_proposals_find(plan_id=world.plan.pk, actor=world.officer)
    outsider = _other_city_officer()
    client = api(outsider)
    for path in (f"/api/v1/joint/visits/{visit.pk}", f"/api/v1/subjects/{world.entities[0]}/visits"):
        assert client.get(path).status_code == 404, path
    before = AuditEvent.objects.count()
    for path, body in ((f"/api/v1/joint/tasks/{visit.task_id}/visits", {
                           "uscc": world.entities[1], "visited_on": str(timezone.localdate()), "place": "门店",
                           "officers": OFFICERS}),
                       (f"/api/v1/joint/visits/{visit.pk}/results", {"results": []}),
                       (f"/api/v1/joint/visits/{visit.pk}/clues", {"item": world.gas, "summary": "问题"}),
                       (f"/api/v1/joint/visits/{visit.pk}/transitions", {"action": "close"})):
        assert client.post(path, body, content_type="application/json").status_code == 404, path
    page = signed_in(outsider)
    for path in (f"/joint/tasks/{visit.task_id}/", f"/joint/visits/{visit.pk}/", f"/joint/visits/{visit.pk}/record/",
                 f"/joint/merges/{proposal.pk}/"):
        assert page.get(path).status_code == 404, path
    for path in (f"/joint/tasks/{visit.task_id}/visits/", f"/joint/visits/{visit.pk}/results/",
                 f"/joint/visits/{visit.pk}/clues/", f"/joint/visits/{visit.pk}/close/"):
        assert page.post(path, {"item": world.gas, "summary": "问题"}).status_code == 404, path
    assert AuditEvent.objects.count() == before


def test_the_api_takes_a_visit_through_its_steps(world, api):
    task = joint_task(world)
    answer = api(world.officer).post(f"/api/v1/joint/tasks/{task.pk}/visits", {
        "uscc": world.entities[0], "visited_on": str(timezone.localdate()), "place": "门店", "officers": OFFICERS},
        content_type="application/json")
    assert answer.status_code == 201 and len(answer.json()["officers"]) == 3
    visit = answer.json()["id"]
    refused = api(world.officer).post(f"/api/v1/joint/visits/{visit}/results", {
        "results": [{"item": world.gas, "outcome": "passed"}]}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "item_other_department"
    for who, row in ((world.officer, world.food), (world.yj, world.gas), (world.sthj, world.fuel)):
        answer = api(who).post(f"/api/v1/joint/visits/{visit}/results", {
            "results": [{"item": row, "outcome": "passed"}]}, content_type="application/json")
        assert answer.status_code == 200, answer.json()
    assert all(r["recognised"] for r in answer.json()["results"]) and len(answer.json()["results"]) == 3
    closed = api(world.yj).post(f"/api/v1/joint/visits/{visit}/transitions", {"action": "close"},
                                content_type="application/json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed" and closed.json()["record_number"]
    again = api(world.yj).post(f"/api/v1/joint/visits/{visit}/transitions", {"action": "close"},
                               content_type="application/json")
    assert again.status_code == 409
    ledger_answer = api(world.sthj).get(f"/api/v1/subjects/{world.entities[0]}/visits").json()
    assert ledger_answer["joint"] == 1 and ledger_answer == api(world.sthj).get(
        f"/api/v1/joint/entities/{world.entities[0]}/visits").json()
