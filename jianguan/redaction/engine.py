"""The redaction engine: pure, no database, one pass per rule over each field.

What it hides is what the law says is always hidden in published decisions (disclosure-credit.md §5, after the
provincial 行政处罚结果信息网上公开暂行办法 and SAMR 令第45号 《市场监督管理行政处罚信息公示规定》 第七条: 个人隐私
is not published): ID numbers, home addresses below the street, phone numbers, bank accounts, health data, names
of natural persons other than the party, and marked secrets. The party's own name stays visible.

The built-in rules (stable codes, stored with every mask) and the kind of data each hides:

- `ric` (id_number): 公民身份号码 with a valid birth date and check digit (GB 11643-1999, `core.codes.ric_error`);
- `phone` (phone): mobile numbers (1[3-9]x as 3-4-4, with +86, spaces or hyphens) and landlines with an area code
  (0715-8123456, （027）87654321, an extension);
- `bank_card` (bank_account): 16–19 digit card numbers, or in groups of four, passing the Luhn check;
- `bank_account` (bank_account): 8–30 digits after 账号/账户/卡号 (organisations' accounts have no check digit);
- `address_detail` (address): the house number and below (门牌号, 号楼, 栋, 单元, 层, 室, 组 …) after a road,
  street, lane, village or estate; the province, district, 街道 and road stay;
- `third_party_name` (person_name): a name from the case's person list other than the party, except inside an
  occurrence of the party's own name;
- `secret_field` (secret): the whole value of a field marked secret;
- `health_field` (health): the whole value of a field about health (健康, 病, 诊断, 体检, 医疗 in its name).

Custom rules (`RedactionRule`) add a regex, a kind and a code. Digits may be full-width: `\\d` matches them and
the checks read them as ASCII. Offsets are code points of the original string.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from jianguan.core.codes import ric_error

from . import styles
from .masks import Mask, Redacted, applied, merge, reviewed

_ASCII_DIGITS: Final = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789xX")
_NOT_AFTER_NUMBER = r"(?<![0-9０-９])"
_NOT_BEFORE_NUMBER = r"(?![0-9０-９])"


_NOT_DIGIT: Final = re.compile("[^0-9Xx]+")


def ascii_digits(text: str) -> str:
    """Only the digits (and X) of `text`, full-width ones as ASCII."""
    return _NOT_DIGIT.sub("", text.translate(_ASCII_DIGITS))


def ric_valid(text: str) -> bool:
    return ric_error(ascii_digits(text)) is None


_DOUBLED: Final = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_valid(text: str) -> bool:
    """The Luhn check (ISO/IEC 7812-1) of a card number's digits."""
    digits = ascii_digits(text)
    if not digits.isdigit():
        return False
    odd = sum(_DOUBLED[int(c)] for c in digits[-2::-2])
    return (odd + sum(int(c) for c in digits[-1::-2])) % 10 == 0


@dataclass(frozen=True)
class Rule:
    """A rule run over free text: every match of `regex` (its group `group`) that passes `check` is masked.
    A rule with a `gate` runs only on a text where the gate is found (a character its matches always contain)."""

    code: str
    kind: str
    regex: re.Pattern[str]
    check: Callable[[str], bool] | None = None
    group: int | str = 0
    gate: re.Pattern[str] | None = None

    def find(self, field: str, text: str, start: int = 0, end: int | None = None) -> Iterable[Mask]:
        for match in self.regex.finditer(text, start, len(text) if end is None else end):
            start, end = match.span(self.group)
            if end > start and (self.check is None or self.check(text[start:end])):
                yield Mask(field, start, end, self.code, self.kind)


_D = "[0-9０-９]"
_SEP = r"[ \-－]?"
_NUM = "[0-9０-９A-Za-zＡ-Ｚ一二三四五六七八九十百零〇两]+"
_UNIT = "(?:号楼|号院|号|栋|幢|座|单元|楼|层|室|户|组)"
_HOUSE = f"{_NUM}(?:[-－—之]{_NUM})*{_UNIT}"

# Number rules run only inside runs of the characters numbers are written with (digits, blanks, hyphens, brackets,
# plus, 转, X) of at least 7 characters: every match of theirs lies within one such run, so one scan of the text
# finds where they can match (ADR 0048).
NUMBER_RUN = re.compile(r"[0-9０-９ \-－()（）+＋转XxＸｘ]{7,}")

