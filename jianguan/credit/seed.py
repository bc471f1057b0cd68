"""Demo credit records: list entries, court records, publicity of the seeded penalties and licences, 抽检; the
platform's own 严重违法失信名单 (one entity listed and published, one told); the published classification; a
credit repair approved and its publication ended."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import Department, Region, User
from jianguan.audit.contracts import record
from jianguan.behaviour.models import Penalty
from jianguan.core.bulk import bulk_insert
from jianguan.core.errors import DomainError
from jianguan.core.registry import SeedStep
from jianguan.core.roles import Role
from jianguan.core.seeding import SeedContext
from jianguan.subjects.contracts import entity_rows
from jianguan.subjects.models import EntityStatus, Licence, MarketEntity

from . import adjustments, classification, repair, selectors, serious
from .abnormal_seed import demo_officer_and_head, seed_abnormal
from .models import CreditKind, CreditRecord, EntityClass, RepairApplication, Scorecard

# kind → (share of entities, source, title choices, authority)
LISTS = {
    CreditKind.ABNORMAL: (0.05, "国家企业信用信息公示系统",
                          ["未按规定报送年度报告", "通过登记的住所或者经营场所无法联系", "未按规定公示即时信息"],
                          "市场监督管理局"),
    CreditKind.SERIOUS: (0.003, "国家企业信用信息公示系统",
                         ["被列入经营异常名录届满3年仍未履行相关义务", "提交虚假材料取得市场主体登记"],
                         "市场监督管理局"),
    CreditKind.DISHONEST_DEBTOR: (0.01, "全国法院失信被执行人名单", ["有履行能力而拒不履行生效法律文书确定义务"],
                                  "人民法院"),
    CreditKind.JUDGMENT: (0.03, "中国裁判文书网", ["买卖合同纠纷", "劳动争议", "民间借贷纠纷", "租赁合同纠纷"],
                          "人民法院"),
    CreditKind.SAMPLING: (0.1, "食品安全抽检监测信息系统", ["食品安全监督抽检合格", "食品安全监督抽检不合格"],
                          "市场监督管理局"),
}


def seed_credit(ctx: SeedContext) -> None:
    if ctx.scale == "test":
        return
    rng = ctx.rng("credit")
    today = timezone.localdate()
    now = timezone.now()
    entities = entity_rows(ctx)
    names = dict(Region.objects.values_list("code", "name"))
    city = names.get(settings.JIANGUAN_LOCALITY, "")
    locality = Region.objects.filter(code=settings.JIANGUAN_LOCALITY).select_related("parent").first()
    province = locality.parent.name.removesuffix("省") if locality and locality.parent else ""
    publicity = f"信用中国（{province}{city.removesuffix('市')}）"
    rows: list[tuple[object, ...]] = []
    for kind, (share, source, titles, authority) in LISTS.items():
        for entity_id, _, _, _, region, county, _, _, established, status in entities:
            if rng.random() >= share or (kind != CreditKind.JUDGMENT and status != EntityStatus.ACTIVE
                                         and kind != CreditKind.ABNORMAL):
                continue
            day = min(today, max(established, dt.date(2020, 1, 1)) + dt.timedelta(days=rng.randint(0, 2000)))
            ends = day + dt.timedelta(days=3 * 365) if kind == CreditKind.ABNORMAL and rng.random() < 0.5 else None
            rows.append((kind, entity_id, region, source, f"{kind[:2].upper()}{len(rows):09d}", day,
                         rng.choice(titles), f"{city}{names.get(county, '')}{authority}", "",
                         ends if ends and ends <= today else None, now, now))
    departments = dict(Department.objects.values_list("pk", "name"))
    for entity_id, region, day, number, result, department_id in ctx.shared.get("penalties", []):
        rows.append((CreditKind.PENALTY_PUBLICITY, entity_id, region, publicity, number, day, result,
                     departments[department_id], "", None, now, now))
    licences = Licence.objects.values_list("entity_id", "entity__region_id", "valid_from", "number", "licence_type",
                                           "issued_by")
    for entity_id, region, day, number, licence_type, issued_by in licences.iterator(chunk_size=20_000):
        if day <= today:
            rows.append((CreditKind.LICENCE_PUBLICITY, entity_id, region, publicity, number, day,
                         f"准予{licence_type}", issued_by, "", None, now, now))
    with transaction.atomic():
        inserted = bulk_insert(CreditRecord, ("kind", "entity_id", "region_id", "source", "source_ref", "date", "title",
                                              "authority", "detail", "ends_on", "created_at", "updated_at"),
                               ctx.progress(rows, desc="信用记录"))
        record(actor=ctx.actor, verb="credit.records_seeded", data={"count": inserted})
    ctx.say(f"  信用记录 {inserted:,} 条")


def seed_classification(ctx: SeedContext) -> None:
    """The demo's 信用风险分类 (docs/credit-classes.md): the scorecard published by the head of the city
    市场监督管理局, this month's run computed over every entity and published, so every entity has a class with its
    reasons and the spot checks' strata follow it. (The test scale has no credit records: its entities keep the
    classes they were generated with, and the tests classify their own.)"""
    if ctx.scale == "test":
        return
    department = classification.publisher_department_id()
    people = User.objects.filter(department_id=department, is_active=True).order_by("pk") if department else []
    head = next((u for u in people if u.has_role(Role.HEAD)), None)
    if head is None:
        ctx.say("  信用风险分类：本级市场监督管理局没有负责人，未发布")
        return
    name, version = DEMO_SCORECARD
    if not Scorecard.objects.filter(name=name, version=version).exists():
        classification.scorecard_publish(name=name, version=version, actor=head)
    run = classification.run_start(actor=ctx.actor)
    done = classification.run_execute(run_id=run.pk, actor=ctx.actor)
    if done.violations:
        ctx.say(f"  信用风险分类：批次 {done.number} 有单调性问题，未发布")
        return
    classification.run_publish(run_id=run.pk, actor=head)
    ctx.say(f"  信用风险分类 {done.number}：" + "，".join(f"{k} {v:,}" for k, v in done.shares.items()))


def _demo_penalties(department: Department) -> list[Penalty]:
    """The city bureau's largest performed fines about entities, the heaviest first."""
    found = Penalty.objects.filter(department=department, entity__isnull=False, withdrawn_at__isnull=True,
                                   closed_on__isnull=False, fine__isnull=False).order_by("-fine", "pk")
    return [p for p in found[:50] if "02" in p.penalty_kinds][:2]


