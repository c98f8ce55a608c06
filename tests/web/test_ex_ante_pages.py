"""事前绩效评估 pages per role: the office fills its own new project's sheet and submits
it, 财务科 and 财政局 review it, others read it or get 403/404; the goal of a project
that needs an assessment is not approved into the budget without a passed one."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from docx import Document

from jixiao.services import ex_ante as service
from jixiao.storage import models as m
from tests.web.conftest import FIRST, YEAR, World

pytestmark = pytest.mark.django_db

BASE = f"/d/{FIRST}/{YEAR}/ex-ante"


@pytest.fixture
def new_p001(world: World) -> World:
    """A stored previous year without P001: P001 (规划科's) is a new project."""
    previous = m.FiscalYear.objects.create(department=world.fiscal_year.department, year=YEAR - 1)
    budget = service.requested_budget(world.project("P002"))
    m.Project.objects.create(
        fiscal_year=previous, code="P002", name="上年项目", initial_budget=budget
    )
    return world


def _sheet_data(world: World, share: str) -> dict[str, str]:
    sheet = service.sheet_of(world.fiscal_year)
    data = {f"score-{i.code}": str(i.weight * Decimal(share)) for i in sheet.items}
    data.update({f"comment-{i.code}": f"{i.name}：依据充分" for i in sheet.items})
    data.update(assessor="规划科 李四", assessed_on="2023-10-20", opinion="同意立项。")
    return data


def _fill(client: Client, world: World, share: str = "0.9") -> None:
    response = client.post(f"{BASE}/P001/", _sheet_data(world, share))
    assert response.status_code == 302


def _act(client: Client, action: str, comment: str = "") -> None:
    response = client.post(f"{BASE}/P001/transition/", {"action": action, "comment": comment})
    assert response.status_code == 302


def test_the_list_names_the_new_project_and_why(new_p001: World) -> None:
    page = new_p001.client("finance").get(f"{BASE}/").content.decode()
    assert "P001" in page and "为新增项目，须开展事前绩效评估" in page
    assert "P002" not in page.split('id="ex-ante-projects"')[1]
    office = new_p001.client("office").get(f"{BASE}/").content.decode()
    assert "P001" in office


def test_the_list_says_when_last_year_is_missing(world: World) -> None:
    page = world.client("finance").get(f"{BASE}/").content.decode()
    assert 'id="no-previous-year"' in page


def test_the_office_fills_and_submits_and_finance_approves(new_p001: World) -> None:
    office = new_p001.client("office")
    _fill(office, new_p001)
    assessment = m.ExAnteAssessment.objects.get()
    assert assessment.conclusion == "予以支持" and assessment.total == Decimal(90)
    page = office.get(f"{BASE}/P001/").content.decode()
    assert "评估得分90分，评估结论：予以支持。" in page
    assert 'id="action-submit"' in page
    _act(office, "submit")
    assert 'name="score-' not in office.get(f"{BASE}/P001/").content.decode()  # locked
    finance = new_p001.client("finance")
    assert 'id="action-approve"' in finance.get(f"{BASE}/P001/").content.decode()
    _act(finance, "approve")
    assessment.refresh_from_db()
    assert assessment.status == "approved"
    assert service.budget_gate(new_p001.project("P001")).allowed


def test_the_bureau_returns_with_a_comment(new_p001: World) -> None:
    office = new_p001.client("office")
    _fill(office, new_p001)
    _act(office, "submit")
    bureau = new_p001.client("bureau")
    _act(bureau, "return")  # without a comment: refused
    assert m.ExAnteAssessment.objects.get().status == "submitted"
    _act(bureau, "return", "请补充成本测算")
    assert m.ExAnteAssessment.objects.get().status == "returned"
    assert "请补充成本测算" in office.get(f"{BASE}/P001/").content.decode()


@pytest.mark.parametrize("persona", ["finance", "leader", "bureau"])
def test_only_the_projects_office_fills_the_sheet(new_p001: World, persona: str) -> None:
    client = new_p001.client(persona)
    assert client.get(f"{BASE}/P001/").status_code == 200
    _fill(client, new_p001)
    assert not m.ExAnteAssessment.objects.exists()


def test_the_office_cannot_approve_and_leader_cannot_review(new_p001: World) -> None:
    office = new_p001.client("office")
    _fill(office, new_p001)
    _act(office, "submit")
    _act(office, "approve")
    _act(new_p001.client("leader"), "approve")
    assert m.ExAnteAssessment.objects.get().status == "submitted"


def test_other_offices_and_outsiders_are_refused(new_p001: World) -> None:
    assert new_p001.client("office").get(f"{BASE}/P002/").status_code == 403
    assert new_p001.client("outsider").get(f"{BASE}/P001/").status_code == 404
    assert new_p001.client("outsider").get(f"{BASE}/").status_code == 404


def test_a_bad_score_is_refused_in_chinese(new_p001: World) -> None:
    office = new_p001.client("office")
    data = _sheet_data(new_p001, "0.9")
    first = service.sheet_of(new_p001.fiscal_year).items[0]
    data[f"score-{first.code}"] = "九十"
    response = office.post(f"{BASE}/P001/", data, follow=True)
    assert f"评分项“{first.code} {first.name}”的得分“九十”不是数字" in response.content.decode()
    assert not m.ExAnteAssessment.objects.exists()


def test_the_downloads_read_back(new_p001: World) -> None:
    office = new_p001.client("office")
    _fill(office, new_p001, "0.7")
    response = office.get(f"{BASE}/P001/report.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    texts = [p.text for p in document.paragraphs]
    assert "评估得分70分，评估结论：调整完善后予以支持。" in texts
    response = new_p001.client("bureau").get(f"{BASE}/P001/sheet.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    values = [c for row in workbook.active.iter_rows(values_only=True) for c in row]  # type: ignore[union-attr]
    assert "评估得分70分，评估结论：调整完善后予以支持。" in values


GOAL = f"/d/{FIRST}/{YEAR}/projects/P001/goal/transition/"


def _goal_act(client: Client, action: str) -> str:
    response = client.post(GOAL, {"action": action, "comment": ""})
    assert response.status_code == 302
    return " ".join(str(message) for message in response.wsgi_request._messages)  # type: ignore[attr-defined]


def test_the_goal_is_not_approved_into_the_budget_without_a_passed_assessment(
    new_p001: World,
) -> None:
    office, finance = new_p001.client("office"), new_p001.client("finance")
    _goal_act(office, "submit")
    refused = _goal_act(finance, "approve")
    goal = m.PerformanceGoal.objects.get(project=new_p001.project("P001"))
    assert goal.declaration_status == "submitted"
    assert "为新增项目，须开展事前绩效评估，尚无事前绩效评估结果，不能纳入预算" in refused
    assert new_p001.project("P001").name in refused
    _fill(office, new_p001)
    _act(office, "submit")
    refused = _goal_act(finance, "approve")
    assert "尚未审核通过（当前为“已提交”）" in refused
    _act(new_p001.client("bureau"), "approve")
    _goal_act(finance, "approve")
    goal.refresh_from_db()
    assert goal.declaration_status == "approved"


def test_the_changes_are_in_the_audit_log(new_p001: World) -> None:
    _fill(new_p001.client("office"), new_p001)
    assessment = m.ExAnteAssessment.objects.get()
    finance = new_p001.client("finance")
    page = finance.get(f"/d/{FIRST}/{YEAR}/audit/").content.decode()
    assert "事前绩效评估" in page and "予以支持" in page
    history = finance.get(f"/d/{FIRST}/{YEAR}/audit/ex_ante/{assessment.pk}/")
    assert history.status_code == 200
    assert new_p001.client("office").get(f"/d/{FIRST}/{YEAR}/audit/").status_code == 200
    other = new_p001.client("outsider").get(f"/d/{FIRST}/{YEAR}/audit/ex_ante/{assessment.pk}/")
    assert other.status_code == 404


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_runs_as_many_queries_for_many_projects_as_for_few(new_p001: World) -> None:
    finance = new_p001.client("finance")
    _fill(new_p001.client("office"), new_p001)
    few = _count(finance, f"{BASE}/")
    for n in range(20):
        project = m.Project.objects.create(
            fiscal_year=new_p001.fiscal_year, code=f"N{n:02d}", name=f"新增项目{n}"
        )
        m.ExAnteAssessment.objects.create(project=project, sheet="ex-ante-mof-guangdong")
    many = _count(finance, f"{BASE}/")
    assert few == many
    assert "新增项目19" in finance.get(f"{BASE}/").content.decode()
