from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.registry import NavItem
from jianguan.core.roles import Role


def items(request: HttpRequest) -> list[NavItem]:
    user = request.user
    menu = [NavItem(_("监管事项清单"), reverse("catalog:list"), 10)]
    if user.has_role(Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN, Role.LEADER):
        menu.append(NavItem(_("认领情况"), reverse("catalog:claims"), 11))
    if user.has_role(Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN):
        menu.append(NavItem(_("清单变更"), reverse("catalog:changes"), 12))
    if user.has_role(Role.DATA_ADMIN):
        menu.append(NavItem(_("发布清单"), reverse("catalog:publish"), 13))
    return menu
