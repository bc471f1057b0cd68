"""End to end over real HTTP (ADR 0056): the provincial simulator (its own process) dispatches a joint task to the
platform's intake (the live server) with the key the platform issued it; the named departments feed back; the
pusher takes the feedback to the simulator, which accepts it because it names the task it dispatched."""

from __future__ import annotations

import pytest
from django.utils import timezone

from jianguan.accounts import services as accounts
from jianguan.exchange import push
from jianguan.joint import dispatch
from jianguan.joint.models import JointTask
from tests.joint.test_dispatch import dispatched
from tests.joint.world import World, visit
from tests.provsim_fixtures import provsim_fixture  # noqa: F401 (the fixture `provsim`)

pytestmark = pytest.mark.usefixtures("seeded_live_db")


def test_the_simulator_dispatches_a_task_over_http_and_accepts_the_feedback(live_server, provsim, persona, settings):
    world = World(persona)
    admin = persona("admin")
    client = accounts.api_client_create(actor=admin, name="省级平台", department=world.scjg_dept,
                                        scopes=["exchange:write"])
    key = accounts.api_key_issue(actor=admin, client=client)
    task = dispatched(world, [world.scjg_dept, world.county_dept], world.entities[:2], task_no="SJ-HTTP-001")
    status, answer = provsim.call("POST", "/_dispatch", {"platform": live_server.url, "api_key": key, "task": task})
    assert status == 200 and answer["status"] == 200 and answer["dispatched"], answer
    assert answer["answer"]["accepted"] == 1
    joint = JointTask.objects.get(dispatch__task_no="SJ-HTTP-001")
    assert {p.department_id for p in joint.participants.all()} == {world.scjg_dept.pk, world.county_dept.pk}
    status, refused = provsim.call("POST", "/_dispatch", {"platform": live_server.url, "api_key": "wrong",
                                                          "task": {**task, "task_no": "SJ-HTTP-002"}})
    assert status == 200 and refused["status"] == 401 and not refused["dispatched"]

    visit(world.scjg_dept, world.food, world.entities[0], timezone.localdate(), "JC-HTTP-1")
    dispatch.dispatch_feedback(task_id=joint.pk, feedback="未发现问题", inspections=["JC-HTTP-1"], actor=world.officer)
    settings.JIANGUAN_PUSH_URL, settings.JIANGUAN_PUSH_TOKEN = provsim.base_url, provsim.token
    settings.JIANGUAN_PUSH_RECEIVER_KEY, settings.JIANGUAN_EXCHANGE_SOURCE = provsim.public_key, "421200"
    push.push_round()
    [feedback] = provsim.records(standard="joint_feedback")
    assert feedback["data"]["task_no"] == "SJ-HTTP-001" and feedback["data"]["union_unit_no"] == world.scjg_dept.uscc
    assert provsim.stats()["by_standard"]["joint_feedback"]["rejected"] == 0


def test_the_simulator_refuses_feedback_on_a_task_it_did_not_dispatch_until_told_of_it(provsim):
    feedback = {"op": "i", "id": "SJ-X-1-U", "version": 1,
                "data": {"task_no": "SJ-X-1", "union_unit_no": "11421200MB0000000X", "status": "反馈"}}
    status, receipt = provsim.send([feedback], standard="joint_feedback", batch="2026030200001")
    assert status == 200 and receipt["rejected"][0]["errors"][0]["code"] == "unknown_task"
    assert provsim.call("POST", "/_dispatched", {"task_no": "SJ-X-1"})[0] == 200
    status, receipt = provsim.send([{**feedback, "version": 2}], standard="joint_feedback", batch="2026030200002")
    assert status == 200 and receipt["accepted"] == 1 and not receipt["rejected"]
