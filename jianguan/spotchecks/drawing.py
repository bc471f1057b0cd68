"""Draws by the protocol `jianguan-draw-v1`: commit to the frozen pools and a future randomness source, reveal
with the beacon value and draw (selection by lot, 国办发〔2015〕58号; at least two inspectors with valid credentials
per object, 行政处罚法 第四十二条), the transcripts, replacements of inspectors who cannot go, and voids with a
second approver.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.bulk import binary_rows, bulk_insert, ids_by
from jianguan.core.calendar import add_working_days
from jianguan.core.canonical import canonical_json_plain, parse_json_plain
from jianguan.core.errors import InvalidTransition, ValidationFailed
from jianguan.core.validation import require as _require
from jianguan.subjects.models import MarketEntity

from . import protocol, workflow
from .models import CheckResult, Draw, DrawInput, DrawStatus, Task, TaskStatus
from .plans import require_own as _own
from .pools import freeze

PUBLISH_WORKING_DAYS = 20
DRAND_QUICKNET = {"source": "drand", "chain": "quicknet",
                  "chain_hash": "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"}


def _check_beacon(beacon: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    source = beacon.get("source")
    if source == "drand":
        round_number = beacon.get("round")
        _require(isinstance(round_number, int) and round_number > 0, "drand 轮次应为正整数", "beacon_invalid",
                 "beacon.round")
        _require(protocol.drand_round_time(round_number) > now.timestamp(),
                 "随机源轮次必须尚未产生（选择未来的 drand 轮次）", "beacon_round_past", "beacon.round")
        return {**DRAND_QUICKNET, "round": round_number}
    if source == "witness":
        witness = str(beacon.get("witness") or "").strip()
        _require(bool(witness), "缺少见证人（如纪检监察机构）", "required", "beacon.witness")
        try:
            due = dt.datetime.fromisoformat(str(beacon.get("due")))
        except ValueError:
            raise ValidationFailed("见证人提供随机数的时间格式应为 YYYY-MM-DDTHH:MM:SS+08:00", code="beacon_invalid",
                                   field="beacon.due") from None
        _require(due.tzinfo is not None and due > now, "见证人提供随机数的时间必须在承诺之后", "beacon_due_past",
                 "beacon.due")
        return {"source": "witness", "witness": witness, "due": due.isoformat(timespec="seconds")}
    raise ValidationFailed("随机源应为 drand 或 witness", code="beacon_invalid", field="beacon.source")


def _facts(draw: Draw, actor: Actor) -> workflow.DrawFacts:
    """What the draws' table knows of `draw` and the person acting on it (the results entered: read when needed)."""
    return workflow.DrawFacts(workflow.draw_state(draw.status, bool(draw.void_requested_by_id)), actor,
                              draw.task.lead_id, draw.void_requested_by_id, draw.results_pending)


def _number(task: Task) -> str:
    return f"CQ{task.window_start:%Y}{task.pk:05d}-{task.draws.count() + 1}"


@transaction.atomic
def draw_commit(*, actor: User, task_id: int, beacon: dict[str, Any], now: dt.datetime | None = None) -> Draw:
    """Freeze the pools and commit to them and to a randomness source that does not exist yet. One live draw per
    task: a second commitment is refused unless the earlier draw was voided. (`now` is for seeds and tests.)"""
    task = Task.objects.select_for_update().select_related("lead__region").get(pk=task_id)
    _own(actor, task.lead_id)
    workflow.TASKS.check("commit_draw", workflow.Facts(task.status, actor, task.lead_id,
                                                       live_draw=task.draws.exclude(status=DrawStatus.VOID).exists()))
    frozen = freeze(task, _check_beacon(beacon, now or timezone.now()))
    try:
        commitment, encoded = protocol.commit(frozen, dumps=canonical_json_plain)
    except ValueError as exc:  # an input the protocol cannot hash (a duplicate, a malformed code)
        raise ValidationFailed(f"抽取输入不符合协议：{exc}", code="frozen_invalid", field="task") from None
    try:
        with transaction.atomic():
            draw = Draw.objects.create(task=task, number=_number(task), commitment=commitment,
                                       beacon=frozen["beacon"], committed_by=actor.username)
    except IntegrityError:
        raise InvalidTransition("相同输入的承诺已存在", code="draw_exists") from None
    bulk_insert(DrawInput, ("draw_id", "field", "data"), [(draw.pk, field, data) for field, data in encoded.items()],
                binary_types=("bigint", "text", "bytea"))
    record(actor=actor, verb="spotchecks.draw_committed", target=draw,
           data={"commitment": commitment, "beacon": frozen["beacon"],
                 "pool": {name: len(ids) for name, ids in frozen["pool"].items()},
                 "inspectors": len(frozen["inspectors"]), "excluded_pairs": len(frozen["excluded_pairs"])})
    return draw


