"""How much of the year the self-evaluation covers, and where the unspent budget went.

Coverage (自评覆盖面): the projects evaluated out of all the year's projects, and their
全年预算数 out of all project funds. 中共中央 国务院《关于全面实施预算绩效管理的意见》
(中发〔2018〕34号) asks for 全方位、全过程、全覆盖 performance management [D]; the share
below which the 审核意见 raises a finding is a rule-file setting of the department
framework (``DepartmentFramework.coverage_at_least``; 100 % by default, a jixiao choice [L]).

Budget not executed (全年预算数 − 执行数) is decomposed into what the year's accounts
carry into next year (年末结转和结余) and the rest, which is neither spent nor carried
over and which the department has to explain (e.g. funds taken back by the finance
bureau, a reduction not yet recorded as an adjustment).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.budget import BudgetFigures, project_funds
from jixiao.core.money import ZERO, ratio
from jixiao.core.vocabulary import Nature
from jixiao.core.year import DepartmentYear


@dataclass(frozen=True)
class Coverage:
    """The self-evaluation's coverage of the year's projects (amounts in 元)."""

    projects_evaluated: int
    projects_total: int
    funds_evaluated: Decimal
    """全年预算数 of the projects evaluated."""
    funds_total: Decimal
    """全年预算数 of all project spending (项目支出)."""

    @property
    def project_share(self) -> Decimal | None:
        return ratio(Decimal(self.projects_evaluated), Decimal(self.projects_total))

    @property
    def funds_share(self) -> Decimal | None:
        return ratio(self.funds_evaluated, self.funds_total)


def project_budget_total(year: DepartmentYear) -> Decimal:
    """全年预算数 of 项目支出: the project lines, else the projects' own figures (决算口径)."""
    lines = [line for line in year.lines if line.nature is Nature.project]
    if lines:
        return sum((line.final_budget for line in lines), ZERO)
    return sum((p.final_budget for p in year.projects if p.final_budget is not None), ZERO)


def self_evaluation_coverage(year: DepartmentYear, evaluated: Iterable[str]) -> Coverage:
    """Coverage of the projects whose codes are ``evaluated``, out of the year's projects."""
    codes = set(evaluated)
    all_codes = {p.code for p in year.projects} | {
        line.project_code for line in year.lines if line.project_code is not None
    }
    return Coverage(
        projects_evaluated=len(codes),
        projects_total=len(all_codes | codes),
        funds_evaluated=sum(
            (project_funds(year, code).total.final_budget for code in sorted(codes)), ZERO
        ),
        funds_total=project_budget_total(year),
    )


@dataclass(frozen=True)
class BudgetNotExecuted:
    """全年预算数 − 执行数, decomposed (元)."""

    not_executed: Decimal
    carryover: Decimal | None
    """年末结转和结余, as the accounts give it; None when the year records none."""

    @property
    def unexplained(self) -> Decimal | None:
        """Neither spent nor carried over; None when the carry-over is unknown."""
        return None if self.carryover is None else self.not_executed - self.carryover


def budget_not_executed(figures: BudgetFigures) -> BudgetNotExecuted:
    return BudgetNotExecuted(figures.final_budget - figures.executed, figures.carryover)
