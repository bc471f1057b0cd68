"""The draw protocol `jianguan-draw-v1` (docs/draw-protocol.md), its command-line verifier and the fairness audit's
statistics. No database."""

from __future__ import annotations

import copy
import hashlib
import json
import math
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from jianguan.spotchecks import fairness, protocol

ROOT = Path(__file__).resolve().parents[2]
BEACON = {"source": "witness", "witness": "Xianning Notary Office", "due": "2026-11-30T10:00:00+08:00"}
VALUE = bytes(range(32)).hex()


def inspector(ident, department, scope=("4212",), qualifications=("food",), valid_from="2026-01-01",
              valid_to="2027-12-31"):
    return {"id": ident, "department": department, "scope": list(scope), "qualifications": list(qualifications),
            "valid_from": valid_from, "valid_to": valid_to}


def task(departments=("D1", "D2"), per_department=2, maximum=10, required=("food",)):
    return {"id": "T-1", "departments": list(departments), "window": ["2026-12-01", "2026-12-31"],
            "inspectors_per_department": per_department, "max_objects_per_inspector": maximum,
            "required_qualifications": list(required)}


def example() -> dict:
    """The worked example of docs/draw-protocol.md."""
    return {
        "draw_id": "CQ2026-003-1",
        "task": {"id": "T-2026-003", "departments": ["D1", "D2"], "window": ["2026-12-01", "2026-12-31"],
                 "inspectors_per_department": 1, "max_objects_per_inspector": 2, "required_qualifications": ["food"]},
        "strata": {"A": {"ratio": "0.4"}, "B": {"count": 2}},
        "pool": {"A": ["A01", "A02", "A03", "A04", "A05"], "B": ["B01", "B02", "B03"]},
        "object_regions": {"A01": "421202", "A02": "421221", "A03": "421202", "A04": "421223", "A05": "421202",
                           "B01": "421221", "B02": "421202", "B03": "421281"},
        "inspectors": [inspector("I1", "D1"),
                       inspector("I2", "D1", ["421202", "421221"], valid_from="2025-01-01", valid_to="2027-03-31"),
                       inspector("I3", "D2", qualifications=["drugs", "food"]),
                       inspector("I4", "D2", ["421202", "421221", "421223"], valid_to="2027-06-30")],
        "excluded_pairs": [{"object": "A03", "inspector": "I3", "reason": "avoidance: close relative"}],
        "beacon": dict(BEACON)}


def ranked(seed: bytes, object_id: str, inspectors) -> list[str]:
    return sorted(inspectors, key=lambda i: hashlib.sha256(seed + b"inspector\n" + f"{object_id}\n{i}".encode())
                  .digest())


