"""Importing filled forms: what changes, by row, by natural key; problems all at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao.interchange.excel.form_layouts import FormKind
from jixiao.interchange.excel.form_templates import write_form_template
from jixiao.interchange.excel.rights import ImportRights
from jixiao.interchange.problems import InputRejected
from jixiao.services.evaluating import evaluate_stored_year
from jixiao.services.excel_import import import_workbook
from jixiao.services.reading import export_dataset
from tests.excel_forms.forms import (
    DEPARTMENT_SHEET,
    P04,
    P09,
    counts,
    edit,
    export,
    find_row,
    store_demo,
    store_text,
    stored,
)

pytestmark = pytest.mark.django_db
Run = Callable[..., tuple[int, str, str]]


def _goal(project: str | None, department: str = "liwan-ghzy", year: int = 2023) -> Any:
    dataset = export_dataset(department, year, payments=False)
    return next(goal for goal in dataset.goals if goal.project == project)


def _indicator(goal: Any, level3: str) -> Any:
    return next(i for i in goal.indicators if i.level3 == level3)


def test_an_edited_self_evaluation_changes_those_rows_and_keeps_the_claims(
    tmp_path: Path, jixiao: Run
) -> None:
    store_demo()
    path = edit(
        export("evaluation", tmp_path / "e.xlsx"),
        tmp_path / "edited.xlsx",
        P09,
        {
            "E12": "88%",
            "G12": 15,
            "H12": "图斑整改周期长。改进措施：按月通报进度",
        },
    )
    code, out, err = jixiao("import", path, "--dry-run")
    assert code == 0, err
    assert "将要变化：绩效目标：新增 0，修改 1，删除 0；绩效指标：新增 0，修改 8，删除 0" in out
    assert (
        f"{P09}!12  修改绩效指标 LW23-P09 产出指标/质量指标/历史存量违法用地整改率："
        "实际完成值：86.19% → 88%；填报得分：（空） → 15；偏差原因："
    ) in out
    before = counts()
    assert stored() == stored()  # (the dry run wrote nothing)
    result = import_workbook(path)
    assert result.summary() == "绩效目标：新增 0，修改 1，删除 0；绩效指标：新增 0，修改 8，删除 0"
    row = _indicator(_goal("LW23-P09"), "历史存量违法用地整改率")
    assert (row.actual, row.claimed_score) == ("88%", Decimal(15))
    assert (row.deviation_reason, row.improvement) == ("图斑整改周期长", "按月通报进度")
    assert _goal("LW23-P09").claimed.total == Decimal("98.88")
    assert counts()["Indicator"] == before["Indicator"]
    assert not import_workbook(path).changed  # the second import changes nothing
    project = next(
        p for p in evaluate_stored_year("liwan-ghzy", 2023).projects if p.project_code == "LW23-P09"
    )
    assert sorted(f.id for f in project.audit) == [
        "full-marks-on-unmet-target",
        "total-not-sum-of-rows",
    ]


def test_a_row_left_out_removes_its_indicator_and_a_new_row_adds_one(tmp_path: Path) -> None:
    store_demo()
    goals = export("goals", tmp_path / "goals.xlsx")
    book = load_workbook(goals)
    sheet = book["LW23-P04 国土空间总体规划编制"]
    sheet["C7"] = "完成专题研究报告（含附件）"  # a new path: one removed, one added
    sheet["E7"] = "≥8份"
    book.save(tmp_path / "renamed.xlsx")
    result = import_workbook(tmp_path / "renamed.xlsx", dry_run=True)
    changes = [str(change) for change in result.changes()]
    assert (
        "LW23-P04 国土空间总体规划编制!7  新增绩效指标 "
        "LW23-P04 产出指标/数量指标/完成专题研究报告（含附件）：≥8份" in changes
    )
    assert (
        "（已存数据）  删除绩效指标 LW23-P04 产出指标/数量指标/完成专题研究报告：连同2条进度记录"
        in changes
    )
    import_workbook(tmp_path / "renamed.xlsx")
    names = [i.level3 for i in _goal("LW23-P04").indicators]
    assert names[0] == "完成专题研究报告（含附件）" and "完成专题研究报告" not in names


def _new_project_goals(tmp_path: Path) -> Path:
    """The goals template filled for a project that is not stored (LW23-P99)."""
    path = write_form_template(FormKind.goals, tmp_path / "goals.xlsx")
    book = load_workbook(path)
    sheet = book[FormKind.goals.form_title]
    sheet["A2"] = "（2023年度）"
    sheet["B3"], sheet["E3"] = "liwan-ghzy", "广州市规划和自然资源局荔湾区分局"
    sheet["B4"], sheet["E4"] = "LW23-P99", "城市更新项目前期研究"
    sheet["B5"] = "完成3个片区的更新策划方案。"
    rows = [
        ("产出", "数量", "完成片区策划方案", "定量", "≥3个", 20, "2个"),
        ("产出指标", "质量指标", "方案通过专家评审率", None, "＞＝９５％", 15, None),
        ("产出指标", "时效指标", "方案完成时间", "定量", "≤10月", 15, None),
        ("效益指标", "社会效益指标", "公众参与度", "定性", "明显提升", 30, None),
        ("满意度指标", "服务对象满意度指标", "相关部门满意度", "定量", "≥90%", 10, None),
    ]
    for n, values in enumerate(rows, start=7):
        for column, value in zip("ABCDEFG", values, strict=True):
            sheet[f"{column}{n}"] = value
    book.save(path)
    return path


def test_a_filled_goal_template_adds_a_project_and_its_goal(tmp_path: Path, jixiao: Run) -> None:
    store_demo()
    path = _new_project_goals(tmp_path)
    code, out, err = jixiao("import", path)
    assert code == 0, err
    assert "已变化：项目：新增 1，修改 0，删除 0；绩效目标：新增 1，修改 0，删除 0" in out
    goal = _goal("LW23-P99")
    assert goal.expected_objective == "完成3个片区的更新策划方案。"
    assert [(i.level1, i.level2, i.kind.value) for i in goal.indicators][:2] == [
        ("产出指标", "数量指标", "quantitative"),
        ("产出指标", "质量指标", "quantitative"),
    ]
    assert goal.indicators[1].target == "＞＝９５％"  # kept as written; it parses as ≥95%
    assert goal.indicators[3].kind.value == "qualitative"
    assert goal.indicators[0].last_year_actual == "2个"
    assert not import_workbook(path).changed


def test_every_problem_is_listed_at_once_with_its_cell_and_value(tmp_path: Path) -> None:
    store_demo()
    before, rows = stored(), counts()
    path = edit(
        export("evaluation", tmp_path / "e.xlsx"),
        tmp_path / "bad.xlsx",
        P09,
        {
            "E11": "很多",  # a quantitative actual that is not a number
            "F12": "十五",  # a weight that is not a number
            "D14": "≥三十天",  # a quantitative target that cannot be read
            "G15": "-2",  # a negative score
            "D6": 300,  # funds that contradict the project's budget lines
        },
    )
    with pytest.raises(InputRejected) as refused:
        import_workbook(path)
    problems = {p.where: p.message for p in refused.value.problems}
    assert problems.keys() == {f"{P09}!E11", f"{P09}!F12", f"{P09}!D14", f"{P09}!G15", f"{P09}!D6"}
    assert "“十五”" in problems[f"{P09}!F12"] and "分值" in problems[f"{P09}!F12"]
    assert "“很多”" in problems[f"{P09}!E11"]
    assert "“≥三十天”" in problems[f"{P09}!D14"]
    assert problems[f"{P09}!D6"].startswith(
        "全年预算数：表中为 300 万元，但项目“LW23-P09”的预算行合计为 210 万元"
    )
    assert stored() == before and counts() == rows


def test_a_project_without_budget_lines_takes_its_funds_from_the_table(
    tmp_path: Path, small_year_text: str
) -> None:
    store_text(small_year_text)
    path = write_form_template(FormKind.project_evaluation, tmp_path / "t.xlsx")
    book = load_workbook(path)
    sheet = book[FormKind.project_evaluation.form_title]
    cells = {
        "A2": "（2024年度）",
        "B3": "规划宣传",
        "F3": "P003",
        "B4": "测试区测试局",
        "A5": "项目资金（元）",
        "C6": 100000,
        "D6": 120000,
        "E6": 114000,
        "G6": "95%",
        "H6": 9.5,
        "B11": "完成宣传任务",
        "E11": "完成",
        "A13": "产出指标",
        "B13": "数量指标",
        "C13": "宣传活动场次",
        "D13": "≥10场",
        "E13": "10场",
        "F13": 50,
        "G13": 50,
        "A14": "效益指标",
        "B14": "社会效益指标",
        "C14": "公众知晓度",
        "D14": "明显提升",
        "E14": "达成年度指标",
        "F14": 30,
        "G14": 27,
        "A15": "满意度指标",
        "B15": "服务对象满意度指标",
        "C15": "群众满意度",
        "D15": "≥90%",
        "E15": 0.93,
        "F15": 10,
        "G15": 10,  # a % cell: Excel keeps 93% as 0.93
        "G33": 96.5,
        "F34": "优",
    }
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(path)
    result = import_workbook(path)
    assert result.summary() == "项目：新增 1，修改 0，删除 0；绩效目标：新增 1，修改 0，删除 0"
    dataset = export_dataset("test-dept", 2024, payments=False)
    project = next(p for p in dataset.budget.projects if p.code == "P003")
    assert (project.initial_budget, project.final_budget, project.executed) == (
        Decimal(10),
        Decimal(12),
        Decimal("11.4"),
    )  # 万元, the year's unit
    goal = next(g for g in dataset.goals if g.project == "P003")
    assert goal.claimed.total is None  # every printed figure agrees with the rules
    public = _indicator(goal, "公众知晓度")
    assert (public.state.value, public.assessed_score) == ("达成年度指标", Decimal(27))
    assert _indicator(goal, "群众满意度").actual == "93%"
    assert not import_workbook(path).changed


def test_a_filled_monitoring_table_adds_progress_at_its_date(tmp_path: Path, jixiao: Run) -> None:
    store_demo()
    path = write_form_template(FormKind.monitoring, tmp_path / "m.xlsx")
    book = load_workbook(path)
    sheet = book[FormKind.monitoring.form_title]
    sheet["B2"], sheet["E2"], sheet["G2"] = (
        "广州市规划和自然资源局荔湾区分局",
        2023,
        date(2023, 9, 30),
    )
    sheet.append([])  # (the template's blank rows are below; fill the first ones)
    rows = [
        (
            "LW23-P09",
            None,
            "产出指标",
            "质量指标",
            "历史存量违法用地整改率",
            "≥90%",
            "80%",
            None,
            "制度保障",
            "拆除复耕须协调补偿",
            "有可能",
            None,
        ),
        (
            None,
            "部门整体",
            "产出指标",
            "数量指标",
            "出让土地宗数",
            "≥8宗",
            "7宗",
            "2023-09-15",
            None,
            None,
            "确定能",
            None,
        ),
    ]
    for n, values in enumerate(rows, start=4):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=n, column=column).value = value
    book.save(path)
    code, out, err = jixiao("import", path, "--dry-run")
    assert code == 0, err
    assert "指标进度：新增 2，修改 0，删除 0" in out.replace(
        "绩效目标：新增 0，修改 0，删除 0；", ""
    )
    import_workbook(path)
    progress = _indicator(_goal("LW23-P09"), "历史存量违法用地整改率").progress
    row = next(p for p in progress if p.date == date(2023, 9, 30))
    assert (row.date, row.value, row.likelihood.value, row.reason_category.value, row.reason) == (
        date(2023, 9, 30),
        "80%",
        "有可能",
        "制度保障",
        "拆除复耕须协调补偿",
    )
    land = next(
        p for p in _indicator(_goal(None), "出让土地宗数").progress if p.date == date(2023, 9, 15)
    )
    assert (land.date, land.value) == (date(2023, 9, 15), "7宗")
    assert not import_workbook(path).changed
    sheet["G4"] = "82%"
    book.save(path)
    changes = [str(c) for c in import_workbook(path).changes()]
    assert changes == [
        f"{FormKind.monitoring.form_title}!4  修改指标进度 "
        "LW23-P09 产出指标/质量指标/历史存量违法用地整改率 2023-09-30：完成值：80% → 82%"
    ]


def test_the_department_form_imports_its_own_indicators_and_leaves_the_common_ones(
    tmp_path: Path,
) -> None:
    store_demo()
    exported = export("evaluation", tmp_path / "e.xlsx")
    land = find_row(exported, DEPARTMENT_SHEET, "C", "出让土地宗数")
    completion = find_row(exported, DEPARTMENT_SHEET, "C", "预算完成率")
    path = edit(
        exported,
        tmp_path / "d.xlsx",
        DEPARTMENT_SHEET,
        {
            f"E{land}": "10宗",
            f"E{completion}": 0.8,  # computed from the year's data: not imported
        },
    )
    changes = [str(c) for c in import_workbook(path, dry_run=True).changes()]
    assert changes[-1] == (
        f"{DEPARTMENT_SHEET}!{land}  修改绩效指标 部门整体 产出指标/数量指标/出让土地宗数："
        "实际完成值：9宗 → 10宗"
    )
    assert not any("预算完成率" in text for text in changes)


def test_forms_need_a_stored_year(tmp_path: Path) -> None:
    store_demo()
    path = export("goals", tmp_path / "goals.xlsx")
    with pytest.raises(InputRejected, match="与 --year 的“2024”不一致"):
        import_workbook(path, year=2024)  # the sheets say 2023
    book = load_workbook(path)
    for sheet in book.worksheets[1:]:
        sheet["A2"] = "（2024年度）"
    book.save(tmp_path / "next.xlsx")
    with pytest.raises(InputRejected, match="2024年度尚未建立"):
        import_workbook(tmp_path / "next.xlsx")


def test_a_goal_on_two_sheets_is_refused(tmp_path: Path) -> None:
    store_demo()
    path = export("goals", tmp_path / "goals.xlsx")
    book = load_workbook(path)
    copy = book.copy_worksheet(book[P04])
    copy.title = "副本"
    book.save(path)
    with pytest.raises(InputRejected, match="已经出现"):
        import_workbook(path)


def test_a_workbook_with_forms_and_a_budget_table_is_refused(tmp_path: Path) -> None:
    store_demo()
    path = export("goals", tmp_path / "goals.xlsx")
    book = load_workbook(path)
    budget = book.create_sheet("预算与执行")
    budget.append(["部门代码", "liwan-ghzy"])
    budget.append(["单位：万元"])
    budget.append(["预算行代码", "预算行名称", "资金来源", "支出性质", "年初预算数", "全年预算数"])
    budget.append(["X1", "办公", "一般公共预算", "基本支出", 1, 1])
    book.save(path)
    with pytest.raises(InputRejected, match="请把预算与执行、支出明细和绩效表分开导入"):
        import_workbook(path)


def test_a_filled_department_template_replaces_the_departments_own_indicators(
    tmp_path: Path,
) -> None:
    store_demo()
    path = write_form_template(FormKind.department_evaluation, tmp_path / "d.xlsx")
    book = load_workbook(path)
    sheet = book[FormKind.department_evaluation.form_title]
    sheet["A2"], sheet["B3"] = "（2023年度）", "广州市规划和自然资源局荔湾区分局"
    title = FormKind.department_evaluation.form_title
    completion = find_row(path, title, "C", "预算完成率")
    first_duty = find_row(path, title, "C", "政府采购执行率") + 1  # after the common rows
    # 预算完成率: computed from the data, not imported
    sheet[f"E{completion}"], sheet[f"G{completion}"] = 0.7493, 7.49
    duties = [
        ("产出指标", "数量指标", "审结不动产登记案件数", "≥50000宗", "52186宗", 30, 30),
        ("效益指标", "社会效益指标", "耕地保护成效", "明显", "达成年度指标", 24, 22),
    ]
    for n, values in enumerate(duties, start=first_duty):
        for column, value in zip("ABCDEFG", values, strict=True):
            sheet[f"{column}{n}"] = value
    book.save(path)
    result = import_workbook(path, dry_run=True)
    counted = result.counts()
    assert counted["绩效指标"] == {"added": 1, "changed": 1, "removed": 7}
    changes = [str(c) for c in result.changes()]
    assert not any("预算完成率" in text for text in changes)
    assert any(
        "新增绩效指标 部门整体 效益指标/社会效益指标/耕地保护成效：明显" in t for t in changes
    )


def test_the_forms_export_from_the_command_line(tmp_path: Path, jixiao: Run) -> None:
    store_demo()
    for kind, extra in (
        ("goals", ()),
        ("evaluation", ()),
        ("monitoring", ("--as-of", "2023-07-31")),
    ):
        out = tmp_path / f"{kind}.xlsx"
        code, text, err = jixiao(
            "export-xlsx",
            "--department",
            "liwan-ghzy",
            "--year",
            "2023",
            "--kind",
            kind,
            "--out",
            out,
            *extra,
        )
        assert code == 0, err
        assert out.exists() and str(out) in text
        assert not import_workbook(out).changed
    code, _, err = jixiao(
        "export-xlsx",
        "--department",
        "liwan-ghzy",
        "--year",
        "2023",
        "--kind",
        "monitoring",
        "--out",
        tmp_path / "m.xlsx",
    )
    assert code == 2 and "--as-of" in err


def test_an_import_may_not_change_a_submitted_goal(tmp_path: Path, jixiao: Run) -> None:
    from jixiao.storage import models as m

    store_demo()
    exported = export("evaluation", tmp_path / "e.xlsx")
    m.PerformanceGoal.objects.filter(project__code="LW23-P09").update(
        evaluation_status=m.WorkflowStatus.submitted
    )
    before = stored()
    edited = edit(exported, tmp_path / "edited.xlsx", P09, {"E12": "88%"})
    code, _, err = jixiao("import", edited)
    assert code == 2
    assert "项目“LW23-P09”的绩效自评已提交，内容已锁定" in err
    assert stored() == before
    # The unchanged export touches no locked goal, so it still imports.
    assert jixiao("import", exported)[0] == 0


# A 业务科室's import: the goals of its own projects, nothing else


def test_a_scoped_import_changes_its_own_projects_goals(tmp_path: Path) -> None:
    store_demo()
    path = edit(
        export("evaluation", tmp_path / "e.xlsx"), tmp_path / "ed.xlsx", P09, {"E12": "88%"}
    )
    result = import_workbook(path, rights=ImportRights.own_projects({"LW23-P09"}))
    assert result.summary() == "绩效目标：新增 0，修改 1，删除 0；绩效指标：新增 0，修改 8，删除 0"
    assert _indicator(_goal("LW23-P09"), "历史存量违法用地整改率").actual == "88%"


def test_a_scoped_import_refuses_another_projects_goal_and_writes_nothing(tmp_path: Path) -> None:
    store_demo()
    path = edit(
        export("evaluation", tmp_path / "e.xlsx"), tmp_path / "ed.xlsx", P09, {"E12": "88%"}
    )
    before = stored()
    with pytest.raises(InputRejected) as refused:
        import_workbook(path, rights=ImportRights.own_projects({"LW23-P04"}))
    assert [(p.where, p.message) for p in refused.value.problems] == [
        (P09, "项目“LW23-P09”的绩效目标不属于您科室，不能由您导入修改（请交财务科或该项目的科室）")
    ]
    assert stored() == before


def test_a_scoped_import_may_not_add_a_project(tmp_path: Path) -> None:
    store_demo()
    with pytest.raises(InputRejected) as refused:
        import_workbook(
            _new_project_goals(tmp_path),
            rights=ImportRights.own_projects({"LW23-P99"}),
            dry_run=True,
        )
    assert [p.message for p in refused.value.problems] == [
        "此文件还会新增或修改项目、预算数据，只有财务科可以导入；"
        "业务科室只能修改本科室项目的绩效目标、自评和监控进度"
    ]


def test_a_scoped_import_refuses_a_budget_workbook(tmp_path: Path) -> None:
    from jixiao.interchange.excel.importing import FORMS_ONLY
    from jixiao.interchange.excel.layouts import BUDGET_KIND
    from jixiao.services.excel_export import export_workbook

    store_demo()
    path = export_workbook("liwan-ghzy", 2023, BUDGET_KIND, tmp_path / "budget.xlsx")
    with pytest.raises(InputRejected) as refused:
        import_workbook(path, rights=ImportRights.own_projects({"LW23-P04"}))
    assert [p.message for p in refused.value.problems] == [FORMS_ONLY]
