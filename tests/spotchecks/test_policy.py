"""差异化监管 (issue 17 item 3): the policy as versioned rows and its rules on both sides of each bound, tasks taking
their strata from it, "无事不扰" (A-class entities in the routine pool only when something points at them, a random
control sample of the others), the preview before the draw, the key-supervision list and who may edit the policy."""

from __future__ import annotations

import datetime as dt
from copy import deepcopy

import pytest

from jianguan.audit.models import AuditEvent
from jianguan.complaints.models import Complaint
from jianguan.complaints.services import complaint_receive
from jianguan.core.actors import SystemActor
from jianguan.core.errors import ValidationFailed
from jianguan.credit import contracts as credit
from jianguan.spotchecks import drawing, policy, pools, protocol, task_setup
from jianguan.spotchecks.models import SupervisionPolicy
from jianguan.subjects.models import MarketEntity
from tests.credit.world import TODAY
from tests.spotcheck_fixtures import MOMENT, VALUE, WINDOW, _witness

pytestmark = pytest.mark.django_db

RULES = deepcopy(policy.DEFAULT_RULES)


def _create(persona, **changes):
    values = {"effective_from": TODAY, "rules": deepcopy(RULES), "control_share": "0.01", "lookback_days": 365,
              "note": "市局 2027 年试行", **changes}
    return policy.policy_create(actor=persona("dataadmin"), **values)


def _refused(persona, code: str, **changes) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _create(persona, **changes)
    assert refused.value.code == code
    assert not SupervisionPolicy.objects.exists()


def _rules(name: str, key: str, value: str) -> dict:
    rules = deepcopy(RULES)
    rules[name][key] = value
    return rules


def test_the_built_in_policy_holds_until_a_version_takes_effect(today, persona):
    assert policy.policy_in_force(TODAY) is policy.DEFAULT
    later = TODAY + dt.timedelta(days=30)
    row = _create(persona, effective_from=later, rules=_rules("D", "ratio", "0.3"))
    assert policy.policy_in_force(later - dt.timedelta(days=1)) is policy.DEFAULT
    assert policy.policy_in_force(later).rules["D"]["ratio"] == "0.3"
    assert policy.policy_in_force(later).strata()["AC"] == {"ratio": "0.01"}
    event = AuditEvent.objects.get(verb="spotchecks.policy_created")
    assert event.target_id == str(row.pk) and event.payload["rules"]["D"]["ratio"] == "0.3"
    assert event.actor_id == str(persona("dataadmin").pk)


def test_a_version_takes_effect_today_or_later_never_before(today, persona):
    _refused(persona, "effective_past", effective_from=TODAY - dt.timedelta(days=1))
    assert _create(persona, effective_from=TODAY).effective_from == TODAY
    with pytest.raises(ValidationFailed) as refused:
        _create(persona, effective_from=TODAY)
    assert refused.value.code == "policy_exists"


@pytest.mark.parametrize(("rules", "code"), [
    (_rules("A", "ratio", "0.06"), "ratio_outside_bounds"),  # above A's upper bound 0.05
    (_rules("A", "ratio", "0.009"), "ratio_outside_bounds"),  # below A's lower bound 0.01
    (_rules("D", "max", "1.01"), "number_out_of_range"),
    (_rules("B", "per_year", "-1"), "number_out_of_range"),
    (_rules("B", "ratio", "x"), "number_out_of_range"),
    (_rules("C", "per_year", "0.9"), "not_rising"),  # C checked less often than B (1)
    ({**RULES, "A": None}, "number_out_of_range"),
    ({k: v for k, v in RULES.items() if k != "D"}, "classes_required"),
])
def test_a_policy_that_breaks_a_rule_is_refused_naming_it(today, persona, rules, code):
    _refused(persona, code, rules=rules)


@pytest.mark.parametrize("rules", [_rules("A", "ratio", "0.05"), _rules("A", "ratio", "0.01"),
                                   _rules("C", "per_year", "1")])  # on the bound: accepted
def test_a_policy_on_its_bounds_is_accepted(today, persona, rules):
    assert _create(persona, rules=rules).rules == rules


