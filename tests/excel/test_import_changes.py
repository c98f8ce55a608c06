"""Importing applies rows by natural key, lists every change and every problem, all or nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.demo.synthetic import demo_dataset_2023
from jixiao.interchange.dataset_file import read_dataset
from jixiao.interchange.excel.layouts import BUDGET_KIND, LEDGER_KIND
from jixiao.interchange.problems import InputRejected
from jixiao.services.excel_export import export_workbook
from jixiao.services.excel_import import import_workbook
from jixiao.services.reading import export_dataset
from jixiao.services.storing import store_dataset
from jixiao.storage import models as m
from tests.conftest import DEMO
from tests.excel.sheets import (
    BUDGET_ROWS,
    LEDGER_HEADER,
    LEDGER_ROWS,
    budget_sheet,
    ledger_sheet,
    store_small_year,
    stored_text,
    table_counts,
    xlsx,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_year(small_year_text: str) -> None:
    store_small_year(small_year_text)


def _refused(path: Path, **options: object) -> list[tuple[str, str]]:
    before, counts = stored_text(), table_counts()
    with pytest.raises(InputRejected) as refused:
        import_workbook(path, **options)  # type: ignore[arg-type]
    assert stored_text() == before
    assert table_counts() == counts
    return [(p.where, p.message) for p in refused.value.problems]


def test_the_demo_year_round_trips_through_both_templates(tmp_path: Path) -> None:
    store_dataset(demo_dataset_2023(read_dataset(DEMO)), replace=True)
    before = stored_text("liwan-ghzy", 2023)
    budget = export_workbook("liwan-ghzy", 2023, BUDGET_KIND, tmp_path / "budget.xlsx")
    ledger = export_workbook("liwan-ghzy", 2023, LEDGER_KIND, tmp_path / "ledger.xlsx")
    for path in (budget, ledger):
        result = import_workbook(path)
        assert not result.changed, [str(c) for c in result.changes()]
    assert stored_text("liwan-ghzy", 2023) == before
    assert result.rows == m.Payment.objects.filter(budget_line__fiscal_year__year=2023).count()


@pytest.mark.usefixtures("small_year")
def test_importing_the_same_file_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    rows = [*BUDGET_ROWS, ["L03", "新项目", "其他资金", "项目支出", None, "P003", 0, 50, None]]
    ledger = [*LEDGER_ROWS, ["L03", "2024-11-01", "记-111", 1234.5, None, "设备"]] * 1
    budget = budget_sheet(rows=rows)
    budget[3].append("项目名称")
    budget[-1].append("新项目")
    sheets = (("预算与执行", budget), ("支出明细", ledger_sheet(rows=ledger)))
    path = xlsx(tmp_path / "a.xlsx", *sheets)
    first = import_workbook(path)
    assert first.summary() == (
        "预算行：新增 1，修改 0，删除 0；项目：新增 1，修改 0，删除 0；支出：新增 1，修改 0，删除 0"
    )
    after_first, ids = stored_text(), set(m.Payment.objects.values_list("id", flat=True))
    second = import_workbook(path)
    assert not second.changed
    assert stored_text() == after_first
    assert set(m.Payment.objects.values_list("id", flat=True)) == ids


@pytest.mark.usefixtures("small_year")
def test_a_dry_run_lists_added_changed_and_removed_rows_and_writes_nothing(
    tmp_path: Path,
) -> None:
    budget = [list(r) for r in BUDGET_ROWS]
    budget[0][7] = 310  # B01 全年预算数 300 → 310
    ledger = [LEDGER_ROWS[0], [*LEDGER_ROWS[1][:5], "尾款"],
              [*LEDGER_ROWS[2][:3], -6000, "是", None],
              ["L01", "2024-12-01", "记-121", 100, "否", "新增一笔"]]  # fmt: skip
    budget[1][8] = None  # L01's 执行数 follows its ledger
    path = xlsx(tmp_path / "a.xlsx", ("预算与执行", budget_sheet(rows=budget)),
                ("支出明细", ledger_sheet(rows=ledger)))  # fmt: skip
    before, counts = stored_text(), table_counts()
    result = import_workbook(path, dry_run=True)
    assert stored_text() == before and table_counts() == counts
    assert [str(change) for change in result.changes()] == [
        "预算与执行!5  修改预算行 B01：全年预算数：300 → 310",
        "支出明细!6  修改支出 L01 2024-09-20 记-092 705,000.00元：摘要：（空） → 尾款",
        "支出明细!7  新增支出 L01 2024-10-08 记-101 -6,000.00元",
        "支出明细!8  新增支出 L01 2024-12-01 记-121 100.00元",
        "（已存数据）  删除支出 L01 2024-10-08 记-101 -5,000.00元",
    ]
    assert result.summary() == "预算行：新增 0，修改 1，删除 0；支出：新增 2，修改 1，删除 1"
    applied = import_workbook(path)
    assert applied.summary() == result.summary()
    payments = export_dataset("test-dept", 2024).budget.payments
    assert [(p.voucher, p.amount, p.description) for p in payments] == [
        ("记-031", Decimal(40), ""), ("记-092", Decimal("70.5"), "尾款"),
        ("记-101", Decimal("-0.6"), ""), ("记-121", Decimal("0.01"), "新增一笔"),
    ]  # fmt: skip


@pytest.mark.usefixtures("small_year")
def test_every_problem_is_listed_with_its_cell_value_and_reason(tmp_path: Path) -> None:
    ledger = [["L01", "2024-03-15", "记-031", "7,26x", "否", None],
              ["L99", "2024-03-16", "记-032", 100, "否", None],
              ["L01", "2023-12-31", "记-033", 100, "否", None],
              ["L01", "2024-04-01", "记-034", -100, None, None],
              ["L01", "2024-04-02", "记-035", 100, "是", None],
              ["L01", "2024-04-03", "记-036", 12.3456789, "否", None],
              ["L02", "2024-04-04", "记-037", 100, "否", None]]  # fmt: skip
    budget = [list(r) for r in BUDGET_ROWS]
    budget[2][2] = "专项债券"
    problems = _refused(xlsx(tmp_path / "a.xlsx", ("预算与执行", budget_sheet(rows=budget)),
                             ("支出明细", ledger_sheet(rows=ledger))))  # fmt: skip
    assert problems == [
        ("预算与执行!C7", "资金来源：“专项债券”不是可选的资金来源，可选：一般公共预算财政拨款、"
                          "政府性基金预算财政拨款、国有资本经营预算财政拨款、其他资金"),
        ("支出明细!D5", "金额：“7,26x”不是有效的金额（应为数字，如 1234.56 或 1,234.56）"),
        ("支出明细!D10", "金额：金额“12.3456789”元超过分位精度：金额最多精确到分"
                         "（以元计最多两位小数）；请检查是否多录了数字，或先四舍五入到分"),
        ("支出明细!A6", "预算行代码：预算行“L99”不存在（不在2024年度的预算行中）"),
        ("支出明细!B7", "支付日期：2023-12-31 不在 2024 年度内"),
        ("支出明细!D8", "金额：读到负数“-100”，只有退款（冲减）才能为负数；"
                        "如是退款，请在“退款”列填“是”"),
        ("支出明细!E9", "退款：标为退款，但金额“100”是正数；退款金额应为负数"),
        ("预算与执行!I7", "执行数：该预算行有支出明细，执行数由明细汇总为 0.01 万元，"
                          "表中为 210.25 万元，不一致；请清空此格或改正"),
    ]  # fmt: skip


@pytest.mark.usefixtures("small_year")
def test_a_ledger_for_a_line_with_final_accounts_points_at_the_ledger_row(tmp_path: Path) -> None:
    ledger = [*LEDGER_ROWS, ["L02", "2024-04-04", "记-037", 100, "否", None]]
    problems = _refused(xlsx(tmp_path / "a.xlsx", ("支出明细", ledger_sheet(rows=ledger))))
    assert problems == [
        ("支出明细!A8", "预算行“L02”已填写执行数 210.25 万元（决算口径），不能同时有支出明细；"
                        "请在预算与执行表中清空该行执行数后一并导入"),
    ]  # fmt: skip


@pytest.mark.usefixtures("small_year")
def test_it_refuses_to_remove_a_line_that_has_payments(tmp_path: Path) -> None:
    rows = [BUDGET_ROWS[0], BUDGET_ROWS[2]]
    problems = _refused(xlsx(tmp_path / "a.xlsx", ("预算与执行", budget_sheet(rows=rows))))
    assert problems == [
        ("预算与执行", "预算行“L01”不在表中（导入后将被删除），但它已有 3 笔支出明细；"
                       "如确需删除，请先导入不含这些支出的支出明细表"),
    ]  # fmt: skip


@pytest.mark.usefixtures("small_year")
def test_it_removes_a_line_missing_from_the_sheet(tmp_path: Path) -> None:
    rows = [BUDGET_ROWS[0], BUDGET_ROWS[1]]
    result = import_workbook(xlsx(tmp_path / "a.xlsx", ("预算与执行", budget_sheet(rows=rows))))
    assert [str(c) for c in result.changes()] == ["（已存数据）  删除预算行 L02：土地储备前期"]
    assert [line.code for line in export_dataset("test-dept", 2024).budget.lines] == ["B01", "L01"]


@pytest.mark.usefixtures("small_year")
def test_a_ledger_total_that_disagrees_with_the_budget_sheet_is_a_problem(tmp_path: Path) -> None:
    budget = [list(r) for r in BUDGET_ROWS]
    budget[1][8] = 111
    problems = _refused(xlsx(tmp_path / "a.xlsx", ("预算与执行", budget_sheet(rows=budget))))
    assert problems == [
        ("预算与执行!I6", "执行数：该预算行有支出明细，执行数由明细汇总为 110 万元，"
                          "表中为 111 万元，不一致；请清空此格或改正"),
    ]  # fmt: skip


@pytest.mark.usefixtures("small_year")
def test_nature_rules_are_explained_on_the_cells(tmp_path: Path) -> None:
    budget = [list(r) for r in BUDGET_ROWS]
    budget[0][5] = "P001"  # basic line with a project
    budget[2][5] = None  # project line without one
    budget[2][4] = "公用经费"
    problems = _refused(xlsx(tmp_path / "a.xlsx", ("预算与执行", budget_sheet(rows=budget))))
    assert problems == [
        ("预算与执行!F5", "项目代码：基本支出不应填写项目代码（读到“P001”）"),
        ("预算与执行!F7", "项目代码：支出性质为项目支出，必须填写项目代码"),
        ("预算与执行!E7", "基本支出类别：只有基本支出才填写（读到“公用经费”）"),
    ]


@pytest.mark.usefixtures("small_year")
def test_a_new_project_needs_a_name_and_a_duplicate_code_is_named(tmp_path: Path) -> None:
    rows = [*BUDGET_ROWS, ["L03", "新项目", "其他资金", "项目支出", None, "P009", 0, 50, None],
            ["L01", "重复", "其他资金", "基本支出", None, None, 0, 1, None]]  # fmt: skip
    problems = _refused(xlsx(tmp_path / "a.xlsx", ("预算与执行", budget_sheet(rows=rows))))
    assert problems == [
        ("预算与执行!A9", "预算行代码：“L01”重复（第一次出现在 预算与执行!A6）"),
        ("预算与执行!F8", "项目代码：项目“P009”尚未登记；新项目请在“项目名称”列填写名称"),
    ]


@pytest.mark.usefixtures("small_year")
def test_the_adjustments_sheet_replaces_the_years_adjustments(tmp_path: Path) -> None:
    adjustments = [["部门代码", "test-dept"], ["年度", 2024], ["单位：万元"],
                   ["预算行代码", "调整日期", "调整金额", "文号", "调整原因"],
                   ["L01", "2024-06-30", 15, "测财〔2024〕8号", "追加任务"],
                   ["L01", "2024-09-30", 5, "测财〔2024〕21号", "再追加"]]  # fmt: skip
    path = xlsx(tmp_path / "a.xlsx", ("预算与执行", budget_sheet()), ("预算调整", adjustments))
    result = import_workbook(path)
    changes = [str(c) for c in result.changes()]
    assert changes == ["预算与执行!6  修改预算行 L01：预算调整：1笔 → 2笔"]
    [line] = [line for line in export_dataset("test-dept", 2024).budget.lines if line.code == "L01"]
    assert [(a.date, a.amount) for a in line.adjustments] == [
        (dt.date(2024, 6, 30), Decimal(15)), (dt.date(2024, 9, 30), Decimal(5))]


def test_a_budget_for_a_year_not_yet_stored_creates_it(tmp_path: Path) -> None:
    rows = [["部门代码", "new-dept"], ["部门名称", "新建局"], ["年度", 2025], ["单位：元"],
            ["预算行代码", "预算行名称", "资金来源", "支出性质", "项目代码", "项目名称",
             "年初预算数", "全年预算数"],
            ["L01", "办公设备购置", "一般公共预算", "项目支出", "P01", "办公设备",
             "10,000", "12,000"]]  # fmt: skip
    ledger = [["部门代码", "new-dept"], ["年度", 2025], ["单位：元"],
              ["预算行代码", "支付日期", "金额"], ["L01", "2025-02-03", 2500]]  # fmt: skip
    result = import_workbook(xlsx(tmp_path / "a.xlsx", ("预算", rows), ("明细", ledger)))
    assert result.created_year
    dataset = export_dataset("new-dept", 2025)
    assert dataset.unit.value == "元"
    assert dataset.budget.projects[0].name == "办公设备"
    assert dataset.budget.lines[0].final_budget == Decimal(12000)
    assert dataset.budget.payments[0].amount == Decimal(2500)


def test_a_ledger_for_a_year_not_yet_stored_is_refused(tmp_path: Path) -> None:
    problems = _refused(xlsx(tmp_path / "a.xlsx", ("支出明细", ledger_sheet())))
    assert problems == [
        ("支出明细", "部门“test-dept”的2024年度尚未建立：请先导入该年度的预算与执行表"
                     "（或用 jixiao load 导入数据文件）"),
    ]  # fmt: skip


@pytest.mark.usefixtures("small_year")
def test_conflicting_years_and_a_missing_table_are_explained(tmp_path: Path) -> None:
    ledger = ledger_sheet()
    ledger[1] = ["年度", 2023]
    problems = _refused(xlsx(tmp_path / "a.xlsx", ("预算与执行", budget_sheet()),
                             ("支出明细", ledger)))  # fmt: skip
    assert problems == [("支出明细!B2", "年度：此处为“2023”，与 预算与执行!B2 的“2024”不一致")]
    problems = _refused(xlsx(tmp_path / "b.xlsx", ("Sheet1", [["你好"], [1, 2, 3]])))
    assert problems[0][0] == "b.xlsx"
    assert "没有找到可导入的表" in problems[0][1]


@pytest.mark.usefixtures("small_year")
def test_an_empty_table_is_refused_rather_than_read_as_remove_everything(tmp_path: Path) -> None:
    problems = _refused(xlsx(tmp_path / "a.xlsx", ("支出明细", ledger_sheet(rows=[]))))
    assert problems == [
        ("支出明细", "支出明细表没有数据行（表头在第4行）；空表不导入，以免误删已存数据")
    ]


@pytest.mark.usefixtures("small_year")
def test_an_import_keeps_the_years_monitoring_snapshots(tmp_path: Path) -> None:
    from jixiao.services.reading import find_fiscal_year

    year = find_fiscal_year("test-dept", 2024)
    m.MonitoringSnapshot.objects.create(fiscal_year=year, as_of=dt.date(2024, 7, 31),
                                        rules="monitoring-ratio", result={})  # fmt: skip
    budget = [list(r) for r in BUDGET_ROWS]
    budget[0][7] = 310
    import_workbook(xlsx(tmp_path / "a.xlsx", ("预算与执行", budget_sheet(rows=budget))))
    assert m.MonitoringSnapshot.objects.filter(fiscal_year=year).count() == 1


def test_a_new_department_with_an_unusable_code_or_year_is_explained(tmp_path: Path) -> None:
    rows = budget_sheet()
    rows[0] = ["部门代码", "new dept"]
    rows[1] = ["年度", 2025]
    rows.insert(0, ["部门名称", "新局"])
    problems = _refused(xlsx(tmp_path / "a.xlsx", ("预算与执行", rows)))
    assert [where for where, _ in problems] == ["预算与执行"]
    assert problems[0][1].startswith("部门代码：")
    rows[2] = ["年度", 1980]
    problems = _refused(xlsx(tmp_path / "b.xlsx", ("预算与执行", rows)))
    assert problems == [("预算与执行!B3", "年度：“1980”不是有效的年度")]


@pytest.mark.usefixtures("small_year")
def test_a_filling_date_above_the_table_is_not_taken_for_the_year(tmp_path: Path) -> None:
    rows = [["部门名称", None, "年度", None], ["编制单位：测试区测试局"],
            ["填表日期：2025年1月5日"], ["2024年部门支出明细"], ["单位：元"], LEDGER_HEADER,
            *LEDGER_ROWS]  # fmt: skip
    result = import_workbook(xlsx(tmp_path / "a.xlsx", ("支出明细", rows)))
    assert (result.department_code, result.year) == ("test-dept", 2024)


@pytest.mark.usefixtures("small_year")
def test_budget_changes_land_in_the_audit_history(tmp_path: Path) -> None:
    adjustments = [["部门代码", "test-dept"], ["年度", 2024], ["单位：万元"],
                   ["预算行代码", "调整日期", "调整金额"], ["L01", "2024-06-30", 20]]  # fmt: skip
    budget = [list(r) for r in BUDGET_ROWS]
    budget[0][7] = 310
    import_workbook(xlsx(tmp_path / "a.xlsx", ("预算与执行", budget_sheet(rows=budget)),
                         ("预算调整", adjustments)))  # fmt: skip
    line = m.BudgetLine.objects.get(code="B01")
    assert [h.history_type for h in line.history.order_by("history_id")] == ["+", "~"]
    assert line.history.latest().final_budget == Decimal(3100000)
    kinds = m.BudgetAdjustment.history.filter(budget_line__code="L01").values_list(
        "history_type", flat=True
    )
    # the loaded adjustment ("+" when the year was loaded) replaced by the sheet's
    assert sorted(kinds) == ["+", "+", "-"]
