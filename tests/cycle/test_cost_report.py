"""成本效益分析 in the self-evaluation report (Word, Markdown) and the evaluation workbook:
present, with figures that agree with the ledger and the project's form, when the year has
outputs costed against a standard; absent, not empty, when it has none."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook  # type: ignore[import-untyped]

from jixiao.core.budget import project_funds
from jixiao.core.cost_analysis import TABLE_HEADERS, unit_cost_lines
from jixiao.core.money import format_thousands, format_wan
from jixiao.interchange.cost_standard_files import parse_cost_standards
from jixiao.services.cost_standards import store_cost_standards
from jixiao.services.evaluating import evaluate_stored_year, write_evaluation_tables
from jixiao.services.reading import department_year, ledger_totals
from jixiao.services.reporting import write_report
from jixiao.storage import models as m
from tests.cycle.test_cost_storage import COSTED, UNCOSTED
from tests.web.conftest import first_department_text, store_text

pytestmark = pytest.mark.django_db

Run = Callable[..., tuple[int, str, str]]
STANDARDS = """\
format: jixiao-cost-standards/1
id: cost-standards-test-planning
version: 2024
name: 测试区规划编制支出标准
unit: 万元
standards:
  - {code: GH-1, name: 片区规划编制, kind: 支出标准, amount: 120, per_unit: 个}
"""


def _costed_year(small_year_text: str) -> m.FiscalYear:
    year = store_text(first_department_text(small_year_text.replace(UNCOSTED, COSTED)))
    store_cost_standards(year, parse_cost_standards(STANDARDS))
    return year


def _cost_table(document: object) -> list[list[str]]:
    for table in document.tables:  # type: ignore[attr-defined]
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if tuple(rows[0]) == TABLE_HEADERS:
            return rows
    return []


def _funds_executed(document: object, project_name: str) -> str:
    """全年执行数 of the 项目支出绩效自评表 whose 项目名称 is ``project_name``."""
    tables = document.tables  # type: ignore[attr-defined]
    for index, table in enumerate(tables):
        if table.rows[0].cells[1].text == project_name:
            return str(tables[index].rows[3].cells[3].text)
    raise AssertionError(f"no form for {project_name}")


def test_the_report_analyses_the_unit_cost_in_text_and_table(
    small_year_text: str, tmp_path: Path
) -> None:
    year = _costed_year(small_year_text)
    written = write_report(year.department.code, year.year, tmp_path, prepared_on=date(2025, 1, 2))
    document = Document(str(written.docx))
    paragraphs = [p.text for p in document.paragraphs]
    heading = paragraphs.index("（四）成本效益分析")
    assert paragraphs[heading - 2] == "（三）主要工作成效"  # after the one achievement
    _, row = _cost_table(document)
    executed = sum(ledger_totals(year).values(), Decimal(0))  # L01 is the only paid line
    assert row == [
        "国土空间规划编制", "编制规划数量", format_wan(executed), "1个",
        "1,100,000.00", "1,200,000.00", "-100,000.00", "未超过标准",
    ]  # fmt: skip
    assert row[2] == "110.00" == _funds_executed(document, "国土空间规划编制")
    assert paragraphs[heading + 1].startswith("本年度对1个项目的1项产出测算单位成本")
    assert "《测试区规划编制支出标准》" in paragraphs[heading + 1]
    assert paragraphs[heading + 2] == (
        "国土空间规划编制项目全年执行数110.00万元，编制规划数量1个，"
        "单位成本1,100,000.00元/个，未超过支出标准1,200,000.00元/个。"
    )
    markdown = written.markdown.read_text(encoding="utf-8")
    assert "### （四）成本效益分析" in markdown
    assert "| 国土空间规划编制 | 编制规划数量 | 110.00 | 1个 | 1,100,000.00 |" in markdown


def test_the_evaluation_workbook_has_the_same_table_in_numbers(
    small_year_text: str, tmp_path: Path
) -> None:
    year = _costed_year(small_year_text)
    path = write_evaluation_tables(evaluate_stored_year(year.department.code, year.year), tmp_path)
    sheet = load_workbook(path)["成本效益分析"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_row=3)]
    assert tuple(rows[0]) == TABLE_HEADERS
    assert rows[1][:3] == ["国土空间规划编制", "编制规划数量", 110]
    assert rows[1][3:] == ["1个", 1100000, 1200000, -100000, "未超过标准"]


def test_a_year_without_cost_measures_has_no_section(small_year_text: str, tmp_path: Path) -> None:
    year = store_text(first_department_text(small_year_text))
    written = write_report(year.department.code, year.year, tmp_path)
    document = Document(str(written.docx))
    assert not any("成本效益分析" in p.text for p in document.paragraphs)
    assert _cost_table(document) == []
    assert "成本效益分析" not in written.markdown.read_text(encoding="utf-8")
    path = write_evaluation_tables(evaluate_stored_year(year.department.code, year.year), tmp_path)
    assert "成本效益分析" not in load_workbook(path).sheetnames


def test_an_unmeasurable_output_is_for_the_review_notes_not_the_report(
    small_year_text: str, tmp_path: Path
) -> None:
    year = store_text(first_department_text(small_year_text.replace(UNCOSTED, COSTED)))
    written = write_report(year.department.code, year.year, tmp_path)  # no table chosen
    assert "成本效益分析" not in written.markdown.read_text(encoding="utf-8")
    review = Document(str(written.review)).paragraphs
    assert any("本年度未选定支出标准表" in p.text for p in review)


def test_the_page_lines_are_the_reported_rows_or_why_not_for_the_codes_given(
    small_year_text: str,
) -> None:
    year = _costed_year(small_year_text)
    result = evaluate_stored_year(year.department.code, year.year)
    [line] = unit_cost_lines(result, {"P001", "P002"})
    assert line.row is not None and line.row.unit_cost == "1,100,000.00"
    assert (line.project, line.output, line.reason) == ("国土空间规划编制", "编制规划数量", "")
    assert unit_cost_lines(result, {"P999"}) == []
    assert unit_cost_lines(None, {"P001"}) == []


def test_a_page_line_without_a_chosen_table_says_why(small_year_text: str) -> None:
    year = store_text(first_department_text(small_year_text.replace(UNCOSTED, COSTED)))
    result = evaluate_stored_year(year.department.code, year.year)
    [why] = unit_cost_lines(result, {u.measure.project_code for u in result.unit_costs})
    assert why.row is None
    assert "本年度未选定支出标准表" in why.reason


def test_the_demo_report_costs_registration_against_its_standard(
    jixiao: Run, tmp_path: Path
) -> None:
    code, _, err = jixiao("demo", "--out", tmp_path)
    assert code == 0, err
    document = Document(str(tmp_path / "2023-liwan-ghzy-self-evaluation.docx"))
    _, row = _cost_table(document)
    project, output, cost, quantity, unit_cost, standard, difference, conclusion = row
    assert (project, output, quantity) == ("不动产登记业务运行", "审结不动产登记案件", "52,186宗")
    assert cost == _funds_executed(document, project)
    executed = project_funds(department_year("liwan-ghzy", 2023), "LW23-P07").total.executed
    assert cost == format_wan(executed)
    assert unit_cost == format_thousands(executed / 52186)
    assert (standard, conclusion) == ("60.00", "未超过标准")
    assert Decimal(difference) == Decimal(unit_cost) - Decimal(standard)
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs.index("（四）成本效益分析") > paragraphs.index("（三）主要工作成效")
