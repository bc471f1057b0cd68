from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.registry import NavItem
from jianguan.core.roles import Role


def items(request: HttpRequest) -> list[NavItem]:
    entries = [NavItem(_("行政检查"), reverse("inspections:list"), 37)]
    if request.user.has_role(Role.OFFICER):
        entries.append(NavItem(_("现场检查"), reverse("inspections:field"), 38))
    return entries
