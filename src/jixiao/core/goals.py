"""Performance goals (绩效目标) and their indicators (绩效指标), as plain records.

A goal belongs to a project (项目支出绩效目标) or to the department-year as a whole
(部门整体支出绩效目标). Targets and actuals are kept as the text a form holds
("≥95%", "72890元", "达成年度指标"); the parser in ``targets`` reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class IndicatorKind(StrEnum):
    quantitative = "quantitative"
    qualitative = "qualitative"

    @property
    def label(self) -> str:
        return {IndicatorKind.quantitative: "定量", IndicatorKind.qualitative: "定性"}[self]


class QualitativeState(StrEnum):
    """The three completion states of a qualitative indicator (财预〔2020〕10号)."""

    achieved = "达成年度指标"
    partly_achieved = "部分达成年度指标并具有一定效果"
    not_achieved = "未达成年度指标且效果较差"


@dataclass(frozen=True)
class Indicator:
    """One third-level indicator row of a goal, as entered or as a unit filled it in."""

    level1: str
    """一级指标, e.g. 产出指标."""
    level2: str
    """二级指标, e.g. 数量指标."""
    level3: str
    """三级指标: the indicator's own name."""
    kind: IndicatorKind
    target: str
    """年度指标值 as written: "≥95%", "≤30天", "效果明显"."""
    weight: Decimal
    """分值."""
    actual: str | None = None
    """实际完成值 as written; None when not reported (未填报)."""
    state: QualitativeState | None = None
    """For qualitative indicators: the completion state the assessor picked."""
    assessed_score: Decimal | None = None
    """For qualitative indicators: the score the assessor gave inside the state's band."""
    claimed_score: Decimal | None = None
    """得分 as the unit wrote it in a filled table (for the audit)."""
    deviation_reason: str = ""
    improvement: str = ""
    last_year_actual: str | None = None
    """Last year's actual for the same indicator, for the target-too-low check."""
    illustrative: bool = False
    """True when the target is illustrative (e.g. the demo: the report publishes none)."""
    cost_standard: str = ""
    """The code of the 定额标准 / 支出标准 this output is costed against ("" for none): the
    project's unit cost is its executed amount ÷ this indicator's actual (``core.cost``)."""
    cost_share: Decimal | None = None
    """成本占比: the share of the project's executed amount this output bears, in % (60 for
    60%); None: not stated (100% for a project's only costed output, ``core.cost_split``)."""

    @property
    def path(self) -> str:
        return f"{self.level1}/{self.level2}/{self.level3}"


@dataclass(frozen=True)
class ClaimedFigures:
    """What a unit wrote in the summary cells of a filled table (all optional)."""

    execution_rate: Decimal | None = None
    """执行率 as a fraction (0.9287 for 92.87 %)."""
    execution_score: Decimal | None = None
    total: Decimal | None = None
    grade: str | None = None
    level1_scores: dict[str, Decimal] = field(default_factory=dict)
    """Subtotal rows per first-level group, where the table prints them."""
    weight_total: Decimal | None = None
    """总分 as printed in the table's weight column (normally 100)."""


@dataclass(frozen=True)
class PerformanceGoal:
    """A performance goal: yearly objective text and its indicators."""

    project_code: str | None
    """None for the department-wide goal."""
    name: str
    expected_objective: str = ""
    actual_objective: str = ""
    indicators: tuple[Indicator, ...] = ()
    level1_weights: dict[str, Decimal] = field(default_factory=dict)
    """Per-goal override of the rule set's first-level weights (must sum to 100)."""
    claimed: ClaimedFigures = field(default_factory=ClaimedFigures)
    execution_reason: str = ""
    """Reason given for a low execution rate, where the rules require one."""


@dataclass(frozen=True)
class FundsRow:
    """One row of a self-evaluation table's funds block, in 元."""

    label: str
    initial_budget: Decimal
    final_budget: Decimal
    executed: Decimal


@dataclass(frozen=True)
class Funds:
    """The funds block: the total row (the one scored) and its 其中 rows."""

    total: FundsRow
    rows: tuple[FundsRow, ...] = ()