def _rest(draw: Draw) -> dict[str, Any]:
    """The transcript's fields besides the frozen inputs."""
    return {"protocol": protocol.PROTOCOL, "draw_id": draw.number, "commitment": draw.commitment,
            "beacon_value": draw.beacon_value, "seed": draw.seed, "result": draw.result,
            "replacements": draw.replacements}


def _drawn(draw: Draw) -> None:
    if draw.result is None:
        raise InvalidTransition("尚未取得随机数，抽取还没有结果", code="draw_not_drawn")


def transcript(draw: Draw) -> dict[str, Any]:
    """The draw's transcript (protocol §Transcript): anyone can recompute the draw from it."""
    _drawn(draw)
    return {**draw.frozen, **_rest(draw)}


def transcript_bytes(draw: Draw) -> bytes:
    """The transcript as canonical JSON, written out of the stored input bytes (a city's pool is tens of MB: it is
    not decoded and encoded again). Its SHA-256 is the draw's published transcript hash."""
    _drawn(draw)
    return protocol.encode_object({**draw.encoded_inputs,
                                   **{key: canonical_json_plain(value) for key, value in _rest(draw).items()}})


def transcript_is_public(draw: Draw) -> bool:
    """一公开: a drawn draw of a task that was published (void draws stay on the record too). A draft's never is."""
    return draw.result is not None and draw.task.status != TaskStatus.DRAFT


def public_transcript_bytes(draw: Draw) -> bytes:
    """The public form of the transcript (`protocol.public_form`) as canonical JSON: the inspectors and excluded
    pairs by the hashes the commitment holds for them, of the result the objects drawn (a draw by credit-risk
    classes blinded: no strata, pools or regions, the objects drawn as one list). Written out of the stored input
    bytes, like `transcript_bytes`."""
    _drawn(draw)
    encoded = draw.encoded_inputs
    strata = parse_json_plain(encoded["strata"])
    form, inputs = protocol.public_shape(strata)
    members = {field: encoded[field] for field in inputs}
    members.update({f"{field}_hash": canonical_json_plain(hashlib.sha256(encoded[field]).hexdigest())
                    for field in protocol.WITHHELD_FIELDS})
    rest = _rest(draw)
    members.update({key: canonical_json_plain(rest[key])
                    for key in ("protocol", "draw_id", "commitment", "beacon_value", "seed")})
    members["form"] = canonical_json_plain(form)
    members["result"] = canonical_json_plain(protocol.public_result(strata, draw.result["selected"]))
    return protocol.encode_object(members)


