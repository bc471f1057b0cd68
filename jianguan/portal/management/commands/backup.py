"""`jianguan backup DIR|FILE` — the database, the stored files and the data key in one tar file (ADR 0029)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jianguan.portal import keeping


class Command(BaseCommand):
    help = "备份：数据库、var 目录中的文件与数据密钥写入一个 tar 文件（含清单与 SHA-256）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("destination", help="a directory (jianguan-<time>.tar is written in it) or a file name")

    def handle(self, *args: Any, destination: str, **options: Any) -> None:
        try:
            manifest = keeping.backup(Path(destination))
        except keeping.KeepingError as error:
            raise CommandError(str(error)) from None
        size = sum(m["size"] for m in manifest["members"])
        self.stdout.write(self.style.SUCCESS(
            f"已备份到 {manifest['path']}：{len(manifest['members'])} 个文件，{size} 字节，数据密钥 "
            f"{manifest['data_key_id']}（备份文件含密钥，请按密钥的要求保管）"))
