"""Sign-in: the hash an unknown username costs, delays by account and by source address, one's own password and
tokens, the password rules, the second factor of administrators and heads; the headers and settings that keep
pages private in production, and the demo's configuration."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shlex
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianguan.accounts import second_factor, services
from jianguan.accounts.models import LoginThrottle, Role, User, UserToken
from jianguan.audit.models import AuditEvent
from jianguan.core.errors import ValidationFailed
from tests.conftest import PASSWORD, empty_sqlite_into

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ADDRESS_A, ADDRESS_B = "192.0.2.10", "192.0.2.20"  # documentation addresses: request metadata only


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting the hashes it computes (a check of a password computes one too)."""

    computed = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.computed += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_signin.CountingHasher"]
    CountingHasher.computed = 0
    return CountingHasher


def _hashes(hasher, action) -> int:
    before = hasher.computed
    action()
    return hasher.computed - before


# --- an unknown username costs what a known one does --------------------------------------------------------


def test_an_unknown_username_costs_a_password_hash_like_a_known_one(counting_hasher, officer):
    def refused(username):
        with pytest.raises(services.LoginRefused):
            services.login(username=username, password="wrong-password")

    known = _hashes(counting_hasher, lambda: refused("scjg_officer"))
    unknown = _hashes(counting_hasher, lambda: refused("nobody_at_all"))
    assert known >= 1 and unknown == known


def test_the_token_endpoint_hashes_for_an_unknown_username_too(counting_hasher, client):
    def call(username):
        response = client.post("/api/v1/auth/token", {"username": username, "password": "wrong-password"},
                               content_type="application/json")
        assert response.status_code == 401

    known = _hashes(counting_hasher, lambda: call("scjg_officer"))
    unknown = _hashes(counting_hasher, lambda: call("nobody_at_all"))
    assert known >= 1 and unknown == known


def test_the_sign_in_page_hashes_for_an_unknown_username_too(counting_hasher, client):
    unknown = _hashes(counting_hasher, lambda: client.post("/login/", {"username": "nobody_at_all",
                                                                      "password": "wrong-password"}))
    assert unknown == 1


# --- delays by account and by source address ------------------------------------------------------------------


def _fail(username, address=ADDRESS_A):
    with pytest.raises(services.LoginRefused) as caught:
        services.login(username=username, password="wrong-password", address=address)
    return caught.value


def test_the_delay_starts_at_the_limit_and_doubles_up_to_the_cap(settings, officer):
    settings.JIANGUAN_LOGIN_MAX_FAILURES = 3
    settings.JIANGUAN_LOGIN_LOCKOUT_MINUTES = 1
    row = lambda: LoginThrottle.objects.get(key="account:scjg_officer")  # noqa: E731
    _fail("scjg_officer")
    _fail("scjg_officer")
    assert row().failures == 2 and row().retry_at is None  # below the limit: no wait at all
    waits = []
    for _ in range(6):
        error = _fail("scjg_officer")
        assert not isinstance(error, services.LoginDelayed)  # a failure itself is the generic refusal
        waits.append(round((row().retry_at - timezone.now()).total_seconds()))
        LoginThrottle.objects.filter(key="account:scjg_officer").update(retry_at=timezone.now())  # time passes
    assert waits == [2, 4, 8, 16, 32, 60]  # doubling, capped at JIANGUAN_LOGIN_LOCKOUT_MINUTES


def test_while_delayed_even_the_right_password_waits_and_after_the_delay_it_works(settings, officer):
    settings.JIANGUAN_LOGIN_MAX_FAILURES = 2
    _fail("scjg_officer")
    _fail("scjg_officer")
    with pytest.raises(services.LoginDelayed) as caught:
        services.login(username="scjg_officer", password=PASSWORD, address=ADDRESS_A)
    assert caught.value.status == 429 and caught.value.extra["retry_after"] in (1, 2)
    assert caught.value.headers["Retry-After"] == str(caught.value.extra["retry_after"])
    assert "登录失败次数过多" in caught.value.message
    LoginThrottle.objects.filter(key="account:scjg_officer").update(retry_at=timezone.now() - dt.timedelta(seconds=1))
    assert services.login(username="scjg_officer", password=PASSWORD, address=ADDRESS_A) == officer
    # A success forgets the account's failures: the next failure starts from one again.
    _fail("scjg_officer")
    assert LoginThrottle.objects.get(key="account:scjg_officer").failures == 1


