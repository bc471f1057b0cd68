"""A small catalog built through the services, the way a city builds its own: laws, a 主项, 子项, claims."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.accounts.models import Department, DepartmentKind, User
from jianguan.catalog import change_requests, publishing
from jianguan.catalog.models import ChangeKind, Law

PASSWORD = "Yanshi@2026"

MAIN = "11000000000100"
FOOD = "11000000000101"
DRUG = "11000000000102"
START = dt.date(2025, 1, 1)


def food_fields(**extra) -> dict:
    return {"name": "对食品生产者的监督检查", "action_type": "check", "supervised_object": "食品生产者",
            "supervision_method": "现场检查、抽样检验", "levels": [3, 4],
            "basis": [{"law": "食品安全法", "article": "第一百一十条", "clause": "",
                       "text": "县级以上人民政府食品安全监督管理部门履行食品安全监督管理职责，有权采取下列措施"}],
            **extra}


def publish(world: dict, *changes, on: dt.datetime | None = None):
    """Approve (by the second data administrator) and publish the given changes (by the first)."""
    for change in changes:
        if change.status == "submitted":
            change_requests.change_review(actor=world["reviewer"], change_id=change.pk, approve=True)
    return publishing.publication_publish(actor=world["data_admin"], title="测试发布",
                                          change_ids=[c.pk for c in changes], moment=on)


@pytest.fixture
def laws(db):
    Law.objects.get_or_create(key="食品安全法", defaults={"title": "中华人民共和国食品安全法", "kind": "法律"})
    Law.objects.get_or_create(key="药品管理法", defaults={"title": "中华人民共和国药品管理法", "kind": "法律"})


@pytest.fixture
def small_catalog(laws, persona):
    """A 主项 with two 子项 in force from 2025-01-01, claimed by the city's and 咸安区's 市场监管局."""
    data_admin = persona("dataadmin")
    main = change_requests.change_submit(actor=data_admin, kind=ChangeKind.ITEM_ADD, payload={
        "code": MAIN, "line": DepartmentKind.SCJG, "name": "食品药品安全监督检查", "effective_from": START})
    food = change_requests.change_submit(actor=data_admin, kind=ChangeKind.ITEM_ADD, payload={
        "code": FOOD, "parent": None, "line": DepartmentKind.SCJG, "effective_from": START, **food_fields()})
    # The 子项 needs its 主项 first: publish the 主项, then the 子项.
    reviewer = persona("admin")  # a second person reviews what the data administrator proposed
    reviewer.role_grants.create(role="data_admin")
    reviewer = User.objects.get(pk=reviewer.pk)
    for change in (main,):
        change_requests.change_review(actor=reviewer, change_id=change.pk, approve=True)
    publishing.publication_publish(actor=data_admin, title="主项", change_ids=[main.pk])
    change_requests.change_withdraw(actor=data_admin, change_id=food.pk)
    subs = [change_requests.change_submit(actor=data_admin, kind=ChangeKind.ITEM_ADD, payload={
        "code": code, "parent": MAIN, "effective_from": START, **fields})
        for code, fields in ((FOOD, food_fields()),
                             (DRUG, {**food_fields(name="对药品经营企业的监督检查", supervised_object="药品经营企业"),
                                     "basis": [{"law": "药品管理法", "article": "第九十九条"}]}))]
    for change in subs:
        change_requests.change_review(actor=reviewer, change_id=change.pk, approve=True)
    publishing.publication_publish(actor=data_admin, title="子项", change_ids=[c.pk for c in subs])
    claims = []
    for region in ("421200", "421202"):
        admin = department_admin(DepartmentKind.SCJG, region)
        claims.append(change_requests.change_submit(actor=admin, kind=ChangeKind.CLAIM, payload={
            "item": FOOD, "effective_from": START, "fields": {
                "check_category": "现场检查", "check_method": "现场检查", "in_random_checks": True,
                "check_ratio": "5%", "check_frequency": "每年1次", "content_routine": "生产环境、进货查验、出厂检验"}}))
    for change in claims:
        change_requests.change_review(actor=reviewer, change_id=change.pk, approve=True)
    publishing.publication_publish(actor=data_admin, title="认领", change_ids=[c.pk for c in claims])
    return {"data_admin": data_admin, "reviewer": reviewer}


def department_admin(kind: str, region: str) -> User:
    """The department administrator of a department (created when the seed has none)."""
    department = Department.objects.get(kind=kind, region_id=region)
    user = User.objects.filter(department=department, role_grants__role="department_admin").first()
    if user is None:
        user = User.objects.create(username=f"{kind}_{region}_admin", full_name="管理员", department=department)
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        user.role_grants.create(role="department_admin")
        user = User.objects.get(pk=user.pk)
    return user
