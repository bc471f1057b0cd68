"""双随机一公开 through the services: plans, tasks, commit → beacon → draw, the rules that refuse, voids with a
second approver, replacements, results by the drawn inspectors, publication (the pages in test_pages.py, the public
transcript in test_api.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys

import pytest
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.audit.models import AuditEvent
from jianguan.behaviour.models import Inspection
from jianguan.core.bulk import bulk_insert
from jianguan.core.calendar import add_working_days
from jianguan.core.errors import AccessDenied, InvalidTransition, ValidationFailed
from jianguan.enforcement.models import Clue
from jianguan.spotchecks import (
    check_results,
    drawing,
    inspector_directory,
    pools,
    protocol,
    selectors,
    task_setup,
)
from jianguan.spotchecks.models import CheckResult, Draw, DrawInput, DrawStatus
from tests import tampering
from tests.spotcheck_fixtures import MOMENT, VALUE, WINDOW, _drawn, _witness

pytestmark = pytest.mark.django_db


def test_a_draw_is_committed_before_its_randomness_and_anyone_can_recompute_it(food_task, persona, tmp_path):
    draw = _drawn(food_task, persona)
    assert draw.status == DrawStatus.DRAWN and len(draw.commitment) == 64
    document = drawing.transcript(draw)
    assert protocol.verify(document) == []
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(document, ensure_ascii=False))
    verified = subprocess.run([sys.executable, "-m", "jianguan.spotchecks.verify", str(path)], capture_output=True,
                              text=True)
    assert verified.returncode == 0 and verified.stdout.strip() == "OK"
    checks = CheckResult.objects.filter(draw=draw)
    assert checks.count() == 4
    for check in checks:
        assert check.inspectors.count() == 2
        assert check.publish_due == add_working_days(WINDOW[1], 20)
    written = drawing.transcript_bytes(draw)
    assert written == protocol.canonical(document)
    assert draw.transcript_hash == hashlib.sha256(written).hexdigest()


def test_a_tampered_transcript_is_rejected_by_the_verifier(food_task, persona, tmp_path):
    document = drawing.transcript(_drawn(food_task, persona))
    name = next(iter(document["pool"]))
    document["pool"][name] = document["pool"][name][1:]
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(document, ensure_ascii=False))
    verified = subprocess.run([sys.executable, "-m", "jianguan.spotchecks.verify", str(path)], capture_output=True,
                              text=True)
    assert verified.returncode == 1 and "commit" in verified.stdout.lower()


def test_a_draw_cannot_be_redone(food_task, persona):
    _drawn(food_task, persona)
    with pytest.raises(InvalidTransition) as refused:
        drawing.draw_commit(actor=persona("scjg_admin"), task_id=food_task.pk, beacon=_witness(), now=MOMENT)
    assert refused.value.code == "draw_exists"


def test_the_beacon_value_is_refused_before_it_can_exist(food_task, persona):
    admin = persona("scjg_admin")
    draw = drawing.draw_commit(actor=admin, task_id=food_task.pk, beacon=_witness(10), now=MOMENT)
    with pytest.raises(ValidationFailed) as refused:
        drawing.draw_reveal(actor=admin, draw_id=draw.pk, beacon_value=VALUE, now=MOMENT + dt.timedelta(minutes=5))
    assert refused.value.code == "beacon_too_early"


def test_a_drand_round_must_lie_in_the_future(food_task, persona):
    admin = persona("scjg_admin")
    now = timezone.now()
    with pytest.raises(ValidationFailed) as past:
        drawing.draw_commit(actor=admin, task_id=food_task.pk, now=now, beacon={
            "source": "drand", "round": protocol.drand_round_at(now.timestamp()) - 10})
    assert past.value.code == "beacon_round_past"
    future = protocol.drand_round_at(now.timestamp()) + 20
    draw = drawing.draw_commit(actor=admin, task_id=food_task.pk, now=now, beacon={"source": "drand",
                                                                                   "round": future})
    assert draw.beacon["chain"] == "quicknet" and draw.beacon["round"] == future
    with pytest.raises(ValidationFailed) as early:
        drawing.draw_reveal(actor=admin, draw_id=draw.pk, beacon_value=VALUE, now=now)
    assert early.value.code == "beacon_too_early"
    signature = "b" * 192
    with pytest.raises(ValidationFailed) as mismatch:
        drawing.draw_reveal(actor=admin, draw_id=draw.pk, beacon_value=VALUE, signature=signature,
                            now=now + dt.timedelta(minutes=5))
    assert mismatch.value.code == "beacon_signature_mismatch"
    drawn = drawing.draw_reveal(actor=admin, draw_id=draw.pk, beacon_value=protocol.drand_randomness(signature),
                                signature=signature, now=now + dt.timedelta(minutes=5))
    assert drawn.status == DrawStatus.DRAWN


def test_a_pool_changed_after_the_commitment_is_refused(food_task, persona):
    admin = persona("scjg_admin")
    draw = drawing.draw_commit(actor=admin, task_id=food_task.pk, beacon=_witness(), now=MOMENT)
    pool = draw.frozen["pool"]
    pool["ALL"] = pool["ALL"][:-1]
    tampering.raw("spotchecks_drawinput",  # around the triggers, as someone with the database would
                  "UPDATE spotchecks_drawinput SET data = %s WHERE draw_id = %s AND field = 'pool'",
                  [protocol.canonical(pool), draw.pk])
    with pytest.raises(ValidationFailed) as refused:
        drawing.draw_reveal(actor=admin, draw_id=draw.pk, beacon_value=VALUE, now=MOMENT + dt.timedelta(minutes=1))
    assert refused.value.code == "commitment_mismatch"


def test_draw_inputs_are_read_back_as_the_exact_bytes_stored(food_task, persona):
    admin = persona("scjg_admin")
    draw = drawing.draw_commit(actor=admin, task_id=food_task.pk, beacon=_witness(), now=MOMENT)
    through_the_orm = {row.field: bytes(row.data) for row in draw.inputs.all()}
    assert Draw.objects.get(pk=draw.pk).encoded_inputs == through_the_orm  # binary on PostgreSQL, plain on SQLite
    every_byte = bytes(range(256)) * 2
    tampering.raw("spotchecks_drawinput", "DELETE FROM spotchecks_drawinput WHERE draw_id = %s AND field = 'beacon'",
                  [draw.pk])
    bulk_insert(DrawInput, ("draw_id", "field", "data"), [(draw.pk, "beacon", every_byte)],
                binary_types=("bigint", "text", "bytea"))
    assert bytes(DrawInput.objects.get(draw=draw, field="beacon").data) == every_byte
    assert Draw.objects.get(pk=draw.pk).encoded_inputs["beacon"] == every_byte
    with pytest.raises(ValidationFailed) as refused:
        drawing.draw_reveal(actor=admin, draw_id=draw.pk, beacon_value=VALUE, now=MOMENT + dt.timedelta(minutes=1))
    assert refused.value.code == "commitment_mismatch"


@pytest.mark.parametrize(("change", "code"), [
    ({"strata": {"A": {"ratio": "1.5"}}}, "ratio_out_of_range"),
    ({"strata": {"B": {"ratio": "-0.1"}}}, "ratio_out_of_range"),
    ({"strata": {"ALL": {"count": 3}, "A": {"count": 1}}}, "strata_mixed"),
    ({"inspectors_per_department": 1}, "inspectors_too_few"),
    ({"window_start": WINDOW[1], "window_end": WINDOW[0]}, "window_invalid"),
    ({"items": []}, "items_required"),
])
def test_task_rules_name_the_rule(food_task, persona, change, code):
    values = {"plan_id": food_task.plan_id, "name": "x", "items": food_task.items, "window_start": WINDOW[0],
              "window_end": WINDOW[1], **change}
    with pytest.raises(ValidationFailed) as refused:
        task_setup.task_create(actor=persona("scjg_admin"), **values)
    assert refused.value.code == code


def test_an_empty_pool_is_refused(food_task, persona):
    type(food_task).objects.filter(pk=food_task.pk).update(kind="directed", scope={"industries": ["0000"]})
    with pytest.raises(ValidationFailed) as refused:
        drawing.draw_commit(actor=persona("scjg_admin"), task_id=food_task.pk, beacon=_witness(), now=MOMENT)
    assert refused.value.code == "pool_empty"


def test_a_task_directed_at_regions_draws_only_from_them(food_task):
    """定向抽查 by region: the pool holds the entities of the named county and of nowhere else."""
    type(food_task).objects.filter(pk=food_task.pk).update(kind="directed", scope={"regions": ["421202"]})
    task = type(food_task).objects.get(pk=food_task.pk)
    regions = set(pools.pool_queryset(task).values_list("region_id", flat=True))
    assert regions and all(code.startswith("421202") for code in regions)


def test_voiding_needs_a_reason_and_a_second_approver(food_task, persona):
    admin, leader = persona("scjg_admin"), persona("scjg_head")
    draw = _drawn(food_task, persona)
    with pytest.raises(ValidationFailed):
        drawing.draw_void_request(actor=admin, draw_id=draw.pk, reason="")
    drawing.draw_void_request(actor=admin, draw_id=draw.pk, reason="名录缺少新设立主体")
    with pytest.raises(AccessDenied):
        drawing.draw_void_approve(actor=admin, draw_id=draw.pk)
    with pytest.raises(AccessDenied):
        drawing.draw_void_approve(actor=persona("scjg_officer"), draw_id=draw.pk)
    drawing.draw_void_approve(actor=leader, draw_id=draw.pk)
    draw.refresh_from_db()
    assert draw.status == DrawStatus.VOID and draw.void_approved_by == leader
    assert Draw.objects.filter(pk=draw.pk).exists()  # never deleted
    second = drawing.draw_commit(actor=admin, task_id=food_task.pk, beacon=_witness(5), now=MOMENT)
    assert second.commitment != draw.commitment or second.beacon != draw.beacon


def test_a_replacement_follows_the_ranking_and_keeps_the_transcript_verifiable(food_task, persona):
    draw = _drawn(food_task, persona)
    uscc, assigned = next((o, names) for o, names in draw.result["assignments"].items())
    replacement = drawing.draw_replace(actor=persona("scjg_admin"), draw_id=draw.pk, uscc=uscc, out=assigned[0],
                                       reason="病假")
    draw.refresh_from_db()
    assert replacement["in"] not in assigned and replacement["n"] == 1
    assert protocol.verify(drawing.transcript(draw)) == []
    check = CheckResult.objects.get(draw=draw, entity__uscc=uscc)
    now_assigned = protocol.current_assignments(drawing.transcript(draw))[uscc]
    assert replacement["in"] in now_assigned and assigned[0] not in now_assigned
    assert set(check.inspectors.values_list("username", flat=True)) == set(now_assigned)


def test_rotation_excludes_who_went_in_an_earlier_draw_after_replacements(food_task, persona):
    admin = persona("scjg_admin")
    draw = _drawn(food_task, persona)
    uscc, assigned = next((o, names) for o, names in draw.result["assignments"].items())
    replacement = drawing.draw_replace(actor=admin, draw_id=draw.pk, uscc=uscc, out=assigned[0], reason="出差")
    follow_up = task_setup.task_create(actor=admin, plan_id=food_task.plan_id, name="食品经营者复查",
                                       items=food_task.items, window_start=WINDOW[0], window_end=WINDOW[1],
                                       strata={"ALL": {"count": 4}}, max_objects_per_inspector=3)
    task_setup.task_publish(actor=admin, task_id=follow_up.pk)
    again = drawing.draw_commit(actor=admin, task_id=follow_up.pk, beacon=_witness(7), now=MOMENT)
    excluded = {(p["object"], p["inspector"]): p["reason"] for p in again.frozen["excluded_pairs"]}
    went = {replacement["in"], *assigned[1:]}
    assert {(uscc, name) for name in went} <= excluded.keys()
    assert (uscc, assigned[0]) not in excluded  # replaced before the visit: did not check the object
    assert excluded[uscc, replacement["in"]] == f"rotation: checked in draw {draw.pk} within 12 months"


def test_results_are_entered_by_the_drawn_inspectors_only_and_published(food_task, persona, client, outsider):
    draw = _drawn(food_task, persona)
    check = CheckResult.objects.filter(draw=draw).first()
    inspector = check.inspectors.order_by("username").first()
    stranger = User.objects.filter(department=inspector.department).exclude(
        pk__in=check.inspectors.values("pk")).exclude(username="scjg_admin").first() or persona("sthj_officer")
    with pytest.raises(AccessDenied) as refused:
        check_results.result_enter(actor=stranger, result_id=check.pk, codes=["1"], checked_on=WINDOW[0])
    assert refused.value.code == "result_not_assigned"
    with pytest.raises(ValidationFailed):
        check_results.result_enter(actor=inspector, result_id=check.pk, codes=["1", "E"], checked_on=WINDOW[0])
    entered = check_results.result_enter(actor=inspector, result_id=check.pk, codes=["6"],
                                         checked_on=dt.date(2025, 6, 5))
    assert entered.abnormal_due == add_working_days(dt.date(2025, 6, 5), 10)
    inspection = Inspection.objects.get(number=entered.inspection_numbers[0])
    assert inspection.entity_id == check.entity_id and inspection.spot_check_plan == str(food_task.pk)
    clue = check_results.result_to_clue(actor=inspector, result_id=check.pk)
    assert Clue.objects.filter(pk=clue.pk, source_ref=inspection.number).exists()
    public = client.get(f"/public/spotchecks/tasks/{food_task.pk}/").content.decode()
    assert check.entity.uscc not in public  # not yet published
    assert check_results.results_publish(actor=persona("scjg_admin"), task_id=food_task.pk) == 1
    public = client.get(f"/public/spotchecks/tasks/{food_task.pk}/").content.decode()
    assert check.entity.uscc in public and draw.commitment in public




def _revealed_later(task, persona, capture):
    """A draw larger than JIANGUAN_DRAW_INLINE_RESULTS: revealed, with the enqueueing of its result rows held."""
    admin = persona("scjg_admin")
    draw = drawing.draw_commit(actor=admin, task_id=task.pk, beacon=_witness(), now=MOMENT)
    with capture() as callbacks:
        draw = drawing.draw_reveal(actor=admin, draw_id=draw.pk, beacon_value=VALUE,
                                   now=MOMENT + dt.timedelta(minutes=1))
    assert len(callbacks) == 1
    return draw, callbacks[0]


def test_a_large_draw_leaves_its_result_rows_to_a_background_task(food_task, persona, settings, signed_in,
                                                                   django_capture_on_commit_callbacks):
    settings.JIANGUAN_DRAW_INLINE_RESULTS = 3  # the food task draws 4
    admin = persona("scjg_admin")
    draw, enqueue = _revealed_later(food_task, persona, django_capture_on_commit_callbacks)
    assert draw.status == DrawStatus.DRAWN and draw.results_pending
    assert not CheckResult.objects.filter(draw=draw).exists()
    page = signed_in(admin).get(f"/spotchecks/tasks/{food_task.pk}/").content.decode()
    assert 'data-testid="results-pending"' in page
    uscc, names = next(iter(draw.result["assignments"].items()))
    with pytest.raises(InvalidTransition) as early:
        drawing.draw_replace(actor=admin, draw_id=draw.pk, uscc=uscc, out=names[0], reason="病假")
    assert early.value.code == "results_pending"
    enqueue()  # the immediate task backend runs the task here
    draw.refresh_from_db()
    assert not draw.results_pending
    checks = CheckResult.objects.filter(draw=draw)
    assert checks.count() == 4
    for check in checks:
        assert set(check.inspectors.values_list("username", flat=True)) == set(draw.result["assignments"][
            check.entity.uscc])
        assert check.region_id == draw.frozen["object_regions"][check.entity.uscc]
    assert drawing.draw_results_write(actor=admin, draw_id=draw.pk) == 0  # written once
    assert checks.count() == 4
    written = AuditEvent.objects.filter(verb="spotchecks.results_written").get()
    assert written.actor_kind == "system" and written.payload == {"results": 4}
    drawing.draw_replace(actor=admin, draw_id=draw.pk, uscc=uscc, out=names[0], reason="病假")


def test_a_draw_voided_before_its_rows_are_written_gets_none(food_task, persona, settings,
                                                             django_capture_on_commit_callbacks):
    settings.JIANGUAN_DRAW_INLINE_RESULTS = 0
    draw, enqueue = _revealed_later(food_task, persona, django_capture_on_commit_callbacks)
    drawing.draw_void_request(actor=persona("scjg_admin"), draw_id=draw.pk, reason="名录缺少新设立主体")
    drawing.draw_void_approve(actor=persona("scjg_head"), draw_id=draw.pk)
    enqueue()
    assert not CheckResult.objects.filter(draw=draw).exists()




def test_the_demo_draws_verify_and_pass_the_fairness_audit(small_catalog, persona, monkeypatch):
    """The demo seed's draws (run here at the demo's counts over the test entities): each transcript verifies, and
    the fairness audit passes for each task."""
    import io

    from django.core.management import call_command

    from jianguan.core.seeding import SeedContext
    from jianguan.spotchecks import fairness
    from jianguan.spotchecks.seed import seed_spotchecks

    seed_spotchecks(SeedContext(scale="demo", seed=7, stdout=io.StringIO(), progress_enabled=False))
    drawn = Draw.objects.filter(status=DrawStatus.DRAWN)
    assert drawn.exists() and Draw.objects.filter(status=DrawStatus.VOID).exists()
    out = io.StringIO()
    call_command("spotchecks", "verify", stdout=out)
    assert out.getvalue().count(" OK") == drawn.count()
    for draw in drawn:
        assert fairness.audit(draw.frozen, runs=400, assign_runs=20).passes()


def test_avoidance_excludes_the_pair_from_the_next_draw(food_task, persona, signed_in):
    officer = persona("scjg_officer")

    draw = drawing.draw_commit(actor=persona("scjg_admin"), task_id=food_task.pk, beacon=_witness(), now=MOMENT)
    target = draw.frozen["pool"]["ALL"][0]
    drawing.draw_void_request(actor=persona("scjg_admin"), draw_id=draw.pk, reason="测试回避后重新抽取")
    drawing.draw_void_approve(actor=persona("scjg_head"), draw_id=draw.pk)
    client = signed_in(officer)
    response = client.post("/spotchecks/inspectors/", {"form": "avoidance", "uscc": target, "reason": "亲属关系"})
    assert response.status_code == 302
    again = drawing.draw_commit(actor=persona("scjg_admin"), task_id=food_task.pk, beacon=_witness(3), now=MOMENT)
    assert {"object": target, "inspector": officer.username, "reason": "avoidance: 亲属关系"} in \
        again.frozen["excluded_pairs"]
    page = client.get("/spotchecks/inspectors/").content.decode()
    assert officer.username in page and "亲属关系" in page


def test_only_a_department_administrator_sets_areas_within_the_jurisdiction(food_task, persona):
    admin = persona("scjg_admin")
    entry = inspector_directory.inspector_set(actor=admin, username="scjg_officer", areas=["421202"], in_draws=True)
    assert entry.areas == ["421202"]
    with pytest.raises(ValidationFailed):
        inspector_directory.inspector_set(actor=admin, username="scjg_officer", areas=["110101"], in_draws=True)
    with pytest.raises(AccessDenied):
        inspector_directory.inspector_set(actor=persona("scjg_officer"), username="scjg_officer", areas=[],
                                          in_draws=False)
    draw = drawing.draw_commit(actor=admin, task_id=food_task.pk, beacon=_witness(), now=MOMENT)
    scope = next(i["scope"] for i in draw.frozen["inspectors"] if i["id"] == "scjg_officer")
    assert scope == ["421202"]


def test_an_unreachable_firm_is_listed_as_abnormal_once(food_task, persona):
    from jianguan.credit.models import CreditRecord

    draw = _drawn(food_task, persona)
    check = CheckResult.objects.filter(draw=draw).first()
    inspector = check.inspectors.first()
    admin = persona("scjg_admin")
    check_results.result_enter(actor=inspector, result_id=check.pk, codes=["1"], checked_on=dt.date(2025, 6, 5))
    with pytest.raises(InvalidTransition):
        check_results.result_list_abnormal(actor=admin, result_id=check.pk)
    other = CheckResult.objects.filter(draw=draw).exclude(pk=check.pk).first()
    check_results.result_enter(actor=other.inspectors.first(), result_id=other.pk, codes=["6"],
                               checked_on=dt.date(2025, 6, 6))
    check_results.result_list_abnormal(actor=admin, result_id=other.pk)
    listed = CreditRecord.objects.get(entity=other.entity, kind="abnormal", source="双随机抽查")
    assert listed.title == "通过登记的住所（经营场所）无法联系"
    with pytest.raises(InvalidTransition):
        check_results.result_list_abnormal(actor=admin, result_id=other.pk)


def test_experts_are_added_by_a_department_administrator(food_task, persona, signed_in):
    admin = persona("scjg_admin")
    with pytest.raises(AccessDenied):
        inspector_directory.expert_add(actor=persona("scjg_officer"), name="李工", organisation="省特检院",
                                       specialties=["锅炉"])
    response = signed_in(admin).post("/spotchecks/inspectors/", {
        "form": "expert", "name": "李工", "organisation": "省特检院", "specialties": "锅炉、压力容器"})
    assert response.status_code == 302
    page = signed_in(admin).get("/spotchecks/inspectors/").content.decode()
    assert "李工" in page and "压力容器" in page


def test_a_drawn_object_is_checked_on_site_and_its_record_is_not_written_twice(food_task, persona):
    """现场检查 from a draw: the drawn inspector starts the 行政检查 drafts (one per item of the department), asked
    again the same drafts; no one else may; a submitted on-site inspection's record is the one the result cites."""
    import base64
    import io

    from PIL import Image

    from jianguan.inspections.drafts import inspection_update
    from jianguan.inspections.models import FieldInspection
    from jianguan.inspections.submission import inspection_submit

    draw = _drawn(food_task, persona)
    check = CheckResult.objects.filter(draw=draw).first()
    inspector = check.inspectors.order_by("username").first()
    stranger = persona("sthj_officer")
    with pytest.raises(AccessDenied):
        check_results.result_inspect(actor=stranger, result_id=check.pk)
    drafts = check_results.result_inspect(actor=inspector, result_id=check.pk)
    assert drafts and check_results.result_inspect(actor=inspector, result_id=check.pk) == drafts
    inspection = FieldInspection.objects.get(pk=drafts[0].id)
    assert inspection.origin_kind == "spot_check" and inspection.origin_ref == f"{food_task.pk}/{check.pk}"
    assert inspection.entity_id == check.entity_id

    image = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(image, "PNG")
    now = timezone.now()
    values = {"place": check.entity.registered_address, "started_at": (now - dt.timedelta(hours=1)).isoformat(),
              "ended_at": (now - dt.timedelta(minutes=30)).isoformat(), "outcome": "no_problem",
              "checklist": [{"item": row["item"], "answer": "pass", "note": ""} for row in inspection.checklist],
              "signature_png": base64.b64encode(image.getvalue()).decode()}
    inspection_update(actor=inspector, inspection_id=inspection.pk, base_version=inspection.version,
                            values=values)
    submitted = inspection_submit(actor=inspector, inspection_id=inspection.pk)
    before = Inspection.objects.count()
    entered = check_results.result_enter(actor=inspector, result_id=check.pk, codes=["1"], checked_on=WINDOW[0])
    assert submitted.number in entered.inspection_numbers
    assert Inspection.objects.count() == before + len(entered.inspection_numbers) - 1