def test_the_control_share_and_the_look_back_have_bounds(today, persona):
    _refused(persona, "control_share_invalid", control_share="0")
    _refused(persona, "control_share_invalid", control_share="0.051")  # above A's upper bound
    _refused(persona, "lookback_invalid", lookback_days=0)
    _refused(persona, "lookback_invalid", lookback_days=1096)
    _refused(persona, "required", note=" ")
    assert _create(persona, control_share="0.05", lookback_days=1095).lookback_days == 1095
    assert _create(persona, effective_from=TODAY + dt.timedelta(days=1), lookback_days=1).lookback_days == 1


def _task(persona, food_task, **changes):
    values = {"plan_id": food_task.plan_id, "name": "按信用风险分类抽查", "items": food_task.items,
              "window_start": WINDOW[0], "window_end": WINDOW[1], "max_objects_per_inspector": 50, **changes}
    return task_setup.task_create(actor=persona("scjg_admin"), **values)


def test_with_a_classification_in_force_a_task_takes_the_policys_strata(published, food_task, persona):
    task = _task(persona, food_task)
    assert task.strata == {"A": {"ratio": "0.03"}, "B": {"ratio": "0.05"}, "C": {"ratio": "0.1"},
                           "D": {"ratio": "0.2"}, "AC": {"ratio": "0.01"}}


@pytest.mark.parametrize(("strata", "code"), [
    ({"A": {"ratio": "0.051"}}, "ratio_outside_policy"), ({"A": {"ratio": "0.0099"}}, "ratio_outside_policy"),
    ({"D": {"ratio": "0.19"}}, "ratio_outside_policy"), ({"AC": {"ratio": "0.5"}}, "control_fixed"),
])
def test_a_tasks_own_ratios_keep_the_policys_bounds(food_task, persona, strata, code):
    with pytest.raises(ValidationFailed) as refused:
        _task(persona, food_task, strata=strata)
    assert refused.value.code == code


@pytest.mark.parametrize("strata", [{"A": {"ratio": "0.05"}}, {"A": {"ratio": "0.01"}}, {"D": {"ratio": "1"}},
                                    {"C": {"count": 500}}, {"ALL": {"ratio": "0.2"}}])
def test_a_tasks_own_ratios_on_the_bounds_are_kept(food_task, persona, strata):
    task = _task(persona, food_task, strata=strata)
    assert task.strata == (strata if "ALL" in strata else {**strata, "AC": {"ratio": "0.01"}})


def _complain(entity: MarketEntity, day: dt.date) -> None:
    complaint = complaint_receive(actor=SystemActor("test"), channel="portal", values={
        "category": "food", "subject_uscc": entity.uscc, "content": "该店销售过期食品请处理"})
    Complaint.objects.filter(pk=complaint.pk).update(
        received_at=dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC))


def test_a_class_entities_join_the_routine_pool_only_when_pointed_at(published, food_task, persona):
    """无事不扰: an A-class entity complained about within the look-back (365 days before the window, the first
    day included) is in stratum A; one complained about the day before is in the control stratum AC like the
    others; the class is the classification's, not the entity's recorded column."""
    task = _task(persona, food_task)
    pool, _ = pools.stratified(task)
    letters = credit.class_letters(MarketEntity.objects.values_list("pk", flat=True))
    a_class = {e.uscc for e in MarketEntity.objects.filter(pk__in=[pk for pk, x in letters.items() if x == "A"])}
    assert pool["AC"] and set(pool["AC"]) | set(pool["A"]) <= a_class
    inside, outside, relabelled = MarketEntity.objects.filter(uscc__in=pool["AC"]).order_by("uscc")[:3]
    _complain(inside, WINDOW[0] - dt.timedelta(days=365))
    _complain(outside, WINDOW[0] - dt.timedelta(days=366))
    MarketEntity.objects.filter(pk=relabelled.pk).update(risk_class="D")
    pool, _ = pools.stratified(task)
    assert inside.uscc in pool["A"] and inside.uscc not in pool["AC"] and outside.uscc not in pool["A"]
    assert outside.uscc in pool["AC"] and relabelled.uscc in pool["AC"] and relabelled.uscc not in pool["D"]
    assert set(pool["AC"]) | set(pool["A"]) <= a_class


def test_the_task_shows_each_strata_pool_count_and_probability_before_the_draw(published, food_task, persona,
                                                                                signed_in):
    task = _task(persona, food_task)
    shown = {row["stratum"]: row for row in pools.preview(task)}
    pool, _ = pools.stratified(task)
    for name, ids in pool.items():
        assert shown[name]["size"] == len(ids)
        assert shown[name]["drawn"] == protocol.counts(task.strata, pool)[name]
        assert shown[name]["probability"] == (shown[name]["drawn"] / len(ids) if ids else None)
    page = signed_in(persona("scjg_admin")).get(f"/spotchecks/tasks/{task.pk}/").content.decode()
    assert 'data-testid="preview"' in page and "A 类对照样本" in page


