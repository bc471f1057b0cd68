"""The 执法检查人员名录库 and 专家库: officers' areas and part in draws, declared avoidance (行政处罚法 第四十三条),
experts. Every write records its actor in the audit chain.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from jianguan.accounts.models import Region, User
from jianguan.audit.contracts import record
from jianguan.core.errors import AccessDenied
from jianguan.core.roles import Role
from jianguan.core.validation import require as _require
from jianguan.subjects.contracts import require_entity

from .models import Avoidance, Expert, Inspector


@transaction.atomic
def avoidance_declare(*, actor: User, uscc: str, reason: str, ends_on: dt.date | None = None) -> Avoidance:
    """An officer declares a conflict with an entity (行政处罚法 第四十三条): the pair is excluded from every draw
    frozen afterwards."""
    _require(len(reason.strip()) >= 2, "缺少必填字段“回避事由”", "required", "reason")
    entity = require_entity(uscc)
    avoidance, _ = Avoidance.objects.update_or_create(inspector=actor, entity=entity,
                                                      defaults={"reason": reason.strip(), "ends_on": ends_on})
    record(actor=actor, verb="spotchecks.avoidance_declared", target=avoidance,
           data={"entity": entity.uscc, "reason": avoidance.reason, "ends_on": ends_on})
    return avoidance


@transaction.atomic
def inspector_set(*, actor: User, username: str, areas: list[str], in_draws: bool) -> Inspector:
    """A department administrator sets an officer's areas (片区) and whether the officer takes part in draws."""
    officer = User.objects.filter(username=username).first()
    if officer is None or officer.department_id != actor.department_id or not actor.has_role(Role.DEPARTMENT_ADMIN):
        raise AccessDenied("只能设置本部门的检查人员", code="not_own_department")
    known = set(Region.objects.filter(code__in=areas, path__startswith=actor.department.region.path).values_list(
        "code", flat=True))
    unknown = sorted(set(areas) - known)
    _require(not unknown, f"片区不在本部门辖区内：{'、'.join(unknown)}", "region_outside", "areas")
    entry, _ = Inspector.objects.update_or_create(user=officer, defaults={"areas": sorted(known),
                                                                          "in_draws": in_draws})
    record(actor=actor, verb="spotchecks.inspector_set", target=entry,
           data={"user": username, "areas": entry.areas, "in_draws": in_draws})
    return entry


@transaction.atomic
def expert_add(*, actor: User, name: str, organisation: str, specialties: list[str]) -> Expert:
    """Add an expert to the department's directory (a department administrator)."""
    if not actor.has_role(Role.DEPARTMENT_ADMIN):
        raise AccessDenied("只有部门管理员可以添加专家", code="not_department_admin")
    _require(bool(name.strip()), "缺少必填字段“姓名”", "required", "name")
    _require(bool(organisation.strip()), "缺少必填字段“工作单位”", "required", "organisation")
    expert = Expert.objects.create(department=actor.department, name=name.strip(), organisation=organisation.strip(),
                                   specialties=sorted({s.strip() for s in specialties if s.strip()}))
    record(actor=actor, verb="spotchecks.expert_added", target=expert,
           data={"name": expert.name, "specialties": expert.specialties})
    return expert
