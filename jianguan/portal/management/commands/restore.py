"""`jianguan restore FILE [--replace]` — a backup into a fresh var directory and an empty database (with --replace,
one whose content it replaces), then the audit chain's, the case histories' and the coercive measures' checks
(ADR 0029)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jianguan.portal import keeping


class Command(BaseCommand):
    help = "恢复：把 jianguan backup 的文件恢复到新的 var 目录与空数据库，并核验审计链、案件与行政强制的全过程记录"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="the backup file")
        parser.add_argument("--replace", action="store_true",
                            help="replace the whole content of a database that is not empty (tables, sequences, "
                                 "functions); the var directory must still be fresh")

    def handle(self, *args: Any, source: str, replace: bool, **options: Any) -> None:
        try:
            restored = keeping.restore(Path(source), replace=replace)
        except keeping.KeepingError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"已恢复 {restored.files} 个文件；数据密钥 {restored.manifest['data_key_id']} 位于 "
                          f"{restored.key_source}")
        call_command("migrate", verbosity=0)  # a backup of an older version gets this version's schema
        call_command("audit", "verify", stdout=self.stdout)
        call_command("enforcement", "verify", stdout=self.stdout)
        call_command("coercion", "verify", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("恢复完成，核验通过"))
