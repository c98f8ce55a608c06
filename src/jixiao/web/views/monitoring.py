"""运行监控: a year monitored at a date — lights per project, the forecast with its range,
the adjustment proposals, the budget consequences (Guangzhou's 80 %/50 % rule where the
rule set has one), and the snapshots: taking one (财务科) and comparing two.

Every figure comes from ``jixiao.services.monitoring``; a 业务科室 sees the department's
totals and its own office's projects only.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.core.consistency import Finding
from jixiao.core.forecast import ProjectForecast
from jixiao.core.money import ZERO
from jixiao.core.monitoring import Progress
from jixiao.core.snapshots import SnapshotChange
from jixiao.core.stated_forecast import stated_outside
from jixiao.documents.monitoring_text import (
    consequence_sentence,
    consequence_sentences,
    project_proposal_sentence,
    range_text,
)
from jixiao.errors import UserFacingError
from jixiao.services.monitoring import (
    MonitoringReport,
    compare_snapshots,
    monitor_stored_year,
    snapshots_of,
)
from jixiao.storage import models as m
from jixiao.web.charts import ProjectMark, forecast_chart, rates_chart
from jixiao.web.narrowing import findings_of, findings_without, own_proposal
from jixiao.web.page_parts import render_page, year_part
from jixiao.web.permissions import (
    Scope,
    can_take_snapshot,
    can_view_department_detail,
    visible_projects,
    year_view,
)
from jixiao.web.project_rows import finding_items, list_items, monitoring_rows
from jixiao.web.views.overview import as_of_from


@dataclass(frozen=True)
class MonitoredProject:
    progress: Progress
    name: str
    forecast: ProjectForecast | None
    range_text: str
    lagging: bool

    @property
    def stated_outside(self) -> bool:
        """The unit's stated 全年预计执行数 lies outside the forecast's range."""
        return self.forecast is not None and stated_outside(self.forecast)


def _codes(scope: Scope, fiscal_year: m.FiscalYear) -> set[str] | None:
    if can_view_department_detail(scope, fiscal_year):
        return None
    return set(visible_projects(scope, fiscal_year).values_list("code", flat=True))


def _shown(code: str | None, codes: Collection[str] | None) -> bool:
    return codes is None or (code is not None and code in codes)


def _projects(report: MonitoringReport, codes: Collection[str] | None) -> list[MonitoredProject]:
    forecasts = {f.project_code: f for f in report.forecasts}
    lagging = set(report.plan.lagging)
    rows = []
    for progress in report.result.projects:
        if not _shown(progress.code, codes):
            continue
        forecast = forecasts.get(progress.code)
        rows.append(
            MonitoredProject(
                progress=progress,
                name=report.project_name(progress.code),
                forecast=forecast,
                range_text=range_text(forecast) if forecast else "—",
                lagging=progress.code in lagging,
            )
        )
    return rows


def _compare(
    request: HttpRequest, snapshot_ids: set[int], codes: Collection[str] | None
) -> tuple[list[SnapshotChange] | None, int | None, int | None, str]:
    try:
        first = int(request.GET.get("a", ""))
        second = int(request.GET.get("b", ""))
    except ValueError:
        return None, None, None, ""
    if first not in snapshot_ids or second not in snapshot_ids:
        return None, first, second, _("所选快照不属于本部门年度。")
    try:
        changes = compare_snapshots(first, second)
    except UserFacingError as error:
        return None, first, second, str(error)
    return [c for c in changes if _shown(c.project_code, codes)], first, second, ""


def own_findings(
    fiscal_year: m.FiscalYear, report: MonitoringReport, codes: Collection[str]
) -> tuple[Finding, ...]:
    """The findings about the office's own projects, their lines and indicators, and none
    that names another office's project."""
    lines = m.BudgetLine.objects.filter(fiscal_year=fiscal_year, project__code__in=codes)
    others = m.Project.objects.filter(fiscal_year=fiscal_year).exclude(code__in=codes)
    result = report.result
    own = findings_of(
        result.findings, result.indicators, codes, lines.values_list("code", flat=True)
    )
    return findings_without(own, dict(others.values_list("code", "name")))


