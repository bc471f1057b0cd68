"""The menu items of credit: the credit-risk classification for those who start or publish runs and the read-only
领导; the 经营异常名录 for the 市场监督管理 departments' people and the 领导; the 严重违法失信名单 for officers, heads
and 领导; the credit-repair queue (the departments' people and 领导)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.http import holds_role
from jianguan.core.registry import NavItem
from jianguan.core.roles import Role


def items(request: HttpRequest) -> list[NavItem]:
    found = []
    if holds_role(request, Role.HEAD, Role.DATA_ADMIN, Role.LEADER):
        found.append(NavItem(_("信用风险分类"), reverse("credit:runs"), 36))
    if holds_role(request, Role.OFFICER, Role.HEAD, Role.LEADER):
        found.append(NavItem(_("经营异常名录"), reverse("credit:abnormal"), 37))
        found.append(NavItem(_("严重违法失信名单"), reverse("credit:serious_list"), 38))
    if holds_role(request, Role.HEAD, Role.OFFICER, Role.DEPARTMENT_ADMIN, Role.LEADER):
        found.append(NavItem(_("信用修复"), reverse("credit:repairs"), 39))
    return found
