"""A 曝光台 article made from an enforcement case (ADR 0049): only from a case closed (已结案 or 已归档) whose
outcome is a penalty decision that has been published (已公示) by the disclosure app, read through
`enforcement.contracts.decision_card` within the author's scope and of the author's department.

The draft's text is made from the decision's published copy (`disclosure.contracts.published_decision`: the
redacted copy, never the original), so nothing of a case that the publication hides reaches the 曝光台; the
article keeps the decision's 公示编号 and links to its public page. A natural person's name is never put on it:
when the party is a natural person, its name (which the published copy keeps visible) is replaced by 当事人."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse

from jianguan.accounts.models import User
from jianguan.core.errors import AccessDenied
from jianguan.core.validation import require, text
from jianguan.disclosure.contracts import PublishedDecision, published_decision
from jianguan.enforcement.contracts import DecisionCard, decision_card

from .models import Article, ArticleKind
from .services import TITLE_MAX, create, require_author

PENALTY = "penalty"  # enforcement's Outcome.PENALTY, and disclosure's SourceKind.PENALTY
PUBLICATION_RULE = "国办发〔2018〕118号（谁执法谁公示）"
PERSON_PARTY = "当事人"


def _party(copy: dict[str, Any]) -> str:
    return "" if copy.get("party_category") == "person" else str(copy.get("party_name") or "")


def _plain(copy: dict[str, Any], name: str) -> str:
    """A text of the published copy, with a natural person's own name replaced by 当事人."""
    value = str(copy.get(name) or "")
    person = str(copy.get("party_name") or "") if copy.get("party_category") == "person" else ""
    return value.replace(person, PERSON_PARTY) if person else value


def source_text(card: DecisionCard, published: PublishedDecision) -> str:
    """The draft's first text: the decision's published (redacted) copy, in sentences."""
    copy = published.fields
    party = _party(copy) or PERSON_PARTY
    parts = [f"{copy.get('authority') or card.department_name}于{card.decided_on:%Y年%m月%d日}对{party}作出行政处罚"
             f"（{copy.get('decision_number') or card.decision_number}）。"]
    for label, name in (("违法事实", "facts"), ("处罚依据", "basis"), ("处罚内容", "content")):
        if value := _plain(copy, name):
            parts.append(f"{label}：{value}")
    return "\n\n".join(parts)


def public_decision_url(disclosure_number: str) -> str:
    """Where the public reads the published decision (its 公示编号), empty for an article without one."""
    return reverse("disclosure:public_item", args=[disclosure_number]) if disclosure_number else ""


def _published(card: DecisionCard) -> PublishedDecision:
    """The case's decision as published; refused naming the rule when it is not (yet, or any more) published."""
    require(card.closed, f"案件{card.number}尚未结案：只有已结案的案件可以上曝光台", "case_not_closed", "case_number")
    require(card.outcome == PENALTY and card.decision_number and card.decided_on,
            f"案件{card.number}没有行政处罚决定：只有作出处罚决定的案件可以上曝光台", "no_penalty_decision",
            "case_number")
    published = published_decision(kind=PENALTY, source_number=card.behaviour_number)
    require(published is not None, f"案件{card.number}的处罚决定尚未公示：曝光台文章只能依据已公示的处罚决定"
            f"（隐去处理后的公示文本）撰写（{PUBLICATION_RULE}）", "decision_not_published", "case_number")
    assert published is not None
    return published


@transaction.atomic
def exposure_from_case(*, case_number: str, actor: User, values: dict[str, Any] | None = None) -> Article:
    """撰写曝光台文章: a draft of the actor's department from one of its closed cases with a published penalty
    decision (`case_not_closed`, `no_penalty_decision`, `decision_not_published` otherwise; a case out of scope is
    unknown, 404)."""
    require_author(actor, actor.department_id)
    number = text(case_number, "case_number", "案件编号", max_len=30)
    card = decision_card(number=number, reader=actor)
    if card.department_id != actor.department_id:
        raise AccessDenied("只能用本部门的案件生成曝光台文章", code="not_own_case")
    published = _published(card)
    given = values or {}
    title = text(given.get("title"), "title", "标题", required=False, max_len=TITLE_MAX)
    party = _party(published.fields) or "某当事人"
    texts = {"title": title or f"{party}违法案件曝光"[:TITLE_MAX], "summary": f"{card.cause}"[:500],
             "body": text(given.get("body"), "body", "正文", required=False, max_len=20000)
             or source_text(card, published)}
    assert card.decided_on is not None
    return create(actor, ArticleKind.EXPOSURE, texts, case_number=card.number, decision_number=card.decision_number,
                  decided_on=card.decided_on, party_name=_party(published.fields),
                  disclosure_number=published.number,
                  penalty=f"{card.penalties}{'，罚款' + card.fine + '元' if card.fine else ''}"[:300])
