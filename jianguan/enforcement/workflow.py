"""The stages of a penalty case and the transition table, as plain data (enforcement.md §2).

Each `Edge` says: from which status, by which action, to which status, who may take it, which guards must hold,
which 文书 it issues, the article it rests on and the fields it takes — the kernel's `Edge`
(`core.workflow`, ADR 0031). Guards are pure functions of a `Facts` snapshot and the day; nothing here reads or
writes the database. `transitions.case_transition` asks `check` (the kernel's, over `Now`: the case, who acts, the
day), does the step and appends the case event.

Who acts:
- `handler`: an officer assigned to the case (before officers are assigned, any officer of the case's
  department); 行政处罚法 第四十二条 (two officers with valid 执法证) is a guard of the on-site acts.
- `leader`: the 负责人 (role `head`, not the read-only `leader`) of the case's own department who is not one of its
  officers — approvals are made by someone other than the handlers (立案 第五十四条, 先行登记保存 第五十六条,
  决定 第五十七条, 结案).
- `legal_reviewer`: a 法制审核 reviewer of the department, not one of its officers (第五十八条).
- Whoever acts for the 负责人 or the reviewer is never the 提出人 of the step awaiting approval (`Facts.proposer_id`,
  the person who proposed filing, preservation, the decision by ending the investigation, or closing), whatever
  roles they hold: `same_person` (403).

普通程序: clue → (propose, approve) 立案 or 不予立案 → 调查取证 (询问、现场检查、抽样、先行登记保存 …) → 调查终结
→ 法制审核 where required → 集体讨论 for major cases → 告知 → (听证) → 决定 → 送达 → 执行 → 结案 → 归档.
简易程序: the decision is made and handed over on the spot (`simple.case_simple`), filed with the department
(备案), then executed, closed and archived like any case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from jianguan.core.errors import AccessDenied, InvalidTransition, ValidationFailed
from jianguan.core.roles import Role
from jianguan.core.workflow import Edge, Permission, Refusal, Workflow, acts_for, loops

from .models import CaseStatus as S

HANDLER, LEADER, LEGAL_REVIEWER = "handler", "leader", "legal_reviewer"
WHO_LABELS = {HANDLER: "承办人员", LEADER: "负责人", LEGAL_REVIEWER: "法制审核人员"}
FILED = (S.INVESTIGATING, S.INVESTIGATED, S.LEGAL_REVIEW, S.REVIEWED, S.DISCUSSED, S.NOTIFIED,
         S.HEARING_REQUESTED, S.HEARING_SCHEDULED, S.HEARD)
OPEN = (S.CLUE, S.FILING_REVIEW, *FILED, S.DECIDED, S.HANDED_OVER, S.SERVED, S.TRANSFERRED, S.CLOSING_REVIEW)


@dataclass(frozen=True)
class OfficerFact:
    user_id: int
    name: str
    credential: str
    valid_from: dt.date
    valid_to: dt.date
    revoked: bool = False

    def valid_on(self, day: dt.date) -> bool:
        return not self.revoked and self.valid_from <= day <= self.valid_to


@dataclass(frozen=True)
class Facts:
    """What the guards may know of a case (built by the services from the database)."""

    status: str
    procedure: str = "ordinary"
    department_id: int = 0
    officers: tuple[OfficerFact, ...] = ()
    filing_proposal: str = ""
    proposer_id: int | None = None
    check_extended: bool = False
    decision_extended: bool = False
    # Whether the line's procedure rules (`procedure.py`) allow extending the 立案 clock, the decision clock, and
    # extending it further by collective discussion; the rule set's title names the rule in a refusal.
    check_extendable: bool = True
    decision_extendable: bool = True
    further_extendable: bool = True
    rules_title: str = ""
    decision_due: dt.date | None = None
    open_suspension: bool = False
    preservations_pending: int = 0
    preservations_open: int = 0
    legal_review_required: bool = False
    legal_review_done: bool = False
    major: bool = False
    collective_done: bool = False
    hearing_right: bool = False
    hearing_waived: bool = False
    hearing_request_due: dt.date | None = None
    payment_due: dt.date | None = None
    payment_settled: bool = True
    enforcement_applied: bool = False
    served: bool = False
    simple_filed: bool = True

    @property
    def officer_ids(self) -> frozenset[int]:
        return frozenset(o.user_id for o in self.officers)


@dataclass(frozen=True)
class ActorFacts:
    """The facts of the acting person the table needs (`permissions.actor_facts` of a `core.actors.Actor`; a system
    or an API client is not a person and may take no step)."""

    id: int
    department_id: int
    roles: frozenset[str]
    is_person: bool = True

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


@dataclass(frozen=True)
class Now:
    """The facts the kernel checks an edge against: the case, the person acting and the day."""

    case: Facts
    actor: ActorFacts | None = None
    today: dt.date | None = None

    @property
    def state(self) -> str:
        return self.case.status


Guard = Callable[[Facts, dt.date], Refusal | None]


def _conflict(message: str, code: str) -> InvalidTransition:
    return InvalidTransition(message, code=code)


def officers_valid_today(facts: Facts, today: dt.date) -> Refusal | None:
    """行政处罚法 第四十二条: at least two officers, each with an 执法证 valid that day."""
    if len(facts.officers) < 2:
        return ValidationFailed("执法人员不得少于两人（《行政处罚法》第四十二条）", code="officers_too_few",
                                field="officers")
    invalid = [o.name for o in facts.officers if not o.valid_on(today)]
    if invalid:
        return ValidationFailed(f"执法证在 {today} 无效：{'、'.join(invalid)}（《行政处罚法》第四十二条）",
                                code="credential_invalid", field="officers")
    return None


def proposal_file(facts: Facts, today: dt.date) -> Refusal | None:
    return None if facts.filing_proposal == "file" else _conflict("承办人员建议的是不予立案", "proposal_mismatch")


def proposal_not_file(facts: Facts, today: dt.date) -> Refusal | None:
    return None if facts.filing_proposal == "not_file" else _conflict("承办人员建议的是立案", "proposal_mismatch")


def _not_extendable(facts: Facts, what: str) -> Refusal:
    return _conflict(f"本部门条线适用的{facts.rules_title or '程序规定'}没有规定{what}可以延长", "not_extendable")


def check_not_extended(facts: Facts, today: dt.date) -> Refusal | None:
    """The 立案 clock is extended once, where the line's rule set allows it (SAMR 程序规定 第十八条)."""
    if not facts.check_extendable:
        return _not_extendable(facts, "核查期限")
    return _conflict("核查期限已延长过一次", "already_extended") if facts.check_extended else None


