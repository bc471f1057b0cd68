"""A typical case (典型案例) on the workflow kernel (`core.workflow`, ADR 0031; ADR 0061): written by a person of a
department (an officer, legal reviewer or head) and entered into the library only after another person of the same
department — its legal reviewer or head, never the author — reviewed it (国办发〔2022〕27号: typical cases guide the
use of discretion, so what they teach is checked before it is taught)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jianguan.core.errors import AccessDenied, DomainError
from jianguan.core.roles import Role, same_person
from jianguan.core.workflow import Edge, Workflow, acts_for

from .models import EntryStatus as S

NEW = "new"  # before the entry exists
AUTHOR, REVIEWER = "author", "reviewer"

EDGES = (
    Edge(NEW, "submit", S.REVIEW, AUTHOR, "提交典型案例",
         fields=("title", "facts", "violation", "catalog_code", "article", "circumstances", "outcome", "fine")),
    Edge(S.DRAFT, "resubmit", S.REVIEW, AUTHOR, "修改后重新提交",
         fields=("title", "facts", "violation", "catalog_code", "article", "circumstances", "outcome", "fine")),
    Edge(S.REVIEW, "approve", S.PUBLISHED, REVIEWER, "审核通过并入库", fields=("opinion",)),
    Edge(S.REVIEW, "return", S.DRAFT, REVIEWER, "退回修改", fields=("opinion",)),
)


@dataclass(frozen=True)
class Facts:
    state: str
    actor: Any
    department_id: int | None
    author_id: int | None = None


def _author(edge: Edge, facts: Facts) -> DomainError | None:
    if facts.author_id is not None and getattr(facts.actor, "pk", None) != facts.author_id:
        return AccessDenied("只有编写人可以修改并重新提交", code="not_permitted")
    if acts_for(facts.actor, facts.department_id, Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD):
        return None
    return AccessDenied("只有本部门执法人员、法制审核人员或负责人可以编写典型案例", code="not_permitted")


def _reviewer(edge: Edge, facts: Facts) -> DomainError | None:
    if same_person(facts.author_id, facts.actor):
        return AccessDenied("编写人与审核人不得为同一人", code="same_person")
    if acts_for(facts.actor, facts.department_id, Role.LEGAL_REVIEWER, Role.HEAD):
        return None
    return AccessDenied("典型案例须由本部门法制审核人员或负责人审核", code="not_permitted")


WORKFLOW = Workflow(EDGES, who={AUTHOR: _author, REVIEWER: _reviewer})
