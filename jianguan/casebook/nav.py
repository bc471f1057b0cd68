"""The menu items of the case library and the discretion benchmarks, for the departments' people and 领导."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.http import holds_role
from jianguan.core.registry import NavItem
from jianguan.core.roles import Role


def items(request: HttpRequest) -> list[NavItem]:
    if holds_role(request, Role.OFFICER, Role.HEAD, Role.LEGAL_REVIEWER, Role.LEADER, Role.DATA_ADMIN,
                  Role.SYSTEM_ADMIN):
        return [NavItem(_("案例库"), reverse("casebook:list"), 38),
                NavItem(_("裁量基准"), reverse("discretion:list"), 39)]
    return []
