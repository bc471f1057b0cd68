"""The demo step: a city plan approved by the office's head, tasks of three departments, merge proposals (one
accepted with visits saved, one declined with its reason) and a scenario joint task with today's records of each
department — one joint visit in the ledger."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from jianguan.core.seeding import SeedContext
from jianguan.joint import ledger, seed
from jianguan.joint.models import JointPlan, MergeProposal, MergeStatus, PlanStatus, TaskStatus
from jianguan.subjects.models import MarketEntity
from tests.joint.world import FOOD, FUEL, GAS, claim

pytestmark = pytest.mark.django_db


def test_the_demo_holds_an_approved_plan_with_merged_tasks_and_a_joint_visit(persona):
    from jianguan.accounts.models import User

    claim(FOOD, "scjg", persona("scjg_officer").department)
    claim(FUEL, "sthj", persona("sthj_officer").department)
    claim(GAS, "yj", User.objects.get(username="yj_421200_01").department)
    seed.seed_joint(SeedContext(scale="demo", seed=7, stdout=io.StringIO()))
    plan = JointPlan.objects.get()
    assert plan.status == PlanStatus.APPROVED and plan.approved_by.username == "scjg_head"
    assert MergeProposal.objects.filter(status=MergeStatus.ACCEPTED, visits_saved__gt=0).exists()
    assert MergeProposal.objects.filter(status=MergeStatus.DECLINED).exclude(reason="").exists()
    scenario = plan.tasks.get(scenario="restaurant")
    assert scenario.status == TaskStatus.JOINT and scenario.participants.count() == 2
    entity = scenario.objects_planned.values_list("entity_id", flat=True).first()
    found = ledger.ledger_of(entity, timezone.localdate().year)
    assert found.joint == 1 and len(found.by_department) == 2
    assert MarketEntity.objects.filter(pk=entity).exists()
