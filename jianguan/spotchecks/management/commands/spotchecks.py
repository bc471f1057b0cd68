"""`jianguan spotchecks verify [DRAW …]` recomputes drawn draws from their transcripts;
`jianguan spotchecks fairness DRAW [--runs N]` re-runs a draw over many seeds and tests its fairness."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from jianguan.spotchecks import drawing, fairness, protocol
from jianguan.spotchecks.models import Draw, DrawStatus


class Command(BaseCommand):
    help = "双随机抽取：复算验证（verify）与公平性检验（fairness）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="按过程记录复算抽取结果")
        verify.add_argument("draws", nargs="*", help="抽取编号（默认全部已抽取的）")
        audit = sub.add_parser("fairness", help="以大量种子重跑抽取，检验入选频率（χ² 检验）与检查人员分布")
        audit.add_argument("draw", help="抽取编号")
        audit.add_argument("--runs", type=int, default=2000)

    def handle(self, *args, action: str, **options):
        if action == "verify":
            draws = Draw.objects.filter(status=DrawStatus.DRAWN).order_by("pk")
            if options["draws"]:
                draws = draws.filter(number__in=options["draws"])
            failed = 0
            for draw in draws:
                problems = protocol.verify(drawing.transcript(draw))
                self.stdout.write(f"{draw.number} {'OK' if not problems else problems[0]}")
                failed += bool(problems)
            if failed:
                raise CommandError(f"{failed} 个抽取复算不一致")
            return
        draw = Draw.objects.filter(number=options["draw"]).first()
        if draw is None:
            raise CommandError(f"没有抽取 {options['draw']}")
        report = fairness.audit(draw.frozen, runs=options["runs"])
        for stratum in report.strata:
            self.stdout.write(f"{stratum.name}: N={stratum.size} n={stratum.drawn} χ²={stratum.statistic:.1f} "
                              f"dof={stratum.dof} p={stratum.p_value:.4f}")
        shares = sorted(report.inspector_share.values())
        if shares:
            self.stdout.write(f"inspectors: {len(shares)}, share of runs assigned min={shares[0]:.3f} "
                              f"max={shares[-1]:.3f} gini={report.gini:.3f}")
        if not report.passes():
            raise CommandError("入选频率与 n/N 显著不符（p < 0.001）")
        self.stdout.write("fair")
