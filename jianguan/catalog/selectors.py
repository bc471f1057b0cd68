"""Reads of the one list. The published list (items, implementation rows, publications) is public information;
change requests and mapping imports are read within the reader's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from jianguan.accounts.models import Department, DepartmentKind, User
from jianguan.core.errors import NotFound
from jianguan.core.scoping import HasScope

from . import search
from .change_requests import can_review
from .models import (
    CatalogItem,
    CatalogVersion,
    ChangeRequest,
    ChangeStatus,
    ImplementationVersion,
    ItemStatus,
    LegalReference,
    PowerItem,
    SearchTerm,
    SpotCheckItem,
)
from .workflow import IMPLEMENTATION_KINDS


def today() -> dt.date:
    return timezone.localdate()


def item_list(*, as_of: dt.date | None = None, q: str | None = None, line: str | None = None,
              action_type: str | None = None, sub_items_only: bool = True) -> QuerySet[CatalogVersion]:
    """The catalog in force on `as_of` (today by default), optionally searched and filtered, in code order. The
    published list is read by every signed-in person and system with the catalog scope: no reader narrows it.

    With a keyword `q` the result is a `VersionSearch`: it lists and counts like a queryset.
    """
    day = as_of or today()
    versions = CatalogVersion.objects.in_force(day)
    if sub_items_only:
        versions = versions.filter(is_sub_item=True)
    if line:
        versions = versions.filter(item__line=line)
    if action_type:
        versions = versions.filter(action_type=action_type)
    versions = versions.select_related("item", "item__parent").prefetch_related(
        Prefetch("basis", queryset=LegalReference.objects.select_related("law"))).order_by("code")
    if q and q.strip():
        return _search(versions, q, day=day, plain=sub_items_only and not line and not action_type)
    return versions


class VersionSearch:
    """Search results that page like a queryset: the rows come in code order, each checked against the index
    (`EXISTS`, so a page stops after its rows), and the total is counted from the index postings, which carry
    the versions' validity, without reading the versions."""

    def __init__(self, listing: QuerySet, counting: QuerySet | None) -> None:
        self.listing, self.counting, self._count = listing, counting, None

    def count(self) -> int:
        if self._count is None:
            self._count = (self.counting if self.counting is not None else self.listing).count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        return self.listing[index]

    def __iter__(self):
        return iter(self.listing)

    def filter(self, *args, **kwargs) -> QuerySet:
        return self.listing.filter(*args, **kwargs)


def _search(versions: QuerySet, query: str, *, day: dt.date, plain: bool) -> VersionSearch:
    """Every word of `query` must match. A word the index does not know is matched by its characters and then
    as a substring of the name, the object or the basis."""
    words = search.query_terms(query)
    if not words:
        return VersionSearch(versions.none(), None)
    known = set(SearchTerm.objects.filter(term__in=words).values_list("term", flat=True).distinct())
    terms: list[str] = []
    unknown: list[str] = []
    for word in words:
        if word in known:
            terms.append(word)
        else:
            unknown.append(word)
            terms.extend(ch for ch in word if ch not in terms)
    terms = list(dict.fromkeys(terms))
    listing = versions
    for term in terms:
        listing = listing.filter(Exists(SearchTerm.objects.filter(term=term, version_id=OuterRef("pk"))))
    for word in unknown:
        listing = listing.filter(Q(name__icontains=word) | Q(supervised_object__icontains=word)
                                 | Q(basis__law__title__icontains=word) | Q(basis__text__icontains=word)).distinct()
    counting = None
    if plain and not unknown:
        # The postings of the first (longest, usually rarest) term in force that day, each checked for the others.
        counting = SearchTerm.objects.filter(
            Q(superseded_on__isnull=True) | Q(superseded_on__gt=day), Q(cancel_on__isnull=True) | Q(cancel_on__gt=day),
            term=terms[0], is_sub_item=True, status=ItemStatus.IN_USE, effective_from__lte=day)
        for term in terms[1:]:
            counting = counting.filter(Exists(SearchTerm.objects.filter(term=term, version_id=OuterRef("version_id"))))
    return VersionSearch(listing, counting)


