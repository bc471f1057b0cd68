"""The four supervision-behaviour tables (监管行为信息, behaviour-records.md §1–§5): 行政检查, 行政处罚, 行政强制 and
其他行政行为, each with the shared block. Field ids are the field names of jianguan/behaviour/models.py where one
exists; `record_id` (记录唯一标识), `department_code`, `region_code` and `reported_at` complete the envelope.

Required flags and lengths are those of the upstream validator as observed [practice]; dictionaries without a
published national list are this platform's own ([config], data/dictionaries.json).
"""

from __future__ import annotations

from .base import Field, Standard, dictionary
from .rules import (
    CatalogRef,
    CategoryCode,
    DateOrder,
    Dedup,
    IdTypeCode,
    ImplementationRef,
    InspectionRef,
    RequiredWhen,
)

VERSION = "2019.1"  # the national tables as mirrored on 2019-09-05 [practice]; bump on any rule change
SOURCE = "监管行为信息要素要求（国家互联网+监管系统交换表，据公开实现整理 [practice]）；behaviour-records.md"

BODY_USCC = "11110105000000027U"  # synthetic examples, built with jianguan.core.codes.build_uscc
PARTY_USCC = "91110105MA01X0Y20E"
DAY, REPORTED = "2025-06-03", "2025-06-06 10:00:00"
CATALOG_CODE = "11000000000101"
CODE_14 = r"[0-9]{14}"


def first_region() -> str:
    return next(iter(sorted(dictionary("行政区划代码").values)), "")


def catalog_code(**kw) -> Field:
    return Field("catalog_code", "监管事项目录编码", fixed_len=14, required=True, pattern=CODE_14,
                 pattern_note="应为 14 位数字", aliases=("目录编码", "监管事项编码"), example=CATALOG_CODE, **kw)


def head() -> tuple[Field, ...]:
    return (Field("record_id", "记录唯一标识", max_len=64, required=True, aliases=("本记录唯一标识",),
                  note="业务记录的身份，更新时不变（catalog.md §7）", example="6b0d5c1e-3f4a-4c2b-9e8d-7a6f5e4d3c2b"),)


def shared() -> tuple[Field, ...]:
    """The block repeated in all four types (behaviour-records.md §1)."""
    return (
        Field("department_name", "实施机构", max_len=100, example="示例市市场监督管理局"),
        Field("department_code", "实施机构编码", max_len=20, example=BODY_USCC),
        Field("delegated_by_name", "受委托部门", max_len=100),
        Field("delegated_by_code", "受委托部门编码", max_len=20),
        Field("object_type", "监管对象类型", dictionary="监管行为监管对象类型", example="entity"),
        Field("object_name", "监管对象", max_len=200, required=True, example="示例食品有限公司"),
        Field("party_name", "行政相对人（单位/个人）名称", max_len=200, required=True, aliases=("行政相对人名称",),
              example="示例食品有限公司"),
        Field("party_nature", "行政相对人性质", required=True, dictionary="行政相对人类别",
              aliases=("行政相对人类别",), example="organisation"),
        Field("party_id_type", "行政相对人证件类型", required=True, dictionary="证件类型", example="001"),
        Field("party_code", "行政相对人（单位/个人）编码", max_len=20, required=True, check="uscc_or_ric",
              aliases=("行政相对人编码", "行政相对人代码"),
              note="统一社会信用代码或 18 位公民身份号码，校验位须正确", example=PARTY_USCC),
        Field("registered_address", "注册地址", max_len=400, example="示例市示例区示例路 1 号"),
        Field("business_address", "经营地址", max_len=400),
        Field("region_code", "行政区划代码", fixed_len=6, required=True, pattern=r"[0-9]{6}",
              pattern_note="应为 6 位数字（GB/T 2260）", dictionary="行政区划代码", aliases=("行政区划",),
              example=first_region),
        Field("reported_at", "报送时间", type="datetime", example=REPORTED),
        Field("reported_by", "报送人员", max_len=50, example="张明"),
    )


def party_rules() -> tuple:
    return CategoryCode("party_nature", "party_code"), IdTypeCode("party_id_type", "party_code")


