"""The world of the credit-classification tests: records written straight into the libraries' tables (the
classification reads tables, not services), a scorecard written to a temporary folder, and a published run."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.behaviour.models import Coercion, Inspection, Penalty
from jianguan.core.actors import SystemActor
from jianguan.credit import classification
from jianguan.credit import scorecard as cards
from jianguan.credit.models import CreditKind, CreditRecord
from jianguan.subjects.models import MarketEntity
from tests.enforcement_fixtures import make_user

SYSTEM = SystemActor("test:credit")
START = dt.date(2026, 3, 2)  # the 严重违法失信名单 tests' first day
TODAY = dt.date(2026, 12, 7)
_serial = itertools.count(1)
CARD = cards.path_of("credit-risk", "2026.1")


def city() -> Department:
    return Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")


def _shared(entity: MarketEntity, day: dt.date, prefix: str) -> dict[str, Any]:
    return {"number": f"{prefix}{next(_serial):08d}", "name": "检查", "department": city(), "catalog_code": "1" * 14,
            "object_name": entity.name, "entity": entity, "party_name": entity.name, "party_nature": "1",
            "party_id_type": "001", "party_code": entity.uscc, "region_id": entity.region_id, "date": day}


def inspection(entity: MarketEntity, *, problem: bool = True, day: dt.date = dt.date(2026, 6, 1)) -> Inspection:
    result = "发现问题已责令整改" if problem else "未发现问题"
    return Inspection.objects.create(**_shared(entity, day, "JC"), implementation_code="X", form="日常检查",
                                     category="1", result=result)


def penalty(entity: MarketEntity, *, closed: bool = True, day: dt.date = dt.date(2026, 6, 1)) -> Penalty:
    return Penalty.objects.create(**_shared(entity, day, "CF"), case_source="检查", inspection_number="",
                                  facts="事实", basis="依据", procedure="02", decision_number=f"罚{next(_serial)}",
                                  result="罚款1000元", closed_on=day if closed else None)


def coercion(entity: MarketEntity, *, day: dt.date = dt.date(2026, 6, 1)) -> Coercion:
    return Coercion.objects.create(**_shared(entity, day, "QZ"), inspection_number="", facts="事实", basis="依据",
                                   decision_number=f"强{next(_serial)}", kind="measure", measure_type="扣押")


def credit(entity: MarketEntity, kind: str, *, day: dt.date = dt.date(2026, 3, 1), ends_on: dt.date | None = None,
           title: str = "事由") -> CreditRecord:
    return CreditRecord.objects.create(kind=kind, entity=entity, region_id=entity.region_id, source="测试",
                                       source_ref=f"R{next(_serial)}", date=day, title=title, ends_on=ends_on)


def entities(count: int, *, offset: int = 0) -> list[MarketEntity]:
    return list(MarketEntity.objects.order_by("pk")[offset:offset + count])


def write_card(folder: Path, **changes: Any) -> tuple[str, str]:
    """A copy of the demo scorecard under a new version in `folder`, with `changes` applied to its top level;
    `indicator=(id, {field: value})` changes one indicator."""
    data = json.loads(CARD.read_text())
    data["version"] = changes.pop("version", "9.9")
    indicator = changes.pop("indicator", None)
    data.update(changes)
    if indicator is not None:
        ident, fields = indicator
        for family in data["families"]:
            for item in family["indicators"]:
                if item["id"] == ident:
                    item.update(fields)
    (folder / f"{data['name']}-{data['version']}.json").write_text(json.dumps(data, ensure_ascii=False))
    return data["name"], data["version"]


@pytest.fixture
def card_folder(tmp_path, monkeypatch):
    """Scorecards read from a temporary folder holding a copy of the demo scorecard."""
    monkeypatch.setattr(cards, "FOLDER", tmp_path)
    (tmp_path / CARD.name).write_text(CARD.read_text())
    return tmp_path


@pytest.fixture
def head(persona):
    return persona("scjg_head")


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    return TODAY


@pytest.fixture
def risky(db, today):
    """Entities 0–39 with a problem found and a penalty (0–9 unperformed), 40–44 in the 经营异常名录, 45 on the
    严重违法失信名单; the others clean."""
    found = entities(46)
    for index, entity in enumerate(found[:40]):
        inspection(entity)
        penalty(entity, closed=index >= 10)
    for entity in found[40:45]:
        credit(entity, CreditKind.ABNORMAL)
    credit(found[45], CreditKind.SERIOUS)
    return found


@pytest.fixture
def published(risky, head):
    """The demo scorecard published and a run of it published."""
    classification.scorecard_publish(name="credit-risk", version="2026.1", actor=head)
    run = classification.run_start(actor=SYSTEM)
    classification.run_execute(run_id=run.pk, actor=SYSTEM)
    return classification.run_publish(run_id=run.pk, actor=head)


class Clock:
    """Today as the tests set it (`clock.day`), from `START`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.day = START
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: self.day)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def people(persona):
    """The city 市场监管局's officer and head, the 咸安区 bureau's officer and a head made for it."""
    county = persona("xa_scjg_officer").department
    return {"officer": persona("scjg_officer"), "head": persona("scjg_head"),
            "county_officer": persona("xa_scjg_officer"),
            "county_head": make_user("xa_scjg_head", "钱局长", county, ["head"])}
def repairable_penalty(entity: MarketEntity, *, day: dt.date, **change: Any) -> Penalty:
    """A closed 一般程序 fine of the city 市场监管局 (published 3 years, repairable after 6 months)."""
    made = penalty(entity, day=day)
    nature = "individual" if entity.uscc.startswith("92") else "organisation"
    Penalty.objects.filter(pk=made.pk).update(**{"penalty_kinds": ["02"], "fine": "50000", "name": "销售过期商品",
                                                 "party_nature": nature, **change})
    made.refresh_from_db()
    return made


def repair_application(entity: MarketEntity, *, today: dt.date | None = None) -> Any:
    """An application from the public portal about a repairable penalty of 300 days before `today`."""
    from jianguan.credit import repair

    today = today or timezone.localdate()
    made = repairable_penalty(entity, day=today - dt.timedelta(days=300))
    values = {"uscc": made.party_code, "decision_number": made.decision_number, "applicant_name": "王经理",
              "applicant_phone": "13800000000", "correction": "已缴清罚款并完成整改"}
    return repair.repair_apply(actor=SystemActor("public-portal"), channel="portal", values=values, today=today,
                               commitment=repair.Upload("承诺书.pdf", b"%PDF-1.4 c"),
                               proofs=[repair.Upload("整改.png", b"\x89PNG\r\n\x1a\n p")])
