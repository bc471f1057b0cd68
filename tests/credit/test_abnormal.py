"""The platform's own 经营异常名录: listing for the four grounds of law only, approved by the department's head (never
the proposer), decided with its 决定书 and the 10 working-day clock; removal on the repair that fits the ground with
its own decision and clock; the entries due for the 严重违法失信名单 after 3 years (the boundary day and the day
after); the mirror the classification reads; the public list; pages, workbook and outsiders."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from jianguan.audit.models import AuditEvent
from jianguan.core.actors import SystemActor
from jianguan.core.calendar import add_working_days
from jianguan.core.errors import AccessDenied, InvalidTransition, ValidationFailed
from jianguan.core.roles import Role
from jianguan.credit import abnormal, abnormal_workflow, classification, features
from jianguan.credit.abnormal_selectors import abnormal_counts, abnormal_due_for_serious, period_end
from jianguan.credit.contracts import abnormal_due_for_serious as contract_due
from jianguan.credit.models import (
    AbnormalEntry,
    AbnormalReason,
    AbnormalRepair,
    AbnormalStatus,
    CreditKind,
    CreditRecord,
    EntityClass,
)
from jianguan.documents.models import IssuedDocument
from jianguan.spotchecks import check_results
from jianguan.subjects.models import MarketEntity
from tests.workflow_walk import Person, assert_every_edge_taken, assert_refused_out_of_order

pytestmark = pytest.mark.django_db
S = AbnormalStatus
TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def clerk(persona):
    return persona("scjg_officer")


@pytest.fixture
def boss(persona):
    return persona("scjg_head")


@pytest.fixture
def entity(clerk):
    return MarketEntity.objects.visible_to(clerk).filter(established_on__lt="2023-01-01").order_by("pk").first()


def propose(clerk, entity, reason=AbnormalReason.ANNUAL_REPORT, found_on="2026-11-20") -> AbnormalEntry:
    return abnormal.abnormal_propose(actor=clerk, uscc=entity.uscc, reason=reason, facts="未报送2025年度年度报告",
                                     found_on=found_on)


def step(entry, action, actor, **values) -> AbnormalEntry:
    return abnormal.abnormal_transition(entry_id=entry.pk, action=action, values=values, actor=actor)


def listed(clerk, boss, entity, decided_on="2026-11-27", **kwargs) -> AbnormalEntry:
    entry = propose(clerk, entity, **kwargs)
    step(entry, "approve", boss, note="同意")
    return step(entry, "decide", clerk, decided_on=decided_on)


# The table -------------------------------------------------------------------------------------------------------

DEPARTMENT = 5
OFFICER, HEAD = Person(1, DEPARTMENT, frozenset({Role.OFFICER})), Person(2, DEPARTMENT, frozenset({Role.HEAD}))
BY = {abnormal_workflow.OFFICERS: OFFICER, abnormal_workflow.HEAD: HEAD}


def facts(state, actor=HEAD, proposer=OFFICER.pk, reason=AbnormalReason.UNREACHABLE,
          repair=AbnormalRepair.ADDRESS_REACHABLE) -> abnormal_workflow.Facts:
    return abnormal_workflow.Facts(state, actor, DEPARTMENT, proposer, reason, repair)


def test_every_edge_is_taken_by_its_party_and_every_state_is_reachable():
    abnormal_workflow.ENTRIES.check("approve", facts(S.PROPOSED))
    assert_every_edge_taken(abnormal_workflow.ENTRIES, lambda edge: facts(edge.source, BY[edge.who]))
    assert {e.target for e in abnormal_workflow.EDGES} == set(S.values) - {S.PROPOSED}


def test_every_action_out_of_order_is_refused():
    assert_refused_out_of_order(abnormal_workflow.ENTRIES, S.values, lambda state: facts(state))


@pytest.mark.parametrize("actor", [Person(3, DEPARTMENT + 1, frozenset({Role.HEAD})),
                                   Person(4, DEPARTMENT, frozenset({Role.OFFICER, Role.LEADER})),
                                   Person(OFFICER.pk, DEPARTMENT, frozenset({Role.OFFICER, Role.HEAD}))])
def test_only_the_departments_head_who_did_not_propose_approves(actor):
    with pytest.raises(AccessDenied) as refused:
        abnormal_workflow.ENTRIES.check("approve", facts(S.PROPOSED, actor))
    assert refused.value.code in {"not_department_head", "same_person"}
    assert refused.value.code == ("same_person" if actor.pk == OFFICER.pk else "not_department_head")


def test_a_removal_reason_that_does_not_fit_the_ground_is_refused_by_the_table():
    wrong = facts(S.LISTED, OFFICER, reason=AbnormalReason.UNREACHABLE, repair=AbnormalRepair.REPORT_FILED)
    with pytest.raises(ValidationFailed) as refused:
        abnormal_workflow.ENTRIES.check("apply_removal", wrong)
    assert refused.value.code == "repair_mismatch" and refused.value.field == "repair"
    assert "已办理住所（经营场所）变更登记或可以重新取得联系" in refused.value.message


def test_each_ground_has_its_own_repair():
    assert len(set(abnormal_workflow.REPAIR_FOR.values())) == len(AbnormalReason) == 4
    for reason, repair in abnormal_workflow.REPAIR_FOR.items():
        assert abnormal_workflow.repair_refusal(reason, repair) is None


# Listing ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reason", ["", "未按时缴纳罚款", "serious", "UNREACHABLE"])
def test_a_listing_for_a_ground_not_in_the_law_is_refused(clerk, entity, reason):
    with pytest.raises(ValidationFailed) as refused:
        propose(clerk, entity, reason=reason)
    assert refused.value.code == "reason_not_in_law" and refused.value.field == "reason"
    assert "列入事由" in refused.value.message and "第四条" in refused.value.message
    assert not AbnormalEntry.objects.exists()


def test_only_market_supervision_officers_propose_and_only_within_their_jurisdiction(persona, entity):
    with pytest.raises(ValidationFailed) as refused:
        propose(persona("sthj_officer"), entity)
    assert refused.value.code == "not_market_supervision"
    county = persona("xa_scjg_officer")
    outside = MarketEntity.objects.exclude(pk__in=MarketEntity.objects.visible_to(county)).first()
    with pytest.raises(ValidationFailed) as refused:
        propose(county, outside)
    assert refused.value.code == "entity_unknown"
    assert not AbnormalEntry.objects.exists()


def test_bad_facts_and_dates_are_refused_naming_the_field(clerk, entity):
    for kwargs, field, code in ((dict(found_on="2099-01-01"), "found_on", "date_in_future"),
                                (dict(found_on="昨天"), "found_on", "date_invalid"),
                                (dict(found_on=""), "found_on", "required")):
        with pytest.raises(ValidationFailed) as refused:
            propose(clerk, entity, **kwargs)
        assert (refused.value.field, refused.value.code) == (field, code)
    entity.established_on = dt.date(2026, 11, 21)
    entity.save(update_fields=["established_on"])
    with pytest.raises(ValidationFailed) as refused:
        propose(clerk, entity)
    assert (refused.value.field, refused.value.code) == ("found_on", "date_before_established")
    with pytest.raises(ValidationFailed) as refused:
        abnormal.abnormal_propose(actor=clerk, uscc=entity.uscc, reason="annual_report", facts=" ",
                                  found_on="2026-11-22")
    assert refused.value.field == "facts" and "事实" in refused.value.message


def test_a_listing_is_proposed_approved_and_decided_with_its_document_and_clock(clerk, boss, entity):
    entry = propose(clerk, entity)
    assert entry.status == S.PROPOSED and entry.number.startswith("YC")
    assert entry.listing_due == add_working_days(dt.date(2026, 11, 20), 10) == dt.date(2026, 12, 4)
    assert check_results.ABNORMAL_WORKING_DAYS == abnormal.LISTING_WORKING_DAYS == 10  # one clock, the spot checks'
    with pytest.raises(InvalidTransition):
        step(entry, "decide", clerk)
    step(entry, "approve", boss, note="同意列入")
    entry = step(entry, "decide", clerk, decided_on="2026-12-01", published_on="2026-12-02")
    assert entry.status == S.LISTED and (entry.decided_on, entry.published_on) == (dt.date(2026, 12, 1),
                                                                                    dt.date(2026, 12, 2))
    document = IssuedDocument.objects.get(pk=entry.decision_document)
    assert document.kind == "abnormal_listing_decision" and document.number == entry.decision_number
    assert document.context["reason"] == "未按规定报送年度报告" and document.context["party"]["code"] == entity.uscc
    assert "第四条第（一）项" in document.context["basis"]
    mirror = CreditRecord.objects.get(kind=CreditKind.ABNORMAL, source=abnormal.SOURCE, source_ref=entry.number)
    assert (mirror.entity_id, mirror.date, mirror.ends_on) == (entity.pk, dt.date(2026, 12, 1), None)
    verbs = list(AuditEvent.objects.filter(verb__startswith="credit.abnormal_").values_list("verb", flat=True))
    assert verbs == ["credit.abnormal_proposed", "credit.abnormal_approve", "credit.abnormal_decide"]


def test_the_proposer_never_approves_even_as_head(clerk, boss, entity):
    clerk.role_grants.create(role=Role.HEAD)
    clerk = type(clerk).objects.get(pk=clerk.pk)
    entry = propose(clerk, entity)
    with pytest.raises(AccessDenied) as refused:
        step(entry, "approve", clerk)
    assert refused.value.code == "same_person"
    assert AbnormalEntry.objects.get(pk=entry.pk).status == S.PROPOSED
    assert step(entry, "approve", boss).status == S.APPROVED


def test_a_rejected_listing_needs_a_reason_and_lists_nothing(clerk, boss, entity):
    entry = propose(clerk, entity)
    with pytest.raises(ValidationFailed) as refused:
        step(entry, "reject", boss)
    assert refused.value.field == "note"
    entry = step(entry, "reject", boss, note="事实不清")
    assert entry.status == S.REJECTED and not CreditRecord.objects.filter(source=abnormal.SOURCE).exists()
    propose(clerk, entity)  # a rejected proposal does not stand in the way of a new one


def test_the_same_ground_is_not_listed_twice_and_dates_keep_their_order(clerk, boss, entity):
    entry = propose(clerk, entity)
    with pytest.raises(ValidationFailed) as refused:
        propose(clerk, entity)
    assert refused.value.code == "already_listed"
    step(entry, "approve", boss)
    for values, field in ((dict(decided_on="2026-11-19"), "decided_on"),
                          (dict(decided_on="2026-11-25", published_on="2026-11-24"), "published_on")):
        with pytest.raises(ValidationFailed) as refused:
            step(entry, "decide", clerk, **values)
        assert refused.value.field == field
    assert AbnormalEntry.objects.get(pk=entry.pk).status == S.APPROVED and not IssuedDocument.objects.exists()


# Removal ---------------------------------------------------------------------------------------------------------

def test_removal_on_the_fitting_repair_with_its_decision_and_clock(clerk, boss, entity):
    entry = listed(clerk, boss, entity)
    with pytest.raises(ValidationFailed) as refused:
        step(entry, "apply_removal", clerk, repair=AbnormalRepair.ADDRESS_REACHABLE, repair_facts="已联系")
    assert refused.value.code == "repair_mismatch" and "未按规定报送年度报告" in refused.value.message
    assert AbnormalEntry.objects.get(pk=entry.pk).status == S.LISTED
    entry = step(entry, "apply_removal", clerk, repair=AbnormalRepair.REPORT_FILED, repair_facts="已补报并公示",
                 applied_on="2026-12-01")
    assert entry.removal_due == add_working_days(dt.date(2026, 12, 1), 5) == dt.date(2026, 12, 8)
    with pytest.raises(AccessDenied) as refused:
        step(entry, "remove", clerk)
    assert refused.value.code == "not_department_head"
    entry = step(entry, "remove", boss, removed_on="2026-12-03")
    assert entry.status == S.REMOVED and entry.removed_on == dt.date(2026, 12, 3)
    document = IssuedDocument.objects.get(pk=entry.removal_document)
    assert document.kind == "abnormal_removal_decision"
    assert document.context["listing"]["number"] == entry.decision_number
    assert CreditRecord.objects.get(pk=entry.credit_record_id).ends_on == dt.date(2026, 12, 3)
    assert AbnormalEntry.objects.filter(entity=entity, status=S.REMOVED).count() == 1


@override_settings(JIANGUAN_ABNORMAL_REMOVAL_WORKING_DAYS=7)
def test_the_removal_clock_is_a_setting(clerk, boss, entity):
    entry = step(listed(clerk, boss, entity), "apply_removal", clerk, repair=AbnormalRepair.REPORT_FILED,
                 repair_facts="已补报", applied_on="2026-12-01")
    assert entry.removal_due == add_working_days(dt.date(2026, 12, 1), 7)


def test_a_refused_removal_leaves_the_entry_in_the_list(clerk, boss, entity):
    entry = step(listed(clerk, boss, entity), "apply_removal", clerk, repair=AbnormalRepair.REPORT_FILED,
                 repair_facts="称已补报", applied_on="2026-12-01")
    entry = step(entry, "refuse_removal", boss, note="经核查未补报")
    assert entry.status == S.LISTED and entry.removal_due is None and not entry.repair
    assert CreditRecord.objects.get(pk=entry.credit_record_id).ends_on is None


# Three years, the classification ---------------------------------------------------------------------------------

def test_three_years_end_on_the_same_date_and_on_28_february_for_29_february():
    assert period_end(dt.date(2023, 12, 7)) == dt.date(2026, 12, 7)
    assert period_end(dt.date(2024, 2, 29)) == dt.date(2027, 2, 28)


def test_due_for_the_serious_list_from_the_day_after_three_years(clerk, boss, entity, outsider):
    entry = listed(clerk, boss, entity, decided_on="2023-12-07", found_on="2023-12-01")
    assert abnormal_due_for_serious(reader=clerk, on=dt.date(2026, 12, 7)) == []  # the last day of the 3 years
    [card] = contract_due(reader=clerk, on=dt.date(2026, 12, 8))
    assert (card.entry_id, card.uscc, card.reason, card.period_end, card.due_from) == (
        entry.pk, entity.uscc, AbnormalReason.ANNUAL_REPORT, dt.date(2026, 12, 7), dt.date(2026, 12, 8))
    assert abnormal_due_for_serious(reader=outsider, on=dt.date(2026, 12, 8)) == []
    assert abnormal_counts(reader=clerk, today=dt.date(2026, 12, 8))["due_for_serious"] == 1
    step(entry, "apply_removal", clerk, repair=AbnormalRepair.REPORT_FILED, repair_facts="已补报")
    assert len(abnormal_due_for_serious(reader=clerk, on=dt.date(2026, 12, 8))) == 1  # still in the list
    step(entry, "remove", boss)
    assert abnormal_due_for_serious(reader=clerk, on=dt.date(2026, 12, 8)) == []


def test_the_classification_sees_the_platforms_entries(clerk, boss, entity, head, card_folder):
    index = features.FIELDS.index("abnormal_listed")
    assert features.entity_values(entity.pk, as_of=TODAY)[0][index] == 0
    entry = listed(clerk, boss, entity, decided_on="2026-12-01")
    assert features.entity_values(entity.pk, as_of=TODAY)[0][index] == 1
    system = SystemActor("test:credit")
    classification.scorecard_publish(name="credit-risk", version="2026.1", actor=head)
    run = classification.run_execute(run_id=classification.run_start(actor=system).pk, actor=system)
    assert EntityClass.objects.get(run_id=run.pk, entity_id=entity.pk).risk_class in {"C", "D"}
    step(entry, "apply_removal", clerk, repair=AbnormalRepair.REPORT_FILED, repair_facts="已补报",
         applied_on="2026-12-02")
    step(entry, "remove", boss, removed_on="2026-12-03")
    assert features.entity_values(entity.pk, as_of=TODAY)[0][index] == 0


# Public list, pages, workbook, outsiders -------------------------------------------------------------------------

def test_the_public_list_shows_entries_in_the_list_without_personal_data(client, clerk, boss, entity):
    entry = listed(clerk, boss, entity)
    propose(clerk, entity, reason=AbnormalReason.UNREACHABLE)  # not decided: not public
    answer = client.get("/api/v1/credit/lists")
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item == {"list": "abnormal", "name": entity.name, "uscc": entity.uscc, "reason": "未按规定报送年度报告",
                    "authority": clerk.department.name, "decision_number": entry.decision_number,
                    "date": "2026-11-27", "ends_on": None}
    assert entity.legal_representative not in answer.content.decode()
    assert client.get("/api/v1/credit/lists?list=abnormal&offset=1").json()["items"] == []
    refused = client.get("/api/v1/credit/lists?list=black")
    assert refused.status_code == 400 and refused.json()["code"] == "list_unknown"
    assert refused.json()["field"] == "list" and "abnormal" in refused.json()["message"]
    step(step(entry, "apply_removal", clerk, repair=AbnormalRepair.REPORT_FILED, repair_facts="已补报"),
         "remove", boss)
    assert client.get("/api/v1/credit/lists").json()["count"] == 0


def test_the_department_page_shows_counts_clocks_and_the_proposal_form(signed_in, clerk, boss, entity,
                                                                       django_assert_max_num_queries):
    overdue = propose(clerk, entity, found_on="2026-10-01")
    listed(clerk, boss, entity, reason=AbnormalReason.UNREACHABLE, decided_on="2023-11-30", found_on="2023-11-20")
    client = signed_in(clerk)
    with django_assert_max_num_queries(25):
        page = client.get("/credit/abnormal/").content.decode()
    assert overdue.number in page and "已逾期" in page and 'data-testid="abnormal-propose"' in page
    assert 'data-testid="listing-overdue">1<' in page and 'data-testid="due-for-serious-count">1<' in page
    answer = client.post("/credit/abnormal/propose/", {"uscc": entity.uscc, "reason": "false_information",
                                                       "facts": "公示的从业人数虚假", "found_on": "2026-12-01"})
    assert answer.status_code == 302 and AbnormalEntry.objects.filter(reason="false_information").exists()
    answer = client.post("/credit/abnormal/propose/", {"uscc": entity.uscc, "reason": "other", "facts": "x",
                                                       "found_on": "2026-12-01"}, follow=True)
    assert "reason_not_in_law" in answer.content.decode()


def test_the_entry_page_offers_the_readers_steps_and_the_head_approves_from_it(signed_in, clerk, boss, entity):
    entry = propose(clerk, entity)
    assert 'value="approve"' not in signed_in(clerk).get(f"/credit/abnormal/{entry.pk}/").content.decode()
    client = signed_in(boss)
    assert 'value="approve"' in client.get(f"/credit/abnormal/{entry.pk}/").content.decode()
    client.post(f"/credit/abnormal/{entry.pk}/act/", {"action": "approve", "note": "同意"})
    assert AbnormalEntry.objects.get(pk=entry.pk).status == S.APPROVED
    assert signed_in(clerk).get(f"/credit/abnormal/{entry.pk}/listing.pdf").status_code == 404


def test_the_list_exports_as_a_workbook(signed_in, clerk, boss, entity):
    entry = listed(clerk, boss, entity)
    answer = signed_in(clerk).get("/credit/abnormal/xlsx/?status=listed")
    assert answer.status_code == 200 and "attachment" in answer["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "市场主体", "统一社会信用代码", "列入事由")
    assert rows[1][:4] == (entry.number, entity.name, entity.uscc, "未按规定报送年度报告")
    assert len(rows) == 2


def test_outsiders_get_404_on_an_entry_and_its_steps(signed_in, clerk, boss, entity, outsider):
    entry = listed(clerk, boss, entity)
    client = signed_in(outsider)
    for path in (f"/credit/abnormal/{entry.pk}/", f"/credit/abnormal/{entry.pk}/listing.pdf"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/credit/abnormal/{entry.pk}/act/", {"action": "apply_removal"}).status_code == 404
    assert entry.number not in client.get("/credit/abnormal/").content.decode()
    assert client.get("/credit/abnormal/xlsx/").status_code == 200
    assert abnormal_counts(reader=outsider, today=TODAY)[S.LISTED] == 0


# Demo data -------------------------------------------------------------------------------------------------------

def test_the_demo_lists_entities_removes_one_after_repair_and_flags_the_old_ones(clerk):
    import io

    from jianguan.core.seeding import SeedContext
    from jianguan.credit.abnormal_seed import PLAN, seed_abnormal

    seed_abnormal(SeedContext(scale="test", seed=7, stdout=io.StringIO(), progress_enabled=False))
    assert not AbnormalEntry.objects.exists()  # the tests' own scale stays empty
    seed_abnormal(SeedContext(scale="demo", seed=7, stdout=io.StringIO(), progress_enabled=False))
    by_status = {s: AbnormalEntry.objects.filter(status=s).count() for s in S.values}
    assert by_status[S.LISTED] >= 3 and by_status[S.REMOVED] == 1 and by_status[S.REMOVAL_APPLIED] == 1
    assert by_status[S.PROPOSED] == 2 and sum(by_status.values()) == len(PLAN)
    removed = AbnormalEntry.objects.get(status=S.REMOVED)
    assert removed.removal_document and CreditRecord.objects.get(pk=removed.credit_record_id).ends_on
    from django.utils import timezone

    assert len(abnormal_due_for_serious(reader=clerk, on=timezone.localdate())) == 2
