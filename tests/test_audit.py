"""The audit chain: every write recorded with its actor; any edit, deletion or insertion is named by verify."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from jianguan.audit import chain
from jianguan.audit.models import GENESIS_HASH, AuditEvent, ChainHead
from jianguan.audit.services import record
from jianguan.core.actors import SystemActor

pytestmark = pytest.mark.django_db

ACTOR = SystemActor("test")


def _events(n: int) -> list[AuditEvent]:
    return [record(actor=ACTOR, verb="test.thing_done", target=("thing", str(i), f"第 {i} 件"), data={"i": i})
            for i in range(n)]


def _raw(sql: str, params: list | None = None) -> None:
    """Tamper as someone with direct database access would: around the append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
            cursor.execute(sql, params or [])
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
        else:
            cursor.execute("DROP TRIGGER audit_event_append_only")
            cursor.execute(sql, params or [])
            cursor.execute("CREATE TRIGGER audit_event_append_only BEFORE UPDATE ON audit_auditevent "
                           "BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE)'); END")


def _verify_output() -> str:
    out = io.StringIO()
    try:
        call_command("audit", "verify", stdout=out)
    except CommandError as exc:
        return f"BROKEN {exc}"
    return out.getvalue()


def test_events_are_chained():
    before = AuditEvent.objects.count()
    events = _events(3)
    assert [e.seq for e in events] == [before + 1, before + 2, before + 3]
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    head = ChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (events[2].seq, events[2].hash)
    assert chain.verify().ok
    assert "OK" in _verify_output()


def test_first_event_links_to_genesis():
    assert AuditEvent.objects.order_by("seq").first().prev_hash == GENESIS_HASH


def test_actor_and_jurisdiction_come_from_the_actor(officer):
    event = record(actor=officer, verb="test.viewed", target=officer)
    assert (event.actor_kind, event.actor_id) == ("user", str(officer.pk))
    assert event.region_code == officer.department.region_id
    assert event.department_id == officer.department_id


def test_actor_is_required():
    with pytest.raises(TypeError):
        record(verb="test.nobody")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        record(actor="someone", verb="test.string_actor")  # type: ignore[arg-type]


def test_database_refuses_update():
    event = _events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(verb="test.rewritten")


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_delete():
    event = _events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_verify_names_an_edited_event():
    events = _events(5)
    target = events[2]
    _raw("UPDATE audit_auditevent SET payload = %s WHERE id = %s", ['{"i": 99}', target.pk])
    result = chain.verify()
    assert not result.ok and result.broken.seq == target.seq and result.broken.rule == "hash"
    assert f"#{target.seq}" in _verify_output()


def test_verify_names_an_edited_actor():
    events = _events(3)
    _raw("UPDATE audit_auditevent SET actor_label = %s WHERE id = %s", ["别人", events[1].pk])
    assert chain.verify().broken.seq == events[1].seq


def test_verify_names_the_event_after_a_deleted_one():
    events = _events(5)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    result = chain.verify()
    assert result.broken.seq == events[3].seq and result.broken.rule == "sequence"
    assert f"#{events[3].seq}" in _verify_output()


def test_verify_names_a_deleted_tail():
    events = _events(3)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    result = chain.verify()
    assert not result.ok and result.broken.rule == "head"


def _forge(seq: int, prev_hash: str) -> dict:
    values = {"seq": seq, "occurred_at": AuditEvent.objects.latest("seq").occurred_at, "actor_kind": "user",
              "actor_id": "1", "actor_label": "伪造者", "verb": "test.forged", "target_type": "", "target_id": "",
              "target_label": "", "region_code": "", "department_id": None, "payload": {}, "algorithm": "sha256",
              "prev_hash": prev_hash}
    values["hash"] = chain.event_hash(values)
    return values


def test_verify_names_an_inserted_event_in_the_middle():
    events = _events(4)
    # Make room after event 2 by shifting the later ones, then insert a well-formed forgery there.
    for event in reversed(events[2:]):
        _raw("UPDATE audit_auditevent SET seq = seq + 1 WHERE id = %s", [event.pk])
    forged = AuditEvent.objects.create(**_forge(events[2].seq, events[1].hash))
    result = chain.verify()
    # The forgery links correctly, so the break shows at the event after it, whose link no longer fits.
    assert result.broken.seq == forged.seq + 1 and result.broken.rule == "link"


def test_verify_names_an_event_appended_behind_the_heads_back():
    events = _events(2)
    forged = AuditEvent.objects.create(**_forge(events[-1].seq + 1, events[-1].hash))
    result = chain.verify()
    assert result.broken.seq == forged.seq and result.broken.rule == "head"
    assert f"#{forged.seq}" in _verify_output()


def test_sm3_chain_verifies_and_detects(settings):
    settings.JIANGUAN_AUDIT_HASH = "sm3"
    events = _events(3)
    assert all(e.algorithm == "sm3" for e in events)
    assert chain.verify().ok
    _raw("UPDATE audit_auditevent SET verb = %s WHERE id = %s", ["test.changed", events[1].pk])
    assert chain.verify().broken.seq == events[1].seq


def test_verification_task_records_its_outcome(persona):
    from jianguan.audit.tasks import chain_verify

    result = chain_verify.enqueue()
    assert result.return_value["ok"] is True
    last = AuditEvent.objects.latest("seq")
    assert last.verb == "audit.chain_verified" and last.payload["ok"] is True
