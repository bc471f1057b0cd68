"""What the case's 文书 say about it: the party, the officers, the case, the remedies paragraph, an opinion, the
penalty in words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jianguan.behaviour.contracts import PENALTY_KINDS
from jianguan.documents import contracts as documents

from .models import Case, PartyKind


def party_context(case: Case) -> dict[str, Any]:
    entity = case.entity
    return {"kind": "person" if case.party_kind == PartyKind.PERSON else "organisation", "name": case.party_name,
            "code": case.party_code, "address": case.party_address,
            "legal_representative": entity.legal_representative if entity else ""}


def officers_context(case: Case) -> list[dict[str, str]]:
    return [{"name": a.user.full_name, "credential": a.credential.number}
            for a in case.assignments.select_related("user", "credential")]


def case_context(case: Case) -> dict[str, Any]:
    return {"number": case.number, "cause": case.cause, "source": case.get_source_display(),
            "filed_on": case.filed_on.isoformat() if case.filed_on else ""}


def review_context(case: Case) -> dict[str, str]:
    """The remedies paragraph's 复议机关 and court (《行政复议法》（2023年修订）第二十四条, documents.remedies)."""
    return documents.remedies(case.department)


def opinion_context(opinion: str, signer: Any, day: dt.date) -> dict[str, str]:
    return {"opinion": opinion, "signer": getattr(signer, "full_name", str(signer)), "date": day.isoformat()}


def penalty_text(case: Case) -> str:
    parts = [PENALTY_KINDS[k] for k in case.penalty_kinds]
    if case.fine:
        parts.append(f"罚款人民币 {case.fine} 元")
    if case.confiscation:
        parts.append(f"没收违法所得人民币 {case.confiscation} 元")
    return "；".join(parts)