def test_a_result_waits_for_the_on_site_drafts_and_a_second_record_of_an_item_is_found(food_task, persona):
    """A draft still open would write its own 行政检查 when submitted, a second record of the same item beside the
    one the result writes: the result is refused until the drafts are submitted. A second record of an item (as an
    older version wrote) is named by the consistency check."""
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from jianguan.behaviour import services as behaviour

    draw = _drawn(food_task, persona)
    first, second = CheckResult.objects.filter(draw=draw).order_by("pk")[:2]
    inspector = first.inspectors.order_by("username").first()
    check_results.result_inspect(actor=inspector, result_id=first.pk)
    with pytest.raises(InvalidTransition) as refused:
        check_results.result_enter(actor=inspector, result_id=first.pk, codes=["1"], checked_on=WINDOW[0])
    assert refused.value.code == "onsite_not_submitted" and "请先在“我的任务”中提交现场检查" in refused.value.message
    first.refresh_from_db()
    assert first.entered_at is None and not Inspection.objects.filter(spot_check_plan=str(food_task.pk)).exists()

    inspector = second.inspectors.order_by("username").first()
    entered = check_results.result_enter(actor=inspector, result_id=second.pk, codes=["1"], checked_on=WINDOW[0])
    call_command("consistency", stdout=io.StringIO())
    kept = Inspection.objects.get(number=entered.inspection_numbers[0])
    behaviour.inspection_record(
        actor=inspector, department=inspector.department, implementation_code=kept.implementation_code,
        number=f"{kept.number}-again", name=kept.name, date=kept.date, form=kept.form, category="1",
        result=kept.result, inspectors=kept.inspectors, credential_numbers=kept.credential_numbers,
        spot_check_plan=kept.spot_check_plan, party={"entity_code": second.entity.uscc})
    out = io.StringIO()
    with pytest.raises(CommandError, match="发现 1 处不一致"):
        call_command("consistency", stdout=out)
    assert (f"重复记录：抽查任务 {food_task.pk} 对主体 {second.entity.uscc} 的检查事项 {kept.implementation_code} "
            "有 2 条行政检查记录") in out.getvalue()


