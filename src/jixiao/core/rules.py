"""Project self-evaluation rule sets (项目支出绩效自评规则), as plain records.

Everything that differs between finance bureaus is a field here: the first-level
groups and their weights, how the budget execution rate is scored, caps on the total,
the over-achievement trigger, the lower-is-better formula, the qualitative bands,
the grade bands and the goal-quality thresholds. No regional rule is an ``if`` in the
code that uses these records; a region is a rule file (``src/jixiao/rules/*.yaml``,
read by ``jixiao.interchange.rule_files``, which also validates them).

Rates and shares are fractions here (0.8 for 80 %); rule files write them as "80%".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from jixiao.core.goals import QualitativeState
from jixiao.core.money import HUNDRED, ONE, ZERO

COST_LEVEL1 = "成本指标"
"""The first-level name of cost indicators when 财预〔2021〕101号 makes cost a group of its own."""
COST_LEVEL2 = ("经济成本指标", "社会成本指标", "生态环境成本指标")
"""The second-level cost indicators of 财预〔2021〕101号."""


class ExecutionMethod(StrEnum):
    """How the budget execution rate (预算执行率) becomes points."""

    proportional = "proportional"
    """score = min(rate, 100 %) × weight."""
    tiered = "tiered"
    """Full points at ``full_at`` or above, minus ``deduction`` per ``step`` below, floor 0."""


class StepCounting(StrEnum):
    """Which steps below ``full_at`` a tiered execution rule deducts for."""

    whole = "whole"
    """Only whole steps: with 5-point steps, 96 % loses nothing and 95 % loses one step."""
    started = "started"
    """Every started step: with 5-point steps, 99.99 % already loses one step."""


class NotApplicableWeight(StrEnum):
    """What becomes of the weight of an indicator whose actual declares it not applicable
    ("无（本年未发生）")."""

    rescale = "rescale"
    """The row is left out and the total is rescaled in proportion to the weights that
    remain (总分 × 得分合计 ÷ 适用分值合计), as 自评表计分说明 commonly do."""
    full_marks = "full_marks"
    """The row is scored its full weight (视同满分)."""


class DeductionKind(StrEnum):
    points = "points"
    """A fixed number of points."""
    share = "share"
    """A share of the indicator's weight."""


@dataclass(frozen=True)
class Deduction:
    """Points taken off, either fixed or as a share of the weight."""

    amount: Decimal = ZERO
    kind: DeductionKind = DeductionKind.points

    def points_of(self, weight: Decimal) -> Decimal:
        """The points this deduction takes from an indicator of the given weight."""
        return self.amount * weight if self.kind is DeductionKind.share else self.amount

    def __str__(self) -> str:
        if self.kind is DeductionKind.share:
            return f"分值的{self.amount * HUNDRED:f}%"
        return f"{self.amount:f}分"


@dataclass(frozen=True)
class Level1Group:
    """A first-level indicator group (一级指标) with its default weight."""

    name: str
    """e.g. 产出指标."""
    weight: Decimal
    """Default points of the group; a goal may override it (PerformanceGoal.level1_weights)."""
    level2: tuple[str, ...]
    """The second-level names (二级指标) allowed under the group."""


@dataclass(frozen=True)
class ExecutionRule:
    """Scoring of the budget execution rate (全年执行数 ÷ 全年预算数)."""

    weight: Decimal = Decimal(10)
    """Points of the execution row (分值)."""
    method: ExecutionMethod = ExecutionMethod.proportional
    full_at: Decimal = ONE
    """Tiered: the rate at or above which the row gets full points."""
    step: Decimal = Decimal("0.05")
    """Tiered: the width of one step below ``full_at`` (0.05 = 5 percentage points)."""
    deduction: Decimal = Decimal(2)
    """Tiered: points taken off per step."""
    steps_counted: StepCounting = StepCounting.whole
    reason_required_below: Decimal | None = None
    """Below this rate the unit must explain (e.g. 0.9 in Sichuan); None: never required."""


@dataclass(frozen=True)
class TotalCap:
    """When the execution rate is below ``rate_below``, the total is at most ``total_at_most``."""

    rate_below: Decimal
    total_at_most: Decimal


