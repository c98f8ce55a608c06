"""A hidden row holding figures is part of the form: review and import read it like any row,
and say that it is hidden, since a printed copy of the form leaves it out. A hidden empty
row says nothing (``real_variants``' hidden-row variant). Rows are told hidden in .xlsx
(read whole or row by row), .xls and .ods alike."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.core.vocabulary import Severity
from jixiao.interchange.excel.limits import Limits
from jixiao.interchange.excel.review import review_lines, review_workbook
from jixiao.interchange.excel.workbook import read_workbook
from jixiao.services.excel_import import import_workbook
from jixiao.services.reading import export_dataset
from tests.excel_forms.forms import P09, edit, export, store_demo
from tests.excel_forms.real_variants import convert
from tests.excel_forms.test_review_as_printed import SHEET, project_form
from tests.excel_forms.variant_checks import OFFICE

Run = Callable[..., tuple[int, str, str]]
QUALITY = 14
"""The row of 登记差错率 (≤1%, 15 points) in ``project_form``."""


def _hide(path: Path, sheet: str, *rows: int) -> Path:
    book = load_workbook(path)
    for row in rows:
        book[sheet].row_dimensions[row].hidden = True
    book.save(path)
    return path


def test_the_reader_knows_which_rows_are_hidden_and_which_of_them_hold_data(
    tmp_path: Path,
) -> None:
    path = project_form(tmp_path / "form.xlsx")
    book = load_workbook(path)
    book[SHEET].insert_rows(QUALITY + 1)  # an empty row below it, hidden too
    book.save(path)
    _hide(path, SHEET, QUALITY, QUALITY + 1)
    (sheet,) = read_workbook(path).sheets
    assert sheet.hidden_rows == {QUALITY - 1, QUALITY}
    assert sheet.hidden_data_rows() == [(QUALITY - 1, 0)]


def test_review_reads_a_hidden_row_and_warns_that_print_leaves_it_out(tmp_path: Path) -> None:
    path = _hide(project_form(tmp_path / "form.xlsx"), SHEET, QUALITY)
    (sheet,) = review_workbook(path).sheets
    (finding,) = sheet.findings
    assert (finding.id, finding.severity, finding.where) == (
        "hidden-row-with-data",
        Severity.warning,
        f"{SHEET}!A{QUALITY}",
    )
    assert finding.message.startswith(f"第{QUALITY}行是隐藏行")
    assert "打印件" in finding.message
    assert sheet.total == Decimal("96.62")  # its 15 points counted: not dropped from the sum
    assert "【警告】" in "\n".join(review_lines(review_workbook(path)))


@pytest.mark.skipif(not OFFICE, reason="LibreOffice is not installed")
@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_a_hidden_row_is_told_in_xls_and_ods_too(suffix: str, tmp_path: Path) -> None:
    path = project_form(tmp_path / "form.xlsx")
    book = load_workbook(path)
    book[SHEET].insert_rows(QUALITY + 1)  # an empty row below it, hidden too
    other = book.create_sheet("说明")
    other.append(["填表说明"])
    other.append(["隐藏的说明"])
    other.row_dimensions[2].hidden = True
    book.save(path)
    saved = convert(_hide(path, SHEET, QUALITY, QUALITY + 1), suffix)
    form, notes = read_workbook(saved).sheets
    assert form.hidden_rows == {QUALITY - 1, QUALITY}
    assert form.hidden_data_rows() == [(QUALITY - 1, 0)]
    assert notes.hidden_rows == {1}
    (sheet,) = review_workbook(saved).sheets
    (finding,) = sheet.findings
    assert (finding.id, finding.where) == ("hidden-row-with-data", f"{SHEET}!A{QUALITY}")
    assert sheet.total == Decimal("96.62")


@pytest.mark.skipif(not OFFICE, reason="LibreOffice is not installed")
def test_a_hidden_blank_tail_of_an_ods_sheet_is_not_listed(tmp_path: Path) -> None:
    """A sheet's rows past its data, hidden as one repeated row, are not rows of it."""
    path = project_form(tmp_path / "form.xlsx")
    book = load_workbook(path)
    for row in range(book[SHEET].max_row + 1, book[SHEET].max_row + 2000):
        book[SHEET].row_dimensions[row].hidden = True
    book.save(path)
    (sheet, *_) = read_workbook(convert(path, "ods")).sheets
    assert sheet.hidden_rows == frozenset()


