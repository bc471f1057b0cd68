"""Received 双公示 行政许可 records handed to disclosure (ADR 0062), in the transaction that keeps them.

The platform makes no 行政许可 decisions: the records received under `disclosure_licence` are the only source of
its licence items, and disclosure (below the exchange) cannot read `KeptRecord`. So the exchange hands each kept
record's values over to `disclosure.contracts.licences_receive`, which makes or updates the item.

谁执法谁公示 (国办发〔2018〕118号): the item belongs to the 许可机关, found by its 统一社会信用代码 among the
platform's departments. A record whose 许可机关 is not a department of the platform, or one the sender may not report
for, is refused before anything is kept (`authority_unknown`, `authority_out_of_scope`): no kept record without its
item, no item without its record."""

from __future__ import annotations

from typing import Any

from jianguan.disclosure import contracts as disclosure
from jianguan.subjects.models import MarketEntity

from .models import KeptRecord, Op
from .outbox import layout_of
from .records import Item, Sender, active_departments, issue
from .standards import values as v

STANDARD = "disclosure_licence"


def authorities_check(sender: Sender, items: list[Item]) -> None:
    """Each `i`/`u` record's owner is its 许可机关 (and that department's region); refused when unknown or out of
    the sender's scope."""
    departments = active_departments()
    for item in items:
        if item.op == Op.DELETE:
            continue
        code = (v.as_text(item.data.get("authority_code")) or "").strip().upper()
        found = departments.get(code)
        if found is None:
            item.errors.append(issue("authority_code", "authority_unknown",
                                     f"许可机关统一社会信用代码“{v.shown(code)}”不是本平台登记的部门：谁执法谁公示，"
                                     "本平台不能为其公示", "relevance"))
        elif not sender.covers(*found):
            item.errors.append(issue("authority_code", "authority_out_of_scope", "无权报送该许可机关的行政许可",
                                     "relevance"))
        else:
            item.department_id, item.region_id = found


def hand_over(std: Any, sender: Sender, items: list[Item]) -> int:
    """The kept records of `items` (applied, without problems) handed to disclosure; how many items changed."""
    if not items:
        return 0
    kept = dict(KeptRecord.objects.filter(standard=std.name, record_id__in=[i.record_id for i in items])
                .values_list("record_id", "pk"))
    layout = layout_of(std, KeptRecord)
    values = {i.record_id: layout.row(i.data)[1] for i in items if i.op != Op.DELETE}
    codes = {str(found.get("party_code_1") or "").upper() for found in values.values()} - {""}
    entities = dict(MarketEntity.objects.filter(uscc__in=sorted(codes)).values_list("uscc", "pk")) if codes else {}
    records = [disclosure.ReceivedLicence(
        kept_id=kept[i.record_id], record_id=i.record_id, op=i.op, version=i.version or 1,
        department_id=i.department_id or sender.department.pk, region_id=i.region_id or sender.department.region_id,
        values=values.get(i.record_id, {}),
        entity_id=entities.get(str(values.get(i.record_id, {}).get("party_code_1") or "").upper()))
        for i in items]
    return disclosure.licences_receive(records=records, actor=sender.actor)
