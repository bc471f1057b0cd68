"""Writes of 双随机一公开: plans (filed with the level above, published), tasks, draws by the protocol
`jianguan-draw-v1` (commit → beacon value → result; replacements; voids with a second approver), results entered by
an assigned inspector, and publication of the results.

Rules from law: selection by lot from the object and inspector pools (国办发〔2015〕58号); at least two inspectors
with valid credentials per object (行政处罚法 第四十二条); avoidance (第四十三条); results public within 20 working
days of the check's end and, where the firm cannot be reached at its registered address or its public information
is false, the 经营异常名录 within 10 working days (企业信息公示暂行条例 第十四条、第十七条; spot-checks.md §3).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from jianguan.accounts.models import Department, OfficerCredential, Region, User
from jianguan.audit.contracts import record
from jianguan.behaviour import contracts as behaviour
from jianguan.catalog.contracts import OutsideTheList, implementation_bodies, parse_ratio, require_in_force
from jianguan.core.actors import Actor
from jianguan.core.bulk import binary_rows, bulk_insert, ids_by
from jianguan.core.calendar import add_working_days
from jianguan.core.canonical import canonical_json_plain, parse_json_plain
from jianguan.core.errors import AccessDenied, InvalidTransition, NotFound, ValidationFailed
from jianguan.core.roles import Role, is_head_of, refuse_same_person
from jianguan.core.validation import require as _require
from jianguan.credit import contracts as credit
from jianguan.credit.models import CreditKind
from jianguan.enforcement import contracts as enforcement
from jianguan.inspections import contracts as inspections
from jianguan.subjects.contracts import require_entity
from jianguan.subjects.models import EntityStatus, MarketEntity

from . import protocol, workflow
from .models import (
    Avoidance,
    CheckResult,
    Draw,
    DrawInput,
    DrawStatus,
    Expert,
    Inspector,
    Plan,
    ResultCode,
    Task,
    TaskKind,
    TaskStatus,
)

STRATA = ("A", "B", "C", "D", "ALL")
# Defaults per credit-risk class [config], within the bounds of spot-checks.md §6 (林甸/大庆 2024).
DEFAULT_STRATA = {"A": {"ratio": "0.03"}, "B": {"ratio": "0.1"}, "C": {"ratio": "0.3"}, "D": {"ratio": "0.7"}}
PUBLISH_WORKING_DAYS = 20
ABNORMAL_WORKING_DAYS = 10
ABNORMAL_CODES = {ResultCode.UNREACHABLE, ResultCode.FALSE_PUBLICITY}
PENDING_SUBCODES = {ResultCode.PENDING_REGISTRATION, ResultCode.PENDING_FOOD_DRUG, ResultCode.PENDING_QUALITY,
                    ResultCode.PENDING_OTHER_DEPARTMENT, ResultCode.PENDING_POLICE}
VOID_APPROVERS = (Role.HEAD, Role.LEGAL_REVIEWER)  # of the department that leads the task
DRAND_QUICKNET = {"source": "drand", "chain": "quicknet",
                  "chain_hash": "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"}


def _own(actor: User, department_id: int) -> None:
    refused = workflow.own_refusal(actor, department_id)
    if refused is not None:
        raise refused


# Plans -----------------------------------------------------------------------------------------------------------

@transaction.atomic
def plan_create(*, actor: User, year: int, title: str, content: str = "") -> Plan:
    """年度抽查计划 of the actor's department (county level and up)."""
    _own(actor, actor.department_id)
    _require(bool(title.strip()), "缺少必填字段“计划名称”", "required", "title")
    _require(2000 <= int(year) <= 2100, "年度应为四位年份", "year_invalid", "year")
    plan = Plan.objects.create(department=actor.department, year=year, title=title.strip(), content=content)
    record(actor=actor, verb="spotchecks.plan_created", target=plan, data={"year": year, "title": plan.title})
    return plan


