"""Accepting a merge proposal through the pages, in Debian's Chromium: the joint-meeting office's officer opens the
city's plan, follows the proposal to its page, accepts it (answered in place, htmx) and sees the combined task —
both departments' items, the lead department — and the visits saved; the task's page lists both participants."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jianguan.joint import merges
from jianguan.joint.models import MergeProposal, MergeStatus, TaskStatus
from tests.browser_fixtures import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_live_db")]


@pytest.fixture
def proposal(seeded_live_db, request) -> MergeProposal:
    """Two departments' proposals over shared entities and the merge proposal found, after the live database is
    seeded."""
    world = request.getfixturevalue("world")
    world.propose(world.officer, [world.food], world.entities[:3])
    world.propose(world.yj, [world.gas], world.entities[1:4])
    [found] = merges.merge_proposals_find(plan_id=world.plan.pk, actor=world.officer)
    return found


def test_the_office_accepts_a_merge_proposal_and_sees_the_combined_task(page_for, live_server, proposal):
    base = live_server.url
    page = page_for()
    sign_in(page, base, "scjg_officer")
    page.goto(f"{base}/joint/plans/{proposal.plan_id}/")
    page.get_by_test_id(f"merge-{proposal.pk}").get_by_role("link").click()
    expect(page).to_have_url(f"{base}/joint/merges/{proposal.pk}/")
    expect(page.get_by_test_id("merge-status")).to_have_text("待决定")
    page.get_by_test_id("merge-accept").click()
    expect(page.get_by_test_id("merge-status")).to_have_text("已接受")
    merged = page.get_by_test_id("merged-task")
    expect(merged).to_contain_text("联合任务")
    expect(merged).to_contain_text("应急管理")
    expect(merged).to_contain_text("市场监督管理")
    expect(page.get_by_test_id("merge-accept")).to_have_count(0)
    proposal.refresh_from_db()
    assert proposal.status == MergeStatus.ACCEPTED and proposal.visits_saved == 2
    assert proposal.merged_task is not None and proposal.merged_task.status == TaskStatus.JOINT
    merged.get_by_role("link").click()
    expect(page.get_by_test_id("joint-task-status")).to_have_text("联合任务")
    expect(page.get_by_test_id("joint-participants")).to_contain_text("应急管理")
