"""The named rule functions that judge a line against the reference registers (`registers.py`).

Each judges only where its register is loaded (`Context.register`): where it is not, the rule says nothing and the
model's register check ("需核对…") stays in the alert. A seller or advertiser is looked up by its 统一社会信用代码
when it is one, else by its name; a name the register does not hold is said as a weight-0 hit ("需核对"), never
taken for a missing licence, since the same body may be written otherwise. Validity is judged on the register's day
(the day the item was seen).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from jianguan.risk.evidence import Context, Hit, Indicator, rule
from jianguan.risk.normalise import key
from jianguan.risk.registers import Entry, is_code, label
from jianguan.risk.rules_listings import device_class_of

AD_REVIEW, INSTITUTION = "ad_review", "medical_institution_licence"
APPROVAL, DEVICE, DRUG_LICENCE = "drug_approval", "device_registration", "drug_business_licence"
RX = key("处方药")
BUSINESS = (DRUG_LICENCE, "device_business_licence", "device_business_filing")
DEFINITIONS = Path(__file__).with_name("definitions")


def _holds(entry: Entry, who: str) -> bool:
    return entry.holder_code == who.strip().upper() if is_code(who) else entry.holder_key == key(who)


def _unknown_name(context: Context, indicator: Indicator, name: str, kinds: list[str]) -> Hit:
    """What a register cannot say of a body named by a name it does not hold (weight 0)."""
    registers = "、".join(label(kind) for kind in kinds)
    note = f"需核对：以名称或店铺编号标识，{registers}登记中未查到同名持有人"
    return replace(context.field_hit(indicator, name, note), weight=0.0)


def _registered(context: Context, kind: str, name: str) -> tuple[Entry, dt.date] | None:
    """The entry of the line's number `name` in register `kind`, with the day judged; None when absent or not
    loaded."""
    registers, number = context.register(kind), context.value(name)
    if registers is None or number is None:
        return None
    entry = registers.find(kind, number)
    return (entry, registers.day) if entry is not None else None


@rule("not_registered", registers=True)
def not_registered(context: Context, indicator: Indicator) -> list[Hit]:
    """The line's number (`options.field`) absent from the loaded register `options.register`: a 批准文号,
    注册证编号 or 广审号 never issued."""
    kind, name = indicator.options["register"], indicator.options["field"]
    registers, number = context.register(kind), context.value(name)
    if registers is None or number is None or registers.find(kind, number) is not None:
        return []
    return [context.field_hit(indicator, name, f"编号不在{label(kind)}登记中")]


@rule("registration_invalid", registers=True)
def registration_invalid(context: Context, indicator: Indicator) -> list[Hit]:
    """The line's number registered, but not valid on the day judged (到期, 注销, 吊销, 撤销, 暂停)."""
    kind, name = indicator.options["register"], indicator.options["field"]
    found = _registered(context, kind, name)
    if found is None or not (why := found[0].why_invalid(found[1])):
        return []
    return [context.field_hit(indicator, name, f"{label(kind)} {found[0].number} {why}")]


@rule("review_other_advertiser", registers=True)
def review_other_advertiser(context: Context, indicator: Indicator) -> list[Hit]:
    """The 广审号 was issued to another advertiser than the one the ad names."""
    found, advertiser = _registered(context, AD_REVIEW, "review_number"), context.value("advertiser")
    if found is None or advertiser is None or _holds(found[0], advertiser):
        return []
    return [context.field_hit(indicator, "advertiser", f"广告审查证明 {found[0].number} 由“{found[0].holder}”取得")]


@cache
def departments(file: str) -> dict[str, Any]:
    """The 诊疗科目 and the words that name each (`definitions/departments.json`, with its source and version)."""
    data: dict[str, Any] = json.loads((DEFINITIONS / file).read_text("utf-8"))
    return data


