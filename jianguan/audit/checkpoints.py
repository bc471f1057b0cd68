"""检查点 (checkpoints): signed statements of the audit chain's head, kept outside the rows they vouch for (ADR 0023).

A checkpoint says "the chain's event `seq` had digest `hash` at `made_at`", signed with Ed25519 by a key that is
not in the database (`JIANGUAN_CHECKPOINT_KEY` or var/checkpoint_key). The signed bytes are the canonical JSON of
`statement(...)`; the published form (`document`) adds the public key and the signature (base64). Whoever holds
the database but not the key can delete or rewrite events and the head together, but cannot sign a checkpoint for
the rewritten chain, and the checkpoints signed before — in the database, in the checkpoint directory, on the
public portal and wherever they were copied — no longer match it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings

from jianguan.core.canonical import canonical_json, to_jsonable

from .models import Checkpoint

SCHEME = "jianguan-audit-checkpoint-v1"


def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(settings.JIANGUAN_CHECKPOINT_KEY)


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(public_raw: bytes) -> str:
    """A key's short name: the first 16 hex digits of SHA-256 of its raw 32 bytes."""
    return hashlib.sha256(public_raw).hexdigest()[:16]


def public_key() -> str:
    """The current signing key's public half, base64 of its raw 32 bytes."""
    return base64.b64encode(_raw(signing_key().public_key())).decode()


def trusted_keys(extra: Iterable[str] = ()) -> dict[str, Ed25519PublicKey]:
    """The public keys whose signatures count, by key id: the current key, the configured earlier ones
    (`JIANGUAN_CHECKPOINT_PAST_KEYS`) and any given (an outside verifier's own copy). A key published next to a
    checkpoint is never trusted by itself."""
    keys: dict[str, Ed25519PublicKey] = {}
    for text in (public_key(), *settings.JIANGUAN_CHECKPOINT_PAST_KEYS, *extra):
        try:
            raw = base64.b64decode(str(text).strip(), validate=True)
        except (binascii.Error, ValueError):
            continue
        if len(raw) == 32:
            keys[key_id(raw)] = Ed25519PublicKey.from_public_bytes(raw)
    return keys


def statement(*, seq: int, hash: str, made_at: str, key_id: str) -> dict[str, Any]:
    """What is signed (as canonical JSON)."""
    return {"scheme": SCHEME, "seq": seq, "hash": hash, "made_at": made_at, "key_id": key_id}


def sign(*, seq: int, hash: str, made_at: str) -> dict[str, Any]:
    """The published form of a new checkpoint: the statement, the public key and the signature."""
    key = signing_key()
    public_raw = _raw(key.public_key())
    body = statement(seq=seq, hash=hash, made_at=made_at, key_id=key_id(public_raw))
    return {**body, "public_key": base64.b64encode(public_raw).decode(),
            "signature": base64.b64encode(key.sign(canonical_json(body))).decode()}


def document(checkpoint: Checkpoint) -> dict[str, Any]:
    """A stored checkpoint in its published form."""
    body = statement(seq=checkpoint.seq, hash=checkpoint.hash, made_at=to_jsonable(checkpoint.made_at),
                     key_id=checkpoint.key_id)
    return {**body, "public_key": checkpoint.public_key, "signature": checkpoint.signature}


def signature_problem(doc: dict[str, Any], keys: dict[str, Ed25519PublicKey]) -> str | None:
    """Why a checkpoint's signature does not hold, or None when it does."""
    try:
        body = statement(seq=int(doc["seq"]), hash=str(doc["hash"]), made_at=str(doc["made_at"]),
                         key_id=str(doc["key_id"]))
        signature = base64.b64decode(str(doc["signature"]), validate=True)
    except (KeyError, TypeError, ValueError, binascii.Error):
        return "检查点格式不符（须有 seq、hash、made_at、key_id、signature）"
    if doc.get("scheme", SCHEME) != SCHEME:
        return f"检查点方案“{doc.get('scheme')}”不受支持"
    key = keys.get(body["key_id"])
    if key is None:
        return f"签名密钥 {body['key_id']} 不受信任"
    try:
        key.verify(signature, canonical_json(body))
    except InvalidSignature:
        return "签名无效（检查点被改动或伪造）"
    return None


def write_file(doc: dict[str, Any], directory: Path | None = None) -> Path:
    """Write a checkpoint as its own JSON file (the copy outside the database's rows)."""
    directory = Path(directory or settings.JIANGUAN_CHECKPOINT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = doc["made_at"].replace("-", "").replace(":", "").replace(".", "")
    path = directory / f"{stamp}-{doc['seq']}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


class CheckpointFileError(ValueError):
    pass


def read_file(path: Path) -> list[dict[str, Any]]:
    """The checkpoints in a file: one checkpoint, a list of them, or the public portal's listing
    (`{"public_key": …, "checkpoints": […]}`)."""
    try:
        content = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CheckpointFileError(f"无法读取检查点文件 {path}：{exc}") from exc
    if isinstance(content, dict) and isinstance(content.get("checkpoints"), list):
        content = content["checkpoints"]
    items = content if isinstance(content, list) else [content]
    if not all(isinstance(item, dict) for item in items):
        raise CheckpointFileError(f"检查点文件 {path} 的格式不符")
    return items


def stored() -> list[dict[str, Any]]:
    """Every checkpoint the platform holds: the database's rows and the files of the checkpoint directory."""
    docs = [document(c) for c in Checkpoint.objects.order_by("made_at", "pk")]
    directory = Path(settings.JIANGUAN_CHECKPOINT_DIR)
    if directory.is_dir():
        for path in sorted(directory.glob("*.json")):
            docs.extend(read_file(path))
    return docs