def item_get(*, code: str, as_of: dt.date | None = None) -> CatalogVersion:
    """The version of an item that applies on `as_of` (in force or not), or NotFound."""
    version = (CatalogVersion.objects.current_on(as_of or today()).filter(code=code)
               .select_related("item", "item__parent").prefetch_related("basis__law").order_by("-version").first())
    if version is None:
        raise NotFound("监管事项不存在或在该日期尚未生效")
    return version


def item_version_list(*, code: str) -> list[CatalogVersion]:
    versions = list(CatalogVersion.objects.filter(code=code).select_related("change", "item")
                    .prefetch_related("basis__law").order_by("version"))
    if not versions:
        raise NotFound("监管事项不存在")
    return versions


DIFF_FIELDS = (("name", "事项名称"), ("action_type", "行政类型"), ("status", "操作状态"),
               ("effective_from", "计划生效日期"), ("cancel_on", "计划取消日期"), ("supervised_object", "监管对象"),
               ("supervision_method", "监管方式"), ("supervision_process", "监管流程"),
               ("supervision_result", "监管结果"), ("levels", "监管层级"), ("basis", "设定依据"))


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


def _basis_text(version: CatalogVersion) -> list[str]:
    return [str(reference) for reference in version.basis.all()]


def version_diff(*, code: str, a: int, b: int) -> list[FieldChange]:
    """The fields that differ between versions `a` and `b` of one item."""
    versions = {v.version: v for v in item_version_list(code=code)}
    if a not in versions or b not in versions:
        raise NotFound("版本不存在")
    old, new = versions[a], versions[b]
    changes = []
    for field, label in DIFF_FIELDS:
        before = _basis_text(old) if field == "basis" else getattr(old, field)
        after = _basis_text(new) if field == "basis" else getattr(new, field)
        if before != after:
            changes.append(FieldChange(field, label, before, after))
    return changes


def implementation_list(*, as_of: dt.date | None = None, body: int | None = None, level: int | None = None,
                        item: str | None = None) -> QuerySet[ImplementationVersion]:
    """The implementation rows in force on `as_of`."""
    versions = ImplementationVersion.objects.in_force(as_of or today())
    if body:
        versions = versions.filter(implementation__body_id=body)
    if level:
        versions = versions.filter(implementation__level=level)
    if item:
        versions = versions.filter(implementation__item__code=item)
    return versions.select_related("implementation__item", "implementation__body", "delegated_by").order_by(
        "implementation__code")


@dataclass(frozen=True)
class ClaimRow:
    item: CatalogVersion
    cells: list[tuple[Department, bool]]  # each department in order → claimed (in force)


def claims_overview(*, department: Department, as_of: dt.date | None = None) -> tuple[list[Department], list[ClaimRow]]:
    """For a department and those it guides: which 子项 of the line each has claimed, and which are missing."""
    day = as_of or today()
    departments = [department, *Department.objects.filter(parent=department).select_related("region")
                   .order_by("region_id")]
    line = department.kind
    items = list(item_list(as_of=day, line=line if line in DepartmentKind.values else None))
    claimed = set(ImplementationVersion.objects.in_force(day)
                  .filter(implementation__body__in=departments)
                  .values_list("implementation__item_id", "implementation__body_id"))
    rows = [ClaimRow(item=v, cells=[(d, (v.item_id, d.pk) in claimed) for d in departments]) for v in items]
    return departments, rows


def change_list(*, reader: HasScope, status: str | None = None,
                pending_review: bool = False) -> QuerySet[ChangeRequest]:
    """Changes within the reader's scope, optionally of one status; with `pending_review`, the submitted changes
    the reader may review."""
    if pending_review:
        return _reviewable(reader, change_list(reader=reader, status=ChangeStatus.SUBMITTED))
    changes = ChangeRequest.objects.visible_to(reader)
    if status:
        changes = changes.filter(status=status)
    return changes.select_related("department", "submitted_by", "reviewed_by", "publication")


