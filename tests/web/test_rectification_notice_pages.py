"""整改通知 pages per role: the bureau issues a notice to a department (optionally on a
project), the department (财务科, or the project's office) answers with feedback and
evidence files, the bureau returns it with a reason or approves it; counts and overdue
across departments, the workbook, 待办 on both sides, the project page and the audit page.

The first department (``world``): 规划科 (the ``office`` persona) runs P001.
"""

from __future__ import annotations

import html
import io
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from jixiao.services import spot_checks
from jixiao.storage import models as m
from tests.cycle.test_result_application_storage import slow_spending
from tests.web.conftest import FIRST, OTHER, YEAR, World

pytestmark = pytest.mark.django_db

BUREAU_PAGE = f"/bureau/{YEAR}/notices/"
BASE = f"/d/{FIRST}/{YEAR}"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_MAX_BYTES = 1000
    return Path(settings.MEDIA_ROOT)


def _messages(response: Any) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def _issue(world: World, department: str = FIRST, **fields: str) -> m.RectificationNotice:
    data = {"department": department, "origin": "other", "issue": "项目支出进度缓慢", **fields}
    response = world.client("bureau").post(BUREAU_PAGE, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return m.RectificationNotice.objects.latest("id")


def _url(notice: m.RectificationNotice, tail: str = "") -> str:
    fiscal_year = notice.fiscal_year
    return f"/d/{fiscal_year.department.code}/{fiscal_year.year}/notices/{notice.pk}/{tail}"


def test_only_the_bureau_and_an_admin_issue_notices(world: World) -> None:
    for persona in ("finance", "office", "leader", "outsider"):
        assert world.client(persona).get(BUREAU_PAGE).status_code == 403, persona
    assert world.client("admin").get(BUREAU_PAGE).status_code == 200
    notice = _issue(world, project="P001", requirement="一个月内加快支付")
    assert notice.project is not None and notice.project.code == "P001"
    assert notice.deadline == timezone.localdate() + timedelta(days=30)
    assert notice.issued_by_name == "bureau"


def test_an_unknown_project_is_refused_in_chinese(world: World) -> None:
    response = world.client("bureau").post(
        BUREAU_PAGE, {"department": FIRST, "origin": "other", "issue": "甲", "project": "P999"}
    )
    assert response.status_code == 400
    assert "没有项目“P999”" in response.content.decode()
    assert not m.RectificationNotice.objects.exists()


def test_who_sees_a_notice(world: World) -> None:
    project_notice = _issue(world, project="P001")
    whole = _issue(world, issue="部门整体绩效目标不完整")
    for persona in ("finance", "leader", "bureau", "office"):
        assert world.client(persona).get(_url(project_notice)).status_code == 200, persona
    assert world.client("office").get(_url(whole)).status_code == 403
    assert world.client("outsider").get(_url(whole)).status_code == 404
    listed = world.client("office").get(f"{BASE}/notices/").content.decode()
    assert "项目支出进度缓慢" in listed and "部门整体绩效目标不完整" not in listed


def test_the_loop_with_a_file_a_return_and_an_approval(world: World, media: Path) -> None:
    notice = _issue(world, project="P001")
    office, bureau = world.client("office"), world.client("bureau")
    assert (
        world.client("leader").post(_url(notice, "answer/"), {"feedback": "x"}).status_code == 403
    )
    assert bureau.post(_url(notice, "answer/"), {"feedback": "x"}).status_code == 403
    upload = SimpleUploadedFile("支付凭证.pdf", b"%PDF-1.4 paid", "application/pdf")
    response = office.post(_url(notice, "answer/"), {"feedback": "已支付", "files": upload})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == "answered"
    evidence = m.NoticeEvidence.objects.get()
    download = bureau.get(_url(notice, f"evidence/{evidence.pk}/"))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 paid"  # type: ignore[attr-defined]
    assert office.post(_url(notice, "review/"), {"decision": "approve"}).status_code == 403

    response = bureau.post(
        _url(notice, "review/"), {"decision": "return", "reason": ""}, follow=True
    )
    assert "退回重改须填写理由" in _messages(response)
    new_deadline = (timezone.localdate() + timedelta(days=5)).isoformat()
    bureau.post(
        _url(notice, "review/"),
        {"decision": "return", "reason": "凭证不全", "deadline": new_deadline},
    )
    notice.refresh_from_db()
    assert notice.status == "returned" and notice.deadline.isoformat() == new_deadline
    page = office.get(_url(notice)).content.decode()
    assert "凭证不全" in page and 'id="answer-form"' in page

    world.client("finance").post(_url(notice, "answer/"), {"feedback": "补齐凭证"})
    bureau.post(_url(notice, "review/"), {"decision": "approve", "reason": "整改到位"})
    notice.refresh_from_db()
    assert notice.status == "approved"
    assert [s.action for s in notice.steps.all()] == [
        "issue", "answer", "send_back", "answer", "approve",
    ]  # fmt: skip
    page = bureau.get(_url(notice)).content.decode()
    assert 'id="review-form"' not in page and 'id="answer-form"' not in page


def test_the_bureau_overview_counts_and_flags_overdue_and_exports(world: World) -> None:
    late = _issue(world, project="P001")
    m.RectificationNotice.objects.filter(pk=late.pk).update(
        deadline=timezone.localdate() - timedelta(days=3)
    )
    _issue(world, department=OTHER, issue="另一局的问题")
    page = world.client("bureau").get(BUREAU_PAGE).content.decode()
    counts = page.split('id="notice-counts"')[1].split("</p>")[0]
    assert "待反馈 2" in counts and "部门逾期 1" in counts
    assert "部门逾期 3 天" in page and "另一区另一局" in page
    response = world.client("bureau").get(f"{BUREAU_PAGE}export/")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    rows = [dict(zip(values[1], row, strict=True)) for row in values[2:]]
    assert [r["部门"] for r in rows] == ["另一区另一局", "测试区测试局"]
    assert rows[1]["项目"].startswith("P001") and rows[1]["状态"] == "待反馈"
    assert rows[1]["逾期或即将到期"].startswith("部门逾期 3 天")


def _todo_tasks(client: Client) -> list[str]:
    response = client.get(f"{BASE}/todo/")
    return [entry["row"].wait.task for entry in response.context["rows"]]


def test_todo_on_both_sides(world: World) -> None:
    notice = _issue(world, project="P001")
    assert "按整改通知整改，并反馈整改情况和佐证材料" in _todo_tasks(world.client("office"))
    assert "督促按整改通知整改并反馈" in _todo_tasks(world.client("finance"))
    assert not any("整改反馈" in t for t in _todo_tasks(world.client("bureau")))
    world.client("office").post(_url(notice, "answer/"), {"feedback": "已整改"})
    assert "审核部门的整改反馈（通过或退回重改）" in _todo_tasks(world.client("bureau"))
    assert not any("整改通知" in t for t in _todo_tasks(world.client("office")))


def test_the_project_page_and_the_audit_page_show_the_notice(world: World) -> None:
    notice = _issue(world, project="P001")
    project_page = world.client("office").get(f"{BASE}/projects/P001/").content.decode()
    assert 'id="project-notices"' in project_page and "项目支出进度缓慢" in project_page
    other = world.client("finance").get(f"{BASE}/projects/P002/").content.decode()
    assert 'id="project-notices"' not in other
    audit = world.client("finance").get(f"{BASE}/audit/").content.decode()
    assert "整改通知" in audit and "项目支出进度缓慢" in audit
    history = world.client("finance").get(f"{BASE}/audit/notice/{notice.pk}/")
    assert history.status_code == 200


def test_the_bureau_sees_what_may_become_a_notice(world: World) -> None:
    page = world.client("bureau").get(f"{BASE}/notices/").content.decode()
    assert 'id="notice-sources"' in page
    assert (
        'id="notice-sources"'
        not in world.client("finance").get(f"{BASE}/notices/").content.decode()
    )
    prefilled = world.client("bureau").get(
        BUREAU_PAGE, {"department": FIRST, "origin": "result", "issue": "P001 执行率低"}
    )
    assert "P001 执行率低" in prefilled.content.decode()


def test_a_notice_past_deadline_shows_overdue_to_the_department(world: World) -> None:
    notice = _issue(world)
    m.RectificationNotice.objects.filter(pk=notice.pk).update(deadline=date(2020, 1, 1))
    page = world.client("finance").get(_url(notice)).content.decode()
    assert 'id="notice-standing"' in page and "部门逾期" in page


def _link(page: str, marker: str) -> str:
    found = re.search(rf'href="([^"]+)"[^>]*{marker}', page)
    assert found is not None, marker
    return html.unescape(found.group(1))


def test_a_result_proposal_and_a_scored_spot_check_link_to_a_filled_in_notice(
    world: World,
) -> None:
    bureau = world.client("bureau")
    for fiscal_year in m.FiscalYear.objects.all():
        slow_spending(fiscal_year)
    results = bureau.get(f"/bureau/{YEAR}/results/").content.decode()
    form = bureau.get(_link(results, 'class="issue-notice-link"')).content.decode()
    assert "结果应用建议“压减”" in form and "全年预算执行率低于60%" in form
    assert 'value="result" selected' in form
    finance_view = world.client("finance").get(f"{BASE}/results/").content.decode()
    assert "issue-notice-link" not in finance_view

    goal = m.PerformanceGoal.objects.get(fiscal_year=world.fiscal_year, project__code="P001")
    m.PerformanceGoal.objects.filter(pk=goal.pk).update(evaluation_status="submitted")
    [check] = spot_checks.draw_at_random(YEAR, 1, 1, "财政局")
    page = f"/bureau/{YEAR}/spot-checks/{check.pk}/"
    assert 'id="issue-notice-link"' not in bureau.get(page).content.decode()  # nothing scored
    spot_checks.record_scores(check, {"decision-goal": "1"}, {}, "财政局")
    form = bureau.get(_link(bureau.get(page).content.decode(), 'id="issue-notice-link"'))
    text = form.content.decode()
    assert "财政评价得分1.00分" in text and 'value="spot_check" selected' in text
    data = {**form.context["form"].initial, "department": FIRST}
    response = bureau.post(BUREAU_PAGE, data)
    assert response.status_code == 302
    notice = m.RectificationNotice.objects.get()
    assert notice.spot_check == check and notice.project is not None
    assert notice.origin == "spot_check"


def test_a_department_exports_the_notices_it_sees(world: World) -> None:
    _issue(world, project="P001")
    _issue(world, issue="部门整体绩效目标不完整")
    for persona, count in (("finance", 2), ("office", 1)):
        response = world.client(persona).get(f"{BASE}/notices/export/")
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        assert values[1][:3] == ["部门", "序号", "来源"]
        assert len(values) - 2 == count, persona
    assert world.client("outsider").get(f"{BASE}/notices/export/").status_code == 404


def test_the_notice_pages_in_english(world: World) -> None:
    notice = _issue(world, project="P001")
    client = world.client("finance")
    client.cookies["django_language"] = "en"
    page = client.get(_url(notice), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Rectification notice No. 1" in page and "Report the rectification" in page
