"""`jianguan seed --scale demo|city|bench --seed N`: fill an empty database with deterministic demo data."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import translation

from jianguan.core.registry import seed_steps
from jianguan.core.seeding import SCALES, SeedContext


class Command(BaseCommand):
    help = "生成演示数据：区划、部门、演示账号、市场主体……（同一 --seed 结果相同）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--entities", type=int, default=None, metavar="户数",
                            help="市场主体户数（默认按 --scale），其余与该规模相同；测试用较小的户数走同样的步骤")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")
        parser.add_argument("--skip", action="append", default=[], metavar="步骤",
                            help="跳过某一步骤（可重复），例如 --skip 监管行为")

    def handle(self, *args: Any, scale: str, seed: int, no_progress: bool, skip: list[str], entities: int | None = None,
               **options: Any) -> None:
        from jianguan.accounts.models import Region

        unknown = set(skip) - {step.name for step in seed_steps()}
        if unknown:
            steps = "、".join(step.name for step in seed_steps())
            raise CommandError(f"没有这些步骤：{'、'.join(sorted(unknown))}（可选：{steps}）")
        if Region.objects.exists():
            raise CommandError("数据库已有数据：演示数据只能写入空库（make demo-reset 重新开始）")
        if entities is not None and entities < 1:
            raise CommandError("--entities 须为正整数")
        context = SeedContext(scale=scale, seed=seed, stdout=self.stdout, progress_enabled=not no_progress,
                              entities=entities)
        started = time.perf_counter()
        with translation.override(None):  # stored names (部门名称 …) are the Chinese originals, whatever is active
            for step in seed_steps():
                if step.name in skip:
                    continue
                began = time.perf_counter()
                step.run(context)
                self.stdout.write(f"  {step.name}：{time.perf_counter() - began:.1f} 秒")
        with connection.cursor() as cursor:
            # Statistics for the planner after the bulk load; on PostgreSQL also the visibility map, without which
            # index-only scans (the search index, the chain's counts) visit the table for every row.
            # (VACUUM needs its own transaction: inside one, as in a test, ANALYZE alone is run.)
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"演示数据已生成（{scale}，seed={seed}），共 {elapsed:.1f} 秒"))
