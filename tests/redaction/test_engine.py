"""The redaction engine, rule by rule in both directions (pure: no database)."""

from __future__ import annotations

import pytest

from jianguan.core.codes import ric_check_char
from jianguan.redaction import styles
from jianguan.redaction.engine import Engine, luhn_valid, name_masks
from jianguan.redaction.masks import Mask, merge

ENGINE = Engine()
VALID_ID = "42060219900101123" + ric_check_char("42060219900101123")
WRONG_ID = VALID_ID[:17] + str((int(VALID_ID[17]) + 1) % 10 if VALID_ID[17].isdigit() else 0)
CARD = "6222021234567890128"  # Luhn-valid 19 digits


def found(text: str, **kwargs: object) -> list[tuple[str, str]]:
    """(rule, masked original) pairs of the merged masks over one field."""
    result = ENGINE.redact({"违法事实": text}, **kwargs)  # type: ignore[arg-type]
    return [(m.rule, text[m.start:m.end]) for m in result.masks]


def test_valid_id_number_is_masked_and_a_wrong_check_digit_is_not():
    assert found(f"身份证号{VALID_ID}，") == [("ric", VALID_ID)]
    assert not luhn_valid(WRONG_ID)
    assert found(f"身份证号{WRONG_ID}，") == []


def test_id_number_with_lowercase_x_and_full_width_digits():
    number = "11010519491231002X"
    assert ric_check_char(number[:17]) == "X"
    assert found(f"证件号码{number.lower()}") == [("ric", number.lower())]
    wide = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert found(f"证件号码：{wide}。") == [("ric", wide)]


def test_an_id_inside_a_longer_digit_run_is_not_taken_for_one():
    assert found(f"编号9{VALID_ID}9") == []


def test_numbers_one_space_apart_are_each_masked():
    assert found(f"{VALID_ID} 13800138000 13900139000 {CARD}") == [
        ("ric", VALID_ID), ("phone", "13800138000"), ("phone", "13900139000"), ("bank_card", CARD)]


@pytest.mark.parametrize("phone", ["13800138000", "138 0013 8000", "138-0013-8000", "+86 13800138000",
                                   "0715-8123456", "（027）87654321", "07158123456", "0715-8123456-808"])
def test_phones_in_several_writings_are_masked(phone):
    assert found(f"联系电话：{phone}；") == [("phone", phone)]


@pytest.mark.parametrize("text", ["罚款 12800138000 元", "金额 1380013800 元", "文号 2026-8123456",
                                  "编号 138001380001", "货值 1380 0138 00 元"])
def test_numbers_that_are_not_phones_are_left(text):
    assert found(text) == []


def test_luhn_valid_card_is_masked_and_an_invalid_one_is_not():
    assert luhn_valid(CARD)
    assert found(f"银行卡{CARD}。") == [("bank_card", CARD)]
    spaced = "6222 0212 3456 7890 128"
    assert found(f"银行卡 {spaced}。") == [("bank_card", spaced)]
    broken = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)
    assert not luhn_valid(broken)
    assert found(f"编号{broken}。") == []


def test_an_account_after_its_keyword_is_masked_without_a_check_digit():
    assert found("对公账号：42001234567890123。") == [("bank_account", "42001234567890123")]
    assert found("开户行账户为 1234 5678 9012。") == [("bank_account", "1234 5678 9012")]


def test_an_18_digit_number_failing_the_id_check_is_still_masked_when_it_is_a_card():
    card18 = next(f"62220212345678{n:04d}" for n in range(10000) if luhn_valid(f"62220212345678{n:04d}")
                  and ric_check_char(f"62220212345678{n:04d}"[:17]) != f"{n:04d}"[-1])
    assert found(f"卡号 {card18} ")[0][0] in {"bank_card", "bank_account"}
    assert found(f"转入 {card18} ") == [("bank_card", card18)]


def test_address_masked_below_the_street_only():
    text = "住湖北省咸宁市咸安区温泉街道金桂路123号5栋2单元302室，经营场所见执照。"
    assert found(text) == [("address_detail", "123号5栋2单元302室")]
    result = ENGINE.redact({"住所": text})
    assert "湖北省咸宁市咸安区温泉街道金桂路" in result.fields["住所"]
    assert "123号" not in result.fields["住所"]
    assert found("家住马桥镇幸福村3组15号。") == [("address_detail", "3组15号")]
    assert found("咸宁大道88号B座1203室") == [("address_detail", "88号B座1203室")]


