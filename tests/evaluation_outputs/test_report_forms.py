"""The Word and Markdown reports state the scores and grades and append the forms (附表)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table

from jixiao.core.evaluation import YearEvaluation
from jixiao.core.money import format_thousands
from jixiao.documents.evaluation_forms import evaluation_forms
from jixiao.services.reporting import WrittenReport, write_report

from .conftest import HYPERLINK, Load

pytestmark = pytest.mark.django_db


def two(value: Decimal | None) -> str:
    """A weight or score as the forms print it: two decimals."""
    assert value is not None
    return format_thousands(value)


@pytest.fixture
def report(load_year: Load, complete_year_text: str, tmp_path: Path) -> WrittenReport:
    load_year(complete_year_text)
    return write_report("test-dept", 2024, tmp_path / "out")


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def cells(table: Table) -> list[list[str]]:
    """Each row's cell texts, one per grid column (merged cells repeat their text)."""
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_conclusion_states_the_department_score_and_grade(report: WrittenReport) -> None:
    result = report.evaluation
    assert result is not None and result.department is not None
    department = result.department
    assert department.total is not None
    sentence = (
        f"经自评，2024年度部门整体支出绩效自评得分为{format_thousands(department.total)}分，"
        f"评价等级为“{department.grade}”。"
    )
    (project,) = result.projects
    coverage = (
        "本年度自评覆盖项目1个，占全部2个项目的50.00%；覆盖资金120.00万元，"
        "占项目支出全年预算数620.00万元的19.35%。"
    )
    expected = (
        f"{sentence}纳入自评的1个项目中，评价等级为“{project.evaluation.grade}”的1个。"
        f"{coverage}各项绩效自评表见附表。"
    )
    texts = paragraphs(report.docx)
    summary = texts.index("（一）自评结论综述")
    assert texts[summary + 1] == expected
    assert texts[summary + 2] == "（二）各重点工作任务绩效目标完成情况分析"
    assert report.content.evaluation_conclusion == expected
    assert f"\n{expected}\n" in report.markdown.read_text(encoding="utf-8")


def test_an_incomplete_department_evaluation_leaves_what_is_missing_to_the_review_notes(
    load_year: Load, small_year_text: str, tmp_path: Path
) -> None:
    result = load_year(small_year_text)
    assert result.department is not None
    written = write_report("test-dept", 2024, tmp_path / "out")
    asked = result.department.missing_inputs
    assert asked[0] == "上年三公经费预算数"  # "三公经费"变动率 on budgets, as the forms
    assert written.content.evaluation_conclusion == (
        "2024年度部门整体支出绩效自评尚未完成，暂不计得分和评价等级。"
        "纳入自评的1个项目中，自评尚不完整的1个。本年度自评覆盖项目1个，占全部2个项目的"
        "50.00%；覆盖资金120.00万元，占项目支出全年预算数620.00万元的19.35%。"
        "各项绩效自评表见附表。"
    )
    assert written.review is not None
    review = "\n".join(paragraphs(written.review))
    assert all(name in review for name in asked)
    assert not any(name in "\n".join(paragraphs(written.docx)) for name in asked)


def test_the_word_report_appends_the_forms_after_the_improvement_measures(
    report: WrittenReport,
) -> None:
    texts = paragraphs(report.docx)
    assert texts.index("四、下一步改进措施") < texts.index("附表1") < texts.index("附表2")
    assert texts[texts.index("附表1") + 1 : texts.index("附表1") + 3] == [
        "部门整体支出绩效自评表", "（2024年度）",
    ]  # fmt: skip
    assert texts[texts.index("附表2") + 1] == "项目支出绩效自评表"
    document = Document(str(report.docx))
    assert document.paragraphs[texts.index("附表1")].style.name == "附表标识"
    assert len(document.tables) == 3  # the department form; a project's funds and indicators


