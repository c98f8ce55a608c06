"""Consistency checks (勾稽关系): small functions that return findings, run from one list.

A mismatch is reported as what it is. A gap no larger than the rounding of the
published parts (half a 分 of 万元 per figure) is a warning, a larger one an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal

from jixiao.core.bounds import AMOUNT, BALANCE, NumberBound
from jixiao.core.budget import BudgetFigures, budget_figures, line_executed, lines_figures
from jixiao.core.findings import Finding as Finding  # re-exported: checks everywhere name it
from jixiao.core.money import CENT, HUNDRED, ZERO, format_wan, percent_places, round_half_up
from jixiao.core.vocabulary import Severity
from jixiao.core.wording import quoted
from jixiao.core.year import Achievement, DepartmentYear
from jixiao.core.year_over_year import check_against_previous_year, check_two_years

HALF_CENT_OF_WAN = Decimal("50")  # 0.005 万元 in 元


Check = Callable[[DepartmentYear, BudgetFigures], Iterable[Finding]]


ROUNDING_GAP_CHECKS = frozenset(
    {"sources-sum-to-total", "natures-sum-to-total", "published-totals-match-lines"}
)
"""The checks whose warning is a rounding gap (``_gap_severity``)."""


def _gap_severity(gap: Decimal, parts: int) -> Severity:
    return Severity.warning if abs(gap) <= HALF_CENT_OF_WAN * (parts + 1) else Severity.error


def _parts_against_total(
    check_id: str, what: str, parts: Mapping[str, Decimal], total: Decimal, total_label: str
) -> Iterator[Finding]:
    parts_sum = sum(parts.values(), ZERO)
    gap = total - parts_sum
    if gap == ZERO:
        return
    severity = _gap_severity(gap, len(parts))
    terms = "＋".join(f"{label}{format_wan(amount)}万元" for label, amount in parts.items())
    hint = "，可能为四舍五入尾差，请核实" if severity is Severity.warning else ""
    yield Finding(
        id=check_id,
        severity=severity,
        message=(
            f"{what}：{terms}＝{format_wan(parts_sum)}万元，与{total_label}"
            f"{format_wan(total)}万元相差{format_wan(abs(gap))}万元{hint}。"
        ),
        figures={**parts, "合计": parts_sum, total_label: total, "差额": gap},
    )


def is_rounding_gap(finding: Finding) -> bool:
    """A gap between parts and a total no larger than their rounding (尾差): a warning to
    explain or note (注：尾差系四舍五入所致), not a problem to rectify."""
    return finding.severity is Severity.warning and finding.id in ROUNDING_GAP_CHECKS


def check_sources_sum_to_total(year: DepartmentYear, figures: BudgetFigures) -> Iterator[Finding]:
    """按资金来源分的执行数之和等于执行数."""
    totals = year.totals
    if not totals.executed_by_source:
        return
    parts = {source.label: amount for source, amount in totals.executed_by_source.items()}
    yield from _parts_against_total(
        "sources-sum-to-total", "按资金来源分", parts, figures.executed, "执行数"
    )


def check_natures_sum_to_total(year: DepartmentYear, figures: BudgetFigures) -> Iterator[Finding]:
    """基本支出＋项目支出等于执行数."""
    totals = year.totals
    if not totals.executed_by_nature:
        return
    parts = {nature.label: amount for nature, amount in totals.executed_by_nature.items()}
    yield from _parts_against_total(
        "natures-sum-to-total", "按支出性质", parts, figures.executed, "执行数"
    )


def check_published_totals_match_lines(
    year: DepartmentYear, figures: BudgetFigures
) -> Iterator[Finding]:
    """Published totals, where given beside lines, equal what the lines add up to."""
    if not year.lines:
        return
    totals = year.totals
    figures = lines_figures(year)
    pairs = [
        ("全年预算数", totals.final_budget, figures.final_budget),
        ("执行数", totals.executed, figures.executed),
        *(
            (f"{s.label}执行数", totals.executed_by_source.get(s), a)
            for s, a in figures.executed_by_source.items()
        ),
        *(
            (f"{n.label}执行数", totals.executed_by_nature.get(n), a)
            for n, a in figures.executed_by_nature.items()
        ),
    ]
    for label, published, computed in pairs:
        if published is None or agrees_at_published_precision(published, computed):
            continue
        gap = published - computed
        yield Finding(
            id="published-totals-match-lines",
            severity=_gap_severity(gap, 0),  # only the published figure is rounded
            message=(
                f"公布的{label}{format_wan(published)}万元与预算明细合计"
                f"{format_wan(computed)}万元相差{format_wan(abs(gap))}万元。"
            ),
            figures={"公布数": published, "明细合计": computed, "差额": gap},
        )


def agrees_at_published_precision(published: Decimal, computed: Decimal) -> bool:
    """A figure published in 万元 with two decimals agrees with what rounds to it.

    The exact figure 772,616,680 元 is published as 77,261.67 万元; a figure given to
    the 分 must agree to the 分.
    """
    step = HALF_CENT_OF_WAN * 2 if published % (HALF_CENT_OF_WAN * 2) == ZERO else CENT
    return round_half_up(computed / step, 0) * step == published


def check_lines_within_budget(year: DepartmentYear, figures: BudgetFigures) -> Iterator[Finding]:
    """A line's executed amount does not exceed its final budget without an explanation."""
    for index, line in enumerate(year.lines):
        executed = line_executed(line)
        if executed <= line.final_budget or line.over_budget_explanation.strip():
            continue
        yield Finding(
            id="line-within-budget",
            severity=Severity.error,
            message=(
                f"预算行“{line.code} {line.name}”执行数{format_wan(executed)}万元超过全年预算数"
                f"{format_wan(line.final_budget)}万元，且未说明原因。"
            ),
            figures={"执行数": executed, "全年预算数": line.final_budget},
            location=f"budget.lines[{index}]",
        )


