"""Publication: the data administrator publishes the approved changes in a `Publication`, which creates the
new versions of items and implementation rows. Payloads are validated again when published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.core.canonical import canonical_json
from jianguan.core.errors import ValidationFailed
from jianguan.core.numbering import take

from . import search, workflow
from .change_requests import raise_refusal, take_step
from .frequency import parse_frequency
from .models import (
    CatalogItem,
    CatalogVersion,
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    Implementation,
    ImplementationVersion,
    ItemStatus,
    Law,
    LegalReference,
    Publication,
    SearchTerm,
)
from .payloads import implementation_values, latest_version, validate, version_fields

ITEM_FIELDS = ("name", "action_type", "supervised_object", "supervision_method", "supervision_process",
               "supervision_result", "levels", "basis")


def _version_id(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y%m%d%H%M%S")


def _supersede(versions, effective: dt.date) -> tuple[int, Any]:
    """Close the open version of an identity on `effective`; return the next version number and the closed one."""
    open_version = versions.filter(superseded_on__isnull=True).order_by("-version").first()
    if open_version is not None:
        open_version.superseded_on = effective
        open_version.save(update_fields=["superseded_on"])
    return (versions.aggregate(n=Max("version"))["n"] or 0) + 1, open_version


def _new_catalog_version(item: CatalogItem, fields: dict[str, Any], *, effective: dt.date, cancel: dt.date | None,
                         status: str, change: ChangeRequest | None, moment: dt.datetime) -> CatalogVersion:
    number, closed = _supersede(item.versions.all(), effective)
    if closed is not None:
        SearchTerm.objects.filter(version=closed).update(superseded_on=effective)
    version = CatalogVersion.objects.create(
        item=item, code=item.code, is_sub_item=item.parent_id is not None,
        version=number, version_id=_version_id(moment), status=status, effective_from=effective,
        cancel_on=cancel, published_at=moment, change=change,
        **{k: fields.get(k, "" if k != "levels" else []) for k in ITEM_FIELDS if k != "basis"})
    laws = {law.key: law for law in Law.objects.filter(key__in=[b["law"] for b in fields.get("basis", [])])}
    LegalReference.objects.bulk_create([
        LegalReference(version=version, law=laws[b["law"]], article=b["article"], clause=b["clause"], text=b["text"],
                       position=i) for i, b in enumerate(fields.get("basis", []))])
    SearchTerm.objects.bulk_create([
        SearchTerm(term=term, version=version, is_sub_item=version.is_sub_item, status=version.status,
                   effective_from=version.effective_from, cancel_on=version.cancel_on)
        for term in search.version_terms(version.name, [laws[b["law"]].title for b in fields.get("basis", [])],
                                         version.supervised_object)])
    return version


def _new_implementation_version(implementation: Implementation, fields: dict[str, Any], *, effective: dt.date,
                                cancel: dt.date | None, status: str, change: ChangeRequest | None,
                                moment: dt.datetime) -> ImplementationVersion:
    number, _ = _supersede(implementation.versions.all(), effective)
    values = {k: v for k, v in fields.items() if k not in ("cooperating_bodies", "delegated_by")}
    period, times = parse_frequency(values.get("check_frequency", "")) or ("", None)
    values.update(frequency_period=period, frequency_min_times=times)
    version = ImplementationVersion.objects.create(
        implementation=implementation, version=number, version_id=_version_id(moment), status=status,
        effective_from=effective, cancel_on=cancel, published_at=moment, change=change,
        delegated_by_id=fields.get("delegated_by"), **values)
    version.cooperating_bodies.set(fields.get("cooperating_bodies", []))
    return version


def apply_change(change: ChangeRequest, *, moment: dt.datetime) -> None:
    """Turn one approved change into versions (inside the publication's transaction)."""
    payload = change.payload
    effective = dt.date.fromisoformat(payload["effective_from"])
    cancel = dt.date.fromisoformat(payload["cancel_on"]) if payload.get("cancel_on") else None
    kind = change.kind
    common = {"change": change, "moment": moment}
    if kind == ChangeKind.ITEM_ADD:
        parent = CatalogItem.objects.get(code=payload["parent"]) if payload.get("parent") else None
        item = CatalogItem.objects.create(code=payload["code"], parent=parent, line=payload["line"])
        _new_catalog_version(item, payload, effective=effective, cancel=cancel, status=ItemStatus.IN_USE, **common)
    elif kind in (ChangeKind.ITEM_MODIFY, ChangeKind.ITEM_CANCEL, ChangeKind.ITEM_SUSPEND, ChangeKind.ITEM_RESUME):
        item = CatalogItem.objects.get(code=payload["code"])
        current = version_fields(latest_version(item))
        status = {ChangeKind.ITEM_CANCEL: ItemStatus.CANCELLED, ChangeKind.ITEM_SUSPEND: ItemStatus.SUSPENDED}.get(
            kind, ItemStatus.IN_USE)
        _new_catalog_version(item, payload.get("fields", current), effective=effective, cancel=cancel, status=status,
                             **common)
    elif kind == ChangeKind.ITEM_SPLIT:
        old = CatalogItem.objects.get(code=payload["code"])
        for part in payload["into"]:
            item = CatalogItem.objects.create(code=part["code"], parent=old.parent, line=old.line)
            _new_catalog_version(item, part, effective=effective, cancel=cancel, status=ItemStatus.IN_USE, **common)
        _new_catalog_version(old, version_fields(latest_version(old)), effective=effective, cancel=None,
                             status=ItemStatus.CANCELLED, **common)
    elif kind == ChangeKind.ITEM_MERGE:
        olds = list(CatalogItem.objects.filter(code__in=payload["codes"]))
        target = payload["into"]
        item = CatalogItem.objects.create(code=target["code"], parent=olds[0].parent, line=olds[0].line)
        _new_catalog_version(item, target, effective=effective, cancel=cancel, status=ItemStatus.IN_USE, **common)
        for old in olds:
            _new_catalog_version(old, version_fields(latest_version(old)), effective=effective, cancel=None,
                                 status=ItemStatus.CANCELLED, **common)
    elif kind == ChangeKind.CLAIM:
        implementation = Implementation.objects.create(
            code=payload["code"], item=CatalogItem.objects.get(code=payload["item"]), body_id=payload["body"],
            level=payload["level"])
        _new_implementation_version(implementation, payload["fields"], effective=effective, cancel=cancel,
                                    status=ItemStatus.IN_USE, **common)
    else:
        implementation = Implementation.objects.get(code=payload["implementation"])
        fields = payload.get("fields") or implementation_values(implementation.versions.order_by("-version").first())
        status = {ChangeKind.IMPL_CANCEL: ItemStatus.CANCELLED, ChangeKind.IMPL_SUSPEND: ItemStatus.SUSPENDED}.get(
            kind, ItemStatus.IN_USE)
        _new_implementation_version(implementation, fields, effective=effective, cancel=cancel, status=status,
                                    **common)


def list_digest(day: dt.date) -> tuple[int, int, str]:
    """How many 子项 and implementation rows are in force on `day`, and a SHA-256 over their codes and versions."""
    items = list(CatalogVersion.objects.in_force(day).filter(is_sub_item=True)
                 .order_by("code").values_list("code", "version"))
    rows = list(ImplementationVersion.objects.in_force(day).order_by("implementation__code")
                .values_list("implementation__code", "version"))
    digest = hashlib.sha256(canonical_json({"items": items, "implementations": rows})).hexdigest()
    return len(items), len(rows), digest


@transaction.atomic
def publication_publish(*, actor: User, title: str, changelog: str = "", moment: dt.datetime | None = None,
                        change_ids: list[int] | None = None) -> Publication:
    """Publish the approved changes (all, or those named) as a new version of the city's list.

    Each change is validated again against the list as it stands, in approval order; one failure refuses the
    whole publication, naming the change. The changelog lists every change.
    """
    raise_refusal(workflow.refuse_publisher(None, workflow.Facts(state=ChangeStatus.APPROVED, actor=actor)))
    moment = moment or timezone.now()
    pending = (ChangeRequest.objects.select_for_update().filter(status=ChangeStatus.APPROVED)
               .order_by("reviewed_at", "pk"))
    if change_ids is not None:
        pending = pending.filter(pk__in=change_ids)
    changes = list(pending)
    if not changes:
        raise ValidationFailed("没有已审核待发布的变更", code="nothing_to_publish")
    year = timezone.localtime(moment).year
    sequence = take("catalog.publication", str(year),
                    floor=lambda: Publication.objects.filter(number__startswith=f"{year}-").count())
    lines = []
    for change in changes:
        try:
            change.payload = validate(change.kind, change.payload, change.department)
        except ValidationFailed as exc:
            raise ValidationFailed(f"变更 #{change.pk}（{change.get_kind_display()}）已不能发布：{exc.message}",
                                   code=exc.code, field=exc.field, extra={"change": change.pk}) from None
        apply_change(change, moment=moment)
        lines.append(f"#{change.pk} {change.get_kind_display()}：{_describe(change)}（{change.department.name}）")
    publication = Publication.objects.create(
        number=f"{year}-{sequence:03d}", title=title.strip() or f"{year} 年第 {sequence} 版", published_by=actor,
        published_at=moment, effective_on=timezone.localtime(moment).date(),
        changelog=(changelog.strip() + "\n" if changelog.strip() else "") + "\n".join(lines))
    for change in changes:
        change.publication = publication
        take_step(change, "publish", actor)
        change.save(update_fields=["status", "publication", "payload", "updated_at"])
    publication.item_count, publication.implementation_count, publication.digest = list_digest(
        publication.effective_on)
    publication.save(update_fields=["item_count", "implementation_count", "digest"])
    record(actor=actor, verb="catalog.list_published", target=publication,
           data={"number": publication.number, "changes": [c.pk for c in changes], "digest": publication.digest})
    return publication


def _describe(change: ChangeRequest) -> str:
    payload = change.payload
    if change.kind == ChangeKind.CLAIM:
        return f"{payload['item']} → {payload['code']}"
    if change.kind == ChangeKind.ITEM_MERGE:
        return f"{'、'.join(payload['codes'])} → {payload['into']['code']}"
    if change.kind == ChangeKind.ITEM_SPLIT:
        return f"{payload['code']} → {'、'.join(p['code'] for p in payload['into'])}"
    return payload.get("code") or payload.get("implementation", "")
