"""From alarm to supervision: one service takes a step of the disposal table (`workflow.DISPOSAL`) on an alarm.

- `notify`: a 提醒 or 告诫 to the entity, recorded here (the document templates have no 提醒/告诫 kind);
- `remote_check`: a 行政检查 record of the 非现场检查 category, method 非现场, under the point's implementation row,
  by the officer and a colleague of the department, its raw data citing each reading with its SHA-256 — the
  burden ledger reads 现场检查 records only, so a remote check is no visit;
- `onsite`: a draft on-site inspection assigned to officers (inspections' `assign`, origin 非现场监管告警核查);
- `clue`: a case clue from the remote check (enforcement's `clue_from_inspection`);
- `dismiss`: a false alarm, by the head.
Each step locks the alarm, writes the disposal, the alarm's step and the audit event in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.behaviour import contracts as behaviour
from jianguan.behaviour.models import Inspection
from jianguan.core.errors import ValidationFailed
from jianguan.core.numbering import daily_number
from jianguan.enforcement import contracts as enforcement
from jianguan.inspections import contracts as inspections

from .models import AlarmState, AlarmStep, Disposal
from .workflow import DISPOSAL, Facts

NOTICES = {"提醒": "提醒", "告诫": "告诫"}
METHOD = "非现场"
REMOTE = "2"  # 检查类别: 非现场检查


def _text(data: dict[str, Any], name: str, label: str, *, required: bool = True, limit: int = 1000) -> str:
    value = data.get(name, "")
    if not isinstance(value, str):
        raise ValidationFailed(f"{label}应为文字", code="not_text", field=name)
    value = value.strip()
    if required and not value:
        raise ValidationFailed(f"请填写{label}", code="required", field=name)
    if len(value) > limit:
        raise ValidationFailed(f"{label}不得超过 {limit} 个字", code="too_long", field=name)
    return value


def _colleague(actor: User, username: str) -> User:
    colleague = User.objects.filter(username=username, department_id=actor.department_id, is_active=True).first()
    if colleague is None or colleague.pk == actor.pk:
        raise ValidationFailed("请选择本部门另一名执法人员共同检查", code="colleague_invalid", field="colleague")
    return colleague


def _remote_check(actor: User, alarm: AlarmState, data: dict[str, Any]) -> dict[str, str]:
    result = _text(data, "result", "检查结果", limit=50)
    colleague = _colleague(actor, _text(data, "colleague", "共同检查人员", limit=150))
    today = timezone.localdate()
    number = daily_number("FXC", today, issued=Inspection.objects.all())
    point = alarm.point
    behaviour.inspection_record(
        actor=actor, department=actor.department, implementation_code=point.implementation_code, number=number,
        name=f"非现场检查：{alarm.title}", date=today, form="非现场监管", category=REMOTE, method=METHOD,
        result=result, inspectors=[actor.full_name or actor.username, colleague.full_name or colleague.username],
        credential_numbers=[], party={"entity_code": point.entity.uscc},
        raw={"point": point.code, "rule": alarm.rule, "rule_version": alarm.rule_version, "episode": alarm.episode,
             "evidence": alarm.evidence})
    return {"inspection_number": number}


def _onsite(actor: User, alarm: AlarmState, data: dict[str, Any]) -> dict[str, str]:
    officers = data.get("officers") or []
    if not isinstance(officers, list) or len(officers) < 2 or not all(isinstance(o, str) for o in officers):
        raise ValidationFailed("请指派至少两名执法人员（用户名列表）", code="officers_too_few", field="officers")
    point = alarm.point
    card = inspections.assign(actor=actor, origin_kind="remote_alarm", origin_ref=f"{alarm.pk}/{alarm.episode}",
                              department=actor.department, implementation_code=point.implementation_code,
                              party={"uscc": point.entity.uscc}, officers=officers)
    return {"note": f"现场检查已指派（{card.id}）"}


def _clue(actor: User, alarm: AlarmState, data: dict[str, Any]) -> dict[str, str]:
    checked = alarm.disposals.filter(episode=alarm.episode, action="remote_check").first()
    assert checked is not None  # the table reaches `clue` from 已非现场检查 only
    clue = enforcement.clue_from_inspection(actor=actor, inspection_number=checked.inspection_number,
                                            summary=f"非现场检查发现：{alarm.title}；{alarm.detail}")
    return {"clue_number": clue.number}


def _notify(actor: User, alarm: AlarmState, data: dict[str, Any]) -> dict[str, str]:
    notice = data.get("notice", "")
    if notice not in NOTICES:
        raise ValidationFailed("提醒告诫方式应为“提醒”或“告诫”", code="notice_invalid", field="notice")
    return {"note_prefix": notice}


def _dismiss(actor: User, alarm: AlarmState, data: dict[str, Any]) -> dict[str, str]:
    return {}


ACTS: dict[str, Callable[[User, AlarmState, dict[str, Any]], dict[str, str]]] = {
    "notify": _notify, "remote_check": _remote_check, "onsite": _onsite, "clue": _clue, "dismiss": _dismiss}


@transaction.atomic
def alarm_transition(*, actor: User, alarm_id: int, action: str, data: dict[str, Any]) -> Disposal:
    """Take one disposal step on the alarm (within the actor's scope: else 404)."""
    alarm = AlarmState.objects.visible_to(actor).select_for_update().get_visible(actor, pk=alarm_id)
    facts = Facts(state=alarm.disposal, actor=actor, department_id=alarm.department_id, level=alarm.level,
                  evidence=len(alarm.evidence))
    edge = DISPOSAL.check(action, facts)
    note = _text(data, "note", "说明", required=action in ("dismiss", "notify"))
    made = ACTS[action](actor, alarm, data)
    prefix = made.pop("note_prefix", "")
    disposal = Disposal.objects.create(
        alarm=alarm, entity_id=alarm.entity_id, department_id=alarm.department_id, region_id=alarm.region_id,
        episode=alarm.episode, action=action, note=(f"{prefix}：{note}" if prefix else note or made.get("note", "")),
        inspection_number=made.get("inspection_number", ""), clue_number=made.get("clue_number", ""),
        actor_label=actor.full_name or actor.username)
    AlarmStep.objects.create(alarm=alarm, episode=alarm.episode, action=f"disposal_{action}", old_level=alarm.level,
                             new_level=alarm.level, actor_label=disposal.actor_label, note=disposal.note[:500],
                             data={k: v for k, v in made.items() if k != "note"})
    old, alarm.disposal = alarm.disposal, edge.target
    alarm.version += 1
    alarm.save(update_fields=["disposal", "version"])
    record(actor=actor, verb=f"remote.alarm_{action}", target=alarm,
           data={"old": old, "new": edge.target, "episode": alarm.episode, **made})
    return disposal
