"""A 基础信息表 workbook imported into a stored year: stored as read, all or nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.interchange.dataset_file import parse_dataset
from jixiao.interchange.excel.importing import ImportResult
from jixiao.interchange.excel.rights import ImportRights
from jixiao.interchange.problems import InputRejected
from jixiao.services.excel_import import import_workbook
from jixiao.services.reading import export_dataset
from jixiao.services.storing import store_dataset
from tests.conftest import SMALL_YEAR
from tests.excel_forms.test_department_basics import ROWS, basics_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def stored_year() -> None:
    store_dataset(parse_dataset(SMALL_YEAR.encode("utf-8")))


def _import(path: Path, **options: Any) -> ImportResult:
    return import_workbook(path, department="test-dept", year=2024, **options)


def test_the_table_is_stored_with_unpublished_figures_kept(tmp_path: Path) -> None:
    result = _import(basics_form(tmp_path / "基础信息表.xlsx"))
    assert "基础信息表" in str(result.plan.budget_changes[0])
    basics = export_dataset("test-dept", 2024).basics
    assert [row.label for row in basics][:3] == ["一、收入合计", "财政拨款收入", "其他收入"]
    assert basics[1].part_of == "一、收入合计"
    assert basics[0].last_year == Decimal("1234.56")
    assert basics[6].last_year == "未公布"
    assert basics[7].unit == "人"


def test_a_second_import_of_the_same_file_changes_nothing(tmp_path: Path) -> None:
    path = basics_form(tmp_path / "基础信息表.xlsx")
    _import(path)
    again = _import(path)
    assert again.plan.budget_changes == []


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    _import(basics_form(tmp_path / "基础信息表.xlsx"), dry_run=True)
    assert export_dataset("test-dept", 2024).basics == []


def test_an_unreadable_cell_refuses_the_whole_table_at_its_place(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[3][2] = "约一千三"
    with pytest.raises(InputRejected) as refused:
        _import(basics_form(tmp_path / "坏.xlsx", rows))
    assert any("C7" in p.where for p in refused.value.problems)
    assert export_dataset("test-dept", 2024).basics == []


def test_an_office_may_not_import_the_table(tmp_path: Path) -> None:
    with pytest.raises(InputRejected) as refused:
        _import(basics_form(tmp_path / "基础信息表.xlsx"), rights=ImportRights.own_projects(["P1"]))
    assert "由财务科导入" in str(refused.value)
