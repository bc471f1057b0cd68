"""Demo monitoring data: a stream of ads, web pages and listings about 咸宁 entities (evasive, clean and look-alike
names) from `demo/stream.json`, sent through the intake as the 数据管理员 and judged, then a few alerts taken
through the loop: one verified and disposed of (轻微不予立案), one overdue, one still being verified and one
decided 立案 (carried into a case clue by enforcement's seed, which lies above risk). Then the control sample of
each month of the stream is drawn — all of the stream's few unalerted items, so that the report has figures —
and the control items of the city 市场监管局 are verified and decided by the stream's known truth. The known truth
(`label`) stays in the file, never in what is sent. Before the stream, the demo registers of `demo/registers.json`
are imported as files by the 数据管理员 (one file per kind, dates as days from today), so that some demo alerts rest
on register hits and some look-alike items are cleared by them."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.core.registry import SeedStep
from jianguan.core.seeding import SeedContext
from jianguan.subjects.contracts import entity_rows

from . import alerts, disposal, intake, register_imports, registers, sample
from .models import Alert

STREAM = Path(__file__).with_name("demo") / "stream.json"
REGISTERS = Path(__file__).with_name("demo") / "registers.json"
SUBJECT_FIELD = {"medical_ad": "advertiser", "fundraising": "name"}  # the listing models: `seller`
SENDER, OFFICER, HEAD = "dataadmin", "scjg_officer", "scjg_head"
FINDINGS = {"minor": "已调取广告快照并询问广告主：首次发布，发布 3 日、未产生订单，已于核查当日自行删除。",
            "verifying": "已调取商品页面快照，正在向平台调取订单和处方记录。",
            "case": "已调取网页快照并询问广告主：宣传“国家级技术水平”“治愈率”无依据，广告未经审查，属实。",
            "control_unfounded": "对照样本：已调取快照并核对登记信息，未发现违法内容。",
            "control_minor": "对照样本：已调取快照，内容涉嫌违法但模型未预警，首次发布且已删除。"}


def stream() -> list[dict[str, Any]]:
    """The demo stream's entries: `item` (what is sent), `label` (the known truth), `subject`, `drive`."""
    entries: list[dict[str, Any]] = json.loads(STREAM.read_text(encoding="utf-8"))["items"]
    return entries


def _item(number: int, entry: dict[str, Any], entity: tuple[Any, ...], today: dt.date) -> dict[str, Any]:
    """The item sent for `entry`, about `entity` (id, uscc, name, …) or about the name the entry gives."""
    uscc, name = (entity[1], entity[2]) if entry["subject"] == "entity" else ("", entry["name"])
    item = {key: value.format(name=name) if isinstance(value, str) else value for key, value in entry["item"].items()}
    day = today - dt.timedelta(days=entry.get("days_ago", number % 5))
    item.update({"id": f"DEMO-{number:04d}", "captured_at": f"{day.isoformat()}T{9 + number % 9:02d}:15:00+08:00",
                 "snapshot_hash": hashlib.sha256(item.get("text", "").encode()).hexdigest(),
                 "url": f"https://monitor.example.cn/capture/{number:04d}",
                 SUBJECT_FIELD.get(item["model"], "seller"): name})
    if uscc:
        item["entity"] = uscc
    return item


def stream_items(ctx: SeedContext, today: dt.date) -> list[dict[str, Any]]:
    """The items sent, in the stream's order: the entities about which it speaks drawn by the seed."""
    entries = stream()
    entities = ctx.rng("risk").sample(entity_rows(ctx), k=sum(1 for e in entries if e["subject"] == "entity"))
    picked = iter(entities)
    return [_item(n, e, next(picked) if e["subject"] == "entity" else (), today) for n, e in enumerate(entries, 1)]


def _drive(alert: Alert, how: str, officer: User, head: User, today: dt.date) -> None:
    """Take `alert` to the state `how` of the demo (minor, overdue, verifying, case)."""
    disposal.alert_transition(actor=officer, alert_id=alert.pk, action="verify")
    if how == "overdue":  # raised by the scan of its capture day (`seed_risk`); its clock has run out
        return
    disposal.alert_transition(actor=officer, alert_id=alert.pk, action="report", data={"finding": FINDINGS[how]})
    if how == "verifying":
        return
    disposal.alert_transition(actor=head, alert_id=alert.pk, action="open_case" if how == "case" else how)


