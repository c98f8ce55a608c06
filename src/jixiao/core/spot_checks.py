"""抽查 and 财政评价: which self-evaluations the finance bureau samples, and the bureau's
re-score set beside the department's self score.

Pure: the sample is reproducible from its seed, and every difference and total is
computed here from the stored scores, never typed.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class SamplingRule:
    """Thresholds of the sample by rule (a rule file's ``sampling`` key): a self-evaluation
    is drawn when its execution rate (%) is below ``low_execution_below`` or its self
    score above ``high_score_above``; None turns a test off."""

    low_execution_below: Decimal | None
    high_score_above: Decimal | None


@dataclass(frozen=True)
class Candidate:
    """A submitted self-evaluation that may be sampled."""

    goal_id: int
    execution_rate: Decimal | None
    """执行率 in percent, as printed; None when the budget is 0."""
    self_score: Decimal | None
    """自评总分; None when the self-evaluation is incomplete."""


def sample_at_random(goal_ids: Iterable[int], count: int, seed: int) -> list[int]:
    """``count`` goals (all when fewer), the same for the same seed and candidates."""
    pool = sorted(set(goal_ids))
    return sorted(random.Random(seed).sample(pool, min(max(count, 0), len(pool))))


def sampling_reasons(candidate: Candidate, rule: SamplingRule) -> list[str]:
    """Why the rule draws the candidate, in Chinese; empty when it does not."""
    reasons = []
    rate, score = candidate.execution_rate, candidate.self_score
    low = rule.low_execution_below
    if low is not None and rate is not None and rate < low:
        reasons.append(f"执行率{rate}%低于{rule.low_execution_below}%")
    high = rule.high_score_above
    if high is not None and score is not None and score > high:
        reasons.append(f"自评得分{score}分高于{rule.high_score_above}分")
    return reasons


def sample_by_rule(candidates: Iterable[Candidate], rule: SamplingRule) -> dict[int, str]:
    """The goals the rule draws, each with its reasons joined."""
    drawn = {}
    for candidate in candidates:
        reasons = sampling_reasons(candidate, rule)
        if reasons:
            drawn[candidate.goal_id] = "；".join(reasons)
    return drawn


@dataclass(frozen=True)
class ScoreRow:
    """One indicator of the 财政评价: its weight, the self score (None for the 决策 / 过程
    indicators a self-evaluation does not score) and the bureau's score (None until set)."""

    key: str
    level1: str
    name: str
    weight: Decimal
    self_score: Decimal | None
    bureau_score: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        """Bureau score less self score; None unless both are there."""
        if self.self_score is None or self.bureau_score is None:
            return None
        return self.bureau_score - self.self_score


@dataclass(frozen=True)
class Comparison:
    rows: tuple[ScoreRow, ...]

    @property
    def self_total(self) -> Decimal:
        return sum((r.self_score for r in self.rows if r.self_score is not None), Decimal(0))

    @property
    def bureau_total(self) -> Decimal:
        return sum((r.bureau_score for r in self.rows if r.bureau_score is not None), Decimal(0))

    @property
    def weight_total(self) -> Decimal:
        return sum((r.weight for r in self.rows), Decimal(0))

    @property
    def complete(self) -> bool:
        """Every indicator has the bureau's score."""
        return all(r.bureau_score is not None for r in self.rows)

    @property
    def difference(self) -> Decimal:
        """The sum of the rows' differences: only indicators both sides scored compare (the
        决策 / 过程 indicators have no self score)."""
        return sum((r.difference for r in self.rows if r.difference is not None), Decimal(0))

    def level1_totals(self) -> list[tuple[str, Decimal, Decimal]]:
        """Per first-level indicator in order: (name, self subtotal, bureau subtotal)."""
        totals: dict[str, tuple[Decimal, Decimal]] = {}
        for r in self.rows:
            own, bureau = totals.get(r.level1, (Decimal(0), Decimal(0)))
            totals[r.level1] = (own + (r.self_score or 0), bureau + (r.bureau_score or 0))
        return [(name, own, bureau) for name, (own, bureau) in totals.items()]


class ScoreError(ValueError):
    """A bureau score that cannot be accepted."""


def checked_score(row: ScoreRow, value: Decimal) -> Decimal:
    """The bureau's score for a row: between 0 and the row's weight."""
    if value < 0 or value > row.weight:
        raise ScoreError(f"“{row.name}”的评价得分须在0至{row.weight.normalize():f}分之间。")
    return value


def compare(rows: Sequence[ScoreRow]) -> Comparison:
    return Comparison(tuple(rows))


@dataclass(frozen=True)
class FrameworkItem:
    """A 财政评价 indicator the bureau scores that a self-evaluation does not (决策 / 过程)."""

    key: str
    level1: str
    level2: str
    name: str
    weight: Decimal


@dataclass(frozen=True)
class Framework:
    """The 财政评价 framework of a rule file: its own items, where the self-evaluation's
    first-level groups and its execution row go, and the sampling thresholds."""

    id: str
    name: str
    sampling: SamplingRule
    items: tuple[FrameworkItem, ...]
    level1_of_self: dict[str, str]
    """Self-evaluation first-level name → framework first-level name (产出指标 → 产出)."""
    execution_level1: str
    level1_order: tuple[str, ...]


EXECUTION_KEY = "execution"


@dataclass(frozen=True)
class SelfRow:
    """A row of the sampled self-evaluation: its path (or ``EXECUTION_KEY``), first level,
    name, weight and the score the rules gave it."""

    key: str
    level1: str
    name: str
    weight: Decimal
    score: Decimal | None


def score_rows(
    framework: Framework, self_rows: Sequence[SelfRow], bureau: dict[str, Decimal]
) -> list[ScoreRow]:
    """The 财政评价 table in the framework's first-level order: its own items (no self
    score), the self-evaluation's rows under the first level they map to."""
    rows = [
        ScoreRow(i.key, i.level1, i.name, i.weight, None, bureau.get(i.key))
        for i in framework.items
    ]
    for row in self_rows:
        level1 = (
            framework.execution_level1
            if row.key == EXECUTION_KEY
            else framework.level1_of_self.get(row.level1, row.level1)
        )
        rows.append(ScoreRow(row.key, level1, row.name, row.weight, row.score, bureau.get(row.key)))
    order = {name: n for n, name in enumerate(framework.level1_order)}
    return sorted(rows, key=lambda r: order.get(r.level1, len(order)))  # stable within a level
