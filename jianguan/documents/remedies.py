"""The remedies paragraph (复议、诉讼) of every decision 文书: who reviews the act, and the periods.

One text for every document that carries it (`templates/documents/pdf/_remedies.html`), filled from `review(dept)`:

- 复议机关 (《行政复议法》（2023年修订）): the people's government at the acting department's level for its work
  departments (第二十四条第一款第一项); for a branch (派出机构, e.g. a county 生态环境分局 of the city bureau) the
  government of the department that set it up, and also the government of the district it serves where the branch
  follows the division (第二十四条第二款); for a township body, which acts for the township government, the county
  government (第二十四条第一款第二项); for a functional zone, the government that set up its committee (派出机关,
  第二十四条第一款第三项); 海关、金融、外汇管理等 vertically led bodies, 税务 and 国家安全机关 go to the department one
  level up (第二十七条); a 司法行政 department to the government at its level or the 司法行政 department one level up
  (第二十八条).
- 复议 within 60 days of knowing the act (《行政复议法》第二十条); a lawsuit within 6 months (《行政诉讼法》第四十六条):
  the periods are in the paragraph's text.
"""

from __future__ import annotations

from typing import Any

COURT = "有管辖权的人民法院"  # [config] the court named in the paragraph (行政诉讼法 第十八条: where the body sits)

# Lines (accounts.DepartmentKind codes) reviewed by the department one level up: 海关、金融、外汇管理等实行垂直领导
# 的行政机关、税务和国家安全机关 (第二十七条). None of the lines of a city government is among them; a deployment
# that adds such a line names its code here. [config]
UPWARD_KINDS: frozenset[str] = frozenset({"customs", "tax", "forex", "financial_regulation", "state_security"})
JUSTICE_KINDS = frozenset({"sf"})  # 司法行政 departments (第二十八条)
TOWNSHIP_KINDS = frozenset({"township"})  # acts in the township government's name
ZONE_KINDS = frozenset({"zone"})  # 功能区管理委员会, the 派出机关 of the government that set it up


def _government(region: Any) -> str:
    return f"{region.name}人民政府"


def _is_branch(department: Any) -> bool:
    """A 派出机构 of the same line one level up, named after it (咸宁市生态环境局咸安分局)."""
    parent = department.parent
    return bool(parent is not None and parent.kind == department.kind and department.name.startswith(parent.name)
                and department.name != parent.name)


def review_body(department: Any) -> str:
    """The 行政复议机关 for the acts of `department` (《行政复议法》（2023年修订）第二十四条、第二十七、二十八条)."""
    region, parent = department.region, department.parent
    if department.kind in UPWARD_KINDS:
        return parent.name if parent is not None else "上一级主管部门"
    if department.kind in TOWNSHIP_KINDS or department.kind in ZONE_KINDS:
        return _government(region.parent or region)
    if _is_branch(department):
        body = _government(parent.region)
        if region.kind == "administrative" and region.pk != parent.region_id:
            body += f"或者{_government(region)}"
        return body
    if region.kind != "administrative" and region.parent is not None:  # a functional zone's own department
        return _government(region.parent)
    if department.kind in JUSTICE_KINDS:
        return _government(region) + f"或者{parent.name if parent is not None else '上一级司法行政部门'}"
    return _government(region)


def review(department: Any) -> dict[str, str]:
    """The context key `review` of a decision document: the 复议机关 and the court."""
    return {"body": review_body(department), "court": COURT}
