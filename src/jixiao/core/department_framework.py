"""部门整体支出绩效评价: the common indicators of 财预〔2013〕53号 附件2, and their scoring.

Two halves, both pure:

* a **formula library**: one small function per common indicator of 53号 附件2, each
  computing its rate from the ``DepartmentYear`` and named inputs. A figure the year holds
  (published totals, budget lines) is taken from the year; a figure it does not hold is
  read from the inputs; a figure neither holds is *missing* and is listed by name. Nothing
  is assumed and nothing is taken as 0;
* a **framework** (``DepartmentFramework``): which common indicators count, their weights
  and how a rate becomes points, plus the department's own 履职 indicators (the
  department-wide ``PerformanceGoal``), scored with ``score_indicator`` under the project
  rule set the framework names. 53号 sets no weights; frameworks are data
  (``src/jixiao/rules/*.yaml``, read by ``jixiao.interchange.department_rule_files``).

Inputs: amounts in 元 (as everywhere in the core), head counts in persons, payment
progress as shares (0.85 for 85 %). Rates are fractions (0.7493…), unrounded.

Decisions where the sources are silent (tested in tests/department):

* A rate is scored as printed: the percentage rounded half-up to the framework's places
  (74.93 %), as the project scoring does, so that a table checked by hand agrees. Tiers
  compare that printed rate: 10.004 % is "10.00 %", inside the "≤ 10 %" tier.
* A denominator of 0 (编制数 0, 上年"三公经费" 0) makes the rate undefined. It is not
  scored as full or as 0: like a missing input it leaves the evaluation incomplete until
  the user declares the indicator not applicable.
* 预算调整数 is the sum of the *sizes* of the adjustments (追加、追减 alike: 53号 counts
  "追加、追减或结构调整的资金总和"), ÷ the initial budget (年初预算数). From budget lines
  it is every line's adjustments (lines do not mark which were forced by policy); the
  input "预算调整数（剔除政策性调整）" is used only where the year has no lines.
* Executed amounts from budget lines count only when every line has one (a line without
  one is unknown, not 0); otherwise the published total or the input is used.
* Where the year holds a figure and the inputs give a different one, the year's figure is
  used and a finding says so.
* Not applicable (不适用) is only what the user declares, by name, with a reason. The
  declared indicators are left out and the remaining weights are rescaled in proportion
  so that the total is still out of the framework's total (practice cited in domain-rules
  S6, "proportional rescaling when indicators do not apply"). Rescaled weights are rounded
  to the framework's places by largest remainder (ties to the earlier row), so that they
  add up to the total exactly and the sum of rounded scores never exceeds it.
* The 履职 indicators carry the weights the goal gives them. When those do not add up to
  the framework's 履职 weight, each row is scored on its own weight and the score is
  converted in proportion (score ÷ weight × the row's share of the 履职 weight); a finding
  says so.
* Scores are rounded half-up per row; subtotals and the total are sums of rounded rows;
  the grade is the project rule set's grade of the total.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import ClassVar

from jixiao.core.budget import budget_figures
from jixiao.core.consistency import Finding
from jixiao.core.goals import Indicator, PerformanceGoal
from jixiao.core.money import (
    HUNDRED,
    ONE,
    ZERO,
    format_percent,
    format_thousands,
    format_wan,
    ratio,
    round_half_up,
)
from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import IndicatorResult, grade_of, plain_number, score_indicator
from jixiao.core.vocabulary import BasicKind, Severity
from jixiao.core.year import BudgetLine, DepartmentYear

# --- inputs ----------------------------------------------------------------------------


class InputKind(StrEnum):
    """What an input counts, which decides how it is printed."""

    amount = "amount"
    """An amount in 元 (printed in 万元)."""
    headcount = "headcount"
    """A number of persons."""
    share = "share"
    """A share: 0.85 for 85 %."""


FINAL_BUDGET = "全年预算数"
EXECUTED = "全年执行数"
INITIAL_BUDGET = "年初预算数"
ADJUSTMENTS = "预算调整数（剔除政策性调整）"
PAYMENT_PLANNED = "既定支付进度"
PAYMENT_ACTUAL = "实际支付进度"
CARRYOVER = "本年结转结余"
CARRYOVER_LAST_YEAR = "上年结转结余"
OPERATIONS_BUDGET = "公用经费预算数"
OPERATIONS_ACTUAL = "公用经费实际支出数"
THREE_PUBLIC_BUDGET = "三公经费预算数"
THREE_PUBLIC_ACTUAL = "三公经费实际支出数"
THREE_PUBLIC_BUDGET_LAST_YEAR = "上年三公经费预算数"
THREE_PUBLIC_ACTUAL_LAST_YEAR = "上年三公经费实际支出数"
PROCUREMENT_BUDGET = "政府采购预算数"
PROCUREMENT_ACTUAL = "实际政府采购金额"
STAFF_AUTHORISED = "编制数"
STAFF_IN_POST = "在职人员数"
KEY_PROJECT_SPENDING = "本年度重点项目支出"
PROJECT_SPENDING = "项目总支出"

INPUTS: Mapping[str, InputKind] = MappingProxyType({
    FINAL_BUDGET: InputKind.amount,
    EXECUTED: InputKind.amount,
    INITIAL_BUDGET: InputKind.amount,
    ADJUSTMENTS: InputKind.amount,
    PAYMENT_PLANNED: InputKind.share,
    PAYMENT_ACTUAL: InputKind.share,
    CARRYOVER: InputKind.amount,
    CARRYOVER_LAST_YEAR: InputKind.amount,
    OPERATIONS_BUDGET: InputKind.amount,
    OPERATIONS_ACTUAL: InputKind.amount,
    THREE_PUBLIC_BUDGET: InputKind.amount,
    THREE_PUBLIC_ACTUAL: InputKind.amount,
    THREE_PUBLIC_BUDGET_LAST_YEAR: InputKind.amount,
    THREE_PUBLIC_ACTUAL_LAST_YEAR: InputKind.amount,
    PROCUREMENT_BUDGET: InputKind.amount,
    PROCUREMENT_ACTUAL: InputKind.amount,
    STAFF_AUTHORISED: InputKind.headcount,
    STAFF_IN_POST: InputKind.headcount,
    KEY_PROJECT_SPENDING: InputKind.amount,
    PROJECT_SPENDING: InputKind.amount,
})
"""Every input a formula may ask for, by its Chinese name, with what it counts."""

FROM_INPUT = "输入"
PUBLISHED = "决算公布数"
FROM_LINES = "预算行合计"


def format_figure(name: str, value: Decimal) -> str:
    """An input as people write it: "77,261.67万元", "45人", "85%"."""
    kind = INPUTS.get(name, InputKind.amount)
    if kind is InputKind.amount:
        return f"{format_wan(value)}万元"
    if kind is InputKind.share:
        return format_percent(value)
    return f"{plain_number(value)}人"


# --- formula results -------------------------------------------------------------------


@dataclass(frozen=True)
class FormulaResult:
    """A common indicator's rate, or why there is none."""

    value: Decimal | None
    """The rate as a fraction, unrounded (0.7492…); None when missing or undefined."""
    figures: Mapping[str, Decimal]
    """The figures used, by input name (amounts in 元)."""
    sources: Mapping[str, str]
    """Where each figure came from: 决算公布数, 预算行合计, 输入."""
    missing: tuple[str, ...] = ()
    """The inputs that are needed and neither the year nor the inputs hold, by name."""
    undefined: str = ""
    """Why the rate cannot be computed although every figure is there (a 0 denominator)."""
    conflicts: tuple[tuple[str, Decimal], ...] = ()
    """Inputs given for a figure the year holds, with a different value (the year's is used)."""


