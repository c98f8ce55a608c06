"""Checked before approval, in a real browser (Debian's Chromium through Playwright).

The 业务科室 sets LW23-P04's first-level weights to 产出 60 / 效益 30 / 满意度 10 (the rules
ask 50 / 30 / 10): the goal page shows the 错误 as it is typed, the goal is saved, and 提交审核
is refused naming the findings. The same goal, submitted before it went wrong (an import, an
earlier rule set), cannot be approved by 财务科: the page lists why and 审核通过 is refused.
Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from jixiao.storage import models as m
from jixiao.storage.models import WorkflowStatus
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
PRODUCE_SIXTY = "一级指标“产出指标”分值为50，其下4个三级指标分值合计为60，两者应相等。"


def _goal(fiscal_year: m.FiscalYear) -> m.PerformanceGoal:
    return m.PerformanceGoal.objects.get(project__fiscal_year=fiscal_year, project__code=PROJECT)


def _log_out(page: Any) -> None:  # noqa: F811
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(re.compile(r".*/login/.*"))


def test_a_goal_weighted_60_30_10_cannot_be_submitted_nor_approved(
    page: Any,  # noqa: F811
    live_server: Any,
    demo_world: m.FiscalYear,  # noqa: F811
) -> None:
    base = live_server.url
    _log_in(page, base, "office")
    page.goto(f"{base}{GOAL}")
    quality = page.locator("#quality-findings")
    assert "错误" not in quality.inner_text()

    reports = page.locator("tr.indicator-row").filter(
        has=page.locator("input[name$='-level3'][value='完成专题研究报告']")
    )
    reports.locator("input[name$='-weight']").fill("25")  # 产出 15+15+10+10 → 25+15+10+10
    page.locator("#quality-findings li", has_text="其下4个三级指标分值合计为60").wait_for()
    assert PRODUCE_SIXTY in quality.inner_text()
    assert page.inner_text("#weights-total") == "110"
    _shot(page, "goal-checks-01-live-error")

    page.click("#save-goal")
    page.wait_for_selector(".message-success")
    assert "以下问题改正并保存前不能提交" in page.inner_text("#workflow-blockers")
    page.click("#action-submit")
    page.wait_for_selector(".message-error")
    refusal = page.inner_text(".message-error")
    assert refusal.startswith("还不能提交：") and PRODUCE_SIXTY.rstrip("。") in refusal
    assert page.inner_text("#workflow-status") == "草稿"
    assert _goal(demo_world).declaration_status == WorkflowStatus.draft
    _shot(page, "goal-checks-02-submit-refused")
    _log_out(page)

    goal = _goal(demo_world)  # submitted before it went wrong
    goal.declaration_status = WorkflowStatus.submitted
    goal.save(update_fields=["declaration_status"], bump_version=False)

    _log_in(page, base, "finance")
    page.goto(f"{base}{GOAL}")
    blockers = page.inner_text("#workflow-blockers")
    assert "以下问题改正前不能审核通过，请退回修改" in blockers and PRODUCE_SIXTY in blockers
    page.click("#action-approve")
    page.wait_for_selector(".message-error")
    refusal = page.inner_text(".message-error")
    assert (
        refusal.startswith("还不能审核通过，请退回修改：") and PRODUCE_SIXTY.rstrip("。") in refusal
    )
    assert page.inner_text("#workflow-status") == "已提交"
    assert _goal(demo_world).declaration_status == WorkflowStatus.submitted
    _shot(page, "goal-checks-03-approval-refused")

    page.fill("#workflow-comment", "产出指标分值应为50，请调整后再提交。")
    page.click("#action-return")
    page.wait_for_selector(".message-success")
    assert page.inner_text(".message-success") == "绩效目标申报已退回。"
    assert _goal(demo_world).declaration_status == WorkflowStatus.returned
