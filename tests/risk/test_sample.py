"""The monthly control sample: the month's observations that raised no alert drawn per model at the configured
rate, reproducibly from the recorded seed, once per month, each item drawn sent for verification as a control item
on the alerts' workflow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jianguan.audit.models import AuditEvent
from jianguan.core.errors import ValidationFailed
from jianguan.risk import disposal, sample, tasks
from jianguan.risk.models import Alert, AlertStatus, ControlSample, Observation
from tests.risk.world import SCAN, ad, raise_alerts

pytestmark = pytest.mark.django_db

NOVEMBER = "2026-11-15T10:00:00+08:00"
PLAIN = "咸宁某眼镜店开业，欢迎光临选购。"
SEED = bytes(range(32))


@pytest.fixture
def month(persona):
    """November 2026: six plain ads and one that alerts, all judged; one plain ad captured in December."""
    sender = persona("dataadmin")
    plain = [ad(text=PLAIN, advertiser=f"眼镜店{n}", captured_at=NOVEMBER) for n in range(6)]
    raise_alerts(sender, *plain, ad(advertiser="咸宁某医院", captured_at=NOVEMBER),
                 ad(text=PLAIN, advertiser="十二月的店"))
    return "2026-11"


def test_the_pool_is_the_months_unalerted_observations_and_the_draw_follows_the_seed(month):
    start, end = sample.month_bounds(month)
    pool = [str(pk) for pk in Observation.objects.filter(alerts__isnull=True, captured_at__gte=start,
                                                         captured_at__lt=end).values_list("pk", flat=True)]
    drawn = sample.control_sample_draw(actor=SCAN, month=month, rate=Decimal("0.3"), seed=SEED)
    stratum = drawn.sample.strata["medical_ad"]
    assert stratum["population"] == 6 == len(pool) and stratum["sampled"] == 2  # ⌈6 × 0.3⌉
    assert stratum["drawn"] == sample.draw(SEED, pool, 2) and stratum["pool_sha256"] == sample.pool_hash(pool)
    assert drawn.sample.seed == SEED.hex() and drawn.sample.method == sample.METHOD
    assert drawn.sample.strata["drug_sales"]["population"] == 0 == drawn.sample.strata["drug_sales"]["sampled"]
    items = Alert.objects.filter(control=True)
    assert sorted(str(o) for o in items.values_list("observations", flat=True)) == sorted(stratum["drawn"])
    item = items.first()
    assert item.band == "" and item.window == month and item.status == AlertStatus.PENDING
    assert item.department.name == "咸宁市市场监督管理局" and item.verify_due > item.verify_started
    assert item.model_version == "2026.12.1" and item.score < 30


def test_the_ranking_is_the_smallest_hashes_of_seed_and_id():
    pool = [str(n) for n in range(1, 50)]
    first = sample.draw(SEED, pool, 5)
    assert first == sample.draw(SEED, list(reversed(pool)), 5)  # the pool's order does not matter
    assert first != sample.draw(bytes(32), pool, 5)
    assert sample.sample_size(0, Decimal("0.01")) == 0 and sample.sample_size(1, Decimal("0.01")) == 1
    assert sample.sample_size(250, Decimal("0.01")) == 3 and sample.sample_size(4, Decimal("1")) == 4


def test_a_month_is_drawn_once(month):
    first = sample.control_sample_draw(actor=SCAN, month=month, rate=Decimal("0.5"), seed=SEED)
    again = sample.control_sample_draw(actor=SCAN, month=month, rate=Decimal("1"))
    assert first.created and not again.created and again.sample.pk == first.sample.pk
    assert Alert.objects.filter(control=True).count() == 3 and ControlSample.objects.count() == 1
    events = AuditEvent.objects.filter(verb__startswith="risk.control_")
    assert sorted(events.values_list("verb", flat=True)) == ["risk.control_item_drawn"] * 3 + [
        "risk.control_sample_drawn"]
    assert events.get(verb="risk.control_sample_drawn").payload["seed"] == SEED.hex()


def test_a_control_item_is_verified_and_decided_like_an_alert(month, persona):
    sample.control_sample_draw(actor=SCAN, month=month, rate=Decimal("0.1"), seed=SEED)
    item = Alert.objects.get(control=True)
    officer, head = persona("scjg_officer"), persona("scjg_head")
    disposal.alert_transition(actor=officer, alert_id=item.pk, action="verify")
    disposal.alert_transition(actor=officer, alert_id=item.pk, action="report", data={"finding": "开业广告，未见违法"})
    disposal.alert_transition(actor=head, alert_id=item.pk, action="unfounded")
    item.refresh_from_db()
    assert item.status == AlertStatus.UNFOUNDED and item.decided_at is not None


def test_a_later_observation_of_a_drawn_subject_raises_its_own_alert(month, persona):
    sample.control_sample_draw(actor=SCAN, month=month, rate=Decimal("1"), seed=SEED)
    drawn = Alert.objects.filter(control=True).first()
    [alert] = raise_alerts(persona("dataadmin"), ad(advertiser=drawn.subject_name, captured_at=NOVEMBER))
    assert not alert.control and alert.pk != drawn.pk and alert.subject_key == drawn.subject_key


def test_a_bad_or_future_month_is_refused_naming_the_field():
    for value, code in (("2026-13", "month_invalid"), ("26-11", "month_invalid"), ("２０２６-11", "month_invalid"),
                        ("2999-01", "month_future")):
        with pytest.raises(ValidationFailed) as refused:
            sample.control_sample_draw(actor=SCAN, month=value)
        assert refused.value.code == code and refused.value.field == "month"
    assert not ControlSample.objects.exists()


def test_the_command_draws_at_the_configured_rate_once(month, settings, capsys):
    settings.JIANGUAN_RISK_CONTROL_SAMPLE_RATE = Decimal("0.5")
    call_command("risk", "sample", "--month", month)
    assert "已抽取" in capsys.readouterr().out and Alert.objects.filter(control=True).count() == 3
    call_command("risk", "sample", "--month", month)
    assert "此前已抽取" in capsys.readouterr().out and Alert.objects.filter(control=True).count() == 3
    with pytest.raises(CommandError, match="month_invalid"):
        call_command("risk", "sample", "--month", "november")


def test_the_monthly_task_draws_the_month_just_ended_and_runs_again_next_month(month, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2026, 12, 1))
    result = tasks.control_sample_monthly.call()
    assert result["month"] == "2026-11" and result["created"]
    assert tasks.next_run(timezone.make_aware(dt.datetime(2026, 12, 31, 23, 0))) == timezone.make_aware(
        dt.datetime(2027, 1, 1, 2))
    assert tasks.next_run(timezone.make_aware(dt.datetime(2027, 1, 1, 3, 0))) == timezone.make_aware(
        dt.datetime(2027, 2, 1, 2))


def test_a_control_item_is_marked_on_its_page_in_the_list_and_in_the_api(month, signed_in, persona, api):
    sample.control_sample_draw(actor=SCAN, month=month, rate=Decimal("0.1"), seed=SEED)
    item = Alert.objects.get(control=True)
    officer = persona("scjg_officer")
    page = signed_in(officer).get(f"/risk/alerts/{item.pk}/").content.decode()
    assert 'data-testid="alert-control"' in page and 'value="verify"' in page
    assert "（对照样本）" in signed_in(officer).get("/risk/alerts/").content.decode()
    assert api(officer).get(f"/api/v1/risk/alerts/{item.pk}").json()["control"] is True
    assert api(officer).get(f"/api/v1/risk/alerts/{Alert.objects.get(control=False).pk}").json()["control"] is False


def test_one_monthly_run_waits_for_the_first_of_next_month(settings):
    assert tasks.sample_schedule() is False  # the tests' immediate backend keeps nothing for later
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert tasks.sample_schedule() is True and tasks.sample_schedule() is False
    [waiting] = DBTaskResult.objects.filter(task_path=tasks.control_sample_monthly.module_path,
                                            status=TaskResultStatus.READY)
    assert waiting.run_after == tasks.next_run(timezone.now())