@dataclass(frozen=True)
class Formula:
    """One formula of 53号 附件2."""

    id: str
    """Stable id a framework file names: "budget_completion"."""
    name: str
    """The indicator's name in 53号: 预算完成率."""
    expression: str
    """The formula as printed: "全年执行数÷全年预算数"."""
    inputs: tuple[str, ...]
    """The figures it uses, by input name."""
    compute: Callable[[DepartmentYear, Mapping[str, Decimal]], FormulaResult]


class _Gather:
    """Collects the figures of one formula: from the year where it holds them, else inputs."""

    def __init__(self, inputs: Mapping[str, Decimal]):
        self.inputs = inputs
        self.figures: dict[str, Decimal] = {}
        self.sources: dict[str, str] = {}
        self.missing: list[str] = []
        self.conflicts: list[tuple[str, Decimal]] = []

    def data_or_input(self, name: str, data: Decimal | None, source: str) -> Decimal | None:
        if data is None:
            return self.input(name)
        given = self.inputs.get(name)
        if given is not None and given != data:
            self.conflicts.append((name, given))
        self.figures[name], self.sources[name] = data, source
        return data

    def input(self, name: str) -> Decimal | None:
        given = self.inputs.get(name)
        if given is None:
            self.missing.append(name)
            return None
        self.figures[name], self.sources[name] = given, FROM_INPUT
        return given

    def result(self, value: Decimal | None = None, undefined: str = "") -> FormulaResult:
        return FormulaResult(
            value=None if self.missing else value,
            figures=dict(self.figures),
            sources=dict(self.sources),
            missing=tuple(self.missing),
            undefined="" if self.missing else undefined,
            conflicts=tuple(self.conflicts),
        )

    def quotient(self, numerator: Decimal | None, denominator: Decimal | None,
                 denominator_name: str) -> FormulaResult:
        if numerator is None or denominator is None:
            return self.result()
        value = ratio(numerator, denominator)
        if value is None:
            return self.result(undefined=f"{denominator_name}为0，无法计算")
        return self.result(value)

    def change(self, this_year: Decimal | None, last_year: Decimal | None,
               last_year_name: str) -> FormulaResult:
        if this_year is None or last_year is None:
            return self.result()
        return self.quotient(this_year - last_year, last_year, last_year_name)


def _final_budget(year: DepartmentYear) -> tuple[Decimal | None, str]:
    if year.totals.final_budget is not None:
        return year.totals.final_budget, PUBLISHED
    if year.lines:
        return budget_figures(year).final_budget, FROM_LINES
    return None, ""


def _all_executed(lines: Iterable[BudgetLine]) -> bool:
    return all(line.executed is not None for line in lines)


def _executed(year: DepartmentYear) -> tuple[Decimal | None, str]:
    totals = year.totals
    if totals.executed is not None:
        return totals.executed, PUBLISHED
    if year.lines:
        if _all_executed(year.lines):
            return budget_figures(year).executed, FROM_LINES
        return None, ""
    if totals.executed_by_source:
        return budget_figures(year).executed, PUBLISHED
    return None, ""


