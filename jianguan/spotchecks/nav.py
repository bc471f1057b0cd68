from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.registry import NavItem


def items(request: HttpRequest) -> list[NavItem]:
    return [NavItem(_("双随机一公开"), reverse("spotchecks:index"), 35),
            NavItem(_("我的检查任务"), reverse("spotchecks:my_checks"), 36),
            NavItem(_("重点监管名单"), reverse("spotchecks:key_supervision"), 37)]
