"""Demo one list: the catalog of `data/catalog_demo.json` (real laws and articles), claimed at city and county
level through the real workflow (submit → review → publish), with a year of changes, and the 随机抽查事项清单 and
权力清单 rows linked to it.

Catalog codes are assigned here (14 digits: line number, 主项 number, 子项 number) — demo codes, not national ones.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib.resources import files
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from jianguan.accounts import contracts as accounts
from jianguan.accounts.models import Department, RegionKind, User
from jianguan.audit.contracts import record
from jianguan.core.registry import SeedStep
from jianguan.core.roles import Role
from jianguan.core.seeding import SeedContext

from . import change_requests, publishing
from .models import CatalogItem, ChangeKind, Law, PowerItem, SpotCheckItem

LINE_NUMBERS = {"scjg": 11, "zrzy": 12, "sthj": 13, "jtys": 14, "whly": 15, "wjw": 16, "yj": 17, "ga": 18, "zj": 19,
                "cgzf": 20, "nync": 21, "yb": 22, "jr": 23, "fgw": 24, "sf": 25}
ACTION_CODES = {"check": "行政检查", "penalty": "行政处罚", "coercion": "行政强制", "other": "其他"}
TZ = ZoneInfo("Asia/Shanghai")


def demo_data() -> dict:
    with (files("jianguan.catalog") / "data" / "catalog_demo.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def main_code(line: str, main_index: int) -> str:
    return f"{LINE_NUMBERS[line]:02d}{main_index:04d}{0:08d}"


def sub_code(line: str, main_index: int, sub_index: int) -> str:
    return f"{LINE_NUMBERS[line]:02d}{main_index:04d}{sub_index:08d}"


_admins: dict[int, User] = {}


def department_admin(department: Department) -> User:
    """The department's administrator (a demo account `<line>_<region>_admin` unless a persona is one)."""
    if department.pk in _admins:
        return _admins[department.pk]
    existing = (User.objects.select_related("department__region")
                .filter(department=department, role_grants__role=Role.DEPARTMENT_ADMIN).first())
    if existing:
        _admins[department.pk] = existing
        return existing
    system_admin = User.objects.filter(role_grants__role=Role.SYSTEM_ADMIN).first()
    _admins[department.pk] = accounts.user_create(
        actor=system_admin, username=f"{department.kind}_{department.region_id}_admin",
        full_name=f"{department.short_name}管理员", department=department, password_hash=system_admin.password,
        roles=[Role.DEPARTMENT_ADMIN])
    return _admins[department.pk]


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 30), tzinfo=TZ)


def _publish(reviewer: User, publisher: User, changes: list, title: str, day: dt.date) -> None:
    for change in changes:
        change_requests.change_review(actor=reviewer, change_id=change.pk, approve=True)
    publishing.publication_publish(actor=publisher, title=title, moment=_moment(day),
                                   change_ids=[c.pk for c in changes])


def seed_catalog(ctx: SeedContext) -> None:
    if ctx.scale == "test":
        return  # the test suite builds its own small catalog through the services (tests/catalog_fixtures.py)
    _admins.clear()
    with transaction.atomic():  # one commit for the ~650 changes (each service's own atomic becomes a savepoint)
        _seed_catalog(ctx)