def _initial_budget(year: DepartmentYear) -> tuple[Decimal | None, str]:
    if year.totals.initial_budget is not None:
        return year.totals.initial_budget, PUBLISHED
    if year.lines:
        return budget_figures(year).initial_budget, FROM_LINES
    return None, ""


def _carryover(year: DepartmentYear) -> tuple[Decimal | None, str]:
    if year.totals.carryover is not None:
        return year.totals.carryover, PUBLISHED
    carryover = budget_figures(year).carryover
    return (carryover, FROM_LINES) if carryover is not None else (None, "")


# --- the formula library (财预〔2013〕53号 附件2) -----------------------------------------


def budget_completion_rate(year: DepartmentYear, inputs: Mapping[str, Decimal]) -> FormulaResult:
    """预算完成率 = 预算完成数 ÷ 预算数 (全年执行数 ÷ 全年预算数, the adjusted budget)."""
    gather = _Gather(inputs)
    final = gather.data_or_input(FINAL_BUDGET, *_final_budget(year))
    executed = gather.data_or_input(EXECUTED, *_executed(year))
    return gather.quotient(executed, final, FINAL_BUDGET)


def budget_adjustment_rate(year: DepartmentYear, inputs: Mapping[str, Decimal]) -> FormulaResult:
    """预算调整率 = 预算调整数 ÷ 预算数 (Σ |adjustments| ÷ 年初预算数).

    From the lines' adjustments when the year has lines, else from the input
    "预算调整数（剔除政策性调整）"; the sizes count, whatever their sign.
    """
    gather = _Gather(inputs)
    initial = gather.data_or_input(INITIAL_BUDGET, *_initial_budget(year))
    adjusted: Decimal | None
    if year.lines:
        total = sum((abs(a.amount) for line in year.lines for a in line.adjustments), ZERO)
        adjusted = gather.data_or_input(ADJUSTMENTS, total, FROM_LINES)
    else:
        given = gather.input(ADJUSTMENTS)
        adjusted = abs(given) if given is not None else None
    return gather.quotient(adjusted, initial, INITIAL_BUDGET)


def payment_progress_rate(year: DepartmentYear, inputs: Mapping[str, Decimal]) -> FormulaResult:
    """支付进度率 = 实际支付进度 ÷ 既定支付进度."""
    gather = _Gather(inputs)
    planned = gather.input(PAYMENT_PLANNED)
    actual = gather.input(PAYMENT_ACTUAL)
    return gather.quotient(actual, planned, PAYMENT_PLANNED)


def carryover_rate(year: DepartmentYear, inputs: Mapping[str, Decimal]) -> FormulaResult:
    """结转结余率 = 结转结余总额 ÷ 支出预算数 (本年结转结余 ÷ 全年预算数)."""
    gather = _Gather(inputs)
    final = gather.data_or_input(FINAL_BUDGET, *_final_budget(year))
    carryover = gather.data_or_input(CARRYOVER, *_carryover(year))
    return gather.quotient(carryover, final, FINAL_BUDGET)


def carryover_change_rate(year: DepartmentYear, inputs: Mapping[str, Decimal]) -> FormulaResult:
    """结转结余变动率 = (本年累计结转结余 − 上年累计结转结余) ÷ 上年累计结转结余."""
    gather = _Gather(inputs)
    last_year = gather.input(CARRYOVER_LAST_YEAR)
    this_year = gather.data_or_input(CARRYOVER, *_carryover(year))
    return gather.change(this_year, last_year, CARRYOVER_LAST_YEAR)


def public_expense_control_rate(
    year: DepartmentYear, inputs: Mapping[str, Decimal]
) -> FormulaResult:
    """公用经费控制率 = 实际支出公用经费总额 ÷ 预算安排公用经费总额.

    From the budget lines of basic expenditure marked 公用经费 when there are any, else inputs.
    """
    gather = _Gather(inputs)
    lines = [line for line in year.lines if line.basic_kind is BasicKind.operations]
    budget_data = sum((line.final_budget for line in lines), ZERO) if lines else None
    actual_data: Decimal | None = None
    if lines and _all_executed(lines):
        actual_data = sum((line.executed or ZERO for line in lines), ZERO)
    budget = gather.data_or_input(OPERATIONS_BUDGET, budget_data, FROM_LINES)
    actual = gather.data_or_input(OPERATIONS_ACTUAL, actual_data, FROM_LINES)
    return gather.quotient(actual, budget, OPERATIONS_BUDGET)


def three_public_control_rate(
    year: DepartmentYear, inputs: Mapping[str, Decimal]
) -> FormulaResult:
    """"三公经费"控制率 = "三公经费"实际支出数 ÷ "三公经费"预算安排数."""
    gather = _Gather(inputs)
    budget = gather.input(THREE_PUBLIC_BUDGET)
    actual = gather.input(THREE_PUBLIC_ACTUAL)
    return gather.quotient(actual, budget, THREE_PUBLIC_BUDGET)


def three_public_change_rate(
    year: DepartmentYear, inputs: Mapping[str, Decimal]
) -> FormulaResult:
    """"三公经费"变动率 = (本年"三公经费"实际支出 − 上年实际支出) ÷ 上年实际支出."""
    gather = _Gather(inputs)
    last_year = gather.input(THREE_PUBLIC_ACTUAL_LAST_YEAR)
    this_year = gather.input(THREE_PUBLIC_ACTUAL)
    return gather.change(this_year, last_year, THREE_PUBLIC_ACTUAL_LAST_YEAR)


