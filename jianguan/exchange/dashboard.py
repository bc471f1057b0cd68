from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.registry import Card

from . import selectors
from .permissions import MONITORS


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def cards(request: HttpRequest) -> list[Card]:
    """The reader's repair queue (one query); for the data administrator and leaders, the push (two more)."""
    user = request.user
    queue = selectors.queue_brief(reader=user)
    found = [Card(title=_("待整改数据"), value=str(queue["open"]), url=reverse("exchange:repairs"), order=40,
                  rows=[(_("近 7 日已整改"), str(queue["fixed_7"])),
                        (_("最久待整改（天）"), _days(queue["oldest_age_days"]))])]
    if user.has_role(*MONITORS):
        push = selectors.push_brief(reader=user)
        rate = push["failure_rate_24h"]
        found.append(Card(title=_("数据推送积压"), value=str(push["backlog"]), url=reverse("exchange:monitor"),
                          order=41, rows=[(_("最早未推送（小时）"), _days(push["oldest_unpushed_hours"])),
                                          (_("近 24 小时失败率"), "—" if rate is None else f"{rate}%")]))
    return found
