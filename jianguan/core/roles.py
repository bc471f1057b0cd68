"""Roles of people and scopes of systems: the shared vocabulary of permissions.

Kept in the kernel so that every app can check them without importing the accounts app.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .actors import Actor, Person, person
from .errors import AccessDenied


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    DATA_ADMIN = "data_admin", _("数据管理员")
    DEPARTMENT_ADMIN = "department_admin", _("部门管理员")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核人员")
    OFFICER = "officer", _("执法人员")
    HEAD = "head", _("负责人")
    PUBLISHER = "publisher", _("信息发布审核人")
    LEADER = "leader", _("领导（只读）")


# Roles that read across departments within the holder's jurisdiction (an explicit grant, never a default).
# `head` is not among them: a department's head reads like an officer of that department.
WIDE_READ_ROLES = frozenset({Role.DATA_ADMIN, Role.LEADER, Role.SYSTEM_ADMIN})


def is_head_of(actor: Actor | Person, department_id: int | None) -> bool:
    """Whether `actor` is the head (负责人) of the body `department_id`: a person holding `head` in that very
    department. Approvals of a body's acts are its head's (《行政强制法》第十八条第一项、第十九条;
    《行政处罚法》第五十四条、第五十七条); reading the department, or heading another, does not make anyone its
    head."""
    someone = person(actor)
    return bool(someone is not None and department_id is not None
                and someone.department_id == department_id and someone.has_role(Role.HEAD))


def same_person(proposer_id: int | None, approver: Actor | Person) -> bool:
    """Whether the approver is the person who proposed the step (separation of duties, whatever roles they hold)."""
    return proposer_id is not None and getattr(approver, "pk", None) == proposer_id


def refuse_same_person(proposer_id: int | None, approver: Actor | Person) -> None:
    """AccessDenied (`same_person`) when the approver proposed the step themselves."""
    if same_person(proposer_id, approver):
        raise AccessDenied("提出人与批准人不得为同一人", code="same_person")


class ApiScope(models.TextChoices):
    """What an external system may do; each API operation names the scope it needs."""

    READ = "read", _("读取本辖区数据")
    EXCHANGE_WRITE = "exchange:write", _("报送监管数据")
    CATALOG_READ = "catalog:read", _("读取监管事项清单")
    COMPLAINTS_WRITE = "complaints:write", _("报送投诉举报")
    CREDIT_WRITE = "credit:write", _("报送信用信息")
    RISK_WRITE = "risk:write", _("报送风险监测数据")
    REMOTE_WRITE = "remote:write", _("报送非现场监管监测数据")
