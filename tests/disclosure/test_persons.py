"""The case's person list: the natural persons a case records (witnesses interviewed, 受送达人 other than the
party, the party entity's 法定代表人), an inspection's and a measure's 见证人 — their names hidden in the published
copy's free text with rule `third_party_name`, the party's own name kept."""

from __future__ import annotations

import pytest

from jianguan.behaviour.models import Penalty
from jianguan.disclosure import services, sweep
from jianguan.disclosure.models import DisclosureItem, SourceKind
from jianguan.enforcement import contracts as enforcement
from jianguan.enforcement.models import Service
from tests.enforcement_fixtures import ENDING, act, filed

pytestmark = pytest.mark.django_db
WITNESS = "王五"
FACTS = f"经查，当事人销售超过保质期的食品 12 袋，证人{WITNESS}当场见证并作证。"


def _case_with_witness(world):
    case = filed(world)
    act(world, case, "record_inquiry", world.officer, {"interviewee": {"name": WITNESS, "position": "证人"},
                                                      "qa": [{"q": "你看到了什么", "a": "货架上有过期食品"}]})
    act(world, case, "end_investigation", world.officer, {**ENDING, "facts": FACTS})
    act(world, case, "notify", world.officer)
    return act(world, case, "decide", world.head, {"outcome": "penalty", "opinion": "同意"})


def _item(case) -> DisclosureItem:
    sweep.items_make()
    penalty = Penalty.objects.get(number=case.behaviour_number)
    return DisclosureItem.objects.get(source_kind=SourceKind.PENALTY, source_id=penalty.pk)


def test_a_witness_named_in_the_facts_is_masked_as_a_third_party(world):
    case = _case_with_witness(world)
    assert WITNESS in enforcement.case_persons(behaviour_number=case.behaviour_number)
    item = _item(case)
    assert WITNESS in item.persons and item.fields["facts"] == FACTS
    assert WITNESS not in item.redacted["facts"]
    masked = [m for m in item.masks if m["field"] == "facts" and FACTS[m["start"]:m["end"]] == WITNESS]
    assert [m["rule"] for m in masked] == ["third_party_name"]
    assert item.redacted["party_name"] == case.party_name  # the party stays visible


def test_a_person_recorded_after_the_sweep_is_hidden_at_release(world, persona):
    case = filed(world)
    act(world, case, "end_investigation", world.officer, {**ENDING, "facts": FACTS})
    act(world, case, "notify", world.officer)
    case = act(world, case, "decide", world.head, {"outcome": "penalty", "opinion": "同意"})
    item = _item(case)
    assert WITNESS in item.redacted["facts"]  # nobody named 王五 is on the case yet
    # the decision served on 王五 for the party (a 受送达人 other than the party), after the sweep made the item
    Service.objects.create(case=case, document_id=1, method="direct", recipient=WITNESS, served_on=case.decided_on)
    services.item_transition(item_id=item.pk, action="prepare", values={}, actor=world.officer)
    done = services.item_transition(item_id=item.pk, action="publish", values={}, actor=persona("scjg_publisher"))
    assert WITNESS in done.persons and WITNESS not in done.redacted["facts"]


def test_the_persons_of_many_cases_are_read_in_three_queries_and_match_one_by_one(world, django_assert_max_num_queries):
    cases = [_case_with_witness(world), _case_with_witness(world)]
    numbers = [case.behaviour_number for case in cases]
    one_by_one = {number: enforcement.case_persons(behaviour_number=number) for number in numbers}
    assert all(WITNESS in names for names in one_by_one.values())
    with django_assert_max_num_queries(3):
        assert enforcement.case_persons_by_number([*numbers, "", "XZCF-NONE"]) == one_by_one
