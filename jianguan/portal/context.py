"""Template context shared by every page: site name, menu, the user's roles."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from jianguan.accounts.models import Region, User
from jianguan.core.registry import nav_items
from jianguan.core.roles import Role


@lru_cache(maxsize=4)
def _site_name(locality: str, configured: str) -> str:
    if configured:
        return configured
    city = Region.objects.filter(code=locality).values_list("name", flat=True).first()
    return f"{city or ''}互联网+监管平台"


def site_name() -> str:
    return _site_name(settings.JIANGUAN_LOCALITY, settings.JIANGUAN_SITE_NAME)


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    person = user if isinstance(user, User) and user.is_authenticated else None
    return {
        "site_name": site_name(),
        "nav": nav_items(request) if person else [],
        "role_labels": [Role(r).label for r in sorted(person.roles)] if person else [],
    }
