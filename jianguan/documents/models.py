"""执法文书: editable templates (versioned), numbering sequences and the issued documents with their PDFs.

- `DocumentTemplate`: one version of one kind's template (a Django template and extra CSS). Editing adds a
  version; a stored version is never rewritten. Without any version the packaged default
  (`templates/documents/kinds/<kind>.html`) is used. Templates are platform-wide, edited by system administrators.
- `DocumentSequence`: the last number given per (department, kind, year); numbers are gapless because a number
  is taken in the same transaction that stores the document.
- `IssuedDocument`: a document as issued — its number, the context and letterhead it is printed from, the template
  version and the content digest over all of them. Never updated: a correction is a new document.
- `RenderedDocument`: the PDF of an issued document, one to one, made by a background task after the issue
  (ADR 0030): the bytes, their SHA-256, size and page count. Never updated either; until it exists the document
  is being rendered (`RenderFailure` says when the last attempt failed, and why).

The PDF bytes live in the database (`BinaryField`), not in files under `JIANGUAN_VAR_DIR`: a row and its bytes
are written in one transaction (no orphaned or missing files after a rollback or a crash), one backup holds
everything, and a 文书 is tens to a few hundred kilobytes. Lists defer the column.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Department, Region
from jianguan.core.scoping import ScopedQuerySet

from .kinds import KINDS

KIND_CHOICES = list(KINDS.items())


class DocumentTemplate(models.Model):
    kind = models.CharField(_("文书种类"), max_length=40, choices=KIND_CHOICES)
    version = models.PositiveIntegerField(_("版本"))
    body = models.TextField(_("模板源码"))
    css = models.TextField(_("附加样式"), blank=True)
    is_active = models.BooleanField(_("当前版本"), default=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("编辑人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    edited_by_label = models.CharField(_("编辑人"), max_length=200, blank=True)
    note = models.CharField(_("修改说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("保存时间"), default=timezone.now)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="document_template_version_unique"),
            models.UniqueConstraint(fields=["kind"], condition=models.Q(is_active=True),
                                    name="document_template_one_active"),
        ]

    def __str__(self) -> str:
        return f"{KINDS.get(self.kind, self.kind)} 第{self.version}版"


class DocumentSequence(models.Model):
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40, choices=KIND_CHOICES)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("文书编号序列")
        constraints = [models.UniqueConstraint(fields=["department", "kind", "year"],
                                               name="document_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.kind}/{self.year}: {self.last}"


class IssuedDocument(models.Model):
    kind = models.CharField(_("文书种类"), max_length=40, choices=KIND_CHOICES)
    title = models.CharField(_("文书名称"), max_length=100)
    number = models.CharField(_("文号"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"), null=True, blank=True)  # set when the number came from a sequence
    department = models.ForeignKey(Department, verbose_name=_("制发部门"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("关联对象"), max_length=100, blank=True, db_index=True)
    context = models.JSONField(_("文书内容"), default=dict)
    header = models.JSONField(_("文书抬头"), default=dict)  # `doc` as printed: title, number, issuer, date
    digest = models.CharField(_("内容摘要"), max_length=64, blank=True)  # "" before ADR 0030 (PDF made at issue)
    template = models.ForeignKey(DocumentTemplate, verbose_name=_("模板版本"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    template_version = models.PositiveIntegerField(_("模板版本号"), default=0)  # 0 = the packaged default
    template_sha256 = models.CharField(_("模板源码摘要"), max_length=64)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("制发人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    issued_by_label = models.CharField(_("制发人"), max_length=200)
    issued_at = models.DateTimeField(_("制发时间"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("执法文书")
        verbose_name_plural = _("执法文书")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["department", "kind", "year"])]
        constraints = [models.UniqueConstraint(fields=["department", "kind", "year", "seq"],
                                               condition=models.Q(seq__isnull=False),
                                               name="issued_document_seq_unique")]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: an issued document is evidence and is never changed."""
        if not self._state.adding:
            raise RuntimeError("issued documents are never updated")
        super().save(*args, **kwargs)

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id

    # The rendered PDF's facts, read through the one-to-one row (empty while the document is being rendered).

    @property
    def rendering(self) -> RenderedDocument | None:
        try:
            return self.rendered
        except RenderedDocument.DoesNotExist:
            return None

    @property
    def pdf(self) -> bytes | None:
        return bytes(self.rendering.pdf) if self.rendering else None

    @property
    def sha256(self) -> str:
        return self.rendering.sha256 if self.rendering else ""

    @property
    def size(self) -> int:
        return self.rendering.size if self.rendering else 0

    @property
    def pages(self) -> int:
        return self.rendering.pages if self.rendering else 0

    @property
    def state(self) -> str:
        """`rendered`, `failed` (the last attempt failed; a retry may be asked for) or `rendering`."""
        if self.rendering:
            return RenderState.RENDERED
        return RenderState.FAILED if RenderFailure.objects.filter(document_id=self.pk).exists() else RenderState.PENDING


class RenderState(models.TextChoices):
    PENDING = "rendering", _("正在生成")
    RENDERED = "rendered", _("已生成")
    FAILED = "failed", _("生成失败")


class RenderedDocument(models.Model):
    """The PDF of one issued document, exactly as rendered from what the issue fixed. Insert only (a trigger
    refuses UPDATE and DELETE): its `documents.rendered` audit event names the bytes' SHA-256."""

    document = models.OneToOneField(IssuedDocument, verbose_name=_("执法文书"), on_delete=models.PROTECT,
                                    related_name="rendered")
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("字节数"))
    pages = models.PositiveIntegerField(_("页数"))
    rendered_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    seconds = models.DecimalField(_("用时（秒）"), max_digits=8, decimal_places=3, default=0)

    class Meta:
        verbose_name = _("文书 PDF")
        verbose_name_plural = _("文书 PDF")

    def __str__(self) -> str:
        return f"{self.document_id}: {self.sha256[:12]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only, like the document it renders."""
        if not self._state.adding:
            raise RuntimeError("rendered documents are never updated")
        super().save(*args, **kwargs)


class RenderFailure(models.Model):
    """The last failed attempt to render a document (every attempt is also in the audit chain as
    `documents.render_failed`); removed when someone asks for a retry."""

    document = models.OneToOneField(IssuedDocument, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("错误代码"), max_length=50)
    message = models.TextField(_("错误说明"))
    attempts = models.PositiveIntegerField(_("失败次数"), default=1)
    failed_at = models.DateTimeField(_("失败时间"), default=timezone.now)

    class Meta:
        verbose_name = _("文书生成失败")
        verbose_name_plural = _("文书生成失败")

    def __str__(self) -> str:
        return f"{self.document_id}: {self.code}"
