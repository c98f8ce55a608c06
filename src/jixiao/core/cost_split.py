"""成本占比: a project's 执行数 split across the outputs it is costed by.

When one project has several outputs costed against a 支出标准 (a training output and a
meeting output of one project), each output bears only part of the project's spending.
财预〔2021〕101号 asks that cost be measured per output but does not say how a shared
执行数 is divided; the rule here is a local decision, stated with the data
(``Indicator.cost_share``, in %):

* one costed output: its share is 100% unless the goal states another;
* several: each states its share, and the shares add up to at most 100%;
* otherwise none of them is costed, and one finding (``cost-share-incomplete``) says why.

The attributed cost is 执行数 × 占比, apportioned in whole 分 by the largest remainder:
each output first gets its exact amount rounded down to the 分; the 分 still missing to
reach the exact total (rounded half-up to the 分) go one each to the outputs whose
rounding-down took the most, the earlier output first on a tie. Shares adding up to 100%
so give back the 执行数 to the 分, and a single output at 100% bears the 执行数 itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from jixiao.core.findings import Finding
from jixiao.core.goals import Indicator, PerformanceGoal
from jixiao.core.money import CENT, HUNDRED, ZERO, round_half_up
from jixiao.core.scoring import plain_number
from jixiao.core.vocabulary import Severity

OUTPUT_LEVEL = "产出指标"
"""The first-level group whose indicators may name a 支出标准 (an output is what is costed)."""
FULL_SHARE = HUNDRED
"""100%: the share of a project's only costed output when its goal states none."""


@dataclass(frozen=True)
class CostSplit:
    """How a goal's spending is split across its costed outputs."""

    shares: tuple[tuple[str, Decimal], ...]
    """(output path, share in %) of every costed output, in the goal's order; empty when
    the split does not hold."""
    problem: str = ""
    """Why the split does not hold ("" when it does)."""


def costed_outputs(goal: PerformanceGoal) -> list[Indicator]:
    """The goal's outputs that name a 支出标准."""
    return [indicator for indicator in goal.indicators if indicator.cost_standard]


def cost_split(goal: PerformanceGoal) -> CostSplit:
    """The shares of the goal's costed outputs, or why they cannot be used."""
    costed = costed_outputs(goal)
    if len(costed) == 1:
        (only,) = costed
        share = FULL_SHARE if only.cost_share is None else only.cost_share
        if share > FULL_SHARE:
            return CostSplit((), f"“{only.level3}”的成本占比{plain_number(share)}%超过100%。")
        return CostSplit(((only.path, share),))
    missing = [indicator.level3 for indicator in costed if indicator.cost_share is None]
    if missing:
        names = "、".join(f"“{name}”" for name in missing)
        return CostSplit(
            (),
            f"{len(costed)}项产出对应支出标准，须逐项填写成本占比（合计不超过100%），"
            f"{names}未填写。",
        )
    total = sum((indicator.cost_share or ZERO for indicator in costed), ZERO)
    if total > FULL_SHARE:
        return CostSplit(
            (), f"{len(costed)}项产出的成本占比合计{plain_number(total)}%，超过100%。"
        )
    return CostSplit(tuple((i.path, i.cost_share or ZERO) for i in costed))


def apportion(total: Decimal, shares: Sequence[Decimal]) -> list[Decimal]:
    """``total`` × each share (in %), in whole 分, by the largest remainder (see above)."""
    exact = [total * share / HUNDRED for share in shares]
    floors = [amount.quantize(CENT, rounding=ROUND_FLOOR) for amount in exact]
    missing = int((round_half_up(sum(exact, ZERO)) - sum(floors, ZERO)) / CENT)
    by_remainder = sorted(range(len(exact)), key=lambda i: (floors[i] - exact[i], i))
    for index in by_remainder[: max(missing, 0)]:
        floors[index] += CENT
    return floors


def attributed_costs(goal: PerformanceGoal, executed: Decimal) -> tuple[dict[str, Decimal], str]:
    """Each costed output's part of ``executed`` by its path, and why there is none ("")."""
    split = cost_split(goal)
    if split.problem:
        return {}, split.problem
    if len(split.shares) == 1 and split.shares[0][1] == FULL_SHARE:
        return {split.shares[0][0]: executed}, ""
    paths = [path for path, _ in split.shares]
    amounts = apportion(executed, [share for _, share in split.shares])
    return dict(zip(paths, amounts, strict=True)), ""


def split_finding(goal: PerformanceGoal, problem: str) -> Finding:
    """The goal's costed outputs are not costed: the split does not hold."""
    return Finding(
        id="cost-share-incomplete",
        severity=Severity.warning,
        message=f"{problem}未计算这些产出的单位成本。",
        subject=goal.project_code or "",
    )
