"""报告文字 in the web: 财务科 writes and takes drafts, an office writes its project's
paragraph, 单位领导 approves, and the report prints the approved text with live figures."""

from __future__ import annotations

import pytest
from django.test import Client
from docx import Document

from jixiao.services.reporting import write_report
from jixiao.storage import models as m
from tests.web.conftest import World

pytestmark = pytest.mark.django_db


def _url(world: World, tail: str = "") -> str:
    fy = world.fiscal_year
    return f"/d/{fy.department.code}/{fy.year}/report-text/{tail}"


def _post(client: Client, world: World, **data: str) -> None:
    response = client.post(_url(world), data)
    assert response.status_code == 302, response.content[:500]


def _section(world: World, key: str) -> m.ReportSection:
    return m.ReportSection.objects.get(fiscal_year=world.fiscal_year, key=key)


def test_every_role_of_the_department_reads_the_page_and_an_outsider_does_not(
    world: World,
) -> None:
    for persona in ("finance", "leader", "office", "admin"):
        assert world.client(persona).get(_url(world)).status_code == 200, persona
    assert world.client("outsider").get(_url(world)).status_code == 404


def test_an_office_sees_and_writes_only_its_own_projects_paragraphs(world: World) -> None:
    office = world.client("office")
    page = office.get(_url(world)).content.decode()
    assert "国土空间规划编制" in page and "部门整体支出绩效目标" not in page
    _post(office, world, action="save", key="project:P001", text="规划编制按期完成。", version="0")
    assert _section(world, "project:P001").text == "规划编制按期完成。"
    response = office.post(_url(world), {"action": "save", "key": "conclusion", "text": "x"})
    assert response.status_code == 403


def test_a_figure_typed_by_hand_is_a_finding_while_typing(world: World) -> None:
    response = world.client("finance").post(_url(world, "check/"), {"text": "执行率为12.34%。"})
    [message] = response.json()["findings"]
    assert "12.34" in message and "{{执行率}}" in message


def test_drafts_from_the_data_review_and_the_generated_report(world: World, tmp_path) -> None:
    finance, office, leader = (world.client(p) for p in ("finance", "office", "leader"))
    _post(finance, world, action="accept", key="key_task_analysis", version="0")
    draft = _section(world, "key_task_analysis").text
    assert "国土空间规划编制" in draft and "{{国土空间规划编制·执行率}}" in draft
    _post(
        finance, world, action="save", key="conclusion", text="预算执行率{{执行率}}。", version="0"
    )
    _post(
        office,
        world,
        action="save",
        key="project:P001",
        text="规划执行率{{国土空间规划编制·执行率}}。",
    )
    for key, writer in (
        ("key_task_analysis", finance),
        ("conclusion", finance),
        ("project:P001", office),
    ):
        _post(writer, world, action="submit", key=key)
        _post(leader, world, action="approve", key=key)
        assert _section(world, key).status == m.WorkflowStatus.approved
    fy = world.fiscal_year
    fy.refresh_from_db()
    assert fy.conclusion == "预算执行率{{执行率}}。"
    report = write_report(fy.department.code, fy.year, tmp_path)
    text = report.markdown.read_text(encoding="utf-8")
    assert "预算执行率" in text and "{{" not in text
    assert "规划执行率" in text


def test_only_the_leader_approves_and_a_return_needs_a_comment(world: World) -> None:
    finance, leader = world.client("finance"), world.client("leader")
    _post(finance, world, action="save", key="conclusion", text="结论。", version="0")
    _post(finance, world, action="submit", key="conclusion")
    assert finance.post(_url(world), {"action": "approve", "key": "conclusion"}).status_code == 403
    _post(leader, world, action="return", key="conclusion", comment="")
    assert _section(world, "conclusion").status == m.WorkflowStatus.submitted
    _post(leader, world, action="return", key="conclusion", comment="请补充得分。")
    assert _section(world, "conclusion").status == m.WorkflowStatus.returned


def test_a_year_names_its_outline_and_the_guangdong_one_adds_two_sections(
    world: World, tmp_path
) -> None:
    finance = world.client("finance")
    _post(finance, world, action="outline", outline="guangdong")
    page = finance.get(_url(world)).content.decode()
    assert "绩效自评工作情况" in page and "结果应用" in page
    fy = world.fiscal_year
    report = write_report(fy.department.code, fy.year, tmp_path)
    headings = [
        line
        for line in report.markdown.read_text(encoding="utf-8").splitlines()
        if line.startswith("## ")
    ]
    assert headings[:6] == [
        "## 一、部门基本情况",
        "## 二、绩效自评工作情况",
        "## 三、综合评价分析",
        "## 四、存在的主要问题",
        "## 五、下一步改进措施",
        "## 六、结果应用",
    ]
    assert any("结果应用" in f.message for f in report.findings)
    printed = [p.text for p in Document(str(report.docx)).paragraphs]
    assert printed.index("二、绩效自评工作情况") < printed.index("三、综合评价分析")
    assert printed.index("五、下一步改进措施") < printed.index("六、结果应用")


def test_finance_gives_a_key_task_to_an_office_whose_paragraph_joins_the_analysis(
    world: World, tmp_path
) -> None:
    finance, office, leader = (world.client(p) for p in ("finance", "office", "leader"))
    ghk = m.Office.objects.get(department=world.fiscal_year.department, code="ghk")
    assert office.post(_url(world), {"action": "office", "key": "key_task:1"}).status_code == 403
    _post(finance, world, action="office", key="key_task:1", office=str(ghk.pk))
    assert "推进规划编制" in office.get(_url(world)).content.decode()
    _post(office, world, action="save", key="key_task:1", text="规划编制任务按期完成。")
    _post(office, world, action="save", key="project:P001", text="项目段落。")
    for key in ("key_task:1", "project:P001"):
        _post(office, world, action="submit", key=key)
        _post(leader, world, action="approve", key=key)
    fy = world.fiscal_year
    text = write_report(fy.department.code, fy.year, tmp_path).markdown.read_text(encoding="utf-8")
    assert (
        text.index("规划编制任务按期完成。") < text.index("项目段落。") < text.index("主要工作成效")
    )
