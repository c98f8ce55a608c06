"""财政局视图: every department of a year side by side, where each stands in each stage,
the 待审核 queue (also 财务科's, for its own offices), the 绩效目标审核 conclusions and the
departments ranked. The bureau reads every department's pages (drill-down) but edits
none: ``jixiao.web.permissions`` gives it no editing action."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jixiao.core.monitoring import Light
from jixiao.services import bureau as service
from jixiao.services.versioned_cache import (
    cached_from_year_data,
    city_year_stamps,
    missing_from_year_data,
)
from jixiao.storage import models as m
from jixiao.storage.models import ReviewGrade, WorkflowStage, WorkflowStatus
from jixiao.web.navigation import YearPage, register
from jixiao.web.page_parts import (
    city_year_part,
    department_year_part,
    missing_department_year_parts,
)
from jixiao.web.permissions import (
    GoalSubject,
    Scope,
    can_return_subject,
    can_review,
    can_view_all_departments,
    load_project_subject,
    object_view,
    scope_view,
    view_subject_refusal,
    visible_years,
    year_view,
)
from jixiao.web.summaries import YearSummary, default_as_of, summarise_year, summarise_years
from jixiao.web.workflow import user_name


def _years(scope: Scope) -> list[int]:
    """The years with data, of the 财政局's city."""
    found = visible_years(scope).order_by("-year").values_list("year", flat=True)
    return list(found.distinct())


@scope_view(can_view_all_departments)
def bureau_latest(request: HttpRequest, scope: Scope) -> HttpResponse:
    years = _years(scope)
    if years:
        return redirect("web:bureau", year=years[0])
    return render(request, "web/bureau.html", {"years": [], "year": None})


@dataclass(frozen=True)
class DepartmentFigures:
    """What the workspace row and the ranking show of a department-year, taken from the
    same summary as its 首页 (so they never disagree), kept per department-year: the two
    pages share one computation."""

    final_budget: Decimal | None
    executed: Decimal | None
    execution_rate: Decimal | None
    time_progress: Decimal
    monitored: bool
    """The department's progress was monitored (its light may still be none)."""
    light: Light | None
    light_counts: dict[str, int]
    score: Decimal | None
    grade: str | None
    findings: int


def _figures(summary: YearSummary) -> DepartmentFigures:
    progress = summary.department_progress
    return DepartmentFigures(
        final_budget=summary.figures.final_budget,
        executed=summary.figures.executed,
        execution_rate=summary.figures.execution_rate,
        time_progress=summary.time_progress,
        monitored=progress is not None,
        light=progress.light if progress else None,
        light_counts=summary.light_counts,
        score=summary.grade.total if summary.grade else None,
        grade=summary.grade.grade if summary.grade else None,
        findings=len(summary.findings),
    )


FIGURES = "bureau:figures"


def department_figures(
    fiscal_year: m.FiscalYear,
    as_of: date,
    stamps: dict[int, str] | None,
    computed: DepartmentFigures | None = None,
) -> DepartmentFigures:
    """The department-year's figures at ``as_of``, kept on its own versions (``stamps``):
    a change to one department recomputes its figures only. ``computed``: the figures
    just computed with other departments' (``computed_figures``), kept as they are."""

    def compute() -> DepartmentFigures:
        if computed is not None:
            return computed
        code = fiscal_year.department.code
        return _figures(summarise_year(code, fiscal_year.year, as_of))

    return cached_from_year_data(FIGURES, fiscal_year.pk, compute, as_of.isoformat(), stamps=stamps)


def computed_figures(
    fiscal_year_ids: Collection[int], as_of: date, stamps: dict[int, str] | None
) -> dict[int, DepartmentFigures]:
    """The figures of those department-years that are not kept, computed together: the
    cold path of the bureau pages, a fixed number of queries however many departments
    (``summaries.summarise_years``), the same figures ``department_figures`` computes
    for one. The caller keeps each by passing it to ``department_figures``."""
    missing = missing_from_year_data(FIGURES, fiscal_year_ids, as_of.isoformat(), stamps=stamps)
    if not missing:
        return {}
    return {pk: _figures(summary) for pk, summary in summarise_years(missing, as_of).items()}


