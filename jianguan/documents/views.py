"""Pages of 执法文书: issued documents of the reader's scope (list, detail, PDF), and the template editor
(system administrators: templates are platform-wide) with preview and version history."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.http import holds_role, page_of, role_required
from jianguan.core.roles import Role

from . import rendering, samples, selectors, services
from .fields import CONTEXT_KEYS
from .kinds import KINDS
from .models import RenderState


def pdf_response(data: bytes, file_name: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(file_name, safe='')}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def index(request: SignedInRequest) -> HttpResponse:
    """Issued documents of the reader's scope, filtered by kind or by number / subject."""
    kind = request.GET.get("kind") or None
    q = (request.GET.get("q") or "").strip() or None
    documents = selectors.document_list(reader=request.user, kind=kind if kind in KINDS else None, q=q)
    return render(request, "documents/index.html", {"documents": page_of(request, documents), "kinds": KINDS,
                                                    "kind": kind, "q": q or ""})


# Who may ask again for a PDF whose rendering failed: anyone who works with documents, not the read-only leader.
RETRY_ROLES = (Role.OFFICER, Role.HEAD, Role.LEGAL_REVIEWER, Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN, Role.SYSTEM_ADMIN)


def stored_pdf(request: HttpRequest, document_id: int, *, file_name: str, inline: bool = True) -> HttpResponse:
    """The document's stored PDF; while it is being rendered (ADR 0030) a page that says so and asks again every two
    seconds by htmx (`?wait=1`, 202), then offers the file; after a failed rendering the reason and a retry button.
    Nothing is rendered here. The caller has checked that the reader may see the document."""
    state, failure = services.render_state(document_id)
    data = services.stored_pdf(document_id) if state == RenderState.RENDERED and "wait" not in request.GET else None
    if data is not None:
        return pdf_response(data, file_name, inline=inline)
    template = "documents/_rendering_state.html" if getattr(request, "htmx", False) else "documents/rendering.html"
    return render(request, template, {
        "state": state, "failure": failure, "document_id": document_id, "file_name": file_name,
        "here": request.path, "may_retry": holds_role(request, *RETRY_ROLES)},
        status=202 if state == RenderState.PENDING else 200)


@login_required
def detail(request: SignedInRequest, document_id: int) -> HttpResponse:
    try:
        document = selectors.document_get(reader=request.user, document_id=document_id)
    except NotFound:
        raise Http404 from None
    state, failure = services.render_state(document.pk)
    return render(request, "documents/detail.html", {
        "document": document, "state": state, "failure": failure, "document_id": document.pk,
        "here": reverse("documents:download", args=[document.pk]), "may_retry": request.user.has_role(*RETRY_ROLES)})


@login_required
def download(request: SignedInRequest, document_id: int) -> HttpResponse:
    """The stored bytes, exactly as rendered (inline; `?download=1` to save), or the page of its rendering."""
    try:
        document = selectors.document_get(reader=request.user, document_id=document_id)
    except NotFound:
        raise Http404 from None
    name = f"{document.title}{document.number}.pdf"
    return stored_pdf(request, document.pk, file_name=name, inline=not request.GET.get("download"))


@require_POST
@role_required(*RETRY_ROLES)
def render_retry(request: SignedInRequest, document_id: int) -> HttpResponse:
    """重新生成: ask again for a PDF whose rendering failed; back to the page the button was on."""
    services.document_render_retry(actor=request.user, document_id=document_id)
    messages.success(request, _("已重新提交生成，生成后即可查看。"))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = reverse("documents:detail", args=[document_id])
    return redirect(back)


def _kind_or_404(kind: str) -> str:
    if kind not in KINDS:
        raise Http404
    return kind


@role_required(Role.SYSTEM_ADMIN)
def templates(request: SignedInRequest) -> HttpResponse:
    """Every kind with the version in use."""
    return render(request, "documents/templates.html", {"rows": selectors.template_list()})


@role_required(Role.SYSTEM_ADMIN)
def template_edit(request: SignedInRequest, kind: str) -> HttpResponse:
    """Edit a kind's template: the form starts from the version in use (or `?from=N`, 0 = packaged default);
    saving validates the source and adds a version."""
    _kind_or_404(kind)
    error = None
    if request.method == "POST":
        body, css, note = request.POST.get("body", ""), request.POST.get("css", ""), request.POST.get("note", "")
        try:
            version = services.template_save(actor=request.user, kind=kind, body=body, css=css, note=note)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("已保存为第 %(version)s 版，此后制发的文书使用该版本。") % {
                "version": version.version})
            return redirect("documents:template_edit", kind=kind)
    else:
        start = request.GET.get("from")
        try:
            source = (selectors.template_version_get(kind=kind, version=int(start)) if start and start.isdigit()
                      else services.current_source(kind))
        except NotFound:
            raise Http404 from None
        body, css, note = source.body, source.css, ""
    current = services.current_source(kind)
    return render(request, "documents/template_edit.html", {
        "kind": kind, "title": KINDS[kind], "body": body, "css": css, "note": note, "error": error,
        "current": current, "versions": selectors.template_version_list(kind=kind),
        "keys": CONTEXT_KEYS.get(kind, {})}, status=400 if error else 200)


@role_required(Role.SYSTEM_ADMIN)
def template_version(request: SignedInRequest, kind: str, version: int) -> HttpResponse:
    """The source of one saved version (0 = the packaged default)."""
    _kind_or_404(kind)
    try:
        source = selectors.template_version_get(kind=kind, version=version)
    except NotFound:
        raise Http404 from None
    return render(request, "documents/template_version.html", {"kind": kind, "title": KINDS[kind],
                                                                "source": source})


@require_POST
@role_required(Role.SYSTEM_ADMIN)
def template_preview(request: SignedInRequest, kind: str) -> HttpResponse:
    """The posted (unsaved) source rendered with the kind's sample context, as a PDF shown in the browser."""
    _kind_or_404(kind)
    body = request.POST.get("body", "")
    css = request.POST.get("css", "")
    try:
        services.template_check(body, kind=kind)
        source = rendering.Source(kind=kind, body=body, css=css)
        department = request.user.department
        rendered = rendering.render_pdf(source, department=department, context=samples.sample(kind, department),
                                        number=_("（预览）"))
    except DomainError as exc:
        return render(request, "documents/template_edit.html", {
            "kind": kind, "title": KINDS[kind], "body": body, "css": css, "note": request.POST.get("note", ""),
            "error": exc.message, "current": services.current_source(kind),
            "versions": selectors.template_version_list(kind=kind), "keys": CONTEXT_KEYS.get(kind, {})}, status=400)
    return pdf_response(rendered.pdf, f"{KINDS[kind]}（预览）.pdf")
