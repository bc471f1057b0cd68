"""Nothing internal on any public URL (ADR 0051). The walker fetches every public page of the URL configuration
(the names `tests/test_outsiders.PUBLIC_PAGES` declares public — a new page not declared there fails that file),
every GET of the OpenAPI document under `/api/v1/public/`, and every bulk file, each templated one with real records
published and not, and finds in none of them: an entity's credit-risk class, the number of a decision withheld or
not yet published (or its internal reason), a draft or unreviewed article, a value the published copy masked, or an
internal field's name (`fields`, `masks`, `source_record_id` …).

New public pages and operations are walked automatically; one whose route names a record fails here until
`PAGE_VALUES` / `API_VALUES` give it records to be resolved with."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import get_resolver, reverse

from jianguan.credit.contracts import entity_class
from jianguan.disclosure.models import DisclosureItem, ItemStatus
from jianguan.opendata import exports
from tests.catalog_fixtures import FOOD
from tests.opendata.world import PHONE, RIC, World
from tests.spotcheck_fixtures import _drawn
from tests.test_outsiders import PUBLIC_API_PREFIX, PUBLIC_PAGES, _named_patterns

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_catalog")]
PUBLIC = (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN)
INTERNAL_KEYS = {"fields", "masks", "masks_added", "masks_removed", "source_record_id", "source_id",
                 "withheld_rule", "withheld_reason", "risk_class", "computed_class", "points", "reasons"}
INTERNAL_WORDS = ("source_record_id", "masks_added", "withheld_reason", "仅供内部监管使用",
                  'data-testid="credit-class"')


def _numbers(world: World) -> list[dict[str, str]]:
    return [{"number": n} for n in DisclosureItem.objects.values_list("number", flat=True)]


def _article_ids(world: World) -> list[dict[str, Any]]:
    return [{"article_id": a.pk} for a in [world.article, *world.hidden_articles]]


# For each public page whose route names a record: the records to resolve it with (published and not).
PAGE_VALUES: dict[str, Callable[[World, Any], list[dict[str, Any]]]] = {
    "catalog:public_item": lambda world, extra: [{"code": FOOD}],
    "spotchecks:public_task": lambda world, extra: [{"task_id": extra["task"].pk}],
    "spotchecks:public_transcript": lambda world, extra: [{"draw_id": extra["draw"].pk}],
    "articles:public_list": lambda world, extra: [{"column": c} for c in ("news", "notices", "cases")],
    "articles:public_article": lambda world, extra: _article_ids(world),
    "articles:public_image": lambda world, extra: [{"image_id": world.image.pk}],
    "disclosure:public_item": lambda world, extra: _numbers(world),
    "disclosure:public_pdf": lambda world, extra: _numbers(world),
    "disclosure:public_prior": lambda world, extra: [{"department_id": world.shown.department_id}],
    "disclosure:public_entity": lambda world, extra: [{"uscc": world.classed.uscc}],
    "opendata:file": lambda world, extra: [{"name": f.name} for f in exports.listing()],
}
# For each parameter of a public API path: the values to fill it with.
API_VALUES: dict[str, Callable[[World], list[dict[str, Any]]]] = {
    "number": _numbers,
    "article_id": _article_ids,
}


def _query_variants(world: World) -> list[str]:
    """Query strings every list is read with too: the classed entity's filters, and each column or kind."""
    kinds = ["penalty", "licence", "inspection", "coercion", "news", "notice", "case", "exposure"]
    return ["", f"?entity={world.classed.uscc}", f"?q={world.classed.name}",
            *[f"?kind={kind}&size=100" for kind in kinds]]


def _page_urls(world: World, extra: dict[str, Any]) -> Iterator[str]:
    for name, pattern in _named_patterns(get_resolver().url_patterns):
        if name not in PUBLIC_PAGES:
            continue
        params = list(pattern.pattern.converters)
        if not params:
            yield from (reverse(name) + query for query in _query_variants(world))
            continue
        assert name in PAGE_VALUES, f"{name}: give PAGE_VALUES the records to walk this public page with"
        for kwargs in PAGE_VALUES[name](world, extra):
            yield reverse(name, kwargs=kwargs)