def three_public_budget_change_rate(
    year: DepartmentYear, inputs: Mapping[str, Decimal]
) -> FormulaResult:
    """"三公经费"变动率 on budget figures (S12): (本年预算数 − 上年预算数) ÷ 上年预算数."""
    gather = _Gather(inputs)
    last_year = gather.input(THREE_PUBLIC_BUDGET_LAST_YEAR)
    this_year = gather.input(THREE_PUBLIC_BUDGET)
    return gather.change(this_year, last_year, THREE_PUBLIC_BUDGET_LAST_YEAR)


def procurement_execution_rate(
    year: DepartmentYear, inputs: Mapping[str, Decimal]
) -> FormulaResult:
    """政府采购执行率 = 实际政府采购金额 ÷ 政府采购预算数."""
    gather = _Gather(inputs)
    budget = gather.input(PROCUREMENT_BUDGET)
    actual = gather.input(PROCUREMENT_ACTUAL)
    return gather.quotient(actual, budget, PROCUREMENT_BUDGET)


def staffing_control_rate(year: DepartmentYear, inputs: Mapping[str, Decimal]) -> FormulaResult:
    """在职人员控制率 = 在职人员数 ÷ 编制数."""
    gather = _Gather(inputs)
    authorised = gather.input(STAFF_AUTHORISED)
    in_post = gather.input(STAFF_IN_POST)
    return gather.quotient(in_post, authorised, STAFF_AUTHORISED)


def key_spending_rate(year: DepartmentYear, inputs: Mapping[str, Decimal]) -> FormulaResult:
    """重点支出安排率 = 本年度重点项目支出 ÷ 项目总支出.

    Both are amounts the year's budget *arranges* (53号: 年度预算安排的重点项目支出 and
    项目支出总额); which projects are 重点 is the department's own call, so both are inputs.
    """
    gather = _Gather(inputs)
    key = gather.input(KEY_PROJECT_SPENDING)
    total = gather.input(PROJECT_SPENDING)
    return gather.quotient(key, total, PROJECT_SPENDING)


def _formulas(*formulas: Formula) -> Mapping[str, Formula]:
    return MappingProxyType({formula.id: formula for formula in formulas})


FORMULAS: Mapping[str, Formula] = _formulas(
    Formula("budget_completion", "预算完成率", "全年执行数÷全年预算数",
            (FINAL_BUDGET, EXECUTED), budget_completion_rate),
    Formula("budget_adjustment", "预算调整率", "预算调整数（剔除政策性调整）÷年初预算数",
            (INITIAL_BUDGET, ADJUSTMENTS), budget_adjustment_rate),
    Formula("payment_progress", "支付进度率", "实际支付进度÷既定支付进度",
            (PAYMENT_PLANNED, PAYMENT_ACTUAL), payment_progress_rate),
    Formula("carryover", "结转结余率", "本年结转结余÷全年预算数",
            (FINAL_BUDGET, CARRYOVER), carryover_rate),
    Formula("carryover_change", "结转结余变动率", "(本年结转结余−上年结转结余)÷上年结转结余",
            (CARRYOVER_LAST_YEAR, CARRYOVER), carryover_change_rate),
    Formula("public_expense_control", "公用经费控制率", "公用经费实际支出数÷公用经费预算数",
            (OPERATIONS_BUDGET, OPERATIONS_ACTUAL), public_expense_control_rate),
    Formula("three_public_control", "“三公经费”控制率", "三公经费实际支出数÷三公经费预算数",
            (THREE_PUBLIC_BUDGET, THREE_PUBLIC_ACTUAL), three_public_control_rate),
    Formula("three_public_change", "“三公经费”变动率",
            "(三公经费实际支出数−上年三公经费实际支出数)÷上年三公经费实际支出数",
            (THREE_PUBLIC_ACTUAL_LAST_YEAR, THREE_PUBLIC_ACTUAL), three_public_change_rate),
    Formula("three_public_budget_change", "“三公经费”变动率（按预算数）",
            "(三公经费预算数−上年三公经费预算数)÷上年三公经费预算数",
            (THREE_PUBLIC_BUDGET_LAST_YEAR, THREE_PUBLIC_BUDGET),
            three_public_budget_change_rate),
    Formula("procurement_execution", "政府采购执行率", "实际政府采购金额÷政府采购预算数",
            (PROCUREMENT_BUDGET, PROCUREMENT_ACTUAL), procurement_execution_rate),
    Formula("staffing_control", "在职人员控制率", "在职人员数÷编制数",
            (STAFF_AUTHORISED, STAFF_IN_POST), staffing_control_rate),
    Formula("key_spending", "重点支出安排率", "本年度重点项目支出÷项目总支出",
            (PROJECT_SPENDING, KEY_PROJECT_SPENDING), key_spending_rate),
)
"""The formula library, by id: the registry a framework file names formulas from."""


class Basis(StrEnum):
    """Which figures a change rate compares: the years' budgets or their actual spending."""

    budget = "budget"
    """预算数: (本年度预算数 − 上年度预算数) ÷ 上年度预算数, as local 53号 forms compute it."""
    actual = "actual"
    """实际支出数: as 53号 附件2 is recalled."""


BASES: Mapping[str, Mapping[Basis, str]] = MappingProxyType({
    "three_public_change": MappingProxyType({
        Basis.budget: "three_public_budget_change",
        Basis.actual: "three_public_change",
    }),
})
"""Formulas a framework file may name with a ``basis``: the formula id each basis means."""

DEFAULT_BASIS = Basis.budget
"""A file naming such a formula without a basis gets the forms' basis."""


