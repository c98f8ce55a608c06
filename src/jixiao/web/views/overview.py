"""首页: where a department-year stands at a date."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.storage import models as m
from jixiao.storage.models import RectificationStatus
from jixiao.web.charts import dashboard_charts
from jixiao.web.page_parts import render_page, year_part
from jixiao.web.permissions import (
    Scope,
    can_view_department_detail,
    visible_projects,
    visible_rectifications,
    year_view,
)
from jixiao.web.project_rows import dashboard_rows, finding_items
from jixiao.web.summaries import default_as_of, summarise_year
from jixiao.web.views.rectification import overdue_words, standing


def as_of_from(request: HttpRequest, year: int) -> tuple[date, str]:
    """``?as_of=YYYY-MM-DD`` when given and inside the year; else the default date.

    Returns the date and, when the given one was refused, why (shown on the page).
    """
    fallback = default_as_of(year, timezone.localdate())
    text = request.GET.get("as_of", "").strip()
    if not text:
        return fallback, ""
    try:
        chosen = date.fromisoformat(text)
    except ValueError:
        return fallback, _("“%(text)s”不是有效日期，应写成 YYYY-MM-DD。") % {"text": text}
    if chosen.year != year:
        return fallback, _("日期 %(date)s 不在 %(year)s 年度内。") % {"date": text, "year": year}
    return chosen, ""


def overdue_items(scope: Scope, fiscal_year: m.FiscalYear, today: date) -> list[m.Rectification]:
    """The 整改 items the scope sees whose deadline has passed and that are not 已完成."""
    items = list(
        visible_rectifications(scope, fiscal_year)
        .filter(deadline__lt=today)
        .exclude(status=RectificationStatus.done)
        .select_related("owner_office")
        .order_by("deadline", "position", "id")
    )
    for item in items:
        item.overdue_words = overdue_words(standing(item, today))  # type: ignore[attr-defined]
    return items


FINDING_ITEM = "\n        {}\n      "
"""The whitespace around each finding, as the template's loop wrote it."""


@year_view()
def dashboard(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    as_of, as_of_error = as_of_from(request, fiscal_year.year)
    codes = (
        None
        if can_view_department_detail(scope, fiscal_year)
        else set(visible_projects(scope, fiscal_year).values_list("code", flat=True))
    )

    def year_context() -> dict[str, Any]:
        summary = summarise_year(fiscal_year.department.code, fiscal_year.year, as_of, codes)
        return {
            "summary": summary,
            "charts": dashboard_charts(summary),
            "project_rows": dashboard_rows(
                summary.department_code, summary.fiscal_year, summary.projects
            ),
            "finding_items": finding_items(summary.findings, FINDING_ITEM),
        }

    return render_page(
        request,
        "web/dashboard.html",
        {
            "fiscal_year": fiscal_year,
            "as_of": as_of,
            "year_ended": as_of == date(fiscal_year.year, 12, 31),
            "year_part": year_part("dashboard_year", fiscal_year, as_of, codes, year_context),
            "as_of_error": as_of_error,
            "narrowed": codes is not None,
            "overdue": overdue_items(scope, fiscal_year, timezone.localdate()),
        },
    )
