"""行政许可 received through the exchange become disclosure items (ADR 0062): posted to the real intake API
(`POST /api/v1/exchange/disclosure_licence/records`), each kept record makes one item of its 许可机关, due 7
working days after the 许可决定日期; a resend changes nothing; a `u` updates the item (a published one waits for a
reviewer's 复核更新内容); a `d` starts the withdrawal clock; a natural person's licence is redacted; a record whose
许可机关 is not the sender's to report is refused with nothing kept; a released licence is found by the public
search and the open-data API, without a PDF."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.cache import cache

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.audit.models import AuditEvent
from jianguan.core.codes import build_uscc, ric_check_char
from jianguan.core.errors import ValidationFailed
from jianguan.disclosure import selectors, services
from jianguan.disclosure.models import DisclosureItem, ItemStatus, PublishedPdf, SourceKind
from jianguan.exchange.models import KeptRecord
from tests.exchange_fixtures import city_scjg, exchange_world_fixture, system_client  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
URL = "/api/v1/exchange/disclosure_licence/records"
DECIDED = "2026-12-01"  # a Tuesday: 7 working days → Thursday 10 December 2026
DUE = dt.date(2026, 12, 10)
# A valid 统一社会信用代码 of a body that is not a department of the platform.
ELSEWHERE = build_uscc(authority="1", category="1", region="420000", org_body="77665544")


def person_id(born: str = "19800101") -> str:
    first = f"421202{born}123"
    return first + ric_check_char(first)


def licence(n: int, entity: Any = None, **over: Any) -> dict[str, Any]:
    """A 双公示 行政许可 of the city's 市场监管局 for `entity` (an organisation), passing every check."""
    department = city_scjg()
    record: dict[str, Any] = {
        "record_id": f"XK-REC-{n}", "party_name": entity.name if entity else "示例食品有限公司",
        "party_category": "organisation", "party_code_1": entity.uscc if entity else "91421200MA49XXXX0X",
        "legal_representative": "王五", "decision_doc_name": "食品经营许可决定书",
        "decision_doc_number": f"咸市监许〔2026〕{n}号", "licence_category": "普通",
        "certificate_name": "食品经营许可证", "licence_number": f"JY1421200000{n:04d}",
        "content": "预包装食品销售（含冷藏冷冻食品）", "decided_on": DECIDED, "valid_from": DECIDED,
        "valid_to": "2031-11-30", "authority": department.name, "authority_code": department.uscc, "status": "1",
        "source_unit": department.name, "source_unit_code": department.uscc}
    record.update(over)
    return record


def person_licence(n: int, number: str, **over: Any) -> dict[str, Any]:
    return licence(n, **{"party_name": "赵六", "party_category": "person", "party_code_1": "", "id_type": "身份证",
                         "id_number": number, "legal_representative": "", **over})


