"""Every operation of the OpenAPI document, fuzzed by schemathesis against the running application (WSGI) as an
enforcement officer and as the data administrator: no answer may be a 5xx, and every answer must match the
document (its status declared, its body of the declared schema). Examples are few and derandomized, so the run
is reproducible and short."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from jianguan.accounts import services
from jianguan.config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def one_connection():
    """Requests run inside the test's transaction, as with Django's test client: the handler must not close the
    connection at the end of each request (the WSGI client schemathesis uses does not disconnect it itself)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["scjg_officer", "dataadmin"])
def bearer(request, persona) -> dict[str, str]:
    token, _ = services.token_issue(user=persona(request.param))
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(max_examples=2, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_api_as_officer_and_data_administrator(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
