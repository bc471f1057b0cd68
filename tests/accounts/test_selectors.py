"""Officers on duty are computed in one place (`accounts.selectors`): an active 执法人员 of the department holding an
执法证 that is not revoked and is valid that day (行政处罚法 第四十二条, 行政强制法 第十八条第二项)."""

from __future__ import annotations

import datetime as dt
from itertools import count

import pytest
from django.utils import timezone

from jianguan.accounts.models import OfficerCredential, RoleGrant, User
from jianguan.accounts.selectors import credential_on, credentials_on, officers_on_duty
from jianguan.core.roles import Role

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 1)
_numbers = count(1)


def _person(department, username: str, *, role: str = Role.OFFICER, active: bool = True) -> User:
    user = User.objects.create(username=username, full_name=username, department=department, is_active=active)
    RoleGrant.objects.create(user=user, role=role)
    return user


def _credential(user: User, first: dt.date, last: dt.date, *, revoked: bool = False) -> OfficerCredential:
    return OfficerCredential.objects.create(user=user, number=f"T{next(_numbers):05d}", issued_by="某",
                                            valid_from=first, valid_to=last,
                                            revoked_at=timezone.now() if revoked else None)


@pytest.fixture
def crew(officer):
    department = officer.department
    people = {name: _person(department, name) for name in ("t_valid", "t_revoked", "t_expired", "t_later")}
    people["t_inactive"] = _person(department, "t_inactive", active=False)
    people["t_reviewer"] = _person(department, "t_reviewer", role=Role.LEGAL_REVIEWER)
    _credential(people["t_valid"], dt.date(2025, 1, 1), dt.date(2026, 6, 1))
    _credential(people["t_valid"], dt.date(2026, 1, 1), dt.date(2028, 1, 1))  # the longer-running one is shown
    _credential(people["t_revoked"], dt.date(2025, 1, 1), dt.date(2028, 1, 1), revoked=True)
    _credential(people["t_expired"], dt.date(2024, 1, 1), dt.date(2026, 5, 31))
    _credential(people["t_later"], dt.date(2026, 6, 2), dt.date(2028, 1, 1))
    _credential(people["t_inactive"], dt.date(2025, 1, 1), dt.date(2028, 1, 1))
    _credential(people["t_reviewer"], dt.date(2025, 1, 1), dt.date(2028, 1, 1))
    return department, people


def test_on_duty_means_active_officer_with_a_credential_valid_that_day(crew):
    department, _ = crew
    on_duty = set(officers_on_duty(department=department, day=DAY).values_list("username", flat=True))
    assert "t_valid" in on_duty
    assert not on_duty & {"t_revoked", "t_expired", "t_later", "t_inactive", "t_reviewer"}
    assert "t_later" in set(officers_on_duty(department=department, day=dt.date(2026, 6, 2)).values_list(
        "username", flat=True))


def test_the_credential_of_the_day_is_the_longest_running_valid_one(crew):
    _, people = crew
    assert credential_on(people["t_valid"], DAY).valid_to == dt.date(2028, 1, 1)
    assert credential_on(people["t_valid"], dt.date(2025, 6, 1)).valid_to == dt.date(2026, 6, 1)
    assert credential_on(people["t_revoked"], DAY) is None
    assert credential_on(people["t_expired"], DAY) is None
    assert credential_on(people["t_expired"], dt.date(2026, 5, 31)) is not None  # its last day counts


def test_many_officers_credentials_in_one_query(crew, django_assert_num_queries):
    _, people = crew
    with django_assert_num_queries(1):
        held = credentials_on(people.values(), DAY)
    assert {user_id: c.valid_to for user_id, c in held.items() if user_id in {u.pk for u in people.values()}} == {
        people["t_valid"].pk: dt.date(2028, 1, 1), people["t_inactive"].pk: dt.date(2028, 1, 1),
        people["t_reviewer"].pk: dt.date(2028, 1, 1)}  # who may act is the caller's rule; validity is this one's


def test_a_credential_valid_on_some_day_of_a_window(crew):
    _, people = crew
    later = OfficerCredential.objects.filter(user=people["t_later"])
    assert later.valid_between(dt.date(2026, 5, 1), dt.date(2026, 6, 2)).exists()
    assert not later.valid_between(dt.date(2026, 5, 1), dt.date(2026, 6, 1)).exists()
    assert not OfficerCredential.objects.filter(user=people["t_revoked"]).valid_between(DAY, DAY).exists()
