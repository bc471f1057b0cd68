"""`jianguan exchange push [--once | --loop]` — push the outbox upward; `jianguan exchange snapshot` — store today's
quality scores per department; `jianguan exchange status` — backlog, batches and the repair queue in figures."""

from __future__ import annotations

import datetime as dt
import json
import signal

from django.core.management.base import BaseCommand, CommandError

from jianguan.core.actors import SystemActor
from jianguan.exchange import push, selectors, snapshots


class Command(BaseCommand):
    help = "数据交换：push 推送待报数据（--once 一轮，--loop 持续）；snapshot 保存当日数据质量得分；status 查看积压"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        pusher = sub.add_parser("push", help="push pending records to the receiver")
        mode = pusher.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="one round, then exit (the default)")
        mode.add_argument("--loop", action="store_true", help="keep pushing until stopped (SIGTERM/SIGINT)")
        pusher.add_argument("--batch-size", type=int, default=None, help="records per batch (1–10000)")
        pusher.add_argument("--idle", type=float, default=None, help="seconds to wait when nothing is pending")
        snapshot = sub.add_parser("snapshot", help="store the quality scores of a day")
        snapshot.add_argument("--day", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (default today)")
        sub.add_parser("status", help="backlog, batches and repair queue figures")

    def handle(self, *args, action: str, **options):
        if action == "push":
            self._push(options)
        elif action == "snapshot":
            done = snapshots.snapshot_take(actor=SystemActor("cli:exchange.snapshot"), day=options["day"])
            self.stdout.write(self.style.SUCCESS(f"已保存 {done['day']} 的数据质量得分：{done['rows']} 行"))
        else:
            self.stdout.write(json.dumps(selectors.push_figures(), ensure_ascii=False, default=str, indent=2))

    def _push(self, options) -> None:
        cfg = push.config(batch_size=options["batch_size"])
        if not cfg.url:
            raise CommandError("未配置 JIANGUAN_PUSH_URL：不知道推送到哪里")
        if options["batch_size"] is not None and not 1 <= options["batch_size"] <= push.MAX_BATCH:
            raise CommandError(f"--batch-size 应在 1 到 {push.MAX_BATCH} 之间")
        actor = SystemActor("cli:exchange.push")
        if not options["loop"]:
            result = push.push_round(batch_size=options["batch_size"], actor=actor)
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            if result.stopped == "failed":
                raise CommandError(f"推送失败：{result.attempts[-1].error}")
            return
        stopping = {"now": False}

        def stop(*_):
            stopping["now"] = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"推送到 {cfg.batches_url}（报送方 {cfg.source}），按 Ctrl-C 停止")
        self.stdout.flush()
        push.push_loop(batch_size=options["batch_size"], idle_seconds=options["idle"], actor=actor,
                       stop=lambda: stopping["now"],
                       say=lambda r: (self.stdout.write(json.dumps(r, ensure_ascii=False)), self.stdout.flush()))
