"""Alarms and their disposals (提醒告诫, 非现场检查, 转现场检查, 转案件线索) in an entity's information chain,
within the reader's scope. A remote check is also a 行政检查 record of the behaviour library: its entry here
covers it."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianguan.core.registry import ChainEntry, ChainQuery, chain_rows

from .models import AlarmState, Disposal

KINDS = {"remote_alarm": _("非现场监管告警"), "remote_disposal": _("非现场监管处置")}
ALARM_FIELDS = ("pk", "opened_at", "title", "level", "detail", "point__code", "department__name")
DISPOSAL_FIELDS = ("pk", "at", "action", "note", "inspection_number", "clue_number", "alarm_id", "alarm__title",
                   "department__name")
ACTIONS = {"notify": _("提醒告诫"), "remote_check": _("非现场检查"), "onsite": _("转现场检查"),
           "clue": _("转案件线索"), "dismiss": _("认定误报")}


def _alarms(query: ChainQuery) -> tuple[list[ChainEntry], int]:
    rows, count = chain_rows(AlarmState.objects.exclude(opened_at=None), query, date_field="opened_at",
                             fields=ALARM_FIELDS, period_lookup="opened_at__date")
    label = str(KINDS["remote_alarm"])
    return [ChainEntry("remote_alarm", label, timezone.localtime(row["opened_at"]).date(),
                       f"{row['title']}（监测点 {row['point__code']}）",
                       f"{_('级别')} {row['level']}；{row['detail']}" if row["level"] else str(_("已消除")),
                       source=str(_("非现场监管")), department=row["department__name"],
                       url=reverse("remote:alarm", args=[row["pk"]]), ref=f"remote_alarm:{row['pk']}")
            for row in rows], count


def _disposals(query: ChainQuery) -> tuple[list[ChainEntry], int]:
    rows, count = chain_rows(Disposal.objects, query, date_field="at", fields=DISPOSAL_FIELDS,
                             period_lookup="at__date")
    label = str(KINDS["remote_disposal"])
    entries = []
    for row in rows:
        number = row["inspection_number"] or row["clue_number"]
        covers = (f"inspection:{row['inspection_number']}",) if row["inspection_number"] else ()
        entries.append(ChainEntry(
            "remote_disposal", label, timezone.localtime(row["at"]).date(),
            f"{ACTIONS.get(row['action'], row['action'])}：{row['alarm__title']}",
            f"{row['note']}{'；' + number if number else ''}", source=str(_("非现场监管")),
            department=row["department__name"], url=reverse("remote:alarm", args=[row["alarm_id"]]),
            ref=f"remote_disposal:{row['pk']}", covers=covers))
    return entries, count


def read(query: ChainQuery) -> tuple[list[ChainEntry], dict[str, int]]:
    entries: list[ChainEntry] = []
    counts: dict[str, int] = {}
    for kind, reader in (("remote_alarm", _alarms), ("remote_disposal", _disposals)):
        if query.wants(kind):
            found, counts[kind] = reader(query)
            entries += found
    return entries, counts
