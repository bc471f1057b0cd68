"""A coercive measure's and an execution's current state is the replay of its chained history (the audit events
of its steps): a row edited behind the services' back fails `jianguan coercion verify`, naming the record and the
field; untouched records verify."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from jianguan.audit import selectors as audit_selectors
from jianguan.coercion import common, executions, measures
from jianguan.coercion.workflow import MeasureState as M
from tests import tampering
from tests.coercion.world import _execution, _request

pytestmark = pytest.mark.django_db


def _verify(*numbers: str) -> str:
    out = io.StringIO()
    try:
        call_command("coercion", "verify", *numbers, stdout=out)
    except CommandError as exc:
        return f"{out.getvalue()}BROKEN {exc}"
    return out.getvalue()


@pytest.fixture
def in_force(world):
    measure = _request(world)
    measures.measure_approve(actor=world["head"], measure_id=measure.pk, note="同意")
    return measures.measure_implement(actor=world["actor"], measure_id=measure.pk, on=timezone.localdate())


def test_untouched_records_verify(in_force, world):
    execution = _execution(world)
    assert _verify(in_force.number, execution.number) == f"{in_force.number} OK\n{execution.number} OK\n"
    first, *later = audit_selectors.payload_list(target_type="coercion.measure", target_id=str(in_force.pk))
    assert set(first[common.STATE_KEY]) >= {"status", "days", "due_on", "decision_number"}  # the whole state
    assert later[-1][common.STATE_KEY]["status"] == M.IN_FORCE
    assert "party_name" not in later[-1][common.STATE_KEY]  # unchanged by that step


@pytest.mark.parametrize(("column", "value"), [("status", M.RELEASED), ("days", 1), ("due_on", "2030-01-01"),
                                               ("decision_number", "改过的文号")])
def test_an_edited_measure_fails_verification_naming_the_field(in_force, column, value):
    tampering.raw("coercion_measure", f"UPDATE coercion_measure SET {column} = %s WHERE id = %s",
                  [value, in_force.pk])
    output = _verify(in_force.number)
    assert "BROKEN" in output and f"{in_force.number} " in output and f"（{column}）" in output


def test_an_edited_enforcement_fails_verification_naming_the_field(world):
    execution = _execution(world)
    tampering.raw("coercion_execution", "UPDATE coercion_execution SET principal = %s WHERE id = %s",
                  ["1.00", execution.pk])
    output = _verify(execution.number)
    assert "BROKEN" in output and f"{execution.number} " in output and "（principal）" in output


def test_events_written_before_the_rename_still_replay(world):
    """The chain keeps the target type `coercion.enforcement` of events written before `Enforcement` became
    `Execution`: they are still the record's history — the next step records only what changed, and an edit
    behind the services' back still fails verification."""
    execution = _execution(world)
    tampering.raw("audit_auditevent", "UPDATE audit_auditevent SET target_type = %s WHERE target_type = %s "
                  "AND target_id = %s", ["coercion.enforcement", "coercion.execution", str(execution.pk)])
    assert audit_selectors.payload_list(target_type="coercion.execution", target_id=str(execution.pk)) == []
    executions.execution_demand(actor=world["actor"], execution_id=execution.pk, served_on="2026-05-10",
                                deadline="2026-05-20", manner="银行转账")
    (demand,) = audit_selectors.payload_list(target_type="coercion.execution", target_id=str(execution.pk))
    assert demand[common.STATE_KEY]["status"] == "demanded" and "party_name" not in demand[common.STATE_KEY]
    assert _verify(execution.number) == f"{execution.number} OK\n"
    tampering.raw("coercion_execution", "UPDATE coercion_execution SET principal = %s WHERE id = %s",
                  ["1.00", execution.pk])
    output = _verify(execution.number)
    assert "BROKEN" in output and "（principal）" in output
