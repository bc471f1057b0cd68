"""Pages of articles on the work portal (ADR 0049): the department's articles, the editor (a new article, a draft
edited, its images), one article with the steps open to the reader (the review page) and its history, and a
曝光台 article made from a closed case."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.http import attempt, holds_role, page_of, post_roles, role_required

from . import exposure, images, selectors, services
from .models import ArticleKind, ArticleStatus
from .public_views import image_response
from .workflow import ARTICLES, AUTHOR_ROLES, REVIEWER_ROLES

EDITABLE_KINDS = [(k.value, k.label) for k in ArticleKind if k != ArticleKind.EXPOSURE]


@login_required
def article_list(request: SignedInRequest) -> HttpResponse:
    status, kind = request.GET.get("status", ""), request.GET.get("kind", "")
    return render(request, "articles/list.html", {
        "page": page_of(request, selectors.article_list(reader=request.user, status=status, kind=kind)),
        "statuses": ArticleStatus.choices, "kinds": ArticleKind.choices, "status": status, "kind": kind,
        "author": holds_role(request, *AUTHOR_ROLES)})


@post_roles(*AUTHOR_ROLES)
def article_new(request: SignedInRequest) -> HttpResponse:
    """The editor of a new article (GET), its creation (POST)."""
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in ("kind", "title", "summary", "body")}
        made = attempt(request, lambda: services.article_create(actor=request.user, values=values), _("草稿已保存"))
        if made is not None:
            return redirect("articles:detail", article_id=made.pk)
    return render(request, "articles/editor.html", {"kinds": EDITABLE_KINDS, "values": request.POST})


@login_required
def article_detail(request: SignedInRequest, article_id: int) -> HttpResponse:
    article = selectors.article_get(reader=request.user, article_id=article_id)
    facts = services.facts_of(article, request.user)
    actions = [e for e in ARTICLES.edges_from(article.status) if ARTICLES.permitted(e, facts) is None]
    editable = article.status == ArticleStatus.DRAFT and holds_role(request, *AUTHOR_ROLES) \
        and article.department_id == request.user.department_id
    return render(request, "articles/detail.html", {
        "article": article, "actions": actions, "fields": {f for e in actions for f in e.fields},
        "editable": editable, "images": selectors.image_list(article=article),
        "steps": selectors.step_list(article=article), "decision_url": exposure.public_decision_url(
            article.disclosure_number)})


@require_POST
@role_required(*AUTHOR_ROLES)
def article_edit(request: SignedInRequest, article_id: int) -> HttpResponse:
    selectors.article_get(reader=request.user, article_id=article_id)
    values = {name: request.POST.get(name, "") for name in ("title", "summary", "body")}
    attempt(request, lambda: services.article_update(article_id=article_id, values=values, actor=request.user),
            _("草稿已保存"))
    return redirect("articles:detail", article_id=article_id)


@require_POST
@role_required(*AUTHOR_ROLES, *REVIEWER_ROLES)
def article_act(request: SignedInRequest, article_id: int) -> HttpResponse:
    selectors.article_get(reader=request.user, article_id=article_id)
    note = request.POST.get("reason", "") or request.POST.get("note", "")
    attempt(request, lambda: services.article_transition(article_id=article_id, action=request.POST.get("action", ""),
                                                         note=note, actor=request.user), _("已办理"))
    return redirect("articles:detail", article_id=article_id)


@require_POST
@role_required(*AUTHOR_ROLES)
def image_upload(request: SignedInRequest, article_id: int) -> HttpResponse:
    selectors.article_get(reader=request.user, article_id=article_id)
    upload = request.FILES.get("image")
    data = upload.read() if upload else b""
    attempt(request, lambda: images.image_add(article_id=article_id, data=data, alt=request.POST.get("alt", ""),
                                              actor=request.user), _("图片已添加"))
    return redirect("articles:detail", article_id=article_id)


@login_required
def image(request: SignedInRequest, image_id: int) -> HttpResponse:
    return image_response(selectors.image_get(reader=request.user, image_id=image_id))


@require_POST
@role_required(*AUTHOR_ROLES)
def exposure_new(request: SignedInRequest) -> HttpResponse:
    """A 曝光台 draft from a closed case of the author's department with a penalty decision."""
    made = attempt(request, lambda: exposure.exposure_from_case(
        case_number=request.POST.get("case_number", ""), actor=request.user,
        values={"title": request.POST.get("title", "")}), _("已根据案件生成曝光台草稿"))
    return redirect("articles:detail", article_id=made.pk) if made else redirect("articles:list")
