"""The audit chain: every write recorded with its actor; any edit, deletion or insertion is named by verify."""

from __future__ import annotations

import base64
import io
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.utils import DatabaseError

from jianguan.audit import chain, checkpoints
from jianguan.audit.models import GENESIS_HASH, AuditEvent, ChainHead, Checkpoint
from jianguan.audit.services import checkpoint_make, record
from jianguan.core.actors import SystemActor
from jianguan.core.canonical import canonical_json
from tests import tampering

pytestmark = pytest.mark.django_db

ACTOR = SystemActor("test")


def _events(n: int) -> list[AuditEvent]:
    return [record(actor=ACTOR, verb="test.thing_done", target=("thing", str(i), f"第 {i} 件"), data={"i": i})
            for i in range(n)]


def _raw(sql: str, params: list | None = None) -> None:
    """Tamper as someone with direct database access would: around the append-only triggers."""
    tampering.raw("audit_auditevent", sql, params)


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


def test_database_refuses_delete():
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


# Every column hashed (ADR 0023) ------------------------------------------------------------------------------

def test_the_hash_covers_every_stored_column():
    columns = {f.attname for f in AuditEvent._meta.concrete_fields} - {"hash"}
    assert columns == set(chain.FIELDS_2)
    event = _events(1)[0]
    assert event.scheme == chain.SCHEME


def test_verify_names_an_event_whose_row_id_was_edited():
    events = _events(3)
    _raw("UPDATE audit_auditevent SET id = %s WHERE id = %s", [events[1].pk + 10_000_000, events[1].pk])
    result = chain.verify()
    assert not result.ok and result.broken.seq == events[1].seq and result.broken.rule == "hash"


def test_a_chain_written_before_scheme_2_still_verifies():
    """Events written before migration 0003 (scheme NULL, digest without `id`) keep verifying, and new events
    (scheme 2) chain on after them."""
    _events(1)
    head = ChainHead.objects.get(pk=1)
    old = _forge(head.seq + 1, head.hash)  # the old scheme: no `id`, no `scheme` in the digest
    AuditEvent.objects.create(**old)
    ChainHead.objects.filter(pk=1).update(seq=old["seq"], hash=old["hash"])
    assert AuditEvent.objects.get(seq=old["seq"]).scheme is None
    new = _events(2)
    assert new[0].prev_hash == old["hash"] and new[0].scheme == chain.SCHEME
    assert chain.verify().ok


# Signed checkpoints (ADR 0023) -------------------------------------------------------------------------------

def _delete_tail_with_head(from_seq: int) -> None:
    """What someone with the database but without the key can do: drop the newest events and set the head back
    to the event before, consistently."""
    before = AuditEvent.objects.get(seq=from_seq - 1)
    _raw("DELETE FROM audit_auditevent WHERE seq >= %s", [from_seq])
    ChainHead.objects.filter(pk=1).update(seq=before.seq, hash=before.hash)


def _checkpoint() -> Checkpoint:
    return checkpoint_make(actor=ACTOR)


def test_a_checkpoint_is_signed_stored_and_written_out(checkpoint_dir):
    _events(2)
    head = ChainHead.objects.get(pk=1)
    made = _checkpoint()
    assert (made.seq, made.hash) == (head.seq, head.hash)
    files = list(checkpoint_dir.glob("*.json"))
    assert len(files) == 1 and json.loads(files[0].read_text())["signature"] == made.signature
    assert checkpoints.signature_problem(checkpoints.document(made), checkpoints.trusted_keys()) is None
    assert AuditEvent.objects.latest("seq").verb == "audit.checkpoint_made"
    _events(2)
    result = chain.verify()
    assert result.ok and result.checkpoints == 2  # the row and the file
    assert "2 个已签名检查点" in _verify_output()


def test_a_tail_deleted_with_the_head_fails_against_the_checkpoint():
    _events(3)
    made = _checkpoint()
    _events(2)
    assert chain.verify().ok
    _delete_tail_with_head(made.seq)  # the chain now ends one event before the signed head
    result = chain.verify()
    assert not result.ok and result.broken.rule == "checkpoint" and result.broken.seq == made.seq
    assert f"链在第 {made.seq - 1} 号结束" in _verify_output()


def test_the_checkpoint_file_catches_what_the_checkpoint_rows_lost(checkpoint_dir):
    _events(2)
    made = _checkpoint()
    _events(1)
    _delete_tail_with_head(made.seq)
    tampering.raw("audit_checkpoint", "DELETE FROM audit_checkpoint")
    result = chain.verify()
    assert not result.ok and result.broken.rule == "checkpoint"
    # And with the directory emptied too, the copy kept outside (the public listing) still catches it.
    kept = checkpoint_dir.parent / "kept.json"
    kept.write_text(next(checkpoint_dir.glob("*.json")).read_text())
    for path in checkpoint_dir.glob("*.json"):
        path.unlink()
    assert chain.verify().ok  # nothing left inside to hold it against
    out = io.StringIO()
    with pytest.raises(CommandError, match="早于已签名的检查点"):
        call_command("audit", "verify", "--checkpoint", str(kept), stdout=out)


