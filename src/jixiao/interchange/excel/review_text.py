"""Review of the figures a form's free text restates (偏差原因, 总体目标完成情况, 执行率说明).

The table figures a text may name are taken from the form as read (``GoalRead``): the funds
block's amounts and 执行率 at the precision they are printed with, each 其中 row by its label
(本年财政拨款, 基本支出 …), and each indicator's 实际完成值 by its 三级指标 (and, in the row's
own 偏差原因, as 实际完成值). ``core.text_figures`` finds the figures in the text and compares.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from jixiao.core.consistency import Finding
from jixiao.core.money import HUNDRED
from jixiao.core.printed_precision import places_in_text
from jixiao.core.text_figures import TableFigure, figures_in_text, text_figure_findings
from jixiao.interchange.excel.form_goals import FundsRead, GoalRead
from jixiao.interchange.excel.form_layouts import FUNDS
from jixiao.interchange.excel.layout_files import FormLayout

AMOUNT_KEYS = ("initial_budget", "final_budget", "executed")
_TOTAL_NAMES = ("年度资金总额", "资金总额")
_EXECUTED_NAMES = ("执行数",)
_RATE_NAMES = ("执行率", "预算执行率")
_OWN_ACTUAL = ("实际完成值", "完成值")


def funds_names(layout: FormLayout) -> dict[str, str]:
    """The funds block's amount and 执行率 columns by key, named by the layout's own headers
    (the standard form's where the layout has no funds block): a province's wording is the
    one its messages use."""
    standard = {column.key: column.label for column in FUNDS.columns}
    own = {column.key: column.label for column in layout.funds.columns} if layout.funds else {}
    return {key: own.get(key, standard[key]) for key in (*AMOUNT_KEYS, "rate")}


def rate_rule(names: dict[str, str], rate: str | None = None) -> str:
    """How the execution rate is computed, in the layout's words
    (“执行率 = 全年执行数 ÷ 全年预算数”)."""
    return f"{rate or names['rate']} = {names['executed']} ÷ {names['final_budget']}"


def _quantum(funds: FundsRead, key: str) -> Decimal | None:
    places = funds.places.get(key)
    return None if places is None else Decimal(1).scaleb(-places) * funds.factor(key)


def funds_figures(read: GoalRead) -> list[TableFigure]:
    """The funds block's figures a text may name: amounts in 元, 执行率 in points."""
    funds = read.funds
    if funds is None:
        return []
    found = []
    names = funds_names(read.sheet.layout)
    for key in AMOUNT_KEYS:
        name = names[key]
        figure = funds.figures.get(key)
        if figure is not None:
            found.append(TableFigure(name, (figure.value,), False, _quantum(funds, key),
                                     funds.where.get(key, "")))  # fmt: skip
    executed = funds.figures.get("executed")
    if executed is not None:
        quantum, where = _quantum(funds, "executed"), funds.where.get("executed", "")
        found += [
            TableFigure(name, (executed.value,), False, quantum, where) for name in _EXECUTED_NAMES
        ]
    totals = tuple(f.value for k, f in funds.figures.items() if k in AMOUNT_KEYS)
    found += [
        TableFigure(name, totals, False, _quantum(funds, "executed")) for name in _TOTAL_NAMES
    ]
    rate = read.claims.execution_rate
    if rate is not None:
        places = places_in_text(str(rate.raw)) if isinstance(rate.raw, str) else None
        quantum = None if places is None else Decimal(1).scaleb(-places)
        found += [
            TableFigure(name, (rate.value,), True, quantum, rate.where) for name in _RATE_NAMES
        ]
    elif funds.total.final_budget:
        computed = funds.total.executed / funds.total.final_budget * HUNDRED
        found += [TableFigure(name, (computed,), True) for name in _RATE_NAMES]
    for part in funds.parts:
        values = tuple(part.figures[k].value for k in AMOUNT_KEYS if k in part.figures)
        if values:
            found.append(TableFigure(part.row.label, values, False, _quantum(funds, "executed"),
                                     part.where))  # fmt: skip
    return found


def _actual_figure(name: str, actual: str | None, where: str) -> TableFigure | None:
    """An indicator's 实际完成值 that is one amount or one percentage."""
    written = figures_in_text(actual or "")
    if len(written) != 1:
        return None
    figure = written[0]
    return TableFigure(name, (figure.base,), figure.percent, figure.quantum, where, figure.written)


def indicator_figures(read: GoalRead) -> list[TableFigure]:
    found = []
    for row in read.indicators:
        figure = _actual_figure(row.entry.level3, row.entry.actual, row.cell.get("actual", ""))
        if figure is not None:
            found.append(figure)
    return found


def text_findings(read: GoalRead) -> list[tuple[str, Finding]]:
    """Each finding with the cell of the text it is about."""
    table = funds_figures(read) + indicator_figures(read)
    found: list[tuple[str, Finding]] = []
    for row in read.indicators:
        entry = row.entry
        where = row.cell.get("remark", row.where)
        own = [
            f
            for name in _OWN_ACTUAL
            if (f := _actual_figure(name, entry.actual, row.cell.get("actual", ""))) is not None
        ]
        for text in (entry.deviation_reason, entry.improvement):
            found += _each(text_figure_findings(text, [*table, *own], "偏差原因", where), where)
    form = read.sheet
    objective = form.actual_objective
    if objective is not None:
        text = str(objective.value)
        found += _each(text_figure_findings(text, table, "总体目标完成情况", objective.where),
                       objective.where)  # fmt: skip
    if read.entry.execution_reason:
        where = form.top_where()
        found += _each(
            text_figure_findings(read.entry.execution_reason, table, "执行率说明", where), where
        )
    return found


def _each(findings: Iterable[Finding], where: str) -> list[tuple[str, Finding]]:
    return [(where, finding) for finding in findings]
