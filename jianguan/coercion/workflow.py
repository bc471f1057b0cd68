"""The steps of 行政强制 as plain data: for each record, the transition table (state, action, next state, who may
take it, the guards the service checks). No ORM here; `services.py` applies an edge and writes.

Who:
- `officer`: an 执法人员 or the administrator of the department that acts (the body's own people);
- `head`: the acting body's head (负责人) — a person holding `head` in the record's own department, never the 提出人
  (行政强制法 第十八条第一项, 第十九条, 第二十五条, 第三十七条);
- `officer|head`: either.

Guards (names; each is checked by the service taking the action and cites its article there):
`reason` a written reason; `two_officers` at least two officers with an 执法证 valid on the day (第十八条第二项、
第十七条第三款); `items` the 场所、设施、财物清单 (第二十四条); `witness_if_absent` a witness signs when the party is
absent (第十八条第九项); `in_period` on or before the measure's last day (第二十五条, 第三十二条); `once` and
`extension_max` one extension of at most 30 days (第二十五条第一款); `goods_only` testing time is excluded for
查封、扣押 only (第二十五条第三款); `notified` the testing period told to the party in writing; `served` the
催告书 served; `late_fee_cap` late fees never above the principal (第四十五条); `own_power` the body holds the
power of enforcement itself; `court` it does not (第五十三条); `demand_lapsed` the 催告 deadline and the statement
period have passed (第三十七条第一款); `objection_not_upheld` the party's statement was heard and not upheld
(第三十六条); `late_fees_30_days` late fees ran more than 30 days before the 催告 (第四十六条); `assets_at_risk`
evidence that assets are being moved or hidden (第三十七条第三款); `ten_working_days` 10 working days since the
催告书 was served (第五十四条, 第六十九条); `court_window` within 3 months after the review/lawsuit period
(第五十三条).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from jianguan.core.errors import InvalidTransition

OFFICER = "officer"
HEAD = "head"
EITHER = "officer|head"
NEW = ""  # before the record exists


@dataclass(frozen=True)
class Edge:
    state: str
    action: str
    next: str
    who: str
    guards: tuple[str, ...] = ()


# 行政强制措施 ---------------------------------------------------------------------------------------------------

class MeasureState:
    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    EMERGENCY = "emergency"
    IN_FORCE = "in_force"
    RELEASED = "released"
    DISPOSED = "disposed"


MEASURE_STATES = {
    MeasureState.REQUESTED: _("待负责人批准"),
    MeasureState.APPROVED: _("已批准待实施"),
    MeasureState.REFUSED: _("不予批准"),
    MeasureState.WITHDRAWN: _("已撤回"),
    MeasureState.EMERGENCY: _("当场实施待补批"),
    MeasureState.IN_FORCE: _("实施中"),
    MeasureState.RELEASED: _("已解除"),
    MeasureState.DISPOSED: _("已依法处理"),
}
MEASURE_OPEN = (MeasureState.REQUESTED, MeasureState.APPROVED, MeasureState.EMERGENCY, MeasureState.IN_FORCE)
# States in which the measure binds the party's property.
MEASURE_BINDING = (MeasureState.EMERGENCY, MeasureState.IN_FORCE)

MEASURE_ACTIONS = {
    "request": _("报请批准"),
    "act_emergency": _("情况紧急，当场实施"),
    "approve": _("批准"),
    "refuse": _("不予批准"),
    "implement": _("实施（送达决定书和清单）"),
    "withdraw": _("撤回"),
    "extend": _("批准延长期限"),
    "test": _("检测、检验、检疫或技术鉴定"),
    "release": _("解除"),
    "dispose": _("依法处理"),
}

S = MeasureState
MEASURE_EDGES: tuple[Edge, ...] = (
    Edge(NEW, "request", S.REQUESTED, OFFICER, ("items", "two_officers")),
    Edge(NEW, "act_emergency", S.EMERGENCY, OFFICER, ("items", "two_officers", "witness_if_absent")),
    Edge(S.REQUESTED, "approve", S.APPROVED, HEAD),
    Edge(S.REQUESTED, "refuse", S.REFUSED, HEAD, ("reason",)),
    Edge(S.APPROVED, "implement", S.IN_FORCE, OFFICER, ("two_officers", "witness_if_absent")),
    Edge(S.APPROVED, "withdraw", S.WITHDRAWN, EITHER, ("reason",)),
    Edge(S.EMERGENCY, "approve", S.IN_FORCE, HEAD),
    Edge(S.EMERGENCY, "release", S.RELEASED, EITHER, ("reason",)),
    Edge(S.IN_FORCE, "extend", S.IN_FORCE, HEAD, ("reason", "once", "extension_max", "in_period")),
    Edge(S.IN_FORCE, "test", S.IN_FORCE, OFFICER, ("goods_only", "notified", "in_period")),
    Edge(S.IN_FORCE, "release", S.RELEASED, EITHER, ("reason",)),
    Edge(S.IN_FORCE, "dispose", S.DISPOSED, HEAD, ("reason", "in_period")),
)
del S


# 行政强制执行 ---------------------------------------------------------------------------------------------------

class EnforcementState:
    CREATED = "created"
    DEMANDED = "demanded"
    HEARD = "heard"
    DECIDED = "decided"
    APPLIED = "applied"
    EXECUTED = "executed"
    COMPLIED = "complied"
    TERMINATED = "terminated"


ENFORCEMENT_STATES = {
    EnforcementState.CREATED: _("待催告"),
    EnforcementState.DEMANDED: _("已催告"),
    EnforcementState.HEARD: _("已听取陈述申辩"),
    EnforcementState.DECIDED: _("已决定强制执行"),
    EnforcementState.APPLIED: _("已申请法院强制执行"),
    EnforcementState.EXECUTED: _("执行完毕"),
    EnforcementState.COMPLIED: _("当事人已履行"),
    EnforcementState.TERMINATED: _("终结执行"),
}
ENFORCEMENT_OPEN = (EnforcementState.CREATED, EnforcementState.DEMANDED, EnforcementState.HEARD,
                    EnforcementState.DECIDED, EnforcementState.APPLIED)

ENFORCEMENT_ACTIONS = {
    "create": _("登记"),
    "demand": _("催告"),
    "hear": _("听取陈述申辩"),
    "decide": _("作出强制执行决定"),
    "decide_immediately": _("立即强制执行（转移、隐匿财物）"),
    "apply_court": _("申请法院强制执行"),
    "execute": _("执行"),
    "court_enforce": _("法院裁定执行"),
    "court_refuse": _("法院裁定不予执行"),
    "comply": _("当事人履行"),
    "terminate": _("终结执行"),
}

E = EnforcementState
ENFORCEMENT_EDGES: tuple[Edge, ...] = (
    Edge(NEW, "create", E.CREATED, OFFICER),
    Edge(E.CREATED, "demand", E.DEMANDED, OFFICER, ("served", "late_fee_cap")),
    Edge(E.DEMANDED, "hear", E.HEARD, OFFICER),
    Edge(E.DEMANDED, "decide_immediately", E.DECIDED, HEAD, ("own_power", "assets_at_risk", "reason")),
    Edge(E.HEARD, "decide", E.DECIDED, HEAD, ("own_power", "objection_not_upheld", "demand_lapsed",
                                              "late_fees_30_days")),
    Edge(E.DEMANDED, "apply_court", E.APPLIED, HEAD, ("court", "ten_working_days", "court_window")),
    Edge(E.HEARD, "apply_court", E.APPLIED, HEAD, ("court", "objection_not_upheld", "ten_working_days",
                                                   "court_window")),
    Edge(E.DECIDED, "execute", E.EXECUTED, OFFICER),
    Edge(E.APPLIED, "court_enforce", E.EXECUTED, OFFICER),
    Edge(E.APPLIED, "court_refuse", E.TERMINATED, OFFICER, ("reason",)),
    *(Edge(state, "comply", E.COMPLIED, OFFICER) for state in ENFORCEMENT_OPEN),
    *(Edge(state, "terminate", E.TERMINATED, HEAD, ("reason",)) for state in ENFORCEMENT_OPEN),
)
del E


def allowed(edges: tuple[Edge, ...], state: str) -> list[str]:
    """The actions open in `state`, in table order."""
    return [e.action for e in edges if e.state == state]


def edge(edges: tuple[Edge, ...], state: str, action: str) -> Edge:
    """The edge for `action` in `state`, or InvalidTransition (409) listing the actions that are open."""
    for candidate in edges:
        if candidate.state == state and candidate.action == action:
            return candidate
    open_now = allowed(edges, state)
    raise InvalidTransition(f"当前状态下不能执行“{action}”；可以执行：{'、'.join(open_now) or '无'}",
                            code="invalid_transition", field="action",
                            extra={"state": state, "action": action, "allowed": open_now})


def may(edge_: Edge, *, officer: bool, head: bool) -> bool:
    """Whether a person who is (or is not) one of the body's officers / its head may take `edge_`."""
    return {OFFICER: officer, HEAD: head, EITHER: officer or head}[edge_.who]
