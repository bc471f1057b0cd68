"""`jianguan casebook sweep`: add every closed case not yet in the case library (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jianguan.casebook.services import cases_sweep
from jianguan.core.actors import SystemActor


class Command(BaseCommand):
    help = "案例库：将已结案案件加入案例库（sweep）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("sweep", help="将尚未入库的已结案案件加入案例库")

    def handle(self, *args: Any, **options: Any) -> None:
        added = cases_sweep(actor=SystemActor("command:casebook sweep"))
        self.stdout.write(f"新增案例 {added} 件")
