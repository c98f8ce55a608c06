"""结果应用 (results application): this year's results propose next year's budget actions.

[D] 财预〔2020〕10号: results are a key basis for next year's budget — 优 and 良 are supported
as appropriate, 中 and 差 mean the budget is cut as appropriate (核减), and unfinished
rectification reduces the budget or suspends funding until it is done. [D] 中发〔2018〕34号:
inefficient or ineffective money is cut or cancelled. There is no national percentage;
[L] local rules give one (Dazhou: 差 → 取消或暂停; Guangzhou: recurrent projects below
80 % / 50 % executed at the end of October get 90 % / 60 % next year). So every mapping
is a rule in data (``jixiao/rules/results-*.yaml``); the Guangzhou monitoring rule already
shipped becomes one rule set of this kind through ``rules_from_monitoring``.

Decisions where the sources are silent (tested in tests/cycle):

* A rule matches when every condition it states holds (grade in a list, final execution
  rate below a share, rate at a month end below a share, recurrent projects only,
  rectification unfinished). A rule stating no condition matches nothing.
* Several matching rules: the most severe action decides (取消或暂停 > 压减 > 核减 >
  按需保障 > 优先保障), and between equal actions the lowest next-year share; the other
  matched rules are kept as further grounds. As in ``core.monitoring``, a month-end rule
  applies once the month is over: ``rates_at_month_end`` holds only months that are.
* A rule without a share proposes the action without an amount ("比例待定"): the share
  is then set when the 财务科 accepts the proposal, as the annual budget notice says.
* "This year's amount" is the project's final (adjusted) budget.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from jixiao.core.evaluation import ProjectEvaluation
from jixiao.core.money import ZERO, format_percent, format_wan, ratio
from jixiao.core.monitoring import LineExecution, MonitoringRules


class BudgetAction(StrEnum):
    """A proposed budget action for next year, from mildest to most severe."""

    priority = "优先保障"
    keep = "按需保障"
    reduce = "核减"
    cut = "压减"
    cancel = "取消或暂停"

    @property
    def severity(self) -> int:
        return list(BudgetAction).index(self)


@dataclass(frozen=True)
class ApplicationRule:
    """When a project's results meet every stated condition, propose ``action``."""

    name: str
    """The ground as the 清单 prints it, e.g. 评价等级为差."""
    action: BudgetAction
    grades: tuple[str, ...] = ()
    """Matches when the project's grade is one of these; () for no grade condition."""
    execution_below: Decimal | None = None
    """Matches when the final execution rate is below this share."""
    month: int | None = None
    """With ``month_rate_below``: the month whose end the rate is taken at."""
    month_rate_below: Decimal | None = None
    recurrent_only: bool = False
    rectification_unfinished: bool = False
    """Matches when the project's rectification is not finished."""
    next_year_share: Decimal | None = None
    """Next year's budget as a share of this year's final budget; None: set on acceptance."""
    source: str = ""
    evidence: str = ""

    @property
    def states_a_condition(self) -> bool:
        return bool(
            self.grades
            or self.execution_below is not None
            or self.month_rate_below is not None
            or self.rectification_unfinished
        )


@dataclass(frozen=True)
class ResultApplicationRules:
    id: str
    name: str
    version: str
    rules: tuple[ApplicationRule, ...]
    sources: tuple[str, ...] = ()
    evidence: str = ""


@dataclass(frozen=True)
class ProjectResult:
    """What a year's evaluation and monitoring say about one project."""

    project_code: str
    name: str
    fiscal_year: int
    final_budget: Decimal
    """元."""
    grade: str | None = None
    execution_rate: Decimal | None = None
    """Final executed ÷ final budget; None when not known."""
    rates_at_month_end: Mapping[int, Decimal] = field(default_factory=dict)
    """Execution rate at the end of each month that is over (see ``rates_at_month_end``)."""
    recurrent: bool = False
    rectification_unfinished: bool = False
    department: str = ""


@dataclass(frozen=True)
class Proposal:
    """One row of the 结果应用清单: a proposed action for next year's budget line."""

    result: ProjectResult
    action: BudgetAction
    rule: ApplicationRule
    grounds: tuple[str, ...]
    """Every matched rule's ground, the deciding one first."""

    @property
    def budget_year(self) -> int:
        return self.result.fiscal_year + 1

    @property
    def next_year_share(self) -> Decimal | None:
        return self.rule.next_year_share

    @property
    def proposed_budget(self) -> Decimal | None:
        share = self.next_year_share
        return None if share is None else self.result.final_budget * share

    @property
    def reduction(self) -> Decimal | None:
        proposed = self.proposed_budget
        return None if proposed is None else self.result.final_budget - proposed

    @property
    def text(self) -> str:
        """The proposal as the 清单 writes it."""
        grounds = "；".join(self.grounds)
        base = f"{self.result.name}：{grounds}。建议{self.budget_year}年度{self.action.value}"
        proposed = self.proposed_budget
        if proposed is None:
            if self.action in (BudgetAction.priority, BudgetAction.keep):
                return f"{base}。"
            return f"{base}（比例待定）。"
        share = self.next_year_share
        return (
            f"{base}，按本年全年预算数{format_wan(self.result.final_budget)}万元的"
            f"{format_percent(share)}安排{format_wan(proposed)}万元。"
        )


