from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.registry import NavItem


def items(request: HttpRequest) -> list[NavItem]:
    return [NavItem(_("执法办案"), reverse("enforcement:cases"), 31),
            NavItem(_("办案期限"), reverse("enforcement:deadlines"), 32)]
