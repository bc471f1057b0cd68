"""检查比例 and 检查频次 of an implementation row act: the frequency is read into a period and a count (and existing
rows by the migration, the text kept), a task without strata starts from the row's ratio, and the due-for-a-check
list counts the checks of the current period — tested on the last day of a year and the first of the next."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.catalog.frequency import parse_frequency, parse_ratio, period_start
from jianguan.catalog.models import Implementation, ImplementationVersion
from jianguan.inspections import selectors
from jianguan.spotchecks import plans, task_setup
from jianguan.subjects.models import MarketEntity
from tests.catalog_fixtures import FOOD
from tests.library_fixtures import inspect
from tests.spotcheck_fixtures import WINDOW

pytestmark = pytest.mark.django_db
day = dt.date


@pytest.mark.parametrize(("text", "parsed"), [
    ("每年不少于1次", ("year", 1)), ("每年1次", ("year", 1)), ("每半年不少于 2 次", ("half_year", 2)),
    ("每季度至少两次", ("quarter", 2)), ("每月1次", ("month", 1)), ("每年不少于1次；风险等级高的增加频次", ("year", 1)),
    ("春秋季开学前后各1次", None), ("", None), ("每年0次", None), ("不定期", None)])
def test_the_frequency_is_read_from_the_published_text(text, parsed):
    assert parse_frequency(text) == parsed


@pytest.mark.parametrize(("text", "ratio"), [("5%", Decimal("0.05")), ("3％", Decimal("0.03")),
                                             ("0.1", Decimal("0.1")), ("150%", None), ("0", None), ("多数", None)])
def test_the_ratio_is_read_from_the_published_text(text, ratio):
    assert parse_ratio(text) == ratio


def test_periods_start_on_their_calendar_boundary():
    assert period_start("year", day(2026, 12, 31)) == day(2026, 1, 1)
    assert period_start("half_year", day(2026, 6, 30)) == day(2026, 1, 1)
    assert period_start("half_year", day(2026, 7, 1)) == day(2026, 7, 1)
    assert period_start("quarter", day(2026, 3, 31)) == day(2026, 1, 1)
    assert period_start("quarter", day(2026, 4, 1)) == day(2026, 4, 1)
    assert period_start("month", day(2026, 2, 28)) == day(2026, 2, 1)


def test_published_rows_carry_the_structure_and_the_migration_reads_existing_ones(small_catalog):
    row = ImplementationVersion.objects.filter(implementation__item__code=FOOD).first()
    assert (row.check_frequency, row.frequency_period, row.frequency_min_times) == ("每年1次", "year", 1)
    ImplementationVersion.objects.filter(pk=row.pk).update(frequency_period="", frequency_min_times=None)
    migration = importlib.import_module("jianguan.catalog.migrations.0002_implementation_frequency")
    migration.parse_published(apps, None)
    row.refresh_from_db()
    assert (row.check_frequency, row.frequency_period, row.frequency_min_times) == ("每年1次", "year", 1)


def test_a_task_without_strata_starts_from_the_rows_ratio(small_catalog, persona):
    admin = persona("scjg_admin")
    plan = plans.plan_create(actor=admin, year=2025, title="2025年度计划")
    city = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")
    code = Implementation.objects.get(item__code=FOOD, body=city).code
    task = task_setup.task_create(actor=admin, plan_id=plan.pk, name="按清单比例", items=[code],
                                  window_start=WINDOW[0], window_end=WINDOW[1])
    assert task.strata == {"ALL": {"ratio": "0.05"}}  # the row publishes 5%
    chosen = task_setup.task_create(actor=admin, plan_id=plan.pk, name="自定比例", items=[code],
                                    window_start=WINDOW[0], window_end=WINDOW[1], strata={"A": {"ratio": "0.05"}})
    assert chosen.strata == {"A": {"ratio": "0.05"}, "AC": {"ratio": "0.01"}}  # the policy's control sample added


def test_entities_due_by_the_rows_frequency_on_both_sides_of_the_year(enforcement_items, persona, client, outsider):
    """每年1次: checked on 31 December 2025, an entity is not due that day and is due on 1 January 2026; one checked
    on 1 January 2026 is not due then."""
    first, second = MarketEntity.objects.filter(region__path__contains="/421202/").order_by("uscc")[1:3]
    inspect(first, number="JC-F-1", day=day(2025, 12, 31))
    inspect(second, number="JC-F-2", day=day(2025, 6, 1))
    inspect(second, number="JC-F-3", day=day(2026, 1, 1))
    officer = persona("scjg_officer")

    def due_on(today):
        return {row["entity_id"] for row in selectors.due_list(reader=officer, today=today)}

    assert first.pk not in due_on(day(2025, 12, 31)) and second.pk not in due_on(day(2025, 12, 31))
    assert first.pk in due_on(day(2026, 1, 1)) and second.pk not in due_on(day(2026, 1, 1))
    assert first.pk in due_on(day(2026, 12, 7))
    assert not selectors.due_list(reader=outsider, today=day(2026, 1, 1))  # another line, another county
    client.force_login(officer)
    assert "应检未检（按检查频次）" in client.get("/").content.decode()
    page = client.get("/inspections/due/").content.decode()
    assert first.uscc in page and second.uscc not in page  # today (December 2026) second has its 2026 check
