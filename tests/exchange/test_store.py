"""Records every standard allows reach the store: the project's own template record and records that leave every
optional field empty, for every standard, by the API and by file upload; a row the database refuses is reported as
what it is; joint tasks and 双公示 records are kept by their key and version and pushed on to the province."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.behaviour import services as behaviour
from jianguan.behaviour.models import Inspection
from jianguan.catalog.models import Implementation
from jianguan.exchange import push, standards
from jianguan.exchange.models import CallStatus, ExchangeCall, KeptRecord, OutboxRecord
from jianguan.exchange.quality import engine
from jianguan.exchange.records import LIBRARY, Item
from jianguan.exchange.refs import LibraryRefs
from jianguan.exchange.sealing import open_body
from jianguan.exchange.standards.rules import RequiredWhen
from tests.catalog_fixtures import FOOD
from tests.exchange_fixtures import system_client
from tests.library_fixtures import COERCION, PENALTY, SYSTEM, inspect
from tests.provsim_fixtures import running_simulator

pytestmark = pytest.mark.django_db


def city() -> Department:
    return Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")


@pytest.fixture
def library(enforcement_items, xianan_entity):
    """One record of each behaviour type in the library, made through the services, about one 咸安区 entity."""
    department = city()
    found = inspect(xianan_entity, number="JC-LIB-1")
    behaviour.penalty_record(
        actor=SYSTEM, department=department, catalog_code=PENALTY, inspection_number=found.number,
        number="CF-LIB-1", name="销售不符合食品安全标准的食品案", decided_on=dt.date(2025, 7, 10),
        decision_number="咸市监处罚〔2025〕9号", facts="销售过期食品",
        basis="《中华人民共和国食品安全法》第一百二十四条",
        procedure="02", penalty_kinds=["01"], result="警告", case_source="监督检查", reconsideration="未申请",
        litigation="未起诉")
    behaviour.coercion_record(
        actor=SYSTEM, department=department, catalog_code=COERCION, inspection_number=found.number,
        number="QZ-LIB-1", name="扣押过期食品", kind="measure", decision_number="咸市监强制〔2025〕9号",
        facts="涉嫌销售过期食品", basis="《中华人民共和国食品安全法》第一百一十条", starts_on=dt.date(2025, 6, 4),
        measure_type="扣押财物")
    behaviour.other_record(actor=SYSTEM, department=department, catalog_code=FOOD, number="QT-LIB-1", name="行政约谈",
                           starts_on=dt.date(2025, 6, 5), party={"entity_code": xianan_entity.uscc})
    return {"entity": xianan_entity, "inspection": found}


def template(name: str) -> dict:
    """The record `jianguan quality template --standard NAME --format json` writes, keyed by ascii field ids."""
    out = io.StringIO()
    call_command("quality", "template", "--standard", name, "--format", "json", stdout=out, stderr=io.StringIO())
    [record] = json.loads(out.getvalue())
    return standards.get(name).normalize(record)


def ours(std, record: dict, n: int, world: dict) -> dict:
    """The template record as a system of the city 市场监管局 sends it: a new identity, our department (also as the
    deciding body, which owns a licence's disclosure item, and as a joint task's initiator), list and party (the
    synthetic example names codes no platform holds)."""
    department = city()
    implementation = Implementation.objects.get(item__code=FOOD, body=department).code
    entity = world["entity"]
    fresh = {"record_id": f"REC-{std.name}-{n}", "number": f"NO-{std.name}-{n}", "task_no": f"LH-{n}",
             "department_code": department.uscc, "authority_code": department.uscc, "region_code": "421202",
             "implementation_code": implementation, "initiate_unit_no": department.uscc,
             "catalog_code": {"penalty": PENALTY, "coercion": COERCION}.get(std.name, FOOD),
             "supervision_matter_code": FOOD, "item_code": FOOD, "party_code": entity.uscc,
             "party_code_1": entity.uscc, "object_codes": [entity.uscc],
             "inspection_number": world["inspection"].number,
             "decision_number": f"咸市监处罚〔2025〕{n}号", "decision_doc_number": f"咸市监许〔2025〕{n}号",
             "licence_number": f"JY1421202000{n:04d}", "version_id": f"202506031000{n:02d}"}
    if std.name in ("catalog_item", "implementation"):
        fresh.pop("catalog_code")
        fresh["region_code"] = "421200"
    return {**record, **{k: val for k, val in fresh.items() if std.has_field(k) and (k in record or k == std.key)}}


def emptied(std, record: dict) -> dict:
    """The record with every optional field empty ("" for text, [] for lists) but those a rule requires here."""
    def code(rule):
        value = str(record.get(rule.when))
        name = std.field(rule.when).dictionary
        return standards.dictionary(name).code_of(value) if name else value

    needed = {rule.then for rule in std.rules if isinstance(rule, RequiredWhen) and code(rule) in rule.values}
    return {f.id: record.get(f.id, "") if f.required or f.id in needed or f.id == std.key
            else ([] if f.type == "list" else "") for f in std.fields}


def passes(std, records: list[dict]) -> None:
    verdicts = engine.check(std, records, refs=LibraryRefs())
    assert [v.errors for v in verdicts if not v.ok] == [], std.name


@pytest.mark.parametrize("name", standards.NAMES)
def test_the_template_record_and_one_with_every_optional_field_empty_are_stored(library, persona, signed_in,
                                                                                  name):
    std = standards.get(name)
    sender, _ = system_client(persona)
    full = ours(std, template(name), 1, library)
    bare = emptied(std, ours(std, template(name), 2, library))
    assert any(value in ("", []) for value in bare.values())
    passes(std, [full, bare])
    response = sender.post(f"/api/v1/exchange/{name}/records", json.dumps([full, bare], ensure_ascii=False),
                           content_type="application/json")
    answer = response.json()
    assert response.status_code == 200 and answer["rejected"] == [], answer["rejected"]
    assert (answer["accepted"], answer["stored"]) == (2, True)
    queued = OutboxRecord.objects.filter(standard=name).order_by("pk")
    assert [q.record_id for q in queued] == [Item(0, data=r).identify(std).record_id for r in (full, bare)]
    model = LIBRARY.get(name)
    if model is not None:
        rows = model.objects.filter(record_id__in=[q.record_id for q in queued])
        assert rows.count() == 2 and all(row.source == "exchange" for row in rows)
    else:
        kept = KeptRecord.objects.filter(standard=name, record_id__in=[q.record_id for q in queued])
        assert kept.count() == 2 and all(row.call_id == answer["call_id"] for row in kept)

    # The same two kinds of record in a file uploaded on the work portal.
    records = [ours(std, template(name), 3, library), emptied(std, ours(std, template(name), 4, library))]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f.title for f in std.fields])
    for record in records:
        writer.writerow(["、".join(value) if isinstance(value, list) else
                         ("是" if value else "否") if isinstance(value, bool) else "" if value is None else value
                         for value in (record.get(f.id, "") for f in std.fields)])
    page = signed_in(persona("scjg_officer"))
    upload = io.BytesIO(out.getvalue().encode("utf-8"))
    upload.name = f"{name}.csv"
    response = page.post("/exchange/upload/", {"standard": name, "file": upload})
    assert response.status_code == 302
    call = ExchangeCall.objects.get(channel="upload")
    assert (call.status, call.accepted, call.rejected) == (CallStatus.ACCEPTED, 2, 0), call.outcome
    assert OutboxRecord.objects.filter(standard=name, call=call).count() == 2


def _refuse_inserts(table: str, *, name: str | None = None) -> None:
    """A database rule refusing new rows of `table` (those called `name`, if given): a storage failure that is
    nobody's input error."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE FUNCTION refuse_row() RETURNS trigger AS $$ BEGIN "
                           "RAISE EXCEPTION 'refused by the database'; END $$ LANGUAGE plpgsql")
            cursor.execute(f"CREATE TRIGGER refuse_row BEFORE INSERT ON {table} FOR EACH ROW "
                           + (f"WHEN (NEW.name = '{name}') " if name else "") + "EXECUTE FUNCTION refuse_row()")
        else:
            cursor.execute(f"CREATE TRIGGER refuse_row BEFORE INSERT ON {table} "
                           + (f"WHEN NEW.name = '{name}' " if name else "")
                           + "BEGIN SELECT RAISE(ABORT, 'refused by the database'); END")


