"""Quality-engine benchmark (issue "Data exchange and quality"): records of 行政检查行为 checked per second by
`jianguan.exchange.quality.engine.check` against a per-record pydantic v2 model of the same rules, in the same run,
in one process. Goals: at least 100,000 records/s, and at least 3× the pydantic model.

The records are realistic: thousands of entities with valid USCCs (organisations and 个体工商户), a few dozen
departments with their implementation rows, dates over two years, reports a few days later, pairs of inspectors
from a pool; about 5 % carry one fault each (a wrong check character, a missing or impossible date, a report
before the check, a value outside its dictionary, a code of the wrong length, a category that does not match
the code, a reference that does not resolve or was not in force, a repeated 记录唯一标识 …). Both sides check
the references against the same in-memory look-ups and must agree on which records fail.

The engine runs from cold caches (`engine.forget()`: no check character or date remembered from before). The
pydantic model validates each record with `model_validate`: types, lengths, patterns and dictionaries (as
Literal types) in pydantic's core, check characters through jianguan.core.codes, the cross-field rules and the
references in an after-validator; then a pass over the records finds duplicates.

Run from the repository root: `python -m bench.quality_bench --records 200000`; prints one JSON line
{"records", "engine_rps", "pydantic_rps", "ratio", …}: the engine and the model run alternately `--rounds` times
(default 3) on the same records, and each figure is the median of the rounds (CPU seconds of this process; the
wall-clock seconds of each round are listed beside).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import time
import uuid
from typing import Annotated, Any, Literal

from annotated_types import Len
from pydantic import (
    BaseModel,
    ConfigDict,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from jianguan.core import codes
from jianguan.core.codes import USCC_ALPHABET, build_uscc
from jianguan.exchange import standards
from jianguan.exchange.quality import engine, reference
from jianguan.exchange.standards import rules
from jianguan.exchange.standards import values as v

STANDARD = standards.get("inspection")
INSPECTORS = [a + b for a in "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗"
              for b in ("伟", "强", "敏", "静", "磊", "洋", "勇", "艳", "杰", "娟")]
RESULTS = ["未发现问题"] * 14 + ["发现问题已责令改正", "发现问题待进一步处理", "未按规定公示有关信息",
                                  "通过登记的住所或者经营场所无法联系", "1；E"]
FORMS = ["日常检查", "双随机抽查", "专项检查", "投诉举报核查"]
START = dt.date(2024, 1, 1)
DAYS = 730


def _body(rng: random.Random) -> str:
    return "".join(rng.choice(USCC_ALPHABET[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))


def world(rng: random.Random, entities: int) -> dict[str, Any]:
    """Entities, departments, catalog codes with their windows, implementation rows, in-memory references."""
    regions = sorted(standards.dictionary("行政区划代码").values) or ["110105"]
    catalog = {f"11{n:012d}": [(START - dt.timedelta(days=365), None)] for n in range(1, 61)}
    late = sorted(catalog)[-5:]  # five items in force only from the second year
    for code in late:
        catalog[code] = [(START + dt.timedelta(days=365), None)]
    departments = []
    for n in range(40):
        uscc = build_uscc(authority="1", category="1", region=rng.choice(regions), org_body=f"{n + 1:08d}")
        departments.append({"name": f"第{n + 1}市场监督管理局", "code": uscc,
                            "rows": [(f"{uscc}{rng.randint(3, 4)}{item}01", item)
                                     for item in rng.sample(sorted(catalog), 8)]})
    implementations = {code: (item, d["code"], catalog[item]) for d in departments for code, item in d["rows"]}
    people = []
    for n in range(entities):
        individual = rng.random() < 0.35
        uscc = build_uscc(authority="9", category="2" if individual else "1", region=rng.choice(regions),
                          org_body=_body(rng))
        name = f"示例{n}{'个体店' if individual else '商贸有限公司'}"
        people.append((uscc, name, "individual" if individual else "organisation", rng.choice(regions),
                       f"示例区示例路{rng.randint(1, 999)}号"))
    refs = reference.MemoryRefs(catalog=catalog, implementations=implementations)
    return {"departments": departments, "entities": people, "refs": refs, "late": set(late)}


def _faults(rng: random.Random, record: dict[str, Any], previous: dict[str, Any] | None, late: set[str]) -> None:
    kind = rng.randrange(14)
    if kind == 0:
        code = record["party_code"]
        record["party_code"] = code[:17] + ("0" if code[17] != "0" else "1")
    elif kind == 1:
        record["date"] = ""
    elif kind == 2:
        record["date"] = "2025-02-30"
    elif kind == 3:
        day = dt.date.fromisoformat(record["date"])
        record["reported_at"] = f"{day - dt.timedelta(days=2)} 09:00:00"
    elif kind == 4:
        record["result"] = "情况良好"
    elif kind == 5:
        record["number"] = "JC" + "9" * 60
    elif kind == 6:
        record["catalog_code"] = record["catalog_code"][:13]
    elif kind == 7:
        record["party_nature"] = "individual" if record["party_nature"] == "organisation" else "organisation"
    elif kind == 8:
        record["implementation_code"] = record["implementation_code"][:-2] + "99"
    elif kind == 9 and record["catalog_code"] in late:
        record["date"] = (START + dt.timedelta(days=10)).isoformat()
    elif kind == 9 or kind == 10:
        record["inspectors"] = []
    elif kind == 11 and previous is not None:
        record["record_id"] = previous["record_id"]
    elif kind == 11 or kind == 12:
        record["region_code"] = "99999"
    else:
        record["form"] = None


def make_records(n: int, seed: int = 1, invalid: float = 0.05) -> tuple[list[dict[str, Any]], reference.MemoryRefs]:
    """`n` inspection records keyed by ascii ids (as the exchange sends them) and the references they cite."""
    rng = random.Random(seed)
    w = world(rng, max(1000, n // 4))
    records: list[dict[str, Any]] = []
    for i in range(n):
        uscc, name, nature, region, address = rng.choice(w["entities"])
        department = rng.choice(w["departments"])
        code, item = rng.choice(department["rows"])
        day = START + dt.timedelta(days=rng.randrange(DAYS))
        if item in w["late"] and day < START + dt.timedelta(days=365):
            day += dt.timedelta(days=365)
        reported = dt.datetime.combine(day + dt.timedelta(days=rng.randint(0, 25)),
                                       dt.time(rng.randint(8, 18), rng.randint(0, 59), rng.randint(0, 59)))
        pair = rng.sample(INSPECTORS, 2)
        record = {
            "record_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "department_name": department["name"], "department_code": department["code"],
            "delegated_by_name": "", "delegated_by_code": "", "object_type": "entity", "object_name": name,
            "party_name": name, "party_nature": nature, "party_id_type": "001", "party_code": uscc,
            "registered_address": address, "business_address": "", "region_code": region,
            "reported_at": reported.strftime("%Y-%m-%d %H:%M:%S"), "reported_by": rng.choice(INSPECTORS),
            "spot_check_plan": "", "catalog_code": item, "implementation_code": code, "name": "日常监督检查",
            "number": f"JC{day:%Y%m%d}{i:07d}", "form": rng.choice(FORMS), "category": "1", "method": "现场检查",
            "result": rng.choice(RESULTS), "date": day.isoformat(), "inspectors": pair,
            "credential_numbers": [f"{INSPECTORS.index(p):013d}" for p in pair]}
        if rng.random() < invalid:
            _faults(rng, record, records[-1] if records else None, w["late"])
        records.append(record)
    return records, w["refs"]


# The same rules as a per-record pydantic v2 model ----------------------------------------------------------------


def _accepted(name: str) -> frozenset[str]:
    return standards.dictionary(name).accepted


def Choice(name: str):
    """A dictionary field as pydantic users write it: a Literal of its codes and accepted labels."""
    return Literal[tuple(sorted(_accepted(name)))]


def _results(value: str) -> str:
    accepted = RESULTS_ACCEPTED
    if value in accepted or ("；" in value and all(part in accepted for part in value.split("；"))):
        return value
    raise ValueError("not in 检查结果")


def Text(max_len: int, *, required: bool = False, pattern: str | None = None, exact: bool = False):
    return Annotated[str, StringConstraints(min_length=max_len if exact else int(required), max_length=max_len,
                                            pattern=f"^(?:{pattern})$" if pattern else None)]


RESULTS_ACCEPTED = _accepted("检查结果")
CODES = {name: standards.dictionary(name).aliases for name in ("行政相对人类别", "证件类型")}
PREFIXES = standards.get("inspection").category_prefixes()


def _uscc(code: str) -> bool:
    return codes.uscc_error(code) is None


def _ric(code: str) -> bool:
    return codes.ric_error(code) is None


class InspectionModel(BaseModel):
    """行政检查行为 as a pydantic model with the rules of jianguan.exchange.standards.inspection: types, lengths,
    patterns and dictionaries (Literal) in pydantic; check characters with jianguan.core.codes; the cross-field
    rules and the references in an after-validator."""

    model_config = ConfigDict(extra="forbid")

    record_id: Text(64, required=True)
    department_name: Text(100) | None = None
    department_code: Text(20) | None = None
    delegated_by_name: Text(100) | None = None
    delegated_by_code: Text(20) | None = None
    object_type: Choice("监管行为监管对象类型") | None = None
    object_name: Text(200, required=True)
    party_name: Text(200, required=True)
    party_nature: Choice("行政相对人类别")
    party_id_type: Choice("证件类型")
    party_code: Text(20, required=True, pattern=f"{v.USCC_SHAPE}|{v.RIC_SHAPE}")
    registered_address: Text(400) | None = None
    business_address: Text(400) | None = None
    region_code: Choice("行政区划代码")
    reported_at: dt.datetime | None = None
    reported_by: Text(50) | None = None
    spot_check_plan: Text(50) | None = None
    catalog_code: Text(14, exact=True, pattern="[0-9]{14}")
    implementation_code: Annotated[str, StringConstraints(min_length=1, pattern=f"^{v.IMPL_SHAPE}$")]
    name: Text(500, required=True)
    number: Text(50, required=True)
    form: Choice("检查形式")
    category: Choice("检查类别")
    method: Choice("检查方式") | None = None
    result: Text(1000, required=True)
    date: dt.date
    inspectors: Annotated[list[Text(50, required=True)], Len(min_length=1)]
    credential_numbers: list[Text(50, required=True)] | None = None

    _result = field_validator("result")(_results)

    @field_validator("party_code")
    @classmethod
    def _party_code(cls, value: str) -> str:
        if not (_uscc(value) or _ric(value)):
            raise ValueError("check character")
        return value

    @field_validator("implementation_code")
    @classmethod
    def _implementation(cls, value: str) -> str:
        if not _uscc(value[:18]):
            raise ValueError("check character")
        return value

    @model_validator(mode="after")
    def _record(self, info: ValidationInfo) -> InspectionModel:
        if self.reported_at is not None and self.reported_at.date() < self.date:
            raise ValueError("报送时间不得早于检查时间")
        code = self.party_code
        prefixes = PREFIXES.get(CODES["行政相对人类别"].get(self.party_nature, self.party_nature))
        if prefixes == ("ric",) and not _ric(code):
            raise ValueError("category")
        if prefixes and prefixes != ("ric",) and not (code[:2] in prefixes and _uscc(code)):
            raise ValueError("category")
        id_type = CODES["证件类型"].get(self.party_id_type, self.party_id_type)
        if (id_type == "001" and not _uscc(code)) or (id_type == "111" and not _ric(code)):
            raise ValueError("id type")
        refs = info.context["refs"]
        periods = refs.catalog_windows({self.catalog_code}).get(self.catalog_code)
        if periods is None or not rules.in_windows(periods, self.date):
            raise ValueError("catalog")
        found = refs.implementation_windows({self.implementation_code}).get(self.implementation_code)
        if found is None or not rules.in_windows(found[2], self.date) or found[0] != self.catalog_code or (
                self.department_code and found[1] != self.department_code):
            raise ValueError("implementation")
        return self


def pydantic_check(records: list[dict[str, Any]], refs: reference.MemoryRefs) -> list[bool]:
    """Per record: model_validate; then duplicates of 记录唯一标识 and 检查行为编号 among the records."""
    context = {"refs": refs}
    ok = []
    for record in records:
        try:
            InspectionModel.model_validate(record, context=context)
        except ValidationError:
            ok.append(False)
        else:
            ok.append(True)
    for key in ("record_id", "number"):
        seen: set[str] = set()
        for i, record in enumerate(records):
            value = record.get(key)
            if value:
                if value in seen:
                    ok[i] = False
                seen.add(value)
    return ok


def _timed(call: Any) -> tuple[Any, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = call()
    return result, time.process_time() - cpu, time.perf_counter() - wall


def measure(n: int, seed: int, rounds: int) -> dict[str, Any]:
    """Both sides on the same records, alternately, `rounds` times; each figure is the median over the rounds,
    timed by the CPU time of this process (so that other processes on a shared machine count as little as
    they can; wall-clock seconds are reported beside)."""
    records, refs = make_records(n, seed)
    engine_s, slow_s, engine_wall, slow_wall = [], [], [], []
    for _ in range(rounds):
        engine.forget()
        verdicts, cpu, wall = _timed(lambda: engine.check(STANDARD, records, refs=refs))
        engine_s.append(cpu)
        engine_wall.append(wall)
        engine.forget()  # the model calls jianguan.core.codes, but leave it nothing remembered either
        baseline, cpu, wall = _timed(lambda: pydantic_check(records, refs))
        slow_s.append(cpu)
        slow_wall.append(wall)
        engine_ok = [verdict.ok for verdict in verdicts]
        if engine_ok != baseline:
            differ = [i for i, (a, b) in enumerate(zip(engine_ok, baseline, strict=True)) if a != b]
            raise SystemExit(f"engine and pydantic model disagree on {len(differ)} records, e.g. {differ[:5]}")
    fast, slow = statistics.median(engine_s), statistics.median(slow_s)
    return {"records": n, "engine_rps": round(n / fast), "pydantic_rps": round(n / slow),
            "ratio": round(statistics.median(p / e for p, e in zip(slow_s, engine_s, strict=True)), 2),
            "invalid": engine_ok.count(False), "rounds": rounds,
            "engine_cpu_s": [round(x, 3) for x in engine_s], "pydantic_cpu_s": [round(x, 3) for x in slow_s],
            "engine_wall_s": [round(x, 3) for x in engine_wall], "pydantic_wall_s": [round(x, 3) for x in slow_wall]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3, help="engine and model alternately, medians reported")
    args = parser.parse_args()
    print(json.dumps(measure(args.records, args.seed, args.rounds)))


if __name__ == "__main__":
    main()
