"""Writes of the documents app: issuing a 文书, rendering its PDF (in the background), saving a template version."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.template import Context, TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone

from jianguan.accounts.models import Department, User
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor, actor_ref
from jianguan.core.canonical import canonical_json
from jianguan.core.errors import DomainError, InvalidTransition, NotFound, ValidationFailed
from jianguan.core.scoping import HasScope

from . import numbering, rendering, samples
from .kinds import KINDS
from .models import DocumentTemplate, IssuedDocument, RenderedDocument, RenderFailure, RenderState
from .rendering import Source

logger = logging.getLogger(__name__)


def current_source(kind: str) -> Source:
    """The template `kind` is rendered from now: its active DB version, else the packaged default."""
    numbering.check_kind(kind)
    version = DocumentTemplate.objects.filter(kind=kind, is_active=True).order_by("-version").first()
    if version is None:
        return rendering.packaged_source(kind)
    return Source(kind=kind, body=version.body, css=version.css, version=version.version, template_id=version.pk)


def plain_context(context: Any) -> dict[str, Any]:
    """The context as plain JSON (what is stored is exactly what was rendered); anything else is refused."""
    if not isinstance(context, dict):
        raise ValidationFailed("文书内容应为 JSON 对象", code="invalid_context", field="context")
    try:
        plain: dict[str, Any] = json.loads(json.dumps(context, ensure_ascii=False))
        return plain
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(f"文书内容不是纯 JSON 数据：{exc}", code="invalid_context", field="context") from exc


def _person(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) and actor.pk else None


def content_digest(document: IssuedDocument) -> str:
    """SHA-256 of the canonical JSON of everything that fixes a document's content: kind, number, issuing department
    (id and the letterhead as printed, with the date), context and the template's SHA-256. The issue's audit event
    keeps it, so the chain vouches for the content before the PDF exists (ADR 0030)."""
    fixed = {"kind": document.kind, "number": document.number, "department": document.department_id,
             "header": document.header, "context": document.context, "template_sha256": document.template_sha256}
    return hashlib.sha256(canonical_json(fixed)).hexdigest()


def document_issue(*, actor: Actor, kind: str, department: Department, context: dict[str, Any], subject: str,
                   number: str = "") -> IssuedDocument:
    """Issue `kind` for `department`: number it (unless `number` is given) and store what fixes its content; the PDF
    is rendered by the background task `tasks.document_render` (ADR 0030), never here.

    The number is taken in the transaction that stores the document, so a failure gives it back and numbers stay
    gapless. The task is enqueued in the same transaction (the task queue is a table of the same database): the
    document and the order to render it are committed together or not at all. The row is never updated; its audit
    event carries the content digest, the rendered PDF's own event its SHA-256.
    """
    source = current_source(kind)
    values = plain_context(context)
    today = timezone.localdate()
    with transaction.atomic():
        seq = None if number else numbering.take(department=department, kind=kind, year=today.year)
        shown = number or numbering.format_number(department, kind, today.year, seq or 0)
        document = IssuedDocument(
            kind=kind, title=KINDS[kind], number=shown, year=today.year, seq=seq, department=department,
            region_id=department.region_id, subject=subject[:100], context=values,
            header=rendering.header(kind=kind, department=department, number=shown, on=today),
            template_id=source.template_id, template_version=source.version, template_sha256=source.sha256,
            issued_by=_person(actor), issued_by_label=actor_ref(actor).label[:200])
        document.digest = content_digest(document)
        document.save()
        record(actor=actor, verb="documents.issued", target=document,
               data={"kind": kind, "number": shown, "subject": document.subject, "digest": document.digest,
                     "template_version": source.version, "template_sha256": source.sha256})
        render_later(document.pk)
    return document


def render_later(document_id: int) -> None:
    """Enqueue the rendering of a document in the caller's transaction."""
    from . import tasks  # tasks import this module: resolved at call time

    tasks.document_render.enqueue(document_id=document_id)


class DocumentRendering(DomainError):
    """The document's PDF is being rendered in the background: ask again shortly (never a server error)."""

    status = 202
    code = "document_rendering"
    retry_after = 5

    def __init__(self, message: str = "文书 PDF 正在生成，请稍候再试", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)


class DocumentRenderFailed(DomainError):
    """Rendering the document's PDF failed (the reason is recorded); someone may ask for a retry."""

    status = 409
    code = "document_render_failed"


def render_state(document_id: int) -> tuple[str, RenderFailure | None]:
    """The document's rendering state (`RenderState`) and, when failed, the failure."""
    if RenderedDocument.objects.filter(document_id=document_id).exists():
        return RenderState.RENDERED, None
    failure = RenderFailure.objects.filter(document_id=document_id).first()
    return (RenderState.FAILED, failure) if failure else (RenderState.PENDING, None)


