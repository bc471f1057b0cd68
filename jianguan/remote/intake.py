"""The sink every receiver hands its deliveries to (`accept`), and the record of frames no parser could read
(`malformed`).

Every delivery is kept as received (`Receipt`) whatever becomes of it. An unknown device or a wrong password
refuses the whole delivery (`Outcome(known=False)`); otherwise each reading is checked on its own — a factor the
point does not report (`factor_unknown`), a unit other than the factor's (`unit_mismatch`), a time ahead of the
platform's clock beyond the tolerance (`reading_in_future`), a time without a zone (`time_naive`) — and the
others are stored in one insert. A reading is identified by (point, time, factor, period): sent again it is a
duplicate and stores nothing; late and out-of-order readings are stored like any other. The point's rules are
evaluated once the readings are committed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.utils import timezone

from jianguan.core.bulk import slices

from . import alarms, rules
from .models import Factor, MonitoredPoint, Reading, Receipt, ReceiptStatus
from .wire import Delivery, ManySink, Outcome, ReadingIn, Refusal, Sink

PERIODS = ("rtd", "min", "hour", "day", "event")
COLUMNS = ("point_id", "code", "at", "period", "value", "flag", "receipt_id")
CHUNK = 1000  # reading rows per INSERT: 7,000 parameters, under both databases' limits


def password_digest(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Known:
    """What the intake reads of a point: read as values, not as a model instance, for every delivery of a batch."""

    pk: int
    code: str
    active: bool
    password_hash: str


def _registry(codes: Iterable[str]) -> dict[str, tuple[Known, dict[str, str]]]:
    """{code: (point, {factor code: unit})} of the points named, in two queries whatever their number."""
    points = {row[1]: Known(*row) for row in MonitoredPoint.objects.filter(code__among=sorted(set(codes))).order_by()
              .values_list("pk", "code", "active", "password_hash")}
    units: dict[int, dict[str, str]] = {p.pk: {} for p in points.values()}
    for point_id, code, unit in (Factor.objects.filter(point__id__among=list(units)).order_by()
                                 .values_list("point_id", "code", "unit")):
        units[point_id][code] = unit
    return {code: (point, units[point.pk]) for code, point in points.items()}


def _point(delivery: Delivery, found: tuple[Known, dict[str, str]] | None, authenticated: bool,
           digests: dict[str, str]) -> tuple[Known | None, Refusal | None]:
    if found is None:
        return None, Refusal(None, "device_unknown", f"设备编码“{delivery.device}”未登记")
    point = found[0]
    if not point.active:
        return None, Refusal(None, "device_inactive", f"监测点“{delivery.device}”已停用")
    if not authenticated and point.password_hash:
        sent = delivery.password or ""
        if sent not in digests:
            digests[sent] = password_digest(sent)
        if not hmac.compare_digest(point.password_hash, digests[sent]):
            return None, Refusal(None, "password_wrong", "设备访问密码错误")
    return point, None


def _check(index: int, reading: ReadingIn, units: dict[str, str], latest: dt.datetime) -> Refusal | None:
    unit = units.get(reading.code)
    if unit is None:
        return Refusal(index, "factor_unknown", f"监测点未登记因子“{reading.code}”")
    if reading.unit and reading.unit != unit:
        return Refusal(index, "unit_mismatch", f"因子“{reading.code}”的单位应为“{unit}”，收到“{reading.unit}”")
    if reading.at.tzinfo is None:
        return Refusal(index, "time_naive", "数据时间须带时区")
    if reading.at > latest:
        return Refusal(index, "reading_in_future", f"数据时间 {reading.at.isoformat()} 晚于当前时间")
    if reading.period not in PERIODS:
        return Refusal(index, "period_unknown", f"未知的数据类型“{reading.period}”")
    if reading.value is not None and not reading.value.is_finite():
        return Refusal(index, "value_invalid", "数值无效")
    return None


@dataclass(frozen=True)
class Checked:
    point: Known | None
    good: list[ReadingIn]
    refused: tuple[Refusal, ...]


def check_many(deliveries: Sequence[Delivery], *, authenticated: bool = False) -> list[Checked]:
    """Each delivery's point and its readings split into those to store and those refused (nothing written; the
    points of all of them read at once); `authenticated` when the sender proved who it is otherwise (the API's
    key): no device password then."""
    registry = _registry(d.device for d in deliveries)
    latest = timezone.now() + dt.timedelta(seconds=settings.JIANGUAN_REMOTE_FUTURE_TOLERANCE_SECONDS)
    digests: dict[str, str] = {}
    result = []
    for delivery in deliveries:
        found = registry.get(delivery.device)
        point, refusal = _point(delivery, found, authenticated, digests)
        if point is None or found is None:
            result.append(Checked(None, [], (refusal,) if refusal else ()))
            continue
        good, refused = [], []
        for index, reading in enumerate(delivery.readings):
            problem = _check(index, reading, found[1], latest)
            if problem:
                refused.append(problem)
            else:
                good.append(reading)
        result.append(Checked(point, good, tuple(refused)))
    return result


def check(delivery: Delivery, *, authenticated: bool = False) -> Checked:
    """`check_many` of one delivery."""
    return check_many([delivery], authenticated=authenticated)[0]


RECEIPT_COLUMNS = ("channel", "device", "point_id", "raw", "sha256", "status", "accepted", "duplicates", "refused",
                   "problems", "received_at")


def _problems(refused: Sequence[Refusal]) -> list[dict[str, Any]]:
    return [{"index": r.index, "code": r.code, "message": r.message} for r in refused]


def receipt_of(delivery: Delivery, point: Known | None, status: str, refused: Sequence[Refusal],
               accepted: int = 0, duplicates: int = 0) -> Receipt:
    return Receipt(
        channel=delivery.channel, device=delivery.device[:64], point_id=point.pk if point else None, raw=delivery.raw,
        sha256=hashlib.sha256(delivery.raw).hexdigest(), status=status, accepted=accepted, duplicates=duplicates,
        refused=len(refused) if point else len(delivery.readings), problems=_problems(refused))


def _receipt_row(delivery: Delivery, point: Known | None, status: str, refused: Sequence[Refusal], accepted: int,
                 duplicates: int, now: Any) -> tuple[Any, ...]:
    """A receipt as a row in `RECEIPT_COLUMNS` order (values as the database takes them)."""
    return (delivery.channel, delivery.device[:64], point.pk if point else None, delivery.raw,
            hashlib.sha256(delivery.raw).hexdigest(), status, accepted, duplicates,
            len(refused) if point else len(delivery.readings), json.dumps(_problems(refused), ensure_ascii=False), now)


def _keep(rows: list[tuple[Any, ...]]) -> list[int]:
    """INSERT the receipt rows; their ids in the order of the rows (RETURNING, as `bulk_create` relies on)."""
    table = connection.ops.quote_name(Receipt._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in RECEIPT_COLUMNS)
    row = "(" + ", ".join(["%s"] * len(RECEIPT_COLUMNS)) + ")"
    ids: list[int] = []
    with connection.cursor() as cursor:
        for part in slices(rows, CHUNK // 2):
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(part))} "  # noqa: S608
                           "RETURNING id", [value for values in part for value in values])
            ids += [r[0] for r in cursor.fetchall()]
    return ids


Key = tuple[int, str, str, dt.datetime]  # point id, factor, period, time


def _insert(rows: list[tuple[Any, ...]]) -> set[Key]:
    """INSERT the reading rows (in `COLUMNS` order) skipping those already stored (ON CONFLICT DO NOTHING, on the
    identity constraint); the keys of the rows inserted (RETURNING, PostgreSQL and SQLite ≥ 3.35)."""
    table = connection.ops.quote_name(Reading._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    row = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    inserted: set[Key] = set()
    with connection.cursor() as cursor:
        for part in slices(rows, CHUNK):
            sql = (f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(part))} "  # noqa: S608
                   "ON CONFLICT DO NOTHING RETURNING point_id, code, period, at")
            cursor.execute(sql, [value for values in part for value in values])
            inserted.update((r[0], r[1], r[2], _aware(r[3])) for r in cursor.fetchall())
    return inserted


def _aware(value: Any) -> dt.datetime:
    """A time as RETURNING gives it back (PostgreSQL: aware; SQLite: naive UTC, or its text) made aware."""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(moment, dt.datetime)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def store_many(pairs: Sequence[tuple[Delivery, Checked]]) -> tuple[list[tuple[int, Outcome]],
                                                                    dict[int, list[rules.Sample]]]:
    """Keep the deliveries and store their good readings, in the caller's transaction, in a fixed number of
    statements: the points locked in key order (two workers storing the same points queue, never deadlock), the
    receipts in one insert, the readings in one INSERT .. ON CONFLICT DO NOTHING RETURNING (what comes back is what
    was new; the rest are duplicates), the points' times in one update. Answers each delivery's receipt id and outcome,
    and the new readings by point id (for the rules)."""
    known = sorted({c.point.pk for _, c in pairs if c.point is not None})
    if known:
        list(MonitoredPoint.objects.select_for_update(no_key=True).filter(pk__among=known).order_by("pk")
             .values_list("pk", flat=True))
    received = Receipt._meta.get_field("received_at")
    assert isinstance(received, models.Field)
    now = received.get_db_prep_save(timezone.now(), connection)
    rows_kept: list[tuple[Any, ...]] = []
    wanted: list[dict[tuple[dt.datetime, str, str], ReadingIn]] = []
    for delivery, checked in pairs:
        point = checked.point
        if point is None:
            rows_kept.append(_receipt_row(delivery, None, ReceiptStatus.UNKNOWN, checked.refused, 0, 0, now))
            wanted.append({})
            continue
        status = ReceiptStatus.ACCEPTED if not checked.refused else (
            ReceiptStatus.PARTIAL if checked.good else ReceiptStatus.REFUSED)
        unique: dict[tuple[dt.datetime, str, str], ReadingIn] = {}
        for reading in checked.good:
            unique.setdefault((reading.at, reading.code, reading.period), reading)
        wanted.append(unique)
        rows_kept.append(_receipt_row(delivery, point, status, checked.refused, len(unique),
                                      len(checked.good) - len(unique), now))
    ids = _keep(rows_kept)
    at_field, value_field = (Reading._meta.get_field(name) for name in ("at", "value"))
    assert isinstance(at_field, models.Field) and isinstance(value_field, models.Field)
    times: dict[dt.datetime, Any] = {}
    values: dict[Any, Any] = {}
    rows: dict[Key, tuple[Any, ...]] = {}
    sent: dict[Key, tuple[int, ReadingIn]] = {}
    for index, ((_, checked), receipt_id, unique) in enumerate(zip(pairs, ids, wanted, strict=True)):
        if checked.point is None:
            continue
        pk = checked.point.pk
        for (at, code, period), reading in unique.items():
            key = (pk, code, period, at)
            if key in rows:  # a reading an earlier delivery of the batch carries: a duplicate
                continue
            if at not in times:
                times[at] = at_field.get_db_prep_save(at, connection)
            if reading.value not in values:
                values[reading.value] = value_field.get_db_prep_save(reading.value, connection)
            rows[key] = (pk, code, times[at], period, values[reading.value], reading.flag[:2], receipt_id)
            sent[key] = (index, reading)
    inserted = _insert([rows[k] for k in sorted(rows)]) if rows else set()
    stored = [0] * len(pairs)
    fresh: dict[int, list[rules.Sample]] = {}
    for key in inserted:
        index, reading = sent[key]
        stored[index] += 1
        fresh.setdefault(key[0], []).append(rules.Sample(reading.code, reading.at, reading.period, reading.value,
                                                         reading.flag[:2]))
    counts = []
    short = []
    for index, ((_, checked), receipt_id, unique) in enumerate(zip(pairs, ids, wanted, strict=True)):
        duplicates = len(checked.good) - stored[index]
        counts.append((stored[index], duplicates))
        if checked.point is not None and stored[index] != len(unique):
            short.append(Receipt(pk=receipt_id, accepted=stored[index], duplicates=duplicates))
    if short:
        Receipt.objects.bulk_update(short, ["accepted", "duplicates"])
    _touch(pairs, known)
    outcomes = [(receipt_id, Outcome(False, refused=checked.refused) if checked.point is None else
                 Outcome(True, accepted=accepted, duplicates=duplicates, refused=checked.refused))
                for receipt_id, (_, checked), (accepted, duplicates) in zip(ids, pairs, counts, strict=True)]
    return outcomes, fresh


def _touch(pairs: Sequence[tuple[Delivery, Checked]], known: list[int]) -> None:
    """One update of the points heard from: `last_seen_at` now, `last_reading_at` raised to the newest reading."""
    if not known:
        return
    newest: dict[int, dt.datetime] = {}
    for _, checked in pairs:
        if checked.point is not None and checked.good:
            moment = max(r.at for r in checked.good)
            if checked.point.pk not in newest or moment > newest[checked.point.pk]:
                newest[checked.point.pk] = moment
    by_time: dict[dt.datetime, list[int]] = {}
    for pk, moment in newest.items():
        by_time.setdefault(moment, []).append(pk)
    field = models.DateTimeField()
    raised = [When(Q(pk__in=pks) & (Q(last_reading_at__isnull=True) | Q(last_reading_at__lt=moment)),
                   then=Value(moment, output_field=field)) for moment, pks in by_time.items()]
    changes: dict[str, Any] = {"last_seen_at": timezone.now()}
    if raised:
        changes["last_reading_at"] = Case(*raised, default=F("last_reading_at"), output_field=field)
    MonitoredPoint.objects.filter(pk__among=known).update(**changes)


def store(delivery: Delivery, checked: Checked) -> tuple[Receipt, Outcome]:
    """Keep the delivery and store its good readings, in the caller's transaction."""
    (receipt_id, outcome), = store_many([(delivery, checked)])[0]
    return Receipt.objects.get(pk=receipt_id), outcome


