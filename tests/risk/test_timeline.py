"""风险预警 in the entity's information chain: an alert about an entity (routed to its county's 市场监管局) shows in
the entity's chain to that department, the city bureau above it and the leaders, with the clue it became; an
officer of another line does not see it."""

from __future__ import annotations

import pytest

from jianguan.accounts.models import Role, User
from jianguan.chain.selectors import chain_get
from jianguan.enforcement import registration
from jianguan.risk import disposal
from tests.risk.world import ad, raise_alerts

pytestmark = pytest.mark.django_db


@pytest.fixture
def entity_alert(persona, xianan_entity):
    alert = raise_alerts(persona("dataadmin"), ad(entity=xianan_entity.uscc, advertiser=xianan_entity.name))[0]
    assert alert.department_id == persona("xa_scjg_officer").department_id
    return alert


def risk_entries(reader, uscc: str):
    return [entry for entry in chain_get(reader=reader, uscc=uscc).entries if entry.kind == "risk_alert"]


def test_the_alert_shows_in_its_entitys_chain_to_its_department_and_the_leaders(entity_alert, persona,
                                                                                  xianan_entity):
    [entry] = risk_entries(persona("xa_scjg_officer"), xianan_entity.uscc)
    assert entry.title == f"虚假医疗广告（{entity_alert.window}）"
    assert entry.url.endswith(f"/risk/alerts/{entity_alert.pk}/") and entry.department == "咸安区市场监督管理局"
    assert entry.detail.startswith(f"{entity_alert.band}色预警") and "待分派" in entry.detail
    assert len(risk_entries(persona("leader"), xianan_entity.uscc)) == 1
    assert len(risk_entries(persona("scjg_officer"), xianan_entity.uscc)) == 1


def test_the_entry_names_the_clue_the_alert_became(entity_alert, persona, xianan_entity):
    officer = persona("xa_scjg_officer")
    head = User.objects.create(username="xa_scjg_head_t", department=officer.department)
    head.role_grants.create(role=Role.HEAD)
    disposal.alert_transition(actor=officer, alert_id=entity_alert.pk, action="verify")
    disposal.alert_transition(actor=officer, alert_id=entity_alert.pk, action="report", data={"finding": "属实"})
    disposal.alert_transition(actor=head, alert_id=entity_alert.pk, action="open_case")
    clue = registration.clue_from_alert(actor=officer, alert_id=entity_alert.pk)
    [entry] = risk_entries(officer, xianan_entity.uscc)
    assert f"立案，案件线索 {clue.number}" in entry.detail


def test_an_officer_of_another_line_does_not_see_the_alert(entity_alert, persona, xianan_entity):
    assert risk_entries(persona("sthj_officer"), xianan_entity.uscc) == []


def test_the_alert_page_shows_the_entitys_chain_beside_it(entity_alert, persona, signed_in, xianan_entity):
    """The alert page asks the chain for its timeline (htmx, on load); that part lists the alert itself."""
    client = signed_in(persona("xa_scjg_officer"))
    page = client.get(f"/risk/alerts/{entity_alert.pk}/").content.decode()
    assert f'hx-get="/subjects/{xianan_entity.uscc}/"' in page
    timeline = client.get(f"/subjects/{xianan_entity.uscc}/", HTTP_HX_REQUEST="true").content.decode()
    assert f"/risk/alerts/{entity_alert.pk}/" in timeline and "<html" not in timeline