def inspection() -> Standard:
    """行政检查行为 (behaviour-records.md §2)."""
    fields = (*head(), *shared(),
              Field("spot_check_plan", "双随机一公开计划id", max_len=50, note="来自双随机抽查任务时填写"),
              catalog_code(),
              Field("implementation_code", "监管事项检查实施清单编码", required=True, check="impl_code",
                    aliases=("检查实施清单编码", "实施清单编码"),
                    note="前 18 位为实施机构统一社会信用代码，第 19 位为行使层级 1–5",
                    example=f"{BODY_USCC}3{CATALOG_CODE}01"),
              Field("name", "检查行为名称", max_len=500, required=True, note="长度上限为本平台库字段长度",
                    example="食品生产日常检查"),
              Field("number", "检查行为编号", max_len=50, required=True, note="唯一；处罚、强制记录据此引用",
                    example="JC-2025-000001"),
              Field("form", "检查形式", required=True, dictionary="检查形式", example="日常检查"),
              Field("category", "检查类别", required=True, dictionary="检查类别", example="1"),
              Field("method", "检查方式", dictionary="检查方式", example="现场检查"),
              Field("result", "检查结果", required=True, dictionary="检查结果", multi="；", example="未发现问题"),
              Field("date", "检查时间", type="date", required=True, example=DAY),
              Field("inspectors", "检查人员", type="list", max_len=50, required=True, example=["张伟", "李强"]),
              Field("credential_numbers", "执法证号", type="list", max_len=50, note="与检查人员顺序一致",
                    example=["1100000000001", "1100000000002"]))
    return Standard(
        "inspection", "行政检查行为", VERSION, fields, source=SOURCE, aliases=("行政检查", "检查", "admInspection"),
        rules=(DateOrder("date", "reported_at"), *party_rules(), CatalogRef("catalog_code", "date"),
               ImplementationRef("implementation_code", "date", "catalog_code", "department_code")),
        dedup=(Dedup("record_id"), Dedup("number")), action_date="date", report_date="reported_at")


def penalty() -> Standard:
    """行政处罚行为 (behaviour-records.md §3); 处罚种类 follow 行政处罚法 第九条."""
    fields = (*head(), *shared(), catalog_code(),
              Field("name", "处罚行为名称", max_len=500, example="销售不符合食品安全标准的食品案"),
              Field("number", "处罚行为编号", max_len=50, example="CF-2025-000001"),
              Field("case_source", "案件来源", required=True, dictionary="案件来源", example="监督检查"),
              Field("inspection_number", "检查行为编号", max_len=50, required=True, note="发现案件的行政检查",
                    example="JC-2025-000001"),
              Field("facts", "违法事实", max_len=4000, required=True, example="销售超过保质期的食品"),
              Field("basis", "处罚依据", max_len=4000, required=True,
                    example="《中华人民共和国食品安全法》第一百二十四条"),
              Field("procedure", "处罚程序", required=True, dictionary="处罚程序", example="02"),
              Field("hearing", "是否听证", type="bool", required=True, example=False),
              Field("filed_on", "处罚立案时间", type="date", example=DAY),
              Field("criminal", "是否涉刑案件", type="bool", required=True, example=False),
              Field("major", "是否重大案件", type="bool", example=False),
              Field("legal_review", "是否法制审核", type="bool", example=False),
              Field("legal_review_on", "法制审核日期", type="date"),
              Field("legal_review_opinion", "法制审核意见", max_len=100),
              Field("collective", "是否集体讨论", type="bool", example=False),
              Field("collective_on", "集体讨论日期", type="date"),
              Field("collective_conclusion", "集体讨论结论", max_len=1000),
              Field("decision_number", "处罚文书号", max_len=100, required=True, example="示市监处罚〔2025〕1号"),
              Field("date", "作出行政处罚决定日期", type="date", required=True, aliases=("处罚决定日期",), example=DAY),
              Field("penalty_kinds", "处罚种类", type="list", required=True, dictionary="处罚种类",
                    example=["01", "02"]),
              Field("fine", "罚款金额", type="decimal", places=2, note="单位：元（上级未说明单位 [unconfirmed]）",
                    example="5000.00"),
              Field("result", "处罚结果", max_len=1000, required=True, example="警告，罚款五千元"),
              Field("reconsideration", "行政复议", required=True, dictionary="行政复议", example="未申请"),
              Field("litigation", "行政诉讼", required=True, dictionary="行政诉讼", example="未起诉"),
              Field("execution_method", "结案情况—执行方式", dictionary="结案执行方式", example="自觉履行"),
              Field("execution_result", "结案情况—执行结果", dictionary="结案执行结果", example="全部履行"),
              Field("paid", "结案实缴罚款金额", type="decimal", places=2, example="5000.00"),
              Field("no_penalty", "结案情况—不予行政处罚", type="bool", required=True, example=False),
              Field("closed_on", "结案情况—结案日期", type="date", aliases=("结案日期",), example=DAY),
              Field("other_handling", "其他处理情况", dictionary="其他处理情况"),
              Field("transferred_on", "移送时间", type="date"))
    return Standard(
        "penalty", "行政处罚行为", VERSION, fields, source=SOURCE, aliases=("行政处罚", "处罚", "admPunishment"),
        rules=(DateOrder("filed_on", "closed_on"), DateOrder("filed_on", "date"), DateOrder("date", "reported_at"),
               DateOrder("closed_on", "reported_at"), *party_rules(), CatalogRef("catalog_code", "date"),
               InspectionRef("inspection_number")),
        dedup=(Dedup("record_id"), Dedup("number")), action_date="date", report_date="reported_at")


