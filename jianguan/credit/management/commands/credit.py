"""`jianguan credit classify [--month YYYY-MM]`: classify every entity of the object library with the newest
published scorecard, now (a draft run, published on the runs page by the head of the 市场监督管理局); prints the
run's number, its counts by class, its cut-offs and any monotonicity problem. `jianguan credit scorecards` lists
the scorecard files and which are published. `jianguan credit serious-expire` removes the entries of the
严重违法失信名单 whose period has ended (the daily task does the same)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jianguan.core.actors import SystemActor
from jianguan.core.errors import DomainError
from jianguan.credit import classification, serious
from jianguan.credit import scorecard as cards
from jianguan.credit.models import Scorecard


class Command(BaseCommand):
    help = "信用风险分类：立即分类（classify）、列出评分卡（scorecards）；严重违法失信名单届满移出（serious-expire）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        classify = sub.add_parser("classify", help="以最新发布的评分卡对监管对象库全部主体分类（生成待发布批次）")
        classify.add_argument("--month", help="所属月份 YYYY-MM（默认本月）")
        sub.add_parser("scorecards", help="列出评分卡文件及其发布情况")
        sub.add_parser("serious-expire", help="将列入严重违法失信名单届满的主体移出")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "serious-expire":
            removed = serious.serious_expire_due(actor=SystemActor("command:credit serious-expire"))
            self.stdout.write(f"届满移出 {len(removed)} 条" + (f"：{'、'.join(removed)}" if removed else ""))
            return
        if options["action"] == "scorecards":
            published = set(Scorecard.objects.values_list("name", "version"))
            for name, version in cards.available():
                self.stdout.write(f"{name}-{version}\t{'已发布' if (name, version) in published else '未发布'}")
            return
        actor = SystemActor("command:credit classify")
        try:
            run = classification.run_start(actor=actor, month=options.get("month"))
            self.stdout.write(f"批次 {run.number}：评分卡 {run.scorecard}，数据截止 {run.as_of}")
            done = classification.run_execute(run_id=run.pk, actor=actor)
        except DomainError as error:
            raise CommandError(f"{error.message} [{error.code}]") from error
        shares = "，".join(f"{k} {v:,}" for k, v in done.shares.items())
        self.stdout.write(f"已分类 {done.entities:,} 个主体：{shares}；分界分值 {done.cutoffs}")
        for problem in done.violations:
            rates = f"{problem['lower_rate']:.1%} > {problem['higher_rate']:.1%}"
            self.stdout.write(f"单调性问题：指标 {problem['indicator']} 分箱“{problem['lower']}”"
                              f"高于“{problem['higher']}”（{rates}）")
        self.stdout.write("状态：待发布" if not done.violations else "状态：待发布（有单调性问题，不能发布）")
