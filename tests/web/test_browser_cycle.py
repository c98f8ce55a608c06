"""The end of the cycle in a real browser (Debian's Chromium through Playwright):

* 结果应用: 财务科 opens the 结果应用清单, accepts one proposal and rejects another with
  a reason, and next year's 预算 page shows the accepted proposal only;
* 公开: 财务科 marks what is published (and why the rest is not), and a browser without
  an account sees only the published item on the public page and downloads it;
* 整改通知: the bureau issues a notice on a project, the project's office answers with
  a file, the bureau returns it with a reason, the office answers again, the bureau
  approves it.

The department is the web tests' first one (``world``: 规划科, the ``office`` persona,
runs P001); the browser fixtures are ``test_browser.py``'s.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from jixiao.storage import models as m
from jixiao.storage.models import WorkflowStatus
from tests.cycle.test_result_application_storage import slow_spending
from tests.web.conftest import FIRST, YEAR, World
from tests.web.test_browser import (  # noqa: F401 - fixtures used by name
    _allow_the_orm_beside_playwright,
    _log_in,
    _shot,
    browser,
    nav_link,
    page,
)

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads committed rows

BASE = f"/d/{FIRST}/{YEAR}"
P002_GOAL = """  - project: P002
    expected_objective: 完成土地储备前期工作。
    indicators:
      - {level1: 产出指标, level2: 数量指标, level3: 储备地块数, kind: quantitative,
         target: "≥2宗", weight: 90, actual: 2宗}
