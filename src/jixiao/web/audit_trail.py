"""The audit log (审计日志): who changed what, when, before and after.

Every change of the audited storage models is recorded by django-simple-history (one
historical row per save or delete, with the signed-in user attached by
``HistoryRequestMiddleware``). This module reads those rows for one department-year,
narrowed to what a scope may see, and pairs every row with the one before it, so a
page shows the values before and after each change. The number of queries does not
depend on how many rows there are: one query per kind of object, and one more per kind
for the preceding rows.

Rows of a year that was replaced by a later import keep the old year's id and are not
listed under the new one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jixiao.core.money import format_thousands
from jixiao.interchange.rule_set_names import shipped_rule_set_name
from jixiao.services import disclosure, spot_checks
from jixiao.storage import models as m
from jixiao.web.goal_editing import KIND_LABELS
from jixiao.web.models import Role
from jixiao.web.permissions import (
    Scope,
    can_spot_check,
    can_view_department_detail,
    can_view_goal,
    can_view_line,
    can_view_notice,
    can_view_project,
    can_view_rectification,
    load_notice,
)

ACTIONS = {"+": gettext_lazy("新增"), "~": gettext_lazy("修改"), "-": gettext_lazy("删除")}
HIDDEN_FIELDS = {"id", "version"}  # the optimistic-locking counter is not a change


@dataclass(frozen=True)
class AuditKind:
    """One audited model: how to find its rows in a year, and who may see an object."""

    key: str
    label: Promise
    model: type[models.Model]
    load: Callable[[m.FiscalYear, int], Any]
    """The live object with this id in the year (Http404 when there is none)."""
    check: Callable[[Scope, Any], bool]
    rows: Callable[[m.FiscalYear, Scope], Q]
    """A filter on the model's history rows: the year's, as the scope may see them."""
    describe: Callable[[Any], str]

    def history(self) -> QuerySet[Any]:
        manager: Any = self.model.history  # type: ignore[attr-defined]
        queryset: QuerySet[Any] = manager.all()
        return queryset


# Loading one live object of a year by id, with the year attached (no extra query)


def _get(queryset: QuerySet[Any], **lookup: Any) -> Any:
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404(_("没有找到该对象。"))
    return obj


def _load_year(fiscal_year: m.FiscalYear, pk: int) -> m.FiscalYear:
    if pk != fiscal_year.pk:
        raise Http404(_("没有找到该对象。"))
    return fiscal_year


def _load_project(fiscal_year: m.FiscalYear, pk: int) -> m.Project:
    project: m.Project = _get(m.Project.objects.all(), pk=pk, fiscal_year=fiscal_year)
    project.fiscal_year = fiscal_year
    return project


def _attach(fiscal_year: m.FiscalYear, obj: Any) -> Any:
    """Set the year on an object and its project, so the checks run without a query."""
    obj.fiscal_year = fiscal_year
    if getattr(obj, "project", None) is not None:
        obj.project.fiscal_year = fiscal_year
    return obj


def _load_line(fiscal_year: m.FiscalYear, pk: int) -> m.BudgetLine:
    queryset = m.BudgetLine.objects.select_related("project")
    line: m.BudgetLine = _attach(fiscal_year, _get(queryset, pk=pk, fiscal_year=fiscal_year))
    return line


def _load_adjustment(fiscal_year: m.FiscalYear, pk: int) -> m.BudgetAdjustment:
    queryset = m.BudgetAdjustment.objects.select_related("budget_line__project")
    found: m.BudgetAdjustment = _get(queryset, pk=pk, budget_line__fiscal_year=fiscal_year)
    _attach(fiscal_year, found.budget_line)
    return found


def _load_goal(fiscal_year: m.FiscalYear, pk: int) -> m.PerformanceGoal:
    queryset = m.PerformanceGoal.objects.select_related("project")
    goal: m.PerformanceGoal = _attach(fiscal_year, _get(queryset, pk=pk, fiscal_year=fiscal_year))
    return goal


def _load_indicator(fiscal_year: m.FiscalYear, pk: int) -> m.Indicator:
    queryset = m.Indicator.objects.select_related("goal__project")
    found: m.Indicator = _get(queryset, pk=pk, goal__fiscal_year=fiscal_year)
    _attach(fiscal_year, found.goal)
    return found


def _load_rectification(fiscal_year: m.FiscalYear, pk: int) -> m.Rectification:
    found: m.Rectification = _get(m.Rectification.objects.all(), pk=pk, fiscal_year=fiscal_year)
    found.fiscal_year = fiscal_year
    return found


def _load_progress(fiscal_year: m.FiscalYear, pk: int) -> m.IndicatorProgress:
    queryset = m.IndicatorProgress.objects.select_related("indicator__goal__project")
    found: m.IndicatorProgress = _get(queryset, pk=pk, indicator__goal__fiscal_year=fiscal_year)
    _attach(fiscal_year, found.indicator.goal)
    return found


# Which history rows belong to a year, narrowed for a 业务科室


def _history_ids(model: type[models.Model], condition: Q) -> QuerySet[Any]:
    manager: Any = model.history  # type: ignore[attr-defined]
    ids: QuerySet[Any] = manager.filter(condition).values("id")
    return ids


def _own(scope: Scope) -> Q:
    """Rows of projects of the scope's own office (history rows keep ``project_id``)."""
    if scope.role is not Role.office:
        return Q()
    own = m.Project.objects.filter(office_id=scope.office_id or 0).values("id")
    return Q(project_id__in=own)


