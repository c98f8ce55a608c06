"""Results-application rule files (``jixiao/rules/results-*.yaml``): read, validate, build.

::

    format: jixiao-results-rules/1
    id: results-default
    version: "2024"
    name: 结果应用（财预〔2020〕10号，默认）
    sources: [...]
    evidence: D
    from_monitoring: monitoring-guangzhou      # optional: that rule set's budget consequences
    rules:
      - name: 评价等级为差
        when: {grades: [差]}                     # every stated condition must hold
        action: 取消或暂停
        next_year_budget: 0%                    # optional: share of this year's final budget
        source: …
        evidence: L

Conditions: ``grades``, ``execution_below``, ``month`` with ``month_rate_below``,
``recurrent_only`` and ``rectification_unfinished``; a rule must state at least one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import Field, model_validator

from jixiao.core.result_application import (
    ApplicationRule,
    BudgetAction,
    ResultApplicationRules,
    monitoring_rules_as_application,
)
from jixiao.interchange.monitoring_rule_files import (
    SHIPPED_MONITORING_RULES,
    shipped_monitoring_rules,
)
from jixiao.interchange.problems import Problem
from jixiao.interchange.rule_documents import (
    Evidence,
    RuleFileHeader,
    RuleFileKind,
    Share,
    Strict,
    Text,
)

FORMAT = "jixiao-results-rules/1"
SHIPPED_RESULT_RULES = ("results-default", "results-guangzhou")
"""The results-application rule sets shipped in ``jixiao/rules``, by id."""


class WhenEntry(Strict):
    grades: list[Text] = Field(default_factory=list)
    execution_below: Share | None = None
    month: Annotated[int, Field(ge=1, le=12, strict=True)] | None = None
    month_rate_below: Share | None = None
    recurrent_only: bool = False
    rectification_unfinished: bool = False

    @model_validator(mode="after")
    def _stated(self) -> WhenEntry:
        if (self.month is None) != (self.month_rate_below is None):
            raise ValueError("month 和 month_rate_below 应同时给出（某月末执行率低于某百分比）")
        if not (
            self.grades
            or self.execution_below is not None
            or self.month_rate_below is not None
            or self.rectification_unfinished
        ):
            raise ValueError(
                "至少写明一个条件：grades、execution_below、month_rate_below 或 "
                "rectification_unfinished"
            )
        return self


class RuleEntry(Strict):
    name: Text
    when: WhenEntry
    action: BudgetAction
    next_year_budget: Share | None = None
    source: str = ""
    evidence: Evidence | None = None


class ResultRulesFile(RuleFileHeader):
    format: Literal["jixiao-results-rules/1"]
    from_monitoring: str | None = None
    rules: list[RuleEntry] = Field(default_factory=list)


def cross_check(model: ResultRulesFile) -> Iterator[Problem]:
    if model.from_monitoring is not None and model.from_monitoring not in SHIPPED_MONITORING_RULES:
        choices = "、".join(SHIPPED_MONITORING_RULES)
        yield Problem(
            "from_monitoring", f"没有名为“{model.from_monitoring}”的监控规则，可选：{choices}"
        )
    if model.from_monitoring is None and not model.rules:
        yield Problem("rules", "规则集没有任何规则（rules 为空，也未给出 from_monitoring）")
    for index, rule in enumerate(model.rules):
        keeps = rule.action in (BudgetAction.priority, BudgetAction.keep)
        if keeps and rule.next_year_budget is not None and rule.next_year_budget < 1:
            yield Problem(
                f"rules[{index}].next_year_budget",
                f"“{rule.action.value}”不应把下年预算定为本年的{rule.next_year_budget * 100:f}%",
            )


def to_rules(model: ResultRulesFile) -> ResultApplicationRules:
    rules = [
        ApplicationRule(
            name=r.name,
            action=r.action,
            grades=tuple(r.when.grades),
            execution_below=r.when.execution_below,
            month=r.when.month,
            month_rate_below=r.when.month_rate_below,
            recurrent_only=r.when.recurrent_only,
            rectification_unfinished=r.when.rectification_unfinished,
            next_year_share=r.next_year_budget,
            source=r.source,
            evidence=r.evidence or "",
        )
        for r in model.rules
    ]
    if model.from_monitoring is not None:
        rules.extend(
            monitoring_rules_as_application(shipped_monitoring_rules(model.from_monitoring))
        )
    return ResultApplicationRules(
        id=model.id,
        name=model.name,
        version=model.version,
        rules=tuple(rules),
        sources=tuple(model.sources),
        evidence=model.evidence or "",
    )


RESULT_RULE_FILES = RuleFileKind(
    ResultRulesFile, cross_check, to_rules, "rules", SHIPPED_RESULT_RULES
)


def parse_result_rules(raw: bytes | str, where: str = "") -> ResultApplicationRules:
    """Validate a results-application rule file; raise InputRejected with every problem."""
    return RESULT_RULE_FILES.parse(raw, where)


def shipped_result_rules(name: str) -> ResultApplicationRules:
    """A shipped rule set by id: one of ``SHIPPED_RESULT_RULES``."""
    return RESULT_RULE_FILES.packaged(name)
