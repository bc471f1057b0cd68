"""Signals across lines: what an observation shows only beside the data already stored — one e-prescription on
several orders or listings, the quantities sold under it together above what it prescribes, complaints about the
subject clustering with fundraising words. Judged by the scan (`alerts`), each a hit with its rule id, article
and the evidence it rests on (`evidence`: the other observations, the prescription, the complaints), scored with
the line's own hits and added to the alert of the observation's (subject, model, window).

The indicators are data of the model's definition (`cross_line`: id, title, article, weight, the function's name
and its options), as the line's are; what is still beyond the stored data stays a register check.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings

from jianguan.complaints.contracts import subject_complaint_list
from jianguan.risk import engine
from jianguan.risk.evidence import Hit, Indicator
from jianguan.risk.normalise import normalise

from .models import Observation

MAX_LISTED = 20


@dataclass(frozen=True)
class Subject:
    """Who an observation is about, as the scan resolved it: the entity's code where the library has it, else the
    name as sent."""

    uscc: str | None
    name: str


@dataclass(frozen=True)
class Linked:
    """A hit found beside the stored data, with what it rests on (ids of observations, complaint numbers …)."""

    hit: Hit
    evidence: dict[str, Any] = field(default_factory=dict)


Linker = Callable[[Observation, Subject, Indicator], list[Linked]]
LINKERS: dict[str, Linker] = {}


def linker(name: str) -> Callable[[Linker], Linker]:
    def register(function: Linker) -> Linker:
        LINKERS[name] = function
        return function

    return register


@cache
def indicators(model: str) -> tuple[Indicator, ...]:
    """The cross-line indicators of `model`'s definition (`cross_line`), checked like the line's."""
    data = json.loads((engine.DEFINITIONS / f"{model}.json").read_text("utf-8"))
    found = []
    for item in data.get("cross_line", []):
        weight = item.get("weight")
        named = all(isinstance(item.get(name), str) for name in ("id", "title", "article"))
        weighed = isinstance(weight, int | float) and 0 <= weight <= 1
        if not named or not weighed or item.get("rule") not in LINKERS:
            where = f"模型定义 {model}.json（跨条指标 {item.get('id')}）"
            raise engine.DefinitionInvalid(f"{where}：须有 id、title、article，规则函数已登记，权重在 0 与 1 之间",
                                           code="definition_invalid", field=f"{model}.json")
        found.append(Indicator(item["id"], item["title"], item["article"], float(weight), item["rule"], (),
                               item.get("options", {})))
    return tuple(found)


def linked(observation: Observation, subject: Subject) -> list[Linked]:
    """Every cross-line hit of `observation` among the stored data."""
    return [found for indicator in indicators(observation.model)
            for found in LINKERS[indicator.rule](observation, subject, indicator)]


def _uses(observation: Observation) -> list[dict[str, Any]]:
    """The other stored observations naming the same prescription id (any listing model, any seller or sender)."""
    return list(Observation.objects.filter(prescription_id=observation.prescription_id).exclude(pk=observation.pk)
                .order_by("captured_at", "pk").values("pk", "sender_id", "seller", "quantity"))


def _prescription_hit(observation: Observation, indicator: Indicator, note: str) -> Hit:
    number = observation.prescription_id
    return Hit(indicator.id, indicator.article, number, 0, len(number), "prescription_id", note, indicator.weight)


@linker("prescription_reused")
def prescription_reused(observation: Observation, subject: Subject, indicator: Indicator) -> list[Linked]:
    """One e-prescription on more than one order or listing among the stored observations, of this seller or any
    other. 药品网络销售监督管理办法第九条: a prescription used is marked so that it cannot be used again."""
    if not observation.prescription_id:
        return []
    others = _uses(observation)
    if not others:
        return []
    sellers = "、".join(dict.fromkeys(str(other["seller"]) for other in others if other["seller"]))
    note = f"处方编号另见于 {len(others)} 条监测数据（{sellers or '卖家未报'}）"
    return [Linked(_prescription_hit(observation, indicator, note), {
        "prescription_id": observation.prescription_id,
        "observations": [other["pk"] for other in others[:MAX_LISTED]]})]


@linker("prescription_total_above")
def prescription_total_above(observation: Observation, subject: Subject, indicator: Indicator) -> list[Linked]:
    """The quantities sold under one prescription on all its stored uses together above what it prescribes (one
    use alone is the line's rule, `quantity_above`). 处方管理办法第十八条; 药品网络销售监督管理办法第九条."""
    prescribed = observation.prescribed_quantity
    if not observation.prescription_id or prescribed is None:
        return []
    others = _uses(observation)
    total = (observation.quantity or 0) + sum(other["quantity"] or 0 for other in others)
    if not others or total <= prescribed:
        return []
    note = f"同一处方共销售 {total}，处方量 {prescribed}（{len(others) + 1} 次使用）"
    return [Linked(_prescription_hit(observation, indicator, note), {
        "prescription_id": observation.prescription_id, "total": total, "prescribed": prescribed,
        "observations": [other["pk"] for other in others[:MAX_LISTED]]})]


def cluster_size() -> int:
    """How many complaints with fundraising words about one subject make a cluster [config]:
    JIANGUAN_RISK_COMPLAINT_CLUSTER (default 3)."""
    return int(settings.JIANGUAN_RISK_COMPLAINT_CLUSTER)


def cluster_days() -> int:
    """The window before capture in which those complaints count [config]: JIANGUAN_RISK_COMPLAINT_WINDOW_DAYS
    (default 90)."""
    return int(settings.JIANGUAN_RISK_COMPLAINT_WINDOW_DAYS)


@linker("complaint_cluster")
def complaint_cluster(observation: Observation, subject: Subject, indicator: Indicator) -> list[Linked]:
    """Complaints and reports about the subject within the window before capture, at least `cluster_size()` of them
    with fundraising words (terms of `options.rules` in the model's lexicons): many people asking their money back
    from one subject is the pattern of 向社会不特定对象吸收资金 (防范和处置非法集资条例第二条)."""
    captured = observation.captured_at
    complaints = subject_complaint_list(uscc=subject.uscc, name=None if subject.uscc else subject.name,
                                        since=captured - dt.timedelta(days=cluster_days()), until=captured)
    matcher, rules = engine.model(observation.model).matcher, set(indicator.options["rules"])
    worded = [complaint for complaint in complaints
              if any(match.term.rule in rules for match in matcher.find(normalise(complaint.content)))]
    if len(worded) < cluster_size():
        return []
    numbers = [complaint.number for complaint in worded]
    note = f"{cluster_days()} 日内 {len(worded)} 件投诉举报含集资类用语：{'、'.join(numbers[:5])}" + (
        " 等" if len(numbers) > 5 else "")
    hit = Hit(indicator.id, indicator.article, "", None, None, "complaints", note, indicator.weight)
    return [Linked(hit, {"complaints": numbers[:MAX_LISTED], "days": cluster_days()})]
