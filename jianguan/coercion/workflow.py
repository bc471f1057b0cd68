"""The steps of 行政强制 as tables of the workflow kernel (`core.workflow`, ADR 0031): for each record, the
transition table (state, action, next state, who may take it, the guards checked, the 文书 issued, the article
and the fields the step takes). No ORM here; `common.py` builds the `Facts` of a record, asks `check`, applies
the edge and writes.

Who:
- `officer`: an 执法人员 or the administrator of the department that acts (the body's own people);
- `head`: the acting body's head (负责人) — a person holding `head` in the record's own department, never the 提出人
  (行政强制法 第十八条第一项, 第十九条, 第二十五条, 第三十七条);
- `officer|head`: either.

Guards are functions over `Facts` (below, each with its article). Those that judge the step's day (`on`) wait
until the service has read the day from the input: with `on` unknown they hold, and the service checks the edge
again once it knows the day. What the input itself must satisfy — at least two officers with an 执法证 valid on
the day (第十八条第二项、第十七条第三款), the 场所、设施、财物清单 (第二十四条), a witness when the party is absent
(第十八条第九项), a written reason, an extension of at most 30 days (第二十五条第一款), the testing period told to the
party in writing, late fees never above the principal (第四十五条) — is checked by the service as it reads the
edge's `fields`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from jianguan.core.actors import Actor, Person
from jianguan.core.errors import AccessDenied, InvalidTransition, ValidationFailed
from jianguan.core.roles import Role, same_person
from jianguan.core.workflow import Edge, Refusal, Workflow, acts_for

from . import deadlines

OFFICER = "officer"
HEAD = "head"
EITHER = "officer|head"
NEW = ""  # before the record exists
OWN, COURT = "own", "court"  # models.Power


@dataclass(frozen=True)
class Facts:
    """What the tables may know of a measure or an execution and of the person acting on it."""

    state: str
    actor: Any = None
    department_id: int | None = None
    proposer_id: int | None = None
    action: str = ""
    on: dt.date | None = None  # the step's day, once read from the input
    # a measure
    goods: bool = True
    extension_days: int = 0
    starts_on: dt.date | None = None
    due_on: dt.date | None = None
    # an execution
    power: str = OWN
    objection_upheld: bool = False
    decision_served_on: dt.date | None = None
    payment_due: dt.date | None = None
    principal: Decimal | None = None
    late_fee_rate: Decimal | None = None
    demand_served_on: dt.date | None = None
    demand_deadline: dt.date | None = None
    remedy_ends: dt.date | None = None


def _invalid(message: str, code: str, field: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, field=field)


# Guards of a measure ---------------------------------------------------------------------------------------------

def once(facts: Facts) -> Refusal | None:
    """第二十五条第一款: the period is extended once."""
    return _invalid("行政强制措施期限只能延长一次", "extension_once", "days") if facts.extension_days else None


def goods_only(facts: Facts) -> Refusal | None:
    """第二十五条第三款: testing time is not counted for goods and facilities held, not for 冻结 or premises."""
    if not facts.goods:
        return _invalid("只有查封、扣押的物品可以扣除检测、检验、检疫或者技术鉴定期间", "testing_not_for_kind", "kind")
    return None


IN_PERIOD_WHAT = {"extend": "延长", "test": "开始检测", "dispose": "作出处理决定"}


def in_period(facts: Facts) -> Refusal | None:
    """第二十五条、第二十八条: within the measure's period; after its last day it is to be released."""
    if facts.on is None:
        return None
    what = IN_PERIOD_WHAT[facts.action]
    if facts.on < facts.starts_on:
        return _invalid(f"{what}日期不能早于措施起始日期", "date_order", "on")
    if facts.on > facts.due_on:
        return _invalid(f"措施期限已于 {facts.due_on} 届满，不能再{what}；应当及时解除"
                        "（行政强制法第二十五条、第二十八条）", "period_expired", "on")
    return None


# Guards of an execution ----------------------------------------------------------------------------------------

def after_payment_due(facts: Facts) -> Refusal | None:
    """第三十五条: the 催告书 is served after the decision, once the time to pay has passed."""
    if facts.on is None:
        return None
    if facts.on < facts.decision_served_on:
        return _invalid("催告书送达日期不能早于行政决定送达日期", "date_order", "served_on")
    if facts.payment_due is not None and facts.on <= facts.payment_due:
        return _invalid(f"缴纳期限（{facts.payment_due}）届满前不能催告", "not_yet_due", "served_on")
    return None


