"""Work portal and service portal pages."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from jianguan.accounts import seed
from jianguan.audit.models import AuditEvent
from jianguan.subjects.models import MarketEntity
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PERSONAS = [p.username for p in seed.PERSONAS]


@pytest.mark.parametrize("username", PERSONAS)
def test_each_persona_signs_in_and_sees_the_dashboard(client, username):
    response = client.post("/login/", {"username": username, "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/"
    page = response.content.decode()
    assert "工作台" in page and "辖区存续市场主体" in page
    assert AuditEvent.objects.filter(verb="accounts.logged_in", actor_label__contains=username).exists()


def test_wrong_password_shows_one_generic_message(client):
    response = client.post("/login/", {"username": "scjg_officer", "password": "wrong"})
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    assert "用户名或密码错误" in response.content.decode()


def test_lockout_message_after_repeated_failures(client, settings):
    settings.JIANGUAN_LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        client.post("/login/", {"username": "leader", "password": "wrong"})
    response = client.post("/login/", {"username": "leader", "password": PASSWORD})
    assert "登录失败次数过多" in response.content.decode()


def test_next_parameter_is_kept_but_only_on_this_site(client):
    response = client.post("/login/?next=/subjects/", {"username": "leader", "password": PASSWORD})
    assert response["Location"] == "/subjects/"
    client.logout()
    response = client.post("/login/?next=https://evil.example/", {"username": "leader", "password": PASSWORD})
    assert response["Location"] == "/"


def test_navigation_depends_on_the_role(signed_in, persona):
    officer_page = signed_in(persona("scjg_officer")).get("/").content.decode()
    assert "/org/users/" not in officer_page
    admin_page = signed_in(persona("scjg_admin")).get("/").content.decode()
    assert "/org/users/" in admin_page


def test_csp_forbids_outside_resources(signed_in, officer):
    response = signed_in(officer).get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self' 'nonce-" in policy
    assert "http" not in policy
    page = response.content.decode()
    assert 'src="http' not in page and 'href="http' not in page


def test_language_switch_to_english_and_back(signed_in, officer):
    client = signed_in(officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/").content.decode()
    assert "Dashboard" in english and 'lang="en"' in english
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "工作台" in client.get("/").content.decode()


def test_public_portal_needs_no_sign_in():
    response = Client().get("/public/")
    assert response.status_code == 200
    assert "咸宁市互联网+监管平台" in response.content.decode()


def test_logout_is_a_post_and_is_recorded(signed_in, officer):
    client = signed_in(officer)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(verb="accounts.logged_out", actor_id=str(officer.pk)).exists()


def test_entity_search_is_scoped_and_htmx_returns_the_partial(signed_in, county_officer):
    client = signed_in(county_officer)
    entity = MarketEntity.objects.visible_to(county_officer).order_by("name").first()
    full = client.get("/subjects/", {"q": entity.name[:6]})
    assert entity.uscc in full.content.decode() and "<html" in full.content.decode()
    partial = client.get("/subjects/", {"q": entity.uscc}, headers={"HX-Request": "true"})
    assert entity.uscc in partial.content.decode() and "<html" not in partial.content.decode()
    outside = MarketEntity.objects.exclude(pk__in=MarketEntity.objects.visible_to(county_officer)).first()
    assert f"/subjects/{outside.uscc}/" not in client.get("/subjects/", {"q": outside.uscc}).content.decode()


def test_entity_detail_page(signed_in, officer):
    entity = MarketEntity.objects.first()
    page = signed_in(officer).get(f"/subjects/{entity.uscc}/").content.decode()
    assert entity.name in page and entity.legal_representative in page


@pytest.mark.parametrize("path", ["/subjects/", "/audit/", "/org/", "/complaints/", "/catalog/", "/disclosure/",
                                  "/joint/", "/joint/scenarios/"])
def test_page_query_counts_stay_flat(signed_in, persona, django_assert_max_num_queries, path):
    """A fixed number of queries whatever the data."""
    client = signed_in(persona("leader"))
    with django_assert_max_num_queries(20):
        assert client.get(path).status_code == 200


def test_dashboard_asks_each_app_for_a_few_statements(signed_in, persona, django_assert_max_num_queries):
    """The dashboard asks each app with a card for its figures: the session and scope (7 statements), then two
    statements per app on average (aggregates with filters, not a count per figure), whatever the data."""
    from jianguan.core.registry import app_modules

    providers = len(list(app_modules("dashboard")))
    client = signed_in(persona("leader"))
    with django_assert_max_num_queries(7 + 2 * providers):
        assert client.get("/").status_code == 200


def test_users_page_for_administrators(signed_in, persona):
    page = signed_in(persona("scjg_admin")).get("/org/users/").content.decode()
    assert "张伟" in page and "周敏" not in page  # own line only; 周敏 is of 生态环境局


def test_audit_page_and_verification(signed_in, persona):
    client = signed_in(persona("dataadmin"))
    response = client.post("/audit/verify/", follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "最近一次链校验" in page and "完整" in page


@pytest.mark.once
def test_static_files_collect_for_production(production_static):
    """collectstatic with the production storage: hashed, compressed, including htmx and the docs' assets; an ES
    module imports the others by their hashed names (the unhashed ones are not what the service worker keeps)."""
    manifest = json.loads((production_static / "staticfiles.json").read_text())["paths"]
    for name in ("portal/site.css", "portal/favicon.svg", "django_htmx/htmx-2.min.js", "ninja/swagger-ui-bundle.js"):
        assert name in manifest and (production_static / manifest[name]).exists()
        assert (production_static / (manifest[name] + ".gz")).exists() or name.endswith(".svg")
    entry = (production_static / manifest["inspections/field/main.js"]).read_text()
    imported = re.findall(r'^import .* from "\./([^"]+)";$', entry, re.MULTILINE)
    assert len(imported) == 6
    for name in imported:
        assert f"inspections/field/{name}" in manifest.values()
        assert (production_static / "inspections/field" / name).exists()


def test_chinese_whatever_the_browser_asks_until_someone_switches(client):
    page = client.get("/login/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert "登录工作门户" in page and 'lang="zh-hans"' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Sign in to the work portal" in client.get("/login/").content.decode()
