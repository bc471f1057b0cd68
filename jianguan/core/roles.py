"""Roles of people and scopes of systems: the shared vocabulary of permissions.

Kept in the kernel so that every app can check them without importing the accounts app.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    DATA_ADMIN = "data_admin", _("数据管理员")
    DEPARTMENT_ADMIN = "department_admin", _("部门管理员")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核人员")
    OFFICER = "officer", _("执法人员")
    LEADER = "leader", _("领导")


# Roles that read across departments within the holder's jurisdiction (an explicit grant, never a default).
WIDE_READ_ROLES = frozenset({Role.DATA_ADMIN, Role.LEADER, Role.SYSTEM_ADMIN})


class ApiScope(models.TextChoices):
    """What an external system may do; each API operation names the scope it needs."""

    READ = "read", _("读取本辖区数据")
    EXCHANGE_WRITE = "exchange:write", _("报送监管数据")
    CATALOG_READ = "catalog:read", _("读取监管事项清单")
    COMPLAINTS_WRITE = "complaints:write", _("报送投诉举报")
    CREDIT_WRITE = "credit:write", _("报送信用信息")
