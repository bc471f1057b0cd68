"""行政强制 through the services (the API and the pages in test_api.py and test_pages.py): the transition tables (every
step allowed and refused), the 30 + 30 day limits and the excluded testing time, the emergency's 24 hours, the 催告 10
working days before a court application counted over 国庆 2026, the late-fee cap, two officers with valid credentials,
the documents with their item lists, the behaviour record, outsiders and anonymous callers."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone

from jianguan.accounts import services as accounts
from jianguan.accounts.models import Department, DepartmentKind, User
from jianguan.behaviour.models import Coercion
from jianguan.catalog.contracts import OutsideTheList
from jianguan.coercion import deadlines, executions, measures, selectors, workflow
from jianguan.coercion.models import Execution, Measure, MeasureStep
from jianguan.coercion.seed import seed_coercion
from jianguan.coercion.workflow import ExecutionState as E
from jianguan.coercion.workflow import MeasureState as M
from jianguan.core.errors import AccessDenied, InvalidTransition, NotFound, ValidationFailed
from jianguan.core.seeding import SeedContext
from jianguan.documents import contracts as documents
from jianguan.enforcement.models import CaseEvent
from jianguan.subjects.models import MarketEntity
from tests.coercion.world import _case, _emergency, _execution, _in_force_since_sept_1, _officer, _request, _values
from tests.library_fixtures import PENALTY, SYSTEM, inspect

pytestmark = pytest.mark.django_db

















def _text_of(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


# The transition tables ------------------------------------------------------------------------------------------

# The steps of the law, written out once more by hand: a change to the table must be a change here too.
MEASURE_FLOW = {
    workflow.NEW: {"request", "act_emergency"},
    M.REQUESTED: {"approve", "refuse"},
    M.APPROVED: {"implement", "withdraw"},
    M.EMERGENCY: {"approve", "release"},
    M.IN_FORCE: {"extend", "test", "release", "dispose"},
    M.REFUSED: set(), M.WITHDRAWN: set(), M.RELEASED: set(), M.DISPOSED: set(),
}
ENFORCEMENT_FLOW = {
    workflow.NEW: {"create"},
    E.CREATED: {"demand", "comply", "terminate"},
    E.DEMANDED: {"hear", "decide_immediately", "apply_court", "comply", "terminate"},
    E.HEARD: {"decide", "apply_court", "comply", "terminate"},
    E.DECIDED: {"execute", "comply", "terminate"},
    E.APPLIED: {"court_enforce", "court_refuse", "comply", "terminate"},
    E.EXECUTED: set(), E.COMPLIED: set(), E.TERMINATED: set(),
}


@pytest.mark.parametrize(("edges", "flow", "actions"), [
    (workflow.MEASURE_EDGES, MEASURE_FLOW, workflow.MEASURE_ACTIONS),
    (workflow.EXECUTION_EDGES, ENFORCEMENT_FLOW, workflow.EXECUTION_ACTIONS)])
def test_every_step_is_allowed_in_its_states_and_refused_in_the_others(edges, flow, actions):
    for state, expected in flow.items():
        for action in actions:
            if action in expected:
                assert workflow.edge(edges, state, action).action == action
            else:
                with pytest.raises(InvalidTransition) as refused:
                    workflow.edge(edges, state, action)
                assert refused.value.status == 409
                assert set(refused.value.extra["allowed"]) == expected, (state, action)


def test_out_of_order_steps_of_a_stored_measure_are_refused_with_the_open_actions(world):
    measure = _request(world)
    for state in workflow.MEASURE_STATES:
        Measure.objects.filter(pk=measure.pk).update(status=state)
        for action in (*measures.MEASURE_SERVICES, "fly"):
            if action in MEASURE_FLOW[state]:
                continue
            with pytest.raises(InvalidTransition) as refused:
                measures.measure_transition(actor=world["head"], measure_id=measure.pk, action=action)
            assert refused.value.extra["allowed"] == workflow.allowed(workflow.MEASURE_EDGES, state), (state, action)
    assert MeasureStep.objects.filter(measure=measure).count() == 1  # nothing happened


def test_out_of_order_steps_of_a_stored_enforcement_are_refused(world):
    execution = _execution(world, power="own")
    for state in workflow.EXECUTION_STATES:
        Execution.objects.filter(pk=execution.pk).update(status=state)
        for action in (*executions.EXECUTION_SERVICES, "fly"):
            if action in ENFORCEMENT_FLOW[state]:
                continue
            with pytest.raises(InvalidTransition) as refused:
                executions.execution_transition(actor=world["actor"], execution_id=execution.pk, action=action)
            assert refused.value.extra["allowed"] == workflow.allowed(workflow.EXECUTION_EDGES, state)


def test_a_measure_approved_in_advance_then_carried_out(world):
    measure = _request(world)
    assert measure.status == M.REQUESTED and measure.due_on is None and measure.items.count() == 2
    with pytest.raises(AccessDenied):  # the officer does not approve their own measure
        measures.measure_approve(actor=world["actor"], measure_id=measure.pk)
    measures.measure_approve(actor=world["head"], measure_id=measure.pk, note="同意")
    with pytest.raises(AccessDenied):  # the head does not carry it out
        measures.measure_implement(actor=world["head"], measure_id=measure.pk)
    today = timezone.localdate()
    measure = measures.measure_implement(actor=world["actor"], measure_id=measure.pk, on=today)
    assert measure.status == M.IN_FORCE and measure.starts_on == today
    assert measure.due_on == today + dt.timedelta(days=30)
    assert [o["credential"] for o in measure.officers] == ["4212007000001", "4212007000002"]
    assert [s.action for s in measure.steps.all()] == ["request", "approve", "implement"]
    behaviour = Coercion.objects.get(number=measure.number)
    assert behaviour.kind == "measure" and behaviour.decision_number == measure.decision_number
    assert behaviour.party_code == world["entity"].uscc and behaviour.starts_on == today


def test_refused_and_withdrawn_measures_end_without_a_decision(world):
    refused = measures.measure_refuse(actor=world["head"], measure_id=_request(world).pk, reason="证据不足")
    assert refused.status == M.REFUSED and refused.decision_number == ""
    approved = measures.measure_approve(actor=world["head"], measure_id=_request(world).pk)
    withdrawn = measures.measure_withdraw(actor=world["actor"], measure_id=approved.pk, reason="当事人已自行下架")
    assert withdrawn.status == M.WITHDRAWN
    with pytest.raises(ValidationFailed) as empty:
        measures.measure_refuse(actor=world["head"], measure_id=_request(world).pk, reason=" ")
    assert empty.value.code == "required"
    assert not Coercion.objects.filter(number__in=[refused.number, withdrawn.number]).exists()


# 30 + 30 days ----------------------------------------------------------------------------------------------------

def test_a_period_over_30_days_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        _request(world, days=31)
    assert refused.value.code == "days_out_of_range"
    assert _request(world, days=30).days == 30


def test_the_31st_day_is_refused_without_an_extension(world):
    measure = _in_force_since_sept_1(world)
    assert measure.due_on == dt.date(2026, 10, 1)  # 30 days counted from the day after 1 September
    assert selectors.measure_facts(measure)["overdue"]
    assert measure in selectors.measure_list(reader=world["actor"], overdue=True)
    for action, fields in (("dispose", {"reason": "没收"}), ("extend", {"days": 10, "reason": "情况复杂"})):
        with pytest.raises(ValidationFailed) as late:
            measures.measure_transition(actor=world["head"], measure_id=measure.pk, action=action,
                                        on=dt.date(2026, 10, 2), **fields)
        assert late.value.code == "period_expired"
    released = measures.measure_release(actor=world["actor"], measure_id=measure.pk, reason="期限届满",
                                        on=dt.date(2026, 10, 2))
    assert released.status == M.RELEASED and released.steps.last().data["overdue"] is True
    on_day_30 = measures.measure_dispose(actor=world["head"], measure_id=_in_force_since_sept_1(world).pk,
                                         reason="依处罚决定没收", on=dt.date(2026, 10, 1))
    assert on_day_30.status == M.DISPOSED


def test_one_extension_of_at_most_30_days(world):
    measure = _in_force_since_sept_1(world)
    with pytest.raises(AccessDenied):
        measures.measure_extend(actor=world["actor"], measure_id=measure.pk, days=30, reason="情况复杂",
                                on=dt.date(2026, 9, 30))
    with pytest.raises(ValidationFailed) as too_long:
        measures.measure_extend(actor=world["head"], measure_id=measure.pk, days=31, reason="情况复杂",
                                on=dt.date(2026, 9, 30))
    assert too_long.value.code == "days_out_of_range"
    with pytest.raises(ValidationFailed) as no_reason:
        measures.measure_extend(actor=world["head"], measure_id=measure.pk, days=30, reason="",
                                on=dt.date(2026, 9, 30))
    assert no_reason.value.code == "required"
    extended = measures.measure_extend(actor=world["head"], measure_id=measure.pk, days=30,
                                       reason="涉案物品数量大，需逐一核查来源", on=dt.date(2026, 9, 30))
    assert extended.due_on == dt.date(2026, 10, 31) and extended.extension_days == 30
    with pytest.raises(ValidationFailed) as twice:
        measures.measure_extend(actor=world["head"], measure_id=measure.pk, days=1, reason="再延长",
                                on=dt.date(2026, 10, 5))
    assert twice.value.code == "extension_once"
    with pytest.raises(ValidationFailed) as day_61:
        measures.measure_dispose(actor=world["head"], measure_id=measure.pk, reason="没收", on=dt.date(2026, 11, 1))
    assert day_61.value.code == "period_expired"
    assert measures.measure_dispose(actor=world["head"], measure_id=measure.pk, reason="没收",
                                    on=dt.date(2026, 10, 31)).status == M.DISPOSED


def test_a_freeze_has_the_same_30_plus_30_days(world):
    measure = _in_force_since_sept_1(world, kind="freeze", items=[
        {"name": "基本存款账户", "spec": "工商银行 尾号0427", "quantity": "58000", "unit": "元"}])
    assert measure.due_on == dt.date(2026, 10, 1)
    with pytest.raises(ValidationFailed) as too_long:
        measures.measure_extend(actor=world["head"], measure_id=measure.pk, days=31, reason="情况复杂",
                                on=dt.date(2026, 9, 20))
    assert too_long.value.code == "days_out_of_range"
    with pytest.raises(ValidationFailed) as no_testing:  # testing time is excluded for goods held, not for sums
        measures.measure_test(actor=world["actor"], measure_id=measure.pk, starts_on="2026-09-10",
                              ends_on="2026-09-19", agency="检测所", notified_on="2026-09-10")
    assert no_testing.value.code == "testing_not_for_kind"


def test_announced_testing_time_is_not_counted(world):
    measure = _in_force_since_sept_1(world)
    with pytest.raises(ValidationFailed) as untold:
        measures.measure_test(actor=world["actor"], measure_id=measure.pk, starts_on="2026-09-10",
                              ends_on="2026-09-19", agency="湖北省食品质量安全监督检验研究院", notified_on="2026-09-12")
    assert untold.value.code == "testing_not_notified"
    tested = measures.measure_test(actor=world["actor"], measure_id=measure.pk, starts_on="2026-09-10",
                                   ends_on="2026-09-19", agency="湖北省食品质量安全监督检验研究院",
                                   notified_on="2026-09-09")
    assert tested.excluded_days == 10 and tested.due_on == dt.date(2026, 10, 11)
    with pytest.raises(ValidationFailed) as overlap:
        measures.measure_test(actor=world["actor"], measure_id=measure.pk, starts_on="2026-09-15",
                              ends_on="2026-09-25", agency="另一检测机构", notified_on="2026-09-14")
    assert overlap.value.code == "testing_overlap"
    assert measures.measure_dispose(actor=world["head"], measure_id=measure.pk, reason="没收",
                                    on=dt.date(2026, 10, 11)).status == M.DISPOSED


# The emergency's 24 hours ---------------------------------------------------------------------------------------

def test_an_emergency_measure_waits_for_the_head_and_is_overdue_after_24_hours(world):
    fresh = _emergency(world, at=timezone.now() - dt.timedelta(hours=2))
    late = _emergency(world, at=timezone.now() - dt.timedelta(hours=25))
    assert fresh.status == late.status == M.EMERGENCY and fresh.decision_number  # handed over on the spot
    assert not selectors.measure_facts(fresh)["overdue"] and selectors.measure_facts(late)["overdue"]
    assert list(selectors.measure_list(reader=world["actor"], overdue=True)) == [late]
    assert selectors.dashboard_counts(reader=world["actor"])["overdue"] == 1
    with pytest.raises(InvalidTransition):  # neither extended nor disposed of before the head approves
        measures.measure_transition(actor=world["head"], measure_id=late.pk, action="extend", days=5, reason="x")
    assert measures.measure_approve(actor=world["head"], measure_id=fresh.pk).steps.last().data == {"late": False}
    approved = measures.measure_approve(actor=world["head"], measure_id=late.pk)
    assert approved.status == M.IN_FORCE and approved.steps.last().data == {"late": True}
    assert not selectors.measure_facts(approved)["overdue"]


def test_an_emergency_measure_the_head_does_not_approve_is_released(world):
    measure = _emergency(world, at=timezone.now() - dt.timedelta(hours=30))
    released = measures.measure_release(actor=world["head"], measure_id=measure.pk, reason="负责人不予批准")
    assert released.status == M.RELEASED and released.ended_on == timezone.localdate()
    assert [s.action for s in released.steps.all()] == ["act_emergency", "release"]
    assert released.steps.last().document_title == "解除行政强制措施决定书"


def test_a_party_absent_needs_a_witness(world):
    with pytest.raises(ValidationFailed) as refused:
        _emergency(world, party_present=False)
    assert refused.value.code == "witness_required"
    assert _emergency(world, party_present=False, witness="社区网格员王芳").witness == "社区网格员王芳"


# Officers and items ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("officers", "code"), [
    (["qz_a"], "officers_too_few"),
    (["qz_a", "qz_a"], "officers_too_few"),
    (["qz_a", "qz_old"], "credential_invalid"),
    (["qz_a", "nobody"], "officer_unknown"),
    (["qz_a", "xa_scjg_officer"], "officer_other_department"),
])
def test_two_officers_with_credentials_valid_that_day(world, officers, code):
    with pytest.raises(ValidationFailed) as refused:
        _request(world, officers=officers)
    assert refused.value.code == code


def test_the_credential_is_checked_on_the_day_of_the_act(world, city):
    _officer(city, "qz_new", 4, valid_from=dt.date(2026, 10, 1))
    with pytest.raises(ValidationFailed) as before:  # on 1 September the credential was not yet valid
        _emergency(world, officers=["qz_a", "qz_new"])
    assert before.value.code == "credential_invalid"


@pytest.mark.parametrize(("items", "code"), [
    ([], "items_required"),
    ([{"name": "饼干", "quantity": "0", "unit": "袋"}], "item_quantity_invalid"),
    ([{"name": "", "quantity": "1", "unit": "袋"}], "required"),
    ([{"name": "饼干", "quantity": "1", "unit": "袋", "price": "9"}], "item_field_unknown"),
])
def test_the_item_list_is_required_and_checked(world, items, code):
    with pytest.raises(ValidationFailed) as refused:
        _request(world, items=items)
    assert refused.value.code == code


def test_a_measure_rests_on_a_coercion_item_of_the_list_and_an_inspection(world):
    with pytest.raises(OutsideTheList) as wrong:
        _request(world, catalog_code=PENALTY)
    assert wrong.value.code == "catalog_item_wrong_type"
    with pytest.raises(ValidationFailed) as unknown:
        _request(world, inspection_number="JC-0000")
    assert unknown.value.code == "inspection_unknown"
    with pytest.raises(ValidationFailed) as other:
        _request(world, kind="other")
    assert other.value.code == "kind_note_required"


# Documents ------------------------------------------------------------------------------------------------------

def test_the_decision_lists_the_items_and_the_release_is_documented(world):
    measure = _emergency(world, at=timezone.now() - dt.timedelta(hours=1))
    issued = documents.get(measure.decision_document_id)
    assert issued.kind == "seizure_decision" and issued.number == measure.decision_number
    text = _text_of(documents.pdf(issued.id))
    for entry in ("过期饼干", "200g/袋", "46", "散装白酒"):
        assert entry in text, entry
    assert measure.party_name[:6] in text
    measure = measures.measure_approve(actor=world["head"], measure_id=measure.pk)
    measure = measures.measure_extend(actor=world["head"], measure_id=measure.pk, days=15, reason="需进一步调查")
    measure = measures.measure_release(actor=world["actor"], measure_id=measure.pk, reason="经检验合格")
    titles = [(s.action, s.document_title) for s in measure.steps.all() if s.document_id]
    assert titles == [("act_emergency", "查封（扣押）决定书"), ("extend", "延长行政强制措施期限决定书"),
                      ("release", "解除行政强制措施决定书")]
    release = measure.steps.get(action="release")
    assert "经检验合格" in _text_of(documents.pdf(release.document_id))


# The case ------------------------------------------------------------------------------------------------------



def test_a_measure_linked_to_its_case_writes_into_the_case_history(world):
    case = _case(world)
    measure = _request(world, case_number=case.number)
    assert (measure.case_number, measure.case_id) == (case.number, case.id)
    measures.measure_approve(actor=world["head"], measure_id=measure.pk)
    verbs = list(CaseEvent.objects.filter(case_id=case.id).order_by("seq").values_list("verb", flat=True))
    assert verbs[-2:] == ["coercion.measure_request", "coercion.measure_approve"]


def test_a_measure_may_precede_its_case(world):
    measure = _emergency(world, at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(ValidationFailed) as unknown:
        measures.measure_link_case(actor=world["actor"], measure_id=measure.pk, case_number="不存在的案件")
    assert unknown.value.code == "case_unknown"
    other = _case(world, entity=MarketEntity.objects.exclude(pk=world["entity"].pk).filter(
        region__code__startswith="4212").first(), ref="JC-CASE-2")
    with pytest.raises(ValidationFailed) as mismatch:
        measures.measure_link_case(actor=world["actor"], measure_id=measure.pk, case_number=other.number)
    assert mismatch.value.code == "case_party_mismatch"  # a case of another entity
    case = _case(world)
    linked = measures.measure_link_case(actor=world["actor"], measure_id=measure.pk, case_number=case.number)
    assert linked.case_id == case.id
    event = CaseEvent.objects.get(case_id=case.id, verb="coercion.measure_act_emergency")
    assert event.document_id == measure.decision_document_id and event.document_sha256
    with pytest.raises(InvalidTransition) as twice:
        measures.measure_link_case(actor=world["actor"], measure_id=measure.pk, case_number=case.number)
    assert twice.value.code == "case_already_linked"


def test_an_enforcement_linked_to_its_case(world):
    case = _case(world)
    execution = _execution(world, case_number=case.number)
    executions.execution_demand(actor=world["actor"], execution_id=execution.pk, served_on="2026-05-10",
                                deadline="2026-05-20", manner="银行缴款")
    event = CaseEvent.objects.get(case_id=case.id, verb="coercion.enforcement_demand")
    assert event.document_id == Execution.objects.get(pk=execution.pk).steps.get(action="demand").document_id


# 行政强制执行 ---------------------------------------------------------------------------------------------------



def test_late_fees_never_exceed_the_principal():
    due = dt.date(2026, 3, 7)
    assert deadlines.late_fee(principal=Decimal("5000"), payment_due=due, on=due) == 0
    assert deadlines.late_fee(principal=Decimal("5000"), payment_due=due, on=due + dt.timedelta(days=20)) == 3000
    assert deadlines.late_fee(principal=Decimal("5000"), payment_due=due, on=due + dt.timedelta(days=34)) == 5000
    assert deadlines.late_fee(principal=Decimal("5000"), payment_due=due, on=due + dt.timedelta(days=400)) == 5000


def test_a_demand_with_late_fees_above_the_principal_is_refused(world):
    execution = _execution(world)
    with pytest.raises(ValidationFailed) as refused:
        executions.execution_demand(actor=world["actor"], execution_id=execution.pk, served_on="2026-05-10",
                                    deadline="2026-05-20", manner="银行缴款", late_fee="5000.01")
    assert refused.value.code == "late_fee_above_principal"
    demanded = executions.execution_demand(actor=world["actor"], execution_id=execution.pk,
                                           served_on="2026-05-10", deadline="2026-05-20", manner="银行缴款")
    assert demanded.demand_late_fee == Decimal("5000.00")  # 64 days × 150 yuan, capped
    assert selectors.execution_facts(demanded)["late_fee"] == Decimal("5000.00")
    assert documents.get(demanded.steps.get(action="demand").document_id).kind == "demand_notice"


def test_own_enforcement_demand_hearing_decision_execution(world):
    execution = _execution(world)
    executions.execution_demand(actor=world["actor"], execution_id=execution.pk, served_on="2026-05-10",
                                deadline="2026-05-20", manner="至指定银行缴纳罚款及加处罚款")
    executions.execution_hear(actor=world["actor"], execution_id=execution.pk, statement="经营困难，请求分期",
                              on="2026-05-12")
    with pytest.raises(ValidationFailed) as early:
        executions.execution_decide(actor=world["head"], execution_id=execution.pk, reason="逾期不履行",
                                    on="2026-05-20")
    assert early.value.code == "demand_not_lapsed"
    with pytest.raises(AccessDenied):
        executions.execution_decide(actor=world["actor"], execution_id=execution.pk, reason="逾期不履行",
                                    on="2026-05-21")
    decided = executions.execution_decide(actor=world["head"], execution_id=execution.pk,
                                          reason="催告期满仍不履行，陈述理由不成立", on="2026-05-21")
    assert decided.status == E.DECIDED and decided.decision_number
    record = Coercion.objects.get(number=decided.number)
    assert record.kind == "enforcement" and record.decision_number == decided.decision_number
    done = executions.execution_execute(actor=world["actor"], execution_id=execution.pk,
                                        result="已划拨罚款及加处罚款", collected="10000", on="2026-05-28")
    assert done.status == E.EXECUTED
    assert [s.action for s in done.steps.all()] == ["create", "demand", "hear", "decide", "execute"]


def test_enforcing_late_fees_needs_30_days_of_them_before_the_demand(world):
    execution = _execution(world)
    executions.execution_demand(actor=world["actor"], execution_id=execution.pk, served_on="2026-03-27",
                                deadline="2026-04-03", manner="银行缴款")
    executions.execution_hear(actor=world["actor"], execution_id=execution.pk, waived=True, on="2026-03-30")
    with pytest.raises(ValidationFailed) as refused:
        executions.execution_decide(actor=world["head"], execution_id=execution.pk, reason="逾期",
                                    on="2026-04-10")
    assert refused.value.code == "late_fees_under_30_days"


def test_an_upheld_objection_stops_the_enforcement(world):
    execution = _execution(world)
    executions.execution_demand(actor=world["actor"], execution_id=execution.pk, served_on="2026-05-10",
                                deadline="2026-05-20", manner="银行缴款")
    executions.execution_hear(actor=world["actor"], execution_id=execution.pk, statement="已于3月缴纳，有凭证",
                              upheld=True, on="2026-05-12")
    with pytest.raises(InvalidTransition) as refused:
        executions.execution_decide(actor=world["head"], execution_id=execution.pk, reason="x", on="2026-06-01")
    assert refused.value.code == "objection_upheld"
    ended = executions.execution_terminate(actor=world["head"], execution_id=execution.pk,
                                           reason="当事人已履行，陈述成立")
    assert ended.status == E.TERMINATED


def test_an_immediate_decision_while_assets_are_being_moved(world):
    execution = _execution(world)
    executions.execution_demand(actor=world["actor"], execution_id=execution.pk, served_on="2026-05-10",
                                deadline="2026-05-20", manner="银行缴款")
    with pytest.raises(ValidationFailed) as after:
        executions.execution_decide_immediately(actor=world["head"], execution_id=execution.pk,
                                                reason="转移设备", on="2026-05-21")
    assert after.value.code == "not_in_demand_period"
    decided = executions.execution_decide_immediately(actor=world["head"], execution_id=execution.pk,
                                                      reason="当事人正在搬离生产设备", on="2026-05-13")
    assert decided.status == E.DECIDED and decided.immediate


def test_the_court_application_waits_10_working_days_over_national_day_2026(world):
    served = dt.date(2026, 9, 28)  # Monday; 1–7 October are holidays, Saturday 10 October is a working day
    assert deadlines.court_earliest(served) == dt.date(2026, 10, 17)  # the 10th working day is 16 October
    execution = _execution(world, power="court", mode="other")
    assert execution.remedy_ends == dt.date(2026, 8, 20)  # six months after the decision was served
    executions.execution_demand(actor=world["actor"], execution_id=execution.pk, served_on=served,
                                deadline="2026-10-09", manner="银行缴款")
    for too_early in ("2026-10-12", "2026-10-16"):  # 10 weekdays / 10 working days counted to the day
        with pytest.raises(ValidationFailed) as refused:
            executions.execution_apply_court(actor=world["head"], execution_id=execution.pk,
                                             court="咸安区人民法院", on=too_early)
        assert refused.value.code == "court_too_early"
    with pytest.raises(InvalidTransition) as own:
        executions.execution_decide_immediately(actor=world["head"], execution_id=execution.pk,
                                                reason="转移", on="2026-10-09")
    assert own.value.code == "needs_court"
    applied = executions.execution_apply_court(actor=world["head"], execution_id=execution.pk,
                                               court="咸安区人民法院", on="2026-10-19")
    assert applied.status == E.APPLIED
    # Issue 14: the record carries the exchange dictionary's value (申请法院 is no mode of 第十二条).
    assert Coercion.objects.get(number=applied.number).enforcement_type == "其他强制执行方式"
    ruled = executions.execution_court_enforce(actor=world["actor"], execution_id=execution.pk,
                                               result="法院裁定准予执行，已执行到位", collected="5000", on="2026-11-20")
    assert ruled.status == E.EXECUTED


def test_the_court_application_lies_within_3_months_after_the_remedy_period(world):
    late = _execution(world, power="court", mode="other")  # remedies end 20 August: apply by 20 November
    executions.execution_demand(actor=world["actor"], execution_id=late.pk, served_on="2026-09-28",
                                deadline="2026-10-09", manner="银行缴款")
    with pytest.raises(ValidationFailed) as passed:
        executions.execution_apply_court(actor=world["head"], execution_id=late.pk, court="法院", on="2026-11-21")
    assert passed.value.code == "court_window_passed"
    late.refresh_from_db()
    assert selectors.execution_facts(late, today=dt.date(2026, 11, 21))["court_overdue"]
    assert not selectors.execution_facts(late, today=dt.date(2026, 11, 20))["court_overdue"]
    running = _execution(world, power="court", mode="other", decision_served_on="2026-06-01",
                         payment_due="2026-06-16")
    executions.execution_demand(actor=world["actor"], execution_id=running.pk, served_on="2026-09-28",
                                deadline="2026-10-09", manner="银行缴款")
    with pytest.raises(ValidationFailed) as early:  # remedies run to 1 December
        executions.execution_apply_court(actor=world["head"], execution_id=running.pk, court="法院",
                                         on="2026-11-20")
    assert early.value.code == "remedy_period_running"


def test_the_other_ends_of_an_enforcement(world):
    refused = _execution(world, power="court", mode="other")
    executions.execution_demand(actor=world["actor"], execution_id=refused.pk, served_on="2026-09-28",
                                deadline="2026-10-09", manner="银行缴款")
    executions.execution_apply_court(actor=world["head"], execution_id=refused.pk, court="法院", on="2026-10-20")
    assert executions.execution_court_refuse(actor=world["actor"], execution_id=refused.pk,
                                             reason="法院裁定不予执行").status == E.TERMINATED
    paid = executions.execution_comply(actor=world["actor"], execution_id=_execution(world).pk,
                                       result="当事人已缴纳", collected="5000")
    assert paid.status == E.COMPLIED and paid.collected == Decimal("5000.00")


# Who may see ----------------------------------------------------------------------------------------------------

def test_other_departments_and_outsiders_see_nothing(world, persona, outsider):
    measure = _request(world)
    for reader in (outsider, persona("xa_scjg_officer")):
        assert not selectors.measure_list(reader=reader).exists()
        with pytest.raises(NotFound):
            measures.measure_approve(actor=reader, measure_id=measure.pk)
    assert list(selectors.measure_list(reader=world["head"])) == [measure]












def test_the_demo_seed_makes_measures_through_the_services(world, city):
    for day in (dt.date(2026, 9, 1), dt.date(2026, 9, 2), dt.date(2026, 9, 3)):
        inspect(world["entity"], number=f"JC-SEED-{day:%d}", day=day)
    seed_coercion(SeedContext(scale="demo", seed=7, stdout=io.StringIO(), progress_enabled=False))
    statuses = sorted(Measure.objects.values_list("status", flat=True))
    assert statuses == sorted([M.IN_FORCE, M.EMERGENCY, M.RELEASED])
    assert Measure.objects.filter(selectors.overdue_q()).count() == 1
    assert Execution.objects.get().status == E.DEMANDED


# Who approves: the head of the acting body, never the proposer (issue "who may act") --------------------------

def _head_of(kind: str, region: str, username: str, roles: tuple[str, ...] = ("head",)) -> User:
    department = Department.objects.get(kind=kind, region_id=region)
    user = accounts.user_create(actor=SYSTEM, username=username, full_name=f"负责人{username}", department=department,
                                password_hash="!", roles=list(roles))
    return User.objects.get(pk=user.pk)


def test_only_the_head_of_the_acting_body_approves_an_emergency_measure(world, persona):
    """《行政强制法》第十九条: an emergency 查封 is approved afterwards by the acting body's head (负责人), and by
    nobody who merely reads the body's records (the government office's read-only 领导) or heads another body."""
    measure = _emergency(world, kind="seal_premises")
    others = [persona("leader"), persona("dataadmin"), persona("scjg_admin"),
              _head_of(DepartmentKind.STHJ, "421200", "sthj_head"), _head_of(DepartmentKind.SCJG, "421202", "xa_head")]
    for who in others:  # those who read the measure are refused (403); the others do not see it (404)
        with pytest.raises((AccessDenied, NotFound)) as refused:
            measures.measure_approve(actor=who, measure_id=measure.pk)
        reads = Measure.objects.visible_to(who).filter(pk=measure.pk).exists()
        assert refused.value.code == ("not_allowed_for_role" if reads else "not_found"), who.username
    assert Measure.objects.visible_to(persona("leader")).filter(pk=measure.pk).exists()
    assert Measure.objects.get(pk=measure.pk).status == M.EMERGENCY and not measure.steps.filter(
        action="approve").exists()
    assert measures.measure_approve(actor=world["head"], measure_id=measure.pk).status == M.IN_FORCE


def test_only_the_head_of_the_acting_body_terminates_a_compulsory_enforcement(world, persona):
    """《行政强制法》第三十九条、第十八条: ending an execution is the acting body's decision, taken by its head."""
    execution = _execution(world)
    for who in (persona("leader"), _head_of(DepartmentKind.STHJ, "421200", "sthj_head")):
        with pytest.raises((AccessDenied, NotFound)):
            executions.execution_terminate(actor=who, execution_id=execution.pk, reason="当事人已履行")
    assert Execution.objects.get(pk=execution.pk).status == E.CREATED
    assert executions.execution_terminate(actor=world["head"], execution_id=execution.pk,
                                          reason="当事人已履行").status == E.TERMINATED


def test_the_proposer_never_approves_their_own_measure(world):
    """An officer who is also the body's head requests a measure: another head approves it, never they."""
    both = _head_of(DepartmentKind.SCJG, "421200", "qz_head", roles=("officer", "head"))
    accounts.credential_add(actor=SYSTEM, user=both, number="421200799999", issued_by="咸宁市人民政府",
                            valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2029, 12, 31), domains=["市场监管"],
                            qualifications=["食品"])
    measure = measures.measure_request(actor=User.objects.get(pk=both.pk), **_values(world))
    assert measure.requested_by == both  # the 提出人, on the record
    for attempt in (lambda: measures.measure_approve(actor=both, measure_id=measure.pk),
                    lambda: measures.measure_refuse(actor=both, measure_id=measure.pk, reason="自行审批")):
        with pytest.raises(AccessDenied) as refused:
            attempt()
        assert refused.value.code == "same_person" and refused.value.message == "提出人与批准人不得为同一人"
    assert Measure.objects.get(pk=measure.pk).status == M.REQUESTED
    assert measures.measure_approve(actor=world["head"], measure_id=measure.pk).approved_by == world["head"]
