"""The review workflow in a real browser (Debian's Chromium through Playwright).

A 业务科室 user enters an actual on the 绩效自评 page and sees the score change as they
type, gives the reason the rules ask for, saves and submits; a 财务科 user returns it
with a comment; the office corrects it and submits again; 财务科 approves. The report is
generated and downloaded and its figures read back with python-docx. Two editors of one
goal: the second save is refused and shows the first one's change. The outsider sees
nothing. Screenshots of every page go to ``test-artifacts/screenshots/``.

The fixtures (system Chromium, the demo world, the live server) are the foundation's, in
``test_browser.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jixiao.storage import models as m
from jixiao.storage.models import WorkflowStatus
from jixiao.web.accounts import create_account
from jixiao.web.models import Role
from tests.web.conftest import DEMO, DEMO_YEAR, PASSWORD
from tests.web.test_browser import (  # noqa: F401 - fixtures used by name
    _allow_the_orm_beside_playwright,
    _log_in,
    _shot,
    browser,
    demo_world,
    nav_link,
    page,
)

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads committed rows

BASE = f"/d/{DEMO}/{DEMO_YEAR}"
PROJECT = "LW23-P04"
REFERENCE = "2023年全年预算数103,118.19万元，执行数77,261.67万元，完成预算的74.93%。"


@pytest.fixture(autouse=True)
def _home(settings: Any, tmp_path: Path) -> Path:
    """Reports and uploads go under a temporary JIXIAO_HOME (the live server shares it)."""
    settings.JIXIAO_HOME = tmp_path / "home"
    return Path(settings.JIXIAO_HOME)


@pytest.fixture
def second_page(browser: Any) -> Iterator[Any]:  # noqa: F811 - the imported fixture
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    context.set_default_timeout(20_000)
    opened = context.new_page()
    yield opened
    context.close()


def _row(page: Any, name: str) -> Any:  # noqa: F811
    return page.locator("tbody.evaluation-row", has_text=name)


def _status(fiscal_year: m.FiscalYear) -> str:
    goal = m.PerformanceGoal.objects.get(project__fiscal_year=fiscal_year, project__code=PROJECT)
    return str(goal.evaluation_status)


def _log_out(page: Any) -> None:  # noqa: F811
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(re.compile(r".*/login/.*"))


def test_the_self_evaluation_is_entered_scored_live_returned_corrected_and_approved(
    page: Any,  # noqa: F811
    live_server: Any,
    demo_world: m.FiscalYear,  # noqa: F811
) -> None:
    base = live_server.url
    evaluation_url = f"{base}{BASE}/projects/{PROJECT}/evaluation/"

    # 业务科室: enter an actual, see the score change, give the reason, save, submit
    _log_in(page, base, "office")
    page.get_by_role("link", name="2023年度").click()
    nav_link(page, "绩效自评").click()
    page.wait_for_url(re.compile(r".*/evaluation/$"))
    assert [
        t.strip() for t in page.locator("#evaluation-list tbody td:first-child").all_inner_texts()
    ] == [
        "LW23-P04 国土空间总体规划编制",
        "LW23-P05 控制性详细规划调整",
    ]
    _shot(page, "20-evaluation-list-office")
    page.goto(evaluation_url)
    reports = _row(page, "完成专题研究报告")
    assert reports.locator(".live-score").inner_text() == "15.00"
    assert page.inner_text("#live-total") == "89.00"
    reports.locator("input[name$='-actual']").fill("6份")
    page.wait_for_function(
        "() => document.querySelector('#live-total').textContent.trim() === '85.25'"
    )
    assert reports.locator(".live-score").inner_text() == "11.25"
    assert "应填写偏差原因分析" in reports.locator(".live-findings").inner_text()
    assert page.inner_text("#live-grade") == "良"
    _shot(page, "21-evaluation-live-score")
    reports.locator("textarea[name$='-deviation_reason']").fill("部分专题研究并入总体规划成果。")
    page.wait_for_function(  # the reason clears the row's finding on the next round trip
        "() => !Array.from(document.querySelectorAll('tbody.evaluation-row'))"
        ".some(b => b.textContent.includes('完成专题研究报告')"
        " && b.querySelector('.live-findings').textContent.includes('应填写偏差原因分析'))"
    )
    page.click("#save-evaluation")
    page.wait_for_selector(".message-success")
    assert (
        m.Indicator.objects.get(
            goal__fiscal_year=demo_world, goal__project__code=PROJECT, level3="完成专题研究报告"
        ).actual
        == "6份"
    )
    page.click("#action-submit")
    page.wait_for_selector(".message-success")
    assert "已提交" in page.inner_text("#workflow-status")
    assert page.locator("#evaluation-form").count() == 0  # locked for the submitter
    _shot(page, "22-evaluation-submitted")
    assert _status(demo_world) == WorkflowStatus.submitted
    _log_out(page)

    # 财务科: return it with a comment
    _log_in(page, base, "finance")
    page.goto(evaluation_url)
    page.fill("#workflow-comment", "专题研究报告应按合同约定的8份填报，请核实。")
    page.click("#action-return")
    page.wait_for_selector(".message-success")
    assert "已退回" in page.inner_text("#workflow-status")
    _shot(page, "23-evaluation-returned-by-finance")
    _log_out(page)

    # 业务科室: sees the comment, corrects, submits again
    _log_in(page, base, "office")
    page.goto(evaluation_url)
    assert "请核实" in page.inner_text("#returned-comment")
    reports = _row(page, "完成专题研究报告")
    reports.locator("input[name$='-actual']").fill("8份")
    page.wait_for_function(
        "() => document.querySelector('#live-total').textContent.trim() === '89.00'"
    )
    assert reports.locator(".live-score").inner_text() == "15.00"
    page.click("#save-evaluation")
    page.wait_for_selector(".message-success")
    page.fill("#workflow-comment", "已核实更正为8份。")
    page.click("#action-submit")
    page.wait_for_selector(".message-success")
    assert "已提交" in page.inner_text("#workflow-status")
    _log_out(page)

    # 财务科: approve; the history keeps every step
    _log_in(page, base, "finance")
    page.goto(evaluation_url)
    page.click("#action-approve")
    page.wait_for_selector(".message-success")
    assert "已审核" in page.inner_text("#workflow-status")
    steps = page.locator("#transitions tbody tr").all_inner_texts()
    assert len(steps) == 4 and "审核通过" in steps[0] and "退回" in steps[2]
    _shot(page, "24-evaluation-approved")
    assert _status(demo_world) == WorkflowStatus.approved

    # 报告: generate, download, read the figures back
    nav_link(page, "报告", exact=True).click()
    page.wait_for_url(re.compile(r".*/reports/$"))
    page.uncheck("input[value='evaluation']")
    page.click("#generate-button")
    page.wait_for_selector(".message-success")
    _shot(page, "25-reports")
    with page.expect_download() as download_info:
        page.locator("a.download[data-kind='report-docx']").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    saved = Path(download.path())
    import docx

    text = "\n".join(p.text for p in docx.Document(str(saved)).paragraphs)
    assert REFERENCE in text
    row = page.locator("#report-files tbody tr").first.inner_text()
    assert "finance" in row


def test_the_goal_page_checks_targets_live_and_refuses_a_stale_second_save(
    page: Any,  # noqa: F811
    second_page: Any,
    live_server: Any,
    demo_world: m.FiscalYear,  # noqa: F811
) -> None:
    base = live_server.url
    create_account("admin", Role.admin, PASSWORD)
    goal_url = f"{base}{BASE}/projects/{PROJECT}/goal/"
    _log_in(page, base, "office")
    page.get_by_role("link", name="2023年度").click()
    nav_link(page, "项目与绩效目标").click()
    page.wait_for_url(re.compile(r".*/goals/$"))
    _shot(page, "26-goals-list-office")
    page.goto(goal_url)
    _log_in(second_page, base, "admin")
    second_page.goto(goal_url)

    row = page.locator("tr.indicator-row", has=page.locator("input[value='公众意见反馈处理时限']"))
    row.locator("input[name$='-target']").fill("≤30%以上")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.errorlist.live'))"
        ".some(e => e.textContent.includes('不认识的计量单位'))"
    )
    _shot(page, "27-goal-live-validation")
    row.locator("input[name$='-target']").fill("≤25天")
    page.wait_for_function(
        "() => !Array.from(document.querySelectorAll('.errorlist.live'))"
        ".some(e => e.textContent.includes('不认识的计量单位'))"
    )
    page.click("#save-goal")
    page.wait_for_selector(".message-success")

    other = second_page.locator(
        "tr.indicator-row", has=second_page.locator("input[value='公众意见反馈处理时限']")
    )
    other.locator("input[name$='-target']").fill("≤20天")
    second_page.click("#save-goal")
    second_page.wait_for_selector("#conflicts")
    conflict = second_page.inner_text("#conflicts")
    assert "保存被拒绝" in conflict and "office" in conflict
    assert "≤30天" in conflict and "≤25天" in conflict
    assert other.locator("input[name$='-target']").input_value() == "≤20天"  # kept
    _shot(second_page, "28-goal-edit-conflict")
    indicator = m.Indicator.objects.get(
        goal__fiscal_year=demo_world, goal__project__code=PROJECT, level3="公众意见反馈处理时限"
    )
    assert indicator.target == "≤25天"


def _renamed_budget_workbook(path: Path) -> Path:
    """The demo's 预算与执行 workbook with one line renamed."""
    import openpyxl

    from jixiao.interchange.excel.layouts import BUDGET_KIND
    from jixiao.services.excel_export import export_workbook

    export_workbook(DEMO, DEMO_YEAR, BUDGET_KIND, path)
    book = openpyxl.load_workbook(path)
    for row in book["预算与执行"].iter_rows(min_row=7):
        if row[1].value == "LW23-P04-01":
            row[2].value = f"{row[2].value}（已核对）"
    book.save(path)
    return path


