"""Who may see and change what: one rule per action, as data (``RULES``), and the view
decorators that apply them.

``RULES[action][role]`` is how far a role reaches for that action: every department
(``ALL``), its own department (``DEPARTMENT``), or its own office's projects (``OFFICE``);
a role not listed may not do it. The same rule holds whichever way the change comes in:
the form, the API and an imported workbook (``import_rights``), and the matrix in
``tests/web/test_role_action_matrix.py`` checks every role × action × path.

In words:

* 系统管理员 (admin): everything.
* 财政局 (bureau): reads every department of its city (``Scope.city_id``); comments on
  and returns submitted work; sets up departments (in its city), offices, years and
  accounts (not 系统管理员 accounts);
  reviews (approves / returns) 事前绩效评估 as 财务科 does.
* 财务科 (finance): its own department: reads everything; keeps the budget, the ledger,
  the department goal and its self-evaluation; reviews (approves / returns) what the
  offices submit. It does not write a project's goal or self-evaluation: those are the
  project's office's, and the reviewer does not change what it approves.
* 单位领导 (leader): reads its own department.
* 评价专家 (expert): a third party or expert account of a city: scores and attaches
  evidence to the 抽查 the bureau assigned to it, of its city's departments only.
* 业务科室 (office): its own department's year pages, narrowed to its own office's
  projects (their lines, payments, goals, history); writes and submits those goals and
  self-evaluations, and the 事前绩效评估 of those projects. Department-wide objects (the
  year's own record, 基本支出 lines) and other offices' projects answer 403.
* Anyone else (another department, or an account without a role): every object URL of a
  department answers **404**, whether the object exists or not, so nothing leaks.

Views never check by hand: they are wrapped in ``year_view`` / ``object_view`` /
``scope_view``, which resolve the object from the URL, apply a check function, and pass
``(request, scope, obj)`` on. Hiding a link is only for comfort; these decorators are the
enforcement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import cached_property, wraps
from typing import Any, Concatenate, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from jixiao.interchange.excel.rights import ImportRights
from jixiao.storage import models as m
from jixiao.web.models import CITY_ROLES, Membership, Role

T = TypeVar("T")
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    """What the signed-in user is: role, and the department / office it is held in."""

    user_id: int
    role: Role
    department_id: int | None = None
    office_id: int | None = None
    city_id: int | None = None
    """A 财政局 or 评价专家 account's city: it reaches that city's departments only (None:
    every one)."""

    @property
    def all_departments(self) -> bool:
        return self.role in (Role.admin, Role.bureau)

    @cached_property
    def city_department_ids(self) -> frozenset[int] | None:
        """The departments of the scope's city (asked once per scope); None: no limit."""
        if self.city_id is None:
            return None
        ids = m.Department.objects.filter(city_id=self.city_id).values_list("pk", flat=True)
        return frozenset(ids)

    def reaches_department(self, department_id: int) -> bool:
        ids = self.city_department_ids
        return ids is None or department_id in ids


class NoRole(PermissionDenied):
    """A signed-in account that has no role yet."""


