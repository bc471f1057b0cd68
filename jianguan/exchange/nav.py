from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.registry import NavItem

from .permissions import MONITORS, UPLOADERS


def items(request: HttpRequest) -> list[NavItem]:
    user = request.user
    found = [NavItem(_("待整改数据"), reverse("exchange:repairs"), 60)]
    if user.has_role(*UPLOADERS):
        found.append(NavItem(_("数据报送"), reverse("exchange:upload"), 61))
    if user.has_role(*MONITORS):
        found.append(NavItem(_("数据交换监控"), reverse("exchange:monitor"), 62))
    return found