def _year_rows(fiscal_year: m.FiscalYear, scope: Scope) -> Q:
    if not can_view_department_detail(scope, fiscal_year):
        return Q(pk__in=[])
    return Q(id=fiscal_year.pk)


def _project_rows(fiscal_year: m.FiscalYear, scope: Scope) -> Q:
    if scope.role is Role.office:
        own = m.Project.objects.filter(office_id=scope.office_id or 0).values("id")
        return Q(fiscal_year_id=fiscal_year.pk, id__in=own)
    return Q(fiscal_year_id=fiscal_year.pk)


def _line_rows(fiscal_year: m.FiscalYear, scope: Scope) -> Q:
    return Q(fiscal_year_id=fiscal_year.pk) & _own(scope)


def _adjustment_rows(fiscal_year: m.FiscalYear, scope: Scope) -> Q:
    lines = _history_ids(m.BudgetLine, _line_rows(fiscal_year, scope))
    return Q(budget_line_id__in=lines)


def _goal_rows(fiscal_year: m.FiscalYear, scope: Scope) -> Q:
    return Q(fiscal_year_id=fiscal_year.pk) & _own(scope)


def _indicator_rows(fiscal_year: m.FiscalYear, scope: Scope) -> Q:
    goals = _history_ids(m.PerformanceGoal, _goal_rows(fiscal_year, scope))
    return Q(goal_id__in=goals)


def _progress_rows(fiscal_year: m.FiscalYear, scope: Scope) -> Q:
    indicators = _history_ids(m.Indicator, _indicator_rows(fiscal_year, scope))
    return Q(indicator_id__in=indicators)


def _rectification_rows(fiscal_year: m.FiscalYear, scope: Scope) -> Q:
    if scope.role is Role.office:
        return Q(fiscal_year_id=fiscal_year.pk, owner_office_id=scope.office_id or 0)
    return Q(fiscal_year_id=fiscal_year.pk)


def _load_ex_ante(fiscal_year: m.FiscalYear, pk: int) -> m.ExAnteAssessment:
    queryset = m.ExAnteAssessment.objects.select_related("project")
    found: m.ExAnteAssessment = _get(queryset, pk=pk, project__fiscal_year=fiscal_year)
    found.project.fiscal_year = fiscal_year
    return found


def _ex_ante_rows(fiscal_year: m.FiscalYear, scope: Scope) -> Q:
    return Q(project_id__in=_history_ids(m.Project, _project_rows(fiscal_year, scope)))


def _ex_ante_score_rows(fiscal_year: m.FiscalYear, scope: Scope) -> Q:
    return Q(assessment_id__in=_history_ids(m.ExAnteAssessment, _ex_ante_rows(fiscal_year, scope)))


