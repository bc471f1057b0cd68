from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.registry import Card

from . import selectors


def cards(request: HttpRequest) -> list[Card]:
    counts = selectors.dashboard_counts(reader=request.user)
    return [Card(title=_("双随机一公开"), value=str(counts["tasks"]), url=reverse("spotchecks:index"), order=25,
                 rows=[(_("待我录入的检查"), str(counts["mine"])), (_("逾期未公示"), str(counts["overdue"])),
                       (_("待列入经营异常名录"), str(counts["abnormal"]))])]
