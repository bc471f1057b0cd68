"""Exchange standards and the quality engine: every rule class on good and bad records, the column-wise engine
against the record-by-record reference on random records, the seven-dimension score, Chinese and ascii keys,
files (GBK CSV, Excel with merged header cells), and the references answered from the database."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from jianguan.behaviour.models import Inspection, Penalty
from jianguan.catalog.contracts import in_force_windows as windows
from jianguan.core.codes import build_uscc, is_valid_uscc, ric_error, uscc_check_char
from jianguan.core.tabular import ImportRefused
from jianguan.exchange import standards
from jianguan.exchange.quality import engine, reference, scoring, sources
from jianguan.exchange.readers import read_csv, read_json, read_xlsx
from jianguan.exchange.refs import LibraryRefs
from jianguan.exchange.standards import values
from jianguan.exchange.standards.rules import DIMENSIONS
from tests.core.test_tabular import xlsx

INSPECTION = standards.get("inspection")
DAY = dt.date(2025, 6, 3)
CATALOG = "11000000000101"
BODY = "11110105000000027U"
IMPL = f"{BODY}3{CATALOG}01"
REFS = reference.MemoryRefs(
    catalog={CATALOG: [(dt.date(2025, 1, 1), dt.date(2025, 6, 4)), (dt.date(2025, 7, 1), None)],
             "11000000000102": [(dt.date(2024, 1, 1), None)], "11000000000100": [],
             "11000000000103": [(dt.date(2025, 1, 1), dt.date(2025, 6, 4))]},
    implementations={IMPL: (CATALOG, BODY, [(dt.date(2025, 1, 1), None)]),
                     f"{BODY}3{'11000000000102'}01": ("11000000000102", BODY, [(dt.date(2026, 1, 1), None)])},
    inspections={"JC-2025-000001"})


def both(standard, records, refs=None):
    """The engine's verdicts, after checking that the reference gives the same."""
    found = engine.check(standard, records, refs=refs)
    assert list(found) == reference.check_reference(standard, records, refs=refs)
    return found


def issues(standard, record, refs=None, **changes):
    """(field, code, dimension) of one record's issues, the record being the standard's example changed."""
    verdict = both(standard, [{**standards.get(standard).example(), **changes}], refs)[0]
    return [(i.field, i.code, i.dimension) for i in verdict.errors]


def one(standard, refs=None, **changes):
    found = issues(standard, None, refs, **changes)
    assert len(found) == 1, found
    return found[0]


def zero_check_uscc() -> str:
    """A valid USCC whose weighted sum is a multiple of 31: its check character is 0, not "31" or empty."""
    for n in range(10_000):
        code = build_uscc(authority="9", category="1", region="110105", org_body=f"MA{n:06d}")
        if code[17] == "0" and uscc_check_char(code[:17]) == "0":
            return code
    raise AssertionError("no code found")


# Standards --------------------------------------------------------------------------------------------------


def test_every_standard_is_found_by_name_title_and_short_title():
    assert [s.name for s in standards.all()] == list(standards.NAMES)
    for name, title in [("inspection", "行政检查行为"), ("penalty", "行政处罚行为"), ("coercion", "行政强制行为"),
                        ("other_action", "其他行政行为"), ("catalog_item", "监管事项目录清单"),
                        ("implementation", "检查实施清单"), ("disclosure_penalty", "双公示行政处罚"),
                        ("disclosure_licence", "双公示行政许可"), ("joint_task", "联合监管任务")]:
        assert standards.get(name).title == title
        assert standards.get(title).name == name
    assert standards.get("行政检查").name == "inspection"
    assert standards.get(" Inspection ").name == "inspection"
    assert standards.get("双公示 行政处罚").name == "disclosure_penalty"


def test_an_unknown_standard_is_refused_with_its_code():
    with pytest.raises(standards.UnknownStandard) as refused:
        standards.get("行政审批")
    assert refused.value.code == "standard_unknown" and "行政审批" in refused.value.message
    with pytest.raises(standards.UnknownStandard):
        engine.check("行政审批", [])


