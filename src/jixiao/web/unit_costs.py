"""成本效益分析 on the 绩效自评 page: the unit cost of each output costed against a standard,
for the projects the person may see, as the report's table prints it; an output that could
not be compared shows why (the finding the 审核意见 lists)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from jixiao.core.cost_analysis import CostRow, cost_row
from jixiao.core.evaluation import YearEvaluation


@dataclass(frozen=True)
class UnitCostLine:
    project_code: str
    row: CostRow | None
    """The printed row; None when the output could not be compared."""
    project: str
    output: str
    reason: str = ""
    """Why it could not be compared."""


def unit_cost_lines(result: YearEvaluation | None, codes: Collection[str]) -> list[UnitCostLine]:
    """The lines of the projects in ``codes``, in the evaluation's order."""
    if result is None:
        return []
    reasons = {(f.subject, f.location): f.message for f in result.cost_findings}
    lines = []
    for unit_cost in result.unit_costs:
        measure = unit_cost.measure
        if measure.project_code not in codes:
            continue
        project = measure.project_name or measure.project_code
        if unit_cost.unit_cost is not None and unit_cost.standard is not None:
            row = cost_row(unit_cost)
            lines.append(UnitCostLine(measure.project_code, row, project, measure.name))
        else:
            reason = reasons.get((measure.project_code, measure.output_path), "")
            lines.append(UnitCostLine(measure.project_code, None, project, measure.name, reason))
    return lines
