"""The self-evaluation tables (.xlsx) read back equal the evaluation result."""

from __future__ import annotations

import csv
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao.core.department_framework import format_factor
from jixiao.core.evaluation import ProjectEvaluation, YearEvaluation
from jixiao.core.money import HUNDRED, round_half_up, yuan_to_wan
from jixiao.documents.evaluation_forms import deviation_text
from jixiao.documents.evaluation_tables import (
    AMOUNT_FORMAT,
    RATE_FORMAT,
    SCORE_FORMAT,
    read_evaluation_workbook,
    write_evaluation_workbook,
)
from tests.office import require_tools

from .conftest import HYPERLINK, Load

pytestmark = pytest.mark.django_db

Rows = list[list[Any]]
PROJECT_SHEET = "P001 国土空间规划编制"
DEPARTMENT_SHEET = "部门整体支出绩效自评表"
FINDINGS_SHEET = "审核意见"


def wan(yuan: Decimal) -> Decimal:
    return round_half_up(yuan_to_wan(yuan), 2)


def row_starting(rows: Rows, first: str) -> list[Any]:
    (row,) = [row for row in rows if row[0] == first]
    return row


def row_of_indicator(rows: Rows, level3: str) -> list[Any]:
    (row,) = [row for row in rows if row[2] == level3]
    return row


@pytest.fixture
def complete_result(load_year: Load, complete_year_text: str) -> YearEvaluation:
    return load_year(complete_year_text)


@pytest.fixture
def workbook(complete_result: YearEvaluation, tmp_path: Path) -> Path:
    return write_evaluation_workbook(complete_result, tmp_path / "evaluation.xlsx")


@pytest.fixture
def sheets(workbook: Path) -> dict[str, Rows]:
    return read_evaluation_workbook(workbook)


def only_project(result: YearEvaluation) -> ProjectEvaluation:
    (project,) = result.projects
    return project


def test_it_writes_the_department_form_each_project_form_and_the_findings(
    sheets: dict[str, Rows],
) -> None:
    assert list(sheets) == [DEPARTMENT_SHEET, PROJECT_SHEET, FINDINGS_SHEET]
    rows = sheets[PROJECT_SHEET]
    assert rows[0][0] == "项目支出绩效自评表"
    assert rows[1][0] == "（2024年度）"
    assert row_starting(rows, "项目名称")[1] == "国土空间规划编制"
    assert row_starting(rows, "主管部门")[1::4] == ["测试区测试局", "测试区测试局"]


def test_the_funds_block_holds_every_figure_in_wan_as_displayed(
    sheets: dict[str, Rows], complete_result: YearEvaluation
) -> None:
    project = only_project(complete_result)
    rows = sheets[PROJECT_SHEET]
    header = row_starting(rows, "项目资金（万元）")
    assert header[2:] == ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    total, execution = project.funds.total, project.evaluation.execution
    assert execution.rate_percent is not None
    assert row_starting(rows, "年度资金总额")[2:] == [
        wan(total.initial_budget),
        wan(total.final_budget),
        wan(total.executed),
        execution.weight,
        execution.rate_percent / HUNDRED,
        execution.score,
    ]
    (source,) = project.funds.rows
    assert row_starting(rows, f"其中：{source.label}")[2:] == [
        wan(source.initial_budget), wan(source.final_budget), wan(source.executed),
        "—", "—", "—",
    ]  # fmt: skip


def test_the_indicator_block_holds_every_weight_score_and_reason(
    sheets: dict[str, Rows], complete_result: YearEvaluation
) -> None:
    rows = sheets[PROJECT_SHEET]
    assert row_starting(rows, "一级指标") == [
        "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
        "偏差原因分析及改进措施",
    ]  # fmt: skip
    for result in only_project(complete_result).evaluation.indicators:
        indicator = result.indicator
        row = row_of_indicator(rows, indicator.level3)
        assert row[3:7] == [indicator.target, indicator.actual, indicator.weight, result.score]