def test_every_standard_has_versioned_fields_rules_with_ids_and_a_valid_example():
    for standard in standards.all():
        assert standard.version and standard.fields and standard.source
        ids = [rule.id for rule in standard.all_rules()]
        assert len(ids) == len(set(ids)), standard.name
        assert all(rule.dimension in DIMENSIONS and rule.code for rule in standard.all_rules())
        assert all(f.id.isascii() and not f.title.isascii() for f in standard.fields)
        verdict = both(standard, [standard.example()])[0]
        assert verdict.ok, (standard.name, verdict.errors)


def test_behaviour_field_ids_are_the_library_model_fields():
    names = {f.name for f in Inspection._meta.get_fields()}
    envelope = {"record_id", "department_name", "department_code", "delegated_by_name", "delegated_by_code",
                "region_code", "reported_at"}
    assert {f.id for f in INSPECTION.fields} - envelope <= names
    assert {f.id for f in standards.get("penalty").fields} - envelope <= {f.name for f in Penalty._meta.get_fields()}


def test_dictionaries_are_data_and_unknown_upstream_lists_say_so():
    entries = standards.dictionaries()
    assert entries["处罚种类"].values["02"] == "罚款"
    assert entries["检查形式"].status == "local" and "not published" in entries["检查形式"].note
    assert entries["证件类型"].values["001"] == "统一社会信用代码"
    assert INSPECTION.field("region_code").dictionary == "行政区划代码" and entries["行政区划代码"].values


# Field rules ------------------------------------------------------------------------------------------------


def test_required():
    assert one("inspection", date="") == ("date", "required", "completeness")
    record = INSPECTION.example()
    del record["inspectors"]
    verdict = both(INSPECTION, [record])[0]
    assert [(i.code, i.field) for i in verdict.errors] == [("required", "inspectors")]
    assert "“检查人员”为必填项" in verdict.errors[0].message
    assert issues("inspection", None, spot_check_plan="", method=None) == []  # optional ones may be blank


def test_types():
    assert one("inspection", name=["检查"]) == ("name", "type_invalid", "conformity")
    assert one("penalty", hearing="也许") == ("hearing", "bool_invalid", "conformity")
    assert issues("penalty", None, hearing="是", criminal=0, major="false") == []
    assert issues("inspection", None, category=1) == []  # a JSON number stands for its text


def test_lengths():
    assert one("inspection", number="JC" + "9" * 49) == ("number", "too_long", "conformity")
    assert issues("inspection", None, number="JC" + "9" * 48) == []
    assert one("inspection", catalog_code="1100000000010") == ("catalog_code", "wrong_length", "conformity")
    message = both(INSPECTION, [{**INSPECTION.example(), "catalog_code": "1100000000010"}])[0].errors[0].message
    assert message == "“监管事项目录编码”应为 14 位，实为 13 位"


def test_patterns_are_ascii_only():
    assert one("inspection", catalog_code="1100000000010A") == ("catalog_code", "pattern_mismatch", "conformity")
    assert one("inspection", catalog_code="１１000000000101") == ("catalog_code", "pattern_mismatch", "conformity")
    assert one("inspection", implementation_code=f"{BODY}6{CATALOG}01") == (
        "implementation_code", "pattern_mismatch", "conformity")


def test_dictionaries_accept_codes_and_labels_and_refuse_the_rest():
    assert issues("inspection", None, category="现场检查", party_nature="法人及非法人组织") == []
    assert one("inspection", result="情况良好") == ("result", "not_in_dictionary", "conformity")
    assert issues("inspection", None, result="1；E") == []  # several spot-check results
    assert one("inspection", result="1；情况良好") == ("result", "not_in_dictionary", "conformity")
    assert one("penalty", penalty_kinds=["01", "15"]) == ("penalty_kinds", "not_in_dictionary", "conformity")


