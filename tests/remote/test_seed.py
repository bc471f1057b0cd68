"""The demo step: points of three kinds, an exceedance that opened an alarm, a remote check in the entity's chain."""

from __future__ import annotations

import io

import pytest

from jianguan.behaviour.models import Inspection
from jianguan.chain.selectors import chain_get
from jianguan.core.seeding import SeedContext
from jianguan.remote import seed
from jianguan.remote.models import AlarmState, MonitoredPoint
from tests.joint.world import FOOD, FUEL, claim

pytestmark = pytest.mark.django_db


def test_the_demo_holds_points_an_alarm_and_a_remote_check_in_a_chain(persona):
    claim(FOOD, "scjg", persona("scjg_officer").department)
    claim(FUEL, "sthj", persona("sthj_officer").department)
    seed.seed_remote(SeedContext(scale="demo", seed=7, stdout=io.StringIO()))
    assert set(MonitoredPoint.objects.values_list("kind", flat=True)) == {"pollution", "cold_chain", "kitchen_video"}
    points = MonitoredPoint.objects.count()
    alarm = AlarmState.objects.get(rule="cod_over_limit")
    assert alarm.level == 2 and alarm.disposal == "checked"
    assert AlarmState.objects.filter(rule="rodent", level__gt=0).exists()
    check = Inspection.objects.get(category="2", method="非现场")
    entries = chain_get(reader=persona("sthj_officer"), uscc=alarm.entity.uscc).entries
    assert {"remote_alarm", "remote_disposal"} <= {e.kind for e in entries}
    assert check.number in " ".join(e.detail for e in entries)
    seed.seed_remote(SeedContext(scale="demo", seed=7, stdout=io.StringIO()))  # run again: nothing more
    assert MonitoredPoint.objects.count() == points == 3 + len(seed.simulated_devices())
