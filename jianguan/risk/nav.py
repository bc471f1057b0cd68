from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.http import holds_role
from jianguan.core.registry import NavItem
from jianguan.core.roles import Role


def items(request: HttpRequest) -> list[NavItem]:
    found = [NavItem(_("风险预警"), reverse("risk:list"), 34), NavItem(_("风险预警月报"), reverse("risk:report"), 35),
             NavItem(_("登记数据"), reverse("risk:registers"), 36)]
    if holds_role(request, Role.DATA_ADMIN):
        found.append(NavItem(_("导入监测数据"), reverse("risk:files"), 37))
    return found
