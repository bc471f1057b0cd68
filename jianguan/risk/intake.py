"""Monitoring data in: a batch of observations checked whole, then stored whole or not at all.

Each item is one ad, web page or listing for one model: the envelope (`id`, the sender's own id; `model`; `kind`;
`captured_at`; `snapshot_hash`; `url`, `channel`, `entity`, `region` where known) and the model's input fields
(`definitions/<model>.json`, checked by the model as the scan command checks a line). An item is identified by its
sender and its id: the same item again is a repeat (accepted, nothing stored), a different item under an id already
used is refused 409 naming the id. Every problem of a batch is reported, by item and field; nothing of a refused
batch is stored (risk-models.md §1; issue 16, "Bad input").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from jianguan.accounts.models import Department, Region
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor, actor_ref
from jianguan.core.errors import DomainError, InvalidTransition, ValidationFailed
from jianguan.risk import engine, tasks
from jianguan.risk.inputs import Field, InputInvalid

from .models import Observation, ObservationKind

MAX_BATCH = 500
MAX_URL = 2000
KINDS = {"medical_ad": ("ad", "web"), "fundraising": ("ad", "web"), "drug_sales": ("listing",),
         "rx_sales": ("listing",), "device_sales": ("listing",)}
ENVELOPE = {"model": Field("model", "short", True, "模型"), "kind": Field("kind", "short", True, "类型"),
            "captured_at": Field("captured_at", "time", True, "采集时间"),
            "snapshot_hash": Field("snapshot_hash", "short", True, "快照摘要"),
            "url": Field("url", "short", False, "网址"), "channel": Field("channel", "short", False, "渠道"),
            "entity": Field("entity", "short", False, "统一社会信用代码"),
            "region": Field("region", "short", False, "所在区划")}
COLUMNS = ("text", "channel", "advertiser", "review_number", "seller", "platform", "product_name",
           "registration_number", "device_class", "prescription_step", "prescription_id", "prescription_time",
           "order_time", "quantity", "prescribed_quantity")


@dataclass
class Received:
    """What a batch came to: the observations stored and the ids that were repeats."""

    stored: list[Observation] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)


def _envelope(item: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, spec in ENVELOPE.items():
        value = item.get(name)
        if value is None or value == "":
            if spec.required:
                raise InputInvalid(f"缺少必填字段{spec.label}", code="required", field=name)
            continue
        if spec.type == "time":
            values[name] = _time(value)
        elif not isinstance(value, str):
            raise InputInvalid(f"{spec.label}应为字符串", code="not_text", field=name)
        else:
            values[name] = value.strip()
    if values["model"] not in KINDS:
        raise InputInvalid(f"未知的模型（可用：{'、'.join(KINDS)}）", code="model_unknown", field="model")
    if values["kind"] not in KINDS[values["model"]]:
        allowed = "、".join(KINDS[values["model"]])
        raise InputInvalid(f"模型 {values['model']} 的监测数据类型应为 {allowed}", code="kind_unknown", field="kind")
    if len(values.get("url", "")) > MAX_URL:
        raise InputInvalid(f"网址不得超过 {MAX_URL} 个字符", code="too_long", field="url")
    if len(values["snapshot_hash"]) > 64:
        raise InputInvalid("快照摘要不得超过 64 个字符", code="too_long", field="snapshot_hash")
    return values


def _time(value: Any) -> dt.datetime:
    moment = None
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            moment = None
    if moment is None or moment.tzinfo is None:
        raise InputInvalid("采集时间应为带时区的 ISO 8601 时间，如 2026-12-01T10:00:00+08:00", code="not_time",
                           field="captured_at")
    return moment


def _region(code: str | None, department: Department, regions: dict[str, Region | None]) -> Region:
    if not code:
        return department.region
    if code not in regions:
        regions[code] = Region.objects.filter(code=code).first()
    region = regions[code]
    if region is None:
        raise InputInvalid(f"行政区划代码“{code}”不存在", code="region_unknown", field="region")
    return region


def check_item(item: Any, department: Department, regions: dict[str, Region | None] | None = None) -> dict[str, Any]:
    """One item as the columns of its observation; `InputInvalid` naming the field and the rule it breaks.
    `regions` keeps the region codes looked up for the items of one batch or file."""
    if not isinstance(item, dict):
        raise InputInvalid("每条监测数据应为一个 JSON 对象", code="not_object")
    own = {name: item[name] for name in item if name not in ENVELOPE}
    envelope = _envelope(item)
    chosen = engine.model(envelope["model"])
    if "channel" in chosen.fields and "channel" in item:
        own["channel"] = item["channel"]  # part of the envelope, and an input of the models that judge it
    fields = chosen.check(own)
    if envelope["kind"] == ObservationKind.LISTING and not fields.get("seller"):  # an alert is kept per seller
        raise InputInvalid("网络销售商品须填写卖家（统一社会信用代码或平台店铺编号）", code="required", field="seller")
    columns = {name: fields[name] for name in COLUMNS if name in fields}
    columns["channel"] = envelope.get("channel", "")
    return {"sender_id": str(fields["id"]).strip(), "model": envelope["model"], "kind": envelope["kind"],
            "captured_at": envelope["captured_at"], "snapshot_hash": envelope["snapshot_hash"],
            "url": envelope.get("url", ""), "entity_code": envelope.get("entity", "").upper()[:18],
            "region": _region(envelope.get("region"), department, {} if regions is None else regions),
            "fields": _jsonable(fields), **columns}


def _jsonable(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: value.isoformat() if isinstance(value, dt.datetime) else value for name, value in fields.items()}


def _problem(index: int, item: Any, error: DomainError) -> dict[str, Any]:
    sender_id = item.get("id") if isinstance(item, dict) else None
    return {"index": index, "id": sender_id if isinstance(sender_id, str | int) else None, "field": error.field,
            "code": error.code, "message": getattr(error, "detail", error.message)}


def check_items(items: Sequence[Any], department: Department, *, seen: set[str], regions: dict[str, Region | None],
                where: str = "本批") -> tuple[list[tuple[Any, dict[str, Any]]], list[tuple[int, DomainError]]]:
    """Each item checked (`check_item`), its id not in `seen` (the ids of the batch or file so far, added to);
    the items that pass with their columns, and the index and error of each that fails."""
    checked, errors = [], []
    for index, item in enumerate(items):
        try:
            values = check_item(item, department, regions)
            if values["sender_id"] in seen:
                raise InputInvalid(f"编号“{values['sender_id']}”在{where}中重复", code="duplicate_id", field="id")
            seen.add(values["sender_id"])
            checked.append((item, values))
        except DomainError as error:
            errors.append((index, error))
    return checked, errors


def _checked(items: Sequence[Any], department: Department) -> list[tuple[Any, dict[str, Any]]]:
    """Every item checked; the whole batch refused with each item's problem when any fails."""
    if not items:
        raise ValidationFailed("批次中没有监测数据", code="required", field="items")
    if len(items) > MAX_BATCH:
        raise ValidationFailed(f"每批最多 {MAX_BATCH} 条监测数据（实为 {len(items)} 条）", code="too_many",
                               field="items")
    checked, errors = check_items(items, department, seen=set(), regions={})
    problems = [_problem(index, items[index], error) for index, error in errors]
    if problems:
        first = problems[0]
        raise ValidationFailed(f"{len(problems)} 条监测数据不符合规则，整批未保存。第 {first['index'] + 1} 条，"
                               f"字段 {first['field'] or '（整条）'}：{first['message']}", code=first["code"],
                               field=f"items[{first['index']}].{first['field'] or ''}".rstrip("."),
                               extra={"problems": problems})
    return checked


