"""`/api/v1/inspections/…`."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["行政检查 inspections"])