def _load_ex_ante_score(fiscal_year: m.FiscalYear, pk: int) -> m.ExAnteScore:
    queryset = m.ExAnteScore.objects.select_related("assessment__project")
    found: m.ExAnteScore = _get(queryset, pk=pk, assessment__project__fiscal_year=fiscal_year)
    found.assessment.project.fiscal_year = fiscal_year
    return found


def _load_result_decision(fiscal_year: m.FiscalYear, pk: int) -> m.ResultDecision:
    found: m.ResultDecision = _get(m.ResultDecision.objects.all(), pk=pk, fiscal_year=fiscal_year)
    found.fiscal_year = fiscal_year
    return found


def _result_decision_rows(fiscal_year: m.FiscalYear, scope: Scope) -> Q:
    if not can_view_department_detail(scope, fiscal_year):
        return Q(pk__in=[])
    return Q(fiscal_year_id=fiscal_year.pk)


def _load_disclosure(fiscal_year: m.FiscalYear, pk: int) -> m.DisclosureItem:
    found: m.DisclosureItem = _get(m.DisclosureItem.objects.all(), pk=pk, fiscal_year=fiscal_year)
    found.fiscal_year = fiscal_year
    return found


_disclosure_rows = _result_decision_rows  # the same readers: the whole department's
_proposal_rows = _result_decision_rows


def _load_proposal(fiscal_year: m.FiscalYear, pk: int) -> m.IndicatorProposal:
    queryset = m.IndicatorProposal.objects.all()
    found: m.IndicatorProposal = _get(queryset, pk=pk, fiscal_year=fiscal_year)
    found.fiscal_year = fiscal_year
    return found


def _disclosure_text(row: Any) -> str:
    item = disclosure.BY_CODE.get(row.item)
    return f"{item.name if item else row.item} {_('公开') if row.published else _('不公开')}"


def _load_bureau_score(fiscal_year: m.FiscalYear, pk: int) -> m.BureauScore:
    queryset = m.BureauScore.objects.all()
    found: m.BureauScore = _get(queryset, pk=pk, spot_check__goal__fiscal_year=fiscal_year)
    return found


def _bureau_score_rows(fiscal_year: m.FiscalYear, scope: Scope) -> Q:
    """The bureau's 财政评价 scores of the year's sampled projects: the bureau's own work,
    shown to those who sample and re-score (not to the department)."""
    if not can_spot_check(scope):
        return Q(pk__in=[])
    checks = m.SpotCheck.objects.filter(goal__fiscal_year_id=fiscal_year.pk).values("id")
    return Q(spot_check_id__in=checks)


def _load_notice(fiscal_year: m.FiscalYear, pk: int) -> m.RectificationNotice:
    return load_notice(fiscal_year, pk)


def _notice_rows(fiscal_year: m.FiscalYear, scope: Scope) -> Q:
    if scope.role is Role.office:
        offices = m.Project.objects.filter(fiscal_year=fiscal_year, office_id=scope.office_id or 0)
        return Q(fiscal_year_id=fiscal_year.pk, project_id__in=offices.values("pk"))
    return Q(fiscal_year_id=fiscal_year.pk)


def _wan_text(amount: Decimal | None) -> str:
    return "—" if amount is None else f"{format_thousands(amount)}元"