def test_one_address_failing_on_many_names_waits_but_others_sign_in(settings, client, persona):
    settings.JIANGUAN_LOGIN_MAX_FAILURES = 10
    settings.JIANGUAN_LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    for name in ("scjg_officer", "leader", "ghost_user"):
        response = client.post("/login/", {"username": name, "password": "wrong-password"}, REMOTE_ADDR=ADDRESS_A)
        assert response.status_code == 200 and "用户名或密码错误" in response.content.decode()
    delayed = client.post("/login/", {"username": "leader", "password": PASSWORD}, REMOTE_ADDR=ADDRESS_A)
    assert delayed.status_code == 429 and int(delayed["Retry-After"]) >= 1
    assert "登录失败次数过多" in delayed.content.decode()
    assert not delayed.wsgi_request.user.is_authenticated
    # The same person from their own address is not shut out by what another address did.
    other = Client().post("/login/", {"username": "leader", "password": PASSWORD}, REMOTE_ADDR=ADDRESS_B)
    assert other.status_code == 302 and other["Location"] == "/"
    assert AuditEvent.objects.filter(verb="accounts.login_delayed", payload__address=ADDRESS_A).exists()


def test_the_token_endpoint_answers_429_with_retry_after_while_delayed(settings, client):
    settings.JIANGUAN_LOGIN_MAX_FAILURES = 1
    body = {"username": "leader", "password": "wrong-password"}
    first = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert first.status_code == 401 and first.json()["code"] == "invalid_credentials"
    delayed = client.post("/api/v1/auth/token", {**body, "password": PASSWORD}, content_type="application/json")
    assert delayed.status_code == 429
    assert delayed.json()["code"] == "login_delayed" and "登录失败次数过多" in delayed.json()["message"]
    assert int(delayed["Retry-After"]) == delayed.json()["extra"]["retry_after"] >= 1


# --- one's own password and tokens --------------------------------------------------------------------------


def test_password_change_needs_the_current_password_and_revokes_tokens(officer):
    token, _ = services.token_issue(user=officer)
    assert services.token_user(token) == officer  # kept in the process's cache
    with pytest.raises(ValidationFailed) as caught:
        services.password_change(actor=officer, old_password="wrong-password", new_password="Hubei-Lake-2031")
    assert (caught.value.field, caught.value.code) == ("old_password", "password_incorrect")
    with pytest.raises(ValidationFailed) as caught:
        services.password_change(actor=officer, old_password=PASSWORD, new_password="12345678")
    assert (caught.value.field, caught.value.code) == ("new_password", "password_weak")
    services.password_change(actor=officer, old_password=PASSWORD, new_password="Hubei-Lake-2031")
    assert services.login(username="scjg_officer", password="Hubei-Lake-2031") == officer
    assert services.token_user(token) is None
    event = AuditEvent.objects.get(verb="accounts.password_changed")
    assert event.actor_id == str(officer.pk) and event.payload["tokens_revoked"] == 1


def test_password_change_page_keeps_the_session(signed_in, officer):
    client = signed_in(officer)
    assert "修改密码" in client.get("/account/").content.decode()
    wrong = client.post("/account/password/", {"old_password": "nope", "new_password": "Hubei-Lake-2031"},
                        follow=True)
    assert "当前密码错误" in wrong.content.decode()
    done = client.post("/account/password/", {"old_password": PASSWORD, "new_password": "Hubei-Lake-2031"},
                       follow=True)
    assert "密码已修改" in done.content.decode()
    assert client.get("/").status_code == 200  # still signed in
    officer.refresh_from_db()
    assert officer.check_password("Hubei-Lake-2031")


def test_password_change_by_api(api, officer):
    client = api(officer)
    refused = client.post("/api/v1/me/password", {"old_password": "nope", "new_password": "Hubei-Lake-2031"},
                          content_type="application/json")
    assert refused.status_code == 400 and refused.json()["field"] == "old_password"
    done = client.post("/api/v1/me/password", {"old_password": PASSWORD, "new_password": "Hubei-Lake-2031"},
                       content_type="application/json")
    assert done.status_code == 204
    assert client.get("/api/v1/me").status_code == 401  # its own token went with the old password