# 一公开 of the transcript (issue 14, item 8): anyone fetches a published draw's public form without signing in and
# verifies it; inputs that are not public (inspectors, avoidance) are there only by their committed hashes.

def _verify_file(document: bytes, tmp_path) -> subprocess.CompletedProcess:
    path = tmp_path / "public.json"
    path.write_bytes(document)
    return subprocess.run([sys.executable, "-m", "jianguan.spotchecks.verify", str(path)], capture_output=True,
                          text=True)




def test_a_tampered_public_transcript_fails_the_verifier(food_task, persona, tmp_path):
    document = protocol.public_form(drawing.transcript(_drawn(food_task, persona)))
    changed = json.loads(json.dumps(document))
    changed["inspectors_hash"] = "0" * 64  # another inspector list than the committed one
    assert protocol.verify(changed)[0].startswith("commitment differs")
    changed = json.loads(json.dumps(document))
    changed["pool"]["ALL"] = changed["pool"]["ALL"][1:]
    outcome = _verify_file(json.dumps(changed, ensure_ascii=False).encode(), tmp_path)
    assert outcome.returncode == 1 and outcome.stdout.startswith("commitment differs")
    changed = json.loads(json.dumps(document))
    drawn, rest = changed["result"]["selected"]["ALL"], sorted(set(document["pool"]["ALL"]))
    changed["result"]["selected"]["ALL"] = [next(u for u in rest if u not in drawn), *drawn[1:]]
    assert protocol.verify(changed)[0].startswith("result.selected.ALL")
    changed = json.loads(json.dumps(document))
    changed["form"] = "partial"
    assert protocol.verify(changed)[0].startswith("form differs")