def test_it_merges_the_level1_and_level2_cells_down_their_groups(
    sheets: dict[str, Rows], workbook: Path
) -> None:
    rows = sheets[PROJECT_SHEET]
    first = rows.index(row_of_indicator(rows, "编制规划数量"))
    assert [row[:2] for row in rows[first : first + 4]] == [
        ["产出指标", "数量指标"],
        [None, "时效指标"],
        ["效益指标", "社会效益指标"],
        ["满意度指标", "服务对象满意度指标"],
    ]
    merged = {str(r) for r in load_workbook(workbook)[PROJECT_SHEET].merged_cells.ranges}
    excel_row = first + 1
    assert f"A{excel_row}:A{excel_row + 1}" in merged


def test_the_total_and_grade_rows_equal_the_evaluation(
    sheets: dict[str, Rows], complete_result: YearEvaluation
) -> None:
    evaluation = only_project(complete_result).evaluation
    assert evaluation.total is not None
    rows = sheets[PROJECT_SHEET]
    assert row_starting(rows, "总分")[5:7] == [evaluation.weight_total, evaluation.total]
    assert row_starting(rows, "评价等级")[5] == evaluation.grade


def test_a_deviation_reason_that_looks_like_a_formula_is_stored_as_text(workbook: Path) -> None:
    sheet = load_workbook(workbook)[PROJECT_SHEET]
    leading = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=")]
    assert [c.value for c in leading] == ["=1个", f"{HYPERLINK}；改进措施：提前启动报批"]
    for cell in leading:  # the target "=1个" too
        assert cell.data_type == "s"
        assert cell.quotePrefix
    with zipfile.ZipFile(workbook) as archive:
        xml = "".join(
            archive.read(name).decode("utf-8") for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        )
    assert "<f>" not in xml and "HYPERLINK" in xml


def test_cells_hold_numbers_with_the_formats_they_show(workbook: Path) -> None:
    sheet = load_workbook(workbook)[PROJECT_SHEET]
    total_row = next(row for row in sheet.iter_rows() if row[0].value == "年度资金总额")
    assert [cell.number_format for cell in total_row[2:]] == [
        AMOUNT_FORMAT, AMOUNT_FORMAT, AMOUNT_FORMAT, SCORE_FORMAT, RATE_FORMAT, SCORE_FORMAT,
    ]  # fmt: skip
    assert all(cell.data_type == "n" for cell in total_row[2:])
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4  # "9"


def test_the_department_form_equals_the_department_evaluation(
    sheets: dict[str, Rows], complete_result: YearEvaluation
) -> None:
    department = complete_result.department
    assert department is not None and department.total is not None
    rows = sheets[DEPARTMENT_SHEET]
    assert row_starting(rows, "一级指标") == [
        "一级指标", "二级指标", "三级指标", "指标值/计算公式", "实际值", "分值", "得分", "说明",
    ]  # fmt: skip
    for common in department.common:
        assert common.value_percent is not None
        row = row_of_indicator(rows, common.indicator.level3)
        assert row[4:8] == [common.value_percent / HUNDRED, common.weight, common.score,
                            common.rule]  # fmt: skip
    for duty in department.duties:
        row = row_of_indicator(rows, duty.indicator.level3)
        remark = deviation_text(duty.indicator) or None
        assert row[4:8] == [duty.indicator.actual, duty.weight, duty.score, remark]
    for item in department.not_applicable:
        row = row_of_indicator(rows, item.name)
        assert row[4:8] == ["不适用", "—", "不适用", "—"]  # the reason: 审核意见
    assert row_starting(rows, "总分")[5:7] == [department.weight_total, department.total]
    assert row_starting(rows, "评价等级")[5] == department.grade
    notes = [row[0] for row in rows if str(row[0]).startswith("说明：")]
    factor = f"系数{format_factor(department.rescale_factor)}。"
    assert any("其余指标分值按比例折算" in note and note.endswith(factor) for note in notes)


def test_the_findings_sheet_lists_every_scoring_audit_and_quality_finding(
    sheets: dict[str, Rows], complete_result: YearEvaluation
) -> None:
    """Each finding by its check's Chinese name and its place in words."""
    from jixiao.interchange.check_names import check_name, location_text

    rows = sheets[FINDINGS_SHEET]
    assert rows[1] == ["评价对象", "类别", "严重程度", "检查", "位置", "说明"]
    project = only_project(complete_result)
    assert complete_result.department is not None
    expected = [
        ["部门整体", "评分", f.severity.label, check_name(f.id), location_text(f.location) or None,
         f.message]
        for f in complete_result.department.findings
    ]
    for category, findings in (
        ("评分", project.evaluation.findings), ("审核", project.audit), ("质量", project.quality)
    ):
        expected += [
            ["P001 国土空间规划编制", category, f.severity.label, check_name(f.id),
             location_text(f.location) or None, f.message]
            for f in findings
        ]  # fmt: skip
    assert project.audit and project.quality
    assert rows[2 : 2 + len(expected)] == expected


