"""`jianguan disclosure sweep`: make the disclosure items of new decisions, note revoked decisions and end the
publications whose period is over or ended early by a credit repair (the hourly task does the same)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jianguan.core.actors import SystemActor
from jianguan.disclosure import sweep


class Command(BaseCommand):
    help = "执法公示：生成公示事项并办理到期、提前终止（sweep）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("sweep", help="为新作出或接收的决定生成公示事项，标记已撤销的决定，办理公示期满和提前终止")

    def handle(self, *args: Any, **options: Any) -> None:
        done = sweep.sweep(actor=SystemActor("command:disclosure sweep"))
        self.stdout.write(f"新生成公示事项 {done.made} 条（其中不予公示 {done.withheld} 条），决定已撤销待撤回 "
                          f"{done.changed} 条，公示期满 {done.expired} 条，提前终止 {done.ended} 条")
