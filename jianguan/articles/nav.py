"""The menu item of articles: 监管动态 for the departments' authors, publishers, heads and the 领导."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.http import holds_role
from jianguan.core.registry import NavItem
from jianguan.core.roles import Role


def items(request: HttpRequest) -> list[NavItem]:
    if holds_role(request, Role.OFFICER, Role.DEPARTMENT_ADMIN, Role.PUBLISHER, Role.HEAD, Role.LEADER):
        return [NavItem(_("监管动态"), reverse("articles:list"), 60)]
    return []
