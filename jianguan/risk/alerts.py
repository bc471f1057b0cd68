"""Alerts from stored observations: each observation judged by its model once; one alert per (subject, model,
window), created by the first observation that alerts and updated by every later one — never repeated.

The subject is the entity of the object library named by the observation's 统一社会信用代码 (the envelope's
`entity`, else the seller's or advertiser's code) where the library has it, else the seller, advertiser or name as
sent. The window is the calendar month of capture (Asia/Shanghai). An observation is judged with its cross-line
hits (`crossline`: the same prescription elsewhere, complaint clusters), each kept with its evidence, and against
the stored registers as they stood on the day of capture (ADR 0037). An alert keeps each hit with the observation
and snapshot it was found in; its score is the highest of its observations' scores, its band that score's, its
versions those of the last judgement (risk-models.md §6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.calendar import add_working_days
from jianguan.core.errors import ValidationFailed
from jianguan.risk import engine
from jianguan.risk.engine import Verdict
from jianguan.subjects.contracts import require_entity
from jianguan.subjects.models import MarketEntity

from . import crossline, routing
from .crossline import Linked, Subject
from .models import Alert, Observation
from .selectors import StoredRegisters

SCAN_BATCH = 200
VERIFY_WORKING_DAYS = 15  # [law] 市场监督管理行政处罚程序规定 第十八条


@dataclass
class Scanned:
    observations: int = 0
    created: int = 0
    updated: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"observations": self.observations, "created": self.created, "updated": self.updated}


def _entity(observation: Observation) -> MarketEntity | None:
    """The entity of the first candidate code the object library holds (codes that are no USCC are skipped)."""
    fields = observation.fields
    for code in (observation.entity_code, observation.seller, observation.advertiser, fields.get("name")):
        if isinstance(code, str) and len(code.strip()) == 18:
            try:
                return require_entity(code)
            except ValidationFailed:
                continue
    return None


def _subject(observation: Observation, entity: MarketEntity | None) -> tuple[str, str]:
    """(key, name) of the alert's subject."""
    if entity is not None:
        return entity.uscc, entity.name
    named = observation.seller or observation.advertiser or str(observation.fields.get("name") or "")
    if named:
        return named[:200], named[:200]
    return f"{observation.sender}/{observation.sender_id}"[:200], observation.url[:200] or observation.sender_id


def subject_of(observation: Observation) -> tuple[MarketEntity | None, str, str]:
    """(the entity, the key, the name) of the subject an alert about `observation` is kept for."""
    entity = _entity(observation)
    return entity, *_subject(observation, entity)


def hits_of(observation: Observation, verdict: Verdict, links: Iterable[Linked] = ()) -> list[dict[str, Any]]:
    """The hits of `verdict` as an alert keeps them: with their confidence (so the alert can be scored again), the
    observation, its snapshot and, for a cross-line hit, its evidence."""
    evidence = {link.hit.rule: link.evidence for link in links}
    return [{**hit.as_json(), "weight": hit.weight, "confidence": hit.confidence, "observation": observation.pk,
             "snapshot_hash": observation.snapshot_hash,
             **({"evidence": evidence[hit.rule]} if hit.rule in evidence else {})} for hit in verdict.hits]


def rescored(model: str, hits: Iterable[Mapping[str, Any]], *, exposure: float = 1.0,
             entity_risk: float = 1.0) -> tuple[float, str | None]:
    """(score, band) of an alert's stored hits under a new exposure or entity risk (a credit class changed, a
    penalty recorded), by the same step that scored them (`engine.Model.rescore`: each rule's strongest hit,
    weight × confidence), without reading the texts again. A hit stored before confidences were kept counts 1.0."""
    best: dict[str, float] = {}
    for hit in hits:
        strength = hit["weight"] * hit.get("confidence", 1.0)
        if strength > best.get(hit["rule"], 0.0):
            best[hit["rule"]] = strength
    return engine.model(model).rescore(best.values(), exposure=exposure, entity_risk=entity_risk)


