"""Writes of the documents app: issuing a 文书, saving a template version."""

from __future__ import annotations

import json
import re
from typing import Any

from django.db import transaction
from django.template import Context, TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor, actor_ref
from jianguan.core.errors import ValidationFailed

from . import numbering, rendering, samples
from .models import DocumentTemplate, IssuedDocument
from .rendering import Source


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
        return json.loads(json.dumps(context, ensure_ascii=False))
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(f"文书内容不是纯 JSON 数据：{exc}", code="invalid_context", field="context") from exc


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "is_person", False) and getattr(actor, "pk", None) else None


def document_issue(*, actor: Actor, kind: str, department, context: dict[str, Any], subject: str,
                   number: str = "") -> IssuedDocument:
    """Render `kind` for `department`, number it (unless `number` is given), store the PDF and its SHA-256.

    The number is taken in the transaction that stores the document, so a failure gives it back and numbers stay
    gapless. Rendering takes a good part of a second, so the document is first rendered with the number the
    sequence would give now, and the sequence is locked only to take it and store the row; if another issuer took
    that number in between, it is rendered again with the one actually taken. The row is never updated afterwards;
    the audit event carries the hash so the chain vouches for the bytes.
    """
    source = current_source(kind)
    values = plain_context(context)
    year = timezone.localdate().year
    given = bool(number)
    guess = None if given else numbering.peek(department=department, kind=kind, year=year)
    shown = number if given else numbering.format_number(department, kind, year, guess)
    rendered = rendering.render_pdf(source, department=department, context=values, number=shown)
    with transaction.atomic():
        seq = None
        if not given:
            seq = numbering.take(department=department, kind=kind, year=year)
            if seq != guess:
                shown = numbering.format_number(department, kind, year, seq)
                rendered = rendering.render_pdf(source, department=department, context=values, number=shown)
        document = IssuedDocument.objects.create(
            kind=kind, title=rendering.KINDS[kind], number=shown, year=year, seq=seq, department=department,
            region_id=department.region_id, subject=subject[:100], context=values, pdf=rendered.pdf,
            sha256=rendered.sha256, size=len(rendered.pdf), pages=rendered.pages, template_id=source.template_id,
            template_version=source.version, template_sha256=source.sha256, issued_by=_person(actor),
            issued_by_label=actor_ref(actor).label[:200])
        record(actor=actor, verb="documents.issued", target=document,
               data={"kind": kind, "number": shown, "subject": document.subject, "sha256": rendered.sha256,
                     "size": document.size, "pages": rendered.pages, "template_version": source.version})
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
