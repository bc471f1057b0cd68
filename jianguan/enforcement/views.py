"""Pages of enforcement: my cases and search, registering a clue or an on-the-spot decision, one case with its
history, due dates and a form for each action the reader may take now, evidence, documents and the case file,
the overdue and due-soon list, and the hand-over of complaints as clues."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.accounts.models import User
from jianguan.behaviour.contracts import PENALTY_KINDS
from jianguan.complaints import contracts as complaints
from jianguan.core.errors import DomainError
from jianguan.core.http import attempt, page_of, post_roles, render_page, role_required
from jianguan.core.months import month_filter
from jianguan.core.roles import Role
from jianguan.core.validation import parse_date
from jianguan.documents import contracts as documents
from jianguan.risk import contracts as risk

from . import bands, casefile, registration, selectors, simple, transitions
from .evidence import evidence_add, evidence_bytes, evidence_max_bytes
from .models import CaseStatus, ClueSource, Mitigation, Outcome, ServiceMethod, SuspensionKind
from .steps.investigation import PRESERVATION_DECISIONS

# How each field of an action is asked for on the page: (label, input type, choices).
FIELDS: dict[str, tuple[str, str, Any]] = {
    "officers": ("承办人员（至少两名持有效执法证的执法人员）", "officers", None),
    "lead": ("主办人员（用户名，默认第一名）", "text", None),
    "cause": ("案由", "text", None),
    "catalog_code": ("监管事项目录编码（行政处罚子项）", "text", None),
    "implementation_code": ("检查实施清单编码", "text", None),
    "party": ("当事人统一社会信用代码（如需更正）", "party", None),
    "violation_on": ("违法行为发生日期", "date", None),
    "grave_harm": ("涉及生命健康安全、金融安全且有危害后果（追责时效五年）", "checkbox", None),
    "opinion": ("意见", "textarea", None),
    "reason": ("理由", "textarea", None),
    "interviewee": ("被询问人姓名", "interviewee", None),
    "qa": ("询问内容（“问：”“答：”开头，每行一句）", "qa", None),
    "place": ("地点", "text", None),
    "started_at": ("开始时间", "text", None),
    "ended_at": ("结束时间", "text", None),
    "findings": ("现场检查情况", "textarea", None),
    "party_statement": ("当事人意见", "textarea", None),
    "items": ("物品清单（每行一件）", "lines", None),
    "facts": ("违法事实", "textarea", None),
    "violated": ("违反的规定", "text", None),
    "basis": ("依据", "text", None),
    "deadline": ("改正期限", "future_date", None),
    "requirements": ("改正要求", "textarea", None),
    "decision": ("处理决定", "select", list(PRESERVATION_DECISIONS.items())),
    "kind": ("期间类型", "select", [c for c in SuspensionKind.choices if c[0] != SuspensionKind.HEARING]),
    "days": ("继续延长的天数", "number", None),
    "discussion": ("集体讨论记录", "textarea", None),
    "penalty_kinds": ("处罚种类", "kinds", list(PENALTY_KINDS.items())),
    "fine": ("罚款金额（元）", "text", None),
    "confiscation": ("没收违法所得（元）", "text", None),
    "circumstances": ("裁量情节（本部门行政处罚裁量权基准）", "circumstances", None),
    "band_reason": ("超出裁量基准幅度的理由（拟处罚款超出幅度时必填，供法制审核）", "textarea", None),
    "major": ("重大案件", "checkbox", None),
    "legal_review": ("法律规定须法制审核", "checkbox", None),
    "conclusion": ("集体讨论结论", "textarea", None),
    "participants": ("参加人员（以顿号分隔）", "text", None),
    "contact": ("联系人", "skip", None),
    "statement": ("陈述、申辩内容", "textarea", None),
    "adopted": ("予以采纳", "checkbox", None),
    "held_on": ("听证日期", "future_date", None),
    "chair": ("听证主持人（非本案调查人员）", "chair", None),
    "public": ("公开举行", "checkbox_on", None),
    "transcript": ("听证笔录（已上传的证据）", "evidence", None),
    "absent": ("当事人无正当理由未出席（视为放弃听证）", "checkbox", None),
    "outcome": ("处理结果", "select", list(Outcome.choices)),
    "mitigation": ("裁量情节", "select", list(Mitigation.choices)),
    "no_penalty_reason": ("不予处罚理由", "text", None),
    "to": ("移送机关", "text", None),
    "criminal": ("涉嫌犯罪，移送司法机关", "checkbox", None),
    "method": ("送达方式", "select", list(ServiceMethod.choices)),
    "consent": ("当事人已签署电子送达确认书", "checkbox", None),
    "recipient": ("受送达人", "text", None),
    "address": ("送达地点", "text", None),
    "amount": ("缴款金额（元）", "text", None),
    "reference": ("缴款凭证号", "text", None),
    "court": ("受理法院", "text", None),
    "summary": ("结案理由", "textarea", None),
    "on": ("日期", "date", None),
}
OPTIONAL = {("decide", "facts"), ("decide", "basis"), ("record_onsite", "place"), ("record_inquiry", "place"),
            ("record_sampling", "place")}
REQUIRED = {"cause", "catalog_code", "reason", "interviewee", "qa", "findings", "items", "facts", "basis",
            "deadline", "decision", "kind", "days", "discussion", "conclusion", "statement", "held_on", "place",
            "chair", "outcome", "to", "method", "amount", "court"}




def _qa(text: str) -> list[dict[str, str]]:
    pairs: list[dict[str, str]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line[:1] == "问":
            pairs.append({"q": line[1:].lstrip("：:").strip(), "a": ""})
        elif line[:1] == "答" and pairs and not pairs[-1]["a"]:
            pairs[-1]["a"] = line[1:].lstrip("：:").strip()
        else:
            pairs.append({"q": "", "a": line.lstrip("答：:").strip()})
    return pairs


def _data(post, fields: list[str]) -> dict[str, Any]:
    """An action's data from the posted form, by the kind of each field."""
    data: dict[str, Any] = {}
    for name in fields:
        kind = FIELDS.get(name, ("", "text", None))[1]
        if kind in ("officers", "kinds", "circumstances"):
            data[name] = post.getlist(name)
        elif kind in ("checkbox", "checkbox_on"):
            data[name] = post.get(name) == "on"
        elif kind == "party":
            if post.get(name, "").strip():
                data[name] = {"uscc": post[name].strip()}
        elif kind == "interviewee":
            data[name] = {"name": post.get(name, "").strip()}
        elif kind == "qa":
            data[name] = _qa(post.get(name, ""))
        elif kind == "lines":
            data[name] = [{"name": line.strip()} for line in post.get(name, "").splitlines() if line.strip()]
        elif kind == "skip":
            continue
        elif post.get(name, "").strip() != "":
            data[name] = post[name].strip()
    return data


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """我的案件 and the department's: search by number, 文号, party, cause; filter by status and overdue steps."""
    user, get = request.user, request.GET
    # An officer sees their own cases first; a search without a chosen scope looks through every case they may
    # see, so that the number shown when a complaint or an inspection became a clue finds its (unassigned) case.
    default = "mine" if user.has_role(Role.OFFICER) and not get.get("q", "").strip() else "all"
    mine = get.get("scope", default) == "mine"
    status, month = get.get("status", ""), month_filter(get.get("month"))
    cases = selectors.case_list(reader=user, status=status if status in CaseStatus.values else None,
                                overdue=get.get("overdue") == "on", q=get.get("q") or None, mine=mine,
                                month=month or None)
    return render_page(request, "enforcement/list.html", {
        "page": page_of(request, cases), "statuses": CaseStatus.choices, "status": status, "q": get.get("q", ""),
        "month": month,
        "mine": mine, "overdue": get.get("overdue") == "on",
        "counts": selectors.dashboard_counts(reader=user)}, partial="results")


