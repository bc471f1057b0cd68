"""Demo organisation: the locality's regions, its departments at every level, the personas and officers."""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from importlib.resources import files

from django.conf import settings
from django.contrib.auth.hashers import make_password
from faker.providers.person.zh_CN import Provider as PersonProvider

from jianguan.core.registry import SeedStep
from jianguan.core.seeding import SeedContext

from . import orgspec, services
from .models import Department, DepartmentKind, Region, RegionKind, RegionLevel, Role, User


def locality_rows(code: str) -> list[dict[str, str]]:
    source = files("jianguan.accounts") / "data" / f"regions_{code}.csv"
    with source.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def seed_regions(ctx: SeedContext) -> None:
    rows = locality_rows(settings.JIANGUAN_LOCALITY)
    by_code: dict[str, Region] = {}
    for row in ctx.progress(rows, desc="区划"):
        by_code[row["code"]] = services.region_create(
            actor=ctx.actor, code=row["code"], name=row["name"], level=int(row["level"]), kind=row["kind"],
            parent=by_code.get(row["parent"]) if row["parent"] else None, gb2260=row["gb2260"])
    ctx.say(f"  区划 {len(by_code)} 个")


def _create(ctx: SeedContext, kind: str, region: Region, level: str, city: Region,
            parent: Department | None) -> Department:
    name = orgspec.department_name(kind, region_name=region.name, city_name=city.name, level=level)
    return services.department_create(
        actor=ctx.actor, name=name, short_name=f"{orgspec.short_place(region.name)}{orgspec.SHORT[kind]}",
        uscc=orgspec.department_uscc(region.gb2260, f"{region.code}:{kind}"), kind=kind, region=region,
        parent=parent)


def seed_departments(ctx: SeedContext) -> None:
    city = Region.objects.get(code=settings.JIANGUAN_LOCALITY)
    city_departments = {kind: _create(ctx, kind, city, "city", city, None) for kind in orgspec.CITY_KINDS}
    count = len(city_departments)
    for region in ctx.progress(Region.objects.filter(parent=city).order_by("code"), desc="部门"):
        if region.kind == RegionKind.FUNCTIONAL_ZONE:
            _create(ctx, DepartmentKind.ZONE, region, "zone", city, None)
            kinds, level = orgspec.ZONE_BRANCH_KINDS, "zone"
            count += 1
        else:
            kinds, level = orgspec.COUNTY_KINDS, "county"
        county_departments = {kind: _create(ctx, kind, region, level, city, city_departments.get(kind))
                              for kind in kinds}
        count += len(county_departments)
        townships = region.children.filter(level=RegionLevel.TOWNSHIP, kind=RegionKind.ADMINISTRATIVE)
        for township in townships.order_by("code"):
            guide = county_departments.get(DepartmentKind.CGZF)
            _create(ctx, DepartmentKind.TOWNSHIP, township, "township", city, guide)
            count += 1
    ctx.say(f"  部门 {count} 个")


@dataclass(frozen=True)
class Persona:
    username: str
    full_name: str
    kind: str
    role: str
    title: str
    county: bool = False  # in the locality's first county instead of the city


# Every demo account, in one place: the seed creates them, `jianguan demo` prints them, the tests sign in as them
# and README.md lists them.
PERSONAS = [
    Persona("admin", "王建国", DepartmentKind.SJJ, Role.SYSTEM_ADMIN, "系统管理员"),
    Persona("dataadmin", "李静", DepartmentKind.SJJ, Role.DATA_ADMIN, "数据管理员（大数据局）"),
    Persona("scjg_admin", "陈志强", DepartmentKind.SCJG, Role.DEPARTMENT_ADMIN, "市场监管局部门管理员（市级）"),
    Persona("scjg_officer", "张伟", DepartmentKind.SCJG, Role.OFFICER, "市场监管局执法人员（市级）"),
    Persona("xa_scjg_officer", "刘洋", DepartmentKind.SCJG, Role.OFFICER, "区县市场监管局执法人员", county=True),
    Persona("sthj_officer", "周敏", DepartmentKind.STHJ, Role.OFFICER, "生态环境局执法人员（市级）"),
    Persona("legal_reviewer", "吴丽", DepartmentKind.SCJG, Role.LEGAL_REVIEWER, "市场监管局法制审核人员"),
    Persona("scjg_head", "何建华", DepartmentKind.SCJG, Role.HEAD, "市场监管局负责人（审批本局案件和强制措施）"),
    Persona("scjg_publisher", "孙婷", DepartmentKind.SCJG, Role.PUBLISHER,
            "市场监管局信息发布审核人（公示、监管动态）"),
    Persona("leader", "郑国华", DepartmentKind.GOV_OFFICE, Role.LEADER, "领导（只读）"),
]

