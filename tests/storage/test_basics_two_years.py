"""部门整体 基础信息表 stored per year: 上年数 / 本年数, "未公布" kept, checked across years."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.core.consistency import run_checks
from jixiao.documents.evaluation_tables import read_evaluation_workbook
from jixiao.interchange.dataset_file import parse_dataset
from jixiao.interchange.problems import InputRejected
from jixiao.services.evaluating import evaluate_stored_year, write_evaluation_tables
from jixiao.services.reading import department_year, export_dataset
from jixiao.services.storing import store_dataset
from tests.conftest import SMALL_YEAR

pytestmark = pytest.mark.django_db

BASICS_2024 = """
basics:
  - {label: 收入合计, unit: 万元, last_year: "1,324.56", this_year: "1,500.00"}
  - {label: 财政拨款收入, unit: 万元, last_year: "1,200.00", this_year: "1,400.00",
     part_of: 收入合计}
  - {label: 其他收入, unit: 万元, last_year: 未公布, this_year: "100.00", part_of: 收入合计}
  - {label: 在职人员数, unit: 人, last_year: 45, this_year: 47}
"""

BASICS_2023 = """
basics:
  - {label: 收入合计, unit: 万元, last_year: "1,100.00", this_year: "1,234.56"}
  - {label: 在职人员数, unit: 人, last_year: 44, this_year: 45}
"""


def _store(year: int, basics: str) -> None:
    text = SMALL_YEAR.replace("2024", str(year)) + basics
    store_dataset(parse_dataset(text.encode("utf-8")), replace=True)


def _basics_findings(year: int) -> list[str]:
    findings = run_checks(department_year("test-dept", year))
    return [f.message for f in findings if f.subject == "基础信息表"]


def test_a_year_with_its_basics_exports_as_it_was_loaded() -> None:
    text = SMALL_YEAR + BASICS_2024
    original = parse_dataset(text.encode("utf-8"))
    store_dataset(original)
    exported = export_dataset("test-dept", 2024)
    assert exported == original
    assert exported.basics[2].last_year == "未公布"
    assert exported.basics[0].last_year == Decimal("1324.56")


def test_last_years_figure_is_checked_against_the_stored_previous_year() -> None:
    _store(2023, BASICS_2023)
    _store(2024, BASICS_2024)
    findings = _basics_findings(2024)
    differs = [m for m in findings if "与2023年度基础信息表的本年数" in m]
    assert len(differs) == 1
    assert "“收入合计”上年数1,324.56万元" in differs[0]
    assert "1,234.56万元" in differs[0]
    assert "两位数字颠倒" in differs[0]


def test_the_same_figure_in_both_years_is_no_finding() -> None:
    _store(2023, BASICS_2023)
    _store(2024, BASICS_2024.replace('last_year: "1,324.56"', 'last_year: "1,234.56"'))
    assert not [m for m in _basics_findings(2024) if "本年数" in m and "不一致" in m]


def test_an_unpublished_part_leaves_its_total_unverifiable_and_is_never_zero() -> None:
    _store(2024, BASICS_2024)
    findings = _basics_findings(2024)
    assert any("“收入合计”的上年数无法核实：其中“其他收入”未公布" in m for m in findings)
    # 本年数: 1,400.00 + 100.00 = 1,500.00 foots
    assert not any("“收入合计”的本年数" in m for m in findings)
    stored = department_year("test-dept", 2024).basics[2]
    assert stored.figures[next(iter(stored.figures))].published is False


def test_parts_that_do_not_foot_to_their_total_are_a_finding() -> None:
    _store(2024, BASICS_2024.replace('this_year: "100.00"', 'this_year: "90.00"'))
    assert any("收入合计" in m and "本年数" in m for m in _basics_findings(2024))


@pytest.mark.parametrize(
    ("basics", "where", "words"),
    [
        (
            "basics:\n  - {label: 其他收入, unit: 万元, this_year: 1, part_of: 收入合计}\n"
            "  - {label: 收入合计, unit: 万元, this_year: 1}\n",
            "basics[0].part_of",
            "须写在本行之前",
        ),
        (
            "basics:\n  - {label: 收入合计, unit: 万元, this_year: 1}\n"
            "  - {label: 收入合计, unit: 万元, this_year: 2}\n",
            "basics[1].label",
            "重复出现",
        ),
    ],
)
def test_a_malformed_table_is_refused_at_its_row(basics: str, where: str, words: str) -> None:
    with pytest.raises(InputRejected) as refused:
        parse_dataset((SMALL_YEAR + basics).encode("utf-8"))
    assert any(p.where == where and words in p.message for p in refused.value.problems)


def test_the_evaluation_workbook_prints_the_table_with_computed_changes(tmp_path: Path) -> None:
    _store(2024, BASICS_2024)
    path = write_evaluation_tables(evaluate_stored_year("test-dept", 2024), tmp_path)
    rows = read_evaluation_workbook(path)["基础信息表"]
    assert rows[0][0] == "2024年度测试区测试局基础信息表"
    assert rows[1] == ["项目", "单位", "上年数", "本年数", "增减额", "增减率"]
    total, grant, other, staff = rows[2:6]
    assert total == ["收入合计", "万元", Decimal("1324.56"), Decimal("1500"), Decimal("175.44"),
                     Decimal("0.1325")]  # fmt: skip
    assert grant[0] == "其中：财政拨款收入"
    assert other[0].endswith("其他收入") and other[0].startswith("　")
    assert other[2:6] == ["未公布", Decimal("100"), "未公布", "未公布"]
    assert staff == ["在职人员数", "人", Decimal("45"), Decimal("47"), Decimal("2"),
                     Decimal("0.0444")]  # fmt: skip


def test_a_year_without_basics_has_no_such_sheet(tmp_path: Path) -> None:
    _store(2024, "")
    path = write_evaluation_tables(evaluate_stored_year("test-dept", 2024), tmp_path)
    assert "基础信息表" not in read_evaluation_workbook(path)
