"""The information chain of one entity: every kind, within each reader's scope."""

from __future__ import annotations

import io

import pytest

pytestmark = pytest.mark.django_db

ALL_KINDS = {"registration", "licence", "inspection", "penalty", "complaint", "abnormal"}


def _chain(api, user, entity, **params):
    response = api(user).get(f"/api/v1/subjects/{entity.uscc}/chain", params)
    return response.status_code, response.json()


def test_leader_sees_every_kind_with_counts(api, persona, chain_world):
    status, body = _chain(api, persona("leader"), chain_world)
    assert status == 200 and body["entity"]["uscc"] == chain_world.uscc
    assert {e["kind"] for e in body["entries"]} == ALL_KINDS
    assert {k for k, n in body["counts"].items() if n} == ALL_KINDS
    dates = [e["date"] for e in body["entries"]]
    assert dates == sorted(dates, reverse=True)
    penalty = next(e for e in body["entries"] if e["kind"] == "penalty")
    assert penalty["department"] == "咸宁市市场监督管理局" and "咸市监处罚〔2025〕1号" in penalty["detail"]


def test_city_officer_sees_the_line_and_the_public_records(api, persona, chain_world):
    _, body = _chain(api, persona("scjg_officer"), chain_world)
    assert {e["kind"] for e in body["entries"]} == ALL_KINDS  # the complaint went to 咸安区's bureau, which it guides


def test_county_officer_does_not_see_the_city_bureaus_records(api, persona, chain_world):
    _, body = _chain(api, persona("xa_scjg_officer"), chain_world)
    assert {e["kind"] for e in body["entries"]} == {"registration", "licence", "complaint", "abnormal"}
    assert body["counts"]["inspection"] == 0 and body["counts"]["penalty"] == 0


def test_officer_of_another_line_sees_only_the_shared_records(api, persona, chain_world):
    _, body = _chain(api, persona("sthj_officer"), chain_world)
    assert {e["kind"] for e in body["entries"]} == {"registration", "licence", "abnormal"}


def test_outsider_of_another_region_gets_404(api, outsider, chain_world):
    status, body = _chain(api, outsider, chain_world)
    assert status == 404 and body["code"] == "not_found"


def test_filters_by_kind_and_period(api, persona, chain_world):
    user = persona("leader")
    _, body = _chain(api, user, chain_world, kind=["inspection", "penalty"])
    assert {e["kind"] for e in body["entries"]} == {"inspection", "penalty"}
    _, body = _chain(api, user, chain_world, since="2025-06-01", until="2025-06-30")
    assert {e["kind"] for e in body["entries"]} == {"inspection"}
    status, body = _chain(api, user, chain_world, kind=["nonsense"])
    assert status == 400 and body["field"] == "kind"
    status, body = _chain(api, user, chain_world, since="2025-07-01", until="2025-06-01")
    assert status == 400 and body["code"] == "date_order"


def test_chain_page(signed_in, persona, chain_world, django_assert_max_num_queries):
    client = signed_in(persona("leader"))
    with django_assert_max_num_queries(30):
        page = client.get(f"/subjects/{chain_world.uscc}/").content.decode()
    assert chain_world.name in page and "未按规定报送年度报告" in page and "食品经营许可证" in page
    partial = client.get(f"/subjects/{chain_world.uscc}/", {"kind": "complaint"}, headers={"HX-Request": "true"})
    assert "购买的食品已过保质期" in partial.content.decode() and "<html" not in partial.content.decode()


@pytest.mark.parametrize("username", ["leader", "scjg_officer", "xa_scjg_officer", "sthj_officer"])
def test_rows_scoped_in_python_equal_rows_scoped_by_the_database(persona, chain_world, monkeypatch, username):
    """Below CHAIN_CAP the chain checks each record's scope fields in Python; above, the database filters: both
    must give the same chain to every reader."""
    from jianguan.chain.selectors import chain_get
    from jianguan.core import registry

    reader = persona(username)
    checked_in_python = chain_get(reader=reader, uscc=chain_world.uscc)
    monkeypatch.setattr(registry, "CHAIN_CAP", 0)
    filtered_by_database = chain_get(reader=reader, uscc=chain_world.uscc)
    assert checked_in_python.entries == filtered_by_database.entries
    assert checked_in_python.counts == filtered_by_database.counts


# A spot check appears once (issue 14, item 9): its result is stored as the 行政检查 of each task item, shown
# beneath it.

def _entered_spot_check(task, persona):
    from jianguan.spotchecks import check_results
    from jianguan.spotchecks.models import CheckResult
    from tests.spotcheck_fixtures import WINDOW, _drawn

    check = CheckResult.objects.filter(draw=_drawn(task, persona)).order_by("pk").first()
    return check_results.result_enter(actor=check.inspectors.order_by("username").first(), result_id=check.pk,
                                      codes=["1"], checked_on=WINDOW[0])


def test_a_spot_check_of_two_items_is_one_entry_with_its_records_beneath(two_item_task, persona, api, signed_in):
    from jianguan.chain.selectors import chain_get, duplicates

    check = _entered_spot_check(two_item_task, persona)
    assert len(check.inspection_numbers) == 2
    chain = chain_get(reader=persona("leader"), uscc=check.entity.uscc)
    spot = [e for e in chain.entries if e.kind == "spotcheck"]
    assert len(spot) == 1 and spot[0].detail == "未发现问题"
    assert [i.ref for i in spot[0].items] == [f"inspection:{n}" for n in check.inspection_numbers]
    assert {i.detail for i in spot[0].items} == {"检查事项：对食品生产者的监督检查；检查结果：未发现问题",
                                                "检查事项：对药品经营企业的监督检查；检查结果：未发现问题"}
    assert not [e for e in chain.entries if e.kind == "inspection" and e.number in check.inspection_numbers]
    assert chain.counts["inspection"] == 2 and duplicates(chain.entries) == []

    _, body = _chain(api, persona("leader"), check.entity)
    [entry] = [e for e in body["entries"] if e["kind"] == "spotcheck"]
    assert [i["ref"] for i in entry["items"]] == [f"inspection:{n}" for n in check.inspection_numbers]
    assert not [e for e in body["entries"] if e["kind"] == "inspection"]
    _, body = _chain(api, persona("leader"), check.entity, kind=["inspection"])  # asked for alone: each record
    assert sorted(e["ref"] for e in body["entries"]) == sorted(f"inspection:{n}" for n in check.inspection_numbers)

    page = signed_in(persona("leader")).get(f"/subjects/{check.entity.uscc}/").content.decode()
    assert page.count('class="kind-spotcheck"') == 1 and page.count('class="kind-inspection"') == 0
    assert all(number in page for number in check.inspection_numbers)


def test_the_consistency_check_finds_a_spot_check_shown_again_beside_its_records(two_item_task, persona,
                                                                               monkeypatch):
    """The chain as it was assembled before: the spot check and each of its items' 行政检查 as entries of their
    own. The consistency check names each record shown twice."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from jianguan.chain import selectors

    check = _entered_spot_check(two_item_task, persona)
    call_command("consistency", stdout=io.StringIO())
    monkeypatch.setattr(selectors, "nest", lambda entries: entries)
    out = io.StringIO()
    with pytest.raises(CommandError, match="发现 2 处不一致"):
        call_command("consistency", stdout=out)
    for number in check.inspection_numbers:
        line = f"信息链中的重复条目：主体 {check.entity.uscc} 的信息链中 inspection:{number} 出现不止一次"
        assert line in out.getvalue()
