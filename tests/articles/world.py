"""Shared helpers of the articles tests: the city 市场监管局's officer (author), publisher and head, an article
taken through its steps, a closed case with a penalty decision (and one whose decision is published), and
images."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from jianguan.accounts.models import User
from jianguan.articles import services
from jianguan.articles.models import Article
from jianguan.behaviour.models import Penalty
from jianguan.disclosure import services as disclosure
from jianguan.disclosure import sweep
from jianguan.disclosure.models import DisclosureItem
from jianguan.enforcement.models import Case, CaseStatus
from tests.enforcement_fixtures import ENDING, decided

TEXTS = {"kind": "news", "title": "开展食品安全专项检查", "summary": "专项检查", "body": "第一段。\n\n第二段。"}


def draft(author: User, **values: str) -> Article:
    return services.article_create(actor=author, values={**TEXTS, **values})


def published(author: User, publisher: User, **values: str) -> Article:
    article = draft(author, **values)
    services.article_transition(article_id=article.pk, action="submit", actor=author)
    return services.article_transition(article_id=article.pk, action="publish", actor=publisher)


def png(size: tuple[int, int] = (4, 3), kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, kind)
    return out.getvalue()


def closed_case(world, **ending: Any) -> Case:
    """A case of the city 市场监管局 decided with a penalty, then closed (its later steps are enforcement's)."""
    case = decided(world, ending={**ENDING, **ending}) if ending else decided(world)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    return Case.objects.get(pk=case.pk)


def decision_item(case: Case) -> DisclosureItem:
    """The disclosure item the sweep makes for the case's penalty decision."""
    sweep.items_make()
    return DisclosureItem.objects.get(source_kind="penalty", source_id=Penalty.objects.get(
        number=case.behaviour_number).pk)


def exposed_case(world, publisher: User, **ending: Any) -> Case:
    """A closed case whose penalty decision is published (prepared by the officer, released by the publisher)."""
    case = closed_case(world, **ending)
    item = decision_item(case)
    disclosure.item_transition(item_id=item.pk, action="prepare", values={}, actor=world.officer)
    disclosure.item_transition(item_id=item.pk, action="publish", values={}, actor=publisher)
    return case


@pytest.fixture
def author(persona) -> User:
    return persona("scjg_officer")


@pytest.fixture
def publisher(persona) -> User:
    return persona("scjg_publisher")
