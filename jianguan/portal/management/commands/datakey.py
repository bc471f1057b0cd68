"""`jianguan datakey where|rotate` — where the key sealing personal numbers lives; replace it (ADR 0029)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jianguan.core.actors import SystemActor
from jianguan.core.protect import key_id
from jianguan.portal import keeping


class Command(BaseCommand):
    help = "数据密钥：where 显示密钥位置；rotate 用新密钥重新加密全部个人证件号码与加密内容"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("where", help="where the data key lives, and its id")
        sub.add_parser("rotate", help="re-seal everything under a new key, then replace the old key")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "where":
            self.stdout.write(f"数据密钥 {key_id()} 位于 {settings.DATA_KEY_SOURCE}")
            return
        try:
            done = keeping.rotate(actor=SystemActor("command:datakey_rotate"))
        except keeping.KeepingError as error:
            raise CommandError(str(error)) from None
        counts = "，".join(f"{name} {n}" for name, n in done.counts.items())
        self.stdout.write(self.style.SUCCESS(f"数据密钥已由 {done.old_id} 换为 {done.new_id}（{counts}）"))
        if done.key_file is None:
            self.stdout.write(self.style.WARNING(
                f"密钥来自环境变量 JIANGUAN_DATA_KEY：请立即把它改为 {done.staged} 中的值，重启后删除该文件"))
        else:
            self.stdout.write(f"新密钥已写入 {done.key_file}；请重新备份（jianguan backup）")
