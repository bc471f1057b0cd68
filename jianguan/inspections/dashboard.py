from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.registry import Card
from jianguan.core.roles import Role

from . import selectors


def cards(request: HttpRequest) -> list[Card]:
    due = selectors.due_list(reader=request.user)
    shown = [Card(title=_("应检未检（按检查频次）"), value=str(len(due)), url=reverse("inspections:due"), order=27,
                  note=_("本周期检查次数少于检查实施清单规定频次的主体"),
                  rows=[(f"{row['entity__name']}", f"{row['done']}/{row['required']}") for row in due[:5]])]
    if not request.user.has_role(Role.OFFICER):
        return shown
    tasks = selectors.task_list(reader=request.user).count()
    return [Card(title=_("我的行政检查任务"), value=str(tasks), url=reverse("inspections:field"), order=26,
                 note=_("待检查（含双随机抽查等任务派发）")), *shown]
