"""`jixiao template`, `jixiao import` and `jixiao export-xlsx` as a finance office uses them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.excel.sheets import (
    BUDGET_ROWS,
    budget_sheet,
    ledger_sheet,
    store_small_year,
    stored_text,
    xlsx,
)

pytestmark = pytest.mark.django_db

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(autouse=True)
def _small_year(small_year_text: str) -> None:
    store_small_year(small_year_text)


def test_it_writes_templates_by_english_or_chinese_name(jixiao: Run, tmp_path: Path) -> None:
    for name in ("budget", "预算与执行", "ledger", "支出明细"):
        code, out, _ = jixiao("template", name, "--out", tmp_path / f"{name}.xlsx")
        assert code == 0
        assert (tmp_path / f"{name}.xlsx").exists()
        assert "已生成模板" in out
    code, _, err = jixiao("template", "决算表", "--out", tmp_path / "x.xlsx")
    assert code == 2
    assert "没有名为“决算表”的模板；可用：budget、预算与执行、ledger、支出明细、goals" in err


def test_import_lists_every_problem_and_exits_2(jixiao: Run, tmp_path: Path) -> None:
    ledger = [["L01", "2024-03-15", "记-031", "7,26x", "否", None],
              ["L99", "2024-13-01", "记-032", -5, None, None]]  # fmt: skip
    before = stored_text()
    path = xlsx(tmp_path / "a.xlsx", ("支出明细", ledger_sheet(rows=ledger)))
    code, out, err = jixiao("import", path)
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        "未写入任何数据：发现 4 个问题",
        "  支出明细!D5: 金额：“7,26x”不是有效的金额（应为数字，如 1234.56 或 1,234.56）",
        "  支出明细!B6: 支付日期：“2024-13-01”不是存在的日期",
        "  支出明细!A6: 预算行代码：预算行“L99”不存在（不在2024年度的预算行中）",
        "  支出明细!D6: 金额：读到负数“-5”，只有退款（冲减）才能为负数；"
        "如是退款，请在“退款”列填“是”",
    ]
    assert "Traceback" not in err
    assert stored_text() == before


def test_import_dry_run_prints_the_changes_and_writes_nothing(jixiao: Run, tmp_path: Path) -> None:
    budget = [list(r) for r in BUDGET_ROWS]
    budget[0][7] = 310
    path = xlsx(tmp_path / "a.xlsx", ("预算与执行", budget_sheet(rows=budget)))
    before = stored_text()
    code, out, err = jixiao("import", path, "--dry-run")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "试导入（--dry-run，未写入任何数据）：测试区测试局（test-dept）2024年度",
        "读取：预算与执行（预算与执行表）；共 3 行数据",
        "将要变化：预算行：新增 0，修改 1，删除 0",
        "  预算与执行!5  修改预算行 B01：全年预算数：300 → 310",
    ]
    assert stored_text() == before
    code, out, _ = jixiao("import", path)
    assert code == 0
    assert out.splitlines()[0] == "已导入：测试区测试局（test-dept）2024年度"
    code, out, _ = jixiao("import", path)
    assert out.splitlines()[-1] == "没有变化：表中数据与已存数据一致"


def test_export_then_import_round_trips(jixiao: Run, tmp_path: Path) -> None:
    before = stored_text()
    for kind in ("budget", "ledger"):
        path = tmp_path / f"{kind}.xlsx"
        code, out, _ = jixiao("export-xlsx", "--department", "test-dept", "--year", "2024",
                              "--kind", kind, "--out", path)  # fmt: skip
        assert code == 0, out
        code, out, _ = jixiao("import", path)
        assert code == 0
        assert "没有变化" in out
    assert stored_text() == before


def test_export_of_a_missing_year_says_so(jixiao: Run, tmp_path: Path) -> None:
    code, _, err = jixiao("export-xlsx", "--department", "nobody", "--year", "2024",
                          "--kind", "budget", "--out", tmp_path / "x.xlsx")  # fmt: skip
    assert code == 2
    assert "未找到部门“nobody”的2024年度数据" in err


def test_a_missing_file_is_a_problem_not_a_crash(jixiao: Run, tmp_path: Path) -> None:
    code, _, err = jixiao("import", tmp_path / "nothing.xlsx")
    assert code == 2
    assert "无法读取文件" in err