OFFICERS_PER_DEPARTMENT = {"test": 1, "demo": 2, "city": 6, "bench": 12}


def first_county(city: Region) -> Region | None:
    return city.children.filter(kind=RegionKind.ADMINISTRATIVE).order_by("code").first()


def _credential(ctx: SeedContext, user: User, department: Department, serial: int, rng: random.Random, *,
                valid: bool = True) -> None:
    domains, pool = orgspec.DOMAINS.get(department.kind, (["综合执法"], ["综合"]))
    start = dt.date(rng.randint(2019, 2024), rng.randint(1, 12), 1)
    end = dt.date(2029, 12, 31) if valid else dt.date(2025, rng.randint(1, 12), 28)
    kind_index = orgspec.CITY_KINDS.index(department.kind) + 1 if department.kind in orgspec.CITY_KINDS else 99
    services.credential_add(
        actor=ctx.actor, user=user, number=f"{department.region.gb2260}{kind_index:02d}{serial:05d}",
        issued_by=f"{department.region.full_name.removeprefix('湖北省')}人民政府" if department.region.level <= 4
        else department.region.name, valid_from=start, valid_to=end, domains=domains,
        qualifications=sorted(rng.sample(pool, k=min(len(pool), rng.randint(1, 3)))))


def seed_people(ctx: SeedContext) -> None:
    rng = ctx.rng("people")
    password_hash = make_password(settings.JIANGUAN_DEMO_PASSWORD)
    city = Region.objects.get(code=settings.JIANGUAN_LOCALITY)
    county = first_county(city)
    serial = 0
    for persona in PERSONAS:
        department = Department.objects.get(kind=persona.kind, region=county if persona.county else city)
        user = services.user_create(actor=ctx.actor, username=persona.username, full_name=persona.full_name,
                                    department=department, password_hash=password_hash, roles=[persona.role])
        if persona.role == Role.OFFICER:
            serial += 1
            qualifications = orgspec.DOMAINS[persona.kind][1][:3]
            services.credential_add(
                actor=ctx.actor, user=user, number=f"{department.region.gb2260}{serial:07d}",
                issued_by=f"{city.name}人民政府", valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2029, 12, 31),
                domains=orgspec.DOMAINS[persona.kind][0], qualifications=qualifications)
    per_department = OFFICERS_PER_DEPARTMENT[ctx.scale]
    departments = Department.objects.filter(kind__in=orgspec.ENFORCEMENT_KINDS).select_related("region") \
        .order_by("region_id", "kind")
    last_names = list(PersonProvider.last_names)
    first_names = list(PersonProvider.first_names)
    created = 0
    for department in ctx.progress(departments, desc="执法人员"):
        for n in range(per_department):
            username = f"{department.kind}_{department.region_id}_{n + 1:02d}"
            user = services.user_create(
                actor=ctx.actor, username=username, full_name=rng.choice(last_names) + rng.choice(first_names),
                department=department, password_hash=password_hash, roles=[Role.OFFICER])
            serial += 1
            _credential(ctx, user, department, serial, rng, valid=rng.random() > 0.05)
            created += 1
    ctx.say(f"  演示账号 {len(PERSONAS)} 个，执法人员 {created} 名")


STEPS = [
    SeedStep("区划", 10, seed_regions),
    SeedStep("部门", 20, seed_departments),
    SeedStep("人员", 30, seed_people),
]
