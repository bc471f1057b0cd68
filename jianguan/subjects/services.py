"""Writes of the object library: market entities from registration data (validated, indexed for search, their
renamings kept as former names), natural persons as parties (ID sealed), and objects that are not entities."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from jianguan.accounts.models import Region
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.codes import mask_ric, ric_error, uscc_error
from jianguan.core.errors import ValidationFailed
from jianguan.core.protect import lookup_hash, seal
from jianguan.core.scoping import HasScope
from jianguan.core.validation import not_future, parse_amount, parse_date

from . import search
from .models import (
    EntityStatus,
    EntityType,
    FormerName,
    Industry,
    MarketEntity,
    ObjectKind,
    Person,
    RegistrationEvent,
    RegistrationEventKind,
    SupervisedObject,
)

USCC_RULES = {"length": "应为 18 位", "alphabet": "含有不允许的字符（不使用 I、O、Z、S、V）",
              "check_char": "校验码不正确"}
RIC_RULES = {"length": "应为 18 位", "alphabet": "前 17 位应为数字，末位为数字或 X", "birth_date": "出生日期不存在",
             "check_char": "校验码不正确"}
# Position 2 of a code issued by market regulation (登记管理部门 9): GB 32100-2015 附录 A.
TYPE_BY_CODE = {"1": EntityType.ENTERPRISE, "2": EntityType.INDIVIDUAL, "3": EntityType.COOPERATIVE}
STATUS_EVENTS = {EntityStatus.CANCELLED: RegistrationEventKind.CANCELLED,
                 EntityStatus.REVOKED: RegistrationEventKind.REVOKED,
                 EntityStatus.MOVED_OUT: RegistrationEventKind.MOVED_OUT}
REQUIRED = {"uscc": "统一社会信用代码", "name": "名称", "legal_representative": "法定代表人（负责人、经营者）",
            "registered_address": "住所（经营场所）", "region": "所在区划", "industry": "行业",
            "established_on": "成立日期"}


def require_uscc(value: str, field: str = "uscc") -> str:
    """A 统一社会信用代码 checked by GB 32100-2015 (length, alphabet, check character), upper-cased."""
    code = (value or "").strip().upper()
    problem = uscc_error(code)
    if problem:
        raise ValidationFailed(f"统一社会信用代码“{code}”{USCC_RULES[problem]}", code=f"uscc_{problem}", field=field)
    return code


def require_ric(value: str, field: str = "id_number") -> str:
    """A 公民身份号码 checked by GB 11643-1999 (length, birth date, check digit), upper-cased."""
    number = (value or "").strip().upper()
    problem = ric_error(number)
    if problem:
        raise ValidationFailed(f"公民身份号码无效（{RIC_RULES.get(problem, problem)}）", code=f"id_{problem}",
                               field=field)
    return number


def require_entity(value: str, field: str = "uscc", *, reader: Actor | None = None) -> MarketEntity:
    """The entity of the object library with this 统一社会信用代码 (the code checked first).

    With `reader` (the acting person or system), the entity must also lie within the reader's jurisdiction, the
    same scope as their reads: a record about an entity is written only by those who may read it. An entity out of
    scope is refused exactly like an absent one, so the answer tells nothing about it."""
    code = require_uscc(value, field)
    entity: MarketEntity | None = MarketEntity.objects.select_related("region").filter(uscc=code).first()
    scope = reader.scope if isinstance(reader, HasScope) else None
    if scope is not None and entity is not None and not MarketEntity.objects.covers(scope, entity):
        entity = None
    if entity is None:
        where = "或不在本部门管辖范围内" if scope is not None else ""
        raise ValidationFailed(f"市场主体“{code}”不在监管对象库中{where}", code="entity_unknown", field=field)
    return entity


def _require_region(code: str, field: str = "region") -> str:
    if not Region.objects.filter(code=code).exists():
        raise ValidationFailed(f"区划代码“{code}”不存在", code="region_unknown", field=field)
    return code


def _require_choice(value: str, choices: type[models.Choices], field: str, label: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(f"{label}“{value}”不在 {', '.join(choices.values)} 之中", code="choice_invalid",
                               field=field)
    return value


def _capital(value: Any) -> Decimal | None:
    return parse_amount(value, "registered_capital", "注册资本（万元）", code="capital_invalid")


def _entity_values(values: dict[str, Any]) -> dict[str, Any]:
    for field, label in REQUIRED.items():
        if not str(values.get(field) or "").strip():
            raise ValidationFailed(f"缺少必填字段“{label}”", code="required", field=field)
    uscc = require_uscc(values["uscc"])
    # Codes issued by market regulation (登记管理部门 9) state the type in position 2.
    by_code = TYPE_BY_CODE.get(uscc[1], EntityType.OTHER) if uscc[0] == "9" else None
    entity_type = _require_choice(values.get("entity_type") or by_code or EntityType.OTHER, EntityType,
                                  "entity_type", "主体类型")
    if by_code is not None and by_code != entity_type:
        raise ValidationFailed("主体类型与统一社会信用代码第 2 位（机构类别）不符", code="type_mismatch",
                               field="entity_type")
    status = _require_choice(values.get("status") or EntityStatus.ACTIVE, EntityStatus, "status", "登记状态")
    region = _require_region(str(values["region"]).strip())
    industry = str(values["industry"]).strip()[-4:]
    if not Industry.objects.filter(code=industry).exists():
        raise ValidationFailed(f"行业代码“{industry}”不在 GB/T 4754 之中", code="industry_unknown", field="industry")
    established = parse_date(values["established_on"], "established_on", "成立日期")
    return {"uscc": uscc, "name": str(values["name"]).strip(), "entity_type": entity_type,
            "enterprise_type": str(values.get("enterprise_type") or "").strip(),
            "legal_representative": str(values["legal_representative"]).strip(),
            "registered_address": str(values["registered_address"]).strip(), "region_id": region,
            "industry_id": industry, "established_on": not_future(established, "established_on", "成立日期"),
            "registered_capital": _capital(values.get("registered_capital")), "status": status}


@transaction.atomic
def entity_register(*, actor: Actor, values: dict[str, Any], authority: str = "",
                    on: dt.date | None = None) -> MarketEntity:
    """Create or update an entity from registration data (登记信息), effective `on` (default today).

    A new name keeps the old one as a former name (曾用名) and a 名称变更 event; a new status 注销, 吊销 or 迁出
    is an event of its own; the search index follows every change of a searched text.
    """
    clean = _entity_values(values)
    day = on or timezone.localdate()
    entity: MarketEntity | None = MarketEntity.objects.select_for_update().filter(uscc=clean["uscc"]).first()
    if entity is None:
        entity = MarketEntity.objects.create(**clean)
        RegistrationEvent.objects.create(entity=entity, kind=RegistrationEventKind.ESTABLISHED,
                                         date=entity.established_on, detail="设立登记", authority=authority)
        search.reindex(entity.pk, [], search.texts_of(entity))
        record(actor=actor, verb="subjects.entity_registered", target=entity, data={"name": entity.name})
        return entity
    before = search.texts_of(entity)
    changed = {field: value for field, value in clean.items() if getattr(entity, field) != value}
    if not changed:
        return entity
    if "name" in changed:
        FormerName.objects.create(entity=entity, name=entity.name, used_until=day - dt.timedelta(days=1))
        RegistrationEvent.objects.create(entity=entity, kind=RegistrationEventKind.RENAMED, date=day,
                                         detail=f"名称由“{entity.name}”变更为“{clean['name']}”", authority=authority)
    if "status" in changed and changed["status"] in STATUS_EVENTS:
        RegistrationEvent.objects.create(entity=entity, kind=STATUS_EVENTS[changed["status"]], date=day,
                                         authority=authority)
    other = sorted(set(changed) - {"name", "status"})
    if other:
        labels = "、".join(_label(f) for f in other)
        RegistrationEvent.objects.create(entity=entity, kind=RegistrationEventKind.CHANGED, date=day,
                                         detail=f"{labels}变更", authority=authority)
    for field, value in changed.items():
        setattr(entity, field, value)
    entity.save()
    search.reindex(entity.pk, before, search.texts_of(entity))
    record(actor=actor, verb="subjects.entity_changed", target=entity,
           data={field: str(value) for field, value in changed.items()})
    return entity


def _label(field: str) -> str:
    found = MarketEntity._meta.get_field(field.removesuffix("_id"))
    return str(getattr(found, "verbose_name", field))


@transaction.atomic
def person_register(*, actor: Actor, name: str, id_number: str, region_code: str) -> Person:
    """Register a natural person as a party: the ID number checked (GB 11643-1999), then stored only sealed and
    masked (个人信息保护法 第二十八条、第五十一条: sensitive personal information, encrypted)."""
    number = require_ric(id_number)
    _require_region(region_code)
    existing: Person | None = Person.objects.filter(id_lookup=lookup_hash(number)).first()
    if existing:
        return existing
    person = Person.objects.create(name=name.strip(), id_sealed=seal(number), id_lookup=lookup_hash(number),
                                   id_masked=mask_ric(number), region_id=region_code)
    record(actor=actor, verb="subjects.person_registered", target=("subjects.person", person.pk, str(person)),
           region_code=region_code, data={"name": person.name, "id_masked": person.id_masked})
    return person


def object_register(*, actor: Actor, kind: str, name: str, identifier: str, region_code: str,
                    owner_uscc: str = "", address: str = "") -> SupervisedObject:
    """Register a product, place, project, vehicle or device that can be inspected; its identifier is unique per
    kind, and it may belong to an entity."""
    _require_choice(kind, ObjectKind, "kind", "对象类型")
    for field, value, label in (("name", name, "名称"), ("identifier", identifier, "标识")):
        if not value.strip():
            raise ValidationFailed(f"缺少必填字段“{label}”", code="required", field=field)
    _require_region(region_code)
    owner = require_entity(owner_uscc, "owner") if owner_uscc else None
    try:
        with transaction.atomic():
            obj = SupervisedObject.objects.create(kind=kind, name=name.strip(), identifier=identifier.strip(),
                                                  region_id=region_code, owner=owner, address=address.strip())
            record(actor=actor, verb="subjects.object_registered", target=obj,
                   data={"kind": kind, "identifier": obj.identifier})
    except IntegrityError:
        raise ValidationFailed(f"该类对象标识“{identifier}”已登记", code="identifier_duplicate",
                               field="identifier") from None
    return obj
