"""Alarms open, escalate, step down and clear by the rules: one state row per (point, rule), changed under a row
lock (`select_for_update`) with its `version` raised, in one transaction with its step and audit event.

Evaluation is idempotent and race-free: the verdict is a function of the stored readings and `as_of`; a worker
locks the state row (or creates it; a second creator meets the unique constraint and locks the row the first one
made) and writes only when the level it found differs from the row's. Two workers evaluating the same readings
therefore write one change, never two alarms (ADR 0057).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor, SystemActor, actor_ref

from . import rules
from .models import AlarmState, AlarmStep, AnnouncedWindow, DisposalStatus, Factor, MonitoredPoint, Reading

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



def silence_sweep(*, as_of: dt.datetime | None = None, actor: Actor = ENGINE) -> list[Change]:
    """Every active point silent for more than one reporting interval evaluated at `as_of` (now): the `missing` rule
    (离线) reads only the time of the last reading, so no arriving reading ever opens it; the periodic task
    `tasks.silence_sweep` runs this. Idempotent: a second sweep at the same moment changes nothing."""
    moment = as_of or timezone.now()
    changes: list[Change] = []
    silent = (MonitoredPoint.objects.filter(active=True, last_reading_at__isnull=False)
              .values_list("pk", "interval_seconds", "last_reading_at").order_by("pk"))
    for point_id, interval, last in silent:
        if moment - last > dt.timedelta(seconds=interval):
            changes += evaluate_point(point_id=point_id, as_of=moment, actor=actor)
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
    return _move(state, point.code, rule, verdict, actor)


def _move(state: AlarmState, point_code: str, rule: rules.Rule, verdict: rules.Verdict,
          actor: Actor) -> Change | None:
    """Move a locked state row to the verdict's level, with its step and audit event; None when already there."""
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
           data={"point": point_code, "rule": rule.id, "old": old, "new": verdict.level, "episode": state.episode})
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


LIMITED = {"threshold", "repeated"}  # the rule types that read the point's limits


@dataclass(frozen=True)
class _Point:
    pk: int
    code: str
    kind: str
    interval_seconds: int
    department_id: int
    region_id: str
    entity_id: int
    last_reading_at: dt.datetime | None


def evaluate_touched(fresh: Mapping[int, Sequence[rules.Sample]], *, as_of: dt.datetime | None = None,
                     actor: Actor = ENGINE) -> dict[int, list[Change]]:
    """After a batch of readings is committed: evaluate, once per point and rule, the rules its new readings
    (`fresh`, by point id) touch and every rule whose alarm is open, and move their states in one transaction.

    A closed rule none of whose readings is new keeps its verdict (`rules.reads`), so it is skipped. The readings
    of all the points are read in one query, the state rows locked in one query ordered by primary key (two
    workers lock in the same order: no deadlock), missing ones made in one insert. Same verdicts, same writes as
    `evaluate_point` for each point (ADR 0071)."""
    if not fresh:
        return {}
    moment = as_of or timezone.now()
    fields = ("pk", "code", "kind", "interval_seconds", "department_id", "region_id", "entity_id", "last_reading_at")
    points = {row[0]: _Point(*row) for row in MonitoredPoint.objects.filter(pk__among=list(fresh))
              .order_by().values_list(*fields)}
    opened = set(AlarmState.objects.filter(point__id__among=list(points), level__gt=0).order_by()
                 .values_list("point_id", "rule"))
    limits = _limits({pk: list(rules.rules_for(point.kind)) for pk, point in points.items()})
    chosen: dict[int, list[rules.Rule]] = {}
    for pk, point in points.items():
        new = fresh[pk]
        picked = [r for r in rules.rules_for(point.kind)
                  if (pk, r.id) in opened or any(rules.reads(r, s, limits[pk]) for s in new)]
        if picked:
            chosen[pk] = picked
    if not chosen:
        return {}
    contexts = _contexts({pk: points[pk] for pk in chosen}, chosen, limits, moment)
    verdicts = {(pk, rule.id): (rule, rules.evaluate(rule, contexts[pk]))
                for pk, picked in chosen.items() for rule in picked}
    return _settle(points, verdicts, actor)


def _limits(chosen: Mapping[int, list[rules.Rule]]) -> dict[int, dict[str, tuple[Decimal | None, Decimal | None]]]:
    """{point id: {factor: (lower, upper)}} of the factors the limit rules compare with, in one query."""
    limits: dict[int, dict[str, tuple[Decimal | None, Decimal | None]]] = {pk: {} for pk in chosen}
    limited = {pk: {r.get("factor") for r in picked if r.type in LIMITED} for pk, picked in chosen.items()}
    if any(limited.values()):
        factors = Factor.objects.filter(point__id__among=sorted(pk for pk, codes in limited.items() if codes),
                                        code__among=sorted(set().union(*limited.values())))
        for pk, code, lower, upper in factors.order_by().values_list("point_id", "code", "lower", "upper"):
            limits[pk][code] = (lower, upper)
    return limits


