"""The finance bureau in a real browser (Debian's Chromium through Playwright): from its
workspace it opens the 待审核 queue, opens a submitted goal from it, records a 绩效目标审核
conclusion of 差 with its comment, and sees it on the goal page; 财务科 then cannot
approve that goal into the budget. Screenshots go to ``test-artifacts/screenshots/``.

The fixtures (system Chromium, the demo world, the live server) are in ``test_browser.py``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from jixiao.storage import models as m
from jixiao.storage.models import ReviewGrade, WorkflowAction, WorkflowStage, WorkflowStatus
from tests.web.conftest import DEMO, DEMO_YEAR
from tests.web.test_browser import (  # noqa: F401 - fixtures used by name
    _allow_the_orm_beside_playwright,
    _log_in,
    _shot,
    browser,
    demo_world,
    page,
)

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads committed rows

PROJECT = "LW23-P04"
GOAL = f"/d/{DEMO}/{DEMO_YEAR}/projects/{PROJECT}/goal/"


def _submitted_goal(fiscal_year: m.FiscalYear) -> m.PerformanceGoal:
    """The project's declaration as its office submitted it (the workflow's own rows)."""
    goal = m.PerformanceGoal.objects.get(project__fiscal_year=fiscal_year, project__code=PROJECT)
    m.PerformanceGoal.objects.filter(pk=goal.pk).update(
        declaration_status=WorkflowStatus.submitted, evaluation_status=WorkflowStatus.draft
    )
    m.WorkflowTransition.objects.create(
        goal=goal,
        stage=WorkflowStage.declaration,
        action=WorkflowAction.submit,
        from_status=WorkflowStatus.draft,
        to_status=WorkflowStatus.submitted,
        user_name="office",
    )
    return goal


def test_the_bureau_reviews_a_goal_from_its_queue(
    page: Any,  # noqa: F811
    live_server: Any,
    demo_world: m.FiscalYear,  # noqa: F811
) -> None:
    goal = _submitted_goal(demo_world)
    base = live_server.url
    _log_in(page, base, "bureau")
    page.goto(f"{base}/bureau/{DEMO_YEAR}/")
    assert "绩效目标 1 项，绩效自评 0 项已提交待审核" in page.inner_text("#queue-counts")
    assert page.locator("#stage-table").is_visible()
    _shot(page, "bureau-01-workspace")

    page.click("#queue-link")
    page.wait_for_url(re.compile(rf".*/bureau/{DEMO_YEAR}/queue/$"))
    _shot(page, "bureau-02-queue")
    page.locator("a.queue-link", has_text=PROJECT).click()
    page.wait_for_url(re.compile(rf".*{re.escape(GOAL)}$"))

    page.check("#review-grade-poor")
    page.fill("#review-comment", "产出指标未量化，不能衡量")
    page.click("#review-save")
    page.wait_for_url(re.compile(r".*#goal-review$"))
    assert page.inner_text("#goal-review-grade") == "差"
    assert "产出指标未量化，不能衡量" in page.inner_text("#goal-reviews")
    _shot(page, "bureau-03-conclusion")
    review = m.GoalReview.objects.get(goal=goal)
    assert (review.grade, review.user_name) == (ReviewGrade.poor, "bureau")

    page.get_by_role("button", name="退出").click()
    page.wait_for_url(re.compile(r".*/login/.*"))
    _log_in(page, base, "finance")
    page.goto(f"{base}{GOAL}")
    page.click("#action-approve")
    page.wait_for_load_state()
    assert "不能进入预算" in page.content()
    goal.refresh_from_db()
    assert goal.declaration_status == WorkflowStatus.submitted
    _shot(page, "bureau-04-approval-refused")
