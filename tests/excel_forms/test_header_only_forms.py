"""A sheet whose title names no form is told by its header alone, as each standard layout's
``identify.by_header`` says (data, tried by rank)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.interchange.excel.layout_files import load_layouts
from jixiao.interchange.excel.locate import locate_form
from jixiao.interchange.excel.workbook import read_workbook
from tests.excel_forms.layout_forms import xlsx

_LEVELS = ["一级指标", "二级指标", "三级指标"]
_ROW = ["产出指标", "数量指标", "培训人次"]


def _sheet(tmp_path: Path, header: list[str], row: list[Any]) -> Any:
    path = xlsx(tmp_path / "s.xlsx", ("表1", [["某局2023年度绩效表"], header, row]))
    return read_workbook(path).sheets[0]


@pytest.mark.parametrize(
    ("header", "row", "layout"),
    [
        ([*_LEVELS, "年度指标值", "1-7月实际完成值", "完成目标可能性"],
         [*_ROW, "≥100人次", "60人次", "确定能"], "mof-monitoring"),
        ([*_LEVELS, "指标值/计算公式", "实际值", "分值", "得分"],
         [*_ROW, "≥100人次", "120人次", 10, 10], "mof-department-evaluation"),
        ([*_LEVELS, "年度指标值", "实际完成值", "分值", "得分"],
         [*_ROW, "≥100人次", "120人次", 10, 10], "mof-project-evaluation"),
        ([*_LEVELS, "指标类型", "年度指标值", "分值"],
         [*_ROW, "定量", "≥100人次", 10], "mof-goals"),
        ([*_LEVELS, "年度指标值", "实际完成值", "分值"],
         [*_ROW, "≥100人次", "120人次", 10], None),
    ],
)  # fmt: skip
def test_a_sheet_without_a_form_title_is_told_by_its_header(
    tmp_path: Path, header: list[str], row: list[Any], layout: str | None
) -> None:
    located = locate_form(_sheet(tmp_path, header, row))
    assert (located.layout.id if located else None) == layout


def test_the_header_signs_are_data(tmp_path: Path) -> None:
    own = tmp_path / "mof-monitoring.yaml"
    own.write_text(
        "format: jixiao-form-layout/2\nid: mof-monitoring\nname: 本地监控表\nform: monitoring\n"
        "base: mof-monitoring\nfallback: true\nidentify:\n  titles: [执行监控表]\n"
        "  by_header:\n    rank: 1\n    when:\n      - roles: [likelihood, reason]\n",
        encoding="utf-8",
    )
    header = [*_LEVELS, "年度指标值", "1-7月实际完成值", "完成目标可能性"]
    sheet = _sheet(tmp_path, header, [*_ROW, "≥100人次", "60人次", "确定能"])
    assert locate_form(sheet, load_layouts([own])) is None  # no 偏差原因说明 column
    with_reason = _sheet(
        tmp_path, [*header, "偏差原因说明"], [*_ROW, "≥100人次", "60人次", "确定能", "进度慢"]
    )
    located = locate_form(with_reason, load_layouts([own]))
    assert located is not None and located.read_as == "按版式“本地监控表”读取"
