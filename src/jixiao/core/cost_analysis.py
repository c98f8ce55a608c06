"""成本效益分析: the report's section and table of unit costs against their standards.

One row per output costed against a standard (``YearEvaluation.unit_costs``): the project,
the output, its cost (the project's executed amount per the ledger, 万元 to 2 decimals,
the figure of its 项目支出绩效自评表), the output quantity and unit, the unit cost, the
standard, their difference and the conclusion. The Word and Markdown report, and the
evaluation workbook, print these same strings.

Decisions where the sources are silent:

* Only outputs whose unit cost could be compared are printed; one that could not (no
  output, a unit that does not convert, a standard not in the table) is a finding for the
  审核意见, not a row of the report.
* The difference is the printed unit cost less the printed standard (元, 2 decimals), so
  the row adds up as read; the conclusion compares the unrounded figures (``core.cost``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.cost import (
    CostStandard,
    CostStandards,
    UnitCost,
    measure_year_unit_costs,
    split_goal_measures,
)
from jixiao.core.evaluation import YearEvaluation
from jixiao.core.findings import Finding
from jixiao.core.goals import PerformanceGoal
from jixiao.core.money import ZERO, format_thousands, format_wan, round_half_up, yuan_to_wan
from jixiao.core.scoring import plain_number

SECTION_TITLE = "成本效益分析"
TABLE_HEADERS = (
    "项目名称", "产出指标", "成本（万元）", "产出数量", "单位成本（元）",
    "标准（元）", "差额（元）", "结论",
)  # fmt: skip


@dataclass(frozen=True)
class CostRow:
    """One row of the table, as printed."""

    project: str
    output: str
    cost: str
    """万元, 2 decimals: the project's 全年执行数 (its share of it, ``CostMeasure.share``)."""
    quantity: str
    """The output with its unit: "52,186宗"."""
    unit_cost: str
    standard: str
    difference: str
    conclusion: str
    figures: tuple[Decimal, Decimal, Decimal, Decimal] = (ZERO, ZERO, ZERO, ZERO)
    """成本 (万元), 单位成本, 标准 and 差额 (元) as printed, rounded to 2 places, for a
    workbook's number cells."""

    def cells(self) -> tuple[str, ...]:
        return (
            self.project, self.output, self.cost, self.quantity, self.unit_cost,
            self.standard, self.difference, self.conclusion,
        )  # fmt: skip


@dataclass(frozen=True)
class CostAnalysis:
    """The section's paragraphs and table."""

    paragraphs: tuple[str, ...]
    rows: tuple[CostRow, ...]


def _compared(unit_costs: tuple[UnitCost, ...]) -> list[UnitCost]:
    return [u for u in unit_costs if u.unit_cost is not None and u.standard is not None]


def _quantity(result: UnitCost, standard: CostStandard) -> str:
    assert result.quantity is not None
    number = result.quantity
    text = format_thousands(number, 0) if number == number.to_integral() else plain_number(number)
    return f"{text}{standard.per_unit}"


def _conclusion(result: UnitCost, standard: CostStandard) -> str:
    if result.above_standard:
        return "高于标准"
    assert result.unit_cost is not None
    if result.unit_cost > standard.amount:
        return "在允许上浮范围内"
    return "未超过标准"


def _signed(difference: Decimal) -> str:
    sign = "+" if difference > ZERO else ""
    return f"{sign}{format_thousands(difference)}"


def cost_row(result: UnitCost) -> CostRow:
    standard = result.standard
    assert standard is not None and result.unit_cost is not None
    unit_cost, amount = round_half_up(result.unit_cost), round_half_up(standard.amount)
    return CostRow(
        project=result.measure.project_name or result.measure.project_code,
        output=result.measure.name,
        cost=format_wan(result.measure.cost),
        quantity=_quantity(result, standard),
        unit_cost=format_thousands(result.unit_cost),
        standard=format_thousands(standard.amount),
        difference=_signed(unit_cost - amount),
        conclusion=_conclusion(result, standard),
        figures=(round_half_up(yuan_to_wan(result.measure.cost)), unit_cost, amount,
                 unit_cost - amount),
    )  # fmt: skip


