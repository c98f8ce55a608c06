"""Words that say why: a refusal names its real reason — the role, the office (scope) or
the status; a confirmation says plainly what happened; 整改 items generated from findings
keep the kind of their check and leave rounding gaps out; the department form says how its
weights were converted."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

import jixiao.demo
from jixiao.services import rectification as service
from jixiao.services.monitoring import monitor_stored_year
from jixiao.storage import models as m
from jixiao.storage.models import RectificationSource, WorkflowStatus
from tests.web.conftest import FIRST, YEAR, World, store_text

pytestmark = pytest.mark.django_db

BASE = f"/d/{FIRST}/{YEAR}"
GOAL = f"{BASE}/projects/P001/goal/"
EVALUATION = f"{BASE}/projects/P001/evaluation/"
OTHER_OFFICE_GOAL = f"{BASE}/projects/P002/goal/"


def _message(response: object) -> str:
    request = response.wsgi_request  # type: ignore[attr-defined]
    return " ".join(str(message) for message in request._messages)


def _act(world: World, persona: str, url: str, action: str, comment: str = "") -> str:
    response = world.client(persona).post(
        f"{url}transition/", {"action": action, "comment": comment}
    )
    assert response.status_code == 302
    return _message(response)


def _forbidden(response: Any) -> str:
    assert response.status_code == 403
    return str(response.content.decode())


# The role


def test_finance_is_told_that_a_projects_goal_is_its_offices_to_edit(world: World) -> None:
    page = _forbidden(world.client("finance").post(GOAL, {}))
    assert "财务科不能修改项目的绩效目标，由项目所属科室（规划科）修改。" in page


def test_finance_is_told_that_a_projects_goal_is_its_offices_to_submit(world: World) -> None:
    message = _act(world, "finance", GOAL, "submit")
    assert message == "财务科不能提交项目的绩效目标申报，由项目所属科室（规划科）提交。"


def test_an_office_is_told_that_approving_is_finances(world: World) -> None:
    _act(world, "office", GOAL, "submit")
    assert _act(world, "office", GOAL, "approve") == "业务科室不能审核绩效目标申报，由财务科审核。"


def test_the_leader_is_told_who_returns(world: World) -> None:
    _act(world, "office", GOAL, "submit")
    message = _act(world, "leader", GOAL, "return", "请补充。")
    assert message == "单位领导不能退回绩效目标申报，由财务科或财政局退回。"


def test_an_office_is_told_that_the_department_goal_is_finances(world: World) -> None:
    page = _forbidden(world.client("office").get(f"{BASE}/goals/department/"))
    assert "业务科室不能查看部门整体支出绩效目标。" in page


# The scope: another office's project or 整改 item


def test_an_office_is_told_that_a_project_belongs_to_another_office(world: World) -> None:
    page = _forbidden(world.client("office").get(OTHER_OFFICE_GOAL))
    assert "该项目由土地储备科负责，不是您科室的项目，您不能查看。" in page


def test_an_office_is_told_that_a_rectification_item_is_another_offices(world: World) -> None:
    fiscal_year = world.fiscal_year
    tdk = m.Office.objects.get(department=fiscal_year.department, code="tdk")
    item = m.Rectification.objects.create(
        fiscal_year=fiscal_year, position=1, source=RectificationSource.review,
        issue="土地储备资料不全", owner_office=tdk,
    )  # fmt: skip
    page = _forbidden(world.client("office").get(f"{BASE}/rectification/{item.pk}/"))
    assert "该整改事项由土地储备科负责，您的科室只能查看本科室负责的整改事项。" in page
    assert "这不是您科室的项目" not in page


def test_the_leader_is_told_that_it_only_reads_rectification_items(world: World) -> None:
    item = m.Rectification.objects.create(
        fiscal_year=world.fiscal_year, position=1, source=RectificationSource.review, issue="问题"
    )
    page = _forbidden(world.client("leader").post(f"{BASE}/rectification/{item.pk}/", {}))
    assert "单位领导只能查看整改事项，整改进度由责任科室或财务科更新。" in page


# The status


def test_a_second_submit_is_told_that_it_waits_for_review(world: World) -> None:
    _act(world, "office", GOAL, "submit")
    assert (
        _act(world, "office", GOAL, "submit") == "绩效目标申报已提交，正在等待审核，不能再次提交。"
    )


def test_approving_a_draft_is_told_to_wait_for_the_submission(world: World) -> None:
    message = _act(world, "finance", GOAL, "approve")
    assert message == "绩效目标申报当前为“草稿”，尚未提交，提交后才能审核。"


# Plain confirmations


def test_confirmations_say_plainly_what_happened(world: World) -> None:
    assert _act(world, "office", GOAL, "submit") == "绩效目标申报已提交。"
    assert _act(world, "finance", GOAL, "return", "请补充。") == "绩效目标申报已退回。"
    assert _act(world, "office", GOAL, "submit") == "绩效目标申报已提交。"
    assert _act(world, "finance", GOAL, "approve") == "绩效目标申报已审核通过。"
    goal = m.PerformanceGoal.objects.get(project=world.project("P001"))
    assert goal.declaration_status == WorkflowStatus.approved
    assert "成功" not in _act(world, "finance", GOAL, "comment", "已阅。")


# 整改 items from findings


def _demo_year() -> m.FiscalYear:
    text = (Path(jixiao.demo.__file__).parent / "liwan-2023.yaml").read_text(encoding="utf-8")
    return store_text(text)


def test_rectification_items_keep_the_kind_of_their_finding_and_skip_rounding_gaps() -> None:
    fiscal_year = _demo_year()
    monitor_stored_year(fiscal_year.department.code, 2023, date(2023, 10, 31), snapshot=True)
    items = service.findings_to_rectify(fiscal_year)
    kinds = {source for source, _ in items}
    assert RectificationSource.monitoring in kinds
    assert RectificationSource.audit not in kinds  # 审计发现 is entered by hand
    assert not [text for _, text in items if "尾差" in text]
    monitoring = [text for source, text in items if source == RectificationSource.monitoring]
    assert all(text.startswith("运行监控（截至2023年10月31日）：") for text in monitoring)
    created = service.items_from_findings(fiscal_year)
    assert {item.source for item in created} == kinds
    assert service.items_from_findings(fiscal_year) == []  # not twice


def test_the_rectification_page_shows_the_kinds_in_words(world: World) -> None:
    m.Rectification.objects.create(
        fiscal_year=world.fiscal_year, position=1, source=RectificationSource.evaluation,
        issue="满意度调查方式未说明",
    )  # fmt: skip
    page = world.client("finance").get(f"{BASE}/rectification/")
    [item] = page.context["items"]
    assert item.source_label == "评价发现"
    assert "评价发现" in page.content.decode()


# The department form


def test_the_department_form_says_how_its_weights_were_converted(world: World) -> None:
    page = world.client("finance").get(f"{BASE}/evaluation/department/")
    live = page.context["live"]
    assert live.conversions, "the small year's department goal weighs 20, its framework more"
    html = page.content.decode()
    assert "分值按评价框架折算" in html and live.conversions[0] in html
    row = next(r for r in live.rows if r is not None)
    assert row.weight is not None
    assert "申报 20" in html


def test_finance_is_not_offered_to_set_a_goal_it_cannot_edit(world: World) -> None:
    listing = world.client("finance").get(f"{BASE}/goals/")
    [row] = [r for r in listing.context["rows"] if r["project"].code == "P002"]
    assert row["goal"] is None and not row["editable"]
    html = listing.content.decode()
    assert "设定绩效目标" not in html and "尚未设定（由项目所属科室设定）" in html
    admin = world.client("admin").get(f"{BASE}/goals/").content.decode()
    assert "设定绩效目标" in admin
