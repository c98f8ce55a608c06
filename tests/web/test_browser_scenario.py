"""The whole year of a city in a real browser (Debian's Chromium through Playwright), as
issue 13 asks: 系统管理员 sets up a city, a department of it, its office and its users
(the city's 财政局 account too); 财务科 imports a budget with 责任科室; the office sees
its project; 财务科 carries the year forward; the bureau reviews a goal from its 待审核
queue, samples a submitted self-evaluation, re-scores it under the 财政评价 framework
and downloads the city's batch while its progress bar moves, a worker doing the jobs in
a thread of the test.

The goal and self-evaluation the office writes are stored directly (their pages have
their own browser tests: test_browser_workflow.py). Screenshots go to
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import io
import re
import threading
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from jixiao.services.city_batch import work
from jixiao.storage import models as m
from jixiao.storage.models import WorkflowAction, WorkflowStage, WorkflowStatus
from jixiao.web.accounts import create_account
from jixiao.web.models import Role
from tests.web.conftest import PASSWORD
from tests.web.test_browser import (  # noqa: F401 - fixtures used by name
    _allow_the_orm_beside_playwright,
    _shot,
    browser,
    nav_link,
    page,
)
from tests.web.test_browser_setup import DEPARTMENT, _budget, _log_in, _submit

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads committed rows

YEAR = 2024
SECRET = "scenario-passphrase-2024"
INDICATORS = (  # level1, level2, level3, target, weight, actual
    ("产出指标", "数量指标", "空气监测点位数", "≥20个", 50, "20个"),
    ("效益指标", "社会效益指标", "空气质量优良天数比例", "≥90%", 30, "92%"),
    ("满意度指标", "服务对象满意度指标", "公众满意度", "≥85%", 10, "88%"),
)


@pytest.fixture(autouse=True)
def _home(settings: Any, tmp_path: Path) -> Path:
    """Batches and reports go under a temporary JIXIAO_HOME (the live server shares it)."""
    settings.JIXIAO_HOME = tmp_path / "home"
    return Path(settings.JIXIAO_HOME)


def _goal(code: str, declaration: str, evaluation: str) -> m.PerformanceGoal:
    """The project's goal and self-evaluation as its office wrote and submitted them."""
    project = m.Project.objects.get(fiscal_year__department__code=DEPARTMENT, code=code)
    goal = m.PerformanceGoal.objects.create(
        fiscal_year=project.fiscal_year,
        project=project,
        name=project.name,
        expected_objective=f"完成{project.name}任务。",
        actual_objective=f"已完成{project.name}任务。",
        declaration_status=declaration,
        evaluation_status=evaluation,
    )
    for position, (level1, level2, level3, target, weight, actual) in enumerate(INDICATORS):
        goal.indicators.create(
            position=position, level1=level1, level2=level2, level3=level3,
            kind="quantitative", target=target, weight=Decimal(weight), actual=actual,
        )  # fmt: skip
    for stage, status in ((WorkflowStage.declaration, declaration),
                          (WorkflowStage.evaluation, evaluation)):  # fmt: skip
        if status != WorkflowStatus.draft:
            m.WorkflowTransition.objects.create(
                goal=goal, stage=stage, action=WorkflowAction.submit,
                from_status=WorkflowStatus.draft, to_status=WorkflowStatus.submitted,
                user_name="jian",
            )  # fmt: skip
    return goal