def test_check_characters():
    assert issues("inspection", None, party_code=zero_check_uscc()) == []
    bad = "91110105MA01X0Y20F"
    assert one("inspection", party_code=bad) == ("party_code", "party_code_check_char", "accuracy")
    person = {"party_nature": "person", "party_id_type": "111"}
    assert issues("inspection", None, party_code="11010519491231002X", **person) == []
    assert issues("inspection", None, party_code="11010519491231002x", **person) == []
    assert one("inspection", party_code="11010519491231002Z", **person) == (
        "party_code", "pattern_mismatch", "conformity")
    assert one("inspection", party_code="110105194912310021", **person) == (
        "party_code", "party_code_check_char", "accuracy")
    assert one("inspection", party_code="110105194902300020", **person)[1] == "party_code_check_char"  # 30 February
    message = both(INSPECTION, [{**INSPECTION.example(), **person, "party_code": "110105194912310021"}])[0]
    assert "110105194912310021" not in message.errors[0].message  # an ID number is never echoed
    assert one("inspection", implementation_code=f"11110105000000027W3{CATALOG}01") == (
        "implementation_code", "impl_code_check_char", "accuracy")
    assert one("implementation", body_code="11110105000000027W") == ("body_code", "uscc_check_char", "accuracy")


def test_dates_and_numbers():
    assert one("inspection", date="2025-02-30") == ("date", "date_invalid", "conformity")
    assert one("inspection", date="2025/06/03") == ("date", "date_invalid", "conformity")
    assert issues("inspection", None, reported_at="2025-06-02T17:00:00Z") == []  # 01:00 on the 3rd in China
    assert one("inspection", reported_at="2025-06-02T15:00:00Z") == ("reported_at", "date_order", "accuracy")
    assert one("penalty", fine="-5") == ("fine", "negative", "accuracy")
    assert one("penalty", fine="5.005") == ("fine", "too_many_decimals", "conformity")
    assert one("penalty", fine="五千") == ("fine", "number_invalid", "conformity")
    assert issues("penalty", None, fine=5000) == []
    assert one("disclosure_penalty", fine="0.1234567")[1] == "too_many_decimals"
    assert issues("disclosure_penalty", None, fine="0.123456") == []


def test_lists():
    assert one("inspection", inspectors=["张伟", ""]) == ("inspectors", "item_blank", "conformity")
    assert issues("inspection", None, inspectors="张伟、李强") == []  # as a CSV cell writes it
    assert one("inspection", inspectors=["张伟", 3.5j]) == ("inspectors", "type_invalid", "conformity")
    assert one("inspection", inspectors=["张" * 51]) == ("inspectors", "too_long", "conformity")
    assert issues("penalty", None, penalty_kinds='["01","02"]') == []


def test_first_broken_rule_only_per_field():
    # too long and not 14 digits: the length rule comes first, the pattern is not reported again
    assert issues("inspection", None, catalog_code="X" * 20) == [("catalog_code", "wrong_length", "conformity")]


# Record rules -----------------------------------------------------------------------------------------------


def test_date_order():
    assert one("inspection", reported_at="2025-06-02 10:00:00") == ("reported_at", "date_order", "accuracy")
    assert issues("inspection", None, reported_at="2025-06-03 08:00:00") == []  # the same day is not earlier
    assert one("penalty", filed_on="2025-06-04", date="2025-06-05", closed_on="2025-06-03")[:2] == (
        "closed_on", "date_order")
    assert one("catalog_item", cancel_on="2025-06-03") == ("cancel_on", "date_order", "accuracy")  # strictly after
    message = both("penalty", [{**standards.get("penalty").example(), "filed_on": "2025-06-04",
                                "date": "2025-06-05", "closed_on": "2025-06-03"}])[0].errors[0].message
    assert message == "“结案情况—结案日期”（2025-06-03）不得早于“处罚立案时间”（2025-06-04）"


