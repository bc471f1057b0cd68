"""The kinds of 执法文书 this platform issues: code → Chinese title, and the short word in each number.

Titles follow SAMR's 市场监督管理行政处罚文书格式范本（2021年修订版）, 行政强制法 and 企业经营异常名录管理暂行办法
(the 列入/移出 decisions of its 第五条、第十条) and 国市监信规〔2021〕3号 (the 信用修复 decision); other lines
name the same documents differently, so titles and number words are configuration [config]: change them here.
"""

from __future__ import annotations

KINDS: dict[str, str] = {
    "filing_approval": "立案审批表",
    "not_filing_approval": "不予立案审批表",
    "onsite_record": "现场检查笔录",
    "inquiry_record": "询问笔录",
    "rectification_order": "责令改正通知书",
    "penalty_notice": "行政处罚告知书",
    "hearing_notice": "听证通知书",
    "penalty_decision": "行政处罚决定书",
    "simple_decision": "当场行政处罚决定书",
    "service_receipt": "送达回证",
    "seizure_decision": "查封（扣押）决定书",
    "extension_decision": "延长行政强制措施期限决定书",
    "release_decision": "解除行政强制措施决定书",
    "demand_notice": "催告书",
    "enforcement_decision": "行政强制执行决定书",
    "closing_approval": "结案审批表",
    "serious_listing_decision": "列入严重违法失信名单决定书",
    "abnormal_listing_decision": "列入经营异常名录决定书",
    "abnormal_removal_decision": "移出经营异常名录决定书",
    "credit_repair_decision": "信用修复决定书",
}

# The word between the issuing body's abbreviation and the year: 咸市监「处罚」〔2026〕15号. [config]
NUMBER_WORDS: dict[str, str] = {
    "filing_approval": "立",
    "not_filing_approval": "不立",
    "onsite_record": "检",
    "inquiry_record": "询",
    "rectification_order": "责改",
    "penalty_notice": "罚告",
    "hearing_notice": "听通",
    "penalty_decision": "处罚",
    "simple_decision": "简罚",
    "service_receipt": "送",
    "seizure_decision": "强制",
    "extension_decision": "强延",
    "release_decision": "强解",
    "demand_notice": "催",
    "enforcement_decision": "强执",
    "closing_approval": "结",
    "serious_listing_decision": "列严",
    "abnormal_listing_decision": "列异",
    "abnormal_removal_decision": "移异",
    "credit_repair_decision": "信修",
}

# The line's abbreviation in document numbers, by department kind (accounts.DepartmentKind codes). [config]
LINE_ABBREVIATIONS: dict[str, str] = {
    "scjg": "市监", "zrzy": "自然资源", "sthj": "环", "jtys": "交", "whly": "文旅", "wjw": "卫健", "yj": "应急",
    "ga": "公", "zj": "建", "cgzf": "城管", "nync": "农", "yb": "医保", "jr": "金", "sjj": "数据", "fgw": "发改",
    "sf": "司", "wbb": "编", "zfb": "政办", "zone": "管", "township": "综执",
}

# Internal forms (审批表, 笔录) are tables filled for the file, not letters to the party.
FORMS = frozenset({"filing_approval", "not_filing_approval", "closing_approval"})
