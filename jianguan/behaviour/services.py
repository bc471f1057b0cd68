"""Writes of the behaviour library: one service per record type, each citing the one list through the catalog's
guard (no supervision outside the list), each with its acting body, its party and the audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from jianguan.accounts.models import Department
from jianguan.audit.contracts import record
from jianguan.catalog.contracts import require_in_force, require_item_in_force
from jianguan.core.actors import Actor
from jianguan.core.codes import mask_ric
from jianguan.core.errors import ValidationFailed
from jianguan.core.protect import lookup_hash
from jianguan.core.validation import not_future, parse_amount, parse_date
from jianguan.subjects.contracts import require_entity, require_ric
from jianguan.subjects.models import EntityType, Person, SupervisedObject

from .models import (
    BehaviourRecord,
    Coercion,
    CoercionKind,
    IdType,
    Inspection,
    OtherAction,
    PartyNature,
    Penalty,
)

PENALTY_KINDS = {"01": "警告", "02": "罚款", "03": "没收违法所得", "04": "责令停产停业", "05": "吊销许可证",
                 "06": "行政拘留", "07": "法律、行政法规规定的其他行政处罚", "08": "通报批评", "09": "没收非法财物",
                 "10": "降低资质等级", "11": "暂扣许可证", "12": "限制开展经营活动", "13": "限制从业", "14": "责令关闭"}


def _party(*, entity_code: str = "", person_name: str = "", person_id: str = "", object_id: int | None = None,
           ) -> dict[str, Any]:
    """The party block of a record from one of: an entity's 统一社会信用代码, a person (name and ID number), or
    a supervised object that is not an entity (its owner, if any, becomes the party)."""
    if object_id:
        found = SupervisedObject.objects.select_related("owner", "region").filter(pk=object_id).first()
        if found is None:
            raise ValidationFailed("监管对象不存在", code="object_unknown", field="object")
        block = _party(entity_code=found.owner.uscc) if found.owner else {"region": found.region}
        return {**block, "supervised_object": found, "object_name": found.name, "object_type": found.kind}
    if entity_code:
        entity = require_entity(entity_code, "party_code")
        nature = PartyNature.INDIVIDUAL if entity.entity_type == EntityType.INDIVIDUAL else PartyNature.ORGANISATION
        return {"entity": entity, "party_name": entity.name, "party_nature": nature, "party_id_type": IdType.USCC,
                "party_code": entity.uscc, "registered_address": entity.registered_address,
                "region": entity.region, "object_name": entity.name, "object_type": "entity"}
    if person_id:
        number = require_ric(person_id, "party_code")
        person = Person.objects.select_related("region").filter(id_lookup=lookup_hash(number)).first()
        if person is None:
            raise ValidationFailed("个人当事人尚未登记", code="person_unknown", field="party_code")
        return {"person": person, "party_name": person.name or person_name, "party_nature": PartyNature.PERSON,
                "party_id_type": IdType.RESIDENT_ID, "party_code": mask_ric(number), "region": person.region,
                "object_name": person.name, "object_type": "person"}
    raise ValidationFailed("必须指明行政相对人（统一社会信用代码、身份证号码或监管对象）", code="party_required",
                           field="party_code")


def _save[R: BehaviourRecord](model: type[R], actor: Actor, verb: str, values: dict[str, Any]) -> R:
    try:
        with transaction.atomic():
            row = model(**values)
            row.save(force_insert=True)
    except IntegrityError:
        raise ValidationFailed(f"行为编号“{values['number']}”已存在", code="number_duplicate", field="number") from None
    record(actor=actor, verb=verb, target=row, data={"number": row.number, "catalog_code": row.catalog_code,
                                                      "party": row.party_code, "date": row.date})
    return row


@transaction.atomic
def inspection_record(*, actor: Actor, department: Department, implementation_code: str, number: str, name: str,
                      date: dt.date, form: str, category: str, result: str, inspectors: list[str],
                      credential_numbers: list[str], method: str = "", spot_check_plan: str = "",
                      party: dict[str, Any], reported_at: dt.datetime | None = None, source: str = "platform",
                      raw: dict[str, Any] | None = None) -> Inspection:
    """Record a 行政检查行为. It must rest on an implementation row of the acting body in force that day."""
    not_future(date, "date")
    card = require_in_force(body_id=department.pk, implementation_code=implementation_code, on=date)
    if len(inspectors) < 2:
        raise ValidationFailed("检查人员不得少于两人", code="inspectors_too_few", field="inspectors")
    if credential_numbers and len(credential_numbers) != len(inspectors):
        raise ValidationFailed("执法证号应与检查人员一一对应", code="credentials_mismatch", field="credential_numbers")
    if reported_at and timezone.localdate(reported_at) < date:
        raise ValidationFailed("报送时间应晚于检查时间", code="date_order", field="reported_at")
    return _save(Inspection, actor, "behaviour.inspection_recorded", {
        **_party(**party), "department": department, "catalog_code": card.item_code,
        "implementation_code": implementation_code, "number": number, "name": name, "date": date, "form": form,
        "category": category, "method": method, "result": result, "inspectors": inspectors,
        "credential_numbers": credential_numbers, "spot_check_plan": spot_check_plan, "reported_at": reported_at,
        "source": source, "raw": raw})


def _inspection(number: str) -> Inspection:
    inspection: Inspection | None = Inspection.objects.filter(number=number).first()
    if inspection is None:
        raise ValidationFailed(f"检查行为编号“{number}”不存在", code="inspection_unknown", field="inspection_number")
    return inspection


@transaction.atomic
def penalty_record(*, actor: Actor, department: Department, catalog_code: str, inspection_number: str, number: str,
                   name: str, decided_on: dt.date, decision_number: str, facts: str, basis: str, procedure: str,
                   penalty_kinds: list[str], result: str, case_source: str, fine: Any = None,
                   filed_on: dt.date | None = None, closed_on: dt.date | None = None,
                   party: dict[str, Any] | None = None, source: str = "platform", raw: dict[str, Any] | None = None,
                   **extra: Any) -> Penalty:
    """Record a 行政处罚行为: a 子项 of type 行政处罚 in force on the decision date, after the inspection it cites."""
    not_future(decided_on, "decided_on")
    card = require_item_in_force(code=catalog_code, on=decided_on, action_types=("penalty",))
    inspection = _inspection(inspection_number)
    unknown = sorted(set(penalty_kinds) - set(PENALTY_KINDS))
    if not penalty_kinds or unknown:
        raise ValidationFailed(f"处罚种类无效：{'、'.join(unknown) or '未填写'}", code="penalty_kind_invalid",
                               field="penalty_kinds")
    if filed_on and closed_on and closed_on < filed_on:
        raise ValidationFailed("结案日期应晚于立案时间", code="date_order", field="closed_on")
    party_block = _party(**party) if party else {
        k: getattr(inspection, k) for k in ("entity", "person", "party_name", "party_nature", "party_id_type",
                                            "party_code", "registered_address", "region", "object_name",
                                            "object_type")}
    return _save(Penalty, actor, "behaviour.penalty_recorded", {
        **party_block, "department": department, "catalog_code": card.code, "inspection_number": inspection_number,
        "number": number, "name": name, "date": decided_on, "decision_number": decision_number, "facts": facts,
        "basis": basis, "procedure": procedure, "penalty_kinds": penalty_kinds, "result": result,
        "case_source": case_source, "fine": parse_amount(fine, "fine"), "filed_on": filed_on, "closed_on": closed_on,
        "source": source, "raw": raw, **extra})


@transaction.atomic
def coercion_record(*, actor: Actor, department: Department, catalog_code: str, inspection_number: str, number: str,
                    name: str, kind: str, decision_number: str, facts: str, basis: str, starts_on: dt.date,
                    ends_on: dt.date | None = None, measure_type: str = "", enforcement_type: str = "",
                    result: str = "", extension: str = "", source: str = "platform",
                    raw: dict[str, Any] | None = None) -> Coercion:
    """Record a 行政强制行为: a 子项 of type 行政强制 in force on its first day, after the inspection it cites."""
    not_future(starts_on, "starts_on")
    card = require_item_in_force(code=catalog_code, on=starts_on, action_types=("coercion",))
    inspection = _inspection(inspection_number)
    if kind not in CoercionKind.values:
        raise ValidationFailed("行政强制种类应为强制措施或强制执行", code="coercion_kind_invalid", field="kind")
    if ends_on and ends_on < starts_on:
        raise ValidationFailed("结束时间不能早于起始时间", code="date_order", field="ends_on")
    party_block = {k: getattr(inspection, k) for k in ("entity", "person", "party_name", "party_nature",
                                                        "party_id_type", "party_code", "registered_address",
                                                        "region", "object_name", "object_type")}
    return _save(Coercion, actor, "behaviour.coercion_recorded", {
        **party_block, "department": department, "catalog_code": card.code, "inspection_number": inspection_number,
        "number": number, "name": name, "date": starts_on, "kind": kind, "decision_number": decision_number,
        "facts": facts, "basis": basis, "starts_on": starts_on, "ends_on": ends_on, "measure_type": measure_type,
        "enforcement_type": enforcement_type, "result": result, "extension": extension, "source": source,
        "raw": raw})


@transaction.atomic
def other_record(*, actor: Actor, department: Department, catalog_code: str, number: str, name: str,
                 starts_on: dt.date, party: dict[str, Any], measure: str = "", conclusion: str = "",
                 inspection_number: str = "", ends_on: dt.date | None = None, source: str = "platform",
                 raw: dict[str, Any] | None = None) -> OtherAction:
    """Record an 其他行政行为 under a 子项 in force on its first day."""
    not_future(starts_on, "starts_on")
    card = require_item_in_force(code=catalog_code, on=starts_on)
    if inspection_number:
        _inspection(inspection_number)
    if ends_on and ends_on < starts_on:
        raise ValidationFailed("结束时间不能早于开始时间", code="date_order", field="ends_on")
    return _save(OtherAction, actor, "behaviour.other_recorded", {
        **_party(**party), "department": department, "catalog_code": card.code, "number": number, "name": name,
        "date": starts_on, "starts_on": starts_on, "ends_on": ends_on, "measure": measure,
        "conclusion": conclusion, "inspection_number": inspection_number, "source": source, "raw": raw})


# Amending a record -----------------------------------------------------------------------------------------------

# Columns that are not data elements one may correct: the record's identity and bookkeeping, its party and the
# catalog anchor (a different party, item or action date is a different record: withdraw it and record anew).
FIXED_FIELDS = frozenset({
    "id", "record_id", "number", "version", "source", "source_system", "raw", "withdrawn_at", "created_at",
    "updated_at", "department", "delegated_by", "region", "entity", "person", "supervised_object", "catalog_code",
    "implementation_code", "object_type", "object_name", "party_name", "party_nature", "party_id_type", "party_code",
    "registered_address", "date", "starts_on", "inspection_number", "kind"})
VERBS = {Inspection: "inspection", Penalty: "penalty", Coercion: "coercion", OtherAction: "other"}


def amendable_fields(model: type[models.Model]) -> frozenset[str]:
    """The national data elements of `model` (behaviour-records.md §2–§5) that `record_amend` may replace."""
    return frozenset(f.name for f in model._meta.concrete_fields if f.name not in FIXED_FIELDS)


def _amended_value(field: models.Field[Any, Any], value: Any, today: dt.date) -> Any:
    name = field.name
    label = str(field.verbose_name)
    if value in (None, "") and not isinstance(field, (models.JSONField, models.BooleanField)):
        if not field.null and not field.blank:
            raise ValidationFailed(f"“{label}”不能为空", code="required", field=name)
        return None if field.null else ""
    if isinstance(field, models.DateTimeField):
        if not isinstance(value, dt.datetime):
            raise ValidationFailed(f"“{label}”应为日期时间", code="datetime_invalid", field=name)
        if value > timezone.now():
            raise ValidationFailed(f"“{label}”不能晚于现在", code="date_in_future", field=name)
        return value
    if isinstance(field, models.DateField):
        day = value if isinstance(value, dt.date) else parse_date(value, name, label)
        if day > today:
            raise ValidationFailed(f"“{label}”不能晚于今天", code="date_in_future", field=name)
        return day
    if isinstance(field, models.DecimalField):
        return parse_amount(value, name)
    if isinstance(field, models.BooleanField):
        if not isinstance(value, bool):
            raise ValidationFailed(f"“{label}”应为是或否", code="bool_invalid", field=name)
        return value
    if isinstance(field, models.JSONField):
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise ValidationFailed(f"“{label}”应为文字列表", code="list_invalid", field=name)
        return list(value)
    text = str(value).strip()
    if field.max_length and len(text) > field.max_length:
        raise ValidationFailed(f"“{label}”不能超过 {field.max_length} 个字符", code="too_long", field=name)
    if field.choices and text not in {str(c[0]) for c in field.choices}:
        raise ValidationFailed(f"“{label}”取值无效", code="choice_invalid", field=name)
    return text


def _check_amended(row: Any) -> None:
    """The cross-field rules of the creating services, on the record as amended (behaviour-records.md §2–§5)."""
    if isinstance(row, Inspection):
        if len(row.inspectors) < 2:
            raise ValidationFailed("检查人员不得少于两人", code="inspectors_too_few", field="inspectors")
        if row.credential_numbers and len(row.credential_numbers) != len(row.inspectors):
            raise ValidationFailed("执法证号应与检查人员一一对应", code="credentials_mismatch",
                                   field="credential_numbers")
    if isinstance(row, Penalty):
        unknown = sorted(set(row.penalty_kinds) - set(PENALTY_KINDS))
        if not row.penalty_kinds or unknown:
            raise ValidationFailed(f"处罚种类无效：{'、'.join(unknown) or '未填写'}", code="penalty_kind_invalid",
                                   field="penalty_kinds")
        # 结案日期 later than 处罚立案时间, and not before the decision it closes (behaviour-records.md §3).
        if row.closed_on and ((row.filed_on and row.closed_on < row.filed_on) or row.closed_on < row.date):
            raise ValidationFailed("结案日期应晚于立案时间和处罚决定日期", code="date_order", field="closed_on")
        if row.reported_at and row.closed_on and timezone.localdate(row.reported_at) < row.closed_on:
            raise ValidationFailed("报送时间应晚于结案日期", code="date_order", field="reported_at")
    if isinstance(row, (Coercion, OtherAction)) and row.ends_on and row.starts_on and row.ends_on < row.starts_on:
        raise ValidationFailed("结束时间不能早于起始时间", code="date_order", field="ends_on")
    if row.reported_at and timezone.localdate(row.reported_at) < row.date:
        raise ValidationFailed("报送时间应晚于行为日期", code="date_order", field="reported_at")


@transaction.atomic
def record_amend[R: BehaviourRecord](*, actor: Actor, model: type[R], number: str, changes: dict[str, Any], reason: str,
                 today: dt.date | None = None) -> R:
    """Replace `changes` (field name → new value) of the record with 行为编号 `number`: the row keeps its identity
    (记录唯一标识, 行为编号) and becomes the next version (catalog.md §7: a correction is a new version of the same
    id, pushed upward as `u`). Only the data elements of `amendable_fields` may change; each value is checked as
    the creating service checks it (dates not in the future, 结案日期 not before 立案时间 nor the decision,
    结束时间 not before 起始时间 — behaviour-records.md §3, §4). Values equal to the stored ones are no change:
    amending with nothing new returns the record as it is, without a new version. `today` is the day the caller
    acts on (its workflow's date; default the local date)."""
    if model not in VERBS:
        raise ValueError(f"{model.__name__} is not a behaviour record")
    if not str(reason or "").strip():
        raise ValidationFailed("请说明更正原因", code="reason_required", field="reason")
    allowed = amendable_fields(model)
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationFailed(f"不能更正的字段：{'、'.join(unknown)}", code="field_not_amendable", field=unknown[0])
    row: R | None = model._default_manager.select_for_update().filter(number=number).first()
    if row is None:
        raise ValidationFailed(f"行为编号“{number}”不存在", code="record_unknown", field="number")
    if row.withdrawn_at is not None:
        raise ValidationFailed("该记录已撤回，不能更正", code="record_withdrawn", field="number")
    changed: dict[str, Any] = {}
    for name, value in changes.items():
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field)  # `amendable_fields` holds concrete fields only
        value = _amended_value(field, value, today or timezone.localdate())
        if getattr(row, name) != value:
            changed[name] = value
            setattr(row, name, value)
    if not changed:
        return row
    _check_amended(row)
    row.version += 1
    row.save(update_fields=[*changed, "version", "updated_at"])
    record(actor=actor, verb=f"behaviour.{VERBS[model]}_amended", target=row, data={
        "number": row.number, "version": row.version, "fields": sorted(changed), "reason": str(reason).strip()[:300]})
    return row