def stored_pdf(document_id: int) -> bytes | None:
    """The rendered PDF's bytes, or None while there are none."""
    data = RenderedDocument.objects.filter(document_id=document_id).values_list("pdf", flat=True).first()
    return None if data is None else bytes(data)


def not_ready(document_id: int) -> DomainError:
    """Why a document has no PDF yet: being rendered (202) or failed (409, with the recorded reason)."""
    failure = RenderFailure.objects.filter(document_id=document_id).first()
    if failure is None:
        return DocumentRendering(extra={"document_id": document_id})
    return DocumentRenderFailed(f"文书 PDF 生成失败：{failure.message}；请在文书页面重新生成",
                                extra={"document_id": document_id, "reason": failure.code})


def source_of(document: IssuedDocument) -> Source:
    """The template the document was issued with; refused if its source is no longer the one the issue hashed."""
    if document.template_id:
        saved = document.template
        assert saved is not None  # a template id names a stored template (PROTECT keeps it)
        source = Source(kind=document.kind, body=saved.body, css=saved.css, version=saved.version,
                        template_id=saved.pk)
    else:
        source = rendering.packaged_source(document.kind)
    if source.sha256 != document.template_sha256:
        raise DomainError("制发时所用的内置模板已更改，无法按制发时的内容生成 PDF", code="template_changed")
    return source


def _render(document: IssuedDocument) -> rendering.Rendered:
    if content_digest(document) != document.digest:
        raise DomainError("文书内容与制发时记录的摘要不符，拒绝生成", code="digest_mismatch")
    return rendering.render_pdf(source_of(document), department=document.department, context=document.context,
                                number=document.number, doc=document.header)


def document_render(*, actor: Actor, document_id: int) -> RenderedDocument | None:
    """Render an issued document's PDF from what its issue fixed and store it once, with the audit event
    `documents.rendered` (SHA-256, size, pages). Run by `tasks.document_render`, outside any request.

    Idempotent: a rendered document is left alone, and two workers rendering the same one meet at the one-to-one
    constraint. A failure (no Chinese font, a changed template …) is recorded (`RenderFailure`, and the audit event
    `documents.render_failed`) and None returned; `document_render_retry` asks again.
    """
    document = IssuedDocument.objects.select_related("department__region", "template").filter(
        pk=document_id).first()
    if document is None:
        return None
    stored = RenderedDocument.objects.filter(document_id=document_id).first()
    if stored is not None or not document.digest:  # rendered already (before ADR 0030: at issue)
        return stored
    started = time.monotonic()
    try:
        rendered = _render(document)
    except Exception as exc:  # every failure of a background rendering is recorded, never lost
        _render_failed(actor, document, exc)
        return None
    seconds = round(time.monotonic() - started, 3)
    try:
        with transaction.atomic():
            stored = RenderedDocument.objects.create(
                document=document, pdf=rendered.pdf, sha256=rendered.sha256, size=len(rendered.pdf),
                pages=rendered.pages, seconds=Decimal(f"{seconds:.3f}"))
            RenderFailure.objects.filter(document_id=document_id).delete()
            record(actor=actor, verb="documents.rendered", target=document,
                   data={"number": document.number, "digest": document.digest, "sha256": rendered.sha256,
                         "size": stored.size, "pages": rendered.pages, "seconds": f"{seconds:.3f}"})
    except IntegrityError:  # rendered meanwhile by another worker
        return RenderedDocument.objects.filter(document_id=document_id).first()
    return stored


def _render_failed(actor: Actor, document: IssuedDocument, exc: Exception) -> None:
    code = getattr(exc, "code", "") if isinstance(exc, DomainError) else type(exc).__name__
    message = exc.message if isinstance(exc, DomainError) else f"生成 PDF 时出错（{type(exc).__name__}：{exc}）"
    logger.warning("rendering document %s failed: %s", document.pk, message, exc_info=not isinstance(exc, DomainError))
    with transaction.atomic():
        failure, created = RenderFailure.objects.select_for_update().get_or_create(
            document=document, defaults={"code": code[:50], "message": message[:2000]})
        if not created:
            failure.code, failure.message, failure.failed_at = code[:50], message[:2000], timezone.now()
            failure.attempts += 1
            failure.save(update_fields=["code", "message", "failed_at", "attempts"])
        record(actor=actor, verb="documents.render_failed", target=document,
               data={"number": document.number, "code": failure.code, "message": failure.message[:500],
                     "attempts": failure.attempts})


