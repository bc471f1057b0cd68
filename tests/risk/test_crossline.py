"""Signals across lines, judged by the scan over the stored observations: one prescription on several orders or
listings, the quantities sold under it together above what it prescribes, and complaints about a subject
clustering with fundraising words — each a hit with its rule, article and evidence, added to the alert of the
observation's subject, model and month."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.complaints.contracts import subject_complaint_list
from jianguan.complaints.services import complaint_receive
from jianguan.core.actors import SystemActor
from jianguan.risk import crossline, engine
from jianguan.risk.models import Alert, Observation
from tests.risk.world import ad, listing, raise_alerts

pytestmark = pytest.mark.django_db
NOTICE = "阿莫西林胶囊 0.25g*24粒。处方药须凭处方在药师指导下购买和使用"
BEIJING = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def sender(persona):
    return persona("dataadmin")


def rx(seller: str, prescription: str, **over):
    """A prescription-drug listing that alerts on nothing by itself: a prescription step, the notice, one box."""
    values = {"quantity": 1, "prescribed_quantity": 2, **over}
    return listing(model="rx_sales", seller=seller, product_name="阿莫西林胶囊", text=NOTICE, prescription_step=True,
                   prescription_id=prescription, registration_number="国药准字H20000001", **values)


def linked_hits(alert: Alert, rule: str) -> list[dict]:
    return [hit for hit in alert.hits if hit["rule"] == rule]


def test_a_prescription_used_once_raises_nothing(sender):
    assert raise_alerts(sender, rx("店铺A", "RX-1"), rx("店铺B", "RX-2")) == []
    assert Observation.objects.filter(scanned_at__isnull=False).count() == 2


def test_a_prescription_used_twice_is_a_hit_on_each_sellers_alert_naming_the_other_use(sender):
    first, second = raise_alerts(sender, rx("店铺A", "RX-9"), rx("店铺B", "RX-9"))
    assert first.subject_key == "店铺A" and second.subject_key == "店铺B" and first.band == "橙"
    [hit] = linked_hits(first, "rx_sales.prescription_reused")
    other = Observation.objects.get(seller="店铺B")
    assert hit["evidence"] == {"prescription_id": "RX-9", "observations": [other.pk]}
    assert hit["quote"] == "RX-9" and hit["field"] == "prescription_id" and "店铺B" in hit["note"]
    assert hit["article"].startswith("药品网络销售监督管理办法第九条")
    assert linked_hits(second, "rx_sales.prescription_reused")[0]["evidence"]["observations"] == [
        Observation.objects.get(seller="店铺A").pk]
    assert not linked_hits(first, "rx_sales.prescription_total_above")  # 1 + 1 is within the 2 prescribed


def test_the_quantities_of_all_uses_together_above_the_prescription_are_a_hit(sender):
    first, second = raise_alerts(sender, rx("店铺A", "RX-7"), rx("店铺A", "RX-7", quantity=2))
    assert first.pk == second.pk  # one seller, one alert: a hit per observation
    hits = linked_hits(first, "rx_sales.prescription_total_above")
    assert [(hit["evidence"]["total"], hit["evidence"]["prescribed"]) for hit in hits] == [(3, 2), (3, 2)]
    assert "同一处方共销售 3，处方量 2（2 次使用）" in hits[0]["note"]
    assert len(linked_hits(first, "rx_sales.prescription_reused")) == 2


def test_the_alert_page_lists_the_cross_line_evidence(sender, signed_in, persona):
    [alert, _] = raise_alerts(sender, rx("店铺A", "RX-5"), rx("店铺B", "RX-5"))
    page = signed_in(persona("scjg_officer")).get(f"/risk/alerts/{alert.pk}/").content.decode()
    assert 'data-testid="alert-linked"' not in page  # quoted: listed with the observation's hits
    assert "rx_sales.prescription_reused" in page and "处方编号另见于 1 条监测数据" in page


def complain(uscc: str, content: str, day: dt.date) -> None:
    complaint_receive(actor=SystemActor("test"), channel="portal", received_at=dt.datetime.combine(
        day, dt.time(9), BEIJING), values={"category": "consumer", "subject_uscc": uscc, "content": content})


WORDED = ["在该公司投资的钱到期不兑付，要求返还本金", "该公司承诺保本保息，现在无法提现",
          "老板跑路了，养老钱拿不回本金", "售后包租的商铺租金停付，要求退款"]


@pytest.mark.parametrize(("worded", "clustered"), [(2, False), (3, True)])
def test_complaints_with_fundraising_words_about_the_subject_make_a_cluster_from_the_threshold(
        sender, xianan_entity, settings, signed_in, worded, clustered):
    settings.JIANGUAN_RISK_COMPLAINT_CLUSTER = 3
    for number, content in enumerate(WORDED[:worded]):
        complain(xianan_entity.uscc, content, dt.date(2026, 11, 1 + number))
    complain(xianan_entity.uscc, "店内地面湿滑摔倒，要求赔偿", dt.date(2026, 11, 20))  # no fundraising words
    complain(xianan_entity.uscc, WORDED[3], dt.date(2026, 8, 1))  # before the 90 days of the window
    page = ad(model="fundraising", kind="web", entity=xianan_entity.uscc, text="欢迎来电咨询合作", channel=None)
    alerts = raise_alerts(sender, page)
    assert bool(alerts) is clustered
    if clustered:
        [hit] = linked_hits(alerts[0], "fundraising.complaint_cluster")
        assert len(hit["evidence"]["complaints"]) == 3 and hit["evidence"]["days"] == 90
        assert hit["article"] == "防范和处置非法集资条例第二条" and "90 日内 3 件投诉举报" in hit["note"]
        assert alerts[0].entity == xianan_entity and alerts[0].band == "黄"
        page = signed_in(sender).get(f"/risk/alerts/{alerts[0].pk}/").content.decode()
        assert 'data-testid="alert-linked"' in page and hit["evidence"]["complaints"][0] in page


def test_complaints_are_read_by_the_subjects_code_or_else_by_its_name(xianan_entity):
    complain(xianan_entity.uscc, WORDED[0], dt.date(2026, 11, 2))
    since, until = dt.datetime(2026, 11, 1, tzinfo=BEIJING), dt.datetime(2026, 12, 1, tzinfo=BEIJING)
    [note] = subject_complaint_list(uscc=xianan_entity.uscc, name=None, since=since, until=until)
    assert note.content == WORDED[0] and note.number.startswith("TS")
    assert subject_complaint_list(uscc=None, name=xianan_entity.name, since=since, until=until) == []  # it has a code
    assert subject_complaint_list(uscc=None, name=None, since=since, until=until) == []


def test_a_cross_line_indicator_naming_an_unknown_function_is_refused(monkeypatch, tmp_path):
    (tmp_path / "rx_sales.json").write_text('{"cross_line": [{"id": "x.y", "title": "t", "article": "a", '
                                            '"weight": 0.5, "rule": "guess"}]}', "utf-8")
    monkeypatch.setattr(engine, "DEFINITIONS", tmp_path)
    crossline.indicators.cache_clear()
    try:
        with pytest.raises(engine.DefinitionInvalid) as refused:
            crossline.indicators("rx_sales")
        assert "x.y" in refused.value.message
    finally:
        crossline.indicators.cache_clear()
