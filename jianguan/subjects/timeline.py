"""The object library's part of an entity's information chain: registration events and licences."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from jianguan.core.registry import ChainEntry, ChainQuery

from .models import Licence, MarketEntity, RegistrationEvent

KINDS = {"registration": _("登记事项"), "licence": _("许可证")}


def _visible(query: ChainQuery) -> bool:
    return MarketEntity.objects.visible_to(query.reader).filter(pk=query.entity_id).exists()


def _period(queryset, query: ChainQuery, field: str):
    if query.since:
        queryset = queryset.filter(**{f"{field}__gte": query.since})
    if query.until:
        queryset = queryset.filter(**{f"{field}__lte": query.until})
    return queryset


def entries(query: ChainQuery) -> list[ChainEntry]:
    if not _visible(query):
        return []
    found: list[ChainEntry] = []
    if query.wants("registration"):
        events = _period(RegistrationEvent.objects.filter(entity_id=query.entity_id), query, "date")
        found += [ChainEntry("registration", str(KINDS["registration"]), e.date, e.get_kind_display(), e.detail,
                             source=e.authority, department=e.authority)
                  for e in events.order_by("-date")[:query.limit]]
    if query.wants("licence"):
        licences = _period(Licence.objects.filter(entity_id=query.entity_id), query, "valid_from")
        found += [ChainEntry("licence", str(KINDS["licence"]), lic.valid_from, f"{lic.licence_type}（{lic.number}）",
                             f"有效期至 {lic.valid_to or '长期'}；{lic.scope}", source=lic.issued_by,
                             department=lic.issued_by)
                  for lic in licences.order_by("-valid_from")[:query.limit]]
    return found


def counts(query: ChainQuery) -> dict[str, int]:
    if not _visible(query):
        return {}
    result = {}
    if query.wants("registration"):
        result["registration"] = _period(RegistrationEvent.objects.filter(entity_id=query.entity_id), query,
                                         "date").aggregate(n=Count("id"))["n"]
    if query.wants("licence"):
        result["licence"] = _period(Licence.objects.filter(entity_id=query.entity_id), query,
                                    "valid_from").aggregate(n=Count("id"))["n"]
    return result
