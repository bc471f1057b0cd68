"""The demo's survey step: the demo points placed, a finding of 自然资源 and of 住建 each matched to the entity
located inside it, shown on the department's map."""

from __future__ import annotations

import io

import pytest

from jianguan.core.seeding import SeedContext
from jianguan.remote import seed
from jianguan.remote.models import MonitoredPoint, SurveyFinding
from tests.joint.world import FOOD, FUEL, claim

pytestmark = pytest.mark.django_db


def test_the_demo_findings_are_matched_to_the_located_entities_and_mapped(persona, signed_in):
    claim(FOOD, "scjg", persona("scjg_officer").department)
    claim(FUEL, "sthj", persona("sthj_officer").department)
    seed.seed_remote(SeedContext(scale="demo", seed=7, stdout=io.StringIO()))
    seed.seed_survey(SeedContext(scale="demo", seed=7, stdout=io.StringIO()))
    assert not MonitoredPoint.objects.filter(longitude__isnull=True).exists()
    land = SurveyFinding.objects.get(department__kind="zrzy")
    source = MonitoredPoint.objects.get(code="MN42120000000001")
    assert list(land.entities.all()) == [source.entity]
    assert {f.department.kind for f in SurveyFinding.objects.all()} == {"zrzy", "zj"}
    page = signed_in(persona("zrzy_421200_01")).get("/remote/map/").content.decode()
    assert f"/remote/findings/{land.pk}/" in page and source.entity.name in page
    seed.seed_survey(SeedContext(scale="demo", seed=7, stdout=io.StringIO()))  # run again: nothing more
    assert SurveyFinding.objects.count() == 2