def _reader(actor: Actor) -> HasScope:
    """The actor as a reader: a system actor without a jurisdiction reads nothing."""
    if isinstance(actor, HasScope):
        return actor
    raise NotFound()


@transaction.atomic
def document_render_retry(*, actor: Actor, document_id: int) -> IssuedDocument:
    """Ask again for the PDF of a document whose rendering failed (after the cause, e.g. missing fonts, is fixed):
    the failure is cleared and the rendering enqueued. Only a document the actor may read; one not failed is
    refused (409)."""
    document: IssuedDocument = IssuedDocument.objects.get_visible(_reader(actor), pk=document_id)
    failure = RenderFailure.objects.select_for_update().filter(document_id=document.pk).first()
    if failure is None:
        raise InvalidTransition("该文书没有生成失败，无需重新生成", code="document_not_failed")
    failure.delete()
    record(actor=actor, verb="documents.render_retried", target=document,
           data={"number": document.number, "code": failure.code, "attempts": failure.attempts})
    render_later(document.pk)
    return document


def template_check(body: str, *, kind: str) -> None:
    """Refuse a template that does not compile, or fails on the kind's sample context, naming the line."""
    try:
        template = rendering.CHECKING_ENGINE.from_string(body)
        department = _SampleDepartment()
        values = rendering.document_context(kind=kind, department=department, context=samples.sample(kind),
                                            number="（预览）")
        template.render(Context(values, autoescape=True))
    except Exception as exc:  # any failure of an administrator's template is reported, never raised
        info = getattr(exc, "template_debug", None) or {}
        line = info.get("line")
        where = f"第 {line} 行：" if line else ""
        kind_of = "模板语法错误" if isinstance(exc, TemplateSyntaxError) else "模板无法生成文书"
        raise ValidationFailed(f"{kind_of}，{where}{explain(exc)}", code="template_syntax", field="body",
                               extra={"line": line, "detail": str(exc)}) from exc


_EXPLAINED = [
    (re.compile(r"Invalid block tag on line \d+: '([^']*)', expected (.*?)\. Did you"),
     "此处出现“{0}”，但前面的标签尚未结束，应为 {1}"),
    (re.compile(r"Invalid block tag on line \d+: '([^']*)'\. Did you"), "无法识别的标签“{0}”"),
    (re.compile(r"Unclosed tag on line \d+: '([^']*)'\. Looking for one of: (.*)\."), "标签“{0}”未闭合，缺少 {1}"),
    (re.compile(r"Invalid filter: '([^']*)'"), "未知的过滤器“{0}”"),
    (re.compile(r"Could not parse the remainder: '([^']*)' from '([^']*)'"), "无法解析“{1}”中的“{0}”"),
    (re.compile(r"Empty variable tag"), "变量标签 {{{{ }}}} 为空"),
    (re.compile(r"Empty block tag"), "标签 {{% %}} 为空"),
]


def _plain(text: str) -> str:
    return text.replace("'", "").replace(" or ", "、").replace("，", "、").replace(", ", "、")


def explain(exc: Exception) -> str:
    """Django's template error in Chinese where it is a common one; otherwise as Django says it."""
    if isinstance(exc, TemplateDoesNotExist):
        return f"找不到被引用的模板“{exc}”"
    text = str(exc)
    for pattern, message in _EXPLAINED:
        match = pattern.search(text)
        if match:
            return message.format(*(_plain(group) for group in match.groups()))
    return text


class _SampleDepartment:
    name = "示例市市场监督管理局"
    short_name = "示例市场监管局"
    region = None


@transaction.atomic
def template_save(*, actor: Actor, kind: str, body: str, css: str = "", note: str = "") -> DocumentTemplate:
    """Save an edited template as the next version of `kind` and make it the one in use.

    Versions are never overwritten: documents issued earlier keep pointing at the version they were rendered
    from (and keep their own bytes).
    """
    numbering.check_kind(kind)
    if not body.strip():
        raise ValidationFailed("模板源码不能为空", code="required", field="body")
    template_check(body, kind=kind)
    last = DocumentTemplate.objects.select_for_update().filter(kind=kind).order_by("-version").first()
    DocumentTemplate.objects.filter(kind=kind, is_active=True).update(is_active=False)
    version = DocumentTemplate.objects.create(
        kind=kind, version=(last.version + 1) if last else 1, body=body, css=css, is_active=True,
        edited_by=_person(actor), edited_by_label=actor_ref(actor).label[:200], note=note[:300])
    record(actor=actor, verb="documents.template_saved", target=version,
           data={"kind": kind, "version": version.version, "note": version.note,
                 "sha256": Source(kind=kind, body=body, css=css).sha256})
    return version
