"""Images of an article (ADR 0049): the format read from the bytes themselves (Pillow), never from the name or
the type the browser claims; PNG, JPEG, GIF and WebP only (no SVG: it can carry script); at most
`JIANGUAN_ARTICLE_IMAGE_MAX_BYTES`; an alternative text is required (WCAG 2.1 1.1.1 非文本内容; GB/T 37668-2019
5.1.1), so a screen reader says what the image shows."""

from __future__ import annotations

import hashlib
import io

from django.conf import settings
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.core.validation import require, text

from .models import Article, ArticleImage, ArticleStatus
from .services import require_author

CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
ALT_MAX = 200
MAX_PIXELS = 40_000_000


def checked(data: bytes) -> tuple[str, int, int]:
    """The content type, width and height of an image whose bytes are of an allowed format and within the limits;
    ValidationFailed naming the rule otherwise."""
    limit = settings.JIANGUAN_ARTICLE_IMAGE_MAX_BYTES
    require(data, "“图片”为必填项", "required", "image")
    require(len(data) <= limit, f"图片不能超过 {limit // 1024} KB", "file_too_large", "image")
    try:
        with Image.open(io.BytesIO(data)) as image:
            found, width, height = image.format or "", image.width, image.height
            require(width * height <= MAX_PIXELS, "图片像素过多", "image_too_large", "image")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        found = ""
        width = height = 0
    require(found in CONTENT_TYPES, "图片格式应为 PNG、JPEG、GIF 或 WebP（按文件内容判断）", "image_type_not_allowed",
            "image")
    return CONTENT_TYPES[found], width, height


@transaction.atomic
def image_add(*, article_id: int, data: bytes, alt: str, actor: User) -> ArticleImage:
    """Add an image to a draft, by the department's authors; the alternative text is required (`alt_required`).
    The caller has read the article as `actor`."""
    article: Article = Article.objects.select_for_update(of=("self",)).get(pk=article_id)
    require_author(actor, article.department_id)
    require(article.status == ArticleStatus.DRAFT, "只有草稿可以添加图片", "not_a_draft", "status")
    described = text(alt, "alt", "替代文本", required=False, max_len=ALT_MAX)
    require(described, "“替代文本”为必填项：图片须有文字说明，供读屏软件朗读（WCAG 2.1 1.1.1）", "alt_required", "alt")
    content_type, width, height = checked(data)
    image = ArticleImage.objects.create(article=article, data=data, content_type=content_type, size=len(data),
                                        width=width, height=height, sha256=hashlib.sha256(data).hexdigest(),
                                        alt=described, uploaded_by=actor)
    record(actor=actor, verb="articles.image_added", target=article,
           data={"image": image.pk, "sha256": image.sha256, "size": image.size, "content_type": content_type,
                 "alt": described})
    return image
