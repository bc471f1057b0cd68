"""The behaviour library's part of an entity's information chain: inspections, penalties, coercion, other acts,
each within the reader's scope."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jianguan.core.registry import ChainEntry, ChainQuery

from .models import Coercion, Inspection, OtherAction, Penalty

KINDS = {"inspection": _("行政检查"), "penalty": _("行政处罚"), "coercion": _("行政强制"), "other": _("其他行政行为")}
MODELS = {"inspection": Inspection, "penalty": Penalty, "coercion": Coercion, "other": OtherAction}


def _records(kind: str, query: ChainQuery):
    records = MODELS[kind].objects.visible_to(query.reader).filter(entity_id=query.entity_id)
    if query.since:
        records = records.filter(date__gte=query.since)
    if query.until:
        records = records.filter(date__lte=query.until)
    return records


def _detail(kind: str, row) -> str:
    if kind == "inspection":
        return f"检查结果：{row.result}"
    if kind == "penalty":
        return f"{row.decision_number}：{row.result}"
    if kind == "coercion":
        return f"{row.decision_number}：{row.get_kind_display()}"
    return row.conclusion or row.measure


def entries(query: ChainQuery) -> list[ChainEntry]:
    found: list[ChainEntry] = []
    for kind in KINDS:
        if not query.wants(kind):
            continue
        rows = _records(kind, query).select_related("department").order_by("-date")[:query.limit]
        found += [ChainEntry(kind, str(KINDS[kind]), row.date, row.name, _detail(kind, row),
                             source=row.get_source_display(), department=row.department.name) for row in rows]
    return found


def counts(query: ChainQuery) -> dict[str, int]:
    return {kind: _records(kind, query).count() for kind in KINDS if query.wants(kind)}