def test_own_tokens_listed_and_revoked_at_once_by_api(api, officer, persona):
    keep, _ = services.token_issue(user=officer)
    drop, _ = services.token_issue(user=officer)
    holder = Client(headers={"Authorization": f"Bearer {keep}"})
    dropped = Client(headers={"Authorization": f"Bearer {drop}"})
    assert dropped.get("/api/v1/me").status_code == 200  # the token's user is now kept in the process
    listed = holder.get("/api/v1/me/tokens").json()
    ids = {t["id"] for t in listed}
    drop_id = UserToken.objects.get(digest=services._digest(drop)).pk
    assert drop_id in ids and len(ids) == 2
    assert holder.delete(f"/api/v1/me/tokens/{drop_id}").status_code == 204
    assert dropped.get("/api/v1/me").status_code == 401  # refused at once, cache or not
    assert drop_id not in {t["id"] for t in holder.get("/api/v1/me/tokens").json()}
    assert AuditEvent.objects.filter(verb="accounts.token_revoked", actor_id=str(officer.pk)).exists()
    # Someone else's token: 404 like an absent one, and it keeps working.
    theirs, _ = services.token_issue(user=persona("leader"))
    their_id = UserToken.objects.get(digest=services._digest(theirs)).pk
    answer = holder.delete(f"/api/v1/me/tokens/{their_id}")
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    assert services.token_user(theirs) is not None


def test_someone_elses_token_cannot_be_revoked_from_the_page(signed_in, officer, persona):
    mine, _ = services.token_issue(user=officer)
    theirs, _ = services.token_issue(user=persona("leader"))
    mine_id = UserToken.objects.get(digest=services._digest(mine)).pk
    their_id = UserToken.objects.get(digest=services._digest(theirs)).pk
    client = signed_in(officer)
    page = client.get("/account/").content.decode()
    assert f"#{mine_id}" in page and f"#{their_id}" not in page
    assert client.post(f"/account/tokens/{their_id}/revoke/").status_code == 404
    assert services.token_user(theirs) is not None
    assert client.post(f"/account/tokens/{mine_id}/revoke/").status_code == 302
    assert services.token_user(mine) is None


# --- password rules -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("password", "reason"), [
    ("New_Officer99!", "用户名"),
    ("xNEW_OFFICERx-2031", "用户名"),
    ("Jianguan@2031", "jianguan"),
    ("my-JIANGUAN-pass", "jianguan"),
    ("我的监管密码2031x", "监管"),
])
def test_password_rules_refuse_the_username_and_the_product_name(persona, password, reason):
    admin = persona("admin")
    with pytest.raises(ValidationFailed) as caught:
        services.user_create(actor=admin, username="new_officer", full_name="新同事", department=admin.department,
                             password=password, roles=[Role.OFFICER])
    assert (caught.value.field, caught.value.code) == ("password", "password_weak")
    assert reason in caught.value.message
    assert not User.objects.filter(username="new_officer").exists()


def test_password_rules_refuse_the_site_name_and_accept_others(persona, settings):
    settings.JIANGUAN_SITE_NAME = "江城智管"
    admin = persona("admin")
    with pytest.raises(ValidationFailed) as caught:
        services.user_create(actor=admin, username="new_officer", full_name="新同事", department=admin.department,
                             password="江城智管-2031x", roles=[Role.OFFICER])
    assert "江城智管" in caught.value.message
    user = services.user_create(actor=admin, username="new_officer", full_name="新同事",
                                department=admin.department, password="Hubei-Lake-2031", roles=[Role.OFFICER])
    assert user.check_password("Hubei-Lake-2031")


# --- second factor ------------------------------------------------------------------------------------------


@pytest.fixture
def second_factor_on(settings):
    settings.JIANGUAN_REQUIRE_SECOND_FACTOR = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own wait after a wrong code; ours is what is tested


