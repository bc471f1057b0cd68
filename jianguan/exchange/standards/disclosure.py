"""双公示 tables: 行政处罚 and 行政许可 publication records (信用中国 template, 2019 onward, plus the columns a
provincial feed adds; disclosure-credit.md §1–§2).

Amounts are in 万元 with up to 6 decimals. The 法定代表人证件号码 is a column of the template but is never published
(disclosure-credit.md §5): the redaction happens before publication, not in this check.
"""

from __future__ import annotations

from .base import Field, Standard
from .behaviour import BODY_USCC, CATALOG_CODE, CODE_14, DAY, PARTY_USCC
from .rules import CatalogRef, CategoryCode, DateOrder, Dedup, RequiredWhen

VERSION = "2019.1"
SOURCE = "信用中国双公示数据模板（2019 版）及省级交换表 [practice]；disclosure-credit.md §1–§2"


def party() -> tuple[Field, ...]:
    return (
        Field("record_id", "记录唯一标识", max_len=64, aliases=("本记录唯一标识",)),
        Field("party_name", "行政相对人名称", max_len=200, required=True, example="示例食品有限公司"),
        Field("party_category", "行政相对人类别", required=True, dictionary="行政相对人类别",
              example="法人及非法人组织"),
        Field("party_code_1", "行政相对人代码_1（统一社会信用代码）", check="uscc",
              aliases=("行政相对人代码_1", "统一社会信用代码"), example=PARTY_USCC),
        Field("party_code_2", "行政相对人代码_2（工商注册号）", max_len=50, aliases=("行政相对人代码_2", "工商注册号")),
        Field("party_code_3", "行政相对人代码_3（组织机构代码）", max_len=10,
              aliases=("行政相对人代码_3", "组织机构代码")),
        Field("party_code_4", "行政相对人代码_4（税务登记号）", max_len=50, aliases=("行政相对人代码_4", "税务登记号")),
        Field("party_code_5", "行政相对人代码_5（事业单位证书号）", max_len=50,
              aliases=("行政相对人代码_5", "事业单位证书号")),
        Field("party_code_6", "行政相对人代码_6（社会组织登记证号）", max_len=50,
              aliases=("行政相对人代码_6", "社会组织登记证号")),
        Field("legal_representative", "法定代表人", max_len=50, example="王五"),
        Field("legal_rep_id_type", "法定代表人证件类型", dictionary="法定代表人证件类型"),
        Field("legal_rep_id_number", "法定代表人证件号码", max_len=64, note="不予公示（disclosure-credit.md §5）"),
        Field("id_type", "证件类型", dictionary="法定代表人证件类型", note="自然人当事人填写"),
        Field("id_number", "证件号码", max_len=64, note="自然人当事人填写"),
    )


def tail() -> tuple[Field, ...]:
    return (
        Field("source_unit", "数据来源单位", max_len=200, required=True, example="示例市市场监督管理局"),
        Field("source_unit_code", "数据来源单位统一社会信用代码", required=True, check="uscc", example=BODY_USCC),
        Field("remark", "备注", max_len=512),
    )


def party_rules() -> tuple:
    return (CategoryCode("party_category", "party_code_1", only=("organisation", "individual")),
            CategoryCode("party_category", "id_number", only=("person",)),
            RequiredWhen("party_category", {"organisation", "individual"}, "party_code_1"),
            RequiredWhen("party_category", {"person"}, "id_number"))