def own_power(facts: Facts) -> Refusal | None:
    """第十三条、第五十三条: a body without the power of enforcement applies to court."""
    if facts.power != OWN:
        return InvalidTransition("本机关没有行政强制执行权，应申请人民法院强制执行（行政强制法第五十三条）",
                                 code="needs_court", field="action", extra={"allowed": ["apply_court"]})
    return None


def court(facts: Facts) -> Refusal | None:
    """第十三条: a body with the power of enforcement decides itself."""
    if facts.power != COURT:
        return InvalidTransition("本机关有行政强制执行权，应依法自行作出强制执行决定", code="has_own_power",
                                 field="action", extra={"allowed": ["decide", "decide_immediately"]})
    return None


def objection_not_upheld(facts: Facts) -> Refusal | None:
    """第三十六条: a statement that holds is adopted, and the execution stops."""
    if facts.objection_upheld:
        return InvalidTransition("当事人的陈述申辩成立，应予采纳，不得强制执行（行政强制法第三十六条）",
                                 code="objection_upheld", field="action")
    return None


def demand_lapsed(facts: Facts) -> Refusal | None:
    """第三十七条第一款: the 催告 deadline and the statement period have passed."""
    if facts.on is None:
        return None
    lapsed = max(facts.demand_deadline, deadlines.statement_due(facts.demand_served_on))
    if facts.on <= lapsed:
        return _invalid(f"催告期限及陈述申辩期限（至 {lapsed}）届满后才能作出强制执行决定（行政强制法第三十七条）",
                        "demand_not_lapsed", "on")
    return None


def late_fees_30_days(facts: Facts) -> Refusal | None:
    """第四十六条: late fees are enforced after they ran more than 30 days and a 催告."""
    if facts.on is None or not (facts.principal and facts.late_fee_rate and facts.payment_due):
        return None
    ran = deadlines.late_fee_days(payment_due=facts.payment_due, on=facts.demand_served_on)
    if ran <= deadlines.LATE_FEE_ENFORCE_DAYS:
        return _invalid(f"加处罚款超过三十日后经催告仍不履行的，才能强制执行（行政强制法第四十六条；"
                        f"催告时为 {ran} 日）", "late_fees_under_30_days", "on")
    return None


def in_demand_period(facts: Facts) -> Refusal | None:
    """第三十七条第三款: immediate execution is decided during the 催告 period."""
    if facts.on is not None and not facts.demand_served_on <= facts.on <= facts.demand_deadline:
        return _invalid("立即强制执行决定只能在催告期间作出", "not_in_demand_period", "on")
    return None


def court_dates(facts: Facts) -> dict[str, dt.date | None]:
    """The court application's window: after the 催告 + 10 working days (第五十四条) and after the review/lawsuit
    period, within 3 months of its end (第五十三条)."""
    start, end = deadlines.court_window(facts.remedy_ends)
    served = facts.demand_served_on
    earliest = max(start, deadlines.court_earliest(served)) if served else start
    return {"earliest": earliest, "latest": end, "after_demand": deadlines.court_earliest(served) if served else None}


def ten_working_days(facts: Facts) -> Refusal | None:
    """第五十四条、第六十九条: 10 working days after the 催告书 was served."""
    after = court_dates(facts)["after_demand"] if facts.on is not None else None
    if after is not None and facts.on < after:
        return _invalid(f"催告书送达十个工作日后才能申请（行政强制法第五十四条）；最早 {after}", "court_too_early",
                        "on")
    return None


def court_window(facts: Facts) -> Refusal | None:
    """第五十三条: after the period for review and lawsuit has passed, within 3 months."""
    if facts.on is None:
        return None
    if facts.on <= facts.remedy_ends:
        return _invalid(f"复议、诉讼期限（至 {facts.remedy_ends}）届满后才能申请（行政强制法第五十三条）",
                        "remedy_period_running", "on")
    latest = court_dates(facts)["latest"]
    if facts.on > latest:
        return _invalid(f"申请期限已于 {latest} 届满（行政强制法第五十三条）", "court_window_passed", "on")
    return None


GUARDS = {g.__name__: g for g in (once, goods_only, in_period, after_payment_due, own_power, court,
                                  objection_not_upheld, demand_lapsed, late_fees_30_days, in_demand_period,
                                  ten_working_days, court_window)}


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
LAW = "《中华人民共和国行政强制法》"
NEW_MEASURE = ("kind", "inspection_number", "catalog_code", "facts", "basis", "items", "officers", "days", "place",
               "kind_note", "case_number")