@dataclass(frozen=True)
class QuantitativeRule:
    """Knobs of the quantitative (定量) indicator formulas."""

    over_achievement_at: Decimal = Decimal("1.30")
    """Actual ÷ target at or above which a ≥/= indicator counts as over-achieved and
    needs a deviation reason (the target may have been set too low)."""
    over_achievement_deduction: Deduction = Deduction()
    """Taken off an over-achieved indicator's full points (10号 gives no formula; 0 by default)."""
    lower_is_better_zero_at: Decimal = Decimal(2)
    """≤ indicators: the score falls linearly from full at the target to 0 at this multiple
    of the target."""


@dataclass(frozen=True)
class QualitativeBand:
    """The share of an indicator's points a qualitative completion state may earn.

    The band is [low, high) — half open — except when ``high`` is 1, where it is closed:
    the top band of 10号 is [80 %, 100 %].
    """

    state: QualitativeState
    low: Decimal
    high: Decimal
    default_share: Decimal
    """Used when the assessor gave no score: the band's midpoint in the shipped rule sets."""

    @property
    def closed_above(self) -> bool:
        return self.high == ONE

    def contains(self, share: Decimal) -> bool:
        if share < self.low:
            return False
        return share <= self.high if self.closed_above else share < self.high

    def describe(self) -> str:
        """"[80%, 100%]" or "[60%, 80%)"."""
        closing = "]" if self.closed_above else ")"
        return f"[{_percent(self.low)}, {_percent(self.high)}{closing}"


@dataclass(frozen=True)
class GradeBand:
    """A grade and the lowest (rounded) total that earns it."""

    grade: str
    at_least: Decimal
    aliases: tuple[str, ...] = ()
    """Other names a form may print for the grade (优秀 for 优)."""

    def named(self, text: str) -> bool:
        return text.strip() in (self.grade, *self.aliases)


@dataclass(frozen=True)
class GoalQualityRule:
    """Thresholds of the goal-quality check (绩效目标审核)."""

    min_indicators: int = 4
    min_quantified_share: Decimal = Decimal("0.5")
    required_level1: tuple[str, ...] = ()
    poor_review_blocks_budget: bool = True
    """A goal whose 绩效目标审核 conclusion is 差 cannot be approved into the budget."""
    low_target_blocks: bool = False
    """指标库's "目标值偏低" is an 错误 (blocking submission and approval), not a 警告."""


@dataclass(frozen=True)
class ProjectRules:
    """A project self-evaluation rule set: one finance bureau's version of 财预〔2020〕10号."""

    id: str
    """Stable identifier, the rule file's name: "mof-2020-project"."""
    version: str
    name: str
    """Chinese title shown to people."""
    sources: tuple[str, ...]
    """Where each part comes from (document numbers, URLs), as text."""
    level1: tuple[Level1Group, ...]
    qualitative: tuple[QualitativeBand, ...]
    grades: tuple[GradeBand, ...]
    """From the best grade down; the last one starts at 0."""
    cost_is_level1: bool = False
    """True: 成本指标 is a first-level group (经济/社会/生态环境成本指标) per 财预〔2021〕101号;
    False: 成本指标 is a second-level indicator under 产出指标 as in 10号."""
    execution: ExecutionRule = ExecutionRule()
    total_caps: tuple[TotalCap, ...] = ()
    quantitative: QuantitativeRule = QuantitativeRule()
    rounding_places: int = 2
    """Decimals of scores, totals and printed percentages (half-up)."""
    goal_quality: GoalQualityRule = GoalQualityRule()
    not_applicable: NotApplicableWeight = NotApplicableWeight.rescale
    """The weight of a row declared not applicable."""

    def group(self, name: str) -> Level1Group | None:
        return next((group for group in self.level1 if group.name == name), None)

    def band(self, state: QualitativeState) -> QualitativeBand:
        return next(band for band in self.qualitative if band.state is state)

    @property
    def level1_weights(self) -> dict[str, Decimal]:
        return {group.name: group.weight for group in self.level1}


def _percent(share: Decimal) -> str:
    text = format(share * HUNDRED, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"