def _code(device: TOTPDevice, *, fresh: bool = True) -> str:
    """The device's current code, computed from its key as an authenticator app does."""
    if fresh:  # a code is accepted once per time step: let the test use the step again
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def _wrong(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def test_second_factor_roles_are_administrators_and_heads():
    assert {"system_admin", "department_admin", "data_admin", "head"} == second_factor.SECOND_FACTOR_ROLES


def test_without_the_setting_nobody_is_asked(persona, settings):
    settings.JIANGUAN_REQUIRE_SECOND_FACTOR = False
    assert not second_factor.required_for(persona("scjg_admin"))


@pytest.mark.usefixtures("second_factor_on")
def test_an_administrator_without_a_device_reaches_only_the_enrolment(client, persona):
    signed = client.post("/login/", {"username": "scjg_admin", "password": PASSWORD}, follow=True)
    assert signed.redirect_chain[-1][0].startswith("/account/second-factor/")
    for path in ("/", "/org/users/", "/account/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/account/second-factor/"), path
    assert client.get("/api/v1/me").status_code == 401  # the session does not count for the API either
    token = client.post("/api/v1/auth/token", {"username": "scjg_admin", "password": PASSWORD},
                        content_type="application/json")
    assert token.status_code == 401 and token.json()["code"] == "otp_not_enrolled"
    # Enrolment: a key shown as an otpauth URI and as text, confirmed by a code the app computes from it.
    page = client.post("/account/second-factor/", {"action": "start"}).content.decode()
    device = TOTPDevice.objects.get(user=persona("scjg_admin"), confirmed=False)
    assert "otpauth://totp/" in page and second_factor.grouped_secret(device) in page
    refused = client.post("/account/second-factor/", {"otp": _wrong(_code(device))})
    assert "动态验证码错误" in refused.content.decode()
    assert client.get("/").status_code == 302
    done = client.post("/account/second-factor/", {"otp": _code(device), "next": "/org/users/"})
    assert done.status_code == 302 and done["Location"] == "/org/users/"
    assert client.get("/").status_code == 200 and client.get("/api/v1/me").status_code == 200
    assert AuditEvent.objects.filter(verb="accounts.otp_enrolled", actor_id=str(device.user_id)).exists()


@pytest.fixture
def enrolled_admin(persona, second_factor_on):
    admin = persona("scjg_admin")
    device = services.second_factor_enrol_start(actor=admin)
    services.second_factor_enrol_confirm(actor=admin, code=_code(device))
    device.refresh_from_db()
    return admin, device


def test_an_enrolled_administrator_needs_the_code_after_the_password(client, enrolled_admin):
    admin, device = enrolled_admin
    step = client.post("/login/", {"username": "scjg_admin", "password": PASSWORD})
    assert step.status_code == 200 and 'name="otp"' in step.content.decode()
    assert client.get("/").status_code == 302 and client.get("/api/v1/me").status_code == 401  # not signed in yet
    wrong = client.post("/login/", {"otp": _wrong(_code(device))})
    assert "动态验证码错误" in wrong.content.decode() and not wrong.wsgi_request.user.is_authenticated
    assert LoginThrottle.objects.get(key="account:scjg_admin").failures == 1  # counted like a wrong password
    done = client.post("/login/", {"otp": _code(device)})
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.get("/").status_code == 200 and client.get("/api/v1/me").json()["username"] == "scjg_admin"
    assert AuditEvent.objects.filter(verb="accounts.logged_in", actor_id=str(admin.pk),
                                     payload__second_factor=True).exists()


def test_wrong_codes_count_toward_the_delay(client, enrolled_admin, settings):
    _, device = enrolled_admin
    settings.JIANGUAN_LOGIN_MAX_FAILURES = 2
    client.post("/login/", {"username": "scjg_admin", "password": PASSWORD})
    client.post("/login/", {"otp": _wrong(_code(device))})
    client.post("/login/", {"otp": _wrong(_code(device))})
    delayed = client.post("/login/", {"otp": _code(device)})
    assert delayed.status_code == 429 and "Retry-After" in delayed
    assert not delayed.wsgi_request.user.is_authenticated


def test_a_token_for_an_administrator_needs_the_code(client, enrolled_admin):
    _, device = enrolled_admin
    body = {"username": "scjg_admin", "password": PASSWORD}
    missing = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert missing.status_code == 401 and missing.json()["code"] == "otp_required"
    wrong = client.post("/api/v1/auth/token", {**body, "otp": _wrong(_code(device))}, content_type="application/json")
    assert wrong.status_code == 401 and wrong.json()["code"] == "otp_invalid"
    assert LoginThrottle.objects.get(key="account:scjg_admin").failures == 1
    issued = client.post("/api/v1/auth/token", {**body, "otp": _code(device)}, content_type="application/json")
    assert issued.status_code == 200
    me = Client(headers={"Authorization": f"Bearer {issued.json()['token']}"}).get("/api/v1/me")
    assert me.status_code == 200 and me.json()["username"] == "scjg_admin"


@pytest.mark.usefixtures("second_factor_on")
def test_people_outside_the_second_factor_roles_sign_in_with_the_password(client):
    response = client.post("/login/", {"username": "scjg_officer", "password": PASSWORD})
    assert response.status_code == 302 and client.get("/").status_code == 200


# --- headers ------------------------------------------------------------------------------------------------


def test_signed_in_pages_are_not_stored_and_public_ones_may_be(signed_in, officer):
    assert "no-store" not in Client().get("/public/").get("Cache-Control", "")
    client = signed_in(officer)
    for path in ("/", "/subjects/", "/org/"):
        assert "no-store" in client.get(path)["Cache-Control"], path


def test_api_answers_to_a_token_are_not_stored(api, officer):
    assert "no-store" in api(officer).get("/api/v1/me")["Cache-Control"]


def test_permissions_policy_allows_camera_and_position_only_to_the_site(client):
    policy = client.get("/public/")["Permissions-Policy"]
    assert "camera=(self)" in policy and "geolocation=(self)" in policy and "microphone=()" in policy


def test_hsts_for_a_year_with_subdomains_over_https(client):
    header = client.get("/public/", secure=True)["Strict-Transport-Security"]
    assert "max-age=31536000" in header and "includeSubDomains" in header


def test_a_bad_or_missing_key_is_401_never_a_csrf_403(officer):
    strict = Client(enforce_csrf_checks=True)
    for headers in ({}, {"X-API-Key": "jgk_bad_key"}, {"Authorization": "Bearer jgt_made_up"}):
        response = strict.post("/api/v1/credit/records", {"records": []}, content_type="application/json",
                               headers=headers)
        assert response.status_code == 401, headers
        assert response.json()["code"] == "unauthenticated"
    # A signed-in browser session still needs its CSRF token for a write.
    strict.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    forged = strict.post("/api/v1/me/password", {"old_password": PASSWORD, "new_password": "Hubei-Lake-2031"},
                         content_type="application/json")
    assert forged.status_code == 403


# --- production settings and the demo's -----------------------------------------------------------------------


def _clean_env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIANGUAN_", "DJANGO_"))}
    return {**env, "JIANGUAN_VAR_DIR": str(tmp_path), **values}


@pytest.mark.once
def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = _clean_env(tmp_path, JIANGUAN_SECRET_KEY=secrets.token_urlsafe(50), JIANGUAN_DEBUG="false",
                     JIANGUAN_ALLOWED_HOSTS="jg.example.gov.cn")
    done = subprocess.run([sys.executable, "-m", "jianguan", "check", "--deploy", "--fail-level", "WARNING"],
                          env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout and "WARNING" not in done.stderr


def _demo_env() -> dict[str, str]:
    """The variables `make demo` gives the demo (read from what make would run)."""
    dry_run = subprocess.run(["make", "-s", "-n", "demo"], capture_output=True, text=True, cwd=ROOT, timeout=60,
                             env={k: v for k, v in os.environ.items() if not k.startswith("JIANGUAN_")})
    line = next(line for line in dry_run.stdout.splitlines() if "-m jianguan demo" in line)
    words = shlex.split(line)
    return dict(word.split("=", 1) for word in words[:words.index(next(w for w in words if "=" not in w))])


DEMO_PAGES = textwrap.dedent("""
    import django
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import path
    from jianguan.config import urls

    def broken(request):
        raise RuntimeError("a bug")

    urls.urlpatterns.append(path("broken-for-test/", broken))
    call_command("migrate", verbosity=0)  # nothing left to apply: the database is a migrated copy
    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    for url in ("/no-such-page/", "/broken-for-test/"):
        response = client.get(url)
        print(url, response.status_code, settings.DEBUG)
        print(response.content.decode())
""")


@pytest.mark.once
def test_the_demo_runs_without_debug_and_shows_its_own_error_pages(tmp_path, empty_database, production_static):
    """The demo's settings on a migrated database and its collected static files (`make demo` migrates and
    collects them itself; both are done once for the whole test run here)."""
    demo = _demo_env()
    assert demo["JIANGUAN_DEBUG"] == "false"
    empty_sqlite_into(empty_database, tmp_path)
    (tmp_path / "static").symlink_to(production_static)
    env = _clean_env(tmp_path, DJANGO_SETTINGS_MODULE="jianguan.config.settings", **demo)
    done = subprocess.run([sys.executable, "-c", DEMO_PAGES], env=env, capture_output=True, text=True,
                          timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert "/no-such-page/ 404 False" in out and "/broken-for-test/ 500 False" in out
    assert "记录不存在或无权访问" in out and "服务器错误" in out  # the project's own pages
    for technical in ("Using the URLconf", "Traceback", "RuntimeError", "DEBUG = True", "a bug"):
        assert technical not in out


def test_the_demo_password_keeps_the_password_rules_for_every_persona(persona):
    """The demo's own password must be one the platform would accept (no username, no product name)."""
    from django.conf import settings
    from django.contrib.auth.password_validation import validate_password

    from jianguan.accounts.seed import PERSONAS

    for entry in PERSONAS:
        validate_password(settings.JIANGUAN_DEMO_PASSWORD, persona(entry.username))
