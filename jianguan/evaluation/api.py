"""`GET /api/v1/evaluation/{month}`: a month's evaluation as the page shows it, scoped the same way (a
department's people see its own score; those who read across departments see their jurisdiction's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from jianguan.core.api import ErrorOut, require_person
from jianguan.core.errors import NotFound
from jianguan.core.months import parse_month

from . import selectors
from .models import Level

router = Router(tags=["部门考核 evaluation"])


class EvaluationScoreOut(Schema):
    level: str
    department: int | None
    department_name: str | None
    region: str
    region_name: str
    score: float | None
    rank: int | None
    inputs: list[dict[str, Any]]


class EvaluationOut(Schema):
    month: str
    scheme: str
    total: int
    computed_at: dt.datetime
    scores: list[EvaluationScoreOut]


@router.get("/evaluation/{month}", response={200: EvaluationOut, 400: ErrorOut, 404: ErrorOut})
def evaluation_get(request: HttpRequest, month: str) -> dict[str, Any]:
    reader = require_person(request)
    found = selectors.evaluation_latest(parse_month(month, field="month"))
    if found is None:
        raise NotFound("该月尚未计算考核", code="evaluation_not_found")
    scores = [*selectors.score_list(reader=reader, evaluation=found),
              *selectors.score_list(reader=reader, evaluation=found, level=Level.REGION)]
    return {"month": found.month, "scheme": found.scheme.version, "total": found.scheme.total,
            "computed_at": found.computed_at,
            "scores": [{"level": s.level, "department": s.department_id,
                        "department_name": s.department.name if s.department else None, "region": s.region_id,
                        "region_name": s.region.name, "score": s.score, "rank": s.rank, "inputs": s.inputs}
                       for s in scores]}
