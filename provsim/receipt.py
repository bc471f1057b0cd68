"""Check a receipt's signature: the whole rule in one function a sender can copy.

A receipt is valid when ``signature`` (standard base64 of 64 bytes) is the Ed25519 signature, by the key whose raw
32 bytes ``public_key_b64`` holds (``GET /api/public-key``), of the UTF-8 bytes of
``json.dumps(receipt_without_signature, ensure_ascii=False, sort_keys=True, separators=(",", ":"))``.
Needs only the standard library and ``cryptography``.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def verify(receipt: dict[str, Any], public_key_b64: str) -> bool:
    """Return True when the receipt carries a valid signature by the given public key."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64, validate=True))
        signature = base64.b64decode(receipt["signature"], validate=True)
        body = {k: v for k, v in receipt.items() if k != "signature"}
        message = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        key.verify(signature, message)
    except (InvalidSignature, KeyError, TypeError, ValueError, AttributeError):
        return False
    return True
