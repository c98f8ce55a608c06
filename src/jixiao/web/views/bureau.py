"""财政局视图: every department of a year side by side."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from jixiao.storage import models as m
from jixiao.web.models import Role
from jixiao.web.page_parts import rendered_part
from jixiao.web.permissions import Scope, can_view_all_departments, scope_view
from jixiao.web.summaries import default_as_of, summarise_year
from jixiao.web.views.todo import todo_count


def _years() -> list[int]:
    years = m.FiscalYear.objects.order_by("-year").values_list("year", flat=True).distinct()
    return list(years)


@scope_view(can_view_all_departments)
def bureau_latest(request: HttpRequest, scope: Scope) -> HttpResponse:
    years = _years()
    if years:
        return redirect("web:bureau", year=years[0])
    return render(request, "web/bureau.html", {"years": [], "year": None})


def _submissions(scope: Scope, year: int) -> list[tuple[m.FiscalYear, int]]:
    """财政局's 待办 of each department of the year: what the department submitted."""
    if scope.role is not Role.bureau:
        return []
    fiscal_years = m.FiscalYear.objects.filter(year=year).select_related("department")
    return [(fy, todo_count(scope, fy)) for fy in fiscal_years.order_by("department__code")]


@scope_view(can_view_all_departments)
def bureau(request: HttpRequest, scope: Scope, year: int) -> HttpResponse:
    """One row per department: budget, executed, rate against time progress, lights, grade.

    Each department's figures come from the same summary as its 首页, so the two never
    disagree; the number of queries grows with the number of departments, not with
    their lines or payments.
    """
    as_of = default_as_of(year, timezone.localdate())

    def departments() -> dict[str, Any]:
        fiscal_years = m.FiscalYear.objects.filter(year=year).select_related("department")
        rows = [
            (fy, summarise_year(fy.department.code, year, as_of))
            for fy in fiscal_years.order_by("department__code")
        ]
        return {"rows": rows}

    return render(
        request,
        "web/bureau.html",
        {
            "departments_part": rendered_part("bureau_departments", departments, year, as_of),
            "submissions": _submissions(scope, year),
            "years": _years(),
            "year": year,
            "as_of": as_of,
        },
    )