def _departments_named(context: Context, indicator: Indicator) -> list[tuple[str, int, int]]:
    """(诊疗科目, start, end) of each word of the file `options.departments` in the text (normalised offsets), a
    word inside a longer one found counted once."""
    text = context.text("text").text
    found = []
    for department, words in departments(indicator.options["departments"])["departments"].items():
        for word in map(key, words):
            start = text.find(word)
            while start >= 0:
                found.append((department, start, start + len(word)))
                start = text.find(word, start + len(word))
    kept: list[tuple[str, int, int]] = []
    for department, start, end in sorted(found, key=lambda item: (item[1], -item[2])):
        if not kept or start >= kept[-1][2]:
            kept.append((department, start, end))
    return kept


def _quote(context: Context, indicator: Indicator, start: int, end: int, note: str) -> Hit:
    first, last = context.text("text").span(start, end)
    return Hit(indicator.id, indicator.article, context.record["text"][first:last], first, last, "text", note,
               indicator.weight)


@rule("departments_outside_licence", registers=True)
def departments_outside_licence(context: Context, indicator: Indicator) -> list[Hit]:
    """诊疗科目 the ad names that the advertiser's valid 医疗机构执业许可证 does not list: a medical ad states only
    the 诊疗科目 of the licence (医疗广告管理办法第六条). A listed sub-specialty (皮肤科/皮肤病专业) counts for its
    科目."""
    registers, advertiser = context.register(INSTITUTION), context.value("advertiser")
    if registers is None or advertiser is None:
        return []
    valid = [entry for entry in registers.held_by(INSTITUTION, advertiser) if entry.valid_on(registers.day)]
    if not valid:
        return []
    listed = {key(re.split(r"[/（(]", item)[0]) for entry in valid for item in entry.details.get("departments", [])}
    return [_quote(context, indicator, start, end, f"执业许可证 {valid[0].number} 未核准{department}")
            for department, start, end in _departments_named(context, indicator) if key(department) not in listed]


@rule("institution_not_licensed", registers=True)
def institution_not_licensed(context: Context, indicator: Indicator) -> list[Hit]:
    """An ad naming 诊疗科目 whose advertiser holds no valid 医疗机构执业许可证: only a medical institution
    advertises medical services (医疗广告管理办法第五条)."""
    registers, advertiser = context.register(INSTITUTION), context.value("advertiser")
    if registers is None or advertiser is None or not _departments_named(context, indicator):
        return []
    held = registers.held_by(INSTITUTION, advertiser)
    if any(entry.valid_on(registers.day) for entry in held):
        return []
    if held:
        return [context.field_hit(indicator, "advertiser",
                                  f"医疗机构执业许可证 {held[0].number} {held[0].why_invalid(registers.day)}")]
    if is_code(advertiser):
        return [context.field_hit(indicator, "advertiser", "广告主不在医疗机构执业登记中")]
    return [_unknown_name(context, indicator, "advertiser", [INSTITUTION])]


@rule("approval_other_product", registers=True)
def approval_other_product(context: Context, indicator: Indicator) -> list[Hit]:
    """The listing's product is not the drug its 批准文号 approves: the register's 通用名称 is not in the product
    name (else the text)."""
    found = _registered(context, APPROVAL, "registration_number")
    shown = context.value("product_name") or context.value("text") or ""
    if found is None or key(found[0].name) in key(shown):
        return []
    entry = found[0]
    return [context.field_hit(indicator, "registration_number", f"批准文号 {entry.number} 批准的是“{entry.name}"
                              f"{entry.details.get('dosage_form', '')}”（{entry.holder}）")]


@rule("device_other_product", registers=True)
def device_other_product(context: Context, indicator: Indicator) -> list[Hit]:
    """The listing's device is not the one its number registers: another class than stated, or another product."""
    found = _registered(context, DEVICE, "registration_number")
    if found is None:
        return []
    entry, hits = found[0], []
    stated, registered = context.value("device_class"), int(entry.details["device_class"])
    if stated is not None and stated != registered:
        hits.append(context.field_hit(indicator, "device_class", f"{entry.number} 登记为第{'一二三'[registered - 1]}"
                                      f"类，商品标为第{'一二三'[stated - 1]}类"))
    product = context.value("product_name")
    if product and key(entry.name) not in key(product) and key(product) not in key(entry.name):
        hits.append(context.field_hit(indicator, "product_name", f"{entry.number} 登记的产品是“{entry.name}”"))
    return hits


