"""The kernel's dashboard card: a reminder to configure next year's holidays before deadlines reach it."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from .calendar import unknown_years
from .http import holds_role
from .registry import Card
from .roles import Role


def cards(request: HttpRequest) -> list[Card]:
    if not holds_role(request, Role.SYSTEM_ADMIN, Role.DATA_ADMIN):
        return []
    missing = unknown_years(start=timezone.localdate())
    if not missing:
        return []
    return [Card(title=_("节假日安排未配置"), value="、".join(str(y) for y in missing), order=1,
                 note=_("这些年份的工作日期限暂按周一至周五计算（不晚于法定期限）；请按国务院办公厅通知录入节假日与调休。"))]
