"""`{{ text|law_links:day }}`: the text with each citation of a provision the knowledge base holds as a link to
that provision in the version in force on `day` (today when absent)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from jianguan.laws.resolving import resolve

register = template.Library()


@register.filter
def law_links(text: str, day: dt.date | None = None) -> SafeString:
    text = str(text or "")
    day = day if isinstance(day, dt.date) else None
    out, at = [], 0
    for link in resolve(text, on=day):
        if not link.url:
            continue
        out.append(conditional_escape(text[at:link.start]))
        out.append(format_html('<a href="{}" class="law-link" data-pid="{}"{}>{}</a>', link.url, link.found,
                               mark_safe(' data-unverified="1"') if link.status == "unverified" else "", link.text))
        at = link.end
    out.append(conditional_escape(text[at:]))
    return mark_safe("".join(str(part) for part in out))  # noqa: S308 (every piece escaped above)
