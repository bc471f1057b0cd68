"""Manual adjustments of the credit-risk class (ADR 0041): proposed by an officer with reason and evidence, approved
by the head of the proposer's department (never the proposer), in force over the computed class until they expire
or are withdrawn, across re-runs; every refusal names its field; the entity page and the internal API show them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.audit.models import AuditEvent
from jianguan.core.errors import AccessDenied, InvalidTransition, NotFound, ValidationFailed
from jianguan.credit import adjustments, classification, contracts
from jianguan.credit.models import AdjustmentStatus, ClassAdjustment
from jianguan.subjects.models import MarketEntity
from tests.credit.world import SYSTEM
from tests.exchange_fixtures import system_client

pytestmark = pytest.mark.django_db


def propose(actor, entity, target="A", **changes):
    values = {"uscc": entity.uscc, "target_class": target, "reason": "已完成整改，经现场核实经营正常",
              "evidence_note": "现场核查笔录 JC-2026-1", **changes}
    return adjustments.adjustment_propose(actor=actor, **values)


@pytest.fixture
def adjusted(published, risky, officer, head):
    """Entity 45 (on the 严重违法失信名单, computed D) adjusted to C, approved by the head."""
    proposal = propose(officer, risky[45], "C")
    return adjustments.adjustment_transition(actor=head, adjustment_id=proposal.pk, action="approve",
                                             opinion="同意")


def test_an_approved_adjustment_overrides_the_computed_class_everywhere_it_is_read(adjusted, risky, published):
    entity = risky[45]
    card = contracts.entity_class(entity.uscc)
    assert (card.risk_class, card.computed_class) == ("C", "D")
    assert card.adjustment.id == adjusted.pk and card.adjustment.approved_by == "何建华"
    assert contracts.classes_of([entity.pk, risky[0].pk])[entity.pk].risk_class == "C"
    assert contracts.classes_of([risky[0].pk])[risky[0].pk].adjustment is None
    assert MarketEntity.objects.get(pk=entity.pk).risk_class == "C"
    assert adjusted.status == AdjustmentStatus.APPROVED and adjusted.computed_class == "D"
    assert adjusted.run_number == published.number
    verbs = set(AuditEvent.objects.filter(verb__startswith="credit.adjustment").values_list("verb", flat=True))
    assert verbs == {"credit.adjustment_proposed", "credit.adjustment_approved"}
    # the spot checks' strata and the key-supervision list read the adjusted class too
    assert contracts.class_letters([entity.pk, risky[0].pk])[entity.pk] == "C"
    assert entity.pk in contracts.class_members("C") and entity.pk not in contracts.class_members("D")


def test_a_proposal_changes_nothing_until_approved(published, risky, officer):
    propose(officer, risky[45], "C")
    assert contracts.entity_class(risky[45].uscc).risk_class == "D"
    assert MarketEntity.objects.get(pk=risky[45].pk).risk_class == "D"


def rerun(head):
    run = classification.run_start(actor=SYSTEM)
    classification.run_execute(run_id=run.pk, actor=SYSTEM)
    return classification.run_publish(run_id=run.pk, actor=head)


def test_an_adjustment_survives_a_new_run_until_it_expires(adjusted, risky, head, monkeypatch, today):
    run = rerun(head)
    card = contracts.entity_class(risky[45].uscc)
    assert (card.run_number, card.risk_class, card.computed_class) == (run.number, "C", "D")
    assert MarketEntity.objects.get(pk=risky[45].pk).risk_class == "C"
    later = adjusted.expires_on + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)
    card = contracts.entity_class(risky[45].uscc)
    assert (card.risk_class, card.adjustment) == ("D", None)  # read as expired before the step is recorded
    rerun(head)
    assert ClassAdjustment.objects.get(pk=adjusted.pk).status == AdjustmentStatus.EXPIRED
    assert MarketEntity.objects.get(pk=risky[45].pk).risk_class == "D"


def test_the_system_task_ends_adjustments_past_their_expiry(adjusted, risky, monkeypatch):
    from jianguan.credit import tasks

    assert tasks.adjustments_expire.call() == 0
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: adjusted.expires_on + dt.timedelta(days=1))
    assert tasks.adjustments_expire.call() == 1
    assert ClassAdjustment.objects.get(pk=adjusted.pk).status == AdjustmentStatus.EXPIRED
    assert MarketEntity.objects.get(pk=risky[45].pk).risk_class == "D"


def test_the_default_expiry_is_the_configured_months_ahead(published, risky, officer, settings, today):
    settings.JIANGUAN_CREDIT_ADJUSTMENT_MONTHS = 3
    assert propose(officer, risky[45], "C").expires_on == dt.date(2027, 3, 7)
    assert adjustments.months_later(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


def test_the_head_withdraws_an_adjustment_and_the_computed_class_returns(adjusted, risky, head):
    with pytest.raises(ValidationFailed) as refused:
        adjustments.adjustment_transition(actor=head, adjustment_id=adjusted.pk, action="withdraw")
    assert (refused.value.code, refused.value.field) == ("opinion_required", "opinion")
    adjustments.adjustment_transition(actor=head, adjustment_id=adjusted.pk, action="withdraw", opinion="情况变化")
    assert contracts.entity_class(risky[45].uscc).risk_class == "D"
    assert MarketEntity.objects.get(pk=risky[45].pk).risk_class == "D"


def test_a_rejected_proposal_needs_an_opinion_and_leaves_the_class(published, risky, officer, head):
    proposal = propose(officer, risky[45], "C")
    adjustments.adjustment_transition(actor=head, adjustment_id=proposal.pk, action="reject", opinion="证据不足")
    assert ClassAdjustment.objects.get(pk=proposal.pk).status == AdjustmentStatus.REJECTED
    assert contracts.entity_class(risky[45].uscc).risk_class == "D"
    propose(officer, risky[45], "B")  # a rejected proposal is closed: another may follow


def refusal(call):
    before = (ClassAdjustment.objects.count(), AuditEvent.objects.count())
    with pytest.raises((ValidationFailed, AccessDenied, NotFound, InvalidTransition)) as refused:
        call()
    assert (ClassAdjustment.objects.count(), AuditEvent.objects.count()) == before
    return refused.value.code, refused.value.field


@pytest.mark.parametrize(("changes", "expected"), [
    ({"reason": "  "}, ("reason_required", "reason")),
    ({"evidence_note": ""}, ("evidence_required", "evidence")),
    ({"target_class": "D"}, ("class_unchanged", "target_class")),
    ({"target_class": "E"}, ("choice_invalid", "target_class")),
    ({"expires_on": "2026-12-06"}, ("expiry_in_past", "expires_on")),
    ({"expires_on": "明年"}, ("date_invalid", "expires_on")),
    ({"uscc": "9142"}, ("uscc_length", "uscc")),
])
def test_a_bad_proposal_is_refused_naming_the_field_and_nothing_is_written(published, risky, officer, today, changes,
                                                                           expected):
    assert refusal(lambda: propose(officer, risky[45], **changes)) == expected


def test_an_entity_outside_the_proposers_jurisdiction_is_refused_like_an_unknown_one(published, risky, persona):
    county = persona("xa_scjg_officer")
    outside = MarketEntity.objects.exclude(pk__in=MarketEntity.objects.visible_to(county)).filter(
        pk__in=[e.pk for e in risky]).first()
    assert refusal(lambda: propose(county, outside, "C")) == ("entity_unknown", "uscc")


def test_people_outside_the_market_regulators_may_not_propose(published, risky, persona):
    assert refusal(lambda: propose(persona("sthj_officer"), risky[45], "C")) == ("forbidden", "proposed_by")
    assert refusal(lambda: propose(persona("legal_reviewer"), risky[45], "C")) == ("not_permitted", "proposed_by")


def test_an_entity_without_a_class_or_with_an_open_adjustment_is_refused(published, risky, officer):
    propose(officer, risky[45], "C")
    assert refusal(lambda: propose(officer, risky[45], "B")) == ("adjustment_open", "uscc")


def test_the_proposer_never_approves_their_own_proposal_even_as_head(published, risky, head, officer):
    own = propose(head, risky[45], "C")
    for action in ("approve", "reject"):
        assert refusal(lambda a=action: adjustments.adjustment_transition(
            actor=head, adjustment_id=own.pk, action=a, opinion="同意")) == ("same_person", "decided_by")
    assert refusal(lambda: adjustments.adjustment_transition(actor=officer, adjustment_id=own.pk, action="approve")) \
        == ("not_department_head", "decided_by")


def test_a_head_of_another_department_cannot_approve(published, risky, officer, persona):
    other = persona("xa_scjg_officer")
    other.role_grants.create(role="head")
    other = type(other).objects.get(pk=other.pk)
    proposal = propose(officer, risky[45], "C")
    assert refusal(lambda: adjustments.adjustment_transition(actor=other, adjustment_id=proposal.pk,
                                                             action="approve")) == ("not_found", None)
    assert ClassAdjustment.objects.get(pk=proposal.pk).status == AdjustmentStatus.PROPOSED


def test_a_proposal_past_its_expiry_is_not_approved(published, risky, officer, head, monkeypatch, today):
    proposal = propose(officer, risky[45], "C", expires_on="2026-12-10")
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 12, 11))
    assert refusal(lambda: adjustments.adjustment_transition(actor=head, adjustment_id=proposal.pk,
                                                             action="approve")) == ("expiry_in_past", "expires_on")


def test_an_unknown_or_repeated_step_is_out_of_order(adjusted, head):
    for action in ("approve", "expire", "nonsense"):
        code, _ = refusal(lambda a=action: adjustments.adjustment_transition(actor=head, adjustment_id=adjusted.pk,
                                                                             action=a))
        assert code in ("invalid_transition", "system_only")


# The internal API ---------------------------------------------------------------------------------------------

def test_the_api_answers_the_class_with_the_adjustment_beside_the_computed_class(api, adjusted, risky, officer,
                                                                                 published):
    body = api(officer).get(f"/api/v1/credit/classes/{risky[45].uscc}").json()
    assert (body["risk_class"], body["computed_class"], body["run"]) == ("C", "D", published.number)
    assert body["adjustment"]["id"] == adjusted.pk and body["month"] == "2026-12"
    assert body["reasons"][0] == {"code": "O01", "title": "列入严重违法失信名单"}
    assert api(officer).get(f"/api/v1/credit/classes/{risky[0].uscc}").json()["adjustment"] is None


def test_the_api_refuses_outsiders_anonymous_callers_and_systems(api, adjusted, risky, outsider, persona):
    path = f"/api/v1/credit/classes/{risky[45].uscc}"
    assert api(outsider).get(path).status_code == 404
    assert api(None).get(path).status_code == 401
    system, _ = system_client(persona, scopes=("read",))  # the class is for people of the platform only
    assert system.get(path).status_code == 403


def test_proposing_and_approving_through_the_api(api, published, risky, officer, head):
    response = api(officer).post("/api/v1/credit/adjustments", {"uscc": risky[45].uscc, "target_class": "C",
                                                               "reason": "整改完毕", "evidence_note": "笔录"},
                                 content_type="application/json")
    assert response.status_code == 201, response.content
    adjustment = response.json()
    assert (adjustment["status"], adjustment["proposed_by"]) == ("proposed", "scjg_officer")
    path = f"/api/v1/credit/adjustments/{adjustment['id']}/transitions"
    refused = api(officer).post(path, {"action": "approve"}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "same_person"
    approved = api(head).post(path, {"action": "approve", "opinion": "同意"}, content_type="application/json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    bad = api(officer).post("/api/v1/credit/adjustments", {"uscc": risky[0].uscc, "target_class": "D"},
                            content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "reason"


# The entity page -----------------------------------------------------------------------------------------------

def test_the_entity_page_shows_history_reasons_and_the_adjusted_class_beside_the_computed(signed_in, officer,
                                                                                         adjusted, risky, head):
    rerun(head)
    page = signed_in(officer).get(f"/subjects/{risky[45].uscc}/").content.decode()
    assert "C 类（信用风险较高）" in page and "计算结果 D 类（信用风险高）" in page
    assert "O01 列入严重违法失信名单" in page
    history = page.split('data-testid="credit-history"')[1].split("</tbody>")[0]
    assert history.count("<tr>") == 2 and "2026-12" in history
    assert "已完成整改" in page and 'data-testid="adjustment-form"' not in page  # one open adjustment at a time


def test_an_officer_proposes_on_the_page_with_a_file_kept_as_received(signed_in, officer, head, published, risky):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(officer)
    assert 'data-testid="adjustment-form"' in client.get(f"/subjects/{risky[45].uscc}/").content.decode()
    data = b"%PDF-1.4 scanned record"
    client.post("/credit/adjustments/propose/", {"uscc": risky[45].uscc, "target_class": "B", "reason": "核实有误",
                                                 "evidence": SimpleUploadedFile("笔录.pdf", data, "application/pdf")})
    adjustment = ClassAdjustment.objects.get()
    assert bytes(adjustment.evidence) == data and adjustment.evidence_name == "笔录.pdf"
    download = client.get(f"/credit/adjustments/{adjustment.pk}/evidence/")
    assert download.content == data and download["Content-Type"] == "application/octet-stream"
    assert 'value="approve"' not in client.get(f"/subjects/{risky[45].uscc}/").content.decode()  # not their own
    refused = client.post("/credit/adjustments/propose/", {"uscc": risky[0].uscc, "target_class": "B"}, follow=True)
    assert "缺少必填字段“调整理由”（reason_required）" in refused.content.decode()
    assert 'value="approve"' in signed_in(head).get(f"/subjects/{risky[45].uscc}/").content.decode()


def test_outsiders_get_404_on_an_adjustment_and_its_evidence(signed_in, outsider, adjusted, persona):
    client = signed_in(persona("scjg_head"))
    assert client.get(f"/credit/adjustments/{adjusted.pk}/evidence/").status_code == 404  # a note, no file
    other = signed_in(outsider)
    assert other.get(f"/credit/adjustments/{adjusted.pk}/evidence/").status_code == 404
    county_head = persona("xa_scjg_officer")
    county_head.role_grants.create(role="head")
    response = signed_in(county_head).post(f"/credit/adjustments/{adjusted.pk}/act/", {"action": "withdraw",
                                                                                        "opinion": "x"})
    assert response.status_code == 404
    assert ClassAdjustment.objects.get(pk=adjusted.pk).status == AdjustmentStatus.APPROVED


def test_the_demo_holds_one_approved_adjustment(published, risky):
    from jianguan.credit.seed import seed_adjustment

    said: list[str] = []
    seed_adjustment(type("Context", (), {"say": staticmethod(said.append)})())
    adjustment = ClassAdjustment.objects.select_related("entity", "proposed_by", "decided_by").get()
    assert adjustment.status == AdjustmentStatus.APPROVED and (adjustment.computed_class, adjustment.target_class) \
        == ("D", "C")
    assert (adjustment.proposed_by.username, adjustment.decided_by.username) == ("scjg_officer", "scjg_head")
    assert contracts.entity_class(adjustment.entity.uscc).adjustment.id == adjustment.pk
    assert said == [f"  信用风险分类人工调整：{adjustment.entity.uscc} D → C"]
