"""Review (审核) of a monitoring form, as printed: its funds block (项目资金: 年初预算数 |
全年预算数 | 1-X月执行数 | 执行率 | 全年预计执行数, with its 其中 rows, in the MoF
执行监控表 and the provinces' 绩效监控表 alike) and its indicator rows (``monitoring_rows``).

Checked, each figure at the precision it is printed with (``core.printed_precision``):

- **执行率** of the total row and of every 其中 row that prints one: 执行数 ÷ 预算数, the
  预算数 being the 全年预算数 where the form has that column and the row fills it, else the
  年初预算数 (``monitoring-rate-wrong``; a rate with no budget to divide by is
  ``monitoring-rate-uncomputable``);
- **其中 rows** footed against the total row, each breakdown on its own (by source; by use:
  the layout's ``use_rows``), in every amount column, within what rounding each printed
  figure allows (``funds-total-not-sum-of-rows``);
- **全年预计执行数** of every row not below its 执行数 (``monitoring-forecast-below-executed``)
  nor above its 全年预算数 (the 年初预算数 where the row has no 全年预算数;
  ``monitoring-forecast-above-budget``);
- every cell that cannot be read (``cell-unreadable``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.core.money import HUNDRED, ZERO, round_half_up
from jixiao.core.printed_precision import (
    Printed,
    comparison_places,
    consistent,
    precision_note,
    sum_consistent,
)
from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import plain_number
from jixiao.core.vocabulary import Severity
from jixiao.interchange.direction_file import load_direction_vocabulary
from jixiao.interchange.excel.cells import PercentMeaning
from jixiao.interchange.excel.form_sheets import FormSheet
from jixiao.interchange.excel.headers import Table, TableRow, fold
from jixiao.interchange.excel.monitoring_rows import review_rows
from jixiao.interchange.excel.printed_places import PrintedPlaces
from jixiao.interchange.excel.review import ReviewFinding, SheetReview

_AMOUNTS = ("initial_budget", "final_budget", "executed", "projected")
_RATE_PLACES = 2
"""The decimals a rate printed with unknown precision (a General cell) is compared at."""
_BY_SOURCE, _BY_USE = "资金来源", "支出用途"


def review_monitoring(form: FormSheet, places: PrintedPlaces, rules: ProjectRules) -> SheetReview:
    """The findings of one monitoring form: its funds block, its indicator rows, and the
    cells it cannot read."""
    findings = [
        ReviewFinding("cell-unreadable", Severity.error, "读取", p.where, "", p.message)
        for p in form.problems
    ]
    table, total = form.funds, form.funds_total_row()
    summary = "没有项目资金一栏"
    if table is not None and total is not None:
        rows = [row for row in table.rows if row is not total]
        for row in (total, *rows):
            findings.extend(_rate(table, row, _label(row, total), places))
            findings.extend(_forecast(table, row, _label(row, total), places))
        findings.extend(_footing(form, table, total, rows, places))
        summary = _summary(table, total)
    indicators = review_rows(form, rules, places, load_direction_vocabulary())
    findings.extend(indicators.findings)
    summary = f"{summary}；{indicators.summary}"
    name = form.label("project_name")
    return SheetReview(
        sheet=form.name,
        kind=form.kind,
        title=str(name.value) if name else form.name,
        findings=tuple(findings),
        summary=summary,
        what=form.layout.name,
    )


def _label(row: TableRow, total: TableRow) -> str:
    if row is total:
        return "年度资金总额"
    return re.sub(r"^其中[:：]?\s*", "", row.values.get("label") or "").strip() or "其他"


def _factor(table: Table, key: str) -> Decimal:
    declared = table.header.declared.get(key)
    unit = declared.unit.value if declared is not None and declared.unit else ""
    return Decimal(10000) if unit == "万元" else Decimal(1)


def _unit(table: Table, key: str) -> str:
    return "万元" if _factor(table, key) == Decimal(10000) else "元"


def _shown(table: Table, row: TableRow, key: str) -> str:
    value = row.values[key] / _factor(table, key)
    return f"{plain_number(value)}{_unit(table, key)}"


def _budget_key(table: Table, row: TableRow) -> str | None:
    for key in ("final_budget", "initial_budget"):
        if table.has(key) and row.values.get(key) is not None and key not in row.failed:
            return key
    return None


def _rate(table: Table, row: TableRow, label: str, places: PrintedPlaces) -> list[ReviewFinding]:
    printed = row.values.get("rate")
    if printed is None or "rate" in row.failed:
        return []
    where = table.where(row, "rate")
    budget_key = _budget_key(table, row)
    executed = row.values.get("executed") if "executed" not in row.failed else None
    rule = f"执行率 = {table.label('executed')} ÷ {table.label(budget_key or 'initial_budget')}"
    if budget_key is None or executed is None or row.values[budget_key] == ZERO:
        if executed == ZERO and printed == ZERO:
            return []  # nothing budgeted, nothing spent: 0% is what it is
        return [
            ReviewFinding(
                "monitoring-rate-uncomputable", Severity.error, "资金", where, f"{label}/执行率",
                f"{label}执行率填报{plain_number(printed)}%，但没有可据以计算的预算数和执行数。",
                f"{plain_number(printed)}%", "", rule,
            )
        ]  # fmt: skip
    computed = executed / row.values[budget_key] * HUNDRED
    declared = table.header.declared.get("rate")
    meaning = declared.percent if declared is not None else PercentMeaning.fraction
    digits = comparison_places(
        places.at(where, table.raw(row, "rate"), meaning), None, _RATE_PLACES
    )
    if consistent(computed, printed, digits):
        return []
    shown = plain_number(round_half_up(computed, max(digits, 2)))
    return [
        ReviewFinding(
            "monitoring-rate-wrong", Severity.error, "资金", where, f"{label}/执行率",
            f"{label}执行率填报{plain_number(printed)}%，按{table.label('executed')}"
            f"{_shown(table, row, 'executed')} ÷ {table.label(budget_key)}"
            f"{_shown(table, row, budget_key)}计算为{shown}%（{precision_note(digits)}）。",
            f"{plain_number(printed)}%", f"{shown}%", rule,
        )
    ]  # fmt: skip


def _forecast(
    table: Table, row: TableRow, label: str, places: PrintedPlaces
) -> list[ReviewFinding]:
    """全年预计执行数 between the 执行数 already spent and the 全年预算数, each bound taken
    at the decimals the forecast is printed with (a forecast of “186” under 186.40 spent
    is no finding)."""
    if _amount(row, "projected") is None:
        return []
    where = table.where(row, "projected")
    printed = _printed(table, row, "projected", places)
    projected = printed.value

    def bound(key: str | None) -> Decimal | None:
        if key is None or _amount(row, key) is None:
            return None
        value = row.values[key] / _factor(table, key)
        return value if printed.places is None else round_half_up(value, printed.places)

    executed, budget_key = bound("executed"), _budget_key(table, row)
    budget = bound(budget_key)
    shown = _shown(table, row, "projected")
    if executed is not None and projected < executed:
        return [
            ReviewFinding(
                "monitoring-forecast-below-executed", Severity.error, "资金", where,
                f"{label}/全年预计执行数",
                f"{label}全年预计执行数填报{shown}，少于已执行的{table.label('executed')}"
                f"{_shown(table, row, 'executed')}。",
                shown, _shown(table, row, "executed"), "全年预计执行数 ≥ 执行数",
            )
        ]  # fmt: skip
    if budget_key is not None and budget is not None and projected > budget:
        return [
            ReviewFinding(
                "monitoring-forecast-above-budget", Severity.error, "资金", where,
                f"{label}/全年预计执行数",
                f"{label}全年预计执行数填报{shown}，超过{table.label(budget_key)}"
                f"{_shown(table, row, budget_key)}。",
                shown, _shown(table, row, budget_key),
                f"全年预计执行数 ≤ {table.label(budget_key)}",
            )
        ]  # fmt: skip
    return []


def _amount(row: TableRow, key: str) -> Decimal | None:
    value: Decimal | None = row.values.get(key)
    return None if key in row.failed else value


def _footing(
    form: FormSheet, table: Table, total: TableRow, rows: list[TableRow], places: PrintedPlaces
) -> list[ReviewFinding]:
    """The total row against its 其中 rows, each breakdown and amount column on its own."""
    by_use = form.layout.funds_rows.by_use
    groups: dict[str, list[TableRow]] = {}
    for row in rows:
        use = fold(_label(row, total)).startswith(by_use) if by_use else False
        groups.setdefault(_BY_USE if use else _BY_SOURCE, []).append(row)
    found = []
    for group, parts in groups.items():
        for key in _AMOUNTS:
            if not table.has(key) or key in total.failed or total.values.get(key) is None:
                continue
            filled = [p for p in parts if p.values.get(key) is not None and key not in p.failed]
            if not filled:
                continue
            shown = [_printed(table, p, key, places) for p in filled]
            if sum_consistent(_printed(table, total, key, places), shown):
                continue
            column = table.label(key)
            summed = sum((p.values[key] for p in filled), ZERO)
            found.append(
                ReviewFinding(
                    "funds-total-not-sum-of-rows", Severity.error, "资金",
                    table.where(total, key), f"年度资金总额/{column}",
                    f"年度资金总额的{column}填报{_shown(table, total, key)}，其中各行（{group}）"
                    f"合计{plain_number(summed / _factor(table, key))}{_unit(table, key)}，"
                    "两者应相等（已计入各数四舍五入的尾差）。",
                    _shown(table, total, key),
                    f"{plain_number(summed / _factor(table, key))}{_unit(table, key)}",
                    f"年度资金总额 = 其中各{group}之和",
                )
            )  # fmt: skip
    return found


def _printed(table: Table, row: TableRow, key: str, places: PrintedPlaces) -> Printed:
    where = table.where(row, key)
    return Printed(row.values[key] / _factor(table, key), places.at(where, table.raw(row, key)))


def _summary(table: Table, total: TableRow) -> str:
    budget_key = _budget_key(table, total)
    executed = total.values.get("executed")
    if budget_key is None or executed is None or not total.values[budget_key]:
        return "项目资金执行率无法计算"
    rate = executed / total.values[budget_key] * HUNDRED
    return f"按表中金额计算：执行率 {plain_number(round_half_up(rate, 2))}%"


__all__ = ["review_monitoring"]