def _set_up(tab: Any, base: str) -> None:
    """系统管理员: a city, its department with an office and a year, and the accounts of
    every role (the 财政局's in the city)."""
    create_account("root", Role.admin, PASSWORD)
    _log_in(tab, base, "root")
    nav_link(tab, "机构与账号").click()
    _submit(tab, "form-city", {"code": "shifan", "name": "示范市"})
    assert "已建立城市：示范市" in tab.inner_text(".messages")
    _submit(tab, "form-department", {"code": DEPARTMENT, "name": "市生态环境局", "city": "示范市"})
    assert "已建立部门：市生态环境局" in tab.inner_text(".messages")
    _submit(tab, "form-office", {"department": "市生态环境局", "code": "K01", "name": "监测科"})
    _submit(tab, "form-year", {"department": "市生态环境局", "year": str(YEAR)})
    for username, name, role, department, office, city in (
        ("cai", "蔡会计", "财务科", DEPARTMENT, "", "（默认城市）"),
        ("jian", "简监测", "业务科室", DEPARTMENT, "监测科", "（默认城市）"),
        ("czj", "曹财政", "财政局", "", "", "示范市"),
    ):
        _submit(tab, "form-account", {"username": username, "full_name": name, "role": role,
                                      "department": department, "office": office,
                                      "city": city, "password": SECRET})  # fmt: skip
        assert username in tab.inner_text("#created-accounts")
    assert m.Department.objects.get(code=DEPARTMENT).city.name == "示范市"
    _shot(tab, "70-scenario-setup")


def _import_and_see(tab: Any, base: str, tmp_path: Path) -> None:
    """财务科 imports the budget with 责任科室; the office sees its own project only."""
    _log_in(tab, base, "cai", SECRET)
    tab.goto(f"{base}/d/{DEPARTMENT}/{YEAR}/import/")
    tab.set_input_files("#workbook", str(_budget(tmp_path / "预算.xlsx")))
    tab.click("#upload-button")
    tab.click("#confirm-import")
    tab.wait_for_load_state()
    project = m.Project.objects.get(fiscal_year__department__code=DEPARTMENT, code="P01")
    assert project.office is not None and project.office.name == "监测科"
    _log_in(tab, base, "jian", SECRET)
    tab.goto(f"{base}/d/{DEPARTMENT}/{YEAR}/budget/")
    listed = tab.inner_text("main")
    assert "大气监测" in listed and "宣传教育" not in listed
    _shot(tab, "71-scenario-office-budget")


def _carry_forward(tab: Any, base: str) -> None:
    _log_in(tab, base, "cai", SECRET)
    tab.goto(f"{base}/d/{DEPARTMENT}/{YEAR}/")
    nav_link(tab, "结转下一年度").click()
    tab.click("#carry-forward")
    tab.wait_for_url(f"{base}/d/{DEPARTMENT}/{YEAR + 1}/")
    assert "结转项目 2 个" in tab.inner_text(".messages")
    carried = m.PerformanceGoal.objects.filter(
        fiscal_year__department__code=DEPARTMENT, fiscal_year__year=YEAR + 1, project__code="P01"
    ).get()
    assert carried.declaration_status == WorkflowStatus.draft  # a draft for the new year


def _review_from_the_queue(tab: Any, base: str) -> None:
    """财政局: the 待审核 queue holds P02's declaration; the conclusion is 良."""
    _log_in(tab, base, "czj", SECRET)
    tab.goto(f"{base}/bureau/{YEAR}/")
    assert "绩效目标 1 项，绩效自评 1 项已提交待审核" in tab.inner_text("#queue-counts")
    tab.click("#queue-link")
    tab.wait_for_url(re.compile(rf".*/bureau/{YEAR}/queue/$"))
    tab.locator("a.queue-link", has_text="P02").click()
    tab.wait_for_url(re.compile(r".*/projects/P02/goal/$"))
    tab.check("#review-grade-good")
    tab.fill("#review-comment", "指标基本量化，时效指标可再细化")
    tab.click("#review-save")
    tab.wait_for_url(re.compile(r".*#goal-review$"))
    assert tab.inner_text("#goal-review-grade") == "良"
    _shot(tab, "72-scenario-goal-review")


