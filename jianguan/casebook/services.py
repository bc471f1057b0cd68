"""Writes of the case library (ADR 0061): closed cases swept into entries, idempotently, each redacted as for
publication; typical cases written by hand and entered after another person's review (`workflow`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.errors import NotFound
from jianguan.core.trigrams import grams
from jianguan.core.validation import parse_amount, text
from jianguan.disclosure import contracts as disclosure
from jianguan.disclosure.models import SourceKind
from jianguan.discretion.contracts import compact
from jianguan.enforcement import contracts as enforcement
from jianguan.redaction import contracts as redaction

from . import workflow
from .models import Copy, Entry, EntryKind, EntryStatus, EntryTerm

CHUNK = 500


def terms_of(entry: Entry) -> set[str]:
    return set().union(*(grams(t) for t in (entry.title, entry.violation, entry.article, entry.party) if t))


def _terms_sync(entry: Entry) -> None:
    EntryTerm.objects.filter(entry=entry).delete()
    EntryTerm.objects.bulk_create([EntryTerm(term=t, entry=entry) for t in sorted(terms_of(entry))])


def _texts(case: enforcement.ClosedCase) -> tuple[dict[str, str], Copy]:
    """The party and facts as published (the decision's published copy) or, where the decision is not published,
    with every natural person and the party's name hidden by the redaction engine (internal only)."""
    published = disclosure.published_decision(kind=SourceKind.PENALTY, source_number=case.behaviour_number)
    if published is not None:
        return {"party": str(published.fields.get("party_name", "")),
                "facts": str(published.fields.get("facts", ""))}, Copy.PUBLISHED
    persons = [*enforcement.case_persons(behaviour_number=case.behaviour_number), case.party_name]
    copy = redaction.redact({"party": case.party_name, "facts": case.facts}, persons=persons)
    return {"party": copy.fields["party"], "facts": copy.fields["facts"]}, Copy.REDACTED


def _entry_of(case: enforcement.ClosedCase) -> Entry:
    texts, copy = _texts(case)
    band = case.discretion
    return Entry(kind=EntryKind.CASE, status=EntryStatus.PUBLISHED, case_number=case.number,
                 department_id=case.department_id, region_id=case.region_id,
                 title=(case.cause or band.get("title") or "行政处罚案件")[:200], party=texts["party"][:200],
                 facts=texts["facts"], violation=(band.get("title") or case.cause)[:200],
                 catalog_code=case.catalog_code, implementation_code=case.implementation_code,
                 article=(band.get("article") or compact(case.basis))[:300], basis=case.basis,
                 circumstances=list(band.get("circumstances") or ([case.mitigation] if case.mitigation else [])),
                 band=band.get("band", ""), outcome=(case.penalties or case.outcome)[:200], fine=case.fine,
                 confiscation=case.confiscation, decided_on=case.decided_on, copy=copy,
                 internal_only=copy != Copy.PUBLISHED)


def cases_sweep(*, actor: Actor, size: int = CHUNK) -> int:
    """Add every closed case not yet in the library (idempotent: one entry per case, by its number); returns how
    many were added. Each chunk is one transaction with one audit event."""
    added, last = 0, 0
    while chunk := enforcement.closed_cases(after_id=last, size=size):
        last = chunk[-1].id
        known = set(Entry.objects.filter(case_number__in=[c.number for c in chunk]).values_list("case_number",
                                                                                                 flat=True))
        fresh = [c for c in chunk if c.number not in known]
        if fresh:
            added += _store(actor, [_entry_of(c) for c in fresh])
    return added


@transaction.atomic
def _store(actor: Actor, entries: list[Entry]) -> int:
    Entry.objects.bulk_create(entries)
    stored = list(Entry.objects.filter(case_number__in=[e.case_number for e in entries]))
    EntryTerm.objects.bulk_create([EntryTerm(term=t, entry=e) for e in stored for t in sorted(terms_of(e))])
    record(actor=actor, verb="casebook.cases_swept", data={"entries": len(stored),
                                                           "cases": [e.case_number for e in stored][:50]})
    return len(stored)


def _fields(data: Mapping[str, Any]) -> dict[str, Any]:
    circumstances = data.get("circumstances") or []
    if isinstance(circumstances, str):
        circumstances = [c.strip() for c in circumstances.splitlines() if c.strip()]
    return {"title": text(data.get("title"), "title", "标题", max_len=200),
            "facts": text(data.get("facts"), "facts", "案情", max_len=10000),
            "violation": text(data.get("violation"), "violation", "违法行为类型", max_len=200),
            "catalog_code": text(data.get("catalog_code"), "catalog_code", "监管事项目录编码", required=False,
                                 max_len=14),
            "article": compact(text(data.get("article"), "article", "处罚依据条款", max_len=300)),
            "circumstances": [text(c, "circumstances", "裁量情节", max_len=200) for c in circumstances][:20],
            "outcome": text(data.get("outcome"), "outcome", "处理结果", max_len=200),
            "fine": parse_amount(data.get("fine"), "fine", "罚款金额")}


@transaction.atomic
def typical_submit(*, actor: User, data: Mapping[str, Any]) -> Entry:
    """A typical case written by hand and sent for review (its texts are written already redacted)."""
    workflow.WORKFLOW.check("submit", workflow.Facts(workflow.NEW, actor, actor.department_id))
    fields = _fields(data)
    entry = Entry.objects.create(kind=EntryKind.TYPICAL, status=EntryStatus.REVIEW, department=actor.department,
                                 region_id=actor.department.region_id, copy=Copy.WRITTEN, internal_only=True,
                                 author=actor, **fields)
    record(actor=actor, verb="casebook.typical_submitted", target=entry, data={"title": entry.title})
    return entry


@transaction.atomic
def typical_act(*, actor: User, entry_id: int, action: str, data: Mapping[str, Any]) -> Entry:
    """Take a step of a typical case's review: resubmit (the author), approve or return (another person)."""
    entry: Entry | None = (Entry.objects.visible_to(actor).select_for_update()
                           .filter(pk=entry_id, kind=EntryKind.TYPICAL).first())
    if entry is None:
        raise NotFound("没有这个典型案例", code="not_found")
    edge = workflow.WORKFLOW.check(action, workflow.Facts(entry.status, actor, entry.department_id,
                                                          entry.author_id))
    if action == "resubmit":
        for name, value in _fields(data).items():
            setattr(entry, name, value)
    else:
        entry.reviewer = actor
        entry.review_opinion = text(data.get("opinion"), "opinion", "审核意见", required=action == "return",
                                    max_len=500)
    old, entry.status = entry.status, edge.target
    entry.save()
    _terms_sync(entry)
    record(actor=actor, verb=f"casebook.typical_{action}", target=entry, data={"from": old, "to": entry.status})
    return entry
