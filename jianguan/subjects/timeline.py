"""The object library's part of an entity's information chain: registration events and licences (registration
facts: visible to whoever may see the entity)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jianguan.core.registry import ChainEntry, ChainQuery, chain_records

from .models import Licence, RegistrationEvent, RegistrationEventKind

KINDS = {"registration": _("登记事项"), "licence": _("许可证")}


def _rows(model: type[models.Model], query: ChainQuery, date_field: str,
          fields: tuple[str, ...]) -> tuple[list[dict[str, Any]], int]:
    records = chain_records(model._default_manager, query, date_field)
    rows = list(records.order_by(f"-{date_field}").values(*fields)[:query.limit + 1])
    return (rows, len(rows)) if len(rows) <= query.limit else (rows[:query.limit], records.count())


def read(query: ChainQuery) -> tuple[list[ChainEntry], dict[str, int]]:
    entries: list[ChainEntry] = []
    counts: dict[str, int] = {}
    anchor = reverse("chain:entity", args=[query.uscc]) if query.uscc else ""
    if query.wants("registration"):
        rows, counts["registration"] = _rows(RegistrationEvent, query, "date", ("date", "kind", "detail", "authority"))
        labels = dict(RegistrationEventKind.choices)
        entries += [ChainEntry("registration", str(KINDS["registration"]), row["date"], str(labels[row["kind"]]),
                               row["detail"], source=row["authority"], department=row["authority"],
                               url=f"{anchor}?kind=registration") for row in rows]
    if query.wants("licence"):
        rows, counts["licence"] = _rows(Licence, query, "valid_from", (
            "valid_from", "valid_to", "licence_type", "number", "scope", "issued_by"))
        entries += [ChainEntry("licence", str(KINDS["licence"]), row["valid_from"],
                               f"{row['licence_type']}（{row['number']}）",
                               f"有效期至 {row['valid_to'] or '长期'}；{row['scope']}", source=row["issued_by"],
                               department=row["issued_by"], url=f"{anchor}?kind=licence") for row in rows]
    return entries, counts
