"""The demo's monitoring states what was known on its date, and every total agrees.

At 2023-07-31 the 9/12 追加 of 征地拆迁补偿及安置经费 (+4,500), the 10/26 调减 of
国土空间总体规划编制 (−40) and the 10/30 调减 of 土地储备及前期开发经费 (−5,000) were
not yet approved: the monitoring of that date uses the budgets without them, and shows
the current budgets beside them.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from jixiao.core.money import D, wan_to_yuan
from jixiao.documents.monitoring_tables import PROJECT_SHEET, read_monitoring_workbook
from jixiao.documents.monitoring_text import ROUNDING_NOTE, projected_totals, review_findings
from jixiao.interchange.dataset import ReportSettings
from jixiao.services.monitoring import (
    MonitoringReport,
    WrittenMonitoring,
    monitor_stored_year,
    write_monitoring,
)
from jixiao.services.storing import store_dataset

pytestmark = pytest.mark.django_db

JULY, OCTOBER = date(2023, 7, 31), date(2023, 10, 31)
LAND, EXPROPRIATION, MASTER_PLAN = "LW23-P01", "LW23-P02", "LW23-P04"
PREPARER_NOTES = ("【警告】", "【错误】", "【提示】", "请补充", "请核实", "请填报", "须填写")


def _store_demo(rounding_note: bool = False) -> None:
    from jixiao.cli import demo_dataset_path
    from jixiao.demo.synthetic import demo_dataset_2023, synthetic_year_2022
    from jixiao.interchange.dataset_file import read_dataset

    store_dataset(synthetic_year_2022(), replace=True)
    dataset = demo_dataset_2023(read_dataset(demo_dataset_path()))
    settings = ReportSettings(rounding_note=rounding_note)  # the demo file prints the 注
    dataset = dataset.model_copy(update={"report": settings})
    store_dataset(dataset, replace=True)


@pytest.fixture
def demo() -> None:
    _store_demo()


def _wan(text: str) -> Decimal:
    return wan_to_yuan(D(text))


def _docx_text(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    document = Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return paragraphs, tables


def test_at_the_end_of_july_the_budgets_are_those_before_the_later_adjustments(
    demo: None,
) -> None:
    report = monitor_stored_year("liwan-ghzy", 2023, JULY)
    budgets = {
        code: (report.result.project(code).final_budget, report.result.project(code).budget_now)
        for code in (LAND, EXPROPRIATION, MASTER_PLAN)
    }
    assert budgets == {
        LAND: (_wan("73761.83"), _wan("68761.83")),
        EXPROPRIATION: (_wan("24000.00"), _wan("28500.00")),
        MASTER_PLAN: (_wan("400.00"), _wan("360.00")),
    }
    # rates, lights and forecasts are of the budget as it stood: 6,943.29 of 24,000
    expropriation = report.forecast(EXPROPRIATION)
    assert expropriation.final_budget == _wan("24000.00")
    assert report.result.project(EXPROPRIATION).execution_rate == (
        report.result.project(EXPROPRIATION).executed / _wan("24000.00")
    )
    assert report.result.department.final_budget == _wan("103582.83")
    assert report.result.department.budget_now == _wan("103118.19")


def test_at_the_end_of_october_the_adjustments_approved_by_then_count(demo: None) -> None:
    report = monitor_stored_year("liwan-ghzy", 2023, OCTOBER)
    assert report.result.project(EXPROPRIATION).final_budget == _wan("28500.00")
    assert report.result.project(MASTER_PLAN).final_budget == _wan("360.00")
    assert report.result.project(LAND).final_budget == _wan("68761.83")
    # only the 11/20 wage adjustment of 基本支出 (+95.36) is still to come
    assert report.result.department.final_budget == _wan("103022.83")
    assert not any(p.adjusted_later for p in report.result.projects)


def test_the_july_tables_show_the_budget_of_the_date_and_the_current_one(
    demo: None, tmp_path: Path
) -> None:
    written = write_monitoring(monitor_stored_year("liwan-ghzy", 2023, JULY), tmp_path)
    paragraphs, tables = _docx_text(written.docx)
    projects = tables[0]
    row = next(r for r in projects if r[0] == "征地拆迁补偿及安置经费")
    assert row[1] == "24,000.00"
    assert (
        "注：全年预算数为截至2023年7月31日的预算数（年初预算数加截至该日的预算调整）；"
        "此后调整了预算的项目，现全年预算数为“土地储备及前期开发经费”68,761.83万元、"
        "“征地拆迁补偿及安置经费”28,500.00万元、“国土空间总体规划编制”360.00万元。"
    ) in paragraphs
    sheet = read_monitoring_workbook(written.xlsx)[PROJECT_SHEET]
    xlsx_row = next(r for r in sheet.rows if r["项目代码"] == EXPROPRIATION)
    assert (xlsx_row["全年预算数"], xlsx_row["现全年预算数"]) == (24000, 28500)


def _written(tmp_path: Path, as_of: date) -> tuple[MonitoringReport, WrittenMonitoring]:
    report = monitor_stored_year("liwan-ghzy", 2023, as_of)
    return report, write_monitoring(report, tmp_path / as_of.isoformat())


def _amount(text: str) -> Decimal:
    return D(text.replace(",", ""))


def _money_columns(table: list[list[str]]) -> list[int]:
    body = table[1:-1]
    return [
        index
        for index in range(1, len(table[0]))
        if all(re.fullmatch(r"-?[\d,]+\.\d\d", row[index]) for row in [*body, table[-1]])
    ]


@pytest.mark.parametrize("as_of", [JULY, OCTOBER])
def test_every_printed_money_column_adds_up_to_its_total_or_a_note_says_why(
    tmp_path: Path, as_of: date
) -> None:
    _store_demo(rounding_note=True)
    report, written = _written(tmp_path, as_of)
    paragraphs, tables = _docx_text(written.docx)
    noted = any(ROUNDING_NOTE in p for p in paragraphs)
    checked = 0
    for table in tables:
        assert table[-1][0] == "合计"
        for index in _money_columns(table):
            rows = sum((_amount(row[index]) for row in table[1:-1]), Decimal(0))
            total = _amount(table[-1][index])
            assert rows == total or (noted and abs(rows - total) <= Decimal("0.05")), table[0][
                index
            ]
            checked += 1
    assert checked == 5  # 全年预算数, 执行数; 全年预算数, 全年预计执行数, 预计结余
    # the forecast totals in the text are the 合计 of the forecast table
    budget, projected, unspent = (f"{_amount_text(v)}万元" for v in projected_totals(report))
    forecast_total = tables[1][-1]
    assert f"据此预计各项目全年执行{projected}" in "".join(paragraphs)
    assert [f"{forecast_total[i]}万元" for i in (1, 2, 4)] == [budget, projected, unspent]


def _amount_text(yuan: Decimal) -> str:
    from jixiao.core.money import format_wan

    return format_wan(yuan)


def test_forecast_totals_are_the_sums_of_the_stated_forecasts(demo: None, tmp_path: Path) -> None:
    for as_of in (JULY, OCTOBER):
        report, written = _written(tmp_path, as_of)
        _, projected, _ = projected_totals(report)
        assert all(f.projected % 100 == 0 for f in report.forecasts)  # 0.01 万元 each
        sheet = read_monitoring_workbook(written.xlsx)[PROJECT_SHEET]
        cells = [r["全年预计执行数"] for r in sheet.rows if r["项目代码"] not in (None, "合计")]
        column = sum((Decimal(str(value)) for value in cells if value is not None), Decimal(0))
        assert wan_to_yuan(column) == projected


def test_without_the_rounding_note_a_rounding_gap_goes_to_the_review_notes(
    demo: None, tmp_path: Path
) -> None:
    report, written = _written(tmp_path, JULY)
    paragraphs, _ = _docx_text(written.docx)
    assert not any(ROUNDING_NOTE in p for p in paragraphs)
    gaps = [f for f in review_findings(report) if f.id == "monitoring-rounding-difference"]
    assert [f.location for f in gaps] == ["monitoring.项目执行与预警.1-7月执行数"]
    review, _ = _docx_text(written.review)
    assert any("尾差" in p for p in review)


@pytest.mark.parametrize("as_of", [JULY, OCTOBER])
def test_the_monitoring_report_holds_no_note_to_the_preparer(
    demo: None, tmp_path: Path, as_of: date
) -> None:
    report, written = _written(tmp_path, as_of)
    paragraphs, tables = _docx_text(written.docx)
    text = "\n".join([*paragraphs, *("".join(c for row in t for c in row) for t in tables)])
    for note in PREPARER_NOTES:
        assert note not in text
    # they are in the 审核意见, written beside the report
    assert written.review.name.endswith("-review.docx")
    review = "\n".join(_docx_text(written.review)[0])
    assert "须填写偏差原因类别和偏差原因分析" in review
    assert report.review_findings and all(f.subject for f in report.review_findings)


def test_a_satisfaction_rate_is_reported_as_it_stands_not_as_months_done(
    demo: None, tmp_path: Path
) -> None:
    _, written = _written(tmp_path, JULY)
    paragraphs, _ = _docx_text(written.docx)
    satisfaction = next(p for p in paragraphs if "“相关部门及公众满意度”" in p)
    assert "年度指标值≥85%，截至2023年7月31日实际为48%，尚未达到年度指标值" in satisfaction
    assert "1-7月完成48%" not in satisfaction
    assert "预计全年完成" not in satisfaction
