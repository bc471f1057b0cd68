"""Pages and the public API of the 严重违法失信名单: the department's list with counts and clocks, proposing from a
penalty's number, the steps open to the reader, the public entries (no personal data), outsiders refused."""

from __future__ import annotations

import datetime as dt

from jianguan.credit.models import SeriousEntry, SeriousStatus
from tests.credit.test_serious import FACTORS, act, entity, listed, penalty, propose
from tests.test_write_matrix import _row_counts


def test_an_officer_proposes_from_the_penalty_number_and_the_page_shows_the_next_step(signed_in, people, clock):
    found = penalty(entity(), ["05"])
    client = signed_in(people["officer"])
    form = {"basis": "penalty", "penalty": found.number, "domain": "food", "reason": "销售过期食品",
            "statement": "故意且持续", "intent": "on", "frequency": "2", "duration_days": "30", "amount": "1000"}
    response = client.post("/credit/serious/propose/", form)
    entry = SeriousEntry.objects.get(penalty=found)
    assert response.status_code == 302 and response["Location"] == f"/credit/serious/{entry.pk}/"
    page = client.get(f"/credit/serious/{entry.pk}/").content.decode()
    assert 'data-testid="serious-action-notify"' in page and "serious-action-forward" not in page
    client.post(f"/credit/serious/{entry.pk}/act/", {"action": "notify"})
    entry.refresh_from_db()
    assert entry.status == SeriousStatus.NOTIFIED
    listing = client.get("/credit/serious/").content.decode()
    assert entry.number in listing and str(entry.statement_due) in listing


def test_a_refused_proposal_shows_the_rule_and_writes_nothing(signed_in, people, clock):
    found = penalty(entity(), ["01"])
    client = signed_in(people["officer"])
    before = _row_counts()
    response = client.post("/credit/serious/propose/", {"basis": "penalty", "penalty": found.number, "domain": "food",
                                                        "reason": "x", "statement": "y", "intent": "on"}, follow=True)
    assert "不属于较重行政处罚" in response.content.decode() and _row_counts() == before


def test_a_refused_step_shows_its_rule(signed_in, people, clock):
    entry = act(propose(people["officer"], penalty(entity(), ["05"])), "notify", people["officer"])
    response = signed_in(people["officer"]).post(f"/credit/serious/{entry.pk}/act/", {"action": "submit"},
                                                 follow=True)
    assert "陈述、申辩和申请听证的期限" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == SeriousStatus.NOTIFIED


def test_the_head_approves_on_the_page_with_the_agreement_recorded(signed_in, people, clock):
    entry = act(propose(people["officer"], penalty(entity(), ["05"])), "notify", people["officer"])
    clock.day = entry.statement_due + dt.timedelta(days=1)
    act(entry, "submit", people["officer"])
    client = signed_in(people["head"])
    client.post(f"/credit/serious/{entry.pk}/act/", {"action": "forward"})
    client.post(f"/credit/serious/{entry.pk}/act/", {"action": "record_upper", "upper_reference": "鄂市监函〔2026〕1号",
                                                     "upper_on": clock.day.isoformat()})
    entry.refresh_from_db()
    assert entry.status == SeriousStatus.LISTED and entry.decision_number
    page = client.get(f"/credit/serious/{entry.pk}/").content.decode()
    assert entry.decision_number in page and "不适用告知承诺制" in page


def test_outsiders_and_other_lines_get_404_on_an_entry_and_its_steps(signed_in, people, clock, outsider, persona):
    entry = act(propose(people["officer"], penalty(entity(), ["05"])), "notify", people["officer"])
    for who in (outsider, persona("sthj_officer")):
        client = signed_in(who)
        before = _row_counts()
        assert client.get(f"/credit/serious/{entry.pk}/").status_code == 404
        assert client.post(f"/credit/serious/{entry.pk}/act/", {"action": "withdraw", "reason": "x"}).status_code == 404
        assert _row_counts() == before
        assert entry.number not in client.get("/credit/serious/").content.decode()
    assert signed_in(persona("leader")).post(f"/credit/serious/{entry.pk}/act/", {"action": "withdraw"}).status_code \
        == 403


def test_the_public_api_lists_published_entries_without_personal_data(client, people, clock):
    subject = entity()
    entry = act(listed(people, clock, subject), "publish", people["officer"])
    body = client.get("/api/v1/credit/lists?list=serious").json()
    assert body["count"] == 1
    [item] = body["items"]
    assert (item["uscc"], item["decision_number"], item["list"]) == (subject.uscc, entry.decision_number, "serious")
    assert set(item) == {"list", "name", "uscc", "reason", "authority", "decision_number", "date", "ends_on"}
    assert (item["date"], item["ends_on"]) == (entry.listed_on.isoformat(), entry.ends_on.isoformat())
    assert subject.legal_representative not in str(body)
    assert client.get(f"/api/v1/credit/lists?list=serious&uscc={entity(1).uscc}").json()["count"] == 0
    refused = client.get("/api/v1/credit/lists?list=rumours")
    assert refused.status_code == 400 and refused.json()["code"] == "list_unknown"


def test_the_factors_form_needs_intent(signed_in, people, clock):
    found = penalty(entity(), ["05"])
    response = signed_in(people["officer"]).post("/credit/serious/propose/", {
        "basis": "penalty", "penalty": found.number, "domain": "food", "reason": "x", "statement": "y",
        "frequency": str(FACTORS["frequency"])}, follow=True)
    assert "没有主观故意" in response.content.decode() and not SeriousEntry.objects.exists()
