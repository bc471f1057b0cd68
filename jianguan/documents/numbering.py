"""Document numbers (文号): `{body abbreviation}{kind word}〔{year}〕{n}号`, e.g. 咸市监处罚〔2026〕15号.

Numbers run per (department, kind, year) from 1 without gaps. A number is taken with one conditional UPDATE
(`last = last + 1`), which locks the sequence row until the taking transaction ends: two issuers of the same
kind in the same department queue behind each other, and a rolled-back issue gives its number back.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from jianguan.accounts.models import Department
from jianguan.core.errors import ValidationFailed

from .kinds import KINDS, LINE_ABBREVIATIONS, NUMBER_WORDS
from .models import DocumentSequence

# Bodies whose abbreviation differs from the computed one, by 统一社会信用代码. [config]
PREFIX_OVERRIDES: dict[str, str] = {}

_CITY_LEVEL = 3


def _short_place(name: str) -> str:
    """咸宁市 → 咸宁, 咸安区 → 咸安, 嘉鱼县 → 嘉鱼."""
    return name[:-1] if len(name) > 2 and name[-1] in "区县市" else name


def prefix(department: Department) -> str:
    """The issuing body's abbreviation: 咸宁市市场监督管理局 → 咸市监, 咸安区市场监督管理局 → 咸安市监."""
    if department.uscc in PREFIX_OVERRIDES:
        return str(PREFIX_OVERRIDES[department.uscc])
    region = department.region
    place = _short_place(region.name)
    head = place[:1] if region.level <= _CITY_LEVEL else place
    return head + LINE_ABBREVIATIONS.get(department.kind, department.short_name)


def format_number(department: Department, kind: str, year: int, n: int) -> str:
    return f"{prefix(department)}{NUMBER_WORDS[kind]}〔{year}〕{n}号"


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValidationFailed(f"未知的文书种类“{kind}”", code="unknown_kind", field="kind")


@transaction.atomic
def take(*, department: Department, kind: str, year: int) -> int:
    """The next number of the sequence (department, kind, year), taken in the caller's transaction."""
    check_kind(kind)
    rows = DocumentSequence.objects.filter(department=department, kind=kind, year=year)
    if not rows.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                DocumentSequence.objects.create(department=department, kind=kind, year=year, last=1)
        except IntegrityError:  # another transaction created it first: take the next one after theirs
            rows.update(last=F("last") + 1)
    return int(rows.values_list("last", flat=True).get())
