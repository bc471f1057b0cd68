"""The demo step: a city plan approved by the office's head, tasks of three departments, merge proposals (one
accepted with visits saved, one declined with its reason) and a scenario joint task of three departments with today's
joint visit: one 现场检查笔录, a 行政检查 record per department, results recognised, one clue handed over — one joint
visit in the ledger."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from jianguan.behaviour.models import Inspection
from jianguan.core.seeding import SeedContext
from jianguan.documents.models import IssuedDocument
from jianguan.enforcement.models import Clue
from jianguan.joint import ledger, seed
from jianguan.joint.models import JointPlan, JointVisit, MergeProposal, MergeStatus, PlanStatus, TaskStatus, VisitStatus
from tests.joint.world import FOOD, FUEL, GAS, claim

SMOKE = "20000100000001"  # 油烟排放 (城市管理执法) in the 餐饮店 scenario

pytestmark = pytest.mark.django_db


def test_the_demo_holds_an_approved_plan_with_merged_tasks_and_a_joint_visit(persona):
    from jianguan.accounts.models import User

    claim(FOOD, "scjg", persona("scjg_officer").department)
    claim(FUEL, "sthj", persona("sthj_officer").department)
    claim(GAS, "yj", User.objects.get(username="yj_421200_01").department)
    claim(SMOKE, "cgzf", User.objects.get(username="cgzf_421200_01").department)
    seed.seed_joint(SeedContext(scale="demo", seed=7, stdout=io.StringIO()))
    plan = JointPlan.objects.get()
    assert plan.status == PlanStatus.APPROVED and plan.approved_by.username == "scjg_head"
    assert MergeProposal.objects.filter(status=MergeStatus.ACCEPTED, visits_saved__gt=0).exists()
    assert MergeProposal.objects.filter(status=MergeStatus.DECLINED).exclude(reason="").exists()
    scenario = plan.tasks.get(scenario="restaurant")
    assert scenario.status == TaskStatus.JOINT and scenario.participants.count() == 3
    visit = JointVisit.objects.get(task=scenario)
    assert visit.status == VisitStatus.CLOSED and IssuedDocument.objects.get(pk=visit.record_document).kind == \
        "onsite_record"
    records = Inspection.objects.filter(number__startswith=visit.number)
    assert records.count() == 3 and records.values("department_id").distinct().count() == 3
    assert visit.results.count() == 3 and visit.results.filter(outcome="problem").count() == 1
    assert visit.handovers.count() == 1 and Clue.objects.filter(source_ref__startswith=visit.number).count() == 1
    found = ledger.ledger_of(visit.entity_id, timezone.localdate().year)
    assert found.joint == 1 and len(found.by_department) == 3
