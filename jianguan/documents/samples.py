"""A realistic sample context for each kind: the template editor's preview, the tests and the benchmark."""

from __future__ import annotations

import copy
from typing import Any

from .remedies import review

_PARTY = {"kind": "organisation", "name": "示例食品商贸有限公司", "code": "91421200MA4F000017",
          "address": "示例区示例路 88 号", "legal_representative": "张某某", "phone": "0715-8000000"}
_OFFICERS = [{"name": "李执法", "credential": "42120000001"}, {"name": "王执法", "credential": "42120000002"}]
_REVIEW = {"body": "本级人民政府", "court": "有管辖权的人民法院"}
_OPINIONS = {"handler": {"opinion": "建议立案调查。", "signer": "李执法", "date": "2026-03-02"},
             "reviewer": {"opinion": "同意立案。", "signer": "赵审核", "date": "2026-03-03"},
             "head": {"opinion": "同意。", "signer": "周局长", "date": "2026-03-04"}}
_CASE = {"number": "2026-000123", "cause": "销售超过保质期的食品", "source": "投诉举报", "filed_on": "2026-03-04"}
_ITEMS = [{"name": "某品牌牛奶（250ml）", "spec": "250ml/盒", "quantity": 120, "unit": "盒", "note": "已过保质期"},
          {"name": "某品牌饼干", "spec": "500g/袋", "quantity": 36, "unit": "袋", "note": "标签不全"}]

