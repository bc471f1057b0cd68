"""A small world for joint supervision: catalog 子项 and their implementation rows claimed by the city's
市场监管局, 应急管理局 and 生态环境局 and 咸安区's 市场监管局 (written directly: the catalog's own tests walk its
workflow), a plan drafted by the office's officer, and entities of the city."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.accounts.models import Department, User
from jianguan.catalog.models import CatalogItem, CatalogVersion, Implementation, ImplementationVersion
from jianguan.joint import services
from jianguan.subjects.models import MarketEntity

START = dt.date(2024, 1, 1)
FOOD, GAS, FUEL = "11000100000003", "17000100000005", "13000100000004"


def claim(code: str, line: str, department: Department) -> str:
    """The implementation row of `department` for the 子项 `code` (the 子项 made once), in force from `START`."""
    now = timezone.now()
    main, _ = CatalogItem.objects.get_or_create(code=code[:6] + "0" * 8, defaults={"line": line})
    item, made = CatalogItem.objects.get_or_create(code=code, defaults={"line": line, "parent": main})
    if made:
        CatalogVersion.objects.create(item=item, code=code, name=f"子项{code}", action_type="check", version=1,
                                      version_id="20240101000000", effective_from=START, published_at=now)
    row = f"{code}-{department.pk}"
    implementation = Implementation.objects.create(code=row, item=item, body=department, level=3)
    ImplementationVersion.objects.create(implementation=implementation, version=1, version_id="20240101000000",
                                         effective_from=START, published_at=now)
    return row


class World:
    def __init__(self, persona) -> None:
        self.officer: User = persona("scjg_officer")
        self.head: User = persona("scjg_head")
        self.sthj: User = persona("sthj_officer")
        self.county: User = persona("xa_scjg_officer")
        self.yj: User = User.objects.get(username="yj_421200_01")
        self.leader: User = persona("leader")
        self.scjg_dept, self.sthj_dept = self.officer.department, self.sthj.department
        self.yj_dept, self.county_dept = self.yj.department, self.county.department
        self.food = claim(FOOD, "scjg", self.scjg_dept)
        self.county_food = claim(FOOD, "scjg", self.county_dept)
        self.gas = claim(GAS, "yj", self.yj_dept)
        self.fuel = claim(FUEL, "sthj", self.sthj_dept)
        city = MarketEntity.objects.filter(region__path__startswith=self.county_dept.region.path).order_by("pk")
        self.entities = [e.uscc for e in city[:6]]
        other = MarketEntity.objects.exclude(region__path__startswith=self.county_dept.region.path).order_by("pk")
        self.elsewhere = other.first().uscc
        self.plan = services.plan_create(title="2027年度部门联合抽查计划", year=2027, actor=self.officer)
        self.start = timezone.localdate() + dt.timedelta(days=10)

    def propose(self, who: User, items: list[str], entities: list[str] | None = None, *, days: int = 0,
                length: int = 20, hours: int = 2, times: int = 1):
        start = self.start + dt.timedelta(days=days)
        return services.task_propose(plan_id=self.plan.pk, title=f"{who.department.short_name}检查", items=items,
                                     entities=entities or self.entities[:4], window_start=start,
                                     window_end=start + dt.timedelta(days=length), visit_hours=hours,
                                     times_per_year=times, actor=who)


@pytest.fixture
def world(persona) -> World:
    return World(persona)


def visit(department: Department, row: str, uscc: str, day: dt.date, number: str):
    """A 行政检查 record (现场检查) of `department` about the entity on `day`."""
    from jianguan.behaviour.contracts import inspection_record
    from jianguan.core.actors import SystemActor

    return inspection_record(
        actor=SystemActor("test"), department=department, implementation_code=row, number=number, name="现场检查",
        date=day, form="日常检查", category="1", result="未发现问题", inspectors=["甲", "乙"], credential_numbers=[],
        party={"entity_code": uscc})


def bare_merge(officer: User) -> tuple[int, int]:
    """A plan of the city with two proposals and a merge proposal between them, written directly (the write matrix
    tries the steps on them): (plan id, proposal id)."""
    from jianguan.joint.models import JointPlan, JointTask, MergeProposal

    department = officer.department
    day = timezone.localdate() + dt.timedelta(days=30)
    plan = JointPlan.objects.create(number="LHJH-MATRIX", title="矩阵", year=day.year, office=department,
                                    region_id=department.region_id, drafted_by=officer)
    first, second = (JointTask.objects.create(plan=plan, number=f"LHRW-MATRIX-{n}", title="任务", lead=department,
                                              region_id=department.region_id, window_start=day, window_end=day,
                                              proposed_by=officer) for n in (1, 2))
    proposal = MergeProposal.objects.create(plan=plan, region_id=department.region_id, first=first, second=second,
                                            lead=department, window_start=day, window_end=day)
    return plan.pk, proposal.pk


def bare_visit(officer: User) -> tuple[int, int]:
    """A joint task of the officer's department (the only participant, its items none) with a visit of one entity,
    written directly (the write matrix tries the visit's steps on them): (task id, visit id)."""
    from jianguan.joint.models import JointPlan, JointTask, JointVisit, Participant, TaskStatus

    department = officer.department
    plan = JointPlan.objects.get(number="LHJH-MATRIX")
    day = timezone.localdate()
    task = JointTask.objects.create(plan=plan, number="LHRW-MATRIX-J", title="联合任务", lead=department,
                                    region_id=department.region_id, window_start=day, window_end=day,
                                    proposed_by=officer, status=TaskStatus.JOINT)
    Participant.objects.create(task=task, department=department, items=[])
    entity = MarketEntity.objects.filter(region__path__startswith=department.region.path).order_by("pk").first()
    visit = JointVisit.objects.create(task=task, number="LHJC-MATRIX-1", entity=entity, region_id=task.region_id,
                                      lead=department, visited_on=day, place="门店", opened_by=officer)
    return task.pk, visit.pk
