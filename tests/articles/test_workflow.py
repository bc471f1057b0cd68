"""An article on the workflow kernel: written and submitted by the department's officers and administrators,
reviewed, published, returned and withdrawn by its publisher or head — never by the person who wrote or submitted
it; every other (state, action) pair refused; publishing before review names the review rule."""

from __future__ import annotations

import pytest

from jianguan.articles import workflow as wf
from jianguan.articles.models import ArticleStatus
from jianguan.core.errors import AccessDenied, InvalidTransition, ValidationFailed
from jianguan.core.roles import Role
from tests.workflow_walk import Person, assert_every_edge_taken, assert_refused_out_of_order

DEPARTMENT = 3
OFFICER = Person(1, DEPARTMENT, frozenset({Role.OFFICER}))
PUBLISHER = Person(2, DEPARTMENT, frozenset({Role.PUBLISHER}))
HEAD = Person(5, DEPARTMENT, frozenset({Role.HEAD}))
BY = {wf.AUTHORS: OFFICER, wf.REVIEWERS: PUBLISHER}


def facts(state: str, actor: object = PUBLISHER, writers: tuple = (OFFICER.pk, OFFICER.pk), note: str = "理由"):
    return wf.Facts(state, actor, DEPARTMENT, writers, note)


def test_every_edge_is_taken_by_its_party_and_every_state_is_reachable():
    assert_every_edge_taken(wf.ARTICLES, lambda edge: facts(edge.source, BY[edge.who]))
    assert {e.target for e in wf.EDGES} == set(ArticleStatus.values)


def test_every_action_out_of_order_is_refused():
    assert_refused_out_of_order(wf.ARTICLES, ArticleStatus.values, lambda state: facts(state))


def test_publishing_a_draft_names_the_review_rule():
    with pytest.raises(InvalidTransition) as refused:
        wf.ARTICLES.check("publish", facts(ArticleStatus.DRAFT))
    assert refused.value.extra["rule"] == "review_required" and "审核" in refused.value.message


@pytest.mark.parametrize("actor", [OFFICER, Person(4, DEPARTMENT + 1, frozenset({Role.PUBLISHER})),
                                   Person(6, DEPARTMENT, frozenset({Role.LEADER}))])
def test_only_the_departments_publisher_or_head_reviews(actor):
    with pytest.raises(AccessDenied) as refused:
        wf.ARTICLES.check("publish", facts(ArticleStatus.REVIEW, actor))
    assert refused.value.code == "not_department_publisher"
    assert wf.ARTICLES.check("publish", facts(ArticleStatus.REVIEW, HEAD)).target == ArticleStatus.PUBLISHED


@pytest.mark.parametrize("writers", [(PUBLISHER.pk, None), (OFFICER.pk, PUBLISHER.pk)])
def test_the_author_or_submitter_never_reviews_their_own_article(writers):
    for action in ("publish", "return"):
        with pytest.raises(AccessDenied) as refused:
            wf.ARTICLES.check(action, facts(ArticleStatus.REVIEW, PUBLISHER, writers))
        assert refused.value.code == "same_person"


def test_only_the_departments_authors_submit():
    with pytest.raises(AccessDenied) as refused:
        wf.ARTICLES.check("submit", facts(ArticleStatus.DRAFT, PUBLISHER))
    assert refused.value.code == "not_department_author"


@pytest.mark.parametrize(("state", "action", "code"),
                         [(ArticleStatus.PUBLISHED, "withdraw", "withdrawal_reason_required"),
                          (ArticleStatus.REVIEW, "return", "note_required")])
def test_a_withdrawal_or_return_without_reason_is_refused(state, action, code):
    with pytest.raises(ValidationFailed) as refused:
        wf.ARTICLES.check(action, facts(state, note="  "))
    assert refused.value.code == code
