"""The menu item of joint supervision: the city's joint plans, for the departments' people and 领导."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.http import holds_role
from jianguan.core.registry import NavItem
from jianguan.core.roles import Role


def items(request: HttpRequest) -> list[NavItem]:
    if holds_role(request, Role.OFFICER, Role.HEAD, Role.LEADER):
        return [NavItem(_("联合抽查"), reverse("joint:plans"), 36)]
    return []