def department_row(
    fiscal_year: m.FiscalYear,
    as_of: date,
    stamps: dict[int, str] | None,
    computed: DepartmentFigures | None = None,
) -> SafeString:
    """A department's row of figures, kept per department-year on its own versions."""

    def row() -> dict[str, Any]:
        figures = department_figures(fiscal_year, as_of, stamps, computed)
        return {"fy": fiscal_year, "figures": figures}

    return department_year_part(ROW, fiscal_year.pk, row, stamps, as_of)


ROW = "bureau_department_row"


def department_rows(
    fiscal_years: list[m.FiscalYear], as_of: date, stamps: dict[int, str] | None
) -> list[SafeString]:
    """The departments' rows: the kept ones read, the missing ones computed together."""
    missing = missing_department_year_parts(ROW, (fy.pk for fy in fiscal_years), stamps, as_of)
    computed = computed_figures(missing, as_of, stamps)
    return [department_row(fy, as_of, stamps, computed.get(fy.pk)) for fy in fiscal_years]


def _department_rows(year: int, as_of: date, city_id: int | None) -> list[SafeString]:
    """Each department's row, kept per department-year: after a change to one department
    only its row is computed again (and the worker computes it ahead: ``web.warming``)."""
    stamps = city_year_stamps(year)
    fiscal_years = service.city_years(year, city_id).select_related("department")
    return department_rows(list(fiscal_years.order_by("department__code")), as_of, stamps)


@scope_view(can_view_all_departments)
def bureau(request: HttpRequest, scope: Scope, year: int) -> HttpResponse:
    """The workspace: the stages of every department, the queue's counts, and one row per
    department with budget, executed, rate against time progress, lights and grade."""
    today = timezone.localdate()
    as_of = default_as_of(year, today)
    city = scope.city_id

    def departments() -> dict[str, Any]:
        return {"rows": _department_rows(year, as_of, city)}

    def stages() -> dict[str, Any]:
        rows = service.stage_status(year, as_of, today, city)
        return {"rows": rows, "year": year, "as_of": as_of}

    def queue() -> dict[str, Any]:
        return {"queue": service.review_queue(year, city_id=city), "year": year}

    return render(
        request,
        "web/bureau.html",
        {
            "stages_part": city_year_part(
                "bureau_stages", year, stages, as_of, today, city, ledger=False
            ),
            "departments_part": city_year_part(
                "bureau_departments", year, departments, as_of, city
            ),
            "queue_part": city_year_part("bureau_queue_summary", year, queue, city, ledger=False),
            "years": _years(scope),
            "year": year,
            "as_of": as_of,
        },
    )


# The 待审核 queue: the bureau's across departments, 财务科's for its own offices


def _queue_page(
    request: HttpRequest, year: int, department_id: int | None, city_id: int | None = None
) -> HttpResponse:
    def table() -> dict[str, Any]:
        return {
            "queue": service.review_queue(year, department_id, city_id),
            "year": year,
            "stage_labels": dict(WorkflowStage.choices),
            "grade_labels": dict(ReviewGrade.choices),
        }

    part = city_year_part(
        "review_queue_table", year, table, department_id or "all", city_id, ledger=False
    )
    return render(
        request,
        "web/review_queue.html",
        {"queue_part": part, "year": year, "all_departments": department_id is None},
    )


@scope_view(can_view_all_departments)
def bureau_queue(request: HttpRequest, scope: Scope, year: int) -> HttpResponse:
    return _queue_page(request, year, None, scope.city_id)


