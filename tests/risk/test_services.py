"""Alerts raised from stored observations (one per subject, model and month, updated, never repeated; the entity
matched by its code; the department by region and line) and the writes of their verification and disposal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.accounts.models import Department, DepartmentKind, User
from jianguan.audit.models import AuditEvent
from jianguan.core.calendar import add_working_days
from jianguan.core.errors import AccessDenied, InvalidTransition, NotFound, ValidationFailed
from jianguan.risk import alerts, disposal, intake, routing
from jianguan.risk.models import Alert, AlertStatus, AlertStep, Observation
from tests.risk.world import SCAN, ad, listing, raise_alerts

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender(persona) -> User:
    """The data administrator of the city's 大数据局 sends monitoring data (region 咸宁市)."""
    return persona("dataadmin")


def test_observations_of_one_subject_and_month_make_one_alert_updated_with_each(sender):
    first, second = raise_alerts(sender, ad(advertiser="咸宁某医院"), ad(advertiser="咸宁某医院",
                                                                        text="专治失眠，根 治 不复发"))
    assert first.pk == second.pk and Alert.objects.count() == 1
    alert = Alert.objects.get()
    assert alert.observations.count() == 2 and alert.subject_key == "咸宁某医院" and alert.window == "2026-12"
    quoted = [hit for hit in alert.hits if hit["quote"]]
    assert {hit["observation"] for hit in quoted} == set(alert.observations.values_list("pk", flat=True))
    assert {"根治", "根 治"} <= {hit["quote"] for hit in quoted}
    hit = quoted[0]
    source = Observation.objects.get(pk=hit["observation"])
    assert source.text[hit["start"]:hit["end"]] == hit["quote"] and hit["snapshot_hash"] == source.snapshot_hash
    checks = [hit["rule"] for hit in alert.hits if not hit["quote"] and hit["weight"] == 0]
    assert len(checks) == len(set(checks)) >= 1  # each register check said once, not once per observation
    assert alert.model_version == "2026.12.2" and alert.lexicon_versions and alert.band in {"红", "橙", "黄"}
    verbs = list(AuditEvent.objects.filter(verb__startswith="risk.alert_").values_list("verb", flat=True))
    assert verbs == ["risk.alert_raised", "risk.alert_updated"]


def test_another_month_or_model_is_another_alert(sender):
    january = "2027-01-03T09:00:00+08:00"
    raise_alerts(sender, ad(advertiser="咸宁某医院"), ad(advertiser="咸宁某医院", captured_at=january),
                 listing(seller="咸宁某医院", product_name="华法林钠片"))
    assert sorted(Alert.objects.values_list("model", "window")) == [
        ("drug_sales", "2026-12"), ("medical_ad", "2026-12"), ("medical_ad", "2027-01")]


def test_a_score_raised_by_a_later_observation_raises_the_band_and_never_lowers_it(sender):
    [alert] = raise_alerts(sender, ad(advertiser="某诊所", text="皮肤病 gen治 特效疗法"))
    low = alert.score
    raise_alerts(sender, ad(advertiser="某诊所"), ad(advertiser="某诊所", text="皮肤病 gen治 特效疗法"))
    alert.refresh_from_db()
    assert alert.score >= low and alert.band == routing_band(alert)


def routing_band(alert: Alert) -> str:
    from jianguan.risk import engine

    return next(name for name, floor in engine.model(alert.model).bands if alert.score >= floor)


def test_an_entity_named_by_its_code_is_matched_and_its_county_department_gets_the_alert(sender, xianan_entity):
    [alert] = raise_alerts(sender, ad(entity=xianan_entity.uscc, advertiser="某广告主"))
    assert alert.entity == xianan_entity and alert.subject_key == xianan_entity.uscc
    assert alert.department.name == "咸安区市场监督管理局" and alert.region_id == xianan_entity.region_id
    unknown = "91421200MA4XXXXX0X"
    [other] = raise_alerts(sender, ad(entity=unknown, advertiser="另一广告主"))
    assert other.entity is None and other.subject_key == "另一广告主"


def test_a_text_that_does_not_alert_is_judged_once_and_raises_nothing(sender):
    assert raise_alerts(sender, ad(text="本院地址：咸宁市第一人民医院门诊楼，欢迎咨询")) == []
    assert Observation.objects.get().scanned_at is not None and not Alert.objects.exists()
    assert alerts.observations_scan(actor=SCAN).as_dict() == {"observations": 0, "created": 0, "updated": 0}


