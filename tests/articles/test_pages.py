"""Pages of articles: the work portal's list, editor, review page and history; the public portal's columns with
pagination, the 曝光台, an article with its publication date (a withdrawn one with its reason, a draft unknown),
images served as stored; outsiders get 404 on another department's article and its actions; the demo data."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings
from django.utils import timezone

from jianguan.articles import images
from jianguan.articles.models import Article, ArticleKind, ArticleStatus
from jianguan.articles.seed import PLAN, seed_articles
from jianguan.core.seeding import SeedContext
from tests.articles.world import closed_case, draft, exposed_case, png, published

pytestmark = pytest.mark.django_db


def test_an_author_writes_submits_and_the_publisher_publishes_through_the_pages(signed_in, author, publisher):
    client = signed_in(author)
    assert client.get("/articles/new/").status_code == 200
    response = client.post("/articles/new/", {"kind": "notice", "title": "关于年报的通知", "body": "请按时报送。"})
    article = Article.objects.get(title="关于年报的通知")
    assert response["Location"] == f"/articles/{article.pk}/"
    client.post(f"/articles/{article.pk}/images/", {"alt": "通知附图", "image": io.BytesIO(png())})
    client.post(f"/articles/{article.pk}/act/", {"action": "submit"})
    client = signed_in(publisher)
    page = client.get(f"/articles/{article.pk}/").content.decode()
    assert 'value="publish"' in page and 'value="return"' in page and "待审核" in page
    client.post(f"/articles/{article.pk}/act/", {"action": "publish"})
    page = client.get(f"/articles/{article.pk}/").content.decode()
    assert "已发布" in page and 'data-testid="article-history"' in page and "通知附图" in page
    assert "关于年报的通知" in client.get("/articles/?status=published").content.decode()


def test_a_refusal_on_a_page_names_its_rule(signed_in, author, publisher):
    article = published(author, publisher)
    client = signed_in(publisher)
    response = client.post(f"/articles/{article.pk}/act/", {"action": "withdraw", "reason": ""}, follow=True)
    assert "withdrawal_reason_required" in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.PUBLISHED
    response = signed_in(author).post(f"/articles/{article.pk}/images/", {"alt": "", "image": io.BytesIO(png())},
                                      follow=True)
    assert "not_a_draft" in response.content.decode()


def test_an_image_without_alt_is_refused_on_the_page(signed_in, author):
    article = draft(author)
    response = signed_in(author).post(f"/articles/{article.pk}/images/", {"alt": "", "image": io.BytesIO(png())},
                                      follow=True)
    assert "alt_required" in response.content.decode() and not article.images.exists()


def test_an_exposure_from_an_open_unpublished_or_published_case_through_the_page(signed_in, world, persona):
    from tests.enforcement_fixtures import decided

    client = signed_in(world.officer)
    open_case = decided(world)
    response = client.post("/articles/exposure/", {"case_number": open_case.number}, follow=True)
    assert "case_not_closed" in response.content.decode() and not Article.objects.exists()
    case = closed_case(world)
    response = client.post("/articles/exposure/", {"case_number": case.number}, follow=True)
    assert "decision_not_published" in response.content.decode() and not Article.objects.exists()
    case = exposed_case(world, persona("scjg_publisher"))
    response = client.post("/articles/exposure/", {"case_number": case.number})
    article = Article.objects.get(kind=ArticleKind.EXPOSURE)
    assert response["Location"] == f"/articles/{article.pk}/"


@override_settings(LANGUAGE_CODE="zh-hans")
def test_the_public_columns_show_published_articles_with_their_dates_page_by_page(client, author, publisher):
    for n in range(16):
        published(author, publisher, title=f"新闻{n:02d}")
    draft(author, title="未发布的草稿")
    first = client.get("/public/articles/news/").content.decode()
    assert "新闻15" in first and "新闻00" not in first and "未发布的草稿" not in first
    assert "发布日期" in first and "第 1 / 2 页" in first
    assert "新闻00" in client.get("/public/articles/news/?page=2").content.decode()
    assert client.get("/public/articles/blog/").status_code == 404
    assert "新闻15" in client.get("/public/").content.decode()


def test_a_public_article_shows_its_date_a_withdrawn_one_its_reason_a_draft_nothing(client, author, publisher):
    from jianguan.articles import services

    article = published(author, publisher, body="正文内容")
    page = client.get(f"/public/article/{article.pk}/").content.decode()
    day = f"{timezone.localtime(article.published_at):%Y-%m-%d}"
    assert "正文内容" in page and day in page and 'data-testid="published-on"' in page
    services.article_transition(article_id=article.pk, action="withdraw", note="内容有误", actor=publisher)
    page = client.get(f"/public/article/{article.pk}/").content.decode()
    assert "本文已撤回" in page and "内容有误" in page and "正文内容" not in page
    assert client.get(f"/public/article/{draft(author).pk}/").status_code == 404


def test_the_exposure_column_links_the_decision(client, world, publisher):
    from jianguan.articles import exposure, services

    case = exposed_case(world, publisher)
    article = exposure.exposure_from_case(case_number=case.number, actor=world.officer)
    services.article_transition(article_id=article.pk, action="submit", actor=world.officer)
    services.article_transition(article_id=article.pk, action="publish", actor=publisher)
    assert article.title in client.get("/public/exposure/").content.decode()
    page = client.get(f"/public/article/{article.pk}/").content.decode()
    assert case.decision_number in page and 'data-testid="article-decision"' in page
    link = f'href="/public/disclosure/{article.disclosure_number}/"'
    assert article.disclosure_number and link in page
    assert client.get(f"/public/disclosure/{article.disclosure_number}/").status_code == 200


def test_images_are_served_as_stored_and_only_once_published(client, signed_in, author, publisher, outsider):
    article = draft(author)
    image = images.image_add(article_id=article.pk, data=png(), alt="现场照片", actor=author)
    assert client.get(f"/public/article/images/{image.pk}/").status_code == 404
    own = signed_in(author).get(f"/articles/images/{image.pk}/")
    assert own.status_code == 200 and own["Content-Type"] == "image/png"
    assert signed_in(outsider).get(f"/articles/images/{image.pk}/").status_code == 404
    from jianguan.articles import services

    services.article_transition(article_id=article.pk, action="submit", actor=author)
    services.article_transition(article_id=article.pk, action="publish", actor=publisher)
    served = client.get(f"/public/article/images/{image.pk}/")
    assert served.status_code == 200 and served.content == png() and served["X-Content-Type-Options"] == "nosniff"
    assert 'alt="现场照片"' in client.get(f"/public/article/{article.pk}/").content.decode()


def test_outsiders_get_404_on_an_article_and_its_actions(signed_in, author, outsider):
    article = draft(author)
    client = signed_in(outsider)
    assert client.get(f"/articles/{article.pk}/").status_code == 404
    assert client.post(f"/articles/{article.pk}/act/", {"action": "submit"}).status_code == 404
    assert client.post(f"/articles/{article.pk}/edit/", {"title": "x", "body": "y"}).status_code == 404
    assert client.post(f"/articles/{article.pk}/images/", {"alt": "x"}).status_code == 404
    assert article.title not in client.get("/articles/").content.decode()
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.DRAFT


def test_the_demo_publishes_articles_of_each_column_and_one_withdrawn(author):
    seed_articles(SeedContext(scale="test", seed=7, stdout=io.StringIO(), progress_enabled=False))
    assert not Article.objects.exists()
    seed_articles(SeedContext(scale="demo", seed=7, stdout=io.StringIO(), progress_enabled=False))
    published_ = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    for kind in (ArticleKind.NEWS, ArticleKind.NOTICE, ArticleKind.CASE):
        assert published_.filter(kind=kind).count() >= 2, kind
    assert published_.count() >= len(PLAN)
    assert Article.objects.get(status=ArticleStatus.WITHDRAWN).withdrawal_reason
    assert Article.objects.filter(status=ArticleStatus.REVIEW).exists()
