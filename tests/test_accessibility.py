"""Every page of the public portal checked by axe-core (WCAG 2.1 A/AA and best practice; GB/T 37668-2019 basics) in
Chromium, with demo-like data so that lists are not empty: a serious or critical violation fails the test, printed
with the rule, its help and the elements.

The pages are listed from the URL configuration (every named route under `public/`, and the public home page), so
a new public page is checked without being named here; a page whose path names a record gets one from
`_paths` (the test fails until it does), and pages that are not HTML (files, JSON, images) are named in `NOT_HTML`.
axe-core comes from npm (package.json, package-lock.json; `make install` runs `npm ci`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import get_resolver
from django.utils import timezone

from tests.test_outsiders import _named_patterns

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_live_db")]

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
NOT_HTML = {"catalog:public_export", "audit:public_checkpoints_json", "spotchecks:public_transcript",
            "articles:public_image", "opendata:file", "opendata:feed", "disclosure:public_pdf"}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " — " + n.failureSummary.replace(/\\s+/g, " "))}));
}"""


def public_pages() -> list[tuple[str, str]]:
    """(name, route) of every public page."""
    return [(name, str(pattern.pattern)) for name, pattern in _named_patterns(get_resolver().url_patterns)
            if str(pattern.pattern).startswith("public/") or name == "portal:public_home"]


def _articles(persona) -> dict[str, str]:
    """Published articles of each column (one with an image, one from a case), and one withdrawn."""
    from jianguan.articles import images, services
    from jianguan.articles.models import Article, ArticleStatus
    from tests.articles.world import png, published

    author, publisher = persona("scjg_officer"), persona("scjg_publisher")
    for kind in ("news", "notice", "case"):
        for n in range(3):
            published(author, publisher, kind=kind, title=f"{kind} 标题 {n}", summary="摘要")
    article = services.article_create(actor=author, values={"kind": "news", "title": "带图片的新闻", "body": "正文"})
    images.image_add(article_id=article.pk, data=png((40, 30)), alt="检查现场照片", actor=author)
    services.article_transition(article_id=article.pk, action="submit", actor=author)
    services.article_transition(article_id=article.pk, action="publish", actor=publisher)
    Article.objects.create(department_id=author.department_id, region_id=author.department.region_id,
                           kind="exposure", status=ArticleStatus.PUBLISHED, title="某超市销售过期食品案曝光",
                           body="当事人销售过期食品。", author=author, published_at=timezone.now(),
                           decision_number="咸市监处罚〔2026〕1号", decided_on=timezone.localdate(),
                           party_name="某超市有限公司", penalty="警告、罚款")
    withdrawn = published(author, publisher, title="已撤回的通知")
    services.article_transition(article_id=withdrawn.pk, action="withdraw", note="内容有误", actor=publisher)
    return {"articles:public_article": str(article.pk)}


def _disclosure_paths(persona, food_task) -> dict[str, str]:
    """A published decision and a withdrawn one of a party, its department's 事前公开 page and the party's page."""
    import datetime as dt

    from jianguan.disclosure import services
    from tests.disclosure.world import entity, fine, published

    officer, publisher = persona("scjg_officer"), persona("scjg_publisher")
    day = timezone.localdate() - dt.timedelta(days=2)
    item = published(fine(entity(), day=day), officer, publisher)
    services.item_transition(item_id=published(fine(entity(), day=day), officer, publisher).pk, action="withdraw",
                             values={"reason": "该决定经行政复议被撤销"}, actor=publisher)
    return {"disclosure:public_item": f"/public/disclosure/{item.number}/",
            "disclosure:public_prior": f"/public/disclosure/prior/{food_task.lead_id}/",
            "disclosure:public_entity": f"/public/entities/{item.entity.uscc}/"}


def _paths(persona, food_task) -> dict[str, str]:
    """For each public page whose route names a record, the path of one with data."""
    from tests.catalog_fixtures import FOOD

    article = _articles(persona)["articles:public_article"]
    return {**_disclosure_paths(persona, food_task), "catalog:public_item": f"/public/catalog/{FOOD}/",
            "spotchecks:public_task": f"/public/spotchecks/tasks/{food_task.pk}/",
            "articles:public_article": f"/public/article/{article}/",
            "articles:public_list": "/public/articles/news/"}


def _report(path: str, violations: list[dict]) -> str:
    lines = [f"{path}:"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        lines += [f"      {node}" for node in v["nodes"]]
    return "\n".join(lines)


def _skip_link(page, base: str) -> None:
    """The first Tab reaches a visible link to the main content (WCAG 2.4.1), focus shown (2.4.7)."""
    page.goto(base + "/public/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href'),"
                            " getComputedStyle(document.activeElement).outlineStyle]")
    assert focused == ["skip-link", "#main", "solid"], focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_every_public_page_has_no_serious_accessibility_violation(browser, live_server, persona, food_task):
    assert AXE.exists(), f"{AXE} is missing: run `make install` (npm ci)"
    paths = _paths(persona, food_task)
    checked, problems = [], []
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    for name, route in public_pages():
        if name in NOT_HTML:
            continue
        path = paths.get(name) or ("/" + route if "<" not in route else None)
        assert path, f"{name} ({route}): give _paths a record for this public page"
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, (name, path)
        assert response.headers["content-type"].startswith("text/html"), f"{name}: not HTML, add it to NOT_HTML"
        page.add_script_tag(path=str(AXE))
        found = page.evaluate(RUN, TAGS)
        if found:
            problems.append(_report(path, found))
        checked.append(name)
    _skip_link(page, live_server.url)
    context.close()
    assert {"portal:public_home", "articles:public_list", "articles:public_exposure", "catalog:public_list",
            "complaints:public_form", "disclosure:public_list", "disclosure:public_item",
            "disclosure:public_prior_index", "disclosure:public_prior", "disclosure:public_during",
            "disclosure:public_entity"} <= set(checked), checked
    assert not problems, "serious or critical accessibility violations:\n" + "\n".join(problems)