@post_roles(Role.OFFICER)
def case_new(request: HttpRequest) -> HttpResponse:
    """登记案件线索, or 当场处罚 (简易程序)."""
    user, post = request.user, request.POST
    if request.method == "POST" and post.get("form") == "clue":
        party = {"uscc": post.get("uscc", "").strip()} if post.get("uscc", "").strip() else {
            "name": post.get("party_name", "")}

        def register():
            received = parse_date(post.get("received_on") or timezone.localdate(), "received_on", "发现或收到日期")
            return registration.case_register(actor=user, department=user.department, party=party,
                                          summary=post.get("summary", ""), source=post.get("source", ""),
                                          source_ref=post.get("source_ref", ""), received_on=received)

        case = attempt(request, register, _("案件线索已登记。"))
        if case:
            return redirect("enforcement:case", case_id=case.pk)
    elif request.method == "POST" and post.get("form") == "simple":
        def decide():
            return simple.case_simple(
                actor=user, party={"uscc": post.get("uscc", "").strip()}, officers=post.getlist("officers"),
                facts=post.get("facts", ""), basis=post.get("basis", ""), violated=post.get("violated", ""),
                penalty_kinds=post.getlist("penalty_kinds"), fine=post.get("fine") or None,
                place=post.get("place", ""), catalog_code=post.get("catalog_code", ""),
                implementation_code=post.get("implementation_code", ""), number=post.get("number", ""))

        case = attempt(request, decide, _("当场处罚决定已作出，请在期限内备案。"))
        if case:
            return redirect("enforcement:case", case_id=case.pk)
    return render(request, "enforcement/new.html", {
        "sources": ClueSource.choices, "today": timezone.localdate(), "officers": _officers(user),
        "kinds": [(k, v) for k, v in PENALTY_KINDS.items() if k in ("01", "02")], "post": post})


