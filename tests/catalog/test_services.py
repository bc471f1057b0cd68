"""The one list: claim → review → publish, versions, as-of reads, diffs, and the refusals with their rules."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.accounts.models import DepartmentKind
from jianguan.audit.models import AuditEvent
from jianguan.catalog import change_requests, publishing, selectors
from jianguan.catalog.models import ChangeKind, ChangeStatus, Implementation
from jianguan.core.errors import AccessDenied, InvalidTransition, ValidationFailed
from tests.catalog_fixtures import DRUG, FOOD, MAIN, START, department_admin, food_fields, publish

pytestmark = pytest.mark.django_db


def test_claims_are_published_as_implementation_rows(small_catalog):
    rows = Implementation.objects.filter(item__code=FOOD).select_related("body")
    assert {r.body.region_id for r in rows} == {"421200", "421202"}
    city = rows.get(body__region_id="421200")
    assert city.code == f"{city.body.uscc}3{FOOD}01" and city.level == 3
    assert selectors.implementation_list(as_of=START, item=FOOD).count() == 2
    assert selectors.implementation_list(as_of=START - dt.timedelta(days=1), item=FOOD).count() == 0


def test_every_step_is_audited(small_catalog):
    verbs = set(AuditEvent.objects.filter(verb__startswith="catalog.").values_list("verb", flat=True))
    assert {"catalog.change_drafted", "catalog.change_submit", "catalog.change_approve", "catalog.change_publish",
            "catalog.list_published", "catalog.change_withdraw"} <= verbs


def test_modify_creates_a_version_and_as_of_reads_choose_by_date(small_catalog):
    data_admin = small_catalog["data_admin"]
    change = change_requests.change_submit(actor=data_admin, kind=ChangeKind.ITEM_MODIFY, payload={
        "code": FOOD, "effective_from": "2025-07-01", "fields": {"name": "对食品生产企业的监督检查"}})
    change_requests.change_review(actor=small_catalog["reviewer"], change_id=change.pk, approve=True)
    publishing.publication_publish(actor=data_admin, title="改名")
    assert selectors.item_get(code=FOOD, as_of=dt.date(2025, 6, 30)).name == "对食品生产者的监督检查"
    assert selectors.item_get(code=FOOD, as_of=dt.date(2025, 7, 1)).name == "对食品生产企业的监督检查"
    as_of_march = [v.item.code for v in selectors.item_list(as_of=dt.date(2025, 3, 1))]
    assert as_of_march == [FOOD, DRUG] or sorted(as_of_march) == sorted([FOOD, DRUG])
    diff = selectors.version_diff(code=FOOD, a=1, b=2)
    assert {c.field for c in diff} == {"name", "effective_from"}
    assert [v.version for v in selectors.item_version_list(code=FOOD)] == [1, 2]


def test_cancel_and_split(small_catalog):
    data_admin, reviewer = small_catalog["data_admin"], small_catalog["reviewer"]
    split = change_requests.change_submit(actor=data_admin, kind=ChangeKind.ITEM_SPLIT, payload={
        "code": DRUG, "effective_from": "2026-01-01", "into": [
            {"code": "11000000000103", "name": "对药品零售企业的监督检查"},
            {"code": "11000000000104", "name": "对药品批发企业的监督检查"}]})
    change_requests.change_review(actor=reviewer, change_id=split.pk, approve=True)
    publishing.publication_publish(actor=data_admin, title="拆分")
    codes_2025 = {v.item.code for v in selectors.item_list(as_of=dt.date(2025, 12, 31))}
    codes_2026 = {v.item.code for v in selectors.item_list(as_of=dt.date(2026, 1, 1))}
    assert DRUG in codes_2025 and DRUG not in codes_2026
    assert {"11000000000103", "11000000000104"} <= codes_2026
    assert selectors.item_get(code="11000000000103", as_of=dt.date(2026, 1, 1)).basis.first().article == "第九十九条"


def test_merge(small_catalog):
    data_admin, reviewer = small_catalog["data_admin"], small_catalog["reviewer"]
    merge = change_requests.change_submit(actor=data_admin, kind=ChangeKind.ITEM_MERGE, payload={
        "codes": [FOOD, DRUG], "effective_from": "2026-02-01",
        "into": {"code": "11000000000109", **food_fields(name="食品药品生产经营监督检查")}})
    change_requests.change_review(actor=reviewer, change_id=merge.pk, approve=True)
    publishing.publication_publish(actor=data_admin, title="合并")
    assert [v.item.code for v in selectors.item_list(as_of=dt.date(2026, 2, 1))] == ["11000000000109"]


@pytest.mark.parametrize(("payload", "field", "code"), [
    ({"code": "1100000000010", "parent": MAIN}, "code", "catalog_code_length"),
    ({"code": "1100000000010X", "parent": MAIN}, "code", "catalog_code_alphabet"),
    ({"code": FOOD, "parent": MAIN}, "code", "catalog_code_duplicate"),
    ({"code": "11000000000199", "parent": MAIN, "cancel_on": "2024-12-31"}, "cancel_on", "date_order"),
    ({"code": "11000000000199", "parent": MAIN, "basis": [{"law": "不存在的法", "article": "第一条"}]},
     "basis[0].law", "law_unknown"),
    ({"code": "11000000000199", "parent": FOOD}, "parent", "parent_not_main_item"),
])
def test_bad_catalog_input_is_refused_with_the_rule(small_catalog, payload, field, code):
    with pytest.raises(ValidationFailed) as caught:
        change_requests.change_submit(actor=small_catalog["data_admin"], kind=ChangeKind.ITEM_ADD,
                                      payload={"effective_from": START, **food_fields(), **payload})
    assert (caught.value.field, caught.value.code) == (field, code)


def test_claim_of_another_line_is_refused(small_catalog):
    sthj = department_admin(DepartmentKind.STHJ, "421200")
    with pytest.raises(ValidationFailed) as caught:
        change_requests.change_submit(actor=sthj, kind=ChangeKind.CLAIM,
                                      payload={"item": DRUG, "effective_from": START})
    assert caught.value.code == "claim_other_line"


def test_claim_at_a_level_the_body_does_not_have_is_refused(small_catalog):
    admin = department_admin(DepartmentKind.SCJG, "421202")
    with pytest.raises(ValidationFailed) as caught:
        change_requests.change_submit(actor=admin, kind=ChangeKind.CLAIM,
                                      payload={"item": DRUG, "level": 3, "effective_from": START})
    assert (caught.value.code, caught.value.field) == ("claim_level_not_held", "level")


def test_claiming_twice_is_refused(small_catalog):
    admin = department_admin(DepartmentKind.SCJG, "421202")
    with pytest.raises(ValidationFailed) as caught:
        change_requests.change_submit(actor=admin, kind=ChangeKind.CLAIM,
                                      payload={"item": FOOD, "effective_from": START})
    assert caught.value.code == "claim_duplicate"


def test_review_rights(small_catalog, persona):
    county_admin = department_admin(DepartmentKind.SCJG, "421221")
    change = change_requests.change_submit(actor=county_admin, kind=ChangeKind.CLAIM,
                                           payload={"item": FOOD, "effective_from": START})
    with pytest.raises(AccessDenied):
        change_requests.change_review(actor=persona("scjg_officer"), change_id=change.pk, approve=True)
    with pytest.raises(AccessDenied):  # another line's administrator is not the level above
        change_requests.change_review(actor=department_admin(DepartmentKind.STHJ, "421200"), change_id=change.pk,
                                      approve=True)
    with pytest.raises(AccessDenied):  # nobody reviews their own change
        change_requests.change_review(actor=county_admin, change_id=change.pk, approve=True)
    city_admin = persona("scjg_admin")  # the guiding department's administrator
    assert change in selectors.change_list(reader=city_admin, pending_review=True)
    change_requests.change_review(actor=city_admin, change_id=change.pk, approve=False, note="请补充检查内容")
    change.refresh_from_db()
    assert change.status == ChangeStatus.REJECTED
    with pytest.raises(InvalidTransition) as caught:
        change_requests.change_review(actor=city_admin, change_id=change.pk, approve=True)
    assert caught.value.extra["allowed"] == ["submit"]


def test_officers_cannot_propose_changes(small_catalog, persona):
    with pytest.raises(AccessDenied):
        change_requests.change_submit(actor=persona("scjg_officer"), kind=ChangeKind.CLAIM,
                                      payload={"item": DRUG, "effective_from": START})


def test_publication_revalidates_and_refuses_whole(small_catalog, persona):
    data_admin, reviewer = small_catalog["data_admin"], small_catalog["reviewer"]
    first = change_requests.change_submit(actor=data_admin, kind=ChangeKind.ITEM_ADD, payload={
        "code": "11000000000150", "parent": MAIN, "effective_from": START, **food_fields()})
    second = change_requests.change_submit(actor=data_admin, kind=ChangeKind.ITEM_ADD, payload={
        "code": "11000000000150", "parent": MAIN, "effective_from": START, **food_fields()})
    for change in (first, second):
        change_requests.change_review(actor=reviewer, change_id=change.pk, approve=True)
    with pytest.raises(ValidationFailed) as caught:
        publishing.publication_publish(actor=data_admin, title="重复")
    assert caught.value.code == "catalog_code_duplicate" and caught.value.extra["change"] == second.pk
    first.refresh_from_db()
    assert first.status == ChangeStatus.APPROVED  # nothing half-published


def test_publication_digest_is_reproducible(small_catalog):
    publication = publish(small_catalog, change_requests.change_submit(
        actor=small_catalog["data_admin"], kind=ChangeKind.ITEM_SUSPEND,
        payload={"code": DRUG, "effective_from": "2026-03-01"}))
    assert publication.digest == publishing.list_digest(publication.effective_on)[2]
    assert "#" in publication.changelog and DRUG in publication.changelog


def test_rows_under_a_cancelled_item_are_flagged_for_review(small_catalog):
    from jianguan.accounts.models import Department

    publish(small_catalog, change_requests.change_submit(actor=small_catalog["data_admin"], kind=ChangeKind.ITEM_CANCEL,
                                                         payload={"code": FOOD, "effective_from": "2025-05-01"}))
    departments = list(Department.objects.filter(kind=DepartmentKind.SCJG, region_id__in=["421200", "421202"]))
    assert selectors.rows_needing_review(departments=departments, as_of=dt.date(2025, 4, 30)) == []
    flagged = selectors.rows_needing_review(departments=departments, as_of=dt.date(2025, 5, 1))
    assert {r.implementation.item.code for r in flagged} == {FOOD} and len(flagged) == 2