def decision_not_extended(facts: Facts, today: dt.date) -> Refusal | None:
    """The decision clock is extended once on approval where the line's rule set allows it (SAMR 程序规定 第六十四条;
    the 《行政处罚法》第六十条 itself gives no extension)."""
    if not facts.decision_extendable:
        return _not_extendable(facts, "办案期限")
    if facts.decision_extended:
        return _conflict("办案期限已延长三十日；继续延期须经集体讨论（extend_further）", "already_extended")
    return None


def decision_extended(facts: Facts, today: dt.date) -> Refusal | None:
    if not facts.further_extendable:
        return _not_extendable(facts, "办案期限经集体讨论")
    if not facts.decision_extended:
        return _conflict("须先经负责人批准延长三十日，才能经集体讨论继续延期", "extension_missing")
    return None


def no_open_suspension(facts: Facts, today: dt.date) -> Refusal | None:
    return _conflict("已有尚未结束的中止计算期间", "suspension_open") if facts.open_suspension else None


def suspension_open(facts: Facts, today: dt.date) -> Refusal | None:
    return None if facts.open_suspension else _conflict("没有尚未结束的中止计算期间", "no_suspension")


def preservation_pending(facts: Facts, today: dt.date) -> Refusal | None:
    return None if facts.preservations_pending else _conflict("没有待批准的先行登记保存", "no_preservation")


def preservation_open(facts: Facts, today: dt.date) -> Refusal | None:
    return None if facts.preservations_open else _conflict("没有待处理的先行登记保存", "no_preservation")


def no_open_preservation(facts: Facts, today: dt.date) -> Refusal | None:
    if facts.preservations_pending or facts.preservations_open:
        return _conflict("先行登记保存的证据尚未作出处理决定（《行政处罚法》第五十六条）", "preservation_open")
    return None


def review_done_if_required(facts: Facts, today: dt.date) -> Refusal | None:
    if facts.legal_review_required and not facts.legal_review_done:
        return _conflict("本案须经法制审核后方可告知或决定（《行政处罚法》第五十八条）", "legal_review_missing")
    return None


