"""The platform's own 严重违法失信名单 (SAMR 令第44号): the entry conditions, the notice and its period, the hearing,
approval without self-approval and with the level above's agreement, the decision mirrored into the credit records
(so the classification's override and the punishment flags see it), publication, early removal after one year and
removal at the end — each legal boundary on both sides."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from django.core.management import call_command
from django.test import override_settings

from jianguan.accounts.models import User
from jianguan.behaviour.models import Penalty
from jianguan.core.actors import SystemActor
from jianguan.core.calendar import add_working_days
from jianguan.core.errors import AccessDenied, NotFound, ValidationFailed
from jianguan.credit import contracts, features, serious
from jianguan.credit import serious_selectors as selectors
from jianguan.credit.models import CreditKind, CreditRecord, SeriousEntry, SeriousStatus
from jianguan.credit.serious_workflow import add_years
from jianguan.documents.models import IssuedDocument
from jianguan.subjects.models import MarketEntity
from tests.credit.world import START, city, credit

SYSTEM = SystemActor("test:serious")
_serial = itertools.count(1)
FACTORS = {"intent": True, "frequency": 3, "duration_days": 180, "amount": "200000"}


def entity(offset: int = 0) -> MarketEntity:
    return MarketEntity.objects.order_by("pk")[offset]


def penalty(subject: MarketEntity, kinds: list[str], *, department=None, closed: bool = True,
            day: dt.date = dt.date(2026, 2, 2)) -> Penalty:
    return Penalty.objects.create(
        number=f"CF{next(_serial):08d}", name="处罚", department=department or city(), catalog_code="1" * 14,
        object_name=subject.name, entity=subject, party_name=subject.name, party_nature="1", party_id_type="001",
        party_code=subject.uscc, region_id=subject.region_id, date=day, case_source="检查", inspection_number="",
        facts="销售过期食品", basis="食品安全法", procedure="02",
        decision_number=f"咸市监处罚〔2026〕{next(_serial)}号",
        penalty_kinds=kinds, result="吊销食品经营许可证", closed_on=day if closed else None)


def propose(actor: User, found: Penalty, **changes) -> SeriousEntry:
    data = {"basis": "penalty", "penalty": found.pk, "domain": "food", "reason": "销售超过保质期的食品",
            "statement": "故意销售过期食品，持续半年，货值二十万元", "factors": dict(FACTORS), **changes}
    return serious.serious_propose(data=data, actor=actor)


def act(entry: SeriousEntry, action: str, actor, **data) -> SeriousEntry:
    return serious.serious_act(entry_id=entry.pk, action=action, data=data, actor=actor)


def noticed(people, clock, subject: MarketEntity | None = None, *, county: bool = False) -> SeriousEntry:
    who = people["county_officer"] if county else people["officer"]
    subject = subject or (MarketEntity.objects.visible_to(who).order_by("pk").first() if county else entity())
    found = penalty(subject, ["05"], department=who.department)
    entry = act(propose(who, found), "notify", who)
    clock.day = entry.statement_due + dt.timedelta(days=1)
    return entry


def listed(people, clock, subject: MarketEntity | None = None) -> SeriousEntry:
    """A city entry decided: the city bureau has no level above on the platform, so its agreement is recorded."""
    entry = act(noticed(people, clock, subject), "submit", people["officer"])
    entry = act(entry, "forward", people["head"])
    return act(entry, "record_upper", people["head"], upper_reference="鄂市监函〔2026〕8号",
               upper_on=clock.day.isoformat())


# Entry conditions (令第44号 第二条、第十二条) ---------------------------------------------------------------------

@pytest.mark.parametrize("kinds", [["05"], ["04"], ["10"], ["12"], ["13"], ["14"], ["02", "05"]])
def test_a_heavier_penalty_may_be_proposed(people, clock, kinds):
    entry = propose(people["officer"], penalty(entity(), kinds))
    assert entry.status == SeriousStatus.PROPOSED and entry.penalty_kinds == kinds
    assert entry.department_id == people["officer"].department_id and entry.number.startswith("YZ20260302")


@pytest.mark.parametrize("kinds", [["01"], ["02"], ["03", "09"], ["11"]])
def test_a_penalty_that_is_not_heavier_is_refused_with_the_rule_named(people, clock, kinds):
    with pytest.raises(ValidationFailed) as refused:
        propose(people["officer"], penalty(entity(), kinds))
    assert refused.value.code == "penalty_not_heavier" and "第二条第二款" in refused.value.message
    assert not SeriousEntry.objects.exists()


def test_a_fine_qualifies_only_when_stated_to_be_aggravated(people, clock):
    with pytest.raises(ValidationFailed):
        propose(people["officer"], penalty(entity(), ["02"]), aggravated=False)
    assert propose(people["officer"], penalty(entity(1), ["02"]), aggravated=True).aggravated


def test_a_party_shown_to_have_acted_without_intent_is_not_listed(people, clock):
    with pytest.raises(ValidationFailed) as refused:
        propose(people["officer"], penalty(entity(), ["05"]), factors={**FACTORS, "intent": False})
    assert refused.value.code == "no_intent" and "第十二条" in refused.value.message


@pytest.mark.parametrize(("change", "code"), [({"domain": "weather"}, "domain_invalid"),
                                              ({"statement": " "}, "required"),
                                              ({"factors": {**FACTORS, "frequency": 0}}, "number_invalid"),
                                              ({"factors": {"frequency": 1}}, "required"),
                                              ({"basis": "rumour"}, "basis_invalid")])
def test_bad_proposals_are_refused_naming_the_field(people, clock, change, code):
    with pytest.raises(ValidationFailed) as refused:
        propose(people["officer"], penalty(entity(), ["05"]), **change)
    assert refused.value.code == code and refused.value.field


def test_only_the_penalising_department_proposes_and_never_out_of_scope(people, clock, outsider):
    found = penalty(entity(), ["05"])
    with pytest.raises(AccessDenied) as denied:  # the city reads the county's penalties but does not list for it
        propose(people["officer"], penalty(entity(), ["05"], department=people["county_officer"].department))
    assert denied.value.code == "not_department_officer"
    for reader in (outsider, people["county_officer"]):
        with pytest.raises(ValidationFailed) as refused:
            propose(reader, found)
        assert refused.value.code == "penalty_unknown"


def test_one_open_entry_per_entity(people, clock):
    propose(people["officer"], penalty(entity(), ["05"]))
    with pytest.raises(ValidationFailed) as refused:
        propose(people["officer"], penalty(entity(), ["04"]))
    assert refused.value.code == "already_listed"


def test_three_years_in_the_abnormal_list_is_a_basis_from_the_day_itself(people, clock):
    early, due = entity(2), entity(3)
    credit(early, CreditKind.ABNORMAL, day=add_years(START, -3) + dt.timedelta(days=1))
    credit(due, CreditKind.ABNORMAL, day=add_years(START, -3))
    data = {"basis": "abnormal_3y", "reason": "列入经营异常名录届满3年仍未履行相关义务", "statement": "长期失联",
            "factors": dict(FACTORS)}
    with pytest.raises(ValidationFailed) as refused:
        serious.serious_propose(data={**data, "uscc": early.uscc}, actor=people["officer"])
    assert refused.value.code == "abnormal_not_three_years"
    entry = serious.serious_propose(data={**data, "uscc": due.uscc}, actor=people["officer"])
    assert entry.basis == "abnormal_3y" and entry.penalty is None


# Notice, defence, hearing ---------------------------------------------------------------------------------------

def test_the_statement_period_runs_its_working_days_and_submission_waits_for_it(people, clock):
    entry = act(propose(people["officer"], penalty(entity(), ["05"])), "notify", people["officer"])
    assert entry.statement_due == add_working_days(START, 5)
    clock.day = entry.statement_due
    with pytest.raises(ValidationFailed) as refused:
        act(entry, "submit", people["officer"])
    assert refused.value.code == "statement_period_open"
    clock.day = entry.statement_due + dt.timedelta(days=1)
    assert act(entry, "submit", people["officer"]).status == SeriousStatus.SUBMITTED


@override_settings(JIANGUAN_CREDIT_SERIOUS_NOTICE_DAYS=10)
def test_the_statement_period_is_a_setting(people, clock):
    entry = act(propose(people["officer"], penalty(entity(), ["05"])), "notify", people["officer"])
    assert entry.statement_due == add_working_days(START, 10)


def test_a_requested_hearing_is_held_before_submission(people, clock):
    entry = act(propose(people["officer"], penalty(entity(), ["05"])), "notify", people["officer"])
    with pytest.raises(ValidationFailed) as refused:
        act(entry, "hear", people["officer"], hearing_outcome="已听证")
    assert refused.value.code == "hearing_not_requested"
    entry = act(entry, "defend", people["officer"], defence="当事人称系员工个人行为", hearing_requested=True)
    clock.day = entry.statement_due + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed) as refused:
        act(entry, "submit", people["officer"])
    assert refused.value.code == "hearing_pending"
    entry = act(entry, "hear", people["officer"], hearing_outcome="听证后维持拟列入意见")
    assert act(entry, "submit", people["officer"]).status == SeriousStatus.SUBMITTED
    assert [s.action for s in entry.steps.all()] == ["propose", "notify", "defend", "hear", "submit"]


# Approval -------------------------------------------------------------------------------------------------------

def test_the_head_never_approves_an_entry_they_proposed(people, clock):
    head = people["head"]
    entry = act(propose(head, penalty(entity(), ["05"])), "notify", head)
    clock.day = entry.statement_due + dt.timedelta(days=1)
    entry = act(entry, "submit", head)
    with pytest.raises(AccessDenied) as refused:
        act(entry, "forward", head)
    assert refused.value.code == "same_person"


def test_officers_do_not_approve(people, clock):
    entry = act(noticed(people, clock), "submit", people["officer"])
    with pytest.raises(AccessDenied) as refused:
        act(entry, "forward", people["officer"])
    assert refused.value.code == "not_department_head"


def test_a_county_decision_needs_the_city_head_on_the_platform(people, clock):
    entry = act(noticed(people, clock, county=True), "submit", people["county_officer"])
    with pytest.raises(ValidationFailed) as refused:
        act(entry, "approve", people["county_head"])
    assert refused.value.code == "upper_approval_required"
    entry = act(entry, "forward", people["county_head"])
    with pytest.raises(AccessDenied) as refused:
        act(entry, "agree", people["county_head"])
    assert refused.value.code == "not_upper_head"
    with pytest.raises(ValidationFailed):
        act(entry, "record_upper", people["county_head"], upper_reference="x", upper_on=clock.day.isoformat())
    entry = act(entry, "agree", people["head"])
    assert entry.status == SeriousStatus.LISTED and entry.upper_by == people["head"]


def test_the_city_records_the_provincial_agreement_given_off_the_platform(people, clock):
    entry = listed(people, clock)
    assert entry.status == SeriousStatus.LISTED and entry.upper_reference == "鄂市监函〔2026〕8号"


@override_settings(JIANGUAN_CREDIT_SERIOUS_UPPER_LEVELS=[])
def test_without_the_level_above_the_head_decides(people, clock):
    entry = act(noticed(people, clock), "submit", people["officer"])
    with pytest.raises(ValidationFailed) as refused:
        act(entry, "forward", people["head"])
    assert refused.value.code == "upper_approval_not_required"
    assert act(entry, "approve", people["head"]).status == SeriousStatus.LISTED


def test_the_head_may_refuse_with_reasons(people, clock):
    entry = act(noticed(people, clock), "submit", people["officer"])
    with pytest.raises(ValidationFailed):
        act(entry, "refuse", people["head"], reason="")
    entry = act(entry, "refuse", people["head"], reason="当事人能证明无主观故意")
    assert entry.status == SeriousStatus.REFUSED and not CreditRecord.objects.filter(kind=CreditKind.SERIOUS).exists()


# Decision, publication, measures, classification ----------------------------------------------------------------

def test_the_decision_issues_its_document_and_the_credit_record_the_classification_reads(people, clock):
    subject = entity()
    entry = listed(people, clock, subject)
    assert entry.listed_on == clock.day and entry.ends_on == add_years(clock.day, 3)
    document = IssuedDocument.objects.get(pk=entry.decision_document_id)
    assert document.kind == "serious_listing_decision" and document.number == entry.decision_number
    assert document.context["party"]["code"] == subject.uscc and document.context["period"]["end"]
    mirrored = CreditRecord.objects.get(kind=CreditKind.SERIOUS, source_ref=entry.number)
    assert (mirrored.entity_id, mirrored.date, mirrored.ends_on) == (subject.pk, entry.listed_on, entry.ends_on)
    values, _ = features.entity_values(subject.pk, as_of=clock.day)
    assert values[features.index("serious_listed")] == 1


def test_punishment_flags_while_listed_and_not_before(people, clock):
    subject = entity()
    nothing = {"listed": False, **{k: False for k in contracts.MEASURES}}
    assert contracts.punishment_flags(subject.pk, on=START) == nothing
    entry = listed(people, clock, subject)
    flags = contracts.punishment_flags(subject.pk, on=entry.listed_on)
    assert flags["listed"] and flags["commitment_refused"] and flags["procurement_barred"]
    assert not contracts.punishment_flags(subject.pk, on=entry.listed_on - dt.timedelta(days=1))["listed"]


def test_the_public_list_holds_published_entries_without_personal_data(people, clock):
    subject = entity()
    entry = listed(people, clock, subject)
    assert contracts.serious_public_list() == []
    with pytest.raises(ValidationFailed):
        act(entry, "publish", people["officer"], published_on=(entry.listed_on - dt.timedelta(days=1)).isoformat())
    entry = act(entry, "publish", people["officer"])
    [public] = contracts.serious_public_list()
    assert (public.uscc, public.name, public.decision_number) == (subject.uscc, subject.name, entry.decision_number)
    assert subject.legal_representative not in repr(public)
    assert contracts.serious_public_list(on=entry.ends_on) == []


# Removal --------------------------------------------------------------------------------------------------------

def test_early_removal_from_the_day_a_year_is_served(people, clock):
    entry = listed(people, clock)
    clock.day = add_years(entry.listed_on, 1) - dt.timedelta(days=1)
    with pytest.raises(ValidationFailed) as refused:
        act(entry, "remove_early", people["head"], performed=True, harm_removed=True, reason="已整改")
    assert refused.value.code == "early_removal_too_soon" and "满一年" in refused.value.message
    clock.day = add_years(entry.listed_on, 1)
    entry = act(entry, "remove_early", people["head"], performed=True, harm_removed=True, reason="已整改")
    assert entry.status == SeriousStatus.REMOVED and entry.removal == "early"
    assert CreditRecord.objects.get(pk=entry.credit_record_id).ends_on == clock.day
    assert not contracts.punishment_flags(entry.entity_id, on=clock.day)["listed"]


@pytest.mark.parametrize(("data", "code"), [({"performed": False, "harm_removed": True}, "penalty_not_performed"),
                                            ({"performed": True, "harm_removed": False}, "harm_not_removed")])
def test_early_removal_needs_the_conditions(people, clock, data, code):
    entry = listed(people, clock)
    clock.day = add_years(entry.listed_on, 1)
    with pytest.raises(ValidationFailed) as refused:
        act(entry, "remove_early", people["head"], reason="已整改", **data)
    assert refused.value.code == code


def test_a_new_heavier_penalty_bars_early_removal(people, clock):
    subject = entity()
    entry = listed(people, clock, subject)
    penalty(subject, ["04"], day=entry.listed_on + dt.timedelta(days=30))
    clock.day = add_years(entry.listed_on, 1)
    with pytest.raises(ValidationFailed) as refused:
        act(entry, "remove_early", people["head"], performed=True, harm_removed=True, reason="已整改")
    assert refused.value.code == "new_heavier_penalty"


def test_an_unperformed_penalty_bars_early_removal_whatever_is_stated(people, clock):
    subject = entity()
    found = penalty(subject, ["05"], closed=False)
    entry = act(propose(people["officer"], found), "notify", people["officer"])
    clock.day = entry.statement_due + dt.timedelta(days=1)
    entry = act(act(act(entry, "submit", people["officer"]), "forward", people["head"]), "record_upper",
                people["head"], upper_reference="函", upper_on=clock.day.isoformat())
    clock.day = add_years(entry.listed_on, 1)
    with pytest.raises(ValidationFailed) as refused:
        act(entry, "remove_early", people["head"], performed=True, harm_removed=True, reason="已整改")
    assert refused.value.code == "penalty_not_performed"


def test_the_system_removes_entries_at_the_end_and_not_the_day_before(people, clock):
    entry = listed(people, clock)
    assert serious.serious_expire_due(actor=SYSTEM, today=entry.ends_on - dt.timedelta(days=1)) == []
    clock.day = entry.ends_on - dt.timedelta(days=1)
    with pytest.raises(ValidationFailed) as refused:
        act(entry, "expire", SYSTEM)
    assert refused.value.code == "period_not_over"
    clock.day = entry.ends_on
    assert serious.serious_expire_due(actor=SYSTEM) == [entry.number]
    entry.refresh_from_db()
    assert entry.status == SeriousStatus.REMOVED and entry.removal == "expired" and entry.removed_on == entry.ends_on


def test_people_do_not_expire_entries(people, clock):
    entry = listed(people, clock)
    clock.day = entry.ends_on
    with pytest.raises(AccessDenied):
        act(entry, "expire", people["head"])


# Scope and reads -------------------------------------------------------------------------------------------------

def test_entries_are_read_within_scope(people, clock, outsider):
    entry = noticed(people, clock)
    assert selectors.serious_get(reader=people["head"], entry_id=entry.pk) == entry
    with pytest.raises(NotFound):
        selectors.serious_get(reader=outsider, entry_id=entry.pk)
    with pytest.raises(NotFound):
        act(entry, "submit", outsider)
    assert not selectors.serious_list(reader=outsider).exists()
    counts = selectors.serious_counts(reader=people["officer"])
    assert counts["notified"] == 1 and counts["statement_over"] == 1


def test_an_entry_from_the_abnormal_list_is_decided_without_a_penalty(people, clock):
    subject = entity(4)
    credit(subject, CreditKind.ABNORMAL, day=add_years(START, -4))
    data = {"basis": "abnormal_3y", "uscc": subject.uscc, "reason": "列入经营异常名录届满3年仍未履行相关义务",
            "statement": "长期无法联系", "factors": dict(FACTORS)}
    entry = act(serious.serious_propose(actor=people["officer"], data=data), "notify", people["officer"])
    entry = act(entry, "withdraw", people["officer"], reason="当事人已申请移出异常名录")
    assert entry.status == SeriousStatus.WITHDRAWN
    entry = act(serious.serious_propose(actor=people["officer"], data=data), "notify", people["officer"])
    clock.day = entry.statement_due + dt.timedelta(days=1)
    entry = act(act(entry, "submit", people["officer"]), "forward", people["head"])
    entry = act(entry, "record_upper", people["head"], upper_reference="函", upper_on=clock.day.isoformat())
    context = IssuedDocument.objects.get(pk=entry.decision_document_id).context
    assert entry.status == SeriousStatus.LISTED and "penalty" not in context and context["reason"] == entry.reason


def test_the_command_removes_the_entries_at_their_end(people, clock):
    entry = listed(people, clock)
    clock.day = entry.ends_on
    out = io.StringIO()
    call_command("credit", "serious-expire", stdout=out)
    assert f"届满移出 1 条：{entry.number}" in out.getvalue()
    entry.refresh_from_db()
    assert entry.status == SeriousStatus.REMOVED
