"""Every workbook jixiao writes looks like the forms a 财政局 hands out: 宋体, print titles,
page numbers, 合计 rows that equal their printed column, coloured lights, rows tall enough
for their text, the 填报单位 line, and nothing addressed to the preparer outside 审核意见.

The demo (Liwan 2023) is loaded once for the module, in a transaction rolled back at the
end, and its workbooks are written once."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.cli import demo_dataset_path
from jixiao.core.money import round_half_up, yuan_to_wan
from jixiao.demo.synthetic import demo_dataset_2023, synthetic_year_2022
from jixiao.documents.evaluation_tables import write_evaluation_workbook
from jixiao.documents.monitoring_tables import (
    INDICATOR_SHEET,
    PROJECT_SHEET,
    REVIEW_SHEET,
    ROUNDING_TEXT,
    SUMMARY_SHEET,
    write_monitoring_workbook,
)
from jixiao.documents.monitoring_text import projected_totals
from jixiao.documents.pdf import SERIF, write_profile
from jixiao.documents.sheet_setup import (
    FONT_NAME,
    LIGHT_COLOURS,
    PAGE_FOOTER,
    lines_needed,
    row_height,
)
from jixiao.interchange.dataset_file import read_dataset
from jixiao.interchange.excel.form_layouts import FormKind
from jixiao.interchange.excel.form_templates import write_form_template
from jixiao.interchange.excel.layouts import KINDS
from jixiao.interchange.excel.templates import write_template
from jixiao.services.evaluating import evaluate_stored_year
from jixiao.services.excel_export import export_workbook
from jixiao.services.monitoring import MonitoringReport, monitor_stored_year
from jixiao.services.storing import store_dataset
from tests.office import require_tools

DEPARTMENT = "广州市规划和自然资源局荔湾区分局"
PREPARED_ON = date(2024, 3, 15)
FORBIDDEN = re.compile(
    r"【警告】|【错误】|请补充|请核实|mof-20\d\d-(?:dept|project)|monitoring-[a-z0-9-]+"
)
SIGNATURE = re.compile(
    r"^填报单位（盖章）：(?P<department>.*?)\s+填报人：_+\s+联系电话：_+\s+填报日期：(?P<date>.+)$"
)
NOT_FOR_SUBMISSION = {REVIEW_SHEET, "说明"}

# Without a django_db test in the run, pytest-django leaves the database as configured, and
# the module fixture below would work on the real one.
pytestmark = pytest.mark.django_db
DEFAULT_ROW_HEIGHT = 15.0
"""Points of a row without a height of its own, as Excel draws it."""


@dataclass(frozen=True)
class DemoBooks:
    evaluation: Path
    monitoring: dict[date, Path]
    projected: dict[date, Decimal]
    """预计全年执行 as the monitoring report prints it (万元)."""
    reports: dict[date, MonitoringReport]
    exports: dict[str, Path]
    """The budget and ledger exports (预算与执行 and 预算调整; 支出明细)."""


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> DemoBooks:
    out = tmp_path_factory.mktemp("demo-books")
    with django_db_blocker.unblock(), transaction.atomic():
        store_dataset(synthetic_year_2022(), replace=True)
        dataset = demo_dataset_2023(read_dataset(demo_dataset_path()))
        store_dataset(dataset, replace=True)
        code, year = dataset.department.code, dataset.year
        evaluation = write_evaluation_workbook(
            evaluate_stored_year(code, year), out / "evaluation.xlsx", PREPARED_ON
        )
        monitoring, projected, reports = {}, {}, {}
        for as_of in (date(2023, 7, 31), date(2023, 10, 31)):
            report = monitor_stored_year(code, year, as_of)
            monitoring[as_of] = write_monitoring_workbook(
                report, out / f"monitoring-{as_of:%Y%m%d}.xlsx"
            )
            projected[as_of] = wan(projected_totals(report)[1])
            reports[as_of] = report
        exports = {
            name: export_workbook(code, year, KINDS[name], out / f"{name}.xlsx")
            for name in ("budget", "ledger")
        }
        transaction.set_rollback(True)
    return DemoBooks(evaluation, monitoring, projected, reports, exports)


def wan(yuan: Decimal) -> Decimal:
    return round_half_up(yuan_to_wan(yuan), 2)


def every_book(demo: DemoBooks) -> list[Path]:
    return [demo.evaluation, *demo.monitoring.values(), *demo.exports.values()]


def submitted(path: Path) -> Iterator[Worksheet]:
    for sheet in load_workbook(path).worksheets:
        if sheet.title not in NOT_FOR_SUBMISSION:
            yield sheet


def filled(sheet: Worksheet) -> Iterator[Any]:
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                yield cell


def last_line(sheet: Worksheet) -> str:
    rows = [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]
    return str(rows[-1][0])


def number(value: Any) -> Decimal:
    return Decimal(str(value))


# --- type and print ------------------------------------------------------------------------


def test_every_cell_is_in_simsun_and_every_title_is_bold_and_larger(demo: DemoBooks) -> None:
    for path in every_book(demo):
        for sheet in load_workbook(path).worksheets:
            fonts = {cell.font.name for cell in filled(sheet)}
            assert fonts == {FONT_NAME}, (path.name, sheet.title, fonts)
            title = sheet["A1"]
            body = [cell.font.sz for cell in filled(sheet) if cell.row > 3]
            assert title.font.bold and title.font.sz > max(body)
            assert all(10 <= size <= 11 for size in body)
            assert f"A1:{get_column_letter(sheet.max_column)}1" in {
                str(merged) for merged in sheet.merged_cells.ranges
            }


def test_header_rows_repeat_on_every_page_and_pages_are_numbered(demo: DemoBooks) -> None:
    for path in every_book(demo):
        for sheet in submitted(path):
            assert sheet.print_title_rows, (path.name, sheet.title)
            first = int(sheet.print_title_rows.split(":")[0].strip("$"))
            headers = [cell.value for cell in sheet[first] if cell.value is not None]
            assert len(headers) >= 6  # a header row, not a title
            assert sheet.oddFooter.center.text == PAGE_FOOTER == "第 &P 页，共 &N 页"
            assert sheet.page_setup.orientation == "landscape"
            assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
            assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0


def test_only_the_sheets_that_hold_money_state_the_unit(demo: DemoBooks) -> None:
    for path in demo.monitoring.values():
        book = load_workbook(path)
        for name, has_money in (
            (PROJECT_SHEET, True), (SUMMARY_SHEET, True), (INDICATOR_SHEET, False),
            (REVIEW_SHEET, False),
        ):  # fmt: skip
            units = [cell.value for cell in filled(book[name]) if cell.value == "单位：万元"]
            assert len(units) == (1 if has_money else 0), name


def test_rows_are_tall_enough_for_their_wrapped_text(demo: DemoBooks) -> None:
    for path in every_book(demo):
        for sheet in load_workbook(path).worksheets:
            spans = {(m.min_row, m.min_col): m for m in sheet.merged_cells.ranges}
            for cell in filled(sheet):
                if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                    continue
                merged = spans.get((cell.row, cell.column))
                last_column = merged.max_col if merged else cell.column
                last_row = merged.max_row if merged else cell.row
                width = sum(
                    sheet.column_dimensions[get_column_letter(c)].width
                    for c in range(cell.column, last_column + 1)
                )
                lines = lines_needed(cell.value, width)
                if lines == 1:
                    continue
                height = sum(
                    sheet.row_dimensions[r].height or DEFAULT_ROW_HEIGHT
                    for r in range(cell.row, last_row + 1)
                )
                assert height >= row_height(lines, cell.font.sz or 11) - 0.1, (
                    sheet.title,
                    cell.coordinate,
                    cell.value,
                    width,
                    height,
                )


# --- figures -------------------------------------------------------------------------------


def test_the_total_row_equals_the_sum_of_every_printed_money_column(demo: DemoBooks) -> None:
    """Each 合计 is the exact total rounded once; where the printed rows add up to another
    figure, a 注 under the table says so or (the department not printing it) 审核意见 does."""
    for as_of, path in demo.monitoring.items():
        book = load_workbook(path)
        sheet = book[PROJECT_SHEET]
        rows = list(sheet.iter_rows(min_row=3, values_only=True))
        header = rows[0]
        total_at = next(i for i, row in enumerate(rows) if row[0] == "合计")
        body, total = rows[1:total_at], rows[total_at]
        noted = any(ROUNDING_TEXT in str(row[0]) for row in rows[total_at:])
        review = " ".join(str(cell.value) for cell in filled(book[REVIEW_SHEET]))
        money = [i for i, cell in enumerate(sheet[4]) if cell.number_format == "#,##0.00"]
        assert len(money) >= 6, header
        for index in money:
            column = sum((number(row[index]) for row in body if row[index] is not None), Decimal(0))
            gap = abs(number(total[index]) - column)
            if gap:
                assert noted or f"“{header[index]}”列各行相加为" in review, (as_of, header[index])
            assert gap <= Decimal("0.01") * len(body), (as_of, header[index])
        forecast = header.index("全年预计执行数")
        assert number(total[forecast]) == demo.projected[as_of]


def test_a_department_that_prints_the_rounding_note_gets_it_under_the_total(
    demo: DemoBooks, tmp_path: Path
) -> None:
    report = demo.reports[date(2023, 7, 31)]
    assert report.rounding_note  # the demo prints the 注, as its department chose
    without = write_monitoring_workbook(replace(report, rounding_note=False), tmp_path / "s.xlsx")
    silent = load_workbook(without)
    gaps = [cell.value for cell in filled(silent[REVIEW_SHEET]) if cell.value == "尾差"]
    assert gaps  # the demo's budgets do not add up to the cent in 万元
    book = load_workbook(demo.monitoring[date(2023, 7, 31)])
    firsts = [str(row[0]) for row in book[PROJECT_SHEET].iter_rows(values_only=True)]
    below = firsts[firsts.index("合计") + 1 :]
    assert below[0].startswith("注：1. 全年预算数为截至2023年7月31日的预算数")
    assert below[1] == f"2. {ROUNDING_TEXT}" == "2. 尾差系四舍五入所致。"
    assert "尾差" not in {cell.value for cell in filled(book[REVIEW_SHEET])}
    unnoted = [str(row[0]) for row in silent[PROJECT_SHEET].iter_rows(values_only=True)]
    assert not any(ROUNDING_TEXT in line for line in unnoted)


def test_budget_and_ledger_exports_end_in_a_total_of_their_printed_columns(
    demo: DemoBooks,
) -> None:
    book = load_workbook(demo.exports["budget"])
    totals = {}
    for path in demo.exports.values():
        for sheet in submitted(path):
            rows = list(sheet.iter_rows(min_row=6, values_only=True))
            header, total_at = rows[0], [row[0] for row in rows].index("合计")
            body, total = rows[1:total_at], rows[total_at]
            money = [i for i, cell in enumerate(sheet[7]) if cell.number_format == "#,##0.00"]
            assert money, sheet.title
            for index in money:
                printed = [number(row[index]) for row in body if row[index] is not None]
                if not printed:  # a column without figures has no total either
                    assert total[index] is None, (sheet.title, header[index])
                    continue
                assert number(total[index]) == sum(printed, Decimal(0)), (sheet.title, index)
                totals[(sheet.title, header[index])] = number(total[index])
            assert last_line(sheet).startswith(f"填报单位（盖章）：{DEPARTMENT}")
    # the published totals, as the cells show them (an export keeps each line's exact figure)
    assert round_half_up(totals[("预算与执行", "全年预算数")], 2) == Decimal("103118.19")
    assert round_half_up(totals[("预算与执行", "执行数")], 2) == Decimal("77261.67")
    sheet = book["预算与执行"]
    rows = list(sheet.iter_rows(min_row=6, values_only=True))
    total = rows[[row[0] for row in rows].index("合计")]
    assert number(total[rows[0].index("执行率")]) == Decimal("0.7493")


def test_the_evaluation_funds_total_equals_its_printed_parts(demo: DemoBooks) -> None:
    for sheet in submitted(demo.evaluation):
        rows = list(sheet.iter_rows(values_only=True))
        total = next((row for row in rows if row[0] == "年度资金总额"), None)
        if total is None:
            continue
        parts = [row for row in rows if str(row[0]).startswith("其中：") or (
            rows.index(row) > rows.index(total) and row[0] in ("上年结转", "其他资金")
        )]  # fmt: skip
        for index in (2, 3, 4):
            printed = sum((number(row[index]) for row in parts), Decimal(0))
            assert number(total[index]) == printed, (sheet.title, index)


def test_lights_are_filled_in_their_colour_with_a_readable_font(demo: DemoBooks) -> None:
    seen = set()
    for path in demo.monitoring.values():
        book = load_workbook(path)
        for name in (PROJECT_SHEET, SUMMARY_SHEET):
            for cell in filled(book[name]):
                if cell.value in LIGHT_COLOURS:
                    fill, font = LIGHT_COLOURS[cell.value]
                    assert cell.fill.fgColor.rgb == f"00{fill}"
                    assert cell.font.color.rgb == f"00{font}"
                    seen.add(cell.value)
    assert seen == {"红灯", "黄灯", "绿灯"}


# --- the signature line and the preparer's notes ----------------------------------------------


def test_every_sheet_for_submission_ends_in_the_signature_line(demo: DemoBooks) -> None:
    for path in every_book(demo):
        for sheet in submitted(path):
            found = SIGNATURE.match(last_line(sheet))
            assert found, (path.name, sheet.title, last_line(sheet))
            assert found["department"] == DEPARTMENT
            expected = "2024 年 3 月 15 日" if path == demo.evaluation else "____ 年 __ 月 __ 日"
            assert found["date"] == expected


def test_no_sheet_for_submission_holds_text_addressed_to_the_preparer(demo: DemoBooks) -> None:
    for path in every_book(demo):
        for sheet in submitted(path):
            for cell in filled(sheet):
                assert not FORBIDDEN.search(str(cell.value)), (sheet.title, cell.value)


def test_the_review_sheets_say_they_are_not_for_submission_and_hold_the_notes(
    demo: DemoBooks,
) -> None:
    evaluation = load_workbook(demo.evaluation)[REVIEW_SHEET]
    texts = [str(cell.value) for cell in filled(evaluation)]
    assert "不报送" in texts[0]
    assert {"mof-2020-project", "mof-2013-dept"} <= set(texts)
    assert any("未评定分值" in text for text in texts)
    for as_of, path in demo.monitoring.items():
        review = load_workbook(path)[REVIEW_SHEET]
        texts = [str(cell.value) for cell in filled(review)]
        assert "不报送" in texts[0]
        messages = {finding.message for finding in demo.reports[as_of].review_findings}
        assert messages and messages <= set(texts)
        assert any(text.startswith("广州：") for text in texts)  # the rule set


# --- templates ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(FormKind))
def test_form_templates_are_in_simsun_numbered_and_signed(kind: FormKind, tmp_path: Path) -> None:
    book = load_workbook(write_form_template(kind, tmp_path / "t.xlsx"))
    for sheet in book.worksheets:
        assert {cell.font.name for cell in filled(sheet)} == {FONT_NAME}
        assert sheet.oddFooter.center.text == PAGE_FOOTER
    for sheet in submitted(tmp_path / "t.xlsx"):
        assert sheet.print_title_rows
        assert last_line(sheet).startswith("填报单位（盖章）：")
        assert not any(FORBIDDEN.search(str(cell.value)) for cell in filled(sheet))


@pytest.mark.parametrize("kind", ["budget", "ledger"])
def test_budget_and_ledger_templates_are_in_simsun_numbered_and_signed(
    kind: str, tmp_path: Path
) -> None:
    path = write_template(KINDS[kind], tmp_path / "t.xlsx")
    book = load_workbook(path)
    for sheet in book.worksheets:
        assert {cell.font.name for cell in filled(sheet)} == {FONT_NAME}
        assert sheet.oddFooter.center.text == PAGE_FOOTER
    for sheet in submitted(path):
        assert sheet.print_title_rows == "$6:$6"
        assert last_line(sheet).startswith("填报单位（盖章）：")


# --- LibreOffice -------------------------------------------------------------------------------


def _pdf(path: Path, out: Path) -> tuple[int, str, str]:
    """Pages, text and fonts of ``path`` printed by LibreOffice with jixiao's font profile
    (宋体 printed in a free serif face where it is not installed)."""
    profile = write_profile(out / "profile")
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    pdf = out / f"{path.stem}.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True)
    return pages, text, fonts.stdout


@pytest.mark.libreoffice
def test_libreoffice_prints_the_workbooks_numbered_signed_and_in_a_song_face(
    demo: DemoBooks, tmp_path: Path
) -> None:
    require_tools("soffice", "pdfinfo", "pdftotext", "pdffonts")
    for path, at_most in ((demo.monitoring[date(2023, 7, 31)], 12), (demo.evaluation, 16)):
        pages, text, fonts = _pdf(path, tmp_path)
        sheets = len(load_workbook(path).worksheets)
        assert sheets <= pages <= at_most, (path.name, pages)
        flat = re.sub(r"\s+", "", text)
        assert flat.count("填报单位（盖章）：" + DEPARTMENT) == sheets - 1
        assert "第1页，共" in flat and f"第{pages}页，共{pages}页" in flat
        assert not FORBIDDEN.search(text.split("审核意见")[0])
        assert SERIF == "Noto Serif CJK SC" and "NotoSerifCJK" in fonts  # not the sans face
        assert "NotoSansCJK" not in fonts
