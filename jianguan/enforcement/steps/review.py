"""Step handlers of 法制审核, 集体讨论, 告知 and 听证."""

from __future__ import annotations

from jianguan.core.errors import ValidationFailed
from jianguan.core.roles import Role
from jianguan.core.validation import require as _require

from .. import deadlines
from ..context import case_context, party_context, penalty_text
from ..inputs import colleague, date_in, flag_in, text_in
from ..models import Hearing, Suspension, SuspensionKind
from .base import Step, handles
from .investigation import end_suspensions


@handles("submit_review")
def _submit_review(step: Step) -> None:
    step.case.legal_review_submitted_on = step.today
    step.event["due"] = deadlines.legal_review_due(step.today)


@handles("pass_review")
def _pass_review(step: Step) -> None:
    opinion = text_in(step.data, "opinion", "法制审核意见", max_len=100)
    step.case.legal_review_on, step.case.legal_review_opinion = step.today, opinion
    step.approve(opinion, role=Role.LEGAL_REVIEWER)


@handles("return_review")
def _return_review(step: Step) -> None:
    step.approve(text_in(step.data, "opinion", "法制审核意见", max_len=100), approved=False, role=Role.LEGAL_REVIEWER)


@handles("discuss")
def _discuss(step: Step) -> None:
    conclusion = text_in(step.data, "conclusion", "集体讨论结论", max_len=1000)
    participants = step.data.get("participants") or []
    if isinstance(participants, str):
        participants = [p for p in participants.replace("、", ",").split(",") if p.strip()]
    step.case.collective_on, step.case.collective_conclusion = step.on, conclusion
    step.approve(conclusion)
    step.event.update({"participants": participants})


@handles("notify")
def _notify(step: Step) -> None:
    case = step.case
    _require(case.penalty_kinds, "调查终结时未写明拟作出的处罚", "penalty_missing", "penalty_kinds")
    case.notified_on = step.on
    contact = step.data.get("contact") or {"name": step.actor.full_name, "phone": step.actor.phone}
    step.issue("penalty_notice", {
        "party": party_context(case), "case": case_context(case), "facts": case.facts,
        "violated": case.violated, "basis": case.basis, "penalty": penalty_text(case),
        "hearing_right": case.hearing_right, "contact": contact})
    step.event.update({"penalty": penalty_text(case), "hearing_right": case.hearing_right})
    if case.hearing_right:
        step.event["hearing_request_due"] = deadlines.hearing_request_due(step.on)


@handles("record_statement")
def _record_statement(step: Step) -> None:
    step.event.update({"statement": text_in(step.data, "statement", "陈述、申辩内容"),
                       "adopted": flag_in(step.data, "adopted")})


@handles("waive_hearing")
def _waive_hearing(step: Step) -> None:
    step.case.hearing_waived = True


@handles("request_hearing")
def _request_hearing(step: Step) -> None:
    Hearing.objects.update_or_create(case=step.case, defaults={"requested_on": step.on, "outcome": ""})
    Suspension.objects.create(case=step.case, kind=SuspensionKind.HEARING, starts_on=step.on, reason="当事人申请听证")


@handles("schedule_hearing")
def _schedule_hearing(step: Step) -> None:
    case, data = step.case, step.data
    held_on = date_in(data, "held_on", "听证日期", today=step.today, future=True)
    earliest = deadlines.earliest_hearing(step.on)
    if held_on < earliest:
        raise ValidationFailed(f"听证通知应在举行听证的七个工作日前送达，最早可于 {earliest} 举行"
                               "（《行政处罚法》第六十四条）", code="hearing_notice_too_late", field="held_on",
                               extra={"earliest": str(earliest)})
    chair = colleague(str(data.get("chair") or ""), case.department_id, "chair")
    _require(not case.assignments.filter(user=chair).exists(),
             "听证主持人不得为本案调查人员（《行政处罚法》第六十四条）", "chair_investigated", "chair")
    hearing = case.hearing
    hearing.held_on, hearing.chair, hearing.notice_sent_on = held_on, chair, step.on
    hearing.place, hearing.public = text_in(data, "place", "听证地点", max_len=200), data.get("public") not in (
        False, "false", "0")
    document = step.issue("hearing_notice", {
        "party": party_context(case), "case": case_context(case),
        "hearing": {"time": held_on, "place": hearing.place, "chair": chair.full_name, "public": hearing.public},
        "contact": {"name": step.actor.full_name, "phone": step.actor.phone}})
    hearing.notice_document_id = document.id
    hearing.save()
    step.event.update({"held_on": held_on, "chair": chair.full_name, "earliest": earliest})


@handles("withdraw_hearing")
def _withdraw_hearing(step: Step) -> None:
    end_suspensions(step.case, step.on, SuspensionKind.HEARING)
    Hearing.objects.filter(case=step.case).update(outcome="withdrawn")
    step.case.hearing_waived = True


@handles("hold_hearing")
def _hold_hearing(step: Step) -> None:
    case, hearing = step.case, step.case.hearing
    _require(step.on >= hearing.held_on, f"听证定于 {hearing.held_on} 举行", "hearing_not_yet", "on")
    absent = flag_in(step.data, "absent")
    transcript = None
    if not absent:
        transcript = case.evidence.filter(pk=int(step.data.get("transcript") or 0)).first()
        _require(transcript is not None, "须上传经当事人签字的听证笔录（证据）并注明其编号", "transcript_required",
                 "transcript")
    hearing.transcript, hearing.outcome = transcript, "absent" if absent else "held"
    hearing.held_on = step.on
    hearing.save(update_fields=["transcript", "outcome", "held_on"])
    end_suspensions(case, step.on, SuspensionKind.HEARING)
    if absent:
        case.hearing_waived = True  # 无正当理由拒不出席 = 放弃听证 (第六十五条)
    step.event.update({"outcome": hearing.outcome,
                       "transcript": {"id": transcript.pk, "sha256": transcript.sha256} if transcript else None})
