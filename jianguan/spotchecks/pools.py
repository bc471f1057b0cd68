"""Freezing the pools of a draw (protocol `jianguan-draw-v1`, §Freeze): the objects in scope per stratum, the
inspectors, and the pairs excluded by declared avoidance (行政处罚法 第四十三条) or rotation.
"""

from __future__ import annotations

import datetime as dt
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import Q

from jianguan.accounts.models import OfficerCredential
from jianguan.complaints import contracts as complaints
from jianguan.core.errors import ValidationFailed
from jianguan.credit import contracts as credit
from jianguan.enforcement import contracts as enforcement
from jianguan.risk import contracts as risk
from jianguan.subjects.models import EntityStatus, MarketEntity

from . import protocol
from .models import Avoidance, Draw, DrawStatus, Inspector, Task, TaskKind
from .policy import CONTROL, policy_in_force


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


def _pointed(since: dt.date) -> set[int]:
    """The entities a complaint, a risk alert or a transfer received since `since` points at ("无事不扰")."""
    return (complaints.entities_complained_about(since=since) | risk.entities_alerted(since=since)
            | enforcement.entities_transferred(since=since))


def stratified(task: Task) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The pool per stratum (codes in code-point order) and each object's region. Class strata take each entity's
    class in the classification in force (`credit.contracts`, the entity's recorded class where the run did not
    classify it); where the task has a control stratum AC, of class A only the entities something points at are in
    stratum A and the others in AC (差异化监管 policy, ADR 0042)."""
    strata = task.strata
    by_class = "ALL" not in strata
    columns = ("uscc", "region_id", "id", "risk_class") if by_class else ("uscc", "region_id")
    sql, params = pool_queryset(task).order_by("uscc").values_list(*columns).query.sql_with_params()
    with connection.cursor() as cursor:  # a million rows (index `entity_pool`): read as plain tuples, in code order
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    pool: dict[str, list[str]] = {name: [] for name in strata}
    if not by_class:
        regions = dict(rows)
        pool["ALL"] = list(regions)
    else:
        letters = credit.class_letters(map(itemgetter(2), rows))
        pointed = _pointed(task.window_start - dt.timedelta(days=policy_in_force(task.window_start).lookback_days))
        regions = {}
        for uscc, region, entity, recorded in rows:
            name = letters.get(entity, recorded)
            if name == "A" and CONTROL in pool and entity not in pointed:
                name = CONTROL
            if name in pool:
                pool[name].append(uscc)
                regions[uscc] = region
    for ids in pool.values():
        ids.sort()  # code-point order whatever the database's collation (already sorted: linear)
    return pool, regions


def preview(task: Task) -> list[dict[str, Any]]:
    """Before the draw: per stratum its pool size, the number to draw and each member's inclusion probability
    n/N (protocol §Counts), as the draw will compute them from the pool frozen now."""
    if "ALL" in task.strata:  # no class to split by: the pool's size is a count
        sizes = {"ALL": pool_queryset(task).count()}
    else:
        sizes = {name: len(ids) for name, ids in stratified(task)[0].items()}
    pool = {name: range(size) for name, size in sizes.items()}
    drawn = protocol.counts(task.strata, pool) if any(sizes.values()) else dict.fromkeys(sizes, 0)
    return [{"stratum": name, "rule": task.strata[name], "size": size, "drawn": drawn[name],
             "probability": drawn[name] / size if size else None} for name, size in sizes.items()]


def freeze(task: Task, beacon: dict[str, Any]) -> dict[str, Any]:
    """The frozen inputs of a draw (protocol §Freeze): pools per stratum, regions, inspectors, excluded pairs."""
    strata = task.strata
    pool, regions = stratified(task)
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
