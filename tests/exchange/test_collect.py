"""Records the platform writes pass the standard they are pushed under: every service path that writes a behaviour
record (inspections in the field, penalty cases by the ordinary and the simple procedure, from each clue source,
coercive measures and their release, spot-check results) is driven, the records are collected and checked by the
quality engine with no refusal; and the repair queue repairs the platform's own records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.audit.models import AuditEvent
from jianguan.behaviour import services as behaviour
from jianguan.behaviour.models import Coercion, Inspection, Penalty
from jianguan.coercion import measures
from jianguan.enforcement.models import BEHAVIOUR_CASE_SOURCE, BEHAVIOUR_INSPECTION_FORM, ClueSource
from jianguan.enforcement.simple import case_simple
from jianguan.exchange import collect, standards
from jianguan.exchange.models import Op, Origin, OutboxRecord, RepairItem, RepairStatus
from jianguan.exchange.quality import engine, sources
from jianguan.exchange.records import LIBRARY
from jianguan.exchange.refs import LibraryRefs
from jianguan.inspections import submission
from jianguan.spotchecks import check_results
from jianguan.spotchecks.models import CheckResult
from tests.enforcement_fixtures import decided, world_fixture  # noqa: F401 (fixture)
from tests.inspections.world import completed, opened
from tests.library_fixtures import COERCION, SYSTEM
from tests.spotcheck_fixtures import WINDOW, _drawn

pytestmark = pytest.mark.django_db
SEPT_1 = timezone.make_aware(dt.datetime(2026, 9, 1, 10, 0))


def refusals() -> dict[str, list]:
    """Every platform record of the library checked by the quality engine: {standard: the refused ones' issues}."""
    found = {}
    for name, model in LIBRARY.items():
        std = standards.get(name)
        records = sources.records_from_library(std, model.objects.filter(source="platform"))
        verdicts = engine.check(std, records, refs=LibraryRefs())
        found[name] = [(r["number"], [(e.field, e.code) for e in v.errors])
                       for r, v in zip(records, verdicts, strict=True) if not v.ok]
    return found


def test_the_case_mappings_name_dictionary_values_for_every_clue_source():
    sources = standards.dictionary("案件来源").accepted
    forms = standards.dictionary("检查形式").accepted
    assert set(BEHAVIOUR_CASE_SOURCE) == set(BEHAVIOUR_INSPECTION_FORM) == set(ClueSource.values)
    assert set(BEHAVIOUR_CASE_SOURCE.values()) <= sources and set(BEHAVIOUR_INSPECTION_FORM.values()) <= forms


def test_every_record_the_services_write_passes_its_standard(world, food_task, persona):
    w = world
    # 行政处罚, ordinary procedure from a report: the on-site inspection and the penalty.
    case = decided(w)
    # 简易程序: the on-the-spot inspection and penalty.
    simple = case_simple(
        actor=w.officer, party={"uscc": w.entity.uscc}, officers=["scjg_officer", "case_officer_b"],
        facts="未按规定悬挂营业执照", basis="《市场主体登记管理条例》第四十八条", penalty_kinds=["02"], fine="3000",
        catalog_code=w.catalog, implementation_code=w.implementation)
    # 行政检查 in the field.
    field = {"officer": w.officer, "colleague": w.partner, "entity": w.entity, "code": w.implementation}
    checked = completed(field, opened(field))
    submission.inspection_submit(actor=w.officer, inspection_id=checked.pk)
    # 行政强制: a seizure on the spot, approved, then released (the record's next version).
    measure = measures.measure_act_emergency(
        actor=w.officer, acted_at=SEPT_1, kind="seal_goods", inspection_number=case.inspection_number,
        catalog_code=COERCION, facts="经营超过保质期的食品", basis="《中华人民共和国食品安全法》第一百一十条第四项",
        items=[{"name": "过期饼干", "spec": "200g/袋", "quantity": "46", "unit": "袋", "condition": "完好"}],
        officers=["scjg_officer", "case_officer_b"], days=30, place="涉案财物保管室")
    measures.measure_approve(actor=w.head, measure_id=measure.pk)
    measures.measure_release(actor=w.head, measure_id=measure.pk, reason="检验合格", on="2026-09-10")
    # 双随机 results.
    draw = _drawn(food_task, persona)
    check = CheckResult.objects.filter(draw=draw).first()
    check_results.result_enter(actor=check.inspectors.order_by("username").first(), result_id=check.pk,
                               codes=["A", "3"], checked_on=WINDOW[0])

    made = {name: model.objects.filter(source="platform").count() for name, model in LIBRARY.items()}
    assert made["inspection"] >= 4 and made["penalty"] == 2 and made["coercion"] == 1
    assert Penalty.objects.get(number=case.behaviour_number).case_source == "投诉举报"  # the case came from a report
    assert Inspection.objects.get(number=f"{simple.number}-JC1").result == "发现问题已责令改正"
    assert Coercion.objects.get(number=measure.number).version == 2
    assert refusals() == {name: [] for name in LIBRARY}

    collected = collect.platform_collect()
    assert sum(collected.refused.values()) == 0 and not RepairItem.objects.exists()
    assert OutboxRecord.objects.filter(standard="coercion", version=2, op=Op.UPDATE).exists()


def test_the_repair_queue_repairs_the_platforms_own_record(world, signed_in, persona):
    w = world
    # A record written with a label outside the dictionary (as the platform once did) is refused on collection.
    made = behaviour.inspection_record(
        actor=SYSTEM, department=w.city, implementation_code=w.implementation, number="JC-OWN-1",
        name="食品经营日常检查", date=dt.date(2026, 10, 12), form="现场检查", category="1", result="发现问题当场处罚",
        inspectors=["张伟", "李强"], credential_numbers=["4212000000001", "4212000000002"],
        party={"entity_code": w.entity.uscc})
    collect.platform_collect()
    item = RepairItem.objects.get(record_id=str(made.record_id))
    assert item.origin == Origin.CHECK and {e["field"] for e in item.errors} == {"form", "result"}

    page = signed_in(persona("dataadmin"))
    fields = page.get(f"/exchange/repairs/{item.pk}/").content.decode()
    assert "现场检查" in fields
    still = page.post(f"/exchange/repairs/{item.pk}/", {"form": "日常检查", "result": "发现问题当场处罚"})
    assert still.status_code == 200 and "检查结果" in still.content.decode()
    item.refresh_from_db()
    assert item.status == RepairStatus.OPEN and {e["field"] for e in item.errors} == {"result"}
    made.refresh_from_db()
    assert (made.version, made.form) == (1, "现场检查")  # a refused fix changes nothing

    done = page.post(f"/exchange/repairs/{item.pk}/", {"form": "日常检查", "result": "发现问题已责令改正"})
    assert done.status_code == 302
    item.refresh_from_db()
    made.refresh_from_db()
    assert item.status == RepairStatus.FIXED and item.fixed_by == persona("dataadmin")
    assert (made.version, made.form, made.result, made.source) == (2, "日常检查", "E", "platform")
    queued = OutboxRecord.objects.get(record_id=str(made.record_id))
    assert (queued.version, queued.op, queued.data["form"], queued.data["result"]) == (2, Op.UPDATE, "日常检查", "E")
    verbs = set(AuditEvent.objects.filter(verb__in=("behaviour.inspection_amended", "exchange.repair_fixed"))
                .values_list("verb", flat=True))
    assert verbs == {"behaviour.inspection_amended", "exchange.repair_fixed"}
    collect.platform_collect()  # the corrected version is queued once, not again
    assert OutboxRecord.objects.filter(record_id=str(made.record_id)).count() == 1
