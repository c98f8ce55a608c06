"""The report's text written in a real browser (Debian's Chromium through Playwright).

财务科 opens a year with no prose, takes the drafts jixiao proposes from the data, types
a figure by hand and sees the finding at once; the 业务科室 writes its project's
paragraph with a live field; 单位领导 approves; the generated report prints the approved
text with the figures from the data. Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from jixiao.services.reporting import write_report
from jixiao.storage import models as m
from tests.web.conftest import World
from tests.web.test_browser import (  # noqa: F401 - fixtures used by name
    _allow_the_orm_beside_playwright,
    _log_in,
    _shot,
    browser,
    page,
)

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads committed rows


def _without_prose(fiscal_year: m.FiscalYear) -> None:
    for table in (m.DepartmentFunction, m.KeyTask, m.ImprovementMeasure, m.Achievement, m.Problem):
        table.objects.filter(fiscal_year=fiscal_year).delete()
    for field in ("functions_preamble", "annual_objective", "conclusion", "key_task_analysis"):
        setattr(fiscal_year, field, "")
    fiscal_year.save()


def _log_out(page: Any) -> None:  # noqa: F811
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(re.compile(r".*/login/.*"))


def _section(page: Any, key: str) -> Any:  # noqa: F811
    return page.locator(f"#section-{key.replace(':', '')}")


def _press(page: Any, key: str, label: str) -> None:  # noqa: F811
    _section(page, key).get_by_role("button", name=label).click()
    page.wait_for_selector(".message-success")


def test_drafts_a_typed_figure_an_office_paragraph_and_approval_reach_the_report(
    page: Any,  # noqa: F811
    live_server: Any,
    world: World,
    tmp_path: Path,
) -> None:
    fy = world.fiscal_year
    _without_prose(fy)
    url = f"{live_server.url}/d/{fy.department.code}/{fy.year}/report-text/"

    # 财务科: take the drafts, type a figure by hand, see the finding, use the live field
    _log_in(page, live_server.url, "finance")
    page.goto(url)
    _press(page, "key_task_analysis", "采用数据生成的草稿")
    assert (
        "国土空间规划编制" in _section(page, "key_task_analysis").locator("textarea").input_value()
    )
    _press(page, "conclusion", "采用数据生成的草稿")
    conclusion = _section(page, "conclusion")
    assert "{{执行率}}" in conclusion.locator("textarea").input_value()
    assert conclusion.locator(".preview .chip").count() >= 3  # live fields shown as chips
    conclusion.locator("textarea").fill("全年预算执行率为12.34%。")
    conclusion.locator(".typing-findings li").first.wait_for()
    assert "{{执行率}}" in conclusion.locator(".typing-findings").inner_text()
    _shot(page, "60-report-text-typed-figure")
    conclusion.locator("textarea").fill("全年预算执行率为")
    conclusion.locator("textarea").press("End")
    page.locator("#live-figures [data-token='执行率']").click()
    conclusion.locator("textarea").press("End")
    conclusion.locator("textarea").type("。")
    page.wait_for_function(
        "() => document.querySelector('#section-conclusion .typing-findings').children.length === 0"
    )
    _press(page, "conclusion", "保存草稿")
    for key in ("key_task_analysis", "conclusion"):
        _press(page, key, "提交审核")
    _log_out(page)

    # 业务科室: its own project's paragraph, with a live field
    _log_in(page, live_server.url, "office")
    page.goto(url)
    paragraph = _section(page, "project:P001")
    paragraph.locator("textarea").fill(
        "国土空间规划编制项目执行率{{国土空间规划编制·执行率}}，按期完成。"
    )
    _press(page, "project:P001", "保存草稿")
    _press(page, "project:P001", "提交审核")
    assert page.locator("#section-conclusion").count() == 0
    _log_out(page)

    # 单位领导: approves
    _log_in(page, live_server.url, "leader")
    page.goto(url)
    for key in ("key_task_analysis", "conclusion", "project:P001"):
        _press(page, key, "审核通过")
    _shot(page, "61-report-text-approved")
    statuses = dict(m.ReportSection.objects.filter(fiscal_year=fy).values_list("key", "status"))
    assert set(statuses.values()) == {m.WorkflowStatus.approved}

    report = write_report(fy.department.code, fy.year, tmp_path)
    text = report.markdown.read_text(encoding="utf-8")
    rate = next(f.text for f in report_figures(fy) if f.name == "执行率")
    assert f"全年预算执行率为{rate}。" in text
    assert "国土空间规划编制项目执行率" in text and "{{" not in text
    assert "国土空间规划编制：全年执行率" in text  # the draft taken from the data


def report_figures(fiscal_year: m.FiscalYear) -> Any:
    from jixiao.services.report_text import live_figures

    return live_figures(fiscal_year)
