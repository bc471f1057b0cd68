"""Organisation writes, sign-in with lockout, tokens and API keys."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.accounts import services
from jianguan.accounts.models import ApiKey, Department, DepartmentKind, LoginThrottle, Role, User, UserToken
from jianguan.audit.models import AuditEvent
from jianguan.core.errors import AccessDenied, ValidationFailed
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _dept(kind=DepartmentKind.SCJG, region="421200") -> Department:
    return Department.objects.get(kind=kind, region_id=region)


def test_department_admin_creates_a_user_of_their_department(persona):
    admin = persona("scjg_admin")
    user = services.user_create(actor=admin, username="new_officer", full_name="新同事", department=admin.department,
                                password="Str0ng-Passw0rd", roles=[Role.OFFICER])
    assert user.has_role(Role.OFFICER)
    event = AuditEvent.objects.get(verb="accounts.user_created", target_id=str(user.pk))
    assert event.actor_id == str(admin.pk)


def test_department_admin_cannot_create_users_elsewhere(persona):
    with pytest.raises(AccessDenied):
        services.user_create(actor=persona("scjg_admin"), username="intruder", full_name="某", password="Str0ng-Pass",
                             department=_dept(DepartmentKind.STHJ))


def test_officer_cannot_create_users(officer):
    with pytest.raises(AccessDenied):
        services.user_create(actor=officer, username="x1", full_name="某", password="Str0ng-Pass",
                             department=officer.department)


@pytest.mark.parametrize(("kwargs", "field", "code"), [
    ({"username": "bad name!"}, "username", "username_format"),
    ({"username": "scjg_officer"}, "username", "username_taken"),
    ({"password": "12345678"}, "password", "password_weak"),
    ({"roles": ["king"]}, "roles", "role_unknown"),
])
def test_user_create_refuses_bad_input_with_field_and_code(persona, kwargs, field, code):
    admin = persona("admin")
    arguments = {"username": "fresh_user", "full_name": "新人", "department": admin.department,
                 "password": "Str0ng-Passw0rd", **kwargs}
    with pytest.raises(ValidationFailed) as caught:
        services.user_create(actor=admin, **arguments)
    assert (caught.value.field, caught.value.code) == (field, code)
    assert not User.objects.filter(username="fresh_user").exists()


def test_credential_rules(persona, officer):
    admin = persona("scjg_admin")
    with pytest.raises(ValidationFailed) as caught:
        services.credential_add(actor=admin, user=officer, number="X1", issued_by="咸宁市人民政府",
                                valid_from=dt.date(2026, 1, 2), valid_to=dt.date(2026, 1, 1), domains=[],
                                qualifications=[])
    assert caught.value.code == "date_order"
    with pytest.raises(ValidationFailed) as caught:
        services.credential_add(actor=admin, user=persona("legal_reviewer"), number="X2", issued_by="某",
                                valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2027, 1, 1), domains=[],
                                qualifications=[])
    assert caught.value.code == "credential_not_officer"
    existing = officer.credentials.first().number
    with pytest.raises(ValidationFailed) as caught:
        services.credential_add(actor=admin, user=officer, number=existing, issued_by="某",
                                valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2027, 1, 1), domains=[],
                                qualifications=[])
    assert caught.value.code == "credential_duplicate"


def test_credential_validity(officer):
    credential = officer.credentials.first()
    assert credential.is_valid_on(dt.date(2026, 6, 1))
    assert not credential.is_valid_on(credential.valid_to + dt.timedelta(days=1))


def test_department_uscc_is_checked(persona):
    with pytest.raises(ValidationFailed) as caught:
        services.department_create(actor=persona("admin"), name="某局", short_name="某局", uscc="11421200012345678Z",
                                   kind=DepartmentKind.SCJG, region=_dept().region)
    assert caught.value.field == "uscc"


def test_login_success_and_generic_failure(officer):
    assert services.login(username="scjg_officer", password=PASSWORD) == officer
    with pytest.raises(services.LoginRefused) as wrong:
        services.login(username="scjg_officer", password="wrong")
    with pytest.raises(services.LoginRefused) as unknown:
        services.login(username="nobody_here", password="wrong")
    assert wrong.value.message == unknown.value.message == services.BAD_CREDENTIALS


def test_delay_after_repeated_failures_even_with_the_right_password(settings, officer):
    settings.JIANGUAN_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        with pytest.raises(services.LoginRefused):
            services.login(username="scjg_officer", password="wrong")
    with pytest.raises(services.LoginDelayed) as caught:
        services.login(username="scjg_officer", password=PASSWORD)
    assert caught.value.code == "login_delayed" and caught.value.status == 429
    assert AuditEvent.objects.filter(verb="accounts.login_delayed").exists()
    # The delay passes.
    LoginThrottle.objects.filter(key="account:scjg_officer").update(retry_at=timezone.now() - dt.timedelta(seconds=1))
    assert services.login(username="scjg_officer", password=PASSWORD) == officer


def test_delay_does_not_reveal_whether_a_user_exists(settings):
    settings.JIANGUAN_LOGIN_MAX_FAILURES = 2
    messages = {}
    for name in ("scjg_officer", "ghost_user"):
        for _ in range(2):
            with pytest.raises(services.LoginRefused):
                services.login(username=name, password="wrong")
        with pytest.raises(services.LoginDelayed) as caught:
            services.login(username=name, password="wrong")
        messages[name] = caught.value.message
    assert messages["scjg_officer"] == messages["ghost_user"]


def test_tokens_expire(officer):
    token, _ = services.token_issue(user=officer)
    UserToken.objects.filter(user=officer).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert services.token_user(token) is None
    assert services.token_user("jgt_made_up") is None


def test_kept_token_user_still_expires(officer):
    token, _ = services.token_issue(user=officer)
    assert services.token_user(token) == officer  # now kept, with the token's expiry
    digest = services._digest(token)
    user, _, until = services._token_users[digest]
    services._token_users[digest] = (user, timezone.now() - dt.timedelta(seconds=1), until)
    assert services.token_user(token) is None


def test_kept_token_user_is_read_again_after_the_cache_time(officer, settings):
    token, _ = services.token_issue(user=officer)
    services.token_user(token)
    officer.role_grants.all().delete()
    assert services.token_user(token).roles == {"officer"}  # within the cache time: the kept copy
    digest = services._digest(token)
    user, expires_at, _ = services._token_users[digest]
    services._token_users[digest] = (user, expires_at, 0.0)  # the cache time has passed
    assert services.token_user(token).roles == frozenset()


def test_api_keys(persona):
    admin = persona("admin")
    client = services.api_client_create(actor=admin, name="市场监管业务系统", department=_dept(),
                                        scopes=["read"])
    key = services.api_key_issue(actor=admin, client=client)
    assert services.api_key_client(key) == client
    assert services.api_key_client(key[:-2] + "xx") is None
    ApiKey.objects.filter(client=client).update(revoked_at=timezone.now())
    assert services.api_key_client(key) is None
    with pytest.raises(ValidationFailed):
        services.api_client_create(actor=admin, name="x", department=_dept(), scopes=["everything"])