def test_category_and_code():
    individual = build_uscc(authority="9", category="2", region="110105", org_body="L2301234")
    assert issues("inspection", None, party_nature="individual", party_code=individual) == []
    assert one("inspection", party_nature="个体工商户") == ("party_code", "category_code_mismatch", "accuracy")
    assert one("inspection", party_code=individual) == ("party_code", "category_code_mismatch", "accuracy")
    verdict = both(INSPECTION, [{**INSPECTION.example(), "party_nature": "person", "party_id_type": "099"}])[0]
    assert [i.code for i in verdict.errors] == ["category_code_mismatch"]
    assert "自然人" in verdict.errors[0].message


def test_id_type_and_code():
    assert one("inspection", party_id_type="111") == ("party_code", "id_type_mismatch", "accuracy")
    assert issues("inspection", None, party_id_type="099") == []  # meaning unknown: not checked


def test_required_when():
    assert one("coercion", kind="measure", measure_type="") == ("measure_type", "conditional_required",
                                                              "completeness")
    assert one("coercion", kind="行政强制执行")[:2] == ("enforcement_type", "conditional_required")
    assert issues("coercion", None, kind="强制执行", measure_type="", enforcement_type="代履行") == []


def test_same_prefix_and_version_date():
    other = build_uscc(authority="1", category="1", region="110105", org_body="00000009")
    assert one("implementation", body_code=other) == ("code", "prefix_mismatch", "accuracy")
    assert one("catalog_item", version_id="20250604100000") == ("version_id", "version_date_mismatch", "accuracy")


# References -------------------------------------------------------------------------------------------------


def test_references_skipped_without_refs_and_checked_with():
    assert issues("inspection", None, None, catalog_code="11000000000199") == []
    assert issues("inspection", None, REFS) == []
    assert issues("inspection", None, REFS, catalog_code="11000000000199", implementation_code=IMPL) == [
        ("catalog_code", "catalog_code_unknown", "relevance"),
        ("implementation_code", "implementation_item_mismatch", "relevance")]
    assert one("inspection", REFS, date="2025-06-20", reported_at="2025-06-20") == (
        "catalog_code", "catalog_code_not_in_force", "relevance")
    assert issues("inspection", None, REFS, date="2025-07-01", reported_at="2025-07-01") == []  # the second period
    assert one("inspection", REFS, implementation_code=f"{BODY}3{CATALOG}99") == (
        "implementation_code", "implementation_code_unknown", "relevance")
    code = f"{BODY}3{'11000000000102'}01"
    assert one("inspection", REFS, catalog_code="11000000000102", implementation_code=code)[1] == \
        "implementation_code_not_in_force"
    other = build_uscc(authority="1", category="1", region="110105", org_body="00000009")
    assert one("inspection", REFS, department_code=other)[1] == "implementation_other_body"
    assert issues("penalty", None, REFS) == []
    assert one("penalty", REFS, inspection_number="JC-2099-1") == ("inspection_number", "inspection_number_unknown",
                                                                  "relevance")


def test_references_cost_one_look_up_per_rule_for_a_batch():
    refs = reference.MemoryRefs(catalog=REFS.catalog, implementations=REFS.implementations)
    records = [{**INSPECTION.example(), "record_id": f"r{i}", "number": f"n{i}"} for i in range(5000)]
    verdicts = engine.check(INSPECTION, records, refs=refs, chunk=512)
    assert all(v.ok for v in verdicts) and refs.calls == 2  # catalog periods and implementation rows, once each


# Duplicates and unknown columns -----------------------------------------------------------------------------


def test_duplicates_keep_first_or_last():
    a, b = INSPECTION.example(), {**INSPECTION.example(), "number": "JC-2025-000002"}
    verdicts = both(INSPECTION, [a, b, dict(a, record_id="other")])
    assert verdicts[0].ok
    assert [(i.field, i.code, i.dimension) for i in verdicts[1].errors] == [("record_id", "duplicate", "redundancy")]
    assert "第 1 条" in verdicts[1].errors[0].message
    assert [i.field for i in verdicts[2].errors] == ["number"]
    penalty = standards.get("disclosure_penalty")
    first = penalty.example()
    later = {**first, "content": "警告"}
    verdicts = both(penalty, [first, later, {**first, "case_number": "", "decision_number": "另一文号"}])
    assert [v.ok for v in verdicts] == [False, True, True]  # the latest stands
    assert "第 2 条" in verdicts[0].errors[0].message


