from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.http import holds_role
from jianguan.core.registry import NavItem
from jianguan.core.roles import Role


def items(request: HttpRequest) -> list[NavItem]:
    entries = [NavItem(_("执法文书"), reverse("documents:index"), 60)]
    if holds_role(request, Role.SYSTEM_ADMIN):
        entries.append(NavItem(_("文书模板"), reverse("documents:templates"), 61))
    return entries