def test_a_streamed_sheet_knows_its_hidden_rows(tmp_path: Path) -> None:
    """A sheet read row by row (a large one) tells its hidden rows as one read whole does."""
    path = project_form(tmp_path / "form.xlsx")
    book = load_workbook(path)
    for row in range(1, 400):
        book[SHEET].append([f"备注{row}"])
    book.save(path)
    _hide(path, SHEET, QUALITY, 300)
    whole = read_workbook(path).sheets[0]
    (streamed,) = read_workbook(path, Limits(stream_bytes=1), stream=True).sheets
    assert streamed.rest is not None  # read row by row
    assert streamed.hidden_rows == whole.hidden_rows == {QUALITY - 1, 299}
    assert streamed.materialized().hidden_data_rows() == whole.hidden_data_rows()
    assert whole.hidden_data_rows() == [(QUALITY - 1, 0), (299, 0)]


def test_a_mistake_in_a_hidden_row_is_still_found(tmp_path: Path) -> None:
    rows = [
        ["产出指标", "数量指标", "完成确权登记宗数", "≥500宗", "520宗", 20, 20],
        ["产出指标", "质量指标", "登记差错率", "≤1%", "3%", 15, 15],  # not met, full marks
        ["产出指标", "时效指标", "按期办结率", "≥95%", "96%", 15, 15],
        ["效益指标", "社会效益指标", "群众办事便利度", "明显提升", "达成年度指标", 30, 28],
        ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "92%", 10, 10],
    ]
    path = _hide(project_form(tmp_path / "form.xlsx", rows=rows), SHEET, QUALITY)
    (sheet,) = review_workbook(path).sheets
    ids = [(f.id, f.where.split("!")[1][1:]) for f in sheet.findings]
    assert ("hidden-row-with-data", str(QUALITY)) in ids
    assert any(row == str(QUALITY) and id_ != "hidden-row-with-data" for id_, row in ids), ids


def test_a_hidden_empty_row_says_nothing(tmp_path: Path) -> None:
    path = project_form(tmp_path / "form.xlsx")
    book = load_workbook(path)
    book[SHEET].insert_rows(QUALITY + 1)
    book.save(path)
    (review,) = review_workbook(_hide(path, SHEET, QUALITY + 1)).sheets
    assert review.findings == (), [f.lines() for f in review.findings]


def test_a_value_merged_down_into_a_hidden_row_is_not_its_own(tmp_path: Path) -> None:
    path = project_form(tmp_path / "form.xlsx")
    book = load_workbook(path)
    book[SHEET].merge_cells(f"A{QUALITY + 1}:A{QUALITY + 2}")  # 产出指标 over two rows
    book.save(path)
    (read,) = read_workbook(_hide(path, SHEET, QUALITY + 2)).sheets
    assert read.value(QUALITY + 1, 0) == "产出指标"  # filled from the merge
    assert read.hidden_data_rows() == [(QUALITY + 1, 1)]  # its own cells start at B


@pytest.mark.django_db
def test_import_stores_a_hidden_row_and_says_it_was_hidden(tmp_path: Path, jixiao: Run) -> None:
    store_demo()
    exported = export("evaluation", tmp_path / "e.xlsx")
    path = _hide(edit(exported, tmp_path / "edited.xlsx", P09, {"E12": "88%"}), P09, 12)
    code, out, err = jixiao("import", path, "--dry-run")
    assert code == 0, err
    assert "第12行是隐藏行，其中的数据已照常读入（打印件上看不到）" in out
    assert "实际完成值：86.19% → 88%" in out
    result = import_workbook(path)
    assert any("第12行是隐藏行" in line for line in result.read_as)
    goal = next(g for g in export_dataset("liwan-ghzy", 2023, payments=False).goals
                if g.project == "LW23-P09")  # fmt: skip
    row = next(i for i in goal.indicators if i.level3 == "历史存量违法用地整改率")
    assert row.actual == "88%"