def _sample_and_re_score(tab: Any, base: str) -> None:
    """财政局: draws P01's submitted self-evaluation and scores it; the framework totals 100."""
    tab.goto(f"{base}/bureau/{YEAR}/")
    tab.click("#spot-checks-link")
    tab.fill("#draw-random [name=count]", "1")
    tab.fill("#draw-random [name=seed]", "2024")
    tab.click("#draw-random button[type=submit]")
    tab.wait_for_load_state()
    assert "新抽取 1 项自评" in tab.inner_text(".messages")
    tab.locator("#spot-checks tr[data-project=P01] a").click()
    tab.wait_for_url(re.compile(rf".*/bureau/{YEAR}/spot-checks/\d+/$"))
    assert tab.inner_text("#totals td:nth-child(2)").strip() == "100.00"  # 计入分值 in all
    scores = {
        "decision-goal": "2",
        "process-compliance": "3",
        "产出指标/数量指标/空气监测点位数": "45",
    }
    for item, value in scores.items():
        tab.locator(f"#bureau-scores tr[data-item='{item}'] input[name=score]").fill(value)
    tab.locator("#bureau-scores tr[data-item='decision-goal'] input[name=comment]").fill(
        "目标与职能关联不够紧密"
    )
    tab.click("#bureau-scores ~ button[type=submit]")
    tab.wait_for_load_state()
    assert "财政评价得分已保存" in tab.inner_text(".messages")
    # 产出 50 → 40: the 45 of 50 counts 36, the self score 50 counted 40
    output = tab.locator("#level1-totals tr[data-level1='产出']")
    assert output.locator(".bureau-score").inner_text() == "36.00"
    assert output.locator(".difference").inner_text() == "-4.00"
    assert "目标与职能关联不够紧密" in tab.inner_text("#score-changes")
    _shot(tab, "73-scenario-re-score")


def _batch_while_the_bar_moves(tab: Any, base: str) -> set[str]:
    """财政局: requests the city batch; a worker thread does one job, waits until the page's
    bar has shown it, then does the rest; the zip is downloaded. Returns its names."""
    tab.goto(f"{base}/bureau/{YEAR}/batches/")
    tab.click("#start-batch")
    tab.wait_for_url(re.compile(r".*/batches/\d+/$"))
    bar = tab.locator("#batch-progress")
    assert (bar.get_attribute("max"), bar.get_attribute("value")) == ("2", "0")
    seen, errors = threading.Event(), []

    def after_job(job: m.BatchJob, ok: bool) -> None:
        if not ok:
            errors.append(job.message)
        seen.wait(120)  # the first job done: hold on until the page has shown it

    def worker() -> None:
        try:
            work("scenario-worker", until_idle=True, poll=0.05, on_job=after_job)
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker, name="scenario-worker", daemon=True)
    thread.start()
    try:
        tab.wait_for_function("() => document.querySelector('#batch-progress').value === 1")
        assert tab.locator("#batch-download").is_hidden()  # moved, and not complete
        _shot(tab, "74-scenario-batch-progress")
    finally:
        seen.set()
    tab.wait_for_selector("#batch-download:not([hidden])")
    thread.join(120)
    assert not thread.is_alive() and not errors
    assert tab.evaluate("document.querySelector('#batch-progress').value") == 2
    _shot(tab, "75-scenario-batch-done")
    with tab.expect_download() as download_info:
        tab.click("#batch-download")
    zipped = Path(download_info.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(zipped)) as bundle:
        return set(bundle.namelist())


def test_a_city_year_from_set_up_to_the_bureau_s_batch(
    page: Any,  # noqa: F811
    live_server: Any,
    tmp_path: Path,
) -> None:
    base = live_server.url
    _set_up(page, base)
    _import_and_see(page, base, tmp_path)
    _goal("P01", WorkflowStatus.approved, WorkflowStatus.submitted)
    _goal("P02", WorkflowStatus.submitted, WorkflowStatus.draft)
    _carry_forward(page, base)
    _review_from_the_queue(page, base)
    _sample_and_re_score(page, base)
    names = _batch_while_the_bar_moves(page, base)
    assert f"{YEAR}-city-summary.docx" in names
    reports = [n for n in names if n.startswith(f"{DEPARTMENT}/")]
    assert any(n.endswith("-self-evaluation.docx") for n in reports)
    assert any(n.endswith(".xlsx") for n in reports)
