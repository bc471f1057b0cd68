"""Disclosure items made by the sweep from the behaviour library, their clocks and the rules that withhold them,
release after review, withdrawal with a reason, and the ends of publication."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.audit.models import AuditEvent
from jianguan.behaviour.models import Penalty
from jianguan.core.calendar import add_working_days
from jianguan.core.errors import AccessDenied, InvalidTransition, ValidationFailed
from jianguan.disclosure import rules, selectors, services, sweep
from jianguan.disclosure.models import DisclosureItem, DisclosureStep, ItemStatus, SourceKind
from tests.disclosure.world import coercion, entity, fine, inspection, item_of, minor_person, other_line, published

pytestmark = pytest.mark.django_db


def _untouched(item: DisclosureItem) -> tuple:
    return (DisclosureItem.objects.get(pk=item.pk).status, DisclosureStep.objects.filter(item=item).count(),
            AuditEvent.objects.count())


def test_the_sweep_makes_one_item_per_decision_with_its_clock_and_makes_nothing_twice(clock):
    day = dt.date(2026, 11, 2)
    rows = {SourceKind.PENALTY: fine(entity(), day=day), SourceKind.INSPECTION: inspection(entity(1), day=day),
            SourceKind.COERCION: coercion(entity(2), day=day)}
    sweep.sweep()
    items = {kind: DisclosureItem.objects.get(source_kind=kind, source_id=row.pk) for kind, row in rows.items()}
    assert items[SourceKind.PENALTY].clock_days == 7 and items[SourceKind.INSPECTION].clock_days == 20
    assert items[SourceKind.COERCION].due_on == add_working_days(day, 20)
    assert items[SourceKind.PENALTY].due_on == add_working_days(day, 7)
    assert "国办发〔2018〕118号" in items[SourceKind.PENALTY].clock_basis
    assert items[SourceKind.PENALTY].fields["fine"] == "5.000000"  # 万元, 6 decimals
    before = DisclosureItem.objects.count()
    assert sweep.sweep().made == 0 and DisclosureItem.objects.count() == before


def test_the_due_day_itself_is_in_time_and_the_day_after_is_overdue(clock, persona):
    item = item_of(fine(entity(), day=dt.date(2025, 9, 30)))
    # National Day 2025: 1–8 October off, Saturday 11 October worked; 7 working days end on 16 October.
    assert item.due_on == dt.date(2025, 10, 16)
    clock.day = item.due_on
    reader = persona("scjg_officer")
    assert not selectors.item_list(reader=reader, overdue=True, today=clock.day).filter(pk=item.pk).exists()
    clock.day = item.due_on + dt.timedelta(days=1)
    assert selectors.item_list(reader=reader, overdue=True, today=clock.day).filter(pk=item.pk).exists()
    assert selectors.item_counts(reader=reader, today=clock.day)["publish_overdue"] >= 1


def test_a_year_the_holiday_package_does_not_know_counts_the_ordinary_week(clock):
    clock.day = dt.date(2031, 3, 20)
    item = item_of(fine(entity(), day=dt.date(2031, 3, 3)))  # a Monday
    assert item.due_on == dt.date(2031, 3, 12)  # 4, 5, 6, 7, 10, 11, 12 March


def test_a_samr_warning_or_simple_procedure_is_withheld_with_its_rule_others_are_not(clock):
    day = dt.date(2026, 11, 2)
    simple = item_of(fine(entity(), day=day, procedure="01"))
    warning = item_of(fine(entity(1), day=day, penalty_kinds=["01"], fine=None))
    other = item_of(fine(entity(2), day=day, penalty_kinds=["01"], fine=None, department=other_line()))
    assert (simple.status, simple.withheld_rule) == (ItemStatus.WITHHELD, "simple_procedure")
    assert (warning.status, warning.withheld_rule) == (ItemStatus.WITHHELD, "warning_only")
    assert "第45号" in simple.withheld_basis and "第七条" in warning.withheld_basis
    assert other.status == ItemStatus.PENDING and other.withheld_rule == ""


def test_a_minor_party_is_withheld_and_an_adult_on_the_eighteenth_birthday_is_not(clock):
    day = dt.date(2026, 11, 2)
    young = fine(entity(), day=day, person=minor_person(dt.date(2008, 11, 3), "421202"), party_nature="person")
    adult = fine(entity(1), day=day, person=minor_person(dt.date(2008, 11, 2), "421202"), party_nature="person")
    assert (item_of(young).status, item_of(young).withheld_rule) == (ItemStatus.WITHHELD, "minor")
    assert item_of(adult).status == ItemStatus.PENDING
    assert rules.is_minor("421202200811021234", dt.date(2026, 11, 1))
    assert not rules.is_minor("421202200811021234", dt.date(2026, 11, 2))


def test_an_item_is_released_only_after_review_by_another_person(clock, persona):
    officer, publisher = persona("scjg_officer"), persona("scjg_publisher")
    item = item_of(fine(entity(), day=dt.date(2026, 11, 30)))
    before = _untouched(item)
    with pytest.raises(InvalidTransition) as refused:
        services.item_transition(item_id=item.pk, action="publish", values={}, actor=publisher)
    assert refused.value.code == "not_reviewed" and _untouched(item) == before
    services.item_transition(item_id=item.pk, action="prepare", values={}, actor=officer)
    with pytest.raises(AccessDenied):
        services.item_transition(item_id=item.pk, action="publish", values={}, actor=officer)
    done = services.item_transition(item_id=item.pk, action="publish", values={}, actor=publisher)
    assert done.status == ItemStatus.PUBLISHED and done.published_on == clock.day and done.redacted == done.fields
    assert done.period_ends_on == dt.date(2029, 11, 30) and done.reviewed_by == publisher
    assert [s.action for s in done.steps.all()] == ["prepare", "publish"]


def test_the_period_is_three_months_for_a_low_fine_and_a_longer_restriction_its_own(clock, persona):
    officer, publisher = persona("scjg_officer"), persona("scjg_publisher")
    low = published(fine(entity(), day=dt.date(2026, 11, 2), amount="1000"), officer, publisher)
    assert low.period_ends_on == dt.date(2027, 2, 2) and "3 个月" in low.period_label
    long = published(fine(entity(1), day=dt.date(2026, 11, 2), penalty_kinds=["12"]), officer, publisher,
                     restriction_ends_on="2031-11-02")
    assert long.period_ends_on == dt.date(2031, 11, 2)


def test_a_withdrawal_needs_a_reason_and_runs_on_its_own_clock(clock, persona, settings):
    officer, publisher = persona("scjg_officer"), persona("scjg_publisher")
    item = published(fine(entity(), day=dt.date(2026, 11, 2)), officer, publisher)
    before = _untouched(item)
    with pytest.raises(ValidationFailed) as refused:
        services.item_transition(item_id=item.pk, action="withdraw", values={"reason": ""}, actor=publisher)
    assert refused.value.code == "reason_required" and _untouched(item) == before
    changed = dt.date(2026, 12, 1)
    done = services.item_transition(item_id=item.pk, action="withdraw", actor=publisher,
                                    values={"reason": "复议撤销", "changed_on": changed.isoformat()})
    assert done.status == ItemStatus.WITHDRAWN and done.withdraw_reason == "复议撤销"
    assert done.withdraw_due == add_working_days(changed, 3) == dt.date(2026, 12, 4)
    event = AuditEvent.objects.filter(verb="disclosure.item_withdraw").latest("id")
    assert event.payload["late"] is True  # today 7 December, after the due day
    settings.JIANGUAN_DISCLOSURE_WITHDRAW_WORKING_DAYS = 5
    assert rules.withdraw_due(changed) == dt.date(2026, 12, 8)


def test_a_revoked_decision_starts_the_withdrawal_clock_and_is_overdue_the_day_after(clock, persona):
    officer, publisher = persona("scjg_officer"), persona("scjg_publisher")
    row = fine(entity(), day=dt.date(2026, 11, 2))
    item = published(row, officer, publisher)
    Penalty.objects.filter(pk=row.pk).update(withdrawn_at=timezone.make_aware(dt.datetime(2026, 12, 7, 10)))
    assert sweep.sweep().changed == 1
    item.refresh_from_db()
    assert item.changed_on == dt.date(2026, 12, 7) and item.withdraw_due == dt.date(2026, 12, 10)
    clock.day = item.withdraw_due
    assert selectors.item_counts(reader=officer, today=clock.day)["withdraw_overdue"] == 0
    clock.day += dt.timedelta(days=1)
    assert selectors.item_counts(reader=officer, today=clock.day)["withdraw_overdue"] == 1


def test_the_last_day_of_the_period_is_still_published_and_the_day_after_ends_it(clock, persona):
    item = published(fine(entity(), day=dt.date(2026, 11, 2), amount="1000"), persona("scjg_officer"),
                     persona("scjg_publisher"))
    clock.day = item.period_ends_on
    sweep.sweep()
    assert DisclosureItem.objects.get(pk=item.pk).status == ItemStatus.PUBLISHED
    clock.day += dt.timedelta(days=1)
    assert sweep.sweep().expired == 1
    assert DisclosureItem.objects.get(pk=item.pk).status == ItemStatus.EXPIRED


def test_a_credit_repair_ends_the_publication_early(clock, persona):
    from jianguan.credit import repair
    from tests.credit.world import repair_application

    application = repair_application(entity(3))
    item = published(application.penalty, persona("scjg_officer"),
                     persona("scjg_publisher"))
    repair.repair_act(actor=persona("scjg_officer"), application_id=application.pk, action="accept")
    repair.repair_act(actor=persona("scjg_head"), application_id=application.pk, action="approve", reasons="已履行")
    assert sweep.sweep().ended == 1
    item.refresh_from_db()
    assert item.status == ItemStatus.ENDED and application.number in item.end_reason
