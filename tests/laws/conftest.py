from __future__ import annotations

import pytest

from jianguan.core.actors import SystemActor
from jianguan.laws import loading, services
from jianguan.laws.seed import TEXTS


@pytest.fixture
def texts(db):
    """Every text of the repository loaded (the test database's demo seed has loaded them: loaded again here, so
    that the tests hold for the files as they are)."""
    for path in sorted(TEXTS.glob("*.json")):
        services.law_import(data=loading.law_data(loading.decode(path.read_bytes())), actor=SystemActor("test"))


def article(number: int, *paragraphs: dict) -> dict:
    return {"number": number, "status": "confirmed",
            "paragraphs": list(paragraphs) or [{"text": f"第{number}条的正文。"}]}


def law(*versions: dict, slug: str = "demo-law", title: str = "中华人民共和国示例法") -> dict:
    return {"slug": slug, "title": title, "short_titles": ["示例法"], "issuer": "全国人民代表大会常务委员会",
            "level": "law", "versions": list(versions)}


def version(start: str, end: str | None = None, *articles: dict, label: str = "版本") -> dict:
    return {"label": label, "number": "主席令第一号", "issued_on": start, "effective_from": start, "effective_to": end,
            "status": "confirmed", "articles": list(articles) or [article(1)]}