KINDS: tuple[AuditKind, ...] = (
    AuditKind(
        "year", gettext_lazy("部门年度"), m.FiscalYear, _load_year,
        lambda scope, fy: can_view_department_detail(scope, fy), _year_rows,
        lambda row: _("%(year)s年度") % {"year": row.year},
    ),
    AuditKind(
        "project", gettext_lazy("项目"), m.Project, _load_project, can_view_project,
        _project_rows, lambda row: f"{row.code} {row.name}",
    ),
    AuditKind(
        "line", gettext_lazy("预算行"), m.BudgetLine, _load_line, can_view_line, _line_rows,
        lambda row: f"{row.code} {row.name}",
    ),
    AuditKind(
        "adjustment", gettext_lazy("预算调整"), m.BudgetAdjustment, _load_adjustment,
        lambda scope, adj: can_view_line(scope, adj.budget_line), _adjustment_rows,
        lambda row: f"{row.date} {row.document_number} {_wan_text(row.amount)}".strip(),
    ),
    AuditKind(
        "goal", gettext_lazy("绩效目标"), m.PerformanceGoal, _load_goal, can_view_goal,
        _goal_rows, lambda row: row.name or (row.expected_objective or "")[:30],
    ),
    AuditKind(
        "indicator", gettext_lazy("绩效指标"), m.Indicator, _load_indicator,
        lambda scope, ind: can_view_goal(scope, ind.goal), _indicator_rows,
        lambda row: f"{row.level1} / {row.level2} / {row.level3}",
    ),
    AuditKind(
        "progress", gettext_lazy("指标进度"), m.IndicatorProgress, _load_progress,
        lambda scope, pr: can_view_goal(scope, pr.indicator.goal), _progress_rows,
        lambda row: f"{row.date} {row.value}",
    ),
    AuditKind(
        "rectification", gettext_lazy("整改事项"), m.Rectification, _load_rectification,
        can_view_rectification, _rectification_rows, lambda row: (row.issue or "")[:40],
    ),
    AuditKind(
        "ex_ante", gettext_lazy("事前绩效评估"), m.ExAnteAssessment, _load_ex_ante,
        lambda scope, a: can_view_project(scope, a.project), _ex_ante_rows,
        lambda row: row.conclusion or _("评分未完成"),
    ),
    AuditKind(
        "ex_ante_score", gettext_lazy("事前绩效评估评分"), m.ExAnteScore, _load_ex_ante_score,
        lambda scope, s: can_view_project(scope, s.assessment.project), _ex_ante_score_rows,
        lambda row: f"{row.item_code} {row.band}".strip(),
    ),
    AuditKind(
        "result_decision", gettext_lazy("结果应用决定"), m.ResultDecision,
        _load_result_decision, lambda scope, d: can_view_department_detail(scope, d.fiscal_year),
        _result_decision_rows, lambda row: f"{row.project_code} {row.action}",
    ),
    AuditKind(
        "disclosure", gettext_lazy("绩效信息公开事项"), m.DisclosureItem, _load_disclosure,
        lambda scope, d: can_view_department_detail(scope, d.fiscal_year), _disclosure_rows,
        _disclosure_text,
    ),
    AuditKind(
        "bureau_score", gettext_lazy("财政评价得分"), m.BureauScore, _load_bureau_score,
        lambda scope, score: can_spot_check(scope), _bureau_score_rows,
        lambda row: spot_checks.item_name(row.item),
    ),
    AuditKind(
        "notice", gettext_lazy("整改通知"), m.RectificationNotice, _load_notice,
        can_view_notice, _notice_rows,
        lambda row: f"{row.number} {(row.issue or '')[:30]} {row.get_status_display()}",
    ),
    AuditKind(
        "library_proposal", gettext_lazy("新增指标提议"), m.IndicatorProposal, _load_proposal,
        lambda scope, p: can_view_department_detail(scope, p.fiscal_year), _proposal_rows,
        lambda row: f"{row.level3}（{row.get_status_display()}）",
    ),
)  # fmt: skip


# Imports: one entry per confirmed import (``ImportRecord``), not a simple-history model


def _no_object(fiscal_year: m.FiscalYear, pk: int) -> Any:
    raise Http404(_("导入记录没有单独的历史页面。"))


def _import_rows(fiscal_year: m.FiscalYear, scope: Scope) -> Q:
    """A year's imports (also those of a year since replaced): department roles only, as
    an import's counts and file are the department's."""
    if not can_view_department_detail(scope, fiscal_year):
        return Q(pk__in=[])
    return Q(department_code=fiscal_year.department.code, year=fiscal_year.year)


def _ledger_import_rows(fiscal_year: m.FiscalYear, scope: Scope) -> Q:
    return _import_rows(fiscal_year, scope) & Q(counts__has_key="支出")