def test_the_intake_enqueues_the_scan_when_it_commits(sender, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        intake.observations_receive(actor=sender, items=[ad(advertiser="咸宁某医院")])
    assert Alert.objects.get().subject_key == "咸宁某医院"
    assert Observation.objects.get().scanned_at is not None


FUNDRAISING = {"model": "fundraising", "kind": "web", "name": "咸宁汇富财富管理有限公司",
               "business_scope": "投资咨询；企业管理咨询"}


def test_fundraising_goes_to_the_lead_department_when_one_is_configured(sender):
    lead = Department.objects.filter(kind=DepartmentKind.JR, region_id="421200", is_active=True).first()
    assert lead is not None, "the seed configures the city's 地方金融管理部门"
    [alert] = raise_alerts(sender, ad(**FUNDRAISING, text=None))
    assert alert.department == lead and alert.routing_note == ""


def test_without_a_lead_department_fundraising_goes_to_market_regulation_saying_so(sender):
    Department.objects.filter(kind=DepartmentKind.JR).update(is_active=False)
    [alert] = raise_alerts(sender, ad(**FUNDRAISING, text=None))
    assert alert.department.kind == DepartmentKind.SCJG and alert.routing_note == routing.NO_LEAD


# Verification and disposal --------------------------------------------------------------------------------------

@pytest.fixture
def alert(sender) -> Alert:
    return raise_alerts(sender, ad(advertiser="咸宁某医院"))[0]


def test_the_clock_runs_15_working_days_from_the_alert_and_once_15_more_on_the_heads_approval(alert, persona):
    today = timezone.localdate()
    assert alert.verify_started == today and alert.verify_due == add_working_days(today, 15)
    officer, head = persona("scjg_officer"), persona("scjg_head")
    disposal.alert_transition(actor=officer, alert_id=alert.pk, action="verify")
    with pytest.raises(AccessDenied) as refused:
        disposal.alert_transition(actor=officer, alert_id=alert.pk, action="extend")
    assert refused.value.code == "not_department_head"
    extended = disposal.alert_transition(actor=head, alert_id=alert.pk, action="extend", data={"note": "需调取证据"})
    assert extended.verify_due == add_working_days(add_working_days(today, 15), 15) and extended.extended
    with pytest.raises(ValidationFailed) as again:
        disposal.alert_transition(actor=head, alert_id=alert.pk, action="extend")
    assert again.value.code == "already_extended"


def test_the_clock_counts_working_days_skipping_the_spring_festival_and_counting_its_make_up_saturdays():
    """2026: 春节 holidays 15–23 February, make-up working days Saturday 14 and 28 February."""
    assert alerts.clock_start(dt.date(2026, 2, 10)) == {"verify_started": dt.date(2026, 2, 10),
                                                         "verify_due": dt.date(2026, 3, 9)}


def test_the_officer_reports_and_the_head_transfers_with_the_receiving_body_named(alert, persona):
    officer, head = persona("scjg_officer"), persona("scjg_head")
    disposal.alert_transition(actor=officer, alert_id=alert.pk, action="verify")
    disposal.alert_transition(actor=officer, alert_id=alert.pk, action="report", data={"finding": "涉嫌犯罪"})
    with pytest.raises(ValidationFailed) as missing:
        disposal.alert_transition(actor=head, alert_id=alert.pk, action="transfer")
    assert missing.value.field == "transfer_to" and Alert.objects.get().status == AlertStatus.VERIFYING
    done = disposal.alert_transition(actor=head, alert_id=alert.pk, action="transfer",
                                     data={"transfer_to": "咸宁市公安局"})
    assert done.status == AlertStatus.TRANSFERRED and done.transfer_to == "咸宁市公安局" and done.decided_at
    assert [s.action for s in done.steps.all()] == ["verify", "report", "transfer"]
    assert AuditEvent.objects.filter(verb="risk.alert_transfer").get().payload["new"] == "transferred"
    with pytest.raises(InvalidTransition):
        disposal.alert_transition(actor=officer, alert_id=alert.pk, action="report", data={"finding": "补充"})


def test_people_outside_the_alerts_department_see_nothing_and_officers_of_it_approve_nothing(alert, persona,
                                                                                           outsider):
    for stranger in (outsider, persona("sthj_officer"), persona("xa_scjg_officer")):
        with pytest.raises(NotFound):
            disposal.alert_transition(actor=stranger, alert_id=alert.pk, action="verify")
    with pytest.raises(AccessDenied):
        disposal.alert_transition(actor=persona("legal_reviewer"), alert_id=alert.pk, action="verify")
    assert Alert.objects.get().status == AlertStatus.PENDING and not AlertStep.objects.exists()


def test_an_alert_is_scored_again_from_its_stored_hits_as_it_was_scored(sender):
    [alert] = raise_alerts(sender, ad(text="三个月gen治牛皮癣，全国第一，纯天然"))
    assert {hit["confidence"] for hit in alert.hits if hit["quote"]} == {0.9, 1.0}  # pinyin spelling, as listed
    assert alerts.rescored(alert.model, alert.hits) == (alert.score, alert.band)
    higher, band = alerts.rescored(alert.model, alert.hits, entity_risk=1.5)
    assert abs(higher - alert.score * 1.5) < 0.1 and band == "红"
    assert alerts.rescored(alert.model, alert.hits, entity_risk=0.1)[1] is None
    old = [{key: value for key, value in hit.items() if key != "confidence"} for hit in alert.hits]
    assert alerts.rescored(alert.model, old)[0] > alert.score  # without confidences every hit counts in full
