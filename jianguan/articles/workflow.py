"""An article as a table of the workflow kernel (`core.workflow`, ADR 0031; ADR 0049).

草稿 → 待审核 → 已发布 → 已撤回; 待审核 → 草稿 when the reviewer returns it with a note.

Who acts: the department's officers and administrators write (撰稿) and submit; its publisher (信息发布审核人) or
head reviews, publishes, returns and withdraws — never the person who wrote or submitted the article
(`same_person`, 403), whatever roles they hold. An article is never published without that review (《政府信息公开
条例》第十七条: the body establishes a review of information before it is published), and a withdrawal gives its
reason, shown on the article's page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jianguan.core.errors import AccessDenied, DomainError, InvalidTransition, ValidationFailed
from jianguan.core.roles import Role, same_person
from jianguan.core.workflow import Edge, Workflow, acts_for, not_in_order

from .models import ArticleStatus as S

AUTHORS = "department_authors"
REVIEWERS = "department_reviewers"
AUTHOR_ROLES = (Role.OFFICER, Role.DEPARTMENT_ADMIN)
REVIEWER_ROLES = (Role.PUBLISHER, Role.HEAD)
REVIEW_RULE = "《政府信息公开条例》第十七条"

EDGES = (
    Edge(S.DRAFT, "submit", S.REVIEW, AUTHORS, "提交审核"),
    Edge(S.REVIEW, "publish", S.PUBLISHED, REVIEWERS, "审核通过并发布", citation=REVIEW_RULE),
    Edge(S.REVIEW, "return", S.DRAFT, REVIEWERS, "退回修改", guards=("note_given",), fields=("note",)),
    Edge(S.PUBLISHED, "withdraw", S.WITHDRAWN, REVIEWERS, "撤回", guards=("reason_given",), fields=("reason",)),
)


@dataclass(frozen=True)
class Facts:
    state: str
    actor: Any
    department_id: int
    writers: tuple[int | None, ...] = ()  # the author and the person who submitted it
    note: str = ""


def _authors(edge: Edge, facts: Facts) -> DomainError | None:
    if acts_for(facts.actor, facts.department_id, *AUTHOR_ROLES):
        return None
    return AccessDenied("只有本部门的执法人员或部门管理员可以撰写和提交文章", code="not_department_author")


def _reviewers(edge: Edge, facts: Facts) -> DomainError | None:
    if not acts_for(facts.actor, facts.department_id, *REVIEWER_ROLES):
        return AccessDenied("只有本部门的信息发布审核人或负责人可以审核、发布和撤回文章",
                            code="not_department_publisher")
    if any(same_person(writer, facts.actor) for writer in facts.writers):
        return AccessDenied("撰稿人、提交人不得审核发布本人的文章", code="same_person")
    return None


def _note_given(facts: Facts) -> DomainError | None:
    if facts.note.strip():
        return None
    return ValidationFailed("“退回意见”为必填项：退回修改须说明理由", code="note_required", field="note")


def _reason_given(facts: Facts) -> DomainError | None:
    if facts.note.strip():
        return None
    return ValidationFailed("“撤回原因”为必填项：撤回已发布的文章须说明原因并公开", code="withdrawal_reason_required",
                            field="reason")


def _out_of_order(workflow: Workflow, facts: Any, action: str) -> DomainError:
    """Out of order as the kernel says it; publishing what has not been reviewed names the review rule."""
    refusal = not_in_order(workflow, facts, action)
    if action == "publish" and facts.state == S.DRAFT:
        return InvalidTransition(f"文章须先提交审核，经信息发布审核人审核后才能发布（{REVIEW_RULE}）",
                                 code="invalid_transition", extra={**refusal.extra, "rule": "review_required"})
    return refusal


ARTICLES = Workflow(EDGES, guards={"note_given": _note_given, "reason_given": _reason_given},
                    who={AUTHORS: _authors, REVIEWERS: _reviewers}, state_label=lambda s: str(S(s).label),
                    out_of_order=_out_of_order)
