"""The behaviour library's part of an entity's information chain: inspections, penalties, coercion, other acts,
each within the reader's scope."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jianguan.catalog.contracts import item_names
from jianguan.core.registry import ChainEntry, ChainQuery, chain_rows

from .models import Coercion, CoercionKind, Inspection, OtherAction, Penalty, Source

KINDS = {"inspection": _("行政检查"), "penalty": _("行政处罚"), "coercion": _("行政强制"), "other": _("其他行政行为")}
MODELS = {"inspection": Inspection, "penalty": Penalty, "coercion": Coercion, "other": OtherAction}
DETAIL = {"inspection": ("result", "catalog_code"), "penalty": ("decision_number", "result"),
          "coercion": ("decision_number", "kind"), "other": ("conclusion", "measure")}
COMMON = ("pk", "number", "date", "name", "source", "department__name")


def _detail(kind: str, row: dict[str, Any], names: dict[str, str]) -> str:
    if kind == "inspection":
        item = names.get(row["catalog_code"])
        return (f"检查事项：{item}；" if item else "") + f"检查结果：{row['result']}"
    if kind == "penalty":
        return f"{row['decision_number']}：{row['result']}"
    if kind == "coercion":
        return f"{row['decision_number']}：{CoercionKind(row['kind']).label}"
    return str(row["conclusion"] or row["measure"])


def read(query: ChainQuery) -> tuple[list[ChainEntry], dict[str, int]]:
    entries: list[ChainEntry] = []
    counts: dict[str, int] = {}
    sources = dict(Source.choices)
    for kind, model in MODELS.items():
        if not query.wants(kind):
            continue
        rows, counts[kind] = chain_rows(model.objects, query, date_field="date", fields=COMMON + DETAIL[kind])
        names = item_names(row["catalog_code"] for row in rows) if kind == "inspection" and rows else {}
        entries += [ChainEntry(kind, str(KINDS[kind]), row["date"], row["name"], _detail(kind, row, names),
                               source=str(sources.get(row["source"], row["source"])),
                               department=row["department__name"],
                               url=reverse("behaviour:record", args=[kind, row["pk"]]),
                               ref=f"{kind}:{row['number']}") for row in rows]
    return entries, counts
