"""结果应用 stored: the 结果应用清单 of a department-year, 财务科's decision on each
proposal, and the accepted proposals carried into next year's budget.

The proposals are ``jixiao.core.result_application``'s, computed every time from the
year's stored self-evaluation (grade, execution rate) and ledger (execution rate at each
month end), never typed. Only a decision is stored (``ResultDecision``), with the proposal
as it stood when decided, so that next year's budget page shows what was accepted even if
the year's data change later.

Decisions where the sources are silent:

* The rule set is ``results-default`` (财预〔2020〕10号); a year whose monitoring rules are
  Guangzhou's uses ``results-guangzhou`` (``RESULT_RULES_BY_MONITORING``).
* 整改未完成 (the rule set's ``rectification_unfinished``): a project with a 整改通知 of
  the finance bureau on it that is not yet approved (待反馈, 待审核 or 退回重改).
* A decision needs a reason, whether it accepts or rejects; deciding again replaces the
  earlier decision (the audit trail keeps both).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jixiao.core.result_application import (
    Proposal,
    ResultApplicationRules,
    apply_results,
    project_result,
    rates_at_month_end,
)
from jixiao.errors import UserFacingError
from jixiao.interchange.result_application_files import shipped_result_rules
from jixiao.services.evaluating import evaluate_stored_year
from jixiao.services.monitoring import monthly_execution
from jixiao.storage import models as m

DEFAULT_RESULT_RULES = "results-default"
RESULT_RULES_BY_MONITORING = {"monitoring-guangzhou": "results-guangzhou"}
"""The results rule set a year uses, by its monitoring rule set (others: the default)."""


class ResultDecisionError(UserFacingError):
    """A decision that cannot be stored; nothing was saved."""


def rules_of(fiscal_year: m.FiscalYear) -> ResultApplicationRules:
    name = RESULT_RULES_BY_MONITORING.get(fiscal_year.monitoring_rules, DEFAULT_RESULT_RULES)
    return shipped_result_rules(name)


def proposals_of_year(fiscal_year: m.FiscalYear) -> tuple[Proposal, ...]:
    """The year's 结果应用清单, from its stored evaluation and ledger."""
    evaluation = evaluate_stored_year(fiscal_year.department.code, fiscal_year.year)
    lines = monthly_execution(fiscal_year, date(fiscal_year.year, 12, 31))
    recurrent = set(
        m.Project.objects.filter(fiscal_year=fiscal_year, recurrent=True).values_list(
            "code", flat=True
        )
    )
    unfinished = set(
        m.RectificationNotice.objects.filter(fiscal_year=fiscal_year, project__isnull=False)
        .exclude(status=m.NoticeStatus.approved)
        .values_list("project__code", flat=True)
    )
    results = [
        project_result(
            project,
            fiscal_year.year,
            recurrent=project.project_code in recurrent,
            rates=rates_at_month_end(
                [line for line in lines if line.project_code == project.project_code], 12
            ),
            rectification_unfinished=project.project_code in unfinished,
            department=fiscal_year.department.name,
        )
        for project in evaluation.projects
    ]
    return apply_results(results, rules_of(fiscal_year))


@dataclass(frozen=True)
class Row:
    """A proposal of the 清单 with 财务科's decision on it, if any."""

    proposal: Proposal
    decision: m.ResultDecision | None


def rows_of_year(fiscal_year: m.FiscalYear) -> list[Row]:
    decisions = {d.project_code: d for d in fiscal_year.result_decisions.all()}
    return [Row(p, decisions.get(p.result.project_code)) for p in proposals_of_year(fiscal_year)]


def decide(
    fiscal_year: m.FiscalYear,
    project_code: str,
    *,
    accepted: bool,
    reason: str,
    user_name: str,
) -> m.ResultDecision:
    """Accept or reject the year's proposal for a project, with a reason."""
    reason = reason.strip()
    if not reason:
        raise ResultDecisionError("采纳或驳回结果应用建议须填写理由。")
    proposal = next(
        (p for p in proposals_of_year(fiscal_year) if p.result.project_code == project_code),
        None,
    )
    if proposal is None:
        raise ResultDecisionError(f"项目 {project_code} 没有结果应用建议。")
    values = {
        "project_name": proposal.result.name,
        "action": proposal.action.value,
        "this_year_budget": proposal.result.final_budget,
        "proposed_budget": proposal.proposed_budget,
        "grounds": proposal.text,
        "accepted": accepted,
        "reason": reason,
        "user_name": user_name,
        "decided_at": timezone.now(),
    }
    with transaction.atomic():
        decision, _ = m.ResultDecision.objects.update_or_create(
            fiscal_year=fiscal_year, project_code=project_code, defaults=values
        )
    return decision


@dataclass(frozen=True)
class CarriedProposal:
    """An accepted proposal of last year as a proposal on this year's budget."""

    project_code: str
    project_name: str
    action: str
    last_year_budget: Decimal
    proposed_budget: Decimal | None
    reason: str


def carried_into(fiscal_year: m.FiscalYear) -> list[CarriedProposal]:
    """Last year's accepted proposals, as proposals for this year's budget lines."""
    decisions = m.ResultDecision.objects.filter(
        fiscal_year__department_id=fiscal_year.department_id,
        fiscal_year__year=fiscal_year.year - 1,
        accepted=True,
    )
    return [
        CarriedProposal(
            d.project_code,
            d.project_name,
            d.action,
            d.this_year_budget,
            d.proposed_budget,
            f"{d.grounds}（财务科采纳：{d.reason}）",
        )
        for d in decisions
    ]


def bureau_rows(year: int, fiscal_years: Sequence[m.FiscalYear]) -> list[tuple[m.FiscalYear, Row]]:
    """Every department's 清单 of a year, department by department (read-only)."""
    return [(fy, row) for fy in fiscal_years if fy.year == year for row in rows_of_year(fy)]