def test_the_check_list_is_scoped_and_mine_lists_what_the_reader_has_still_to_enter(food_task, persona, outsider):
    draw = _drawn(food_task, persona)
    checks = CheckResult.objects.filter(draw=draw)
    inspector = checks.first().inspectors.order_by("username").first()
    assert set(selectors.check_result_list(reader=persona("scjg_admin"))) == set(checks)
    assert not selectors.check_result_list(reader=outsider).exists()
    assigned = set(checks.filter(inspectors=inspector))
    assert set(selectors.check_result_list(reader=inspector, mine=True)) == assigned
    entered = min(assigned, key=lambda check: check.pk)
    check_results.result_enter(actor=inspector, result_id=entered.pk, codes=["1"], checked_on=WINDOW[0])
    assert set(selectors.check_result_list(reader=inspector, mine=True)) == assigned - {entered}


def test_a_task_is_created_whole_or_not_at_all(food_task, persona, monkeypatch):
    """The task, its departments and its audit event are written in one transaction: a failure of the last
    leaves no task behind."""
    from jianguan.spotchecks.models import Task

    before = Task.objects.count()

    def refuse(**_):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(task_setup, "record", refuse)
    with pytest.raises(RuntimeError):
        task_setup.task_create(actor=persona("scjg_admin"), plan_id=food_task.plan_id, name="不应留下的任务",
                               items=food_task.items, window_start=WINDOW[0], window_end=WINDOW[1],
                               strata={"ALL": {"count": 4}}, max_objects_per_inspector=3)
    assert Task.objects.count() == before
