"""The menu item of the department evaluation, for those who run or read it."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.http import holds_role
from jianguan.core.registry import NavItem
from jianguan.core.roles import Role


def items(request: HttpRequest) -> list[NavItem]:
    if holds_role(request, Role.LEADER, Role.DATA_ADMIN, Role.SYSTEM_ADMIN, Role.HEAD, Role.DEPARTMENT_ADMIN):
        return [NavItem(_("部门考核"), reverse("evaluation:board"), 90)]
    return []
