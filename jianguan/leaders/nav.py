"""The menu item of the leaders' dashboard, for those who may open it."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.http import holds_role
from jianguan.core.registry import NavItem

from .board import READERS


def items(request: HttpRequest) -> list[NavItem]:
    return [NavItem(_("领导驾驶舱"), reverse("leaders:board"), 5)] if holds_role(request, *READERS) else []