@transaction.atomic
def plan_file(*, actor: User, plan_id: int) -> Plan:
    """报备: filed with the department that guides the planning one (the same line one level up), if any."""
    plan = Plan.objects.select_for_update().get(pk=plan_id)
    _own(actor, plan.department_id)
    edge = workflow.PLANS.check("file", workflow.Facts(plan.status, actor, plan.department_id))
    plan.status, plan.filed_with_id, plan.filed_at = edge.target, plan.department.parent_id, timezone.now()
    plan.save()
    record(actor=actor, verb="spotchecks.plan_filed", target=plan, data={"filed_with": plan.filed_with_id})
    return plan


@transaction.atomic
def plan_publish(*, actor: User, plan_id: int) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan_id)
    _own(actor, plan.department_id)
    edge = workflow.PLANS.check("publish", workflow.Facts(plan.status, actor, plan.department_id))
    plan.status, plan.published_at = edge.target, timezone.now()
    plan.save()
    record(actor=actor, verb="spotchecks.plan_published", target=plan)
    return plan


# Tasks -----------------------------------------------------------------------------------------------------------

def clean_strata(strata: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Ratios (decimal strings, 0–1) or counts per credit class, or one `ALL` stratum."""
    _require(bool(strata), "至少设置一个抽取层（按信用风险分类的比例或数量）", "strata_required", "strata")
    _require(set(strata) <= set(STRATA), f"抽取层只能是 {'、'.join(STRATA)}", "stratum_unknown", "strata")
    _require("ALL" not in strata or len(strata) == 1, "ALL 不能与信用风险分类同时使用", "strata_mixed", "strata")
    clean: dict[str, dict[str, Any]] = {}
    for name, rule in strata.items():
        if "ratio" in rule:
            try:
                ratio = Decimal(str(rule["ratio"]))
            except InvalidOperation:
                ratio = Decimal(-1)
            _require(ratio.is_finite() and 0 <= ratio <= 1, f"{name} 类的抽查比例应在 0 与 1 之间",
                     "ratio_out_of_range", f"strata.{name}.ratio")
            clean[name] = {"ratio": str(rule["ratio"]).strip()}
        else:
            count = rule.get("count")
            _require(isinstance(count, int) and count >= 0, f"{name} 类的抽查数量应为不小于 0 的整数",
                     "count_invalid", f"strata.{name}.count")
            clean[name] = {"count": count}
    return clean


@transaction.atomic
def row_strata(ratios: list[Decimal | None]) -> dict:
    """The strata a task starts from when none are given: the 检查比例 its rows publish (the largest when the
    items differ), for every object; the credit-class defaults only when no row states a ratio."""
    stated = [ratio for ratio in ratios if ratio is not None]
    return {"ALL": {"ratio": format(max(stated), "f")}} if stated else DEFAULT_STRATA


def task_create(*, actor: User, plan_id: int, name: str, items: list[str], window_start: dt.date,
                window_end: dt.date, departments: list[int] | None = None, kind: str = TaskKind.DIRECTED,
                scope: dict | None = None, strata: dict | None = None, inspectors_per_department: int = 2,
                max_objects_per_inspector: int = 50, required_qualifications: list[str] | None = None,
                rotation_months: int = 12) -> Task:
    """An 抽查任务 under a plan of the actor's department; a joint task lists the other departments, each of which
    must contribute at least one item of its own (a row of its implementation list in the spot-check list)."""
    plan = Plan.objects.select_related("department").get(pk=plan_id)
    _own(actor, plan.department_id)
    _require(bool(name.strip()), "缺少必填字段“抽查任务名称”", "required", "name")
    _require(window_start <= window_end, "检查开始日期不能晚于结束日期", "window_invalid", "window_end")
    _require(kind in TaskKind.values, "抽查类型应为定向或不定向", "choice_invalid", "kind")
    taking_part = sorted({plan.department_id, *(departments or [])})
    bodies = {d.pk: d for d in Department.objects.filter(pk__in=taking_part)}
    _require(len(bodies) == len(taking_part), "检查部门不存在", "department_unknown", "departments")
    _require(inspectors_per_department >= 1, "每部门每户至少 1 名检查人员", "inspectors_invalid",
             "inspectors_per_department")
    _require(inspectors_per_department * len(taking_part) >= 2,
             "每户检查人员合计不得少于两名（行政处罚法第四十二条）", "inspectors_too_few", "inspectors_per_department")
    _require(max_objects_per_inspector >= 1, "每名检查人员最多检查户数应大于 0", "quota_invalid",
             "max_objects_per_inspector")
    _require(bool(items), "至少选择一个抽查事项", "items_required", "items")
    contributed = set()
    ratios = []
    bodies_of = implementation_bodies(items)
    for code in items:
        if bodies_of.get(code) not in bodies:
            raise OutsideTheList(f"实施清单“{code}”不属于任何检查部门", code="implementation_other_body",
                                 field="items")
        card = require_in_force(body_id=bodies_of[code], implementation_code=code, on=window_start, field="items")
        _require(card.in_random_checks, f"实施清单“{code}”未纳入双随机抽查", "item_not_in_random_checks", "items")
        contributed.add(card.body_id)
        ratios.append(parse_ratio(card.check_ratio))
    missing = [bodies[d].name for d in taking_part if d not in contributed]
    _require(not missing, f"联合抽查的每个部门都应有本部门的抽查事项：{'、'.join(missing)}", "department_without_item",
             "items")
    task = Task.objects.create(
        plan=plan, name=name.strip(), kind=kind, lead=plan.department, items=list(items), scope=scope or {},
        strata=clean_strata(strata or row_strata(ratios)), window_start=window_start, window_end=window_end,
        inspectors_per_department=inspectors_per_department, max_objects_per_inspector=max_objects_per_inspector,
        required_qualifications=sorted(required_qualifications or []), rotation_months=rotation_months)
    task.departments.set(taking_part)
    record(actor=actor, verb="spotchecks.task_created", target=task,
           data={"departments": taking_part, "items": list(items), "strata": task.strata})
    return task


@transaction.atomic
def task_publish(*, actor: User, task_id: int) -> Task:
    """公布: the task is public before the inspections (一公开)."""
    task = Task.objects.select_for_update().get(pk=task_id)
    _own(actor, task.lead_id)
    edge = workflow.TASKS.check("publish", workflow.Facts(task.status, actor, task.lead_id))
    task.status, task.published_at = edge.target, timezone.now()
    task.save()
    record(actor=actor, verb="spotchecks.task_published", target=task)
    return task


# Freezing the pools ----------------------------------------------------------------------------------------------

def _scope_prefix(region_code: str) -> str:
    """The region-code prefix of a jurisdiction: 421200 → 4212, 421202 → 421202, 421202001 → 421202001."""
    code = region_code
    while len(code) > 2 and code.endswith("00") and len(code) <= 6:
        code = code[:-2]
    return code


def pool_queryset(task: Task):
    """The objects the task draws from: entities in business, within the lead department's jurisdiction, narrowed
    by the task's scope (定向抽查) — regions, industries, entity types, licence types."""
    lead = task.lead
    entities = MarketEntity.objects.filter(status=EntityStatus.ACTIVE, region__path__startswith=lead.region.path)
    scope = task.scope or {}
    if task.kind == TaskKind.DIRECTED:
        if scope.get("regions"):
            regions = Q()
            for code in scope["regions"]:
                regions |= Q(region__code__startswith=_scope_prefix(code))
            entities = entities.filter(regions)
        if scope.get("industries"):
            entities = entities.filter(industry_id__in=scope["industries"])
        if scope.get("entity_types"):
            entities = entities.filter(entity_type__in=scope["entity_types"])
        if scope.get("licence_types"):
            entities = entities.filter(licences__licence_type__in=scope["licence_types"]).distinct()
    return entities


def freeze(task: Task, beacon: dict[str, Any]) -> dict[str, Any]:
    """The frozen inputs of a draw (protocol §Freeze): pools per stratum, regions, inspectors, excluded pairs."""
    strata = task.strata
    columns = ("uscc", "region_id") if "ALL" in strata else ("uscc", "region_id", "risk_class")
    sql, params = pool_queryset(task).order_by("uscc").values_list(*columns).query.sql_with_params()
    with connection.cursor() as cursor:  # a million rows (index `entity_pool`): read as plain tuples, in code order
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    pool: dict[str, list[str]] = {name: [] for name in strata}
    if "ALL" in strata:
        regions = dict(rows)
        pool["ALL"] = list(regions)
    else:
        rows = [row for row in rows if row[2] in strata]
        regions = dict(zip(map(itemgetter(0), rows), map(itemgetter(1), rows), strict=True))
        for uscc, _, risk in rows:
            pool[risk].append(uscc)
    for ids in pool.values():
        ids.sort()  # code-point order whatever the database's collation (already sorted: linear)
    if not any(pool.values()):
        raise ValidationFailed("抽查对象名录库中没有符合任务范围的对象", code="pool_empty", field="scope")
    departments = list(task.departments.order_by("pk"))
    inspectors = []
    credentials = OfficerCredential.objects.valid_between(task.window_start, task.window_end).filter(
        user__department__in=departments, user__is_active=True).order_by("user__username", "-valid_to")
    entries = {user_id: (areas, in_draws) for user_id, areas, in_draws in Inspector.objects.filter(
        user__department__in=departments).values_list("user_id", "areas", "in_draws")}
    seen = set()
    for user_id, username, department, region, qualifications, valid_from, valid_to in credentials.values_list(
            "user_id", "user__username", "user__department__uscc", "user__department__region_id", "qualifications",
            "valid_from", "valid_to"):  # thousands of officers: plain rows
        areas, in_draws = entries.get(user_id, ([], True))
        if username in seen or not in_draws:
            continue
        seen.add(username)
        inspectors.append({"id": username, "department": department,
                           "scope": sorted({_scope_prefix(area) for area in areas or [region]}),
                           "qualifications": sorted(qualifications), "valid_from": valid_from.isoformat(),
                           "valid_to": valid_to.isoformat()})
    excluded = _excluded_pairs(task, set(regions), seen)
    return {"task": {"id": str(task.pk), "departments": sorted(d.uscc for d in departments),
                     "window": [task.window_start.isoformat(), task.window_end.isoformat()],
                     "inspectors_per_department": task.inspectors_per_department,
                     "max_objects_per_inspector": task.max_objects_per_inspector,
                     "required_qualifications": sorted(task.required_qualifications)},
            "strata": strata, "pool": pool, "object_regions": regions, "inspectors": inspectors,
            "excluded_pairs": excluded, "beacon": beacon}


def _excluded_pairs(task: Task, objects: set[str], inspectors: set[str]) -> list[dict[str, str]]:
    """Declared avoidance, and rotation: who checked an object in a draw of the last `rotation_months` months."""
    pairs: dict[str, dict[str, str]] = {}  # object: {inspector: reason}; avoidance wins over rotation
    today = task.window_start
    avoidances = Avoidance.objects.filter(inspector__username__among=sorted(inspectors)).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)).values_list("entity__uscc", "inspector__username", "reason")
    for uscc, username, reason in avoidances:
        if uscc in objects:
            pairs.setdefault(uscc, {})[username] = f"avoidance: {reason}"
    since = today - dt.timedelta(days=round(task.rotation_months * 30.44))
    earlier = Draw.objects.filter(status=DrawStatus.DRAWN, task__window_end__gte=since,
                                  task__departments__in=task.departments.all()).exclude(task=task).distinct()
    for draw in earlier.only("result", "replacements", "task_id").order_by("pk"):  # a year of draws: tight loops
        reason = f"rotation: checked in draw {draw.pk} within {task.rotation_months} months"
        went = draw.result["assignments"]
        if draw.replacements:
            went = protocol.current_assignments({"result": draw.result, "replacements": draw.replacements})
        for uscc in objects.intersection(went):  # who went, after replacements
            entry = pairs.setdefault(uscc, {})
            for username in went[uscc]:
                if username in inspectors and username not in entry:
                    entry[username] = reason
    return [{"object": uscc, "inspector": username, "reason": reason}
            for uscc in sorted(pairs) for username, reason in sorted(pairs[uscc].items())]


