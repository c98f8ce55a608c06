"""Templates from a department-year come with the department and year filled in; blank ones
stay blank; every 说明 sheet says how to import in the browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.interchange.excel.form_layouts import FormKind
from jixiao.interchange.excel.form_templates import Prefill, write_form_template
from jixiao.interchange.excel.layouts import BUDGET_KIND, LEDGER_KIND
from jixiao.interchange.excel.templates import write_template
from jixiao.interchange.excel.writer import Meta
from jixiao.services.excel_import import import_workbook
from tests.excel.sheets import LEDGER_ROWS, store_small_year

META = Meta("test-dept", "测试区测试局", 2024)
ONE_PROJECT = Prefill("test-dept", "测试区测试局", 2024, (("P001", "国土空间规划编制"),))


def test_a_table_template_carries_the_department_and_year(tmp_path: Path) -> None:
    book = load_workbook(write_template(BUDGET_KIND, tmp_path / "b.xlsx", META))
    for name in ("预算与执行", "预算调整"):
        sheet = book[name]
        assert [sheet[f"B{row}"].value for row in (2, 3, 4)] == ["test-dept", "测试区测试局", 2024]
        assert sheet["A1"].value == f"2024年度 {name}"
        assert not sheet["B2"].protection.locked  # still the clerk's to change
    blank = load_workbook(write_template(BUDGET_KIND, tmp_path / "blank.xlsx"))["预算与执行"]
    assert [blank[f"B{row}"].value for row in (2, 3, 4)] == [None, None, None]
    assert blank["A1"].value == "预算与执行"


@pytest.mark.django_db
def test_a_prefilled_ledger_template_imports_without_typing_department_or_year(
    tmp_path: Path, small_year_text: str
) -> None:
    store_small_year(small_year_text)
    book = load_workbook(write_template(LEDGER_KIND, tmp_path / "l.xlsx", META))
    sheet = book["支出明细"]
    for row, (line, day, voucher, amount, refund, _) in enumerate(LEDGER_ROWS, start=7):
        for col, value in zip("BDEFG", (line, day, voucher, amount, refund), strict=True):
            sheet[f"{col}{row}"] = value
    book.save(tmp_path / "filled.xlsx")
    result = import_workbook(tmp_path / "filled.xlsx", dry_run=True)
    assert (result.department_code, result.year, result.changed) == ("test-dept", 2024, False)


def test_form_templates_carry_the_department_year_and_the_only_project(tmp_path: Path) -> None:
    def sheet(kind: FormKind, prefill: Prefill | None = None) -> object:
        book = load_workbook(
            write_form_template(kind, tmp_path / f"{kind.value}.xlsx", None, prefill)
        )
        return book[book.sheetnames[1]]

    goals = sheet(FormKind.goals, ONE_PROJECT)
    assert [goals[ref].value for ref in ("A2", "B3", "E3", "B4", "E4")] == [
        "（2024年度）", "test-dept", "测试区测试局", "P001", "国土空间规划编制",
    ]  # fmt: skip
    evaluation = sheet(FormKind.project_evaluation, ONE_PROJECT)
    assert [evaluation[ref].value for ref in ("A2", "B3", "F3", "B4")] == [
        "（2024年度）", "国土空间规划编制", "P001", "测试区测试局",
    ]  # fmt: skip
    department = sheet(FormKind.department_evaluation, ONE_PROJECT)
    assert [department[ref].value for ref in ("A2", "B3")] == ["（2024年度）", "测试区测试局"]
    monitoring = sheet(FormKind.monitoring, ONE_PROJECT)
    assert [monitoring[ref].value for ref in ("B2", "E2")] == ["测试区测试局", 2024]
    two = Prefill("test-dept", "测试区测试局", 2024, (("P001", "甲"), ("P002", "乙")))
    assert sheet(FormKind.goals, two)["B4"].value is None  # which one is the clerk's to say
    blank = sheet(FormKind.goals)
    assert [blank[ref].value for ref in ("B3", "E3", "B4", "E4")] == [None] * 4
    assert blank["A2"].value == "（    年度）"
    assert sheet(FormKind.monitoring)["E2"].value is None


def _instructions(path: Path) -> list[str]:
    return [
        str(row[1]) for row in load_workbook(path)["说明"].iter_rows(values_only=True) if row[1]
    ]


def test_the_instructions_list_the_projects_the_user_may_import(tmp_path: Path) -> None:
    two = Prefill("test-dept", "测试区测试局", 2024, (("P001", "甲"), ("P002", "乙")))
    lines = _instructions(write_form_template(FormKind.goals, tmp_path / "g.xlsx", prefill=two))
    assert "本年度您可导入的项目（项目代码 项目名称）：P001 甲；P002 乙。" in lines
    blank = _instructions(write_form_template(FormKind.goals, tmp_path / "blank.xlsx"))
    assert not any("您可导入的项目" in line for line in blank)


def test_every_instructions_sheet_tells_how_to_import_in_the_browser(tmp_path: Path) -> None:
    paths = [
        write_template(kind, tmp_path / f"{kind.name}.xlsx") for kind in (BUDGET_KIND, LEDGER_KIND)
    ]
    paths += [write_form_template(kind, tmp_path / f"{kind.value}.xlsx") for kind in FormKind]
    for path in paths:
        lines = _instructions(path)
        web = next(n for n, line in enumerate(lines) if "上传并预览" in line)
        assert "“导入”页" in lines[web] and "确认导入" in lines[web], path.name
        commands = [n for n, line in enumerate(lines) if "jixiao " in line]
        assert all(n > web for n in commands), path.name  # the command only after the web
