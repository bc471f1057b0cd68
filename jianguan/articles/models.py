"""Articles of the two portals (ADR 0049): 新闻动态, 通知公告, 典型案例 and 曝光台, written by a department's
officers, reviewed and published by its publisher or head, withdrawn with a reason; their images (alt text
required) and each step taken (`ArticleStep`, the history shown with the article)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Department, Region, User
from jianguan.core.models import TimeStamped
from jianguan.core.scoping import ScopedQuerySet


class ArticleKind(models.TextChoices):
    NEWS = "news", _("新闻动态")
    NOTICE = "notice", _("通知公告")
    CASE = "case", _("典型案例")
    EXPOSURE = "exposure", _("曝光台")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEW = "review", _("待审核")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Article(TimeStamped):
    """One article of a department. Its text is kept as written and shown escaped (never as HTML); an article of
    the 曝光台 made from a closed case keeps the case's public decision it rests on (`decision_number` …)."""

    department = models.ForeignKey(Department, verbose_name=_("发布部门"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("栏目"), max_length=10, choices=ArticleKind.choices)
    status = models.CharField(_("状态"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    title = models.CharField(_("标题"), max_length=200)
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    body = models.TextField(_("正文"))
    author = models.ForeignKey(User, verbose_name=_("撰稿人"), on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(User, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True)
    reviewed_by = models.ForeignKey(User, verbose_name=_("审核人"), on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤回原因"), blank=True)
    return_note = models.TextField(_("退回意见"), blank=True)
    # 曝光台 from a case: the case and its published decision (enforcement.contracts, disclosure.contracts).
    case_number = models.CharField(_("案件编号"), max_length=30, blank=True)
    decision_number = models.CharField(_("处罚决定书文号"), max_length=100, blank=True)
    decided_on = models.DateField(_("处罚决定日期"), null=True, blank=True)
    party_name = models.CharField(_("当事人"), max_length=200, blank=True)
    penalty = models.CharField(_("处罚内容"), max_length=300, blank=True)
    # The published decision's 公示编号 (disclosure): the article's text is made from its published copy and links it.
    disclosure_number = models.CharField(_("公示编号"), max_length=20, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("监管动态文章")
        verbose_name_plural = _("监管动态文章")
        indexes = [models.Index(fields=["status", "kind", "published_at"], name="article_public"),
                   models.Index(fields=["department", "status"], name="article_department")]

    def __str__(self) -> str:
        return self.title

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class ArticleImage(models.Model):
    """An image of an article: its bytes as uploaded once checked (format read from the content, size limited), the
    content type of that format, and the alternative text a screen reader reads (required)."""

    article = models.ForeignKey(Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="images")
    data = models.BinaryField(_("图片内容"))
    content_type = models.CharField(_("类型"), max_length=20)
    size = models.PositiveIntegerField(_("大小（字节）"))
    width = models.PositiveIntegerField(_("宽度"))
    height = models.PositiveIntegerField(_("高度"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    alt = models.CharField(_("替代文本"), max_length=200)
    uploaded_by = models.ForeignKey(User, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("文章图片")
        verbose_name_plural = _("文章图片")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.alt


class ArticleStep(models.Model):
    """One step of an article's workflow taken: from, to, by whom, when, with the note or reason given."""

    article = models.ForeignKey(Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("操作"), max_length=20)
    source = models.CharField(_("原状态"), max_length=10, choices=ArticleStatus.choices, blank=True)
    target = models.CharField(_("新状态"), max_length=10, choices=ArticleStatus.choices)
    actor = models.ForeignKey(User, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("文章办理记录")
        verbose_name_plural = _("文章办理记录")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.article_id} {self.action}"
