"""What-if (模拟) on the runs page: the transition matrix of a run's entities under other cut-offs, from the stored
points and overrides by the run's own arithmetic; nothing written; only those who start or publish runs."""

from __future__ import annotations

import pytest

from jianguan.audit.models import AuditEvent
from jianguan.core.errors import ValidationFailed
from jianguan.credit import whatif
from jianguan.credit.models import ClassificationRun, EntityClass

pytestmark = pytest.mark.django_db


def test_the_runs_own_cutoffs_change_nobody_and_others_move_entities_by_their_points(head, published):
    same = whatif.cutoffs_whatif(reader=head, run_id=published.pk, cutoffs=" / ".join(map(str, published.cutoffs)))
    assert same.changed == 0 and same.total == published.entities
    assert dict(same.shares) == published.shares
    everyone_a = whatif.cutoffs_whatif(reader=head, run_id=published.pk, cutoffs="1000 1000 1000")
    forced = EntityClass.objects.filter(run_id=published.pk).exclude(forced="")
    by_points = EntityClass.objects.filter(run_id=published.pk, forced="")
    assert dict(everyone_a.shares)["A"] == by_points.count()  # the overrides still raise the class
    assert dict(everyone_a.shares)["D"] == forced.filter(forced__contains="O01").count()
    assert everyone_a.changed == by_points.exclude(risk_class="A").count() + forced.exclude(
        risk_class__in=("C", "D")).count() + forced.filter(risk_class="D").exclude(forced__contains="O01").count()
    rows = dict(everyone_a.rows)
    assert sum(map(sum, rows.values())) == published.entities
    assert rows["D"][3] == forced.filter(forced__contains="O01", risk_class="D").count()


@pytest.mark.parametrize("value", ["", "1 2", "a b c", "5 3 9", "1,2,3,4"])
def test_bad_cutoffs_are_refused_naming_the_field(head, published, value):
    with pytest.raises(ValidationFailed) as refused:
        whatif.cutoffs_whatif(reader=head, run_id=published.pk, cutoffs=value)
    assert (refused.value.code, refused.value.field) == ("cutoffs_invalid", "cutoffs")


def test_the_page_shows_the_matrix_and_writes_nothing(signed_in, head, persona, published):
    before = (ClassificationRun.objects.count(), EntityClass.objects.count(), AuditEvent.objects.count())
    page = signed_in(head).get(f"/credit/classes/?whatif_run={published.pk}&cutoffs=1000/1000/1000").content.decode()
    assert 'data-testid="whatif-matrix"' in page and f"{published.entities} 户中" in page
    assert (ClassificationRun.objects.count(), EntityClass.objects.count(), AuditEvent.objects.count()) == before
    refused = signed_in(persona("dataadmin")).get(f"/credit/classes/?whatif_run={published.pk}&cutoffs=9 1 1")
    assert "cutoffs_invalid" in refused.content.decode()
    leader = signed_in(persona("leader")).get(f"/credit/classes/?whatif_run={published.pk}&cutoffs=1 2 3")
    assert 'data-testid="whatif-form"' not in leader.content.decode()
    assert 'data-testid="whatif-matrix"' not in leader.content.decode()


def test_a_changed_weight_is_computed_in_the_background_like_a_run_of_that_scorecard(
        signed_in, head, published, card_folder, django_capture_on_commit_callbacks):
    """The what-if of `penalties` at weight 0 gives the shares a real run of that scorecard gives, and counts as
    changed exactly the entities whose class differs between the two runs; the run itself is untouched."""
    from jianguan.credit import classification
    from jianguan.credit.models import WhatIf, WhatIfStatus
    from tests.credit.world import SYSTEM, write_card

    stored = dict(EntityClass.objects.filter(run_id=published.pk).values_list("entity_id", "risk_class"))
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(head).post("/credit/classes/whatif/", {"run": str(published.pk), "indicator": "penalties",
                                                         "weight": "0"})
    asked = WhatIf.objects.get()
    assert asked.status == WhatIfStatus.DONE and asked.progress == published.entities  # the tests' backend: at once
    name, version = write_card(card_folder, indicator=("penalties", {"weight": 0}))
    classification.scorecard_publish(name=name, version=version, actor=head)
    other = classification.run_execute(run_id=classification.run_start(actor=SYSTEM).pk, actor=SYSTEM)
    again = dict(EntityClass.objects.filter(run_id=other.pk).values_list("entity_id", "risk_class"))
    assert [sum(row[j] for row in asked.matrix) for j in range(4)] == [other.shares[k] for k in "ABCD"]
    assert asked.changed == sum(1 for pk, klass in stored.items() if again[pk] != klass) > 0
    assert asked.cutoffs == other.cutoffs
    page = signed_in(head).get("/credit/classes/").content.decode()
    assert f"{asked.total} 户中 {asked.changed} 户分类改变" in page
    assert EntityClass.objects.filter(run_id=published.pk).count() == published.entities


@pytest.mark.parametrize(("indicator", "weight", "code", "field"), [
    ("nonsense", "1", "indicator_unknown", "indicator"),
    ("penalties", "很多", "weight_invalid", "penalties"),
])
def test_a_bad_weight_what_if_is_refused_naming_the_field(head, published, indicator, weight, code, field):
    from jianguan.credit.models import WhatIf

    with pytest.raises(ValidationFailed) as refused:
        whatif.weight_whatif_start(actor=head, run_id=published.pk, indicator=indicator, weight=weight)
    assert refused.value.code == code and field in (refused.value.field or "") + refused.value.message
    assert not WhatIf.objects.exists()


def test_officers_do_not_start_what_ifs(signed_in, officer, persona, published):
    from jianguan.core.errors import AccessDenied

    assert signed_in(officer).post("/credit/classes/whatif/", {"run": str(published.pk)}).status_code == 403
    with pytest.raises(AccessDenied):
        whatif.weight_whatif_start(actor=persona("xa_scjg_officer"), run_id=published.pk, indicator="penalties",
                                   weight="1")
