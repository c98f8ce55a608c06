"""jixiao review on correct forms written every way units write them, and on the same forms
with one mistake each: no false alarm on the correct form, each mistake reported once.

The forms come from ``real_variants``: one variant per way of writing (headers, operators,
targets, percentages, amounts, formulas, hidden rows, notes), one mistake per seeded error.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.cli import main
from jixiao.core.findings import Severity
from jixiao.interchange.excel.review import ReviewResult, review_lines, review_workbook
from jixiao.services.excel_import import import_workbook
from jixiao.services.reading import export_dataset
from tests.excel_forms.forms import store_text
from tests.excel_forms.real_variants import (
    FILES,
    MISTAKES,
    MONITORING_MISTAKES,
    MONITORING_VARIANTS,
    VARIANTS,
    Form,
    monitoring_lines,
    save,
    save_monitoring,
)
from tests.excel_forms.variant_checks import OFFICE, assert_reported_once, file_params


def written(variant: str, mistake: str | None = None) -> Form:
    form = Form()
    VARIANTS[variant](form)
    if mistake is not None:
        MISTAKES[mistake][0](form)
    return form


def errors(result: ReviewResult) -> list[str]:
    return [
        f"{f.id} {f.where} {f.message}" for f in result.findings if f.severity is Severity.error
    ]


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_correct_form_written_any_way_raises_no_alarm(variant: str, tmp_path: Path) -> None:
    result = review_workbook(save([written(variant)], tmp_path / f"{variant}.xlsx"))
    (sheet,) = result.sheets
    assert sheet.findings == (), "\n".join(review_lines(result))
    assert sheet.total is not None and sheet.claimed_total == sheet.total


@pytest.mark.parametrize("mistake", list(MISTAKES))
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_seeded_mistake_is_reported_once(variant: str, mistake: str, tmp_path: Path) -> None:
    path = save([written(variant, mistake)], tmp_path / f"{variant}-{mistake}.xlsx")
    assert_reported_once(review_workbook(path), MISTAKES[mistake][1])


@pytest.mark.parametrize("how", file_params(FILES))
def test_every_way_of_saving_the_workbook_reads_the_same(how: str, tmp_path: Path) -> None:
    """Two projects and a 汇总 sheet, hidden drop-down lists, .xls and office-saved .xlsx:
    each project sheet reviewed, the others passed over, no finding on the correct form."""
    result = review_workbook(FILES[how](written("two-row-header"), tmp_path / "form.xlsx"))
    assert result.sheets and all(s.total is not None for s in result.sheets)
    assert result.findings == (), "\n".join(review_lines(result))
    assert {s.sheet for s in result.sheets} <= {"P010", "P011"}


@pytest.mark.skipif(not OFFICE, reason="LibreOffice is not installed")
@pytest.mark.parametrize("variant", ["merged-levels", "percent-numbers", "formulas-cached"])
def test_an_xls_file_reads_as_its_xlsx(variant: str, tmp_path: Path) -> None:
    """Merges, percent formats and formulas with their values survive the .xls format."""
    result = review_workbook(FILES["xls"](written(variant), tmp_path / "form.xlsx"))
    assert result.findings == (), "\n".join(review_lines(result))
    assert result.sheets[0].total == Decimal("96.62")


@pytest.mark.skipif(not OFFICE, reason="LibreOffice is not installed")
def test_a_mistake_in_an_xls_file_is_reported(tmp_path: Path) -> None:
    path = FILES["xls"](written("merged-levels", "rate-wrong"), tmp_path / "rate.xlsx")
    assert [f.id for f in review_workbook(path).findings] == ["execution-rate-wrong"]


def test_formulas_without_saved_values_are_said_to_be_unreadable_not_crashed_on(
    tmp_path: Path,
) -> None:
    """openpyxl saves formulas with no value: review says it cannot read them."""
    path = save([written("formulas-cached")], tmp_path / "formulas.xlsx", cached=False)
    result = review_workbook(path)
    unread = [f for f in result.findings if f.id == "cell-unreadable"]
    assert [f.where for f in unread] == [f"P010!G{row}" for row in range(13, 19)]
    assert all("公式" in f.message and "没有保存计算结果" in f.message for f in unread)
    assert {f.id for f in result.findings} == {"cell-unreadable"}


def test_the_command_line_lists_the_formulas_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = save([written("formulas-cached")], tmp_path / "formulas.xlsx", cached=False)
    assert main(["review", str(path)]) == 1
    out = capsys.readouterr()
    assert "没有保存计算结果" in out.out and "Traceback" not in out.out + out.err


def test_rows_that_cannot_be_read_do_not_count_as_missing_indicators(tmp_path: Path) -> None:
    """Weights written “二十” cannot be read: the sums are unverifiable, and the goal is not
    said to lack indicators or groups it has."""
    form = written("base")
    for row in form.rows:
        row.weight = "二十"
    result = review_workbook(save([form], tmp_path / "words.xlsx"))
    ids = {f.id for f in result.findings}
    assert "weights-unverifiable" in ids and "cell-unreadable" in ids
    assert not ids & {"too-few-indicators", "too-few-quantified", "missing-level1"}


# --- the provincial monitoring form ---------------------------------------------------------


def monitoring(variant: str, mistake: str | None = None) -> list[list[Any]]:
    lines = monitoring_lines()
    MONITORING_VARIANTS[variant](lines)
    if mistake is not None:
        MONITORING_MISTAKES[mistake][0](lines)
    return lines


@pytest.mark.parametrize("blank_column", [False, True])
@pytest.mark.parametrize("variant", list(MONITORING_VARIANTS))
def test_a_correct_monitoring_form_written_any_way_raises_no_alarm(
    variant: str, blank_column: bool, tmp_path: Path
) -> None:
    path = save_monitoring(monitoring(variant), tmp_path / "m.xlsx", blank_column=blank_column)
    result = review_workbook(path)
    assert result.clean, "\n".join(review_lines(result))
    assert result.sheets[0].summary == "按表中金额计算：执行率 63.52%；绩效指标：预计完成 1 项"


@pytest.mark.parametrize("mistake", list(MONITORING_MISTAKES))
@pytest.mark.parametrize("variant", list(MONITORING_VARIANTS))
def test_a_mistake_in_a_monitoring_form_is_reported(
    variant: str, mistake: str, tmp_path: Path
) -> None:
    result = review_workbook(save_monitoring(monitoring(variant, mistake), tmp_path / "m.xlsx"))
    found = [(f.id, f.where) for f in result.findings]
    ids = [id_ for id_, _ in found]
    assert ids.count(MONITORING_MISTAKES[mistake][1]) == 1, review_lines(result)
    assert len(found) == len(set(found))


# --- jixiao import reads the same forms -----------------------------------------------------

LEVEL1 = {"产出指标", "效益指标", "满意度指标"}


@pytest.mark.django_db
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_variant_imports_the_same_indicators(
    variant: str, tmp_path: Path, small_year_text: str
) -> None:
    """The project has no budget line, so the form's own funds are its funds."""
    project = "    - {code: P010, name: 不动产登记业务运行, office: ghk}\n"
    text = small_year_text.replace("  lines:\n", project + "  lines:\n", 1)
    store_text(text)
    form = written(variant)
    result = import_workbook(save([form], tmp_path / f"{variant}.xlsx"))
    assert (result.department_code, result.year) == ("test-dept", 2024)
    goal = next(g for g in export_dataset("test-dept", 2024).goals if g.project == "P010")
    indicators = [row.name for row in form.rows if row.weight is not None]  # not a spare row
    assert [i.level3 for i in goal.indicators] == indicators
    assert {i.level1 for i in goal.indicators} <= LEVEL1
    assert sum(i.weight for i in goal.indicators) == 90