def disclosure_penalty() -> Standard:
    """行政处罚 publication (双公示): de-duplicated by (处罚案件编号 or 决定书文号, party's code or name), the latest
    kept (behaviour-records.md §7)."""
    fields = (*party(),
              Field("decision_number", "行政处罚决定书文号", max_len=200, required=True,
                    example="示市监处罚〔2025〕1号"),
              Field("violation_type", "违法行为类型", max_len=2000, required=True,
                    example="销售不符合食品安全标准的食品"),
              Field("facts", "违法事实", max_len=5000, required=True, example="销售超过保质期的食品"),
              Field("basis", "处罚依据", max_len=2000, required=True,
                    example="《中华人民共和国食品安全法》第一百二十四条"),
              Field("penalty_category", "处罚类别", type="list", required=True, dictionary="处罚种类",
                    aliases=("处罚种类",), example=["01", "02"]),
              Field("content", "处罚内容", max_len=4000, required=True, example="警告，罚款 0.5 万元"),
              Field("fine", "罚款金额（万元）", type="decimal", places=6, example="0.5"),
              Field("confiscated", "没收违法所得、没收非法财物的金额（万元）", type="decimal", places=6),
              Field("licence_revoked", "暂扣或吊销证照名称及编号", max_len=200),
              Field("decided_on", "处罚决定日期", type="date", required=True, example=DAY),
              Field("valid_until", "处罚有效期", type="date", example="2028-06-03"),
              Field("publish_until", "公示截止期", type="date", example="2028-06-03"),
              Field("authority", "处罚机关", max_len=200, required=True, example="示例市市场监督管理局"),
              Field("authority_code", "处罚机关统一社会信用代码", required=True, check="uscc", example=BODY_USCC),
              *tail(),
              Field("case_number", "处罚案件编号", max_len=100, example="CF-2025-000001"),
              Field("catalog_code", "监管事项编码", fixed_len=14, pattern=CODE_14, pattern_note="应为 14 位数字",
                    example=CATALOG_CODE),
              Field("procedure", "案件程序类别", dictionary="处罚程序", example="02"),
              Field("published_on", "公示日期", type="date", example="2025-06-05"),
              Field("publish_status", "公示状态", dictionary="公示状态", example="0"),
              Field("withdraw_reason", "撤销原因", max_len=1000, note="公示状态为 1（撤销）时填写，向社会公开"))
    return Standard(
        "disclosure_penalty", "双公示行政处罚", VERSION, fields, source=SOURCE,
        aliases=("双公示 行政处罚", "行政处罚（双公示）", "行政处罚信息公示", "行政处罚公示"),
        rules=(DateOrder("decided_on", "valid_until"), DateOrder("decided_on", "publish_until"),
               DateOrder("decided_on", "published_on"), *party_rules(), CatalogRef("catalog_code", "decided_on")),
        dedup=(Dedup(("case_number", "decision_number"), ("party_code_1", "id_number", "party_name"), keep="last"),),
        action_date="decided_on", report_date="published_on")


def disclosure_licence() -> Standard:
    """行政许可 publication (双公示). The table has no publication date, so its timeliness is not measurable."""
    fields = (*party(),
              Field("decision_doc_name", "行政许可决定文书名称", max_len=64, required=True,
                    example="食品经营许可决定书"),
              Field("decision_doc_number", "行政许可决定文书号", max_len=64, required=True,
                    note="无文书号时填许可编号", example="示市监许〔2025〕1号"),
              Field("licence_category", "许可类别", required=True, dictionary="许可类别", example="普通"),
              Field("certificate_name", "许可证书名称", max_len=64, example="食品经营许可证"),
              Field("licence_number", "许可编号", max_len=64, example="JY10000000000001"),
              Field("content", "许可内容", max_len=4000, required=True, example="预包装食品销售"),
              Field("decided_on", "许可决定日期", type="date", required=True, example=DAY),
              Field("valid_from", "有效期自", type="date", required=True, example=DAY),
              Field("valid_to", "有效期至", type="date", required=True, example="2030-06-02"),
              Field("authority", "许可机关", max_len=200, required=True, example="示例市市场监督管理局"),
              Field("authority_code", "许可机关统一社会信用代码", required=True, check="uscc", example=BODY_USCC),
              Field("status", "当前状态", required=True, dictionary="许可当前状态", example="1"),
              *tail())
    return Standard(
        "disclosure_licence", "双公示行政许可", VERSION, fields, source=SOURCE,
        aliases=("双公示 行政许可", "行政许可（双公示）", "行政许可信息公示", "行政许可公示", "行政许可"),
        rules=(DateOrder("valid_from", "valid_to"), *party_rules()),
        dedup=(Dedup(("decision_doc_number", "licence_number"), ("party_code_1", "id_number", "party_name"),
                     keep="last"),))