def scope_of(user: Any) -> Scope | None:
    """The scope of a user; None for anonymous users and accounts without a role.

    A superuser without a membership is treated as 系统管理员.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        membership = Membership.objects.get(user_id=user.pk)
    except Membership.DoesNotExist:
        return Scope(user.pk, Role.admin) if user.is_superuser else None
    role = Role(membership.role)
    city_id = membership.city_id if role in CITY_ROLES else None
    return Scope(user.pk, role, membership.department_id, membership.office_id, city_id)


# The rules: action × role → reach


class Reach(Enum):
    ALL = "every department"
    DEPARTMENT = "its own department"
    OFFICE = "its own office's projects"


class Action(Enum):
    view_year = "打开部门年度"
    view_department_detail = "查看全部门数据（全部项目、基本支出、部门整体目标）"
    view_project = "查看项目"
    edit_project_goal = "修改项目的绩效目标、指标、自评和监控进度"
    submit_project_goal = "提交项目的绩效目标或自评"
    edit_department_goal = "修改部门整体绩效目标及其自评"
    edit_budget = "修改预算行、调整、支出明细、项目和年度文字"
    review = "审核（通过或退回）"
    return_work = "退回并提出意见"
    take_snapshot = "生成监控快照"
    view_reports = "查看生成的报告"
    generate_reports = "生成报告"
    import_workbook = "打开导入页面"
    manage_rectifications = "新建、修改、结转整改事项"
    update_rectification = "更新整改进度"
    view_rectification = "查看整改事项"
    view_audit = "查看审计日志（业务科室只看本科室项目）"
    export_audit = "导出审计日志"
    view_all_departments = "财政局视图（全部部门并排）"
    manage_accounts = "建立部门、科室、年度和账号"
    carry_forward = "结转下一年度（项目、绩效目标、整改事项）"
    edit_ex_ante = "填写并提交本科室项目的事前绩效评估"
    review_ex_ante = "审核事前绩效评估（通过或退回）"
    spot_check = "抽查部门自评并进行财政评价"
    score_spot_check = "财政评价打分、上传佐证材料（评价专家只限分配给它的抽查）"
    edit_disclosure = "选择绩效信息公开事项（是否公开、非公开原因）"
    decide_results = "采纳或驳回结果应用建议（须填理由）"
    manage_notices = "下发整改通知，审核部门的整改反馈（通过或退回重改）"
    answer_notice = "反馈整改通知并上传佐证材料（业务科室只限本科室项目的通知）"
    view_notice = "查看整改通知（业务科室只看本科室项目的通知）"
    decide_library_proposals = "审核新增指标提议（通过或退回），导入指标库"


_ALL, _DEPT, _OFFICE = Reach.ALL, Reach.DEPARTMENT, Reach.OFFICE
_READERS = {Role.admin: _ALL, Role.bureau: _ALL, Role.finance: _DEPT, Role.leader: _DEPT}
_KEEPERS = {Role.admin: _ALL, Role.finance: _DEPT}
_OWNERS = {Role.admin: _ALL, Role.office: _OFFICE}

RULES: dict[Action, dict[Role, Reach]] = {
    Action.view_year: {**_READERS, Role.office: _DEPT},
    Action.view_department_detail: _READERS,
    Action.view_project: {**_READERS, Role.office: _OFFICE},
    Action.edit_project_goal: _OWNERS,
    Action.submit_project_goal: _OWNERS,
    Action.edit_department_goal: _KEEPERS,
    Action.edit_budget: _KEEPERS,
    Action.review: _KEEPERS,
    Action.return_work: {**_KEEPERS, Role.bureau: _ALL},
    Action.take_snapshot: _KEEPERS,
    Action.view_reports: _READERS,
    Action.generate_reports: _KEEPERS,
    Action.import_workbook: {**_KEEPERS, Role.office: _DEPT},
    Action.manage_rectifications: _KEEPERS,
    Action.update_rectification: {**_KEEPERS, Role.office: _OFFICE},
    Action.view_rectification: {**_READERS, Role.office: _OFFICE},
    Action.view_audit: {**_READERS, Role.office: _DEPT},
    Action.export_audit: {**_READERS, Role.office: _DEPT},
    Action.view_all_departments: {Role.admin: _ALL, Role.bureau: _ALL},
    Action.manage_accounts: {Role.admin: _ALL, Role.bureau: _ALL},
    Action.carry_forward: _KEEPERS,
    Action.edit_ex_ante: _OWNERS,
    Action.review_ex_ante: {**_KEEPERS, Role.bureau: _ALL},
    Action.spot_check: {Role.admin: _ALL, Role.bureau: _ALL},
    # an expert reaches only the 抽查 assigned to it: ``can_score_spot_check``
    Action.score_spot_check: {Role.admin: _ALL, Role.bureau: _ALL, Role.expert: _ALL},
    Action.edit_disclosure: _KEEPERS,
    Action.decide_results: _KEEPERS,
    Action.manage_notices: {Role.admin: _ALL, Role.bureau: _ALL},
    Action.answer_notice: {**_KEEPERS, Role.office: _OFFICE},
    Action.view_notice: {**_READERS, Role.office: _OFFICE},
    Action.decide_library_proposals: {Role.admin: _ALL, Role.bureau: _ALL},
}
"""One rule per action. Nothing else decides who may do what: the checks below, the API
and the import all ask ``allowed``."""


def allowed(
    scope: Scope,
    action: Action,
    fiscal_year: m.FiscalYear | None = None,
    office_id: int | None = None,
) -> bool:
    """Whether the scope may do ``action`` in the year (on a project of office ``office_id``,
    for the actions on a project)."""
    reach = RULES[action].get(scope.role)
    if reach is None:
        return False
    if reach is Reach.ALL:
        return fiscal_year is None or scope.reaches_department(fiscal_year.department_id)
    if fiscal_year is None or fiscal_year.department_id != scope.department_id:
        return False
    if reach is Reach.DEPARTMENT:
        return True
    return office_id is not None and office_id == scope.office_id


# Checks: plain functions of a scope and an object


def can_view_year(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    """The year exists for this user at all (otherwise: 404)."""
    return allowed(scope, Action.view_year, fiscal_year)


def can_view_department_detail(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    """Every project, line and payment of the year, and the year's own record."""
    return allowed(scope, Action.view_department_detail, fiscal_year)


