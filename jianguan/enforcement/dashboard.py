from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.registry import Card

from . import selectors


def cards(request: HttpRequest) -> list[Card]:
    counts = selectors.dashboard_counts(reader=request.user)
    return [Card(title=_("执法办案"), value=str(counts["open"]), url=reverse("enforcement:cases"), order=22,
                 rows=[(_("我承办的案件"), str(counts["mine"])), (_("我的逾期事项"), str(counts["overdue"])),
                       (_("即将到期"), str(counts["due_soon"]))])]
