"""The step handlers of the penalty workflow, one module per stage: 立案 (`filing`), 调查取证 (`investigation`),
法制审核 / 集体讨论 / 告知 / 听证 (`review`), 决定 / 移送 (`decision`), 送达 / 执行 / 结案 / 归档 (`execution`).

Each handler registers itself for its actions (`base.handles`); importing this package fills `HANDLERS`, and every
action of `workflow.ACTIONS` must have one.
"""

from __future__ import annotations

from .. import workflow
from . import decision, execution, filing, investigation, review
from .base import HANDLERS

STAGES = (filing, investigation, review, decision, execution)

missing = workflow.ACTIONS - set(HANDLERS)
assert not missing, f"actions without a handler: {sorted(missing)}"

__all__ = ["HANDLERS", "STAGES"]
