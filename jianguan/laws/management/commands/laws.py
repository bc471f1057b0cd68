"""`jianguan laws import FILE…`: laws' texts loaded into the knowledge base, each file checked whole before it is
written (nothing of a refused file is kept); `jianguan laws sweep`: the index of who cites each article filled
again from the apps' citing records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jianguan.core.actors import SystemActor
from jianguan.core.errors import DomainError
from jianguan.laws import loading, services


class Command(BaseCommand):
    help = "知识库：导入法律法规文本（import），更新条文的引用索引（sweep）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="导入法律法规文本文件（JSON），每个文件整体校验后写入")
        load.add_argument("files", nargs="+", type=Path)
        sub.add_parser("sweep", help="从各应用引用法条的记录重建引用索引")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "sweep":
            swept = services.citations_sweep(actor=SystemActor("command:laws sweep"))
            self.stdout.write(f"引用来源 {swept.sources} 条，引用条文 {swept.citations} 处")
            return
        for path in options["files"]:
            self.stdout.write(import_file(path))


def import_file(path: Path, actor: SystemActor | None = None) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"{path}：无法读取文件（{exc.strerror}）") from exc
    try:
        done = services.law_import(data=loading.law_data(loading.decode(raw)),
                                   actor=actor or SystemActor("command:laws import"))
    except DomainError as error:
        raise CommandError(f"{path}：{error.field or ''} {error.message}（{error.code}），未写入任何内容") from error
    return f"{path.name}：《{done.law.title}》{done.versions} 个版本，{done.provisions} 个条文单元"
