"""What other apps may use of the exchange: sealing personal numbers in stored payloads (backup re-seals them on
key rotation)."""

from __future__ import annotations

from .sealing import PREFIX as PREFIX
from .sealing import open_body as open_body
from .sealing import seal_body as seal_body