def test_a_draw_by_class_stays_verifiable_and_its_public_record_never_shows_a_class(published, food_task, persona,
                                                                                     api, client, signed_in):
    task = _task(persona, food_task)
    task_setup.task_publish(actor=persona("scjg_admin"), task_id=task.pk)
    draw = drawing.draw_commit(actor=persona("scjg_admin"), task_id=task.pk, beacon=_witness(), now=MOMENT)
    draw = drawing.draw_reveal(actor=persona("scjg_admin"), draw_id=draw.pk, beacon_value=VALUE,
                               now=MOMENT + dt.timedelta(minutes=1))
    assert set(draw.result["selected"]) == {"A", "AC", "B", "C", "D"}
    full = drawing.transcript(draw)
    assert protocol.verify(full) == []
    assert {r.stratum for r in draw.results.all()} <= {"A", "AC", "B", "C", "D"}
    # 一公开 without the class (国市监信发〔2022〕6号): the page's file and the API's answer to anyone are the
    # blinded public form, which still verifies as far as it goes
    body = client.get(f"/public/spotchecks/draws/{draw.pk}/transcript.json").content
    assert body == api().get(f"/api/v1/spotchecks/draws/{draw.pk}/transcript").content
    assert body == drawing.public_transcript_bytes(draw) == protocol.canonical(protocol.public_form(full))
    text = body.decode()
    assert all(f'"{name}"' not in text for name in full["strata"]) and '"strata"' not in text
    assert '"pool"' not in text and '"selected"' not in text and '"object_regions"' not in text
    public = protocol.verify(protocol.public_form(full))
    assert public == [] and protocol.public_form(full)["result"]["drawn"] == sorted(
        i for ids in full["result"]["selected"].values() for i in ids)
    page = client.get(f"/public/spotchecks/tasks/{task.pk}/").content.decode()
    assert draw.commitment in page and 'data-testid="blinded-howto"' in page
    assert "AC" not in page and not any(f"{letter} 类" in page for letter in "ABCD")
    internal = signed_in(persona("scjg_admin")).get(f"/spotchecks/tasks/{task.pk}/").content.decode()
    assert "AC：" in internal and "<td data-label=\"层\">AC</td>" in internal  # its own department's page may


def test_the_key_supervision_list_holds_the_class_d_entities_of_the_readers_jurisdiction(published, persona,
                                                                                          signed_in):
    letters = credit.class_letters(MarketEntity.objects.values_list("pk", flat=True))
    d_class = MarketEntity.objects.filter(pk__in=[pk for pk, letter in letters.items() if letter == "D"],
                                          status="active")
    assert d_class.exists()
    page = signed_in(persona("scjg_officer")).get("/spotchecks/key-supervision/?page=1")
    assert page.status_code == 200
    shown = page.content.decode()
    assert all(e.uscc in shown for e in d_class.order_by("uscc")[:50])
    county = persona("xa_scjg_officer")
    outside = d_class.exclude(region__path__startswith=county.department.region.path).first()
    assert outside is not None
    assert outside.uscc not in signed_in(county).get("/spotchecks/key-supervision/").content.decode()
    assert signed_in(persona("sthj_officer")).get("/spotchecks/key-supervision/").status_code == 200


@pytest.mark.parametrize("username", ["leader", "scjg_officer", "scjg_head", "scjg_admin"])
def test_only_data_and_system_administrators_add_a_policy(today, persona, signed_in, username):
    form = {"effective_from": TODAY.isoformat(), "control_share": "0.01", "lookback_days": "365", "note": "试行",
            **{f"{n}_{k}": v for n, rule in RULES.items() for k, v in rule.items()}}
    assert signed_in(persona(username)).post("/spotchecks/policy/", form).status_code == 403
    assert not SupervisionPolicy.objects.exists()
    assert signed_in(persona("dataadmin")).post("/spotchecks/policy/", form).status_code == 302
    assert SupervisionPolicy.objects.get().created_by.username == "dataadmin"
    assert "0.01" in signed_in(persona(username)).get("/spotchecks/policy/").content.decode()
