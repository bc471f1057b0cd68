"""`jianguan risk scan --model NAME FILE.jsonl [--format json|text] [--workers N]` prints one verdict per input line, in
order (judged by N processes);
`jianguan risk backtest --model NAME FILE.jsonl [--format json|text]` replays labelled lines (`"label": true|false`)
and prints precision, recall and the confusion table. A bad file is refused whole, naming each bad line and field,
with a non-zero exit."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jianguan.core.errors import ValidationFailed
from jianguan.risk import batch, engine


class Command(BaseCommand):
    help = "风险预警：用模型扫描输入文件（scan）、以标注文件回测模型（backtest）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for action, text in (("scan", "逐行输出研判结果（JSON Lines 输入，“-”为标准输入）"),
                             ("backtest", "以标注文件回测：精确率、召回率与混淆矩阵")):
            command = sub.add_parser(action, help=text)
            command.add_argument("--model", required=True, help=f"模型：{'、'.join(engine.MODEL_NAMES)}")
            command.add_argument("file", help="输入文件（JSON Lines，UTF-8）")
            command.add_argument("--format", choices=("json", "text"), default="text", help="输出格式")
        scan = sub.choices["scan"]
        scan.add_argument("--workers", type=int, default=1, choices=range(1, 65), metavar="N",
                          help="同时研判的进程数（默认 1；不超过本机 CPU 核数为宜）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            model = engine.model(options["model"])
            raw = self._read(options["file"])
            records = batch.read(model, raw, labelled=options["action"] == "backtest")
        except ValidationFailed as error:
            shown = error.message if isinstance(error, batch.FileInvalid) else f"{error.message} [{error.code}]"
            raise CommandError(shown) from error
        if options["action"] == "scan":
            for text in batch.scan(model, records, form=options["format"], workers=options["workers"]):
                self.stdout.write(text, ending="")
            return
        verdicts = [model.judge(record) for record in records]
        self._backtest(model, batch.measure(verdicts, [record["label"] for record in records]), options["format"])

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