MEASURE_EDGES: tuple[Edge, ...] = (
    Edge(NEW, "request", S.REQUESTED, OFFICER, citation=LAW + "第十八条", fields=NEW_MEASURE),
    Edge(NEW, "act_emergency", S.EMERGENCY, OFFICER, document="seizure_decision", citation=LAW + "第十九条",
         fields=(*NEW_MEASURE, "acted_at", "party_present", "witness")),
    Edge(S.REQUESTED, "approve", S.APPROVED, HEAD, citation=LAW + "第十八条第一项", fields=("note",)),
    Edge(S.REQUESTED, "refuse", S.REFUSED, HEAD, citation=LAW + "第十八条第一项", fields=("reason",)),
    Edge(S.APPROVED, "implement", S.IN_FORCE, OFFICER, document="seizure_decision",
         citation=LAW + "第十八条、第二十四条", fields=("on", "officers", "party_present", "witness", "place")),
    Edge(S.APPROVED, "withdraw", S.WITHDRAWN, EITHER, fields=("reason",)),
    Edge(S.EMERGENCY, "approve", S.IN_FORCE, HEAD, citation=LAW + "第十九条", fields=("note",)),
    Edge(S.EMERGENCY, "release", S.RELEASED, EITHER, document="release_decision", citation=LAW + "第十九条、第二十八条",
         fields=("reason", "on")),
    Edge(S.IN_FORCE, "extend", S.IN_FORCE, HEAD, "", ("once", "in_period"), "extension_decision",
         LAW + "第二十五条、第三十二条", ("days", "reason", "on")),
    Edge(S.IN_FORCE, "test", S.IN_FORCE, OFFICER, guards=("goods_only", "in_period"), citation=LAW + "第二十五条第三款",
         fields=("starts_on", "ends_on", "agency", "notified_on")),
    Edge(S.IN_FORCE, "release", S.RELEASED, EITHER, document="release_decision", citation=LAW + "第二十八条",
         fields=("reason", "on")),
    Edge(S.IN_FORCE, "dispose", S.DISPOSED, HEAD, guards=("in_period",), citation=LAW + "第二十五条、第三十二条",
         fields=("reason", "on")),
)
del S


# 行政强制执行 ---------------------------------------------------------------------------------------------------

class ExecutionState:
    CREATED = "created"
    DEMANDED = "demanded"
    HEARD = "heard"
    DECIDED = "decided"
    APPLIED = "applied"
    EXECUTED = "executed"
    COMPLIED = "complied"
    TERMINATED = "terminated"


EXECUTION_STATES = {
    ExecutionState.CREATED: _("待催告"),
    ExecutionState.DEMANDED: _("已催告"),
    ExecutionState.HEARD: _("已听取陈述申辩"),
    ExecutionState.DECIDED: _("已决定强制执行"),
    ExecutionState.APPLIED: _("已申请法院强制执行"),
    ExecutionState.EXECUTED: _("执行完毕"),
    ExecutionState.COMPLIED: _("当事人已履行"),
    ExecutionState.TERMINATED: _("终结执行"),
}
EXECUTION_OPEN = (ExecutionState.CREATED, ExecutionState.DEMANDED, ExecutionState.HEARD,
                  ExecutionState.DECIDED, ExecutionState.APPLIED)