def _seed_catalog(ctx: SeedContext) -> None:
    data = demo_data()
    city_code = settings.JIANGUAN_LOCALITY
    data_admin = User.objects.get(username="dataadmin")
    Law.objects.bulk_create([Law(key=law["key"], title=law["title"], kind=law.get("kind", ""),
                                 version=law.get("version", "")) for law in data["laws"]])
    city = {d.kind: d for d in Department.objects.filter(region_id=city_code)}
    start = dt.date(2024, 1, 1)

    # 1. 主项, then 子项: proposed by each line's city department, reviewed and published by the data office.
    mains, subs, keys = [], [], {}
    counters: dict[str, int] = {}
    for main in data["main_items"]:
        line = main["line"]
        counters[line] = counters.get(line, 0) + 1
        code = main_code(line, counters[line])
        keys[main["key"]] = code
        proposer = department_admin(city[line]) if line in city else data_admin
        mains.append(change_requests.change_submit(actor=proposer, kind=ChangeKind.ITEM_ADD, payload={
            "code": code, "line": line, "name": main["name"], "effective_from": start}))
        for index, sub in enumerate(main["sub_items"], start=1):
            keys[sub["key"]] = sub_code(line, counters[line], index)
            subs.append((proposer, keys[sub["key"]], code, sub))
    _publish(data_admin, data_admin, mains, "监管事项目录（主项）", start - dt.timedelta(days=20))
    sub_changes = [change_requests.change_submit(actor=proposer, kind=ChangeKind.ITEM_ADD, payload={
        "code": code, "parent": parent, "effective_from": start, "name": sub["name"],
        "action_type": sub["action_type"], "supervised_object": sub.get("object", ""),
        "supervision_method": sub.get("method", ""), "supervision_process": sub.get("process", ""),
        "supervision_result": sub.get("result", ""), "levels": sub.get("levels", [3, 4]), "basis": sub["basis"]})
        for proposer, code, parent, sub in ctx.progress(subs, desc="子项")]
    _publish(data_admin, data_admin, sub_changes, "监管事项目录（子项）", start - dt.timedelta(days=15))

    # 2. Claims: city departments, then counties and the zone (a few left unclaimed for the guidance view).
    rng = ctx.rng("catalog-claims")
    claimable = [(keys[s["key"]], main["line"], s) for main in data["main_items"] for s in main["sub_items"]
                 if s.get("implementation")]
    city_claims, county_claims = [], []
    county_departments = list(Department.objects.filter(region__parent_id=city_code).exclude(
        region__kind=RegionKind.OTHER_UNIT).select_related("region", "parent"))
    for code, line, sub in ctx.progress(claimable, desc="认领"):
        fields = _implementation_fields(sub["implementation"], line)
        if 3 in sub.get("levels", [3, 4]) and line in city:
            city_claims.append(change_requests.change_submit(actor=department_admin(city[line]), kind=ChangeKind.CLAIM,
                                                             payload={"item": code, "effective_from": start,
                                                                      "fields": fields}))
        if 4 in sub.get("levels", [3, 4]):
            for department in county_departments:
                if department.kind == line and rng.random() > 0.12:
                    county_claims.append((department, code, fields))
    _publish(data_admin, data_admin, city_claims, "市级部门认领", start - dt.timedelta(days=10))
    by_guide: dict[int, list] = {}
    for department, code, fields in county_claims:
        change = change_requests.change_submit(actor=department_admin(department), kind=ChangeKind.CLAIM,
                                               payload={"item": code, "effective_from": start, "fields": fields})
        by_guide.setdefault(department.parent_id, []).append(change)
    for guide_id, changes in by_guide.items():  # each county claim reviewed by the city department that guides it
        reviewer = department_admin(Department.objects.get(pk=guide_id))
        for change in changes:
            change_requests.change_review(actor=reviewer, change_id=change.pk, approve=True)
    publishing.publication_publish(actor=data_admin, title="区县部门认领", moment=_moment(start - dt.timedelta(days=5)))

    # 3. A year of adjustments.
    _adjustments(ctx, data, keys, data_admin, city)

    # 4. Fusion: spot-check and power list rows linked to their 子项.
    items = {code: item for code, item in CatalogItem.objects.in_bulk(field_name="code").items()}
    for row in data.get("spot_check_items", []):
        spot = SpotCheckItem.objects.create(
            line=row["line"], category="key" if row["category"] == "重点" else "general", name=row["name"],
            basis=row["basis"], supervised_object=row.get("object", ""), ratio=row.get("ratio", ""),
            frequency=row.get("frequency", ""), method=row.get("method", ""))
        if row.get("sub_item") in keys:
            spot.items.add(items[keys[row["sub_item"]]])
    for row in data.get("power_items", []):
        power = PowerItem.objects.create(line=row["line"], power_type=_power_type(row["power_type"]),
                                         name=row["name"], basis=row["basis"])
        if row.get("sub_item") in keys:
            power.items.add(items[keys[row["sub_item"]]])
    record(actor=ctx.actor, verb="catalog.fusion_lists_loaded",
           data={"spot_check_items": len(data.get("spot_check_items", [])),
                 "power_items": len(data.get("power_items", []))})
    ctx.say(f"  监管事项：主项 {len(mains)}，子项 {len(sub_changes)}；认领：市级 {len(city_claims)}，区县 "
            f"{len(county_claims)}")