def coercion() -> Standard:
    """行政强制行为 (behaviour-records.md §4); 强制措施 and 强制执行 types from 行政强制法 第九条, 第十二条."""
    fields = (*head(), *shared(), catalog_code(),
              Field("name", "强制行为名称", max_len=400, example="查封扣押不符合食品安全标准的食品"),
              Field("number", "强制行为编号", max_len=50, example="QZ-2025-000001"),
              Field("inspection_number", "检查行为编号", max_len=50, required=True, example="JC-2025-000001"),
              Field("facts", "违法事实", max_len=1000, required=True, example="涉嫌销售超过保质期的食品"),
              Field("basis", "强制依据", max_len=1000, required=True,
                    example="《中华人民共和国食品安全法》第一百一十条"),
              Field("decision_number", "强制决定书号", max_len=100, required=True, example="示市监强制〔2025〕1号"),
              Field("kind", "行政强制种类", required=True, dictionary="行政强制种类", example="measure"),
              Field("measure_type", "强制措施类型", dictionary="强制措施类型", note="行政强制种类为强制措施时必填",
                    example="扣押财物"),
              Field("enforcement_type", "强制执行类型", dictionary="强制执行类型", note="行政强制种类为强制执行时必填"),
              Field("result", "强制结果", max_len=50),
              Field("starts_on", "实施强制措施的起始时间", type="date", example=DAY),
              Field("ends_on", "实施强制措施的结束时间", type="date", example=DAY),
              Field("extension", "强制措施延长期限", max_len=10))
    return Standard(
        "coercion", "行政强制行为", VERSION, fields, source=SOURCE, aliases=("行政强制", "强制", "admForce"),
        rules=(DateOrder("starts_on", "ends_on"), DateOrder("starts_on", "reported_at"),
               RequiredWhen("kind", {"measure"}, "measure_type"),
               RequiredWhen("kind", {"enforcement"}, "enforcement_type"),
               *party_rules(), CatalogRef("catalog_code", "starts_on"), InspectionRef("inspection_number")),
        dedup=(Dedup("record_id"), Dedup("number")), action_date="starts_on", report_date="reported_at",
        note="行政强制法第二十五条、第三十二条的期限（30 日、延长后 60 日）不在本标准内：由行政强制流程检查。")


def other_action() -> Standard:
    """其他行政行为 (behaviour-records.md §5)."""
    fields = (*head(), *shared(), catalog_code(),
              Field("name", "行为名称", max_len=300, example="行政约谈"),
              Field("number", "行为编号", max_len=50, example="QT-2025-000001"),
              Field("inspection_number", "检查行为编号", max_len=50),
              Field("matter_source", "事项来源", max_len=50, example="监督检查"),
              Field("measure", "监管措施", max_len=50, example="行政约谈"),
              Field("conclusion", "结案情况", max_len=200, example="已整改"),
              Field("starts_on", "开始时间", type="date", example=DAY),
              Field("ends_on", "结束时间", type="date", example=DAY))
    return Standard(
        "other_action", "其他行政行为", VERSION, fields, source=SOURCE, aliases=("其他行为", "其他", "other"),
        rules=(DateOrder("starts_on", "ends_on"), DateOrder("starts_on", "reported_at"), *party_rules(),
               CatalogRef("catalog_code", "starts_on"), InspectionRef("inspection_number")),
        dedup=(Dedup("record_id"), Dedup("number")), action_date="starts_on", report_date="reported_at")
