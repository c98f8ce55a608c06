"""Live figures in the report's prose: ``{{执行率}}`` in a section's text is printed as the
figure computed from the stored data ("74.93%"), so a figure in the words can never drift
from the tables.

A number typed by hand right after the name of a stored figure ("执行率为74.90%") that
differs from that figure is a finding for the preparer (审核意见, and shown while typing);
it is never printed in the report as a finding, and the report prints the words as
written — the clerk decides, the finding says what the data holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from jixiao.core.budget import BudgetFigures
from jixiao.core.consistency import Finding
from jixiao.core.evaluation import YearEvaluation
from jixiao.core.money import format_percent, format_thousands, format_wan
from jixiao.core.text_figures import NUMBER
from jixiao.core.vocabulary import Severity

TOKEN = re.compile(r"\{\{\s*([^{}\n]+?)\s*\}\}")
GAP = r"[^0-9。；;\n{}]{0,8}?"
"""What may stand between a figure's name and a typed number: "为", "达到", "是"."""
DEPARTMENT_GROUP = "部门整体"
"""The group of the department's own figures (a project's figures are grouped by its name)."""
SEPARATOR = "·"
"""Between a project (or 部门整体) and the name of its figure: "城市更新·执行率"."""


@dataclass(frozen=True)
class LiveFigure:
    """A figure the prose may name: its token name and the text the report prints."""

    name: str
    text: str
    group: str = DEPARTMENT_GROUP


def _number(text: str) -> Decimal | None:
    match = re.search(NUMBER, text)
    if match is None:
        return None
    try:
        return Decimal(match.group(1).replace(",", ""))
    except InvalidOperation:
        return None


def year_figures(
    figures: BudgetFigures, evaluation: YearEvaluation | None = None
) -> tuple[LiveFigure, ...]:
    """Every figure the prose of a year may name, in the order the editor offers them."""
    found = [
        LiveFigure("全年预算数", f"{format_wan(figures.final_budget)}万元"),
        LiveFigure("执行数", f"{format_wan(figures.executed)}万元"),
        LiveFigure("执行率", format_percent(figures.execution_rate)),
    ]
    if figures.initial_budget is not None:
        found.append(LiveFigure("年初预算数", f"{format_wan(figures.initial_budget)}万元"))
    if figures.carryover is not None:
        found.append(LiveFigure("结转和结余", f"{format_wan(figures.carryover)}万元"))
    if evaluation is None:
        return tuple(found)
    department = evaluation.department
    if department is not None and department.total is not None:
        found.append(LiveFigure("部门整体自评得分", f"{format_thousands(department.total)}分"))
        if department.grade:
            found.append(LiveFigure("评价等级", department.grade))
    for project in evaluation.projects:
        group = project.project_name
        execution = project.evaluation.execution
        if execution.rate is not None:
            found.append(
                LiveFigure(f"{group}{SEPARATOR}执行率", format_percent(execution.rate), group)
            )
        for row in project.evaluation.indicators:
            actual = row.indicator.actual
            if actual:
                found.append(LiveFigure(f"{group}{SEPARATOR}{row.indicator.level3}", actual, group))
    return tuple(found)


def render(text: str, figures: Iterable[LiveFigure]) -> str:
    """The text with every known ``{{name}}`` replaced by its figure; an unknown name is
    left as written (``unknown_tokens`` reports it)."""
    by_name = {figure.name: figure.text for figure in figures}
    return TOKEN.sub(lambda match: by_name.get(match.group(1), match.group(0)), text)


def unknown_tokens(text: str, figures: Iterable[LiveFigure]) -> tuple[str, ...]:
    names = {figure.name for figure in figures}
    return tuple(dict.fromkeys(m.group(1) for m in TOKEN.finditer(text) if m.group(1) not in names))


def _short_name(figure: LiveFigure) -> str:
    return figure.name.rsplit(SEPARATOR, 1)[-1]


def hand_typed_findings(
    text: str, figures: Iterable[LiveFigure], section: str = ""
) -> tuple[Finding, ...]:
    """A number typed right after a figure's name that is not the stored figure, and a
    ``{{name}}`` that names no figure. Only figures with a number are compared; a
    project's figure is looked for after its own name only where the project is named."""
    figures = tuple(figures)
    plain = TOKEN.sub(" ", text)
    found: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for figure in sorted(figures, key=lambda f: -len(_short_name(f))):
        stored = _number(figure.text)
        if stored is None:
            continue
        if figure.group != DEPARTMENT_GROUP and figure.group not in plain:
            continue
        name = _short_name(figure)
        for match in re.finditer(re.escape(name) + GAP + NUMBER, plain):
            typed = Decimal(match.group(1).replace(",", ""))
            if typed == stored or (name, match.group(0)) in seen:
                continue
            if figure.group == DEPARTMENT_GROUP and _inside_longer_name(
                plain, match.start(), figures
            ):
                continue
            seen.add((name, match.group(0)))
            found.append(
                Finding(
                    id="report-figure-typed",
                    severity=Severity.warning,
                    message=(
                        f"{section + '：' if section else ''}手工填写的“{match.group(0)}”"
                        f"与存储的数据不符：{figure.name}为{figure.text}。"
                        f"请改用实时字段{{{{{figure.name}}}}}，由系统按数据填写。"
                    ),
                    figures={"typed": typed, "stored": stored},
                    location=section,
                    subject="自评报告",
                )
            )
    for name in unknown_tokens(text, figures):
        found.append(
            Finding(
                id="report-figure-unknown",
                severity=Severity.warning,
                message=(
                    f"{section + '：' if section else ''}实时字段{{{{{name}}}}}没有对应的数据，"
                    "报告中将按原样印出，请从字段列表中选择。"
                ),
                location=section,
                subject="自评报告",
            )
        )
    return tuple(found)


def _inside_longer_name(text: str, start: int, figures: tuple[LiveFigure, ...]) -> bool:
    """ "项目执行率" is not the department's 执行率: a name preceded by a project's name."""
    before = text[max(0, start - 40) : start]
    return any(f.group != DEPARTMENT_GROUP and before.endswith(f.group) for f in figures)


def figures_by_name(figures: Iterable[LiveFigure]) -> Mapping[str, str]:
    return {f.name: f.text for f in figures}
