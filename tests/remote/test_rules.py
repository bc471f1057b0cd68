"""Each kind of alarm rule, as data and as evaluated over stored readings; open, escalate, step down and clear."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from jianguan.core.errors import ValidationFailed
from jianguan.remote import alarms, rules, services
from jianguan.remote.models import AlarmState, AlarmStep
from jianguan.remote.rules import RULES_DIR
from tests.remote.world import COD, NOW, SYSTEM, hourly, put, register, send

pytestmark = pytest.mark.django_db


def level(point, rule):
    state = AlarmState.objects.filter(point=point, rule=rule).first()
    return state.level if state else 0


def evaluate(point, at=NOW):
    return alarms.evaluate_point(point_id=point.pk, as_of=at)


def test_every_rule_file_of_the_repository_is_valid():
    files = sorted(RULES_DIR.glob("*.json"))
    assert {f.stem for f in files} >= {"pollution", "cold_chain", "kitchen_video"}
    for path in files:
        kind, version, checked = rules.check_file(json.loads(path.read_text(encoding="utf-8")))
        assert kind == path.stem and version and checked
        assert all(r.citation for r in checked)


@pytest.mark.parametrize(("rule", "code", "where"), [
    ({"id": "x", "type": "threshold", "title": "t", "severity": 1, "citation": "c", "factor": COD, "minutes": 60,
      "minuts": 5}, "rule_unknown_field", "rules[0].minuts"),
    ({"id": "x", "type": "threshold", "title": "t", "severity": 1, "citation": "c", "factor": COD},
     "rule_field_missing", "rules[0].minutes"),
    ({"id": "x", "type": "teleport", "title": "t", "severity": 1, "citation": "c"}, "rule_type_unknown",
     "rules[0].type"),
    ({"id": "x", "type": "missing", "title": "t", "severity": 1, "citation": "c", "intervals": "3"},
     "rule_field_invalid", "rules[0].intervals"),
    ({"id": "x", "type": "missing", "title": "t", "severity": 7, "citation": "c", "intervals": 3},
     "rule_field_invalid", "rules[0].severity"),
])
def test_a_bad_rule_is_refused_naming_the_field(rule, code, where):
    with pytest.raises(ValidationFailed) as refused:
        rules.check_file({"kind": "pollution", "version": "1", "rules": [rule]})
    assert (refused.value.code, refused.value.field) == (code, where)
    assert refused.value.message


def test_cod_above_the_limit_for_two_hours_opens_escalates_steps_down_and_clears(point):
    put(point.code, hourly([150], start=NOW - dt.timedelta(hours=8)))
    evaluate(point, NOW - dt.timedelta(hours=8))
    assert level(point, "cod_over_limit") == 0  # one hour above the limit is not yet two
    put(point.code, hourly([150, 150, 150, 150, 150, 150], start=NOW - dt.timedelta(hours=7)))
    evaluate(point, NOW - dt.timedelta(hours=7))
    assert level(point, "cod_over_limit") == 2  # two consecutive hours: 告诫
    evaluate(point, NOW - dt.timedelta(hours=2))
    assert level(point, "cod_over_limit") == 3  # six hours: escalated
    put(point.code, hourly([50], start=NOW - dt.timedelta(hours=1)))
    evaluate(point, NOW - dt.timedelta(hours=1))
    assert level(point, "cod_over_limit") == 0
    state = AlarmState.objects.get(point=point, rule="cod_over_limit")
    assert [s.action for s in state.steps.all()] == ["opened", "escalated", "cleared"]
    assert state.episode == 1 and state.version == 3
    opened = state.steps.first()
    assert opened.data["evidence"][0]["sha256"] and opened.data["citation"].startswith("排污许可证")


def test_repeated_exceedance_within_a_window_and_its_step_down(point):
    put(point.code, hourly([150, 50, 150, 50, 150, 50]))
    evaluate(point)
    assert level(point, "cod_repeated") == 1
    assert level(point, "cod_over_limit") == 0  # never two hours in a row


def test_a_sudden_change_opens_a_rate_alarm(point):
    put(point.code, hourly([20, 30, 400], start=NOW - dt.timedelta(hours=3)))
    evaluate(point, NOW - dt.timedelta(hours=1))
    assert level(point, "cod_jump") == 1
    put(point.code, hourly([390]))
    evaluate(point)
    assert level(point, "cod_jump") == 0


def test_missing_data_opens_an_offline_alarm_after_n_intervals(point):
    put(point.code, hourly([50]))
    evaluate(point, NOW + dt.timedelta(hours=3))
    assert level(point, "offline") == 0  # three intervals: not more than three
    evaluate(point, NOW + dt.timedelta(hours=4))
    assert level(point, "offline") == 1
    evaluate(point, NOW + dt.timedelta(hours=30))
    assert level(point, "offline") == 2  # escalated after 24 intervals


def test_device_fault_flags_open_a_quality_alarm(point):
    put(point.code, hourly([50, 50, 50], flag="D"))
    evaluate(point)
    assert level(point, "device_fault") == 1


def test_a_flat_line_for_hours_opens_a_falsification_alarm(point):
    put(point.code, hourly([42.0, 42.05, 42.0, 42.02, 42.0, 42.01, 42.0], start=NOW - dt.timedelta(hours=8)))
    evaluate(point, NOW - dt.timedelta(hours=2))
    assert level(point, "cod_flat") == 2
    put(point.code, hourly([55.0], start=NOW - dt.timedelta(hours=1)))
    evaluate(point, NOW - dt.timedelta(hours=1))
    assert level(point, "cod_flat") == 0


def test_a_sudden_drop_while_an_inspection_is_announced(point):
    base = NOW - dt.timedelta(days=3)
    put(point.code, hourly([80] * 24, start=base))
    put(point.code, hourly([20, 20, 20]))
    evaluate(point)
    assert level(point, "cod_drop_announced") == 0  # no inspection announced: a drop is no alarm
    services.announced_record(actor=SYSTEM, point=point, starts_on=(NOW - dt.timedelta(hours=2)).date(),
                              ends_on=NOW.date() + dt.timedelta(days=3))
    evaluate(point)
    assert level(point, "cod_drop_announced") == 2


def test_video_events_open_and_escalate(small_catalog, xianan_entity):
    kitchen = register(xianan_entity, code="CAM01", kind="kitchen_video", password="")
    put(kitchen.code, hourly([1], code="rodent", period="event", unit=""), password=None)
    evaluate(kitchen)
    assert level(kitchen, "rodent") == 2
    put(kitchen.code, hourly([1, 1], code="no_hat", period="event", unit="") + hourly(
        [1], code="no_mask", period="event", unit="", start=NOW - dt.timedelta(minutes=30)), password=None)
    evaluate(kitchen)
    assert level(kitchen, "hygiene") == 1


def test_cold_chain_temperature_out_of_range(small_catalog, xianan_entity):
    fridge = register(xianan_entity, code="COLD01", kind="cold_chain", interval=60)
    minutes = tuple(r.__class__(code="temp", at=NOW - dt.timedelta(minutes=40 - i), value=r.value, period="min",
                                unit="℃") for i, r in enumerate(hourly([12] * 40, code="temp", unit="℃")))
    put(fridge.code, minutes)
    evaluate(fridge)
    assert level(fridge, "temp_high") == 1


def test_evaluating_the_same_readings_twice_changes_nothing(point):
    put(point.code, hourly([150, 150, 150]))
    first = evaluate(point)
    again = evaluate(point)
    send(point.code, hourly([150, 150, 150]))  # delivered again, through the sink
    evaluate(point)
    assert any(c.rule == "cod_over_limit" for c in first) and again == []
    assert AlarmState.objects.filter(point=point, rule="cod_over_limit").count() == 1
    assert AlarmStep.objects.filter(alarm__point=point, alarm__rule="cod_over_limit").count() == 1


def test_a_closed_rule_is_touched_only_by_a_reading_that_can_raise_it():
    by_id = {r.id: r for r in rules.rules_for("pollution")}
    limits = {COD: (None, Decimal(100))}

    def sample(value, *, code=COD, period="hour", flag="N"):
        return rules.Sample(code, NOW, period, Decimal(value), flag)

    assert rules.reads(by_id["cod_over_limit"], sample(150), limits)
    assert not rules.reads(by_id["cod_over_limit"], sample(50), limits)  # within the limit: cannot open it
    assert not rules.reads(by_id["cod_over_limit"], sample(150, period="min"), limits)  # the rule reads hours
    assert rules.reads(by_id["cod_jump"], sample(50), limits)
    assert not rules.reads(by_id["offline"], sample(50), limits)  # a reading only shortens the silence
    assert rules.reads(by_id["device_fault"], sample(50, flag="D"), limits)
    assert not rules.reads(by_id["device_fault"], sample(50), limits)


def test_the_silence_sweep_opens_the_offline_alarm_of_a_point_no_reading_reaches(point):
    put(point.code, hourly([50]))
    assert alarms.silence_sweep(as_of=NOW + dt.timedelta(hours=3)) == [] and level(point, "offline") == 0
    opened = alarms.silence_sweep(as_of=NOW + dt.timedelta(hours=4))
    assert [(c.rule, c.new) for c in opened] == [("offline", 1)]
    assert level(point, "offline") == 1
    assert alarms.silence_sweep(as_of=NOW + dt.timedelta(hours=4)) == []  # the same moment again: nothing moves
    point.active = False
    point.save(update_fields=["active"])
    assert alarms.silence_sweep(as_of=NOW + dt.timedelta(hours=30)) == [] and level(point, "offline") == 1
