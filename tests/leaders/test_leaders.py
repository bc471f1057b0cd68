"""领导驾驶舱: the stored figures count the apps' records per county, department, month and key; the refresh is
refused to wrong personas with nothing written; the page shows a county's reader their county only, lets the city
pick a county, refuses officers and outsiders, and links each figure to the list behind it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum
from django.utils import timezone

from jianguan.accounts import services as accounts
from jianguan.accounts.models import Region
from jianguan.audit.models import AuditEvent
from jianguan.core.actors import SystemActor
from jianguan.core.errors import AccessDenied
from jianguan.core.months import month_days
from jianguan.core.registry import evaluation_measures
from jianguan.enforcement.models import Case
from jianguan.leaders import board, refresh
from jianguan.leaders.models import Figure, Refresh
from jianguan.subjects.models import MarketEntity
from tests.enforcement_fixtures import register, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

CITY, XIANAN = "421200", "421202"


def _sum(**lookups) -> int:
    return Figure.objects.filter(**lookups).aggregate(n=Sum("value"))["n"] or 0


def _subtree(code: str) -> list[str]:
    return Region.objects.get(code=code).subtree_codes()


@pytest.fixture
def county_leader(persona):
    """A read-only leader of 咸安区 (in the district's 市场监管局)."""
    return accounts.user_create(actor=SystemActor("test"), username="xa_leader", full_name="区领导",
                                department=persona("xa_scjg_officer").department, password_hash="!",
                                roles=["leader"])


def test_a_refresh_counts_each_app_s_records_per_county_department_month_and_key(world):
    register(world, received_on=timezone.localdate() - dt.timedelta(days=40))
    register(world, received_on=timezone.localdate())
    entity = MarketEntity.objects.filter(region_id__in=_subtree(XIANAN)).exclude(region_id=XIANAN).order_by("pk")[0]
    MarketEntity.objects.filter(pk=entity.pk).update(risk_class="D")
    done = refresh.figures_refresh(actor=SystemActor("test"))
    assert done.rows == Figure.objects.count() > 0
    # a township's entity counts under its county; the object library's figures belong to no department
    in_xianan = MarketEntity.objects.filter(region_id__in=_subtree(XIANAN))
    assert _sum(chart="credit", region_id=XIANAN, key="D") == in_xianan.filter(risk_class="D").count() >= 1
    assert _sum(chart="entities", region_id=XIANAN) == in_xianan.count()
    assert not Figure.objects.filter(chart="entities", department__isnull=False).exists()
    assert _sum(chart="entities") == MarketEntity.objects.count()
    # cases by the month they were received, per department and status
    first = month_days(done.first_month)[0]
    cases = Case.objects.filter(received_on__range=(first, timezone.localdate()))
    assert _sum(chart="cases") == cases.count() > 0
    case = cases.order_by("pk")[0]
    month = case.received_on.strftime("%Y-%m")
    assert _sum(chart="cases", department_id=case.department_id, month=month, key=case.status) == cases.filter(
        department_id=case.department_id, status=case.status, received_on__year=case.received_on.year,
        received_on__month=case.received_on.month).count()
    # overdue items: what each measure found due and not done in time, per month
    for code, measure in evaluation_measures().items():
        start, end = month_days(done.last_month)
        late = sum(due - on for on, due in measure.count(start, end).values())
        assert _sum(chart="overdue", key=code, month=done.last_month) == late
    assert AuditEvent.objects.filter(verb="leaders.refreshed").exists()


def test_a_second_refresh_replaces_the_figures():
    refreshes = Refresh.objects.count()
    refresh.figures_refresh(actor=SystemActor("test"))
    before = Figure.objects.count()
    MarketEntity.objects.filter(pk=MarketEntity.objects.order_by("pk")[0].pk).update(status="revoked")
    refresh.figures_refresh(actor=SystemActor("test"))
    assert Figure.objects.count() in (before, before + 1) and Refresh.objects.count() == refreshes + 2
    assert _sum(chart="entities") == MarketEntity.objects.count()


def test_an_officer_may_not_refresh_and_nothing_is_written(persona):
    Figure.objects.all().delete()
    refreshes = Refresh.objects.count()
    with pytest.raises(AccessDenied):
        refresh.figures_refresh(actor=persona("scjg_officer"))
    assert Refresh.objects.count() == refreshes and not Figure.objects.exists()


def _totals(charts) -> dict[str, int]:
    return {c.code: c.total for c in charts}


def test_a_county_reader_sees_their_county_and_the_city_sees_all_or_picks_one(persona, county_leader):
    refresh.figures_refresh(actor=SystemActor("test"))
    city = persona("leader")
    assert [c.code for c in board.counties(county_leader)] == [XIANAN]
    assert len(board.counties(city)) > 1
    county_totals = _totals(board.charts(county_leader))
    assert county_totals["entities"] == _sum(chart="entities", region_id=XIANAN)
    assert _totals(board.charts(city, XIANAN))["entities"] == county_totals["entities"]
    assert _totals(board.charts(city))["entities"] == MarketEntity.objects.count() > county_totals["entities"]
    # a county the reader does not hold shows nothing of it
    other = next(c.code for c in board.counties(city) if c.code != XIANAN)
    assert _totals(board.charts(county_leader, other))["entities"] == 0


def test_a_department_s_reader_sees_only_their_departments_figures(persona, outsider):
    refresh.figures_refresh(actor=SystemActor("test"))
    Figure.objects.create(chart="cases", region_id=CITY, department_id=outsider.department_id, month="", key="x",
                          value=7)
    head = persona("scjg_head")
    Figure.objects.create(chart="cases", region_id=CITY, department_id=head.department_id, month="", key="y",
                          value=3)
    assert outsider.department_id not in head.scope.department_ids
    mine = board.figures(head).exclude(department__isnull=True)
    assert mine.filter(key="y").exists()
    assert set(mine.values_list("department_id", flat=True)) <= head.scope.department_ids
    assert board.figures(persona("leader")).filter(key="x").exists()


def test_the_page_shows_every_chart_with_the_lists_behind_it(persona, signed_in, county_leader):
    refresh.figures_refresh(actor=SystemActor("test"))
    page = signed_in(persona("leader")).get("/leaders/")
    assert page.status_code == 200
    text = page.content.decode()
    for code in ("entities", "inspections", "cases", "alerts", "credit", "spotchecks", "overdue", "ranking"):
        assert f'data-testid="chart-{code}"' in text
    assert "/subjects/?risk_class=" in text and "leaders/vendor/echarts.min.js" in text
    assert 'id="county"' in text
    picked = signed_in(persona("leader")).get(f"/leaders/?county={XIANAN}&screen=1").content.decode()
    assert "咸安区" in picked and "screen" in picked
    own = signed_in(county_leader).get("/leaders/").content.decode()
    assert "咸安区" in own and 'id="county"' not in own


@pytest.mark.parametrize("username", ["scjg_officer", "xa_scjg_officer", "zrzy_421221_01"])
def test_officers_and_outsiders_are_refused_the_dashboard(persona, signed_in, username):
    assert signed_in(persona(username)).get("/leaders/").status_code == 403


def test_only_a_data_administrator_asks_for_a_refresh(persona, signed_in):
    refreshes = Refresh.objects.count()
    assert signed_in(persona("leader")).post("/leaders/refresh/").status_code == 403
    assert Refresh.objects.count() == refreshes
    assert signed_in(persona("dataadmin")).post("/leaders/refresh/").status_code == 302
    assert Refresh.objects.count() == refreshes + 1


def test_the_next_hourly_run_is_at_a_quarter_past():
    from jianguan.leaders.tasks import next_run

    now = timezone.make_aware(dt.datetime(2026, 3, 1, 10, 20))
    assert timezone.localtime(next_run(now)).strftime("%H:%M") == "11:15"
    assert timezone.localtime(next_run(now.replace(minute=5))).strftime("%H:%M") == "10:15"


def test_a_month_s_cases_figure_opens_that_month_s_cases(world, persona, signed_in):
    today = timezone.localdate()
    old = register(world, received_on=today.replace(day=1) - dt.timedelta(days=20))
    new = register(world, received_on=today)
    refresh.figures_refresh(actor=SystemActor("test"))
    chart = next(c for c in board.charts(persona("leader")) if c.code == "cases")
    month = today.strftime("%Y-%m")
    series = next(s for s in chart.series if s["name"] == new.get_status_display())
    link = series["links"][chart.categories.index(month)]
    assert f"month={month}" in link and series["data"][chart.categories.index(month)] >= 1
    text = signed_in(persona("leader")).get(link).content.decode()
    assert new.number in text and old.number not in text
    every = signed_in(persona("leader")).get(link.replace(f"month={month}", "month=2026-99")).content.decode()
    assert new.number in every and old.number in every  # not a month: no filter
