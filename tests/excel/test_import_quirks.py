"""The corpus of real-world quirks: each sheet carries the stored small year and imports as it.

Every fixture renders the same budget or ledger the small year holds, with one quirk (or a
few); importing it must change nothing — the quirk was read for what it means.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from jixiao.interchange.excel.importing import ImportResult
from jixiao.services.excel_import import import_workbook
from tests.excel.sheets import (
    BUDGET_HEADER,
    BUDGET_ROWS,
    LEDGER_HEADER,
    LEDGER_ROWS,
    TOP,
    budget_sheet,
    csv_file,
    ledger_sheet,
    store_small_year,
    stored_text,
    xlsx,
)
from tests.office import require_tools

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_year(small_year_text: str) -> None:
    store_small_year(small_year_text)


def _unchanged(path: Path, **options: Any) -> ImportResult:
    before = stored_text()
    result = import_workbook(path, **options)
    assert not result.changed, [str(c) for c in result.changes()]
    assert stored_text() == before
    return result


def test_the_plain_sheets_import_as_the_stored_year(tmp_path: Path) -> None:
    result = _unchanged(xlsx(tmp_path / "a.xlsx", ("预算与执行", budget_sheet()),
                             ("支出明细", ledger_sheet())))  # fmt: skip
    assert result.rows == 6
    assert result.summary() == "预算行：新增 0，修改 0，删除 0；支出：新增 0，修改 0，删除 0"


def test_a_header_far_below_the_top(tmp_path: Path) -> None:
    rows = [["2024年度部门预算执行情况表"], [], [], ["部门代码：test-dept"], [], [],
            ["金额单位：万元"], [], BUDGET_HEADER, *BUDGET_ROWS]  # fmt: skip
    result = _unchanged(xlsx(tmp_path / "a.xlsx", ("Sheet1", rows)))
    assert result.year == 2024  # from the title


def test_merged_cells_in_the_body(tmp_path: Path) -> None:
    rows = budget_sheet()
    rows[5][2] = None  # 资金来源 of L01 comes from the merged range C5:C6
    path = xlsx(tmp_path / "a.xlsx", ("预算与执行", rows), merged=[("预算与执行", "C5:C6")])
    _unchanged(path)


def test_yuan_in_one_sheet_and_wan_in_the_next(tmp_path: Path) -> None:
    first, second = LEDGER_ROWS[:1], LEDGER_ROWS[1:]
    second_in_wan = [[*r[:3], r[3] / 10000, *r[4:]] for r in second]
    path = xlsx(tmp_path / "a.xlsx", ("一季度", ledger_sheet("元", first)),
                ("二至四季度", ledger_sheet("万元", second_in_wan)))  # fmt: skip
    result = _unchanged(path)
    assert len(result.sheets) == 2


def test_a_budget_in_yuan_for_a_year_kept_in_wan(tmp_path: Path) -> None:
    rows = [[*r[:6], *(v * 10000 for v in r[6:])] for r in BUDGET_ROWS]
    _unchanged(xlsx(tmp_path / "a.xlsx", ("预算与执行", budget_sheet("元", rows))))


def test_thousands_separators_full_width_digits_and_numbers_as_text(tmp_path: Path) -> None:
    rows = [
        ["Ｂ０１", "人员经费", "一般公共预算", "基本", "人员", None, "３００", "300.00",
         "２９８．５"],
        ["L01 ", "国土空间规划编制 ", "一般公共预算财政拨款", "项目支出 ", None, " P001", "100",
         "１２０", "110"],
        ["L02", "土地储备前期", "政府性基金", "项目支出", "", "P002", "500.000000", "500",
         "210.25"],
    ]  # fmt: skip
    _unchanged(xlsx(tmp_path / "a.xlsx", ("预算与执行", budget_sheet("万元", rows))))
    ledger = [["L01", "2024年3月15日", "记-031", "400,000.00", "否", None],
              ["L01", "2024/9/20", "记-092", "７０５，０００．００", "", None],
              ["L01", 20241008, "记-101", "(5,000.00)", "是", None]]  # fmt: skip
    _unchanged(xlsx(tmp_path / "b.xlsx", ("支出明细", ledger_sheet("元", ledger))))


@pytest.mark.parametrize(
    ("header", "rates"),
    [
        ("执行率", [0.995, "91.67%", 0.4205]),
        ("执行率（%）", [99.5, "91.67％", 42.05]),
        ("执行率(%)", ["99.50", 91.67, "42.1"]),
    ],
)
def test_percentages_as_fractions_points_or_with_a_percent_sign(
    tmp_path: Path, header: str, rates: list[object]
) -> None:
    rows = budget_sheet()
    rows[3] = [*BUDGET_HEADER, header]
    for row, rate in zip(rows[4:], rates, strict=True):
        row.append(rate)
    _unchanged(xlsx(tmp_path / "a.xlsx", ("预算与执行", rows)))


def test_a_rate_that_disagrees_with_the_figures_is_a_problem(tmp_path: Path) -> None:
    from jixiao.interchange.problems import InputRejected

    rows = budget_sheet()
    rows[3] = [*BUDGET_HEADER, "执行率"]
    for row, rate in zip(rows[4:], [0.995, "95%", 0.4205], strict=True):
        row.append(rate)
    with pytest.raises(InputRejected) as refused:
        import_workbook(xlsx(tmp_path / "a.xlsx", ("预算与执行", rows)))
    [problem] = refused.value.problems
    assert problem.where == "预算与执行!J6"
    assert "表中为 95%（即 95%），但 执行数 ÷ 全年预算数 = 92%" in problem.message


def test_blank_subtotal_and_note_rows_and_a_sequence_column(tmp_path: Path) -> None:
    rows = [*TOP, ["单位：万元"], ["序号", *BUDGET_HEADER],
            ["一、基本支出"],
            [1, *BUDGET_ROWS[0]],
            ["", "小计", None, None, None, None, None, 300, 300, 298.5],
            [None] * 10,
            ["二、项目支出"],
            [2, *BUDGET_ROWS[1]],
            [3, *BUDGET_ROWS[2]],
            [4],
            ["合计", None, None, None, None, None, None, 900, 920, 618.75],
            ["注：执行数为决算口径。"],
            ["填表人：张三", None, None, "联系电话：12345678"]]  # fmt: skip
    _unchanged(xlsx(tmp_path / "a.xlsx", ("预算与执行", rows)))


def test_section_rows_without_a_code_are_problems_only_if_they_carry_figures(
    tmp_path: Path,
) -> None:
    from jixiao.interchange.problems import InputRejected

    rows = [*budget_sheet(), [None, "其他", None, None, None, None, 5, 5, None]]
    with pytest.raises(InputRejected) as refused:
        import_workbook(xlsx(tmp_path / "a.xlsx", ("预算与执行", rows)))
    assert [p.where for p in refused.value.problems] == ["预算与执行!A8"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_ledger_in_csv(tmp_path: Path, encoding: str) -> None:
    _unchanged(csv_file(tmp_path / "支出明细.csv", ledger_sheet(), encoding))


@pytest.mark.libreoffice
def test_an_xls_file(tmp_path: Path) -> None:
    require_tools("soffice")
    source = xlsx(tmp_path / "budget.xlsx", ("预算与执行", budget_sheet()),
                  ("支出明细", ledger_sheet()))  # fmt: skip
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
         "--convert-to", "xls", "--outdir", str(tmp_path / "xls"), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    converted = tmp_path / "xls" / "budget.xls"
    assert converted.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    result = _unchanged(converted)
    assert result.rows == 6


def test_the_unit_may_be_given_when_the_sheet_does_not_say(tmp_path: Path) -> None:
    rows = [*TOP, LEDGER_HEADER, *LEDGER_ROWS]
    _unchanged(xlsx(tmp_path / "a.xlsx", ("支出明细", rows)), unit="元")  # type: ignore[arg-type]


def test_department_and_year_may_be_given_when_the_sheet_does_not_say(tmp_path: Path) -> None:
    rows = [["单位：元"], LEDGER_HEADER, *LEDGER_ROWS]
    _unchanged(xlsx(tmp_path / "a.xlsx", ("支出明细", rows)), department="test-dept", year=2024)


def test_the_department_is_found_by_its_name(tmp_path: Path) -> None:
    rows = [["编制单位：测试区测试局"], ["2024年度支出明细"], ["单位：元"], LEDGER_HEADER,
            *LEDGER_ROWS]  # fmt: skip
    result = _unchanged(xlsx(tmp_path / "a.xlsx", ("支出明细", rows)))
    assert result.department_code == "test-dept"
