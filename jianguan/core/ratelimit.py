"""Rate limits per source address for what anyone may call without signing in (the public complaint form, the
token endpoint), counted in Django's cache: a fixed window per (purpose, address)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest

from .errors import DomainError


class Throttled(DomainError):
    """Too many requests from one address; `retry_after` seconds until the window ends."""

    status = 429
    code = "throttled"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"请求过于频繁，请在 {retry_after} 秒后再试", extra={"retry_after": retry_after})
        self.retry_after = retry_after


def address(request: HttpRequest) -> str:
    """The caller's address as the server sees it (REMOTE_ADDR; a proxy in front must set it to the client's)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def hit(request: HttpRequest, purpose: str, *, limit: int, window: int) -> None:
    """Count one request of `purpose` from the caller's address; raise Throttled when the window already holds
    `limit` of them. A `limit` of 0 turns the limit off."""
    if limit <= 0:
        return
    now = int(time.time())
    start = now - now % window
    key = f"rate:{purpose}:{address(request)}:{start}"
    if cache.add(key, 1, timeout=window + 1):
        return
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens a new window
        cache.add(key, 1, timeout=window + 1)
        return
    if count > limit:
        raise Throttled(max(1, start + window - now))
