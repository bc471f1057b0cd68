"""`jianguan evaluation load` (the scheme files stored, each version once) and `jianguan evaluation run --month
YYYY-MM` (the month computed now)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jianguan.core.actors import SystemActor
from jianguan.core.errors import ValidationFailed
from jianguan.evaluation import runs, scheme


class Command(BaseCommand):
    help = "部门考核：载入考核方案（load），计算某月考核（run --month YYYY-MM）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="载入 schemes/ 下的考核方案")
        run = sub.add_parser("run", help="计算某月考核")
        run.add_argument("--month", required=True, help="月份 YYYY-MM")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = SystemActor("command:evaluation")
        try:
            if options["action"] == "load":
                self.stdout.write(f"新载入考核方案 {scheme.schemes_load(actor=actor)} 个")
                return
            found = runs.evaluation_run(actor=actor, month=options["month"])
        except ValidationFailed as error:
            raise CommandError(f"{error.message} [{error.code}]") from error
        scored = found.scores.filter(score__isnull=False, level="department").count()
        self.stdout.write(f"{found.month} 考核已计算：参评部门 {found.departments} 个，有得分 {scored} 个")
