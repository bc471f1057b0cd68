"""Scoring schemes as data (`schemes/*.json`): checked whole before one is stored, each version stored once.

A scheme names its version, title, the day it takes effect, its full marks (`total`) and the measures it weighs,
each a measure some app registers (`core.registry.evaluation_measures`) with a positive weight; the weights add up
to the declared total. The scheme in force for a month is the one with the latest effective day on or before the
month's first day."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.errors import ValidationFailed
from jianguan.core.registry import evaluation_measures

from .models import Scheme

SCHEMES = Path(__file__).with_name("schemes")
FIELDS = {"version", "title", "effective_from", "total", "weights", "note"}


def _refuse(message: str, code: str, field: str) -> ValidationFailed:
    return ValidationFailed(f"考核方案：{message}", code=code, field=field)


def checked(data: Any) -> dict[str, Any]:
    """The scheme's data, checked (ValidationFailed naming the field and the rule)."""
    if not isinstance(data, dict):
        raise _refuse("应为一个 JSON 对象", "scheme_invalid", "scheme")
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise _refuse(f"未知字段 {'、'.join(unknown)}（可用：{'、'.join(sorted(FIELDS))}）", "scheme_unknown_field",
                      unknown[0])
    for name in ("version", "title"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise _refuse(f"缺少 {name}", "required", name)
    try:
        effective = dt.date.fromisoformat(str(data.get("effective_from")))
    except ValueError:
        raise _refuse("施行日期应为 YYYY-MM-DD", "date_invalid", "effective_from") from None
    total = data.get("total")
    if isinstance(total, bool) or not isinstance(total, int) or not 0 < total <= 1000:
        raise _refuse("满分应为 1 至 1000 的整数", "total_invalid", "total")
    weights = data.get("weights")
    if not isinstance(weights, list) or not weights:
        raise _refuse("weights 应为非空列表", "weights_invalid", "weights")
    known = evaluation_measures()
    seen: list[str] = []
    for row in weights:
        code = row.get("measure") if isinstance(row, dict) else None
        weight = row.get("weight") if isinstance(row, dict) else None
        if code not in known:
            raise _refuse(f"没有名为 {code} 的考核指标（可用：{'、'.join(sorted(known))}）", "measure_unknown",
                          "weights")
        if code in seen:
            raise _refuse(f"指标 {code} 重复", "measure_repeated", "weights")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
            raise _refuse(f"指标 {code} 的权重应为正数", "weight_invalid", "weights")
        seen.append(code)
    added = sum(row["weight"] for row in weights)
    if abs(added - total) > 1e-9:
        raise _refuse(f"各指标权重之和为 {added:g}，与声明的满分 {total} 不符", "weights_sum_mismatch", "weights")
    return {**data, "effective_from": effective}


def _digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


@transaction.atomic
def scheme_store(*, data: Any, actor: Actor) -> tuple[Scheme, bool]:
    """Store a checked scheme unless its version is stored; (scheme, stored now). The same version with other
    content is refused (`scheme_version_changed`): a version, once used, is never rewritten."""
    clean = checked(data)
    digest = _digest(clean)
    found = Scheme.objects.filter(version=clean["version"]).first()
    if found is not None:
        if found.digest != digest:
            raise _refuse(f"版本 {clean['version']} 已载入且内容不同；修改方案请使用新的版本号",
                          "scheme_version_changed", "version")
        return found, False
    scheme = Scheme.objects.create(version=clean["version"], title=clean["title"],
                                   effective_from=clean["effective_from"], total=clean["total"],
                                   weights=clean["weights"], digest=digest)
    record(actor=actor, verb="evaluation.scheme_loaded", target=scheme, data={"version": scheme.version})
    return scheme, True


def schemes_load(*, actor: Actor, folder: Path = SCHEMES) -> int:
    """Every scheme file of `folder` stored (each checked whole); how many were new."""
    return sum(scheme_store(data=json.loads(path.read_text("utf-8")), actor=actor)[1]
               for path in sorted(folder.glob("*.json")))


def scheme_for(month_first: dt.date) -> Scheme:
    found = Scheme.objects.filter(effective_from__lte=month_first).order_by("-effective_from", "-pk").first()
    if found is None:
        raise ValidationFailed("该月没有施行中的考核方案", code="scheme_missing", field="month")
    return found
