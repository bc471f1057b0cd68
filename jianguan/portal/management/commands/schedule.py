"""`jianguan schedule`: start every periodic task of the platform that has no run waiting (the quality snapshot,
the monthly classification and control sample, the daily end of 严重违法失信名单 periods …); run once after
deploying, the task worker (`jianguan db_worker`) runs them and each schedules its next run."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jianguan.core.registry import periodic_starts


class Command(BaseCommand):
    help = "启动各周期任务（已有待运行的不重复启动）；部署后运行一次，由后台任务进程执行"

    def handle(self, *args: Any, **options: Any) -> None:
        for start in periodic_starts():
            started = start()
            self.stdout.write(f"  {start.__module__}.{start.__name__}：{'已启动' if started else '已在等待或无需启动'}")