def test_a_row_the_database_refuses_is_a_storage_failure_not_a_conflict(library, persona):
    std = standards.get("inspection")
    sender, _ = system_client(persona)
    good, bad = ours(std, template("inspection"), 5, library), ours(std, template("inspection"), 6, library)
    bad["name"] = "存储失败"
    _refuse_inserts(Inspection._meta.db_table, name="存储失败")
    answer = sender.post("/api/v1/exchange/inspection/records", json.dumps([good, bad], ensure_ascii=False),
                         content_type="application/json").json()
    assert answer["accepted"] == 1
    [refused] = answer["rejected"]
    assert refused["index"] == 1 and [e["code"] for e in refused["errors"]] == ["store_failed"]
    assert "请重报" not in refused["errors"][0]["message"]
    assert list(Inspection.objects.filter(source="exchange").values_list("record_id", flat=True)) == [
        good["record_id"]]
    assert list(OutboxRecord.objects.values_list("record_id", flat=True)) == [good["record_id"]]
    call = ExchangeCall.objects.get()
    assert (call.status, call.accepted, call.rejected) == (CallStatus.PARTIAL, 1, 1)


def test_a_call_whose_processing_fails_is_marked_failed_and_nothing_of_it_is_stored(library, persona):
    """A failure past the per-record checks (here the database refuses the outbox row) ends the call as `failed`
    with the error and an audit event: never left `received`, never half-written, its body still kept."""
    from jianguan.audit.models import AuditEvent

    std = standards.get("inspection")
    sender, _ = system_client(persona)
    record = ours(std, template("inspection"), 8, library)
    _refuse_inserts(OutboxRecord._meta.db_table)
    sender.raise_request_exception = False
    response = sender.post("/api/v1/exchange/inspection/records", json.dumps([record], ensure_ascii=False),
                           content_type="application/json")
    assert response.status_code == 500 and response.json()["code"] == "internal_error"
    call = ExchangeCall.objects.get()
    assert call.status == CallStatus.FAILED and call.error_code == "processing_failed"
    assert call.outcome["error"]["message"].startswith("refused by the database")
    assert json.loads(open_body(call.raw)) == [record]  # the body is kept as received
    assert not Inspection.objects.filter(record_id=record["record_id"]).exists()
    assert AuditEvent.objects.filter(verb="exchange.call_failed", target_id=str(call.pk)).exists()


