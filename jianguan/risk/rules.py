"""The named rule functions shared by the models and those of the advertising and fundraising models.

Each takes the line (`Context`) and the indicator (its id, article, weight and options from the definition) and
returns its hits; none reads anything but the line.
"""

from __future__ import annotations

import re

from jianguan.risk.evidence import Context, Hit, Indicator, rule
from jianguan.risk.normalise import key


@rule("lexicon")
def lexicon_terms(context: Context, indicator: Indicator) -> list[Hit]:
    """Every term of the indicator's rule found in the indicator's fields (outside allowed names)."""
    return [context.hit(indicator, name, match) for name in indicator.fields
            for match in context.matches(name, indicator.id)]


@rule("together")
def together(context: Context, indicator: Indicator) -> list[Hit]:
    """The terms of every rule in `options.rules` found in one line: each alone is ordinary (治疗; 保健食品), together
    they make the claim (a food claiming to treat). The hits quote the first rule's terms."""
    rules: list[str] = list(indicator.options["rules"])
    if not context.rules_in(indicator.fields).issuperset(rules):  # each rule matched in one of the fields
        return []
    note = f"同时出现：{'、'.join(rules)}"
    return [context.hit(indicator, name, match, note) for name in indicator.fields
            for match in context.matches(name, rules[0])]


@rule("notice_missing")
def notice_missing(context: Context, indicator: Indicator) -> list[Hit]:
    """A required notice (`options.notice`) absent from the text, where the text names what needs it
    (`options.when`, any of; always when not given)."""
    text = context.text("text").text
    when = [key(word) for word in indicator.options.get("when", [])]
    if when and not any(word in text for word in when):
        return []
    notice: str = indicator.options["notice"]
    if key(notice) in text:
        return []
    note = f"未见规定的提示语“{notice}”"
    return [Hit(indicator.id, indicator.article, "", None, None, "text", note, indicator.weight)]


@rule("review_number")
def review_number(context: Context, indicator: Indicator) -> list[Hit]:
    """A medical, drug, device or health-food advertisement carries its review number (广审号) in a valid form.

    Judged only for a text that makes a medical claim (a hit of `options.claims`): an ordinary text needs none.
    Whether the number was issued, is in force and is this advertiser's is for the review register
    (`rules_registers`, where the `ad_review` register is loaded).
    """
    if not context.all_rules & set(indicator.options["claims"]):
        return []
    number = context.value("review_number")
    if number is None:
        return [context.field_hit(indicator, "review_number", "含医疗、药品或保健功效内容，未标明广告审查证明文号")]
    if not re.fullmatch(indicator.options["format"], number.strip()):
        return [context.field_hit(indicator, "review_number", "广告审查证明文号格式不符；是否确经审查需核对审查登记")]
    return []


@rule("field_pattern")
def field_pattern(context: Context, indicator: Indicator) -> list[Hit]:
    """A field whose value matches `options.pattern` (a regular expression of the definition)."""
    hits = []
    for name in indicator.fields:
        value = context.value(name)
        if isinstance(value, str) and (found := re.search(indicator.options["pattern"], value)):
            hits.append(Hit(indicator.id, indicator.article, found.group(), found.start(), found.end(), name,
                            indicator.options.get("note", ""), indicator.weight))
    return hits


@rule("value_in")
def value_in(context: Context, indicator: Indicator) -> list[Hit]:
    """A field whose normalised value is one of `options.values` (a social app as the sales platform)."""
    values = {key(value) for value in indicator.options["values"]}
    return [context.field_hit(indicator, name, indicator.options.get("note", ""))
            for name in indicator.fields if isinstance(context.value(name), str) and key(context.value(name)) in values]
