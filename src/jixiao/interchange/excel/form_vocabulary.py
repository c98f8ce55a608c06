"""The words the performance forms' cells hold, and the forms themselves (pure).

Vocabularies (指标类型, 完成情况, 完成目标可能性, 偏差原因类别, 计算符号, 是否达成) and the
cell readers a layout file names by ``type`` (``layout_files.READERS``); ``FormKind`` and
the forms' titles. ``form_layouts`` re-exports them.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum

from jixiao.core.goals import IndicatorKind, QualitativeState
from jixiao.core.monitoring import Likelihood, ReasonCategory
from jixiao.core.targets import operator_of
from jixiao.interchange.excel.cells import (
    CellError,
    Declared,
    Vocabulary,
    display,
    number,
    read_text,
    yes_no,
)
from jixiao.interchange.excel.headers import fold
from jixiao.interchange.excel.workbook import CellValue

KINDS: Vocabulary[IndicatorKind] = Vocabulary(
    "指标类型",
    {IndicatorKind.quantitative: "定量", IndicatorKind.qualitative: "定性"},
    [("定量指标", IndicatorKind.quantitative), ("定性指标", IndicatorKind.qualitative)],
)
STATES: Vocabulary[QualitativeState] = Vocabulary(
    "完成情况",
    {state: state.value for state in QualitativeState},
    [
        ("达成", QualitativeState.achieved),
        ("部分达成", QualitativeState.partly_achieved),
        ("未达成", QualitativeState.not_achieved),
    ],
)
LIKELIHOODS: Vocabulary[Likelihood] = Vocabulary(
    "完成目标可能性",
    {item: item.value for item in Likelihood},
    [
        ("确定", Likelihood.certain),
        ("可能", Likelihood.possible),
        ("不可能", Likelihood.impossible),
    ],
)
REASONS: Vocabulary[ReasonCategory] = Vocabulary(
    "偏差原因类别",
    {item: item.value for item in ReasonCategory},
    [
        ("经费", ReasonCategory.funding),
        ("制度", ReasonCategory.rules),
        ("人员", ReasonCategory.staff),
        ("硬件", ReasonCategory.equipment),
        ("硬件条件", ReasonCategory.equipment),
    ],
)

NO_FIGURE_MARKS = frozenset(
    {"未填报", "无法评分", "未评分", "不适用", "未评定", "—", "——", "-", "--", "/", "无"}
)
"""What a score or weight cell prints when there is no figure (read as empty)."""
NOT_GRADED = "未评定"
"""What an export prints for the grade of an incomplete evaluation (“未评定（评价不完整）”):
a grade cell starting with it has no grade."""
NO_GRADE_MARKS = ("—", "-", "/", "无")
"""A grade cell printing one of these (folded) has no grade either."""


def read_score(value: CellValue, declared: Declared) -> Decimal | None:
    """A weight or score: a number, “20分”, or one of the no-figure marks (未填报, 不适用, —)
    as empty."""
    if isinstance(value, str) and fold(value) in NO_FIGURE_MARKS:
        return None
    if isinstance(value, str) and _POINTS.match(fold(value)):
        value = fold(value).removesuffix("分")
    return number(value, what="分数")


_POINTS = re.compile(r"^[0-9]+(?:\.[0-9]+)?分$")


def read_form_text(value: CellValue, declared: Declared) -> str:
    return read_text(value, declared)


QUALITATIVE_MARK = "定性"
"""What ``read_operator`` gives for a 指标性质 cell that says the indicator is qualitative."""
_QUALITATIVE_WORDS = frozenset({"定性", "定性指标"})
_QUANTITATIVE_WORDS = frozenset({"定量", "定量指标"})


def read_operator(value: CellValue, declared: Declared) -> str | None:
    """A 指标性质 cell of the layouts that give the operator a column of its own.

    “≥”, “＞＝”, “不低于”, “=” → the operator (“≥”, “=”); “定性” → ``QUALITATIVE_MARK``;
    “定量” → None (the 指标值 then carries its operator, or means “=”).
    """
    text = read_text(value, declared)
    folded = fold(text)
    if not folded or folded in _QUANTITATIVE_WORDS:
        return None
    if folded in _QUALITATIVE_WORDS:
        return QUALITATIVE_MARK
    operator = operator_of(text)
    if operator is None:
        raise CellError(f"“{display(value)}”不是计算符号，应为 ≥、≤、=、>、< 或 定性")
    return operator.value


_ATTAINED = {"达成", "已达成", "完成", "已完成", "达到", "已达到", "实现", "已实现"}
_NOT_ATTAINED = {"未达成", "未完成", "未达到", "未实现", "没有完成", "部分完成", "部分达成"}


def read_attained(value: CellValue, declared: Declared) -> bool | None:
    """是否达成: 是/否, 达成/未达成, 完成/未完成 …; None when empty."""
    folded = fold(read_text(value, declared))
    if folded in _ATTAINED:
        return True
    if folded in _NOT_ATTAINED:
        return False
    try:
        return yes_no(value)
    except CellError:
        raise CellError(f"“{display(value)}”应为 是/否 或 达成/未达成") from None


class FormKind(StrEnum):
    goals = "goals"
    project_evaluation = "project-evaluation"
    department_evaluation = "department-evaluation"
    monitoring = "monitoring"

    @property
    def form_title(self) -> str:
        return FORM_TITLES[self]


FORM_TITLES = {
    FormKind.goals: "项目支出绩效目标申报表",
    FormKind.project_evaluation: "项目支出绩效自评表",
    FormKind.department_evaluation: "部门整体支出绩效自评表",
    FormKind.monitoring: "项目支出绩效目标执行监控表",
}
