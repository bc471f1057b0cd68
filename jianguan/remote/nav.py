from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.registry import NavItem


def items(request: HttpRequest) -> list[NavItem]:
    return [NavItem(_("非现场监管"), reverse("remote:board"), 38), NavItem(_("告警处置"), reverse("remote:queue"), 39)]
