"""Register files in (the page of the 数据管理员 and `POST /api/v1/risk/registers/imports`): each kind's template,
every row checked and the file refused whole naming row, column and rule, the file kept as received, scoped reads;
and the scan judging observations against the stored registers (the newest import's row of a number in force)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from jianguan.audit.models import AuditEvent
from jianguan.core.tabular import ImportRefused
from jianguan.risk import register_imports, registers
from jianguan.risk.models import Alert, RegisterEntry, RegisterImport
from jianguan.risk.selectors import StoredRegisters
from tests.core.test_tabular import xlsx
from tests.risk.world import ad, raise_alerts

pytestmark = pytest.mark.django_db

REVIEW_HEADERS = ["广告审查证明文号", "广告主", "统一社会信用代码", "产品或服务名称", "有效期至", "状态"]
VALID = ["鄂医广【2026】第01-05-001号", "咸宁某医院", "", "医疗服务", "2099-12-31", ""]


def csv(*rows: list[str]) -> bytes:
    return "\n".join(",".join(row) for row in rows).encode("utf-8")


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def imported(actor, *rows: list[str], kind: str = "ad_review", headers=REVIEW_HEADERS) -> RegisterImport:
    return register_imports.register_import(actor=actor, kind=kind, source="湖北省卫生健康委员会", file_name="审查.csv",
                                            data=csv(headers, *rows))


def test_the_template_holds_the_chinese_headers_of_its_kind(signed_in, persona):
    response = signed_in(persona("scjg_officer")).get("/risk/registers/template/?kind=ad_review")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == REVIEW_HEADERS and sheet.max_row == 1
    assert signed_in(persona("scjg_officer")).get("/risk/registers/template/?kind=nothing").status_code == 404


def test_a_system_imports_a_file_kept_whole_with_its_source_and_one_audit_event(monitor):
    client, system = monitor
    data = csv(REVIEW_HEADERS, VALID, ["鄂医广【2026】第01-05-002号", "咸宁另一医院", "", "", "2027-01-31", "注销"])
    response = client.post("/api/v1/risk/registers/imports", {"kind": "ad_review", "source": "湖北省卫生健康委员会",
                                                              "file": upload("审查证明.csv", data)})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["rows"] == 2 and body["source"] == "湖北省卫生健康委员会" and body["file_name"] == "审查证明.csv"
    assert body["department_name"] == "咸宁市市场监督管理局"
    batch = RegisterImport.objects.get()
    assert bytes(batch.raw) == data and batch.imported_by == f"接入系统：{system.name}"
    first, second = RegisterEntry.objects.order_by("row")
    assert (first.row, first.number, first.holder, first.valid_until.isoformat()) == (2, VALID[0], "咸宁某医院",
                                                                                      "2099-12-31")
    assert first.raw == dict(zip(REVIEW_HEADERS, VALID, strict=True)) and second.status == "注销"
    event = AuditEvent.objects.get(verb="risk.register_imported")
    assert event.payload["rows"] == 2 and event.payload["kind"] == "ad_review" and len(event.payload["sha256"]) == 64
    assert client.get(f"/api/v1/risk/registers/imports/{batch.pk}").json()["rows"] == 2
    assert client.get("/api/v1/risk/registers/imports?kind=ad_review").json()["count"] == 1


def test_a_file_with_a_bad_row_is_refused_whole_naming_row_column_and_rule(monitor):
    client, _ = monitor
    data = csv(REVIEW_HEADERS, VALID, ["鄂医广【2026】第01-05-002号", "", "", "", "明年", ""], VALID)
    response = client.post("/api/v1/risk/registers/imports", {"kind": "ad_review", "source": "卫健委",
                                                              "file": upload("审查.csv", data)})
    assert response.status_code == 400
    problems = response.json()["extra"]["problems"]
    assert [(p["row"], p["column"], p["code"]) for p in problems] == [
        (3, "广告主", "required"), (3, "有效期至", "date_invalid"), (4, "广告审查证明文号", "duplicate")]
    assert response.json()["message"].startswith("文件未导入：共 3 处问题，首个在第 3 行“广告主”列")
    assert not RegisterImport.objects.exists() and not RegisterEntry.objects.exists()
    missing = client.post("/api/v1/risk/registers/imports", {"kind": "ad_review", "source": " ",
                                                             "file": upload("审查.csv", data)})
    assert missing.status_code == 400 and missing.json()["extra"]["problems"][0]["code"] == "source_required"
    unknown = client.post("/api/v1/risk/registers/imports", {"kind": "licence", "source": "卫健委",
                                                             "file": upload("审查.csv", data)})
    assert unknown.json()["extra"]["problems"][0]["code"] == "kind_invalid"


def test_the_data_administrator_imports_an_excel_file_from_the_page(signed_in, persona):
    client = signed_in(persona("dataadmin"))
    data = xlsx([["登记号", "机构名称", "诊疗科目", "有效期至"],
                 ["PDY42120001", "咸宁仁爱医院", "内科；外科", "2030-01-01"]])
    response = client.post("/risk/registers/", {"kind": "medical_institution_licence", "source": "咸宁市卫生健康委员会",
                                                "file": upload("执业许可.xlsx", data)})
    batch = RegisterImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/risk/registers/{batch.pk}/"
    assert RegisterEntry.objects.get().details == {"departments": ["内科", "外科"]}
    page = client.get(f"/risk/registers/{batch.pk}/").content.decode()
    assert "PDY42120001" in page and "内科；外科" in page
    listing = client.get("/risk/registers/").content.decode()
    assert "咸宁市卫生健康委员会" in listing and "2022-11" in listing and "药品网络销售禁止清单" in listing
    refused = client.post("/risk/registers/", {"kind": "medical_institution_licence", "source": "卫健委",
                                               "file": upload("许可.xlsx", xlsx([["登记号", "机构名称"], ["P", "x"]]))})
    text = refused.content.decode()
    assert refused.status_code == 200 and "缺少必填列“诊疗科目”" in text and "column_missing" in text
    assert RegisterImport.objects.count() == 1


def test_officers_read_the_registers_page_without_the_import_form(signed_in, persona):
    page = signed_in(persona("scjg_officer")).get("/risk/registers/").content.decode()
    assert 'data-testid="register-imports"' in page and 'data-testid="register-import"' not in page


def test_the_scan_judges_against_the_stored_registers_and_the_newest_row_is_in_force(persona):
    admin = persona("dataadmin")
    imported(admin, VALID)
    (unknown,) = raise_alerts(admin, ad(advertiser="咸宁某医院", review_number="鄂医广【2026】第09-09-999号"))
    rules = {hit["rule"] for hit in unknown.hits}
    assert "medical_ad.review_not_registered" in rules and "medical_ad.review_register" not in rules
    assert "medical_ad.register" in rules  # no medical institution licences loaded: still to check
    (known,) = raise_alerts(admin, ad(advertiser="咸宁某医院", review_number=VALID[0],
                                      captured_at="2027-01-03T10:00:00+08:00"))
    assert not {"medical_ad.review_not_registered", "medical_ad.review_invalid"} & {h["rule"] for h in known.hits}
    imported(admin, [*VALID[:4], "2026-12-31", ""])  # the source sends the certificate again, ending sooner
    (expired,) = raise_alerts(admin, ad(advertiser="咸宁某医院", review_number=VALID[0],
                                        captured_at="2027-02-03T10:00:00+08:00"))
    assert [h["note"] for h in expired.hits if h["rule"] == "medical_ad.review_invalid"] == [
        f"广告审查证明 {VALID[0]} 已于 2026-12-31 到期"]
    assert Alert.objects.count() == 3


def test_stored_registers_find_by_number_and_by_holder_code_or_name(persona):
    admin = persona("dataadmin")
    headers = ["许可证编号", "企业名称", "统一社会信用代码", "经营范围", "有效期至"]
    imported(admin, ["鄂CB7150002", "咸宁同济堂药店", "91421200MA49012306", "中成药、化学药制剂", "2029-01-01"],
             kind="drug_business_licence", headers=headers)
    stored = StoredRegisters(dt.date(2026, 12, 1))
    assert stored.loaded("drug_business_licence") and not stored.loaded("drug_approval")
    assert stored.find("drug_business_licence", "鄂 CB7150002").holder == "咸宁同济堂药店"
    assert [e.number for e in stored.held_by("drug_business_licence", "91421200ma49012306")] == ["鄂CB7150002"]
    assert [e.number for e in stored.held_by("drug_business_licence", "咸宁 同济堂药店")] == ["鄂CB7150002"]
    assert stored.held_by("drug_business_licence", "91421200MA49012407") == []
    assert registers.is_code("91421200MA49012306") and not registers.is_code("店铺A001")


def test_the_scan_command_reads_the_stored_registers_when_asked(persona, tmp_path):
    imported(persona("dataadmin"), VALID)
    line = tmp_path / "ads.jsonl"
    line.write_text(json.dumps({"id": 1, "text": "门诊通知", "advertiser": "咸宁某医院",
                                "review_number": "鄂医广【2026】第09-09-999号"}, ensure_ascii=False), "utf-8")
    out = io.StringIO()
    call_command("risk", "scan", "--model", "medical_ad", str(line), "--stored-registers", "--format", "json",
                 stdout=out)
    assert json.loads(out.getvalue())["hits"][0]["rule"] == "medical_ad.review_not_registered"
    out = io.StringIO()
    call_command("risk", "scan", "--model", "medical_ad", str(line), "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["hits"] == []


def test_a_service_refusal_keeps_nothing(persona):
    with pytest.raises(ImportRefused) as refused:
        imported(persona("dataadmin"), VALID, ["x", "y", "", "", "2027-13-01", ""])
    assert refused.value.problems[0].code == "date_invalid" and not RegisterEntry.objects.exists()


def test_the_register_pages_and_list_make_as_many_queries_for_many_files_as_for_one(signed_in, persona, api):
    admin = persona("dataadmin")
    first = imported(admin, VALID)
    client, reader = signed_in(admin), api(admin)

    def counted(path: str, call) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert call(path).status_code == 200
        return len(queries)

    counted("/risk/registers/", client.get), counted("/api/v1/risk/registers/imports", reader.get)  # sessions warm
    one = (counted("/risk/registers/", client.get), counted("/api/v1/risk/registers/imports", reader.get))
    batch = imported(admin, *[[f"鄂医广【2026】第{n}号", "某医院", "", "", "2027-01-01", ""] for n in range(30)])
    assert counted(f"/risk/registers/{batch.pk}/", client.get) == counted(f"/risk/registers/{first.pk}/", client.get)
    for _ in range(4):
        imported(admin, VALID)
    assert (counted("/risk/registers/", client.get), counted("/api/v1/risk/registers/imports", reader.get)) == one
