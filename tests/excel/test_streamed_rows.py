"""A large worksheet read row by row (``xlsx_rows``) gives what python-calamine gives, and an
import that streams its ledger gives the same result and the same problems, in the same
order, as one that reads it whole. ``Limits(stream_bytes=0)`` streams every sheet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from jixiao.interchange.excel import headers
from jixiao.interchange.excel.limits import Limits
from jixiao.interchange.excel.workbook import HEAD_ROWS, FaultyCell, Sheet, read_workbook
from jixiao.interchange.problems import InputRejected
from jixiao.services.excel_import import import_workbook
from tests.excel.sheets import LEDGER_ROWS, ledger_sheet, store_small_year, xlsx
from tests.hardening.hostile import error_cells

STREAMED = Limits(stream_bytes=0)
FORMATS = [
    "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "hh:mm", "[h]:mm:ss", "0.00", "@", "General",
    'yyyy"年"m"月"d"日"', "m/d/yy", "mm:ss", "0%", "#,##0.00;[Red]-#,##0.00",
    '[$-804]yyyy"年"m"月"', "yyyy/m/d;@", "[Red]0.00", '"day"0',
]  # fmt: skip
SERIALS = [45258, 45258.5, 0.75, 1.5, 59, 60, 61, 0, -3.25, 1e-7, 123456789.123, 2958465.5,
           2958466, 45258.99999999]  # fmt: skip


def _varied(path: Path) -> Path:
    """A workbook with every kind of value a sheet holds, titles merged, a hidden sheet."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "明细"
    sheet["A1"] = "2024年度 支出明细"
    sheet.merge_cells("A1:D1")
    sheet["C2"], sheet["D2"] = 1, 2  # made an error value and a formula without its result
    row = 3
    for code in FORMATS:
        for serial in SERIALS:
            cell = sheet.cell(row, 1, serial)
            cell.number_format = code
            sheet.cell(row, 2, code)
            row += 1
    texts: list[Any] = [
        "a < b & c > \"d\"", "原因_x0007_x", "  前后空格  ", "", "第一行\n第二行", True, False,
        "=1+2", 2023, -0.5, "١٢٣", "𠀀 extension B",
        CellRichText(["粗体", TextBlock(InlineFont(b=True), "与普通")]),
    ]  # fmt: skip
    for offset, value in enumerate(texts):
        sheet.cell(row + offset, 3, value)
    sheet.cell(row, 5, "竖向合并")
    sheet.merge_cells(start_row=row, start_column=5, end_row=row + 3, end_column=5)
    hidden = book.create_sheet("隐藏")
    hidden.sheet_state = "hidden"
    hidden["B2"] = 1.25
    book.save(path)
    return path


def _padded(sheet: Sheet) -> list[list[Any]]:
    width = sheet.width
    return [list(row) + [None] * (width - len(row)) for row in sheet.rows]


def _typed(rows: list[list[Any]]) -> list[list[tuple[str, Any]]]:
    def typed(value: Any) -> tuple[str, Any]:
        if isinstance(value, FaultyCell):
            return ("faulty", value.reason)
        return (type(value).__name__, value)

    return [[typed(value) for value in row] for row in rows]


def test_a_streamed_sheet_reads_as_calamine_reads_it(tmp_path: Path) -> None:
    path = error_cells(_varied(tmp_path / "varied.xlsx"), {"C2": "#DIV/0!", "D2": ""})
    whole = read_workbook(path)
    streamed = read_workbook(path, STREAMED, stream=True)
    assert [(s.name, s.hidden) for s in streamed.sheets] == [
        (s.name, s.hidden) for s in whole.sheets
    ]
    for ours, theirs in zip(streamed.sheets, whole.sheets, strict=True):
        assert ours.rest is not None
        read = ours.materialized()
        assert _typed(_padded(read)) == _typed(_padded(theirs)), ours.name
    first = streamed.sheets[0]
    assert first.rows[0][:4] == ["2024年度 支出明细"] * 4  # merged cells filled
    dates = [r[0] for r in first.materialized().rows[2:13]]
    noon = dt.datetime(2023, 11, 28, 12)
    assert dates[:4] == [dt.date(2023, 11, 28), noon, dt.time(18), dt.datetime(1900, 1, 1, 12)]


