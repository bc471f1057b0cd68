"""Alarms open, escalate, step down and clear by the rules: one state row per (point, rule), changed under a row
lock (`select_for_update`) with its `version` raised, in one transaction with its step and audit event.

Evaluation is idempotent and race-free: the verdict is a function of the stored readings and `as_of`; a worker
locks the state row (or creates it; a second creator meets the unique constraint and locks the row the first one
made) and writes only when the level it found differs from the row's. Two workers evaluating the same readings
therefore write one change, never two alarms (ADR 0057).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor, SystemActor, actor_ref

from . import rules
from .models import AlarmState, AlarmStep, AnnouncedWindow, DisposalStatus, MonitoredPoint, Reading

ENGINE = SystemActor("remote.alarms")


@dataclass(frozen=True)
class Change:
    rule: str
    action: str
    old: int
    new: int


def context(point: MonitoredPoint, as_of: dt.datetime, lookback: dt.timedelta) -> rules.Context:
    rows = (Reading.objects.filter(point=point, at__gt=as_of - lookback, at__lte=as_of)
            .order_by("at", "code").values_list("code", "at", "period", "value", "flag"))
    limits = {f.code: (f.lower, f.upper) for f in point.factors.all()}
    announced = list(AnnouncedWindow.objects.filter(entity_id=point.entity_id, department_id=point.department_id)
                     .values_list("starts_on", "ends_on"))
    last = Reading.objects.filter(point=point, at__lte=as_of).order_by("-at").values_list("at", flat=True).first()
    return rules.Context(as_of=as_of, interval=dt.timedelta(seconds=point.interval_seconds),
                         samples=[rules.Sample(*row) for row in rows], limits=limits, last_reading_at=last,
                         announced=announced)


def evaluate_point(*, point_id: int, as_of: dt.datetime | None = None, actor: Actor = ENGINE) -> list[Change]:
    """Evaluate every rule of the point's kind at `as_of` (now) and move each alarm state to its verdict."""
    point = MonitoredPoint.objects.get(pk=point_id)
    chosen = rules.rules_for(point.kind)
    if not chosen:
        return []
    moment = as_of or timezone.now()
    ctx = context(point, moment, rules.lookback(chosen))
    changes = []
    for rule in chosen:
        change = _apply(point, rule, rules.evaluate(rule, ctx), actor)
        if change:
            changes.append(change)
    return changes


def _action(old: int, new: int) -> str:
    if old == 0:
        return "opened"
    if new == 0:
        return "cleared"
    return "escalated" if new > old else "stepped_down"


@transaction.atomic
def _apply(point: MonitoredPoint, rule: rules.Rule, verdict: rules.Verdict, actor: Actor) -> Change | None:
    state = AlarmState.objects.select_for_update().filter(point=point, rule=rule.id).first()
    if state is None:
        if verdict.level == 0:
            return None
        state = _create(point, rule)
    if state.level == verdict.level:
        return None
    old, now = state.level, timezone.now()
    action = _action(old, verdict.level)
    if action == "opened":
        state.episode, state.opened_at, state.disposal = state.episode + 1, now, DisposalStatus.PENDING
    if verdict.level:
        state.detail = verdict.detail[:500]
        state.evidence = [s.as_evidence() for s in verdict.evidence]
    state.level, state.changed_at, state.version = verdict.level, now, state.version + 1
    state.rule_version, state.title = rule.version, rule.title
    state.save()
    evidence = [s.as_evidence() for s in verdict.evidence]
    AlarmStep.objects.create(alarm=state, episode=state.episode, action=action, old_level=old,
                             new_level=verdict.level, actor_label=actor_ref(actor).label, note=verdict.detail[:500],
                             data={"evidence": evidence, "rule_version": rule.version, "citation": rule.citation})
    record(actor=actor, verb=f"remote.alarm_{action}", target=state,
           data={"point": point.code, "rule": rule.id, "old": old, "new": verdict.level, "episode": state.episode})
    return Change(rule.id, action, old, verdict.level)


def _create(point: MonitoredPoint, rule: rules.Rule) -> AlarmState:
    """The state row of (point, rule), made at level 0 and locked; if another worker made it first, theirs."""
    try:
        with transaction.atomic():
            AlarmState.objects.create(point=point, rule=rule.id, rule_version=rule.version, title=rule.title,
                                      department_id=point.department_id, region_id=point.region_id,
                                      entity_id=point.entity_id, changed_at=timezone.now())
    except IntegrityError:
        pass
    state: AlarmState = AlarmState.objects.select_for_update().get(point=point, rule=rule.id)
    return state
