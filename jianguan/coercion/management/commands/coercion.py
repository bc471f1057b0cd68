"""`jianguan coercion verify [NUMBER …]` — each coercive measure's and execution's current state must equal the
replay of its chained history (the audit events of its steps, ADR 0023); names the record and the field."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from jianguan.coercion.common import STATE_KEY, history
from jianguan.coercion.models import Execution, Measure
from jianguan.core import replay


def problems(row) -> list[str]:
    """Where the row differs from the replay of its audit events. Events written before states were recorded:
    the status alone is replayed (each step's `to`)."""
    events = history(row)
    expected = dict(replay.fold(p.get(STATE_KEY) for p in events) or {})
    statuses = [p["to"] for p in events if p.get("to")]
    if statuses:
        expected.setdefault("status", statuses[-1])
    return replay.problems(expected, replay.state_of(type(row), row.pk), replay.labels(type(row)))


class Command(BaseCommand):
    help = "行政强制：verify 核对强制措施与强制执行的现状等于其全过程记录（审计事件）的重放"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="核对强制措施、强制执行的现状与全过程记录的重放")
        verify.add_argument("numbers", nargs="*", help="强制措施或强制执行编号（默认全部）")

    def handle(self, *args, action: str, **options):
        failed = 0
        for model in (Measure, Execution):
            rows = model.objects.order_by("pk")
            if options["numbers"]:
                rows = rows.filter(number__in=options["numbers"])
            for row in rows.iterator():
                found = problems(row)
                self.stdout.write(f"{row.number} {'OK' if not found else '；'.join(found)}")
                failed += bool(found)
        if failed:
            raise CommandError(f"{failed} 个强制措施或强制执行的现状与全过程记录不一致")
