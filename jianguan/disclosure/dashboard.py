"""The dashboard tile of disclosure: items overdue (not published by their due day, not withdrawn by theirs)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.core.http import holds_role
from jianguan.core.registry import Card
from jianguan.core.roles import Role

from . import selectors


def cards(request: HttpRequest) -> list[Card]:
    if not holds_role(request, Role.OFFICER, Role.PUBLISHER, Role.HEAD, Role.LEADER):
        return []
    counts = selectors.item_counts(reader=request.user, today=timezone.localdate())  # type: ignore[arg-type]
    overdue = counts["publish_overdue"] + counts["withdraw_overdue"]
    return [Card(title=_("执法公示逾期"), value=str(overdue), url=reverse("disclosure:items") + "?overdue=1",
                 order=42, rows=[(_("逾期未公示"), str(counts["publish_overdue"])),
                                 (_("逾期未撤回"), str(counts["withdraw_overdue"])),
                                 (_("待审核"), str(counts["prepared"]))])]
