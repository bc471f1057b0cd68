"""What other apps may use of the discretion benchmarks (ADR 0060): the band a case's violation and ticked
circumstances call for, and the check of a proposed fine against it.

国办发〔2022〕27号: a body follows its benchmark; departing from it needs a written reason, recorded and reviewed.
《行政处罚法》第三十二条 (从轻、减轻) and 第三十三条 (不予处罚, 首违不罚) are the circumstances' ground."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from jianguan.core.errors import ValidationFailed

from . import benchmark as bm
from .benchmark import compact as compact
from .selectors import in_force

BANDS = bm.BANDS
REASON_MIN = 10


@dataclass(frozen=True)
class Offered:
    code: str
    label: str
    band: str
    band_label: str


@dataclass(frozen=True)
class Applicable:
    """The band that applies to one case, with what the officer may tick and what was ticked."""

    benchmark: str
    title: str
    article: str
    band: str
    band_label: str
    low: Decimal | None
    high: Decimal | None
    why: str
    offered: tuple[Offered, ...]
    ticked: tuple[str, ...]

    @property
    def range_text(self) -> str:
        return _range(self.low, self.high)

    def admits(self, amount: Decimal | None) -> bool:
        return bm.within(self.low, self.high, amount)


def applicable(*, line: str, catalog_code: str, implementation_codes: Iterable[str], basis: str,
               ticked: Iterable[str] = (), on: dt.date) -> Applicable | None:
    """The band of the benchmark in force for `line` on `on` for this violation, or None where no benchmark or no
    violation of it matches (the catalog item, its row where the benchmark names one, and the article cited)."""
    benchmark = in_force(line=line, on=on)
    violation = benchmark.violation_for(catalog_code=catalog_code, implementation_codes=implementation_codes,
                                        basis=basis) if benchmark else None
    if benchmark is None or violation is None:
        return None
    codes = tuple(dict.fromkeys(str(c) for c in ticked))
    unknown = sorted(set(codes) - {c.code for c in violation.circumstances})
    if unknown:
        raise ValidationFailed(f"裁量情节不属于本违法行为的裁量基准：{'、'.join(unknown)}",
                               code="circumstance_unknown", field="circumstances")
    band, why = violation.applicable(codes)
    return Applicable(
        benchmark=f"{benchmark.name}-{benchmark.version}", title=violation.title, article=violation.article,
        band=band.band, band_label=band.label, low=band.low, high=band.high, why=why, ticked=codes,
        offered=tuple(Offered(c.code, c.label, c.band, BANDS[c.band]) for c in violation.circumstances))


def judge(*, line: str, catalog_code: str, implementation_codes: Iterable[str], basis: str, ticked: Iterable[str],
          amount: Decimal | None, reason: str, on: dt.date) -> Applicable | None:
    """`applicable`, refusing a fine outside the band (`amount_outside_band`) unless a written reason of at least
    `REASON_MIN` characters is given — the reason then goes with the proposal to the legal review."""
    found = applicable(line=line, catalog_code=catalog_code, implementation_codes=implementation_codes,
                       basis=basis, ticked=ticked, on=on)
    if found is None or found.admits(amount) or len(reason.strip()) >= REASON_MIN:
        return found
    shown = f"{amount:,} 元" if amount else "不处罚款"
    raise ValidationFailed(
        f"拟处罚款（{shown}）不在裁量基准 {found.benchmark}“{found.band_label}”幅度（{found.range_text}）内；"
        f"确需超出的，须在“超出基准理由”中书面说明（至少 {REASON_MIN} 字），供法制审核（国办发〔2022〕27号）",
        code="amount_outside_band", field="fine",
        extra={"band": found.band, "low": str(found.low) if found.low is not None else None,
               "high": str(found.high) if found.high is not None else None})


@dataclass(frozen=True)
class Row:
    """One violation of the benchmark a case's catalog item may fall under, for the proposal form: its bands
    with their ranges and the circumstances to tick."""

    title: str
    article: str
    bands: tuple[tuple[str, str], ...]
    offered: tuple[Offered, ...]


def rows_for(*, line: str, catalog_code: str, implementation_codes: Iterable[str], on: dt.date) -> tuple[Row, ...]:
    """The violations of the benchmark in force that a case of this catalog item (and row) may be punished under,
    whatever article its basis will cite."""
    benchmark = in_force(line=line, on=on)
    if benchmark is None:
        return ()
    rows = set(implementation_codes)
    return tuple(Row(title=v.title, article=v.article,
                     bands=tuple((b.label, _range(b.low, b.high)) for b in v.bands),
                     offered=tuple(Offered(c.code, c.label, c.band, BANDS[c.band]) for c in v.circumstances))
                 for v in benchmark.violations
                 if v.catalog_code == catalog_code and (not v.implementation_code or v.implementation_code in rows))


def _range(low: Decimal | None, high: Decimal | None) -> str:
    return "不予罚款" if low is None else f"{low:,} 元至 {high:,} 元"
