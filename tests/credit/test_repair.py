"""Credit repair (ADR 0045): scheme rows checked as data, the publication period of a penalty, applications judged
by each condition with its rule (the minimum period on its boundary day and the day before, performance, the heavy
types, the two lists), the version chosen by either date, the decision on the workflow, and the early end recorded
and queued for the provincial platform."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from jianguan.audit.models import AuditEvent
from jianguan.behaviour.models import Penalty
from jianguan.core.actors import SystemActor
from jianguan.core.errors import AccessDenied, NotFound, ValidationFailed
from jianguan.credit import repair, repair_checks
from jianguan.credit import repair_policy as rp
from jianguan.credit.contracts import publication_end_list
from jianguan.credit.models import CreditKind, PublicationEnd, RepairApplication, RepairPolicy, RepairStatus
from jianguan.documents.models import IssuedDocument
from jianguan.exchange.collect import platform_collect
from jianguan.exchange.models import OutboxRecord
from tests.credit.world import credit, entities, penalty
from tests.library_fixtures import PENALTY

PORTAL = SystemActor("public-portal")
PDF = repair.Upload("承诺书.pdf", b"%PDF-1.4 commitment")
PNG = repair.Upload("整改.png", b"\x89PNG\r\n\x1a\n proof")
DECIDED = dt.date(2026, 1, 10)

pytestmark = pytest.mark.django_db


def facts(kinds=("02",), fine="50000", procedure="02", major=False, result="罚款", text="", day=DECIDED):
    return rp.PenaltyFacts(decided_on=day, kinds=frozenset(kinds), fine=Decimal(fine) if fine else None,
                           procedure=procedure, major=major, text=text, result=result)


# --- the data file ------------------------------------------------------------------------------------------------

def _rows(**change):
    data = json.loads(rp.newest_file().read_text())
    data["rows"][0].update(change)
    return data


@pytest.mark.once
def test_the_shipped_schemes_parse_and_cover_each_period():
    policy, _ = rp.read(rp.newest_file())
    assert policy.row_for(channel="gsxt", category="general", day=dt.date(2025, 1, 1)).scheme == "samr-2021-3"
    assert policy.row_for(channel="creditchina", category="general", day=dt.date(2020, 1, 1)).scheme == "ndrc-2019-527"
    assert policy.row_for(channel="creditchina", category="serious", day=dt.date(2024, 1, 1)).scheme == "ndrc-58"
    assert policy.row_for(channel="creditchina", category="minor", day=dt.date(2026, 4, 1)).scheme == "ndrc-2026"
    assert policy.row_for(channel="creditchina", category="minor", day=dt.date(2026, 3, 31)) is None


@pytest.mark.once
@pytest.mark.parametrize(("change", "code", "row"), [
    ({"min_months": "三"}, "min_months_invalid", "第1行"),
    ({"min_months": 24}, "period_order", "第1行"),
    ({"category": "很严重"}, "category_invalid", "第1行"),
    ({"effective_from": "2019-13-01"}, "effective_from_invalid", "第1行"),
    ({"non_repairable_kinds": ["99"]}, "non_repairable_kinds_invalid", "第1行"),
    ({"repairable": "yes"}, "repairable_invalid", "第1行"),
    ({"effective_to": "2026-05-01"}, "rows_overlap", "第3行"),
])
def test_a_row_that_does_not_parse_is_refused_with_file_row_and_rule(change, code, row):
    with pytest.raises(rp.PolicyInvalid) as refused:
        rp.parse(_rows(**change), "repair-x.json")
    assert refused.value.code == code
    assert refused.value.message.startswith(f"信用修复方案 repair-x.json：{row}")


def test_a_version_is_stored_once_and_a_changed_file_needs_a_new_version(tmp_path):
    first = repair_checks.policy_load(actor=PORTAL)
    assert repair_checks.policy_load(actor=PORTAL).pk == first.pk
    changed = _rows(note="改过")
    path = tmp_path / f"credit-repair-{changed['version']}.json"
    path.write_text(json.dumps(changed, ensure_ascii=False))
    with pytest.raises(ValidationFailed) as refused:
        repair_checks.policy_load(actor=PORTAL, path=path)
    assert refused.value.code == "policy_version_changed"
    assert RepairPolicy.objects.count() == 1


# --- the publication period ---------------------------------------------------------------------------------------

@pytest.mark.once
@pytest.mark.parametrize(("kw", "published", "months"), [
    ({"procedure": "01"}, False, 0),
    ({"kinds": ("01",), "fine": None}, False, 0),
    ({"kinds": ("08",), "fine": None}, True, 3),
    ({"kinds": ("01", "02"), "fine": "10000"}, True, 3),
    ({"kinds": ("02",), "fine": "10000.01"}, True, 36),
    ({"kinds": ("13",), "result": "限制从业五年"}, True, 60),
    ({"kinds": ("12",), "result": "限制开展生产经营活动2年"}, True, 36),
])
def test_the_publication_period_follows_the_kind_and_amount(kw, published, months):
    found = rp.publication(facts(**kw), low_fine=Decimal(10000))
    assert (found.published, found.months) == (published, months)
    if published:
        assert found.ends_on == rp.add_months(DECIDED, months)


@pytest.mark.once
def test_months_are_added_to_the_last_day_of_a_shorter_month():
    assert rp.add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)


# --- applications -------------------------------------------------------------------------------------------------

def _values(p: Penalty, **change):
    return {"uscc": p.party_code, "decision_number": p.decision_number, "applicant_name": "王经理",
            "applicant_phone": "13800000000", "correction": "已缴清罚款并完成整改", **change}


def _penalty(**change) -> Penalty:
    found = penalty(entities(1, offset=60)[0], day=DECIDED)
    Penalty.objects.filter(pk=found.pk).update(**{"penalty_kinds": ["02"], "fine": Decimal("50000"),
                                                  "name": "销售过期商品", **change})
    found.refresh_from_db()
    return found


def apply(p: Penalty, today: dt.date, **change) -> RepairApplication:
    return repair.repair_apply(actor=PORTAL, channel="portal", values=_values(p, **change), commitment=PDF,
                               proofs=[PNG], today=today)


def test_the_minimum_period_is_served_on_its_boundary_day_not_the_day_before():
    p = _penalty()
    with pytest.raises(ValidationFailed) as refused:
        apply(p, dt.date(2026, 7, 9))
    assert refused.value.code == "min_period_not_served" and refused.value.extra["eligible_on"] == "2026-07-10"
    app = apply(p, dt.date(2026, 7, 10))
    assert (app.scheme, app.category, app.eligible_on) == ("samr-2021-3", "general", dt.date(2026, 7, 10))
    assert app.attachments.count() == 2 and app.raw["applicant_name"] == "王经理"
    assert AuditEvent.objects.filter(verb="credit.repair_applied").count() == 1


def test_food_penalties_are_published_a_year_first():
    p = _penalty(name="销售过期食品")
    with pytest.raises(ValidationFailed) as refused:
        apply(p, dt.date(2026, 12, 9))
    assert refused.value.code == "min_period_not_served"
    assert apply(p, dt.date(2027, 1, 10)).eligible_on == dt.date(2027, 1, 10)


@pytest.mark.parametrize(("change", "code", "day"), [
    ({"closed_on": None}, "penalty_not_performed", dt.date(2026, 8, 1)),
    ({"penalty_kinds": ["02", "05"]}, "not_repairable", dt.date(2026, 8, 1)),
    ({"penalty_kinds": ["08"], "fine": None}, "not_repairable", dt.date(2026, 2, 1)),
    ({"penalty_kinds": ["08"], "fine": None}, "publication_over", dt.date(2026, 4, 10)),
    ({"procedure": "01"}, "not_published", dt.date(2026, 8, 1)),
])
def test_a_penalty_not_performed_or_not_repairable_is_refused_by_its_rule(change, code, day):
    p = _penalty(**change)
    with pytest.raises(ValidationFailed) as refused:
        apply(p, day)
    assert refused.value.code == code
    if code == "not_repairable":
        assert refused.value.message.startswith("不可修复")
    assert not RepairApplication.objects.exists()


@pytest.mark.parametrize("kind", [CreditKind.ABNORMAL, CreditKind.SERIOUS])
def test_an_entity_on_either_list_cannot_repair(kind):
    p = _penalty()
    credit(p.entity, kind, day=dt.date(2026, 2, 1))
    with pytest.raises(ValidationFailed) as refused:
        apply(p, dt.date(2026, 8, 1))
    assert refused.value.code == "entity_listed" and refused.value.field == "uscc"


def test_a_removed_listing_no_longer_stands_in_the_way():
    p = _penalty()
    credit(p.entity, CreditKind.ABNORMAL, day=dt.date(2026, 2, 1), ends_on=dt.date(2026, 5, 1))
    assert apply(p, dt.date(2026, 8, 1)).status == RepairStatus.SUBMITTED


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"uscc": "91420000ABCDEFGHIJ"}, "uscc", "uscc_invalid"),
    ({"applicant_name": ""}, "applicant_name", "required"),
    ({"applicant_phone": "电话"}, "applicant_phone", "phone_invalid"),
])
def test_bad_fields_are_refused_by_name(change, field, code):
    with pytest.raises(ValidationFailed) as refused:
        apply(_penalty(), dt.date(2026, 8, 1), **change)
    assert (refused.value.field, refused.value.code) == (field, code)


def test_files_must_be_pdf_or_images_and_present():
    p = _penalty()
    with pytest.raises(ValidationFailed) as refused:
        repair.repair_apply(actor=PORTAL, channel="portal", values=_values(p), proofs=[PNG], today=DECIDED,
                            commitment=repair.Upload("a.pdf", b"MZ not a pdf"))
    assert (refused.value.field, refused.value.code) == ("commitment", "file_type")
    with pytest.raises(ValidationFailed) as refused:
        repair.repair_apply(actor=PORTAL, channel="portal", values=_values(p), commitment=PDF, proofs=[],
                            today=DECIDED)
    assert refused.value.field == "proof"


def test_an_unknown_decision_is_not_found_and_a_second_application_is_refused():
    p = _penalty()
    with pytest.raises(NotFound):
        apply(p, dt.date(2026, 8, 1), decision_number="不存在的文号")
    apply(p, dt.date(2026, 8, 1))
    with pytest.raises(ValidationFailed) as refused:
        apply(p, dt.date(2026, 8, 2))
    assert refused.value.code == "repair_pending"


def test_an_officer_enters_only_the_penalties_of_their_own_department(persona):
    """A person who reads another body's penalty (the city bureau reads its county bureau's) does not enter an
    application for it: it is made to the body that decided the penalty (国市监信规〔2021〕3号 第五条)."""
    city, county = persona("scjg_officer"), persona("xa_scjg_officer")
    p = _penalty(department=county.department, region_id=county.department.region_id)
    assert Penalty.objects.visible_to(city).filter(pk=p.pk).exists()
    with pytest.raises(AccessDenied) as refused:
        repair.repair_apply(actor=city, channel="officer", values=_values(p), commitment=PDF, proofs=[PNG],
                            today=dt.date(2026, 8, 1))
    assert (refused.value.code, refused.value.field) == ("not_repair_officer", "decision_number")
    assert "行政处罚决定书文号" in refused.value.message and not RepairApplication.objects.exists()
    app = repair.repair_apply(actor=county, channel="officer", values=_values(p), commitment=PDF, proofs=[PNG],
                              today=dt.date(2026, 8, 1))
    assert (app.channel, app.department_id) == ("officer", county.department_id)


@pytest.mark.parametrize(("setting", "scheme"), [("decision", "ndrc-58"), ("application", "ndrc-2026")])
def test_the_setting_chooses_which_date_picks_the_version(settings, persona, setting, scheme):
    """A 生态环境 penalty (信用中国) decided under 令第58号, applied for under the 2026 办法."""
    settings.JIANGUAN_CREDIT_REPAIR_SCHEME_DATE = setting
    sthj = persona("sthj_officer").department
    p = _penalty(department=sthj, date=dt.date(2026, 1, 5))
    app = apply(p, dt.date(2026, 6, 1))
    assert (app.scheme, app.publication_channel) == (scheme, "creditchina")
    assert app.scheme_date == (dt.date(2026, 1, 5) if setting == "decision" else dt.date(2026, 6, 1))


# --- the decision and the early end -------------------------------------------------------------------------------

def test_an_approval_ends_the_publication_and_queues_the_withdrawal(persona, enforcement_items):
    nature = "individual" if entities(1, offset=60)[0].uscc.startswith("92") else "organisation"
    p = _penalty(party_nature=nature, catalog_code=PENALTY)
    app = apply(p, dt.date(2026, 8, 1))
    officer, head = persona("scjg_officer"), persona("scjg_head")
    repair.repair_act(actor=officer, application_id=app.pk, action="accept", today=dt.date(2026, 8, 2))
    with pytest.raises(ValidationFailed) as refused:
        repair.repair_act(actor=head, application_id=app.pk, action="approve", today=dt.date(2026, 8, 3))
    assert refused.value.code == "reasons_required"
    done = repair.repair_act(actor=head, application_id=app.pk, action="approve", reasons="已履行、已整改",
                             today=dt.date(2026, 8, 3))
    assert done.status == RepairStatus.APPROVED and done.decided_by == head
    document = IssuedDocument.objects.get(pk=done.decision_document)
    assert (document.kind, document.number) == ("credit_repair_decision", done.decision_document_number)
    assert document.context["approved"] is True and document.context["ends_on"] == "2026-08-03"
    assert document.context["penalty"]["number"] == p.decision_number
    assert document.context["basis"].startswith("国市监信规〔2021〕3号")
    assert document.context["reasons"] == "已履行、已整改"
    [end] = publication_end_list()
    assert (end.penalty_id, end.ended_on, end.repair_number) == (p.pk, dt.date(2026, 8, 3), app.number)
    platform_collect()
    [queued] = OutboxRecord.objects.filter(standard="disclosure_penalty")
    assert (queued.record_id, queued.op, queued.data["publish_status"]) == (str(p.record_id), "i", "1")
    assert queued.data["publish_until"] == "2026-08-03" and app.number in queued.data["remark"]
    platform_collect()
    assert OutboxRecord.objects.filter(standard="disclosure_penalty").count() == 1


def test_a_listing_after_acceptance_blocks_the_approval(persona):
    p = _penalty()
    app = apply(p, dt.date(2026, 8, 1))
    repair.repair_act(actor=persona("scjg_officer"), application_id=app.pk, action="accept")
    credit(p.entity, CreditKind.SERIOUS, day=dt.date(2026, 8, 2))
    with pytest.raises(ValidationFailed) as refused:
        repair.repair_act(actor=persona("scjg_head"), application_id=app.pk, action="approve", reasons="理由",
                          today=dt.date(2026, 8, 3))
    assert refused.value.code == "entity_listed"
    assert not PublicationEnd.objects.exists() and not IssuedDocument.objects.exists()


def test_a_rejection_issues_a_decision_that_keeps_the_publication_to_its_end(persona):
    app = apply(_penalty(), dt.date(2026, 8, 1))
    repair.repair_act(actor=persona("scjg_officer"), application_id=app.pk, action="accept")
    done = repair.repair_act(actor=persona("scjg_head"), application_id=app.pk, action="reject",
                             reasons="整改材料不完整")
    context = IssuedDocument.objects.get(pk=done.decision_document).context
    assert context["approved"] is False and context["reasons"] == "整改材料不完整"
    assert context["ends_on"] == done.publish_until.isoformat() and not PublicationEnd.objects.exists()
    event = AuditEvent.objects.get(verb="credit.repair_reject")
    assert event.payload["document"] == done.decision_document_number


def test_refusing_to_accept_issues_no_decision(persona):
    app = apply(_penalty(), dt.date(2026, 8, 1))
    done = repair.repair_act(actor=persona("scjg_officer"), application_id=app.pk, action="refuse",
                             reasons="材料不齐")
    assert done.status == RepairStatus.REJECTED and done.decision_document is None
    assert not IssuedDocument.objects.exists()


def test_the_person_who_accepted_does_not_decide(persona):
    head = persona("scjg_head")
    app = apply(_penalty(), dt.date(2026, 8, 1))
    repair.repair_act(actor=head, application_id=app.pk, action="accept")
    with pytest.raises(AccessDenied) as refused:
        repair.repair_act(actor=head, application_id=app.pk, action="reject", reasons="不符合")
    assert refused.value.code == "same_person"


def test_an_officer_does_not_decide_and_another_department_does_not_accept(persona):
    app = apply(_penalty(), dt.date(2026, 8, 1))
    with pytest.raises(AccessDenied):
        repair.repair_act(actor=persona("sthj_officer"), application_id=app.pk, action="accept")
    repair.repair_act(actor=persona("scjg_officer"), application_id=app.pk, action="accept")
    with pytest.raises(AccessDenied) as refused:
        repair.repair_act(actor=persona("scjg_officer"), application_id=app.pk, action="approve", reasons="x")
    assert refused.value.code == "not_repair_head"
