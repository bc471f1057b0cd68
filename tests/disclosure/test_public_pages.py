"""The public portal's 执法公示 pages (ADR 0050): 事前公开 (a department's body, duties with their bases, procedures
with their articles, officers with their credential numbers only, the 随机抽查事项清单, the supervision rules),
事中公开 (published plans and tasks only), 事后公开 (filters, a pager without a count, each row's dates, a withdrawn
item's reason, labelled fields) and an entity's page with its published records only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianguan.accounts import services as accounts
from jianguan.accounts.models import Department, DepartmentKind
from jianguan.catalog.models import Implementation, SpotCheckItem
from jianguan.core.actors import SystemActor
from jianguan.disclosure import services
from jianguan.disclosure.fields import labelled
from jianguan.disclosure.models import DisclosureItem, ItemStatus
from jianguan.spotchecks import plans, task_setup
from jianguan.spotchecks.models import CheckResult
from jianguan.subjects.models import MarketEntity
from tests.catalog_fixtures import FOOD
from tests.disclosure.world import entity, fine, item_of, published
from tests.spotcheck_fixtures import WINDOW, _drawn

pytestmark = pytest.mark.django_db
SYSTEM = SystemActor("test")


def _officer(department: Department, name: str, number: str, valid_to: dt.date) -> None:
    user = accounts.user_create(actor=SYSTEM, username=f"u{number}", full_name=name, department=department,
                                password_hash="!", roles=["officer"])
    user.phone = "13900001111"
    user.save(update_fields=["phone"])
    accounts.credential_add(actor=SYSTEM, user=user, number=number, issued_by="咸宁市人民政府",
                            valid_from=dt.date(2024, 1, 1), valid_to=valid_to, domains=["市场监管"],
                            qualifications=["食品"])


def test_prior_shows_the_departments_body_duties_procedures_officers_items_and_rules(client, food_task, city_scjg):
    _officer(city_scjg, "王公示", "42120077700001", dt.date(2030, 1, 1))
    _officer(city_scjg, "李过期", "42120077700002", dt.date(2025, 1, 1))
    SpotCheckItem.objects.create(line=DepartmentKind.SCJG, category="key", name="食品经营许可事项检查",
                                 basis="《食品安全法》第一百一十条", ratio="5%", frequency="每年一次",
                                 method="实地核查")
    index = client.get("/public/disclosure/prior/").content.decode()
    assert f'href="/public/disclosure/prior/{city_scjg.pk}/"' in index and city_scjg.name in index
    page = client.get(f"/public/disclosure/prior/{city_scjg.pk}/").content.decode()
    code = Implementation.objects.get(item__code=FOOD, body=city_scjg).code
    assert city_scjg.name in page and city_scjg.region.name in page
    assert code in page and "《食品安全法》" in page  # a claimed row with its 设定依据
    assert "提请立案" in page and "《行政处罚法》第五十四条" in page  # the case workflow's steps
    assert "报请批准" in page and "《中华人民共和国行政强制法》第十八条" in page
    assert "两名以上执法人员实施检查，主动出示执法证件" in page
    assert "王公示" in page and "42120077700001" in page and "检查员0" in page
    assert "李过期" not in page and "42120077700002" not in page  # expired today
    assert "13900001111" not in page and "u42120077700001" not in page and "spot_0" not in page
    assert "食品经营许可事项检查" in page and "《食品安全法》第一百一十条" in page
    assert 'data-testid="prior-policy"' in page and "国市监信发〔2022〕6号" in page
    assert client.get("/public/disclosure/prior/999999/").status_code == 404
    Department.objects.filter(pk=city_scjg.pk).update(is_active=False)
    assert client.get(f"/public/disclosure/prior/{city_scjg.pk}/?again=1").status_code == 404


def test_during_lists_published_plans_and_tasks_only_and_filters_by_department(client, food_task, persona,
                                                                              city_scjg):
    admin = persona("scjg_admin")
    plans.plan_create(actor=admin, year=2026, title="尚未公开的计划")
    task_setup.task_create(actor=admin, plan_id=food_task.plan_id, name="尚未公布的任务", items=food_task.items,
                           window_start=WINDOW[0], window_end=WINDOW[1], strata={"ALL": {"count": 1}})
    page = client.get("/public/disclosure/during/").content.decode()
    assert food_task.name in page and f"/public/spotchecks/tasks/{food_task.pk}/" in page
    assert "2025年度双随机抽查计划" in page
    assert "尚未公开的计划" not in page and "尚未公布的任务" not in page
    own = client.get(f"/public/disclosure/during/?department={city_scjg.pk}").content.decode()
    assert food_task.name in own
    other = Department.objects.exclude(pk=city_scjg.pk).first()
    assert food_task.name not in client.get(f"/public/disclosure/during/?department={other.pk}").content.decode()
    refused = client.get("/public/disclosure/during/?department=x")
    assert refused.status_code == 400 and "out_of_range" in refused.content.decode()


def _withdrawn(item: DisclosureItem, publisher) -> DisclosureItem:
    return services.item_transition(item_id=item.pk, action="withdraw", actor=publisher,
                                    values={"reason": "经行政复议撤销"})


def test_after_filters_pages_and_shows_dates_reasons_and_never_other_statuses(client, clock, persona, city_scjg):
    officer, publisher = persona("scjg_officer"), persona("scjg_publisher")
    party = entity()
    day = clock.day - dt.timedelta(days=3)
    first = published(fine(party, day=day), officer, publisher)
    second = _withdrawn(published(fine(party, day=day), officer, publisher), publisher)
    pending = item_of(fine(party, day=day))
    hidden = item_of(fine(party, day=day))
    DisclosureItem.objects.filter(pk=hidden.pk).update(status=ItemStatus.WITHHELD)
    expired = published(fine(party, day=day), officer, publisher)
    DisclosureItem.objects.filter(pk=expired.pk).update(status=ItemStatus.EXPIRED)
    page = client.get(f"/public/disclosure/?entity={party.uscc}").content.decode()
    assert first.number in page and second.number in page
    assert pending.number not in page and hidden.number not in page and expired.number not in page
    assert "经行政复议撤销" in page and "数据更新于" in page
    assert f"{timezone.localtime(first.updated_at):%Y-%m-%d %H:%M}" in page and f"{first.published_on:%Y-%m-%d}" in page
    one = client.get(f"/public/disclosure/?entity={party.uscc}&size=1").content.decode()
    assert "page=2" in one and 'rel="prev"' not in one
    two = client.get(f"/public/disclosure/?entity={party.uscc}&size=1&page=2").content.decode()
    assert 'rel="prev"' in two and 'rel="next"' not in two
    for params, shown in ((f"department={city_scjg.pk}", True), ("kind=coercion", False),
                          (f"since={clock.day + dt.timedelta(days=1)}", False), (f"until={clock.day}", True),
                          (f"region={first.region_id}", True), ("region=429999", False)):
        found = client.get(f"/public/disclosure/?entity={party.uscc}&{params}").content.decode()
        assert (first.number in found) is shown, params
    refused = client.get("/public/disclosure/?until=2026-02-30")
    assert refused.status_code == 400 and "date_invalid" in refused.content.decode()


def test_the_decision_page_labels_the_published_copy_and_links_the_entity(client, clock, persona):
    party = entity(1)
    item = published(fine(party, day=clock.day - dt.timedelta(days=2)), persona("scjg_officer"),
                     persona("scjg_publisher"))
    page = client.get(f"/public/disclosure/{item.number}/").content.decode()
    assert "<dt>行政相对人名称</dt>" in page and "<dt>罚款金额（万元）</dt>" in page and "<dd>罚款</dd>" in page
    assert "party_name" not in page and "penalty_category" not in page
    assert f'href="/public/entities/{party.uscc}/"' in page


def _result(task, persona, party: MarketEntity, *, published_at) -> CheckResult:
    result = CheckResult.objects.filter(draw=_drawn(task, persona)).first()
    CheckResult.objects.filter(pk=result.pk).update(entity=party, codes=["1"], checked_on=WINDOW[0],
                                                    published_at=published_at)
    return result


def test_the_entity_page_shows_its_published_records_only(client, clock, persona, food_task):
    party = entity(2)
    MarketEntity.objects.filter(pk=party.pk).update(risk_class="D")
    officer, publisher = persona("scjg_officer"), persona("scjg_publisher")
    shown = published(fine(party, day=clock.day - dt.timedelta(days=2)), officer, publisher)
    gone = _withdrawn(published(fine(party, day=clock.day - dt.timedelta(days=2)), officer, publisher), publisher)
    pending = item_of(fine(party, day=clock.day - dt.timedelta(days=1)))
    _result(food_task, persona, party, published_at=timezone.now())
    page = client.get(f"/public/entities/{party.uscc}/").content.decode()
    assert party.name in page and shown.decision_number in page and gone.decision_number in page
    assert "经行政复议撤销" in page and pending.decision_number not in page
    assert food_task.name in page and "未发现问题" in page
    assert "信用风险" not in page and "风险分类" not in page
    assert client.get("/public/entities/91421200MA0000000X/").status_code == 404


def test_an_entity_with_nothing_published_says_so_and_an_unpublished_result_stays_hidden(client, persona, food_task):
    party = entity(3)
    _result(food_task, persona, party, published_at=None)
    item_of(fine(party, day=timezone.localdate() - dt.timedelta(days=1)))
    page = client.get(f"/public/entities/{party.uscc}/").content.decode()
    assert 'data-testid="entity-nothing"' in page and "暂无公示信息" in page and food_task.name not in page


def test_public_pages_read_a_fixed_number_of_queries_whatever_the_rows(client, clock, persona, city_scjg):
    party = entity(4)
    for _ in range(3):
        published(fine(party, day=clock.day - dt.timedelta(days=2)), persona("scjg_officer"),
                  persona("scjg_publisher"))
    counts = []
    for size in (1, 3):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/public/disclosure/?entity={party.uscc}&size={size}").status_code == 200
        counts.append(len(queries))
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/public/entities/{party.uscc}/")
    assert counts[0] == counts[1] and len(queries) <= 6, (counts, len(queries))


def test_the_published_copy_is_labelled_and_its_codes_named():
    assert labelled({"party_category": "organisation", "penalty_category": ["01", "02"], "fine": "5.000000",
                     "unknown_key": "x"}) == [("行政相对人类别", "法人及非法人组织"), ("处罚类别", "警告、罚款"),
                                              ("罚款金额（万元）", "5.000000"), ("unknown_key", "x")]
