"""Every endpoint refuses an outsider. New endpoints are covered automatically: the OpenAPI document and the
URL configuration are walked, and a templated path without an outsider case here fails the suite."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from jianguan.accounts.models import Department, User
from jianguan.audit.models import AuditEvent
from jianguan.audit.services import record
from jianguan.subjects.models import MarketEntity

pytestmark = pytest.mark.django_db

PUBLIC_API = {("GET", "/api/v1/health"), ("POST", "/api/v1/auth/token"), ("GET", "/api/v1/openapi.json"),
              ("GET", "/api/v1/docs")}
PUBLIC_PAGES = {"portal:login", "portal:public_home", "set_language", "portal:logout"}


def _outside_entity(outsider: User) -> str:
    return MarketEntity.objects.exclude(pk__in=MarketEntity.objects.visible_to(outsider)).first().uscc


def _outside_department(outsider: User) -> str:
    return str(Department.objects.exclude(region_id__in=outsider.scope.region_codes).first().pk)


def _outside_user(outsider: User) -> str:
    return User.objects.exclude(department_id__in=outsider.scope.department_ids).first().username


def _outside_event(outsider: User) -> str:
    someone = User.objects.get(username="scjg_officer")
    return str(record(actor=someone, verb="test.private", target=someone).seq)


# For each templated path: a value naming a record that exists but lies outside the outsider's scope.
OUTSIDER_CASES: dict[str, Callable[[User], str]] = {
    "/api/v1/subjects/{uscc}": _outside_entity,
    "/api/v1/org/departments/{department_id}": _outside_department,
    "/api/v1/org/users/{username}": _outside_user,
    "/api/v1/audit/events/{seq}": _outside_event,
    "subjects:detail": _outside_entity,
}


def _operations(client: Client) -> list[tuple[str, str]]:
    schema = client.get("/api/v1/openapi.json").json()
    return [(method.upper(), path) for path, item in schema["paths"].items() for method in item]


def _fill(path: str, value: str = "1") -> str:
    return re.sub(r"\{[^}]+\}", value, path)


def test_every_api_operation_refuses_anonymous_callers(client):
    checked = 0
    for method, path in _operations(client):
        if (method, path) in PUBLIC_API:
            continue
        response = client.generic(method, _fill(path), "{}", content_type="application/json")
        assert response.status_code == 401, f"{method} {path} answered {response.status_code} to an anonymous caller"
        assert response.json()["code"] == "unauthenticated"
        checked += 1
    assert checked >= 8


def test_every_templated_read_has_an_outsider_case(client):
    templated = {path for method, path in _operations(client) if "{" in path and method == "GET"}
    missing = templated - set(OUTSIDER_CASES)
    assert not missing, f"add outsider cases for {sorted(missing)}"


@pytest.mark.parametrize("path", [p for p in OUTSIDER_CASES if p.startswith("/api/")])
def test_outsider_gets_404_for_records_outside_their_scope(api, outsider, path):
    value = OUTSIDER_CASES[path](outsider)
    response = api(outsider).get(_fill(path, value))
    assert response.status_code == 404, f"{path} with {value}"
    assert response.json()["code"] == "not_found"


def _named_patterns(patterns, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("api/"):
                continue
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _named_patterns(entry.url_patterns, prefix)
        elif entry.name:
            found.append((f"{namespace}{entry.name}", entry))
    return found


def test_every_work_page_sends_anonymous_visitors_to_login(client):
    checked = 0
    for name, pattern in _named_patterns(get_resolver().url_patterns):
        if name in PUBLIC_PAGES:
            continue
        path = "/" + re.sub(r"<[^>]+>", "x", str(pattern.pattern))
        response = client.get(path)
        if response.status_code == 405:  # a POST-only action
            response = client.post(path)
        assert response.status_code == 302 and "/login/" in response["Location"], f"{name} ({path})"
        checked += 1
    assert checked >= 5


def test_every_templated_page_has_an_outsider_case():
    templated = {name for name, pattern in _named_patterns(get_resolver().url_patterns) if "<" in str(pattern.pattern)}
    assert templated <= set(OUTSIDER_CASES), sorted(templated - set(OUTSIDER_CASES))


def test_outsider_gets_404_on_detail_pages(signed_in, outsider):
    uscc = OUTSIDER_CASES["subjects:detail"](outsider)
    assert signed_in(outsider).get(f"/subjects/{uscc}/").status_code == 404


def test_officers_are_refused_administrative_pages(signed_in, outsider):
    client = signed_in(outsider)
    assert client.get("/org/users/").status_code == 403
    assert client.post("/audit/verify/").status_code == 403


def test_outsider_sees_no_event_of_others(api, outsider):
    seq = _outside_event(outsider)
    body = api(outsider).get("/api/v1/audit/events?limit=200").json()
    assert int(seq) not in [e["seq"] for e in body["items"]]
    assert AuditEvent.objects.filter(seq=int(seq)).exists()
