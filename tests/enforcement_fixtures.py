"""Shared world of the enforcement tests (imported by tests/enforcement/): the city 市场监管局 with its head
(负责人, role head), two credentialed officers, an officer whose 执法证 has expired, the legal reviewer, a
penalty 子项 and the food inspection row of the list, and a 咸安区 entity as the party."""

from __future__ import annotations

import datetime as dt
import hashlib
from types import SimpleNamespace

import pytest

from jianguan.accounts.models import Department, DepartmentKind, OfficerCredential, User
from jianguan.catalog.models import Implementation
from jianguan.enforcement import registration, transitions
from tests.catalog_fixtures import FOOD
from tests.conftest import PASSWORD
from tests.library_fixtures import PENALTY

FIVE_THOUSAND = "5000"


def make_user(username: str, full_name: str, department: Department, roles: list[str],
              credential: tuple[dt.date, dt.date] | None = None) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(username=username, full_name=full_name, department=department)
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        for role in roles:
            user.role_grants.create(role=role)
        if credential:
            OfficerCredential.objects.create(user=user, number=f"T{user.pk:012d}", issued_by="咸宁市人民政府",
                                             valid_from=credential[0], valid_to=credential[1])
    return User.objects.select_related("department__region").get(pk=user.pk)


@pytest.fixture(name="world")
def world_fixture(enforcement_items, xianan_entity, persona):
    city = Department.objects.select_related("region").get(kind=DepartmentKind.SCJG, region_id="421200")
    valid = (dt.date(2024, 1, 1), dt.date(2029, 12, 31))
    return SimpleNamespace(
        city=city, entity=xianan_entity, catalog=PENALTY,
        implementation=Implementation.objects.get(item__code=FOOD, body=city).code,
        officer=persona("scjg_officer"),
        partner=make_user("case_officer_b", "李强", city, ["officer"], valid),
        expired=make_user("case_officer_x", "王晨", city, ["officer"], (dt.date(2020, 1, 1), dt.date(2024, 6, 30))),
        head=make_user("scjg_head", "赵局长", city, ["head"]),
        reviewer=persona("legal_reviewer"), admin=persona("scjg_admin"), outsider_leader=persona("leader"))


_refs = iter(range(1, 10_000))


def register(w, *, received_on: dt.date = dt.date(2026, 10, 12), party: dict | None = None):
    return registration.case_register(actor=w.officer, department=w.city, party=party or {"uscc": w.entity.uscc},
                                  summary="群众举报该店销售过期食品", source="report",
                                  source_ref=f"JB-T-{next(_refs):05d}", received_on=received_on)


def act(w, case, action: str, who, data: dict | None = None, today: dt.date | None = None):
    return transitions.case_transition(actor=who, case_id=case.pk, action=action, data=data or {}, today=today)


FILING = {"officers": ["scjg_officer", "case_officer_b"], "cause": "销售超过保质期的食品", "catalog_code": PENALTY}
ENDING = {"facts": "当事人销售超过保质期的食品 12 袋", "violated": "《食品安全法》第三十四条第十项",
          "basis": "《食品安全法》第一百二十四条第一款", "penalty_kinds": ["01", "02"], "fine": FIVE_THOUSAND}


def filed(w, *, today: dt.date | None = None, received_on: dt.date = dt.date(2026, 10, 12)):
    """A case filed (立案) and under investigation, with an on-site record (and so an inspection number)."""
    case = register(w, received_on=received_on)
    act(w, case, "propose_filing", w.officer, {**FILING, "implementation_code": w.implementation}, today)
    act(w, case, "approve_filing", w.head, {"opinion": "同意立案"}, today)
    return act(w, case, "record_onsite", w.officer, {"place": "经营场所", "findings": "货架上有过期食品 12 袋"},
               today)


def decided(w, *, ending: dict | None = None):
    case = filed(w)
    act(w, case, "end_investigation", w.officer, ending or ENDING)
    act(w, case, "notify", w.officer)
    return act(w, case, "decide", w.head, {"outcome": "penalty", "opinion": "同意"})


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
