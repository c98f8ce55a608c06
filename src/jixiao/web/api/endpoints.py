"""The endpoints: every object is resolved within its department-year, and checked with
the same functions as the pages (``jixiao.web.permissions``).

* No scope (an account without a role): 403. Not signed in / no valid token: 401.
* The year is looked up for the caller's scope first (``load_year``): a user of another
  department gets 404 for everything of this one, whether the object exists or not.
* Inside a year a colleague whose role or office does not cover the object gets 403;
  lists are narrowed (``visible_lines`` / ``visible_projects``) as on the pages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError
from ninja.params import functions as param
from pydantic import BeforeValidator

from jixiao.core import year as core
from jixiao.core.bounds import LONG_NAME_LENGTH, SCORE, TEXT_LENGTH, text_problem
from jixiao.core.budget import budget_figures, execution_rate, line_executed
from jixiao.core.consistency import Finding, run_checks
from jixiao.core.goals import IndicatorKind, QualitativeState
from jixiao.core.money import CENT, ZERO
from jixiao.core.monitoring_report import MonitoringReport
from jixiao.core.targets import TargetError, parse_actual
from jixiao.core.vocabulary import BasicKind, FundingSource, Nature
from jixiao.documents.json_output import to_jsonable
from jixiao.services.evaluating import evaluate_stored_year
from jixiao.services.monitoring import check_as_of, monitor_stored_year
from jixiao.services.reading import department_year
from jixiao.storage import models as m
from jixiao.storage.models import WorkflowStage
from jixiao.web import permissions as p
from jixiao.web.api import schemas as s
from jixiao.web.goal_checks import year_findings
from jixiao.web.goal_editing import StandardChoices, cost_link_problems, standard_choices
from jixiao.web.narrowing import findings_of, findings_without, hidden_projects, proposals_of
from jixiao.web.summaries import _source_rows, default_as_of
from jixiao.web.workflow import lock_reason

router = Router()

T = TypeVar("T")

READ = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}
"""The error answers every operation of a department-year documents."""

DEPARTMENT = param.Path(..., min_length=1, max_length=64, pattern=s.NO_NUL, description="部门代码")
YEAR = param.Path(..., ge=1900, le=9999, description="预算年度")
MAX_ID = 2**63 - 1
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
MAX_PAGE = 1_000_000
PAGE = param.Query(1, ge=1, le=MAX_PAGE, description="页码（从 1 起）")
PAGE_SIZE_QUERY = param.Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="每页条数")
LINE_FILTER = param.Query(
    None, min_length=1, max_length=64, pattern=s.NO_NUL, description="预算行代码"
)
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _iso_only(value: object) -> object:
    """Dates are written YYYY-MM-DD, and only so (pydantic would also take a timestamp)."""
    if isinstance(value, str) and not ISO_DATE.match(value):
        raise ValueError(_("应写成 YYYY-MM-DD"))
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_only)]
DATE_FROM = param.Query(None, description="起始日期（含），YYYY-MM-DD")
DATE_TO = param.Query(None, description="截止日期（含），YYYY-MM-DD")
AS_OF = param.Query(
    None, description="监控日期 YYYY-MM-DD，须在该年度内；默认与页面相同（当年为今天）"
)


# Scope and lookups


def _scope(request: HttpRequest) -> p.Scope:
    scope = p.scope_of(request.auth)  # type: ignore[attr-defined]
    if scope is None:
        raise PermissionDenied(_("您的账号尚未分配角色，请联系系统管理员。"))
    return scope


def _year(request: HttpRequest, department: str, year: int) -> tuple[p.Scope, m.FiscalYear]:
    scope = _scope(request)
    return scope, p.load_year(scope, department, year)


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("这不是您科室的项目，您的角色不能查看。"))


def _project_codes(scope: p.Scope, fiscal_year: m.FiscalYear) -> set[str] | None:
    """None: every project; else the codes of the projects the scope may see."""
    if p.can_view_department_detail(scope, fiscal_year):
        return None
    return set(p.visible_projects(scope, fiscal_year).values_list("code", flat=True))


def _page(items: Sequence[T], page: int, page_size: int) -> list[T]:
    start = (page - 1) * page_size
    return list(items[start : start + page_size])


def _links(department: str, year: int) -> s.Links:
    def url(name: str) -> str:
        return reverse(f"api:{name}", kwargs={"department": department, "year": year})

    return s.Links(
        figures=url("year_figures"),
        lines=url("lines"),
        ledger=url("ledger"),
        goals=url("goals"),
        evaluation=url("evaluation"),
        monitoring=url("monitoring"),
    )


# Department-years and their figures


@router.get("/years", response={200: list[s.YearItem], 401: s.Error, 403: s.Error},
            url_name="years", summary="调用者可见的部门年度")  # fmt: skip
def years(request: HttpRequest) -> list[s.YearItem]:
    scope = _scope(request)
    return [
        s.YearItem(
            department=fy.department.code,
            department_name=fy.department.name,
            year=fy.year,
            links=_links(fy.department.code, fy.year),
        )
        for fy in p.visible_years(scope)
    ]


def _finding(finding: Finding) -> s.FindingOut:
    return s.FindingOut(
        id=finding.id,
        severity=finding.severity.value,
        severity_label=finding.severity.label,
        message=finding.message,
        location=finding.location,
        figures={name: s.decimal_text(value) for name, value in finding.figures.items()},
    )


@router.get("/years/{department}/{year}", response={200: s.YearFigures, **READ},
            url_name="year_figures", summary="部门年度的主要数字和一致性检查")  # fmt: skip
def year_figures(
    request: HttpRequest, department: str = DEPARTMENT, year: int = YEAR
) -> s.YearFigures:
    _, fiscal_year = _year(request, department, year)
    records = department_year(fiscal_year.department.code, fiscal_year.year)
    figures = budget_figures(records)
    return s.YearFigures(
        department=records.department_code,
        department_name=records.department_name,
        year=records.fiscal_year,
        final_budget=s.amount(figures.final_budget),
        initial_budget=s.optional_amount(figures.initial_budget),
        executed=s.amount(figures.executed),
        execution_rate=s.rate(figures.execution_rate),
        carryover=s.optional_amount(figures.carryover),
        from_lines=figures.from_lines,
        by_source=[
            s.SourceRow(
                source=row.source.value,
                label=row.source.label,
                final_budget=s.optional_amount(row.final_budget),
                executed=s.amount(row.executed),
                execution_rate=s.rate(row.execution_rate),
            )
            for row in _source_rows(records, figures)
        ],
        by_nature=[
            s.NatureRow(nature=nature.value, label=nature.label, executed=s.amount(value))
            for nature, value in figures.executed_by_nature.items()
        ],
        findings=[_finding(f) for f in run_checks(records)],
    )


# Budget lines and the ledger


def _line_out(line: core.BudgetLine, project_names: dict[str, str]) -> dict[str, Any]:
    executed = line_executed(line)
    return {
        "code": line.code,
        "name": line.name,
        "funding_source": line.funding_source.value,
        "funding_source_label": FundingSource(line.funding_source).label,
        "nature": line.nature.value,
        "nature_label": Nature(line.nature).label,
        "basic_kind": BasicKind(line.basic_kind).value if line.basic_kind else None,
        "project": line.project_code,
        "project_name": project_names.get(line.project_code or "", ""),
        "functional_class": line.functional_class,
        "economic_class": line.economic_class,
        "initial_budget": s.amount(line.initial_budget),
        "adjusted": s.amount(sum((a.amount for a in line.adjustments), ZERO)),
        "final_budget": s.amount(line.final_budget),
        "executed": s.amount(executed),
        "execution_rate": s.rate(execution_rate(executed, line.final_budget)),
        "carryover": s.optional_amount(line.carryover),
    }


@router.get("/years/{department}/{year}/lines", response={200: s.LinePage, **READ},
            url_name="lines", summary="预算行（分页）")  # fmt: skip
def lines(
    request: HttpRequest,
    department: str = DEPARTMENT,
    year: int = YEAR,
    page: int = PAGE,
    page_size: int = PAGE_SIZE_QUERY,
) -> s.LinePage:
    scope, fiscal_year = _year(request, department, year)
    whole = p.can_view_department_detail(scope, fiscal_year)
    visible = (
        None if whole else set(p.visible_lines(scope, fiscal_year).values_list("code", flat=True))
    )
    records = department_year(fiscal_year.department.code, fiscal_year.year)
    names = {project.code: project.name for project in records.projects}
    shown = [line for line in records.lines if visible is None or line.code in visible]
    return s.LinePage(
        count=len(shown),
        page=page,
        page_size=page_size,
        narrowed=not whole,
        items=[s.LineOut(**_line_out(line, names)) for line in _page(shown, page, page_size)],
    )


def _load_line(fiscal_year: m.FiscalYear, scope: p.Scope, code: str) -> m.BudgetLine:
    line = p.load_line(fiscal_year, code)
    _check(p.can_view_line(scope, line))
    return line


@router.get("/years/{department}/{year}/lines/{line}", response={200: s.LineDetail, **READ},
            url_name="line", summary="一条预算行及其调整")  # fmt: skip
def line_detail(
    request: HttpRequest,
    department: str = DEPARTMENT,
    year: int = YEAR,
    line: str = param.Path(..., min_length=1, max_length=64, pattern=s.NO_NUL),
) -> s.LineDetail:
    scope, fiscal_year = _year(request, department, year)
    stored = _load_line(fiscal_year, scope, line)
    records = department_year(fiscal_year.department.code, fiscal_year.year)
    record = next(r for r in records.lines if r.code == stored.code)
    names = {project.code: project.name for project in records.projects}
    return s.LineDetail(
        **_line_out(record, names),
        adjustments=[
            s.AdjustmentOut(
                date=a.date,
                amount=s.amount(a.amount),
                document_number=a.document_number,
                reason=a.reason,
            )
            for a in record.adjustments
        ],
        ledger_count=stored.payments.count(),
    )


def _cents(total: Decimal | None) -> Decimal:
    """A database sum of whole-cent amounts, exact (SQLite sums in floating point)."""
    return ZERO if total is None else total.quantize(CENT)


@router.get("/years/{department}/{year}/ledger",
            response={200: s.LedgerPage, 400: s.Error, **READ},
            url_name="ledger", summary="支出明细（分页；可按预算行、日期筛选）")  # fmt: skip
def ledger(
    request: HttpRequest,
    department: str = DEPARTMENT,
    year: int = YEAR,
    line: str | None = LINE_FILTER,
    date_from: IsoDate | None = DATE_FROM,
    date_to: IsoDate | None = DATE_TO,
    page: int = PAGE,
    page_size: int = PAGE_SIZE_QUERY,
) -> s.LedgerPage:
    scope, fiscal_year = _year(request, department, year)
    if date_from and date_to and date_from > date_to:
        raise HttpError(400, _("截止日期不能早于起始日期。"))
    condition = Q()
    if line is not None:
        condition &= Q(budget_line=_load_line(fiscal_year, scope, line))
    if date_from is not None:
        condition &= Q(date__gte=date_from)
    if date_to is not None:
        condition &= Q(date__lte=date_to)
    payments = (
        m.Payment.objects.filter(budget_line__in=p.visible_lines(scope, fiscal_year))
        .filter(condition)
        .select_related("budget_line")
        .order_by("date", "id")
    )
    summary = payments.aggregate(total=Sum("amount"), count=Count("id"))
    start = (page - 1) * page_size
    rows = payments[start : start + page_size] if start < summary["count"] else []
    return s.LedgerPage(
        count=summary["count"],
        page=page,
        page_size=page_size,
        total=s.amount(_cents(summary["total"])),
        items=[
            s.PaymentOut(
                id=payment.pk,
                line=payment.budget_line.code,
                date=payment.date,
                amount=s.amount(payment.amount),
                refund=payment.is_refund,
                voucher=payment.voucher,
                description=payment.description,
            )
            for payment in rows
        ],
    )


# Goals and indicators


def may_edit_indicator(scope: p.Scope, goal: m.PerformanceGoal) -> bool:
    """Actuals, states, scores and reasons are the goal's self-evaluation: whoever may
    edit the goal on the pages (``can_edit_subject``: a project's own 业务科室, the
    department goal's 财务科, an admin)."""
    return p.can_edit_subject(scope, p.GoalSubject(goal.fiscal_year, goal.project, goal))


def _lock(goal: m.PerformanceGoal) -> str:
    """Why the self-evaluation cannot be edited now (submitted or approved); "" if it can."""
    return lock_reason(goal, WorkflowStage.evaluation)


def _indicator_out(indicator: m.Indicator, may_edit: bool) -> s.IndicatorOut:
    goal = indicator.goal
    lock = _lock(goal)
    return s.IndicatorOut(
        id=indicator.pk,
        goal=goal.pk,
        project=goal.project.code if goal.project else None,
        position=indicator.position,
        level1=indicator.level1,
        level2=indicator.level2,
        level3=indicator.level3,
        kind=indicator.kind,
        target=indicator.target,
        weight=s.decimal_text(indicator.weight.normalize() if indicator.weight else ZERO),
        actual=indicator.actual,
        state=indicator.state or None,
        assessed_score=s.score_text(indicator.assessed_score),
        claimed_score=s.score_text(indicator.claimed_score),
        deviation_reason=indicator.deviation_reason,
        improvement=indicator.improvement,
        last_year_actual=indicator.last_year_actual,
        illustrative=indicator.illustrative,
        cost_standard=indicator.cost_standard or None,
        cost_share=s.score_text(indicator.cost_share),
        version=indicator.version,
        editable=may_edit and not lock,
        locked=lock or None,
    )


def _visible_goals(scope: p.Scope, fiscal_year: m.FiscalYear) -> list[m.PerformanceGoal]:
    goals = list(
        fiscal_year.goals.select_related("project__office")
        .prefetch_related("indicators")
        .order_by("position", "id")
    )
    for goal in goals:
        goal.fiscal_year = fiscal_year
        if goal.project is not None:
            goal.project.fiscal_year = fiscal_year
    return [goal for goal in goals if p.can_view_goal(scope, goal)]


@router.get("/years/{department}/{year}/goals", response={200: s.GoalList, **READ},
            url_name="goals", summary="绩效目标和指标")  # fmt: skip
def goals(request: HttpRequest, department: str = DEPARTMENT, year: int = YEAR) -> s.GoalList:
    scope, fiscal_year = _year(request, department, year)
    findings = year_findings(fiscal_year)
    items = []
    for goal in _visible_goals(scope, fiscal_year):
        editable = may_edit_indicator(scope, goal)
        code = goal.project.code if goal.project else None
        items.append(
            s.GoalOut(
                id=goal.pk,
                project=goal.project.code if goal.project else None,
                project_name=goal.project.name if goal.project else "",
                name=goal.name,
                expected_objective=goal.expected_objective,
                actual_objective=goal.actual_objective,
                execution_reason=goal.execution_reason,
                indicators=[_indicator_out(i, editable) for i in goal.indicators.all()],
                findings=[_finding(f) for f in findings.get(code, [])],
            )
        )
    return s.GoalList(narrowed=not p.can_view_department_detail(scope, fiscal_year), items=items)


def _load_indicator(
    scope: p.Scope, fiscal_year: m.FiscalYear, indicator_id: int, queryset: QuerySet[m.Indicator]
) -> m.Indicator:
    found = (
        queryset.select_related("goal__project__office")
        .filter(goal__fiscal_year=fiscal_year, pk=indicator_id)
        .first()
    )
    if found is None:
        raise Http404(_("没有找到该对象。"))
    found.goal.fiscal_year = fiscal_year
    if found.goal.project is not None:
        found.goal.project.fiscal_year = fiscal_year
    _check(p.can_view_goal(scope, found.goal))
    return found


INDICATOR = param.Path(..., ge=1, le=MAX_ID, description="指标编号")


@router.get("/years/{department}/{year}/indicators/{indicator}",
            response={200: s.IndicatorOut, **READ},
            url_name="indicator", summary="一个绩效指标")  # fmt: skip
def indicator_detail(
    request: HttpRequest, department: str = DEPARTMENT, year: int = YEAR, indicator: int = INDICATOR
) -> s.IndicatorOut:
    scope, fiscal_year = _year(request, department, year)
    found = _load_indicator(scope, fiscal_year, indicator, m.Indicator.objects.all())
    return _indicator_out(found, may_edit_indicator(scope, found.goal))


def _parse_state(text: str | None) -> str:
    if text is None or text == "":
        return ""
    try:
        return QualitativeState(text).value
    except ValueError:
        choices = "、".join(state.value for state in QualitativeState)
        raise HttpError(
            400,
            _("“%(text)s”不是有效的完成情况，应为：%(choices)s。")
            % {"text": text, "choices": choices},
        ) from None


def _parse_score(text: str | None, weight: Decimal) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the schema's pattern already guards
        raise HttpError(400, _("“%(text)s”不是有效的得分。") % {"text": text}) from None
    out_of_bounds = SCORE.problem(value)
    if out_of_bounds is not None:
        raise HttpError(422, out_of_bounds)
    if value < ZERO or value > weight:
        raise HttpError(
            400,
            _("评价得分 %(score)s 超出范围：应在 0 到分值 %(weight)s 之间。")
            % {"score": text, "weight": s.decimal_text(weight.normalize())},
        )
    return value


_TEXT_FIELDS = {
    "actual": ("实际完成值", LONG_NAME_LENGTH),
    "deviation_reason": ("偏差原因分析", TEXT_LENGTH),
    "improvement": ("改进措施", TEXT_LENGTH),
}


def refuse_out_of_bounds(indicator: m.Indicator, changes: dict[str, Any]) -> None:
    """The same checks as the form and the imports (``jixiao.core.bounds``): 422 naming why."""
    for name, (label, most) in _TEXT_FIELDS.items():
        value = changes.get(name)
        reason = None if value is None else text_problem(value, most, label)
        if reason is not None:
            raise HttpError(422, reason)
    actual = changes.get("actual")
    if actual and indicator.kind == IndicatorKind.quantitative.value:
        try:
            parse_actual(actual, _("“%(name)s”实际完成值") % {"name": indicator.level3})
        except TargetError as error:
            raise HttpError(422, str(error)) from None


_COST_FIELDS = ("cost_standard", "cost_share")
UPDATE_SUMMARY = (
    "填报指标的实际完成值、完成情况、评价得分、偏差原因；产出指标的对应支出标准和成本占比"
)


def _apply_cost_link(indicator: m.Indicator, changes: dict[str, Any]) -> None:
    """The link to a 支出标准, checked as the goal page checks it (``cost_link_problems``):
    what is not sent keeps its stored value, except the share of a standard cleared without
    a share sent (a share needs a standard; clearing the link clears both); 422 with the
    page's words."""
    goal = indicator.goal
    standard = changes.get("cost_standard", indicator.cost_standard) or ""
    share = indicator.cost_share
    if "cost_share" in changes:
        share = None if changes["cost_share"] is None else Decimal(changes["cost_share"])
    elif "cost_standard" in changes and not standard:
        share = None
    standards = standard_choices(goal.fiscal_year) if goal.project else StandardChoices()
    problems = cost_link_problems(
        indicator.level1, standard, share, standards, stored=indicator.cost_standard
    )
    for name in _COST_FIELDS:
        if name in problems:
            raise HttpError(422, problems[name])
    indicator.cost_standard, indicator.cost_share = standard, share


def _apply(indicator: m.Indicator, changes: dict[str, Any]) -> None:
    qualitative = indicator.kind == IndicatorKind.qualitative.value
    refuse_out_of_bounds(indicator, changes)
    for name in ("state", "assessed_score"):
        if changes.get(name) is not None and not qualitative:
            raise HttpError(
                400, _("“%(field)s”只适用于定性指标，本指标是定量指标。") % {"field": name}
            )
    if "actual" in changes:
        indicator.actual = changes["actual"]
    if "state" in changes:
        indicator.state = _parse_state(changes["state"])
    if "assessed_score" in changes:
        indicator.assessed_score = _parse_score(changes["assessed_score"], indicator.weight)
    if "deviation_reason" in changes:
        indicator.deviation_reason = changes["deviation_reason"] or ""
    if "improvement" in changes:
        indicator.improvement = changes["improvement"] or ""


@router.patch("/years/{department}/{year}/indicators/{indicator}",
              response={200: s.IndicatorOut, 400: s.Error, 409: s.Error, **READ},
              url_name="indicator_update",
              summary=UPDATE_SUMMARY)  # fmt: skip
def indicator_update(
    request: HttpRequest,
    body: s.IndicatorUpdate,
    department: str = DEPARTMENT,
    year: int = YEAR,
    indicator: int = INDICATOR,
) -> s.IndicatorOut:
    scope, fiscal_year = _year(request, department, year)
    changes = body.model_dump(exclude_unset=True)
    sent_version = changes.pop("version")
    with transaction.atomic():
        found = _load_indicator(scope, fiscal_year, indicator, m.Indicator.objects.all())
        if not may_edit_indicator(scope, found.goal):
            raise PermissionDenied(_("您的角色不能修改这个指标。"))
        cost = {name: changes.pop(name) for name in _COST_FIELDS if name in changes}
        locks = [_lock(found.goal) if changes or not cost else ""]
        locks.append(lock_reason(found.goal, WorkflowStage.declaration) if cost else "")
        lock = next((reason for reason in locks if reason), "")
        if lock:
            raise HttpError(409, lock)
        current = found.version
        _apply(found, changes)
        if cost:
            _apply_cost_link(found, cost)
        # Versioned.save moves the stored version from the one the caller read to the
        # next in one conditional UPDATE: a stale version saves nothing.
        found.version = sent_version
        found._change_reason = _("通过接口修改")  # type: ignore[attr-defined]
        try:
            found.save()
        except m.StaleVersionError:
            raise HttpError(
                409,
                _("该指标已被他人修改（您读到的是第 %(sent)s 版，现在是第 %(now)s 版），"
                  "未保存您的修改：请重新读取后再提交。") % {"sent": sent_version, "now": current},
            ) from None  # fmt: skip
    return _indicator_out(found, True)


# Results: evaluation and monitoring


@router.get("/years/{department}/{year}/evaluation",
            response={200: s.EvaluationOut, 400: s.Error, **READ},
            url_name="evaluation", summary="绩效自评结果（按年度的规则集计算）")  # fmt: skip
def evaluation(
    request: HttpRequest, department: str = DEPARTMENT, year: int = YEAR
) -> s.EvaluationOut:
    scope, fiscal_year = _year(request, department, year)
    result = evaluate_stored_year(fiscal_year.department.code, fiscal_year.year)
    codes = _project_codes(scope, fiscal_year)
    dept = result.department
    if codes is not None:
        projects = tuple(pr for pr in result.projects if pr.project_code in codes)
        quality = findings_without(result.quality, hidden_projects(scope, fiscal_year))
        unit_costs = tuple(u for u in result.unit_costs if u.measure.project_code in codes)
        cost_findings = tuple(f for f in result.cost_findings if f.subject in codes)
        result = replace(
            result, projects=projects, department=None, quality=quality,
            unit_costs=unit_costs, cost_findings=cost_findings,
        )  # fmt: skip
    return s.EvaluationOut(
        department=result.department_code,
        year=result.fiscal_year,
        narrowed=codes is not None,
        total=s.score_text(dept.total) if dept else None,
        grade=dept.grade if dept else None,
        result=to_jsonable(result),
    )


def narrow_monitoring(
    report: MonitoringReport, codes: Collection[str], line_codes: Collection[str]
) -> MonitoringReport:
    """The report with only the given projects (their lines, indicators, forecasts,
    proposals and findings); the department-wide progress stays, as on the 首页."""
    result = report.result
    plan = report.plan
    return replace(
        report,
        result=replace(
            result,
            projects=tuple(x for x in result.projects if x.code in codes),
            indicators=tuple(x for x in result.indicators if x.project_code in codes),
            findings=findings_of(result.findings, result.indicators, codes, line_codes),
            consequences=tuple(x for x in result.consequences if x.project_code in codes),
        ),
        forecasts=tuple(x for x in report.forecasts if x.project_code in codes),
        plan=replace(
            plan,
            proposals=proposals_of(plan.proposals, codes),
            lagging=tuple(x for x in plan.lagging if x in codes),
            ahead=tuple(x for x in plan.ahead if x in codes),
            indicators_at_risk=tuple(x for x in plan.indicators_at_risk if x.project_code in codes),
        ),
        lines=tuple(x for x in report.lines if x.project_code in codes),
        projects=tuple(x for x in report.projects if x.code in codes),
    )


@router.get("/years/{department}/{year}/monitoring",
            response={200: s.MonitoringOut, 400: s.Error, **READ},
            url_name="monitoring", summary="运行监控结果（截至 as_of）")  # fmt: skip
def monitoring(
    request: HttpRequest,
    department: str = DEPARTMENT,
    year: int = YEAR,
    as_of: IsoDate | None = AS_OF,
) -> s.MonitoringOut:
    scope, fiscal_year = _year(request, department, year)
    when = as_of or default_as_of(fiscal_year.year, timezone.localdate())
    check_as_of(fiscal_year.year, when)
    report = monitor_stored_year(fiscal_year.department.code, fiscal_year.year, when)
    codes = _project_codes(scope, fiscal_year)
    if codes is not None:
        line_codes = set(p.visible_lines(scope, fiscal_year).values_list("code", flat=True))
        report = narrow_monitoring(report, codes, line_codes)
    return s.MonitoringOut(
        department=report.department_code,
        year=report.fiscal_year,
        as_of=report.as_of,
        narrowed=codes is not None,
        report=to_jsonable(report),
    )