def formula_for_basis(formula: str, basis: Basis | None) -> str:
    """The formula id a framework's ``formula`` and ``basis`` mean (``basis`` only where
    ``BASES`` offers a choice; a formula without choices is its own id)."""
    choices = BASES.get(formula)
    if choices is None:
        return formula
    return choices[basis or DEFAULT_BASIS]


# --- scoring methods -------------------------------------------------------------------


class ScoringMethod(StrEnum):
    """How a common indicator's rate becomes points."""

    proportional = "proportional"
    tiers = "tiers"
    lower_is_better_linear = "lower_is_better_linear"
    target_band = "target_band"


def _pct(share: Decimal) -> str:
    return f"{plain_number(share * HUNDRED)}%"


@dataclass(frozen=True)
class Proportional:
    """Full points at or above ``target``; below it, rate ÷ target × weight (never below 0)."""

    target: Decimal = ONE
    method: ClassVar[ScoringMethod] = ScoringMethod.proportional

    def describe(self) -> str:
        return f"≥{_pct(self.target)}"


@dataclass(frozen=True)
class Tier:
    """A tier: rates up to ``at_most`` (inclusive), above the previous tier, earn ``share``."""

    at_most: Decimal
    share: Decimal


@dataclass(frozen=True)
class Tiers:
    """The share of the weight by tier of the rate; above the last tier, ``above``."""

    tiers: tuple[Tier, ...]
    """In rising order of ``at_most``."""
    above: Decimal = ZERO
    method: ClassVar[ScoringMethod] = ScoringMethod.tiers

    def describe(self) -> str:
        return f"≤{_pct(self.tiers[0].at_most)}" if self.tiers else ""


@dataclass(frozen=True)
class LowerIsBetterLinear:
    """Full points at or under ``full_at_most``; above, linearly down to 0 at ``zero_at``."""

    full_at_most: Decimal
    zero_at: Decimal
    method: ClassVar[ScoringMethod] = ScoringMethod.lower_is_better_linear

    def describe(self) -> str:
        return f"≤{_pct(self.full_at_most)}"


@dataclass(frozen=True)
class TargetBand:
    """Full points inside [low, high] (either may be open); outside, linearly down to 0.

    Below ``low`` the score falls to 0 at ``zero_below`` (0 by default, which is rate ÷ low ×
    weight); above ``high`` it falls to 0 at ``zero_above`` (None: 0 as soon as above).
    """

    low: Decimal | None = None
    high: Decimal | None = ONE
    zero_below: Decimal = ZERO
    zero_above: Decimal | None = None
    method: ClassVar[ScoringMethod] = ScoringMethod.target_band

    def describe(self) -> str:
        if self.low is None:
            return f"≤{_pct(self.high)}" if self.high is not None else ""
        if self.high is None:
            return f"≥{_pct(self.low)}"
        return f"{_pct(self.low)}～{_pct(self.high)}"


Scoring = Proportional | Tiers | LowerIsBetterLinear | TargetBand


def score_rate(
    rate: Decimal, weight: Decimal, scoring: Scoring, places: int = 2
) -> tuple[Decimal, str]:
    """The points a rate (as printed, as a fraction) earns, rounded half-up, and the rule."""
    raw, text = _raw_score(rate, weight, scoring, places)
    raw = min(max(raw, ZERO), weight)
    score = round_half_up(raw, places)
    if "{score}" in text:
        text = text.replace("{score}", plain_number(score))
    return score, text


def _raw_score(
    rate: Decimal, weight: Decimal, scoring: Scoring, places: int
) -> tuple[Decimal, str]:
    w, r = plain_number(weight), format_percent(rate, places)
    full = f"得满分{w}"
    if isinstance(scoring, Proportional):
        target = scoring.target
        if rate >= target:
            return weight, f"达到目标值{_pct(target)}，{full}"
        return (
            max(rate, ZERO) / target * weight,
            f"低于目标值{_pct(target)}，按比例计分：{r}÷{_pct(target)}×{w} = {{score}}",
        )
    if isinstance(scoring, Tiers):
        previous: Decimal | None = None
        for tier in scoring.tiers:
            if rate <= tier.at_most:
                where = (
                    f"不高于{_pct(tier.at_most)}" if previous is None
                    else f"高于{_pct(previous)}、不高于{_pct(tier.at_most)}"
                )
                return tier.share * weight, f"{r}{where}，{_share_text(tier.share, weight)}"
            previous = tier.at_most
        last = f"高于{_pct(previous)}，" if previous is not None else ""
        return scoring.above * weight, f"{r}{last}{_share_text(scoring.above, weight)}"
    if isinstance(scoring, LowerIsBetterLinear):
        return _falling(rate, r, weight, scoring.full_at_most, scoring.zero_at)
    low, high = scoring.low, scoring.high
    if high is not None and rate > high:
        if scoring.zero_above is None:
            return ZERO, f"{r}高于目标区间{scoring.describe()}，得0分"
        return _falling(rate, r, weight, high, scoring.zero_above)
    if low is not None and rate < low:
        zero = scoring.zero_below
        if rate <= zero:
            return ZERO, f"{r}低于{_pct(low)}，且不高于{_pct(zero)}，得0分"
        return (
            weight * (rate - zero) / (low - zero),
            f"{r}低于{_pct(low)}，按线性扣减（{_pct(zero)}时为0）："
            f"{w}×({r}−{_pct(zero)})÷({_pct(low)}−{_pct(zero)}) = {{score}}",
        )
    return weight, f"{r}在目标区间{scoring.describe()}内，{full}"