IMPORTS = AuditKind(
    "import", gettext_lazy("导入"), m.ImportRecord, _no_object, lambda scope, obj: False,
    _import_rows, lambda record: record.file_name,
)  # fmt: skip
PAYMENTS = AuditKind(
    "payment", gettext_lazy("支出"), m.ImportRecord, _no_object, lambda scope, obj: False,
    _ledger_import_rows, lambda record: record.file_name,
)  # fmt: skip
"""支出: the imports that changed the ledger (payments come in through imports only)."""
KINDS = (*KINDS, PAYMENTS, IMPORTS)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


def kind_of(key: str) -> AuditKind:
    try:
        return KINDS_BY_KEY[key]
    except KeyError:
        raise Http404(_("没有这种审计对象。")) from None


# Rows paired with the row before them


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditEntry:
    kind: AuditKind
    object_id: int
    when: datetime
    who: str
    action: str
    action_code: str
    label: str
    reason: str
    changes: tuple[Change, ...]
    before_known: bool
    """False for a first recorded change of an object created without history (bulk
    loads before they recorded it, or rows written by other tools): its earlier values
    were never recorded."""
    live: bool
    """The object still exists (its own history page can be opened)."""


PARENT_LINKS = {"fiscal_year", "budget_line", "goal", "indicator", "spot_check"}
"""Links to the object an object belongs to: fixed at creation, not shown as changes."""
RULE_SET_FIELDS = {
    (m.FiscalYear, "project_rules"),
    (m.FiscalYear, "monitoring_rules"),
    (m.FiscalYear, "department_rules"),
    (m.FiscalYear, "ex_ante_rules"),
    (m.FiscalYear, "cost_standards"),
    (m.ExAnteAssessment, "sheet"),
}
"""Fields that store a rule set's id: shown by the rule set's name."""


def _fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The fields a change is shown by."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in HIDDEN_FIELDS and f.name not in PARENT_LINKS
    ]


def _label(model_field: models.Field[Any, Any]) -> str:
    return str(model_field.verbose_name)


WORDS: dict[tuple[type[models.Model], str], Mapping[str, Any]] = {
    (m.Indicator, "kind"): KIND_LABELS,
    (m.DisclosureItem, "item"): {code: item.name for code, item in disclosure.BY_CODE.items()},
}
"""Fields that store a vocabulary value without the model's choices: the words shown for
it (定量, not "quantitative")."""


def _user_name(user: Any) -> str:
    full = user.get_full_name()
    return str(full or user.username)


NAMED: dict[type[models.Model], tuple[tuple[str, ...], Callable[[Any], str]]] = {
    m.Project: ((), lambda p: f"{p.code} {p.name}"),
    m.ExAnteAssessment: (("project",), lambda a: f"{a.project.code} {a.project.name}"),
    m.Rectification: ((), lambda r: (r.issue or "")[:40]),
    m.LibraryVersion: ((), lambda v: f"{v.name}（{v.version}）"),
}
"""How an object a field links to is named (with what to load beside it); any other by its
``name`` (部门、科室、单位) or, for an account, the person's name."""


@dataclass
class Names:
    """The names of the objects the shown rows link to, and of the year's imported 支出标准表,
    each kind loaded in one query."""

    objects: dict[tuple[type[models.Model], int], str]
    cost_tables: dict[str, str]

    @classmethod
    def of(cls, kind: AuditKind, rows: Iterable[Any]) -> Names:
        rows = list(rows)
        objects: dict[tuple[type[models.Model], int], str] = {}
        for model_field in _fields(kind.model):
            target = model_field.related_model
            if not model_field.is_relation or not isinstance(target, type):
                continue
            ids = {getattr(row, model_field.attname) for row in rows} - {None}
            if ids:
                related, name = NAMED.get(target, ((), _plain_name))
                found = target._default_manager.select_related(*related).filter(pk__in=ids)
                objects.update({(target, obj.pk): name(obj) for obj in found})
        return cls(objects, _cost_tables(kind, rows))

    def related(self, model_field: models.Field[Any, Any], value: Any) -> str:
        target = model_field.related_model
        found = self.objects.get((target, value)) if isinstance(target, type) else None
        return found or _("编号 %(id)s（已删除）") % {"id": value}

    def rule_set(self, value: str) -> str:
        return shipped_rule_set_name(value) or self.cost_tables.get(value) or value


