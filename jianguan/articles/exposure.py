"""A 曝光台 article made from an enforcement case (ADR 0049): only from a case closed (已结案 or 已归档) whose
outcome is a penalty decision, read through `enforcement.contracts.decision_card` within the author's scope and of
the author's department. The article keeps the decision's 文号, day, party and penalties and links to the public
decision; a natural person's name is never put on it.

The seam: the text the draft starts from is `source_text(card)`. Today it is made of the decision's public
fields only; once the disclosure app publishes redacted copies of decisions, it takes that copy's text instead
(and `public_decision_url` its page), so that nothing unredacted of a case reaches the 曝光台."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jianguan.accounts.models import User
from jianguan.core.errors import AccessDenied
from jianguan.core.validation import require, text
from jianguan.enforcement.contracts import DecisionCard, decision_card

from .models import Article, ArticleKind
from .services import TITLE_MAX, create, require_author

PENALTY = "penalty"  # enforcement's Outcome.PENALTY


def source_text(card: DecisionCard) -> str:
    """The draft's first text: the decision's public fields (the seam for the disclosure app's redacted copy)."""
    party = card.party_name or "当事人（自然人）"
    fine = f"，罚款人民币{card.fine}元" if card.fine else ""
    cause = f"因{card.cause}，" if card.cause else ""
    return (f"{party}{cause}被{card.department_name}依法作出行政处罚（{card.decision_number}，"
            f"{card.decided_on:%Y年%m月%d日}）：{card.penalties}{fine}。")


def public_decision_url(decision_number: str) -> str:
    """Where the public reads the decision (empty until the disclosure app publishes decisions: the seam)."""
    return ""


def _refusal(card: DecisionCard) -> None:
    require(card.closed, f"案件{card.number}尚未结案：只有已结案的案件可以上曝光台", "case_not_closed", "case_number")
    require(card.outcome == PENALTY and card.decision_number and card.decided_on,
            f"案件{card.number}没有行政处罚决定：只有作出处罚决定的案件可以上曝光台", "no_penalty_decision",
            "case_number")


@transaction.atomic
def exposure_from_case(*, case_number: str, actor: User, values: dict[str, Any] | None = None) -> Article:
    """撰写曝光台文章: a draft of the actor's department from one of its closed cases with a penalty decision
    (`case_not_closed`, `no_penalty_decision` otherwise; a case out of scope is unknown, 404)."""
    require_author(actor, actor.department_id)
    number = text(case_number, "case_number", "案件编号", max_len=30)
    card = decision_card(number=number, reader=actor)
    if card.department_id != actor.department_id:
        raise AccessDenied("只能用本部门的案件生成曝光台文章", code="not_own_case")
    _refusal(card)
    given = values or {}
    title = text(given.get("title"), "title", "标题", required=False, max_len=TITLE_MAX)
    party = card.party_name or "某当事人"
    texts = {"title": title or f"{party}违法案件曝光"[:TITLE_MAX], "summary": f"{card.cause}"[:500],
             "body": text(given.get("body"), "body", "正文", required=False, max_len=20000) or source_text(card)}
    assert card.decided_on is not None
    return create(actor, ArticleKind.EXPOSURE, texts, case_number=card.number, decision_number=card.decision_number,
                  decided_on=card.decided_on, party_name=card.party_name,
                  penalty=f"{card.penalties}{'，罚款' + card.fine + '元' if card.fine else ''}"[:300])
