"""Pages of 行政检查: the field page for phones (works offline through its service worker), the list and the record
with its checklist, photos, signature and documents."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.http import page_of
from jianguan.core.months import month_filter
from jianguan.documents import contracts as documents

from . import selectors
from .models import Answer, OriginKind, Outcome, Status

FIELD_ENTRY = "inspections/field/main.js"
# Every ES module of the field page (static/inspections/field/): the service worker keeps them all, so that a
# module added there is there offline too.
FIELD_MODULES = tuple(sorted(f"inspections/field/{module.name}"
                             for module in (Path(__file__).parent / "static" / "inspections" / "field").glob("*.js")))
SHELL_STATIC = (*FIELD_MODULES, "inspections/field.css", "portal/site.css", "portal/favicon.svg",
                "django_htmx/htmx-2.min.js")


def _messages() -> dict[str, str]:
    """The field page's texts, translated here so that its script carries none."""
    return {
        "online": _("在线"), "offline": _("离线：记录保存在本机，联网后自动同步"),
        "sw_ready": _("可离线使用"), "sw_unavailable": _("此浏览器不支持离线使用"),
        "queued": _("待同步"), "syncing": _("同步中"), "synced": _("已同步"), "conflict": _("冲突"),
        "error": _("同步失败"), "no_tasks": _("暂无待检查任务"), "no_records": _("本机没有检查记录"),
        "start": _("开始检查"), "edit": _("修改"), "delete": _("删除本机记录"), "retry": _("重试"),
        "keep_server": _("以服务器版本为准（删除本机记录）"), "keep_local": _("以本机版本重新提交"),
        "server_version": _("服务器版本"), "local_version": _("本机版本"), "status": _("状态"),
        "outcome": _("检查结果"), "findings": _("发现的问题"), "place": _("检查地点"), "officers": _("检查人员"),
        "checklist": _("检查内容"), "version": _("版本"), "updated": _("更新时间"),
        "need_officers": _("检查人员不得少于两人，且须持有效执法证"), "need_implementation": _("请选择检查事项"),
        "need_party": _("请填写当事人统一社会信用代码"), "need_place": _("请填写检查地点"),
        "need_answers": _("以下检查内容尚未填写结论："), "need_signature": _("请当事人签名，或注明拒绝签名及见证人"),
        "need_outcome": _("请选择检查结果"), "need_findings": _("请填写发现的问题"),
        "need_rectify": _("请填写改正期限和改正要求"), "need_transfer": _("请填写移送机关"),
        "need_ref": _("请填写来源编号"),
        "locating": _("正在定位…"), "located": _("已定位"), "accuracy": _("精度约 %(m)s 米"),
        "location_failed": _("无法获取位置"), "photos": _("张照片"), "no_checklist": _("实施清单未列检查内容"),
        "relogin": _("登录已过期，请重新登录后同步"), "credential_invalid": _("执法证无效"),
        "number": _("检查行为编号"), "saved": _("已保存到本机"), "item": _("检查事项"), "party": _("当事人"),
        "answer_pass": str(Answer.PASS.label), "answer_fail": str(Answer.FAIL.label),
        "answer_na": str(Answer.NOT_APPLICABLE.label), "note": _("说明"),
        **{f"outcome_{value}": str(label) for value, label in Outcome.choices},
        **{f"status_{value}": str(label) for value, label in Status.choices},
    }


@login_required
def field(request: HttpRequest) -> HttpResponse:
    """The field page: 我的任务, new inspections, the records waiting on this phone. Its data comes from the API
    and stays on the phone (IndexedDB), so that it works without a network."""
    return render(request, "inspections/field.html", {
        "messages_js": _messages(), "origins": [(k, v) for k, v in OriginKind.choices
                                                 if k in (OriginKind.ROUTINE, OriginKind.SPECIAL,
                                                          OriginKind.COMPLAINT, OriginKind.RISK_ALERT)],
        "outcomes": Outcome.choices, "entry": FIELD_ENTRY,
        "preload": [module for module in FIELD_MODULES if module != FIELD_ENTRY]})


def _shell_version(urls: list[str]) -> str:
    digest = hashlib.sha256("\n".join(urls).encode())
    for path in (*FIELD_MODULES, "inspections/field.css"):
        found = finders.find(path)
        if found:
            with open(found, "rb") as handle:
                digest.update(handle.read())
    digest.update(get_template("inspections/sw.js").template.source.encode())
    return digest.hexdigest()[:16]


@login_required
def service_worker(request: HttpRequest) -> HttpResponse:
    """The field page's service worker, served under /inspections/ so that its scope covers the field pages."""
    paths = list(SHELL_STATIC) + (["django_htmx/django-htmx.js"] if settings.DEBUG else [])
    field_url = reverse("inspections:field")
    urls = [field_url, *(static(p) for p in paths)]
    response = render(request, "inspections/sw.js", {"shell": json.dumps(urls), "field_url": json.dumps(field_url),
                                                      "version": _shell_version(urls)},
                      content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/inspections/"
    response["Cache-Control"] = "no-cache"
    return response


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    mine = request.GET.get("all") != "1"
    status, month = request.GET.get("status", ""), month_filter(request.GET.get("month"))
    inspections = selectors.inspection_list(reader=request.user, mine=mine,
                                            status=status if status in Status.values else None, month=month or None)
    return render(request, "inspections/list.html", {"page": page_of(request, inspections), "mine": mine,
                                                     "status": status, "statuses": Status.choices, "month": month})


@login_required
def due(request: HttpRequest) -> HttpResponse:
    """应检未检: entities of the reader's scope with fewer checks of a row in this period than its 检查频次 asks."""
    rows = selectors.due_list(reader=request.user)
    return render(request, "inspections/due.html", {"page": page_of(request, rows, per_page=50), "total": len(rows)})


@login_required
def inspection_detail(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = selectors.inspection_get(reader=request.user, inspection_id=inspection_id)
    answers = dict(Answer.choices)
    rows = [{**row, "label": answers.get(row.get("answer"), "")} for row in inspection.checklist]
    return render(request, "inspections/detail.html", {
        "inspection": inspection, "rows": rows, "evidence": list(inspection.evidence.all()),
        "officers": list(inspection.officers.order_by("username"))})


@login_required
def evidence_file(request: HttpRequest, inspection_id: int, evidence_id: int) -> FileResponse:
    item = selectors.evidence_get(reader=request.user, inspection_id=inspection_id, evidence_id=evidence_id)
    return FileResponse(item.file.open("rb"), content_type=item.content_type, filename=item.name)


@login_required
def signature(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = selectors.inspection_get(reader=request.user, inspection_id=inspection_id)
    if not inspection.signature_png:
        raise Http404
    return HttpResponse(bytes(inspection.signature_png), content_type="image/png")


@login_required
def document(request: HttpRequest, inspection_id: int, document_id: int) -> HttpResponse:
    """A document issued for the inspection (现场检查笔录, 责令改正通知书), as its stored PDF."""
    inspection = selectors.inspection_get(reader=request.user, inspection_id=inspection_id)
    issued = next((d for d in inspection.documents if d["id"] == document_id), None)
    if issued is None:
        raise Http404
    return documents.pdf_page(request, document_id, file_name=f"{issued['kind']}-{document_id}.pdf")
