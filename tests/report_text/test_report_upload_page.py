"""Word in through the page: 财务科 uploads the report edited in Word, sees the changed
sections with their diff and flags, confirms, and the sections become drafts with their
history; last year's approved text is offered as a starting point."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from jixiao.services.report_text import section_history
from jixiao.services.reporting import write_report
from jixiao.storage import models as m
from tests.web.conftest import World

pytestmark = pytest.mark.django_db


def _url(world: World, tail: str = "") -> str:
    fy = world.fiscal_year
    return f"/d/{fy.department.code}/{fy.year}/report-text/{tail}"


def _edited_report(world: World, tmp_path: Path) -> bytes:
    fy = world.fiscal_year
    document = Document(str(write_report(fy.department.code, fy.year, tmp_path).docx))
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("一是"):
            for run in paragraph.runs[1:]:
                run.text = ""
            paragraph.runs[0].text = "一是加强项目进度管理，按月通报执行率为99.99%的项目。"
    saved = io.BytesIO()
    document.save(saved)
    return saved.getvalue()


def test_an_upload_shows_the_changed_section_and_stores_it_on_confirmation(
    world: World, tmp_path: Path
) -> None:
    finance = world.client("finance")
    upload = SimpleUploadedFile("报告.docx", _edited_report(world, tmp_path))
    page = finance.post(_url(world, "upload/"), {"report": upload}).content.decode()
    assert page.count('class="card changed-section"') == 1
    assert "按月通报执行率为99.99%的项目" in page
    assert "figure-flag" in page  # 99.99% is not the year's 执行率
    response = finance.post(
        _url(world, "upload/"),
        {
            "action": "confirm",
            "key": "improvement_measures",
            "text-improvement_measures": "加强项目进度管理，按月通报。",
        },
    )
    assert response.status_code == 302
    row = m.ReportSection.objects.get(fiscal_year=world.fiscal_year, key="improvement_measures")
    assert (row.status, row.text) == (m.WorkflowStatus.draft, "加强项目进度管理，按月通报。")
    revision = section_history(world.fiscal_year, "improvement_measures")[0]
    assert ("+", "加强项目进度管理，按月通报。") in revision.diff


def test_only_finance_uploads_and_a_file_that_is_not_word_is_explained(world: World) -> None:
    upload = SimpleUploadedFile("x.docx", b"plain text")
    assert (
        world.client("office").post(_url(world, "upload/"), {"report": upload}).status_code == 403
    )
    response = world.client("finance").post(
        _url(world, "upload/"), {"report": SimpleUploadedFile("x.docx", b"plain text")}, follow=True
    )
    assert "不是有效的 Word" in response.content.decode()


def test_last_years_approved_text_is_a_starting_point(world: World, tmp_path: Path) -> None:
    this_year = world.fiscal_year
    last = m.FiscalYear.objects.create(department=this_year.department, year=this_year.year - 1)
    last.annual_objective = "上年目标：完成规划编制。"
    last.save()
    finance = world.client("finance")
    page = finance.get(_url(world)).content.decode()
    assert "上年目标：完成规划编制。" in page
    response = finance.post(
        _url(world), {"action": "last_year", "key": "annual_objective", "version": "0"}
    )
    assert response.status_code == 302
    row = m.ReportSection.objects.get(fiscal_year=this_year, key="annual_objective")
    assert row.text == "上年目标：完成规划编制。"
