"""The 项目支出绩效目标执行监控表 (.xlsx) read back equals the monitoring result."""

from __future__ import annotations

import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao.core.money import round_half_up, yuan_to_wan
from jixiao.documents.monitoring_tables import (
    AMOUNT_FORMAT,
    INDICATOR_SHEET,
    PROJECT_SHEET,
    RATE_FORMAT,
    REVIEW_SHEET,
    SUMMARY_SHEET,
    read_monitoring_workbook,
    write_monitoring_workbook,
)
from jixiao.documents.monitoring_text import light_text
from jixiao.services.monitoring import MonitoringReport, monitor_stored_year
from tests.monitoring_service.ledger import (
    EARLIER_YEAR,
    INJECTED_NAME,
    INJECTED_REASON,
    store,
    store_ledger_year,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def report() -> MonitoringReport:
    store(EARLIER_YEAR)
    store_ledger_year()
    return monitor_stored_year("jc-dept", 2024, date(2024, 7, 31))


@pytest.fixture
def workbook(report: MonitoringReport, tmp_path: Path) -> Path:
    return write_monitoring_workbook(report, tmp_path / "table.xlsx")


def wan(yuan: Decimal | None) -> Decimal | None:
    return None if yuan is None else round_half_up(yuan_to_wan(yuan), 2)


def rate(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_half_up(value, 4)


def number(cell: Any) -> Decimal | None:
    """A number as read back, exactly as it was written (openpyxl reads floats)."""
    return None if cell is None else Decimal(str(cell))


def test_it_is_titled_and_counted_in_wan(workbook: Path) -> None:
    sheets = read_monitoring_workbook(workbook)
    assert set(sheets) == {PROJECT_SHEET, INDICATOR_SHEET, SUMMARY_SHEET, REVIEW_SHEET}
    for name in (PROJECT_SHEET, INDICATOR_SHEET, SUMMARY_SHEET):
        assert sheets[name].title == "2024年度项目支出绩效目标执行监控表（截至2024年7月31日）"
    assert sheets[PROJECT_SHEET].unit == sheets[SUMMARY_SHEET].unit == "单位：万元"
    assert sheets[INDICATOR_SHEET].unit == ""
    assert sheets[PROJECT_SHEET].headers[:10] == [
        "项目代码", "项目名称", "年初预算数", "全年预算数", "1-7月执行数", "执行率", "序时进度",
        "执行进度比", "预警", "全年预计执行数",
    ]  # fmt: skip
    assert "预计结余" in sheets[PROJECT_SHEET].headers


def test_every_project_amount_and_rate_reads_back_as_displayed(
    report: MonitoringReport, workbook: Path
) -> None:
    rows = read_monitoring_workbook(workbook)[PROJECT_SHEET].rows
    assert len(rows) == len(report.result.projects) == 3
    for row, progress in zip(rows, report.result.projects, strict=True):
        forecast = report.forecast(progress.code)
        info = report.project_info(progress.code)
        assert row["项目代码"] == progress.code
        assert row["项目名称"] == info.name
        assert number(row["年初预算数"]) == wan(info.initial_budget)
        assert number(row["全年预算数"]) == wan(progress.final_budget)
        assert number(row["1-7月执行数"]) == wan(progress.executed)
        assert number(row["执行率"]) == rate(progress.execution_rate)
        assert number(row["序时进度"]) == rate(report.result.time_progress)
        assert number(row["执行进度比"]) == rate(progress.progress_ratio)
        assert row["预警"] == light_text(progress.light)
        assert number(row["全年预计执行数"]) == wan(forecast.projected)
        assert number(row["预计执行数下限"]) == wan(forecast.projected_low)
        assert number(row["预计执行数上限"]) == wan(forecast.projected_high)
        assert number(row["预计结余"]) == wan(forecast.projected_unspent)
    assert [row["预警"] for row in rows] == ["红灯", "绿灯", "红灯"]
    assert number(rows[0]["1-7月执行数"]) == Decimal("95.00")
    assert number(rows[1]["年初预算数"]) == Decimal("100.00")
    assert number(rows[1]["全年预算数"]) == Decimal("120.00")
    assert "按程序调减" in rows[0]["调整建议"] or "调剂" in rows[0]["调整建议"]


def test_the_summary_sheet_holds_the_department_and_each_source(
    report: MonitoringReport, workbook: Path
) -> None:
    rows = read_monitoring_workbook(workbook)[SUMMARY_SHEET].rows
    scopes = [report.result.department, *report.result.sources]
    assert len(rows) == len(scopes)
    for row, progress in zip(rows, scopes, strict=True):
        assert number(row["全年预算数"]) == wan(progress.final_budget)
        assert number(row["1-7月执行数"]) == wan(progress.executed)
        assert number(row["执行率"]) == rate(progress.execution_rate)
        assert number(row["执行进度比"]) == rate(progress.progress_ratio)
        assert row["预警"] == light_text(progress.light)


def test_every_indicator_reads_back(report: MonitoringReport, workbook: Path) -> None:
    rows = read_monitoring_workbook(workbook)[INDICATOR_SHEET].rows
    assert len(rows) == len(report.result.indicators) == 2
    first, second = rows
    status = report.result.indicators[0]
    assert first["项目名称"] == "规划编制项目"
    assert first["三级指标"] == "完成规划编制数量"
    assert first["年度指标值"] == "≥4个"
    assert first["1-7月实际完成值"] == "2个"
    assert number(first["1-7月完成率"]) == rate(status.progress_ratio) == Decimal("0.5")
    assert number(first["全年预计完成值（占年度指标值）"]) == rate(status.projected_ratio)
    assert first["偏差原因类别"] == "人员保障"
    assert first["完成目标可能性"] == "有可能"
    assert second["1-7月实际完成值"] is None
    assert second["备注"] == "比率类指标，实际值与年度指标值比较，不按月累计"
    review_rows = read_monitoring_workbook(workbook)[REVIEW_SHEET].rows
    review = " ".join(str(row["说明"]) for row in review_rows)
    assert "未填报完成目标可能性" in review


def test_cells_carry_the_number_formats_and_frozen_headers(workbook: Path) -> None:
    sheet = load_workbook(workbook)[PROJECT_SHEET]
    assert sheet["D4"].number_format == AMOUNT_FORMAT
    assert sheet["F4"].number_format == RATE_FORMAT
    assert sheet["A3"].font.bold
    assert sheet.freeze_panes == "C4"
    assert sheet.column_dimensions["B"].width >= 20


def test_formula_like_text_is_stored_as_text_not_as_a_formula(workbook: Path) -> None:
    book = load_workbook(workbook)
    name = book[PROJECT_SHEET]["B6"]
    assert name.value == INJECTED_NAME
    assert name.data_type == "s"
    assert name.quotePrefix
    reason = book[INDICATOR_SHEET]["K4"]
    assert (reason.value, reason.data_type, reason.quotePrefix) == (INJECTED_REASON, "s", True)
    with zipfile.ZipFile(workbook) as package:
        sheets = [n for n in package.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in package.read(n) or b"<f " in package.read(n) for n in sheets)