def accept_many(deliveries: Sequence[Delivery]) -> list[Outcome]:
    """The sink of every receiver, for what it has buffered: check the deliveries together, keep them and store
    their good readings in one transaction, then evaluate once each (point, rule) the new readings touch (ADR
    0071). The outcomes in the order of the deliveries."""
    if not deliveries:
        return []
    checked = check_many(deliveries)
    with transaction.atomic():
        outcomes, fresh = store_many(list(zip(deliveries, checked, strict=True)))
    alarms.evaluate_touched(fresh)
    return [outcome for _, outcome in outcomes]


def accept(delivery: Delivery) -> Outcome:
    """`accept_many` of one delivery."""
    return accept_many([delivery])[0]


SINK: Sink = accept  # the receivers' sink, held to `wire.Sink` by the type checker
MANY: ManySink = accept_many


def malformed(*, channel: str, raw: bytes, reason: str, device: str = "") -> Receipt:
    """Keep a frame no parser could read (bad CRC, bad length, bad topic) and count it: the receivers call this
    and answer their protocol's refusal."""
    return Receipt.objects.create(channel=channel, device=device[:64], raw=raw, sha256=hashlib.sha256(raw).hexdigest(),
                                  status=ReceiptStatus.MALFORMED, problems=[{"index": None, "code": "malformed",
                                                                             "message": reason[:500]}])


def counters(*, point_id: int | None = None, since: dt.datetime | None = None) -> dict[str, int]:
    """Deliveries by status (accepted, partial, refused, unknown, malformed) and the readings refused."""
    receipts = Receipt.objects.all()
    if point_id is not None:
        receipts = receipts.filter(point_id=point_id)
    if since is not None:
        receipts = receipts.filter(received_at__gte=since)
    counts = {s: 0 for s in ReceiptStatus.values}
    for row in receipts.values("status").annotate(n=Count("pk"), refused=Sum("refused")).order_by():
        counts[row["status"]] = row["n"]
    counts["readings_refused"] = receipts.aggregate(total=Sum("refused"))["total"] or 0
    return counts