@transaction.atomic
def draw_reveal(*, actor: Actor, draw_id: int, beacon_value: str, signature: str = "",
                now: dt.datetime | None = None) -> Draw:
    """Take the beacon's value (no earlier than its round could exist), derive the seed and draw: objects by
    stratum, inspectors per object; each drawn object gets its result record with the publication clock — here, or
    for a draw of more than JIANGUAN_DRAW_INLINE_RESULTS objects in a background task once this commits (ADR 0021)."""
    draw = Draw.objects.select_for_update().select_related("task").get(pk=draw_id)
    edge = workflow.DRAWS.check("reveal", _facts(draw, actor))
    value = beacon_value.strip().lower()
    try:
        _require(len(bytes.fromhex(value)) >= 16, "随机数至少 16 字节（32 位十六进制）", "beacon_value_invalid",
                 "beacon_value")
    except ValueError:
        raise ValidationFailed("随机数应为十六进制", code="beacon_value_invalid", field="beacon_value") from None
    now = now or timezone.now()
    beacon = draw.beacon
    if beacon["source"] == "drand":
        _require(now.timestamp() >= protocol.drand_round_time(beacon["round"]),
                 f"drand 第 {beacon['round']} 轮尚未产生，不能提前给出随机数", "beacon_too_early", "beacon_value")
        if signature:
            _require(protocol.drand_randomness(signature) == value, "随机数与该轮签名不符（应为签名的 SHA-256）",
                     "beacon_signature_mismatch", "signature")
    else:
        _require(now >= dt.datetime.fromisoformat(beacon["due"]), "见证人提供随机数的时间未到", "beacon_too_early",
                 "beacon_value")
    try:  # the stored inputs are hashed again: they must not have changed since the commitment
        document = protocol.reveal(draw.encoded_inputs, draw.commitment, value,
                                   workers=settings.JIANGUAN_DRAW_WORKERS or None, dumps=canonical_json_plain,
                                   loads=parse_json_plain)
    except ValueError:
        document = None
    _require(document is not None, "冻结的输入与承诺不符：抽取对象或人员名单在承诺后被改动", "commitment_mismatch",
             "frozen")
    draw.beacon_value, draw.seed, draw.result = value, document["seed"], document["result"]
    draw.status, draw.drawn_at = workflow.draw_status(edge.target), now
    draw.transcript_hash = hashlib.sha256(transcript_bytes(draw)).hexdigest()
    draw.save(update_fields=["beacon_value", "seed", "result", "status", "drawn_at", "transcript_hash", "updated_at"])
    if sum(map(len, draw.result["selected"].values())) <= settings.JIANGUAN_DRAW_INLINE_RESULTS:
        _results_for(draw, document["object_regions"])
    else:  # tens of thousands of rows with their inspectors: written once the draw has committed
        from . import tasks  # tasks import this module: resolved at call time

        transaction.on_commit(lambda: tasks.draw_results_write.enqueue(draw_id=draw.pk))
    Task.objects.filter(pk=draw.task_id).update(status=TaskStatus.DRAWN)
    record(actor=actor, verb="spotchecks.draw_drawn", target=draw,
           data={"seed": draw.seed, "beacon_value": value, "transcript_hash": draw.transcript_hash,
                 "selected": {name: len(ids) for name, ids in draw.result["selected"].items()},
                 "unassigned": len(draw.result["unassigned"])})
    return draw


@transaction.atomic
def draw_results_write(*, actor: Actor, draw_id: int) -> int:
    """Write the result rows a large draw's reveal left to a background task; the number written. Idempotent:
    a draw whose rows exist, or which was voided meanwhile, is left as it is."""
    draw = Draw.objects.select_for_update().select_related("task").get(pk=draw_id)
    if not draw.results_pending:
        return 0
    [(regions,)] = binary_rows(draw.inputs.filter(field="object_regions").values_list("data"))
    written = _results_for(draw, parse_json_plain(regions))
    record(actor=actor, verb="spotchecks.results_written", target=draw, data={"results": written})
    return written


def _results_for(draw: Draw, regions: dict[str, str]) -> int:
    """One result row per drawn object with its inspectors, written in bulk (a city-wide draw has tens of
    thousands); the draw's audit event, or that of the task that writes them, describes them."""
    due = add_working_days(draw.task.window_end, PUBLISH_WORKING_DAYS)
    now = timezone.now()
    selected = [(stratum, uscc) for stratum, ids in draw.result["selected"].items() for uscc in ids]
    entities = ids_by(MarketEntity, "uscc", [uscc for _, uscc in selected])
    rows = sorted((entities[uscc], regions[uscc], stratum) for stratum, uscc in selected)
    # in entity order: the entity index and the foreign-key checks walk forward (PostgreSQL's COPY: a third faster)
    bulk_insert(CheckResult, ("draw_id", "entity_id", "region_id", "stratum", "codes", "problems", "evidence",
                              "follow_up", "inspection_numbers", "publish_due", "created_at", "updated_at"),
                [(draw.pk, entity, region, stratum, "[]", "", "", "", "[]", due, now, now)
                 for entity, region, stratum in rows])
    assignments = draw.result["assignments"]
    users = ids_by(User, "username", sorted({name for names in assignments.values() for name in names}))
    results = dict(CheckResult.objects.filter(draw=draw).values_list("entity_id", "pk"))
    bulk_insert(CheckResult.inspectors.through, ("checkresult_id", "user_id"),
                sorted((results[entities[uscc]], users[name]) for uscc, names in assignments.items() for name in names))
    draw.results_written_at = now
    draw.save(update_fields=["results_written_at", "updated_at"])
    return len(rows)


