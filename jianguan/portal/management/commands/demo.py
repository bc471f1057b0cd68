"""`jianguan demo`: migrate, seed on first run, print the personas, then run the web server and the task worker.

Run by `make demo`. The data stays in the database (var/ by default); `make demo-reset` starts over.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from jianguan.accounts.models import Region, User
from jianguan.accounts.seed import PERSONAS


class Command(BaseCommand):
    help = "运行演示环境：迁移数据库、首次运行时生成演示数据、启动网站与后台任务"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--scale", default="demo")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")

    def handle(self, *args, host: str, port: int, scale: str, no_serve: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if not Region.objects.exists():
            self.stdout.write("首次运行：生成演示数据……")
            call_command("seed", scale=scale, stdout=self.stdout)
        else:
            self.stdout.write("沿用已有数据（make demo-reset 可重新开始）")
        self.print_personas(host, port)
        if no_serve:
            return
        self.serve(host, port)

    def print_personas(self, host: str, port: int) -> None:
        base = f"http://{host}:{port}"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"工作门户  {base}/"))
        self.stdout.write(self.style.SUCCESS(f"服务门户  {base}/public/"))
        self.stdout.write(self.style.SUCCESS(f"接口文档  {base}/api/v1/docs"))
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {settings.JIANGUAN_DEMO_PASSWORD}，可用 JIANGUAN_DEMO_PASSWORD 修改）：")
        users = {u.username: u for u in User.objects.filter(username__in=[p.username for p in PERSONAS])
                 .select_related("department")}
        for persona in PERSONAS:
            user = users.get(persona.username)
            where = user.department.name if user else "（未创建）"
            self.stdout.write(f"  {persona.username:<16} {persona.full_name:<4} {persona.title} — {where}")
        self.stdout.write("")

    def serve(self, host: str, port: int) -> None:
        manage = [sys.executable, "-m", "jianguan"]
        env = os.environ.copy()
        worker = subprocess.Popen([*manage, "db_worker", "--interval", "1", "-v", "1"], env=env)  # noqa: S603
        server = subprocess.Popen([sys.executable, "-m", "granian", "--interface", "wsgi", "--host", host,  # noqa: S603
                                   "--port", str(port), "--workers", "1", "--blocking-threads", "4",
                                   "jianguan.config.wsgi:application"], env=env)
        self.stdout.write(self.style.SUCCESS(f"已启动：网站 {host}:{port}，后台任务进程。按 Ctrl+C 停止。"))

        def stop(*_):
            for process in (server, worker):
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            worker.wait(timeout=10)
            server.wait(timeout=10)
