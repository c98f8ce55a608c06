"""成本预算绩效 (cost performance): unit costs from the ledger, against 定额标准 / 支出标准.

[D] 财预〔2021〕101号 makes 成本指标 a first-level group (经济成本, 社会成本, 生态环境成本)
and asks that cost be measured; [L] Guangdong (粤财绩〔2024〕2号, not read) follows it.
The arithmetic is the plain one: unit cost = cost ÷ output quantity, where the cost is the
project's executed amount from the ledger and the quantity an output indicator's actual.
The standards it is compared with are data (``jixiao/rules/cost-standards-*.yaml`` or an
imported workbook), each with the output unit it is set per ("人天", "宗", "平方公里").

Decisions where the sources are silent (tested in tests/cycle):

* A unit cost above the standard by more than the standard's tolerance (0 by default) is a
  warning finding; exactly at the limit is not. Nothing is rounded before comparing.
* The output's unit must be the standard's unit, or one of the same kind that converts to
  it (7.5万平方米 against a standard per 平方米); otherwise the unit cost is not compared
  and a finding says why rather than guessing.
* No output (0, blank or unreadable) leaves the unit cost undefined, with a finding.
* A project costed by several outputs splits its cost by their 成本占比 (``core.cost_split``):
  unit cost = 执行数 × 占比 ÷ 实际产出数量.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from jixiao.core.consistency import Finding
from jixiao.core.cost_split import FULL_SHARE, attributed_costs, cost_split, split_finding
from jixiao.core.goals import Indicator, PerformanceGoal
from jixiao.core.money import ONE, ZERO, AmountError, D, format_thousands, ratio
from jixiao.core.scoring import plain_number
from jixiao.core.targets import normalise_text
from jixiao.core.units import normalise_unit
from jixiao.core.vocabulary import Severity


class StandardKind(StrEnum):
    quota = "定额标准"
    expenditure = "支出标准"


@dataclass(frozen=True)
class CostStandard:
    """An amount allowed per unit of output, e.g. 会议费 650 元 per 人天."""

    code: str
    name: str
    kind: StandardKind
    amount: Decimal
    """元 per ``per_unit``."""
    per_unit: str
    tolerance: Decimal = ZERO
    """Share above the standard still accepted (0.1 for 10 %)."""
    sector: str = ""
    source: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class CostStandards:
    """A table of standards; a region's table is a data file."""

    id: str
    name: str
    version: str
    standards: tuple[CostStandard, ...]
    sources: tuple[str, ...] = ()
    evidence: str = ""

    def standard(self, code: str) -> CostStandard | None:
        return next((s for s in self.standards if s.code == code), None)


@dataclass(frozen=True)
class CostMeasure:
    """What to measure: a project's cost for one output, against one standard."""

    project_code: str
    name: str
    """What the cost is of, e.g. 业务培训."""
    cost: Decimal
    """元, executed per the ledger."""
    output: str
    """The output indicator's 实际完成值 as written ("1200人天")."""
    standard_code: str
    output_path: str = ""
    """The output indicator (一级/二级/三级), for the finding's location."""
    project_name: str = ""
    share: Decimal | None = None
    """成本占比 (%) of the project's executed amount ``cost`` is; None: the whole of it."""
    unsplit: str = ""
    """Why the project's spending could not be split across its costed outputs (then the
    output has no unit cost; ``core.cost_split``)."""


@dataclass(frozen=True)
class UnitCost:
    measure: CostMeasure
    standard: CostStandard | None
    quantity: Decimal | None
    """Output in the standard's unit; None when not measurable."""
    unit_cost: Decimal | None
    """元 per the standard's unit, unrounded."""

    @property
    def share_of_standard(self) -> Decimal | None:
        if self.unit_cost is None or self.standard is None:
            return None
        return ratio(self.unit_cost, self.standard.amount)

    @property
    def above_standard(self) -> bool:
        share = self.share_of_standard
        return (
            share is not None
            and self.standard is not None
            and (share > ONE + self.standard.tolerance)
        )


def cost_measures(
    goal: PerformanceGoal, project_cost: Decimal, standard_of: Mapping[str, str]
) -> list[CostMeasure]:
    """What to measure in a project's goal: each reported output with a standard.

    ``standard_of`` maps a 三级指标 name to a standard's code (the indicator library's
    ``cost_standard``); the cost is the project's executed amount, as 成本 ÷ 产出数量 takes it.
    """
    return _measures(goal, project_cost, lambda indicator: standard_of.get(indicator.level3, ""))


def goal_cost_measures(goal: PerformanceGoal, project_cost: Decimal) -> list[CostMeasure]:
    """What to measure in a project's goal: each output naming its standard
    (``Indicator.cost_standard``) and reported, costed at its share of the project's
    executed amount (``core.cost_split``; marked ``unsplit`` when the shares do not hold)."""
    return split_goal_measures(goal, project_cost)[0]


def split_goal_measures(
    goal: PerformanceGoal, project_cost: Decimal
) -> tuple[list[CostMeasure], list[Finding]]:
    """``goal_cost_measures`` and the finding when the shares do not hold."""
    whole = _measures(goal, project_cost, lambda indicator: indicator.cost_standard)
    costs, problem = attributed_costs(goal, project_cost)
    if problem:
        unsplit = [replace(measure, unsplit=problem) for measure in whole]
        return unsplit, [split_finding(goal, problem)]
    shares = dict(cost_split(goal).shares)
    split = [
        replace(
            measure,
            cost=costs[measure.output_path],
            share=None if len(shares) == 1 and shares[measure.output_path] == FULL_SHARE
            else shares[measure.output_path],
        )
        for measure in whole
    ]
    return split, []