def test_a_rewritten_chain_fails_against_the_checkpoint():
    events = _events(3)
    made = _checkpoint()
    # Rewrite the checkpointed head's own event and everything after it consistently, the head included.
    rows = list(AuditEvent.objects.filter(seq__gte=events[-1].seq).order_by("seq").values("id", *chain.FIELDS_2))
    prev = AuditEvent.objects.get(seq=events[-1].seq - 1).hash
    for row in rows:
        row["prev_hash"] = prev
        if row["seq"] == events[-1].seq:
            row["payload"] = {"i": 999}
        row["hash"] = chain.event_hash(row)
        _raw("UPDATE audit_auditevent SET payload = %s, prev_hash = %s, hash = %s WHERE id = %s",
             [json.dumps(row["payload"]), row["prev_hash"], row["hash"], row["id"]])
        prev = row["hash"]
    ChainHead.objects.filter(pk=1).update(hash=prev)
    result = chain.verify()
    assert not result.ok and result.broken.rule == "checkpoint" and result.broken.seq == made.seq


def test_a_checkpoint_whose_signature_fails_fails_verification(checkpoint_dir):
    _events(1)
    made = _checkpoint()
    doc = checkpoints.document(made)
    path = checkpoint_dir.parent / "forged.json"
    # The hash of another event under the genuine signature.
    path.write_text(json.dumps({**doc, "hash": AuditEvent.objects.get(seq=made.seq - 1).hash}))
    with pytest.raises(CommandError, match="签名无效"):
        call_command("audit", "verify", "--checkpoint", str(path), stdout=io.StringIO())
    # A well-formed signature by a key the platform does not trust.
    other = Ed25519PrivateKey.generate()
    raw = other.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    body = checkpoints.statement(seq=made.seq, hash=made.hash, made_at=doc["made_at"],
                                 key_id=checkpoints.key_id(raw))
    forged = {**body, "public_key": base64.b64encode(raw).decode(),
              "signature": base64.b64encode(other.sign(canonical_json(body))).decode()}
    path.write_text(json.dumps(forged))
    with pytest.raises(CommandError, match="不受信任"):
        call_command("audit", "verify", "--checkpoint", str(path), stdout=io.StringIO())
    # Trusted when the verifier is told so (an outside verifier's own key list).
    call_command("audit", "verify", "--checkpoint", str(path), "--public-key", forged["public_key"],
                 stdout=io.StringIO())


def test_a_checkpoint_file_that_is_not_one_is_named():
    with pytest.raises(CommandError, match="无法读取检查点文件"):
        call_command("audit", "verify", "--checkpoint", "/nonexistent/checkpoint.json", stdout=io.StringIO())


def test_checkpoint_command_and_daily_task(checkpoint_dir):
    from jianguan.audit.tasks import checkpoint_daily

    before = Checkpoint.objects.count()
    out = io.StringIO()
    call_command("audit", "checkpoint", stdout=out)
    assert "检查点 #" in out.getvalue() and "检查点签名密钥" in out.getvalue()
    assert Checkpoint.objects.count() == before + 1
    first = checkpoint_daily.enqueue().return_value
    second = checkpoint_daily.enqueue().return_value
    assert first == second and Checkpoint.objects.count() == before + 1  # one a day: today's exists already


def test_public_portal_lists_the_signed_checkpoints(client, checkpoint_dir, tmp_path):
    _events(1)
    made = _checkpoint()
    page = client.get("/public/checkpoints/")
    assert page.status_code == 200 and made.hash in page.content.decode()
    listing = client.get("/public/checkpoints.json").json()
    assert listing["public_key"] == checkpoints.public_key()
    assert listing["checkpoints"][0] == checkpoints.document(made)
    # The listing, saved by anyone, is what the verifier takes.
    saved = tmp_path / "listing.json"
    saved.write_text(json.dumps(listing))
    _delete_tail_with_head(made.seq)
    tampering.raw("audit_checkpoint", "DELETE FROM audit_checkpoint")
    for path in checkpoint_dir.glob("*.json"):
        path.unlink()
    with pytest.raises(CommandError, match="早于已签名的检查点"):
        call_command("audit", "verify", "--checkpoint", str(saved), stdout=io.StringIO())


def test_checkpoints_refuse_update_and_delete():
    made = _checkpoint()
    with pytest.raises(DatabaseError), transaction.atomic():
        Checkpoint.objects.filter(pk=made.pk).update(hash="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        Checkpoint.objects.filter(pk=made.pk).delete()


def test_a_malformed_checkpoint_is_named_not_a_crash(tmp_path):
    path = tmp_path / "odd.json"
    path.write_text(json.dumps([{"seq": [1], "hash": "x"}]))
    with pytest.raises(CommandError, match="检查点格式不符"):
        call_command("audit", "verify", "--checkpoint", str(path), stdout=io.StringIO())
