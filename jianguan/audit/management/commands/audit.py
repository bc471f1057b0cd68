"""`jianguan audit verify` — recompute the audit chain and name the first broken event."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from jianguan.audit import chain


class Command(BaseCommand):
    help = "审计链：verify 重新计算整条链并指出第一个被破坏的事件"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="verify the whole chain")

    def handle(self, *args, action: str, **options):
        if action == "verify":
            result = chain.verify()
            if result.ok:
                self.stdout.write(self.style.SUCCESS(
                    f"OK：{result.checked} 个事件，链头 #{result.head_seq} {result.head_hash}"))
                return
            raise CommandError(f"审计链被破坏 — {result.broken}（已核对 {result.checked} 个事件）")
