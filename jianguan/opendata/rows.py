"""The rows open data serves (ADR 0051): one published decision, one public article, one department, each as plain
JSON values (dates as ISO strings, labels in Chinese), so that the API, the JSON lines and the CSV file say the same
thing in the same words. Built from the public views of the apps only — the published copy of a decision, never
its original fields, masks or internal records."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from jianguan.accounts.models import Department
from jianguan.articles import contracts as articles
from jianguan.articles.models import Article, ArticleKind, ArticleStatus
from jianguan.disclosure import contracts as disclosure
from jianguan.disclosure.models import DisclosureItem

# Each decision's columns in order, with the Chinese header of the CSV file.
DECISION_COLUMNS = {
    "number": "公示编号", "kind": "决定类别代码", "kind_label": "决定类别", "department": "公示部门代码",
    "department_name": "公示部门", "region": "行政区划代码", "party_name": "行政相对人名称",
    "decision_number": "决定文书号", "decided_on": "决定日期", "published_on": "公示日期",
    "period_ends_on": "公示截止日期", "status": "公示状态代码", "status_label": "公示状态", "withdrawn_on": "撤回日期",
    "withdraw_reason": "撤回原因", "content": "公示内容", "updated_at": "数据更新于", "url": "公示页面",
}


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def _moment(value: Any) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def decision_row(item: DisclosureItem) -> dict[str, Any]:
    """A published (or withdrawn) decision as the public reads it: `disclosure.public_view` in plain values."""
    with translation.override(settings.LANGUAGE_CODE):
        view = disclosure.public_view(item)
        row = {
            "number": view["number"], "kind": item.source_kind, "kind_label": str(view["kind"]),
            "department": item.department_id, "department_name": view["department"], "region": item.region_id,
            "party_name": view["party_name"], "decision_number": view["decision_number"],
            "decided_on": _day(view["decided_on"]), "published_on": _day(view["published_on"]),
            "period_ends_on": _day(view["period_ends_on"]), "status": item.status,
            "status_label": str(view["status"]), "withdrawn_on": _day(view["withdrawn_on"]),
            "withdraw_reason": view["withdraw_reason"], "content": view["fields"],
            "updated_at": _moment(view["updated_at"]),
            "url": reverse("disclosure:public_item", args=[item.number]),
        }
    return row


def article_row(article: Article) -> dict[str, Any]:
    """An article of a column as its public list shows it: title, summary, column, department, date."""
    with translation.override(settings.LANGUAGE_CODE):
        return {"id": article.pk, "kind": article.kind, "kind_label": str(ArticleKind(article.kind).label),
                "title": article.title, "summary": article.summary, "department_name": article.department.name,
                "published_at": _moment(article.published_at),
                "url": reverse("articles:public_article", args=[article.pk])}


def article_detail(article: Article) -> dict[str, Any]:
    """One public article as its page shows it: the text and images while published; once withdrawn the date and
    the reason instead; the decision an exposure rests on."""
    published = article.status == ArticleStatus.PUBLISHED
    images = articles.image_list(article=article) if published else []
    return {**article_row(article), "status": article.status, "body": article.body if published else "",
            "withdrawn_at": None if published else _moment(article.withdrawn_at),
            "withdrawal_reason": "" if published else article.withdrawal_reason,
            "decision_number": article.decision_number, "party_name": article.party_name,
            "penalty": article.penalty, "decided_on": _day(article.decided_on),
            "images": [{"alt": image.alt, "url": reverse("articles:public_image", args=[image.pk])}
                       for image in images]}


def department_row(department: Department) -> dict[str, Any]:
    with translation.override(settings.LANGUAGE_CODE):
        return {"id": department.pk, "name": department.name, "short_name": department.short_name,
                "kind": department.kind, "kind_label": department.get_kind_display(),
                "region": department.region_id, "region_name": department.region.name}