def _measures(
    goal: PerformanceGoal, project_cost: Decimal, standard_of: Callable[[Indicator], str]
) -> list[CostMeasure]:
    """Each reported output of ``goal`` whose ``standard_of`` names a standard."""
    return [
        CostMeasure(
            project_code=goal.project_code or "",
            name=indicator.level3,
            cost=project_cost,
            output=indicator.actual,
            standard_code=standard_of(indicator),
            output_path=indicator.path,
            project_name=goal.name,
        )
        for indicator in goal.indicators
        if standard_of(indicator) and indicator.actual
    ]


_NUMBER_AND_REST = re.compile(r"^([+-]?[0-9][0-9,]*(?:\.[0-9]+)?)(.*)$")


def output_quantity(text: str, per_unit: str) -> Decimal | None:
    """The output in ``per_unit``: "1200人天" → 1200; "7.5万平方米" per 平方米 → 75000.

    None when the text holds no number or its unit does not convert to ``per_unit``.
    """
    match = _NUMBER_AND_REST.match(normalise_text(text))
    if not match:
        return None
    try:
        value = D(match.group(1))
    except AmountError:
        return None
    unit = match.group(2) or per_unit
    if unit == per_unit:
        return value
    given, wanted = normalise_unit(unit), normalise_unit(per_unit)
    if given is None or wanted is None or given.dimension != wanted.dimension:
        return None
    return value * given.factor / wanted.factor


def unit_cost(cost: Decimal, quantity: Decimal) -> Decimal | None:
    """cost ÷ quantity, unrounded; None when there is no output."""
    return ratio(cost, quantity) if quantity > ZERO else None


def measure_unit_costs(
    measures: Iterable[CostMeasure], standards: CostStandards
) -> tuple[list[UnitCost], list[Finding]]:
    """Unit costs of the measures and the findings: above standard, or not measurable."""
    results: list[UnitCost] = []
    findings: list[Finding] = []
    for measure in measures:
        result, finding = _measure(measure, standards)
        results.append(result)
        if finding is not None:
            findings.append(finding)
    return results, findings


def measure_year_unit_costs(
    measures: Sequence[CostMeasure], standards: CostStandards | None
) -> tuple[list[UnitCost], list[Finding]]:
    """``measure_unit_costs``, or, when the year names no standards table, every measure
    unmeasurable with a finding that says so."""
    if standards is not None:
        return measure_unit_costs(measures, standards)
    results = [UnitCost(measure, None, None, None) for measure in measures]
    findings = [
        _unmeasurable(
            measure,
            f"“{measure.name}”对应支出标准“{measure.standard_code}”，但本年度未选定支出标准表，"
            "无法比较单位成本。",
        )
        for measure in measures
    ]
    return results, findings


def year_unit_costs(
    goals: Iterable[PerformanceGoal],
    executed: Mapping[str, Decimal],
    standards: CostStandards | None,
) -> tuple[list[UnitCost], list[Finding]]:
    """Every project goal's costed outputs measured (``split_goal_measures``, then
    ``measure_year_unit_costs``), each costed from its project's executed amount in
    ``executed``: the unit costs and the findings, the split findings first."""
    measures: list[CostMeasure] = []
    split_findings: list[Finding] = []
    for goal in goals:
        if goal.project_code is not None:
            found, problems = split_goal_measures(goal, executed[goal.project_code])
            measures += found
            split_findings += problems
    unit_costs, findings = measure_year_unit_costs(measures, standards)
    return unit_costs, [*split_findings, *findings]


def _measure(measure: CostMeasure, standards: CostStandards) -> tuple[UnitCost, Finding | None]:
    standard = standards.standard(measure.standard_code)
    if measure.unsplit:  # the goal's own finding (cost-share-incomplete) says why
        return UnitCost(measure, standard, None, None), None
    if standard is None:
        message = f"“{measure.name}”所对应的标准“{measure.standard_code}”不在“{standards.name}”中。"
        return UnitCost(measure, None, None, None), _unmeasurable(measure, message)
    quantity = output_quantity(measure.output, standard.per_unit)
    cost = None if quantity is None else unit_cost(measure.cost, quantity)
    if quantity is None or cost is None:
        message = (
            f"“{measure.name}”的产出“{measure.output}”不能换算为{standard.per_unit}或为零，"
            f"无法计算单位成本。"
        )
        return UnitCost(measure, standard, quantity, None), _unmeasurable(measure, message)
    result = UnitCost(measure, standard, quantity, cost)
    return result, (_above_standard(result, standard, cost) if result.above_standard else None)


def _unmeasurable(measure: CostMeasure, message: str) -> Finding:
    return Finding(
        id="unit-cost-unmeasurable",
        severity=Severity.warning,
        message=message,
        figures={"成本": measure.cost},
        location=measure.output_path,
        subject=measure.project_code,
    )


def _above_standard(result: UnitCost, standard: CostStandard, cost: Decimal) -> Finding:
    measure = result.measure
    assert result.quantity is not None
    tolerance = (
        f"（允许上浮{plain_number(standard.tolerance * 100)}%）" if standard.tolerance else ""
    )
    return Finding(
        id="unit-cost-above-standard",
        severity=Severity.warning,
        message=(
            f"“{measure.name}”单位成本{format_thousands(cost)}元/{standard.per_unit}"
            f"（成本{format_thousands(measure.cost)}元 ÷ {plain_number(result.quantity)}"
            f"{standard.per_unit}）高于{standard.kind.value}“{standard.name}”"
            f"{format_thousands(standard.amount)}元/{standard.per_unit}{tolerance}。"
        ),
        figures={
            "成本": measure.cost,
            "产出数量": result.quantity,
            "单位成本": cost,
            "标准": standard.amount,
        },
        location=measure.output_path,
        subject=measure.project_code,
    )