def project_result(
    evaluation: ProjectEvaluation,
    fiscal_year: int,
    *,
    recurrent: bool = False,
    rates: Mapping[int, Decimal] | None = None,
    rectification_unfinished: bool = False,
    department: str = "",
) -> ProjectResult:
    """What a project's self-evaluation says, as the results rules read it."""
    scored = evaluation.evaluation
    return ProjectResult(
        project_code=evaluation.project_code,
        name=evaluation.project_name,
        fiscal_year=fiscal_year,
        final_budget=scored.execution.final_budget,
        grade=scored.grade,
        execution_rate=scored.execution.rate,
        rates_at_month_end=dict(rates or {}),
        recurrent=recurrent,
        rectification_unfinished=rectification_unfinished,
        department=department,
    )


def matches(rule: ApplicationRule, result: ProjectResult) -> bool:
    """Every condition the rule states holds for the result."""
    if not rule.states_a_condition:
        return False
    if rule.recurrent_only and not result.recurrent:
        return False
    if rule.grades and result.grade not in rule.grades:
        return False
    if rule.execution_below is not None and not _below(result.execution_rate, rule.execution_below):
        return False
    if rule.month_rate_below is not None:
        rate = result.rates_at_month_end.get(rule.month or 12)
        if not _below(rate, rule.month_rate_below):
            return False
    return not (rule.rectification_unfinished and not result.rectification_unfinished)


def _below(rate: Decimal | None, limit: Decimal) -> bool:
    return rate is not None and rate < limit


def _decisive(rule: ApplicationRule) -> tuple[int, Decimal]:
    share = rule.next_year_share
    return (-rule.action.severity, share if share is not None else Decimal(2))


def propose(result: ProjectResult, rules: ResultApplicationRules) -> Proposal | None:
    """The proposal for one project, or None when no rule matches."""
    matched = sorted((r for r in rules.rules if matches(r, result)), key=_decisive)
    if not matched:
        return None
    grounds = tuple(dict.fromkeys(rule.name for rule in matched))
    return Proposal(result, matched[0].action, matched[0], grounds)


def apply_results(
    results: Iterable[ProjectResult], rules: ResultApplicationRules
) -> tuple[Proposal, ...]:
    """The 结果应用清单: one proposal per project some rule matches, in the results' order."""
    return tuple(p for result in results if (p := propose(result, rules)) is not None)


@dataclass(frozen=True)
class ActionTotal:
    """One line of the 清单's summary: how many projects an action touches, and the sums."""

    action: BudgetAction
    projects: int
    this_year_budget: Decimal
    proposed_budget: Decimal
    """Of the projects whose proposal has a share."""
    reduction: Decimal
    without_share: int
    """Projects proposed for the action without a share (比例待定)."""


def summarize(proposals: Iterable[Proposal]) -> tuple[ActionTotal, ...]:
    """The 清单 by action, most severe first, for a department or the whole bureau."""
    by_action: dict[BudgetAction, list[Proposal]] = {}
    for proposal in proposals:
        by_action.setdefault(proposal.action, []).append(proposal)
    totals = []
    for action in sorted(by_action, key=lambda a: -a.severity):
        group = by_action[action]
        priced = [p for p in group if p.proposed_budget is not None]
        totals.append(
            ActionTotal(
                action=action,
                projects=len(group),
                this_year_budget=sum((p.result.final_budget for p in group), ZERO),
                proposed_budget=sum((p.proposed_budget or ZERO for p in priced), ZERO),
                reduction=sum((p.reduction or ZERO for p in priced), ZERO),
                without_share=len(group) - len(priced),
            )
        )
    return tuple(totals)


def rates_at_month_end(lines: Sequence[LineExecution], through_month: int) -> dict[int, Decimal]:
    """One project's execution rate at each month end up to ``through_month``, from its lines."""
    budget = sum((line.final_budget for line in lines), ZERO)
    rates = {}
    for month in range(1, through_month + 1):
        executed = sum((line.executed_through(month) for line in lines), ZERO)
        rate = ratio(executed, budget)
        if rate is not None:
            rates[month] = rate
    return rates


def rules_from_monitoring(monitoring: MonitoringRules, rule_id: str) -> ResultApplicationRules:
    """A monitoring rule set's budget consequences (e.g. Guangzhou's 80 %/50 %) as rules."""
    return ResultApplicationRules(
        id=rule_id,
        name=monitoring.name,
        version="",
        rules=tuple(monitoring_rules_as_application(monitoring)),
        sources=(monitoring.source,) if monitoring.source else (),
        evidence=monitoring.evidence,
    )


def monitoring_rules_as_application(monitoring: MonitoringRules) -> list[ApplicationRule]:
    return [
        ApplicationRule(
            name=(f"经常性项目{rule.month}月末执行率低于{format_percent(rule.below_rate)}"),
            action=BudgetAction.cut,
            month=rule.month,
            month_rate_below=rule.below_rate,
            recurrent_only=True,
            next_year_share=rule.next_year_share,
            source=rule.source,
            evidence=rule.evidence,
        )
        for rule in monitoring.consequence_rules
    ]
