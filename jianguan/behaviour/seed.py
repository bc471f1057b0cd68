"""Demo behaviour records: a few years of inspections of the entities by their county's (or the city's)
市场监管局, each under an implementation row of that body in force on the day, and the penalties, coercive
measures and other acts that followed some of them. Rows are generated and streamed in bulk; one audit event
per kind records the load."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.audit.contracts import record
from jianguan.catalog.models import CatalogVersion, ImplementationVersion
from jianguan.core.bulk import bulk_insert
from jianguan.core.registry import SeedStep
from jianguan.core.seeding import SeedContext
from jianguan.subjects.contracts import entity_rows
from jianguan.subjects.models import EntityType

from .models import Coercion, Inspection, OtherAction, Penalty

INSPECTIONS_PER_ENTITY = {"test": 0, "demo": 3, "city": 6, "bench": 6}
RESULTS = [("未发现问题", 70), ("发现问题已责令整改", 20), ("发现问题待进一步处理", 5), ("未按规定公示有关信息", 3),
           ("通过登记的住所或者经营场所无法联系", 2)]
FIRST_DAY = dt.date(2024, 1, 2)
CITY_SHARE = 0.15  # of an entity's inspections made by the city's bureau rather than its county's
FOLLOW_UP_SHARE = 0.4  # of the inspections that found a problem, followed by a penalty, coercion or other act
INSPECTORS = json.dumps(["检查员甲", "检查员乙"], ensure_ascii=False)
SHARED = ("record_id", "number", "name", "department_id", "catalog_code", "object_type", "object_name", "entity_id",
          "party_name", "party_nature", "party_id_type", "party_code", "registered_address", "business_address",
          "region_id", "date", "reported_at", "reported_by", "source", "created_at", "updated_at")
INSPECTION_COLUMNS = (*SHARED, "implementation_code", "spot_check_plan", "form", "category", "method", "result",
                      "inspectors", "credential_numbers")


def _usable_rows(day_from: dt.date, day_to: dt.date) -> dict[int, list[tuple[str, str]]]:
    """Per 市场监管 department: its check implementation rows in force on both days (so on every day between)."""
    def in_force(day: dt.date) -> set[tuple[str, str, int]]:
        live_items = set(CatalogVersion.objects.in_force(day).values_list("item_id", flat=True))
        return {(code, item_code, body) for code, item_id, item_code, body in ImplementationVersion.objects.in_force(
            day).filter(implementation__body__kind=DepartmentKind.SCJG).values_list(
            "implementation__code", "implementation__item_id", "implementation__item__code",
            "implementation__body_id") if item_id in live_items}

    usable: dict[int, list[tuple[str, str]]] = {}
    for code, item_code, body in sorted(in_force(day_from) & in_force(day_to)):
        usable.setdefault(body, []).append((code, item_code))
    return usable


def _items_of(action_type: str, day: dt.date) -> list[str]:
    return sorted(CatalogVersion.objects.in_force(day).filter(item__line=DepartmentKind.SCJG, is_sub_item=True,
                                                              action_type=action_type).values_list("code", flat=True))


def seed_behaviour(ctx: SeedContext) -> None:
    per_entity = INSPECTIONS_PER_ENTITY[ctx.scale]
    today = timezone.localdate()
    usable = _usable_rows(FIRST_DAY, today)
    if not per_entity or not usable:
        return  # no catalog claims to rest on (the test scale builds its own)
    rng = ctx.rng("behaviour")
    departments = {(d.region_id, d.kind): d for d in Department.objects.filter(kind=DepartmentKind.SCJG)}
    city = departments[(settings.JIANGUAN_LOCALITY, DepartmentKind.SCJG)]
    penalty_items, coercion_items = _items_of("penalty", today), _items_of("coercion", today)
    other_items = _items_of("other", today) or _items_of("check", today)
    results, weights = zip(*RESULTS, strict=True)
    span = (today - FIRST_DAY).days
    now = timezone.now()
    entities = entity_rows(ctx)
    follow_ups: list[tuple[Any, ...]] = []

    serial = itertools.count(1)
    stamp = int(now.timestamp() * 1000) << 80  # UUIDv7's layout: ids in insertion order keep the index appending

    def shared(entity: tuple[Any, ...], department: Department, catalog_code: str, number: str, name: str,
               day: dt.date) -> tuple[Any, ...]:
        entity_id, uscc, ename, etype, region, _, address, *_ = entity
        nature = "individual" if etype == EntityType.INDIVIDUAL else "organisation"
        reported = dt.datetime.combine(day + dt.timedelta(days=3), dt.time(10), tzinfo=dt.UTC)
        record_id = str(uuid.UUID(int=stamp | 0x7 << 76 | 0x2 << 62 | next(serial)))
        return (record_id, number, name, department.pk, catalog_code, "entity", ename, entity_id, ename, nature,
                "001", uscc, address, "", region, day, reported, "", "seed", now, now)

    def inspections() -> Iterator[tuple[Any, ...]]:
        sequence = 0
        for entity in entities:
            county = entity[5]
            for _ in range(rng.randint(0, 2 * per_entity)):
                department = city if rng.random() < CITY_SHARE else departments.get((county, DepartmentKind.SCJG), city)
                rows = usable.get(department.pk) or usable[city.pk]
                if department.pk not in usable:
                    department = city
                code, item_code = rows[rng.randrange(len(rows))]
                start = max(FIRST_DAY, entity[8])  # never before the entity was established
                if start >= today:
                    break
                day = start + dt.timedelta(days=rng.randrange(min(span, (today - start).days)))
                sequence += 1
                number = f"JC{day:%Y}{sequence:09d}"
                result = rng.choices(results, weights=weights)[0]
                if result != "未发现问题" and rng.random() < FOLLOW_UP_SHARE:
                    follow_ups.append((entity, department, number, day))
                yield (*shared(entity, department, item_code, number, "日常监督检查", day), code, "", "日常检查", "1",
                       "现场检查", result, INSPECTORS, "[]")

    with transaction.atomic():
        total = len(entities) * per_entity
        inserted = bulk_insert(Inspection, INSPECTION_COLUMNS,
                               ctx.progress(inspections(), total=total, desc="行政检查"))
        counts = {"inspections": inserted}
        counts.update(_follow_ups(ctx, rng, follow_ups, shared, penalty_items, coercion_items, other_items, today))
        record(actor=ctx.actor, verb="behaviour.records_seeded", data=counts)
    ctx.say("  监管行为：" + "，".join(f"{k} {v:,}" for k, v in counts.items()))


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    if rows:
        columns = tuple(rows[0])
        bulk_insert(model, columns, (tuple(row[c] for c in columns) for row in rows))


def _follow_ups(ctx: SeedContext, rng: random.Random, follow_ups: list[tuple[Any, ...]],
                shared: Callable[..., tuple[Any, ...]], penalty_items: list[str], coercion_items: list[str],
                other_items: list[str], today: dt.date) -> dict[str, int]:
    penalties: list[dict[str, Any]] = []
    coercions: list[dict[str, Any]] = []
    others: list[dict[str, Any]] = []
    decisions: Counter[tuple[str, str, int]] = Counter()

    def decision_number(office: str, kind: str, day: dt.date) -> str:
        decisions[office, kind, day.year] += 1
        return f"{office}{kind}〔{day:%Y}〕{decisions[office, kind, day.year]}号"

    for index, (entity, department, inspection_number, day) in enumerate(follow_ups):
        roll = rng.random()
        decided = min(today, day + dt.timedelta(days=rng.randint(10, 80)))
        office = department.short_name[:4]
        if roll < 0.7 and penalty_items:
            fine = rng.choice([None, 500, 1000, 2000, 5000, 10000, 30000])
            kinds = ["01"] if fine is None else ["02"] if rng.random() < 0.7 else ["02", "03"]
            base = shared(entity, department, rng.choice(penalty_items), f"CF{decided:%Y}{index:08d}", "违法行为处罚案",
                          decided)
            penalties.append({**dict(zip(SHARED, base, strict=True)), "case_source": "监督检查",
                              "inspection_number": inspection_number, "facts": "经查，当事人存在违法行为",
                              "basis": "依据相关法律法规", "procedure": "02", "hearing": False,
                              "filed_on": day + dt.timedelta(days=2), "criminal": False, "major": False,
                              "legal_review": False, "legal_review_opinion": "", "collective": False,
                              "collective_conclusion": "",
                              "decision_number": decision_number(office, "市监处罚", decided),
                              "penalty_kinds": json.dumps(kinds), "fine": fine,
                              "result": "警告" if fine is None else f"罚款{fine}元", "reconsideration": "",
                              "litigation": "", "execution_method": "", "execution_result": "", "no_penalty": False,
                              "other_handling": "", "closed_on": decided if rng.random() < 0.8 else None})
        elif roll < 0.8 and coercion_items:
            base = shared(entity, department, rng.choice(coercion_items), f"QZ{day:%Y}{index:08d}", "查封扣押", day)
            coercions.append({**dict(zip(SHARED, base, strict=True)), "inspection_number": inspection_number,
                              "facts": "涉嫌违法的物品", "basis": "依据相关法律法规",
                              "decision_number": decision_number(office, "市监强制", day), "kind": "measure",
                              "measure_type": "扣押", "enforcement_type": "", "result": "", "extension": "",
                              "starts_on": day, "ends_on": min(today, day + dt.timedelta(days=rng.randint(5, 30)))})
        elif other_items:
            base = shared(entity, department, rng.choice(other_items), f"QT{day:%Y}{index:08d}", "行政约谈", day)
            others.append({**dict(zip(SHARED, base, strict=True)), "inspection_number": inspection_number,
                           "matter_source": "监督检查", "measure": "行政约谈", "conclusion": "已整改",
                           "starts_on": day, "ends_on": day})
    _insert(Penalty, penalties)
    _insert(Coercion, coercions)
    _insert(OtherAction, others)
    # For the credit seed: the decisions to publish (双公示).
    ctx.shared["penalties"] = [(p["entity_id"], p["region_id"], p["date"], p["decision_number"], p["result"],
                                p["department_id"]) for p in penalties]
    return {"penalties": len(penalties), "coercions": len(coercions), "others": len(others)}


STEPS = [SeedStep("监管行为", 70, seed_behaviour)]
