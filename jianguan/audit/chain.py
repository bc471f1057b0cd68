"""Canonical form of an event and verification of the whole chain (no writes here)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from jianguan.core.canonical import canonical_json, to_jsonable
from jianguan.core.hashing import digest_function

from . import checkpoints as checkpoints_
from .models import GENESIS_HASH, AuditEvent, ChainHead

FIELDS = ("seq", "occurred_at", "actor_kind", "actor_id", "actor_label", "verb", "target_type", "target_id",
          "target_label", "region_code", "department_id", "payload", "algorithm", "prev_hash")
# Scheme 2 hashes every stored column: the row's `id` and the scheme itself as well (ADR 0023).
SCHEME = 2
FIELDS_2 = ("id", *FIELDS, "scheme")


def event_body(values: dict[str, Any]) -> bytes:
    """The canonical bytes hashed for one event: every stored column but `hash` itself (scheme 1, `scheme`
    NULL: every column but `id` as well)."""
    names = FIELDS_2 if values.get("scheme") == SCHEME else FIELDS
    if values.get("scheme") not in (None, SCHEME):
        raise ValueError(f"unknown scheme {values.get('scheme')!r}")
    return canonical_json({name: to_jsonable(values[name]) for name in names})


def event_hash(values: dict[str, Any]) -> str:
    return digest_function(values["algorithm"])(event_body(values))


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold."""

    seq: int | None
    event_id: int | None
    rule: str
    detail: str

    def __str__(self) -> str:
        where = f"事件 #{self.seq}（id={self.event_id}）" if self.seq is not None else "链头"
        return f"{where}：{self.detail} [{self.rule}]"


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    head_seq: int
    head_hash: str
    broken: Break | None
    checkpoints: int = 0

    @property
    def ok(self) -> bool:
        return self.broken is None


def _events(batch: int = 5000) -> Iterator[dict[str, Any]]:
    columns = ("hash", *FIELDS_2)
    yield from AuditEvent.objects.order_by("seq").values(*columns).iterator(chunk_size=batch)


def verify(events: Iterable[dict[str, Any]] | None = None, checkpoints: list[dict[str, Any]] | None = None,
           public_keys: Iterable[str] = ()) -> VerifyResult:
    """Recompute the chain from the first event; name the first event that breaks it; then hold it against every
    signed checkpoint (by default those in the database and the checkpoint directory, `checkpoints.stored()`).

    Detects an edited row (its hash no longer matches its fields), a deleted row (a gap in `seq` and a broken
    link), an inserted row (a link or sequence that does not fit, or a tail that the head does not know), a tail
    deleted together with the head (the chain ends before a signed checkpoint), a chain rewritten from some event
    on (an event's digest differs from a checkpoint's) and a checkpoint whose signature does not hold.
    """
    docs = checkpoints_.stored() if checkpoints is None else checkpoints
    wanted = {_seq_of(doc) for doc in docs}
    found: dict[int, str] = {}
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for row in _events() if events is None else events:
        seq, event_id = row["seq"], row["id"]
        if seq != expected_seq:
            return VerifyResult(checked, expected_seq - 1, expected_prev, Break(
                seq, event_id, "sequence", f"序号应为 {expected_seq}，实为 {seq}（有事件被删除或插入）"))
        if row["prev_hash"] != expected_prev:
            return VerifyResult(checked, seq - 1, expected_prev, Break(
                seq, event_id, "link", "前一事件摘要与上一事件不符（有事件被删除、插入或改动）"))
        try:
            recomputed = event_hash(row)
        except (TypeError, ValueError) as exc:
            return VerifyResult(checked, seq - 1, expected_prev, Break(seq, event_id, "form", f"内容无法规范化：{exc}"))
        if recomputed != row["hash"]:
            return VerifyResult(checked, seq - 1, expected_prev, Break(
                seq, event_id, "hash", "摘要与内容不符（事件被改动）"))
        expected_prev = row["hash"]
        expected_seq += 1
        checked += 1
        if seq in wanted:
            found[seq] = row["hash"]
    head = ChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if (head_seq, head_hash) != (checked, expected_prev):
        if head_seq < checked:
            last = AuditEvent.objects.filter(seq=head_seq + 1).values_list("id", flat=True).first()
            broken = Break(head_seq + 1, last, "head", f"链头记录到第 {head_seq} 号，其后的事件未经登记（被插入）")
        else:
            broken = Break(None, None, "head",
                           f"链头记录到第 {head_seq} 号，实有 {checked} 个连续事件（末尾事件被删除）")
        return VerifyResult(checked, head_seq, head_hash, broken)
    found[0] = GENESIS_HASH
    late = _against_checkpoints(docs, found, checked, checkpoints_.trusted_keys(public_keys))
    return VerifyResult(checked, head_seq, head_hash, late, len(docs))


def _seq_of(doc: dict[str, Any]) -> int:
    try:
        return int(doc["seq"])
    except KeyError:
        return -1
    except (TypeError, ValueError):
        return -1


def _against_checkpoints(docs: list[dict[str, Any]], found: dict[int, str], last: int,
                         keys: dict[str, Any]) -> Break | None:
    """The first checkpoint the chain does not hold up to, newest first."""
    for doc in sorted(docs, key=_seq_of, reverse=True):
        where = f"检查点（#{doc.get('seq')}，{doc.get('made_at')}）"
        problem = checkpoints_.signature_problem(doc, keys)
        if problem:
            return Break(None, None, "signature", f"{where}：{problem}")
        seq = int(doc["seq"])
        if seq > last:
            return Break(seq, None, "checkpoint", f"链在第 {last} 号结束，早于已签名的{where}"
                                                  "（末尾事件连同链头被删除）")
        if found.get(seq) != doc["hash"]:
            event_id = AuditEvent.objects.filter(seq=seq).values_list("id", flat=True).first()
            return Break(seq, event_id, "checkpoint", f"摘要与已签名的{where}不符（链被改写）")
    return None
