"""Command-line administration: users and connected systems, recorded in the audit chain."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from jianguan.accounts.models import ApiClient, Department, DepartmentKind, User
from jianguan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_create_user(monkeypatch):
    department = Department.objects.get(kind=DepartmentKind.SJJ, region_id="421200")
    monkeypatch.setenv("JIANGUAN_NEW_PASSWORD", "Another-Str0ng-pass")
    call_command("user", "create", "ops_admin", "--full-name", "运维管理员", "--department", department.uscc,
                 "--role", "system_admin", stdout=io.StringIO())
    user = User.objects.get(username="ops_admin")
    assert user.has_role("system_admin") and user.check_password("Another-Str0ng-pass")
    assert AuditEvent.objects.get(verb="accounts.user_created", target_id=str(user.pk)).actor_kind == "system"


def test_create_user_refuses_a_weak_password_and_an_unknown_department(monkeypatch):
    monkeypatch.setenv("JIANGUAN_NEW_PASSWORD", "123")
    department = Department.objects.get(kind=DepartmentKind.SJJ, region_id="421200")
    with pytest.raises(CommandError, match="password_weak"):
        call_command("user", "create", "weak", "--full-name", "某", "--department", department.uscc)
    with pytest.raises(CommandError, match="没有统一社会信用代码"):
        call_command("user", "create", "lost", "--full-name", "某", "--department", "91421200MA40002230")


def test_register_a_system_and_use_its_key():
    department = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")
    out = io.StringIO()
    call_command("apiclient", "create", "市场监管业务系统", "--department", department.uscc, "--scope", "read",
                 stdout=out)
    key = out.getvalue().strip().split("：")[-1]
    assert ApiClient.objects.get(name="市场监管业务系统").scopes == ["read"]
    assert Client(headers={"X-API-Key": key}).get("/api/v1/subjects?limit=1").status_code == 200
    out = io.StringIO()
    call_command("apiclient", "key", "市场监管业务系统", stdout=out)
    assert out.getvalue().strip().split("：")[-1] != key
