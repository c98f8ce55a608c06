"""A text cell holding a control character is refused like the web forms, the API and the
dataset files refuse it (``jixiao.core.bounds.text_problem``): located, in Chinese, and
nothing written — never silently cleaned. An .xlsx keeps such a character escaped
(``_x0007_``), which the reader decodes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from jixiao.interchange.excel import cells
from jixiao.interchange.problems import InputRejected
from jixiao.services.excel_import import import_workbook
from tests.excel.sheets import ledger_sheet, store_small_year, stored_text, xlsx
from tests.excel_forms.forms import P07, counts, edit, export, store_demo

pytestmark = pytest.mark.django_db

BELL = "_x0007_"
"""U+0007 as an .xlsx stores it; openpyxl writes the escape as given."""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("原因\x07", "控制字符 U+0007（第3个字符）"), ("a\x00b", "空字符"), ("x" * 20001, "超过上限")],
)
def test_the_text_reader_refuses_what_every_other_path_refuses(raw: str, expected: str) -> None:
    with pytest.raises(cells.CellError) as refused:
        cells.text(raw)
    assert expected in str(refused.value)
    assert cells.text(" 第一行\r\n第二行\t") == "第一行\n第二行"


def test_a_ledger_summary_with_a_control_character_is_refused_at_its_cell(
    small_year_text: str, tmp_path: Path
) -> None:
    store_small_year(small_year_text)
    before = stored_text()
    sheet = ledger_sheet()
    sheet[-1][5] = f"退回{BELL}多付款"
    path = xlsx(tmp_path / "ledger.xlsx", ("支出明细", sheet))
    with pytest.raises(InputRejected) as refused:
        import_workbook(path)
    [problem] = refused.value.problems
    assert problem.where == f"支出明细!F{len(sheet)}"
    assert problem.message == "摘要：文本中含有控制字符 U+0007（第3个字符），请删除后重新输入"
    assert stored_text() == before


@pytest.mark.parametrize(
    ("kind", "cell", "what"),
    [
        ("evaluation", "C11", "三级指标"),
        ("evaluation", "A11", "一级指标"),
        ("evaluation", "B9", "年度总体目标"),
        ("evaluation", "E9", "实际完成情况"),
        ("evaluation", "F20", "评价等级"),
        ("evaluation", "A21", "说明"),
        ("goals", "B5", "年度总体目标"),
        ("goals", "E7", "年度指标值"),
    ],
)
def test_a_form_cell_with_a_control_character_is_refused_and_nothing_is_written(
    tmp_path: Path, jixiao: Callable[..., tuple[int, str, str]], kind: str, cell: str, what: str
) -> None:
    store_demo()
    form = export(kind, tmp_path / f"{kind}.xlsx")
    from openpyxl import load_workbook

    value = load_workbook(form)[P07][cell].value
    assert isinstance(value, str)
    edited = edit(form, tmp_path / "edited.xlsx", P07, {cell: value + BELL})
    rows = counts()
    with pytest.raises(InputRejected) as refused:
        import_workbook(edited)
    located = [p for p in refused.value.problems if p.where == f"{P07}!{cell}"]
    assert located, refused.value.problems
    assert "控制字符 U+0007" in located[0].message and what in located[0].message
    assert counts() == rows
    code, out, err = jixiao("import", edited)
    assert code == 2, (out, err)
    assert f"{P07}!{cell}" in out + err and "内部错误" not in out + err