def _reviewable(reader: User, candidates: QuerySet[ChangeRequest]) -> QuerySet[ChangeRequest]:
    if not reader.has_role("data_admin"):
        candidates = candidates.filter(kind__in=IMPLEMENTATION_KINDS, department__parent_id=reader.department_id)
    return candidates.filter(pk__in=[change.pk for change in candidates if can_review(reader, change)])


def change_get(*, reader: HasScope, change_id: int) -> ChangeRequest:
    return change_list(reader=reader).prefetch_related("steps__actor").get_visible(reader, pk=change_id)


@dataclass(frozen=True)
class FusionReport:
    spot_checks_unlinked: list[SpotCheckItem]
    powers_unlinked: list[PowerItem]
    random_items_without_spot_check: list[CatalogVersion]
    penalty_items_without_power: list[CatalogVersion]
    spot_check_total: int
    power_total: int


def fusion_report(*, as_of: dt.date | None = None, line: str | None = None) -> FusionReport:
    """What is not linked on each side: list rows without a 子项, 子项 without a list row."""
    day = as_of or today()
    spot_checks = SpotCheckItem.objects.all()
    powers = PowerItem.objects.all()
    if line:
        spot_checks, powers = spot_checks.filter(line=line), powers.filter(line=line)
    random_item_ids = ImplementationVersion.objects.in_force(day).filter(in_random_checks=True).values(
        "implementation__item_id")
    in_force = item_list(as_of=day, line=line)
    return FusionReport(
        spot_checks_unlinked=list(spot_checks.filter(items__isnull=True)),
        powers_unlinked=list(powers.filter(items__isnull=True)),
        random_items_without_spot_check=list(in_force.filter(item_id__in=random_item_ids,
                                                             item__spot_checks__isnull=True)),
        penalty_items_without_power=list(in_force.filter(action_type__in=["penalty", "coercion", "check"],
                                                         item__powers__isnull=True)),
        spot_check_total=spot_checks.count(), power_total=powers.count(),
    )


def item_by_code(code: str) -> CatalogItem:
    item = CatalogItem.objects.filter(code=code).first()
    if item is None:
        raise NotFound("监管事项不存在")
    return item


def mapping_coverage(*, mapping) -> dict[str, int]:
    """How much of an imported list is mapped: rows, confirmed, no counterpart, pending, with candidates."""
    rows = mapping.rows.all()
    counts = dict(rows.values_list("decision").annotate(n=Count("id")).order_by())
    return {"rows": rows.count(), "confirmed": counts.get("confirmed", 0), "rejected": counts.get("rejected", 0),
            "pending": counts.get("pending", 0),
            "with_candidates": rows.filter(candidates__isnull=False).distinct().count()}


def list_as_of(day: dt.date) -> list[tuple]:
    """The whole list of 子项 in force on `day` as rows (code, name, type, line, version, effective from), in code
    order: one query, no model objects (for exports, publication digests and comparisons between dates)."""
    return list(CatalogVersion.objects.in_force(day).filter(is_sub_item=True).order_by("code")
                .values_list("code", "name", "action_type", "item__line", "version", "effective_from"))


def rows_needing_review(*, departments: list[Department], as_of: dt.date | None = None) -> list[ImplementationVersion]:
    """Implementation rows in force whose catalog 子项 no longer is (cancelled, suspended, split or merged away):
    the departments must cancel them or claim the successor items (catalog.md §4)."""
    day = as_of or today()
    live_items = CatalogVersion.objects.in_force(day).values("item_id")
    return list(ImplementationVersion.objects.in_force(day).filter(implementation__body__in=departments)
                .exclude(implementation__item_id__in=live_items)
                .select_related("implementation__item", "implementation__body"))
