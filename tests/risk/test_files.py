"""Observations by file: JSON Lines, xlsx and CSV read into the API's items and checked by the API's rules, every
problem named by row, column and code, stored all or none, the file kept whatever became of it, idempotent by
(sender, id) with the API; large files in the background with their progress; the template and the pages."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from jianguan.audit.models import AuditEvent
from jianguan.risk import engine, file_intake, files, intake
from jianguan.risk.models import FileStatus, Observation, ObservationFile
from tests.risk.world import CLAIM, ad, listing, post

pytestmark = pytest.mark.django_db
TYPES = {"id": "id", "text": "text", "short": "short", "bool": "bool", "count": "count",
         "device_class": "device_class", "time": "time"}


def jsonl(*items) -> bytes:
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items).encode()


def xlsx(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, name: str, data: bytes):
    return client.post("/api/v1/risk/observation-files", {"file": SimpleUploadedFile(name, data)})


@pytest.fixture
def admin(persona):
    return persona("dataadmin")


def test_the_columns_cover_every_input_field_of_every_model_with_its_type():
    by_field = {field: kind for field, kind, _note in files.COLUMNS.values()}
    for name in engine.MODEL_NAMES:
        for field, spec in engine.model(name).fields.items():
            assert by_field[field] == TYPES[spec.type], (name, field)
    assert set(files.REQUIRED) <= set(files.COLUMNS) and len(set(files.TITLE)) == len(files.COLUMNS)


def test_a_json_lines_file_is_stored_whole_kept_as_sent_and_its_rows_repeat_with_the_api(monitor):
    client, system = monitor
    first, second = ad("AD-1"), listing("LS-1")
    assert post(client, first).status_code == 201
    data = jsonl(first, second)
    response = upload(client, "stream.jsonl", data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["rows"], body["checked"], body["stored"], body["repeated"]) == ("stored", 2, 2, 1, 1)
    kept = ObservationFile.objects.get(pk=body["id"])
    assert bytes(kept.raw) == data and kept.sender == f"api_client:{system.pk}" and kept.size == len(data)
    stored = Observation.objects.get(sender_id="LS-1")
    assert stored.source_file == kept and stored.payload == second and stored.seller == "店铺A001"
    assert Observation.objects.get(sender_id="AD-1").source_file is None  # sent by the API first
    verbs = list(AuditEvent.objects.filter(verb__startswith="risk.observation_file").values_list("verb", flat=True))
    assert verbs == ["risk.observation_file_received", "risk.observation_file_stored"]
    again = upload(client, "again.jsonl", data).json()
    assert (again["stored"], again["repeated"]) == (0, 2) and Observation.objects.count() == 2
    assert client.get(f"/api/v1/risk/observation-files/{kept.pk}").json()["stored"] == 1


def test_every_bad_row_is_named_by_row_column_and_code_and_nothing_is_stored(monitor):
    client, _ = monitor
    data = jsonl(ad("GOOD-1"), ad("BAD-1", text=""), ad("GOOD-1"), listing("BAD-2", seller=None)) + b"\n"
    response = upload(client, "bad.jsonl", data)
    assert response.status_code == 400, response.content
    body = response.json()
    problems = [(p["row"], p["column"], p["code"]) for p in body["extra"]["problems"]]
    assert problems == [(2, "text", "required"), (3, "id", "duplicate_id"), (4, "seller", "required")]
    assert body["code"] == "import_refused" and "第 2 行" in body["message"]
    assert not Observation.objects.exists()
    kept = ObservationFile.objects.get()  # nothing received is lost
    assert kept.status == FileStatus.REFUSED and bytes(kept.raw) == data and kept.problem_count == 3
    assert AuditEvent.objects.filter(verb="risk.observation_file_refused").get().payload["problems"] == 3


def test_a_line_that_is_not_json_refuses_the_file_naming_the_line(monitor):
    client, _ = monitor
    response = upload(client, "broken.jsonl", jsonl(ad("A")) + b"{not json\n")
    assert response.status_code == 400
    assert [(p["row"], p["code"]) for p in response.json()["extra"]["problems"]] == [(2, "invalid_json")]


def test_a_row_reusing_an_id_for_other_content_refuses_the_file(monitor):
    client, _ = monitor
    assert post(client, ad("AD-1")).status_code == 201
    response = upload(client, "changed.jsonl", jsonl(ad("AD-2"), ad("AD-1", text="另一条广告：根治鼻炎")))
    assert response.status_code == 400
    [problem] = response.json()["extra"]["problems"]
    assert (problem["row"], problem["column"], problem["code"]) == (2, "id", "id_reused")
    assert "AD-1" in problem["message"]
    assert not Observation.objects.filter(sender_id="AD-2").exists()


HEADER = ["编号", "模型", "类型", "采集时间", "快照摘要", "文字", "卖家", "商品名称", "结算是否要求处方", "销售数量"]


def test_an_excel_file_with_chinese_titles_is_read_into_the_apis_items(signed_in, admin):
    data = xlsx(HEADER, ["X-1", "非法销售处方药品", "网络销售商品", dt.datetime(2026, 12, 1, 10, 0, 30), "b" * 64,
                         "阿莫西林胶囊 免处方", "店铺B001", "阿莫西林胶囊", "否", 3],
                ["X-2", "medical_ad", "广告", "2026-12-01T09:00:00+08:00", "c" * 64, CLAIM, None, None, None, None])
    response = signed_in(admin).post("/risk/files/", {"file": SimpleUploadedFile("监测.xlsx", data)})
    kept = ObservationFile.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/risk/files/{kept.pk}/"
    assert kept.status == FileStatus.STORED and kept.stored == 2, kept.problems
    listing_row = Observation.objects.get(sender_id="X-1")
    assert listing_row.payload == {
        "id": "X-1", "model": "rx_sales", "kind": "listing", "captured_at": "2026-12-01T10:00:30+08:00",
        "snapshot_hash": "b" * 64, "text": "阿莫西林胶囊 免处方", "seller": "店铺B001", "product_name": "阿莫西林胶囊",
        "prescription_step": False, "quantity": 3}
    assert listing_row.captured_at == dt.datetime(2026, 12, 1, 2, 0, 30, tzinfo=dt.UTC)
    page = signed_in(admin).get(f"/risk/files/{kept.pk}/").content.decode()
    assert 'data-testid="file-stored"' in page and "新入库 2 条" in page


def test_a_csv_file_in_gbk_names_the_column_title_of_each_problem(signed_in, admin):
    rows = [",".join(HEADER), "Y-1,非法销售药品,网络销售商品,2026-12-01 10:00,abc,布洛芬片,店铺C,,也许,三",
            "Y-2,非法销售药品,网站,2026-12-01 11:00,abc,布洛芬片,店铺C,,,",
            "Y-3,非法销售药品,网络销售商品,昨天,abc,布洛芬片,店铺C,,,"]
    response = signed_in(admin).post("/risk/files/", {
        "file": SimpleUploadedFile("监测.csv", "\n".join(rows).encode("gb18030"))})
    kept = ObservationFile.objects.get()
    assert response.status_code == 302 and kept.status == FileStatus.REFUSED
    assert [(p["row"], p["column"], p["code"]) for p in kept.problems] == [
        (2, "结算是否要求处方", "not_bool"), (3, "类型", "kind_unknown"), (4, "采集时间", "not_time")]
    assert not Observation.objects.exists()
    page = signed_in(admin).get(f"/risk/files/{kept.pk}/").content.decode()
    assert "结算是否要求处方" in page and "not_bool" in page and "整个文件未入库" in page


def test_an_unknown_column_or_a_missing_required_one_refuses_the_file(monitor):
    client, _ = monitor
    data = "编号,模型,类型,采集时间,颜色\nZ-1,medical_ad,ad,2026-12-01 10:00,红\n".encode()
    problems = upload(client, "x.csv", data).json()["extra"]["problems"]
    assert {(p["column"], p["code"]) for p in problems} >= {("快照摘要", "column_missing"), ("颜色", "column_unknown")}


def test_a_large_file_is_checked_in_the_background_in_chunks_with_its_progress(monitor, settings, monkeypatch,
                                                                                django_capture_on_commit_callbacks):
    client, _ = monitor
    settings.JIANGUAN_RISK_FILE_INLINE_ROWS = 1000
    progress = []
    check_items = intake.check_items

    def spy(items, department, **options):
        progress.append((len(items), ObservationFile.objects.get().checked))
        return check_items(items, department, **options)

    monkeypatch.setattr(intake, "check_items", spy)
    items = [ad(f"BIG-{n}", advertiser="咸宁某医院") for n in range(1200)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, "big.jsonl", jsonl(*items))
    assert response.status_code == 202 and response.json()["status"] == "received"
    assert not Observation.objects.exists()
    file_id = response.json()["id"]
    for callback in callbacks:  # the task, enqueued when the kept file committed
        callback()
    body = client.get(f"/api/v1/risk/observation-files/{file_id}").json()
    assert (body["status"], body["rows"], body["checked"], body["stored"]) == ("stored", 1200, 1200, 1200)
    event = AuditEvent.objects.filter(verb="risk.observation_file_stored").get()
    assert event.actor_label.endswith("task:risk.observation_file_import") and event.payload["stored"] == 1200
    assert progress == [(500, 0), (500, 500), (200, 1000)]  # the API's batch size, the progress written after each


def test_the_page_shows_the_progress_of_a_file_being_checked(signed_in, admin):
    kept = file_intake.observation_file_receive(actor=admin, file_name="x.jsonl", data=jsonl(ad("P-1")))
    ObservationFile.objects.filter(pk=kept.pk).update(status=FileStatus.CHECKING, rows=2000, checked=500)
    page = signed_in(admin).get(f"/risk/files/{kept.pk}/").content.decode()
    assert 'data-testid="file-pending"' in page and "已检查 500 / 2000 行（25%）" in page and "every 2s" in page


def test_too_many_rows_refuse_the_file(monitor, settings):
    client, _ = monitor
    settings.JIANGUAN_RISK_FILE_MAX_ROWS = 2
    response = upload(client, "x.jsonl", jsonl(ad("A"), ad("B"), ad("C")))
    assert response.status_code == 400 and response.json()["extra"]["problems"][0]["code"] == "too_many_rows"


def test_the_template_round_trips(signed_in, admin):
    response = signed_in(admin).get("/risk/files/template.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [cell.value for cell in sheet[1]] == list(files.COLUMNS)
    assert book.worksheets[1].title == "填写说明"
    titles = list(files.COLUMNS)
    row = {"编号": "T-1", "模型": "虚假医疗广告", "类型": "网页", "采集时间": "2026-12-01 08:00", "快照摘要": "d" * 64,
           "文字": CLAIM}
    sheet.append([row.get(title) for title in titles])
    out = io.BytesIO()
    book.save(out)
    signed_in(admin).post("/risk/files/", {"file": SimpleUploadedFile("t.xlsx", out.getvalue())})
    assert Observation.objects.get().payload["model"] == "medical_ad"
    csv_header = signed_in(admin).get("/risk/files/template.csv").content.decode("utf-8-sig").strip()
    assert csv_header.split(",")[:3] == ["编号", "模型", "类型"]


def test_only_the_data_administrator_uploads_and_readers_see_files_within_scope(signed_in, persona, admin, outsider):
    kept = file_intake.observation_file_receive(actor=admin, file_name="x.jsonl", data=jsonl(ad("S-1")))
    officer = signed_in(persona("scjg_officer"))
    assert officer.post("/risk/files/", {"file": SimpleUploadedFile("y.jsonl", jsonl(ad("S-2")))}).status_code == 403
    assert 'type="file"' not in officer.get("/risk/files/").content.decode()
    assert ObservationFile.objects.count() == 1
    assert "x.jsonl" in signed_in(admin).get("/risk/files/").content.decode()
    assert signed_in(outsider).get(f"/risk/files/{kept.pk}/").status_code == 404
    assert "x.jsonl" not in signed_in(outsider).get("/risk/files/").content.decode()


def test_a_file_is_processed_while_the_uploader_waits_only_when_it_holds_few_rows():
    assert files.rows_at_most(xlsx(HEADER, *[["R"] * 3] * 9), "xlsx") == 10
    assert files.rows_at_most(jsonl(ad("A"), ad("B")), "jsonl") == 3
    assert files.rows_at_most(b"not a workbook", "xlsx") is None  # told when read: in the background


@pytest.mark.parametrize(("line", "code"), [(b'{"id": "N-1", "text": "\\u0000"}', "invalid_character"),
                                            (b'{"id": "N-2", "text": "\\ud800"}', "invalid_unicode")])
def test_a_line_the_database_could_not_store_refuses_the_file_naming_the_line(monitor, line, code):
    client, _ = monitor
    response = upload(client, "nul.jsonl", jsonl(ad("A")) + line + b"\n")
    assert response.status_code == 400
    assert [(p["row"], p["code"]) for p in response.json()["extra"]["problems"]] == [(2, code)]
    assert not Observation.objects.exists()
