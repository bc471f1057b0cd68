"""What a scorecard may read about an entity: the source fields, each computed for every entity of the object library
by a few grouped SQL aggregates over its libraries, streamed in chunks of entity ids (disclosure-credit.md §8: the
data 国市监信发〔2022〕6号 names — registration, licences, penalties, the two lists, sampling results — plus checks,
coercion, court records and complaints).

`chunks(as_of=…)` yields, chunk by chunk in id order, each entity's id, its values (a tuple in `FIELDS` order; None
where the entity has no value) and whether a problem was observed (a 行政检查 that found a problem, or a 行政处罚):
the outcome each indicator's points are checked against (monotonicity). Memory holds one chunk.
`entity_values(entity_id, as_of=…)` computes the same for one entity through the ORM, record by record — the
reference the grouped queries are held equal to by the tests, and the benchmark's baseline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jianguan.behaviour.models import Coercion, Inspection, Penalty
from jianguan.complaints.models import Complaint
from jianguan.subjects.models import EntityType, Licence, MarketEntity, RegistrationEvent, RegistrationEventKind

from .models import CreditKind, CreditRecord

NO_PROBLEM = "未发现问题"
FAILED_SAMPLING = "不合格"
CHUNK = 50_000

Values = tuple[float | None, ...]


@dataclass(frozen=True)
class Source:
    name: str
    family: str
    title: str


FAMILIES = {"basic": "企业基础属性信息", "dynamic": "企业动态信息", "supervision": "监管信息",
            "relations": "关联关系信息", "social": "社会评价信息"}

_SOURCES = [
    Source("age_years", "basic", "成立年限（年）"),
    Source("registered_capital", "basic", "注册资本（万元）"),
    Source("individual", "basic", "个体工商户（是为1）"),
    Source("registration_changes_1y", "dynamic", "近1年变更登记次数"),
    Source("licences_valid", "dynamic", "有效许可证件数"),
    Source("inspection_problems_2y", "supervision", "近2年检查发现问题次数"),
    Source("penalties_3y", "supervision", "近3年行政处罚次数"),
    Source("unperformed_penalties", "supervision", "未结案（未履行完毕）的行政处罚数"),
    Source("coercions_3y", "supervision", "近3年行政强制次数"),
    Source("abnormal_listed", "supervision", "列入经营异常名录（是为1）"),
    Source("serious_listed", "supervision", "列入严重违法失信名单（是为1）"),
    Source("dishonest_debtor", "supervision", "失信被执行人（是为1）"),
    Source("sampling_failed_3y", "supervision", "近3年抽检不合格次数"),
    Source("judgments_3y", "social", "近3年裁判文书数"),
    Source("complaints_1y", "social", "近1年投诉举报次数"),
    Source("related_listed", "relations", "同一法定代表人（同一区划）的其他主体在名录或名单中的数量"),
]
SOURCES = {s.name: s for s in _SOURCES}
FIELDS = tuple(SOURCES)
_INDEX = {name: i for i, name in enumerate(FIELDS)}


@dataclass(frozen=True)
class Days:
    """The day the inputs are read as of, and the windows' first days."""

    as_of: dt.date

    def start(self, day: dt.date, *, after: bool = False) -> dt.datetime:
        """The first moment of `day` (of the day after it with `after`), in the platform's time zone."""
        return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1 if after else 0), dt.time()))

    def back(self, years: int) -> dt.date:
        try:
            return self.as_of.replace(year=self.as_of.year - years)
        except ValueError:  # 29 February
            return self.as_of.replace(year=self.as_of.year - years, day=28)


def _in_force(days: Days) -> Q:
    return Q(ends_on__isnull=True) | Q(ends_on__gt=days.as_of)


def _listed(days: Days) -> Q:
    return Q(kind__in=(CreditKind.ABNORMAL, CreditKind.SERIOUS), date__lte=days.as_of) & _in_force(days)


def _grouped(rows: QuerySet[Any, Any], lo: int, hi: int, **counts: Count) -> dict[int, tuple[int, ...]]:
    """entity id → the counts, for the entities of ids lo…hi (one grouped statement)."""
    names = list(counts)
    query = (rows.filter(entity_id__gte=lo, entity_id__lte=hi).values("entity_id").annotate(**counts)
             .order_by().values_list("entity_id", *names))
    return {row[0]: row[1:] for row in query}