def post(client, records) -> dict[str, Any]:
    response = client.post(URL, json.dumps(records, ensure_ascii=False).encode(), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def item_of(record_id: str) -> DisclosureItem:
    kept = KeptRecord.objects.get(standard="disclosure_licence", record_id=record_id)
    return DisclosureItem.objects.get(source_kind=SourceKind.LICENCE, source_id=kept.pk)


def publish(item: DisclosureItem, persona) -> DisclosureItem:
    services.item_transition(item_id=item.pk, action="prepare", values={}, actor=persona("scjg_officer"))
    return services.item_transition(item_id=item.pk, action="publish", values={}, actor=persona("scjg_publisher"))


def test_a_received_licence_becomes_a_pending_item_of_its_authority_due_in_7_working_days(exchange_world, clock,
                                                                                          persona):
    entity = exchange_world["entity"]
    answer = post(exchange_world["client"], [licence(1, entity)])
    assert (answer["accepted"], answer["rejected"]) == (1, [])
    item = item_of("XK-REC-1")
    assert (item.status, item.department, item.entity, item.source_version) == (
        ItemStatus.PENDING, city_scjg(), entity, 1)
    assert (item.clock_days, item.decided_on, item.due_on) == (7, dt.date(2026, 12, 1), DUE)
    assert "国办发〔2018〕118号" in item.clock_basis and "行政许可" in item.clock_basis
    assert item.decision_number == "咸市监许〔2026〕1号" and item.party_name == entity.name
    assert item.redacted["licence_content"] == "预包装食品销售（含冷藏冷冻食品）"
    assert item.redacted["licence_number"] == "JY14212000000001" and item.redacted["valid_to"] == "2031-11-30"
    assert item.persons == sorted({"王五", entity.legal_representative})  # the record's and the entity's
    officer = persona("scjg_officer")
    on_due = selectors.item_counts(reader=officer, today=DUE)["publish_overdue"]
    after = selectors.item_counts(reader=officer, today=DUE + dt.timedelta(days=1))["publish_overdue"]
    assert after == on_due + 1  # the due day itself is in time, the day after is late
    assert selectors.item_list(reader=officer, overdue=True, today=DUE + dt.timedelta(days=1)).filter(
        pk=item.pk).exists()
    assert not selectors.item_list(reader=officer, overdue=True, today=DUE).filter(pk=item.pk).exists()


def test_a_resend_changes_nothing_and_a_u_updates_the_pending_item(exchange_world, clock):
    entity, client = exchange_world["entity"], exchange_world["client"]
    post(client, [licence(2, entity)])
    item = item_of("XK-REC-2")
    events = AuditEvent.objects.filter(verb__startswith="disclosure.item_licence").count()
    again = post(client, [licence(2, entity)])
    assert (again["accepted"], again["duplicates"]) == (0, 1)
    assert DisclosureItem.objects.filter(source_kind=SourceKind.LICENCE).count() == 1
    assert AuditEvent.objects.filter(verb__startswith="disclosure.item_licence").count() == events

    post(client, [{**licence(2, entity, content="预包装食品销售、散装食品销售", decided_on="2026-12-02",
                             valid_from="2026-12-02"), "op": "u", "version": 2}])
    updated = item_of("XK-REC-2")
    assert (updated.pk, updated.number, updated.status, updated.source_version) == (item.pk, item.number,
                                                                                    ItemStatus.PENDING, 2)
    assert updated.redacted["licence_content"] == "预包装食品销售、散装食品销售"
    assert (updated.decided_on, updated.due_on) == (dt.date(2026, 12, 2), dt.date(2026, 12, 11))
    assert updated.source_changed_on is None  # not published: nothing to review again
    assert AuditEvent.objects.filter(verb="disclosure.item_licence_updated").count() == 1


def test_a_u_of_a_published_licence_remakes_its_copy_for_review_and_a_d_starts_the_withdrawal(
        exchange_world, clock, persona, client, signed_in):
    entity, system = exchange_world["entity"], exchange_world["client"]
    post(system, [licence(3, entity)])
    item = publish(item_of("XK-REC-3"), persona)
    assert item.status == ItemStatus.PUBLISHED and not PublishedPdf.objects.filter(item=item).exists()
    assert client.get(f"/public/disclosure/{item.number}/decision.pdf").status_code == 404  # no document here

    post(system, [{**licence(3, entity, content="预包装食品销售，联系电话 13812345678"), "op": "u", "version": 2}])
    item = item_of("XK-REC-3")
    assert (item.status, item.source_changed_on, item.source_version) == (ItemStatus.PUBLISHED, clock.day, 2)
    assert "13812345678" not in json.dumps(item.redacted) and "13812345678" in item.fields["licence_content"]
    assert "预包装食品销售，联系电话" in client.get(f"/public/disclosure/{item.number}/").content.decode()
    publisher = persona("scjg_publisher")
    work = signed_in(publisher).get(f"/disclosure/{item.pk}/").content.decode()
    assert "公示稿已按新版本重新生成，待复核" in work and 'value="confirm"' in work
    services.item_transition(item_id=item.pk, action="confirm", values={"note": "已核对"}, actor=publisher)
    item.refresh_from_db()
    assert item.source_changed_on is None and item.steps.last().action == "confirm"
    with pytest.raises(ValidationFailed) as refused:
        services.item_transition(item_id=item.pk, action="confirm", values={}, actor=publisher)
    assert refused.value.code == "nothing_changed"

    post(system, [{"record_id": "XK-REC-3", "op": "d", "version": 3}])
    kept = KeptRecord.objects.get(standard="disclosure_licence", record_id="XK-REC-3")
    assert kept.withdrawn_at is not None and kept.department == city_scjg() and kept.data["licence_number"]
    item = item_of("XK-REC-3")
    assert (item.status, item.changed_on, item.withdraw_due) == (ItemStatus.PUBLISHED, clock.day,
                                                                 dt.date(2026, 12, 10))
    services.item_transition(item_id=item.pk, action="withdraw", actor=publisher,
                             values={"reason": "许可已被依法撤销"})
    cache.clear()  # the public pages are cached for a minute
    page = client.get(f"/public/disclosure/{item.number}/").content.decode()
    assert "许可已被依法撤销" in page


def test_a_natural_persons_licence_is_redacted_and_a_minors_withheld(exchange_world, clock):
    number, system = person_id(), exchange_world["client"]
    post(system, [person_licence(4, number, content="经营者赵六，委托王五办理，住址咸宁市咸安区温泉路12号3栋201室",
                                 legal_representative="王五")])
    item = item_of("XK-REC-4")
    stored = json.dumps([item.fields, item.redacted, item.masks, item.persons], ensure_ascii=False)
    assert number not in stored and item.redacted["id_number"] == number[:4] + "*" * 10 + number[-4:]
    assert item.redacted["party_name"] == "赵六" and item.redacted["party_category"] == "person"
    text = item.redacted["licence_content"]
    assert "赵六" in text and "王五" not in text and "12号" not in text and "温泉路" in text
    assert {m["rule"] for m in item.masks} >= {"third_party_name", "address_detail"}
    assert item.status == ItemStatus.PENDING

    minor = person_id(f"{clock.day.year - 10}0101")
    post(system, [person_licence(5, minor, party_name="小明")])
    held = item_of("XK-REC-5")
    assert (held.status, held.withheld_rule) == (ItemStatus.WITHHELD, "minor")
    assert minor not in json.dumps([held.fields, held.redacted])


def test_a_licence_of_an_authority_not_the_senders_is_refused_with_nothing_kept(exchange_world, clock, persona):
    entity = exchange_world["entity"]
    answer = post(exchange_world["client"], [licence(6, entity, authority_code=ELSEWHERE),
                                             licence(7, entity)])
    [refused] = answer["rejected"]
    assert refused["index"] == 0 and [e["code"] for e in refused["errors"]] == ["authority_unknown"]
    assert "许可机关" in refused["errors"][0]["message"]
    assert not KeptRecord.objects.filter(record_id="XK-REC-6").exists()
    assert item_of("XK-REC-7").status == ItemStatus.PENDING
    assert DisclosureItem.objects.filter(source_kind=SourceKind.LICENCE).count() == 1

    county = Department.objects.filter(kind=DepartmentKind.SCJG, region_id="421202").first()
    county_client, _ = system_client(persona, department=county)
    answer = post(county_client, [licence(8, entity)])  # the county's system reports the city's licence
    assert [e["code"] for e in answer["rejected"][0]["errors"]] == ["authority_out_of_scope"]
    assert not KeptRecord.objects.filter(record_id="XK-REC-8").exists()
    assert DisclosureItem.objects.filter(source_kind=SourceKind.LICENCE).count() == 1


def test_a_released_licence_is_found_by_the_public_search_and_the_open_data(exchange_world, clock, persona, client):
    entity = exchange_world["entity"]
    post(exchange_world["client"], [licence(9, entity)])
    item = publish(item_of("XK-REC-9"), persona)
    page = client.get("/public/disclosure/", {"kind": "licence", "q": "咸市监许〔2026〕9"}).content.decode()
    assert item.number in page
    assert item.number not in client.get("/public/disclosure/", {"kind": "penalty",
                                                                 "q": "咸市监许〔2026〕9"}).content.decode()
    detail = client.get(f"/public/disclosure/{item.number}/").content.decode()
    assert "许可内容" in detail and "许可编号" in detail and "行政许可决定文书名称" in detail
    api = client.get("/api/v1/public/decisions", {"kind": "licence", "q": entity.name[:4]}).json()
    assert [row["number"] for row in api["items"]] == [item.number]
    assert api["items"][0]["kind_label"] == "行政许可"
