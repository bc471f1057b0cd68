"""Template context shared by every page: site name, menu, the user's roles."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

from jianguan.accounts.models import Region, Role
from jianguan.core.registry import nav_items


@lru_cache(maxsize=4)
def _site_name(locality: str, configured: str) -> str:
    if configured:
        return configured
    city = Region.objects.filter(code=locality).values_list("name", flat=True).first()
    return f"{city or ''}互联网+监管平台"


def site_name() -> str:
    return _site_name(settings.JIANGUAN_LOCALITY, settings.JIANGUAN_SITE_NAME)


def portal(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "site_name": site_name(),
        "nav": nav_items(request) if signed_in else [],
        "role_labels": [Role(r).label for r in sorted(user.roles)] if signed_in else [],
    }