def _power_type(label: str) -> str:
    return {"行政检查": "check", "行政处罚": "penalty", "行政强制": "coercion"}[label]


def _implementation_fields(defaults: dict, line: str) -> dict:
    random = bool(defaults.get("random"))
    return {"check_category": defaults.get("category") or "现场检查", "check_method": defaults.get("method", "")[:60],
            "in_random_checks": random, "check_ratio": defaults.get("ratio", "") or ("3%" if random else ""),
            "check_frequency": defaults.get("frequency", ""), "content_routine": defaults.get("content_routine", ""),
            "content_special": defaults.get("content_special", ""), "sampling": bool(defaults.get("sampling")),
            "sampling_content": defaults.get("sampling_content", "") or (
                "监督抽检" if defaults.get("sampling") else "")}


def _adjustments(ctx: SeedContext, data: dict, keys: dict, data_admin: User, city: dict) -> None:
    """2025: a rename, a ratio raised, a 子项 split in two, one suspended, one cancelled."""
    scjg = [s for m in data["main_items"] if m["line"] == "scjg" for s in m["sub_items"]]
    checks = [s for s in scjg if s["action_type"] == "check" and s.get("implementation")]
    if len(checks) < 4:
        return
    admin = department_admin(city["scjg"])
    changes = [
        change_requests.change_submit(actor=admin, kind=ChangeKind.ITEM_MODIFY, reason="名称规范化", payload={
            "code": keys[checks[0]["key"]], "effective_from": "2025-03-01",
            "fields": {"name": checks[0]["name"].replace("的监督检查", "监督检查")}}),
        change_requests.change_submit(actor=admin, kind=ChangeKind.ITEM_SPLIT, reason="按业态分别实施", payload={
            "code": keys[checks[1]["key"]], "effective_from": "2025-07-01", "into": [
                {"code": _next_code(keys[checks[1]["key"]], 90), "name": checks[1]["name"] + "（线下）"},
                {"code": _next_code(keys[checks[1]["key"]], 91), "name": checks[1]["name"] + "（网络）"}]}),
        change_requests.change_submit(actor=admin, kind=ChangeKind.ITEM_SUSPEND, reason="职责调整中，暂停实施",
                                      payload={"code": keys[checks[2]["key"]], "effective_from": "2025-09-01"}),
    ]
    implementation = CatalogItem.objects.get(code=keys[checks[3]["key"]]).implementations.filter(
        body=city["scjg"]).first()
    if implementation:
        changes.append(change_requests.change_submit(actor=admin, kind=ChangeKind.IMPL_MODIFY,
                                                     reason="风险较高，提高比例",
                                                     payload={"implementation": implementation.code,
                                                              "effective_from": "2025-04-01",
                                                              "fields": {"check_ratio": "10%"}}))
    _publish(data_admin, data_admin, changes, "2025 年动态调整", dt.date(2025, 2, 20))


def _next_code(code: str, suffix: int) -> str:
    return code[:-2] + f"{suffix:02d}"


STEPS = [SeedStep("监管事项清单", 60, seed_catalog)]