def discussion_done_if_major(facts: Facts, today: dt.date) -> Refusal | None:
    if facts.major and not facts.collective_done:
        return _conflict("重大案件须经负责人集体讨论（《行政处罚法》第五十七条）", "collective_missing")
    return None


def hearing_right(facts: Facts, today: dt.date) -> Refusal | None:
    if not facts.hearing_right:
        return _conflict("拟作出的处罚不属于应当告知听证权利的情形（《行政处罚法》第六十三条）", "no_hearing_right")
    return None


def hearing_window_open(facts: Facts, today: dt.date) -> Refusal | None:
    if facts.hearing_request_due and today > facts.hearing_request_due:
        return _conflict(f"听证申请期限已于 {facts.hearing_request_due} 届满（《行政处罚法》第六十四条）",
                         "hearing_request_late")
    return None


def statement_period_over(facts: Facts, today: dt.date) -> Refusal | None:
    """No decision while the party may still ask for a hearing (第六十四条), unless they waived it."""
    if facts.hearing_right and not facts.hearing_waived and facts.hearing_request_due and \
            today <= facts.hearing_request_due:
        return _conflict(f"当事人可在 {facts.hearing_request_due} 前申请听证，期满或放弃后方可决定",
                         "hearing_period_open")
    return None


def decision_not_overdue(facts: Facts, today: dt.date) -> Refusal | None:
    """行政处罚法 第六十条: 90 days from 立案, unless an approved extension moved the date."""
    if facts.decision_due and today > facts.decision_due:
        return _conflict(f"办案期限已于 {facts.decision_due} 届满且未经批准延期，不能作出决定；请先办理延期",
                         "decision_overdue")
    return None


def payment_unsettled(facts: Facts, today: dt.date) -> Refusal | None:
    return _conflict("没有待缴纳的罚款", "nothing_to_pay") if facts.payment_settled else None


def payment_overdue(facts: Facts, today: dt.date) -> Refusal | None:
    if facts.payment_due and today <= facts.payment_due:
        return _conflict(f"缴款期限 {facts.payment_due} 尚未届满", "payment_not_overdue")
    return None


def executed(facts: Facts, today: dt.date) -> Refusal | None:
    if not facts.simple_filed:
        return _conflict("当场处罚决定尚未备案", "simple_not_filed")
    if not facts.payment_settled and not facts.enforcement_applied:
        return _conflict("罚款尚未缴清，也未申请强制执行", "not_executed")
    return None


def was_served(facts: Facts, today: dt.date) -> Refusal | None:
    return None if facts.served else _conflict("本案未经送达执行，退回无处可回", "not_served")


GUARDS: dict[str, Guard] = {g.__name__: g for g in (
    officers_valid_today, proposal_file, proposal_not_file, check_not_extended, decision_not_extended,
    decision_extended, no_open_suspension, suspension_open, preservation_pending, preservation_open,
    no_open_preservation, review_done_if_required, discussion_done_if_major, hearing_right, hearing_window_open,
    statement_period_over, decision_not_overdue, payment_unsettled, payment_overdue, executed, was_served)}



SUSPENDABLE = (S.INVESTIGATING, S.INVESTIGATED, S.LEGAL_REVIEW, S.REVIEWED, S.DISCUSSED, S.NOTIFIED, S.HEARD)
NOTIFIABLE = (S.INVESTIGATED, S.REVIEWED, S.DISCUSSED)
TRANSFERABLE = (S.INVESTIGATING, S.INVESTIGATED, S.REVIEWED, S.DISCUSSED, S.NOTIFIED)
DECIDE_GUARDS = ("review_done_if_required", "discussion_done_if_major", "decision_not_overdue")

