"""The indicator library and the cost standards in Excel: out, edited, and in again."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.interchange.cost_standard_files import shipped_cost_standards
from jixiao.interchange.indicator_library_files import shipped_indicator_library
from jixiao.interchange.problems import InputRejected
from jixiao.interchange.rule_workbooks import (
    read_library_workbook,
    read_standards_workbook,
    write_library_workbook,
    write_standards_workbook,
)


def test_a_library_exported_and_imported_again_is_the_same_library(tmp_path: Path) -> None:
    for name in ("natural-resources", "mof-2013-dept"):
        library = shipped_indicator_library(name)
        path = write_library_workbook(library, tmp_path / f"{name}.xlsx")
        assert read_library_workbook(path) == library


def test_cost_standards_exported_and_imported_again_are_the_same(tmp_path: Path) -> None:
    standards = shipped_cost_standards("cost-standards-central-meetings-training")
    path = write_standards_workbook(standards, tmp_path / "standards.xlsx")
    assert read_standards_workbook(path) == standards


def test_the_export_writes_choices_as_chinese_labels(tmp_path: Path) -> None:
    library = shipped_indicator_library("natural-resources")
    path = write_library_workbook(library, tmp_path / "library.xlsx")
    sheet = load_workbook(path)["指标库"]
    header = [cell.value for cell in sheet[1]]
    row = {h: cell.value for h, cell in zip(header, sheet[4], strict=False)}  # ZR-DJ-03
    assert row["指标方向"] == "反向"
    assert row["指标类型"] == "定量"
    assert row["取值依据"] == "计划标准"
    assert row["基准值"] == 5


def test_an_edited_library_imports_a_new_indicator_and_past_value(tmp_path: Path) -> None:
    path = write_library_workbook(
        shipped_indicator_library("natural-resources"), tmp_path / "l.xlsx"
    )
    book = load_workbook(path)
    book["指标库"].append(
        ["ZR-CH-01", "产出指标", "数量指标", "完成地籍调查面积", "自然资源", "测绘", "定量",
         "平方公里", "正向", "年度完成地籍调查的面积", "计划标准", None, None, None,
         "地籍调查面积、地籍测绘面积", None, "待审核"]
    )  # fmt: skip
    book["历年数值"].append(["ZR-CH-01", 2023, "liwan-ghzy", None, 10, 12.5])
    book.save(path)
    library = read_library_workbook(path)
    entry = library.entry("ZR-CH-01")
    assert entry is not None
    assert entry.aliases == ("地籍调查面积", "地籍测绘面积")
    assert entry.status.label == "待审核"
    assert library.matching("地籍调查面积") is None  # proposed, not yet approved
    assert library.values_of("ZR-CH-01")[0].actual == 12.5


def test_every_bad_cell_is_named_and_nothing_is_read(tmp_path: Path) -> None:
    path = write_library_workbook(
        shipped_indicator_library("natural-resources"), tmp_path / "l.xlsx"
    )
    book = load_workbook(path)
    sheet = book["指标库"]
    sheet["I2"] = "向上"  # 指标方向
    sheet["H3"] = "箱"  # 计量单位
    book["历年数值"]["E2"] = "很多"
    book["历年数值"]["B3"] = 2023.5
    book.save(path)
    with pytest.raises(InputRejected) as caught:
        read_library_workbook(path)
    assert [(p.where, p.message) for p in caught.value.problems] == [
        ("指标库!I2", "“向上”不是允许的指标方向，可选：正向、反向、等于"),
        ("历年数值!E2", "“很多”不是有效的年度指标值（应为数字，如 1234.56 或 1,234.56）"),
        ("历年数值!B3", "“2023.5”不是整数"),
    ]
    sheet["I2"] = "正向"
    book["历年数值"]["E2"] = None
    book["历年数值"]["B3"] = 2023
    book.save(path)
    with pytest.raises(InputRejected) as caught:
        read_library_workbook(path)
    assert [(p.where, p.message) for p in caught.value.problems] == [
        ("指标库!H3", "不认识的计量单位“箱”")
    ]


def test_a_workbook_without_its_sheets_is_refused(tmp_path: Path) -> None:
    path = write_standards_workbook(
        shipped_cost_standards("cost-standards-central-meetings-training"), tmp_path / "s.xlsx"
    )
    with pytest.raises(InputRejected) as caught:
        read_library_workbook(path)
    assert ("指标库", "工作簿中没有名为“指标库”的工作表") in [
        (p.where, p.message) for p in caught.value.problems
    ]


@pytest.mark.parametrize("read", [read_library_workbook, read_standards_workbook])
def test_a_damaged_workbook_is_called_damaged(tmp_path: Path, read: object) -> None:
    """Bytes that are no workbook, or a workbook cut short, under an .xlsx name."""
    whole = write_library_workbook(shipped_indicator_library("natural-resources"),
                                   tmp_path / "whole.xlsx").read_bytes()  # fmt: skip
    for name, content in (("noise.xlsx", b"\x00\x13 not a workbook" * 40),
                          ("cut.xlsx", whole[: len(whole) // 2])):  # fmt: skip
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(InputRejected) as refused:
            read(path)  # type: ignore[operator]
        (problem,) = refused.value.problems
        assert problem.where == name
        assert problem.message.startswith("文件已损坏，无法打开"), problem.message


def test_an_illustrative_past_value_keeps_its_flag_through_the_workbook(tmp_path: Path) -> None:
    from dataclasses import replace

    library = shipped_indicator_library("natural-resources")
    first, *rest = library.history
    library = replace(library, history=(replace(first, illustrative=True), *rest))
    path = write_library_workbook(library, tmp_path / "library.xlsx")
    sheet = load_workbook(path)["历年数值"]
    header = [cell.value for cell in sheet[1]]
    flags = [row[header.index("示意数据")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert flags == ["是"] + [None] * len(rest)
    assert read_library_workbook(path) == library