def _contexts(points: Mapping[int, _Point], chosen: Mapping[int, list[rules.Rule]],
              limits: Mapping[int, dict[str, tuple[Decimal | None, Decimal | None]]],
              moment: dt.datetime) -> dict[int, rules.Context]:
    """The rules' context of every point, from one query of readings (only the factors the chosen rules read,
    over the lookback of all the rules of the point's kind, as `evaluate_point` reads) and one of limits."""
    reading = {pk for pk, picked in chosen.items() if any(rules.needs_samples(r) for r in picked)}
    samples: dict[int, list[rules.Sample]] = {pk: [] for pk in points}
    if reading:
        starts = {pk: moment - rules.lookback(rules.rules_for(points[pk].kind)) for pk in reading}
        codes: set[str] | None = set()
        for pk in reading:
            for rule in chosen[pk]:
                wanted = rules.codes_read(rule)
                codes = None if codes is None or wanted is None else codes | wanted
        rows = Reading.objects.filter(point__id__among=sorted(reading), at__gt=min(starts.values()), at__lte=moment)
        if codes is not None:
            rows = rows.filter(code__in=sorted(codes))
        for pk, code, at, period, value, flag in (rows.order_by("point_id", "at", "code")
                                                  .values_list("point_id", "code", "at", "period", "value", "flag")):
            if at > starts[pk]:
                samples[pk].append(rules.Sample(code, at, period, value, flag))
    announced: dict[tuple[int, int], list[tuple[dt.date, dt.date]]] = {}
    if any(r.type == "drop_announced" for picked in chosen.values() for r in picked):
        for entity, department, starts_on, ends_on in (
                AnnouncedWindow.objects.filter(entity_id__in={p.entity_id for p in points.values()})
                .order_by().values_list("entity_id", "department_id", "starts_on", "ends_on")):
            announced.setdefault((entity, department), []).append((starts_on, ends_on))
    return {pk: rules.Context(as_of=moment, interval=dt.timedelta(seconds=point.interval_seconds),
                              samples=samples[pk], limits=limits[pk],
                              last_reading_at=_last(point, moment),
                              announced=announced.get((point.entity_id, point.department_id), []))
            for pk, point in points.items()}


def _last(point: _Point, moment: dt.datetime) -> dt.datetime | None:
    """The last reading's time up to `moment`: the point's record of it (kept by the intake), or, when that lies
    beyond `moment` (a reading within the clock tolerance), the last one stored up to `moment`."""
    stored = point.last_reading_at
    if stored is None or stored <= moment:
        return stored
    last: dt.datetime | None = (Reading.objects.filter(point_id=point.pk, at__lte=moment).order_by("-at")
                                .values_list("at", flat=True).first())
    return last


def _settle(points: Mapping[int, _Point], verdicts: Mapping[tuple[int, str], tuple[rules.Rule, rules.Verdict]],
            actor: Actor) -> dict[int, list[Change]]:
    changes: dict[int, list[Change]] = {}
    pks = sorted({pk for pk, _ in verdicts})
    ids = sorted({rule for _, rule in verdicts})
    with transaction.atomic():
        states = {(s.point_id, s.rule): s for s in AlarmState.objects.select_for_update()
                  .filter(point__id__among=pks, rule__among=ids).order_by("pk")}
        wanted = sorted(key for key, (_, verdict) in verdicts.items() if verdict.level and key not in states)
        if wanted:
            now = timezone.now()
            AlarmState.objects.bulk_create(
                [AlarmState(point_id=pk, rule=rule, rule_version=verdicts[pk, rule][0].version,
                            title=verdicts[pk, rule][0].title, department_id=points[pk].department_id,
                            region_id=points[pk].region_id, entity_id=points[pk].entity_id, changed_at=now)
                 for pk, rule in wanted], ignore_conflicts=True)
            made = AlarmState.objects.select_for_update().filter(
                point_id__in=sorted({pk for pk, _ in wanted}), rule__in=sorted({r for _, r in wanted})).order_by("pk")
            states |= {(s.point_id, s.rule): s for s in made if (s.point_id, s.rule) in set(wanted)}
        for key in verdicts:
            state = states.get(key)
            if state is None:
                continue
            rule, verdict = verdicts[key]
            change = _move(state, points[key[0]].code, rule, verdict, actor)
            if change:
                changes.setdefault(key[0], []).append(change)
    return changes
