"""Writes of articles: drafts of the department's authors, each step recorded with its history and audit event,
wrong personas refused with nothing written, bad input refused with the rule named, images checked by their
content with alt text required, the 曝光台 from a closed case only, text never stored or shown as HTML."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings

from jianguan.articles import exposure, images, services
from jianguan.articles.models import Article, ArticleImage, ArticleStatus, ArticleStep
from jianguan.audit.models import AuditEvent
from jianguan.core.errors import AccessDenied, InvalidTransition, NotFound, ValidationFailed
from jianguan.disclosure import services as disclosure
from tests.articles.world import TEXTS, closed_case, decision_item, draft, exposed_case, png, published
from tests.enforcement_fixtures import decided

pytestmark = pytest.mark.django_db


def _nothing_written(call, error, code: str):
    counts = (Article.objects.count(), ArticleStep.objects.count(), ArticleImage.objects.count(),
              AuditEvent.objects.count())
    with pytest.raises(error) as refused:
        call()
    assert refused.value.code == code
    assert counts == (Article.objects.count(), ArticleStep.objects.count(), ArticleImage.objects.count(),
                      AuditEvent.objects.count())
    return refused.value


def test_an_article_is_written_reviewed_published_and_withdrawn_with_its_history(author, publisher):
    article = published(author, publisher)
    assert article.status == ArticleStatus.PUBLISHED and article.published_at and article.reviewed_by == publisher
    article = services.article_transition(article_id=article.pk, action="withdraw", note="信息有误", actor=publisher)
    assert article.status == ArticleStatus.WITHDRAWN and article.withdrawal_reason == "信息有误"
    assert [s.action for s in article.steps.order_by("pk")] == ["create", "submit", "publish", "withdraw"]
    verbs = list(AuditEvent.objects.filter(verb__startswith="articles.").order_by("seq").values_list("verb", flat=True))
    assert verbs == ["articles.article_created", "articles.article_submit", "articles.article_publish",
                     "articles.article_withdraw"]


def test_a_returned_article_goes_back_to_draft_with_the_note_and_can_be_edited(author, publisher):
    article = draft(author)
    services.article_transition(article_id=article.pk, action="submit", actor=author)
    with pytest.raises(ValidationFailed):  # not editable while under review
        services.article_update(article_id=article.pk, values=TEXTS, actor=author)
    article = services.article_transition(article_id=article.pk, action="return", note="请补充数量", actor=publisher)
    assert article.status == ArticleStatus.DRAFT and article.return_note == "请补充数量"
    edited = services.article_update(article_id=article.pk, values={**TEXTS, "title": "新标题"}, actor=author)
    assert edited.title == "新标题"


def test_publishing_before_review_is_refused_naming_the_rule(author, publisher):
    article = draft(author)
    refusal = _nothing_written(lambda: services.article_transition(article_id=article.pk, action="publish",
                                                                   actor=publisher), InvalidTransition,
                               "invalid_transition")
    assert refusal.extra["rule"] == "review_required"


def test_a_withdrawal_without_reason_is_refused(author, publisher):
    article = published(author, publisher)
    refusal = _nothing_written(lambda: services.article_transition(article_id=article.pk, action="withdraw", note=" ",
                                                                   actor=publisher), ValidationFailed,
                               "withdrawal_reason_required")
    assert refusal.field == "reason" and "撤回原因" in refusal.message


def test_the_author_cannot_publish_their_own_article_even_as_publisher(author, publisher):
    article = draft(author)
    services.article_transition(article_id=article.pk, action="submit", actor=author)
    publisher.role_grants.create(role="officer")
    own = draft(publisher)
    services.article_transition(article_id=own.pk, action="submit", actor=publisher)
    _nothing_written(lambda: services.article_transition(article_id=own.pk, action="publish", actor=publisher),
                     AccessDenied, "same_person")


@pytest.mark.parametrize("who", ["leader", "sthj_officer", "scjg_officer"])
def test_wrong_personas_are_refused_review_and_nothing_is_written(persona, author, who):
    article = draft(author)
    services.article_transition(article_id=article.pk, action="submit", actor=author)
    _nothing_written(lambda: services.article_transition(article_id=article.pk, action="publish",
                                                         actor=persona(who)), AccessDenied,
                     "not_department_publisher")


@pytest.mark.parametrize("who", ["leader", "scjg_publisher", "scjg_head"])
def test_only_officers_and_admins_write(persona, who):
    _nothing_written(lambda: services.article_create(actor=persona(who), values=TEXTS), AccessDenied,
                     "not_department_author")


def test_an_officer_of_another_department_cannot_edit(persona, author):
    article = draft(author)
    other = persona("sthj_officer")
    _nothing_written(lambda: services.article_update(article_id=article.pk, values=TEXTS, actor=other),
                     AccessDenied, "not_department_author")


@pytest.mark.parametrize(("values", "code", "field"), [({"kind": "exposure"}, "exposure_from_case", "kind"),
                                                       ({"kind": "blog"}, "choice_invalid", "kind"),
                                                       ({"title": ""}, "required", "title"),
                                                       ({"body": "长" * 20001}, "too_long", "body")])
def test_bad_input_is_refused_naming_the_field(author, values, code, field):
    refusal = _nothing_written(lambda: services.article_create(actor=author, values={**TEXTS, **values}),
                               ValidationFailed, code)
    assert refusal.field == field


# Images ----------------------------------------------------------------------------------------------------------

def test_an_image_is_kept_with_its_type_read_from_the_content(author):
    article = draft(author)
    image = images.image_add(article_id=article.pk, data=png((8, 5), "JPEG"), alt="检查现场", actor=author)
    assert (image.content_type, image.width, image.height, image.alt) == ("image/jpeg", 8, 5, "检查现场")


def test_an_image_without_alt_text_is_refused(author):
    article = draft(author)
    refusal = _nothing_written(lambda: images.image_add(article_id=article.pk, data=png(), alt="  ", actor=author),
                               ValidationFailed, "alt_required")
    assert refusal.field == "alt" and "替代文本" in refusal.message


@pytest.mark.parametrize("data", [b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
                                  b"GIF89a<script>alert(1)</script>", b"\x89PNG\r\n\x1a\n" + b"\0" * 40])
def test_what_is_not_an_allowed_image_is_refused_whatever_it_claims(author, data):
    article = draft(author)
    _nothing_written(lambda: images.image_add(article_id=article.pk, data=data, alt="图", actor=author),
                     ValidationFailed, "image_type_not_allowed")


@override_settings(JIANGUAN_ARTICLE_IMAGE_MAX_BYTES=1024)
def test_an_image_over_the_limit_is_refused(author):
    article = draft(author)
    big = io.BytesIO()
    from PIL import Image

    Image.effect_noise((64, 64), 100).save(big, "PNG")
    _nothing_written(lambda: images.image_add(article_id=article.pk, data=big.getvalue(), alt="图", actor=author),
                     ValidationFailed, "file_too_large")


def test_images_are_added_to_drafts_only(author, publisher):
    article = published(author, publisher)
    _nothing_written(lambda: images.image_add(article_id=article.pk, data=png(), alt="图", actor=author),
                     ValidationFailed, "not_a_draft")


# 曝光台 ----------------------------------------------------------------------------------------------------------

def test_an_exposure_is_made_from_a_closed_case_with_its_published_decision(world, publisher):
    case = exposed_case(world, publisher)
    item = decision_item(case)
    article = exposure.exposure_from_case(case_number=case.number, actor=world.officer)
    assert (article.kind, article.case_number, article.decision_number) == ("exposure", case.number,
                                                                            case.decision_number)
    assert article.party_name == case.party_name and case.decision_number in article.body
    assert "5000.00" in article.penalty and article.decided_on == case.decided_on
    assert article.disclosure_number == item.number
    assert exposure.public_decision_url(article.disclosure_number) == f"/public/disclosure/{item.number}/"


def test_an_exposure_is_written_from_the_redacted_copy_never_the_original(world, publisher):
    facts = "当事人销售超过保质期的食品 12 袋，举报人联系电话 13812345678，身份证号 110101199003070011"
    case = exposed_case(world, publisher, facts=facts)
    item = decision_item(case)
    assert item.fields["facts"] == facts and item.redacted["facts"] != facts
    article = exposure.exposure_from_case(case_number=case.number, actor=world.officer)
    assert item.redacted["facts"] in article.body
    assert "13812345678" not in article.body and "110101199003070011" not in article.body


def test_an_exposure_from_a_decision_not_published_is_refused_naming_the_rule(world, publisher):
    case = closed_case(world)
    item = decision_item(case)
    refusal = _nothing_written(lambda: exposure.exposure_from_case(case_number=case.number, actor=world.officer),
                               ValidationFailed, "decision_not_published")
    assert refusal.field == "case_number" and "118号" in refusal.message
    disclosure.item_transition(item_id=item.pk, action="prepare", values={}, actor=world.officer)
    _nothing_written(lambda: exposure.exposure_from_case(case_number=case.number, actor=world.officer),
                     ValidationFailed, "decision_not_published")
    disclosure.item_transition(item_id=item.pk, action="publish", values={}, actor=publisher)
    disclosure.item_transition(item_id=item.pk, action="withdraw", values={"reason": "决定被撤销"}, actor=publisher)
    _nothing_written(lambda: exposure.exposure_from_case(case_number=case.number, actor=world.officer),
                     ValidationFailed, "decision_not_published")


def test_an_exposure_from_an_open_case_is_refused(world):
    case = decided(world)
    refusal = _nothing_written(lambda: exposure.exposure_from_case(case_number=case.number, actor=world.officer),
                               ValidationFailed, "case_not_closed")
    assert refusal.field == "case_number"


def test_an_exposure_from_a_case_out_of_scope_is_unknown(world, outsider, persona):
    case = exposed_case(world, persona("scjg_publisher"))
    with pytest.raises(NotFound):
        exposure.exposure_from_case(case_number=case.number, actor=outsider)
    _nothing_written(lambda: exposure.exposure_from_case(case_number=case.number, actor=persona("scjg_publisher")),
                     AccessDenied, "not_department_author")


# Text is never HTML --------------------------------------------------------------------------------------------

def test_markup_in_an_article_is_kept_as_text_and_shown_escaped(client, author, publisher):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    article = published(author, publisher, title=evil, summary=evil, body=evil)
    page = client.get(f"/public/article/{article.pk}/").content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    listing = client.get("/public/articles/news/").content.decode()
    assert "<script>alert" not in listing and "&lt;script&gt;" in listing
