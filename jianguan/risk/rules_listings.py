"""The named rule functions of the listing models: drugs (the ban list, approval numbers), prescription drugs (the
prescription step, its timing and quantity) and medical devices (registration and filing numbers, their class).

Each judges one listing line. What needs a register (the seller's licence and its scope, whether a number was
really issued) is judged by `rules_registers.py` where the register is loaded, and said in the definition's
`register_checks` where it is not; a prescription's other uses need many lines.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jianguan.risk import lexicon
from jianguan.risk.evidence import Context, Hit, Indicator, any_form, rule
from jianguan.risk.lexicon import Match
from jianguan.risk.normalise import key

BAN_LIST = "drug_ban_list"
BAN_LISTS = (BAN_LIST, "doping_list")  # the list itself, and the 兴奋剂目录 names its 二（三） refers to


@cache
def _ban_conditions() -> dict[str, dict[str, Any]]:
    """Ban-list pattern (normalised) → the conditions of its entry (`except`, `single_only`, `topical_allowed`)."""
    return {key(pattern): entry for name in BAN_LISTS for entry in lexicon.load(name).data["entries"]
            for pattern in entry["patterns"]}


def _banned(match: Match, text: str) -> bool:
    """Whether a ban-list name found in `text` (normalised) is banned there, by the conditions of its entry.

    药品网络销售禁止清单（第一版）备注2: the names of 二（四） are generic names of single-ingredient products, the
    antibacterials not in topical forms; 二（一）: injections, anti-diabetics excepted.
    """
    entry = _ban_conditions()[key(match.term.pattern)]
    if any(key(word) in text for word in entry.get("except", [])):
        return False
    if entry.get("single_only") and "复方" in text and not key(match.term.pattern).startswith("复方"):
        return False
    topical = lexicon.load(BAN_LIST).data["topical_forms"]
    return not (entry.get("topical_allowed") and any(key(form) in text for form in topical))


@rule("ban_list")
def ban_list(context: Context, indicator: Indicator) -> list[Hit]:
    """A listing naming an item of the 药品网络销售禁止清单 by generic name and dosage form (the product name first,
    else the text)."""
    for name in indicator.fields:
        text = context.text(name).text
        found = [match for match in context.matches(name, indicator.id) if _banned(match, text)]
        if found:
            return [context.hit(indicator, name, match, f"禁止清单：{match.term.article.split('；')[0]}")
                    for match in found]
    return []


@rule("number_format")
def number_format(context: Context, indicator: Indicator) -> list[Hit]:
    """The product's number (`registration_number`) present and of a valid form (`options.formats`, any of).

    Missing counts only where `options.missing` says it is required (always, or for the device classes listed);
    whether a well-formed number was issued for this product is for the register.
    """
    number = context.value("registration_number")
    if number is None:
        classes = indicator.options.get("missing_for_classes")
        if classes is None or context.value("device_class") in classes:
            return [context.field_hit(indicator, "registration_number", indicator.options["missing"])]
        return []
    if any_form(indicator.options["formats"]).fullmatch(number.strip()):
        return []
    return [context.field_hit(indicator, "registration_number", indicator.options["invalid"])]


FILING = re.compile(r".{1,3}械备\d{8,}号?")
REGISTRATION = re.compile(r".{1,2}械注[准进许](\d{4})([23])\d{6}")


def device_class_of(number: str) -> int | None:
    """The risk class a device number states: 械备 → I; 械注准/进/许 → the class digit after the year; else None.

    医疗器械注册与备案管理办法: 注册证编号 ×1械注×2××××3×4××5××××6, ×4 the class (2 or 3); 备案编号 ×1械备××××2××××3.
    """
    number = number.strip()
    if FILING.fullmatch(number):
        return 1
    found = REGISTRATION.fullmatch(number)
    return int(found.group(2)) if found else None


@rule("device_class")
def device_class(context: Context, indicator: Indicator) -> list[Hit]:
    """The class the listing states (`device_class`) differs from the class its number states."""
    number, stated = context.value("registration_number"), context.value("device_class")
    if number is None or stated is None:
        return []
    numbered = device_class_of(number)
    if numbered is None or numbered == stated:
        return []
    return [context.field_hit(indicator, "registration_number",
                              f"编号表明第{'一二三'[numbered - 1]}类，商品标为第{'一二三'[stated - 1]}类")]


@rule("class_one_claims")
def class_one_claims(context: Context, indicator: Indicator) -> list[Hit]:
    """A class I filing (械备) whose listing claims what only a higher class may do (`options.claims`)."""
    number = context.value("registration_number")
    if number is None or device_class_of(number) != 1:
        return []
    note = f"第一类备案（{number.strip()}）宣称较高风险用途"
    return [context.hit(indicator, name, match, note) for name in indicator.fields
            for match in context.matches(name, indicator.options["claims"])]


@rule("flag_false")
def flag_false(context: Context, indicator: Indicator) -> list[Hit]:
    """A yes/no field answered no (`prescription_step`: the checkout asks for no prescription)."""
    return [context.field_hit(indicator, name, indicator.options["note"]) for name in indicator.fields
            if context.value(name) is False]


@rule("prescription_timing")
def prescription_timing(context: Context, indicator: Indicator) -> list[Hit]:
    """A prescription issued within `options.seconds` after the order: no one examined the patient (先方后药)."""
    ordered, issued = context.value("order_time"), context.value("prescription_time")
    if ordered is None or issued is None:
        return []
    seconds = (issued - ordered).total_seconds()
    if not 0 <= seconds <= indicator.options["seconds"]:
        return []
    return [context.field_hit(indicator, "prescription_time", f"处方在下单后 {seconds:g} 秒开具")]


@rule("quantity_above")
def quantity_above(context: Context, indicator: Indicator) -> list[Hit]:
    """More sold than the prescription prescribes."""
    sold, prescribed = context.value("quantity"), context.value("prescribed_quantity")
    if sold is None or prescribed is None or sold <= prescribed:
        return []
    return [context.field_hit(indicator, "quantity", f"销售 {sold}，处方量 {prescribed}")]
