"""A reporting system of the city's 市场监管局 and records of the exchange standards that pass every check."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.test import Client

from jianguan.accounts import services as accounts
from jianguan.accounts.models import Department, DepartmentKind
from jianguan.catalog.models import Implementation
from tests.catalog_fixtures import FOOD

_serial = itertools.count(1)


def city_scjg() -> Department:
    return Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")


def system_client(persona, *, department: Department | None = None, scopes=("exchange:write",),
                  name: str = "") -> tuple[Client, Any]:
    """(a test client sending the key, the ApiClient) of a new system of `department` (the city's 市场监管局)."""
    department = department or city_scjg()
    admin = persona("admin")
    client = accounts.api_client_create(actor=admin, name=name or f"业务系统{next(_serial)}", department=department,
                                        scopes=list(scopes))
    return Client(headers={"X-API-Key": accounts.api_key_issue(actor=admin, client=client)}), client


def inspection(n: int | str, entity, **over: Any) -> dict[str, Any]:
    """A 行政检查 of the city's 市场监管局 under its FOOD implementation row, about `entity`."""
    department = city_scjg()
    row = Implementation.objects.get(item__code=FOOD, body=department)
    record = {
        "record_id": f"JC-REC-{n}", "department_name": department.name, "department_code": department.uscc,
        "object_type": "entity", "object_name": entity.name, "party_name": entity.name,
        "party_nature": "organisation", "party_id_type": "001", "party_code": entity.uscc,
        "region_code": "421202", "catalog_code": FOOD, "implementation_code": row.code, "name": "食品生产日常检查",
        "number": f"JC-2025-{n}", "form": "日常检查", "category": "1", "method": "现场检查", "result": "1",
        "date": "2025-06-03", "inspectors": ["张伟", "李强"], "credential_numbers": ["4212000000001", "4212000000002"],
        "reported_at": "2025-06-06 10:00:00", "reported_by": "王明"}
    record.update(over)
    return record


@pytest.fixture(name="exchange_world")
def exchange_world_fixture(small_catalog, persona, xianan_entity):
    """The small catalog, a reporting system of the city's 市场监管局 and an entity to report about."""
    client, system = system_client(persona)
    return {"client": client, "system": system, "entity": xianan_entity, **small_catalog}