def test_unknown_columns_are_reported_by_name():
    verdict = both(INSPECTION, [{**INSPECTION.example(), "序号": 1, "附件": "x"}])[0]
    assert [(i.field, i.code) for i in verdict.errors] == [("序号", "unknown_field"), ("附件", "unknown_field")]
    assert INSPECTION.unknown({"序号": 1, "检查时间": 1}) == ["序号"]


def test_verdicts_keep_input_order_and_record_ids():
    records = [{**INSPECTION.example(), "record_id": f"r{i}", "number": f"n{i}",
                "date": "2025-02-30" if i % 3 == 0 else "2025-06-03"} for i in range(10)]
    verdicts = both(INSPECTION, records)
    assert [(v.index, v.record_id, v.ok) for v in verdicts] == [(i, f"r{i}", i % 3 != 0) for i in range(10)]


# Keys: Chinese titles and ascii ids -------------------------------------------------------------------------


def test_chinese_titles_and_ascii_ids_give_the_same_verdicts():
    ascii_keyed = [INSPECTION.example(),
                   {**INSPECTION.example(), "record_id": "x", "number": "y", "date": "2025-02-30"}]
    titled = [INSPECTION.titled(r) for r in ascii_keyed]
    assert "检查时间" in titled[0] and "date" not in titled[0]
    assert both(INSPECTION, titled) == both(INSPECTION, ascii_keyed)
    tolerant = {key.replace("（", "(").replace("）", ")") + " ": value for key, value in titled[0].items()}
    assert both(INSPECTION, [tolerant])[0].ok
    assert INSPECTION.normalize(titled[0]) == ascii_keyed[0]
    mixed = {**titled[0], "date": "2025-06-04"}  # the ascii id wins over the title
    assert INSPECTION.normalize(mixed)["date"] == "2025-06-04"
    assert both(INSPECTION, [mixed, titled[0]])[0].record_id == ascii_keyed[0]["record_id"]


# The engine equals the reference on random records ----------------------------------------------------------

ODD_VALUES = [None, "", " ", "x" * 70, 12, 3.5, True, ["a"], {"a": 1}, "中文", "2025-13-01", "2025-06-03",
              "2025-06-03 08:00:00+08:00", "2025-06-03T23:30:00Z", "2025-06-04 00:00", "91110105MA01X0Y20E",
              "91110105MA01X0Y20F", "11010519491231002X", "11010519491231002x", "11010519491231002Y",
              "11010519491331002X", "440524188001010014", CATALOG, "1100000000010", "11000000000199",
              "11000000000100", "11000000000102", "92110105L23012349R", IMPL, f"11110105000000027W3{CATALOG}01",
              f"{BODY}3{CATALOG}99", f"{BODY}311000000000102" "01", "是", "否", "1", "0", "5000.00", "-3", "1.234",
              "１２", "a\nb", ["01", "02"], ["01", ""], ["15"], "01;02", "张伟、李强", '["a"]', [1, 2], ("01",),
              "measure", "enforcement", "行政强制措施", "organisation", "individual", "person", "法人及非法人组织",
              "个体工商户", "001", "111", "099", "未发现问题；发现问题已责令改正", "未发现问题；x", "2025-06-20",
              "2024-06-20", "JC-2025-000001", "11000000000103", "9999-12-31", "0001-01-01"]