"""


@pytest.fixture
def small_year_text(small_year_text: str) -> str:
    """The shared year with a goal for P002 too, so that both projects are evaluated."""
    return small_year_text.rstrip("\n") + "\n" + P002_GOAL


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Evidence files go under a temporary media root (the live server shares it)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _log_out(tab: Any) -> None:
    tab.get_by_role("button", name="退出").click()
    tab.wait_for_url(re.compile(r".*/login/.*"))


def test_finance_accepts_one_proposal_rejects_another_and_next_year_shows_it(
    page: Any,  # noqa: F811
    live_server: Any,
    world: World,
) -> None:
    base = live_server.url
    slow_spending(world.fiscal_year)  # P001 and P002 both spend under 60 %
    _log_in(page, base, "finance")
    page.goto(f"{base}{BASE}/")
    nav_link(page, "结果应用", exact=True).click()
    page.wait_for_url(re.compile(r".*/results/$"))
    for code, decision, reason in (
        ("P001", "accept", "执行缓慢，同意压减"),
        ("P002", "reject", "土地储备任务顺延，不压减"),
    ):
        row = page.locator(f"#proposal-{code}")
        assert "压减" in row.inner_text()
        row.locator(f"input[value={decision}]").check()
        row.locator("input[name=reason]").fill(reason)
        row.get_by_role("button", name="保存").click()
        page.wait_for_selector(".message-success")
    assert "已采纳：执行缓慢，同意压减" in page.inner_text("#proposal-P001")
    assert "已驳回：土地储备任务顺延，不压减" in page.inner_text("#proposal-P002")
    _shot(page, "cycle-01-result-decisions")

    m.FiscalYear.objects.create(department=world.fiscal_year.department, year=YEAR + 1)
    page.goto(f"{base}/d/{FIRST}/{YEAR + 1}/budget/")
    carried = page.inner_text("#carried-proposals")
    assert "P001" in carried and "压减" in carried and "执行缓慢，同意压减" in carried
    assert "P002" not in carried
    _shot(page, "cycle-02-next-year-budget")


def test_finance_publishes_one_item_and_a_stranger_downloads_only_that(
    page: Any,  # noqa: F811
    browser: Any,  # noqa: F811
    live_server: Any,
    world: World,
) -> None:
    base = live_server.url
    m.PerformanceGoal.objects.filter(  # the public goals table lists approved goals only
        project__fiscal_year=world.fiscal_year, project__code="P001"
    ).update(declaration_status=WorkflowStatus.approved)
    _log_in(page, base, "finance")
    page.goto(f"{base}{BASE}/")
    nav_link(page, "绩效信息公开").click()
    page.wait_for_url(re.compile(r".*/disclosure/$"))
    page.check("#published-goals")
    page.uncheck("#published-evaluation")
    page.fill("#reason-evaluation", "待决算批复后公开")
    page.uncheck("#published-report")
    page.fill("#reason-report", "涉及未公开的规划内容")
    with page.expect_navigation():
        page.locator("#disclosure-form").get_by_role("button", name="保存").click()
    assert page.is_checked("#published-goals") and not page.is_checked("#published-report")
    assert page.input_value("#reason-report") == "涉及未公开的规划内容"
    _shot(page, "cycle-03-disclosure-choices")
    stored = {d.item: d for d in m.DisclosureItem.objects.filter(fiscal_year=world.fiscal_year)}
    assert stored["goals"].published and not stored["report"].published
    assert stored["report"].reason == "涉及未公开的规划内容"

    stranger = browser.new_context(locale="zh-CN", accept_downloads=True)
    try:
        public = stranger.new_page()
        public.goto(f"{base}/public/{FIRST}/{YEAR}/")
        listed = public.inner_text("#public-items")
        assert "项目绩效目标表" in listed
        assert "绩效自评表" not in listed and "自评报告" not in listed
        assert "涉及未公开的规划内容" not in public.content()
        _shot(public, "cycle-04-public-page")
        with public.expect_download() as download:
            public.locator("#public-items").get_by_role("link", name="下载").click()
        assert download.value.suggested_filename.endswith(".xlsx")
        workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        text = " ".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
        assert "项目绩效目标表" in text and "国土空间规划编制" in text
        assert public.goto(f"{base}/public/{FIRST}/{YEAR}/report/").status == 404
    finally:
        stranger.close()


def _open_notice(tab: Any, base: str) -> None:
    tab.goto(f"{base}{BASE}/")
    nav_link(tab, "整改通知", exact=True).click()
    tab.wait_for_url(re.compile(r".*/notices/$"))
    tab.locator("#notices").get_by_role("link", name="查看").first.click()
    tab.wait_for_url(re.compile(r".*/notices/\d+/$"))


def _answer(tab: Any, feedback: str, files: list[dict[str, Any]]) -> None:
    tab.fill("#answer-feedback", feedback)
    if files:
        tab.set_input_files("#answer-files", files=files)
    tab.click("#answer-submit")
    tab.wait_for_selector(".message-success")
    assert tab.inner_text("#notice-status") == "待审核"


def test_the_bureau_and_a_department_go_round_the_rectification_loop(
    page: Any,  # noqa: F811
    live_server: Any,
    world: World,
    media: Path,
) -> None:
    base = live_server.url
    _log_in(page, base, "bureau")
    page.goto(f"{base}/bureau/{YEAR}/")
    page.click("#notices-link")
    page.wait_for_url(re.compile(rf".*/bureau/{YEAR}/notices/$"))
    page.select_option("#id_department", FIRST)
    page.select_option("#id_origin", "spot_check")
    page.fill("#id_project", "P001")
    page.fill("#id_issue", "P001 国土空间规划编制：按期完成率未达目标，支出进度慢")
    page.fill("#id_requirement", "说明原因并提交整改方案和支付凭证")
    page.click("#issue-notice")
    page.wait_for_url(re.compile(r".*/notices/\d+/$"))
    assert page.inner_text("#notice-status") == "待反馈"
    _shot(page, "cycle-05-notice-issued")
    _log_out(page)

    _log_in(page, base, "office")
    _open_notice(page, base)
    report = {"name": "整改报告.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 plan"}
    _answer(page, "已制定整改方案，加快合同支付。", [report])
    _log_out(page)

    _log_in(page, base, "bureau")
    page.goto(f"{base}/bureau/{YEAR}/notices/")
    assert "待审核 1" in page.inner_text("#notice-counts")
    _shot(page, "cycle-07-bureau-notices")
    page.locator("#notices").get_by_role("link", name="查看").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="整改报告.pdf").click()
    assert Path(download.value.path()).read_bytes() == b"%PDF-1.4 plan"
    page.fill("#review-reason", "缺少支付凭证，请补充")
    page.click("#review-return")
    page.wait_for_selector(".message-success")
    assert page.inner_text("#notice-status") == "退回重改"
    _log_out(page)

    _log_in(page, base, "office")
    _open_notice(page, base)
    assert "缺少支付凭证，请补充" in page.inner_text("#notice-steps")
    voucher = {"name": "支付凭证.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8voucher"}
    _answer(page, "已补充支付凭证。", [voucher])
    _log_out(page)

    _log_in(page, base, "bureau")
    _open_notice(page, base)
    page.click("#review-approve")
    page.wait_for_selector(".message-success")
    assert page.inner_text("#notice-status") == "已通过"
    steps = page.inner_text("#notice-steps")
    assert steps.count("反馈") == 2 and "退回重改" in steps and "通过" in steps
    _shot(page, "cycle-06-notice-approved")
    notice = m.RectificationNotice.objects.get()
    assert notice.status == "approved" and notice.origin == "spot_check"
    assert [e.name for e in notice.evidence.order_by("id")] == ["整改报告.pdf", "支付凭证.jpg"]
