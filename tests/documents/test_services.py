"""执法文书: every kind renders an A4 PDF with Chinese text, numbers run without gaps per department, kind and
year, the stored hash is the hash of the bytes, template edits add versions, the case file's manifest checks out
with the standalone checker (and a tampered part does not), and the pages and API keep to the reader's scope."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from jianguan.accounts.models import Department
from jianguan.audit.models import AuditEvent
from jianguan.core.errors import ValidationFailed
from jianguan.documents import contracts, pdfmerge, rendering, samples, services, verify_bundle
from jianguan.documents.kinds import KINDS
from jianguan.documents.models import DocumentTemplate, IssuedDocument
from jianguan.documents.pdfread import read
from jianguan.documents.templatetags.document_filters import cn_date, fill, rmb_upper_text

pytestmark = pytest.mark.django_db

# What each kind's page must show from its sample context, besides the title, the number and the body's name.
KEY_VALUES = {
    "filing_approval": ["销售超过保质期的食品", "承办人意见", "审核意见", "负责人意见", "周局长", "立案依据"],
    "not_filing_approval": ["不予立案理由及依据", "违法行为轻微并及时改正", "负责人意见"],
    "onsite_record": ["检查地点", "李执法（执法证号：42120000001）", "情况属实，系疏忽未及时下架"],
    "inquiry_record": ["被询问人", "张某某", "从某批发部进的货，有进货单", "如实回答"],
    "rectification_order": ["示例食品商贸有限公司", "2026年3月9日前改正", "第一百二十四条第一款"],
    "penalty_notice": ["陈述、申辩的权利", "有权要求举行听证", "五个工作日内", "没收违法所得400元，罚款人民币50000元"],
    "hearing_notice": ["2026年3月20日9时00分", "孙法制", "视为放弃听证权利"],
    "penalty_decision": ["示例食品商贸有限公司", "示例区示例路88号", "已超过保质期", "询问笔录，证明当事人进货",
                         "第一百二十四条第一款第（五）项", "罚款人民币50000元", "伍万零肆佰元整", "50,400.00元",
                         "十五日内", "每日按罚款数额的百分之三加处罚款", "六十日内", "申请行政复议", "六个月内",
                         "提起行政诉讼"],
    "simple_decision": ["刘某某", "警告，罚款人民币200元", "李执法（执法证号：42120000001）", "申请行政复议"],
    "service_receipt": ["××市监处罚〔2026〕15号", "直接送达", "2026年3月25日10时00分", "收件人签名"],
    "seizure_decision": ["扣押期限为30日", "2026年3月31日止", "涉案物品仓库", "场所/设施/财物清单",
                         "某品牌牛奶（250ml）", "120", "标签不全", "申请行政复议", "提起行政诉讼"],
    "extension_decision": ["××市监强制〔2026〕3号", "第二十五条第一款", "延长30日", "2026年4月30日止"],
    "release_decision": ["解除扣押", "某品牌饼干", "与违法行为无关"],
    "demand_notice": ["第三十五条", "2026年5月20日前", "伍万元整", "陈述和申辩"],
    "enforcement_decision": ["××市监催〔2026〕2号", "拍卖扣押的财物抵缴罚款", "2026年6月1日9时00分"],
    "closing_approval": ["缴清罚没款", "执行情况", "建议结案", "负责人意见"],
    "serious_listing_decision": ["××市监处罚〔2026〕15号", "吊销食品经营许可证", "列入严重违法失信名单",
                                 "不适用告知承诺制", "2029年4月1日", "申请提前移出", "申请行政复议"],
    "abnormal_listing_decision": ["91421200MA4F000017", "未按规定报送年度报告", "2026年7月10日", "第四条第（一）项",
                                  "补报未报年份的年度报告并公示", "严重违法失信名单", "申请行政复议"],
    "abnormal_removal_decision": ["××市监列异〔2026〕8号", "2026年9月4日", "已补报未报年份的年度报告并公示",
                                  "移出经营异常名录"],
    "credit_repair_decision": ["XF20260801001", "××市监处罚〔2026〕15号", "国市监信规〔2021〕3号", "2026年7月10日",
                               "准予信用修复", "2026年8月3日起停止公示", "申请行政复议"],
}
SHOWN_TITLE = {"seizure_decision": "扣押决定书"}  # the sample's measure names the title


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """The PDF's text by poppler's pdftotext, with white space removed (lines wrap anywhere in Chinese)."""
    path = tmp_path / f"{hashlib.sha256(data).hexdigest()[:12]}.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    return "".join(text.decode().split())


def pdf_info(data: bytes, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


def pdf_fonts(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout


@pytest.fixture
def officer(persona):
    return persona("scjg_officer")


@pytest.fixture
def department(officer) -> Department:
    return officer.department


def _issue(officer, kind="penalty_decision", context=None, **kwargs) -> contracts.Issued:
    values = samples.sample(kind, officer.department) if context is None else context
    return contracts.issue(actor=officer, kind=kind, department=officer.department, context=values,
                           subject="case:2026-000123", **kwargs)


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_renders_an_a4_pdf_with_its_title_number_and_values(kind, officer, department, tmp_path):
    issued = _issue(officer, kind)
    data = contracts.pdf(issued.id)
    text = pdf_text(data, tmp_path)
    assert SHOWN_TITLE.get(kind, KINDS[kind]) in text
    assert issued.number and issued.number in text
    assert department.name in text
    for value in KEY_VALUES[kind]:
        assert value in text, f"{kind}: {value!r} missing"
    assert f"第1页共{issued.pages}页" in text
    info = pdf_info(data, tmp_path)
    assert info["Page size"].startswith("595.2") and "841.8" in info["Page size"]  # A4 portrait, in points
    assert int(info["Pages"]) == issued.pages
    fonts = pdf_fonts(data, tmp_path)
    assert "Noto-Serif-CJK-SC" in fonts and "Noto-Sans-CJK-SC" in fonts


def test_the_decision_names_its_review_body_after_the_department_region(officer, department, tmp_path):
    text = pdf_text(contracts.pdf(_issue(officer).id), tmp_path)
    assert f"向{department.region.name}人民政府申请行政复议" in text


def test_missing_values_print_as_blanks_to_fill_by_hand(department, tmp_path):
    for kind in KINDS:
        html = rendering.render_html(rendering.packaged_source(kind), department=department, context={}, number="")
        assert KINDS[kind] in html or kind == "seizure_decision", kind
        assert 'class="blank"' in html or 'class="ruled"' in html, kind
    text = pdf_text(contracts.render(kind="seizure_decision", department=department, context={}), tmp_path)
    assert "查封（扣押）决定书" in text and "（预览）" in text and "场所/设施/财物清单" in text


def test_a_decision_without_penalties_leaves_lines_for_them(department):
    html = rendering.render_html(rendering.packaged_source("penalty_decision"), department=department,
                                 context={"party": {"name": "某公司"}}, number="N")
    assert html.count('class="ruled"') >= 8 and 'class="blank"' in html and "某公司" in html


def test_numbers_run_without_gaps_per_department_kind_and_year_and_restart_each_year(department, persona):
    other = persona("xa_scjg_officer").department
    numbers = [contracts.next_number(department=department, kind="penalty_decision", year=2031) for _ in range(3)]
    assert numbers == ["咸市监处罚〔2031〕1号", "咸市监处罚〔2031〕2号", "咸市监处罚〔2031〕3号"]
    assert contracts.next_number(department=department, kind="penalty_notice", year=2031) == "咸市监罚告〔2031〕1号"
    assert contracts.next_number(department=department, kind="penalty_decision", year=2032) == "咸市监处罚〔2032〕1号"
    assert contracts.next_number(department=other, kind="penalty_decision", year=2031).endswith("处罚〔2031〕1号")
    assert contracts.next_number(department=department, kind="penalty_decision", year=2031) == "咸市监处罚〔2031〕4号"


def test_an_issue_that_fails_gives_its_number_back(officer, monkeypatch):
    """The rendering is ordered in the issue's transaction (ADR 0030): an issue whose order cannot be queued fails
    whole."""
    year = timezone.localdate().year
    first = _issue(officer)
    real = services.render_later

    def broken(*args, **kwargs):
        raise RuntimeError("task queue down")

    monkeypatch.setattr(services, "render_later", broken)
    with pytest.raises(RuntimeError):
        _issue(officer)
    monkeypatch.setattr(services, "render_later", real)
    second = _issue(officer)
    seqs = list(IssuedDocument.objects.filter(department=officer.department, kind="penalty_decision", year=year)
                .order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert first.number.endswith(f"〔{year}〕{seqs[-2]}号") and second.number.endswith(f"〔{year}〕{seqs[-1]}号")


def test_a_number_taken_meanwhile_by_another_issuer_is_not_printed(officer, tmp_path):
    """The document is rendered (in the background) with the number the issue took: a number another issuer took
    meanwhile is never printed."""
    year = timezone.localdate().year
    ahead = contracts.next_number(department=officer.department, kind="penalty_decision", year=year)
    taken_meanwhile = int(ahead.split("〕")[1].rstrip("号"))
    issued = _issue(officer)
    assert issued.number == f"咸市监处罚〔{year}〕{taken_meanwhile + 1}号"
    text = pdf_text(contracts.pdf(issued.id), tmp_path)
    assert issued.number in text and ahead not in text


def test_a_given_number_is_used_and_takes_none_from_the_sequence(officer):
    issued = _issue(officer, "service_receipt", number="咸市监处罚〔2026〕15号-送")
    assert issued.number == "咸市监处罚〔2026〕15号-送"
    assert IssuedDocument.objects.get(pk=issued.id).seq is None
    assert _issue(officer, "service_receipt").number.endswith(f"〔{timezone.localdate().year}〕1号")


def test_the_stored_hash_is_the_hash_of_the_bytes_and_the_audit_chain_holds_it(officer):
    issued = _issue(officer)
    data = contracts.pdf(issued.id)
    assert hashlib.sha256(data).hexdigest() == issued.sha256
    stored = IssuedDocument.objects.get(pk=issued.id)
    assert stored.size == len(data) and stored.pages == issued.pages and stored.template_version == 0
    event = AuditEvent.objects.get(verb="documents.rendered", target_id=str(issued.id))  # ADR 0030
    assert event.payload["sha256"] == issued.sha256 and event.payload["number"] == issued.number
    issue = AuditEvent.objects.get(verb="documents.issued", target_id=str(issued.id))
    assert issue.payload["digest"] == issued.digest == services.content_digest(stored) and len(issued.digest) == 64
    assert contracts.get(issued.id) == issued


def test_an_issued_document_is_never_updated(officer):
    stored = IssuedDocument.objects.get(pk=_issue(officer).id)
    stored.subject = "changed"
    with pytest.raises(RuntimeError):
        stored.save()


def test_a_context_that_is_not_plain_json_is_refused(officer):
    with pytest.raises(ValidationFailed) as refused:
        _issue(officer, context={"when": timezone.now()})
    assert refused.value.code == "invalid_context"
    with pytest.raises(ValidationFailed):
        _issue(officer, kind="no_such_kind", context={})


def test_a_template_edit_adds_a_version_and_the_next_issue_uses_it(officer, persona, tmp_path):
    admin = persona("admin")
    before = _issue(officer)
    old_bytes = contracts.pdf(before.id)
    body = rendering.packaged_source("penalty_decision").body.replace("一、违法事实", "一、经查明的违法事实")
    first = services.template_save(actor=admin, kind="penalty_decision", body=body, note="标题调整")
    second = services.template_save(actor=admin, kind="penalty_decision", body=body + "\n", css=".para{}")
    assert (first.version, second.version) == (1, 2)
    assert list(DocumentTemplate.objects.filter(kind="penalty_decision", is_active=True)
                .values_list("version", flat=True)) == [2]
    assert DocumentTemplate.objects.get(pk=first.pk).body == body  # the older version is kept as it was
    after = _issue(officer)
    stored = IssuedDocument.objects.get(pk=after.id)
    assert stored.template_version == 2 and stored.template_id == second.pk
    assert "经查明的违法事实" in pdf_text(contracts.pdf(after.id), tmp_path)
    assert contracts.pdf(before.id) == old_bytes
    assert "经查明的违法事实" not in pdf_text(old_bytes, tmp_path)
    saved = AuditEvent.objects.filter(verb="documents.template_saved").order_by("seq")
    assert [e.payload["version"] for e in saved] == [1, 2]


def test_a_template_with_a_syntax_error_is_refused_naming_the_line(persona):
    body = '{% extends "documents/pdf/base.html" %}\n{% block content %}\n{% if party.name %}\n{% endblock %}\n'
    with pytest.raises(ValidationFailed) as refused:
        services.template_save(actor=persona("admin"), kind="penalty_notice", body=body)
    assert refused.value.code == "template_syntax" and "第 4 行" in refused.value.message
    assert "endblock" in refused.value.message and "endif" in refused.value.message
    with pytest.raises(ValidationFailed) as unknown:
        services.template_save(actor=persona("admin"), kind="penalty_notice", body="{{ x|no_such_filter }}")
    assert "no_such_filter" in unknown.value.message
    with pytest.raises(ValidationFailed):  # compiles, but fails on the sample: a missing include
        services.template_save(actor=persona("admin"), kind="penalty_notice", body='{% include "nope.html" %}')
    assert not DocumentTemplate.objects.filter(kind="penalty_notice").exists()


def test_templates_fetch_nothing_from_outside(department, tmp_path):
    picture = tmp_path / "outside.png"
    Image.new("RGB", (40, 40), "red").save(picture)
    body = (f'{{% extends "documents/pdf/base.html" %}}{{% block content %}}<img src="file://{picture}">'
            f'<p>正文</p>{{% endblock %}}')
    rendered = rendering.render_pdf(rendering.Source(kind="penalty_notice", body=body), department=department,
                                    context={}, number="N")
    objects = read(rendered.pdf).objects.values()
    assert not [o for o in objects if getattr(o, "dict", {}).get("Subtype") == "Image"]
    assert "正文" in pdf_text(rendered.pdf, tmp_path)


def test_filters_write_amounts_dates_and_blanks():
    assert rmb_upper_text(Decimal(50000)) == "伍万元整"
    assert rmb_upper_text(Decimal("1234.5")) == "壹仟贰佰叁拾肆元伍角"
    assert rmb_upper_text(Decimal("100.05")) == "壹佰元零伍分"
    assert rmb_upper_text(Decimal(10010)) == "壹万零壹拾元整"
    assert rmb_upper_text(Decimal(1050)) == "壹仟零伍拾元整"
    assert rmb_upper_text(Decimal(100010000)) == "壹亿零壹万元整"
    assert rmb_upper_text(Decimal(0)) == "零元整"
    assert cn_date("2026-03-05") == "2026年3月5日"
    assert "blank" in str(cn_date("")) and "年" in str(cn_date(None))
    assert str(fill("<b>甲</b>")) == "&lt;b&gt;甲&lt;/b&gt;"
    assert 'class="blank"' in str(fill(None)) and 'class="blank"' in str(fill(""))


def _two_part_bundle(officer) -> tuple[bytes, list[contracts.Issued]]:
    decision = _issue(officer)
    notice = _issue(officer, "penalty_notice")
    parts = [(d.title, contracts.pdf(d.id)) for d in (notice, decision)]
    manifest = [{"number": d.number, "document_id": d.id} for d in (notice, decision)]
    return contracts.bundle(title="销售超过保质期的食品案 案卷", parts=parts, manifest=manifest), [notice, decision]


def test_a_bundle_carries_cover_manifest_and_every_page_and_its_hashes_check_out(officer, tmp_path):
    data, issued = _two_part_bundle(officer)
    text = pdf_text(data, tmp_path)
    assert "销售超过保质期的食品案案卷" in text and "卷内文书目录" in text
    for document in issued:
        assert document.number.replace(" ", "") in text
    bundle = read(data)
    assert len(bundle.page_refs()) == 2 + sum(d.pages for d in issued)
    files = bundle.embedded_files()
    manifest = json.loads(files["manifest.json"])
    assert manifest["format"] == "jianguan-bundle-v1"
    assert [p["sha256"] for p in manifest["parts"]] == [d.sha256 for d in issued]
    assert [p["document_id"] for p in manifest["parts"]] == [d.id for d in issued]
    for part in manifest["parts"]:
        assert hashlib.sha256(files[part["attachment"]]).hexdigest() == part["sha256"]
    lines, problems, _ = verify_bundle.verify(data)
    assert problems == [] and len(lines) == 3
    path = tmp_path / "case.pdf"
    path.write_bytes(data)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    checked = subprocess.run([sys.executable, "-m", "jianguan.documents.verify_bundle", str(path), "--extract",
                              str(tmp_path / "out")], capture_output=True, text=True, env=env)
    assert checked.returncode == 0 and checked.stdout.strip().endswith("OK"), checked.stdout + checked.stderr
    assert (tmp_path / "out" / "part-02.pdf").read_bytes() == contracts.pdf(issued[1].id)


def test_a_tampered_part_fails_the_check(officer, department, tmp_path):
    data, issued = _two_part_bundle(officer)
    files = read(data).embedded_files()
    manifest = files["manifest.json"]

    def attached(part_two: bytes) -> list[tuple[str, bytes, str, str]]:
        return [("manifest.json", manifest, "application/json", ""),
                ("part-01.pdf", files["part-01.pdf"], "application/pdf", ""),
                ("part-02.pdf", part_two, "application/pdf", "")]

    swapped = pdfmerge.merge([data], attachments=attached(files["part-02.pdf"] + b"%tampered\n"))
    _, problems, _ = verify_bundle.verify(swapped)
    assert any("2." in p and "SHA-256" in p for p in problems) and not any(p.startswith("1.") for p in problems)
    path = tmp_path / "forged.pdf"
    path.write_bytes(swapped)
    checked = subprocess.run([sys.executable, "-m", "jianguan.documents.verify_bundle", str(path)],
                             capture_output=True, text=True)
    assert checked.returncode == 1 and "FAILED" in checked.stdout

    # The attachments intact, but other pages shown in place of the decision's.
    other = contracts.render(kind="penalty_decision", department=department, context={"facts": "另一份文书"})
    notice = contracts.pdf(issued[0].id)
    shown_elsewhere = pdfmerge.merge([notice, notice, other], attachments=attached(files["part-02.pdf"]))
    _, problems, _ = verify_bundle.verify(shown_elsewhere)
    assert problems == ["the pages shown are not the attached parts' pages in the manifest's order"]
    assert verify_bundle.verify(pdfmerge.merge([data], attachments=attached(files["part-02.pdf"])))[1] == []


def test_a_bundle_refuses_a_manifest_hash_that_does_not_match(officer):
    issued = _issue(officer)
    with pytest.raises(ValidationFailed) as refused:
        contracts.bundle(title="案卷", parts=[("决定书", contracts.pdf(issued.id))],
                         manifest=[{"number": issued.number, "sha256": "0" * 64}])
    assert refused.value.code == "hash_mismatch"


def test_api_returns_metadata_and_bytes_in_scope_404_outside_401_anonymous(officer, api, outsider, persona):
    issued = _issue(officer)
    client = api(persona("legal_reviewer"))
    body = client.get(f"/api/v1/documents/{issued.id}").json()
    assert body["sha256"] == issued.sha256 and body["number"] == issued.number and body["pages"] == issued.pages
    response = client.get(f"/api/v1/documents/{issued.id}/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(response.content).hexdigest() == issued.sha256
    for path in (f"/api/v1/documents/{issued.id}", f"/api/v1/documents/{issued.id}/pdf"):
        refused = api(outsider).get(path)
        assert refused.status_code == 404 and refused.json()["code"] == "not_found", path
        assert api().get(path).status_code == 401, path
    assert client.get("/api/v1/documents/999999999").status_code == 404


def test_pages_show_documents_in_scope_only(officer, signed_in, outsider, client, persona):
    issued = _issue(officer)
    paths = [f"/documents/{issued.id}/", f"/documents/{issued.id}/pdf/"]
    for path in [*paths, "/documents/"]:
        response = client.get(path)
        assert response.status_code == 302 and "/login/" in response["Location"], path
    own = signed_in(persona("scjg_admin"))
    assert issued.sha256 in own.get(paths[0]).content.decode()
    pdf = own.get(paths[1])
    assert pdf["Content-Type"] == "application/pdf" and hashlib.sha256(pdf.content).hexdigest() == issued.sha256
    assert issued.number in own.get("/documents/", {"kind": "penalty_decision"}).content.decode()
    stranger = signed_in(outsider)
    for path in paths:
        assert stranger.get(path).status_code == 404, path
    assert issued.number not in stranger.get("/documents/").content.decode()


def test_template_pages_are_for_system_administrators(signed_in, persona, outsider, client):
    paths = ["/documents/templates/", "/documents/templates/penalty_decision/",
             "/documents/templates/penalty_decision/versions/0/"]
    for path in paths:
        assert client.get(path).status_code == 302
    for user in (persona("scjg_admin"), outsider):
        other = signed_in(user)
        for path in paths:
            assert other.get(path).status_code == 403, path
        assert other.post("/documents/templates/penalty_decision/preview/", {"body": "x"}).status_code == 403
        assert other.post(paths[1], {"body": "x"}).status_code == 403
    assert not DocumentTemplate.objects.exists()


def test_an_administrator_edits_previews_and_sees_the_history(signed_in, persona, tmp_path):
    admin = signed_in(persona("admin"))
    listing = admin.get("/documents/templates/").content.decode()
    assert "行政处罚决定书" in listing and "内置默认模板" in listing
    page = admin.get("/documents/templates/penalty_notice/")
    assert page.status_code == 200 and "陈述、申辩" in page.content.decode()
    body = rendering.packaged_source("penalty_notice").body.replace("联系人：", "承办人：")
    preview = admin.post("/documents/templates/penalty_notice/preview/", {"body": body, "css": ""})
    assert preview["Content-Type"] == "application/pdf" and "承办人：" in pdf_text(preview.content, tmp_path)
    assert not DocumentTemplate.objects.exists()  # a preview saves nothing
    broken = admin.post("/documents/templates/penalty_notice/", {"body": "行一\n{% for %}\n", "note": "坏"})
    assert broken.status_code == 400 and "第 2 行" in broken.content.decode()
    saved = admin.post("/documents/templates/penalty_notice/", {"body": body, "note": "改称承办人"})
    assert saved.status_code == 302
    history = admin.get("/documents/templates/penalty_notice/").content.decode()
    assert "改称承办人" in history and "第 1 版" in history
    assert "承办人：" in admin.get("/documents/templates/penalty_notice/versions/1/").content.decode()
    assert admin.get("/documents/templates/no_such_kind/").status_code == 404
    assert admin.get("/documents/templates/penalty_notice/versions/9/").status_code == 404


# A machine without Chinese fonts: rendering refuses instead of storing boxes (issue 14, item 10). Each run starts a
# fresh process, as a clean machine would, with fontconfig reading the given configuration.
RENDER_ONE = """
import sys, types, django
django.setup()
from jianguan.documents import rendering, samples
region = types.SimpleNamespace(name="示例市")
department = types.SimpleNamespace(name="示例市市场监督管理局", short_name="示例市监", region=region)
try:
    rendered = rendering.render_pdf(rendering.packaged_source("simple_decision"), department=department,
                                    context=samples.sample("simple_decision"), number="示例简〔2026〕1号")
except rendering.FontsMissing as error:
    print(error.code, error.message, file=sys.stderr)
    sys.exit(3)
sys.stdout.buffer.write(rendered.pdf)
"""


def _render_in_a_fresh_process(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", RENDER_ONE], capture_output=True, timeout=120,
                          env={**os.environ, "DJANGO_SETTINGS_MODULE": "jianguan.config.settings", **env})


@pytest.mark.once
def test_rendering_refuses_without_a_chinese_font(tmp_path):
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig></fontconfig>\n')
    done = _render_in_a_fresh_process({"FONTCONFIG_FILE": str(empty)})
    assert done.returncode == 3, done.stderr.decode()
    assert done.stdout == b""
    assert "cjk_fonts_missing" in done.stderr.decode() and "中文字体" in done.stderr.decode()


@pytest.mark.once
def test_a_fresh_process_renders_a_document_whose_chinese_text_reads_back(tmp_path):
    done = _render_in_a_fresh_process({})
    assert done.returncode == 0, done.stderr.decode()
    text = pdf_text(done.stdout, tmp_path)
    for value in ("当场行政处罚决定书", "示例简〔2026〕1号", "刘某某", "警告，罚款人民币200元", "申请行政复议"):
        assert value in text