def _falling(
    rate: Decimal, r: str, weight: Decimal, full_at: Decimal, zero_at: Decimal
) -> tuple[Decimal, str]:
    """Full at or under ``full_at``, linearly down to 0 at ``zero_at`` (``r``: the rate printed)."""
    w, f, z = plain_number(weight), _pct(full_at), _pct(zero_at)
    if rate <= full_at:
        return weight, f"{r}不高于{f}，得满分{w}"
    if rate >= zero_at:
        return ZERO, f"{r}高于{f}，达到{z}及以上，得0分"
    return (
        weight * (zero_at - rate) / (zero_at - full_at),
        f"{r}高于{f}，按线性扣减（{z}时为0）：{w}×({z}−{r})÷({z}−{f}) = {{score}}",
    )


def _share_text(share: Decimal, weight: Decimal) -> str:
    if share == ONE:
        return f"得满分{plain_number(weight)}"
    if share == ZERO:
        return "得0分"
    return f"得分值的{_pct(share)}：{plain_number(weight)}×{_pct(share)} = {{score}}"


# --- the framework ---------------------------------------------------------------------


@dataclass(frozen=True)
class CommonIndicator:
    """A common indicator (共性指标) of the framework."""

    level1: str
    level2: str
    level3: str
    formula: str
    """Id of the formula in ``FORMULAS``."""
    weight: Decimal
    scoring: Scoring
    note: str = ""
    """Where the weight and the scoring come from (evidence tags), as the file says."""

    @property
    def path(self) -> str:
        return f"{self.level1}/{self.level2}/{self.level3}"


@dataclass(frozen=True)
class DepartmentFramework:
    """A department-wide evaluation framework: common indicators and the 履职 section."""

    id: str
    """The rule file's name: "mof-2013-dept"."""
    version: str
    name: str
    sources: tuple[str, ...]
    project_rules: str
    """Id of the project rule set that scores the 履职 indicators and gives the grades."""
    common: tuple[CommonIndicator, ...]
    duty_weight: Decimal
    """Total points of the department's own 履职 indicators (the department-wide goal's)."""
    duty_name: str = "履职指标"
    rounding_places: int = 2
    coverage_at_least: Decimal = ONE
    """Share of projects and of project funds the self-evaluation should cover (1 = 全覆盖)."""

    @property
    def total_weight(self) -> Decimal:
        return sum((indicator.weight for indicator in self.common), ZERO) + self.duty_weight

    def indicator(self, name: str) -> CommonIndicator | None:
        """A common indicator by its third-level name or its path."""
        return next((c for c in self.common if name in (c.level3, c.path)), None)


# --- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CommonIndicatorResult:
    """One common indicator of an evaluation."""

    indicator: CommonIndicator
    weight: Decimal
    """The weight in force: the framework's, or rescaled when indicators do not apply."""
    formula: FormulaResult
    value: Decimal | None
    """The rate, unrounded; None when missing or undefined."""
    value_percent: Decimal | None
    """The rate as printed: a percentage rounded half-up (74.93)."""
    score: Decimal | None
    """Rounded half-up; None when the rate is missing or undefined."""
    rule: str
    """The rule applied as a short Chinese sentence, or "缺少输入：编制数、在职人员数"."""

    @property
    def path(self) -> str:
        return self.indicator.path

    @property
    def missing_inputs(self) -> tuple[str, ...]:
        return self.formula.missing


@dataclass(frozen=True)
class DutyIndicatorResult:
    """One 履职 indicator of the department-wide goal."""

    result: IndicatorResult
    """The row as ``score_indicator`` scores it, on the weight the goal gives it."""
    weight: Decimal
    """The weight in force in the framework."""
    score: Decimal | None
    rule: str

    @property
    def indicator(self) -> Indicator:
        return self.result.indicator

    @property
    def path(self) -> str:
        return self.result.path


@dataclass(frozen=True)
class NotApplicable:
    """An indicator the user declared not applicable, left out of the evaluation."""

    path: str
    name: str
    reason: str
    weight: Decimal
    """The weight it would have had."""


@dataclass(frozen=True)
class DepartmentEvaluation:
    """A department-wide evaluation under a framework."""

    framework: DepartmentFramework
    project_rules: ProjectRules
    goal: PerformanceGoal
    common: tuple[CommonIndicatorResult, ...]
    duties: tuple[DutyIndicatorResult, ...]
    not_applicable: tuple[NotApplicable, ...]
    rescale_factor: Decimal
    """Framework total ÷ the weights that remain; 1 when every indicator applies."""
    duty_factor: Decimal
    """The framework's 履职 weight ÷ the goal's own weights; 1 when they agree."""
    level1_weights: Mapping[str, Decimal]
    level1_scores: Mapping[str, Decimal | None]
    """Subtotal per first-level name (sum of rounded rows); None when a row has no score."""
    weight_total: Decimal
    total: Decimal | None
    """Sum of the rounded scores; None when incomplete."""
    grade: str | None
    missing: tuple[str, ...]
    """What stops the evaluation, in Chinese, one text per item."""
    missing_inputs: tuple[str, ...]
    """Every input asked for, by name, once each."""
    findings: tuple[Finding, ...]

    @property
    def complete(self) -> bool:
        return not self.missing


_NONE: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class _Row:
    """A row of the framework before scoring: its path, its base weight, what it scores."""

    path: str
    name: str
    base: Decimal
    item: CommonIndicator | Indicator | None
    """None: the 履职 section as a whole, when the goal has no indicators."""