EXECUTION_ACTIONS = {
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

E = ExecutionState
EXECUTION_EDGES: tuple[Edge, ...] = (
    Edge(NEW, "create", E.CREATED, OFFICER, fields=(
        "inspection_number", "catalog_code", "power", "mode", "decision_reference", "decision_served_on", "obligation",
        "principal", "payment_due", "late_fee_rate", "remedy_ends", "measure_id", "case_number")),
    Edge(E.CREATED, "demand", E.DEMANDED, OFFICER, "", ("after_payment_due",), "demand_notice",
         LAW + "第三十五条、第四十五条", ("served_on", "deadline", "manner", "amount", "late_fee")),
    Edge(E.DEMANDED, "hear", E.HEARD, OFFICER, citation=LAW + "第三十六条",
         fields=("statement", "waived", "upheld", "on")),
    Edge(E.DEMANDED, "decide_immediately", E.DECIDED, HEAD, "", ("own_power", "in_demand_period"),
         "enforcement_decision",
         LAW + "第三十七条第三款", ("reason", "on")),
    Edge(E.HEARD, "decide", E.DECIDED, HEAD, "", ("own_power", "objection_not_upheld", "demand_lapsed",
                                                  "late_fees_30_days"), "enforcement_decision",
         LAW + "第三十七条、第四十六条", ("reason", "on")),
    *(Edge(state, "apply_court", E.APPLIED, HEAD, guards=("court", "objection_not_upheld", "ten_working_days",
                                                          "court_window"), citation=LAW + "第五十三条、第五十四条",
           fields=("court", "on")) for state in (E.DEMANDED, E.HEARD)),
    Edge(E.DECIDED, "execute", E.EXECUTED, OFFICER, citation=LAW + "第十二条", fields=("result", "collected", "on")),
    Edge(E.APPLIED, "court_enforce", E.EXECUTED, OFFICER, citation=LAW + "第五十七条",
         fields=("result", "collected", "on")),
    Edge(E.APPLIED, "court_refuse", E.TERMINATED, OFFICER, citation=LAW + "第五十八条", fields=("reason", "on")),
    *(Edge(state, "comply", E.COMPLIED, OFFICER, fields=("result", "collected", "on")) for state in EXECUTION_OPEN),
    *(Edge(state, "terminate", E.TERMINATED, HEAD, citation=LAW + "第四十条", fields=("reason", "on"))
      for state in EXECUTION_OPEN),
)
del E


WHO_LABELS = {OFFICER: "本机关执法人员", HEAD: "行政机关负责人", EITHER: "本机关执法人员或负责人"}


def may(edge_: Edge, *, officer: bool, head: bool) -> bool:
    """Whether a person who is (or is not) one of the body's officers / its head may take `edge_`."""
    return {OFFICER: officer, HEAD: head, EITHER: officer or head}[edge_.who]


def is_officer(actor: Actor | Person, department_id: int | None) -> bool:
    """One of the acting body's own people: an 执法人员 or the department's administrator."""
    return acts_for(actor, department_id, Role.OFFICER, Role.DEPARTMENT_ADMIN)


def is_head(actor: Actor | Person, department_id: int | None) -> bool:
    """The acting body's head (负责人): a person holding `head` in that very department (《行政强制法》第十八条第一项、
    第十九条). Reading the department (the read-only 领导) or heading another one is not enough."""
    return acts_for(actor, department_id, Role.HEAD)


# Who opens a record: one of the officers of their own body (the record's department is the actor's).
OPENING_REFUSALS = {"request": "只有执法人员可以提出行政强制措施", "act_emergency": "只有执法人员可以提出行政强制措施",
                    "create": "只有执法人员可以登记强制执行"}


def _permission(edge_: Edge, facts: Facts) -> Refusal | None:
    """The head never approves what they proposed; then the step is the officers', the head's, or either's. A
    record is opened by an officer of the acting body, refused as an input error (400) as it always was."""
    if edge_.source == NEW:
        if is_officer(facts.actor, facts.department_id):
            return None
        return ValidationFailed(OPENING_REFUSALS[edge_.action], code="not_allowed_for_role")
    if edge_.who == HEAD and same_person(facts.proposer_id, facts.actor):
        return AccessDenied("提出人与批准人不得为同一人", code="same_person")
    if not may(edge_, officer=is_officer(facts.actor, facts.department_id),
               head=is_head(facts.actor, facts.department_id)):
        return AccessDenied(f"该步骤只能由{WHO_LABELS[edge_.who]}办理", code="not_allowed_for_role")
    return None


def _out_of_order(workflow: Workflow, facts: Facts, action: str) -> Refusal:
    open_now = workflow.open_actions(facts.state)
    return InvalidTransition(f"当前状态下不能执行“{action}”；可以执行：{'、'.join(open_now) or '无'}",
                             code="invalid_transition", field="action",
                             extra={"state": facts.state, "action": action, "allowed": open_now})


def _table(edges: tuple[Edge, ...]) -> Workflow:
    return Workflow(edges, guards=GUARDS, who={OFFICER: _permission, HEAD: _permission, EITHER: _permission},
                    out_of_order=_out_of_order)


MEASURES = _table(MEASURE_EDGES)
EXECUTIONS = _table(EXECUTION_EDGES)


def table(edges: tuple[Edge, ...]) -> Workflow:
    return MEASURES if edges is MEASURE_EDGES else EXECUTIONS


def allowed(edges: tuple[Edge, ...], state: str) -> list[str]:
    """The actions open in `state`, in table order."""
    return table(edges).open_actions(state)


def edge(edges: tuple[Edge, ...], state: str, action: str) -> Edge:
    """The edge for `action` in `state`, or InvalidTransition (409) listing the actions that are open."""
    found = table(edges).edge(state, action)
    if found is None:
        raise _out_of_order(table(edges), Facts(state), action)
    return found