def _control_sample(ctx: SeedContext, truth: dict[int, bool], officer: User, head: User, month: str) -> int:
    """Draw the control sample of `month` (every unalerted item of the small stream) and decide the control items
    of the head's department by the known truth: a miss 轻微不予立案, else 不属实. The number drawn."""
    drawn = sample.control_sample_draw(actor=ctx.actor, month=month, rate=Decimal(1),
                                       seed=ctx.rng(f"risk-sample-{month}").randbytes(32))
    items = Alert.objects.filter(control=True, window=month, department_id=head.department_id)
    for item in items.prefetch_related("observations").order_by("pk"):
        outcome = "minor" if truth.get(item.observations.all()[0].pk) else "unfounded"
        with transaction.atomic():
            disposal.alert_transition(actor=officer, alert_id=item.pk, action="verify")
            disposal.alert_transition(actor=officer, alert_id=item.pk, action="report",
                                      data={"finding": FINDINGS[f"control_{outcome}"]})
            disposal.alert_transition(actor=head, alert_id=item.pk, action=outcome)
    return sum(part["sampled"] for part in drawn.sample.strata.values())


def seed_risk(ctx: SeedContext) -> None:
    if ctx.scale == "test":
        return
    today = timezone.localdate()
    entries, items = stream(), stream_items(ctx, today)
    people = {u.username: u for u in User.objects.filter(username__in=[SENDER, OFFICER, HEAD])}
    with transaction.atomic():
        received = intake.observations_receive(actor=people[SENDER], items=items)
        for entry, observation in zip(entries, received.stored, strict=True):
            if entry.get("drive") == "overdue":  # scanned on the day it was captured, weeks ago
                alerts.observations_scan(actor=ctx.actor, ids=[observation.pk],
                                         today=timezone.localdate(observation.captured_at))
        scanned = alerts.observations_scan(actor=ctx.actor, ids=[o.pk for o in received.stored])
    for entry, observation in zip(entries, received.stored, strict=True):
        if "drive" in entry:
            alert = Alert.objects.get(observations=observation)
            with transaction.atomic():
                _drive(alert, entry["drive"], people[OFFICER], people[HEAD], today)
    truth = {o.pk: bool(e["label"]) for e, o in zip(entries, received.stored, strict=True)}
    months = sorted({item["captured_at"][:7] for item in items})  # the stream's days may reach into last month
    controls = sum(_control_sample(ctx, truth, people[OFFICER], people[HEAD], month) for month in months)
    ctx.say(f"  监测数据 {len(received.stored)} 条，预警 {Alert.objects.filter(control=False).count()} 条"
            f"（{scanned.as_dict()}），对照样本 {controls} 条")


def register_files(today: dt.date) -> list[tuple[str, str, str, bytes]]:
    """(kind, source, file name, CSV bytes with the template's headers) of each demo register; a date given as a
    number of days is that many days from `today`."""
    files = []
    for register in json.loads(REGISTERS.read_text(encoding="utf-8"))["registers"]:
        headers = [column.label for column in registers.columns(register["kind"])]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(headers)
        for row in register["rows"]:
            writer.writerow([(today + dt.timedelta(days=value)).isoformat() if isinstance(value, int) else value
                             for value in (row.get(header, "") for header in headers)])
        files.append((register["kind"], register["source"], register["file_name"], out.getvalue().encode()))
    return files


def seed_registers(ctx: SeedContext) -> None:
    if ctx.scale == "test":
        return
    admin = User.objects.get(username=SENDER)
    files = register_files(timezone.localdate())
    for kind, source, name, data in files:
        register_imports.register_import(actor=admin, kind=kind, source=source, file_name=name, data=data)
    ctx.say(f"  登记数据 {len(files)} 个文件")


STEPS = [SeedStep("风险预警登记数据", 88, seed_registers), SeedStep("风险预警", 89, seed_risk)]
