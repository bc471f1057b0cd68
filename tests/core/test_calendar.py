import datetime as dt

import pytest

from jianguan.core.calendar import add_working_days, is_working_day, unknown_years
from jianguan.core.models import CalendarDay

pytestmark = pytest.mark.django_db


def test_national_day_week_is_skipped():
    # 2025: 1–8 October off; Sunday 28 September and Saturday 11 October are working days (调休).
    assert not is_working_day(dt.date(2025, 10, 3))
    assert is_working_day(dt.date(2025, 9, 28))
    assert is_working_day(dt.date(2025, 10, 11))
    # A clue received on 30 September: the 5th working day after it is 14 October (9, 10, 11, 13, 14).
    assert add_working_days(dt.date(2025, 9, 30), 1) == dt.date(2025, 10, 9)
    assert add_working_days(dt.date(2025, 9, 30), 5) == dt.date(2025, 10, 14)


def test_an_unknown_year_counts_the_ordinary_week_and_is_reported():
    """Holidays only lengthen periods: without them a deadline is never later than the lawful one."""
    assert is_working_day(dt.date(2031, 3, 3)) and not is_working_day(dt.date(2031, 3, 2))
    assert 2031 in unknown_years(start=dt.date(2030, 12, 1))
    assert unknown_years(start=dt.date(2025, 1, 1)) == []


def test_administrator_dates_extend_the_calendar():
    CalendarDay.objects.create(date=dt.date(2031, 1, 1), is_working_day=False, name="元旦")
    CalendarDay.objects.create(date=dt.date(2031, 1, 4), is_working_day=True, name="调休上班")  # a Saturday
    assert not is_working_day(dt.date(2031, 1, 1))
    assert is_working_day(dt.date(2031, 1, 4))
    assert is_working_day(dt.date(2031, 1, 6))
    assert not is_working_day(dt.date(2031, 1, 5))  # an ordinary Sunday


def test_override_wins_over_the_package():
    CalendarDay.objects.create(date=dt.date(2025, 10, 3), is_working_day=True, name="测试")
    assert is_working_day(dt.date(2025, 10, 3))


def test_administrators_are_reminded_of_unconfigured_years(signed_in, persona, settings):
    import datetime as dt_module
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=dt_module.date(2030, 12, 1)):
        page = signed_in(persona("admin")).get("/").content.decode()
    assert "节假日安排未配置" in page and "2031" in page
    with mock.patch("django.utils.timezone.localdate", return_value=dt_module.date(2030, 12, 1)):
        assert "节假日安排未配置" not in signed_in(persona("scjg_officer")).get("/").content.decode()
