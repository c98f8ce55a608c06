"""What a 业务科室 may read of department-wide results: its own projects, and nothing that
names another office's project.

The page and the API narrow a monitoring report or an evaluation to the projects the
scope may see (``permissions.visible_projects``). Some results are sentences written for
the whole department — an adjustment proposal says which faster project would receive a
lagging project's money, a quality finding compares two projects' targets — and these
are rewritten or left out here, so that the page and the API agree.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace

from jixiao.core.consistency import Finding
from jixiao.core.forecast import AdjustmentAction, AdjustmentProposal
from jixiao.core.money import ZERO, format_percent, format_wan
from jixiao.core.monitoring import IndicatorStatus
from jixiao.core.monitoring_report import MonitoringReport
from jixiao.storage import models as m
from jixiao.web.permissions import Scope, can_view_department_detail, visible_projects


def hidden_projects(scope: Scope, fiscal_year: m.FiscalYear) -> dict[str, str]:
    """The year's projects the scope may not see, code → name (none for department roles)."""
    if can_view_department_detail(scope, fiscal_year):
        return {}
    visible = visible_projects(scope, fiscal_year).values_list("pk", flat=True)
    projects = m.Project.objects.filter(fiscal_year=fiscal_year).exclude(pk__in=visible)
    return dict(projects.values_list("code", "name"))


def names_any(text: str, projects: Mapping[str, str]) -> bool:
    """Whether the text names one of the projects, by code or by name."""
    return any(
        name in text or re.search(rf"(?<![A-Za-z0-9]){re.escape(code)}(?![A-Za-z0-9])", text)
        for code, name in projects.items()
    )


def findings_without(
    findings: Iterable[Finding], projects: Mapping[str, str]
) -> tuple[Finding, ...]:
    return tuple(f for f in findings if not names_any(f"{f.message} {f.location}", projects))


LOCATION = re.compile(r"^(budget\.lines|budget\.projects|projects|indicators)\[(.+)\]$")


def findings_of(
    findings: Sequence[Finding],
    indicators: Sequence[IndicatorStatus],
    codes: Collection[str],
    line_codes: Collection[str],
) -> tuple[Finding, ...]:
    """Findings about a visible line, project or indicator (the indicator's position
    renumbered in the narrowed list), and the department-wide ones."""
    kept_positions: dict[int, int] = {}
    for position, status in enumerate(indicators):
        if status.project_code in codes:
            kept_positions[position] = len(kept_positions)
    kept = []
    for finding in findings:
        match = LOCATION.match(finding.location)
        if match is None:
            kept.append(finding)
            continue
        kind, key = match.groups()
        visible = line_codes if kind == "budget.lines" else codes
        if kind != "indicators" and key in visible:
            kept.append(finding)
        elif kind == "indicators" and key.isdigit() and int(key) in kept_positions:
            kept.append(replace(finding, location=f"indicators[{kept_positions[int(key)]}]"))
    return tuple(kept)


def own_proposal(report: MonitoringReport, code: str) -> str:
    """A lagging project's proposals as its own office reads them: how much to move or
    cut, never which other project would receive it."""
    forecast = report.forecast(code)
    amount = sum((p.amount for p in report.plan.proposals if p.project_code == code), ZERO)
    advice = (
        f"建议按程序调减或调剂{format_wan(amount)}万元，去向由财务科统筹"
        if amount > ZERO
        else "建议加快执行"
    )
    return (
        f"“{report.project_name(code)}”预计全年执行{format_wan(forecast.projected)}万元，"
        f"为全年预算数的{format_percent(forecast.projected_rate)}，低于"
        f"{format_percent(report.plan.threshold)}，{advice}。"
    )


def proposals_of(
    proposals: Iterable[AdjustmentProposal], codes: Collection[str]
) -> tuple[AdjustmentProposal, ...]:
    """The proposals of the given projects, without the receiving project of a 调剂."""
    return tuple(
        replace(
            proposal,
            to_project=None,
            message=f"项目“{proposal.project_code}”建议按程序"
            + (
                f"调剂{format_wan(proposal.amount)}万元，去向由财务科统筹。"
                if proposal.action is AdjustmentAction.reallocate
                else f"调减{format_wan(proposal.amount)}万元。"
            ),
        )
        for proposal in proposals
        if proposal.project_code in codes
    )