def seed_serious(ctx: SeedContext) -> None:
    """The demo's 严重违法失信名单 (SAMR 令第44号): one entity proposed by the city bureau's officer for a fine stated
    to be 从重, told 30 days ago, approved by its head with the provincial bureau's agreement recorded, decided and
    published (so the classification places it in D and the flags hold); a second told and waiting to be
    submitted."""
    if ctx.scale == "test":
        return
    pair = demo_officer_and_head()
    if pair is None:
        ctx.say("  严重违法失信名单：缺少演示账号，未生成")
        return
    officer, head = pair
    today = timezone.localdate()
    penalties = _demo_penalties(officer.department)
    if not penalties:
        ctx.say("  严重违法失信名单：本级市场监督管理局没有可列入的行政处罚，未生成")
    for index, penalty in enumerate(penalties):
        entry = serious.serious_propose(actor=officer, data={
            "basis": "penalty", "penalty": penalty.pk, "aggravated": True, "domain": "food",
            "reason": "销售不符合食品安全标准的食品，按从重处罚原则处以罚款",
            "statement": "当事人明知产品不合格仍持续销售，涉及学校周边多家门店，社会影响恶劣",
            "factors": {"intent": True, "frequency": 3, "duration_days": 120, "amount": str(penalty.fine)}})
        told = (today - dt.timedelta(days=30 if index == 0 else 1)).isoformat()
        entry = serious.serious_act(entry_id=entry.pk, action="notify", data={"notified_on": told}, actor=officer)
        if index:
            break
        for action, who, data in (("submit", officer, {}), ("forward", head, {}),
                                  ("record_upper", head, {"upper_reference": "鄂市监信函〔2026〕12号",
                                                          "upper_on": today.isoformat()}),
                                  ("publish", officer, {})):
            entry = serious.serious_act(entry_id=entry.pk, action=action, data=data, actor=who)
        ctx.say(f"  严重违法失信名单 {entry.number}：{entry.entity.name} 已列入并公示")


