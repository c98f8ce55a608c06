"""抽查 and 财政评价: which self-evaluations the finance bureau samples, and the bureau's
re-score set beside the department's self score.

Pure: the sample is reproducible from its seed, and every difference and total is
computed here from the stored scores, never typed.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


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


def exact_decimal(value: Fraction) -> Decimal:
    """A scaled figure as a Decimal (to the context's precision), for presentation only:
    sums and differences are taken on the exact fractions first."""
    return Decimal(value.numerator) / Decimal(value.denominator)


@dataclass(frozen=True)
class ScoreRow:
    """One indicator of the 财政评价: its weight, the self score (None for the 决策 / 过程
    indicators a self-evaluation does not score) and the bureau's score (None until set),
    all on the indicator's own weight; ``scale`` carries them into the framework's 100
    (1 for the framework's own items, the group's share over the self rows' weights for
    the sampled project's rows)."""

    key: str
    level1: str
    name: str
    weight: Decimal
    self_score: Decimal | None
    bureau_score: Decimal | None
    scale: Fraction = Fraction(1)

    @property
    def difference(self) -> Decimal | None:
        """Bureau score less self score; None unless both are there."""
        if self.self_score is None or self.bureau_score is None:
            return None
        return self.bureau_score - self.self_score

    @property
    def counted_weight(self) -> Decimal:
        """The weight the row carries in the framework's 100 (计入分值)."""
        return exact_decimal(self.scaled(self.weight))

    def scaled(self, value: Decimal) -> Fraction:
        return Fraction(value) * self.scale


@dataclass(frozen=True)
class Level1Total:
    """A first-level group's weight and, scaled into it, the self score of the rows the
    self-evaluation scored (None when it scored none), the bureau score and the
    difference over the rows both sides scored (None when there are none)."""

    name: str
    weight: Decimal
    self_score: Decimal | None
    bureau_score: Decimal
    difference: Decimal | None


def _sum(values: Iterable[Fraction]) -> Fraction:
    return sum(values, Fraction(0))


@dataclass(frozen=True)
class Comparison:
    """The 财政评价 table: totals are sums of the scaled rows, taken exactly."""

    rows: tuple[ScoreRow, ...]
    level1_weights: tuple[tuple[str, Decimal], ...] = ()

    def _self(self, rows: Iterable[ScoreRow]) -> Fraction:
        return _sum(r.scaled(r.self_score) for r in rows if r.self_score is not None)

    def _bureau(self, rows: Iterable[ScoreRow]) -> Fraction:
        return _sum(r.scaled(r.bureau_score) for r in rows if r.bureau_score is not None)

    def _difference(self, rows: Iterable[ScoreRow]) -> Fraction:
        return _sum(r.scaled(r.difference) for r in rows if r.difference is not None)

    @property
    def self_total(self) -> Decimal:
        """The self-evaluation's scores carried into the framework (决策 / 过程 items have none)."""
        return exact_decimal(self._self(self.rows))

    @property
    def bureau_total(self) -> Decimal:
        return exact_decimal(self._bureau(self.rows))

    @property
    def weight_total(self) -> Decimal:
        return exact_decimal(_sum(r.scaled(r.weight) for r in self.rows))

    @property
    def complete(self) -> bool:
        """Every indicator has the bureau's score."""
        return all(r.bureau_score is not None for r in self.rows)

    @property
    def difference(self) -> Decimal:
        """The sum of the rows' scaled differences: only indicators both sides scored
        compare (the 决策 / 过程 items have no self score)."""
        return exact_decimal(self._difference(self.rows))

    def level1_totals(self) -> list[Level1Total]:
        """Per first-level group in the framework's order (groups without a weight, as
        in a bare comparison, weigh what their rows weigh)."""
        weights = dict(self.level1_weights)
        names = list(weights) + [r.level1 for r in self.rows if r.level1 not in weights]
        totals = []
        for name in dict.fromkeys(names):
            rows = [r for r in self.rows if r.level1 == name]
            own = [r for r in rows if r.self_score is not None]
            both = [r for r in own if r.bureau_score is not None]
            weight = weights.get(name, exact_decimal(_sum(r.scaled(r.weight) for r in rows)))
            totals.append(
                Level1Total(
                    name,
                    weight,
                    exact_decimal(self._self(own)) if own else None,
                    exact_decimal(self._bureau(rows)),
                    exact_decimal(self._difference(both)) if both else None,
                )
            )
        return totals


class ScoreError(ValueError):
    """A bureau score that cannot be accepted."""


def checked_score(row: ScoreRow, value: Decimal) -> Decimal:
    """The bureau's score for a row: between 0 and the row's weight."""
    if value < 0 or value > row.weight:
        raise ScoreError(f"“{row.name}”的评价得分须在0至{row.weight.normalize():f}分之间。")
    return value


def compare(rows: Sequence[ScoreRow], framework: Framework | None = None) -> Comparison:
    weights = framework.level1_weights if framework is not None else ()
    return Comparison(tuple(rows), weights)


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
    level1_weights: tuple[tuple[str, Decimal], ...] = ()
    """Each first-level group's weight (决策 15, 过程 15, 产出 40, 效益 30 by default), summing
    to 100; empty: rows count at their own weights."""
    version: str = ""
    """The rule file's version: a score given under another one is re-checked."""


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
    score), then the self-evaluation's rows under the first level they map to, scaled so
    that each group weighs what the framework gives it."""
    rows = [
        ScoreRow(i.key, i.level1, i.name, i.weight, None, bureau.get(i.key))
        for i in framework.items
    ]
    placed = [(_level1_of(framework, row), row) for row in self_rows]
    scales = _scales(framework, placed)
    for level1, row in placed:
        rows.append(
            ScoreRow(
                row.key, level1, row.name, row.weight, row.score, bureau.get(row.key),
                scales.get(level1, Fraction(1)),
            )
        )  # fmt: skip
    order = {name: n for n, name in enumerate(framework.level1_order)}
    return sorted(rows, key=lambda r: order.get(r.level1, len(order)))  # stable within a level


def _level1_of(framework: Framework, row: SelfRow) -> str:
    if row.key == EXECUTION_KEY:
        return framework.execution_level1
    return framework.level1_of_self.get(row.level1, row.level1)


def _scales(framework: Framework, placed: Sequence[tuple[str, SelfRow]]) -> dict[str, Fraction]:
    """Per group with a weight: what is left of its weight after the framework's own
    items, over the weights of the self rows placed in it."""
    scales = {}
    for name, weight in framework.level1_weights:
        own = _sum(Fraction(row.weight) for level1, row in placed if level1 == name)
        if own > 0:
            items = _sum(Fraction(i.weight) for i in framework.items if i.level1 == name)
            scales[name] = (Fraction(weight) - items) / own
    return scales


# Scores given under an earlier version of the rule file


SCORE_PLACES = Decimal("0.0001")
"""The places a bureau score is stored with."""
UNRECORDED = "版本未记录"


@dataclass(frozen=True)
class ScoreBasis:
    """What a stored bureau score was given under: the rule file's version and the
    indicator's weight (None: not recorded, for scores given before they were kept)."""

    version: str | None
    weight: Decimal | None

    def outdated(self, version: str, weight: Decimal) -> bool:
        """Given under another version of the rule file, or against another weight."""
        return self.version != version or self.weight != weight


def outdated_note(bases: Iterable[ScoreBasis], version: str) -> str:
    """“按旧版评分规则（…）评分，需复核” naming the versions the outdated scores were given
    under, “评分后分值已调整，需复核” for a weight changed within the current version;
    '' when there are none."""
    names: set[str] = set()
    reweighted = False
    for basis in bases:
        if basis.version == version:
            reweighted = True
        else:
            names.add(basis.version or UNRECORDED)
    said = [f"按旧版评分规则（{'、'.join(sorted(names))}）评分"] if names else []
    said += ["评分后分值已调整"] if reweighted else []
    return f"{'，'.join(said)}，需复核" if said else ""


def recomputed(score: Decimal, basis: ScoreBasis, weight: Decimal) -> Decimal | None:
    """A score carried to the indicator's current ``weight``, keeping its ratio to the
    weight it was given against. With that weight not recorded, a score within the current
    weight stands as it is and one above it cannot be carried (None: to be scored again)."""
    if basis.weight is None:
        return score if 0 <= score <= weight else None
    if basis.weight == 0:
        return Decimal(0)
    return (score * weight / basis.weight).quantize(SCORE_PLACES, ROUND_HALF_UP)
