"""`jianguan risk scan --model NAME FILE.jsonl [--format json|text] [--workers N]` prints one verdict per input line,
in order (judged by N processes);
`jianguan risk backtest --model NAME FILE.jsonl [--format json|text]` replays labelled lines (`"label": true|false`)
and prints precision, recall and the confusion table. A bad file is refused whole, naming each bad line and field,
with a non-zero exit. `jianguan risk sample --month YYYY-MM` draws the month's control sample (once: a month drawn
already is shown as drawn) and sends each item drawn for verification.

Scan and back-test judge without a database unless told: `--registers FILE` gives register entries as JSON Lines
(`registers.read_lines`), `--stored-registers` reads the database's; `--on YYYY-MM-DD` is the day validity is judged
(default today). Without either, the models say what needs a register ("需核对") as before."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jianguan.core.actors import SystemActor
from jianguan.core.errors import ValidationFailed
from jianguan.risk import batch, engine, registers, sample


class Command(BaseCommand):
    help = "风险预警：用模型扫描输入文件（scan）、以标注文件回测模型（backtest）、抽取月度对照样本（sample）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for action, text in (("scan", "逐行输出研判结果（JSON Lines 输入，“-”为标准输入）"),
                             ("backtest", "以标注文件回测：精确率、召回率与混淆矩阵")):
            command = sub.add_parser(action, help=text)
            command.add_argument("--model", required=True, help=f"模型：{'、'.join(engine.MODEL_NAMES)}")
            command.add_argument("file", help="输入文件（JSON Lines，UTF-8）")
            command.add_argument("--format", choices=("json", "text"), default="text", help="输出格式")
            given = command.add_mutually_exclusive_group()
            given.add_argument("--registers", help="登记数据文件（JSON Lines，每行一条登记，含 kind）")
            given.add_argument("--stored-registers", action="store_true", help="使用数据库中已导入的登记")
            command.add_argument("--on", type=dt.date.fromisoformat, help="判断登记有效期的日期（默认今天）")
        sub.choices["scan"].add_argument(
            "--workers", type=int, default=1, choices=range(1, 65), metavar="N",
            help="同时研判的进程数（默认 1；不超过本机 CPU 核数为宜；不与 --stored-registers 同用）")
        drawing = sub.add_parser("sample", help="抽取一个月未预警监测数据的对照样本并送核查（每月一次）")
        drawing.add_argument("--month", required=True, help="月份 YYYY-MM")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "sample":
            self._sample(options["month"])
            return
        try:
            model = engine.model(options["model"])
            raw = self._read(options["file"])
            records = batch.read(model, raw, labelled=options["action"] == "backtest")
            given = self._registers(options)
        except ValidationFailed as error:
            shown = error.message if isinstance(error, batch.FileInvalid) else f"{error.message} [{error.code}]"
            raise CommandError(shown) from error
        if options["action"] == "scan":
            if options["workers"] > 1 and options["stored_registers"]:
                raise CommandError("--workers 大于 1 时不能使用 --stored-registers（各进程不共用数据库连接）；"
                                   "请改用 --registers 文件 [workers_with_stored_registers]")
            self._print(batch.scan(model, records, form=options["format"], workers=options["workers"],
                                   registers=given))
            return
        verdicts = [model.judge(record, registers=given) for record in records]
        self._backtest(model, batch.measure(verdicts, [record["label"] for record in records]), options["format"])

    def _print(self, chunks: Iterator[bytes]) -> None:
        """The scan's bytes to the standard output as they are (a text stream given instead, such as a test's,
        gets them decoded)."""
        stream = getattr(self.stdout._out, "buffer", None)
        for chunk in chunks:
            if stream is None:
                self.stdout.write(chunk.decode(), ending="")
            else:
                stream.write(chunk)
        if stream is not None:
            stream.flush()

    def _registers(self, options: dict[str, Any]) -> registers.Registers | None:
        day = options["on"] or timezone.localdate()
        if options["stored_registers"]:
            from jianguan.risk.selectors import StoredRegisters  # the database only when asked for

            return StoredRegisters(day)
        return registers.read_lines(self._read(options["registers"]), day) if options["registers"] else None

    def _read(self, name: str) -> bytes:
        if name == "-":
            return sys.stdin.buffer.read()
        try:
            return Path(name).read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 {name}：{error.strerror} [file_unreadable]") from error

    def _backtest(self, model: engine.Model, measures: batch.Measures, form: str) -> None:
        if form == "json":
            self.stdout.write(json.dumps({"model": model.name, "version": model.version, **measures.as_json()},
                                         ensure_ascii=False))
            return

        def percent(value: float | None) -> str:
            return "—" if value is None else f"{value:.1%}"

        self.stdout.write(f"模型 {model.name} {model.version}\n精确率 {percent(measures.precision)}\t"
                          f"召回率 {percent(measures.recall)}\n"
                          f"\t标注违法\t标注合规\n预警\t{measures.true_positive}\t{measures.false_positive}\n"
                          f"未预警\t{measures.false_negative}\t{measures.true_negative}")

    def _sample(self, month: str) -> None:
        try:
            drawn = sample.control_sample_draw(actor=SystemActor("command:risk.sample"), month=month)
        except ValidationFailed as error:
            raise CommandError(f"{error.message} [{error.code}]") from error
        stored = drawn.sample
        self.stdout.write(f"{stored.month} 对照样本{'已抽取' if drawn.created else '此前已抽取，未重复抽取'}："
                          f"比例 {stored.rate}，方法 {stored.method}，种子 {stored.seed}")
        for model, part in stored.strata.items():
            self.stdout.write(f"{model}\t{part['version']}\t未预警 {part['population']}\t抽取 {part['sampled']}")