def can_view_project(scope: Scope, project: m.Project) -> bool:
    return allowed(scope, Action.view_project, project.fiscal_year, project.office_id)


def can_view_line(scope: Scope, line: m.BudgetLine) -> bool:
    if line.project is None:
        return can_view_department_detail(scope, line.fiscal_year)
    return can_view_project(scope, line.project)


def can_view_goal(scope: Scope, goal: m.PerformanceGoal) -> bool:
    if goal.project is None:
        return can_view_department_detail(scope, goal.fiscal_year)
    return can_view_project(scope, goal.project)


def can_edit_project(scope: Scope, project: m.Project) -> bool:
    """Goals, indicators, actuals and reasons of a project: its own office, or an admin."""
    return allowed(scope, Action.edit_project_goal, project.fiscal_year, project.office_id)


def can_submit(scope: Scope, project: m.Project) -> bool:
    """Sending a project's goal or self-evaluation for review."""
    return allowed(scope, Action.submit_project_goal, project.fiscal_year, project.office_id)


def can_edit_budget(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    """The year's budget lines, adjustments, ledger and narrative: 财务科 or an admin."""
    return allowed(scope, Action.edit_budget, fiscal_year)


def can_review(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    """Approving or returning submitted work of the year: 财务科 of the department."""
    return allowed(scope, Action.review, fiscal_year)


def can_comment(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    """Leaving a comment on submitted work: the reviewers and the finance bureau."""
    return allowed(scope, Action.return_work, fiscal_year)


def can_return(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    """Sending submitted work back with a comment: the reviewers and the finance bureau."""
    return allowed(scope, Action.return_work, fiscal_year)


def can_view_audit(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    """The year's change log (narrowed to its own projects for a 业务科室)."""
    return allowed(scope, Action.view_audit, fiscal_year)


def can_export_audit(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    """The change log as a workbook (narrowed as on the page)."""
    return allowed(scope, Action.export_audit, fiscal_year)


def can_view_all_departments(scope: Scope) -> bool:
    """The finance bureau's side-by-side view of every department."""
    return allowed(scope, Action.view_all_departments)


def can_spot_check(scope: Scope) -> bool:
    """Drawing self-evaluations for 抽查 and re-scoring them (财政评价): the bureau, an admin."""
    return allowed(scope, Action.spot_check)


def can_open_spot_checks(scope: Scope) -> bool:
    """The 抽查 pages at all: the bureau and an admin, and an expert for its assignments."""
    return allowed(scope, Action.score_spot_check)


def can_score_spot_check(scope: Scope, spot_check: m.SpotCheck) -> bool:
    """Scoring a sampled project and attaching evidence: the bureau, an admin, and the
    expert the bureau assigned it to."""
    if not allowed(scope, Action.score_spot_check):
        return False
    if not scope.reaches_department(spot_check.goal.fiscal_year.department_id):
        return False
    return scope.role is not Role.expert or spot_check.assigned_to_id == scope.user_id


def can_decide_proposals(scope: Scope) -> bool:
    """Deciding the departments' 指标库 proposals and importing a library: 财政局 and
    系统管理员 (a city's 财政局 decides its city's departments' proposals only)."""
    return allowed(scope, Action.decide_library_proposals)


def can_manage_accounts(scope: Scope) -> bool:
    """Setting up departments, offices, years and accounts: 系统管理员 and 财政局 (which
    may not create a 系统管理员: ``accounts.create_accounts``)."""
    return allowed(scope, Action.manage_accounts)


def can_carry_forward(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    """Creating the next year from this one: 财务科 of the department, or an admin."""
    return allowed(scope, Action.carry_forward, fiscal_year)


def can_decide_results(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    """Accepting or rejecting the year's 结果应用 proposals: 财务科 of the department."""
    return allowed(scope, Action.decide_results, fiscal_year)


# Narrowing lists to what a scope may see


def visible_years(scope: Scope) -> QuerySet[m.FiscalYear]:
    years = m.FiscalYear.objects.select_related("department")
    if scope.all_departments:
        return years if scope.city_id is None else years.filter(department__city_id=scope.city_id)
    if scope.department_id is None:
        return years.none()
    return years.filter(department_id=scope.department_id)


def visible_projects(scope: Scope, fiscal_year: m.FiscalYear) -> QuerySet[m.Project]:
    projects = m.Project.objects.filter(fiscal_year=fiscal_year)
    if not can_view_year(scope, fiscal_year):
        return projects.none()
    if scope.role is Role.office:
        return projects.filter(office_id=scope.office_id or 0)
    return projects


def visible_lines(scope: Scope, fiscal_year: m.FiscalYear) -> QuerySet[m.BudgetLine]:
    lines = m.BudgetLine.objects.filter(fiscal_year=fiscal_year)
    if not can_view_year(scope, fiscal_year):
        return lines.none()
    if scope.role is Role.office:
        return lines.filter(project__office_id=scope.office_id or 0)
    return lines


# View decorators

SCOPE_ATTRIBUTE = "jixiao_scope"
YEAR_ATTRIBUTE = "jixiao_year"

ScopeCheck = Callable[[Scope], bool]
YearCheck = Callable[[Scope, m.FiscalYear], bool]


def request_scope(request: HttpRequest) -> Scope | None:
    """The scope the decorators found for this request (cached on the request)."""
    if not hasattr(request, SCOPE_ATTRIBUTE):
        setattr(request, SCOPE_ATTRIBUTE, scope_of(getattr(request, "user", None)))
    scope: Scope | None = getattr(request, SCOPE_ATTRIBUTE)
    return scope


def request_year(request: HttpRequest) -> m.FiscalYear | None:
    """The department-year a year view resolved (for the navigation bar)."""
    year: m.FiscalYear | None = getattr(request, YEAR_ATTRIBUTE, None)
    return year


def _require_scope(request: HttpRequest) -> Scope:
    scope = request_scope(request)
    if scope is None:
        raise NoRole(_("您的账号尚未分配角色，请联系系统管理员。"))
    return scope


ScopedView = Callable[Concatenate[HttpRequest, Scope, ...], HttpResponse]
Wrapped = Callable[..., HttpResponse]


def scope_view(check: ScopeCheck | None = None) -> Callable[[ScopedView], Wrapped]:
    """A page outside any department-year: signs in, finds the scope, applies ``check``
    (403 when it fails), and calls ``view(request, scope, **kwargs)``."""

    def decorate(view: ScopedView) -> Wrapped:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            scope = _require_scope(request)
            if check is not None and not check(scope):
                raise PermissionDenied(_("您的角色不能查看此页面。"))
            return view(request, scope, *args, **kwargs)

        return wrapper

    return decorate


def load_year(scope: Scope, department: str, year: int) -> m.FiscalYear:
    """The department-year of the URL, or 404 when it does not exist *for this scope*."""
    fiscal_year = (
        m.FiscalYear.objects.select_related("department")
        .filter(department__code=department, year=year)
        .first()
    )
    if fiscal_year is None or not can_view_year(scope, fiscal_year):
        raise Http404(_("没有找到该部门年度。"))
    return fiscal_year


def year_view(check: YearCheck = can_view_year) -> Callable[[ScopedView], Wrapped]:
    """A page of one department-year (URL kwargs ``department`` and ``year``).

    404 when the year is not visible to the user at all; 403 when it is but ``check``
    fails. Calls ``view(request, scope, fiscal_year, **other_kwargs)``.
    """

    def decorate(view: ScopedView) -> Wrapped:
        @wraps(view)
        @scope_view()
        def wrapper(
            request: HttpRequest, scope: Scope, department: str, year: int, **kwargs: Any
        ) -> HttpResponse:
            fiscal_year = load_year(scope, department, year)
            setattr(request, YEAR_ATTRIBUTE, fiscal_year)
            if not check(scope, fiscal_year):
                raise PermissionDenied(_("您的角色不能查看此页面。"))
            return view(request, scope, fiscal_year, **kwargs)

        return wrapper

    return decorate


def object_view(
    load: Callable[..., T],
    check: Callable[[Scope, T], bool],
    refusal: Callable[[Scope, T], str] | None = None,
) -> Callable[[ScopedView], Wrapped]:
    """A page of one object of a department-year.

    ``load(fiscal_year, **url_kwargs)`` finds the object *within that year* (raising
    Http404 when there is none); ``check(scope, obj)`` decides 200 or 403, and
    ``refusal(scope, obj)`` says why in the 403 (the scope or the role). An outsider
    gets 404 from the year before the object is looked up. Calls
    ``view(request, scope, obj)``.
    """

    def decorate(view: ScopedView) -> Wrapped:
        @wraps(view)
        @year_view()
        def wrapper(
            request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear, **kwargs: Any
        ) -> HttpResponse:
            obj = load(fiscal_year, **kwargs)
            if not check(scope, obj):
                why = refusal(scope, obj) if refusal else _("您的角色不能查看该内容。")
                raise PermissionDenied(why)
            return view(request, scope, obj)

        return wrapper

    return decorate


# Loaders: an object of a year by its URL, with the year attached (no extra query)


def _found(queryset: QuerySet[M], **lookup: Any) -> M:
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404(_("没有找到该对象。"))
    return obj


def load_project(fiscal_year: m.FiscalYear, project: str) -> m.Project:
    projects = m.Project.objects.select_related("office")
    found = _found(projects, fiscal_year=fiscal_year, code=project)
    found.fiscal_year = fiscal_year
    return found


def load_line(fiscal_year: m.FiscalYear, line: str) -> m.BudgetLine:
    found = _found(
        m.BudgetLine.objects.select_related("project__office"), fiscal_year=fiscal_year, code=line
    )
    found.fiscal_year = fiscal_year
    if found.project is not None:
        found.project.fiscal_year = fiscal_year
    return found


# Goals under review: a project's goal, or the department goal of a year


@dataclass
class GoalSubject:
    """What the goal and self-evaluation pages edit: a project's goal or the year's
    department goal. ``goal`` is None while a project has no goal yet (the first save
    declares one)."""

    fiscal_year: m.FiscalYear
    project: m.Project | None
    goal: m.PerformanceGoal | None

    @property
    def is_department(self) -> bool:
        return self.project is None


def can_view_subject(scope: Scope, subject: GoalSubject) -> bool:
    if subject.project is None:
        return can_view_department_detail(scope, subject.fiscal_year)
    return can_view_project(scope, subject.project)


def can_edit_subject(scope: Scope, subject: GoalSubject) -> bool:
    """A project's goal: its own office (or an admin); the department goal: 财务科 or an admin."""
    if subject.project is None:
        return allowed(scope, Action.edit_department_goal, subject.fiscal_year)
    return can_edit_project(scope, subject.project)


def can_review_subject(scope: Scope, subject: GoalSubject) -> bool:
    """Approving a submitted goal or self-evaluation: 财务科 of the department, or an admin."""
    return can_view_subject(scope, subject) and can_review(scope, subject.fiscal_year)


def can_return_subject(scope: Scope, subject: GoalSubject) -> bool:
    """Sending it back with a comment: 财务科, the finance bureau, or an admin."""
    return can_view_subject(scope, subject) and can_return(scope, subject.fiscal_year)


def can_comment_subject(scope: Scope, subject: GoalSubject) -> bool:
    """Leaving a comment: whoever may edit it (a reply) or review or return it."""
    return can_edit_subject(scope, subject) or can_return_subject(scope, subject)


def _role_name(scope: Scope) -> str:
    return str(Role(scope.role).label)


def _office_name(office: m.Office | None) -> str:
    return office.name if office is not None else _("项目所属科室")


def other_office(scope: Scope, office_id: int | None) -> bool:
    """A 业务科室 looking at what another office owns: a refusal of scope, not of role."""
    return scope.role is Role.office and office_id != scope.office_id


def project_refusal(scope: Scope, project: m.Project, doing: str) -> str:
    """Why ``scope`` may not view a project's page (``doing``: “查看”, “修改…”)."""
    if other_office(scope, project.office_id):
        return _("该项目由%(office)s负责，不是您科室的项目，您不能%(doing)s。") % {
            "office": _office_name(project.office), "doing": doing,
        }  # fmt: skip
    return _("%(role)s不能%(doing)s。") % {"role": _role_name(scope), "doing": doing}


def subject_refusal(scope: Scope, subject: GoalSubject, what: str, verb: str) -> str:
    """Why ``scope`` may not ``verb`` (修改, 提交) the ``what`` (绩效目标, 绩效自评) of a goal:
    the department goal is 财务科's; a project's is its own office's."""
    names = {"role": _role_name(scope), "what": what, "verb": verb}
    if subject.project is None:
        return _("%(role)s不能%(verb)s部门整体支出的%(what)s，由财务科%(verb)s。") % names
    office = _office_name(subject.project.office)
    if other_office(scope, subject.project.office_id):
        doing = _("%(verb)s它的%(what)s") % names
        return project_refusal(scope, subject.project, doing)
    return _("%(role)s不能%(verb)s项目的%(what)s，由项目所属科室（%(office)s）%(verb)s。") % {
        **names, "office": office,
    }  # fmt: skip


def view_subject_refusal(scope: Scope, subject: GoalSubject) -> str:
    if subject.project is None:
        return _("%(role)s不能查看部门整体支出绩效目标。") % {"role": _role_name(scope)}
    return project_refusal(scope, subject.project, _("查看"))


def view_project_refusal(scope: Scope, project: m.Project) -> str:
    return project_refusal(scope, project, _("查看"))


def load_project_subject(fiscal_year: m.FiscalYear, project: str) -> GoalSubject:
    found = load_project(fiscal_year, project)
    goal = m.PerformanceGoal.objects.filter(project=found).first()
    if goal is not None:
        goal.fiscal_year = fiscal_year
        goal.project = found
    return GoalSubject(fiscal_year, found, goal)


def load_department_subject(fiscal_year: m.FiscalYear) -> GoalSubject:
    goal = (
        m.PerformanceGoal.objects.filter(fiscal_year=fiscal_year, project=None)
        .order_by("position", "id")
        .first()
    )
    if goal is not None:
        goal.fiscal_year = fiscal_year
    return GoalSubject(fiscal_year, None, goal)


# Monitoring, reports, import, rectification


def can_take_snapshot(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    """Freezing a monitoring result as reported: 财务科 or an admin."""
    return allowed(scope, Action.take_snapshot, fiscal_year)


def can_view_reports(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    """The department's generated reports hold every figure of the year: not a 业务科室."""
    return allowed(scope, Action.view_reports, fiscal_year)


def can_generate_reports(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    return allowed(scope, Action.generate_reports, fiscal_year)


def can_view_report(scope: Scope, report: m.GeneratedReport) -> bool:
    return can_view_reports(scope, report.fiscal_year)


def can_import(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    """The import page: 财务科 or an admin, or a 业务科室; what an import may change is
    ``import_rights``."""
    if scope.role is Role.office and not scope.office_id:
        return False
    return allowed(scope, Action.import_workbook, fiscal_year)


def import_projects(scope: Scope, fiscal_year: m.FiscalYear) -> set[str] | None:
    """The projects whose stored forms a download holds; None: every project."""
    if can_view_department_detail(scope, fiscal_year):
        return None
    return set(visible_projects(scope, fiscal_year).values_list("code", flat=True))


def import_rights(scope: Scope, fiscal_year: m.FiscalYear) -> ImportRights:
    """What a workbook imported by ``scope`` may change: by the same rules as the form
    and the API (a project's goal: its office; the department goal and the budget:
    财务科); an admin, anything."""
    if scope.role is Role.admin:
        return ImportRights.anything()
    projects = m.Project.objects.filter(fiscal_year=fiscal_year).select_related("office")
    goals: set[str | None] = {
        p.code
        for p in projects
        if allowed(scope, Action.edit_project_goal, fiscal_year, p.office_id)
    }
    if allowed(scope, Action.edit_department_goal, fiscal_year):
        goals.add(None)
    return ImportRights(frozenset(goals), budget=can_edit_budget(scope, fiscal_year))


def can_manage_rectifications(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    """Creating, editing and carrying over rectification items: 财务科 or an admin."""
    return allowed(scope, Action.manage_rectifications, fiscal_year)


def can_view_rectification(scope: Scope, item: m.Rectification) -> bool:
    """The department's roles see every item; a 业务科室 the items its office owns."""
    return allowed(scope, Action.view_rectification, item.fiscal_year, item.owner_office_id)


def can_update_rectification(scope: Scope, item: m.Rectification) -> bool:
    """Its status and progress note: 财务科 (any item) or the owner office (its own)."""
    return allowed(scope, Action.update_rectification, item.fiscal_year, item.owner_office_id)


def visible_rectifications(scope: Scope, fiscal_year: m.FiscalYear) -> QuerySet[m.Rectification]:
    items = m.Rectification.objects.filter(fiscal_year=fiscal_year)
    if not can_view_year(scope, fiscal_year):
        return items.none()
    if scope.role is Role.office:
        return items.filter(owner_office_id=scope.office_id or 0)
    return items


def view_rectification_refusal(scope: Scope, item: m.Rectification) -> str:
    """A 业务科室 opening another office's 整改 item: a refusal of scope."""
    if other_office(scope, item.owner_office_id):
        owner = item.owner_office.name if item.owner_office else _("财务科")
        return _("该整改事项由%(owner)s负责，您的科室只能查看本科室负责的整改事项。") % {
            "owner": owner
        }
    return _("%(role)s不能查看整改事项。") % {"role": _role_name(scope)}


def update_rectification_refusal(scope: Scope, item: m.Rectification) -> str:
    """Why ``scope`` may not change an item it can see: its role only reads them."""
    return _("%(role)s只能查看整改事项，整改进度由责任科室或财务科更新。") % {
        "role": _role_name(scope)
    }


def load_rectification(fiscal_year: m.FiscalYear, item: int) -> m.Rectification:
    found = _found(
        m.Rectification.objects.select_related("owner_office"), fiscal_year=fiscal_year, pk=item
    )
    found.fiscal_year = fiscal_year
    return found


# 事前绩效评估: the project's office fills it in; 财务科 and 财政局 review it


def can_edit_ex_ante(scope: Scope, project: m.Project) -> bool:
    """Filling in and submitting a project's assessment: its own office, or an admin."""
    return allowed(scope, Action.edit_ex_ante, project.fiscal_year, project.office_id)


def can_review_ex_ante(scope: Scope, project: m.Project) -> bool:
    """Approving or returning it: 财务科 of the department, 财政局, or an admin."""
    return can_view_project(scope, project) and allowed(
        scope, Action.review_ex_ante, project.fiscal_year
    )


def can_edit_disclosure(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    return allowed(scope, Action.edit_disclosure, fiscal_year)


# 整改通知: the bureau issues and reviews, the department (the project's office) answers


def notice_office(notice: m.RectificationNotice) -> int | None:
    """The office a notice concerns: its project's; None for the department as a whole."""
    return notice.project.office_id if notice.project is not None else None


def can_manage_notices(scope: Scope) -> bool:
    """Issuing 整改通知 to any department and reviewing their answers: 财政局, an admin."""
    return allowed(scope, Action.manage_notices)


def can_view_notices(scope: Scope, fiscal_year: m.FiscalYear) -> bool:
    """The year's 整改通知 page: the department's roles and the bureau."""
    return can_view_year(scope, fiscal_year)


def can_view_notice(scope: Scope, notice: m.RectificationNotice) -> bool:
    return allowed(scope, Action.view_notice, notice.fiscal_year, notice_office(notice))


def can_answer_notice(scope: Scope, notice: m.RectificationNotice) -> bool:
    return allowed(scope, Action.answer_notice, notice.fiscal_year, notice_office(notice))


def visible_notices(scope: Scope, fiscal_year: m.FiscalYear) -> QuerySet[m.RectificationNotice]:
    notices = m.RectificationNotice.objects.filter(fiscal_year=fiscal_year)
    if not can_view_year(scope, fiscal_year):
        return notices.none()
    if scope.role is Role.office:
        return notices.filter(project__office_id=scope.office_id or 0)
    return notices


def view_notice_refusal(scope: Scope, notice: m.RectificationNotice) -> str:
    if other_office(scope, notice_office(notice)):
        return _("该整改通知不涉及您科室的项目，您的科室只能查看本科室项目的整改通知。")
    return _("%(role)s不能查看整改通知。") % {"role": _role_name(scope)}


def load_notice(fiscal_year: m.FiscalYear, notice: int) -> m.RectificationNotice:
    found = _found(
        m.RectificationNotice.objects.select_related("project"), fiscal_year=fiscal_year, pk=notice
    )
    found.fiscal_year = fiscal_year
    if found.project is not None:
        found.project.fiscal_year = fiscal_year
    return found


def load_report(fiscal_year: m.FiscalYear, report: int) -> m.GeneratedReport:
    found = _found(m.GeneratedReport.objects.all(), fiscal_year=fiscal_year, pk=report)
    found.fiscal_year = fiscal_year
    return found