@transaction.atomic
def draw_replace(*, actor: User, draw_id: int, uscc: str, out: str, reason: str) -> dict[str, Any]:
    """An assigned inspector who cannot go is replaced by the next eligible one in the object's ranking (no manual
    pick), logged with the reason and a counter."""
    draw = Draw.objects.select_for_update().select_related("task").get(pk=draw_id)
    _own(actor, draw.task.lead_id)
    workflow.DRAWS.check("replace", _facts(draw, actor))
    _require(bool(reason.strip()), "缺少必填字段“替换理由”", "required", "reason")
    try:
        replacement = protocol.replace(transcript(draw), uscc, out, reason.strip())
    except ValueError as exc:  # not assigned, or nobody eligible left in the ranking
        raise ValidationFailed(f"无法替换：{exc}", code="replacement_impossible", field="out") from None
    draw.replacements = [*draw.replacements, dict(replacement)]  # the result stays as drawn; replacements follow it
    draw.transcript_hash = hashlib.sha256(transcript_bytes(draw)).hexdigest()
    draw.save(update_fields=["replacements", "transcript_hash", "updated_at"])  # the frozen inputs never change
    check = CheckResult.objects.get(draw=draw, entity__uscc=uscc)
    check.inspectors.remove(User.objects.get(username=out))
    check.inspectors.add(User.objects.get(username=replacement["in"]))
    record(actor=actor, verb="spotchecks.inspector_replaced", target=draw, data=replacement)
    return replacement


@transaction.atomic
def draw_void_request(*, actor: User, draw_id: int, reason: str) -> Draw:
    draw = Draw.objects.select_for_update().select_related("task").get(pk=draw_id)
    _own(actor, draw.task.lead_id)
    facts = _facts(draw, actor)
    workflow.DRAWS.check("request_void", facts)  # the results entered are judged once the reason is read
    _require(len(reason.strip()) >= 4, "作废必须写明理由", "reason_required", "reason")
    entered = draw.results.exclude(entered_at=None).exists()
    workflow.DRAWS.check("request_void", dataclasses.replace(facts, results_entered=entered))
    draw.void_reason, draw.void_requested_by = reason.strip(), actor
    draw.save(update_fields=["void_reason", "void_requested_by", "updated_at"])
    record(actor=actor, verb="spotchecks.draw_void_requested", target=draw, data={"reason": draw.void_reason})
    return draw


@transaction.atomic
def draw_void_approve(*, actor: User, draw_id: int) -> Draw:
    """The second approver voids the draw: the head (负责人) or a legal reviewer of the department that leads the
    task, never the person who asked for the void (提出人). The draw stays on record and public, and a new draw
    needs a new commitment."""
    draw = Draw.objects.select_for_update().select_related("task").get(pk=draw_id)
    edge = workflow.DRAWS.check("approve_void", _facts(draw, actor))
    draw.status, draw.void_approved_by, draw.voided_at = workflow.draw_status(edge.target), actor, timezone.now()
    draw.save(update_fields=["status", "void_approved_by", "voided_at", "updated_at"])
    draw.results.all().delete()
    Task.objects.filter(pk=draw.task_id).update(status=TaskStatus.PUBLISHED)
    record(actor=actor, verb="spotchecks.draw_voided", target=draw,
           data={"reason": draw.void_reason, "requested_by": draw.void_requested_by_id})
    return draw
