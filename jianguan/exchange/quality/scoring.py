"""The SAMR seven-dimension score of a batch's verdicts."""

from __future__ import annotations

from collections.abc import Sequence

from .. import standards
from ..standards import Standard
from ..standards.rules import DIMENSIONS
from .reference import Verdict


def score(standard: Standard | str, verdicts: Sequence[Verdict], *, expected: int | None = None
          ) -> dict[str, float | None]:
    """The SAMR seven dimensions, 0–100 (None where not measurable):

    - 完整性 / 规范性 / 冗余性 / 准确性 / 关联性: the share of records with no issue of that dimension (关联性 only
      when the check had references);
    - 及时性: the share of records, among those with both an action and a report date, reported within the
      standard's limit ([config], data/quality.json), None when the standard has no such dates or no record has
      both;
    - 全面性: records received against `expected` (a count from the source system), capped at 100; a single file
      cannot tell how many records should exist, so without `expected` it is None.
    """
    standard = standards.get(standard)
    n = len(verdicts)
    found: dict[str, float | None] = dict.fromkeys(DIMENSIONS)
    if n == 0:
        return found
    hit: dict[str, int] = dict.fromkeys(DIMENSIONS, 0)
    for verdict in verdicts:
        if not verdict.ok:
            for dimension in {issue.dimension for issue in verdict.errors}:
                hit[dimension] += 1
    for dimension in ("completeness", "conformity", "redundancy", "accuracy", "relevance"):
        found[dimension] = round(100 * (n - hit[dimension]) / n, 2)
    if not getattr(verdicts, "refs_checked", False):
        found["relevance"] = None
    timed = getattr(verdicts, "timed", 0)
    if standard.timeliness() is not None and timed:
        found["timeliness"] = round(100 * verdicts.on_time / timed, 2)
    if expected:
        found["comprehensiveness"] = round(100 * min(n, expected) / expected, 2)
    return found