def test_the_word_project_form_cells_equal_the_evaluation(report: WrittenReport) -> None:
    result = report.evaluation
    assert result is not None
    (project,) = result.projects
    evaluation, execution = project.evaluation, project.evaluation.execution
    funds_table, indicator_table = Document(str(report.docx)).tables[1:]
    funds = cells(funds_table)
    assert funds[0][:2] == ["项目名称", "国土空间规划编制"]
    assert funds[2] == ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值",
                        "执行率", "得分"]  # fmt: skip
    total = project.funds.total
    assert funds[3] == [
        "年度资金总额",
        format_thousands(total.initial_budget / 10000),
        format_thousands(total.final_budget / 10000),
        format_thousands(total.executed / 10000),
        two(execution.weight),
        f"{execution.rate_percent}%",
        two(execution.score),
    ]
    assert funds[4][0] == "其中：一般公共预算财政拨款"
    assert funds[6][1:] == [evaluation.goal.expected_objective] * 3 + [
        evaluation.goal.actual_objective
    ] * 3
    rows = cells(indicator_table)
    assert rows[0][0] == "一级指标" and rows[0][7] == "偏差原因分析及改进措施"
    for offset, row in enumerate(evaluation.indicators, start=1):
        indicator = row.indicator
        assert rows[offset][:7] == [
            indicator.level1, indicator.level2, indicator.level3, indicator.target,
            indicator.actual, two(indicator.weight), two(row.score),
        ]  # fmt: skip
    reasons = [r[7] for r in rows if r[2] == "按期完成率"]
    assert reasons == [f"{HYPERLINK}；改进措施：提前启动报批"]
    last = len(evaluation.indicators) + 1
    assert rows[last][5:7] == [two(evaluation.weight_total), two(evaluation.total)]
    assert rows[last + 1][0] == "评价等级" and rows[last + 1][5] == evaluation.grade


def test_the_word_forms_merge_level1_cells_down_their_groups(report: WrittenReport) -> None:
    indicator_table = Document(str(report.docx)).tables[2]
    first_cells = [row._tr.findall(qn("w:tc"))[0] for row in indicator_table.rows[1:3]]
    assert [tc.vMerge for tc in first_cells] == ["restart", "continue"]
    assert "".join(t.text for t in first_cells[1].iter(qn("w:t"))) == ""


def test_the_word_department_form_cells_equal_the_evaluation(report: WrittenReport) -> None:
    result = report.evaluation
    assert result is not None and result.department is not None
    department = result.department
    rows = cells(Document(str(report.docx)).tables[0])
    by_name = {row[2]: row for row in rows[2:]}
    for common in department.common:
        row = by_name[common.indicator.level3]
        assert row[4:8] == [f"{common.value_percent}%", two(common.weight), two(common.score),
                            common.rule]  # fmt: skip
    for item in department.not_applicable:
        assert by_name[item.name][4:7] == ["不适用", "—", "不适用"]
    for duty in department.duties:
        assert by_name[duty.indicator.level3][5:7] == [two(duty.weight), two(duty.score)]
    (total,) = [row for row in rows if row[0] == "总分"]
    assert total[5:7] == [two(department.weight_total), two(department.total)]
    (grade,) = [row for row in rows if row[0] == "评价等级"]
    assert grade[5] == department.grade


def test_the_markdown_report_prints_the_same_forms_as_pipe_tables(report: WrittenReport) -> None:
    result = report.evaluation
    assert result is not None
    markdown = report.markdown.read_text(encoding="utf-8")
    assert "\n## 附表1 部门整体支出绩效自评表（2024年度）\n" in markdown
    assert "\n## 附表2 项目支出绩效自评表（2024年度）\n" in markdown
    forms = evaluation_forms(result)
    (project,) = forms.projects
    total = project.funds[0]
    assert (
        f"| 年度资金总额 | {format_thousands(total.initial_budget)} | "
        f"{format_thousands(total.final_budget)} | {format_thousands(total.executed)} | "
        f"10.00 | {format_thousands((total.rate or 0) * 100)}% | {two(total.score)} |"
    ) in markdown
    reason_row = (
        f"| 按期完成率 | ≥95% | 90% | 20.00 | {two(project.indicators[1].score)} | "
        f"{HYPERLINK}；改进措施：提前启动报批 |"
    )
    assert reason_row in markdown
    assert f"| **总分** | | | | | 100.00 | {two(project.total)} | |" in markdown


def test_a_report_without_goals_has_no_forms_and_no_evaluation_sentence(
    load_year: Load, small_year_text: str, tmp_path: Path
) -> None:
    load_year(small_year_text[: small_year_text.index("goals:")])
    written = write_report("test-dept", 2024, tmp_path / "out")
    assert written.content.evaluation_conclusion == ""
    assert Document(str(written.docx)).tables == []
    assert "附表" not in written.markdown.read_text(encoding="utf-8")


def test_the_report_and_the_workbook_are_built_from_one_evaluation(
    report: WrittenReport,
) -> None:
    assert isinstance(report.evaluation, YearEvaluation)
    assert report.content.evaluation is report.evaluation
