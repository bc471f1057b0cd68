"""Personal data in exchanged records: bodies kept sealed, natural persons' ID numbers sealed inside records.

A call's body is kept exactly as received (an `Intake`), but records may carry the ID number of a natural person
(行政相对人编码), which is stored only sealed (ARCHITECTURE invariant 13). So the body is kept sealed with the
deployment's data key (compressed, then AES-256-GCM with the key of `core.protect`), with the SHA-256 and size of
its clear bytes beside it; inside the outbox and the repair queue an ID number is replaced by
`sealed:<core.protect.seal(...)>` and opened only to push it upward.
"""

from __future__ import annotations

import os
import zlib
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from jianguan.core.codes import mask_ric, ric_error
from jianguan.core.protect import seal, unseal

_BODY = b"jgx1"  # format tag and associated data of a sealed body
PREFIX = "sealed:"
# Fields that may hold a natural person's ID number (a list field: any of its items).
PERSON_FIELDS = ("party_code", "id_number", "legal_rep_id_number", "object_codes")


def seal_body(data: bytes, *, key: bytes | None = None) -> bytes:
    """`jgx1` + nonce + AES-256-GCM of the zlib-compressed body (exchange bodies are repetitive JSON or tables:
    compressing first keeps years of kept calls small, and costs less than writing them whole). `key` is for the
    key rotation only."""
    nonce = os.urandom(12)
    return _BODY + nonce + AESGCM(key or settings.JIANGUAN_DATA_KEY).encrypt(nonce, zlib.compress(data, 1), _BODY)


def open_body(sealed: bytes, *, key: bytes | None = None) -> bytes:
    """The body exactly as received."""
    sealed = bytes(sealed)
    if not sealed.startswith(_BODY):
        raise ValueError("not a sealed exchange body")
    nonce, box = sealed[4:16], sealed[16:]
    return zlib.decompress(AESGCM(key or settings.JIANGUAN_DATA_KEY).decrypt(nonce, box, _BODY))


def is_person_id(value: Any) -> bool:
    """Whether `value` reads as a resident ID number (its shape, birth date and check character), and not as a
    统一社会信用代码; a value that could be either is treated as an ID number (sealing it costs nothing)."""
    text = str(value or "").strip().upper()
    return len(text) == 18 and ric_error(text) is None


def _sealed(value: Any) -> Any:
    if isinstance(value, list):
        return [_sealed(x) for x in value]
    return PREFIX + seal(str(value).strip().upper()) if is_person_id(value) else value


def protect_record(data: dict[str, Any]) -> dict[str, Any]:
    """The record with every natural person's ID number sealed (a new dict; `data` is not changed)."""
    out = dict(data)
    for name in PERSON_FIELDS:
        if name in out and not (isinstance(out[name], str) and out[name].startswith(PREFIX)):
            out[name] = _sealed(out[name])
    return out


def _opened(value: Any, show: Any) -> Any:
    if isinstance(value, list):
        return [_opened(x, show) for x in value]
    return show(unseal(value[len(PREFIX):])) if isinstance(value, str) and value.startswith(PREFIX) else value


def _has_sealed(data: dict[str, Any]) -> bool:
    return any((isinstance(v, str) and v.startswith(PREFIX))
               or (isinstance(v, list) and any(isinstance(x, str) and x.startswith(PREFIX) for x in v))
               for v in data.values())


def reveal_record(data: dict[str, Any]) -> dict[str, Any]:
    """The record with sealed values opened (to push them to the receiver, or to check a fix)."""
    if not _has_sealed(data):
        return data
    return {k: _opened(v, str) for k, v in data.items()}


def shown_record(data: dict[str, Any]) -> dict[str, Any]:
    """The record for a page: sealed ID numbers masked."""
    return {k: _opened(v, mask_ric) for k, v in data.items()}
