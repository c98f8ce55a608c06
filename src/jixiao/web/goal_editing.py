"""Editing a goal and its indicators from the web, with optimistic locking.

Two pages edit the same rows: 项目与绩效目标 (the declaration: objective texts, and the
indicators' levels, kind, target and weight; rows added and deleted) and 绩效自评 (the
self-evaluation: actual objective, execution reason, and per row the actual, state,
assessed score, deviation reason and improvement).

Optimistic locking: every goal and indicator row of a form carries the ``version`` it
showed and the values it showed (``loaded``). On save, inside one transaction:

* a row the user did not change is not written (whatever happened to it meanwhile);
* a row the user changed (or deleted) whose stored version moved on is a **conflict**:
  nothing at all is saved, the page comes back with the user's input kept, and each
  conflict lists who changed the row, when, and what (field: the value the user saw →
  the value now stored). The conflicting rows then carry the current version, so saving
  again deliberately applies the user's values over the other person's;
* the writes themselves go through ``Versioned.save``, whose conditional UPDATE refuses a
  row saved by someone else between the check and the write (then the same page comes
  back, with the conflict).

Live checks (``declaration_check``, ``evaluation_preview``) read the same forms without
saving (``posted_declaration_goal``, ``posted_evaluation_goal``) and hand the goal to
``jixiao.web.goal_checks``: the goal-quality findings of ``core.goal_quality`` and the
scores of ``core.scoring`` (``evaluate_goal`` for a project, ``evaluate_department`` for
the department goal).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import Max
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jixiao.core import goals as core
from jixiao.core.bounds import COST_SHARE, SCORE, TEXT_LENGTH, WEIGHT, text_problem
from jixiao.core.consistency import Finding
from jixiao.core.cost_split import OUTPUT_LEVEL
from jixiao.core.money import format_thousands
from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import plain_number
from jixiao.core.targets import (
    NotAFigure,
    TargetError,
    parse_target,
    read_quantitative_actual,
)
from jixiao.services.cost_standards import year_cost_standards
from jixiao.storage import models as m
from jixiao.storage.models import StaleVersionError, WorkflowStage
from jixiao.web.goal_checks import (
    ALL_GOAL_FIELDS,
    ALL_ROW_FIELDS,
    DECLARATION_GOAL_FIELDS,
    DECLARATION_ROW_FIELDS,
    EVALUATION_GOAL_FIELDS,
    EVALUATION_ROW_FIELDS,
    core_goal,
    core_indicator,
    indicators_of,
)
from jixiao.web.permissions import GoalSubject
from jixiao.web.workflow import WorkflowError, lock_reason

KIND_LABELS = {
    core.IndicatorKind.quantitative.value: gettext_lazy("定量"),
    core.IndicatorKind.qualitative.value: gettext_lazy("定性"),
}


def field_label(name: str) -> str:
    """The Chinese label of a goal or indicator field (its verbose name)."""
    for model in (m.Indicator, m.PerformanceGoal):
        try:
            found = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        return str(getattr(found, "verbose_name", name))
    return name


def as_text(value: Any) -> str:
    """A field value as the forms compare it: "" for nothing, Decimals without zeros."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain_number(value)
    return str(value)


def level_choices(rules: ProjectRules) -> dict[str, list[str]]:
    """First-level names with their second-level names, in the rule set's order."""
    return {group.name: list(group.level2) for group in rules.level1}


# Forms


_NUMBER_BOUNDS = {"weight": WEIGHT, "assessed_score": SCORE, "cost_share": COST_SHARE}


