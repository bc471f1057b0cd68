"""The monthly risk report (风险预警月报) of one department or of everything the reader sees (city-wide for the
wide-read roles): the alerts of the month by model, band and region, how their verification kept its clock, their
outcomes, each model's precision and recall (`measures`), the control sample, and the subjects with the most
alerts. A read: scoped like every read of alerts (`core.scoping`); a department out of the reader's scope is
not found (404), like one that does not exist.

The month of an alert is its window (the month of capture). Verification is in time when the decision's date is
on or before the due date (15 working days, extended once: 《市场监督管理行政处罚程序规定》第十八条), late when
after it; an open alert is overdue once its due date has passed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jianguan.accounts.models import Department, Region, RegionLevel
from jianguan.core.errors import NotFound, ValidationFailed
from jianguan.core.scoping import HasScope

from .measures import DECIDED, Measure, measure_list
from .models import Alert, AlertStatus, RiskModel
from .workflow import OPEN

BANDS = ("红", "橙", "黄")
TOP = 10
ALERT_FIELDS = ("model", "band", "region_id", "status", "verify_due", "decided_at", "subject_key", "subject_name",
                "entity__uscc", "score")


@dataclass(frozen=True)
class Timeliness:
    decided_in_time: int = 0
    decided_late: int = 0
    open_in_time: int = 0
    open_overdue: int = 0

    def rows(self) -> list[tuple[str, int]]:
        """(label to translate, count) of each kind."""
        return [(gettext_noop("按期处置"), self.decided_in_time), (gettext_noop("逾期处置"), self.decided_late),
                (gettext_noop("核查中未逾期"), self.open_in_time), (gettext_noop("逾期未处置"), self.open_overdue)]


@dataclass(frozen=True)
class TopSubject:
    name: str
    uscc: str
    alerts: int
    score: float
    models: tuple[str, ...]


@dataclass(frozen=True)
class Controls:
    drawn: int = 0
    decided: int = 0
    misses: int = 0


@dataclass(frozen=True)
class Report:
    month: str
    department: Department | None
    total: int
    by_model: list[tuple[str, int]]
    by_band: list[tuple[str, int]]
    by_region: list[tuple[str, int]]
    outcomes: list[tuple[str, int]]
    timeliness: Timeliness
    measures: list[Measure]
    controls: Controls
    top: list[TopSubject]
    generated_at: dt.datetime = field(default_factory=timezone.localtime)

    @property
    def scope_label(self) -> str:
        return self.department.name if self.department is not None else _("本辖区全部部门")


def department_in_scope(*, reader: HasScope, department_id: object) -> Department | None:
    """The department asked for (None for all the reader sees); NotFound when it is outside the reader's scope."""
    if department_id in (None, ""):
        return None
    if not re.fullmatch(r"[0-9]{1,18}", str(department_id)):
        raise ValidationFailed("部门应为部门编号（数字）", code="department_invalid", field="department")
    department = Department.objects.select_related("region").filter(pk=int(str(department_id))).first()
    scope = reader.scope
    if department is None or not scope.covers_department(department.pk) \
            or not scope.covers_region(department.region_id):
        raise NotFound()
    return department


def report_departments(*, reader: HasScope) -> list[tuple[int, str]]:
    """The departments the reader may choose: those of the alerts they see."""
    pairs = Alert.objects.visible_to(reader).values_list("department_id", "department__name").distinct()
    return sorted(set(pairs), key=lambda pair: pair[1])


def _timeliness(rows: Sequence[Mapping[str, Any]], today: dt.date) -> Timeliness:
    counts: Counter[str] = Counter()
    for row in rows:
        due = row["verify_due"]
        if row["status"] in DECIDED and row["decided_at"] is not None:
            late = due is not None and timezone.localdate(row["decided_at"]) > due
            counts["decided_late" if late else "decided_in_time"] += 1
        elif row["status"] in OPEN:
            counts["open_overdue" if due is not None and today > due else "open_in_time"] += 1
    return Timeliness(**counts)


def _regions(rows: Sequence[Mapping[str, Any]]) -> list[tuple[str, int]]:
    """Alerts per county (a township's alert counted in its county), most first."""
    counted = Counter(row["region_id"] for row in rows)
    regions = Region.objects.select_related("parent").in_bulk(list(counted))
    names: Counter[str] = Counter()
    for code, count in counted.items():
        region = regions[code]
        if region.level > RegionLevel.COUNTY and region.parent is not None:
            region = region.parent
        names[region.name] += count
    return sorted(names.items(), key=lambda item: (-item[1], item[0]))


def _top(rows: Sequence[Mapping[str, Any]]) -> list[TopSubject]:
    subjects: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        subjects.setdefault(row["subject_key"], []).append(row)
    ranked = sorted(subjects.values(), key=lambda group: (-len(group), -max(r["score"] for r in group),
                                                          group[0]["subject_name"]))
    return [TopSubject(name=group[0]["subject_name"], uscc=group[0]["entity__uscc"] or "", alerts=len(group),
                       score=max(r["score"] for r in group),
                       models=tuple(str(RiskModel(r["model"]).label) for r in group))
            for group in ranked[:TOP]]


def _controls(alerts: QuerySet[Alert]) -> Controls:
    statuses = list(alerts.filter(control=True).values_list("status", flat=True))
    decided = [status for status in statuses if status in DECIDED]
    return Controls(drawn=len(statuses), decided=len(decided),
                    misses=sum(1 for status in decided if status != AlertStatus.UNFOUNDED))


def risk_report(*, reader: HasScope, month: str, department: Department | None = None,
                today: dt.date | None = None) -> Report:
    """The report of `month` over the alerts `reader` sees, of `department` only when given (checked in scope by
    `department_in_scope`)."""
    scoped = Alert.objects.visible_to(reader)
    if department is not None:
        scoped = scoped.filter(department_id=department.pk)
    month_alerts = scoped.filter(window=month)
    rows = list(month_alerts.filter(control=False).values(*ALERT_FIELDS))
    models, bands, statuses = (Counter(row[key] for row in rows) for key in ("model", "band", "status"))
    return Report(
        month=month, department=department, total=len(rows),
        by_model=[(str(label), models[value]) for value, label in RiskModel.choices],
        by_band=[(band, bands[band]) for band in BANDS],
        by_region=_regions(rows),
        outcomes=[(str(label), statuses[value]) for value, label in AlertStatus.choices],
        timeliness=_timeliness(rows, today or timezone.localdate()),
        measures=measure_list(alerts=scoped, month=month), controls=_controls(month_alerts), top=_top(rows))
