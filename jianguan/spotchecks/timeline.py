"""Spot checks in an entity's information chain: each time it was drawn, and its published or entered result.

A result is stored as the 行政检查 of each task item (`CheckResult.inspection_numbers`); the entry covers those
records, so the chain shows them beneath the spot check instead of as entries of their own."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jianguan.core.registry import ChainEntry, ChainQuery, chain_rows

from .models import CheckResult, ResultCode

KINDS = {"spotcheck": _("双随机抽查")}
FIELDS = ("pk", "draw__drawn_at", "draw__number", "draw__task__name", "draw__task__lead__name", "codes",
          "checked_on", "inspection_numbers")


def read(query: ChainQuery) -> tuple[list[ChainEntry], dict[str, int]]:
    if not query.wants("spotcheck"):
        return [], {}
    rows, count = chain_rows(CheckResult.objects.filter(draw__status="drawn"), query, date_field="draw__drawn_at",
                             fields=FIELDS, period_lookup="draw__drawn_at__date")
    labels = dict(ResultCode.choices)
    return [ChainEntry("spotcheck", str(KINDS["spotcheck"]), (row["checked_on"] or row["draw__drawn_at"].date()),
                       f"{row['draw__task__name']}（{row['draw__number']}）",
                       "；".join(str(labels[c]) for c in row["codes"]) or "待检查",
                       source=str(_("双随机抽取")), department=row["draw__task__lead__name"],
                       url=reverse("spotchecks:check", args=[row["pk"]]), ref=f"spotcheck:{row['pk']}",
                       covers=tuple(f"inspection:{number}" for number in row["inspection_numbers"]))
            for row in rows], {"spotcheck": count}
