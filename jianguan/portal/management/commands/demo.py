"""`jianguan demo`: migrate, seed on first run, print the personas, then run the web server, the task worker (with
every periodic task started, `jianguan schedule`), unless a receiver is configured (`JIANGUAN_PUSH_URL`) the
provincial platform simulator with the pusher, and 非现场监管's live data: a Mosquitto broker, the protocol receivers
(`jianguan remote_receive`: HJ 212 over TCP and the MQTT subscriber) and the device simulator sending to them as the
seeded points (`remote.contracts.DEMO_FLEETS`, ADR 0064). Ctrl+C or SIGTERM stops every process it started.

Run by `make demo`, with debug off (no debug pages; static files collected first). The data stays in the
database (var/ by default); `make demo-reset` starts over.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from jianguan.accounts.contracts import PERSONAS
from jianguan.accounts.models import Region, User
from jianguan.portal import consistency, keeping
from jianguan.remote import contracts as remote


class Command(BaseCommand):
    help = "运行演示环境：迁移数据库、首次运行时生成演示数据、启动网站与后台任务"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--scale", default="demo")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")

    def handle(self, *args: Any, host: str, port: int, scale: str, no_serve: bool, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if not Region.objects.exists():
            self.stdout.write("首次运行：生成演示数据……")
            call_command("seed", scale=scale, stdout=self.stdout)
            self.report_consistency()
        else:
            self.stdout.write("沿用已有数据（make demo-reset 可重新开始）")
        self.print_personas(host, port)
        if no_serve:
            return
        if not settings.DEBUG:  # the server serves the collected, hashed files (whitenoise), as in production
            call_command("collectstatic", interactive=False, verbosity=0)
        self.serve(host, port)

    def report_consistency(self) -> None:
        """The seeded database checked against itself (`jianguan consistency`), in a line or a few."""
        report = consistency.check()
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"一致性检查：{report.summary()}"))
            return
        self.stdout.write(self.style.WARNING(f"一致性检查：{report.summary()}（jianguan consistency 列出全部）"))
        for line in report.problems[:5]:
            self.stdout.write(f"  {line}")

    def print_personas(self, host: str, port: int) -> None:
        base = f"http://{host}:{port}"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"工作门户  {base}/"))
        self.stdout.write(self.style.SUCCESS(f"服务门户  {base}/public/"))
        self.stdout.write(self.style.SUCCESS(f"接口文档  {base}/api/v1/docs"))
        self.stdout.write("")
        self.stdout.write(keeping.key_location())
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
        processes = self.simulator(env, host)
        call_command("schedule", stdout=self.stdout)  # the periodic tasks, run by the worker started below
        worker = subprocess.Popen([*manage, "db_worker", "--interval", "1", "-v", "1"], env=env)  # noqa: S603
        if processes:
            processes.append(subprocess.Popen([*manage, "exchange", "push", "--loop"], env=env))  # noqa: S603
        # The audit chain's signed daily checkpoint (ADR 0023): the loop enqueues the task, the worker runs it.
        processes.append(subprocess.Popen([*manage, "audit", "checkpoint", "--loop"], env=env))  # noqa: S603
        self.stdout.write(f"审计链检查点签名密钥：{settings.JIANGUAN_CHECKPOINT_KEY_SOURCE}，"
                          f"检查点文件：{settings.JIANGUAN_CHECKPOINT_DIR}")
        broker, devices = self.remote(env, manage)
        processes += devices
        server = subprocess.Popen([sys.executable, "-m", "granian", "--interface", "wsgi", "--host", host,  # noqa: S603
                                   "--port", str(port), "--workers", "1", "--blocking-threads", "4",
                                   "jianguan.config.wsgi:application"], env=env)
        self.stdout.write(self.style.SUCCESS(f"已启动：网站 {host}:{port}，后台任务进程。按 Ctrl+C 停止。"))

        def stop(*_: object) -> None:
            for process in (server, worker, *processes):
                if process.poll() is None:
                    process.terminate()
            if broker is not None:  # after the receivers and the simulator it serves
                for process in processes:
                    try:
                        process.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        process.kill()
                broker.stop()

        signal.signal(signal.SIGTERM, stop)
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for process in (worker, server, *processes):
                process.wait(timeout=10)

    def remote(self, env: dict[str, str], manage: list[str]) -> tuple[remote.Broker | None,
                                                                        list[subprocess.Popen[bytes]]]:
        """Start Mosquitto (unless `JIANGUAN_REMOTE_MQTT_HOST` names another host or a broker already listens on
        the port), the receivers and the device simulator's fleets; nothing but a warning when Mosquitto is missing
        (scripts/system-packages mosquitto)."""
        broker = None
        host, port = settings.JIANGUAN_REMOTE_MQTT_HOST, settings.JIANGUAN_REMOTE_MQTT_PORT
        if host in ("127.0.0.1", "localhost") and _listening(host, port):
            # Debian's mosquitto package runs the system's broker on 1883 (loopback, anonymous): use it
            self.stdout.write(f"使用已在运行的 MQTT 代理 {host}:{port}")
        elif host in ("127.0.0.1", "localhost"):
            try:
                broker = remote.broker_start(settings.VAR_DIR / "mosquitto", port=port, host="127.0.0.1")
            except (remote.BrokerError, OSError) as error:
                self.stderr.write(f"MQTT 代理未能启动，本次不接收模拟设备数据：{error}")
                return None, []
        receiver = subprocess.Popen([*manage, "remote_receive"], env=env, stdout=subprocess.PIPE)  # noqa: S603
        assert receiver.stdout is not None
        for _ in range(2):  # "hj212 listening on …", "mqtt subscribed at …"
            self.stdout.write(f"非现场监管接收：{receiver.stdout.readline().decode().strip()}")
        hj212 = f"{settings.JIANGUAN_REMOTE_HJ212_HOST}:{settings.JIANGUAN_REMOTE_HJ212_PORT}"
        now = dt.datetime.now(dt.UTC)
        fleets = [subprocess.Popen(remote.devsim_command(fleet, hj212=hj212, mqtt=f"{host}:{port}", now=now),  # noqa: S603
                                   env=env, stdout=subprocess.DEVNULL) for fleet in remote.DEMO_FLEETS]
        self.stdout.write(self.style.SUCCESS(f"设备模拟器：{sum(f.devices for f in remote.DEMO_FLEETS)} 台设备经 "
                                             f"HJ 212（{hj212}）与 MQTT（{host}:{port}）报送"))
        return broker, [receiver, *fleets]

    def remember_dispatches(self, base: str, token: str) -> None:
        """Tell the simulator the joint tasks the seed received from the province through the intake (it ran
        before the simulator), so that the departments' feedback on them is accepted (ADR 0056)."""
        from jianguan.joint.models import Dispatch

        for task_no in Dispatch.objects.values_list("task_no", flat=True):
            request = urllib.request.Request(f"{base}/_dispatched", method="POST", data=json.dumps(  # noqa: S310
                {"task_no": task_no}).encode(), headers={"Authorization": f"Bearer {token}",
                                                         "Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=5):  # noqa: S310
                pass

    def simulator(self, env: dict[str, str], host: str, port: int = 8765) -> list[subprocess.Popen[bytes]]:
        """Start the provincial platform simulator (data in var/provsim) and point the pusher at it, with its
        token and its receipts' public key; nothing when a real receiver is configured."""
        if env.get("JIANGUAN_PUSH_URL"):
            return []
        token = secrets.token_urlsafe(24)
        simulator = subprocess.Popen([sys.executable, "-m", "provsim", "--host", host, "--port", str(port),  # noqa: S603
                                      "--data", str(settings.VAR_DIR / "provsim"), "--token", token, "--quiet"],
                                     env=env)
        base = f"http://{host}:{port}"
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{base}/api/public-key", timeout=1) as answer:  # noqa: S310
                    key = json.load(answer)["public_key"]
                break
            except OSError:
                time.sleep(0.1)
        else:
            simulator.terminate()
            self.stderr.write("省级平台模拟器未能启动，本次不推送数据")
            return []
        self.remember_dispatches(base, token)
        env.update(JIANGUAN_PUSH_URL=base, JIANGUAN_PUSH_TOKEN=token, JIANGUAN_PUSH_RECEIVER_KEY=key)
        self.stdout.write(self.style.SUCCESS(f"省级平台模拟器  {base}/_stats（数据推送至此）"))
        return [simulator]


def _listening(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
    except OSError:
        return False
    return True
