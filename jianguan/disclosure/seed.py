"""Demo disclosure: the sweep makes an item for every decision of the last 3 years; those decided more than
`HISTORY_DAYS` ago stand for what was published before (published on their due day, with their periods); of the
recent ones of the city 市场监管局, some are prepared and published by its officer and 信息发布审核人, one is
withdrawn with its reason, one awaits review, the newest 行政许可 received through the exchange is published, and
the rest are left pending — those past their due day show as
overdue on the dashboard. The sweep then ends what a credit repair ended early."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.core.registry import SeedStep
from jianguan.core.seeding import SeedContext

from . import rules, search, services, sweep
from .models import DisclosureItem, ItemStatus, SourceKind

HISTORY_DAYS = 45
PUBLISHED = 3  # recent items of the city 市场监管局 prepared and published, the first of them then withdrawn


def _history(ctx: SeedContext, today: dt.date) -> int:
    """Items decided before `today - HISTORY_DAYS` published on their due day (no steps: the demo's past)."""
    done = 0
    for kind, model in services.SOURCES.items():
        items = list(DisclosureItem.objects.filter(source_kind=kind, status=ItemStatus.PENDING,
                                                   decided_on__lt=today - dt.timedelta(days=HISTORY_DAYS)))
        rows: dict[Any, Any] = model._default_manager.in_bulk([i.source_id for i in items])
        for item in items:
            item.period_label, item.period_ends_on = rules.period(kind, rows[item.source_id], None)
            item.status, item.published_on = ItemStatus.PUBLISHED, item.due_on
        with transaction.atomic():
            DisclosureItem.objects.bulk_update(
                items, ["status", "published_on", "period_label", "period_ends_on"], batch_size=500)
            search.terms_add(items)
            record(actor=ctx.actor, verb="disclosure.history_seeded", data={"kind": kind, "published": len(items)})
        done += len(items)
    return done


def _recent(ctx: SeedContext, officer: User, publisher: User) -> None:
    recent = list(DisclosureItem.objects.filter(department_id=officer.department_id, status=ItemStatus.PENDING)
                  .exclude(source_kind=SourceKind.LICENCE).order_by("-decided_on", "-pk")[:PUBLISHED + 1])
    for index, item in enumerate(recent):
        services.item_transition(item_id=item.pk, action="prepare", values={"note": "已核对公示内容"}, actor=officer)
        if index == PUBLISHED:
            ctx.say(f"  执法公示 {item.number}：待审核")
            break
        services.item_transition(item_id=item.pk, action="publish", values={"note": "同意公示"}, actor=publisher)
        if index == 0:
            services.item_transition(item_id=item.pk, action="withdraw", actor=publisher, values={
                "reason": "该决定经行政复议被撤销，依法撤回公示信息"})
            ctx.say(f"  执法公示 {item.number}：已撤回")
        else:
            ctx.say(f"  执法公示 {item.number}：已公示")


def _licence(ctx: SeedContext, officer: User, publisher: User) -> None:
    """The newest licence received through the exchange (`exchange.seed`, ADR 0062) prepared and published."""
    item = (DisclosureItem.objects.filter(department_id=officer.department_id, status=ItemStatus.PENDING,
                                          source_kind=SourceKind.LICENCE).order_by("-decided_on", "-pk").first())
    if item is None:
        return
    services.item_transition(item_id=item.pk, action="prepare", values={"note": "已核对许可信息"}, actor=officer)
    services.item_transition(item_id=item.pk, action="publish", values={"note": "同意公示"}, actor=publisher)
    ctx.say(f"  执法公示 {item.number}：行政许可（交换接收）已公示")


def seed_disclosure(ctx: SeedContext) -> None:
    # Licences received through the exchange (its seed, order 91) already have items; the sweep makes the rest.
    if ctx.scale == "test" or DisclosureItem.objects.exclude(source_kind=SourceKind.LICENCE).exists():
        return
    today = timezone.localdate()
    made, withheld = sweep.items_make(actor=ctx.actor)
    history = _history(ctx, today)
    officer, publisher = (User.objects.filter(username=name).first() for name in ("scjg_officer", "scjg_publisher"))
    if officer is not None and publisher is not None:
        _recent(ctx, officer, publisher)
        _licence(ctx, officer, publisher)
    swept = sweep.sweep(actor=ctx.actor)
    ctx.say(f"  执法公示：{made} 条公示事项（不予公示 {withheld} 条），历史已公示 {history} 条，"
            f"提前终止 {swept.ended} 条，公示期满 {swept.expired} 条")


STEPS = [SeedStep("执法公示", 92, seed_disclosure)]
