"""The contract other apps use: redact with the custom rules in force, the reviewer's view, custom rules refused."""

from __future__ import annotations

import pytest

from jianguan.audit.models import AuditEvent
from jianguan.core.errors import AccessDenied, ValidationFailed
from jianguan.redaction import contracts
from jianguan.redaction.contracts import Mask
from jianguan.redaction.models import RedactionRule
from jianguan.redaction.rules import rule_save

pytestmark = pytest.mark.django_db

FACTS = "当事人张三于2026年5月12日向李四出售过期食品，李四电话13800138000，车牌鄂L12345。"


def test_redact_uses_the_built_in_rules_and_keeps_the_original():
    original = {"违法事实": FACTS, "处罚依据": "《中华人民共和国食品安全法》第一百二十四条"}
    result = contracts.redact(original, persons=["张三", "李四"], party="张三")
    assert [m.rule for m in result.masks] == ["third_party_name", "third_party_name", "phone"]
    assert result.fields["违法事实"] == "当事人张三于2026年5月12日向李*出售过期食品，李*电话138****8000，车牌鄂L12345。"
    assert result.fields["处罚依据"] == original["处罚依据"]
    assert contracts.masked_values(original, result) == {"李四", "13800138000"}


def test_a_custom_rule_in_force_is_applied_and_a_new_version_replaces_it(persona):
    admin = persona("admin")
    rule_save(actor=admin, code="plate", pattern=r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]"
              r"[A-Z][A-Z0-9]{5}", kind="other", description="机动车号牌")
    result = contracts.redact({"f": FACTS})
    assert [(m.rule, FACTS[m.start:m.end]) for m in result.masks] == [
        ("phone", "13800138000"), ("plate", "鄂L12345")]
    rule_save(actor=admin, code="plate", pattern=r"鄂L\d{5}", kind="other", description="机动车号牌", active=False)
    assert [m.rule for m in contracts.redact({"f": FACTS}).masks] == ["phone"]
    versions = list(RedactionRule.objects.filter(code="plate").values_list("version", "active", "pattern"))
    assert versions[0][:2] == (2, False) and versions[1][:2] == (1, True)
    assert AuditEvent.objects.filter(verb="redaction.rule_saved").count() == 2


@pytest.mark.parametrize(("pattern", "code"), [
    ("[a-", "pattern_invalid"), ("(?P<x>a", "pattern_invalid"), ("a*", "pattern_matches_empty"),
    ("x?|y", "pattern_matches_empty"), ("$", "pattern_matches_empty"), ("(?<=张)\\d*", "pattern_matches_empty")])
def test_a_pattern_that_does_not_compile_or_matches_empty_is_refused(persona, pattern, code):
    with pytest.raises(ValidationFailed) as refused:
        rule_save(actor=persona("dataadmin"), code="bad", pattern=pattern, kind="other", description="错误")
    assert (refused.value.code, refused.value.field) == (code, "pattern")
    assert "正则表达式" in refused.value.message and "规则" in refused.value.message
    assert not RedactionRule.objects.exists()
    assert not AuditEvent.objects.filter(verb="redaction.rule_saved").exists()


@pytest.mark.parametrize(("values", "code", "field"), [
    ({"code": "ric"}, "code_reserved", "code"), ({"code": "Bad Code"}, "code_invalid", "code"),
    ({"kind": "car"}, "kind_invalid", "kind"), ({"description": ""}, "required", "description")])
def test_other_bad_input_is_refused_naming_the_field(persona, values, code, field):
    given = {"code": "plate", "pattern": "鄂L\\d{5}", "kind": "other", "description": "号牌", **values}
    with pytest.raises(ValidationFailed) as refused:
        rule_save(actor=persona("admin"), **given)
    assert (refused.value.code, refused.value.field) == (code, field)


def test_only_system_and_data_administrators_save_rules(persona):
    with pytest.raises(AccessDenied):
        rule_save(actor=persona("scjg_officer"), code="plate", pattern="鄂L\\d{5}", kind="other", description="号牌")
    assert not RedactionRule.objects.exists()


def test_manual_masks_out_of_range_are_refused():
    with pytest.raises(ValidationFailed) as refused:
        contracts.redact({"f": "短"}, added=[Mask("f", 0, 5, "manual", "other", "理由")])
    assert (refused.value.code, refused.value.field) == ("mask_out_of_range", "added")
    with pytest.raises(ValidationFailed):
        contracts.redact({"f": "短"}, added=[Mask("g", 0, 1, "manual", "other", "理由")])


def test_diff_rows_mark_the_masked_spans_beside_the_copy():
    original = {"违法事实": FACTS, "备注": "无"}
    result = contracts.redact(original, persons=["李四"], party="张三", added=[
        Mask("违法事实", 3, 5, "manual", "person_name", "复核加隐")])
    rows = contracts.diff_rows(original, result)
    assert [row.field for row in rows] == ["违法事实", "备注"]
    first = rows[0]
    assert "".join(part.text for part in first.original) == FACTS
    assert [(p.text, p.rule) for p in first.original if p.masked] == [
        ("张三", "manual"), ("李四", "third_party_name"), ("李四", "third_party_name"), ("13800138000", "phone")]
    assert first.original[1].note == "复核加隐"
    assert first.redacted == result.fields["违法事实"]
    assert rows[1].original == (contracts.Part("无"),) and rows[1].redacted == "无"
