"""`jianguan credit classify` and `jianguan credit scorecards`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jianguan.credit import classification
from jianguan.credit.models import ClassificationRun, RunStatus

pytestmark = pytest.mark.django_db


def test_classify_makes_a_draft_run_and_prints_its_shares(risky, head):
    classification.scorecard_publish(name="credit-risk", version="2026.1", actor=head)
    out = StringIO()
    call_command("credit", "classify", stdout=out)
    run = ClassificationRun.objects.get()
    assert run.status == RunStatus.DRAFT and run.started_by == "系统：command:credit classify"
    assert f"批次 {run.number}" in out.getvalue() and f"A {run.shares['A']:,}" in out.getvalue()


def test_classify_without_a_published_scorecard_fails_naming_the_rule(db):
    with pytest.raises(CommandError, match="scorecard_missing"):
        call_command("credit", "classify", stdout=StringIO())


def test_classify_refuses_a_bad_month(risky, head):
    classification.scorecard_publish(name="credit-risk", version="2026.1", actor=head)
    with pytest.raises(CommandError, match="month_invalid"):
        call_command("credit", "classify", "--month", "2026/10", stdout=StringIO())


def test_scorecards_lists_the_files_and_what_is_published(risky, head):
    out = StringIO()
    call_command("credit", "scorecards", stdout=out)
    assert "credit-risk-2026.1\t未发布" in out.getvalue()
    classification.scorecard_publish(name="credit-risk", version="2026.1", actor=head)
    out = StringIO()
    call_command("credit", "scorecards", stdout=out)
    assert "credit-risk-2026.1\t已发布" in out.getvalue()
