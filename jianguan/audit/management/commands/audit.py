"""`jianguan audit verify [--checkpoint FILE …] [--public-key B64 …]` — recompute the audit chain, name the first
broken event and hold the chain against every signed checkpoint (stored, in the checkpoint directory, and the
files given); `jianguan audit checkpoint [--loop]` — sign the chain's head now (or enqueue the daily checkpoint
task once a day)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jianguan.audit import chain, checkpoints, services, tasks
from jianguan.core.actors import SystemActor


class Command(BaseCommand):
    help = "审计链：verify 重新计算整条链并与已签名的检查点核对；checkpoint 对链头签名（检查点）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="verify the whole chain against the signed checkpoints")
        verify.add_argument("--checkpoint", action="append", default=[], metavar="FILE",
                            help="a checkpoint file kept outside (one checkpoint, a list, or the public listing)")
        verify.add_argument("--public-key", action="append", default=[], metavar="B64",
                            help="a checkpoint public key to trust besides the configured ones")
        checkpoint = sub.add_parser("checkpoint", help="sign the chain's head now")
        checkpoint.add_argument("--loop", action="store_true", help="enqueue the daily checkpoint task every day")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "checkpoint":
            self.checkpoint(options["loop"])
            return
        try:
            docs = checkpoints.stored()
            for path in options["checkpoint"]:
                docs.extend(checkpoints.read_file(Path(path)))
        except checkpoints.CheckpointFileError as exc:
            raise CommandError(str(exc)) from exc
        result = chain.verify(checkpoints=docs, public_keys=options["public_key"])
        if result.ok:
            self.stdout.write(self.style.SUCCESS(
                f"OK：{result.checked} 个事件，链头 #{result.head_seq} {result.head_hash}，"
                f"与 {result.checkpoints} 个已签名检查点相符"))
            return
        raise CommandError(f"审计链被破坏 — {result.broken}（已核对 {result.checked} 个事件）")

    def checkpoint(self, loop: bool) -> None:
        self.stdout.write(f"检查点签名密钥：{settings.JIANGUAN_CHECKPOINT_KEY_SOURCE}"
                          f"（公钥 {checkpoints.public_key()}）")
        if not loop:
            made = services.checkpoint_make(actor=SystemActor("command:audit.checkpoint"))
            self.stdout.write(self.style.SUCCESS(
                f"检查点 #{made.seq} {made.hash}（{made.made_at.isoformat()}，密钥 {made.key_id}），"
                f"文件在 {settings.JIANGUAN_CHECKPOINT_DIR}"))
            return
        while True:
            tasks.checkpoint_daily.enqueue()
            now = timezone.localtime()
            tomorrow = (now + dt.timedelta(days=1)).replace(hour=0, minute=5, second=0, microsecond=0)
            time.sleep(max(60.0, (tomorrow - now).total_seconds()))
