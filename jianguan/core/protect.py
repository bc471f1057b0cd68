"""Personal data at rest: sealed (AES-256-GCM) and findable by a keyed hash, shown masked.

ID numbers of natural persons are personal information (disclosure-credit.md §5; 个人信息保护法): stored only
sealed with the deployment's data key, compared through an HMAC of the normalised value, and displayed masked.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_VERSION = "v1"


def _key(key: bytes | None = None) -> bytes:
    return settings.JIANGUAN_DATA_KEY if key is None else key


def seal(text: str, *, key: bytes | None = None) -> str:
    """Encrypt `text`; the result names its version, carries its nonce and is safe to store as text. `key` is for
    the key rotation only (default: the deployment's data key)."""
    nonce = os.urandom(12)
    sealed = AESGCM(_key(key)).encrypt(nonce, text.encode(), _VERSION.encode())
    return f"{_VERSION}:{base64.b64encode(nonce + sealed).decode()}"


def unseal(value: str, *, key: bytes | None = None) -> str:
    version, _, payload = value.partition(":")
    if version != _VERSION:
        raise ValueError("unknown sealing version")
    raw = base64.b64decode(payload)
    return AESGCM(_key(key)).decrypt(raw[:12], raw[12:], _VERSION.encode()).decode()


def key_id(key: bytes | None = None) -> str:
    """A short name of a key that reveals nothing of it (for logs, audit events and backups)."""
    return hashlib.sha256(b"key-id:" + _key(key)).hexdigest()[:16]


def lookup_hash(text: str, *, key: bytes | None = None) -> str:
    """A keyed hash to find a sealed value by equality without storing it readable."""
    lookup_key = hashlib.sha256(b"lookup:" + _key(key)).digest()
    return hmac.new(lookup_key, text.strip().upper().encode(), hashlib.sha256).hexdigest()