def _plain_name(obj: Any) -> str:
    if hasattr(obj, "get_full_name"):
        return _user_name(obj)
    return str(getattr(obj, "name", obj))


def _cost_tables(kind: AuditKind, rows: list[Any]) -> dict[str, str]:
    if kind.model is not m.FiscalYear or not rows:
        return {}
    years = {row.id for row in rows}
    tables = m.CostStandardTable.objects.filter(fiscal_year_id__in=years)
    return dict(tables.values_list("table_id", "name"))


NO_NAMES = Names({}, {})


def _show(model_field: models.Field[Any, Any], value: Any, names: Names = NO_NAMES) -> str:
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        return names.related(model_field, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if (model_field.model, model_field.name) in RULE_SET_FIELDS:
        return names.rule_set(str(value))
    words = WORDS.get((model_field.model, model_field.name))
    if words is not None:
        return str(words.get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Decimal):
        if isinstance(model_field, models.DecimalField) and model_field.decimal_places == 2:
            return f"{format_thousands(value)}元"
        return format(value.normalize(), "f")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False) if value else "—"
    if isinstance(value, datetime):  # as the 时间 column shows it, not 16:27:55.231171+00:00
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == {} or value == []


def _changes(
    kind: AuditKind, row: Any, previous: Any | None, names: Names = NO_NAMES
) -> tuple[Change, ...]:
    """The fields that differ: from nothing (新增), to nothing (删除), or from the row before.

    A 修改 with no row before it (the object was created without history) lists its
    values with the earlier ones marked as not recorded.
    """
    changes = []
    for model_field in _fields(kind.model):
        value = getattr(row, model_field.attname)
        if row.history_type == "+":
            before, after = None, value
        elif row.history_type == "-":
            before, after = value, None
        elif previous is not None:
            before, after = getattr(previous, model_field.attname), value
        else:
            if _empty(value):
                continue
            changes.append(
                Change(
                    model_field.attname,
                    _label(model_field),
                    _("（未记录）"),
                    _show(model_field, value, names),
                )
            )
            continue
        if before == after or (_empty(before) and _empty(after)):
            continue
        changes.append(
            Change(
                model_field.attname,
                _label(model_field),
                _show(model_field, before, names),
                _show(model_field, after, names),
            )
        )
    return tuple(changes)


def _who(row: Any) -> str:
    return _who_named(row.history_user, "")


def _previous_rows(kind: AuditKind, rows: Sequence[Any]) -> dict[int, Any]:
    """The row before each of ``rows`` (by history id), found in one query."""
    wanted = {row.id for row in rows if row.history_type != "+"}
    if not wanted:
        return {}
    latest = max(row.history_id for row in rows)
    everything = (
        kind.history()
        .filter(id__in=wanted, history_id__lt=latest)
        .order_by("id", "history_date", "history_id")
    )
    by_object: dict[int, list[Any]] = {}
    for row in everything:
        by_object.setdefault(row.id, []).append(row)
    previous: dict[int, Any] = {}
    for row in rows:
        earlier = [r for r in by_object.get(row.id, []) if r.history_id < row.history_id]
        if earlier:
            previous[row.history_id] = earlier[-1]
    return previous


def _live_ids(kind: AuditKind, rows: Iterable[Any]) -> set[int]:
    ids = {row.id for row in rows}
    if not ids:
        return set()
    return set(kind.model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))


def _counts_text(bucket: dict[str, int]) -> str:
    return "，".join(f"{label} {bucket.get(action, 0)}" for action, label in COUNT_LABELS)


COUNT_LABELS = (
    ("added", gettext_lazy("新增")),
    ("changed", gettext_lazy("修改")),
    ("removed", gettext_lazy("删除")),
)
ROW_ACTIONS = {"changed": gettext_lazy("修改"), "removed": gettext_lazy("删除")}


