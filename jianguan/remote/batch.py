"""The HTTP batch: readings from analysis services and other systems, checked whole and stored whole or refused
whole with every problem by item and field (`POST /api/v1/remote/readings`).

Each item names its point (`point`, the point's code), the factor (`code`), the time (`at`, ISO 8601 with a zone),
the value, and optionally the period, the device's flag and the unit. A point outside the sender's scope is
refused as unknown. The items of one point form one delivery kept as received; a refused batch keeps its
deliveries (status refused) and stores no reading.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.errors import ValidationFailed

from . import alarms, intake
from .models import MonitoredPoint, Receipt, ReceiptStatus
from .wire import Delivery, Outcome, ReadingIn

TEXT = {"point": "监测点编码", "code": "因子编码", "period": "数据类型", "flag": "数据标记", "unit": "单位"}
KNOWN = {*TEXT, "at", "value"}


class ItemInvalid(Exception):
    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field, self.code, self.message = field, code, message


def _value(raw: Any) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ItemInvalid("value", "not_number", "数值应为数字或数字字符串")
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise ItemInvalid("value", "not_number", "数值应为数字或数字字符串") from None
    if not value.is_finite():
        raise ItemInvalid("value", "not_number", "数值应为有限的数字")
    return value


def _time(raw: Any) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ItemInvalid("at", "not_time", "数据时间应为带时区的 ISO 8601 时间，如 2026-12-01T10:00:00+08:00")
    return moment


def parse_item(item: Any) -> tuple[str, ReadingIn]:
    """(point code, reading) of one item; `ItemInvalid` naming the field and the rule."""
    if not isinstance(item, dict):
        raise ItemInvalid("", "not_object", "每条数据应为一个 JSON 对象")
    for name in item:
        if name not in KNOWN:
            raise ItemInvalid(name, "field_unknown", f"不允许的字段“{name}”")
    for name, label in TEXT.items():
        if name in item and not isinstance(item[name], str):
            raise ItemInvalid(name, "not_text", f"{label}应为字符串")
    for name in ("point", "code", "at"):
        if not item.get(name):
            raise ItemInvalid(name, "required", f"缺少必填字段“{name}”")
    reading = ReadingIn(code=item["code"], at=_time(item["at"]), value=_value(item.get("value")),
                        period=item.get("period", "rtd"), flag=item.get("flag", "N"), unit=item.get("unit", ""))
    return item["point"], reading


@dataclass
class Batch:
    deliveries: list[Delivery]
    problems: list[dict[str, Any]]
    indexes: dict[str, list[int]]  # {point code: the batch index of each reading of its delivery}


def _deliveries(sender: Any, items: list[Any]) -> Batch:
    groups: dict[str, list[tuple[int, ReadingIn, Any]]] = {}
    problems: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        try:
            code, reading = parse_item(item)
        except ItemInvalid as bad:
            problems.append({"index": index, "field": bad.field, "code": bad.code, "message": bad.message})
            continue
        groups.setdefault(code, []).append((index, reading, item))
    visible = set(MonitoredPoint.objects.visible_to(sender).filter(code__in=list(groups))
                  .values_list("code", flat=True))
    deliveries, indexes = [], {}
    for code, rows in groups.items():
        if code not in visible:
            problems += [{"index": i, "field": "point", "code": "device_unknown",
                          "message": f"监测点“{code}”未登记或不在报送方的辖区"} for i, _, _ in rows]
            continue
        raw = json.dumps([item for _, _, item in rows], ensure_ascii=False).encode()
        deliveries.append(Delivery(channel="http", device=code, readings=tuple(r for _, r, _ in rows), raw=raw))
        indexes[code] = [i for i, _, _ in rows]
    return Batch(deliveries, problems, indexes)


def readings_receive(*, actor: Actor, sender: Any, items: list[Any]) -> list[Outcome]:
    """Check the batch whole; store it whole, or keep its deliveries as refused and raise with every problem."""
    limit = settings.JIANGUAN_REMOTE_BATCH_MAX
    if not items or len(items) > limit:
        raise ValidationFailed(f"一批应有 1 至 {limit} 条数据", code="batch_size", field="items")
    batch = _deliveries(sender, items)
    checked = list(zip(batch.deliveries, intake.check_many(batch.deliveries, authenticated=True), strict=True))
    for delivery, result in checked:
        batch.problems += [{"index": batch.indexes[delivery.device][r.index or 0], "field": "readings", "code": r.code,
                            "message": r.message} for r in result.refused]
    if batch.problems:
        _keep_refused(checked)
        raise ValidationFailed(f"本批数据有 {len(batch.problems)} 处问题，均未入库", code="batch_refused",
                               field="items", extra={"problems": sorted(batch.problems, key=lambda p: p["index"])})
    with transaction.atomic():
        stored, fresh = intake.store_many(checked)
        outcomes = [outcome for _, outcome in stored]
        record(actor=actor, verb="remote.readings_received", data={
            "points": [d.device for d in batch.deliveries], "accepted": sum(o.accepted for o in outcomes),
            "duplicates": sum(o.duplicates for o in outcomes)})
    alarms.evaluate_touched(fresh)
    return outcomes


def _keep_refused(checked: list[tuple[Delivery, intake.Checked]]) -> None:
    with transaction.atomic():
        Receipt.objects.bulk_create([intake.receipt_of(delivery, result.point, ReceiptStatus.REFUSED, result.refused)
                                     for delivery, result in checked])