SAMPLES: dict[str, dict[str, Any]] = {
    "filing_approval": {"case": _CASE, "party": _PARTY, "officers": _OFFICERS, "opinions": _OPINIONS,
                        "summary": "2026年3月1日接群众投诉，反映当事人店内销售超过保质期的牛奶。"
                                   "经初步核查，投诉情况属实。",
                        "basis": "《中华人民共和国食品安全法》第三十四条第（十）项"},
    "not_filing_approval": {"case": _CASE, "party": _PARTY, "opinions": _OPINIONS,
                            "summary": "接举报反映当事人价签不规范，现场核查时已当场改正。",
                            "reason": "违法行为轻微并及时改正，没有造成危害后果，依据《中华人民共和国行政处罚法》"
                                      "第三十三条第一款不予立案。"},
    "onsite_record": {"party": _PARTY, "started_at": "2026-03-02T09:30", "ended_at": "2026-03-02T10:45",
                      "place": "示例区温泉路 88 号当事人经营场所", "officers": _OFFICERS, "recorder": "王执法",
                      "present": [{"name": "张某某", "role": "法定代表人", "phone": "13800000000"}],
                      "findings": "当事人货架上陈列有某品牌牛奶（250ml）120盒，生产日期2025年12月1日，保质期90天，"
                                  "已超过保质期。\n执法人员对上述商品拍照取证。",
                      "party_statement": "情况属实，系疏忽未及时下架。"},
    "inquiry_record": {"started_at": "2026-03-05T14:00", "ended_at": "2026-03-05T15:10", "place": "询问室",
                       "officers": _OFFICERS, "recorder": "王执法",
                       "interviewee": {"name": "张某某", "gender": "男", "id_number": "4212**********123X",
                                       "employer": "示例食品商贸有限公司", "position": "法定代表人",
                                       "phone": "13800000000", "address": "示例区"},
                       "qa": [{"q": "店内销售的某品牌牛奶是从哪里进货的？", "a": "从某批发部进的货，有进货单。"},
                              {"q": "共进货多少、销售多少？", "a": "进货200盒，已经卖了80盒，每盒卖5元。"}]},
    "rectification_order": {"party": _PARTY, "facts": "你单位经营场所内陈列销售超过保质期的牛奶120盒。",
                            "violated": "《中华人民共和国食品安全法》第三十四条第（十）项",
                            "basis": "《中华人民共和国食品安全法》第一百二十四条第一款",
                            "deadline": "2026-03-09",
                            "requirements": "立即下架并销毁超过保质期的食品，建立食品定期检查制度。",
                            "contact": {"name": "李执法", "phone": "0715-8100000"}},
    "penalty_notice": {"party": _PARTY, "case": _CASE, "facts": "当事人销售超过保质期的牛奶200盒，违法所得400元。",
                       "evidence": ["现场检查笔录", "询问笔录", "进货单据", "现场照片"],
                       "violated": "《中华人民共和国食品安全法》第三十四条第（十）项",
                       "basis": "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
                       "penalty": "没收违法所得400元，罚款人民币50000元。", "hearing_right": True,
                       "contact": {"name": "李执法", "phone": "0715-8100000", "address": "示例区金桂路 1 号"}},
    "hearing_notice": {"party": _PARTY, "case": _CASE, "contact": {"name": "李执法", "phone": "0715-8100000"},
                       "hearing": {"time": "2026-03-20T09:00", "place": "本局听证室", "chair": "孙法制",
                                   "members": "钱某、吴某", "clerk": "郑某", "public": True}},
    "penalty_decision": {"party": _PARTY, "case": _CASE,
                         "facts": "2026年3月2日，本局执法人员对当事人经营场所进行检查，发现当事人货架上陈列销售的"
                                  "某品牌牛奶（250ml）已超过保质期。经查，当事人于2025年12月10日购进该牛奶200盒，已售出80盒，"
                                  "售价每盒5元，违法所得400元；货值金额共计1000元。",
                         "evidence": ["现场检查笔录及现场照片，证明当事人陈列销售超过保质期食品的事实",
                                      "询问笔录，证明当事人进货、销售数量及价格", "进货单据，证明进货来源和数量",
                                      "营业执照复印件，证明当事人主体资格"],
                         "violated": "《中华人民共和国食品安全法》第三十四条第（十）项",
                         "statements": "本局于2026年3月10日向当事人送达《行政处罚告知书》，告知拟作出行政处罚的内容"
                                       "及事实、理由、依据，并告知其依法享有陈述、申辩和要求听证的权利。当事人在法定期限内未提出"
                                       "陈述、申辩，也未要求听证。",
                         "discretion": "当事人积极配合调查，如实陈述违法事实，主动下架涉案食品，依据《市场监督管理"
                                       "行政处罚裁量权适用规则》，对其从轻处罚。",
                         "basis": "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
                         "penalties": ["没收违法所得人民币400元；", "罚款人民币50000元。"], "fine": 50000,
                         "confiscation": 400, "total": 50400,
                         "payment": {"deadline_days": "十五", "bank": "非税收入代收银行",
                                     "account": "4212 0000 0000 0001"},
                         "review": _REVIEW},
    "simple_decision": {"party": {"kind": "person", "name": "刘某某", "code": "4212**********456X",
                                  "address": "示例县"},
                        "time": "2026-03-06T10:20", "place": "示例镇农贸市场",
                        "facts": "当事人销售的散装食品未按规定标明生产日期、保质期。",
                        "violated": "《中华人民共和国食品安全法》第六十八条",
                        "basis": "《中华人民共和国食品安全法》第一百三十二条", "penalty": "警告，罚款人民币200元",
                        "fine": 200, "payment": {"bank": "代收银行各网点"}, "officers": _OFFICERS,
                        "review": {"body": "本级人民政府", "court": "有管辖权的人民法院"}},
    "service_receipt": {"documents": [{"title": "行政处罚决定书", "number": "××市监处罚〔2026〕15号"}],
                        "recipient": "示例食品商贸有限公司", "address": "示例区示例路 88 号",
                        "method": "直接送达", "served_at": "2026-03-25T10:00", "servers": _OFFICERS,
                        "receiver": "张某某"},
    "seizure_decision": {"party": _PARTY, "measure": "扣押",
                         "reason": "经查，你单位经营场所内存放的下列食品涉嫌超过保质期，有证据证明不符合食品安全标准。",
                         "basis": "《中华人民共和国食品安全法》第一百一十条第（四）项、"
                                  "《中华人民共和国行政强制法》第二十二条",
                         "period_days": 30, "start": "2026-03-02", "end": "2026-03-31", "items": _ITEMS,
                         "keep_place": "涉案物品仓库", "review": _REVIEW},
    "extension_decision": {"party": _PARTY, "measure": "扣押",
                           "original": {"number": "××市监强制〔2026〕3号", "date": "2026-03-02"},
                           "reason": "涉案食品需送检验机构检验，案情复杂", "extension_days": 30, "end": "2026-04-30",
                           "review": _REVIEW},
    "release_decision": {"party": _PARTY, "measure": "扣押",
                         "original": {"number": "××市监强制〔2026〕3号", "date": "2026-03-02"},
                         "reason": "经检验，扣押的某品牌饼干符合食品安全标准，与违法行为无关",
                         "items": _ITEMS[1:], "return_place": "涉案物品仓库"},
    "abnormal_listing_decision": {"party": _PARTY, "reason": "未按规定报送年度报告",
                                  "facts": "当事人未在2026年1月1日至6月30日期间报送2025年度年度报告并公示。",
                                  "basis": "《企业经营异常名录管理暂行办法》第四条第（一）项、第六条",
                                  "listed_on": "2026-07-10", "repair": "补报未报年份的年度报告并公示",
                                  "review": _REVIEW},
    "abnormal_removal_decision": {"party": _PARTY,
                                  "listing": {"number": "××市监列异〔2026〕8号", "date": "2026-07-10",
                                              "reason": "未按规定报送年度报告"},
                                  "repair": "已补报未报年份的年度报告并公示",
                                  "facts": "当事人于2026年9月1日补报2025年度年度报告并公示，申请移出经营异常名录。",
                                  "basis": "《企业经营异常名录管理暂行办法》第十条、第十一条",
                                  "removed_on": "2026-09-04"},
    "demand_notice": {"party": _PARTY,
                      "decision": {"title": "行政处罚决定书", "number": "××市监处罚〔2026〕15号", "date": "2026-03-25",
                                   "content": "对你单位处以罚款人民币50000元"},
                      "obligation": "缴纳罚款", "amount": 50000, "late_fee": 15000, "deadline": "2026-05-20",
                      "manner": "到非税收入代收银行缴纳",
                      "contact": {"name": "李执法", "phone": "0715-8100000", "address": "示例区金桂路 1 号"}},
    "enforcement_decision": {"party": _PARTY,
                             "decision": {"title": "行政处罚决定书", "number": "××市监处罚〔2026〕15号",
                                          "date": "2026-03-25"},
                             "demand": {"number": "××市监催〔2026〕2号", "date": "2026-05-06"},
                             "reason": "当事人在催告期满后仍未履行缴纳罚款的义务，且无正当理由。",
                             "basis": "《中华人民共和国行政强制法》第三十七条、第四十六条第三款",
                             "manner": "依法拍卖扣押的财物抵缴罚款", "time": "2026-06-01T09:00", "review": _REVIEW},
    "closing_approval": {"case": _CASE, "party": _PARTY,
                         "opinions": {"handler": {"opinion": "建议结案。", "signer": "李执法", "date": "2026-04-03"},
                                      "reviewer": {"opinion": "同意结案。", "signer": "赵审核", "date": "2026-04-03"},
                                      "head": {"opinion": "同意。", "signer": "周局长", "date": "2026-04-07"}},
                         "result": "没收违法所得400元，罚款50000元（××市监处罚〔2026〕15号）。",
                         "execution": "当事人已于2026年4月2日缴清罚没款，涉案食品已监督销毁。",
                         "summary": "行政处罚决定已执行完毕。"},
    "serious_listing_decision": {
        "party": _PARTY, "penalty": {"number": "××市监处罚〔2026〕15号", "date": "2026-03-25",
                                     "content": "吊销食品经营许可证，罚款人民币50000元"},
        "reason": "销售超过保质期的食品，受到吊销许可证件的较重行政处罚",
        "basis": "《市场监督管理严重违法失信名单管理办法》第二条、第五条、第十二条",
        "statement": "当事人故意销售过期食品，持续六个月，涉案货值二十万元，危害群众身体健康。",
        "defence": "当事人在规定期限内未提出陈述、申辩，未申请听证。",
        "measures": ["在审查行政许可、资质、资格、委托承担政府采购项目、工程招投标时作为重要考量因素",
                     "列为重点监管对象，提高检查频次，依法严格监管", "不适用告知承诺制",
                     "不予授予市场监督管理部门荣誉称号等表彰奖励"],
        "period": {"start": "2026-04-01", "end": "2029-04-01"},
        "removal": "列入满一年，已履行行政处罚决定规定的义务、主动消除危害后果和不良影响、"
                   "未再受到较重行政处罚的，可以申请提前移出。",
        "review": _REVIEW},
    "credit_repair_decision": {
        "party": _PARTY, "application": {"number": "XF20260801001", "date": "2026-08-01"},
        "penalty": {"number": "××市监处罚〔2026〕15号", "date": "2026-01-10", "content": "罚款人民币50000元"},
        "approved": True, "reasons": "当事人已缴清罚款，已完成整改并作出信用承诺，最短公示期已届满。",
        "scheme": {"title": "国市监信规〔2021〕3号", "category": "一般", "eligible_on": "2026-07-10"},
        "basis": "国市监信规〔2021〕3号；《市场监督管理行政处罚信息公示规定》第十六条", "ends_on": "2026-08-03",
        "review": _REVIEW},
}


def sample(kind: str, department: Any = None) -> dict[str, Any]:
    """A copy of the sample context of `kind` (empty for a kind without one); with `department`, the review
    body and court are the department's (`remedies.review`)."""
    values = copy.deepcopy(SAMPLES.get(kind, {}))
    region = getattr(department, "region", None)
    if region is not None and "review" in values:
        values["review"] = review(department)
    return values
