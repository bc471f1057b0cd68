"""结果互认 (mutual recognition of results, 国发〔2019〕5号: 一次检查、结果互认, not re-inspected): a department's
result of its item in a joint visit stands for every participant for `JIANGUAN_JOINT_RECOGNITION_DAYS` days; a
proposal of the same entity and item within that window is refused as already checked (`already_checked`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings

from jianguan.core.validation import require

from .models import VisitResult


def require_not_recognised(entity_ids: Iterable[int], items: Iterable[str], start: dt.date) -> None:
    """Refuse a task whose entity and item a joint visit checked within the recognition window before `start`."""
    days = settings.JIANGUAN_JOINT_RECOGNITION_DAYS
    found = VisitResult.objects.filter(
        visit__entity_id__in=list(entity_ids), item__in=list(items),
        visit__visited_on__gte=start - dt.timedelta(days=days), visit__visited_on__lte=start).select_related(
        "visit", "visit__entity").order_by("-visit__visited_on").first()
    require(found is None, "" if found is None else
            f"检查对象“{found.visit.entity.uscc}”的检查事项“{found.item}”已于{found.visit.visited_on:%Y-%m-%d}在联合检查"
            f"{found.visit.number}中检查，{days} 天结果互认期内不再重复检查（结果互认）", "already_checked", "entities")
