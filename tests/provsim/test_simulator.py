"""The provincial platform simulator (provsim/): a real process on a free port, spoken to over HTTP."""

from __future__ import annotations

import base64
import threading
import time
import urllib.error
import urllib.request

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from provsim import checks, receipt, signing
from provsim.checks import Batch, Record
from provsim.store import Store
from tests.provsim_fixtures import TOKEN, provsim_fixture, running_simulator, start, stop  # noqa: F401 (fixture)

SOURCE = "421200"
RFC8032_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
RFC8032_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"


def inspection(record_id: str, number: str, *, version: int = 1, op: str = "i", **data) -> dict:
    """A record that passes the simulator's own checks unless ``data`` overrides a field."""
    fields = {"record_id": record_id, "number": number, "name": "日常检查", "inspectors": ["张三", "李四"],
              "credential_numbers": ["42010001", "42010002"], "date": "2026-03-01",
              "reported_at": "2026-03-02T10:00:00+08:00", **data}
    return {"op": op, "id": record_id, "version": version, "data": fields}


def penalty(record_id: str, inspection_number: str | None, *, version: int = 1, **data) -> dict:
    fields = {"date": "2026-03-05", "reported_at": "2026-03-06", "decision_number": "咸市监处罚〔2026〕1号", **data}
    if inspection_number is not None:
        fields["inspection_number"] = inspection_number
    return {"op": "i", "id": record_id, "version": version, "data": fields}