# The inspector directory -----------------------------------------------------------------------------------------

@transaction.atomic
def avoidance_declare(*, actor: User, uscc: str, reason: str, ends_on: dt.date | None = None) -> Avoidance:
    """An officer declares a conflict with an entity (行政处罚法 第四十三条): the pair is excluded from every draw
    frozen afterwards."""
    _require(len(reason.strip()) >= 2, "缺少必填字段“回避事由”", "required", "reason")
    entity = require_entity(uscc)
    avoidance, _ = Avoidance.objects.update_or_create(inspector=actor, entity=entity,
                                                      defaults={"reason": reason.strip(), "ends_on": ends_on})
    record(actor=actor, verb="spotchecks.avoidance_declared", target=avoidance,
           data={"entity": entity.uscc, "reason": avoidance.reason, "ends_on": ends_on})
    return avoidance


@transaction.atomic
def inspector_set(*, actor: User, username: str, areas: list[str], in_draws: bool) -> Inspector:
    """A department administrator sets an officer's areas (片区) and whether the officer takes part in draws."""
    officer = User.objects.filter(username=username).first()
    if officer is None or officer.department_id != actor.department_id or not actor.has_role(Role.DEPARTMENT_ADMIN):
        raise AccessDenied("只能设置本部门的检查人员", code="not_own_department")
    known = set(Region.objects.filter(code__in=areas, path__startswith=actor.department.region.path).values_list(
        "code", flat=True))
    unknown = sorted(set(areas) - known)
    _require(not unknown, f"片区不在本部门辖区内：{'、'.join(unknown)}", "region_outside", "areas")
    entry, _ = Inspector.objects.update_or_create(user=officer, defaults={"areas": sorted(known),
                                                                          "in_draws": in_draws})
    record(actor=actor, verb="spotchecks.inspector_set", target=entry,
           data={"user": username, "areas": entry.areas, "in_draws": in_draws})
    return entry


