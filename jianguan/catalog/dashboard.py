from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.registry import Card

from . import selectors
from .models import Publication


def cards(request: HttpRequest) -> list[Card]:
    user = request.user
    today = selectors.today()
    items = selectors.item_list(as_of=today).count()
    mine = selectors.implementation_list(as_of=today, body=user.department_id).count()
    queue = selectors.change_list(reader=user, pending_review=True).count()
    latest = Publication.objects.first()
    rows = [(_("本部门实施清单"), f"{mine:,}"), (_("待我审核的变更"), str(queue))]
    if latest:
        rows.append((_("最新发布"), f"{latest.number}（{latest.published_at:%Y-%m-%d}）"))
    return [Card(title=_("监管事项清单（在用子项）"), value=f"{items:,}", url=reverse("catalog:list"), rows=rows,
                 order=5)]
