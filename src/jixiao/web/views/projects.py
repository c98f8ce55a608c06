"""A project of a department-year, read-only: its funds, budget lines and goal.

The 项目与绩效目标 pages (editing goals and indicators, the review workflow) build on
this page: see ``src/jixiao/web/README.md``.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.core.budget import execution_rate, project_funds
from jixiao.services.reading import department_year
from jixiao.storage import models as m
from jixiao.web.permissions import (
    Scope,
    can_edit_budget,
    can_edit_project,
    can_view_project,
    load_project,
    object_view,
)
from jixiao.web.views.rectification_notices import project_notices


@object_view(load_project, can_view_project)
def project_detail(request: HttpRequest, scope: Scope, project: m.Project) -> HttpResponse:
    fiscal_year = project.fiscal_year
    records = department_year(fiscal_year.department.code, fiscal_year.year)
    funds = project_funds(records, project.code)
    goal = (
        m.PerformanceGoal.objects.filter(project=project)
        .prefetch_related(Prefetch("indicators", queryset=m.Indicator.objects.order_by("position")))
        .first()
    )
    lines = list(project.budget_lines.order_by("code"))
    return render(
        request,
        "web/project.html",
        {
            "fiscal_year": fiscal_year,
            "project": project,
            "funds": funds,
            "funds_rate": execution_rate(funds.total.executed, funds.total.final_budget),
            "lines": lines,
            "goal": goal,
            "indicators": list(goal.indicators.all()) if goal else [],
            "can_edit": can_edit_project(scope, project),
            "notices": project_notices(scope, project),
            "offices": (
                list(m.Office.objects.filter(department_id=fiscal_year.department_id))
                if can_edit_budget(scope, fiscal_year)
                else None
            ),
        },
    )