EDGES: tuple[Edge, ...] = (
    # 立案 (SAMR 程序规定 第十八条至第二十条)
    Edge(S.CLUE, "propose_filing", S.FILING_REVIEW, HANDLER, "提请立案", citation="《行政处罚法》第五十四条",
         fields=("officers", "lead", "cause", "catalog_code", "implementation_code", "party", "violation_on",
                 "grave_harm", "opinion")),
    Edge(S.CLUE, "propose_not_filing", S.FILING_REVIEW, HANDLER, "提请不予立案",
         citation="《市场监督管理行政处罚程序规定》第二十条", fields=("reason",)),
    *loops((S.CLUE, S.FILING_REVIEW), "extend_check", LEADER, "批准延长核查期限", ("check_not_extended",),
            citation="《市场监督管理行政处罚程序规定》第十八条", fields=("reason",)),
    Edge(S.FILING_REVIEW, "approve_filing", S.INVESTIGATING, LEADER, "批准立案", ("proposal_file",
         "officers_valid_today"), "filing_approval", "《行政处罚法》第五十四条", ("opinion",)),
    Edge(S.FILING_REVIEW, "approve_not_filing", S.NOT_FILED, LEADER, "批准不予立案", ("proposal_not_file",),
         "not_filing_approval", "《市场监督管理行政处罚程序规定》第二十条", ("opinion",)),
    Edge(S.FILING_REVIEW, "return_proposal", S.CLUE, LEADER, "退回承办人员", fields=("opinion",)),
    # 调查取证 (第五十四条、第五十五条、第五十六条)
    *loops((S.INVESTIGATING,), "record_inquiry", HANDLER, "制作询问笔录", ("officers_valid_today",),
            "inquiry_record", "《行政处罚法》第五十五条", ("interviewee", "qa", "place", "started_at", "ended_at")),
    *loops((S.INVESTIGATING,), "record_onsite", HANDLER, "现场检查并制作笔录", ("officers_valid_today",),
            "onsite_record", "《行政处罚法》第五十五条",
            ("place", "findings", "party_statement", "implementation_code", "on")),
    *loops((S.INVESTIGATING,), "record_sampling", HANDLER, "抽样取证", ("officers_valid_today",),
            citation="《行政处罚法》第五十六条", fields=("items", "place", "on")),
    *loops((S.INVESTIGATING,), "order_rectification", HANDLER, "责令改正", ("officers_valid_today",),
            "rectification_order", "《行政处罚法》第二十八条",
            ("facts", "violated", "basis", "deadline", "requirements")),
    *loops((S.INVESTIGATING,), "preserve_request", HANDLER, "申请先行登记保存", ("officers_valid_today",),
            citation="《行政处罚法》第五十六条", fields=("items", "reason")),
    *loops((S.INVESTIGATING,), "preserve_approve", LEADER, "批准先行登记保存", ("preservation_pending",),
            citation="《行政处罚法》第五十六条", fields=("opinion", "on")),
    *loops((S.INVESTIGATING,), "preserve_decide", HANDLER, "对先行登记保存作出处理决定", ("preservation_open",),
            citation="《行政处罚法》第五十六条", fields=("decision", "on")),
    *loops(SUSPENDABLE, "suspend", HANDLER, "开始不计入办案期限的期间", ("no_open_suspension",),
            citation="《市场监督管理行政处罚程序规定》第六十四条", fields=("kind", "reason", "on")),
    *loops(SUSPENDABLE, "resume", HANDLER, "结束不计入办案期限的期间", ("suspension_open",),
            citation="《市场监督管理行政处罚程序规定》第六十四条", fields=("on",)),
    *loops(FILED, "extend_decision", LEADER, "批准延长办案期限三十日", ("decision_not_extended",),
            citation="《市场监督管理行政处罚程序规定》第六十四条", fields=("reason",)),
    *loops(FILED, "extend_further", LEADER, "集体讨论决定继续延期", ("decision_extended",),
            citation="《市场监督管理行政处罚程序规定》第六十四条", fields=("days", "reason", "discussion")),
    Edge(S.INVESTIGATING, "end_investigation", S.INVESTIGATED, HANDLER, "调查终结", ("no_open_preservation",),
         citation="《市场监督管理行政处罚程序规定》第五十条",
         fields=("facts", "violated", "basis", "penalty_kinds", "fine", "confiscation", "circumstances", "band_reason",
                 "major", "legal_review")),
    # 法制审核, 集体讨论 (第五十七条、第五十八条)
    Edge(S.INVESTIGATED, "submit_review", S.LEGAL_REVIEW, HANDLER, "送法制审核", citation="《行政处罚法》第五十八条"),
    Edge(S.LEGAL_REVIEW, "pass_review", S.REVIEWED, LEGAL_REVIEWER, "法制审核通过",
         citation="《行政处罚法》第五十八条", fields=("opinion",)),
    Edge(S.LEGAL_REVIEW, "return_review", S.INVESTIGATING, LEGAL_REVIEWER, "法制审核退回补充调查",
         citation="《行政处罚法》第五十八条", fields=("opinion",)),
    Edge(S.REVIEWED, "discuss", S.DISCUSSED, LEADER, "负责人集体讨论", citation="《行政处罚法》第五十七条",
         fields=("conclusion", "participants", "on")),
    # 告知, 陈述申辩, 听证 (第四十四条、第四十五条、第六十三条、第六十四条)
    *[Edge(s, "notify", S.NOTIFIED, HANDLER, "告知拟作出的处罚及权利", ("review_done_if_required",
           "discussion_done_if_major"), "penalty_notice", "《行政处罚法》第四十四条", ("contact", "on"))
      for s in NOTIFIABLE],
    *loops((S.NOTIFIED, S.HEARD), "record_statement", HANDLER, "记录陈述、申辩", citation="《行政处罚法》第四十五条",
            fields=("statement", "adopted", "on")),
    *loops((S.NOTIFIED,), "waive_hearing", HANDLER, "当事人放弃听证", ("hearing_right",),
            citation="《行政处罚法》第六十四条", fields=("on",)),
    Edge(S.NOTIFIED, "request_hearing", S.HEARING_REQUESTED, HANDLER, "当事人申请听证",
         ("hearing_right", "hearing_window_open"), citation="《行政处罚法》第六十四条", fields=("on",)),
    Edge(S.HEARING_REQUESTED, "schedule_hearing", S.HEARING_SCHEDULED, HANDLER, "通知听证", (), "hearing_notice",
         "《行政处罚法》第六十四条", ("held_on", "place", "chair", "public", "on")),
    *[Edge(s, "withdraw_hearing", S.NOTIFIED, HANDLER, "当事人撤回听证申请", citation="《行政处罚法》第六十四条",
           fields=("on",)) for s in (S.HEARING_REQUESTED, S.HEARING_SCHEDULED)],
    Edge(S.HEARING_SCHEDULED, "hold_hearing", S.HEARD, HANDLER, "举行听证",
         citation="《行政处罚法》第六十四条、第六十五条", fields=("transcript", "absent", "on")),
    # 决定 (第五十七条、第五十九条、第六十条)
    Edge(S.NOTIFIED, "decide", S.DECIDED, LEADER, "作出处理决定", ("statement_period_over", *DECIDE_GUARDS),
         "penalty_decision", "《行政处罚法》第五十七条、第五十九条",
         ("outcome", "penalty_kinds", "fine", "confiscation", "facts", "basis", "mitigation", "no_penalty_reason",
          "opinion")),
    Edge(S.HEARD, "decide", S.DECIDED, LEADER, "作出处理决定", DECIDE_GUARDS, "penalty_decision",
         "《行政处罚法》第五十七条、第五十九条、第六十五条",
         ("outcome", "penalty_kinds", "fine", "confiscation", "facts", "basis", "mitigation", "no_penalty_reason",
          "opinion")),
    *[Edge(s, "transfer", S.TRANSFERRED, LEADER, "移送有关机关", citation="《行政处罚法》第二十七条、第五十七条",
           fields=("to", "reason", "criminal", "on")) for s in TRANSFERABLE],
    # 送达, 执行 (第六十一条、第六十七条、第七十二条)
    Edge(S.DECIDED, "serve", S.SERVED, HANDLER, "送达决定书", (), "service_receipt", "《行政处罚法》第六十一条",
         ("method", "consent", "recipient", "address", "on")),
    Edge(S.HANDED_OVER, "file_record", S.SERVED, HANDLER, "当场处罚决定备案", citation="《行政处罚法》第五十二条",
         fields=("on",)),
    *loops((S.SERVED, S.HANDED_OVER), "record_payment", HANDLER, "登记罚款缴纳", ("payment_unsettled",),
            citation="《行政处罚法》第六十七条、第七十二条", fields=("amount", "on", "reference")),
    *loops((S.SERVED,), "apply_enforcement", LEADER, "申请人民法院强制执行", ("payment_unsettled",
            "payment_overdue"), citation="《行政处罚法》第七十二条；《行政强制法》第五十三条",
            fields=("court", "on")),
    # 结案, 归档
    *[Edge(s, "propose_closing", S.CLOSING_REVIEW, HANDLER, "提请结案", ("executed",),
           citation="《市场监督管理行政处罚程序规定》第七十九条", fields=("summary",))
      for s in (S.SERVED, S.TRANSFERRED)],
    Edge(S.CLOSING_REVIEW, "approve_closing", S.CLOSED, LEADER, "批准结案", (), "closing_approval",
         "《市场监督管理行政处罚程序规定》第七十九条", ("opinion",)),
    Edge(S.CLOSING_REVIEW, "return_closing", S.SERVED, LEADER, "退回承办人员", ("was_served",),
         fields=("opinion",)),
    *[Edge(s, "archive", S.ARCHIVED, HANDLER, "归档", citation="《市场监督管理行政处罚程序规定》第八十条")
      for s in (S.CLOSED, S.NOT_FILED)],
)

