"""Classification runs: features by grouped queries equal the record-by-record reference, runs record what they
used, scorecards and runs refused on monotonicity, publication by the head only, the run in force read through
the contracts, and every write audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.audit.models import AuditEvent
from jianguan.complaints.models import Complaint
from jianguan.core.errors import AccessDenied, InvalidTransition, ValidationFailed
from jianguan.credit import classification, contracts, features
from jianguan.credit.models import ClassificationRun, CreditKind, EntityClass, RunStatus, Scorecard
from jianguan.subjects.models import Licence, MarketEntity, RegistrationEvent
from tests.credit.world import SYSTEM, TODAY, city, coercion, credit, entities, inspection, penalty, write_card

pytestmark = pytest.mark.django_db


def _varied_world() -> None:
    """One record of every kind the features read, some outside their windows or withdrawn."""
    a, b, c, d, e = entities(5, offset=100)
    inspection(a), inspection(a, day=dt.date(2023, 1, 5)), inspection(a, problem=False)
    penalty(b, closed=False), penalty(b, day=dt.date(2022, 1, 1))
    withdrawn = penalty(c)
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save()
    coercion(c)
    credit(d, CreditKind.ABNORMAL), credit(d, CreditKind.ABNORMAL, day=dt.date(2020, 1, 1), ends_on=dt.date(2021, 1, 1))
    credit(d, CreditKind.SAMPLING, title="食品安全监督抽检不合格"), credit(d, CreditKind.SAMPLING, title="合格")
    credit(e, CreditKind.JUDGMENT), credit(e, CreditKind.DISHONEST_DEBTOR), credit(e, CreditKind.SERIOUS)
    credit(e, CreditKind.ABNORMAL, day=TODAY + dt.timedelta(days=3))  # after the day read as of
    RegistrationEvent.objects.create(entity=a, kind="changed", date=dt.date(2026, 5, 1))
    Licence.objects.create(entity=b, licence_type="食品经营许可证", number="JY1", issued_by="局",
                           valid_from=dt.date(2025, 1, 1))
    Complaint.objects.create(number="TS1", kind="complaint", channel="web", received_at=timezone.now()
                             - dt.timedelta(days=30), entity=c, subject_name=c.name, region_id=c.region_id,
                             category="food", content="投诉", department=city())
    twin = MarketEntity.objects.exclude(pk=d.pk).filter(region_id=d.region_id).first()
    MarketEntity.objects.filter(pk=twin.pk).update(legal_representative=d.legal_representative)


def test_the_grouped_queries_give_every_entity_the_values_of_the_record_by_record_reference(today):
    _varied_world()
    seen = 0
    for chunk in features.chunks(as_of=TODAY, size=97):
        for pk, values, problem in chunk:
            assert (values, problem) == features.entity_values(pk, as_of=TODAY), pk
            seen += 1
    assert seen == MarketEntity.objects.count()
    a, b, c, d, e = entities(5, offset=100)
    a_values, a_problem = features.entity_values(a.pk, as_of=TODAY)
    assert a_values[features.index("inspection_problems_2y")] == 1 and a_problem
    assert features.entity_values(b.pk, as_of=TODAY)[0][features.index("unperformed_penalties")] == 1
    c_values = features.entity_values(c.pk, as_of=TODAY)[0]
    assert (c_values[features.index("penalties_3y")], c_values[features.index("complaints_1y")]) == (0, 1)
    d_values = features.entity_values(d.pk, as_of=TODAY)[0]
    assert (d_values[features.index("abnormal_listed")], d_values[features.index("sampling_failed_3y")]) == (1, 1)
    e_values = features.entity_values(e.pk, as_of=TODAY)[0]
    assert e_values[features.index("abnormal_listed")] == 0  # listed after the day read as of
    twin = MarketEntity.objects.get(legal_representative=d.legal_representative, region_id=d.region_id,
                                    pk__in=[m.pk for m in MarketEntity.objects.exclude(pk=d.pk)])
    assert features.entity_values(twin.pk, as_of=TODAY)[0][features.index("related_listed")] == 1
    assert d_values[features.index("related_listed")] == 0  # itself not counted


def test_a_run_classifies_every_entity_and_records_what_it_used(published, risky):
    run = published
    assert run.status == RunStatus.PUBLISHED and run.entities == MarketEntity.objects.count()
    assert EntityClass.objects.filter(run_id=run.pk).count() == run.entities
    assert str(run.scorecard) == "credit-risk-2026.1" and run.snapshot_at is not None and run.as_of == TODAY
    assert sum(run.shares.values()) == run.entities and set(run.shares) == {"A", "B", "C", "D"}
    serious = contracts.entity_class(risky[45].uscc)
    assert serious.risk_class == "D" and serious.forced and serious.reasons[0].code == "O01"
    assert serious.reasons[0].title == "列入严重违法失信名单"
    abnormal = contracts.entity_class(risky[40].uscc)
    assert abnormal.risk_class in ("C", "D") and abnormal.reasons[0].code == "O02"
    unperformed = contracts.entity_class(risky[0].uscc)
    assert unperformed.risk_class in ("C", "D") and "O03" in [r.code for r in unperformed.reasons]
    clean = MarketEntity.objects.exclude(pk__in=[e.pk for e in risky]).order_by("pk").first()
    assert contracts.entity_class(clean.uscc).risk_class in ("A", "B")
    many = contracts.classes_of([risky[45].pk, clean.pk])
    assert many[risky[45].pk].risk_class == "D" and set(many) == {risky[45].pk, clean.pk}
    assert MarketEntity.objects.get(pk=risky[45].pk).risk_class == "D"  # the strata's copy follows


def test_a_month_is_classified_as_of_its_last_day(risky, head):
    classification.scorecard_publish(name="credit-risk", version="2026.1", actor=head)
    run = classification.run_start(actor=SYSTEM, month="2026-10")
    assert (run.month, run.as_of) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    for bad, code in (("2026-13", "month_invalid"), ("2027-01", "month_in_future")):
        with pytest.raises(ValidationFailed) as refused:
            classification.run_start(actor=SYSTEM, month=bad)
        assert refused.value.code == code


def test_no_run_without_a_published_scorecard(db):
    with pytest.raises(ValidationFailed) as refused:
        classification.run_start(actor=SYSTEM)
    assert refused.value.code == "scorecard_missing"


def test_a_scorecard_whose_points_run_against_the_problem_rate_is_refused_naming_indicator_and_bins(
        risky, head, card_folder):
    name, version = write_card(card_folder, indicator=("inspection_problems", {"bins": [
        {"below": 1, "points": 15, "label": "无问题"}, {"below": None, "points": 0, "label": "有问题"}]}))
    with pytest.raises(ValidationFailed) as refused:
        classification.scorecard_publish(name=name, version=version, actor=head)
    assert refused.value.code == "monotonicity_violated"
    assert "inspection_problems" in refused.value.message and "无问题" in refused.value.message
    assert not Scorecard.objects.filter(version=version).exists()
    assert classification.scorecard_publish(name="credit-risk", version="2026.1", actor=head).sha256


def test_a_run_whose_outcomes_break_monotonicity_is_flagged_and_cannot_be_published(head, card_folder, today):
    name, version = write_card(card_folder, indicator=("inspection_problems", {"bins": [
        {"below": 1, "points": 15, "label": "无问题"}, {"below": None, "points": 0, "label": "有问题"}]}))
    classification.scorecard_publish(name=name, version=version, actor=head)  # no outcomes yet: nothing to see
    for entity in entities(40):
        inspection(entity)
    run = classification.run_start(actor=SYSTEM)
    done = classification.run_execute(run_id=run.pk, actor=SYSTEM)
    assert done.status == RunStatus.DRAFT and done.flagged
    problem = done.violations[0]
    assert (problem["indicator"], problem["lower"], problem["higher"]) == ("inspection_problems", "有问题", "无问题")
    with pytest.raises(ValidationFailed) as refused:
        classification.run_publish(run_id=run.pk, actor=head)
    assert refused.value.code == "monotonicity_violated"
    assert ClassificationRun.objects.get(pk=run.pk).status == RunStatus.DRAFT


def test_only_the_head_of_the_city_market_regulator_publishes(risky, head, persona):
    for username in ("dataadmin", "scjg_officer", "leader"):
        with pytest.raises(AccessDenied):
            classification.scorecard_publish(name="credit-risk", version="2026.1", actor=persona(username))
    classification.scorecard_publish(name="credit-risk", version="2026.1", actor=head)
    run = classification.run_start(actor=persona("dataadmin"))
    classification.run_execute(run_id=run.pk, actor=SYSTEM)
    for actor in (persona("dataadmin"), SYSTEM):
        with pytest.raises(AccessDenied):
            classification.run_publish(run_id=run.pk, actor=actor)
    with pytest.raises(AccessDenied):  # computing is the system's step
        classification.run_execute(run_id=classification.run_start(actor=SYSTEM).pk, actor=head)


def test_a_newer_publication_supersedes_the_older_and_is_what_others_read(published, risky, head):
    penalty(risky[45], closed=False)
    second = classification.run_start(actor=SYSTEM)
    classification.run_execute(run_id=second.pk, actor=SYSTEM)
    assert contracts.entity_class(risky[45].uscc).run_number == published.number  # a draft is not read
    classification.run_publish(run_id=second.pk, actor=head)
    assert ClassificationRun.objects.get(pk=published.pk).status == RunStatus.SUPERSEDED
    assert contracts.entity_class(risky[45].uscc).run_number == second.number
    with pytest.raises(InvalidTransition):  # published once
        classification.run_publish(run_id=second.pk, actor=head)


def test_every_write_is_audited(published):
    verbs = set(AuditEvent.objects.filter(verb__startswith="credit.").values_list("verb", flat=True))
    assert {"credit.scorecard_published", "credit.classification_started", "credit.classification_start",
            "credit.classification_finish", "credit.classification_publish"} <= verbs


def test_a_failing_run_is_marked_failed_and_writes_no_classes(risky, head, monkeypatch):
    classification.scorecard_publish(name="credit-risk", version="2026.1", actor=head)
    run = classification.run_start(actor=SYSTEM)

    def broken(**_):
        raise RuntimeError("数据库断开")
        yield

    monkeypatch.setattr(features, "chunks", broken)
    with pytest.raises(RuntimeError):
        classification.run_execute(run_id=run.pk, actor=SYSTEM)
    failed = ClassificationRun.objects.get(pk=run.pk)
    assert failed.status == RunStatus.FAILED and "数据库断开" in failed.error
    assert not EntityClass.objects.filter(run_id=run.pk).exists()
