"""Demo 行政检查 of the city 市场监管局: one submitted without problems, one that ordered a correction (with its
责令改正通知书), and one waiting in the officer's 我的任务 on the phone."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from jianguan.accounts.contracts import officers_on_duty
from jianguan.accounts.models import Department, DepartmentKind, User
from jianguan.catalog.contracts import OutsideTheList, implementation_list, require_in_force
from jianguan.core.registry import SeedStep
from jianguan.core.seeding import SeedContext
from jianguan.subjects.models import EntityStatus, MarketEntity

from . import checklist as lists
from . import drafts, opening, submission
from .models import Answer, OriginKind, Outcome

PERSONA = "scjg_officer"


def _rows(department: Department, day: dt.date) -> list:
    cards = []
    for version in implementation_list(as_of=day, body=department.pk):
        try:
            card = require_in_force(body_id=department.pk, implementation_code=version.implementation.code, on=day)
        except OutsideTheList:
            continue
        if card.action_type == "check" and lists.items_of(card.content_routine):
            cards.append(card)
    return cards


def _colleague(department: Department, day: dt.date) -> User | None:
    return officers_on_duty(department=department, day=day).exclude(username=PERSONA).first()


def seed_inspections(ctx: SeedContext) -> None:
    if ctx.scale == "test":
        return  # tests open their inspections through the services
    today = timezone.localdate()
    city = Department.objects.select_related("region").get(kind=DepartmentKind.SCJG,
                                                           region_id=settings.JIANGUAN_LOCALITY)
    officer = User.objects.filter(username=PERSONA, department=city).first()
    colleague = _colleague(city, today - dt.timedelta(days=7))
    rows = _rows(city, today - dt.timedelta(days=7))
    entities = list(MarketEntity.objects.filter(status=EntityStatus.ACTIVE).select_related("region")
                    .order_by("uscc")[:3])
    if officer is None or colleague is None or not rows or len(entities) < 3:
        return
    officers = [officer.username, colleague.username]
    made = 0
    for n, (entity, outcome) in enumerate(zip(entities[:2], (Outcome.NO_PROBLEM, Outcome.RECTIFY), strict=True)):
        card = rows[n % len(rows)]
        start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=7 - n), dt.time(9, 30)))
        inspection = opening.inspection_open(
            actor=officer, origin_kind=OriginKind.ROUTINE, implementation_code=card.code,
            party={"kind": "entity", "uscc": entity.uscc}, officers=officers, place=entity.registered_address,
            started_at=start)
        items = [row["item"] for row in inspection.checklist]
        answers = [{"item": item, "answer": Answer.FAIL if outcome == Outcome.RECTIFY and i == 0 else Answer.PASS,
                    "note": "记录不全" if outcome == Outcome.RECTIFY and i == 0 else ""}
                   for i, item in enumerate(items)]
        values = {"ended_at": start + dt.timedelta(minutes=50), "checklist": answers, "outcome": outcome,
                  "signature_refused": True, "refusal_note": "当事人称负责人不在场，拒绝签名",
                  "witness": "社区网格员 李明", "location": {"latitude": "29.841500", "longitude": "114.322300",
                                                             "accuracy": "12.0"}}
        if outcome == Outcome.RECTIFY:
            values |= {"findings": f"{items[0]}不符合要求", "rectify_due": today + dt.timedelta(days=15),
                       "rectify_requirement": f"完善{items[0]}相关记录并报送整改情况"}
        drafts.inspection_update(actor=officer, inspection_id=inspection.pk, base_version=inspection.version,
                                   values=values)
        submission.inspection_submit(actor=officer, inspection_id=inspection.pk)
        made += 1
    opening.inspection_open(actor=officer, origin_kind=OriginKind.ROUTINE, implementation_code=rows[0].code,
                             party={"kind": "entity", "uscc": entities[2].uscc}, officers=officers,
                             place=entities[2].registered_address)
    ctx.say(f"  行政检查 {made + 1} 次（已提交 {made}，待检查 1）")


STEPS = [SeedStep("行政检查", 85, seed_inspections)]