def _licence_kinds(context: Context, indicator: Indicator) -> list[str]:
    """The register kinds any of which entitles the seller to sell the line's product: `options.registers`, or by
    the device's class (`options.by_class`; the registered class, else the stated one, else the number's)."""
    if "registers" in indicator.options:
        return list(indicator.options["registers"])
    number = context.value("registration_number")
    found = _registered(context, DEVICE, "registration_number")
    device_class = (found[0].details.get("device_class") if found else None) or context.value("device_class") \
        or (device_class_of(number) if number else None)
    return list(indicator.options["by_class"].get(str(device_class), []))


@rule("seller_licence", registers=True)
def seller_licence(context: Context, indicator: Indicator) -> list[Hit]:
    """The seller holds no valid licence or filing that entitles it to sell the product: the 药品经营许可证
    (药品管理法第五十一条) or, by the device's class, the 医疗器械经营许可证 (III) or 经营备案 (II;
    医疗器械监督管理条例第四十一条、第四十二条). Judged only where every such register is loaded (a filing may be
    where a licence is not); a seller named by a name is known where any business register holds it (a class II
    filing, but no licence)."""
    kinds, registers, seller = _licence_kinds(context, indicator), context.registers, context.value("seller")
    if not kinds or registers is None or seller is None or not all(map(registers.loaded, kinds)):
        return []
    held = [entry for kind in kinds for entry in registers.held_by(kind, seller)]
    if any(entry.valid_on(registers.day) for entry in held):
        return []
    if held:
        return [context.field_hit(indicator, "seller", f"{label(held[0].kind)} {held[0].number} "
                                  f"{held[0].why_invalid(registers.day)}")]
    wanted = "或".join(label(kind) for kind in kinds)
    other = [entry for kind in BUSINESS if kind not in kinds and registers.loaded(kind)
             for entry in registers.held_by(kind, seller)]
    if other:
        note = f"卖家持有{label(other[0].kind)} {other[0].number}，未持有{wanted}"
        return [context.field_hit(indicator, "seller", note)]
    if is_code(seller):
        return [context.field_hit(indicator, "seller", f"卖家未持有{wanted}")]
    return [_unknown_name(context, indicator, "seller", kinds)]


def _category(number: str | None, categories: dict[str, list[str]]) -> list[str]:
    """The scope words that cover a drug by the category letter of its 批准文号 (国药准字H… → 化学药 …)."""
    found = re.search(r"国药准字\s*([A-Za-z])", number or "")
    return categories.get(found.group(1).upper(), []) if found else []


@rule("drug_outside_scope", registers=True)
def drug_outside_scope(context: Context, indicator: Indicator) -> list[Hit]:
    """The seller's valid 药品经营许可证 do not cover the drug: its category by the letter of its 批准文号
    (`options.categories`), or a prescription drug (by the approval register) where the scope sorts drugs into
    处方药 and 非处方药 and does not list 处方药 (药品管理法第五十一条; 药品经营许可证 经营范围)."""
    registers, number, seller = context.register(DRUG_LICENCE), context.value("registration_number"), \
        context.value("seller")
    if registers is None or seller is None:
        return []
    valid = [entry for entry in registers.held_by(DRUG_LICENCE, seller) if entry.valid_on(registers.day)]
    scope = [key(item) for entry in valid for item in entry.details.get("scope", [])]
    if not valid:
        return []
    wanted = _category(number, indicator.options["categories"])
    hits = []
    if wanted and not any(key(word) in item for word in wanted for item in scope):
        hits.append(context.field_hit(indicator, "seller", f"药品经营许可证 {valid[0].number} 经营范围不含{wanted[0]}"))
    approval = _registered(context, APPROVAL, "registration_number")
    if approval and approval[0].details.get("rx") == "rx" and any(RX in item for item in scope) and RX not in scope:
        hits.append(context.field_hit(indicator, "seller", f"药品经营许可证 {valid[0].number} 经营范围不含处方药"))
    return hits
