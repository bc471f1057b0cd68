from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.registry import NavItem


def items(request: HttpRequest) -> list[NavItem]:
    return [NavItem(_("风险预警"), reverse("risk:list"), 34), NavItem(_("风险预警月报"), reverse("risk:report"), 35),
            NavItem(_("登记数据"), reverse("risk:registers"), 36)]
