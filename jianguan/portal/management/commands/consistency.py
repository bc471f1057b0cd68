"""`jianguan consistency` — the whole database checked against itself (dates in order, references resolvable,
stored documents readable, no duplicates); exits non-zero naming each problem."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jianguan.portal import consistency


class Command(BaseCommand):
    help = "一致性检查：日期顺序、引用可解析、存储内容可读、无重复记录；有问题时逐条列出并以非零状态退出"

    def handle(self, *args: Any, **options: Any) -> None:
        report = consistency.check()
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"OK：{report.summary()}（{'、'.join(report.checked)}）"))
            return
        for line in report.problems:
            self.stdout.write(line)
        raise CommandError(report.summary())