def test_a_fine_beyond_the_column_is_refused_by_name_not_by_the_database(library, persona):
    std = standards.get("penalty")
    sender, _ = system_client(persona)
    record = {**ours(std, template("penalty"), 7, library), "fine": "1000000000000"}
    answer = sender.post("/api/v1/exchange/penalty/records", json.dumps([record], ensure_ascii=False),
                         content_type="application/json").json()
    [refused] = answer["rejected"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("fine", "too_large")]


def test_joint_tasks_and_disclosures_are_kept_by_key_and_version_and_pushed_on(library, persona, tmp_path,
                                                                                settings):
    sender, system = system_client(persona)
    joint = ours(standards.get("joint_task"), template("joint_task"), 8, library)
    disclosure = {**emptied(standards.get("disclosure_penalty"), ours(
        standards.get("disclosure_penalty"), template("disclosure_penalty"), 9, library)), "record_id": ""}

    def send(name, records):
        return sender.post(f"/api/v1/exchange/{name}/records", json.dumps(records, ensure_ascii=False),
                           content_type="application/json").json()

    assert send("joint_task", [joint])["accepted"] == 1
    assert send("joint_task", [joint])["duplicates"] == 1  # the same (system, 任务编号, version) is kept once
    assert send("joint_task", [{**joint, "task_name": "食品安全联合检查（调整）", "op": "u"}])["accepted"] == 1
    assert send("disclosure_penalty", [disclosure])["accepted"] == 1
    task = KeptRecord.objects.get(standard="joint_task")
    assert (task.record_id, task.version, task.source_system) == ("LH-8", 2, f"client:{system.pk}")
    assert task.data["task_name"] == "食品安全联合检查（调整）" and task.payload["task_name"] == task.data["task_name"]
    shown = KeptRecord.objects.get(standard="disclosure_penalty")
    assert shown.record_id.startswith("SGS-CF-") and shown.data["decision_number"] == disclosure["decision_number"]

    with running_simulator(tmp_path) as sim:
        settings.JIANGUAN_PUSH_URL, settings.JIANGUAN_PUSH_TOKEN = sim.base_url, sim.token
        assert push.push_round().stopped == "done"
        stats = sim.stats()
        received = {s: sim.records(standard=s) for s in ("joint_task", "disclosure_penalty")}
    assert stats["by_standard"]["joint_task"]["records"] == 2
    assert stats["by_standard"]["joint_task"]["rejected"] == stats["by_standard"]["disclosure_penalty"]["rejected"] == 0
    [current] = received["joint_task"]
    assert (current["id"], current["version"], current["data"]["task_name"]) == ("LH-8", 2, "食品安全联合检查（调整）")
    assert [r["id"] for r in received["disclosure_penalty"]] == [shown.record_id]
    assert not OutboxRecord.objects.filter(standard__in=("joint_task", "disclosure_penalty")).exclude(
        status="accepted").exists()