@transaction.atomic
def expert_add(*, actor: User, name: str, organisation: str, specialties: list[str]) -> Expert:
    """Add an expert to the department's directory (a department administrator)."""
    if not actor.has_role(Role.DEPARTMENT_ADMIN):
        raise AccessDenied("只有部门管理员可以添加专家", code="not_department_admin")
    _require(bool(name.strip()), "缺少必填字段“姓名”", "required", "name")
    _require(bool(organisation.strip()), "缺少必填字段“工作单位”", "required", "organisation")
    expert = Expert.objects.create(department=actor.department, name=name.strip(), organisation=organisation.strip(),
                                   specialties=sorted({s.strip() for s in specialties if s.strip()}))
    record(actor=actor, verb="spotchecks.expert_added", target=expert,
           data={"name": expert.name, "specialties": expert.specialties})
    return expert


# Draws -----------------------------------------------------------------------------------------------------------

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
    pairs by the hashes the commitment holds for them, of the result the objects drawn. Written out of the stored
    input bytes, like `transcript_bytes`."""
    _drawn(draw)
    encoded = draw.encoded_inputs
    members = {field: encoded[field] for field in protocol.PUBLIC_INPUTS}
    members.update({f"{field}_hash": canonical_json_plain(hashlib.sha256(encoded[field]).hexdigest())
                    for field in protocol.WITHHELD_FIELDS})
    rest = _rest(draw)
    members.update({key: canonical_json_plain(rest[key])
                    for key in ("protocol", "draw_id", "commitment", "beacon_value", "seed")})
    members["form"] = canonical_json_plain(protocol.PUBLIC_FORM)
    members["result"] = canonical_json_plain({"selected": draw.result["selected"]})
    return protocol.encode_object(members)


@transaction.atomic
def draw_reveal(*, actor: Actor, draw_id: int, beacon_value: str, signature: str = "",
                now: dt.datetime | None = None) -> Draw:
    """Take the beacon's value (no earlier than its round could exist), derive the seed and draw: objects by
    stratum, inspectors per object; each drawn object gets its result record with the publication clock — here, or
    for a draw of more than JIANGUAN_DRAW_INLINE_RESULTS objects in a background task once this commits (ADR 0021)."""
    draw = Draw.objects.select_for_update().select_related("task").get(pk=draw_id)
    if draw.status != DrawStatus.COMMITTED:
        raise InvalidTransition("该抽取已完成或已作废", code="draw_not_committed")
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
    draw.status, draw.drawn_at = DrawStatus.DRAWN, now
    draw.transcript_hash = hashlib.sha256(transcript_bytes(draw)).hexdigest()
    draw.save(update_fields=["beacon_value", "seed", "result", "status", "drawn_at", "transcript_hash", "updated_at"])
    if sum(map(len, draw.result["selected"].values())) <= settings.JIANGUAN_DRAW_INLINE_RESULTS:
        _results_for(draw, document["object_regions"])
    else:  # tens of thousands of rows with their inspectors: written once the draw has committed
        from . import tasks  # tasks import the services: resolved at call time

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
    if draw.status != DrawStatus.DRAWN:
        raise InvalidTransition("只有已抽取的任务可以替换人员", code="draw_not_drawn")
    if draw.results_pending:
        raise InvalidTransition("检查记录正在生成，请稍后再替换人员", code="results_pending")
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
    if draw.status == DrawStatus.VOID or draw.void_requested_by_id:
        raise InvalidTransition("已申请作废", code="void_requested")
    _require(len(reason.strip()) >= 4, "作废必须写明理由", "reason_required", "reason")
    if draw.results.exclude(entered_at=None).exists():
        raise InvalidTransition("已有检查结果录入，不能作废", code="results_entered")
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
    if not draw.void_requested_by_id or draw.status == DrawStatus.VOID:
        raise InvalidTransition("没有待批准的作废申请", code="void_not_requested")
    refuse_same_person(draw.void_requested_by_id, actor)
    lead = draw.task.lead_id
    if not (is_head_of(actor, lead) or (getattr(actor, "is_person", False) and actor.department_id == lead
                                        and actor.has_role(Role.LEGAL_REVIEWER))):
        raise AccessDenied("作废须由牵头部门的负责人或法制审核人员另行批准", code="void_second_approver")
    draw.status, draw.void_approved_by, draw.voided_at = DrawStatus.VOID, actor, timezone.now()
    draw.save(update_fields=["status", "void_approved_by", "voided_at", "updated_at"])
    draw.results.all().delete()
    Task.objects.filter(pk=draw.task_id).update(status=TaskStatus.PUBLISHED)
    record(actor=actor, verb="spotchecks.draw_voided", target=draw,
           data={"reason": draw.void_reason, "requested_by": draw.void_requested_by_id})
    return draw


# Results ---------------------------------------------------------------------------------------------------------

def _codes(codes: list[str]) -> list[str]:
    _require(bool(codes), "至少选择一项检查结果", "required", "codes")
    unknown = set(codes) - set(ResultCode.values)
    _require(not unknown, f"检查结果代码不存在：{'、'.join(sorted(unknown))}", "choice_invalid", "codes")
    _require(ResultCode.NO_PROBLEM not in codes or len(set(codes)) == 1, "“未发现问题”不能与其他结果同时选择",
             "codes_conflict", "codes")
    chosen = set(codes)
    if chosen & PENDING_SUBCODES:
        chosen.add(ResultCode.PENDING)
    _require(ResultCode.PENDING not in chosen or bool(chosen & PENDING_SUBCODES),
             "“发现问题待后续处理”须注明违反的规定类别（2、3、4、5 或 G）", "codes_subcode_required", "codes")
    return sorted(chosen, key=ResultCode.values.index)


@transaction.atomic
def result_enter(*, actor: User, result_id: int, codes: list[str], checked_on: dt.date, problems: str = "",
                 evidence: str = "", follow_up: str = "") -> CheckResult:
    """谁检查、谁录入: only an inspector assigned to the object enters its result. It is stored as the 行政检查
    record of each item of the inspector's department (citing its implementation row), and sets the 经营异常名录
    clock where the result requires it."""
    check = CheckResult.objects.select_for_update().select_related("draw__task", "entity").get(pk=result_id)
    task = check.draw.task
    if not check.inspectors.filter(pk=actor.pk).exists():
        raise AccessDenied("只有抽中的检查人员可以录入本户检查结果", code="result_not_assigned")
    if check.entered_at:
        raise InvalidTransition("检查结果已录入", code="result_entered")
    clean = _codes(codes)
    _require(task.window_start <= checked_on <= min(task.window_end, timezone.localdate()),
             "检查日期应在任务检查期间内且不晚于今天", "date_out_of_window", "checked_on")
    colleagues = _visit_officers(check, actor)
    credentials = [c.credentials.filter(revoked_at=None).order_by("-valid_to").first() for c in colleagues]
    check.codes = clean
    bodies_of = implementation_bodies(task.items)
    on_site = _on_site_records(check, actor)
    numbers = []
    for index, code in enumerate(c for c in task.items if bodies_of.get(c) == actor.department_id):
        if code in on_site:
            numbers.append(on_site[code])
            continue
        number = f"{check.draw.number}-{check.pk}-{index + 1}"
        behaviour.inspection_record(
            actor=actor, department=actor.department, implementation_code=code, number=number,
            name=f"双随机抽查：{task.name}", date=checked_on, form="双随机抽查", category="1",
            result=check.result_labels,
            inspectors=[u.full_name for u in colleagues],
            credential_numbers=[c.number if c else "" for c in credentials], spot_check_plan=str(task.pk),
            party={"entity_code": check.entity.uscc})
        numbers.append(number)
    check.problems, check.evidence, check.follow_up = problems, evidence, follow_up
    check.checked_on, check.entered_by, check.entered_at = checked_on, actor, timezone.now()
    check.inspection_numbers = numbers
    if ABNORMAL_CODES & set(clean):
        check.abnormal_due = add_working_days(checked_on, ABNORMAL_WORKING_DAYS)
    check.save()
    record(actor=actor, verb="spotchecks.result_entered", target=check,
           data={"codes": clean, "inspections": numbers, "abnormal_due": check.abnormal_due})
    return check


def _on_site_records(check: CheckResult, actor: User) -> dict[str, str]:
    """{task item: 行政检查 number} of the items the actor's department checked on site (result_inspect): the result
    takes those numbers and writes no second record. A draft still open would write its own record when submitted,
    a second one for the same item, so it must be submitted first."""
    mine = [i for i in inspections.for_origin(origin_kind="spot_check", origin_ref=_origin(check))
            if i.department_id == actor.department_id]
    if any(not i.number for i in mine):
        raise InvalidTransition("本户的现场检查记录尚未提交：请先在“我的任务”中提交现场检查，再录入检查结果",
                                code="onsite_not_submitted")
    return {i.implementation_code: i.number for i in mine}


def _visit_officers(check: CheckResult, actor: User) -> list[User]:
    """The officers who visit a drawn object: on a joint task the inspectors of every department drawn for it, the
    actor's department first — two officers in total, not two per department (行政处罚法 第四十二条)."""
    return sorted(check.inspectors.all(), key=lambda u: (u.department_id != actor.department_id, u.username))


