"""What other apps may use of coercion: the steps of the 行政强制 procedure with their articles, as the public is
told them (事前公开 of 执法程序, 国办发〔2018〕118号)."""

from __future__ import annotations

from jianguan.core.workflow import procedure

from .workflow import EXECUTION_ACTIONS, EXECUTION_EDGES, MEASURE_ACTIONS, MEASURE_EDGES


def coercion_procedure() -> list[tuple[str, str]]:
    """(step, article) of the 行政强制措施 table, then of the 行政强制执行 table (《行政强制法》第十八条至
    第五十八条)."""
    return procedure(MEASURE_EDGES, MEASURE_ACTIONS) + procedure(EXECUTION_EDGES, EXECUTION_ACTIONS)
