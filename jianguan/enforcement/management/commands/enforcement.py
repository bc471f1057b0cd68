"""`jianguan enforcement deadlines` refreshes the deadline alerts of every open case (run it daily);
`jianguan enforcement verify [CASE …]` recomputes each case's event hash chain and checks that the case row equals
the replay of its history (naming the case and the field)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from jianguan.enforcement import history, tasks
from jianguan.enforcement.models import Case


class Command(BaseCommand):
    help = "执法办案：刷新办案期限提醒（deadlines）、校验案件全过程记录摘要链（verify）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("deadlines", help="刷新所有在办案件的逾期与即将到期提醒")
        verify = sub.add_parser("verify", help="复算案件事件摘要链，并核对案件现状等于全过程记录的重放")
        verify.add_argument("cases", nargs="*", help="案件编号（默认全部）")

    def handle(self, *args, action: str, **options):
        if action == "deadlines":
            self.stdout.write(f"{tasks.refresh()} 项提醒")
            return
        cases = Case.objects.order_by("pk")
        if options["cases"]:
            cases = cases.filter(number__in=options["cases"])
        failed = 0
        labels = history.field_labels(Case)
        for case in cases.iterator():
            records = [history.as_record(event, case.number) for event in case.events.order_by("seq")]
            problems = history.verify(records)
            if records and records[-1]["hash"] != case.last_hash:
                problems.append("最后一条事件与案件记录的链头不符")
            problems += history.state_problems(records, history.state_of(Case, case.pk), labels)
            self.stdout.write(f"{case.number} {'OK' if not problems else '；'.join(problems)}")
            failed += bool(problems)
        if failed:
            raise CommandError(f"{failed} 个案件的全过程记录摘要链或案件状态与记录不一致")