def _merged(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The hits of both, each once: a quoted or cross-line hit by (observation, rule, field, start), a register
    check (no quote) by its rule."""
    def key(hit: dict[str, Any]) -> tuple[Any, ...]:
        if hit["quote"] or "evidence" in hit:
            return (hit["observation"], hit["rule"], hit["field"], hit["start"])
        return (hit["rule"],)

    merged = {key(hit): hit for hit in old}
    for hit in new:
        merged.setdefault(key(hit), hit)
    return list(merged.values())


def clock_start(today: dt.date) -> dict[str, dt.date]:
    """The verification clock of an alert raised `today`: 15 working days from discovery (《市场监督管理行政处罚
    程序规定》第十八条)."""
    return {"verify_started": today, "verify_due": add_working_days(today, VERIFY_WORKING_DAYS)}


def _band(model: str, score: float) -> str:
    return next((name for name, floor in engine.model(model).bands if score >= floor), "")


def _judge(observation: Observation, registers: StoredRegisters, links: list[Linked]) -> Verdict:
    """The verdict on `observation` with its cross-line hits, against the stored registers as they stood on the day
    it was captured."""
    chosen = engine.model(observation.model)
    day = timezone.localdate(observation.captured_at)
    return chosen.judge(chosen.check(observation.fields), registers=registers.on(day),
                        more=[link.hit for link in links])


def _raise(observation: Observation, verdict: Verdict, actor: Actor, today: dt.date, links: list[Linked],
           subject: tuple[MarketEntity | None, str, str]) -> bool:
    """Create or update the alert `observation` belongs to (`subject`: `subject_of(observation)`); True when it was
    created."""
    entity, key, name = subject
    window = timezone.localtime(observation.captured_at).strftime("%Y-%m")
    alert = Alert.objects.select_for_update().filter(
        subject_key=key, model=observation.model, window=window, control=False).first()
    chosen = engine.model(observation.model)
    version, lexicons = chosen.version, chosen.matcher.versions()
    created = alert is None
    if alert is None:
        region = entity.region if entity is not None else observation.region
        department, note = routing.assign(region, observation.model)
        alert = Alert.objects.create(
            subject_key=key, subject_name=name, entity=entity, model=observation.model, window=window, region=region,
            department=department, routing_note=note, score=verdict.score, band=verdict.band or "",
            model_version=version, lexicon_versions=lexicons, hits=hits_of(observation, verdict, links),
            **clock_start(today))
    else:
        alert.score = max(alert.score, verdict.score)
        alert.band = _band(alert.model, alert.score)
        alert.hits = _merged(alert.hits, hits_of(observation, verdict, links))
        alert.model_version, alert.lexicon_versions = version, lexicons
        alert.save(update_fields=["score", "band", "hits", "model_version", "lexicon_versions", "updated_at"])
    alert.observations.add(observation)
    record(actor=actor, verb="risk.alert_raised" if created else "risk.alert_updated", target=alert,
           data={"observation": observation.pk, "score": str(verdict.score), "band": verdict.band,
                 "model": observation.model, "version": version})
    return created


def _scan_one(observation: Observation, actor: Actor, scanned: Scanned, today: dt.date,
              registers: StoredRegisters) -> None:
    subject = entity, _key, name = subject_of(observation)
    links = crossline.linked(observation, Subject(entity.uscc if entity else None, name))
    verdict = _judge(observation, registers, links)
    if verdict.alert:
        if _raise(observation, verdict, actor, today, links, subject):
            scanned.created += 1
        else:
            scanned.updated += 1
    observation.scanned_at = timezone.now()
    observation.save(update_fields=["scanned_at"])
    scanned.observations += 1


def observations_scan(*, actor: Actor, ids: Iterable[int] | None = None, today: dt.date | None = None) -> Scanned:
    """Judge the observations not yet judged (or those of `ids` not yet judged), a transaction per batch of
    `SCAN_BATCH`; an observation judged once is not judged again, so running it twice changes nothing. An alert
    raised starts its clock `today` (the day of the scan unless given)."""
    scanned, today = Scanned(), today or timezone.localdate()
    registers = StoredRegisters(timezone.localdate())
    wanted = list(ids) if ids is not None else None
    while True:
        with transaction.atomic():
            pending = Observation.objects.select_for_update().filter(scanned_at__isnull=True).order_by("pk")
            if wanted is not None:
                pending = pending.filter(pk__in=wanted)
            batch = list(pending.select_related("region")[:SCAN_BATCH])
            for observation in batch:
                _scan_one(observation, actor, scanned, today, registers)
        if len(batch) < SCAN_BATCH:
            return scanned
