"""`/api/v1/enforcement/…`: cases, steps, documents and evidence."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["执法办案 enforcement"])
