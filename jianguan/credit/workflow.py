"""A classification run as a table of the workflow kernel (`core.workflow`, ADR 0031; ADR 0040).

排队中 → 计算中 → 待发布 (or 失败) by the system that computes it; 待发布 → 已发布 by the publisher; a run published
later moves the one before to 已被新结果取代. A run whose scorecard's points ran against the observed problem rate
(monotonicity, docs/credit-classes.md) stays a draft: it cannot be published.

Who publishes (decided here): the 负责人 of the locality's own 市场监督管理局, the body 国市监信发〔2022〕6号 charges
with the classification; a 数据管理员 may start runs (and so may the monthly task and the command) but not publish —
the class steers every department's checks, so it is released by the line that answers for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jianguan.core.actors import Actor, Person, SystemActor
from jianguan.core.errors import AccessDenied, DomainError, ValidationFailed
from jianguan.core.roles import Role
from jianguan.core.workflow import Edge, Workflow, acts_for

from .models import RunStatus as S

SYSTEM = "system"
PUBLISHER = "publisher"

EDGES = (
    Edge(S.QUEUED, "start", S.RUNNING, SYSTEM, "开始计算"),
    Edge(S.RUNNING, "finish", S.DRAFT, SYSTEM, "计算完成"),
    Edge(S.QUEUED, "fail", S.FAILED, SYSTEM, "计算失败"),
    Edge(S.RUNNING, "fail", S.FAILED, SYSTEM, "计算失败"),
    Edge(S.DRAFT, "publish", S.PUBLISHED, PUBLISHER, "发布分类结果", guards=("monotonic",),
         citation="国市监信发〔2022〕6号"),
    Edge(S.PUBLISHED, "supersede", S.SUPERSEDED, PUBLISHER, "被新发布的分类结果取代"),
)


@dataclass(frozen=True)
class Facts:
    state: str
    actor: Any
    publisher_department_id: int | None  # the locality's 市场监督管理局
    violations: int = 0


def _system(edge: Edge, facts: Facts) -> DomainError | None:
    if isinstance(facts.actor, SystemActor):
        return None
    return AccessDenied("此步骤由系统执行", code="system_only")


def publisher_refusal(actor: Actor | Person, department_id: int | None) -> DomainError | None:
    """None when `actor` may publish scorecards and runs: the head of the locality's 市场监督管理局."""
    if acts_for(actor, department_id, Role.HEAD):
        return None
    return AccessDenied("只有本级市场监督管理局负责人可以发布信用风险分类", code="not_classification_publisher")


def _publisher(edge: Edge, facts: Facts) -> DomainError | None:
    return publisher_refusal(facts.actor, facts.publisher_department_id)


def _monotonic(facts: Facts) -> DomainError | None:
    if facts.violations:
        return ValidationFailed(f"该批次有 {facts.violations} 处单调性问题（指标分值与问题发现率方向相反），不能发布",
                                code="monotonicity_violated", field="violations")
    return None


RUNS = Workflow(EDGES, guards={"monotonic": _monotonic}, who={SYSTEM: _system, PUBLISHER: _publisher},
                state_label=lambda s: str(S(s).label))