def test_an_incomplete_evaluation_prints_what_is_missing_and_no_grade(
    load_year: Load, small_year_text: str, tmp_path: Path
) -> None:
    result = load_year(small_year_text)
    sheets = read_evaluation_workbook(write_evaluation_workbook(result, tmp_path / "e.xlsx"))
    rows = sheets[PROJECT_SHEET]
    assert row_of_indicator(rows, "群众满意度")[4:7] == ["未填报", Decimal(10), "未填报"]
    assert row_starting(rows, "总分")[6] == "—"
    assert row_starting(rows, "评价等级")[5] == "未评定（评价不完整）"
    notes = [row[0] for row in rows if str(row[0]).startswith("说明：")]
    assert not any("评价不完整" in note for note in notes)  # what is missing: 审核意见
    assert "说明：以下指标的年度指标值为示意值（非公开数据）：群众满意度。" in notes
    department = sheets[DEPARTMENT_SHEET]
    assert row_starting(department, "评价等级")[5] == "未评定（评价不完整）"
    review = [str(row[5]) for row in sheets[FINDINGS_SHEET]]
    missing = "满意度指标/服务对象满意度指标/群众满意度：实际完成值未填报，不计分"
    assert f"评价不完整：{missing}，请补充。" in review
    assert any("缺少输入：既定支付进度、实际支付进度" in note for note in review)


def test_a_year_without_goals_still_gets_its_findings_sheet(
    load_year: Load, small_year_text: str, tmp_path: Path
) -> None:
    text = small_year_text[: small_year_text.index("goals:")]
    result = load_year(text)
    sheets = read_evaluation_workbook(write_evaluation_workbook(result, tmp_path / "e.xlsx"))
    assert list(sheets) == [FINDINGS_SHEET]
    assert sheets[FINDINGS_SHEET][2][0] == "未发现问题"


# --- LibreOffice ---------------------------------------------------------------------


def _convert(workbook: Path, target: str, out: Path) -> None:
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{out}/lo-profile", "--headless",
         "--convert-to", target, "--outdir", str(out), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip


@pytest.mark.libreoffice
def test_libreoffice_converts_the_workbook_to_a4_landscape_pdf(
    workbook: Path, tmp_path: Path
) -> None:
    require_tools("soffice", "pdfinfo")
    _convert(workbook, "pdf", tmp_path)
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "evaluation.pdf")], check=True, capture_output=True, text=True
    ).stdout
    assert "841.89 x 595.3" in info  # A4 landscape


@pytest.mark.libreoffice
def test_libreoffice_reads_every_sheet_as_csv_with_the_formula_as_text(
    workbook: Path, tmp_path: Path, complete_result: YearEvaluation
) -> None:
    require_tools("soffice")
    # 44 = comma, 34 = quote, 76 = UTF-8; "true" at 8: cells as shown; -1: every sheet
    _convert(workbook, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,"
             "false,false,-1", tmp_path)  # fmt: skip
    project_csv = tmp_path / f"evaluation-{PROJECT_SHEET}.csv"
    rows = list(csv.reader(project_csv.read_text(encoding="utf-8").splitlines()))
    reasons = [row[7] for row in rows if len(row) == 8 and row[2] == "按期完成率"]
    assert reasons == [f"{HYPERLINK}；改进措施：提前启动报批"]
    evaluation = only_project(complete_result).evaluation
    assert evaluation.execution.rate_percent is not None
    total_row = next(row for row in rows if row[0] == "年度资金总额")
    assert total_row[6] == f"{evaluation.execution.rate_percent}%"
    assert (tmp_path / f"evaluation-{DEPARTMENT_SHEET}.csv").exists()
    assert (tmp_path / f"evaluation-{FINDINGS_SHEET}.csv").exists()
