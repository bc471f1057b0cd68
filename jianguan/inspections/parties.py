"""Whom an inspection names: the party (an entity, a registered person or a supervised object, within the acting
body's jurisdiction) and the officers who check (行政处罚法 第四十二条)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jianguan.accounts.models import Department, User
from jianguan.core.errors import ValidationFailed
from jianguan.core.protect import lookup_hash
from jianguan.subjects.contracts import require_entity, require_ric
from jianguan.subjects.models import Person, SupervisedObject


def party_fields(party: dict[str, Any], department: Department) -> dict[str, Any]:
    """The party from one of: an entity's 统一社会信用代码, a registered person's ID number, a supervised object."""
    kind = party.get("kind") or "entity"
    if kind == "entity":
        entity = require_entity(str(party.get("uscc") or ""), "party.uscc")
        found = {"entity": entity, "person": None, "supervised_object": None, "party_name": entity.name,
                 "party_code": entity.uscc, "party_address": entity.registered_address, "region": entity.region}
    elif kind == "person":
        number = require_ric(str(party.get("id_number") or ""), "party.id_number")
        person = Person.objects.select_related("region").filter(id_lookup=lookup_hash(number)).first()
        if person is None:
            raise ValidationFailed("个人当事人尚未登记：请先在监管对象库登记", code="person_unknown",
                                   field="party.id_number")
        found = {"entity": None, "person": person, "supervised_object": None, "party_name": person.name,
                 "party_code": person.id_masked, "party_address": "", "region": person.region}
    elif kind == "object":
        thing = SupervisedObject.objects.select_related("owner", "region").filter(
            pk=party.get("object_id") or 0).first()
        if thing is None:
            raise ValidationFailed("监管对象不存在", code="object_unknown", field="party.object_id")
        owner = thing.owner
        found = {"entity": owner, "person": None, "supervised_object": thing,
                 "party_name": owner.name if owner else thing.name, "party_code": owner.uscc if owner else "",
                 "party_address": thing.address or (owner.registered_address if owner else ""),
                 "region": thing.region}
    else:
        raise ValidationFailed("当事人类型应为市场主体、个人或监管对象", code="party_kind_invalid", field="party.kind")
    if not found["region"].path.startswith(department.region.path):
        raise ValidationFailed("当事人不在实施机构的管辖区域内", code="party_out_of_jurisdiction", field="party")
    return found


def chosen_officers(department: Department, usernames: list[str], joint_with: Iterable[int] = ()) -> list[User]:
    """The named officers, each an active member of the acting department or of a department checking jointly
    with it (a joint task's visit needs two officers in total, 行政处罚法 第四十二条), in the order given."""
    names = list(dict.fromkeys(u.strip() for u in usernames if u and u.strip()))
    users = {u.username: u for u in User.objects.filter(username__in=names, is_active=True,
                                                         department_id__in={department.pk, *joint_with})}
    unknown = [n for n in names if n not in users]
    if unknown:
        raise ValidationFailed(f"检查人员“{'、'.join(unknown)}”不是{department.name}的在职人员", code="officer_unknown",
                               field="officers")
    return [users[n] for n in names]
