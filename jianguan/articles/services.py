"""Writes of articles (ADR 0049): a draft written and edited by the department's authors, each step of the
editorial workflow (`workflow.ARTICLES`) checked before anything is written, the step kept (`ArticleStep`) and
recorded in the audit chain in the same transaction. Images: `images.py`; the 曝光台 from a case: `exposure.py`."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.errors import AccessDenied
from jianguan.core.validation import require, text
from jianguan.core.workflow import acts_for

from .models import Article, ArticleKind, ArticleStatus, ArticleStep
from .workflow import ARTICLES, AUTHOR_ROLES, Facts

TITLE_MAX, SUMMARY_MAX, BODY_MAX = 200, 500, 20000


def require_author(actor: User, department_id: int) -> None:
    """AccessDenied unless `actor` is an officer or administrator of the department (who writes its articles)."""
    if not acts_for(actor, department_id, *AUTHOR_ROLES):
        raise AccessDenied("只有本部门的执法人员或部门管理员可以撰写文章", code="not_department_author")


def _kind(value: Any) -> ArticleKind:
    labels = "、".join(str(k.label) for k in ArticleKind)
    require(value in ArticleKind.values, f"“栏目”应为{labels}之一", "choice_invalid", "kind")
    return ArticleKind(value)


def _texts(values: dict[str, Any]) -> dict[str, str]:
    return {"title": text(values.get("title"), "title", "标题", max_len=TITLE_MAX),
            "summary": text(values.get("summary"), "summary", "摘要", required=False, max_len=SUMMARY_MAX),
            "body": text(values.get("body"), "body", "正文", max_len=BODY_MAX)}


def create(actor: User, kind: ArticleKind, texts: dict[str, str], **source: Any) -> Article:
    """A draft of the actor's department (the caller has checked the author and the texts); recorded."""
    article = Article.objects.create(department_id=actor.department_id, region_id=actor.department.region_id,
                                     kind=kind, author=actor, **texts, **source)
    ArticleStep.objects.create(article=article, action="create", target=ArticleStatus.DRAFT, actor=actor)
    record(actor=actor, verb="articles.article_created", target=article,
           data={"kind": kind.value, "title": article.title, **{k: str(v) for k, v in source.items()}})
    return article


@transaction.atomic
def article_create(*, actor: User, values: dict[str, Any]) -> Article:
    """撰稿: a draft of the actor's department (新闻动态, 通知公告, 典型案例; a 曝光台 article is made from a case,
    `exposure.exposure_from_case`). Its text is kept as written and always shown escaped."""
    require_author(actor, actor.department_id)
    kind = _kind(values.get("kind"))
    require(kind != ArticleKind.EXPOSURE, "曝光台文章须由已结案并作出处罚决定的案件生成", "exposure_from_case", "kind")
    return create(actor, kind, _texts(values))


def _locked(article_id: int) -> Article:
    article: Article = Article.objects.select_for_update(of=("self",)).get(pk=article_id)
    return article


@transaction.atomic
def article_update(*, article_id: int, values: dict[str, Any], actor: User) -> Article:
    """修改: a draft only (a submitted article is returned first), by the department's authors. The caller has read
    the article as `actor`."""
    article = _locked(article_id)
    require_author(actor, article.department_id)
    require(article.status == ArticleStatus.DRAFT, "只有草稿可以修改：待审核的文章须先退回，已发布的不能修改",
            "not_a_draft", "status")
    for name, value in _texts(values).items():
        setattr(article, name, value)
    article.save()
    record(actor=actor, verb="articles.article_updated", target=article, data={"title": article.title})
    return article


def facts_of(article: Article, actor: Actor, note: str = "") -> Facts:
    return Facts(article.status, actor, article.department_id, (article.author_id, article.submitted_by_id), note)


@transaction.atomic
def article_transition(*, article_id: int, action: str, note: str = "", actor: User) -> Article:
    """Take one step of the article's table: the edge checked (order, who, guards) before anything is written;
    the step kept with its note and recorded. The caller has read the article as `actor`."""
    article = _locked(article_id)
    note = text(note, "reason" if action == "withdraw" else "note", "说明", required=False, max_len=1000)
    edge = ARTICLES.check(action, facts_of(article, actor, note))
    before = article.status
    _apply(article, edge.action, note, actor)
    article.status = edge.target
    article.save()
    ArticleStep.objects.create(article=article, action=edge.action, source=before, target=edge.target, actor=actor,
                               note=note)
    record(actor=actor, verb=f"articles.article_{edge.action}", target=article,
           data={"title": article.title, "from": before, "to": edge.target, "note": note,
                 "citation": edge.citation})
    return article


def _apply(article: Article, action: str, note: str, actor: User) -> None:
    now = timezone.now()
    if action == "submit":
        article.submitted_by = actor
    elif action == "publish":
        article.reviewed_by, article.published_at, article.return_note = actor, now, ""
    elif action == "return":
        article.reviewed_by, article.return_note = actor, note
    elif action == "withdraw":
        article.withdrawn_at, article.withdrawal_reason = now, note
