"""The demo stream of the risk seed: sent through the intake and judged, alerts in several models and states (one
disposed, one overdue, one decided 立案 and carried into a case clue), the known truth kept out of what is sent and
agreeing with the verdicts."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from jianguan.core.seeding import SeedContext
from jianguan.enforcement import seed as enforcement_seed
from jianguan.enforcement.models import Clue, ClueSource
from jianguan.risk import report, seed
from jianguan.risk.models import Alert, AlertStatus, ControlSample, Observation, RegisterImport
from jianguan.risk.selectors import alert_list

pytestmark = pytest.mark.django_db


def context(scale: str = "demo") -> SeedContext:
    return SeedContext(scale=scale, seed=2026, stdout=io.StringIO(), progress_enabled=False)


def test_the_test_scale_sends_nothing():
    seed.seed_registers(context("test"))
    seed.seed_risk(context("test"))
    assert not Observation.objects.exists() and not Alert.objects.exists() and not RegisterImport.objects.exists()


def test_some_demo_alerts_rest_on_register_hits_and_registers_clear_look_alikes():
    """The registers of demo/registers.json speak of the stream's subjects: an expired 广审号 and a 诊疗科目 the
    licence lacks, an expired 药品经营许可证, a class III device sold on a class II filing alert; the same
    subjects' items that the registers cover do not."""
    seed.seed_registers(context())
    seed.seed_risk(context())
    assert RegisterImport.objects.count() == 7 and all(i.imported_by for i in RegisterImport.objects.all())
    named = ["咸宁仁爱医院", "咸宁百草堂大药房", "咸宁康泰医疗器械店"]
    rules = {alert.subject_name: {hit["rule"] for hit in alert.hits if hit["weight"] > 0}
             for alert in Alert.objects.filter(subject_name__in=named)}
    assert rules == {"咸宁仁爱医院": {"medical_ad.review_invalid", "medical_ad.outside_departments"},
                     "咸宁百草堂大药房": {"drug_sales.seller_licence"},
                     "咸宁康泰医疗器械店": {"device_sales.seller_licence"}}
    assert not Alert.objects.filter(subject_name="咸宁同济堂药店").exists()
    kept = Alert.objects.get(subject_name="咸宁康泰医疗器械店")
    assert kept.observations.count() == 1  # the class II item sold on its filing raised nothing


def test_the_stream_raises_alerts_in_every_model_and_takes_some_through_the_loop(persona):
    seed.seed_registers(context())
    seed.seed_risk(context())
    enforcement_seed.seed_alert_clues(context())
    entries = seed.stream()
    observations = list(Observation.objects.order_by("sender_id"))
    assert len(observations) == len(entries) and all(o.sender == f"user:{persona('dataadmin').pk}"
                                                     for o in observations)
    assert not any("label" in o.payload or "drive" in o.payload for o in observations)
    for entry, observation in zip(entries, observations, strict=True):
        assert observation.alerts.filter(control=False).exists() == entry["label"], observation.payload
    assert {a.model for a in Alert.objects.all()} == {"medical_ad", "fundraising", "drug_sales", "rx_sales",
                                                      "device_sales"}
    statuses = set(Alert.objects.values_list("status", flat=True))
    assert {AlertStatus.PENDING, AlertStatus.VERIFYING, AlertStatus.MINOR, AlertStatus.CASE} <= statuses
    head = persona("scjg_head")
    assert alert_list(reader=head, overdue=True).count() == 1
    assert Alert.objects.filter(entity__isnull=False).exists()
    carried = Alert.objects.get(status=AlertStatus.CASE)
    clue = Clue.objects.get(source=ClueSource.RISK_ALERT)
    assert carried.clue_number == clue.number and clue.party_name == "咸宁美颜医疗美容诊所"


def test_the_demo_draws_a_control_sample_and_decides_the_city_items_so_the_report_has_recall(persona):
    seed.seed_risk(context())
    unalerted = sum(1 for entry in seed.stream() if not entry["label"])
    assert sum(part["sampled"] for sample in ControlSample.objects.all() for part in sample.strata.values()) \
        == unalerted == Alert.objects.filter(control=True).count()
    [city] = Alert.objects.filter(control=True, department=persona("scjg_head").department)
    assert city.status == AlertStatus.UNFOUNDED and city.subject_name == "咸宁市第一人民医院"
    built = report.risk_report(reader=persona("leader"), month=city.window)
    ad = next(m for m in built.measures if m.model == "medical_ad")
    assert ad.control_decided == 1 and ad.estimated_misses == 0 and ad.recall == 1.0


def test_the_stream_is_the_same_for_the_same_seed_and_speaks_of_other_entities_for_another():
    today = timezone.localdate()
    first = seed.stream_items(context(), today)
    assert first == seed.stream_items(context(), today)
    other = SeedContext(scale="demo", seed=7, stdout=io.StringIO(), progress_enabled=False)
    assert [i.get("entity") for i in first] != [i.get("entity") for i in seed.stream_items(other, today)]
