from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.registry import Card
from jianguan.core.roles import Role

from . import selectors


def cards(request: HttpRequest) -> list[Card]:
    if not request.user.has_role(Role.OFFICER):
        return []
    tasks = selectors.my_tasks(reader=request.user).count()
    return [Card(title=_("我的行政检查任务"), value=str(tasks), url=reverse("inspections:field"), order=26,
                 note=_("待检查（含双随机抽查等任务派发）"))]