DEMO_SCORECARD = ("credit-risk", "2026.1")


def seed_repair(ctx: SeedContext) -> None:
    """A credit repair applied for on the service portal, accepted and approved by the city 市场监管局: its penalty's
    publication ended early (the next push round sends the withdrawal to the provincial platform)."""
    if ctx.scale == "test" or RepairApplication.objects.exists():
        return
    pair = demo_officer_and_head()
    if pair is None:
        return
    officer, head = pair
    today = timezone.localdate()
    candidates = Penalty.objects.filter(
        department_id=head.department_id, procedure="02", closed_on__isnull=False, fine__gte=30000,
        entity__isnull=False, withdrawn_at__isnull=True, date__range=(today - dt.timedelta(days=900),
                                                                      today - dt.timedelta(days=400)))
    for penalty in candidates.order_by("pk")[:50]:
        values = {"uscc": penalty.party_code, "decision_number": penalty.decision_number, "applicant_name": "王经理",
                  "applicant_phone": "13800000000", "correction": "已缴清罚款，已整改并通过复查"}
        try:
            with transaction.atomic():
                app = repair.repair_apply(actor=ctx.actor, channel="portal", values=values,
                                          commitment=repair.Upload("信用承诺书.pdf", DEMO_PDF),
                                          proofs=[repair.Upload("整改情况说明.pdf", DEMO_PDF)])
        except DomainError:
            continue
        repair.repair_act(actor=officer, application_id=app.pk, action="accept")
        repair.repair_act(actor=head, application_id=app.pk, action="approve",
                          reasons="处罚决定已履行完毕，违法行为已纠正，公示已满最短期限，"
                                  "且未列入经营异常名录和严重违法失信名单")
        ctx.say(f"  信用修复 {app.number}：准予修复，{penalty.decision_number} 提前停止公示")
        return
    ctx.say("  信用修复：没有符合条件的演示处罚")


DEMO_PDF = b"%PDF-1.4\n% demo\n"


def seed_adjustment(ctx: SeedContext) -> None:
    """One approved manual adjustment (ADR 0041): the city 市场监管局's officer proposes class C for the first D-class
    entity (by id) of the run in force, with reason and evidence; the head of that department approves it."""
    run = selectors.published_run()
    pair = demo_officer_and_head()
    row = EntityClass.objects.filter(run_id=run.pk, risk_class="D").order_by("entity_id").first() if run else None
    if row is None or pair is None:
        ctx.say("  信用风险分类人工调整：无已发布的 D 类主体或无审批人，未调整")
        return
    officer, head = pair
    uscc = MarketEntity.objects.values_list("uscc", flat=True).get(pk=row.entity_id)
    proposal = adjustments.adjustment_propose(
        actor=officer, uscc=uscc, target_class="C", reason="当事人已履行行政处罚决定并完成整改，经现场核查经营正常",
        evidence_note="现场检查笔录及罚没款缴纳凭证（演示）")
    adjustments.adjustment_transition(actor=head, adjustment_id=proposal.pk, action="approve", opinion="同意调整")
    ctx.say(f"  信用风险分类人工调整：{uscc} D → C")


DEMO_SCORECARD = ("credit-risk", "2026.1")
STEPS = [SeedStep("信用记录", 80, seed_credit), SeedStep("经营异常名录", 80, seed_abnormal),
         SeedStep("严重违法失信名单", 80, seed_serious), SeedStep("信用风险分类", 81, seed_classification),
         SeedStep("信用风险分类人工调整", 82, seed_adjustment), SeedStep("信用修复", 82, seed_repair)]