def _origin(check: CheckResult) -> str:
    return f"{check.draw.task_id}/{check.pk}"


@transaction.atomic
def result_inspect(*, actor: User, result_id: int) -> list:
    """现场检查 of a drawn object: for each task item of the inspector's department, the draft 行政检查 (checklist,
    on-site record, photos, signature) of the inspectors drawn from that department, started on the phone page;
    asking again answers the drafts already made. Only an inspector assigned to the object starts it."""
    check = CheckResult.objects.select_related("draw__task", "entity").get(pk=result_id)
    if not check.inspectors.filter(pk=actor.pk).exists():
        raise AccessDenied("只有抽中的检查人员可以开始现场检查", code="result_not_assigned")
    if check.entered_at:
        raise InvalidTransition("检查结果已录入", code="result_entered")
    task = check.draw.task
    bodies_of = implementation_bodies(task.items)
    visitors = _visit_officers(check, actor)
    officers = [u.username for u in visitors]
    partners = {u.department_id for u in visitors} - {actor.department_id}
    return [inspections.assign(actor=actor, origin_kind="spot_check", origin_ref=_origin(check),
                               department=actor.department, implementation_code=code,
                               party={"kind": "entity", "uscc": check.entity.uscc}, officers=officers,
                               joint_with=partners)
            for code in task.items if bodies_of.get(code) == actor.department_id]


