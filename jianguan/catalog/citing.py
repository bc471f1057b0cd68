"""The 设定依据 of the catalog versions in force, for the knowledge base's index of who cites each article
(`core.registry.CitingSource`, ADR 0059): the published list is read by everyone signed in."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone

from jianguan.core.registry import CitingSource

from .models import CatalogVersion


def sources() -> Iterator[CitingSource]:
    today = timezone.localdate()
    for version in CatalogVersion.objects.in_force(today).prefetch_related("basis__law").order_by("code"):
        for ref in version.basis.all():
            yield CitingSource("catalog", f"{version.code}/{ref.position}", f"监管事项 {version.code} {version.name}",
                               reverse("catalog:item", args=[version.code]), str(ref), today)