# Entries that create a case rather than move one (the services `case_register` and `case_simple`).
CREATIONS = (("register", S.CLUE, HANDLER, "登记案件线索"), ("simple_decide", S.HANDED_OVER, HANDLER,
                                                              "当场作出行政处罚决定"))
# Steps that propose what a 负责人 (or the legal reviewer) then approves: their actor becomes the case's 提出人.
PROPOSALS = frozenset({"propose_filing", "propose_not_filing", "preserve_request", "end_investigation",
                       "propose_closing"})


def _not_permitted(edge: Edge) -> Refusal:
    return AccessDenied(f"“{edge.label}”须由{WHO_LABELS[edge.who]}办理（审批人不得为承办人员）", code="not_permitted")


def _handler(edge: Edge, now: Now) -> Refusal | None:
    """An officer of the case's department, one of the case's officers once they are assigned."""
    actor, case = now.actor, now.case
    if not acts_for(actor, case.department_id, Role.OFFICER) or (case.officers and actor.id not in case.officer_ids):
        return _not_permitted(edge)
    return None


def _approver(role: str) -> Permission:
    """The 负责人 or the legal reviewer of the case's department: never one of its officers nor the 提出人."""
    def permission(edge: Edge, now: Now) -> Refusal | None:
        actor, case = now.actor, now.case
        if actor.is_person and actor.id == case.proposer_id:
            return AccessDenied("提出人与批准人不得为同一人", code="same_person")
        if not acts_for(actor, case.department_id, role) or actor.id in case.officer_ids:
            return _not_permitted(edge)
        return None
    return permission


