"""The numbers the platform issues come from one locked sequence per (scope, period) (`core.numbering`):
consecutive, independent per period, starting after the numbers issued before the sequence existed, given back
by a rolled-back request, and distinct and consecutive for two transactions taking at once."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from jianguan.complaints import services as complaints
from jianguan.complaints.models import Complaint
from jianguan.core.actors import SystemActor
from jianguan.core.models import NumberSequence
from jianguan.core.numbering import daily_number, take

DAY = dt.date(2026, 12, 7)
SYSTEM = SystemActor("test")


@pytest.mark.django_db
def test_numbers_are_consecutive_per_scope_and_period():
    assert [take("t.a", "20261207") for _ in range(3)] == [1, 2, 3]
    assert take("t.a", "20261208") == 1  # a new day starts again
    assert take("t.b", "20261207") == 1  # another scope is another sequence
    assert NumberSequence.objects.get(scope="t.a", period="20261207").last == 3


@pytest.mark.django_db
def test_a_new_period_starts_after_the_numbers_issued_before():
    calls = []

    def floor() -> int:
        calls.append(1)
        return 41

    assert take("t.a", "2026", floor=floor) == 42
    assert take("t.a", "2026", floor=floor) == 43
    assert len(calls) == 1  # read once, when the period's row is made


@pytest.mark.django_db
def test_a_rolled_back_request_gives_its_number_back():
    assert take("t.a", "20261207") == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert take("t.a", "20261207") == 2
        raise RuntimeError("the request failed after taking its number")
    assert take("t.a", "20261207") == 2


@pytest.mark.django_db
def test_daily_numbers_keep_their_format():
    issued = Complaint.objects.none()
    assert daily_number("XX", DAY, issued=issued) == "XX2026120700001"
    assert daily_number("XX", DAY, issued=issued, width=3) == "XX20261207002"


@pytest.mark.django_db
def test_a_day_continues_after_the_numbers_issued_before_its_sequence_existed():
    values = {"kind": "complaint", "category": "food", "subject_name": "某餐馆", "region": "421202",
              "content": "餐馆卫生条件差，有老鼠"}
    first = complaints.complaint_receive(actor=SYSTEM, channel="portal", values=values)
    stem = "TS" + timezone.localdate().strftime("%Y%m%d")
    assert first.number == f"{stem}00001"
    NumberSequence.objects.filter(scope="TS").delete()  # as on a database from before the sequences
    values["content"] = "另一家餐馆也有老鼠"
    second = complaints.complaint_receive(actor=SYSTEM, channel="portal", values=values)
    assert second.number == f"{stem}00002"


def _wait_until_one_waits_for_a_lock() -> None:
    """Return once another session of this database waits for a lock (PostgreSQL)."""
    for _ in range(3000):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return
        time.sleep(0.01)
    raise AssertionError("the second transaction never waited for the first one's lock")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("started", [False, True], ids=["new-period", "running-period"])
def test_two_transactions_at_once_get_distinct_consecutive_numbers(started):
    if connection.vendor != "postgresql":
        # SQLite has one writer at a time, taken at BEGIN: the second transaction cannot even start to take.
        assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        return
    if started:
        NumberSequence.objects.create(scope="t.race", period="20261207", last=7)
    first_holds, release = threading.Event(), threading.Event()
    got: dict[str, int] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                got["first"] = take("t.race", "20261207")
                first_holds.set()
                release.wait(60)  # keep the transaction (and its lock) open until the second one queues
        finally:
            connection.close()

    def second() -> None:
        try:
            first_holds.wait(60)
            with transaction.atomic():
                got["second"] = take("t.race", "20261207")
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    try:
        first_holds.wait(60)
        _wait_until_one_waits_for_a_lock()
        assert "second" not in got  # it queues behind the first transaction
    finally:
        release.set()
        for thread in threads:
            thread.join(60)
    base = 7 if started else 0
    assert (got["first"], got["second"]) == (base + 1, base + 2)
    assert NumberSequence.objects.get(scope="t.race", period="20261207").last == base + 2
