from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.registry import Card

from . import selectors


def cards(request: HttpRequest) -> list[Card]:
    counts = selectors.dashboard_counts(reader=request.user)
    return [Card(title=_("行政强制"), value=str(counts["in_force"]), note=_("实施中的措施"),
                 url=reverse("coercion:index"), order=28,
                 rows=[(_("逾期（应解除或补批）"), str(counts["overdue"])),
                       (_("待负责人批准"), str(counts["awaiting"])),
                       (_("办理中的强制执行"), str(counts["executions"]))])]
