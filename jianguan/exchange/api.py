"""`/api/v1/exchange/…`."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["数据交换 exchange"])
