"""The five risk models: each signal judged from one line, hits quoting the original with offsets, what needs a
register said rather than guessed, and the labelled sets (tests/risk/sets/*.jsonl, with evasions and look-alike names)
measured at the precision and recall docs/risk-models.md states."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jianguan.risk import batch, contracts, engine, rules_listings
from jianguan.risk.engine import DefinitionInvalid

pytestmark = pytest.mark.once
SETS = Path(__file__).with_name("sets")

# model → (true positives, false positives, false negatives, true negatives), the misses and false alarms by id;
# docs/risk-models.md states the same figures.
STATED = {
    "medical_ad": ((17, 1, 2, 21), {"ma17", "ma18", "ma37"}),
    "fundraising": ((13, 1, 1, 10), {"fr14", "fr25"}),
    "drug_sales": ((15, 0, 0, 15), set()),
    "rx_sales": ((8, 0, 1, 7), {"rx09"}),
    "device_sales": ((9, 0, 1, 8), {"dv18"}),
}


def judge(model: str, **item):
    return contracts.verdict(model=model, item={"id": "x", **item})


def rules_of(verdict):
    return [hit.rule for hit in verdict.hits if hit.weight > 0]


@pytest.mark.parametrize("model", engine.MODEL_NAMES)
def test_the_labelled_set_measures_as_stated(model):
    records = batch.read(engine.model(model), (SETS / f"{model}.jsonl").read_bytes(), labelled=True)
    verdicts = engine.judge_all(model, records)
    measures = batch.measure(verdicts, [record["label"] for record in records])
    table, wrong = STATED[model]
    assert (measures.true_positive, measures.false_positive, measures.false_negative,
            measures.true_negative) == table
    assert {record["id"] for record, verdict in zip(records, verdicts, strict=True)
            if verdict.alert != record["label"]} == wrong


def test_the_labelled_sets_hold_evasions_and_look_alikes():
    text = "".join((SETS / f"{model}.jsonl").read_text("utf-8") for model in engine.MODEL_NAMES)
    for sign in ("根 治", "gen治", "跟治", "跟治疗师", "\\u200b", "🔥", "ＮＯ", "無毒副作用", "bao本bao息", "mian处方",
                 "ZHI入", "司坦唑醇", "第一人民医院", "最高人民法院", "国家级高新区", "金融街", "下三滥"):
        assert sign in text, sign


def test_a_medical_ad_hit_quotes_the_original_text_with_offsets():
    text = "专治鼻炎，根 治不反弹！咸宁市第一人民医院"
    verdict = judge("medical_ad", text=text)
    assert verdict.alert and verdict.band == "橙"
    (cure,) = [hit for hit in verdict.hits if hit.rule == "medical_ad.cure_promise" and hit.quote == "根 治"]
    assert text[cure.start:cure.end] == "根 治" and cure.article.startswith("广告法第十六条")
    assert "medical_ad.absolute" not in rules_of(verdict)
    assert verdict.as_json()["hits"][0].keys() >= {"rule", "article", "quote", "start", "end"}


def test_review_number_missing_or_malformed_counts_only_for_a_medical_claim():
    assert "medical_ad.review_number" in rules_of(judge("medical_ad", text="七天根治失眠"))
    malformed = judge("medical_ad", text="七天根治失眠", review_number="审查通过")
    assert [hit.quote for hit in malformed.hits if hit.rule == "medical_ad.review_number"] == ["审查通过"]
    valid = judge("medical_ad", text="七天根治失眠", review_number="鄂医广【2025】第05-21-008号")
    assert "medical_ad.review_number" not in rules_of(valid)
    assert not judge("medical_ad", text="门诊时间调整通知").hits


def test_a_food_claiming_to_treat_and_health_food_without_its_notice():
    assert "medical_ad.non_medical_cure" in rules_of(judge("medical_ad", text="固体饮料，可治疗失眠"))
    assert "medical_ad.non_medical_cure" not in rules_of(judge("medical_ad", text="失眠的治疗请遵医嘱"))
    assert "medical_ad.health_food_notice" in rules_of(judge("medical_ad", text="保健食品，增强免疫力"))
    assert "medical_ad.health_food_notice" not in rules_of(
        judge("medical_ad", text="保健食品，增强免疫力。本品不能代替药物"))


def test_an_alert_says_what_needs_a_register_and_a_quiet_line_says_nothing():
    alert = judge("medical_ad", text="七天根治失眠")
    (register,) = [hit for hit in alert.hits if hit.rule == "medical_ad.register"]
    assert register.weight == 0 and "需核对" in register.note and register.quote == ""
    assert not judge("medical_ad", text="今天天气晴").hits


def test_fundraising_restricted_words_count_in_name_and_scope_not_in_an_ordinary_text():
    assert "fundraising.restricted_word" in rules_of(judge("fundraising", name="咸宁某某财富管理有限公司"))
    assert "fundraising.restricted_word" not in rules_of(judge("fundraising", text="银行理财请认准正规渠道"))
    assert not judge("fundraising", name="咸宁市金融街小吃店").hits
    assert "fundraising.elderly_seminar" in rules_of(judge("fundraising", text="老年人免费讲座"))


@pytest.mark.parametrize(("name", "banned"), [
    ("华法林钠片", True), ("米非司酮片", True), ("复方米非司酮片", True), ("头孢地尼胶囊", True),
    ("头孢地尼颗粒", True), ("夫西地酸乳膏", False), ("夫西地酸片", True), ("右美沙芬片", True),
    ("复方右美沙芬糖浆", False), ("复方盐酸伪麻黄碱缓释胶囊", True), ("地塞米松注射液", True),
    ("甘精胰岛素注射液", False), ("利拉鲁肽注射液", False), ("布洛芬片", False), ("复方华法林片", False),
    ("司坦唑醇片", True), ("十一酸睾酮软胶囊", True), ("美卡舍明（胰岛素样生长因子-1）", True), ("乳清蛋白粉", False),
])
def test_the_ban_list_by_generic_name_and_dosage_form(name, banned):
    verdict = judge("drug_sales", seller="s", product_name=name, text=name, registration_number="国药准字H20000001")
    hits = [hit for hit in verdict.hits if hit.rule == "drug_sales.ban_list"]
    assert bool(hits) is banned
    if banned:
        assert hits[0].field == "product_name" and "禁止清单" in hits[0].note and verdict.band == "红"


def test_drug_numbers_and_social_selling():
    assert "drug_sales.institution_preparation" in rules_of(
        judge("drug_sales", seller="s", text="自制药膏", registration_number="鄂药制字Z20100001"))
    assert "drug_sales.approval_number" in rules_of(judge("drug_sales", seller="s", text="布洛芬片"))
    assert "drug_sales.approval_number" not in rules_of(
        judge("drug_sales", seller="s", text="布洛芬片", registration_number="国药准字H20000001"))
    assert "drug_sales.social_platform" in rules_of(judge("drug_sales", seller="s", text="布洛芬片", platform="微信群"))


def test_prescription_rules():
    order = "2026-12-01T10:00:00+08:00"
    fast = judge("rx_sales", seller="s", text="x", order_time=order, prescription_time="2026-12-01T10:00:30+08:00")
    assert [hit.note for hit in fast.hits if hit.rule == "rx_sales.prescription_timing"] == ["处方在下单后 30 秒开具"]
    slow = judge("rx_sales", seller="s", text="x", order_time=order, prescription_time="2026-12-01T10:05:00+08:00")
    assert "rx_sales.prescription_timing" not in rules_of(slow)
    assert "rx_sales.quantity_above" in rules_of(judge("rx_sales", seller="s", text="x", quantity=3,
                                                       prescribed_quantity=1))
    assert "rx_sales.no_prescription_step" in rules_of(judge("rx_sales", seller="s", text="x", prescription_step=False))
    assert "rx_sales.no_prescription_wording" in rules_of(judge("rx_sales", seller="s", text="先下单，后补方"))


@pytest.mark.parametrize(("number", "stated"), [
    ("国械注准20153091234", 3), ("国械注进20172161234", 2), ("鄂械注准20192141234", 2), ("鄂咸械备20200001号", 1),
    ("国械备20190012号", 1), ("械注准123", None), ("鄂械注准2019214123", None),
])
def test_device_number_states_its_class(number, stated):
    assert rules_listings.device_class_of(number) == stated


def test_device_number_format_class_and_class_one_claims():
    assert "device_sales.number_format" in rules_of(judge("device_sales", seller="s", text="血糖仪", device_class=2))
    assert "device_sales.number_format" not in rules_of(judge("device_sales", seller="s", text="棉签", device_class=1))
    assert "device_sales.number_format" in rules_of(
        judge("device_sales", seller="s", text="x", registration_number="鄂械注准20193141234"))
    mismatch = judge("device_sales", seller="s", text="x", registration_number="国械注准20153091234", device_class=2)
    notes = [hit.note for hit in mismatch.hits if hit.rule == "device_sales.class_mismatch"]
    assert notes == ["编号表明第三类，商品标为第二类"]
    claims = judge("device_sales", seller="s", text="冷敷贴 可植入", registration_number="鄂咸械备20200001号")
    assert [hit.quote for hit in claims.hits if hit.rule == "device_sales.class_one_claims"] == ["植入"]
    assert "device_sales.class_one_claims" not in rules_of(
        judge("device_sales", seller="s", text="支架 植入", registration_number="国械注准20153091234"))


def test_versions_of_a_model_and_its_lexicons():
    assert contracts.versions(model="drug_sales") == {
        "model": "2026.12.3", "lexicons": {"drug_sales": "2026.12.1", "drug_ban_list": "2022-11",
                                           "doping_list": "2025.1", "names": "2026.12.1", "homophones": "2026.12.2"}}


def test_a_definition_naming_an_unknown_rule_function_is_refused():
    data = json.loads((engine.DEFINITIONS / "rx_sales.json").read_text("utf-8"))
    data["indicators"][0]["rule"] = "guess"
    with pytest.raises(DefinitionInvalid) as refused:
        engine.parse("rx_sales.json", data)
    assert "rx_sales.json" in refused.value.message and "rx_sales.no_prescription_step" in refused.value.message


def test_a_listing_with_another_products_number_is_outside_the_model_and_says_so():
    """A drug's 批准文号 is not a malformed device number, nor a device's 注册证编号 a malformed 批准文号: the model
    of the other product leaves the line unjudged with a note, and the model of its own product judges it."""
    drug = {"seller": "s", "product_name": "阿莫西林胶囊", "registration_number": "国药准字H20003263",
            "text": "阿莫西林胶囊 无需处方"}
    device = {"seller": "s", "product_name": "电子血压计", "registration_number": "鄂械注准20192070123",
              "device_class": 3, "text": "电子血压计 加微信"}
    for model, item, note in (("device_sales", drug, "药品批准文号"), ("drug_sales", device, "医疗器械注册证"),
                              ("rx_sales", device, "医疗器械注册证")):
        outside = judge(model, **item)
        assert not outside.alert and outside.score == 0
        assert [(hit.rule, hit.field, hit.quote) for hit in outside.hits] == [
            (f"{model}.out_of_scope", "registration_number", item["registration_number"])]
        assert note in outside.hits[0].note
    assert "rx_sales.no_prescription_wording" in rules_of(judge("rx_sales", **drug))
    assert "device_sales.class_mismatch" in rules_of(judge("device_sales", **device))
    # a number of neither form, or none, is judged by each model (a malformed number is itself a signal)
    for number in ("国药准字H2000326", "鄂械注准2019207012", None):
        item = {**drug, "registration_number": number}
        for model in ("drug_sales", "device_sales"):
            assert not any(hit.rule.endswith("out_of_scope") for hit in judge(model, **item).hits)


@pytest.mark.parametrize(("scope", "said"), [
    ({"field": "nowhere", "outside": ["x"], "note": "n"}, "scope 须有本模型的字段"),
    ({"field": "registration_number", "outside": [], "note": "n"}, "非空"),
    ({"field": "registration_number", "outside": ["国药准字[H"], "note": "n"}, "不是有效的正则表达式"),
])
def test_a_definition_with_a_broken_scope_is_refused(scope, said):
    data = {**json.loads((engine.DEFINITIONS / "device_sales.json").read_text("utf-8")), "scope": scope}
    with pytest.raises(DefinitionInvalid) as refused:
        engine.parse("device_sales.json", data)
    assert "device_sales.json" in refused.value.message and said in refused.value.message


def test_a_long_text_repeating_a_claim_is_judged_in_time_with_its_hits_counted_not_all_listed():
    """Allowed names and nested terms are resolved by sorting, not by comparing every pair of matches."""
    verdict = judge("medical_ad", text="根治第一人民医院" * 12_500)
    cures = [hit for hit in verdict.hits if hit.rule == "medical_ad.cure_promise"]
    assert len(cures) == engine.MAX_HITS and cures[-1].note.endswith(f"（另有 {12_500 - engine.MAX_HITS} 处未列出）")
    assert cures[1].start == 8 and "medical_ad.absolute" not in rules_of(verdict)
