"""Provincial layouts shipped as data: each form reads in its layout, and says which it was."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from jixiao.interchange.excel.form_sheets import read_forms
from jixiao.interchange.excel.layout_files import shipped_layout
from jixiao.interchange.excel.review import review_lines, review_workbook
from jixiao.interchange.excel.workbook import read_workbook
from jixiao.services.reading import export_dataset
from tests.excel_forms.forms import store_text
from tests.excel_forms.layout_forms import ATTAINMENT, COMBINED_TARGET, OPERATOR_COLUMNS, xlsx

Run = Callable[..., tuple[int, str, str]]


def _targets(path: Path) -> dict[str, tuple[str, str]]:
    (form,) = read_forms(read_workbook(path))
    return {
        row.values["level3"]: (row.values["target"], row.values["actual"])
        for row in form.indicators.rows
    }


def test_operator_in_its_own_column_composes_the_targets(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "a.xlsx", ("自评表", OPERATOR_COLUMNS))
    (form,) = read_forms(read_workbook(path))
    assert form.layout.id == "province-operator-columns"
    assert not form.problems
    targets = _targets(path)
    assert targets["养护道路里程"] == ("≥120公里", "125公里")
    assert targets["道路优良率"] == ("≥90%", "92%")
    assert targets["新建候车亭"] == ("=12个", "12个")  # “=” is an operator, not a kind
    assert targets["群众出行条件"] == ("明显改善", "达成年度指标")  # 定性: as written


def test_a_form_with_the_operator_column_is_reviewed_without_a_reading_error(
    tmp_path: Path,
) -> None:
    path = xlsx(tmp_path / "a.xlsx", ("自评表", OPERATOR_COLUMNS))
    result = review_workbook(path)
    (sheet,) = result.sheets
    assert result.clean, review_lines(result)
    assert (sheet.total, sheet.grade) == (pytest.approx(99.5), "优")
    name = shipped_layout("province-operator-columns").name
    assert f"按版式“{name}”读取" in review_lines(result)[3]


def test_a_wrong_score_in_the_operator_layout_is_still_found(tmp_path: Path) -> None:
    rows = [list(row) for row in OPERATOR_COLUMNS]
    rows[6][8] = 10  # 道路优良率 92% ≥ 90%: full marks are 15
    rows[12][8] = 94.5
    result = review_workbook(xlsx(tmp_path / "a.xlsx", ("自评表", rows)))
    assert Counter(f.id for f in result.findings) == Counter(
        ["deduction-on-met-target-without-reason"]
    )


def test_a_target_with_operator_and_unit_under_other_header_words_reads(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "b.xlsx", ("自评表", COMBINED_TARGET))
    assert _targets(path)["受益人口"] == ("≥30000人", "24000人")
    result = review_workbook(path)
    assert result.clean, review_lines(result)
    (sheet,) = result.sheets
    assert sheet.read_as == f"按版式“{shipped_layout('province-combined-target').name}”读取"
    assert sheet.total == pytest.approx(93.5)


def test_a_weightless_attainment_table_is_reviewed_row_by_row(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "c.xlsx", ("完成情况", ATTAINMENT))
    result = review_workbook(path)
    (sheet,) = result.sheets
    assert sheet.read_as == "按版式“县级专项资金绩效目标完成情况表”读取"
    assert sheet.summary == "逐行判断达成：达成 3 项，未达成 3 项，无法判断 0 项"
    assert [(f.id, f.where) for f in sheet.findings] == [
        ("attainment-claim-contradicts", "完成情况!G8"),  # 88% printed 是 under ≥90%
        ("attainment-unmet-without-reason", "完成情况!H8"),
        ("attainment-unmet-without-reason", "完成情况!H9"),  # 16处 of 20处
    ]
    assert not any("分值" in f.message for f in sheet.findings)
    lines = review_lines(result)
    assert lines[2].startswith("【完成情况】绩效目标完成情况表：县级农村公路养护专项；逐行判断达成")


def test_an_attainment_table_that_is_consistent_has_no_finding(tmp_path: Path) -> None:
    rows = [list(row) for row in ATTAINMENT[:-2]]  # rows 1-4: met, not met with its reason
    result = review_workbook(xlsx(tmp_path / "c.xlsx", ("完成情况", rows)))
    assert result.clean, review_lines(result)
    assert result.sheets[0].summary == "逐行判断达成：达成 3 项，未达成 1 项，无法判断 0 项"


def test_an_attainment_table_reports_what_it_cannot_read_or_tell(tmp_path: Path) -> None:
    rows = [list(row) for row in ATTAINMENT[:5]]
    rows[3][5] = None  # 养护里程: no actual
    rows[4][4] = "≥"  # 优良路率: an operator without a figure
    rows[4][6] = "也许"
    result = review_workbook(xlsx(tmp_path / "c.xlsx", ("完成情况", rows)))
    found = {(f.id, f.where) for f in result.findings}
    assert ("attainment-not-reported", "完成情况!F4") in found
    assert ("cell-unreadable", "完成情况!G5") in found  # 是否达成 “也许”
    assert result.sheets[0].summary.endswith("无法判断 2 项")


@pytest.mark.django_db
def test_an_attainment_table_is_not_imported(jixiao: Run, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "c.xlsx", ("完成情况", ATTAINMENT))
    code, _, err = jixiao("import", path, "--dry-run", "--department", "d1", "--year", "2023")
    assert code == 2
    assert "没有分值和得分，不能导入" in err
    assert "jixiao review" in err


@pytest.mark.django_db
def test_a_provincial_form_imports_and_says_by_which_layout(
    jixiao: Run, tmp_path: Path, small_year_text: str
) -> None:
    store_text(small_year_text)
    rows = [list(row) for row in OPERATOR_COLUMNS]
    rows[1] = ["部门代码", "test-dept", "年度", 2024, "项目代码", "P001"]
    rows[3] = ["年度资金总额", 100, 120, 110, 10, "91.67%", 9.17]
    path = xlsx(tmp_path / "a.xlsx", ("自评表", rows))
    code, out, err = jixiao("import", path)
    assert (code, err) == (0, "")
    name = shipped_layout("province-operator-columns").name
    assert f"  自评表：按版式“{name}”读取" in out.splitlines()
    goal = next(g for g in export_dataset("test-dept", 2024).goals if g.project == "P001")
    targets = {i.level3: (i.target, i.actual) for i in goal.indicators}
    assert targets["新建候车亭"] == ("=12个", "12个")
    assert targets["道路优良率"] == ("≥90%", "92%")


def test_a_goals_form_with_the_operator_column_reads_as_goals(tmp_path: Path) -> None:
    rows = [
        ["2024年度项目支出绩效目标申报表"],
        ["项目名称", "乡村道路养护"],
        ["年度总体目标", "完成120公里农村公路养护"],
        ["序号", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "分值"],
        [1, "产出指标", "数量指标", "养护道路里程", "≥", 120, "公里", 50],
        [2, "产出指标", "数量指标", "新建候车亭", "=", 12, "个", 40],
    ]
    (form,) = read_forms(read_workbook(xlsx(tmp_path / "g.xlsx", ("申报表", rows))))
    assert (form.kind.value, form.layout.id) == ("goals", "province-operator-columns-goals")
    assert not form.problems
    assert [row.values["target"] for row in form.indicators.rows] == ["≥120公里", "=12个"]
