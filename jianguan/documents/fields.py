"""The context keys each kind's default template reads (Chinese meaning), for callers and template editors.

Keys shared by most kinds:
  party      {"kind": "organisation"|"person", "name", "code" (统一社会信用代码 or 身份证件号码), "address",
              "legal_representative", "phone"}
  case       {"number" (案件编号), "cause" (案由), "source" (案件来源), "filed_on"}
  officers   [{"name", "credential" (执法证号)}]
  date       the date printed above the seal (ISO; default: the day of issue)
  review     {"body" (行政复议机关), "court" (人民法院)}
  opinions   {"handler" | "reviewer" | "legal" | "head": {"opinion", "signer", "date"}} (审批表)
  items      [{"name", "spec", "quantity", "unit", "note"}] (场所/设施/财物清单)
Texts may hold several lines (one paragraph each) or be lists of strings.
"""

from __future__ import annotations

_PARTY = {"party": "当事人（name, code, address, legal_representative, phone, kind）"}
_OPINIONS = {"opinions": "审批意见：handler 承办人意见, reviewer 审核意见, legal 法制审核意见, head 负责人意见"}
_REVIEW = {"review": "救济途径：body 复议机关, court 管辖法院"}

CONTEXT_KEYS: dict[str, dict[str, str]] = {
    "filing_approval": {"case": "案件（number, cause 案由, source 案件来源）", **_PARTY,
                        "summary": "案件来源及简要情况", "basis": "立案依据", "officers": "承办人员",
                        **_OPINIONS},
    "not_filing_approval": {"case": "案件（number, cause, source）", **_PARTY, "summary": "案件来源及简要情况",
                            "reason": "不予立案理由及依据", **_OPINIONS},
    "onsite_record": {**_PARTY, "started_at": "检查开始时间", "ended_at": "检查结束时间", "place": "检查地点",
                      "officers": "检查人员", "recorder": "记录人", "present": "在场人员（name, role, phone）",
                      "findings": "现场检查情况", "party_statement": "当事人意见",
                      "refusal": "当事人拒绝签字等情况说明"},
    "inquiry_record": {"started_at": "询问开始时间", "ended_at": "询问结束时间", "place": "询问地点",
                       "officers": "询问人", "recorder": "记录人",
                       "interviewee": "被询问人（name, gender, id_number, employer, position, phone, address）",
                       "qa": "问答（列表：q 问, a 答）"},
    "rectification_order": {**_PARTY, "facts": "经查发现的违法事实", "violated": "违反的规定",
                            "basis": "责令改正的依据", "deadline": "改正期限（日期）",
                            "requirements": "改正要求", "contact": "联系人（name, phone）"},
    "penalty_notice": {**_PARTY, "case": "案件（number, cause）", "facts": "违法事实", "evidence": "证据",
                       "violated": "违反的规定", "basis": "处罚依据", "penalty": "拟作出的行政处罚",
                       "hearing_right": "是否告知听证权利（true/false）", "contact": "联系人（name, phone, address）"},
    "hearing_notice": {**_PARTY, "case": "案件（number, cause）", "hearing": "听证（time, place, chair 主持人, "
                       "clerk 记录员, members 听证员, public 是否公开）", "contact": "联系人（name, phone）"},
    "penalty_decision": {**_PARTY, "case": "案件（number, cause, source, filed_on）", "facts": "违法事实",
                         "evidence": "证据", "violated": "违反的规定", "statements": "陈述、申辩（听证）情况及采纳",
                         "discretion": "裁量理由", "basis": "处罚依据", "penalties": "处罚内容（列表）",
                         "fine": "罚款金额（元）", "confiscation": "没收违法所得金额（元）",
                         "payment": "履行方式（deadline_days 缴款期限（日）, bank 代收机构, account 账号, "
                                    "method 方式）",
                         **_REVIEW},
    "simple_decision": {**_PARTY, "time": "违法行为时间", "place": "违法行为地点", "facts": "违法事实",
                        "violated": "违反的规定", "basis": "处罚依据", "penalty": "处罚内容", "fine": "罚款金额（元）",
                        "payment": "缴款方式（method, bank, on_the_spot 当场收缴）", "officers": "执法人员",
                        **_REVIEW},
    "service_receipt": {"documents": "送达文书（列表：title, number）", "recipient": "受送达人",
                        "address": "送达地点", "method": "送达方式", "served_at": "送达时间",
                        "servers": "送达人（name, credential）", "receiver": "签收人", "witness": "见证人",
                        "note": "备注（留置送达等情况）"},
    "seizure_decision": {**_PARTY, "measure": "查封 或 扣押", "reason": "理由（违法事实）", "basis": "依据",
                         "period_days": "期限（日，≤30）", "start": "起始日期", "end": "截止日期",
                         "items": "场所/设施/财物清单", "keep_place": "存放地点", **_REVIEW},
    "extension_decision": {**_PARTY, "measure": "查封 或 扣押", "original": "原决定（number, date）",
                           "reason": "延长理由", "extension_days": "延长期限（日，≤30）", "end": "延长后截止日期",
                           **_REVIEW},
    "release_decision": {**_PARTY, "measure": "查封 或 扣押", "original": "原决定（number, date）",
                         "reason": "解除理由", "basis": "解除依据", "items": "解除的财物清单", **_REVIEW},
    "demand_notice": {**_PARTY, "decision": "据以执行的决定（title, number, date, content）",
                      "obligation": "应履行的义务", "amount": "金额（元）", "late_fee": "加处罚款或滞纳金（元）",
                      "deadline": "履行期限（日期）", "manner": "履行方式",
                      "contact": "联系人（name, phone, address）"},
    "enforcement_decision": {**_PARTY, "decision": "据以执行的决定（title, number, date）",
                             "demand": "催告书（number, date）", "statements": "陈述、申辩情况",
                             "reason": "强制执行的理由", "basis": "强制执行的依据", "manner": "强制执行的方式",
                             "time": "强制执行的时间", **_REVIEW},
    "closing_approval": {"case": "案件（number, cause, filed_on）", **_PARTY, "result": "处理决定",
                         "execution": "执行情况", "summary": "结案理由", **_OPINIONS},
    "serious_listing_decision": {**_PARTY, "penalty": "据以列入的行政处罚（number 文书号, date, content）",
                                 "reason": "列入事由", "basis": "列入依据", "statement": "性质恶劣、情节严重、"
                                 "社会危害较大的理由", "defence": "陈述、申辩（听证）情况及采纳",
                                 "measures": "惩戒措施（列表）", "period": "公示期限（start, end）",
                                 "removal": "提前移出的条件和程序", **_REVIEW},
    "abnormal_listing_decision": {**_PARTY, "reason": "列入事由", "facts": "事实", "basis": "依据",
                                  "listed_on": "列入日期", "repair": "移出的条件（履行的义务）", **_REVIEW},
    "abnormal_removal_decision": {**_PARTY, "listing": "原列入决定（number, date, reason）", "repair": "移出事由",
                                  "facts": "履行义务情况", "basis": "依据", "removed_on": "移出日期"},
    "credit_repair_decision": {**_PARTY, "application": "申请（number 申请编号, date 申请日期）",
                               "penalty": "申请修复的行政处罚（number 文书号, date, content）",
                               "approved": "是否准予（true 准予 / false 不予）", "reasons": "理由",
                               "scheme": "适用方案（title 名称, category 失信类别, eligible_on 最短公示期届满日）",
                               "basis": "依据", "ends_on": "停止公示日期（准予）或公示截止日（不予）", **_REVIEW},
}
