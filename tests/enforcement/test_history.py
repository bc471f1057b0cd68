"""A case's current state is the replay of its hash-chained history: a row edited behind the services' back (a fine
of 3000 made 30, a status, a decision number) fails `jianguan enforcement verify`, which names the case and the
field; untouched cases verify."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from jianguan.enforcement import history
from jianguan.enforcement.models import Case, CaseStatus
from tests import tampering
from tests.enforcement_fixtures import ENDING, decided, filed, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def _verify(case: Case) -> str:
    out = io.StringIO()
    try:
        call_command("enforcement", "verify", case.number, stdout=out)
    except CommandError as exc:
        return f"{out.getvalue()}BROKEN {exc}"
    return out.getvalue()


def _records(case: Case) -> list[dict]:
    return [history.as_record(e, case.number) for e in case.events.order_by("seq")]


@pytest.fixture
def fined(world) -> Case:
    return decided(world, ending={**ENDING, "fine": "3000"})


def test_an_untouched_case_is_the_replay_of_its_history(fined):
    fined.refresh_from_db()
    assert str(fined.fine) == "3000.00" and fined.decision_number
    state, status = history.replay(_records(fined))
    current = history.state_of(Case, fined.pk)
    assert state == current and status == fined.status
    assert _verify(fined) == f"{fined.number} OK\n"


def test_each_event_records_only_what_its_step_changed(fined):
    events = list(fined.events.order_by("seq"))
    first = events[0].data[history.STATE_KEY]
    assert set(first) == set(history.state_fields(Case))  # the first event: the whole state
    decide = next(e for e in events if e.verb == "decide")
    assert decide.data[history.STATE_KEY]["status"] == CaseStatus.DECIDED
    assert "party_name" not in decide.data[history.STATE_KEY]  # unchanged by the decision


@pytest.mark.parametrize(("column", "value", "named"), [
    ("fine", "30", "fine"),
    ("status", CaseStatus.CLOSED, "status"),
    ("decision_number", "咸市监罚〔2026〕999号", "decision_number"),
])
def test_an_edited_row_fails_verification_naming_the_case_and_field(fined, column, value, named):
    tampering.raw("enforcement_case", f"UPDATE enforcement_case SET {column} = %s WHERE id = %s",
                  [value, fined.pk])
    output = _verify(fined)
    assert "BROKEN" in output and f"{fined.number} " in output and f"（{named}）" in output


def test_other_cases_still_verify_when_one_is_edited(world):
    one, other = filed(world), filed(world)
    tampering.raw("enforcement_case", "UPDATE enforcement_case SET cause = %s WHERE id = %s", ["别的案由", one.pk])
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 个案件"):
        call_command("enforcement", "verify", one.number, other.number, stdout=out)
    assert f"{other.number} OK" in out.getvalue() and "（cause）" in out.getvalue()


def test_a_history_without_recorded_state_still_replays_the_status(world):
    """Events written before the state was recorded: the status is replayed from each step's `to_status`."""
    case = filed(world)
    records = [{**r, "data": {k: v for k, v in r["data"].items() if k != history.STATE_KEY}} for r in _records(case)]
    current = history.state_of(Case, case.pk)
    assert history.state_problems(records, current, {}) == []
    assert history.state_problems(records, {**current, "status": CaseStatus.CLOSED}, {})