def result_to_clue(*, actor: User, result_id: int):
    """One step from a result with problems to a penalty case's clue (案件来源：监督检查)."""
    check = CheckResult.objects.select_related("draw__task", "entity").get(pk=result_id)
    if not check.inspectors.filter(pk=actor.pk).exists() and actor.department_id != check.draw.task.lead_id:
        raise NotFound()
    if not check.entered_at or not check.has_problem:
        raise InvalidTransition("只有发现问题的检查结果可以转为案件线索", code="result_without_problem")
    return enforcement.clue_from_inspection(actor=actor, inspection_number=check.inspection_numbers[0],
                                            summary=check.problems or check.result_labels)


@transaction.atomic
def result_list_abnormal(*, actor: User, result_id: int):
    """列入经营异常名录 where the result requires it (unreachable at the registered address, or false public
    information; 企业信息公示暂行条例 第十七条), as a credit record of the lead department, within 10 working days."""
    check = CheckResult.objects.select_for_update().select_related("draw__task__lead", "entity").get(pk=result_id)
    _own(actor, check.draw.task.lead_id)
    if not check.abnormal_due:
        raise InvalidTransition("该检查结果不需要列入经营异常名录", code="abnormal_not_required")
    if check.abnormal_listed_at:
        raise InvalidTransition("已列入经营异常名录", code="abnormal_listed")
    reasons = "；".join(str(ResultCode(code).label) for code in check.codes if code in ABNORMAL_CODES)
    batch = credit.credit_import_json(actor=actor, kind=CreditKind.ABNORMAL, source="双随机抽查", records=[{
        "uscc": check.entity.uscc, "date": timezone.localdate().isoformat(), "title": reasons,
        "source_ref": check.inspection_numbers[0], "authority": check.draw.task.lead.name,
        "detail": f"{check.draw.task.name}（{check.draw.number}）"}])
    check.abnormal_listed_at = timezone.now()
    check.save(update_fields=["abnormal_listed_at", "updated_at"])
    record(actor=actor, verb="spotchecks.abnormal_listed", target=check, data={"credit_import": batch.pk})
    return check


@transaction.atomic
def results_publish(*, actor: User, task_id: int) -> int:
    """公示: the entered results of the task become public (entity, code, items, result, date, department)."""
    task = Task.objects.get(pk=task_id)
    _own(actor, task.lead_id)
    count = CheckResult.objects.filter(draw__task=task, draw__status=DrawStatus.DRAWN, published_at=None).exclude(
        entered_at=None).update(published_at=timezone.now())
    record(actor=actor, verb="spotchecks.results_published", target=task, data={"count": count})
    return count
