"""The menu item of disclosure: the work list for the departments' officers, publishers, heads and 领导."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.http import holds_role
from jianguan.core.registry import NavItem
from jianguan.core.roles import Role


def items(request: HttpRequest) -> list[NavItem]:
    if holds_role(request, Role.OFFICER, Role.PUBLISHER, Role.HEAD, Role.LEADER):
        return [NavItem(_("执法公示"), reverse("disclosure:items"), 40)]
    return []
