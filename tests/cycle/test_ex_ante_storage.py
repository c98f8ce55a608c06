"""事前绩效评估 stored: which projects need one, saving with the computed conclusion, the
review, the audit history, the budget gate and the two documents read back."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import User
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from jixiao.core.ex_ante import AssessmentSheet, ItemScore
from jixiao.documents.ex_ante_report import (
    SHEET_TITLE,
    ExAnteReport,
    ex_ante_docx,
    ex_ante_workbook,
)
from jixiao.services import ex_ante as service
from jixiao.storage import models as m
from jixiao.storage.models import WorkflowAction, WorkflowStatus
from tests.web.conftest import first_department_text, store_text

pytestmark = pytest.mark.django_db


def _rights(name: str, role: str, *, edit: bool, review: bool) -> service.Rights:
    user = User.objects.create_user(name)
    return service.Rights(user.pk, name, role, edit=edit, review=review)


@pytest.fixture
def year(small_year_text: str) -> m.FiscalYear:
    fiscal_year = store_text(first_department_text(small_year_text))
    previous = m.FiscalYear.objects.create(department=fiscal_year.department, year=2023)
    # P001 continues with the same funds; P002 is new in 2024
    budget = service.requested_budget(m.Project.objects.get(fiscal_year=fiscal_year, code="P001"))
    m.Project.objects.create(
        fiscal_year=previous, code="P001", name="上年项目", initial_budget=budget
    )
    return fiscal_year


@pytest.fixture
def people(year: m.FiscalYear) -> tuple[service.Rights, service.Rights]:
    office = _rights("ghk", "业务科室", edit=True, review=False)
    return office, _rights("cwk", "财务科", edit=False, review=True)


def _project(year: m.FiscalYear, code: str) -> m.Project:
    project = m.Project.objects.get(fiscal_year=year, code=code)
    project.fiscal_year = year
    return project


def _filled(sheet: AssessmentSheet, share: str, skip: str = "") -> service.Filled:
    scores = {
        item.code: ItemScore(item.code, item.weight * Decimal(share), comment=f"{item.name}的说明")
        for item in sheet.items
        if item.code != skip
    }
    return service.Filled(scores, assessor="张三", opinion="建议压缩培训支出。")


def test_a_new_project_needs_an_assessment_and_a_continuing_one_does_not(
    year: m.FiscalYear,
) -> None:
    projects = list(m.Project.objects.filter(fiscal_year=year))
    needs = service.needs_of_year(year, projects)
    assert [need.project.code for need in needs] == ["P002"]
    assert "新增项目" in needs[0].reason
    assert needs[0].status_label == "未填写"


def test_without_last_year_stored_nothing_is_said_to_need_one(small_year_text: str) -> None:
    fiscal_year = store_text(first_department_text(small_year_text))
    assert service.needs_of_year(fiscal_year, list(fiscal_year.projects.all())) == []
    assert service.budget_gate(_project(fiscal_year, "P002")).allowed


def test_the_conclusion_is_computed_and_history_kept(year: m.FiscalYear) -> None:
    project = _project(year, "P002")
    sheet = service.sheet_of(year)
    saved = service.save_assessment(project, _filled(sheet, "0.95", skip=sheet.items[0].code))
    assert saved.conclusion == ""  # an item left empty: no conclusion yet
    saved = service.save_assessment(project, _filled(sheet, "0.95"), version=saved.version)
    assert saved.total == Decimal(95)
    assert saved.conclusion == "予以支持"
    assert saved.scores.count() == len(sheet.items)
    assert {s.band for s in saved.scores.all()} == {"优"}
    assert saved.history.count() == 2
    assert m.ExAnteScore.history.filter(assessment_id=saved.pk).exists()


def test_a_score_out_of_its_range_is_refused_with_nothing_saved(year: m.FiscalYear) -> None:
    project = _project(year, "P002")
    sheet = service.sheet_of(year)
    item = sheet.items[0]
    filled = _filled(sheet, "0.9")
    scores = dict(filled.scores)
    scores[item.code] = ItemScore(item.code, item.weight + 1)
    with pytest.raises(service.ExAnteError, match=f"评分项“{item.code} {item.name}”"):
        service.save_assessment(project, service.Filled(scores))
    assert not m.ExAnteAssessment.objects.exists()


def test_review_submit_approve_return(
    year: m.FiscalYear, people: tuple[service.Rights, service.Rights]
) -> None:
    office, finance = people
    project = _project(year, "P002")
    sheet = service.sheet_of(year)
    service.save_assessment(project, _filled(sheet, "0.5", skip=sheet.items[0].code))
    with pytest.raises(service.ExAnteError, match="评分未完成"):
        service.transition(project, WorkflowAction.submit, office)
    service.save_assessment(project, _filled(sheet, "0.9"))
    with pytest.raises(service.ExAnteError, match="业务科室不能审核"):
        service.transition(project, WorkflowAction.approve, office)
    service.transition(project, WorkflowAction.submit, office)
    with pytest.raises(service.ExAnteError, match="内容已锁定"):
        service.save_assessment(project, _filled(sheet, "0.8"))
    with pytest.raises(service.ExAnteError, match="须填写意见"):
        service.transition(project, WorkflowAction.send_back, finance)
    service.transition(project, WorkflowAction.send_back, finance, "请补充测算依据")
    assert service.assessment_of(project).status == WorkflowStatus.returned  # type: ignore[union-attr]
    service.transition(project, WorkflowAction.submit, office)
    step = service.transition(project, WorkflowAction.approve, finance)
    assert step.to_status == WorkflowStatus.approved
    assert [t.action for t in service.history(service.assessment_of(project))] == [
        "approve", "submit", "return", "submit",
    ]  # fmt: skip


def test_nobody_approves_what_they_submitted(year: m.FiscalYear) -> None:
    project = _project(year, "P002")
    both = _rights("admin", "系统管理员", edit=True, review=True)
    service.save_assessment(project, _filled(service.sheet_of(year), "0.9"))
    service.transition(project, WorkflowAction.submit, both)
    with pytest.raises(service.ExAnteError, match="不能审核自己提交"):
        service.transition(project, WorkflowAction.approve, both)


def test_the_budget_gate(year: m.FiscalYear, people: tuple[service.Rights, service.Rights]) -> None:
    office, finance = people
    project = _project(year, "P002")
    sheet = service.sheet_of(year)
    gate = service.budget_gate(project)
    assert not gate.allowed
    assert "新增项目" in gate.reason and "尚无事前绩效评估结果" in gate.reason
    service.save_assessment(project, _filled(sheet, "0.9"))
    service.transition(project, WorkflowAction.submit, office)
    gate = service.budget_gate(project)
    assert not gate.allowed and "尚未审核通过（当前为“已提交”）" in gate.reason
    service.transition(project, WorkflowAction.approve, finance)
    assert service.budget_gate(project).allowed
    assert service.budget_gate(_project(year, "P001")).allowed  # continuing, same funds


def test_a_failed_assessment_keeps_the_project_out(
    year: m.FiscalYear, people: tuple[service.Rights, service.Rights]
) -> None:
    office, finance = people
    project = _project(year, "P002")
    service.save_assessment(project, _filled(service.sheet_of(year), "0.3"))
    service.transition(project, WorkflowAction.submit, office)
    service.transition(project, WorkflowAction.approve, finance)
    gate = service.budget_gate(project)
    assert not gate.allowed
    assert "不予支持" in gate.reason and project.name in gate.reason


def test_a_sheet_without_the_gate_lets_the_project_in(
    year: m.FiscalYear, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_sheet = replace(service.sheet_of(year), gate_required=False)
    monkeypatch.setattr(service, "sheet_of", lambda fiscal_year: open_sheet)
    gate = service.budget_gate(_project(year, "P002"))
    assert gate.allowed and "不以评估结论作为入预算条件" in gate.reason


def _report(year: m.FiscalYear) -> ExAnteReport:
    project = _project(year, "P002")
    sheet = service.sheet_of(year)
    saved = service.save_assessment(project, _filled(sheet, "0.75"))
    proposed = service.proposed_project(project)
    assert proposed is not None
    return ExAnteReport(
        department_name=year.department.name,
        fiscal_year=year.year,
        project_code=project.code,
        project_name=project.name,
        requested_budget=proposed.requested_budget,
        last_year_budget=proposed.last_year_budget,
        reason=service.reason_for(project) or "",
        result=service.result_of(saved),
        comments={s.item_code: s.comment for s in saved.scores.all()},
        assessor=saved.assessor,
        opinion=saved.opinion,
    )


def test_the_report_reads_back(year: m.FiscalYear) -> None:
    report = _report(year)
    document = Document(io.BytesIO(ex_ante_docx(report)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0].replace("\n", "") == report.title
    assert document.paragraphs[0].style.name == "公文标题"
    assert "四、评估结论" in texts
    assert "评估得分75分，评估结论：调整完善后予以支持。" in texts
    assert "建议压缩培训支出。" in texts
    table = document.tables[0]
    assert [c.text for c in table.rows[-1].cells] == ["合计", "100", "75"]
    assert len(table.rows) == len(report.result.dimensions) + 2
    assert document.core_properties.author == year.department.name


def test_the_report_cites_the_documents_without_the_rule_files_evidence_notes(
    year: m.FiscalYear,
) -> None:
    report = _report(year)
    texts = [p.text for p in Document(io.BytesIO(ex_ante_docx(report))).paragraphs]
    basis = next(text for text in texts if text.startswith("按照"))
    assert basis.startswith(
        "按照中发〔2018〕34号《关于全面实施预算绩效管理的意见》、财预〔2018〕167号，"
    )
    for note in ("凭记忆", "未核实", "（D", "（L", "常见做法", "各地事前"):
        assert note not in basis


def test_the_report_closes_with_the_department_and_the_date_in_chinese(
    year: m.FiscalYear,
) -> None:
    report = replace(_report(year), assessed_on=date(2024, 1, 10))
    document = Document(io.BytesIO(ex_ante_docx(report)))
    closing = [p for p in document.paragraphs if p.text.strip()][-2:]
    assert [p.text for p in closing] == [year.department.name, "2024年1月10日"]
    assert all(p.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in closing)
    assert document.tables[0].rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


def test_an_item_not_yet_scored_reads_as_such(year: m.FiscalYear) -> None:
    report = _report(year)
    sheet = service.sheet_of(year)
    project = _project(year, "P002")
    saved = service.save_assessment(project, _filled(sheet, "0.5", skip=sheet.items[0].code))
    report = replace(report, result=service.result_of(saved))
    texts = [p.text for p in Document(io.BytesIO(ex_ante_docx(report))).paragraphs]
    assert any(text.startswith(f"{sheet.items[0].code} ") and "未评分" in text for text in texts)
    assert not any("—分" in text for text in texts)


def test_the_score_sheet_reads_back(year: m.FiscalYear) -> None:
    report = _report(year)
    sheet = openpyxl.load_workbook(io.BytesIO(ex_ante_workbook(report)))[SHEET_TITLE]
    assert sheet["A1"].value == SHEET_TITLE
    assert sheet["A1"].font.name == "SimSun"
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    items = [r for r in rows if r[1] and r[1] not in ("小计",) and r[0] != "合计"]
    assert len(items) == len(report.result.sheet.items)
    assert sum(Decimal(str(r[5])) for r in items) == Decimal(75)
    total = next(r for r in rows if r[0] == "合计")
    assert Decimal(str(total[5])) == Decimal(75)
    assert any(r[0] == "评估得分75分，评估结论：调整完善后予以支持。" for r in rows)
    assert sheet.page_setup.orientation == "landscape"


def test_last_years_project_is_found_by_name_when_its_code_carried_the_year(
    year: m.FiscalYear,
) -> None:
    project = _project(year, "P002")
    previous = m.FiscalYear.objects.get(department=year.department, year=2023)
    m.Project.objects.create(
        fiscal_year=previous, code="Y23-P002", name=project.name, initial_budget=Decimal(1)
    )
    proposed = service.proposed_project(project)
    assert proposed is not None and proposed.last_year_budget == Decimal(1)
    reason = service.reason_for(project)
    assert reason is not None and "较上年" in reason and "须开展事前绩效评估" in reason


def _sheet_texts(report: ExAnteReport) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(ex_ante_workbook(report))).active
    return [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]


def test_the_sheet_states_the_review_conclusion_only_once_reviewed(year: m.FiscalYear) -> None:
    draft = _sheet_texts(_report(year))
    assert not [text for text in draft if "审核" in text]
    reviewed = _sheet_texts(replace(_report(year), reviewed=True))
    assert any("审核结论：调整完善后予以支持" in text for text in reviewed)