def random_records(rng: random.Random, standard, n: int) -> list[dict]:
    records = []
    for _ in range(n):
        record = standard.example()
        record[standard.key] = f"r{rng.randrange(n * 2)}"
        if standard.has_field("number"):
            record["number"] = f"N{rng.randrange(n * 3)}"
        for field in standard.fields:
            roll = rng.random()
            if roll < 0.1:
                pool = list(ODD_VALUES)
                if field.dictionary:
                    entry = standards.dictionary(field.dictionary)
                    pool += list(entry.values)[:5] + list(entry.aliases)[:3]
                record[field.id] = rng.choice(pool)
            elif roll < 0.13:
                record.pop(field.id, None)
        if rng.random() < 0.5:
            titled = standard.titled(record)
            record = titled if rng.random() < 0.7 else {**titled, **{k: v for k, v in record.items()
                                                                     if rng.random() < 0.3}}
        if rng.random() < 0.05:
            record["多余列"] = "x"
        records.append({k: v for k, v in record.items() if v is not None or rng.random() < 0.5})
    return records


@pytest.mark.parametrize("seed", range(6))
def test_engine_equals_reference_on_random_records(seed):
    rng = random.Random(seed)
    codes: Counter[str] = Counter()
    for standard in standards.all():
        records = random_records(rng, standard, rng.randint(20, 120))
        for refs in (None, REFS):
            found = engine.check(standard, records, refs=refs, chunk=rng.randint(1, 40))
            assert list(found) == reference.check_reference(standard, records, refs=refs), standard.name
            codes.update(issue.code for verdict in found for issue in verdict.errors)
    assert {"required", "type_invalid", "too_long", "wrong_length", "pattern_mismatch", "not_in_dictionary",
            "date_invalid", "duplicate", "unknown_field", "inspection_number_unknown"} <= set(codes)


def test_engine_equals_reference_on_large_mostly_valid_batches_cold_and_warm():
    """Chunks where most columns are proven whole, some partly (a few odd values), with the values the engine
    remembers between checks absent (cold) and present (warm)."""
    rng = random.Random(99)
    records = []
    for i in range(6000):
        day = DAY - dt.timedelta(days=rng.randrange(100))
        record = {**INSPECTION.example(), "record_id": f"r{i}", "number": f"n{i % 5900}",
                  "party_code": build_uscc(authority="9", category="1", region="110105",
                                           org_body=f"MA{rng.randrange(3000):06d}"),
                  "date": day.isoformat(), "reported_at": f"{day + dt.timedelta(days=2)} {rng.randrange(24):02d}:15:00",
                  "result": rng.choice(["1", "未发现问题", "1；E", "发现问题已责令改正"]),
                  "inspectors": rng.sample(["张伟", "李强", "王敏", "赵静"], 2)}
        if rng.random() < 0.05:
            field = rng.choice(INSPECTION.fields)
            record[field.id] = rng.choice(ODD_VALUES)
        records.append(record)
    expected = reference.check_reference(INSPECTION, records, refs=REFS)
    assert sum(not v.ok for v in expected) > 200
    engine.forget()
    assert list(engine.check(INSPECTION, records, refs=REFS)) == expected
    assert list(engine.check(INSPECTION, records, refs=REFS, chunk=700)) == expected


def test_check_characters_column_wise_match_the_standards():
    rng = random.Random(5)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    codes = [zero_check_uscc(), "", "9144030071526726XG", "11010519491231002x"]
    for _ in range(3000):
        codes.append("".join(rng.choice(alphabet) for _ in range(2)) + f"{rng.randrange(10**6):06d}"
                     + "".join(rng.choice(alphabet) for _ in range(10)))
        codes.append(f"{rng.randrange(10**17):017d}" + rng.choice("0123456789X"))
        codes.append(build_uscc(authority="9", category="1", region="110105", org_body=f"{rng.randrange(10**8):08d}"))
    engine.forget()
    kinds = values.kinds_of(codes)
    assert [bool(k & values.USCC) for k in kinds] == [is_valid_uscc(c) for c in codes]
    assert [bool(k & values.RIC) for k in kinds] == [ric_error(c) is None for c in codes]
    assert sum(bool(k & values.USCC) for k in kinds) > 3000


# Scores ------------------------------------------------------------------------------------------------------