def test_the_other_pages_in_the_browser(
    page: Any,  # noqa: F811
    live_server: Any,
    demo_world: m.FiscalYear,  # noqa: F811
    tmp_path: Path,
) -> None:
    base = live_server.url
    _log_in(page, base, "finance")
    page.goto(f"{base}{BASE}/goals/")
    _shot(page, "29-goals-list-finance")
    page.goto(f"{base}{BASE}/goals/department/")
    _shot(page, "30-department-goal")
    page.goto(f"{base}{BASE}/evaluation/")
    _shot(page, "31-evaluation-list-finance")

    nav_link(page, "运行监控").click()
    page.wait_for_url(re.compile(r".*/monitoring/$"))
    page.fill("#as-of", "2023-10-31")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url(re.compile(r".*as_of=2023-10-31"))
    page.wait_for_selector("#chart-forecast svg.chart-svg")
    assert "55.78%" in page.inner_text("#kpi-department")
    page.click("#take-snapshot")
    page.wait_for_selector(".message-success")
    page.fill("#as-of", "2023-07-31")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url(re.compile(r".*as_of=2023-07-31"))
    page.click("#take-snapshot")
    page.wait_for_selector(".message-success")
    page.click("#compare")
    page.wait_for_selector("#snapshot-changes")
    page.wait_for_selector("#chart-rates svg.chart-svg")
    _shot(page, "32-monitoring")

    nav_link(page, "整改", exact=True).click()
    page.wait_for_url(re.compile(r".*/rectification/$"))
    page.click("#from-problems")
    page.wait_for_selector(".message-success")
    assert page.locator("#rectification-items tbody tr").count() == 3
    page.click("#carry")
    page.wait_for_selector(".message-info, .message-success")
    _shot(page, "33-rectification")

    nav_link(page, "导入").click()
    page.wait_for_url(re.compile(r".*/import/$"))
    workbook = _renamed_budget_workbook(tmp_path / "预算与执行.xlsx")
    page.set_input_files("#workbook", str(workbook))
    page.click("#upload-button")
    page.wait_for_selector("#import-preview")
    assert "LW23-P04-01" in page.inner_text("#import-changes")
    _shot(page, "34-import-preview")
    page.click("#confirm-import")
    page.wait_for_url(re.compile(r".*/budget/$"))
    assert "已导入" in page.inner_text(".messages")
    line = m.BudgetLine.objects.get(fiscal_year=demo_world, code="LW23-P04-01")
    assert line.name.endswith("（已核对）")


def test_the_outsider_sees_none_of_the_workflow_pages(
    page: Any,  # noqa: F811
    live_server: Any,
    demo_world: m.FiscalYear,  # noqa: F811
) -> None:
    base = live_server.url
    _log_in(page, base, "outsider")
    for path in (
        "goals/",
        "goals/department/",
        f"projects/{PROJECT}/goal/",
        "evaluation/",
        f"projects/{PROJECT}/evaluation/",
        "monitoring/",
        "reports/",
        "import/",
        "rectification/",
    ):
        response = page.goto(f"{base}{BASE}/{path}")
        assert response.status == 404, path
        text = page.inner_text("body")
        assert "页面不存在" in text and "荔湾" not in text and "国土空间" not in text
    _shot(page, "35-outsider-workflow-not-found")