class RowBase(forms.Form):
    """What every edited row carries: its id, the version and the values it showed."""

    FIELDS: tuple[str, ...] = ()

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    loaded = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        """The same limits as the API and the imports (``jixiao.core.bounds``)."""
        cleaned = super().clean() or {}
        for name in self.FIELDS:
            value, field = cleaned.get(name), self.fields[name]
            if isinstance(value, str):
                most = getattr(field, "max_length", None) or TEXT_LENGTH
                reason = text_problem(value, most, str(field.label))
            elif isinstance(value, Decimal) and name in _NUMBER_BOUNDS:
                reason = _NUMBER_BOUNDS[name].problem(value)
            else:
                reason = None
            if reason is not None:
                self.add_error(name, reason)
        return cleaned

    def row_values(self) -> dict[str, str]:
        data = self.cleaned_data
        return {name: as_text(data.get(name)) for name in self.FIELDS}

    def loaded_values(self) -> dict[str, str]:
        try:
            loaded = json.loads(self.cleaned_data.get("loaded") or "{}")
        except ValueError:
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def user_changed(self) -> bool:
        loaded = self.loaded_values()
        return any(loaded.get(name, "") != value for name, value in self.row_values().items())


def initial_of(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    values = {name: getattr(obj, name) for name in fields}
    shown = {k: plain_number(v) if isinstance(v, Decimal) else v for k, v in values.items()}
    return {
        **shown,
        "id": obj.pk,
        "version": obj.version,
        "loaded": json.dumps({k: as_text(v) for k, v in values.items()}, ensure_ascii=False),
    }


TEXTAREA = {"rows": 2}


class DeclarationGoalForm(RowBase):
    FIELDS = DECLARATION_GOAL_FIELDS

    name = forms.CharField(label=gettext_lazy("目标名称"), required=False, max_length=300)
    expected_objective = forms.CharField(
        label=gettext_lazy("年度总体目标（预期）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@dataclass(frozen=True)
class StandardChoices:
    """The 支出标准 an output may be linked to: the year's chosen table."""

    table: str = ""
    """The table's name; "" when the year has chosen none."""
    options: tuple[tuple[str, str], ...] = ()
    """(code, label) of each standard, the label with its amount and unit."""


def standard_choices(fiscal_year: m.FiscalYear) -> StandardChoices:
    standards = year_cost_standards(fiscal_year)
    if standards is None:
        return StandardChoices()
    return StandardChoices(
        standards.name,
        tuple(
            (s.code, f"{s.code} {s.name}（{format_thousands(s.amount)}元/{s.per_unit}）")
            for s in standards.standards
        ),
    )


def unknown_standard(standards: StandardChoices) -> str:
    """Why a standard code cannot be linked, with ``%(value)s`` for the code."""
    if standards.table:
        return _(
            "支出标准“%%(value)s”不在本年度的支出标准表“%(table)s”中，请从列表中选择。"
        ) % {"table": standards.table}
    return _("本年度尚未选定支出标准表（由财务科选定），不能对应支出标准“%(value)s”。")


def cost_link_problems(
    level1: str | None,
    standard: str,
    share: Decimal | None,
    standards: StandardChoices,
    stored: str = "",
) -> dict[str, str]:
    """What is wrong with an indicator's link to a 支出标准, by field ("cost_standard",
    "cost_share"); the goal page and the API refuse with these same words. A stored code
    the table no longer has is kept unless changed."""
    problems: dict[str, str] = {}
    if standard and standard != stored and standard not in dict(standards.options):
        problems["cost_standard"] = unknown_standard(standards) % {"value": standard}
    elif standard and level1 not in (None, OUTPUT_LEVEL):
        problems["cost_standard"] = _("只有%(level)s可以对应支出标准。") % {"level": OUTPUT_LEVEL}
    if share is not None:
        out_of_bounds = COST_SHARE.problem(share)
        if out_of_bounds is not None:
            problems["cost_share"] = out_of_bounds
        elif not standard:
            problems["cost_share"] = _("填写成本占比须先选择对应支出标准。")
    return problems


class DeclarationRowForm(RowBase):
    FIELDS = DECLARATION_ROW_FIELDS

    level1 = forms.ChoiceField(label=gettext_lazy("一级指标"))
    level2 = forms.ChoiceField(label=gettext_lazy("二级指标"))
    level3 = forms.CharField(label=gettext_lazy("三级指标"), max_length=300)
    kind = forms.ChoiceField(
        label=gettext_lazy("指标类型"),
        choices=[(k.value, KIND_LABELS[k.value]) for k in core.IndicatorKind],
    )
    target = forms.CharField(label=gettext_lazy("年度指标值"), required=False, max_length=300)
    weight = forms.DecimalField(label=gettext_lazy("分值"))  # bounds: RowBase.clean
    cost_standard = forms.ChoiceField(label=gettext_lazy("对应支出标准"), required=False)
    cost_share = forms.DecimalField(
        label=gettext_lazy("成本占比（%）"), required=False
    )  # bounds: RowBase.clean

    def __init__(
        self,
        *args: Any,
        levels: Mapping[str, list[str]],
        standards: StandardChoices | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.levels = levels
        self._standard_choices(standards or StandardChoices())
        stored1 = str(self.initial.get("level1") or "")
        stored2 = str(self.initial.get("level2") or "")
        level1 = [(name, name) for name in levels]
        if stored1 and stored1 not in levels:
            level1.append((stored1, stored1))
        groups: list[tuple[str, list[tuple[str, str]]]] = [
            (name, [(level2, level2) for level2 in names]) for name, names in levels.items()
        ]
        if stored2 and not any(stored2 in names for names in levels.values()):
            groups.append((stored1 or "—", [(stored2, stored2)]))
        self._set_choices("level1", level1)
        self._set_choices("level2", groups)

    def _standard_choices(self, standards: StandardChoices) -> None:
        """The year's standards, and the stored one when the table no longer has it (kept
        unless changed; the unit cost then says it is not in the table)."""
        choices: list[tuple[str, str]] = [("", "—"), *standards.options]
        stored = str(self.initial.get("cost_standard") or "")
        if stored and stored not in dict(standards.options):
            choices.append((stored, _("%(code)s（不在本年度支出标准表中）") % {"code": stored}))
        self._set_choices("cost_standard", choices)
        self.standards = standards
        self.fields["cost_standard"].error_messages["invalid_choice"] = unknown_standard(standards)

    def _set_choices(self, name: str, choices: list[Any]) -> None:
        choice_field = self.fields[name]
        assert isinstance(choice_field, forms.ChoiceField)
        choice_field.choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        level1, level2 = cleaned.get("level1"), cleaned.get("level2")
        unchanged = (level1, level2) == (self.initial.get("level1"), self.initial.get("level2"))
        known = isinstance(level1, str) and level1 in self.levels
        if known and level2 and level2 not in self.levels[str(level1)] and not unchanged:
            self.add_error(
                "level2",
                _("二级指标“%(level2)s”不在一级指标“%(level1)s”下，可选：%(names)s")
                % {
                    "level2": level2,
                    "level1": level1,
                    "names": "、".join(self.levels[str(level1)]),
                },
            )
        self._check_cost(cleaned)
        kind, target = cleaned.get("kind"), cleaned.get("target") or ""
        level3 = cleaned.get("level3") or _("该指标")
        if kind:
            qualitative = kind == core.IndicatorKind.qualitative.value
            try:
                parsed = parse_target(
                    target, _("“%(name)s”年度指标值") % {"name": level3}, qualitative=qualitative
                )
            except TargetError as error:
                self.add_error("target", str(error))
            else:
                if parsed is None and not qualitative:
                    self.add_error("target", _("定量指标须填写年度指标值，如“≥95%”“≥3项”。"))
        return cleaned

    def _check_cost(self, cleaned: Mapping[str, Any]) -> None:
        if "cost_standard" in self.errors:  # not in the table: the choice field said so
            return
        problems = cost_link_problems(
            cleaned.get("level1"),
            cleaned.get("cost_standard") or "",
            cleaned.get("cost_share"),
            self.standards,
            stored=str(self.initial.get("cost_standard") or ""),
        )
        for name, message in problems.items():
            if name not in self.errors:
                self.add_error(name, message)


class EvaluationGoalForm(RowBase):
    FIELDS = EVALUATION_GOAL_FIELDS

    actual_objective = forms.CharField(
        label=gettext_lazy("年度总体目标完成情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    execution_reason = forms.CharField(
        label=gettext_lazy("执行率偏低原因"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )


STATE_CHOICES = [("", "—"), *((state.value, state.value) for state in core.QualitativeState)]


class EvaluationRowForm(RowBase):
    FIELDS = EVALUATION_ROW_FIELDS

    actual = forms.CharField(label=gettext_lazy("实际完成值"), required=False, max_length=300)
    state = forms.ChoiceField(
        label=gettext_lazy("完成情况（定性）"), required=False, choices=STATE_CHOICES
    )
    assessed_score = forms.DecimalField(
        label=gettext_lazy("评价得分（定性）"), required=False
    )  # bounds: RowBase.clean
    deviation_reason = forms.CharField(
        label=gettext_lazy("偏差原因分析"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    improvement = forms.CharField(
        label=gettext_lazy("改进措施"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )

    def __init__(self, *args: Any, rows: Mapping[int, m.Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows

    @property
    def indicator(self) -> m.Indicator | None:
        pk = self.initial.get("id") or (self.data.get(self.add_prefix("id")) if self.data else None)
        try:
            return self.rows.get(int(pk)) if pk else None
        except (TypeError, ValueError):
            return None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        row = self.indicator
        if row is None:
            raise forms.ValidationError(_("该指标已不存在（可能已被他人删除），请刷新页面。"))
        if row.kind == core.IndicatorKind.quantitative.value:
            where = _("“%(name)s”实际完成值") % {"name": row.level3}
            try:
                read_quantitative_actual(
                    cleaned.get("actual"), where,
                    reason=cleaned.get("deviation_reason") or "", target=row.target,
                )
            except NotAFigure:
                self.add_error(
                    "actual",
                    _("“%(name)s”为定量指标，实际完成值应为数值和单位，如“%(example)s”。")
                    % {"name": row.level3, "example": _example(row.target)},
                )
            except TargetError as error:
                self.add_error("actual", str(error))
        score = cleaned.get("assessed_score")
        if score is not None and score > row.weight:
            self.add_error(
                "assessed_score",
                _("评价得分不能超过该指标的分值%(weight)s。")
                % {"weight": plain_number(row.weight)},
            )
        return cleaned


def _example(target: str) -> str:
    try:
        parsed = parse_target(target, qualitative=False)
    except TargetError:
        return "95%"
    if parsed is None or parsed.quantity is None:
        return "95%"
    return str(parsed.quantity)


class DeclarationFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    stored_rows: Mapping[int, m.Indicator] = {}
    """The stored rows by id: the live check costs outputs with their stored actuals,
    which the declaration page does not post."""


DeclarationRows = forms.formset_factory(
    DeclarationRowForm, DeclarationFormSet, extra=0, can_delete=True, max_num=200,
    validate_max=True,
)  # fmt: skip
EvaluationRows = forms.formset_factory(EvaluationRowForm, extra=0, max_num=200, validate_max=True)
ROWS_PREFIX = "ind"


def _aligned(
    data: QueryDict | Mapping[str, Any] | None, rows: Sequence[m.Indicator], fields: Sequence[str]
) -> list[dict[str, Any]]:
    """The initial values of each row form: the stored rows in order, or, for posted data,
    the stored row each posted form names by id (rows may have come and gone meanwhile)."""
    if data is None:
        return [initial_of(row, fields) for row in rows]
    by_id = {str(row.pk): row for row in rows}
    try:
        total = int(data.get(f"{ROWS_PREFIX}-TOTAL_FORMS") or 0)
    except (TypeError, ValueError):
        total = 0
    aligned: list[dict[str, Any]] = []
    for index in range(min(total, MAX_ROWS)):
        row = by_id.get(str(data.get(f"{ROWS_PREFIX}-{index}-id") or ""))
        aligned.append(initial_of(row, fields) if row is not None else {})
    return aligned


MAX_ROWS = 200
"""At most this many indicator rows in one form."""


def declaration_forms(
    subject: GoalSubject,
    rules: ProjectRules,
    data: QueryDict | Mapping[str, Any] | None = None,
    rows: Sequence[m.Indicator] | None = None,
) -> tuple[DeclarationGoalForm, Any]:
    goal = subject.goal
    rows = indicators_of(goal) if rows is None else rows
    goal_initial = (
        initial_of(goal, DECLARATION_GOAL_FIELDS)
        if goal
        else {"name": subject.project.name if subject.project else "", "loaded": "{}"}
    )
    goal_form = DeclarationGoalForm(data, initial=goal_initial, prefix="goal")
    formset = DeclarationRows(
        data,
        initial=_aligned(data, rows, DECLARATION_ROW_FIELDS),
        prefix=ROWS_PREFIX,
        form_kwargs={
            "levels": level_choices(rules),
            "standards": standard_choices(subject.fiscal_year) if subject.project else None,
        },
    )
    cast(DeclarationFormSet, formset).stored_rows = {row.pk: row for row in rows}
    return goal_form, formset


def evaluation_forms(
    subject: GoalSubject,
    data: QueryDict | Mapping[str, Any] | None = None,
    rows: Sequence[m.Indicator] | None = None,
) -> tuple[EvaluationGoalForm, Any]:
    goal = subject.goal
    rows = indicators_of(goal) if rows is None else rows
    goal_form = EvaluationGoalForm(
        data,
        initial=initial_of(goal, EVALUATION_GOAL_FIELDS) if goal else {"loaded": "{}"},
        prefix="goal",
    )
    formset = EvaluationRows(
        data,
        initial=_aligned(data, rows, EVALUATION_ROW_FIELDS),
        prefix=ROWS_PREFIX,
        form_kwargs={"rows": {row.pk: row for row in rows}},
    )
    return goal_form, formset


# Conflicts


@dataclass(frozen=True)
class FieldChange:
    label: str
    seen: str
    now: str


@dataclass(frozen=True)
class Conflict:
    """A row the user changed that someone else changed (or deleted) meanwhile."""

    what: str
    who: str
    when: datetime | None
    deleted: bool = False
    changes: tuple[FieldChange, ...] = ()


def _latest_history(model: type[Any], pk: int) -> Any:
    manager: Any = model.history
    return manager.filter(id=pk).order_by("-history_date", "-history_id").first()


def _who(row: Any) -> str:
    if row is None or row.history_user is None:
        return _("他人（系统或导入）")
    user = row.history_user
    full = user.get_full_name()
    return f"{full}（{user.username}）" if full else str(user.username)


def _describe_conflict(
    model: type[Any],
    what: str,
    pk: int,
    current: Any | None,
    seen_version: int | None,
    loaded: Mapping[str, str],
    fields: Sequence[str],
    other_fields: Sequence[str],
) -> Conflict:
    latest = _latest_history(model, pk)
    when = latest.history_date if latest else None
    if current is None:
        return Conflict(what, _who(latest), when, deleted=True)
    changes = [
        FieldChange(field_label(name), loaded.get(name, ""), as_text(getattr(current, name)))
        for name in fields
        if loaded.get(name, "") != as_text(getattr(current, name))
    ]
    if seen_version is not None:
        manager: Any = model.history
        seen = manager.filter(id=pk, version=seen_version).order_by("-history_id").first()
        if seen is not None:
            changes.extend(
                FieldChange(
                    field_label(name), as_text(getattr(seen, name)), as_text(getattr(current, name))
                )
                for name in other_fields
                if name not in fields
                and as_text(getattr(seen, name)) != as_text(getattr(current, name))
            )
    return Conflict(what, _who(latest), when, changes=tuple(changes))


class ConflictError(Exception):
    """Raised inside the save transaction so that nothing of it is kept."""

    def __init__(self, conflicts: list[Conflict], refreshed: dict[str, str]):
        super().__init__(f"{len(conflicts)} conflicts")
        self.conflicts = conflicts
        self.refreshed = refreshed


@dataclass
class SaveResult:
    saved: bool
    conflicts: list[Conflict] = field(default_factory=list)
    data: dict[str, Any] | None = None
    """The form data to show again after a conflict (the user's input, current versions)."""
    changed: int = 0
    goal: m.PerformanceGoal | None = None


def _row_label(values: Mapping[str, str], row: m.Indicator | None) -> str:
    name = values.get("level3") or (row.level3 if row else "")
    return _("指标“%(name)s”") % {"name": name}


def _refresh_row(data: dict[str, Any], prefix: str, obj: Any, fields: Sequence[str]) -> None:
    """Point a row of the form data at the stored row's current version and values."""
    initial = initial_of(obj, fields)
    data[f"{prefix}-version"] = str(initial["version"])
    data[f"{prefix}-loaded"] = initial["loaded"]


def _replace_row(data: dict[str, Any], prefix: str, obj: Any, fields: Sequence[str]) -> None:
    """Show the stored row as it is now (the user did not change it)."""
    _refresh_row(data, prefix, obj, fields)
    for name in fields:
        data[f"{prefix}-{name}"] = as_text(getattr(obj, name))


def _save_rows(
    subject: GoalSubject,
    stage: str,
    goal_form: RowBase,
    forms_: Sequence[RowBase],
    data: dict[str, Any],
    goal_fields: Sequence[str],
    row_fields: Sequence[str],
    deletions: bool,
) -> SaveResult:
    """The common save of both pages; see the module docstring."""
    created_goal = False
    with transaction.atomic():
        goal = subject.goal
        if goal is not None:
            goal = m.PerformanceGoal.objects.select_for_update().filter(pk=goal.pk).first()
            if goal is None:
                raise WorkflowError(_("该绩效目标已被删除，请刷新页面。"))
        reason = lock_reason(goal, stage)
        if reason:
            raise WorkflowError(reason)
        conflicts: list[Conflict] = []
        current_rows = {row.pk: row for row in indicators_of(goal)}
        goal_changed = goal_form.user_changed()
        if goal is not None and goal_changed and goal.version != goal_form.cleaned_data["version"]:
            conflicts.append(
                _describe_conflict(
                    m.PerformanceGoal, _("绩效目标"), goal.pk, goal,
                    goal_form.cleaned_data["version"], goal_form.loaded_values(), goal_fields,
                    ALL_GOAL_FIELDS,
                )
            )  # fmt: skip
            _refresh_row(data, "goal", goal, goal_fields)
        writes: list[tuple[str, RowBase, m.Indicator | None]] = []
        for form in forms_:
            pk = form.cleaned_data.get("id")
            deleting = deletions and bool(form.cleaned_data.get("DELETE"))
            changed = form.user_changed()
            if pk is None:
                if not deleting:
                    writes.append(("create", form, None))
                continue
            row = current_rows.get(pk)
            version = form.cleaned_data.get("version")
            if row is None:
                if changed and not deleting:
                    conflicts.append(
                        _describe_conflict(
                            m.Indicator, _row_label(form.row_values(), None), pk, None,
                            version, form.loaded_values(), row_fields, ALL_ROW_FIELDS,
                        )
                    )  # fmt: skip
                    data[f"{form.prefix}-id"] = ""  # saving again adds it back
                    data[f"{form.prefix}-version"] = ""
                    data[f"{form.prefix}-loaded"] = "{}"
                continue
            if not changed and not deleting:
                if row.version != version:
                    _replace_row(data, str(form.prefix), row, row_fields)
                continue
            if row.version != version:
                conflicts.append(
                    _describe_conflict(
                        m.Indicator, _row_label(form.row_values(), row), pk, row, version,
                        form.loaded_values(), row_fields, ALL_ROW_FIELDS,
                    )
                )  # fmt: skip
                _refresh_row(data, str(form.prefix), row, row_fields)
                continue
            writes.append(("delete" if deleting else "update", form, row))
        if conflicts:
            return SaveResult(False, conflicts, data)
        try:
            if goal is None:
                goal = _create_goal(subject)
                created_goal = True
            if goal_changed or created_goal:
                for name in goal_fields:
                    setattr(goal, name, goal_form.cleaned_data.get(name) or "")
                if not created_goal:
                    goal.version = goal_form.cleaned_data["version"]
                # only this page's fields: a status changed meanwhile is never written back
                goal.save(update_fields=list(goal_fields))
            changed_rows = _apply(goal, writes, row_fields)
        except StaleVersionError as error:
            transaction.set_rollback(True)
            return SaveResult(False, [_stale(error, row_fields)], data)
    if subject.goal is None or created_goal:
        subject.goal = goal
    return SaveResult(True, changed=changed_rows + int(goal_changed), goal=goal)


def _stale(error: StaleVersionError, row_fields: Sequence[str]) -> Conflict:
    obj = error.obj
    model = type(obj)
    fresh = model._default_manager.filter(pk=obj.pk).first()
    what = (
        _("绩效目标")
        if isinstance(obj, m.PerformanceGoal)
        else _("指标“%(name)s”") % {"name": getattr(obj, "level3", "")}
    )
    fields = ALL_GOAL_FIELDS if isinstance(obj, m.PerformanceGoal) else ALL_ROW_FIELDS
    return _describe_conflict(model, what, obj.pk, fresh, error.expected, {}, (), fields)


def _create_goal(subject: GoalSubject) -> m.PerformanceGoal:
    last = m.PerformanceGoal.objects.filter(fiscal_year=subject.fiscal_year).aggregate(
        top=Max("position")
    )["top"]
    return m.PerformanceGoal.objects.create(
        fiscal_year=subject.fiscal_year,
        project=subject.project,
        position=(last or 0) + 1,
        name=subject.project.name if subject.project else "",
    )


def _apply(
    goal: m.PerformanceGoal,
    writes: Sequence[tuple[str, RowBase, m.Indicator | None]],
    row_fields: Sequence[str],
) -> int:
    top = m.Indicator.objects.filter(goal=goal).aggregate(top=Max("position"))["top"]
    position = -1 if top is None else top
    count = 0
    for action, form, row in writes:
        values = {name: form.cleaned_data.get(name) for name in row_fields}
        values = {
            k: ("" if v is None and k not in ("assessed_score", "cost_share") else v)
            for k, v in values.items()
        }
        if action == "create":
            position += 1
            m.Indicator.objects.create(goal=goal, position=position, **values)
        elif action == "delete":
            assert row is not None
            row.version = form.cleaned_data["version"]
            _delete_checked(row)
        else:
            assert row is not None
            for name, value in values.items():
                setattr(row, name, value)
            if "actual" in values and not values["actual"]:
                row.actual = None  # blank: not reported (未填报)
            row.version = form.cleaned_data["version"]
            row.save(update_fields=list(row_fields))
        count += 1
    return count


def _delete_checked(row: m.Indicator) -> None:
    """Delete a row only if nobody saved it since it was read (else StaleVersionError)."""
    if not m.Indicator.objects.filter(pk=row.pk, version=row.version).exists():
        raise StaleVersionError(row, row.version)
    row.delete()  # one by one: the deletion lands in the audit history


def save_declaration(
    subject: GoalSubject, goal_form: DeclarationGoalForm, formset: Any, data: dict[str, Any]
) -> SaveResult:
    initial = formset.initial_form_count()
    rows = [form for n, form in enumerate(formset.forms) if n < initial or form.has_changed()]
    return _save_rows(
        subject, WorkflowStage.declaration, goal_form, rows, data,
        DECLARATION_GOAL_FIELDS, DECLARATION_ROW_FIELDS, deletions=True,
    )  # fmt: skip


def save_evaluation(
    subject: GoalSubject, goal_form: EvaluationGoalForm, formset: Any, data: dict[str, Any]
) -> SaveResult:
    if subject.goal is None:
        raise WorkflowError(_("该项目还没有绩效目标，请先填写并保存绩效目标。"))
    return _save_rows(
        subject, WorkflowStage.evaluation, goal_form, list(formset.forms), data,
        EVALUATION_GOAL_FIELDS, EVALUATION_ROW_FIELDS, deletions=False,
    )  # fmt: skip


def posted_evaluation_goal(
    subject: GoalSubject, goal_form: EvaluationGoalForm, formset: Any
) -> tuple[core.PerformanceGoal, dict[int, dict[str, list[str]]]]:
    """The goal with the evaluation values as typed; form errors by row index."""
    rows: list[core.Indicator] = []
    errors: dict[int, dict[str, list[str]]] = {}
    for index, form in enumerate(formset.forms):
        row = form.indicator
        if row is None:
            continue
        if not form.is_valid():
            errors[index] = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
            rows.append(core_indicator(row))
            continue
        data = form.cleaned_data
        rows.append(
            core_indicator(
                row,
                actual=data.get("actual") or None,
                state=data.get("state") or "",
                assessed_score=data.get("assessed_score"),
                deviation_reason=data.get("deviation_reason") or "",
                improvement=data.get("improvement") or "",
            )
        )
    texts = goal_form.cleaned_data if goal_form.is_valid() else {}
    goal = core_goal(
        subject,
        subject.goal,
        rows,
        **{name: texts.get(name) or "" for name in EVALUATION_GOAL_FIELDS if name in texts},
    )
    return goal, errors


def posted_declaration_goal(
    subject: GoalSubject, goal_form: DeclarationGoalForm, formset: Any
) -> tuple[core.PerformanceGoal, dict[int, dict[str, list[str]]]]:
    rows: list[core.Indicator] = []
    errors: dict[int, dict[str, list[str]]] = {}
    for index, form in enumerate(formset.forms):
        if not form.is_valid():
            errors[index] = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        data = form.cleaned_data
        if data.get("DELETE") or not all(
            data.get(name) not in (None, "") for name in ("level1", "level2", "level3", "kind")
        ):
            continue
        if data.get("weight") is None:
            continue
        # a row whose target cannot be read still counts with its weight; the quality
        # checks then name its target as well
        target = (
            data.get("target") if "target" in data else form.data.get(form.add_prefix("target"))
        )
        stored = formset.stored_rows.get(data.get("id"))
        rows.append(
            core.Indicator(
                level1=data["level1"],
                level2=data["level2"],
                level3=data["level3"],
                kind=core.IndicatorKind(data["kind"]),
                target=str(target or ""),
                weight=data["weight"],
                actual=(stored.actual or None) if stored is not None else None,
                cost_standard=data.get("cost_standard") or "",
                cost_share=data.get("cost_share"),
            )
        )
    texts = goal_form.cleaned_data if goal_form.is_valid() else {}
    goal = core_goal(
        subject,
        subject.goal,
        rows,
        **{name: texts.get(name) or "" for name in DECLARATION_GOAL_FIELDS if name in texts},
    )
    return goal, errors


def finding_json(finding: Finding) -> dict[str, str]:
    return {
        "severity": finding.severity.value,
        "severity_label": finding.severity.label,
        "message": finding.message,
        "location": finding.location,
    }


def weights_total(rows: Iterable[core.Indicator]) -> Decimal:
    return sum((row.weight for row in rows), Decimal(0))
