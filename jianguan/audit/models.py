"""The append-only, hash-chained event store.

Invariants:
- Rows are only ever inserted, by `audit.services.record`, one at a time under a lock on `ChainHead`.
- `seq` runs 1, 2, 3 … without gaps; `prev_hash` of event n is `hash` of event n−1 (64 zeros for the first).
- `hash` = H(canonical JSON of the event's fields, `prev_hash` included); H is the algorithm named in `algorithm`.
  Scheme 2 (every event written since migration 0003) hashes every stored column, `id` and `scheme` too; events
  written before keep scheme 1 (`scheme` NULL: every column but `id`).
- `ChainHead` holds the last `seq` and `hash`, written in the same transaction, so a row appended or removed at
  the end without moving the head is detected too.
- `Checkpoint` rows are signed statements of the head (Ed25519, the key outside the database; ADR 0023), each also
  written as a file and published on the public portal, so that a tail deleted together with the head is seen.
The database refuses UPDATE and DELETE of events and checkpoints by trigger; see migrations 0002 and 0003.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.core.scoping import Scope, ScopedQuerySet

GENESIS_HASH = "0" * 64


class AuditEventQuerySet(ScopedQuerySet):
    pass


class AuditEvent(models.Model):
    seq = models.BigIntegerField(_("序号"), unique=True)
    occurred_at = models.DateTimeField(_("时间"), db_index=True)
    actor_kind = models.CharField(_("主体类型"), max_length=16)
    actor_id = models.CharField(_("主体标识"), max_length=64)
    actor_label = models.CharField(_("主体"), max_length=200)
    verb = models.CharField(_("动作"), max_length=100, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    target_id = models.CharField(_("对象标识"), max_length=100, blank=True)
    target_label = models.CharField(_("对象"), max_length=300, blank=True)
    region_code = models.CharField(_("区划"), max_length=12, blank=True, db_index=True)
    department_id = models.IntegerField(_("部门"), null=True, blank=True, db_index=True)
    payload = models.JSONField(_("内容"), default=dict)
    algorithm = models.CharField(_("摘要算法"), max_length=10)
    prev_hash = models.CharField(_("前一事件摘要"), max_length=64)
    hash = models.CharField(_("摘要"), max_length=64, unique=True)
    scheme = models.PositiveSmallIntegerField(_("摘要方案"), null=True, blank=True)  # NULL: scheme 1

    objects = AuditEventQuerySet.as_manager()

    scope_department_field = "department_id"
    scope_region_field = "region_code"

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["seq"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.verb} {self.target_label}"

    @staticmethod
    def extra_visibility(scope: Scope) -> models.Q:
        # Events of the reader's own departments are theirs whatever region they touched.
        if scope.department_ids is None:
            return models.Q(pk__in=[])
        return models.Q(department_id__in=scope.department_ids)


class ChainHead(models.Model):
    """A single row (pk=1): the last event's seq and hash. Locked to append."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash}"


class Checkpoint(models.Model):
    """检查点: a signed statement that the chain's head was event `seq` with digest `hash` at `made_at`.

    `signature` is Ed25519 (base64) by the key `key_id` over the canonical JSON of
    {"scheme", "seq", "hash", "made_at", "key_id"} (see `checkpoints.statement`). Only appended, never changed.
    """

    seq = models.BigIntegerField(_("链头序号"))
    hash = models.CharField(_("链头摘要"), max_length=64)
    made_at = models.DateTimeField(_("时间"), db_index=True)
    key_id = models.CharField(_("签名密钥标识"), max_length=16)
    public_key = models.CharField(_("签名公钥"), max_length=64)
    signature = models.CharField(_("签名"), max_length=128)

    class Meta:
        verbose_name = _("审计链检查点")
        verbose_name_plural = _("审计链检查点")
        ordering = ["-made_at"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash} {self.made_at:%Y-%m-%d}"
