"""`jianguan discretion load [FILE …]`: store benchmark files as versions (the shipped ones when none is named),
each checked whole; `jianguan discretion list`: the stored versions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jianguan.core.actors import SystemActor
from jianguan.core.errors import DomainError
from jianguan.discretion import benchmark as bm
from jianguan.discretion.selectors import benchmark_list
from jianguan.discretion.services import benchmark_load


class Command(BaseCommand):
    help = "行政处罚裁量权基准：载入文件（load）、列出已载入版本（list）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="载入裁量基准文件（不指定时载入随附文件）")
        load.add_argument("files", nargs="*", type=Path)
        sub.add_parser("list", help="列出已载入的裁量基准版本")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for stored in benchmark_list():
                self.stdout.write(f"{stored.name}-{stored.version}\t{stored.line}\t{stored.effective_from}\t"
                                  f"{stored.title}")
            return
        actor = SystemActor("command:discretion load")
        for path in options["files"] or bm.shipped():
            try:
                stored = benchmark_load(actor=actor, path=path)
            except DomainError as error:
                raise CommandError(f"{error.message} [{error.code}]") from error
            self.stdout.write(f"已载入 {stored.name}-{stored.version}：{stored.violations} 项违法行为")
