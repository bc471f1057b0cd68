"""Writes of the knowledge base: a law's text imported (checked whole first, written in one transaction with its
audit event) and the index of citations swept (ADR 0059)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.registry import citing_sources

from . import search
from .loading import LawData, Node, VersionData, check_overlap
from .models import Citation, Kind, Law, LawVersion, Provision
from .resolving import resolve


@dataclass(frozen=True)
class Imported:
    law: Law
    versions: int
    provisions: int


@transaction.atomic
def law_import(*, data: LawData, actor: Actor) -> Imported:
    """Add or replace a law's versions: a version of the file replaces the stored one that starts the same day,
    the others stay; the versions kept and added must not overlap (`version_overlap`)."""
    law, _ = Law.objects.select_for_update().update_or_create(slug=data.slug, defaults={
        "title": data.title, "short_title": data.short_title, "issuer": data.issuer, "level": data.level})
    starts = [v.effective_from for v in data.versions]
    kept = list(law.versions.exclude(effective_from__in=starts).values_list("effective_from", "effective_to"))
    check_overlap(kept + [(v.effective_from, v.effective_to) for v in data.versions], "versions")
    search.terms_remove(list(Provision.objects.filter(version__law=law, kind=Kind.ARTICLE).values_list("pk",
                                                                                                   flat=True)))
    law.versions.filter(effective_from__in=starts).delete()
    count = sum(_version_write(law, v) for v in data.versions)
    search.articles_index(list(Provision.objects.filter(version__law=law, kind=Kind.ARTICLE)
                               .select_related("version__law")))
    record(actor=actor, verb="laws.law_imported", target=law,
           data={"slug": law.slug, "versions": [str(s) for s in starts], "provisions": count})
    return Imported(law, len(data.versions), count)


def _version_write(law: Law, data: VersionData) -> int:
    version = LawVersion.objects.create(
        law=law, label=data.label, number=data.number, issued_on=data.issued_on, effective_from=data.effective_from,
        effective_to=data.effective_to, repealed=data.repealed, status=data.status, note=data.note)
    rows: list[tuple[Provision, Node]] = []
    _flatten(version, data.nodes, None, rows)
    Provision.objects.bulk_create([p for p, _ in rows])
    row_of = {id(node): provision for provision, node in rows}
    for provision, node in rows:  # bulk_create sets the keys on both databases
        for child in node.children:
            row_of[id(child)].parent_id = provision.pk
    Provision.objects.bulk_update([p for p, _ in rows if p.parent_id], ["parent"], batch_size=500)
    return len(rows)


def _flatten(version: LawVersion, nodes: list[Node], parent: Node | None, rows: list[tuple[Provision, Node]]) -> None:
    for node in nodes:
        rows.append((Provision(version=version, pid=node.pid, kind=node.kind, label=node.label, heading=node.heading,
                               text=node.text, status=node.status, position=len(rows) + 1), node))
        _flatten(version, node.children, node, rows)


@dataclass(frozen=True)
class Swept:
    sources: int
    citations: int


@transaction.atomic
def citations_sweep(*, actor: Actor) -> Swept:
    """Fill the index of who cites each provision again from every app's `citing.py` (ADR 0059): each citation is
    resolved against the version in force on its source's date; citations of provisions not held are left out."""
    rows: dict[tuple[str, str, str], Citation] = {}
    count = 0
    for source in citing_sources():
        count += 1
        for link in resolve(source.text, on=source.on):
            if link.found:
                rows[(link.found, source.source, source.key)] = Citation(
                    pid=link.found, source=source.source, key=source.key[:120], label=source.label[:300],
                    url=source.url[:300], text=source.text[:500], department_id=source.department_id,
                    region_code=source.region_code)
    Citation.objects.all().delete()
    Citation.objects.bulk_create(list(rows.values()), batch_size=500)
    record(actor=actor, verb="laws.citations_swept", data={"sources": count, "citations": len(rows)})
    return Swept(count, len(rows))
