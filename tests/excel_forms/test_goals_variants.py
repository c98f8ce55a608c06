"""jixiao review and jixiao import on correct 项目支出绩效目标申报表 written every way units
write them, and review on the same forms with one mistake each: no false alarm on the
correct form, each mistake reported once (``goals_variants``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.interchange.excel.review import review_lines, review_workbook
from jixiao.interchange.problems import InputRejected
from jixiao.services.excel_import import import_workbook
from jixiao.services.reading import export_dataset
from tests.excel_forms.forms import store_text
from tests.excel_forms.goals_variants import GOALS_MISTAKES, GOALS_VARIANTS, goals_rows, written
from tests.excel_forms.real_variants import FILES, save
from tests.excel_forms.variant_checks import assert_reported_once, file_params

SUMMARY = "读取5个三级指标，分值合计90（另有预算执行率10分），一级指标3个"
READ_MISTAKES = ("target-unreadable", "quantitative-without-figure", "duplicated-indicator")
"""Mistakes that leave a row unreadable: import refuses the file."""


@pytest.mark.parametrize("variant", list(GOALS_VARIANTS))
def test_a_correct_goals_form_written_any_way_raises_no_alarm(variant: str, tmp_path: Path) -> None:
    result = review_workbook(save([written(variant)], tmp_path / f"{variant}.xlsx"))
    (sheet,) = result.sheets
    assert sheet.findings == (), "\n".join(review_lines(result))
    assert sheet.summary == SUMMARY
    assert sheet.what == "" and sheet.kind.form_title == "项目支出绩效目标申报表"


@pytest.mark.parametrize("mistake", list(GOALS_MISTAKES))
@pytest.mark.parametrize("variant", list(GOALS_VARIANTS))
def test_a_seeded_mistake_in_a_goals_form_is_reported_once(
    variant: str, mistake: str, tmp_path: Path
) -> None:
    result = review_workbook(save([written(variant, mistake)], tmp_path / "goals.xlsx"))
    assert_reported_once(result, GOALS_MISTAKES[mistake][1])
    assert len(result.findings) == 1, "\n".join(review_lines(result))


@pytest.mark.parametrize("how", file_params(FILES))
def test_every_way_of_saving_a_goals_form_reads_the_same(how: str, tmp_path: Path) -> None:
    result = review_workbook(FILES[how](written("merged-levels"), tmp_path / "goals.xlsx"))
    assert result.findings == (), "\n".join(review_lines(result))
    assert [s.summary for s in result.sheets if s.what == ""] == [SUMMARY] * (
        2 if how == "summary-sheet" else 1
    )


def test_the_command_line_reviews_a_goals_form(tmp_path: Path) -> None:
    from jixiao.cli import main

    path = save([written("base", "empty-level1")], tmp_path / "goals.xlsx")
    assert main(["review", str(path)]) == 1


# --- jixiao import reads the same forms -----------------------------------------------------


def _store_year(small_year_text: str) -> None:
    project = "    - {code: P010, name: 不动产登记业务运行, office: ghk}\n"
    store_text(small_year_text.replace("  lines:\n", project + "  lines:\n", 1))


@pytest.mark.django_db
@pytest.mark.parametrize("variant", list(GOALS_VARIANTS))
def test_every_goals_variant_imports_the_same_indicators(
    variant: str, tmp_path: Path, small_year_text: str
) -> None:
    _store_year(small_year_text)
    result = import_workbook(save([written(variant)], tmp_path / f"{variant}.xlsx"))
    assert (result.department_code, result.year) == ("test-dept", 2024)
    goal = next(g for g in export_dataset("test-dept", 2024).goals if g.project == "P010")
    expected = goals_rows()
    assert [(i.level3, i.kind.value, i.weight) for i in goal.indicators] == [
        (row.name, "quantitative" if row.kind == "定量" else "qualitative", row.weight)
        for row in expected
    ]
    assert goal.indicators[3].target == "明显提升"


@pytest.mark.django_db
@pytest.mark.parametrize("mistake", READ_MISTAKES)
@pytest.mark.parametrize("variant", ["base", "operator-columns", "kind-blank", "merged-levels"])
def test_an_unreadable_goals_row_is_refused_by_import(
    variant: str, mistake: str, tmp_path: Path, small_year_text: str
) -> None:
    _store_year(small_year_text)
    path = save([written(variant, mistake)], tmp_path / "goals.xlsx")
    with pytest.raises(InputRejected) as refused:
        import_workbook(path)
    assert len(refused.value.problems) == 1, refused.value.problems
    assert not [g for g in export_dataset("test-dept", 2024).goals if g.project == "P010"]