def _aggregates(days: Days, lo: int, hi: int) -> dict[str, dict[int, tuple[int, ...]]]:
    y1, y2, y3 = days.back(1), days.back(2), days.back(3)
    live = Q(withdrawn_at__isnull=True, date__lte=days.as_of)
    credit_live = Q(date__lte=days.as_of)
    return {
        "inspections": _grouped(Inspection.objects.filter(live).exclude(result=NO_PROBLEM), lo, hi,
                                recent=Count("id", filter=Q(date__gte=y2)), total=Count("id")),
        "penalties": _grouped(Penalty.objects.filter(live), lo, hi,
                              recent=Count("id", filter=Q(date__gte=y3)),
                              open=Count("id", filter=Q(closed_on__isnull=True, no_penalty=False)),
                              total=Count("id")),
        "coercions": _grouped(Coercion.objects.filter(live, date__gte=y3), lo, hi, n=Count("id")),
        "credit": _grouped(CreditRecord.objects.filter(credit_live).exclude(kind=CreditKind.LICENCE_PUBLICITY), lo, hi,
                           abnormal=Count("id", filter=Q(kind=CreditKind.ABNORMAL) & _in_force(days)),
                           serious=Count("id", filter=Q(kind=CreditKind.SERIOUS) & _in_force(days)),
                           debtor=Count("id", filter=Q(kind=CreditKind.DISHONEST_DEBTOR) & _in_force(days)),
                           sampling=Count("id", filter=Q(kind=CreditKind.SAMPLING, date__gte=y3,
                                                         title__contains=FAILED_SAMPLING)),
                           judgments=Count("id", filter=Q(kind=CreditKind.JUDGMENT, date__gte=y3))),
        "changes": _grouped(RegistrationEvent.objects.filter(date__gt=y1, date__lte=days.as_of,
                                                             kind__in=(RegistrationEventKind.CHANGED,
                                                                       RegistrationEventKind.RENAMED)),
                            lo, hi, n=Count("id")),
        "licences": _grouped(Licence.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=days.as_of),
                                                    valid_from__lte=days.as_of), lo, hi, n=Count("id")),
        "complaints": _grouped(Complaint.objects.filter(received_at__gte=days.start(y1, after=True),
                                                        received_at__lt=days.start(days.as_of, after=True)),
                               lo, hi, n=Count("id")),
    }


def listed_people(days: Days) -> dict[tuple[str, str], int]:
    """(legal representative, region) → how many entities of that pair are in the 经营异常名录 or the 严重违法失信名单
    now. The object library keeps representatives by name, not by identity, and keeps no shareholders: the pair of
    name and region stands for the same person (documented in docs/credit-classes.md)."""
    listed = CreditRecord.objects.filter(_listed(days)).values("entity_id")
    rows = (MarketEntity.objects.filter(pk__in=listed).values("legal_representative", "region_id")
            .annotate(n=Count("id")).order_by().values_list("legal_representative", "region_id", "n"))
    return {(name, region): n for name, region, n in rows}


def _age(established: dt.date, as_of: dt.date) -> float:
    return max(0.0, (as_of - established).days / 365.25)


def _values(base: tuple[Any, ...], found: dict[str, dict[int, tuple[int, ...]]], people: dict[tuple[str, str], int],
            as_of: dt.date) -> tuple[Values, bool]:
    pk, established, capital, entity_type, representative, region = base
    inspections = found["inspections"].get(pk, (0, 0))
    penalties = found["penalties"].get(pk, (0, 0, 0))
    credit = found["credit"].get(pk, (0, 0, 0, 0, 0))
    listed = 1 if credit[0] or credit[1] else 0
    values: Values = (
        _age(established, as_of), None if capital is None else float(capital),
        1.0 if entity_type == EntityType.INDIVIDUAL else 0.0,
        found["changes"].get(pk, (0,))[0], found["licences"].get(pk, (0,))[0],
        inspections[0], penalties[0], penalties[1], found["coercions"].get(pk, (0,))[0],
        1.0 if credit[0] else 0.0, 1.0 if credit[1] else 0.0, 1.0 if credit[2] else 0.0, credit[3], credit[4],
        found["complaints"].get(pk, (0,))[0], people.get((representative, region), 0) - listed,
    )
    return values, bool(inspections[1] or penalties[2])


