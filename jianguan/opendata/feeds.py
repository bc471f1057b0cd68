"""The Atom feed of newly published decisions (ADR 0051): the newest 50 the public list shows, each linking to its
public page, with only what that page shows (the published copy's kind, number, party and department)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from jianguan.disclosure import contracts as disclosure
from jianguan.disclosure.models import DisclosureItem

NEWEST = 50


class DecisionFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed
    title = _("执法决定公示")
    subtitle = _("新公示的行政执法决定")
    link = reverse_lazy("disclosure:public_list")

    def items(self) -> list[DisclosureItem]:
        return list(disclosure.public_item_list()[:NEWEST])

    def item_title(self, item: DisclosureItem) -> str:
        return f"{item.get_source_kind_display()} {item.decision_number} {item.party_name}"

    def item_description(self, item: DisclosureItem) -> str:
        view = disclosure.public_view(item)
        return f"{view['department']} · {view['status']}" + (f" · {view['withdraw_reason']}"
                                                              if view["withdraw_reason"] else "")

    def item_link(self, item: DisclosureItem) -> str:
        return reverse("disclosure:public_item", args=[item.number])

    def item_pubdate(self, item: DisclosureItem) -> dt.datetime | None:
        day = item.published_on
        return None if day is None else dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())

    def item_updateddate(self, item: DisclosureItem) -> Any:
        return item.updated_at