def test_score_of_the_seven_dimensions():
    example = INSPECTION.example()
    records = [
        example,
        {**example, "record_id": "b", "number": "b", "date": ""},  # completeness
        {**example, "record_id": "c", "number": "c", "category": "3"},  # conformity
        {**example, "record_id": "d", "number": "d", "reported_at": "2025-07-30 09:00:00"},  # late (> 20 days)
        {**example, "number": "e"},  # repeats the first 记录唯一标识: redundancy
    ]
    verdicts = both(INSPECTION, records)
    scores = scoring.score(INSPECTION, verdicts)
    assert set(scores) == set(DIMENSIONS)
    assert scores["completeness"] == 80.0 and scores["conformity"] == 80.0 and scores["redundancy"] == 80.0
    assert scores["accuracy"] == 100.0
    assert scores["timeliness"] == 75.0  # 3 of the 4 records with both dates were reported within 20 days
    assert scores["relevance"] is None and scores["comprehensiveness"] is None
    with_refs = engine.check(INSPECTION, records, refs=REFS)
    assert scoring.score(INSPECTION, with_refs, expected=10) | {} == {
        **scores, "relevance": 100.0, "comprehensiveness": 50.0}
    assert scoring.score("catalog_item", engine.check("catalog_item", [standards.get("catalog_item").example()]))[
        "timeliness"] is None  # no action and report dates in that table
    assert scoring.score(INSPECTION, engine.check(INSPECTION, [])) == dict.fromkeys(DIMENSIONS)


def test_disclosure_timeliness_counts_working_days():
    standard = standards.get("disclosure_penalty")
    example = standard.example()
    # Decided on Friday 2025-06-06: 7 working days later is Tuesday 2025-06-17 (the Dragon Boat holiday is 5/31–6/2).
    on_time = {**example, "decided_on": "2025-06-06", "published_on": "2025-06-17", "case_number": "a"}
    late = {**example, "decided_on": "2025-06-06", "published_on": "2025-06-18", "case_number": "b",
            "valid_until": "", "publish_until": ""}
    verdicts = both(standard, [on_time, late])
    assert scoring.score(standard, verdicts)["timeliness"] == 50.0


# Files --------------------------------------------------------------------------------------------------------


def csv_bytes(records: list[dict], encoding: str) -> bytes:
    headers = list(records[0])
    lines = [",".join(headers)]
    for record in records:
        lines.append(",".join("、".join(v) if isinstance(v, list) else str(v) for v in record.values()))
    return ("\n".join(lines) + "\n").encode(encoding)


def test_gbk_csv_is_read_and_checked():
    record = INSPECTION.titled(INSPECTION.example())
    bad = {**record, "记录唯一标识": "x", "检查行为编号": "y", "检查时间": "2025-02-30"}
    loaded = read_csv(csv_bytes([record, bad], "gbk"))
    assert loaded.rows == [2, 3] and loaded.records[0]["检查人员"] == "张伟、李强"
    verdicts = both(INSPECTION, loaded.records)
    assert [v.ok for v in verdicts] == [True, False]
    assert [(i.field, i.code) for i in verdicts[1].errors] == [("date", "date_invalid")]
    assert read_csv(csv_bytes([record], "utf-8-sig")).records == loaded.records[:1]


def test_check_file(tmp_path):
    record = INSPECTION.titled(INSPECTION.example())
    path = tmp_path / "records.csv"
    path.write_bytes(csv_bytes([record, {**record, "记录唯一标识": "x", "检查行为编号": "y", "检查类别": "3"}], "gbk"))
    loaded, verdicts = sources.check_file("行政检查", path)
    assert loaded.rows == [2, 3] and [v.ok for v in verdicts] == [True, False]
    with pytest.raises(ImportRefused):
        sources.check_file("inspection", tmp_path / "records.pdf")


