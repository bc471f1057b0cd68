"""Computing a month's evaluation: every measure of the scheme counted once for all departments (grouped
aggregates in the apps' `kpi.py`), each department scored, each region scored on its departments' counts
together, ranks given; stored with the inputs in one transaction and recorded in the audit chain."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from jianguan.accounts.models import Department
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor, actor_ref, person
from jianguan.core.errors import AccessDenied
from jianguan.core.months import month_days, parse_month
from jianguan.core.registry import evaluation_measures
from jianguan.core.roles import Role

from . import scoring
from .models import Evaluation, Level, Score
from .scheme import scheme_for


def _counts(weights: list[dict[str, object]], month: str) -> dict[str, dict[int, tuple[int, int]]]:
    first, last = month_days(month)
    known = evaluation_measures()
    return {str(w["measure"]): known[str(w["measure"])].count(first, last) for w in weights}


def _summed(parts: list[tuple[int, int]]) -> tuple[int, int]:
    return sum(done for done, _ in parts), sum(due for _, due in parts)


@transaction.atomic
def evaluation_run(*, actor: Actor, month: str) -> Evaluation:
    """The evaluation of `month` (YYYY-MM, not after this month) under the scheme in force on its first day."""
    someone = person(actor)
    if someone is not None and not someone.has_role(Role.DATA_ADMIN, Role.SYSTEM_ADMIN):
        raise AccessDenied("只有数据管理员或系统管理员可以计算月度考核", code="role_required")
    month = parse_month(month)
    scheme = scheme_for(month_days(month)[0])
    titles = {code: measure.title for code, measure in evaluation_measures().items()}
    counts = _counts(scheme.weights, month)
    departments = list(Department.objects.filter(is_active=True).order_by("pk"))
    evaluation = Evaluation.objects.create(month=month, scheme=scheme, computed_by=actor_ref(actor).label[:100],
                                           departments=len(departments))
    rows: list[Score] = []
    by_region: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for department in departments:
        own = {code: found[department.pk] for code, found in counts.items() if department.pk in found}
        for code, pair in own.items():
            by_region[department.region_id][code].append(pair)
        value, shown = scoring.score(scoring.inputs_of(scheme.weights, titles, own), scheme.total)
        rows.append(Score(evaluation=evaluation, level=Level.DEPARTMENT, department=department,
                          region_id=department.region_id, score=value, inputs=shown))
    for region, parts in sorted(by_region.items()):
        own = {code: _summed(pairs) for code, pairs in parts.items()}
        value, shown = scoring.score(scoring.inputs_of(scheme.weights, titles, own), scheme.total)
        rows.append(Score(evaluation=evaluation, level=Level.REGION, region_id=region, score=value, inputs=shown))
    for level in Level.values:
        ranked = scoring.ranks({id(row): row.score for row in rows if row.level == level})
        for row in rows:
            row.rank = ranked.get(id(row)) if row.level == level else row.rank
    Score.objects.bulk_create(rows, batch_size=500)
    record(actor=actor, verb="evaluation.computed", target=evaluation,
           data={"month": month, "scheme": scheme.version, "departments": len(departments)})
    return evaluation
