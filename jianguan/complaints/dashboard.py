from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.http import reader_of
from jianguan.core.registry import Card

from . import selectors


def cards(request: HttpRequest) -> list[Card]:
    counts = selectors.overdue_counts(reader=reader_of(request))
    return [Card(title=_("待办投诉举报"), value=str(counts["open"]), url=reverse("complaints:list"), order=20,
                 rows=[(_("逾期未作受理决定"), str(counts["decision_overdue"])),
                       (_("逾期未办结"), str(counts["handling_overdue"]))])]