def _api_urls(client: Any, world: World) -> Iterator[str]:
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        if not path.startswith(PUBLIC_API_PREFIX) or "get" not in operations:
            continue
        names = re.findall(r"\{([^}]+)\}", path)
        if not names:
            yield from (path + query for query in _query_variants(world))
            continue
        assert set(names) <= set(API_VALUES), f"{path}: give API_VALUES the records to walk this path with"
        for values in API_VALUES[names[0]](world):
            yield re.sub(r"\{([^}]+)\}", lambda m, v=values: str(v[m.group(1)]), path)


def _forbidden(world: World) -> list[str]:
    """What must appear on no public URL."""
    card = entity_class(world.classed.uscc)
    assert card is not None
    hidden = DisclosureItem.objects.exclude(status__in=PUBLIC)
    found = [PHONE, RIC, card.run_number, card.label, f"{card.risk_class}类", *INTERNAL_WORDS,
             *hidden.values_list("number", flat=True), *hidden.exclude(withheld_reason="").values_list(
                 "withheld_reason", flat=True),
             *[a.title for a in world.hidden_articles], *[a.body for a in world.hidden_articles]]
    for item in DisclosureItem.objects.all():
        found += [item.source_record_id] if len(item.source_record_id) >= 8 else []
    for item in DisclosureItem.objects.filter(status__in=PUBLIC):
        found += [item.fields[m["field"]][m["start"]:m["end"]] for m in item.masks if m["end"] - m["start"] >= 6]
    return found


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield str(key)
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


def _json_documents(text: str) -> list[Any]:
    try:
        return [json.loads(text)]
    except ValueError:
        pass
    try:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except ValueError:
        return []


def _body(response: Any) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8", errors="replace")


def test_no_public_url_shows_anything_internal(client, world, food_task, persona):
    extra = {"task": food_task, "draw": _drawn(food_task, persona)}
    forbidden = _forbidden(world)
    assert PHONE in world.shown.fields["facts"] and RIC in world.shown.fields["facts"]
    urls = [*_page_urls(world, extra), *_api_urls(client, world)]
    seen, leaks = [], []
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        body = _body(response)
        seen.append((url, response.status_code, body))
        # A number the visitor typed may be echoed on its 404 page: that tells nothing the visitor did not know.
        leaks += [(url, word) for word in forbidden if word in body and word not in url]
        leaks += [(url, f"key {key}") for doc in _json_documents(body) for key in _keys(doc) if key in INTERNAL_KEYS]
    assert not leaks, leaks
    shown = [url for url, status, body in seen if status == 200 and world.shown.number in body]
    assert {"/public/disclosure/", "/api/v1/public/decisions", f"/public/disclosure/{world.shown.number}/",
            f"/api/v1/public/decisions/{world.shown.number}", "/public/disclosure/feed.atom",
            "/public/opendata/decisions-2026-12-07.csv", "/public/opendata/decisions-2026-12-07.jsonl"} <= set(shown)
    ok = {url for url, status, _ in seen if status == 200}
    assert {f"/public/article/{world.article.pk}/", f"/api/v1/public/articles/{world.article.pk}",
            f"/public/article/images/{world.image.pk}/", f"/public/spotchecks/tasks/{food_task.pk}/",
            f"/public/catalog/{FOOD}/", "/public/opendata/SHA256SUMS"} <= ok
    hidden = {f"/public/disclosure/{world.withheld.number}/", f"/api/v1/public/decisions/{world.withheld.number}",
              *[f"/public/article/{a.pk}/" for a in world.hidden_articles]}
    assert all(status == 404 for url, status, _ in seen if url in hidden)
    assert len(seen) >= 80