def test_only_an_import_streams_and_only_a_part_past_the_limit(tmp_path: Path) -> None:
    path = _varied(tmp_path / "varied.xlsx")
    assert all(s.rest is None for s in read_workbook(path, STREAMED).sheets)
    assert all(s.rest is None for s in read_workbook(path, Limits(), stream=True).sheets)


def _outcome(path: Path, limits: Limits) -> tuple[str, list[str]]:
    try:
        result = import_workbook(path, dry_run=True, limits=limits)
    except InputRejected as refused:
        return "refused", [f"{p.where} {p.message}" for p in refused.problems]
    return result.summary(), [str(change) for change in result.changes()] + [str(result.rows)]


LEDGERS: dict[str, list[list[Any]]] = {
    "clean": [list(row) for row in LEDGER_ROWS] * 3,
    "faulty": [
        *LEDGER_ROWS,
        ["L01", "2024-02-30", "记-201", 100, "否", None],
        ["L99", "2024-03-01", "记-202", 100, "否", "未知行"],
        ["L01", "2023-12-31", "记-203", 100, "否", None],
        ["L01", "2024-04-01", "记-204", -100, "否", "负数未标退款"],
        ["L01", "2024-04-02", "记-205", 100, "是", "正数标了退款"],
        [None, None, None, None, None, None],
        ["合计", None, None, 1100000, None, None],
        ["L01", "2024-04-03", "记-206", "abc", "也许", "原因_x0007_"],
        ["L01", "2024-04-04", "记-207", 1.234, None, "多一位小数"],
    ],
}
LEDGERS["long"] = [list(row) for row in LEDGER_ROWS] * 90  # past the head the sheet keeps
LEDGERS["long faulty"] = [*LEDGERS["long"], *LEDGERS["faulty"], *LEDGERS["long"]]


@pytest.mark.django_db
@pytest.mark.parametrize("ledger", list(LEDGERS))
def test_an_import_streamed_or_read_whole_gives_the_same_result_and_problems(
    small_year_text: str, tmp_path: Path, ledger: str
) -> None:
    store_small_year(small_year_text)
    path = xlsx(tmp_path / "ledger.xlsx", ("支出明细", ledger_sheet(rows=LEDGERS[ledger])))
    whole = _outcome(path, Limits())
    streamed = _outcome(path, STREAMED)
    assert streamed == whole
    assert (whole[0] == "refused") == ledger.endswith("faulty")
    if ledger.endswith("faulty"):
        assert len(whole[1]) >= 8


@pytest.mark.django_db
def test_a_ledger_read_in_many_batches_gives_the_same_problems(
    small_year_text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_small_year(small_year_text)
    rows = LEDGERS["long faulty"]
    path = xlsx(tmp_path / "ledger.xlsx", ("支出明细", ledger_sheet(rows=rows)))
    whole = _outcome(path, Limits())
    monkeypatch.setattr(headers, "BATCH", 7)  # problems in many batches, at their positions
    assert _outcome(path, STREAMED) == whole


def test_a_long_streamed_sheet_reads_the_same_each_time(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "标题"
    sheet.merge_cells("A1:C1")
    for n in range(2, 3 * HEAD_ROWS):
        sheet.append([n, f"第{n}行", n / 4])
    path = tmp_path / "long.xlsx"
    book.save(path)
    whole = read_workbook(path).sheets[0]
    streamed = read_workbook(path, STREAMED, stream=True).sheets[0]
    assert len(streamed.rows) == HEAD_ROWS
    first, again = streamed.materialized(), streamed.materialized()  # on, then read anew
    assert _padded(first) == _padded(again) == _padded(whole)
