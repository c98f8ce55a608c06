"""The demo's official documents hold only what the department publishes; everything
addressed to the preparer is in the 审核意见 written beside them."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from jixiao.core.coverage import budget_not_executed
from jixiao.interchange.department_rule_files import packaged_department_frameworks
from jixiao.interchange.rule_files import packaged_rule_sets
from jixiao.services.reporting import write_report

pytestmark = pytest.mark.django_db

Run = Callable[..., tuple[int, str, str]]
STEM = "2023-liwan-ghzy"
PREPARER_WORDS = ("【警告】", "【错误】", "【提示】", "请补充", "请核实", "未评定分值", "未公布")


def docx_text(path: Path) -> str:
    """Every paragraph and every table cell of a Word file, as python-docx reads it back."""
    document = Document(str(path))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def workbook_forms_text(path: Path) -> str:
    """The text of every sheet meant for submission (all but the 审核意见)."""
    workbook = load_workbook(path, read_only=True)
    return "\n".join(
        str(value)
        for sheet in workbook.worksheets
        if sheet.title != "审核意见"
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


@pytest.fixture
def demo(jixiao: Run, tmp_path: Path) -> tuple[Path, str]:
    code, out, err = jixiao("demo", "--out", tmp_path / "report")
    assert code == 0, err
    return tmp_path / "report", out


def test_no_official_document_of_the_demo_speaks_to_the_preparer(demo: tuple[Path, str]) -> None:
    folder, _ = demo
    official = {
        "report": docx_text(folder / f"{STEM}-self-evaluation.docx"),
        "markdown": (folder / f"{STEM}-self-evaluation.md").read_text(encoding="utf-8"),
        "workbook": workbook_forms_text(folder / f"{STEM}-evaluation.xlsx"),
    }
    rule_ids = [*packaged_rule_sets(), *packaged_department_frameworks()]
    for name, text in official.items():
        for words in (*PREPARER_WORDS, *rule_ids, "附：一致性检查结果"):
            assert words not in text, (name, words)
        assert "。。" not in text and "““" not in text, name


def test_the_review_notes_hold_what_the_report_leaves_out(demo: tuple[Path, str]) -> None:
    folder, out = demo
    review = folder / f"{STEM}-self-evaluation-review.docx"
    assert f"审核意见（Word）：{review}" in out
    text = docx_text(review)
    assert text.replace("\n", "").startswith(  # the title is set in balanced lines
        "2023年度广州市规划和自然资源局荔湾区分局部门整体支出绩效自评报告审核意见"
    )
    for words in (
        "相差0.01万元，可能为四舍五入尾差，请核实",  # the one-cent gap of the reference
        "尚有23,278.24万元既未支出也未结转结余",
        "占项目支出全年预算数99,322.83万元的0.85%，低于规则要求的100.00%",
        "自评结论综述称“全覆盖”",
        "未评定分值，按默认比例计5.4分",
        "“在职人员控制率”声明为不适用，理由：公开的自评报告未公布编制数和在职人员数",
        "“‘三公经费’变动率”声明为不适用",
        "指标“历史存量违法用地整改率”在“部门整体支出绩效目标”中的年度指标值为≥85%",
        "（mof-2013-dept）",
        "（mof-2020-project）",
    ):
        assert words in text, words


def test_the_report_states_coverage_and_where_the_budget_not_executed_went(
    demo: tuple[Path, str],
) -> None:
    folder, _ = demo
    paragraphs = [p.text for p in Document(str(folder / f"{STEM}-self-evaluation.docx")).paragraphs]
    assert (
        "全年预算数与执行数相差25,856.52万元，其中年末结转和结余2,578.28万元，"
        "其余23,278.24万元既未支出也未结转结余。"
    ) in paragraphs
    conclusion = next(p for p in paragraphs if p.startswith("经自评"))
    assert (
        "本年度自评覆盖项目3个，占全部15个项目的20.00%；覆盖资金845.00万元，"
        "占项目支出全年预算数99,322.83万元的0.85%。"
    ) in conclusion


def test_the_demo_coverage_and_budget_not_executed_are_computed_by_the_core(
    demo: tuple[Path, str], tmp_path: Path
) -> None:
    written = write_report("liwan-ghzy", 2023, tmp_path / "again")
    coverage = written.coverage
    assert coverage is not None
    assert (coverage.projects_evaluated, coverage.projects_total) == (3, 15)
    assert coverage.funds_evaluated == Decimal("8450000.00")
    assert coverage.funds_total == Decimal("993228300.00")
    assert coverage.funds_share is not None
    assert round(coverage.funds_share * 100, 2) == Decimal("0.85")
    decomposed = budget_not_executed(written.figures)
    # 103,118.19 − 77,261.67 − 2,578.28 = 23,278.24万元
    assert decomposed.not_executed == Decimal("258565200.00")
    assert decomposed.carryover == Decimal("25782800.00")
    assert decomposed.unexplained == Decimal("232782400.00")
    assert "budget-not-executed-unexplained" in {f.id for f in written.findings}