def _date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _bases(size: int) -> Iterator[list[tuple[Any, ...]]]:
    """The entities' own fields, `size` entities at a time in id order, read as the driver returns them (a date is
    text on SQLite; the capital a float or Decimal) without the ORM's per-value converters."""
    last = 0
    columns = ("pk", "established_on", "registered_capital", "entity_type", "legal_representative", "region_id")
    with connection.cursor() as cursor:
        while True:
            query = MarketEntity.objects.filter(pk__gt=last).order_by("pk").values_list(*columns)[:size]
            cursor.execute(*query.query.sql_with_params())
            rows = [(pk, _date(established), capital, kind, person, region)
                    for pk, established, capital, kind, person, region in cursor.fetchall()]
            if not rows:
                return
            yield rows
            last = rows[-1][0]


def chunks(*, as_of: dt.date, size: int = CHUNK) -> Iterator[list[tuple[int, Values, bool]]]:
    """Every entity's (id, values, problem observed), a chunk of `size` entities at a time, in id order."""
    days = Days(as_of)
    people = listed_people(days)
    for bases in _bases(size):
        found = _aggregates(days, bases[0][0], bases[-1][0])
        yield [(base[0], *_values(base, found, people, as_of)) for base in bases]


def entity_values(entity_id: int, *, as_of: dt.date) -> tuple[Values, bool]:
    """One entity's values and problem flag through the ORM, a query per library and per count, no grouping: the
    reference of `chunks` and the benchmark's baseline."""
    days = Days(as_of)
    entity = MarketEntity.objects.get(pk=entity_id)
    live = Q(entity=entity, withdrawn_at__isnull=True, date__lte=as_of)
    problems = Inspection.objects.filter(live).exclude(result=NO_PROBLEM)
    penalties = Penalty.objects.filter(live)
    records = CreditRecord.objects.filter(entity=entity, date__lte=as_of)
    found: dict[str, dict[int, tuple[int, ...]]] = {
        "inspections": {entity_id: (problems.filter(date__gte=days.back(2)).count(), problems.count())},
        "penalties": {entity_id: (penalties.filter(date__gte=days.back(3)).count(),
                                  penalties.filter(closed_on__isnull=True, no_penalty=False).count(),
                                  penalties.count())},
        "coercions": {entity_id: (Coercion.objects.filter(live, date__gte=days.back(3)).count(),)},
        "credit": {entity_id: (
            records.filter(Q(kind=CreditKind.ABNORMAL) & _in_force(days)).count(),
            records.filter(Q(kind=CreditKind.SERIOUS) & _in_force(days)).count(),
            records.filter(Q(kind=CreditKind.DISHONEST_DEBTOR) & _in_force(days)).count(),
            records.filter(kind=CreditKind.SAMPLING, date__gte=days.back(3), title__contains=FAILED_SAMPLING).count(),
            records.filter(kind=CreditKind.JUDGMENT, date__gte=days.back(3)).count())},
        "changes": {entity_id: (RegistrationEvent.objects.filter(
            entity=entity, date__gt=days.back(1), date__lte=as_of,
            kind__in=(RegistrationEventKind.CHANGED, RegistrationEventKind.RENAMED)).count(),)},
        "licences": {entity_id: (Licence.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=as_of),
                                                        entity=entity, valid_from__lte=as_of).count(),)},
        "complaints": {entity_id: (Complaint.objects.filter(entity=entity, received_at__date__gt=days.back(1),
                                                            received_at__date__lte=as_of).count(),)},  # by date
    }
    same = MarketEntity.objects.filter(legal_representative=entity.legal_representative, region_id=entity.region_id,
                                       pk__in=CreditRecord.objects.filter(_listed(days)).values("entity_id"))
    people = {(entity.legal_representative, entity.region_id): same.count()}
    base = (entity.pk, entity.established_on, entity.registered_capital, entity.entity_type,
            entity.legal_representative, entity.region_id)
    return _values(base, found, people, as_of)


def index(name: str) -> int:
    """The position of source field `name` in an entity's values."""
    return _INDEX[name]
