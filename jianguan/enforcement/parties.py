"""Who a case is about and who handles it: the party (an entity, a registered person, or a name not yet
identified) and the officers with their 执法证 (行政处罚法 第四十二条)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jianguan.accounts.contracts import credential_on
from jianguan.core.actors import Actor
from jianguan.core.errors import ValidationFailed
from jianguan.core.protect import unseal
from jianguan.core.roles import Role
from jianguan.core.validation import require as _require
from jianguan.subjects.contracts import person_register, require_entity
from jianguan.subjects.models import EntityType

from .inputs import colleague
from .models import Case, CaseOfficer, PartyKind


def party_values(party: dict[str, Any], *, actor: Actor, field: str = "party") -> dict[str, Any]:
    """The case's party from {"uscc"} (an entity), {"id_number", "name", "region"} (a person, registered sealed),
    or {"name"} alone (not yet identified)."""
    party = party or {}
    code = str(party.get("uscc") or party.get("entity_code") or "").strip()
    if code:
        entity = require_entity(code, f"{field}.uscc", reader=actor)
        kind = PartyKind.PERSON if entity.entity_type == EntityType.INDIVIDUAL else PartyKind.ORGANISATION
        return {"entity": entity, "person": None, "party_name": entity.name, "party_code": entity.uscc,
                "party_kind": kind, "party_address": entity.registered_address, "region": entity.region}
    number = str(party.get("id_number") or party.get("person_id") or "").strip()
    if number:
        name = str(party.get("name") or "").strip()
        _require(name, "缺少当事人姓名", "required", f"{field}.name")
        region = str(party.get("region") or "")
        _require(region, "自然人当事人须注明所在区划", "required", f"{field}.region")
        person = person_register(actor=actor, name=name, id_number=number, region_code=region)
        return {"entity": None, "person": person, "party_name": person.name, "party_code": person.id_masked,
                "party_kind": PartyKind.PERSON, "party_address": str(party.get("address") or "")[:400],
                "region": person.region}
    name = str(party.get("name") or "").strip()
    _require(name, "须写明当事人（统一社会信用代码、身份证号码或名称）", "party_required", field)
    return {"entity": None, "person": None, "party_name": name[:200], "party_code": "",
            "party_kind": PartyKind.ORGANISATION if party.get("kind") != "person" else PartyKind.PERSON,
            "party_address": str(party.get("address") or "")[:400], "region": None}


def behaviour_party(case: Case) -> dict[str, Any]:
    if case.entity_id:
        return {"entity_code": case.entity.uscc}
    if case.person_id:
        return {"person_id": unseal(case.person.id_sealed), "person_name": case.person.name}
    raise ValidationFailed("当事人尚未确认（须为市场主体或已登记的自然人）", code="party_unidentified", field="party")


def chosen_officers(department_id: int, usernames: list[str], day: dt.date, field: str = "officers"):
    """Two or more officers of the department, each with an 执法证 valid on `day` (行政处罚法 第四十二条)."""
    names = [str(u).strip() for u in (usernames or []) if str(u).strip()]
    _require(len(set(names)) >= 2, "执法人员不得少于两人（《行政处罚法》第四十二条）", "officers_too_few", field)
    chosen = []
    for username in dict.fromkeys(names):
        user = colleague(username, department_id, field)
        _require(user.has_role(Role.OFFICER), f"{user.full_name}不是执法人员", "not_an_officer", field)
        credential = credential_on(user, day)
        _require(credential is not None, f"{user.full_name}的执法证在 {day} 无效（《行政处罚法》第四十二条）",
                 "credential_invalid", field)
        chosen.append((user, credential))
    return chosen


def assign_officers(case: Case, chosen, lead: str, day: dt.date) -> None:
    CaseOfficer.objects.filter(case=case).delete()
    lead_name = lead or chosen[0][0].username
    CaseOfficer.objects.bulk_create([CaseOfficer(case=case, user=user, credential=credential, assigned_on=day,
                                                 lead=user.username == lead_name) for user, credential in chosen])
