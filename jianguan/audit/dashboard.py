from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.core.http import reader_of
from jianguan.core.registry import Card

from .models import AuditEvent


def cards(request: HttpRequest) -> list[Card]:
    since = timezone.now() - dt.timedelta(days=1)
    recent = AuditEvent.objects.visible_to(reader_of(request)).filter(occurred_at__gte=since).count()
    return [Card(title=_("近 24 小时操作记录"), value=f"{recent:,}", url=reverse("audit:events"), order=90,
                 note=_("每一次写操作都记入防篡改审计链"))]
