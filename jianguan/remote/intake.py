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
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from jianguan.core.bulk import bulk_insert

from . import alarms
from .models import Factor, MonitoredPoint, Reading, Receipt, ReceiptStatus
from .wire import Delivery, Outcome, ReadingIn, Refusal, Sink

PERIODS = ("rtd", "min", "hour", "day", "event")
COLUMNS = ("point_id", "code", "at", "period", "value", "flag", "receipt_id")


def password_digest(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


def _point(delivery: Delivery, authenticated: bool) -> tuple[MonitoredPoint | None, Refusal | None]:
    point = MonitoredPoint.objects.filter(code=delivery.device).first()
    if point is None:
        return None, Refusal(None, "device_unknown", f"设备编码“{delivery.device}”未登记")
    if not point.active:
        return None, Refusal(None, "device_inactive", f"监测点“{delivery.device}”已停用")
    if not authenticated and point.password_hash and not hmac.compare_digest(point.password_hash,
                                                       password_digest(delivery.password or "")):
        return None, Refusal(None, "password_wrong", "设备访问密码错误")
    return point, None


def _check(index: int, reading: ReadingIn, factors: dict[str, Factor], latest: dt.datetime) -> Refusal | None:
    factor = factors.get(reading.code)
    if factor is None:
        return Refusal(index, "factor_unknown", f"监测点未登记因子“{reading.code}”")
    if reading.unit and reading.unit != factor.unit:
        return Refusal(index, "unit_mismatch", f"因子“{reading.code}”的单位应为“{factor.unit}”，收到“{reading.unit}”")
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
    point: MonitoredPoint | None
    good: list[ReadingIn]
    refused: tuple[Refusal, ...]


def check(delivery: Delivery, *, authenticated: bool = False) -> Checked:
    """The delivery's point and its readings split into those to store and those refused (nothing written);
    `authenticated` when the sender proved who it is otherwise (the API's key): no device password then."""
    point, refusal = _point(delivery, authenticated)
    if point is None:
        return Checked(None, [], (refusal,) if refusal else ())
    factors = {f.code: f for f in point.factors.all()}
    latest = timezone.now() + dt.timedelta(seconds=settings.JIANGUAN_REMOTE_FUTURE_TOLERANCE_SECONDS)
    good, refused = [], []
    for index, reading in enumerate(delivery.readings):
        problem = _check(index, reading, factors, latest)
        if problem:
            refused.append(problem)
        else:
            good.append(reading)
    return Checked(point, good, tuple(refused))


def keep(delivery: Delivery, point: MonitoredPoint | None, status: str, refused: Sequence[Refusal],
          accepted: int = 0, duplicates: int = 0) -> Receipt:
    return Receipt.objects.create(
        channel=delivery.channel, device=delivery.device[:64], point=point, raw=delivery.raw,
        sha256=hashlib.sha256(delivery.raw).hexdigest(), status=status, accepted=accepted, duplicates=duplicates,
        refused=len(refused) if point else len(delivery.readings),
        problems=[{"index": r.index, "code": r.code, "message": r.message} for r in refused])


def _store(point: MonitoredPoint, receipt: Receipt, readings: list[ReadingIn]) -> int:
    """Insert the readings not stored yet; the number inserted. A concurrent delivery of the same readings meets
    the unique constraint: then the rows are inserted skipping those it stored, and this delivery's are counted."""
    unique: dict[tuple[dt.datetime, str, str], ReadingIn] = {}
    for reading in readings:
        unique.setdefault((reading.at, reading.code, reading.period), reading)
    existing = set(Reading.objects.filter(point=point, at__in={k[0] for k in unique}, code__in={k[1] for k in unique})
                   .values_list("at", "code", "period"))
    fresh = [r for key, r in unique.items() if key not in existing]
    at, value = (Reading._meta.get_field(name) for name in ("at", "value"))
    assert isinstance(at, models.Field) and isinstance(value, models.Field)
    rows = [(point.pk, r.code, at.get_db_prep_save(r.at, connection), r.period,
             value.get_db_prep_save(r.value, connection), r.flag[:2], receipt.pk) for r in fresh]
    try:
        with transaction.atomic():
            return bulk_insert(Reading, COLUMNS, rows)
    except IntegrityError:
        Reading.objects.bulk_create(
            [Reading(point=point, code=r.code, at=r.at, period=r.period, value=r.value, flag=r.flag[:2],
                     receipt=receipt) for r in fresh], ignore_conflicts=True)
        return Reading.objects.filter(receipt=receipt).count()


def store(delivery: Delivery, checked: Checked) -> tuple[Receipt, Outcome]:
    """Keep the delivery and store its good readings, in the caller's transaction."""
    point = checked.point
    if point is None:
        return keep(delivery, None, ReceiptStatus.UNKNOWN, checked.refused), Outcome(False,
                                                                                       refused=checked.refused)
    status = ReceiptStatus.ACCEPTED if not checked.refused else (
        ReceiptStatus.PARTIAL if checked.good else ReceiptStatus.REFUSED)
    receipt = keep(delivery, point, status, checked.refused)
    inserted = _store(point, receipt, checked.good)
    duplicates = len(checked.good) - inserted
    Receipt.objects.filter(pk=receipt.pk).update(accepted=inserted, duplicates=duplicates)
    now = timezone.now()
    newest = max((r.at for r in checked.good), default=None)
    MonitoredPoint.objects.filter(pk=point.pk).update(last_seen_at=now)
    if newest is not None:
        MonitoredPoint.objects.filter(pk=point.pk).exclude(last_reading_at__gte=newest).update(last_reading_at=newest)
    return receipt, Outcome(True, accepted=inserted, duplicates=duplicates, refused=checked.refused)


def accept(delivery: Delivery) -> Outcome:
    """The sink of every receiver: keep the delivery, store its good readings, then evaluate the point's rules."""
    checked = check(delivery)
    with transaction.atomic():
        _, outcome = store(delivery, checked)
    if checked.point is not None and outcome.accepted:
        alarms.evaluate_point(point_id=checked.point.pk)
    return outcome


SINK: Sink = accept  # the receivers' sink, held to `wire.Sink` by the type checker


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
