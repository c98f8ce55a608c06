"""Domain builders for the core's tests: department-years in 元 from figures in 万元.

Reports count in 万元; the core stores 元. ``wan("103118.19")`` is 1,031,181,900 元.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from jixiao.core.money import D, wan_to_yuan
from jixiao.core.vocabulary import FundingSource, Nature
from jixiao.core.year import (
    Achievement,
    Adjustment,
    BudgetLine,
    DepartmentYear,
    Metric,
    PublishedTotals,
)

LIWAN_NAME = "广州市规划和自然资源局荔湾区分局"
_ADJUSTMENT_DATE = date(2024, 6, 30)


def wan(text: str) -> Decimal:
    """An amount written in 万元, as 元."""
    return wan_to_yuan(D(text))


def liwan_totals(**changes: object) -> PublishedTotals:
    """The 2023 totals the Liwan report publishes (万元), with optional replacements."""
    published = PublishedTotals(
        final_budget=wan("103,118.19"),
        executed=wan("77,261.67"),
        executed_by_source={
            FundingSource.general_public_budget: wan("5,260.44"),
            FundingSource.government_fund_budget: wan("71,968.65"),
            FundingSource.state_capital_budget: wan("0.00"),
            FundingSource.other_funds: wan("32.58"),
        },
        executed_by_nature={
            Nature.basic: wan("3,734.82"),
            Nature.project: wan("73,526.84"),
        },
        carryover=wan("2,578.28"),
    )
    return replace(published, **changes)


def rectification(
    title: str, total: str, done: str, stated_rate: str, *, rate_name: str = "整改率"
) -> Achievement:
    """An achievement stating a rectification rate of done ÷ total (亩), as printed."""
    return Achievement(
        title=title,
        text="",
        metrics=(
            Metric("违法用地图斑面积", D(total), "亩"),
            Metric("已完成整改面积", D(done), "亩"),
            Metric(
                rate_name,
                D(stated_rate),
                "%",
                stated=stated_rate,
                ratio_of=("已完成整改面积", "违法用地图斑面积"),
            ),
        ),
    )


LIWAN_ACHIEVEMENT_9_HISTORICAL = rectification(
    "2013-2021年历史存量违法用地图斑整改", "933.93", "804.91", "86.19"
)
LIWAN_ACHIEVEMENT_9_NEW = rectification(
    "2022和2023年新增违法用地图斑整改", "404.67", "394.59", "97.5"
)


def liwan_year(**changes: object) -> DepartmentYear:
    """Liwan 2023 at the grain the report publishes: totals only, no budget lines."""
    year = DepartmentYear(
        department_code="liwan-ghzy",
        department_name=LIWAN_NAME,
        fiscal_year=2023,
        totals=liwan_totals(),
    )
    return replace(year, **changes)


def line(
    code: str,
    budget: str,
    executed: str | None = None,
    *,
    source: FundingSource = FundingSource.general_public_budget,
    nature: Nature = Nature.project,
    initial: str | None = None,
    adjustments: tuple[str, ...] = (),
    over_budget_explanation: str = "",
) -> BudgetLine:
    """A budget line with figures in 万元; initial budget defaults to the final one."""
    return BudgetLine(
        code=code,
        name=f"预算行{code}",
        funding_source=source,
        nature=nature,
        initial_budget=wan(initial if initial is not None else budget),
        final_budget=wan(budget),
        adjustments=tuple(
            Adjustment(date=_ADJUSTMENT_DATE, amount=wan(amount), document_number=f"调{n}")
            for n, amount in enumerate(adjustments, start=1)
        ),
        executed=wan(executed) if executed is not None else None,
        over_budget_explanation=over_budget_explanation,
    )


def lines_year(*lines: BudgetLine, totals: PublishedTotals | None = None) -> DepartmentYear:
    """A department-year at the grain of budget lines."""
    return DepartmentYear(
        department_code="demo",
        department_name="示范局",
        fiscal_year=2024,
        lines=lines,
        totals=totals if totals is not None else PublishedTotals(),
    )
