"""Junk in a form never crashes the import or the review; a fault halfway writes nothing."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from jixiao.interchange.excel.form_layouts import EVALUATION, GOALS, MONITORING
from jixiao.interchange.excel.review import review_workbook
from jixiao.interchange.problems import InputRejected, Problem
from jixiao.services import excel_form_import as form_import
from jixiao.services.excel_import import import_workbook
from tests.excel_forms.forms import P09, counts, edit, export, store_demo, store_text, stored

LABELS = sorted(
    {n for spec in (EVALUATION, GOALS, MONITORING) for c in spec.columns for n in c.names}
)
WORDS = [
    *LABELS,
    "项目支出绩效自评表",
    "部门整体支出绩效自评表",
    "项目支出绩效目标申报表",
    "绩效目标执行监控表（截至2024年7月31日）",
    "（2024年度）",
    "项目代码",
    "P001",
    "P002",
    "项目名称",
    "国土空间规划编制",
    "主管部门",
    "测试区测试局",
    "部门代码",
    "test-dept",
    "年度总体目标",
    "预期目标",
    "实际完成情况",
    "项目资金（万元）",
    "年度资金总额",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "执行率",
    "总分",
    "合计",
    "小计",
    "评价等级",
    "优",
    "良",
    "说明：预算执行情况说明：x",
    "产出指标",
    "数量指标",
    "效益指标",
    "满意度指标",
    "≥95%",
    "＞＝９５％",
    "≤30天",
    "=1个",
    "1个",
    "90%",
    "达成年度指标",
    "部分达成年度指标并具有一定效果",
    "定量",
    "定性",
    "确定能",
    "制度保障",
    "未填报",
    "—",
    "不适用",
    "=1+1",
    "  ",
]

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=10)
cells = st.one_of(
    st.none(),
    _TEXT,
    st.sampled_from(WORDS),
    st.integers(-(10**7), 10**7),
    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
    st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)),
    st.booleans(),
)

SKELETON: list[list[Any]] = [
    ["项目支出绩效自评表"],
    ["（2024年度）"],
    ["项目名称", "国土空间规划编制", None, None, "项目代码", "P001"],
    ["主管部门", "测试区测试局"],
    ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ["年度资金总额", None, 100, 120, 110, 10, 0.9167, 9.17],
    ["年度总体目标", "预期目标", None, None, "实际完成情况"],
    [None, "完成规划编制。", None, None, "已完成。"],
    [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ],
    ["产出指标", "数量指标", "编制规划数量", "=1个", "1个", 30, 30],
    ["产出指标", "时效指标", "按期完成率", "≥95%", "90%", 20, 18.95, "报批流程延长"],
    ["效益指标", "社会效益指标", "规划管控作用", "效果明显", "达成年度指标", 30, 28],
    ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "93%", 10, 10],
    ["总分", None, None, None, None, 100, 96.12],
    ["评价等级", None, None, None, None, "优"],
]


GOALS_SKELETON: list[list[Any]] = [
    ["项目支出绩效目标申报表"],
    ["（2024年度）"],
    ["部门代码", "test-dept", None, "部门名称", "测试区测试局"],
    ["项目代码", "P001", None, "项目名称", "国土空间规划编制"],
    ["年度总体目标", "完成国土空间规划编制。"],
    ["一级指标", "二级指标", "三级指标", "指标类型", "年度指标值", "分值", "上年实际完成值"],
    ["产出指标", "数量指标", "编制规划数量", "定量", "=1个", 30],
    ["产出指标", "时效指标", "按期完成率", "定量", "≥95%", 20],
    ["效益指标", "社会效益指标", "规划管控作用", "定性", "效果明显", 30],
    ["满意度指标", "服务对象满意度指标", "群众满意度", "定量", "≥90%", 10, "92%"],
]
MONITORING_SKELETON: list[list[Any]] = [
    ["2024年度项目支出绩效目标执行监控表（截至2024年7月31日）"],
    ["部门：测试区测试局"],
    ["项目名称", "一级指标", "二级指标", "三级指标", "年度指标值", "1-7月实际完成值", "完成值截至",
     "偏差原因类别", "偏差原因说明", "完成目标可能性"],
    ["国土空间规划编制", "产出指标", "时效指标", "按期完成率", "≥95%", "60%", "2024年7月31日",
     "制度保障", "报批流程延长", "有可能"],
    ["部门整体", "产出指标", "数量指标", "控规调整项目数", "≥3项", "2项", None, None, None,
     "确定能"],
]  # fmt: skip


@st.composite
def grids(draw: st.DrawFn) -> list[list[Any]]:
    """A filled form (self-evaluation, goals, monitoring) with junk dropped in, or junk with
    form words in it."""
    if draw(st.integers(0, 2)):
        skeleton = draw(st.sampled_from([SKELETON, SKELETON, GOALS_SKELETON, MONITORING_SKELETON]))
        grid = [list(row) + [None] * (10 - len(row)) for row in skeleton]
        for _ in range(draw(st.integers(0, 4))):
            row = grid[draw(st.integers(0, len(grid) - 1))]
            row[draw(st.integers(0, 9))] = draw(cells)
        if draw(st.booleans()):
            grid.insert(draw(st.integers(0, len(grid))), draw(st.lists(cells, max_size=8)))
        if draw(st.booleans()):
            del grid[draw(st.integers(0, len(grid) - 1))]
        return grid
    grid = draw(st.lists(st.lists(cells, max_size=9), max_size=16))
    if draw(st.booleans()):
        spec = draw(st.sampled_from((EVALUATION, GOALS, MONITORING)))
        names = draw(st.permutations([c.label for c in spec.columns]))
        grid.insert(draw(st.integers(0, len(grid))), names[: draw(st.integers(2, len(names)))])
    if draw(st.booleans()):
        grid.insert(0, [draw(st.sampled_from(WORDS[len(LABELS) : len(LABELS) + 4]))])
    return grid


def _write(path: Path, grid: list[list[Any]], merged: bool) -> Path:
    book = Workbook()
    sheet = book.active
    for row in grid:
        sheet.append(row)
    if merged and sheet.max_row >= 12:
        sheet.merge_cells("A10:A11")
    book.save(path)
    return path


@pytest.mark.django_db
@settings(
    max_examples=int(os.environ.get("JIXIAO_JUNK_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(grid=grids(), merged=st.booleans(), dry_run=st.booleans())
def test_junk_forms_never_crash_and_leave_the_database_alone_when_refused(
    small_year_text: str, grid: list[list[Any]], merged: bool, dry_run: bool
) -> None:
    if not stored("test-dept", 2024):
        store_text(small_year_text)
    before, rows = stored("test-dept", 2024), counts()
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder) / "junk.xlsx", grid, merged)
        try:
            review_workbook(path)
            event("reviewed")
        except InputRejected as refused:
            assert refused.problems
        try:
            result = import_workbook(path, dry_run=dry_run)
        except InputRejected as refused:
            event("refused")
            assert refused.problems
            assert all(isinstance(p, Problem) and p.where and p.message for p in refused.problems)
            assert stored("test-dept", 2024) == before and counts() == rows
            return
    event("imported")
    if dry_run:
        assert stored("test-dept", 2024) == before
    assert result.department_code == "test-dept"


@pytest.mark.django_db(transaction=True)
def test_a_fault_halfway_through_a_form_import_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_demo()
    new_actuals = {"E11": "1400亩", "E13": "99%", "E14": "20天"}  # still full marks: no claims
    path = edit(
        export("evaluation", tmp_path / "e.xlsx"), tmp_path / "edited.xlsx", P09, new_actuals
    )
    before, rows = stored(), counts()
    real, calls = form_import._save, []

    def fails_on_the_third_row(row: Any, fields: dict[str, Any]) -> None:
        calls.append(row)
        if len(calls) == 3:
            raise OSError("磁盘已满")
        real(row, fields)

    monkeypatch.setattr(form_import, "_save", fails_on_the_third_row)
    with pytest.raises(OSError, match="磁盘已满"):
        import_workbook(path)
    assert len(calls) == 3
    assert stored() == before and counts() == rows
    monkeypatch.setattr(form_import, "_save", real)
    assert import_workbook(path).summary() == "绩效指标：新增 0，修改 3，删除 0"
