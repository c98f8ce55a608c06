"""待办: what waits for the signed-in user in a department-year, each with a link to the
page where it is done and its date; the same list as a workbook; the count in the
navigation bar.

What waits in which state is ``services.todo.WAITS``; which duty is the user's is
``DUTIES`` below, decided by the permission rules, so a 待办 lists only what its reader
may do: a 业务科室 its own projects, paragraphs and 整改 items; 财务科 the department's
own goal and report sections, what the offices submitted, overdue items of every office;
单位领导 the report text to approve; 财政局 what the department submitted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jixiao.core.deadlines import DeadlineState
from jixiao.documents.list_workbook import Column, Kind, ListSheet
from jixiao.services import todo as service
from jixiao.services.todo import Duty, Subject, Wait, Waiting
from jixiao.services.versioned_cache import code_fingerprint, data_version, kept
from jixiao.storage import models as m
from jixiao.web.exports import title, xlsx_response
from jixiao.web.models import Role
from jixiao.web.navigation import YearPage, register
from jixiao.web.permissions import (
    Action,
    Scope,
    allowed,
    can_manage_rectifications,
    can_review,
    can_view_year,
    year_view,
)
from jixiao.web.views.rectification import overdue_words
from jixiao.web.views.report_text import can_approve

DutyCheck = Callable[[Scope, m.FiscalYear, "int | None"], bool]


def _owns(scope: Scope, fiscal_year: m.FiscalYear, office_id: int | None) -> bool:
    """The owner office (its projects' work); for the department's own, 财务科."""
    if office_id is None:
        return allowed(scope, Action.edit_department_goal, fiscal_year)
    return allowed(scope, Action.edit_project_goal, fiscal_year, office_id)


DUTIES: dict[Duty, DutyCheck] = {
    Duty.owner: _owns,
    Duty.keeper: lambda scope, year, _office: can_manage_rectifications(scope, year),
    Duty.reviewer: lambda scope, year, _office: can_review(scope, year),
    Duty.approver: lambda scope, year, _office: can_approve(scope, year),
    Duty.overseer: lambda scope, year, _office: scope.role is Role.bureau,
}


@dataclass(frozen=True)
class TodoRow:
    item: Waiting
    wait: Wait
    url: str

    @property
    def overdue(self) -> bool:
        return self.item.deadline is not None and self.item.deadline.overdue

    @property
    def due_soon(self) -> bool:
        deadline = self.item.deadline
        return deadline is not None and deadline.state is DeadlineState.due_soon


def _url(fiscal_year: m.FiscalYear, item: Waiting) -> str:
    year = {"department": fiscal_year.department.code, "year": fiscal_year.year}
    subject, target = item.subject, item.target
    if subject in (Subject.declaration, Subject.evaluation):
        stage = "goal" if subject is Subject.declaration else "evaluation"
        if target:
            return reverse(f"web:project_{stage}", kwargs={**year, "project": target})
        return reverse(f"web:department_{stage}", kwargs=year)
    if subject is Subject.report_text:
        return reverse("web:report_text", kwargs=year) + f"#section-{target.replace(':', '')}"
    if subject is Subject.rectification:
        return reverse("web:rectification_item", kwargs={**year, "item": int(target)})
    if subject is Subject.notice:
        return reverse("web:notice", kwargs={**year, "notice": int(target)})
    if subject is Subject.library_proposal:
        return reverse("web:library_proposals") + f"#proposal-{target}"
    return reverse("web:import", kwargs=year)  # the 监控表 is filled in and imported there


def todo_rows(
    scope: Scope, fiscal_year: m.FiscalYear, today: date, dated: bool = True
) -> list[TodoRow]:
    """What waits for ``scope``: overdue first, then by date (undated last)."""
    rows = []
    subjects = {
        wait.subject
        for wait in service.WAITS
        if any(DUTIES[wait.duty](scope, fiscal_year, office) for office in (None, scope.office_id))
    }
    for item in service.waiting_items(fiscal_year, today, dated, subjects):
        wait = next(
            (w for w in item.waits() if DUTIES[w.duty](scope, fiscal_year, item.office_id)), None
        )
        if wait is not None:
            rows.append(TodoRow(item, wait, _url(fiscal_year, item)))
    rows.sort(key=lambda row: (not row.overdue, row.item.when is None, row.item.when or today))
    return rows


def todo_count(scope: Scope, fiscal_year: m.FiscalYear) -> int:
    """How many things wait for ``scope`` today, kept while no stored data changes (the
    navigation bar shows it on every page)."""
    today = timezone.localdate()
    return kept(
        "todo-count",
        lambda: len(todo_rows(scope, fiscal_year, today, dated=False)),
        code_fingerprint(),
        fiscal_year.pk,
        scope.role.value,
        scope.department_id,
        scope.office_id,
        today.isoformat(),
        versions=lambda: (data_version(),),
    )


register(
    YearPage("web:todo", gettext_lazy("待办"), can_view_year, count=todo_count),
    after="web:dashboard",
)

SUBJECT_LABELS = {
    Subject.declaration: gettext_lazy("绩效目标申报"),
    Subject.evaluation: gettext_lazy("绩效自评"),
    Subject.report_text: gettext_lazy("报告文字"),
    Subject.rectification: gettext_lazy("整改"),
    Subject.monitoring: gettext_lazy("运行监控"),
    Subject.notice: gettext_lazy("整改通知"),
    Subject.library_proposal: gettext_lazy("新增指标提议"),
}


@year_view()
def todo(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    today = timezone.localdate()
    rows = todo_rows(scope, fiscal_year, today)
    return render(
        request,
        "web/todo.html",
        {
            "fiscal_year": fiscal_year,
            "rows": [
                {
                    "row": row,
                    "subject": SUBJECT_LABELS[row.item.subject],
                    "overdue_text": overdue_words(row.item.deadline),
                }
                for row in rows
            ],
            "today": today,
        },
    )


def _columns() -> list[Column]:
    return [
        Column(_("序号"), Kind.number, 6),
        Column(_("事项"), Kind.text, 14),
        Column(_("对象"), Kind.text, 40),
        Column(_("待办"), Kind.text, 36),
        Column(_("日期"), Kind.date, 12),
        Column(_("逾期"), Kind.text, 26),
        Column(_("链接"), Kind.text, 50),
    ]


@year_view()
def todo_export(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    rows = todo_rows(scope, fiscal_year, timezone.localdate())
    listed = [
        [
            number,
            str(SUBJECT_LABELS[row.item.subject]),
            row.item.label,
            row.wait.task,
            row.item.when,
            overdue_words(row.item.deadline),
            request.build_absolute_uri(row.url),
        ]
        for number, row in enumerate(rows, start=1)
    ]
    sheet = ListSheet(_("待办"), title(fiscal_year, _("待办")), _columns(), listed)
    return xlsx_response(fiscal_year, _("待办"), "todo", [sheet])