def evaluate_department(
    year: DepartmentYear,
    goal: PerformanceGoal,
    inputs: Mapping[str, Decimal],
    framework: DepartmentFramework,
    project_rules: ProjectRules,
    not_applicable: Mapping[str, str] = _NONE,
) -> DepartmentEvaluation:
    """Evaluate a department-year under a framework; see the module's decisions.

    ``inputs`` are the figures the year does not hold, by name (``INPUTS``; amounts in 元).
    ``not_applicable`` names the indicators the user declares not applicable (a common
    indicator's or a 履职 indicator's third-level name or path, or the 履职 section's name
    for the whole section), each with its reason.
    """
    if framework.project_rules != project_rules.id:
        raise ValueError(
            f"框架“{framework.name}”规定以规则集“{framework.project_rules}”评分，"
            f"传入的是“{project_rules.id}”"
        )
    places = framework.rounding_places
    findings: list[Finding] = [*_input_findings(inputs), *_weight_findings(framework)]

    goal_weight = sum((indicator.weight for indicator in goal.indicators), ZERO)
    duty_factor = ONE
    if goal_weight > ZERO and goal_weight != framework.duty_weight:
        duty_factor = framework.duty_weight / goal_weight
        findings.append(_duty_factor_finding(framework, goal_weight))
    rows = [_Row(c.path, c.level3, c.weight, c) for c in framework.common]
    if goal_weight > ZERO:
        rows += [_Row(i.path, i.level3, i.weight * duty_factor, i) for i in goal.indicators]
    elif framework.duty_weight > ZERO:
        rows.append(_Row(framework.duty_name, framework.duty_name, framework.duty_weight, None))
    declared = _declared(not_applicable, framework, rows, findings)

    left_out = [row for row in rows if row.path in declared]
    kept = [row for row in rows if row.path not in declared]
    total_weight = framework.total_weight
    remaining = total_weight - sum((row.base for row in left_out), ZERO)
    rescale = total_weight / remaining if left_out and remaining > ZERO else ONE
    exact = [row.base * rescale for row in kept]
    weights = exact if rescale == ONE and duty_factor == ONE else _largest_remainder(exact, places)

    common: list[CommonIndicatorResult] = []
    duties: list[DutyIndicatorResult] = []
    missing: list[str] = []
    for row, weight in zip(kept, weights, strict=True):
        if isinstance(row.item, CommonIndicator):
            result = _evaluate_common(row.item, weight, year, inputs, places, findings)
            common.append(result)
        elif isinstance(row.item, Indicator):
            duty = _evaluate_duty(row.item, weight, project_rules, places, findings)
            duties.append(duty)
        else:
            missing.append(
                f"{framework.duty_name}：部门整体绩效目标中没有计分的指标"
                f"（分值{plain_number(weight)}）"
            )
    missing[:0] = [
        *(f"{row.path}：{row.rule}" for row in common if row.score is None),
        *(f"{row.path}：{row.rule}" for row in duties if row.score is None),
    ]
    if rows and not kept:
        missing.append("全部指标均声明为不适用，无法评分")

    scored = [
        *((row.indicator.level1, row.weight, row.score) for row in common),
        *((row.indicator.level1, row.weight, row.score) for row in duties),
    ]
    level1_weights: dict[str, Decimal] = {}
    level1_scores: dict[str, Decimal | None] = {}
    for level1, weight, score in scored:
        level1_weights[level1] = level1_weights.get(level1, ZERO) + weight
        subtotal = level1_scores.get(level1, ZERO)
        level1_scores[level1] = None if subtotal is None or score is None else subtotal + score

    total: Decimal | None = None
    grade: str | None = None
    if not missing:
        total = round_half_up(sum((score or ZERO for _, _, score in scored), ZERO), places)
        grade = grade_of(total, project_rules)
    return DepartmentEvaluation(
        framework=framework,
        project_rules=project_rules,
        goal=goal,
        common=tuple(common),
        duties=tuple(duties),
        not_applicable=tuple(
            NotApplicable(row.path, row.name, declared[row.path], row.base) for row in left_out
        ),
        rescale_factor=rescale,
        duty_factor=duty_factor,
        level1_weights=level1_weights,
        level1_scores=level1_scores,
        weight_total=sum(weights, ZERO),
        total=total,
        grade=grade,
        missing=tuple(missing),
        missing_inputs=tuple(dict.fromkeys(n for row in common for n in row.missing_inputs)),
        findings=tuple(findings),
    )


def _largest_remainder(exact: Sequence[Decimal], places: int) -> list[Decimal]:
    """Round to ``places`` so that the rounded weights add up to the rounded exact sum."""
    unit = Decimal(1).scaleb(-places)
    floors = [value.quantize(unit, rounding=ROUND_FLOOR) for value in exact]
    target = round_half_up(sum(exact, ZERO), places)
    extra = int((target - sum(floors, ZERO)) / unit)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in order[:max(extra, 0)]:
        floors[index] += unit
    return floors


