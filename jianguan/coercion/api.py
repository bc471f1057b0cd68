"""`/api/v1/coercion/…`."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["行政强制 coercion"])