def _payment_label(row: dict[str, Any]) -> str:
    return _("支出 %(line)s %(date)s %(voucher)s %(amount)s元（%(action)s）") % {
        "line": row.get("line", ""),
        "date": row.get("date", ""),
        "voucher": row.get("voucher", ""),
        "amount": row.get("amount", ""),
        "action": ROW_ACTIONS.get(row.get("action", ""), ""),
    }


def _payment_changes(row: dict[str, Any]) -> list[Change]:
    label = _payment_label(row)
    if row.get("action") == "removed":
        return [Change("payment", label, _("存在"), _("已删除"))]
    return [
        Change("payment", f"{label} {field}", str(before), str(after))
        for field, (before, after) in row.get("changes", {}).items()
    ]


def import_entry(kind: AuditKind, record: m.ImportRecord) -> AuditEntry:
    """An import as one entry: the file and its digest, the counts, each ledger row changed."""
    changes = [
        Change(what, str(what), "", _counts_text(bucket)) for what, bucket in record.counts.items()
    ]
    for row in record.payment_rows:
        changes.extend(_payment_changes(row))
    more = record.payment_rows_total - len(record.payment_rows)
    reason = _("文件 SHA-256：%(digest)s；读取：%(sheets)s") % {
        "digest": record.sha256,
        "sheets": record.sheets or "—",
    }
    if more > 0:
        reason += _("；另有 %(more)s 行支出的变化未逐行列出") % {"more": more}
    return AuditEntry(
        kind=kind,
        object_id=record.pk,
        when=record.at,
        who=_who_named(record.user, record.user_name),
        action=_("导入"),
        action_code="~",
        label=record.file_name,
        reason=reason,
        changes=tuple(changes),
        before_known=True,
        live=False,
    )


def _who_named(user: Any, name: str) -> str:
    if user is None:
        return name or _("系统（命令行或导入）")
    full = user.get_full_name()
    return f"{full}（{user.username}）" if full else str(user.username)


def entries(kind: AuditKind, rows: Sequence[Any]) -> list[AuditEntry]:
    """Audit entries of history rows of one kind, each diffed against its predecessor."""
    if kind.model is m.ImportRecord:
        return [import_entry(kind, record) for record in rows]
    previous = _previous_rows(kind, rows)
    live = _live_ids(kind, rows)
    names = Names.of(kind, [*rows, *previous.values()])
    result = []
    for row in rows:
        before = previous.get(row.history_id)
        result.append(
            AuditEntry(
                kind=kind,
                object_id=row.id,
                when=row.history_date,
                who=_who(row),
                action=str(ACTIONS.get(row.history_type, row.history_type)),
                action_code=row.history_type,
                label=kind.describe(row),
                reason=row.history_change_reason or "",
                changes=_changes(kind, row, before, names),
                before_known=before is not None or row.history_type != "~",
                live=row.id in live,
            )
        )
    return result


def year_rows(kind: AuditKind, fiscal_year: m.FiscalYear, scope: Scope) -> QuerySet[Any]:
    """History rows of one kind in a year, newest first, as the scope may see them."""
    if kind.model is m.ImportRecord:
        imports = m.ImportRecord.objects.filter(kind.rows(fiscal_year, scope))
        return imports.select_related("user").order_by("-at", "-id")
    return (
        kind.history()
        .filter(kind.rows(fiscal_year, scope))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def latest_entries(fiscal_year: m.FiscalYear, scope: Scope, limit: int) -> list[AuditEntry]:
    """The ``limit`` most recent changes of the year across every kind of object."""
    merged: list[AuditEntry] = []
    for kind in KINDS:
        merged.extend(entries(kind, list(year_rows(kind, fiscal_year, scope)[:limit])))
    merged.sort(key=lambda entry: entry.when, reverse=True)
    return merged[:limit]


def object_entries(kind: AuditKind, obj: Any, limit: int) -> list[AuditEntry]:
    """Every recorded change of one object, newest first (at most ``limit``)."""
    rows = list(
        kind.history()
        .filter(id=obj.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    return entries(kind, rows)
