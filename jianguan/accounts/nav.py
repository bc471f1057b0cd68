from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.registry import NavItem
from jianguan.core.roles import Role

from .requests import SignedInRequest


def items(request: SignedInRequest) -> list[NavItem]:
    menu = [NavItem(_("组织机构"), reverse("accounts:org"), 80)]
    if request.user.has_role(Role.SYSTEM_ADMIN, Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN, Role.LEADER):
        menu.append(NavItem(_("人员"), reverse("accounts:users"), 85))
    return menu
