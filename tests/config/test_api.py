"""The JSON API: authentication, the error envelope, scoped reads, health."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jianguan.accounts import services
from jianguan.accounts.models import Department, DepartmentKind
from jianguan.subjects.models import MarketEntity
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_health_reports_version_database_and_migrations(client):
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok" and body["migrations_applied"] is True
    assert body["database"] in ("sqlite", "postgresql") and body["version"]


def test_openapi_and_docs_are_served_locally(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/subjects/{uscc}" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"https://" not in docs.content  # no script or style from outside the server


def test_token_flow(client, officer):
    response = client.post("/api/v1/auth/token", {"username": "scjg_officer", "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 200
    token = response.json()["token"]
    me = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/me").json()
    assert me["username"] == "scjg_officer" and me["roles"] == ["officer"]
    assert me["credentials"][0]["number"]


def test_wrong_password_is_401_in_the_envelope(client, officer):
    response = client.post("/api/v1/auth/token", {"username": "scjg_officer", "password": "nope"},
                           content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {"code": "invalid_credentials", "message": services.BAD_CREDENTIALS}


def test_malformed_json_is_400(client):
    response = client.post("/api/v1/auth/token", "{bad", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "malformed_json"


def test_unknown_field_is_400_and_named(client):
    response = client.post("/api/v1/auth/token", {"username": "a", "password": "b", "admin": True},
                           content_type="application/json")
    body = response.json()
    assert response.status_code == 400
    assert (body["code"], body["field"]) == ("extra_forbidden", "admin")
    assert "admin" in body["message"]


def test_missing_field_is_400_and_named(client):
    body = client.post("/api/v1/auth/token", {"username": "a"}, content_type="application/json").json()
    assert (body["code"], body["field"]) == ("missing", "password")


def test_missing_and_expired_tokens_are_401(client, officer):
    assert client.get("/api/v1/me").status_code == 401
    assert Client(headers={"Authorization": "Bearer jgt_nonsense"}).get("/api/v1/me").status_code == 401
    token, _ = services.token_issue(user=officer)
    officer.tokens.update(expires_at="2000-01-01T00:00:00Z")
    response = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/me")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_chinese_is_not_escaped(api, officer):
    response = api(officer).get("/api/v1/me")
    assert response["Content-Type"].startswith("application/json")
    assert "张伟".encode() in response.content


def test_entity_list_is_scoped_and_paginated(api, county_officer):
    body = api(county_officer).get("/api/v1/subjects?limit=5").json()
    assert body["count"] == MarketEntity.objects.visible_to(county_officer).count()
    assert len(body["items"]) == 5
    assert all(item["region"].startswith("421202") and item["region"] != "421202570" for item in body["items"])


def test_entity_detail_in_and_out_of_scope(api, county_officer):
    inside = MarketEntity.objects.visible_to(county_officer).first()
    outside = MarketEntity.objects.exclude(pk__in=MarketEntity.objects.visible_to(county_officer)).first()
    client = api(county_officer)
    assert client.get(f"/api/v1/subjects/{inside.uscc}").json()["name"] == inside.name
    response = client.get(f"/api/v1/subjects/{outside.uscc}")
    missing = client.get("/api/v1/subjects/91421200MA40002230")
    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()  # out of scope looks exactly like absent


def test_entity_detail_is_the_schema_written_out(api, county_officer):
    """The detail read writes its body out instead of validating it through `EntityOut` (ADR 0016): the body must
    be exactly what the schema gives, with and without a registered capital."""
    from jianguan.subjects.api import EntityOut
    from jianguan.subjects.selectors import entity_get

    client = api(county_officer)
    visible = MarketEntity.objects.visible_to(county_officer)
    with_capital = visible.exclude(registered_capital=None).first()
    without = visible.exclude(pk=with_capital.pk).first()
    assert with_capital.registered_capital is not None
    without.registered_capital = None
    without.save(update_fields=["registered_capital"])
    for entity in (with_capital, without):
        body = client.get(f"/api/v1/subjects/{entity.uscc}").json()
        card = entity_get(reader=county_officer, uscc=entity.uscc)
        assert body == json.loads(EntityOut.model_validate(card).model_dump_json())
    assert body["registered_capital"] is None


def test_user_list_shows_the_line_only(api, officer):
    body = api(officer).get("/api/v1/org/users?limit=200").json()
    departments = set(Department.objects.filter(pk__in=[u["department"] for u in body["items"]])
                      .values_list("kind", flat=True))
    assert departments == {DepartmentKind.SCJG}


def test_api_key_scopes(persona):
    admin = persona("admin")
    department = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421202")
    reader = services.api_client_create(actor=admin, name="咸安市场监管系统", department=department, scopes=["read"])
    writer = services.api_client_create(actor=admin, name="报送系统", department=department, scopes=["exchange:write"])
    read_key = services.api_key_issue(actor=admin, client=reader)
    write_key = services.api_key_issue(actor=admin, client=writer)
    with_read = Client(headers={"X-API-Key": read_key})
    body = with_read.get("/api/v1/subjects?limit=3").json()
    assert body["count"] == MarketEntity.objects.filter(region__path__contains="/421202/").exclude(
        region_id="421202570").count()
    assert Client(headers={"X-API-Key": write_key}).get("/api/v1/subjects").status_code == 403
    assert with_read.get("/api/v1/me").status_code == 403  # people-only operation
    assert Client(headers={"X-API-Key": "jgk_bad_key"}).get("/api/v1/subjects").status_code == 401


def test_verify_endpoint_for_data_administrators_only(api, persona, officer):
    assert api(officer).post("/api/v1/audit/verify").status_code == 403
    response = api(persona("dataadmin")).post("/api/v1/audit/verify")
    assert response.status_code == 202 and response.json()["status"] == "SUCCESSFUL"


def test_session_auth_needs_csrf_for_writes(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/api/v1/me").status_code == 200
    assert client.post("/api/v1/audit/verify").status_code in (401, 403)


def test_list_endpoint_query_count_does_not_grow(api, persona, django_assert_max_num_queries):
    client = api(persona("leader"))
    with django_assert_max_num_queries(12):
        body = client.get("/api/v1/org/users?limit=100").json()
    assert len(body["items"]) > 20
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/subjects?limit=100").json()["items"]) == 100


def test_error_envelope_keys(api, officer):
    body = json.loads(api(officer).get("/api/v1/org/departments/999999").content)
    assert set(body) == {"code", "message"} and body["code"] == "not_found"


def test_detail_and_list_serve_the_same_entity_identically(api, officer):
    entity = MarketEntity.objects.exclude(registered_capital=None).first()
    client = api(officer)
    detail = client.get(f"/api/v1/subjects/{entity.uscc}").json()
    listed = client.get("/api/v1/subjects", {"q": entity.uscc}).json()["items"]
    assert listed == [detail]
    assert detail["registered_capital"] == str(entity.registered_capital)
    assert detail["industry"] == f"{entity.industry.section}{entity.industry_id}"


def test_no_two_schemas_of_the_api_share_a_name():
    """The OpenAPI document names each schema by its class name: two classes of one name would be documented (and
    validated) as one of them."""
    from collections import defaultdict

    from ninja import Schema

    import jianguan.config.urls  # noqa: F401  (every router imported)

    def subclasses(cls: type) -> list[type]:
        return [s for sub in cls.__subclasses__() for s in (sub, *subclasses(sub))]

    modules: dict[str, set[str]] = defaultdict(set)
    for schema in subclasses(Schema):
        if schema.__module__.startswith("jianguan."):
            modules[schema.__name__].add(schema.__module__)
    assert {name: found for name, found in modules.items() if len(found) > 1} == {}