def _on_the_day(guard: Guard) -> Callable[[Now], Refusal | None]:
    return lambda now: guard(now.case, now.today)


def _out_of_order(workflow: Workflow, now: Now, action: str) -> Refusal:
    known = "" if action in workflow.actions else "未知的操作；"
    return InvalidTransition(f"{known}案件处于“{S(now.state).label}”，不能执行“{action}”",
                             code="invalid_transition", extra=_allowed_extra(workflow, now))


def _allowed_extra(workflow: Workflow, now: Now) -> dict:
    return {"status": now.state, "allowed": [e.action for e in workflow.allowed(now)]}


WORKFLOW = Workflow(EDGES, guards={name: _on_the_day(g) for name, g in GUARDS.items()},
                    who={HANDLER: _handler, LEADER: _approver(Role.HEAD),
                         LEGAL_REVIEWER: _approver(Role.LEGAL_REVIEWER)},
                    state_label=lambda s: S(s).label, out_of_order=_out_of_order, refusal_extra=_allowed_extra)
ACTIONS = WORKFLOW.actions
assert PROPOSALS <= ACTIONS


def edges_from(status: str) -> list[Edge]:
    return WORKFLOW.edges_from(status)


def may(edge: Edge, actor: ActorFacts, facts: Facts) -> bool:
    """Whether `actor` may take `edge` on a case with `facts` (who acts, not whether the guards hold)."""
    return WORKFLOW.permitted(edge, Now(facts, actor)) is None


def refusal(edge: Edge, facts: Facts, today: dt.date) -> Refusal | None:
    """The first guard of `edge` that does not hold, as the error to raise; None when all hold."""
    return WORKFLOW.refusal(edge, Now(facts, None, today))


def allowed(facts: Facts, actor: ActorFacts, today: dt.date) -> list[Edge]:
    """The actions `actor` may take now: edges from the current status whose actor rule and guards hold."""
    return WORKFLOW.allowed(Now(facts, actor, today))


def check(facts: Facts, actor: ActorFacts, action: str, today: dt.date) -> Edge:
    """The edge for `action` from the case's status, if `actor` may take it now; else the refusal.

    Out of order → InvalidTransition (409) listing the allowed actions; the 提出人 approving their own step →
    AccessDenied `same_person`; the wrong person → AccessDenied `not_permitted` (403); a guard that does not hold
    → its own error, with the allowed actions added.
    """
    return WORKFLOW.check(action, Now(facts, actor, today))
