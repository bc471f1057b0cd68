"""The discretion benchmark's band for a case's proposed penalty (ADR 0060), read through `discretion.contracts`.

At the end of the investigation (the penalty proposed, 《市场监督管理行政处罚程序规定》第五十条) the officer ticks the
circumstances (《行政处罚法》第三十二条 从轻、减轻, 第三十三条 不予处罚); a fine outside the band they call for is
refused (`amount_outside_band`) unless a written reason is given, and the reason is kept on the case for the legal
review (国办发〔2022〕27号)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from jianguan.core.validation import require
from jianguan.discretion import contracts as discretion

from .inputs import text_in
from .models import Case


def row_codes(case: Case) -> list[str]:
    return [c for c in re.split(r"[\s,，、;；]+", case.implementation_code or "") if c]


def ticked_in(data: dict[str, Any]) -> list[str]:
    raw = data.get("circumstances") or []
    values = [v for v in re.split(r"[\s,，、]+", raw) if v] if isinstance(raw, str) else raw
    require(isinstance(values, list) and all(isinstance(v, str) for v in values) and len(values) <= 50,
            "裁量情节须为情节代码的列表", "circumstances_invalid", "circumstances")
    return values


def judged(case: Case, data: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """The band applied to the proposal, as kept on the case (`Case.discretion`); {} where no benchmark applies."""
    ticked = ticked_in(data)
    reason = text_in(data, "band_reason", "超出裁量基准幅度的理由", required=False, max_len=1000)
    found = discretion.judge(line=case.department.kind, catalog_code=case.catalog_code,
                             implementation_codes=row_codes(case), basis=case.basis, ticked=ticked,
                             amount=case.fine, reason=reason, on=today)
    if found is None:
        require(not ticked, "本案的监管事项和处罚依据没有适用的裁量基准，不能勾选裁量情节", "circumstance_unknown",
                "circumstances")
        return {}
    outside = not found.admits(case.fine)
    labels = {o.code: o.label for o in found.offered}
    return {"benchmark": found.benchmark, "title": found.title, "article": found.article, "band": found.band,
            "band_label": found.band_label, "range": found.range_text, "why": found.why,
            "low": None if found.low is None else str(found.low),
            "high": None if found.high is None else str(found.high),
            "circumstances": [labels[c] for c in found.ticked], "outside": outside,
            "reason": reason if outside else ""}


def offered(case: Case, today: dt.date) -> tuple[discretion.Row, ...]:
    """The benchmark's violations this case's catalog item may fall under, for the proposal form."""
    if not case.catalog_code:
        return ()
    return discretion.rows_for(line=case.department.kind, catalog_code=case.catalog_code,
                               implementation_codes=row_codes(case), on=today)