def _result_context(
    fiscal_year: m.FiscalYear, as_of: date, codes: Collection[str] | None
) -> dict[str, Any]:
    """What the monitoring part of the page shows (kept while the data is unchanged)."""
    report: MonitoringReport | None
    try:
        report = monitor_stored_year(fiscal_year.department.code, fiscal_year.year, as_of)
    except UserFacingError as error:
        return {"fiscal_year": fiscal_year, "report": None, "note": str(error)}
    rows = _projects(report, codes)
    result = report.result
    marks = [ProjectMark(r.progress, r.name, r.forecast, r.lagging) for r in rows]
    proposals = [
        project_proposal_sentence(report, code) if codes is None else own_proposal(report, code)
        for code in report.plan.lagging
        if _shown(code, codes)
    ]
    findings = result.findings if codes is None else own_findings(fiscal_year, report, codes)
    charts = {
        "rates": rates_chart(marks, result.time_progress),
        "forecast": forecast_chart(marks, report.plan.threshold),
    }
    return {
        "fiscal_year": fiscal_year,
        "report": report,
        "rows": rows,
        "project_rows": monitoring_rows(fiscal_year.department.code, fiscal_year.year, rows),
        "department": result.department,
        "time_progress": result.time_progress,
        "proposals": proposals,
        "proposal_items": list_items(proposals),
        "consequences": consequence_sentences(report)
        if codes is None
        else [
            consequence_sentence(report, c)
            for c in result.consequences
            if _shown(c.project_code, codes)
        ],
        "consequence_rules": result.rules.consequence_rules,
        "indicators": [s for s in report.plan.indicators_at_risk if _shown(s.project_code, codes)],
        "findings": findings,
        "finding_items": finding_items(findings),
        "projected": sum((r.forecast.projected for r in rows if r.forecast), ZERO),
        "projected_budget": sum((r.progress.final_budget for r in rows if r.forecast), ZERO),
        "threshold": report.plan.threshold,
        "rules_name": result.rules.name,
        "charts": {key: value for key, value in charts.items() if value},
    }


@year_view()
def monitoring(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    as_of, as_of_error = as_of_from(request, fiscal_year.year)
    codes = _codes(scope, fiscal_year)
    snapshots = snapshots_of(fiscal_year)
    changes, first, second, compare_error = _compare(request, {s.id for s in snapshots}, codes)
    context: dict[str, Any] = {
        "fiscal_year": fiscal_year,
        "as_of": as_of,
        "as_of_error": as_of_error,
        "result_part": year_part(
            "monitoring_result",
            fiscal_year,
            as_of,
            codes,
            lambda: _result_context(fiscal_year, as_of, codes),
        ),
        "narrowed": codes is not None,
        "snapshots": snapshots,
        "changes": changes,
        "compare_a": first,
        "compare_b": second,
        "compare_error": compare_error,
        "can_snapshot": can_take_snapshot(scope, fiscal_year),
        "names": dict(m.Project.objects.filter(fiscal_year=fiscal_year).values_list("code", "name"))
        if changes
        else {},
    }
    return render_page(request, "web/monitoring.html", context)


@year_view()
@require_POST
def take_snapshot(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    """Freeze the monitoring result at the posted date (财务科 and admins only)."""
    if not can_take_snapshot(scope, fiscal_year):
        raise PermissionDenied(_("只有财务科可以生成监控快照。"))
    url = reverse(
        "web:monitoring",
        kwargs={"department": fiscal_year.department.code, "year": fiscal_year.year},
    )
    try:
        as_of = date.fromisoformat(request.POST.get("as_of", ""))
        report = monitor_stored_year(
            fiscal_year.department.code, fiscal_year.year, as_of, snapshot=True
        )
    except ValueError:
        messages.error(request, _("监控日期无效，应写成 YYYY-MM-DD。"))
        return redirect(url)
    except UserFacingError as error:
        messages.error(request, str(error))
        return redirect(url)
    messages.success(
        request,
        _("已生成截至 %(date)s 的监控快照（编号 %(id)s）。")
        % {"date": as_of.isoformat(), "id": report.snapshot_id},
    )
    return redirect(f"{url}?as_of={as_of.isoformat()}")