def cli(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jianguan.spotchecks.verify", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)


# Encoding, counts, validation ----------------------------------------------------------------------------------

def test_canonical_json_written_out_by_hand():
    value = {"名称": "咸宁市市场监督管理局", "b": {"z": 1, "a": [2, "x"]}, "a": "\"q\"\n"}
    assert protocol.canonical(value) == (
        '{"a":"\\"q\\"\\n","b":{"a":[2,"x"],"z":1},"名称":"咸宁市市场监督管理局"}').encode()
    assert protocol.sha256_hex(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_counts_ceiling_in_exact_decimals():
    pool = {"A": [f"{i:03d}" for i in range(101)], "B": ["1", "2", "3", "4", "5"], "C": [f"{i:02d}" for i in range(50)],
            "D": [f"{i:03d}" for i in range(100)]}
    strata = {"A": {"ratio": "0.05"}, "B": {"count": 7}, "C": {"ratio": "0.14"}, "D": {"ratio": "0.07"}}
    assert protocol.counts(strata, pool) == {"A": 6, "B": 5, "C": 7, "D": 7}
    assert math.ceil(0.14 * 50) == 8 and math.ceil(0.07 * 100) == 8  # what floats would have drawn
    assert protocol.counts({"A": {"ratio": "0"}, "B": {"ratio": "1"}, "C": {"count": 0}, "D": {"ratio": "1.000"}},
                           pool) == {"A": 0, "B": 5, "C": 0, "D": 100}


@pytest.mark.parametrize("rule", [{"ratio": "1.5"}, {"ratio": "-0.1"}, {"ratio": "abc"}, {"ratio": "5E-2"},
                                  {"ratio": ""}, {"ratio": 0.05}, {"count": -1}, {"count": True}, {"count": 2.0},
                                  {"ratio": "0.1", "count": 1}, {}])
def test_counts_refuse_bad_rules_naming_the_stratum(rule):
    with pytest.raises(ValueError, match="stratum B"):
        protocol.counts({"A": {"ratio": "0.5"}, "B": rule}, {"A": ["a"], "B": ["b"]})


def test_inputs_are_validated():
    frozen = example()
    protocol.validate(frozen)
    cases = [
        (lambda f: f.update(pool={"A": [], "B": []}), "pool is empty"),
        (lambda f: f["pool"].update(A=["A01", "A03", "A02", "A04", "A05"]), "not sorted"),
        (lambda f: f["pool"].update(A=["A01", "A02", "A02", "A04", "A05"]), "duplicate object id"),
        (lambda f: f["strata"].update(C={"count": 1}), "stratum C is in strata but not in pool"),
        (lambda f: f["pool"].update(C=["C01"]), "stratum C is in pool but not in strata"),
        (lambda f: f["task"].update(inspectors_per_department=0), "inspectors_per_department"),
        (lambda f: f["inspectors"].reverse(), "sorted by id"),
        (lambda f: f["object_regions"].pop("A01"), "lacks object A01"),
        (lambda f: f["excluded_pairs"].append({"object": "A03", "inspector": "I9", "reason": "x"}), "I9"),
        (lambda f: f["excluded_pairs"].append({"object": "Z9", "inspector": "I1", "reason": "x"}), "Z9 is in no pool"),
        (lambda f: f["excluded_pairs"].insert(0, {"object": "A05", "inspector": "I1", "reason": "x"}),
         "sorted by object"),
        (lambda f: f["excluded_pairs"].append(dict(f["excluded_pairs"][0])), "sorted by object"),
        (lambda f: f["excluded_pairs"][0].update(reason=""), r"excluded_pairs\[0\].reason"),
        (lambda f: f["excluded_pairs"][0].update(inspector="I3\n"), "line feed"),
        (lambda f: f["excluded_pairs"][0].update(extra=1), "extra"),
        (lambda f: f["excluded_pairs"].append(["A05", "I1", "x"]), r"excluded_pairs\[1\]"),
        (lambda f: f["task"].update(window=["2026-12-31", "2026-12-01"]), "window"),
        (lambda f: f["beacon"].update(due="2026-11-30 10:00"), "beacon.due"),
    ]
    for change, message in cases:
        changed = copy.deepcopy(frozen)
        change(changed)
        with pytest.raises(ValueError, match=message):
            protocol.run(changed, VALUE)


def test_normalise_sorts_what_is_a_set_and_keeps_errors():
    loose = example()
    loose["inspectors"].reverse()
    loose["inspectors"][0]["qualifications"] = ["food", "food"]
    loose["task"]["departments"] = ["D2", "D1"]
    loose["pool"]["A"] = list(reversed(loose["pool"]["A"]))
    loose["excluded_pairs"].insert(0, {"object": "B01", "inspector": "I1", "reason": "rotation"})
    expected = example()
    expected["excluded_pairs"].append({"object": "B01", "inspector": "I1", "reason": "rotation"})
    assert protocol.normalise(loose) == expected
    loose["excluded_pairs"].append({"object": "B01", "inspector": "I1", "reason": "again"})
    with pytest.raises(ValueError, match="lists a pair twice"):
        protocol.normalise(loose)
    loose["excluded_pairs"].pop()
    loose["pool"]["B"] = ["B01", "B01", "B02", "B03"]
    with pytest.raises(ValueError, match="duplicate"):
        protocol.normalise(loose)


# Objects --------------------------------------------------------------------------------------------------------

def direct_smallest(seed: bytes, ids: list[str], n: int) -> list[str]:
    keys = {i: int.from_bytes(hashlib.sha256(seed + b"object\n" + i.encode("utf-8")).digest(), "big") for i in ids}
    return sorted(ids, key=keys.__getitem__)[:n]


def test_selection_is_the_n_smallest_keys_and_depends_on_the_seed():
    pool = {"A": sorted(f"91421200{i:09d}X" for i in range(5000)), "B": sorted(f"B{i:04d}" for i in range(300)),
            "C": [f"C{i}" for i in range(7)]}
    strata = {"A": {"count": 10}, "B": {"ratio": "0.2"}, "C": {"ratio": "1"}}
    seed = hashlib.sha256(b"one").digest()
    first = protocol.select(seed, strata, pool)
    assert first == protocol.select(seed.hex(), strata, pool)
    assert {name: len(ids) for name, ids in first.items()} == {"A": 10, "B": 60, "C": 7}
    for name, n in {"A": 10, "B": 60, "C": 7}.items():
        assert first[name] == direct_smallest(seed, pool[name], n)
    other = protocol.select(hashlib.sha256(b"two").digest(), strata, pool)
    assert other["A"] != first["A"] and other["B"] != first["B"]
    assert other["A"] == direct_smallest(hashlib.sha256(b"two").digest(), pool["A"], 10)


# Inspectors ------------------------------------------------------------------------------------------------------

def test_inspectors_are_ranked_by_their_key():
    seed = hashlib.sha256(b"ranking").digest()
    ids = [f"officer-{n:03d}" for n in range(60)] + ["检查员甲", "i"]
    expected = sorted(ids, key=lambda i: protocol.inspector_key(seed, "91421200MA4K000001", i))
    assert protocol._ranked(seed, "91421200MA4K000001", ids) == expected
    assert protocol.inspector_key(seed, "O", "I") == hashlib.sha256(seed + b"inspector\nO\nI").digest()


def one_object(seed, inspectors, *, pairs=(), per_department=2, maximum=10):
    return protocol.assign(seed, {"ALL": ["O1"]}, task(per_department=per_department, maximum=maximum),
                           {"O1": "421202"}, inspectors, list(pairs))


GOOD = [inspector("D1-a", "D1"), inspector("D2-a", "D2"), inspector("D2-b", "D2")]


@pytest.mark.parametrize("constraint", [
    {"scope": ["421221", "4213"]},
    {"qualifications": ["drugs"]},
    {"valid_from": "2026-12-02"},
    {"valid_to": "2026-12-30"},
    {"excluded": True},
])
def test_each_eligibility_rule_excludes_someone(constraint):
    seed = hashlib.sha256(b"rules").digest()
    fit = inspector("D1-x", "D1")
    assignments, unassigned = one_object(seed, sorted([*GOOD, fit], key=lambda i: i["id"]))
    assert assignments == {"O1": ranked(seed, "O1", ["D1-a", "D1-x"]) + ranked(seed, "O1", ["D2-a", "D2-b"])}
    unfit = {**fit, **{k: v for k, v in constraint.items() if k != "excluded"}}
    pairs = [{"object": "O1", "inspector": "D1-x", "reason": "rotation: checked in 2026"}] if "excluded" in constraint \
        else []
    assignments, unassigned = one_object(seed, sorted([*GOOD, unfit], key=lambda i: i["id"]), pairs=pairs)
    assert assignments == {}
    assert unassigned == {"O1": "understaffed: department D1 has 1 eligible, 2 needed"}


def test_maximum_per_inspector_and_unstaffable_objects_take_no_quota():
    seed = hashlib.sha256(b"quota").digest()
    order = [o for _, o in sorted((protocol.object_key(seed, o), o) for o in ("O1", "O2", "O3"))]
    regions = dict.fromkeys(order, "421202")
    regions[order[0]] = "421281"  # outside D2's scope: the first object cannot be staffed
    inspectors = [inspector("P", "D2", ["421202"]), inspector("Q", "D2", ["421202"]),
                  inspector("X", "D1"), inspector("Y", "D1")]
    assignments, unassigned = protocol.assign(seed, {"ALL": sorted(order)}, task(maximum=1), regions, inspectors, [])
    assert unassigned == {
        order[0]: "understaffed: department D2 has 0 eligible, 2 needed",
        order[2]: "understaffed: department D1 has 0 eligible, 2 needed; department D2 has 0 eligible, 2 needed"}
    assert assignments == {order[1]: ranked(seed, order[1], ["X", "Y"]) + ranked(seed, order[1], ["P", "Q"])}
    assignments, unassigned = protocol.assign(seed, {"ALL": sorted(order)}, task(maximum=2), regions, inspectors, [])
    assert set(assignments) == {order[1], order[2]} and list(unassigned) == [order[0]]


# Replacements ----------------------------------------------------------------------------------------------------

def single_department(inspectors, objects=("O1",), per_department=2, maximum=10):
    return {"task": task(("D1",), per_department=per_department, maximum=maximum, required=()),
            "strata": {"ALL": {"ratio": "1"}}, "pool": {"ALL": list(objects)},
            "object_regions": dict.fromkeys(objects, "421202"), "inspectors": inspectors, "excluded_pairs": [],
            "beacon": dict(BEACON)}


def test_replacement_takes_the_next_in_the_ranking_never_a_former_assignee():
    names = ["R1", "R2", "R3", "R4", "R5"]
    transcript = protocol.run(single_department([inspector(n, "D1") for n in names]), VALUE)
    seed = bytes.fromhex(transcript["seed"])
    r = ranked(seed, "O1", names)
    assert transcript["result"]["assignments"] == {"O1": r[:2]}
    for out, incoming, now in ((r[0], r[2], [r[2], r[1]]), (r[2], r[3], [r[3], r[1]]), (r[1], r[4], [r[3], r[4]])):
        record = protocol.replace(transcript, "O1", out, "sick leave")
        assert record == {"n": len(transcript["replacements"]) + 1, "object": "O1", "out": out, "in": incoming,
                          "reason": "sick leave"}
        transcript["replacements"].append(record)
        assert protocol.current_assignments(transcript) == {"O1": now}  # the incoming takes the leaving one's place
    with pytest.raises(protocol.ReplacementRefused):
        protocol.replace(transcript, "O1", r[3], "sick leave")
    with pytest.raises(ValueError, match="not assigned"):
        protocol.replace(transcript, "O1", r[0], "sick leave")
    assert protocol.verify(transcript) == []


def test_replacement_counts_quota_with_current_assignments():
    transcript = protocol.run(single_department([inspector(n, "D1") for n in ("A", "B", "C")], ("O1", "O2"),
                                                per_department=1, maximum=1), VALUE)
    assignments = transcript["result"]["assignments"]
    (first,), (second,) = assignments["O1"], assignments["O2"]
    (third,) = {"A", "B", "C"} - {first, second}
    record = protocol.replace(transcript, "O1", first, "court hearing")
    assert record["in"] == third  # `second` is at the maximum
    transcript["replacements"].append(record)
    record = protocol.replace(transcript, "O2", second, "court hearing")
    assert record["in"] == first  # freed by leaving O1; `third` is now at the maximum
    transcript["replacements"].append(record)
    assert protocol.verify(transcript) == []


# Transcripts and the verifier ------------------------------------------------------------------------------------

def test_worked_example_of_the_document():
    frozen = example()
    transcript = protocol.run(frozen, VALUE)
    assert transcript["commitment"] == "05578b409f4b88e7015349e727ef60a3e66d05dccc8fa78dea61d89a736f4e55"
    assert transcript["seed"] == "1c6983a7e9e0469cdc665cb24a3f74b3a9678c40933d6f81e2e6e3670c4870eb"
    assert transcript["result"] == {
        "selected": {"A": ["A05", "A03"], "B": ["B01", "B03"]},
        "assignments": {"B01": ["I2", "I4"], "A05": ["I1", "I3"], "A03": ["I1", "I4"]},
        "unassigned": {"B03": "understaffed: department D1 has 0 eligible, 1 needed"}}
    assert protocol.replace(transcript, "A05", "I1", "ill: sick leave") == {
        "n": 1, "object": "A05", "out": "I1", "in": "I2", "reason": "ill: sick leave"}
    document = (ROOT / "docs" / "draw-protocol.md").read_text(encoding="utf-8")
    for number in (transcript["commitment"], transcript["seed"], protocol.pool_hash(frozen["pool"]["A"])):
        assert number in document


def test_commit_then_reveal_from_the_stored_bytes_is_the_run():
    frozen = example()
    del frozen["draw_id"]
    commitment, encoded = protocol.commit(frozen)
    assert encoded == {field: protocol.canonical(frozen[field]) for field in protocol.FROZEN_FIELDS}
    revealed = protocol.reveal(encoded, commitment, VALUE)
    assert {"draw_id": "", **revealed} == protocol.run(frozen, VALUE)
    assert protocol.encode_object({**encoded, "x": b"1"}) == protocol.canonical({**frozen, "x": 1})
    changed = dict(encoded, object_regions=encoded["object_regions"].replace(b"421281", b"421282"))
    with pytest.raises(protocol.CommitmentMismatch):
        protocol.reveal(changed, commitment, VALUE)
    spaced = dict(encoded, task=json.dumps(frozen["task"]).encode())  # the same values, other bytes
    with pytest.raises(protocol.CommitmentMismatch):
        protocol.reveal(spaced, commitment, VALUE)


def large_draw() -> dict:
    """Two departments, quotas that fill up, exclusions and one understaffed region: every path of the assignment."""
    ids = sorted(f"91421200MA{n:08d}" for n in range(6000))
    towns = ["421202001", "421202002", "421221001", "421223001", "421281001"]
    regions = {i: towns[n % len(towns)] for n, i in enumerate(ids)}
    inspectors = [inspector(f"I{n:03d}", "D1" if n % 2 else "D2", [towns[n % 4][:6] if n % 3 else towns[n % 4]])
                  for n in range(60)]
    pairs = [{"object": ids[n], "inspector": f"I{n % 60:03d}", "reason": "avoidance"} for n in range(0, 6000, 7)]
    return {"task": task(per_department=1, maximum=9), "strata": {"A": {"ratio": "0.1"}, "B": {"count": 40}},
            "pool": {"A": ids[:4000], "B": ids[4000:]}, "object_regions": regions,
            "inspectors": sorted(inspectors, key=lambda i: i["id"]),
            "excluded_pairs": sorted(pairs, key=lambda p: (p["object"], p["inspector"])), "beacon": dict(BEACON)}


SPREAD = """
import os
from jianguan.spotchecks import protocol
from tests.spotchecks.test_protocol import VALUE, large_draw
frozen = large_draw()
alone = protocol.run(frozen, VALUE, workers=1)
assert alone["result"]["assignments"] and alone["result"]["unassigned"]
protocol.PARALLEL_MINIMUM = 0
forks, fork = [], os.fork
def counted():
    forks.append(1)
    return fork()
os.fork = counted
assert protocol.run(frozen, VALUE, workers=3) == alone
assert len(forks) == 6, forks  # two children for each of three steps: the selection of each stratum, the rankings
assert protocol.verify(alone, workers=2) == []
def failing():
    raise OSError("no more processes")
os.fork = failing
assert protocol.run(frozen, VALUE, workers=2) == alone
print("same")
"""


def test_a_draw_spread_over_child_processes_is_the_same_draw():
    """In a fresh process (one thread, as a verifier or a task worker runs): forked children, and no children."""
    done = subprocess.run([sys.executable, "-c", SPREAD], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.stdout == "same\n", done.stderr


def test_a_threaded_process_hashes_alone(monkeypatch):
    monkeypatch.setattr(protocol, "PARALLEL_MINIMUM", 0)
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked in a threaded process"))
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    try:
        assert protocol.run(large_draw(), VALUE, workers=4)["result"]["selected"]["B"]
    finally:
        stop.set()
        helper.join()


def written(tmp_path: Path, transcript: dict, name: str = "transcript.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(transcript, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


@pytest.fixture
def drawn() -> dict:
    transcript = protocol.run(example(), VALUE)
    transcript["replacements"].append(protocol.replace(transcript, "A05", "I1", "ill: sick leave"))
    return transcript


def test_run_then_verify_and_the_command_line_says_ok(drawn, tmp_path):
    assert protocol.verify(drawn) == []
    done = cli(written(tmp_path, drawn))
    assert (done.returncode, done.stdout) == (0, "OK\n")


def _set_region(t):
    t["object_regions"]["B02"] = "421221"


def _remove_pair(t):
    t["excluded_pairs"].clear()


def _set_assignment(t):
    t["result"]["assignments"]["A03"] = ["I2", "I4"]


TAMPERING = {
    "pool id": (lambda t: t["pool"]["A"].__setitem__(1, "A02b"), "commitment differs"),
    "object region": (_set_region, "commitment differs"),
    "qualification": (lambda t: t["inspectors"][1]["qualifications"].append("fire"), "commitment differs"),
    "excluded pair": (_remove_pair, "commitment differs"),
    "beacon value": (lambda t: t.update(beacon_value="ff" * 32), "seed differs"),
    "seed": (lambda t: t.update(seed="00" * 32), "seed differs"),
    "selected id": (lambda t: t["result"]["selected"]["A"].__setitem__(1, "A01"), "result.selected.A differs"),
    "assignment": (_set_assignment, "result.assignments.A03 differs"),
    "replacement": (lambda t: t["replacements"][0].update({"in": "I4"}), "replacements[0].in differs"),
    "protocol": (lambda t: t.update(protocol="jianguan-draw-v0"), "protocol differs"),
}


@pytest.mark.parametrize("what", list(TAMPERING))
def test_the_command_line_names_what_was_tampered_with(drawn, tmp_path, what):
    tamper, message = TAMPERING[what]
    tamper(drawn)
    done = cli(written(tmp_path, drawn))
    assert done.returncode == 1, done.stdout
    assert done.stdout.startswith(message) and done.stdout.count("\n") == 1, done.stdout


def test_verifier_refuses_malformed_files(drawn, tmp_path):
    text = json.dumps(drawn, ensure_ascii=False)
    duplicate = tmp_path / "duplicate.json"
    duplicate.write_text(text[:-1] + ', "seed": "' + "00" * 32 + '"}', encoding="utf-8")
    done = cli(duplicate)
    assert done.returncode == 1 and "duplicate key 'seed'" in done.stdout
    del drawn["draw_id"]
    assert protocol.verify(drawn) == ["transcript malformed: transcript lacks field 'draw_id'"]
    assert cli(tmp_path / "missing.json").returncode == 2


def test_the_verifier_and_the_fairness_audit_do_not_import_django():
    code = "import sys, jianguan.spotchecks.verify, jianguan.spotchecks.fairness; print('django' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          check=True)
    assert done.stdout == "False\n"


# Beacon -----------------------------------------------------------------------------------------------------------

def test_drand_quicknet_round_arithmetic():
    assert protocol.drand_round_time(1) == 1692803367
    assert protocol.drand_round_time(2) == 1692803370
    assert protocol.drand_round_at(1692803367) == 1
    assert protocol.drand_round_at(0) == 1
    assert protocol.drand_round_at(1692803368) == 2
    assert protocol.drand_round_at(1692803370.5) == 3
    for r in (1, 2, 3, 657413, 27_946_612):
        assert protocol.drand_round_at(protocol.drand_round_time(r)) == r
        assert protocol.drand_round_at(protocol.drand_round_time(r) + 1) == r + 1
    with pytest.raises(ValueError):
        protocol.drand_round_time(0)


def test_drand_randomness_is_the_hash_of_the_signature():
    # Quicknet round 657413 as published in the drand-verify README (signature → randomness).
    signature = ("b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b")
    assert protocol.drand_randomness(signature) == "fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587"


# Fairness ---------------------------------------------------------------------------------------------------------

def test_chi_square_p_values():
    assert fairness.chi_square_p(3.841, 1) == pytest.approx(0.05, abs=2e-4)
    assert fairness.chi_square_p(18.307, 10) == pytest.approx(0.05, abs=2e-4)
    assert fairness.chi_square_p(0, 1) == 1.0 and fairness.chi_square_p(0.0, 7) == 1.0
    for x in (0.01, 0.5, 1, 2, 3.5, 8, 20, 60):  # closed forms on both sides of x = a + 1
        assert fairness.chi_square_p(x, 1) == pytest.approx(math.erfc(math.sqrt(x / 2)), rel=1e-9, abs=1e-15)
        assert fairness.chi_square_p(x, 2) == pytest.approx(math.exp(-x / 2), rel=1e-9)
        assert fairness.chi_square_p(x, 4) == pytest.approx(math.exp(-x / 2) * (1 + x / 2), rel=1e-9)
    assert fairness.chi_square([10, 20], 15) == (pytest.approx(50 / 15), 1)


def test_inclusion_frequencies_pass_a_chi_square_test():
    pool = {"ALL": [f"O{i:02d}" for i in range(20)]}
    strata = {"ALL": {"count": 5}}
    seeds = [hashlib.sha256(b"fairness" + k.to_bytes(4, "big")).digest() for k in range(2000)]
    frequencies = fairness.inclusion_frequencies(strata, pool, seeds)["ALL"]
    assert sum(frequencies.values()) == 10_000
    statistic, dof = fairness.inclusion_chi_square(frequencies, 2000, 5)
    assert dof == 19 and fairness.chi_square_p(statistic, dof) > 0.001
    biased = dict(frequencies, O00=frequencies["O00"] + 100, O01=frequencies["O01"] - 100)
    assert fairness.chi_square_p(*fairness.inclusion_chi_square(biased, 2000, 5)) < 0.001
    # Calibrated: over 40 batches of 50 draws the scaled statistic averages its 19 degrees of freedom (Pearson's
    # unscaled sum would average N − n = 15).
    batches = [fairness.inclusion_frequencies(strata, pool, seeds[k:k + 50])["ALL"] for k in range(0, 2000, 50)]
    mean = sum(fairness.inclusion_chi_square(b, 50, 5)[0] for b in batches) / len(batches)
    assert 17 < mean < 21


# The public form of a draw by credit-risk classes (ADR 0046) -----------------------------------------------------

def by_class(names=("A", "AC")) -> dict:
    """The worked example with neutral object ids and its two strata renamed (to credit-risk classes by default)."""
    frozen = example()
    ids = {i: f"O{k:02}" for k, i in enumerate(sorted(frozen["object_regions"]))}
    frozen["strata"] = dict(zip(names, example()["strata"].values(), strict=True))
    frozen["pool"] = {new: [ids[i] for i in example()["pool"][old]] for old, new in zip(example()["pool"], names,
                                                                                        strict=True)}
    frozen["object_regions"] = {ids[i]: region for i, region in frozen["object_regions"].items()}
    frozen["excluded_pairs"] = [{**pair, "object": ids[pair["object"]]} for pair in frozen["excluded_pairs"]]
    return frozen


@pytest.mark.parametrize(("strata", "blinded"), [
    (("A", "B", "C", "D", "AC"), True), (("D",), True), (("AC", "extra"), True), (("ALL",), False),
    (("north", "south"), False), (("a", "Ac", "AA"), False)])
def test_a_draw_is_blinded_when_any_stratum_is_a_credit_risk_class(strata, blinded):
    assert protocol.withholds_strata({name: {"count": 1} for name in strata}) is blinded


def test_a_class_stratified_draw_is_published_without_its_strata_and_verifies_as_far_as_it_goes(tmp_path):
    full = protocol.run(by_class(), VALUE)
    public = protocol.public_form(full)
    assert public["form"] == "public-blinded" and tuple(public) == protocol.PUBLIC_BLINDED_FIELDS
    drawn = sorted(i for ids in full["result"]["selected"].values() for i in ids)
    assert public["result"] == {"drawn": drawn} and len(drawn) == 4
    text = protocol.canonical(public).decode()
    for word in ('"A"', '"AC"', "strata", "pool", "object_regions", "421202", "selected"):
        assert word not in text, word
    undrawn = set(full["object_regions"]) - set(drawn)
    assert undrawn and not any(i in text for i in undrawn)
    assert full["commitment"] == protocol.commitment(by_class())  # the commitment itself is unchanged
    assert protocol.verify(public) == [] and protocol.verify(full) == []
    done = cli(written(tmp_path, public))
    assert done.returncode == 0 and done.stdout.startswith("OK (blinded public form"), done.stdout
    assert "authorised auditor" in done.stdout


BLINDED_TAMPERING = {
    "commitment": (lambda t: t.update(commitment="00" * 32), "seed differs"),
    "seed": (lambda t: t.update(seed="11" * 32), "seed differs"),
    "beacon value": (lambda t: t.update(beacon_value="ff" * 32), "seed differs"),
    "strata put back": (lambda t: t.update(strata={"A": {"count": 1}}), "transcript malformed: transcript has "
                                                                        "unknown field 'strata'"),
    "drawn out of order": (lambda t: t["result"]["drawn"].reverse(), "transcript malformed: result.drawn must be "
                                                                     "sorted"),
    "drawn per stratum": (lambda t: t.update(result={"selected": {"A": ["O01"]}}), "transcript malformed: result"),
    "task": (lambda t: t["task"].update(inspectors_per_department=0), "transcript malformed: "),
    "form": (lambda t: t.update(form="public"), "transcript malformed: transcript lacks field 'strata'"),
}


@pytest.mark.parametrize("what", list(BLINDED_TAMPERING))
def test_a_tampered_blinded_public_transcript_is_caught(what, tmp_path):
    public = protocol.public_form(protocol.run(by_class(), VALUE))
    tamper, message = BLINDED_TAMPERING[what]
    tamper(public)
    problems = protocol.verify(public)
    assert problems and problems[0].startswith(message), problems
    done = cli(written(tmp_path, public))
    assert done.returncode == 1 and done.stdout.startswith(message), done.stdout


def test_a_draw_without_class_strata_keeps_the_full_public_form_and_check(tmp_path):
    full = protocol.run(by_class(("north", "south")), VALUE)
    public = protocol.public_form(full)
    assert public["form"] == "public" and public["pool"] == full["pool"] and public["strata"] == full["strata"]
    assert public["result"] == {"selected": full["result"]["selected"]}
    assert protocol.verify(public) == []
    done = cli(written(tmp_path, public))
    assert done.returncode == 0 and done.stdout.startswith("OK (public form: commitment"), done.stdout
    public["pool"]["north"] = public["pool"]["north"][1:]
    assert protocol.verify(public)[0].startswith("commitment differs")
