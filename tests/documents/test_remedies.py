"""The remedies paragraph (复议、诉讼) is one text: a penalty decision (enforcement) and a seizure decision (coercion)
print the same words, read back from their PDFs; the 复议机关 follows 《行政复议法》（2023年修订）第二十四条 for a city
and a county department, a branch of the city's 生态环境局 and a township body."""

from __future__ import annotations

import re
import subprocess
from types import SimpleNamespace

import pytest

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.coercion import measures
from jianguan.documents import contracts as documents
from jianguan.documents.remedies import review_body
from jianguan.enforcement.selectors import document_list
from tests.coercion.world import GOODS, _officer
from tests.enforcement_fixtures import decided, world_fixture  # noqa: F401
from tests.library_fixtures import COERCION, inspect

pytestmark = pytest.mark.django_db
PARAGRAPH = re.compile(r"如不服本决定.*?提起行政诉讼。")


def _paragraph(pdf: bytes) -> str:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    found = PARAGRAPH.search("".join(text.split()))
    assert found, text
    return found.group(0)


def _department(kind: str, region: str) -> Department:
    return Department.objects.select_related("region__parent", "parent__region").get(kind=kind, region_id=region)


def test_enforcement_and_coercion_decisions_print_the_same_paragraph(world, persona):
    case = decided(world)
    penalty = next(d for d in document_list(case=case) if d["kind"] == "penalty_decision")
    _officer(world.city, "rm_a", 901)
    _officer(world.city, "rm_b", 902)
    measure = measures.measure_act_emergency(
        actor=world.city.users.get(username="rm_a"), acted_at=case.created_at,
        kind="seize", inspection_number=inspect(world.entity, number="JC-2025-0901").number, catalog_code=COERCION,
        facts="经营超过保质期的食品", basis="《中华人民共和国食品安全法》第一百一十条第四项", items=GOODS,
        officers=["rm_a", "rm_b"], days=30, place="涉案财物保管室")
    measure = measures.measure_approve(actor=persona("scjg_head"), measure_id=measure.pk)
    seizure = documents.get(measure.decision_document_id)
    assert seizure.kind == "seizure_decision"
    printed = _paragraph(documents.pdf(penalty["id"]))
    assert printed == _paragraph(documents.pdf(seizure.id))
    assert printed == ("如不服本决定，可以自收到本决定书之日起六十日内向咸宁市人民政府申请行政复议，"
                       "也可以自收到本决定书之日起六个月内向有管辖权的人民法院提起行政诉讼。")


def test_a_county_departments_decision_names_the_county_government():
    county = _department(DepartmentKind.SCJG, "421202")
    pdf = documents.render(kind="seizure_decision", department=county, context={"review": documents.remedies(county)})
    paragraph = _paragraph(pdf)
    assert "向咸安区人民政府申请行政复议" in paragraph and "咸宁市" not in paragraph


def test_the_review_body_by_the_kind_of_department():
    """第二十四条: the government at the department's level; 第二十四条第二款: a branch of a city bureau also by the
    district's government; a township body by the county government; 第二十七条: vertically led bodies one level
    up; 第二十八条: a 司法局 by its government or the 司法行政 department one level up."""
    assert review_body(_department(DepartmentKind.SCJG, "421200")) == "咸宁市人民政府"
    assert review_body(_department(DepartmentKind.SCJG, "421202")) == "咸安区人民政府"
    branch = _department(DepartmentKind.STHJ, "421202")
    assert branch.name.endswith("咸安分局")
    assert review_body(branch) == "咸宁市人民政府或者咸安区人民政府"
    township = Department.objects.select_related("region__parent").filter(kind=DepartmentKind.TOWNSHIP).first()
    assert review_body(township) == f"{township.region.parent.name}人民政府"
    justice = _department(DepartmentKind.SF, "421202")
    assert review_body(justice).startswith("咸安区人民政府或者")
    city_region = _department(DepartmentKind.SCJG, "421200").region
    customs_parent = SimpleNamespace(name="武汉海关", kind="customs", region=city_region)
    customs = SimpleNamespace(name="咸宁海关", kind="customs", region=city_region, parent=customs_parent)
    assert review_body(customs) == "武汉海关"