def _evaluate_common(
    indicator: CommonIndicator, weight: Decimal, year: DepartmentYear,
    inputs: Mapping[str, Decimal], places: int, findings: list[Finding],
) -> CommonIndicatorResult:
    formula = FORMULAS[indicator.formula]
    result = formula.compute(year, inputs)
    findings.extend(_conflict_findings(indicator, result))
    if result.missing:
        text = f"缺少输入：{'、'.join(result.missing)}"
        return CommonIndicatorResult(indicator, weight, result, None, None, None, text)
    if result.value is None:
        text = f"无法计算：{result.undefined}"
        return CommonIndicatorResult(indicator, weight, result, None, None, None, text)
    percent = round_half_up(result.value * HUNDRED, places)
    score, scoring_text = score_rate(percent / HUNDRED, weight, indicator.scoring, places)
    terms = _terms(formula.expression, result)
    text = f"{formula.name} = {terms} = {format_percent(result.value, places)}；{scoring_text}"
    return CommonIndicatorResult(indicator, weight, result, result.value, percent, score, text)


def _terms(expression: str, result: FormulaResult) -> str:
    """The expression with each figure in place of its name: "77,261.67万元÷103,118.19万元"."""
    names = sorted(result.figures, key=len, reverse=True)  # 上年三公经费… before 三公经费…
    text = expression
    for index, name in enumerate(names):
        text = text.replace(name, f"\0{index}\0")
    for index, name in enumerate(names):
        text = text.replace(f"\0{index}\0", format_figure(name, result.figures[name]))
    return text


def _evaluate_duty(
    indicator: Indicator, weight: Decimal, project_rules: ProjectRules, places: int,
    findings: list[Finding],
) -> DutyIndicatorResult:
    result = score_indicator(indicator, project_rules)
    findings.extend(result.findings)
    if result.score is None or weight == indicator.weight:
        return DutyIndicatorResult(result, weight, result.score, result.rule)
    share = result.score / indicator.weight if indicator.weight > ZERO else ZERO
    score = round_half_up(min(share, ONE) * weight, places)
    text = (
        f"{result.rule}；按框架分值折算：{plain_number(result.score)}÷"
        f"{plain_number(indicator.weight)}×{plain_number(weight)} = {plain_number(score)}"
    )
    return DutyIndicatorResult(result, weight, score, text)


def _declared(
    not_applicable: Mapping[str, str], framework: DepartmentFramework, rows: Sequence[_Row],
    findings: list[Finding],
) -> dict[str, str]:
    """The paths of the rows declared not applicable, with their reasons."""
    declared: dict[str, str] = {}
    for name, reason in not_applicable.items():
        if name == framework.duty_name:
            paths = [row.path for row in rows if not isinstance(row.item, CommonIndicator)]
        else:
            paths = [row.path for row in rows if _unquoted(name) in (
                _unquoted(row.name), _unquoted(row.path)
            )]
        if not paths:
            findings.append(Finding(
                id="not-applicable-unknown",
                severity=Severity.error,
                message=f"声明不适用的指标“{name}”不在评价框架或部门整体绩效目标中，未予采用。",
                location=name,
            ))
            continue
        if not reason.strip():
            findings.append(Finding(
                id="not-applicable-without-reason",
                severity=Severity.error,
                message=f"指标“{name}”声明为不适用但未说明理由，未予采用。",
                location=name,
            ))
            continue
        for path in paths:
            declared[path] = reason.strip()
    return declared


def _unquoted(name: str) -> str:
    """A name without quotation marks: "三公经费"控制率 and “三公经费”控制率 are one name."""
    return name.strip().translate(_QUOTES)


_QUOTES = str.maketrans("", "", "“”\"'‘’「」")


def _input_findings(inputs: Mapping[str, Decimal]) -> Iterable[Finding]:
    for name in inputs:
        if name not in INPUTS:
            yield Finding(
                id="input-unknown",
                severity=Severity.warning,
                message=f"输入项“{name}”不是任何公式使用的数据，未予采用；"
                f"可用的输入项：{'、'.join(INPUTS)}。",
                location=name,
            )


def _weight_findings(framework: DepartmentFramework) -> Iterable[Finding]:
    total = framework.total_weight
    if total == HUNDRED:
        return
    yield Finding(
        id="weights-not-100",
        severity=Severity.error,
        message=(
            f"共性指标分值与{framework.duty_name}分值{plain_number(framework.duty_weight)}"
            f"合计为{plain_number(total)}，应为100。"
        ),
        figures={"合计": total},
        location="框架分值",
    )


def _duty_factor_finding(framework: DepartmentFramework, goal_weight: Decimal) -> Finding:
    duty = plain_number(framework.duty_weight)
    return Finding(
        id="duty-weights-rescaled",
        severity=Severity.warning,
        message=(
            f"部门整体绩效目标的指标分值合计为{plain_number(goal_weight)}，"
            f"评价框架中{framework.duty_name}分值为{duty}，各指标得分按{duty}÷"
            f"{plain_number(goal_weight)}折算。"
        ),
        figures={"目标分值合计": goal_weight, "框架分值": framework.duty_weight},
        location=framework.duty_name,
    )


def _conflict_findings(indicator: CommonIndicator, result: FormulaResult) -> Iterable[Finding]:
    for name, given in result.conflicts:
        used = result.figures[name]
        yield Finding(
            id="input-differs-from-data",
            severity=Severity.warning,
            message=(
                f"“{indicator.level3}”：输入的{name}{format_figure(name, given)}与部门年度数据"
                f"（{result.sources[name]}）{format_figure(name, used)}不一致，按部门年度数据计算。"
            ),
            figures={"输入数": given, "年度数据": used},
            location=indicator.path,
        )


def format_factor(factor: Decimal) -> str:
    """A rescaling factor as printed: four decimals ("1.0526")."""
    return format_thousands(factor, 4)