def payload_hash(item: Any) -> str:
    """SHA-256 of the item as sorted, compact JSON (numbers as sent, floats included)."""
    text = json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Sender:
    """Who sends observations: the key identifying their items (`kind:id` of the actor), its label and the
    department the observations are kept by."""

    key: str
    label: str
    department: Department

    @classmethod
    def of(cls, actor: Actor) -> Sender:
        ref = actor_ref(actor)
        if ref.department_id is None:
            raise ValidationFailed("报送方不属于任何部门，不能报送监测数据", code="sender_without_department")
        department = Department.objects.select_related("region").get(pk=ref.department_id)
        return cls(f"{ref.kind}:{ref.id}", ref.label[:200], department)


def sort_out(sender: Sender, checked: Sequence[tuple[Any, dict[str, Any]]],
             **more: Any) -> tuple[Received, list[int]]:
    """The checked items as observations to store (with `more` columns) and ids repeated, and the indexes of the
    items whose id the sender already used for different content (never stored: an id is not re-used)."""
    ids = [values["sender_id"] for _item, values in checked]
    known: dict[str, str] = {}
    for start in range(0, len(ids), MAX_BATCH):
        known.update(Observation.objects.filter(sender=sender.key, sender_id__in=ids[start:start + MAX_BATCH])
                     .values_list("sender_id", "payload_hash"))
    received, reused = Received(), []
    for index, (item, values) in enumerate(checked):
        digest = payload_hash(item)
        if values["sender_id"] in known:
            if known[values["sender_id"]] != digest:
                reused.append(index)
            else:
                received.repeated.append(values["sender_id"])
            continue
        received.stored.append(Observation(sender=sender.key, sender_label=sender.label, payload=item,
                                           payload_hash=digest, department=sender.department, **values, **more))
    return received, reused


def store(received: Received) -> None:
    """Store the observations sorted out, to be judged once the caller's transaction commits."""
    Observation.objects.bulk_create(received.stored, batch_size=MAX_BATCH)
    if received.stored:
        transaction.on_commit(_scan_soon)


@transaction.atomic
def observations_receive(*, actor: Actor, items: Sequence[Any]) -> Received:
    """Store a batch of observations from `actor` (a monitoring system or a data administrator), whole or not at
    all; one audit event for the batch."""
    sender = Sender.of(actor)
    checked = _checked(items, sender.department)
    received, reused = sort_out(sender, checked)
    if reused:
        used = checked[reused[0]][1]["sender_id"]
        raise InvalidTransition(f"编号“{used}”已报送过不同的内容，同一编号不能改报", code="id_reused", field="id",
                                extra={"id": used})
    store(received)
    record(actor=actor, verb="risk.observations_received", target=sender.department,
           data={"stored": [o.sender_id for o in received.stored], "repeated": received.repeated})
    return received


def _scan_soon() -> None:
    tasks.observations_scan.enqueue()


__all__ = ["KINDS", "ObservationKind", "Received", "Sender", "check_item", "check_items", "observations_receive",
           "sort_out", "store"]
