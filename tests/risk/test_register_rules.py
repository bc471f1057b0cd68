"""The models against the reference registers: each rule on both sides (in the register and valid; not in it;
expired or revoked; another class, product or advertiser), the "需核对" note kept exactly where a register kind is
not loaded, rows of a register checked by column, and the labelled lines that need a register
(tests/risk/sets/registers/)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jianguan.risk import batch, engine, registers
from jianguan.risk.inputs import InputInvalid

pytestmark = pytest.mark.once
SETS = Path(__file__).with_name("sets") / "registers"
DAY = dt.date(2026, 12, 1)

ROWS = [
    ("ad_review", {"number": "鄂医广【2026】第01-05-001号", "holder": "咸宁仁爱医院", "valid_until": "2027-01-31"}),
    ("ad_review", {"number": "鄂医广【2025】第08-12-003号", "holder": "咸宁仁爱医院", "valid_until": "2026-06-30"}),
    ("medical_institution_licence", {"number": "PDY42120001", "holder": "咸宁仁爱医院",
                                     "departments": "内科；外科；妇产科/妇科专业", "valid_until": "2030-01-01"}),
    ("medical_institution_licence", {"number": "PDY42120002", "holder": "咸宁旧城诊所", "departments": "内科",
                                     "valid_until": "2026-01-01"}),
    ("drug_approval", {"number": "国药准字H20013062", "name": "布洛芬缓释胶囊", "holder": "某药业",
                       "rx": "乙类非处方药"}),
    ("drug_approval", {"number": "国药准字H20033333", "name": "阿莫西林胶囊", "holder": "某药业", "rx": "处方药"}),
    ("drug_approval", {"number": "国药准字Z20044444", "name": "复方丹参片", "holder": "某药业", "status": "注销"}),
    ("drug_business_licence", {"number": "鄂CB7150001", "holder": "咸宁百草堂大药房", "scope": "中成药、化学药制剂",
                               "valid_until": "2025-01-01"}),
    ("drug_business_licence", {"number": "鄂CB7150002", "holder": "咸宁同济堂药店", "holder_code": "91421200MA49012306",
                               "scope": "甲类非处方药、乙类非处方药：中成药、化学药制剂", "valid_until": "2029-01-01"}),
    ("device_registration", {"number": "国械注准20183150456", "name": "一次性使用无菌注射器", "device_class": "第三类",
                             "holder": "某医疗"}),
    ("device_registration", {"number": "鄂械注准20202070321", "name": "电子体温计", "device_class": "2",
                             "holder": "某医疗", "valid_until": "2025-05-01"}),
    ("device_business_filing", {"number": "鄂咸械经营备20200012号", "holder": "咸宁康泰医疗器械店"}),
    ("device_business_licence", {"number": "鄂咸械经营许20200001号", "holder": "咸宁安康医疗器械有限公司",
                                 "valid_until": "2030-01-01"}),
]


def _registers(*kinds: str) -> registers.MemoryRegisters:
    entries = []
    for kind, values in ROWS:
        if not kinds or kind in kinds:
            entry, problems = registers.check_row(kind, values, 1)
            assert entry is not None, problems
            entries.append(entry)
    return registers.MemoryRegisters(entries, DAY)


ALL = _registers()


def judge(model: str, given: registers.MemoryRegisters | None = ALL, **item):
    chosen = engine.model(model)
    return chosen.judge(chosen.check({"id": "x", **item}), registers=given)


def hits(verdict, rule: str) -> list[tuple[str, str]]:
    return [(hit.quote, hit.note) for hit in verdict.hits if hit.rule == rule]


AD = {"advertiser": "咸宁仁爱医院", "text": "咸宁仁爱医院内科门诊迁至新院区"}


def test_a_review_number_in_the_register_and_valid_raises_nothing():
    verdict = judge("medical_ad", review_number="鄂医广[2026]第01-05-001号", **AD)
    assert not verdict.alert and not verdict.hits


def test_a_review_number_not_in_the_register_expired_or_of_another_advertiser():
    unknown = judge("medical_ad", review_number="鄂医广【2026】第01-05-999号", **AD)
    assert hits(unknown, "medical_ad.review_not_registered") == [("鄂医广【2026】第01-05-999号",
                                                                   "编号不在广告审查证明登记中")]
    assert unknown.alert and unknown.hits[0].article == "广告法第四十六条；医疗广告管理办法第三条"
    expired = judge("medical_ad", review_number="鄂医广【2025】第08-12-003号", **AD)
    assert [note for _, note in hits(expired, "medical_ad.review_invalid")] == [
        "广告审查证明 鄂医广【2025】第08-12-003号 已于 2026-06-30 到期"]
    other = judge("medical_ad", review_number="鄂医广【2026】第01-05-001号", advertiser="咸宁美好医院", text="门诊通知")
    assert hits(other, "medical_ad.review_other_advertiser") == [
        ("咸宁美好医院", "广告审查证明 鄂医广【2026】第01-05-001号 由“咸宁仁爱医院”取得")]


def test_a_department_the_licence_lacks_is_quoted_and_one_it_lists_is_not():
    text = "咸宁仁爱医院皮肤科、妇科专家门诊，周末照常接诊"
    verdict = judge("medical_ad", advertiser="咸宁仁爱医院", text=text)
    (hit,) = [hit for hit in verdict.hits if hit.rule == "medical_ad.outside_departments"]
    assert (hit.quote, text[hit.start:hit.end]) == ("皮肤科", "皮肤科")
    assert hit.note == "执业许可证 PDY42120001 未核准皮肤科"
    assert hit.article == "医疗广告管理办法第六条" and verdict.alert


def test_an_advertiser_without_a_valid_institution_licence():
    expired = judge("medical_ad", advertiser="咸宁旧城诊所", text="内科门诊")
    assert hits(expired, "medical_ad.not_institution") == [
        ("咸宁旧城诊所", "医疗机构执业许可证 PDY42120002 已于 2026-01-01 到期")]
    named = judge("medical_ad", advertiser="别处诊所", text="内科门诊")
    assert [hit.weight for hit in named.hits if hit.rule == "medical_ad.not_institution"] == [0.0]
    assert not named.alert
    coded = judge("medical_ad", advertiser="91421200MA49012306", text="内科门诊")
    assert hits(coded, "medical_ad.not_institution") == [("91421200MA49012306", "广告主不在医疗机构执业登记中")]


def test_drug_approval_found_not_found_revoked_and_of_another_product():
    shop = {"seller": "咸宁同济堂药店", "platform": "某电商平台"}
    good = judge("drug_sales", product_name="布洛芬缓释胶囊", registration_number="国药准字H20013062",
                 text="布洛芬缓释胶囊", **shop)
    assert not good.hits
    missing = judge("drug_sales", product_name="布洛芬缓释胶囊", registration_number="国药准字H20019999", text="x",
                    **shop)
    assert [note for _, note in hits(missing, "drug_sales.approval_not_registered")] == ["编号不在药品批准文号登记中"]
    revoked = judge("drug_sales", product_name="复方丹参片", registration_number="国药准字Z20044444", text="x", **shop)
    assert [note for _, note in hits(revoked, "drug_sales.approval_invalid")] == [
        "药品批准文号 国药准字Z20044444 状态为注销"]
    other = judge("drug_sales", product_name="阿莫西林胶囊", registration_number="国药准字H20013062", text="x", **shop)
    assert [note for _, note in hits(other, "drug_sales.approval_other_product")] == [
        "批准文号 国药准字H20013062 批准的是“布洛芬缓释胶囊”（某药业）"]


def test_seller_licence_by_name_by_code_expired_and_outside_scope():
    item = {"product_name": "布洛芬缓释胶囊", "registration_number": "国药准字H20013062", "text": "布洛芬缓释胶囊"}
    assert not hits(judge("drug_sales", seller="91421200MA49012306", **item), "drug_sales.seller_licence")
    expired = judge("drug_sales", seller="咸宁百草堂大药房", **item)
    assert [note for _, note in hits(expired, "drug_sales.seller_licence")] == [
        "药品经营许可证 鄂CB7150001 已于 2025-01-01 到期"]
    assert expired.alert
    unlicensed = judge("drug_sales", seller="91421200MA49012407", **item)
    assert [note for _, note in hits(unlicensed, "drug_sales.seller_licence")] == ["卖家未持有药品经营许可证"]
    shop = judge("drug_sales", seller="店铺A001", **item)
    assert [hit.weight for hit in shop.hits if hit.rule == "drug_sales.seller_licence"] == [0.0] and not shop.alert
    rx = judge("drug_sales", seller="咸宁同济堂药店", product_name="阿莫西林胶囊",
               registration_number="国药准字H20033333", text="阿莫西林胶囊")
    assert [note for _, note in hits(rx, "drug_sales.outside_scope")] == [
        "药品经营许可证 鄂CB7150002 经营范围不含处方药"]
    biologic = judge("drug_sales", seller="咸宁同济堂药店", product_name="某某",
                     registration_number="国药准字S20055555", text="某某")
    assert [note for _, note in hits(biologic, "drug_sales.outside_scope")] == [
        "药品经营许可证 鄂CB7150002 经营范围不含生物制品"]


def test_a_listing_without_a_seller_is_judged_by_what_it_gives():
    """No seller, no judgement of the seller's licence or scope (the scan takes a line without one); the product's
    own number is still checked against the register."""
    verdict = judge("drug_sales", product_name="阿莫西林胶囊", registration_number="国药准字H20099999",
                    text="阿莫西林胶囊")
    assert not hits(verdict, "drug_sales.seller_licence") and not hits(verdict, "drug_sales.outside_scope")
    assert hits(verdict, "drug_sales.approval_not_registered")


def test_device_registration_sides_and_the_sellers_licence_by_class():
    shop = {"seller": "咸宁安康医疗器械有限公司"}
    good = judge("device_sales", product_name="一次性使用无菌注射器", device_class=3,
                 registration_number="国械注准20183150456", text="一次性使用无菌注射器", **shop)
    assert not good.hits
    missing = judge("device_sales", product_name="注射器", device_class=3, registration_number="国械注准20183159999",
                    text="注射器", **shop)
    assert [note for _, note in hits(missing, "device_sales.not_registered")] == ["编号不在医疗器械注册证、备案登记中"]
    expired = judge("device_sales", product_name="电子体温计", device_class=2,
                    registration_number="鄂械注准20202070321", text="电子体温计", **shop)
    assert [note for _, note in hits(expired, "device_sales.registration_invalid")] == [
        "医疗器械注册证、备案 鄂械注准20202070321 已于 2025-05-01 到期"]
    other = judge("device_sales", product_name="血糖仪", device_class=2, registration_number="国械注准20183150456",
                  text="血糖仪", **shop)
    assert [note for _, note in hits(other, "device_sales.other_product")] == [
        "国械注准20183150456 登记为第三类，商品标为第二类", "国械注准20183150456 登记的产品是“一次性使用无菌注射器”"]
    filed_only = judge("device_sales", seller="咸宁康泰医疗器械店", product_name="一次性使用无菌注射器", device_class=3,
                       registration_number="国械注准20183150456", text="注射器")
    assert [note for _, note in hits(filed_only, "device_sales.seller_licence")] == [
        "卖家持有第二类医疗器械经营备案 鄂咸械经营备20200012号，未持有医疗器械经营许可证"]
    class_two = judge("device_sales", seller="咸宁康泰医疗器械店", product_name="电子体温计", device_class=2,
                      registration_number="鄂械注准20202070321", text="电子体温计")
    assert not hits(class_two, "device_sales.seller_licence")


def test_a_register_kind_not_loaded_leaves_its_note_and_its_rules_silent():
    item = {"seller": "91421200MA49012407", "product_name": "注射器", "device_class": 3,
            "registration_number": "国械注准20183159999", "text": "注射器 降血糖"}
    only_numbers = judge("device_sales", _registers("device_registration"), **item)
    rules = {hit.rule for hit in only_numbers.hits}
    assert "device_sales.not_registered" in rules and "device_sales.register" not in rules
    assert "device_sales.licence_register" in rules and "device_sales.seller_licence" not in rules
    # a class II product: a filing may be held where only licences are loaded, so nothing is concluded
    licences_only = judge("device_sales", _registers("device_business_licence"), **{**item, "device_class": 2,
                                                                                    "registration_number": None})
    assert not hits(licences_only, "device_sales.seller_licence")
    none = judge("device_sales", None, **{**item, "registration_number": "械注准123"})  # alerts: number malformed
    assert none.alert
    assert {"device_sales.register", "device_sales.licence_register"} <= {hit.rule for hit in none.hits}
    assert not judge("medical_ad", None, review_number="鄂医广【2026】第01-05-999号", **AD).hits


@pytest.mark.parametrize(("kind", "values", "column", "code"), [
    ("drug_approval", {"number": "国药准字H1", "holder": "x"}, "通用名称", "required"),
    ("device_registration", {"number": "国械注准20183150456", "name": "x", "holder": "x", "device_class": "四"},
     "管理类别", "class_invalid"),
    ("device_registration", {"number": "国械注准20183150456", "name": "x", "holder": "x", "device_class": "2"},
     "管理类别", "class_mismatch"),
    ("ad_review", {"number": "x", "holder": "x", "valid_until": "明年"}, "有效期至", "date_invalid"),
    ("drug_business_licence", {"number": "x", "holder": "x", "scope": "中成药", "valid_until": "2027-01-01",
                               "holder_code": "91421200MA49012340"}, "统一社会信用代码", "uscc_invalid"),
    ("drug_approval", {"number": "x", "name": "x", "holder": "x", "rx": "保健品"}, "处方药/非处方药", "rx_invalid"),
    ("ad_review", {"number": "x", "holder": "x", "valid_until": "2027-01-01", "status": "作废"}, "状态",
     "status_invalid"),
])
def test_a_register_row_is_refused_naming_column_and_rule(kind, values, column, code):
    entry, problems = registers.check_row(kind, values, 7)
    assert entry is None
    assert [(p.row, p.column, p.code) for p in problems] == [(7, column, code)]
    assert problems[0].message.startswith(f"“{column}”")


def test_a_number_twice_in_one_file_is_refused_at_its_second_row():
    row = {"number": "鄂医广【2026】第01号", "holder": "x", "valid_until": "2027-01-01"}
    _, problems = registers.check_rows("ad_review", [(2, row), (3, {**row, "number": "鄂医广[2026]第01号"})])
    assert [(p.row, p.code, p.message) for p in problems] == [(3, "duplicate", "“广告审查证明文号”与第 2 行重复")]


def test_a_register_file_of_the_scan_is_checked_whole():
    good = registers.read_lines((SETS / "registers.jsonl").read_bytes(), DAY)
    assert good.loaded("ad_review") and good.find("ad_review", "鄂医广【2026】第01-05-001号") is not None
    with pytest.raises(InputInvalid) as refused:
        registers.read_lines(b'{"kind": "ad_review", "number": "x", "holder": "y"}\n', DAY)
    assert refused.value.line == 1 and refused.value.code == "required" and "有效期至" in refused.value.message
    with pytest.raises(InputInvalid) as refused:
        registers.read_lines(b'{"kind": "licence", "number": "x"}\n', DAY)
    assert refused.value.code == "register_kind_unknown"


# model → (tp, fp, fn, tn) with the registers, and without them; docs/risk-models.md states the same figures.
WITH_REGISTERS = {"medical_ad": ((4, 0, 0, 3), (1, 0, 3, 3)), "drug_sales": ((4, 0, 0, 3), (0, 0, 4, 3)),
                  "device_sales": ((4, 0, 0, 3), (1, 0, 3, 3))}


@pytest.mark.parametrize("model", sorted(WITH_REGISTERS))
def test_the_labelled_lines_that_need_a_register_measure_as_stated(model):
    records = batch.read(engine.model(model), (SETS / f"{model}.jsonl").read_bytes(), labelled=True)
    labels = [record["label"] for record in records]
    given = registers.read_lines((SETS / "registers.jsonl").read_bytes(), DAY)
    for judged_with, table in zip((given, None), WITH_REGISTERS[model], strict=True):
        measures = batch.measure(engine.judge_all(model, records, judged_with), labels)
        assert (measures.true_positive, measures.false_positive, measures.false_negative,
                measures.true_negative) == table, judged_with


def test_the_scan_command_reads_a_register_file_and_refuses_a_bad_one(tmp_path):
    out = io.StringIO()
    call_command("risk", "scan", "--model", "drug_sales", str(SETS / "drug_sales.jsonl"), "--registers",
                 str(SETS / "registers.jsonl"), "--on", "2026-12-01", "--format", "json", stdout=out)
    first = json.loads(out.getvalue().splitlines()[0])
    assert first["alert"] and first["hits"][0]["rule"] == "drug_sales.seller_licence"
    assert first["hits"][0]["note"] == "药品经营许可证 鄂CB7150001 已于 2025-01-01 到期"
    bad = tmp_path / "registers.jsonl"
    bad.write_text('{"kind": "ad_review", "number": "x", "holder": "y", "valid_until": "2027-01-01"}\n'
                   '{"kind": "ad_review", "number": "z", "holder": "y", "valid_until": "明年"}\n', "utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("risk", "scan", "--model", "medical_ad", str(SETS / "medical_ad.jsonl"), "--registers", str(bad))
    shown = str(refused.value)
    assert "第 2 行" in shown and "有效期至" in shown and "[date_invalid]" in shown