def _officers(user: User) -> list[User]:
    return list(User.objects.filter(department_id=user.department_id, role_grants__role=Role.OFFICER,
                                    is_active=True).order_by("username")[:200])


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """One case: facts, open steps with due dates and rules, a form for each allowed action, history, documents,
    evidence."""
    case = selectors.case_get(reader=request.user, case_id=case_id)
    view = selectors.case_view(case=case, reader=request.user)
    for action in view["allowed"]:
        action["inputs"] = [{"name": f, "label": FIELDS.get(f, (f,))[0], "type": FIELDS.get(f, ("", "text"))[1],
                             "choices": FIELDS.get(f, ("", "", None))[2],
                             "required": f in REQUIRED and (action["action"], f) not in OPTIONAL}
                            for f in action["fields"] if FIELDS.get(f, ("", "text"))[1] != "skip"]
    chair_choices = User.objects.filter(department_id=case.department_id, is_active=True).exclude(
        pk__in=[a.user_id for a in case.assignments.all()]).order_by("username")[:200]
    return render(request, "enforcement/case.html", {
        **view, "officer_choices": _officers(request.user), "chair_choices": chair_choices,
        "band_rows": bands.offered(case, timezone.localdate()),
        "today": timezone.localdate(), "may_upload": case.assignments.filter(user=request.user).exists()})


