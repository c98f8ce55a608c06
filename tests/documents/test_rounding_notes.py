"""A rounding difference between printed parts and their printed total: a 注 under the form
when the preparer chooses it, else a note in the 审核意见 only."""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.evaluation import ProjectEvaluation
from jixiao.core.goals import Funds, FundsRow
from jixiao.core.review import funds_rounding_gaps, project_notes, rounding_gap_findings
from jixiao.core.scoring import evaluate_goal
from jixiao.documents.evaluation_forms import ROUNDING_NOTE
from jixiao.documents.evaluation_forms import project_notes as form_notes
from jixiao.interchange.rule_files import load_rule_set
from tests.scoring.forms import form

# Two sources of 10,040 元 each print as 1.00万元; their total of 20,080 元 prints as 2.01.
PART = FundsRow("一般公共预算财政拨款", Decimal("10040"), Decimal("10040"), Decimal("10040"))
OTHER = FundsRow("政府性基金预算财政拨款", Decimal("10040"), Decimal("10040"), Decimal("10040"))
TOTAL = FundsRow("年度资金总额", Decimal("20080"), Decimal("20080"), Decimal("20080"))
GAPPED = Funds(TOTAL, (PART, OTHER))

FORM = """\
全年预算数: 2.008
全年执行数: 2.008
指标: |
  一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值
  产出指标 | 数量指标 | 完成控规调整 | ≥3项 | 3项 | 90
"""


def project(funds: Funds) -> ProjectEvaluation:
    goal = form(FORM).goal
    evaluation = evaluate_goal(goal, funds, load_rule_set("mof-2020-project"))
    return ProjectEvaluation("P01", "规划编制", funds, evaluation, (), ())


def test_it_finds_the_columns_whose_printed_parts_miss_the_printed_total() -> None:
    assert funds_rounding_gaps(GAPPED) == {
        "年初预算数": Decimal("0.01"),
        "全年预算数": Decimal("0.01"),
        "全年执行数": Decimal("0.01"),
    }
    assert funds_rounding_gaps(Funds(TOTAL, (TOTAL,))) == {}
    assert funds_rounding_gaps(Funds(TOTAL)) == {}


def test_the_form_prints_the_note_when_the_preparer_chose_it() -> None:
    evaluated = project(GAPPED)
    assert ROUNDING_NOTE in form_notes(evaluated, rounding_note=True)
    assert ROUNDING_NOTE not in form_notes(evaluated, rounding_note=False)
    assert ROUNDING_NOTE not in form_notes(project(Funds(TOTAL, (TOTAL,))), rounding_note=True)


def test_without_the_note_the_gap_is_left_to_the_review_notes() -> None:
    (finding,) = rounding_gap_findings(GAPPED, noted=False)
    assert finding.id == "funds-rows-rounding-gap"
    assert "全年执行数相差0.01万元" in finding.message
    assert list(rounding_gap_findings(GAPPED, noted=True)) == []
    ids = [f.id for f in project_notes(project(GAPPED), rounding_noted=False)]
    assert "funds-rows-rounding-gap" in ids
    assert all(f.subject == "P01 规划编制" for f in project_notes(project(GAPPED)))
