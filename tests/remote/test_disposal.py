"""From alarm to supervision: 提醒告诫, a 非现场检查 recorded as a 行政检查 citing the readings, an on-site task, a
clue, a false alarm; in the entity's chain; never counted as a visit; refused to the wrong people."""

from __future__ import annotations

import pytest
from django.utils import timezone

from jianguan.behaviour.models import Inspection
from jianguan.chain.selectors import chain_get
from jianguan.core.errors import AccessDenied, InvalidTransition, NotFound, ValidationFailed
from jianguan.inspections.contracts import for_origin
from jianguan.joint.ledger import ledger_of
from jianguan.remote import alarms, disposal
from jianguan.remote.models import AlarmState, Disposal, DisposalStatus
from tests.remote.world import NOW, hourly, put

pytestmark = pytest.mark.django_db
COLLEAGUE = "scjg_421200_01"


@pytest.fixture
def alarm(point):
    put(point.code, hourly([150, 150, 150]))
    alarms.evaluate_point(point_id=point.pk, as_of=NOW)
    return AlarmState.objects.get(point=point, rule="cod_over_limit")


def step(actor, alarm, action, **data):
    return disposal.alarm_transition(actor=actor, alarm_id=alarm.pk, action=action, data=data)


def test_a_remote_check_is_a_non_on_site_inspection_citing_the_readings(alarm, officer, xianan_entity):
    step(officer, alarm, "notify", notice="告诫", note="请于三日内说明超标原因")
    made = step(officer, alarm, "remote_check", result="发现问题", colleague=COLLEAGUE)
    inspection = Inspection.objects.get(number=made.inspection_number)
    assert (inspection.category, inspection.method, inspection.entity_id) == ("2", "非现场", xianan_entity.pk)
    assert inspection.implementation_code == alarm.point.implementation_code
    cited = inspection.raw["evidence"]
    assert len(cited) == 3 and all(len(c["sha256"]) == 64 for c in cited)
    assert cited == AlarmState.objects.get(pk=alarm.pk).evidence
    alarm.refresh_from_db()
    assert alarm.disposal == DisposalStatus.CHECKED
    assert [s.action for s in alarm.steps.all()] == ["opened", "disposal_notify", "disposal_remote_check"]


def test_the_burden_ledger_counts_no_visit_for_a_remote_check(alarm, officer, xianan_entity):
    step(officer, alarm, "remote_check", result="未发现问题", colleague=COLLEAGUE)
    assert Inspection.objects.filter(entity=xianan_entity, category="2").count() == 1
    assert ledger_of(xianan_entity.pk, timezone.localdate().year).count == 0


def test_the_entitys_chain_shows_the_alarm_and_the_remote_check(alarm, officer, xianan_entity):
    made = step(officer, alarm, "remote_check", result="发现问题", colleague=COLLEAGUE)
    entries = chain_get(reader=officer, uscc=xianan_entity.uscc).entries
    kinds = {e.kind: e for e in entries}
    assert "化学需氧量持续超标" in kinds["remote_alarm"].title
    check = kinds["remote_disposal"]
    assert check.title.startswith("非现场检查") and made.inspection_number in check.detail
    assert [i.ref for i in check.items] == [f"inspection:{made.inspection_number}"]  # the record shows beneath it
    assert not any(e.kind.startswith("remote") for e in chain_get(reader=_other_line(), uscc=xianan_entity.uscc
                                                                   ).entries)


def _other_line():
    from jianguan.accounts.models import User

    return User.objects.get(username="sthj_officer")  # 生态环境局 of the city: sees the entity, not this alarm


def test_a_clue_follows_a_remote_check(alarm, officer):
    with pytest.raises(InvalidTransition):
        step(officer, alarm, "clue")  # a clue rests on a check
    step(officer, alarm, "remote_check", result="发现问题", colleague=COLLEAGUE)
    made = step(officer, alarm, "clue")
    assert made.clue_number.startswith("XS")
    assert AlarmState.objects.get(pk=alarm.pk).disposal == DisposalStatus.CLUE


def test_an_on_site_task_is_assigned_to_two_officers(alarm, officer):
    step(officer, alarm, "onsite", officers=["scjg_officer", COLLEAGUE])
    [card] = for_origin(origin_kind="remote_alarm", origin_ref=f"{alarm.pk}/{alarm.episode}")
    assert set(card.officers) == {"scjg_officer", COLLEAGUE}


@pytest.mark.parametrize(("data", "code"), [({"result": "发现问题"}, "required"),
                                            ({"result": "发现问题", "colleague": "scjg_officer"}, "colleague_invalid"),
                                            ({"colleague": COLLEAGUE}, "required")])
def test_a_bad_remote_check_is_refused_and_nothing_is_stored(alarm, officer, data, code):
    with pytest.raises(ValidationFailed) as refused:
        step(officer, alarm, "remote_check", **data)
    assert refused.value.code == code and refused.value.field
    assert not Disposal.objects.exists() and not Inspection.objects.filter(category="2").exists()
    assert AlarmState.objects.get(pk=alarm.pk).disposal == DisposalStatus.PENDING


def test_wrong_people_are_refused(alarm, persona, outsider):
    with pytest.raises(NotFound):
        step(outsider, alarm, "notify", notice="提醒", note="x")
    with pytest.raises(AccessDenied):
        step(persona("leader"), alarm, "notify", notice="提醒", note="x")
    with pytest.raises(AccessDenied):
        step(persona("scjg_officer"), alarm, "dismiss", note="设备校准")  # a false alarm is the head's call
    step(persona("scjg_head"), alarm, "dismiss", note="设备校准期间的数据")
    assert AlarmState.objects.get(pk=alarm.pk).disposal == DisposalStatus.DISMISSED


def test_a_cleared_alarm_takes_no_notice(alarm, officer):
    AlarmState.objects.filter(pk=alarm.pk).update(level=0)
    with pytest.raises(InvalidTransition):
        step(officer, alarm, "notify", notice="提醒", note="x")