def _row_sentence(row: CostRow, result: UnitCost) -> str:
    standard = result.standard
    assert standard is not None
    unit = f"元/{standard.per_unit}"
    verdict = {
        "高于标准": f"高于{standard.kind.value}{row.standard}{unit}",
        "在允许上浮范围内": f"高于{standard.kind.value}{row.standard}{unit}，在允许上浮范围内",
        "未超过标准": f"未超过{standard.kind.value}{row.standard}{unit}",
    }[row.conclusion]
    project = row.project if row.project.endswith("项目") else f"{row.project}项目"
    share = result.measure.share
    cost = (
        f"全年执行数{row.cost}万元"
        if share is None
        else f"按成本占比{plain_number(share)}%计入该产出的成本{row.cost}万元"
    )
    return (
        f"{project}{cost}，{row.output}{row.quantity}，"
        f"单位成本{row.unit_cost}{unit}，{verdict}。"
    )


def cost_analysis(evaluation: YearEvaluation | None) -> CostAnalysis | None:
    """The section, or None when the year has no output compared with a standard."""
    if evaluation is None:
        return None
    compared = _compared(evaluation.unit_costs)
    if not compared:
        return None
    rows = tuple(cost_row(result) for result in compared)
    above = sum(1 for row in rows if row.conclusion == "高于标准")
    projects = len({result.measure.project_code for result in compared})
    table = evaluation.cost_standards
    basis = f"，对照《{table.name}》" if table is not None else ""
    verdict = f"其中{above}项高于标准" if above else ("均" if len(rows) > 1 else "") + "未超过标准"
    formula = (
        "项目全年执行数×成本占比÷产出数量"
        if any(result.measure.share is not None for result in compared)
        else "项目全年执行数÷产出数量"
    )
    opening = (
        f"本年度对{projects}个项目的{len(rows)}项产出测算单位成本（单位成本＝{formula}）"
        f"{basis}，{verdict}。"
    )
    return CostAnalysis(
        paragraphs=(
            opening,
            *(_row_sentence(row, result) for row, result in zip(rows, compared, strict=True)),
        ),
        rows=rows,
    )


@dataclass(frozen=True)
class UnitCostLine:
    project_code: str
    row: CostRow | None
    """The printed row; None when the output could not be compared."""
    project: str
    output: str
    reason: str = ""
    """Why it could not be compared."""
    share: str = ""
    """成本占比 as printed ("60" for 60%); "" when the output bears the whole 执行数."""


def unit_cost_lines(result: YearEvaluation | None, codes: Collection[str]) -> list[UnitCostLine]:
    """The 绩效自评 page's lines for the projects in ``codes`` (those the reader may see),
    in the evaluation's order: the printed row, or why the output could not be compared
    (the finding the 审核意见 lists)."""
    if result is None:
        return []
    return _lines(result.unit_costs, result.cost_findings, codes)


def goal_unit_cost_lines(
    goal: PerformanceGoal, executed: Decimal, standards: CostStandards | None
) -> list[UnitCostLine]:
    """One project's lines (its own 绩效自评 page), from its goal as stored and its executed
    amount per the ledger."""
    measures, unsplit = split_goal_measures(goal, executed)
    unit_costs, findings = measure_year_unit_costs(measures, standards)
    return _lines(unit_costs, [*unsplit, *findings], {goal.project_code or ""})


def _lines(
    unit_costs: Sequence[UnitCost], findings: Sequence[Finding], codes: Collection[str]
) -> list[UnitCostLine]:
    reasons = {(f.subject, f.location): f.message for f in findings}
    lines = []
    for unit_cost in unit_costs:
        measure = unit_cost.measure
        if measure.project_code not in codes:
            continue
        project = measure.project_name or measure.project_code
        share = "" if measure.share is None else plain_number(measure.share)
        if unit_cost.unit_cost is not None and unit_cost.standard is not None:
            row = cost_row(unit_cost)
            lines.append(
                UnitCostLine(measure.project_code, row, project, measure.name, share=share)
            )
        else:
            reason = measure.unsplit or reasons.get((measure.project_code, measure.output_path), "")
            lines.append(
                UnitCostLine(measure.project_code, None, project, measure.name, reason, share)
            )
    return lines
