from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.http import holds_role
from jianguan.core.registry import NavItem

from .rules import EDITORS


def items(request: HttpRequest) -> list[NavItem]:
    if holds_role(request, *EDITORS):
        return [NavItem(_("隐去规则"), reverse("redaction:rules"), 95)]
    return []
