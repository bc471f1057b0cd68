"""`jianguan opendata export`: write today's bulk files of open data (the daily task does the same)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jianguan.core.actors import SystemActor
from jianguan.opendata import exports


class Command(BaseCommand):
    help = "开放数据：导出当日批量下载文件（export）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("export", help="将全部公示决定导出为 CSV 与 JSON Lines 文件并写出 SHA256SUMS")

    def handle(self, *args: Any, **options: Any) -> None:
        files = exports.export(actor=SystemActor("command:opendata export"))
        self.stdout.write(f"已写出到 {exports.folder()}：")
        for made in files:
            self.stdout.write(f"  {made.name}  {made.size} 字节  {made.sha256}")
