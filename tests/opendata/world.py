"""The world of the open-data tests: published decisions (one with a phone and an ID number in its facts, one
withdrawn), decisions withheld and pending, articles published, under review and in draft, an entity with a
credit-risk class, and the bulk files written into a temporary folder."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from jianguan.articles import images
from jianguan.articles import services as articles
from jianguan.articles.models import Article, ArticleImage
from jianguan.core.actors import SystemActor
from jianguan.credit.contracts import entity_class
from jianguan.disclosure import services
from jianguan.disclosure.models import DisclosureItem, ItemStatus
from jianguan.opendata import exports
from jianguan.subjects.models import MarketEntity
from tests.articles.world import draft, png
from tests.articles.world import published as article_published
from tests.disclosure.world import entity, fine, item_of
from tests.disclosure.world import published as item_published

PHONE = "13812345678"
RIC = "421202198001011238"  # with its check digit
DRAFT_TITLE = "内部草稿：尚未审核的执法检查安排"
REVIEW_TITLE = "待审核：下月联合检查名单"
ACTOR = SystemActor("test:opendata")


@dataclass
class World:
    classed: MarketEntity
    shown: DisclosureItem
    withdrawn: DisclosureItem
    withheld: DisclosureItem
    article: Article
    image: ArticleImage
    hidden_articles: list[Article] = field(default_factory=list)

    @property
    def public_items(self) -> list[DisclosureItem]:
        return list(DisclosureItem.objects.filter(status__in=(ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN)))


@pytest.fixture
def bulk_dir(tmp_path, settings):
    settings.JIANGUAN_OPENDATA_DIR = tmp_path / "opendata"
    return settings.JIANGUAN_OPENDATA_DIR


def decisions(persona, day: dt.date, classed: MarketEntity | None = None) -> tuple[DisclosureItem, ...]:
    """Three published decisions (the first with a phone and an ID number in its facts, the last withdrawn), one
    withheld and one left pending."""
    officer, publisher = persona("scjg_officer"), persona("scjg_publisher")
    shown = item_published(fine(classed or entity(), day=day - dt.timedelta(days=9),
                                facts=f"举报人电话 {PHONE}，身份证号码 {RIC}，经查销售过期食品"), officer, publisher)
    item_published(fine(entity(1), day=day - dt.timedelta(days=8)), officer, publisher)
    withdrawn = item_published(fine(entity(2), day=day - dt.timedelta(days=7)), officer, publisher)
    withdrawn = services.item_transition(item_id=withdrawn.pk, action="withdraw", actor=publisher,
                                         values={"reason": "复议撤销", "changed_on": (day - dt.timedelta(days=1))
                                                 .isoformat()})
    withheld = item_of(fine(entity(3), day=day - dt.timedelta(days=6)))
    withheld = services.item_transition(item_id=withheld.pk, action="withhold", actor=publisher,
                                        values={"rule": "unsuitable", "reason": "涉及正在调查的其他案件"})
    item_of(fine(entity(4), day=day - dt.timedelta(days=5)))  # pending
    return shown, withdrawn, withheld


@pytest.fixture
def world(risky, published, persona, bulk_dir) -> World:
    """The public world of the walker: the credit classification in force over `risky`, its first entity with a
    published decision."""
    classed = risky[0]
    assert entity_class(classed.uscc) is not None
    shown, withdrawn, withheld = decisions(persona, dt.date(2026, 12, 7), classed)
    author, publisher = persona("scjg_officer"), persona("scjg_publisher")
    article = draft(author, title="食品安全专项检查结果通报")
    image = images.image_add(article_id=article.pk, data=png(), alt="检查现场", actor=author)
    articles.article_transition(article_id=article.pk, action="submit", actor=author)
    article = articles.article_transition(article_id=article.pk, action="publish", actor=publisher)
    article_published(author, publisher, kind="notice", title="关于开展抽查的通知")
    hidden = [draft(author, title=DRAFT_TITLE, body="草稿正文：内部安排")]
    under_review = draft(author, title=REVIEW_TITLE)
    hidden.append(articles.article_transition(article_id=under_review.pk, action="submit", actor=author))
    exports.export(actor=ACTOR, today=dt.date(2026, 12, 7))
    return World(classed, shown, withdrawn, withheld, article, image, hidden)