def codes(receipt_: dict) -> dict[str, list[str]]:
    return {r["id"]: [e["code"] for e in r["errors"]] for r in receipt_["rejected"]}


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One simulator for the tests that store nothing or use their own source code."""
    with running_simulator(tmp_path_factory.mktemp("provsim-shared")) as sim:
        yield sim


# --- signatures -------------------------------------------------------------------------------------------------

def test_canonical_json_is_the_documented_rule():
    value = {"b": [1, {"d": "文", "c": None}], "a": True}
    assert signing.canonical_json(value) == '{"a":true,"b":[1,{"c":null,"d":"文"}]}'.encode()


def test_signer_derives_the_rfc8032_public_key_and_receipts_verify():
    signer = signing.Signer(signing.parse_seed(RFC8032_SEED))
    assert base64.b64decode(signer.public_key_b64).hex() == RFC8032_PUBLIC
    signed = signer.sign({"batch": "2026030200001", "source": "咸宁", "rejected": [], "accepted": 3})
    assert signed["key_id"] == signer.key_id
    assert receipt.verify(signed, signer.public_key_b64)
    # The same check written out by hand: the signature covers the canonical JSON without "signature".
    body = {k: v for k, v in signed.items() if k != "signature"}
    Ed25519PublicKey.from_public_bytes(bytes.fromhex(RFC8032_PUBLIC)).verify(
        base64.b64decode(signed["signature"]), signing.canonical_json(body))


@pytest.mark.parametrize("tamper", [
    lambda r: r.update(accepted=4),
    lambda r: r.update(source="咸宁市"),
    lambda r: r.update(extra=1),
    lambda r: r.pop("key_id"),
    lambda r: r.pop("signature"),
    lambda r: r.update(signature="not base64!"),
    lambda r: r.update(signature=None),
])
def test_a_changed_receipt_does_not_verify(tamper):
    signer = signing.Signer(signing.parse_seed(RFC8032_SEED))
    signed = signer.sign({"batch": "2026030200001", "source": "咸宁", "rejected": [], "accepted": 3})
    tamper(signed)
    assert not receipt.verify(signed, signer.public_key_b64)


def test_another_key_or_a_malformed_key_does_not_verify():
    signed = signing.Signer(signing.parse_seed(RFC8032_SEED)).sign({"accepted": 1})
    other = signing.Signer(bytes(32))
    assert not receipt.verify(signed, other.public_key_b64)
    assert not receipt.verify(signed, "AAAA")
    assert not receipt.verify(signed, "%%%")


@pytest.mark.parametrize("seed", ["", "00", "zz" * 32, "00" * 33])
def test_a_bad_seed_is_refused(seed):
    with pytest.raises(ValueError, match="64 hexadecimal digits"):
        signing.parse_seed(seed)


def test_receipts_over_http_are_signed_by_the_published_key(provsim):
    status, key = provsim.call("GET", "/api/public-key", token="")
    assert status == 200
    assert key["public_key"] == provsim.public_key
    status, signed = provsim.send([inspection("r1", "JC1"), inspection("r2", "JC2", inspectors=["张三"])])
    assert status == 200
    assert signed["key_id"] == key["key_id"]
    assert set(signed) == {"batch", "source", "standard", "received", "accepted", "duplicates", "rejected",
                           "received_at", "key_id", "signature"}
    assert (signed["received"], signed["accepted"], signed["duplicates"]) == (2, 1, 0)
    assert receipt.verify(signed, provsim.public_key)
    signed["accepted"] = 2
    assert not receipt.verify(signed, provsim.public_key)


def test_a_given_signing_seed_fixes_the_key(tmp_path):
    with running_simulator(tmp_path, signing_seed=RFC8032_SEED) as (_, _, public_key):
        assert base64.b64decode(public_key).hex() == RFC8032_PUBLIC
    assert not (tmp_path / "provsim" / signing.KEY_FILE).exists()


# --- batches, idempotency, dedup --------------------------------------------------------------------------------

def test_the_same_batch_again_returns_the_stored_receipt_and_counts_nothing_twice(provsim):
    records = [inspection("r1", "JC1"), inspection("r2", "JC2"), inspection("r3", "JC3", inspectors=[])]
    status, first = provsim.send(records, batch="2026030200001")
    assert status == 200
    assert (first["received"], first["accepted"], first["duplicates"]) == (3, 2, 0)
    # Again, even with other content: the stored receipt, byte for byte the same signature.
    status, again = provsim.send(records[:1], batch="2026030200001")
    assert status == 200
    assert again == first
    status, fetched = provsim.call("GET", f"/api/receipts/2026030200001?source={SOURCE}")
    assert (status, fetched) == (200, first)
    stats = provsim.stats()
    assert (stats["batches"], stats["records"], stats["current"], stats["rejected"]) == (1, 2, 2, 1)
    assert stats["by_standard"]["inspection"]["batches"] == 1


def test_the_same_batch_number_from_another_source_is_another_batch(provsim):
    status, a = provsim.send([inspection("r1", "JC1")], source="421200")
    status_b, b = provsim.send([inspection("r1", "JC1")], source="421221")
    assert (status, status_b) == (200, 200)
    assert (a["accepted"], b["accepted"]) == (1, 1)
    assert provsim.stats()["batches"] == 2
    assert provsim.call("GET", "/api/receipts/2026030200001?source=421221")[1] == b


def test_concurrent_copies_of_one_batch_are_stored_once(provsim):
    records = [inspection(f"r{i}", f"JC{i}") for i in range(50)]
    results: list[tuple[int, dict]] = []

    def push():
        results.append(provsim.send(records, batch="2026030200007"))

    threads = [threading.Thread(target=push) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [status for status, _ in results] == [200] * 6
    assert all(body == results[0][1] for _, body in results)
    assert results[0][1]["accepted"] == 50
    stats = provsim.stats()
    assert (stats["batches"], stats["records"]) == (1, 50)


def test_a_record_version_received_before_is_a_duplicate(provsim):
    provsim.send([inspection("r1", "JC1"), inspection("r2", "JC2")], batch="2026030200001")
    status, second = provsim.send([
        inspection("r1", "JC1"),                              # same (source, id, version): duplicate
        inspection("r1", "JC1", version=2, name="复查"),       # a new version: accepted
        inspection("r2", "JC2", name="内容不同也算重复"),         # same key, other content: still a duplicate
        inspection("r4", "JC4"), inspection("r4", "JC4"),     # twice in one batch: once stored
    ], batch="2026030200002")
    assert status == 200
    assert (second["received"], second["accepted"], second["duplicates"], second["rejected"]) == (5, 2, 3, [])
    stats = provsim.stats()
    assert (stats["records"], stats["current"], stats["duplicates"]) == (4, 3, 3)
    current = {r["id"]: r for r in provsim.records(standard="inspection")}
    assert current["r1"]["version"] == 2 and current["r1"]["data"]["name"] == "复查"
    assert current["r2"]["data"]["name"] == "日常检查"


def test_delete_leaves_the_current_view_and_keeps_history(provsim):
    provsim.send([inspection("r1", "JC1"), inspection("r2", "JC2")], batch="2026030200001")
    status, deleted = provsim.send([{"op": "d", "id": "r1", "version": 2},
                                    {"op": "d", "id": "nobody", "version": 1}], batch="2026030200002")
    assert status == 200
    assert deleted["accepted"] == 1
    assert codes(deleted) == {"nobody": ["not_found"]}
    assert [r["id"] for r in provsim.records(standard="inspection")] == ["r2"]
    history = [(r["id"], r["version"], r["op"]) for r in provsim.records(standard="inspection", history="1")]
    assert history == [("r1", 1, "i"), ("r1", 2, "d"), ("r2", 1, "i")]
    # Deleting again is refused; inserting again brings it back.
    status, again = provsim.send([{"op": "d", "id": "r1", "version": 3}, inspection("r1", "JC1", version=4)],
                                 batch="2026030200003")
    assert codes(again) == {"r1": ["not_found"]}
    assert again["accepted"] == 1
    assert sorted(r["id"] for r in provsim.records(standard="inspection")) == ["r1", "r2"]


def test_an_older_version_cannot_overwrite_a_newer_one(provsim):
    provsim.send([inspection("r1", "JC1", version=5)], batch="2026030200001")
    status, stale = provsim.send([inspection("r1", "JC1", version=4, name="旧数据")], batch="2026030200002")
    assert status == 200
    assert codes(stale) == {"r1": ["stale_version"]}
    assert provsim.records()[0]["version"] == 5


def test_records_list_filters_by_standard_and_source(provsim):
    provsim.send([inspection("r1", "JC1")], source="421200")
    provsim.send([inspection("r1", "JC1")], source="421221")
    provsim.send([{"op": "i", "id": "c1", "version": 1, "data": {"name": "目录"}}], standard="catalog_item",
                 batch="2026030200002")
    assert len(provsim.records()) == 3
    assert [r["source"] for r in provsim.records(source="421221")] == ["421221"]
    assert [r["id"] for r in provsim.records(standard="catalog_item")] == ["c1"]
    assert provsim.stats()["by_standard"]["catalog_item"]["current"] == 1


# --- own checks -------------------------------------------------------------------------------------------------

def test_inspection_needs_two_inspectors_and_as_many_certificates(shared):
    status, body = shared.send([
        inspection("ok", "JCA1"),
        inspection("one", "JCA2", inspectors=["张三"], credential_numbers=["42010001"]),
        inspection("fewer-certs", "JCA3", credential_numbers=["42010001"]),
        inspection("no-certs", "JCA4", credential_numbers=[]),
        inspection("same-cert", "JCA5", credential_numbers=["42010001", "42010001"]),
    ], source="own-checks-1")
    assert status == 200
    assert body["accepted"] == 1
    assert codes(body) == {"one": ["inspectors_fewer_than_two"], "fewer-certs": ["credentials_mismatch"],
                           "no-certs": ["credentials_mismatch"], "same-cert": ["credential_duplicated"]}
    error = body["rejected"][0]["errors"][0]
    assert error == {"field": "inspectors", "code": "inspectors_fewer_than_two",
                     "message": "检查人员不得少于两人（实际 1 人）"}


def test_checks_read_chinese_field_titles_too(shared):
    record = {"op": "i", "id": "zh", "version": 1,
              "data": {"检查行为编号": "JCZ1", "检查人员": ["张三"], "执法证号": ["42010001"],
                       "检查时间": "2026-03-01", "报送时间": "2026-04-30"}}
    status, body = shared.send([record], source="own-checks-2")
    assert status == 200
    assert codes(body) == {"zh": ["inspectors_fewer_than_two", "late_report"]}


@pytest.mark.parametrize(("reported_at", "late"), [
    ("2026-03-21", False),                   # 20 days: in time
    ("2026-03-21T23:59:59+08:00", False),
    ("2026-03-22", True),                    # 21 days: late
])
def test_report_within_the_timeliness_limit(shared, reported_at, late):
    source = f"own-checks-3-{reported_at[:19]}"
    status, body = shared.send([inspection("r1", "JCT", reported_at=reported_at)], source=source)
    assert status == 200
    assert codes(body) == ({"r1": ["late_report"]} if late else {})
    if late:
        assert "21 天" in body["rejected"][0]["errors"][0]["message"]


def test_without_report_time_the_receiving_day_counts(shared):
    record = inspection("r1", "JCT2", date="2000-01-01")
    del record["data"]["reported_at"]
    _, body = shared.send([record], source="own-checks-4")
    assert codes(body) == {"r1": ["late_report"]}


def test_the_timeliness_limit_is_a_setting(tmp_path):
    with running_simulator(tmp_path, timeliness_days=30) as sim:
        status, body = sim.send([inspection("r1", "JC1", reported_at="2026-03-22")])
        assert (status, body["accepted"], body["rejected"]) == (200, 1, [])


def test_penalty_and_coercion_must_cite_an_inspection_received_before(shared):
    source = "own-checks-5"
    shared.send([inspection("i1", "JC-REF-1"), inspection("i2", "JC-REF-2")], source=source, batch="2026030500001")
    status, body = shared.send([penalty("p1", "JC-REF-1"), penalty("p2", "JC-NEVER"), penalty("p3", None)],
                               source=source, standard="penalty", batch="2026030500002")
    assert status == 200
    assert body["accepted"] == 1
    assert codes(body) == {"p2": ["unknown_inspection"], "p3": ["unknown_inspection"]}
    # A deleted inspection no longer resolves.
    shared.send([{"op": "d", "id": "i2", "version": 2}], source=source, batch="2026030500003")
    status, body = shared.send([penalty("c1", "JC-REF-2"), penalty("c2", "JC-REF-1")],
                               source=source, standard="coercion", batch="2026030500004")
    assert codes(body) == {"c1": ["unknown_inspection"]}
    # Other actions need no inspection, but one they cite must resolve.
    status, body = shared.send([penalty("o1", None), penalty("o2", "JC-NEVER")],
                               source=source, standard="other_action", batch="2026030500005")
    assert codes(body) == {"o2": ["unknown_inspection"]}


def test_record_id_in_data_must_match_the_envelope(shared):
    record = inspection("r1", "JCM")
    record["data"]["record_id"] = "r-other"
    _, body = shared.send([record], source="own-checks-6")
    assert codes(body) == {"r1": ["record_id_mismatch"]}


def test_a_rejected_record_fixed_and_resent_is_accepted(provsim):
    _, first = provsim.send([inspection("r1", "JC1", inspectors=["张三"], credential_numbers=["1"])],
                            batch="2026030200001")
    assert codes(first) == {"r1": ["inspectors_fewer_than_two"]}
    _, fixed = provsim.send([inspection("r1", "JC1", op="u", version=2)], batch="2026030200002")
    assert (fixed["accepted"], fixed["rejected"]) == (1, [])
    assert [(r["id"], r["version"], r["op"]) for r in provsim.records()] == [("r1", 2, "u")]


def test_catalog_records_get_no_behaviour_checks(shared):
    status, body = shared.send([{"op": "i", "id": "c1", "version": 1, "data": {"date": "2000-01-01"}}],
                               source="own-checks-7", standard="catalog_item")
    assert (status, body["accepted"]) == (200, 1)


def test_reject_all_mode_rejects_every_record(provsim):
    provsim.control(mode="reject_all")
    status, body = provsim.send([inspection("r1", "JC1"), inspection("r2", "JC2")])
    assert status == 200
    assert body["accepted"] == 0
    assert codes(body) == {"r1": ["rejected_by_platform"], "r2": ["rejected_by_platform"]}
    provsim.control(mode="ok")
    _, body = provsim.send([inspection("r1", "JC1")], batch="2026030200002")
    assert body["accepted"] == 1


# --- fail, stall, restart ---------------------------------------------------------------------------------------

def test_fail_mode_answers_503_and_stores_nothing(provsim):
    assert provsim.control(mode="fail")["mode"] == "fail"
    status, body = provsim.send([inspection("r1", "JC1")])
    assert (status, body["code"]) == (503, "unavailable")
    assert provsim.call("GET", f"/api/receipts/2026030200001?source={SOURCE}")[0] == 503
    assert provsim.stats()["batches"] == 0  # the control endpoints keep answering
    provsim.control(mode="ok")
    status, body = provsim.send([inspection("r1", "JC1")])
    assert (status, body["accepted"]) == (200, 1)


def test_fail_next_fails_that_many_calls_then_recovers(provsim):
    assert provsim.control(fail_next=2)["fail_next"] == 2
    results = [provsim.send([inspection("r1", "JC1")])[0] for _ in range(3)]
    assert results == [503, 503, 200]
    state = provsim.call("GET", "/_control")[1]
    assert (state["mode"], state["fail_next"]) == ("ok", 0)
    assert provsim.stats()["batches"] == 1


def _timed_out(error: BaseException) -> bool:
    return isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError)


def test_stall_mode_holds_calls_up_to_the_limit_and_a_retry_gets_the_same_receipt(tmp_path):
    with running_simulator(tmp_path, stall_limit=1) as sim:
        assert sim.control(mode="stall", stall_seconds=1000)["stall_seconds"] == 1000
        with pytest.raises((TimeoutError, urllib.error.URLError)) as caught:
            sim.send([inspection("r1", "JC1")], timeout=0.2)
        assert _timed_out(caught.value)
        # Capped at --stall-limit: the retry is answered, and the stalled first call counted once.
        status, body = sim.send([inspection("r1", "JC1")], timeout=30)
        assert (status, body["accepted"]) == (200, 1)
        assert sim.stats()["records"] == 1
        sim.control(mode="ok")
        assert sim.call("GET", "/_stats", timeout=30)[0] == 200


def test_sigterm_ends_stalled_calls_and_exits_cleanly(tmp_path):
    proc, sim = start(tmp_path / "provsim", token=TOKEN, stall_limit=600)
    try:
        sim.control(mode="stall", stall_seconds=600)
        results: list = []
        caller = threading.Thread(target=lambda: results.append(sim.send([inspection("r1", "JC1")], timeout=60)))
        caller.start()
        deadline = time.monotonic() + 20
        while sim.call("GET", "/_control")[1]["stalled"] == 0:
            assert time.monotonic() < deadline, "the call never stalled"
            time.sleep(0.05)
        assert stop(proc, timeout=20) == 0
        caller.join(timeout=20)
        assert results[0][0] == 503 and results[0][1]["code"] == "shutting_down"
    finally:
        stop(proc)
    # Nothing of the cut call was stored.
    with running_simulator(tmp_path) as sim:
        assert sim.stats()["batches"] == 0


def test_a_restart_keeps_batches_records_and_key(tmp_path):
    records = [inspection("r1", "JC1"), inspection("r2", "JC2", inspectors=[])]
    with running_simulator(tmp_path) as first:
        _, signed = first.send(records)
        stats = first.stats()
    with running_simulator(tmp_path) as second:
        assert second.public_key == first.public_key
        assert second.stats() == stats
        assert second.call("GET", f"/api/receipts/2026030200001?source={SOURCE}") == (200, signed)
        assert second.send(records) == (200, signed)
        assert receipt.verify(signed, second.public_key)
        assert [r["id"] for r in second.records()] == ["r1"]


def test_without_a_token_one_is_kept_in_the_data_directory(tmp_path):
    data = tmp_path / "provsim"
    data.mkdir()
    (data / "token").write_text("kept-token\n")
    with running_simulator(tmp_path, token="") as sim:
        sim = sim._replace(token="kept-token")
        assert sim.call("GET", "/_stats")[0] == 200
        assert sim.call("GET", "/_stats", token=TOKEN)[0] == 401


# --- refused calls ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/api/batches"), ("GET", "/api/receipts/2026030200001?source=421200"), ("GET", "/_stats"),
    ("GET", "/_records"), ("GET", "/_control"), ("POST", "/_control"),
])
@pytest.mark.parametrize("token", ["", "wrong-token", f"{TOKEN}x"])
def test_calls_without_the_right_token_are_refused(shared, method, path, token):
    body = {"source": SOURCE, "batch": "2026030200001", "standard": "inspection", "records": []}
    status, answer = shared.call(method, path, body if method == "POST" else None, token=token)
    assert (status, answer["code"]) == (401, "unauthorized")


def test_another_scheme_is_refused(shared):
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1
        shared.base_url + "/_stats", headers={"Authorization": f"Basic {TOKEN}"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=30)
    assert caught.value.code == 401
    caught.value.close()


def _batch(**changes) -> dict:
    body = {"source": SOURCE, "batch": "2026030200001", "standard": "inspection",
            "records": [{"op": "i", "id": "r1", "version": 1, "data": {}}]}
    return {**body, **changes}


def _record(**changes) -> dict:
    return _batch(records=[{"op": "i", "id": "r1", "version": 1, "data": {}, **changes}])


@pytest.mark.parametrize(("body", "code", "field"), [
    ([], "bad_shape", ""),
    ("text", "bad_shape", ""),
    ({k: v for k, v in _batch().items() if k != "source"}, "missing_field", "source"),
    (_batch(extra=1), "unknown_field", "extra"),
    (_batch(source=""), "bad_source", "source"),
    (_batch(source="   "), "bad_source", "source"),
    (_batch(source="x" * 51), "bad_source", "source"),
    (_batch(source=421200), "bad_source", "source"),
    (_batch(batch="202603020001"), "bad_batch", "batch"),
    (_batch(batch="20260302000012"), "bad_batch", "batch"),
    (_batch(batch="2026023000001"), "bad_batch", "batch"),      # 30 February
    (_batch(batch="2026130200001"), "bad_batch", "batch"),
    (_batch(batch="２０２６０３０２００００１"), "bad_batch", "batch"),  # full-width digits
    (_batch(batch=2026030200001), "bad_batch", "batch"),
    (_batch(standard="inspections"), "unknown_standard", "standard"),
    (_batch(standard="行政检查行为"), "unknown_standard", "standard"),
    (_batch(records={}), "bad_records", "records"),
    (_batch(records=[1]), "bad_record", "records[0]"),
    (_record(op="x"), "bad_op", "records[0].op"),
    (_record(op="I"), "bad_op", "records[0].op"),
    (_record(id=""), "bad_id", "records[0].id"),
    (_record(id="x" * 101), "bad_id", "records[0].id"),
    (_record(id=7), "bad_id", "records[0].id"),
    (_record(version=-1), "bad_version", "records[0].version"),
    (_record(version="1"), "bad_version", "records[0].version"),
    (_record(version=True), "bad_version", "records[0].version"),
    (_record(version=1.0), "bad_version", "records[0].version"),
    (_record(data=[]), "bad_data", "records[0].data"),
    (_record(cd_time="2026-03-02"), "unknown_field", "records[0].cd_time"),
    (_batch(records=[{"op": "u", "id": "r1", "version": 1}]), "missing_field", "records[0].data"),
    (_batch(records=[{"op": "i", "id": "r1", "data": {}}]), "missing_field", "records[0].version"),
])
def test_malformed_batches_are_refused_with_400(shared, body, code, field):
    status, answer = shared.call("POST", "/api/batches", body)
    assert (status, answer["code"], answer["field"]) == (400, code, field)
    assert answer["message"]


@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe{}", b""])
def test_bodies_that_are_not_json_are_refused(shared, raw):
    status, answer = shared.call("POST", "/api/batches", raw=raw)
    assert (status, answer["code"]) == (400, "bad_json")


def test_a_batch_is_refused_whole_when_one_record_is_malformed(provsim):
    status, _ = provsim.send([inspection("r1", "JC1"), {"op": "i", "id": "r2", "version": "2", "data": {}}])
    assert status == 400
    assert provsim.stats()["records"] == 0


def test_limits_of_source_and_delete_without_data_are_accepted(shared):
    status, body = shared.call("POST", "/api/batches", _batch(source="s" * 50, standard="catalog_item"))
    assert (status, body["accepted"]) == (200, 1)
    status, body = shared.call("POST", "/api/batches", _batch(
        source="s" * 50, standard="catalog_item", batch="2026030200002",
        records=[{"op": "d", "id": "r1", "version": 2}]))
    assert (status, body["accepted"]) == (200, 1)


def test_more_than_ten_thousand_records_is_413_and_ten_thousand_pass(shared):
    records = [{"op": "i", "id": f"c{i}", "version": 1, "data": {}} for i in range(10_001)]
    body = {"source": "limits", "batch": "2026030200001", "standard": "catalog_item", "records": records}
    status, answer = shared.call("POST", "/api/batches", body)
    assert (status, answer["code"]) == (413, "too_many_records")
    body["records"] = records[:10_000]
    status, answer = shared.call("POST", "/api/batches", body, timeout=120)
    assert (status, answer["accepted"]) == (200, 10_000)


def test_receipt_lookups(shared):
    assert shared.call("GET", "/api/receipts/2026030299999?source=nobody")[1]["code"] == "not_found"
    status, answer = shared.call("GET", "/api/receipts/2026030299999")
    assert (status, answer["code"]) == (400, "missing_source")


@pytest.mark.parametrize(("method", "path", "status", "code"), [
    ("GET", "/api/batches", 405, "method_not_allowed"),
    ("POST", "/api/public-key", 405, "method_not_allowed"),
    ("DELETE", "/_stats", 405, "method_not_allowed"),
    ("GET", "/api/nothing", 404, "not_found"),
    ("GET", "/", 404, "not_found"),
])
def test_unknown_paths_and_methods(shared, method, path, status, code):
    answer = shared.call(method, path, {} if method == "POST" else None)
    assert (answer[0], answer[1]["code"]) == (status, code)


@pytest.mark.parametrize(("body", "code"), [
    ({"mode": "down"}, "bad_mode"),
    ({"stall_seconds": -1}, "bad_stall_seconds"),
    ({"stall_seconds": "5"}, "bad_stall_seconds"),
    ({"fail_next": 1.5}, "bad_fail_next"),
    ({"fail_next": -1}, "bad_fail_next"),
    ({"fail": True}, "unknown_field"),
    ([], "bad_shape"),
])
def test_control_refuses_bad_settings(shared, body, code):
    status, answer = shared.call("POST", "/_control", body)
    assert (status, answer["code"]) == (400, code)
    assert shared.call("GET", "/_control")[1]["mode"] == "ok"


# --- the store on its own ---------------------------------------------------------------------------------------

def test_a_batch_that_fails_midway_leaves_nothing_behind(tmp_path):
    store = Store(tmp_path)
    batch = Batch(source=SOURCE, batch="2026030200001", standard="catalog_item",
                  records=tuple(Record(op="i", id=f"c{i}", version=1, data={}) for i in range(3)))

    def check(record, _known):
        if record.id == "c2":
            raise RuntimeError("disk full")
        return []

    def seal(unsigned):
        return {**unsigned, "signature": "x"}

    with pytest.raises(RuntimeError):
        store.receive(batch, received_at="2026-03-02T10:00:00+08:00", check=check, seal=seal)
    assert store.stats()["records"] == 0 and store.receipt(SOURCE, "2026030200001") is None
    stored, new = store.receive(batch, received_at="2026-03-02T10:00:00+08:00", check=lambda r, k: [], seal=seal)
    assert new and stored["accepted"] == 3
    again, new = store.receive(batch, received_at="2026-03-03T10:00:00+08:00", check=lambda r, k: [], seal=seal)
    assert not new and again == stored
    store.close()


def test_batch_numbers():
    assert checks.valid_batch_number("2019041100002")
    assert not checks.valid_batch_number("0000010100001")  # year 0
    assert not checks.valid_batch_number("2019041100002\n")
