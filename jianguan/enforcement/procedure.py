"""Procedure rules per line: which rule set's clocks and articles govern a department's penalty cases.

A department's line is its `Department.kind`. 市场监管 follows SAMR's 《市场监督管理行政处罚程序规定》, 生态环境 the
《生态环境行政处罚办法》 (2023); a line without a rule set of its own falls back on the general limits of the
《行政处罚法》 (2021). Which line uses which rule set is configuration (`JIANGUAN_PROCEDURE_RULES`, e.g.
``scjg=samr,sthj=mee``; a line not named uses ``general``) [config]; the rule sets are the data below.

- samr: 立案 within 15 working days of discovery or receipt, +15 on approval (第十八条); decision within 90 days of
  立案, +30 on approval, further by collective discussion (第六十四条).
- mee: 立案 within 15 days, +15 on approval; decision within 90 days, +30, further by collective discussion
  [unconfirmed: the article numbers, and that the 15 days of 立案 are calendar days].
- general: the law sets no 立案 period (第五十四条 "及时立案"): 15 working days as a reminder [config], no
  extension; decision within 90 days of 立案 (第六十条), no extension in the law itself.

Values tagged [unconfirmed] are read from secondary sources and kept here so that they are easy to correct: change the
row, never the code that counts. This module reads no model, so that settings can check its keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Period:
    """A clock of a rule set: its length, whether it counts working days, the extension allowed on the head's
    approval (None: the rule gives none) and the article shown beside the date."""

    days: int
    working_days: bool
    extension: int | None
    citation: str


@dataclass(frozen=True)
class RuleSet:
    key: str
    title: str
    check: Period
    decision: Period
    further_citation: str | None = None  # 集体讨论 may extend further (None: the rule set does not provide it)


SAMR = RuleSet(
    key="samr", title="《市场监督管理行政处罚程序规定》",
    check=Period(15, True, 15,
                 "《市场监督管理行政处罚程序规定》第十八条：自发现线索或者收到材料之日起十五个工作日内核查并决定是否立案；"
                 "经负责人批准可延长十五个工作日"),
    decision=Period(90, False, 30,
                    "《行政处罚法》第六十条；《市场监督管理行政处罚程序规定》第六十四条：立案之日起九十日内作出决定，"
                    "经批准可延长三十日；听证、公告、检测检验检疫鉴定等时间不计入"),
    further_citation="《市场监督管理行政处罚程序规定》第六十四条：经延期仍不能作出决定的，由负责人集体讨论决定是否"
                     "继续延期及延长的期限",
)

MEE = RuleSet(  # [unconfirmed]: article numbers and whether the 15 days of 立案 are calendar days
    key="mee", title="《生态环境行政处罚办法》",
    check=Period(15, False, 15,
                 "《生态环境行政处罚办法》第二十九条：对涉嫌违法行为进行初步审查，在十五日内决定是否立案；特殊情况下"
                 "经负责人批准可延长十五日"),
    decision=Period(90, False, 30,
                    "《行政处罚法》第六十条；《生态环境行政处罚办法》第五十七条：立案之日起九十日内作出处理决定，经负责人"
                    "批准可延长三十日；听证、公告、监测、鉴定、送达等时间不计入"),
    further_citation="《生态环境行政处罚办法》第五十七条：经延期仍不能作出决定的，由负责人集体讨论决定是否继续延期",
)

GENERAL = RuleSet(
    key="general", title="《行政处罚法》",
    check=Period(15, True, None,
                 "《行政处罚法》第五十四条：符合立案标准的，应当及时立案（法律未规定期限，按十五个工作日提示，可配置）"),
    decision=Period(90, False, None,
                    "《行政处罚法》第六十条：自立案之日起九十日内作出行政处罚决定；法律、法规、规章另有规定的，从其规定"),
)

RULE_SETS: dict[str, RuleSet] = {rules.key: rules for rules in (SAMR, MEE, GENERAL)}
FALLBACK = GENERAL.key
# Each line's rule set unless JIANGUAN_PROCEDURE_RULES says otherwise (accounts.DepartmentKind codes). [config]
DEFAULT_LINES: dict[str, str] = {"scjg": SAMR.key, "sthj": MEE.key}


def parse_lines(items: list[str]) -> dict[str, str]:
    """`line=ruleset` pairs to a mapping; raises ValueError naming the first pair that is not one."""
    lines: dict[str, str] = {}
    for item in items:
        line, sep, key = (part.strip() for part in item.partition("="))
        if not sep or not line or key not in RULE_SETS:
            raise ValueError(item)
        lines[line] = key
    return lines


def for_line(kind: str, lines: Mapping[str, str] | None = None) -> RuleSet:
    """The rule set that governs the penalty cases of departments of line `kind`."""
    if lines is None:
        lines = settings.JIANGUAN_PROCEDURE_RULES
    return RULE_SETS[lines.get(kind, FALLBACK)]


def for_department(department) -> RuleSet:
    return for_line(department.kind)
