"""Publications of 行政处罚 ended early by an approved credit repair, pushed upward (ADR 0045).

Credit records the early end (`credit.contracts.publication_end_list`: the penalty, the day, the repair); this
module turns each into one 双公示 行政处罚 record (`disclosure_penalty`, 记录唯一标识 the penalty's own) with
公示状态 1 (撤销), 公示截止期 the day the publication ended and the repair named in 备注, checks it with the quality
engine and queues it in the outbox as the platform's own record, once: the record's id in the outbox is the
watermark (an anti-join, as `collect.py` does). The provincial platform (and 信用中国 after it, within 3 working
days: 国市监信规〔2021〕3号) stops publishing the decision on receipt.

A record the engine refuses is not queued; it is reported in the collection's audit event with its problems,
and tried again at the next collection (the penalty's data are corrected through the behaviour library)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from jianguan.accounts.models import Department
from jianguan.audit.contracts import record
from jianguan.behaviour.models import Penalty
from jianguan.core.actors import Actor
from jianguan.credit import contracts as credit

from . import standards
from .models import Op, OutboxRecord
from .quality import engine
from .records import issue_dict
from .refs import LibraryRefs

STANDARD = "disclosure_penalty"
WITHDRAWN = "1"  # 公示状态: 0 正常, 1 撤销, 2 删除


def _wan(amount: Decimal | None) -> str | None:
    """An amount in yuan as 万元 with 6 decimals (disclosure-credit.md §1)."""
    return None if amount is None else f"{amount / Decimal(10000):.6f}"


def disclosure_record(end: credit.PublicationEndCard, penalty: Penalty, department: Department) -> dict[str, Any]:
    """The 双公示 record of `penalty` with its publication ended on `end.ended_on`."""
    return {
        "record_id": end.penalty_record_id, "party_name": penalty.party_name,
        "party_category": penalty.party_nature, "party_code_1": penalty.party_code,
        "decision_number": penalty.decision_number, "violation_type": penalty.name[:2000],
        "facts": penalty.facts[:5000], "basis": penalty.basis[:2000],
        "penalty_category": list(penalty.penalty_kinds or ["07"]), "content": penalty.result[:4000],
        "fine": _wan(penalty.fine), "decided_on": penalty.date.isoformat(),
        "publish_until": end.ended_on.isoformat(), "authority": department.name,
        "authority_code": department.uscc, "source_unit": department.name, "source_unit_code": department.uscc,
        "remark": f"信用修复（申请编号 {end.repair_number}），{end.ended_on.isoformat()} 提前停止公示"[:512],
        "case_number": penalty.number, "catalog_code": penalty.catalog_code, "procedure": penalty.procedure,
        "publish_status": WITHDRAWN,
    }


def publication_ends_collect(*, actor: Actor) -> tuple[int, int]:
    """Queue every early end not yet in the outbox; (queued, refused)."""
    with transaction.atomic():
        queued_ids = OutboxRecord.objects.filter(standard=STANDARD).values_list("record_id", flat=True)
        ends = credit.publication_end_list(exclude_record_ids=queued_ids)
        if not ends:
            return 0, 0
        penalties = Penalty.objects.in_bulk([end.penalty_id for end in ends])
        departments = Department.objects.in_bulk([end.department_id for end in ends])
        records = [disclosure_record(end, penalties[end.penalty_id], departments[end.department_id]) for end in ends]
        std = standards.get(STANDARD)
        verdicts = engine.check(std, records, refs=LibraryRefs())
        rows, refused = [], []
        for end, data, verdict in zip(ends, records, verdicts, strict=True):
            if not verdict.ok:
                refused.append({"record_id": end.penalty_record_id, "errors": [issue_dict(e) for e in verdict.errors]})
                continue
            rows.append(OutboxRecord(standard=STANDARD, record_id=end.penalty_record_id, version=1, op=Op.INSERT,
                                     data={k: v for k, v in data.items() if v is not None},
                                     department_id=end.department_id, region_id=end.region_id))
        OutboxRecord.objects.bulk_create(rows)
        record(actor=actor, verb="exchange.publication_ends_queued",
               data={"queued": [row.record_id for row in rows], "refused": refused})
    return len(rows), len(refused)
