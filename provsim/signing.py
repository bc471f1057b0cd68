"""Ed25519 signatures over canonical JSON for the simulator's receipts.

Canonical JSON (the bytes that are signed): ``json.dumps(value, ensure_ascii=False, sort_keys=True,
separators=(",", ":"), allow_nan=False)`` encoded as UTF-8 — keys sorted by code point at every level, no
whitespace, non-ASCII characters as themselves, integers only (a receipt holds no floats). The signed value is the
receipt without its ``signature`` key (``key_id`` is included). Keys and signatures travel as standard base64
(RFC 4648 §4, with padding): the public key as its raw 32 bytes, the signature as its 64 bytes.

The private key is a 32-byte seed: given on the command line (``--signing-seed``, for tests and demos that need a
known key), or created once in the data directory (``signing_key``, hex) and read again on every start, so that
receipts stay verifiable across restarts.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

KEY_FILE = "signing_key"


def canonical_json(value: Any) -> bytes:
    """Serialise a JSON-native value canonically (the bytes a receipt's signature covers)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode("utf-8")


def parse_seed(seed_hex: str) -> bytes:
    """Turn a 64-hex-digit seed into its 32 bytes (ValueError otherwise)."""
    try:
        seed = bytes.fromhex(seed_hex.strip())
    except ValueError:
        raise ValueError("signing seed must be 64 hexadecimal digits") from None
    if len(seed) != 32:
        raise ValueError("signing seed must be 64 hexadecimal digits (32 bytes)")
    return seed


def load_or_create_seed(data_dir: Path) -> bytes:
    """Read the seed kept in the data directory, creating it (readable by the owner only) on first start."""
    path = data_dir / KEY_FILE
    if path.exists():
        return parse_seed(path.read_text(encoding="ascii"))
    seed = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(seed.hex() + "\n")
    return seed


class Signer:
    """Signs receipts with one Ed25519 key; ``key_id`` names the key (a hash of the public key)."""

    def __init__(self, seed: bytes) -> None:
        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        raw = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public_key_b64 = base64.b64encode(raw).decode("ascii")
        self.key_id = "provsim-" + hashlib.sha256(raw).hexdigest()[:16]

    def sign(self, receipt: dict[str, Any]) -> dict[str, Any]:
        """Return the receipt with ``key_id`` set and ``signature`` over the canonical JSON of the rest."""
        body = {key: value for key, value in receipt.items() if key != "signature"}
        body["key_id"] = self.key_id
        signature = self._key.sign(canonical_json(body))
        return {**body, "signature": base64.b64encode(signature).decode("ascii")}
