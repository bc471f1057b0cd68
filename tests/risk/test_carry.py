"""转为案件线索: an alert the head decided 立案 becomes a clue in enforcement (案件来源：风险预警) with the alert's
subject, finding and hits quoted with rule and article, once; only the alert's department's officers and head may."""

from __future__ import annotations

import pytest

from jianguan.audit.models import AuditEvent
from jianguan.core.errors import AccessDenied, InvalidTransition, NotFound
from jianguan.enforcement import registration
from jianguan.enforcement.models import Case, Clue, ClueSource
from jianguan.risk import disposal
from jianguan.risk.models import Alert, AlertStatus, AlertStep
from tests.risk.world import ad, raise_alerts

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(persona) -> Alert:
    return raise_alerts(persona("dataadmin"), ad(advertiser="咸宁某医院"))[0]


def decide(alert: Alert, persona, action: str = "open_case") -> Alert:
    officer, head = persona("scjg_officer"), persona("scjg_head")
    disposal.alert_transition(actor=officer, alert_id=alert.pk, action="verify")
    disposal.alert_transition(actor=officer, alert_id=alert.pk, action="report", data={"finding": "经核查属实"})
    return disposal.alert_transition(actor=head, alert_id=alert.pk, action=action)


def nothing_carried(alert: Alert) -> bool:
    alert.refresh_from_db()
    return (not alert.clue_number and not Clue.objects.exists() and not Case.objects.exists()
            and not AlertStep.objects.filter(action="carry").exists()
            and not AuditEvent.objects.filter(verb__in=["risk.alert_carried", "enforcement.clue_registered"]).exists())


def test_an_alert_decided_case_becomes_a_clue_of_its_department_with_the_hits_quoted(alert, persona):
    decide(alert, persona)
    clue = registration.clue_from_alert(actor=persona("scjg_officer"), alert_id=alert.pk)
    alert.refresh_from_db()
    assert clue.source == ClueSource.RISK_ALERT and clue.source_ref == f"风险预警-{alert.pk}"
    assert clue.department_id == alert.department_id and clue.region_id == alert.region_id
    assert clue.party_name == "咸宁某医院" and clue.received_on == alert.verify_started
    hit = next(h for h in alert.hits if h.get("quote"))
    assert "核查意见：经核查属实" in clue.summary
    assert f"“{hit['quote']}”（{hit['rule']}，{hit['article']}）" in clue.summary
    assert alert.clue_number == clue.number and alert.status == AlertStatus.CASE
    assert alert.steps.get(action="carry").note == f"转为案件线索 {clue.number}"
    assert AuditEvent.objects.get(verb="risk.alert_carried").payload["clue"] == clue.number
    assert AuditEvent.objects.filter(verb="enforcement.clue_registered").count() == 1


def test_a_second_attempt_is_refused_naming_the_clue_and_writes_nothing(alert, persona):
    decide(alert, persona)
    clue = registration.clue_from_alert(actor=persona("scjg_head"), alert_id=alert.pk)
    with pytest.raises(InvalidTransition) as again:
        registration.clue_from_alert(actor=persona("scjg_officer"), alert_id=alert.pk)
    assert again.value.code == "clue_exists" and clue.number in again.value.message
    assert again.value.extra == {"clue": clue.number}
    assert Clue.objects.count() == 1 and AuditEvent.objects.filter(verb="risk.alert_carried").count() == 1


@pytest.mark.parametrize("action", ["unfounded", "minor", None])
def test_only_an_alert_decided_case_is_carried(alert, persona, action):
    if action:
        decide(alert, persona, action)
    with pytest.raises(InvalidTransition) as refused:
        registration.clue_from_alert(actor=persona("scjg_officer"), alert_id=alert.pk)
    assert refused.value.code == "alert_not_case" and nothing_carried(alert)


def test_people_outside_the_department_or_its_roles_are_refused_with_nothing_written(alert, persona, outsider):
    decide(alert, persona)
    for stranger in (outsider, persona("sthj_officer"), persona("xa_scjg_officer")):
        with pytest.raises(NotFound):
            registration.clue_from_alert(actor=stranger, alert_id=alert.pk)
    with pytest.raises(AccessDenied) as refused:
        registration.clue_from_alert(actor=persona("legal_reviewer"), alert_id=alert.pk)
    assert refused.value.code == "not_alert_department" and nothing_carried(alert)


def test_the_alert_page_offers_the_step_and_posts_it_to_enforcement(alert, persona, signed_in):
    client = signed_in(persona("scjg_head"))
    url = f"/risk/alerts/{alert.pk}/"
    assert "/clue/" not in client.get(url).content.decode()
    decide(alert, persona)
    page = client.get(url).content.decode()
    assert f'action="/risk/alerts/{alert.pk}/clue/"' in page and "转为案件线索" in page
    done = client.post(f"/risk/alerts/{alert.pk}/clue/", follow=True).content.decode()
    clue = Clue.objects.get()
    assert f"线索编号 {clue.number}" in done and 'data-testid="alert-clue"' in done
    assert f'action="/risk/alerts/{alert.pk}/clue/"' not in done
    again = client.post(f"/risk/alerts/{alert.pk}/clue/", follow=True).content.decode()
    assert "clue_exists" in again and Clue.objects.count() == 1


def test_the_page_step_is_refused_to_outsiders_and_other_roles(alert, persona, signed_in, outsider):
    decide(alert, persona)
    url = f"/risk/alerts/{alert.pk}/clue/"
    assert signed_in(outsider).post(url).status_code == 404
    assert signed_in(persona("leader")).post(url).status_code == 403
    assert nothing_carried(alert)


def test_the_api_registers_the_clue_once(alert, persona, api):
    decide(alert, persona)
    client = api(persona("scjg_officer"))
    url = f"/api/v1/enforcement/risk-alerts/{alert.pk}/clue"
    created = client.post(url)
    assert created.status_code == 201, created.content
    case = Case.objects.get()
    assert created.json()["case"]["number"] == case.number and case.source == ClueSource.RISK_ALERT
    again = client.post(url)
    assert again.status_code == 409 and again.json()["extra"]["clue"] == Clue.objects.get().number
    assert api(persona("xa_scjg_officer")).post(url).status_code == 404


def test_the_consistency_check_names_an_alert_whose_clue_is_not_its_own(alert, persona):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    decide(alert, persona)
    clue = registration.clue_from_alert(actor=persona("scjg_officer"), alert_id=alert.pk)
    call_command("consistency", stdout=io.StringIO())  # consistent so far
    Clue.objects.filter(pk=clue.pk).update(source_ref="风险预警-0")
    out = io.StringIO()
    with pytest.raises(CommandError, match="发现 1 处不一致"):
        call_command("consistency", stdout=out)
    assert f"风险预警 #{alert.pk} 记载的案件线索 {clue.number} 不存在或不是由该预警登记" in out.getvalue()