@require_POST
@role_required(Role.OFFICER, Role.HEAD, Role.LEGAL_REVIEWER)
def case_act(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get(reader=request.user, case_id=case_id)
    action = request.POST.get("action", "")
    allowed = {a["action"]: a for a in selectors.case_view(case=case, reader=request.user)["allowed"]}
    fields = allowed[action]["fields"] if action in allowed else []
    attempt(request, lambda: transitions.case_transition(actor=request.user, case_id=case.pk, action=action,
                                                       data=_data(request.POST, fields)),
             _("已办理：%(label)s") % {"label": allowed[action]["label"] if action in allowed else action})
    return redirect("enforcement:case", case_id=case.pk)


@require_POST
@role_required(Role.OFFICER)
def evidence_upload(request: HttpRequest, case_id: int) -> HttpResponse:
    """Upload evidence from the page: the SHA-256 comes from the browser (static/enforcement/evidence.js) and is
    checked against the bytes received; without script the server's own digest is used."""
    case = selectors.case_get(reader=request.user, case_id=case_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择文件。"))
        return redirect("enforcement:case", case_id=case.pk)
    limit = evidence_max_bytes()
    data = upload.read(limit + 1)
    digest = request.POST.get("sha256", "").strip() or hashlib.sha256(data).hexdigest()
    collected = request.POST.get("collected_on") or None
    attempt(request, lambda: evidence_add(
        actor=request.user, case_id=case.pk, file_name=upload.name, data=data, sha256=digest,
        title=request.POST.get("title", ""),
        collected_on=parse_date(collected, "collected_on", "取证日期") if collected else None), _("证据已上传。"))
    return redirect("enforcement:case", case_id=case.pk)


@login_required
def evidence_file(request: HttpRequest, case_id: int, evidence_id: int) -> HttpResponse:
    evidence = selectors.evidence_get(reader=request.user, case_id=case_id, evidence_id=evidence_id)
    response = HttpResponse(evidence_bytes(evidence), content_type=evidence.content_type)
    response["Content-Disposition"] = f'attachment; filename="E{evidence.pk}-{evidence.sha256[:12]}"'
    return response


@login_required
def document_pdf(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    case = selectors.case_get(reader=request.user, case_id=case_id)
    row = selectors.document_get(case=case, document_id=document_id)
    return documents.pdf_page(request, row["id"], file_name=f"{case.number}-{row['seq']}.pdf")


@login_required
def case_file(request: HttpRequest, case_id: int) -> HttpResponse:
    """下载案卷: one PDF with every document, the manifest of hashes and the history, as stored by the background
    build after the case's last change. Nothing is rendered here: while the file is being built the page shows
    progress and asks again every two seconds (htmx), then offers the download."""
    case = selectors.case_get(reader=request.user, case_id=case_id)
    stored = casefile.current(case)
    if stored is not None and "wait" not in request.GET:
        response = HttpResponse(bytes(stored.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{case.number}.pdf"'
        return response
    if stored is None and not request.htmx:
        casefile.build_later(case.pk)  # a case from before files were stored, or a build that failed
    template = "enforcement/_case_file_state.html" if request.htmx else "enforcement/case_file.html"
    return render(request, template, {"case": case, "ready": stored, **casefile.progress(case)},
                  status=200 if stored else 202)


@login_required
def deadlines(request: HttpRequest) -> HttpResponse:
    """逾期与即将到期: the reader's own steps, then the department's, with the rule of each date."""
    user = request.user
    return render(request, "enforcement/deadlines.html", {
        "mine": selectors.alert_list(reader=user, officer=user)[:200],
        "all": page_of(request, selectors.alert_list(reader=user), per_page=50),
        "by_department": selectors.alert_department_list(reader=user)})


@require_POST
@role_required(Role.OFFICER)
def clue_from_complaint(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """转为案件线索: the complaint page's button; the clue's 15-working-day check clock starts at receipt."""
    complaints.complaint_get(reader=request.user, complaint_id=complaint_id)
    clue = registration.clue_from_complaint(actor=request.user, complaint_id=complaint_id,
                                        note=request.POST.get("note", ""))
    messages.success(request, _("已转为案件线索：案件编号 %(case)s（线索编号 %(number)s），核查期限 %(due)s。") % {
        "case": clue.case.number, "number": clue.number, "due": clue.check_due})
    return redirect("complaints:detail", complaint_id=complaint_id)


@require_POST
@role_required(Role.OFFICER, Role.HEAD)
def clue_from_alert(request: HttpRequest, alert_id: int) -> HttpResponse:
    """转为案件线索: the risk alert page's button, for an alert the head decided 立案."""
    risk.alert_card(reader=request.user, alert_id=alert_id)  # outside the reader's scope → 404
    try:
        clue = registration.clue_from_alert(actor=request.user, alert_id=alert_id)
    except DomainError as error:
        messages.error(request, f"{error.message}（{error.code}）")
    else:
        messages.success(request, _("已转为案件线索：案件编号 %(case)s（线索编号 %(number)s），核查期限 %(due)s。") % {
            "case": clue.case.number, "number": clue.number, "due": clue.check_due})
    return redirect("risk:detail", alert_id=alert_id)