@pytest.mark.parametrize("text", ["依据《中华人民共和国食品安全法》第一百二十四条第一款", "咸市监处罚〔2026〕15号",
                                  "国办发〔2018〕118号", "位于温泉街道金桂路", "市场监督管理总局令第45号"])
def test_legal_references_and_street_level_addresses_are_left(text):
    assert found(text) == []


def test_third_party_names_masked_but_the_party_and_institutions_are_not():
    text = "当事人张三雇佣李四、王芳销售过期食品，咸宁市市场监督管理局执法人员现场检查，张三承认。"
    masks = found(text, persons=["张三", "李四", "王芳"], party="张三")
    assert masks == [("third_party_name", "李四"), ("third_party_name", "王芳")]
    copy = ENGINE.redact({"f": text}, persons=["张三", "李四", "王芳"], party="张三").fields["f"]
    assert copy.count("张三") == 2 and "李*" in copy and "王*" in copy and "市场监督管理局" in copy


def test_a_name_inside_the_partys_own_name_stays():
    text = "当事人李四海与李四共同经营。"
    assert name_masks("f", text, persons=["李四海", "李四"], party="李四海") == [
        Mask("f", 7, 9, "third_party_name", "person_name")]


def test_secret_and_health_fields_are_hidden_whole():
    result = ENGINE.redact({"备注": "配方见附件", "健康证明": "乙肝携带", "违法事实": "无"}, secret_fields={"备注"})
    rules = {m.field: m.rule for m in result.masks}
    assert rules == {"备注": "secret_field", "健康证明": "health_field"}
    assert result.fields["备注"] == "***" and result.fields["健康证明"] == "***"
    assert result.fields["违法事实"] == "无"


def test_overlapping_masks_are_merged_with_the_other_rules_noted():
    merged = merge([Mask("f", 5, 10, "phone", "phone"), Mask("f", 8, 14, "bank_card", "bank_account"),
                    Mask("f", 14, 16, "manual", "other"), Mask("g", 0, 3, "ric", "id_number")])
    assert merged == [Mask("f", 5, 14, "phone", "phone", "+bank_card"), Mask("f", 14, 16, "manual", "other"),
                      Mask("g", 0, 3, "ric", "id_number")]


def test_offsets_are_into_the_original_with_full_width_characters():
    text = "（全角）当事人：张三，电话：１３８００１３８０００，证件号码" + VALID_ID + "。"
    result = ENGINE.redact({"f": text}, persons=["张三"], party="")
    spans = [text[m.start:m.end] for m in result.masks]
    assert spans == ["张三", "１３８００１３８０００", VALID_ID]
    assert result.masks[1].start == text.index("１３８")


def test_the_original_is_not_modified_and_the_copy_is_masked_in_the_configured_style():
    fields = {"f": f"王芳 {VALID_ID} 13800138000 {CARD}"}
    before = dict(fields)
    result = ENGINE.redact(fields, persons=["王芳"])
    assert fields == before
    assert result.fields["f"] == f"王* 4206**********{VALID_ID[-4:]} 138****8000 ***************0128"
    labelled = Engine(style="label").redact(fields, persons=["王芳"]).fields["f"]
    assert labelled == "【已隐去：姓名】 【已隐去：证件号码】 【已隐去：联系电话】 【已隐去：银行账户】"
    assert Engine(style="full").redact(fields, persons=["王芳"]).fields["f"].count("*") == sum(
        m.end - m.start for m in result.masks)


def test_a_reviewer_removes_and_adds_masks():
    text = "证人刘强称当事人于13800138000联系。"
    manual = Mask("f", 2, 4, "manual", "person_name", "证人姓名")
    phone = text.index("138")
    result = ENGINE.redact({"f": text}, added=[manual], removed=[("f", phone, phone + 11)])
    assert result.masks == (manual,)
    assert result.fields["f"] == "证人刘*称当事人于13800138000联系。"


def test_every_style_hides_the_whole_value():
    for style in styles.STYLES:
        for kind in styles.KINDS:
            for value in ("张三丰", VALID_ID, "13800138000", CARD, "金桂路123号"):
                assert styles.masking(style)(value, kind) != value