def test_excel_is_read_and_merged_header_cells_are_refused():
    record = INSPECTION.titled(INSPECTION.example())
    values = ["、".join(v) if isinstance(v, list) else v for v in record.values()]
    values[list(record).index("检查时间")] = dt.datetime(2025, 6, 3)
    values[list(record).index("报送时间")] = dt.datetime(2025, 6, 6, 10, 0)
    loaded = read_xlsx(xlsx([list(record), values]))
    assert loaded.records[0]["检查时间"] == "2025-06-03"
    assert loaded.records[0]["报送时间"] == "2025-06-06 10:00:00"
    assert both(INSPECTION, loaded.records)[0].ok
    with pytest.raises(ImportRefused) as refused:
        read_xlsx(xlsx([["检查信息", None, "检查时间"], ["a", "b", "2025-06-03"]], merge="A1:B1"))
    problem = refused.value.problems[0]
    assert problem.code == "merged_cells" and "表头有合并单元格（A1:B1）" in problem.message


def test_json_must_be_an_array_of_objects():
    assert read_json(b'[{"a": 1}]').records == [{"a": 1}]
    assert read_json('{"records": [{"检查时间": "2025-06-03"}]}'.encode()).rows == [1]
    for data, code in ((b"{", "json_invalid"), (b'{"a": 1}', "json_not_array"), (b"[1]", "json_item_not_object")):
        with pytest.raises(ImportRefused) as refused:
            read_json(data)
        assert refused.value.problems[0].code == code


# The database: references and library records ----------------------------------------------------------------


def test_windows_follow_the_catalog_guard():
    versions = [(1, "in_use", dt.date(2025, 1, 1), None, dt.date(2025, 3, 1)),
                (2, "suspended", dt.date(2025, 3, 1), None, dt.date(2025, 5, 1)),
                (3, "in_use", dt.date(2025, 5, 1), dt.date(2025, 9, 1), None)]
    assert windows(versions) == [(dt.date(2025, 1, 1), dt.date(2025, 3, 1)), (dt.date(2025, 5, 1), dt.date(2025, 9, 1))]
    assert windows([(1, "cancelled", dt.date(2025, 1, 1), None, None)]) == []


@pytest.mark.django_db
def test_library_refs_and_records(chain_world, django_assert_max_num_queries):
    inspection = Inspection.objects.get(number="JC-2025-0001")
    records = sources.records_from_library("inspection", Inspection.objects.filter(pk=inspection.pk))
    assert records[0]["number"] == "JC-2025-0001" and records[0]["inspectors"] == ["张伟", "李强"]
    assert records[0]["department_code"] == inspection.department.uscc
    assert both(INSPECTION, records, LibraryRefs())[0].ok
    refs = LibraryRefs()
    assert engine.check(INSPECTION, records, refs=refs)[0].ok
    assert refs.queries == 4  # the catalog periods, the implementation rows, their versions and their items
    late = {**records[0], "record_id": "late", "number": "late", "date": "2024-06-03"}  # before the list began
    unknown = {**records[0], "record_id": "u", "number": "u", "implementation_code": IMPL}
    verdicts = both(INSPECTION, [late, unknown], LibraryRefs())
    assert [i.code for i in verdicts[0].errors] == ["catalog_code_not_in_force", "implementation_code_not_in_force"]
    assert [i.code for i in verdicts[1].errors] == ["implementation_code_unknown"]
    many = [{**records[0], "record_id": f"r{i}", "number": f"n{i}"} for i in range(300)]
    with django_assert_max_num_queries(5):
        assert all(v.ok for v in engine.check(INSPECTION, many, refs=LibraryRefs(), chunk=50))
    assert sources.check_table("inspection", Inspection.objects.all(), refs=LibraryRefs())[0].ok
    penalties = sources.records_from_library("penalty", Penalty.objects.all())
    verdict = both("penalty", penalties, LibraryRefs())[0]
    # the library holds no 行政复议 / 行政诉讼 for this penalty: the upstream table requires both
    assert [(i.field, i.code) for i in verdict.errors] == [("reconsideration", "required"), ("litigation", "required")]
    with pytest.raises(ValueError):
        sources.records_from_library("penalty", Inspection.objects.all())
