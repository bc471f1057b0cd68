"""Pages of the classification: the runs page (shares, cut-offs, start, publish, scorecards), the entity page's
class and reasons through the contract, and the class absent from everything public."""

from __future__ import annotations

import pytest
from django.test import Client

from jianguan.credit import contracts
from jianguan.credit.models import ClassificationRun, RunStatus, Scorecard
from jianguan.exchange import standards

pytestmark = pytest.mark.django_db


def test_the_runs_page_shows_each_class_share_and_the_cutoffs(signed_in, head, published):
    page = signed_in(head).get("/credit/classes/").content.decode()
    assert published.number in page and "已发布" in page
    for klass in "ABCD":
        assert f'data-label="{klass}">{published.shares[klass]}' in page
    assert " / ".join(str(c) for c in published.cutoffs) in page


def test_the_head_starts_a_run_in_the_background_and_publishes_it(signed_in, head, risky,
                                                                  django_capture_on_commit_callbacks):
    client = signed_in(head)
    client.post("/credit/classes/act/", {"action": "scorecard", "scorecard": "credit-risk-2026.1"})
    assert Scorecard.objects.filter(name="credit-risk", version="2026.1").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/credit/classes/act/", {"action": "start"})
    run = ClassificationRun.objects.get()
    assert run.status == RunStatus.DRAFT and run.entities > 0  # the tests' task backend runs at once
    assert 'value="publish"' in client.get("/credit/classes/").content.decode()
    client.post("/credit/classes/act/", {"action": "publish", "run": str(run.pk)})
    assert ClassificationRun.objects.get(pk=run.pk).status == RunStatus.PUBLISHED


def test_a_refused_step_is_shown_not_raised(signed_in, head, persona, risky):
    response = signed_in(persona("dataadmin")).post("/credit/classes/act/", {"action": "start"}, follow=True)
    assert "尚无已发布的评分卡" in response.content.decode()
    response = signed_in(head).post("/credit/classes/act/", {"action": "publish", "run": "x"}, follow=True)
    assert response.status_code == 200 and "批次编号无效" in response.content.decode()


def test_officers_and_the_leader_cannot_act_on_runs(signed_in, persona, published):
    for username in ("scjg_officer", "leader"):
        assert signed_in(persona(username)).post("/credit/classes/act/", {"action": "start"}).status_code == 403
    assert 'value="publish"' not in signed_in(persona("leader")).get("/credit/classes/").content.decode()


def test_a_county_officer_sees_no_city_run(signed_in, county_officer, published):
    assert published.number not in signed_in(county_officer).get("/credit/classes/").content.decode()


def test_the_entity_page_shows_the_class_and_its_reasons_to_a_reader_of_the_entity(signed_in, officer, published,
                                                                                    risky):
    entity = risky[45]
    page = signed_in(officer).get(f"/subjects/{entity.uscc}/").content.decode()
    assert "D 类（信用风险高）" in page and "O01 列入严重违法失信名单" in page and published.number in page


def test_the_entity_page_of_an_entity_outside_the_scope_shows_nothing(signed_in, outsider, published, risky):
    assert signed_in(outsider).get(f"/subjects/{risky[45].uscc}/").status_code == 404


def test_the_class_appears_nowhere_public(client: Client, published, risky):
    """No public page, public API answer or exchange standard carries the class or its reasons (国市监信发〔2022〕
    6号: internal, not public; disclosure-credit.md §8)."""
    card = contracts.entity_class(risky[45].uscc)
    markers = ("信用风险分类", "信用风险高", card.reasons[0].title, published.number)
    pages = ["/public/", "/public/catalog/", "/public/complaints/", "/public/spotchecks/", "/public/checkpoints/",
             "/public/checkpoints.json", "/api/v1/health", "/api/v1/openapi.json"]
    for path in pages:
        body = Client().get(path).content.decode()
        for marker in markers:
            assert marker not in body, (path, marker)
    for standard in standards.all():
        for field in standard.fields:
            assert "risk_class" not in field.id and "信用风险" not in field.title, (standard.name, field.id)
    assert Client().get(f"/subjects/{risky[45].uscc}/").status_code == 302  # the entity page: signed in only


def test_the_monthly_task_starts_and_computes_this_months_run(head, risky):
    from jianguan.credit import classification, tasks

    classification.scorecard_publish(name="credit-risk", version="2026.1", actor=head)
    tasks.classification_monthly.enqueue()
    run = ClassificationRun.objects.get()
    assert run.status == RunStatus.DRAFT and run.started_by.endswith("task:credit.classification_monthly")
    assert not tasks.monthly_schedule()  # the tests' immediate backend keeps nothing for later
