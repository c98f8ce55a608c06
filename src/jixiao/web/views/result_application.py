"""结果应用清单 pages: a department-year's proposals for next year's budget, computed from
the year's stored results, with 财务科's decision on each (accept or reject, with a
reason); the bureau's read-only list of every department of a year; the list as a
workbook.

Who may decide is ``permissions.RULES`` (``decide_results``); the proposals, the decisions
and what is carried into next year are ``jixiao.services.result_application``'s.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.core.result_application import summarize
from jixiao.documents.list_workbook import Column, Kind, ListSheet
from jixiao.services import rectification_notices as notices
from jixiao.services import result_application as service
from jixiao.storage import models as m
from jixiao.web.exports import title, xlsx_response
from jixiao.web.permissions import (
    Scope,
    can_decide_results,
    can_manage_notices,
    can_view_all_departments,
    can_view_department_detail,
    scope_view,
    visible_years,
    year_view,
)
from jixiao.web.views.rectification_notices import issue_link
from jixiao.web.workflow import user_name


def _decision_label(row: service.Row) -> str:
    if row.decision is None:
        return _("待决定")
    return _("已采纳") if row.decision.accepted else _("已驳回")


@year_view(can_view_department_detail)
def results_list(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    rows = service.rows_of_year(fiscal_year)
    context = {
        "fiscal_year": fiscal_year,
        "rules": service.rules_of(fiscal_year),
        "rows": [{"row": row, "label": _decision_label(row)} for row in rows],
        "totals": summarize(row.proposal for row in rows),
        "can_decide": can_decide_results(scope, fiscal_year),
        "carried": service.carried_into(fiscal_year),
    }
    return render(request, "web/result_application.html", context)


@require_POST
@year_view(can_decide_results)
def results_decide(
    request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear, project: str
) -> HttpResponse:
    decision = request.POST.get("decision", "")
    if decision not in ("accept", "reject"):
        messages.error(request, _("请选择采纳或驳回。"))
    else:
        try:
            service.decide(
                fiscal_year,
                project,
                accepted=decision == "accept",
                reason=request.POST.get("reason", ""),
                user_name=user_name(request.user),
            )
        except service.ResultDecisionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已保存结果应用决定。"))
    return redirect(
        reverse(
            "web:result_application",
            kwargs={"department": fiscal_year.department.code, "year": fiscal_year.year},
        )
    )


COLUMNS = (
    Column("部门", width=20),
    Column("项目代码"),
    Column("项目名称", width=28),
    Column("评价等级", width=10),
    Column("全年执行率", Kind.percent, width=12),
    Column("建议", width=12),
    Column("本年全年预算数（万元）", Kind.wan),
    Column("建议下年预算数（万元）", Kind.wan),
    Column("依据", width=60),
    Column("财务科决定", width=10),
    Column("理由", width=30),
)


def _sheet_rows(listed: Sequence[tuple[m.FiscalYear, service.Row]]) -> list[list[object]]:
    return [
        [
            fiscal_year.department.name,
            row.proposal.result.project_code,
            row.proposal.result.name,
            row.proposal.result.grade or "",
            row.proposal.result.execution_rate,
            row.proposal.action.value,
            row.proposal.result.final_budget,
            row.proposal.proposed_budget,
            row.proposal.text,
            _decision_label(row),
            row.decision.reason if row.decision else "",
        ]
        for fiscal_year, row in listed
    ]


@year_view(can_view_department_detail)
def results_export(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    rows = [(fiscal_year, row) for row in service.rows_of_year(fiscal_year)]
    sheet = ListSheet(
        "结果应用清单",
        title(fiscal_year, "结果应用清单"),
        COLUMNS,
        _sheet_rows(rows),
        note="" if rows else "本年度各项目的评价结果均未触发结果应用规则，没有结果应用建议。",
    )
    return xlsx_response(fiscal_year, "结果应用清单", "result-application", [sheet])


@scope_view(can_view_all_departments)
def bureau_results(request: HttpRequest, scope: Scope, year: int) -> HttpResponse:
    years = list(visible_years(scope).filter(year=year).select_related("department"))
    listed = service.bureau_rows(year, years)
    issuer = can_manage_notices(scope)
    context = {
        "year": year,
        "rows": [
            {
                "fiscal_year": fy,
                "row": row,
                "label": _decision_label(row),
                "notice_url": issue_link(fy, notices.result_source(row.proposal)) if issuer else "",
            }
            for fy, row in listed
        ],
        "issuer": issuer,
        "totals": summarize(row.proposal for _, row in listed),
    }
    return render(request, "web/result_application_bureau.html", context)