def check_adjustments_add_up(year: DepartmentYear, figures: BudgetFigures) -> Iterator[Finding]:
    """年初预算数 ＋ 预算调整 ＝ 全年预算数, line by line."""
    for index, line in enumerate(year.lines):
        adjusted = line.initial_budget + sum((a.amount for a in line.adjustments), ZERO)
        if adjusted == line.final_budget:
            continue
        yield Finding(
            id="adjustments-add-up",
            severity=Severity.error,
            message=(
                f"预算行“{line.code} {line.name}”年初预算数加调整数为{format_wan(adjusted)}万元，"
                f"与全年预算数{format_wan(line.final_budget)}万元不符。"
            ),
            figures={"年初预算数加调整数": adjusted, "全年预算数": line.final_budget},
            location=f"budget.lines[{index}]",
        )


def check_amounts_within_bounds(year: DepartmentYear, figures: BudgetFigures) -> Iterator[Finding]:
    """Every stored amount within ``jixiao.core.bounds``: every path refuses one past them,
    but one written straight into the database (or by an older version) is named here,
    where it is, rather than failing the pages that read the year."""
    for index, line in enumerate(year.lines):
        amounts: list[tuple[str, Decimal | None, NumberBound]] = [
            ("年初预算数", line.initial_budget, BALANCE),
            ("全年预算数", line.final_budget, BALANCE),
            ("执行数", line.executed, BALANCE),
            ("结转和结余", line.carryover, BALANCE),
            *((f"第{n}笔预算调整", a.amount, AMOUNT) for n, a in enumerate(line.adjustments, 1)),
        ]
        what = f"预算行“{line.code} {line.name}”"
        yield from _out_of_bounds(what, amounts, f"budget.lines[{index}]")
    for index, project in enumerate(year.projects):
        amounts = [
            ("年初预算数", project.initial_budget, BALANCE),
            ("全年预算数", project.final_budget, BALANCE),
            ("执行数", project.executed, BALANCE),
        ]
        what = f"项目“{project.code} {project.name}”"
        yield from _out_of_bounds(what, amounts, f"budget.projects[{index}]")
    totals = year.totals
    amounts = [
        ("全年预算数", totals.final_budget, BALANCE),
        ("执行数", totals.executed, BALANCE),
        ("年初预算数", totals.initial_budget, BALANCE),
        ("结转和结余", totals.carryover, BALANCE),
        *((f"{k.label}执行数", v, BALANCE) for k, v in totals.executed_by_source.items()),
        *((f"{k.label}执行数", v, BALANCE) for k, v in totals.executed_by_nature.items()),
        *((f"{k.label}预算数", v, BALANCE) for k, v in totals.budget_by_source.items()),
    ]
    yield from _out_of_bounds("公开的合计", amounts, "budget.totals")


def _out_of_bounds(
    what: str, amounts: Iterable[tuple[str, Decimal | None, NumberBound]], location: str
) -> Iterator[Finding]:
    for label, value, bound in amounts:
        reason = None if value is None else bound.problem(value)
        if reason is None:
            continue
        yield Finding(
            id="amount-out-of-bounds",
            severity=Severity.error,
            message=f"{what}的{label}无法使用：{reason}（数据可能被直接改动过，请核实后改正）。",
            location=location,
        )


def check_stated_rates(year: DepartmentYear, figures: BudgetFigures) -> Iterator[Finding]:
    """A rate a text states equals the rate computed from the figures it is a rate of."""
    for index, achievement in enumerate(year.achievements):
        yield from _stated_rate_findings(index, achievement)


def _stated_rate_findings(index: int, achievement: Achievement) -> Iterator[Finding]:
    by_name = {metric.name: metric for metric in achievement.metrics}
    for position, metric in enumerate(achievement.metrics):
        if metric.ratio_of is None:
            continue
        numerator, denominator = (by_name.get(name) for name in metric.ratio_of)
        location = f"achievements[{index}].metrics[{position}]"
        if numerator is None or denominator is None or denominator.value == ZERO:
            yield Finding(
                id="stated-rate-matches",
                severity=Severity.error,
                message=f"{quoted(metric.name)}所引用的分子或分母指标不存在或为零，无法核对。",
                location=location,
            )
            continue
        places = percent_places(metric.stated or str(metric.value))
        computed = round_half_up(numerator.value / denominator.value * HUNDRED, places)
        if computed == round_half_up(metric.value, places):
            continue
        yield Finding(
            id="stated-rate-matches",
            severity=Severity.error,
            message=(
                f"文中{quoted(metric.name)}写作{metric.stated or metric.value}%，按"
                f"{numerator.name}÷{denominator.name}计算应为{computed}%。"
            ),
            figures={"文中数": metric.value, "计算数": computed},
            location=location,
        )


def check_basics(year: DepartmentYear, figures: BudgetFigures) -> Iterator[Finding]:
    """基础信息表: 其中 rows foot to their totals; 上年数 agrees with last year's 本年数."""
    yield from check_two_years(year.basics)
    yield from check_against_previous_year(year.basics, year.previous_basics, year.fiscal_year)


CHECKS: tuple[Check, ...] = (
    check_sources_sum_to_total,
    check_natures_sum_to_total,
    check_published_totals_match_lines,
    check_lines_within_budget,
    check_adjustments_add_up,
    check_amounts_within_bounds,
    check_stated_rates,
    check_basics,
)


def run_checks(year: DepartmentYear, checks: Iterable[Check] = CHECKS) -> list[Finding]:
    """Every finding of every check, in the order of the list."""
    figures = budget_figures(year)
    return [finding for check in checks for finding in check(year, figures)]