NUMBER_RULES: Final = (
    Rule("ric", "id_number", re.compile(
        rf"{_NOT_AFTER_NUMBER}[1-9１-９]{_D}{{5}}(?:19|20|１９|２０){_D}{{2}}{_D}{{7}}[0-9０-９XxＸｘ]{_NOT_BEFORE_NUMBER}"),
        ric_valid),
    Rule("phone", "phone", re.compile(  # mobile: 11 digits as 3-4-4, with or without +86
        rf"{_NOT_AFTER_NUMBER}(?:(?:\+|＋)?(?:86|８６)[ \-－]?)?[1１][3-9３-９]{_D}{_SEP}{_D}{{4}}{_SEP}{_D}{{4}}"
        rf"{_NOT_BEFORE_NUMBER}")),
    Rule("phone", "phone", re.compile(  # landline: area code, 7 or 8 digits, an extension
        rf"{_NOT_AFTER_NUMBER}(?:[(（][0０]{_D}{{2,3}}[)）] ?|[0０]{_D}{{2,3}}{_SEP})[2-9２-９]{_D}{{6,7}}"
        rf"(?:(?:[\-－]|转){_D}{{1,5}})?{_NOT_BEFORE_NUMBER}")),
    Rule("bank_card", "bank_account", re.compile(  # 16-19 digits, or groups of four
        rf"{_NOT_AFTER_NUMBER}(?:{_D}{{16,19}}|{_D}{{4}}(?:[ \-－]{_D}{{4}}){{3}}(?:[ \-－]{_D}{{1,3}})?)"
        rf"{_NOT_BEFORE_NUMBER}"), luhn_valid),
)

TEXT_RULES: Final = (
    Rule("bank_account", "bank_account", re.compile(
        rf"(?:账号|帐号|账户|帐户|卡号)[为是:： ]*(?P<v>{_D}(?:{_SEP}{_D}){{7,29}}){_NOT_BEFORE_NUMBER}"), group="v",
        gate=re.compile("[账帐卡]")),
    Rule("address_detail", "address", re.compile(
        rf"(?:路|街|道|巷|弄|胡同|村|社区|小区|花园|大厦|公寓|苑|园|广场)(?P<v>{_HOUSE}(?:{_HOUSE})*)"), group="v",
        gate=re.compile("[号栋幢座单元楼层室户组]")),
)
BUILT_IN: Final = NUMBER_RULES + TEXT_RULES

HEALTH_FIELD_WORDS: Final = ("健康", "病", "诊断", "体检", "医疗", "health", "medical")


def is_health_field(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in HEALTH_FIELD_WORDS)


def _spans(text: str, needle: str) -> Iterable[tuple[int, int]]:
    at = text.find(needle)
    while at >= 0:
        yield at, at + len(needle)
        at = text.find(needle, at + 1)


def others_of(persons: Sequence[str], party: str) -> list[str]:
    """The names to hide: the persons other than the party (two characters or more), longest first."""
    kept = party.strip()
    return sorted({n for n in (p.strip() for p in persons) if len(n) >= 2 and n != kept}, key=len, reverse=True)


def name_masks(field: str, text: str, *, persons: Sequence[str], party: str) -> list[Mask]:
    """The other persons' names in `text`, except where they fall inside an occurrence of the party's name."""
    return _name_masks(field, text, others_of(persons, party), party.strip())


def _name_masks(field: str, text: str, others: Sequence[str], party: str) -> list[Mask]:
    found: list[Mask] = []
    kept: list[tuple[int, int]] | None = None
    for name in others:
        at = text.find(name)
        while at >= 0:
            if kept is None:
                kept = list(_spans(text, party)) if party else []
            end = at + len(name)
            if not any(k_start <= at and end <= k_end for k_start, k_end in kept):
                found.append(Mask(field, at, end, "third_party_name", "person_name"))
            at = text.find(name, at + 1)
    return found


class Engine:
    """The built-in rules plus `custom` ones, and the masking `style`."""

    def __init__(self, custom: Sequence[Rule] = (), *, style: str = "partial") -> None:
        self.text_rules = TEXT_RULES + tuple(custom)
        self.masking = styles.masking(style)

    def in_text(self, name: str, text: str) -> list[Mask]:
        """The masks the number and text rules make in one field."""
        found: list[Mask] = []
        for run in NUMBER_RUN.finditer(text):
            start, end = run.span()
            for rule in NUMBER_RULES:
                found.extend(rule.find(name, text, start, end))
        for rule in self.text_rules:
            if rule.gate is None or rule.gate.search(text):
                found.extend(rule.find(name, text))
        return found

    def find(self, fields: Mapping[str, str], *, persons: Sequence[str] = (), party: str = "",
             secret_fields: Collection[str] = ()) -> list[Mask]:
        """Every mask the rules make, unmerged."""
        found: list[Mask] = []
        others, kept = others_of(persons, party), party.strip()
        for name, text in fields.items():
            if not text:
                continue
            if name in secret_fields:
                found.append(Mask(name, 0, len(text), "secret_field", "secret"))
                continue
            if is_health_field(name):
                found.append(Mask(name, 0, len(text), "health_field", "health"))
                continue
            found.extend(self.in_text(name, text))
            if others:
                found.extend(_name_masks(name, text, others, kept))
        return found

    def redact(self, fields: Mapping[str, str], *, persons: Sequence[str] = (), party: str = "",
               secret_fields: Collection[str] = (), added: Sequence[Mask] = (),
               removed: Collection[tuple[str, int, int]] = ()) -> Redacted:
        """The redacted copy of `fields` and its merged masks; a reviewer's `added` and `removed` masks on top."""
        found = self.find(fields, persons=persons, party=party, secret_fields=secret_fields)
        masks = merge(reviewed(found, added=added, removed=removed))
        return Redacted(fields=applied(fields, masks, self.masking), masks=tuple(masks))
