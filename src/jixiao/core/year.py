"""A department's fiscal year as plain, immutable records.

Amounts are Decimal 元. A year comes in at one of two grains: budget lines (with a
ledger or executed totals per line), or published totals only (final accounts, 决算).
Both may be present: the totals are then checked against the lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from jixiao.core.vocabulary import BasicKind, FundingSource, Nature, ProjectCategory

if TYPE_CHECKING:
    from jixiao.core.year_over_year import Row


@dataclass(frozen=True)
class Adjustment:
    """预算调整: an in-year change to a budget line."""

    date: date
    amount: Decimal
    document_number: str = ""
    reason: str = ""


@dataclass(frozen=True)
class BudgetLine:
    """One line of the approved budget: a funding source × nature (× project)."""

    code: str
    name: str
    funding_source: FundingSource
    nature: Nature
    initial_budget: Decimal
    final_budget: Decimal
    basic_kind: BasicKind | None = None
    project_code: str | None = None
    functional_class: str = ""
    economic_class: str = ""
    adjustments: tuple[Adjustment, ...] = ()
    executed: Decimal | None = None
    """Executed total: from the ledger when payments exist, else as recorded (决算)."""
    carryover: Decimal | None = None
    over_budget_explanation: str = ""


@dataclass(frozen=True)
class PublishedTotals:
    """Totals as a final-accounts table publishes them; any part may be unknown."""

    final_budget: Decimal | None = None
    executed: Decimal | None = None
    executed_by_source: Mapping[FundingSource, Decimal] = field(default_factory=dict)
    executed_by_nature: Mapping[Nature, Decimal] = field(default_factory=dict)
    budget_by_source: Mapping[FundingSource, Decimal] = field(default_factory=dict)
    initial_budget: Decimal | None = None
    carryover: Decimal | None = None


@dataclass(frozen=True)
class Metric:
    """A named figure an achievement states, e.g. 城镇开发边界面积 57.62 平方公里."""

    name: str
    value: Decimal
    unit: str
    stated: str = ""
    """The figure as the text prints it ("97.5"), kept for the stated-rate check."""
    ratio_of: tuple[str, str] | None = None
    """(numerator, denominator) metric names when this metric is a rate of two others."""


@dataclass(frozen=True)
class Achievement:
    """主要工作成效."""

    title: str
    text: str
    metrics: tuple[Metric, ...] = ()


@dataclass(frozen=True)
class Problem:
    """存在的主要问题."""

    title: str
    text: str = ""


@dataclass(frozen=True)
class ProjectRecord:
    """A project; its own funds figures serve where it has no budget lines (决算口径)."""

    code: str
    name: str
    office_code: str | None = None
    recurrent: bool = False
    category: ProjectCategory | None = None
    """经常性 / 一次性 / 工程类, where known; a recurrent project is of the recurrent category."""
    initial_budget: Decimal | None = None
    final_budget: Decimal | None = None
    executed: Decimal | None = None


@dataclass(frozen=True)
class DepartmentYear:
    """Everything the core needs to know of one department's fiscal year."""

    department_code: str
    department_name: str
    fiscal_year: int
    lines: tuple[BudgetLine, ...] = ()
    projects: tuple[ProjectRecord, ...] = ()
    totals: PublishedTotals = field(default_factory=PublishedTotals)
    functions_preamble: str = ""
    functions: tuple[str, ...] = ()
    annual_objective: str = ""
    key_tasks: tuple[str, ...] = ()
    conclusion: str = ""
    key_task_analysis: str = ""
    achievements: tuple[Achievement, ...] = ()
    problems: tuple[Problem, ...] = ()
    improvement_measures: tuple[str, ...] = ()
    rounding_note: bool = False
    """The department accepts rounding differences and prints a 注 under the table saying so."""
    basics: tuple[Row, ...] = ()
    """部门整体 基础信息表: 上年数 and 本年数 per row (收入, 支出, 人员…), in its own unit."""
    previous_basics: tuple[Row, ...] = ()
    """The previous fiscal year's 基础信息表, where that year is stored too."""