@year_view(can_review)
def department_queue(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    return _queue_page(request, fiscal_year.year, fiscal_year.department_id)


register(YearPage("web:department_queue", gettext_lazy("待审核"), can_review), after="web:todo")


# Ranking


RANKING_LABELS = {
    "score": gettext_lazy("评价得分"),
    "rate": gettext_lazy("执行率"),
    "quality": gettext_lazy("目标质量"),
}


def _ranking_value(key: str) -> Callable[[dict[str, Any]], Decimal | None]:
    return lambda row: row[key]


def _ranking_figures(
    fiscal_year: m.FiscalYear,
    as_of: date,
    stamps: dict[int, str] | None,
    computed: DepartmentFigures | None,
) -> dict[str, Any]:
    """A department's score, grade and execution rate: from the kept figures the workspace
    row shows too; every sort order reads the same."""
    figures = department_figures(fiscal_year, as_of, stamps, computed)
    return {"score": figures.score, "grade": figures.grade, "rate": figures.execution_rate}


@scope_view(can_view_all_departments)
def ranking(request: HttpRequest, scope: Scope, year: int) -> HttpResponse:
    """Departments ranked by self-evaluation score, execution rate or goal quality (优良率
    of the 绩效目标审核 conclusions); the column heads re-sort."""
    as_of = default_as_of(year, timezone.localdate())
    key = service.ranking_key(request.GET.get("sort"))

    def table() -> dict[str, Any]:
        quality = service.goal_quality(year)
        stamps = city_year_stamps(year)
        rows = []
        of_city = service.city_years(year, scope.city_id).select_related("department")
        fiscal_years = list(of_city.order_by("department__code"))
        computed = computed_figures([fy.pk for fy in fiscal_years], as_of, stamps)
        for fy in fiscal_years:
            goals = quality.get(fy.pk, service.GoalQuality({}, 0))
            figures = _ranking_figures(fy, as_of, stamps, computed.get(fy.pk))
            rows.append({**figures, "fiscal_year": fy, "goals": goals,
                         "quality": goals.good_share})  # fmt: skip
        return {"rows": service.ranked(rows, _ranking_value(key)), "key": key, "year": year}

    return render(
        request,
        "web/ranking.html",
        {
            "ranking_part": city_year_part("ranking_table", year, table, as_of, key, scope.city_id),
            "keys": [(k, str(RANKING_LABELS[k])) for k in service.RANKING_KEYS],
            "key": key,
            "years": _years(scope),
            "year": year,
            "as_of": as_of,
        },
    )


# 绩效目标审核 conclusions on a project's goal


def can_review_goal(scope: Scope, subject: GoalSubject) -> bool:
    """Giving a conclusion: who may return the goal (the bureau, 财务科, an admin)."""
    return can_return_subject(scope, subject)


def review_panel(scope: Scope, subject: GoalSubject) -> dict[str, Any]:
    """The goal page's 绩效目标审核 card: the conclusions so far and, for a reviewer of a
    submitted or approved declaration, the form."""
    goal = subject.goal
    open_for_review = goal is not None and goal.declaration_status in (
        WorkflowStatus.submitted,
        WorkflowStatus.approved,
    )
    form = subject.project is not None and open_for_review and can_review_goal(scope, subject)
    return {
        "goal_reviews": service.reviews_of(goal),
        "review_form": form,
        "review_grades": ReviewGrade.choices,
    }


@require_POST
@object_view(load_project_subject, can_review_goal, view_subject_refusal)
def goal_review(request: HttpRequest, scope: Scope, subject: GoalSubject) -> HttpResponse:
    assert subject.project is not None
    url = reverse(
        "web:project_goal",
        kwargs={
            "department": subject.fiscal_year.department.code,
            "year": subject.fiscal_year.year,
            "project": subject.project.code,
        },
    )
    if subject.goal is None:
        raise PermissionDenied(_("该项目还没有绩效目标。"))
    try:
        service.record_review(
            subject.goal,
            request.POST.get("grade", ""),
            request.POST.get("comment", ""),
            request.user,
            user_name(request.user),
        )
    except service.ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("绩效目标审核结论已记录。"))
    return redirect(f"{url}#goal-review")
