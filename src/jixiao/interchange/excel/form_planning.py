"""From the forms of a workbook and the stored year to a plan: the year after the import,
every change (added / changed / removed, by sheet row) and every problem.

Pure apart from what ``FormContext`` hands in (the rule set, the stored funds, and what
jixiao's own export prints for the stored year). ``services.excel_form_import`` builds the
context from storage and writes the plan; the plan is a ``planning.Plan`` like the budget
import's, so the command line and the web show both the same way.

How the forms are matched with what is stored (natural keys: department, year, project
code, indicator path 一级/二级/三级):

- **The project** of a sheet: its 项目代码 cell; else the first word of the sheet's name
  when it is a stored project code (the self-evaluation export names each sheet
  “项目代码 项目名称”); else the stored project whose name is the sheet's 项目名称 (only
  one). A new code adds a project (项目名称 required). A 项目名称 that differs from the
  printed one renames the project.
- **A goal** per project (and the department-wide goal). A sheet holds the whole goal: its
  rows are the goal's indicators, in sheet order; a stored indicator missing from the sheet
  is removed (with its progress); a new path adds one. A column the sheet lacks keeps the
  stored values (the self-evaluation table has no 指标类型; the goal declaration has no
  实际完成值).
- **The funds block** of a 项目支出绩效自评表: for a project with budget lines it must agree
  with the lines (at the precision printed, e.g. 0.01 万元) — a difference is a problem;
  for a project without lines it is the project's own funds.
- **Claimed figures** (审核用): when every figure a self-evaluation table prints (each row's
  得分, 执行率, 执行率得分, 小计, 总分, 评价等级) is the one the rules compute for the goal as
  imported, the table claims nothing jixiao would not say and no claim is stored (so a table
  jixiao exported imports back unchanged; claims stored before are cleared). Otherwise every
  figure it prints is stored as the unit's claim, and ``jixiao evaluate`` audits them.
- **Progress** (监控表): one entry per indicator and date (完成值截至, else the table's
  截至日期): an entry at that date is updated, otherwise one is added; entries are never
  removed by an import. A likelihood the export marked “按进度推算” was suggested by jixiao,
  not entered, and is not stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from pydantic import ValidationError

from jixiao.core import goals as core
from jixiao.core.amounts import from_yuan, tidy, to_yuan
from jixiao.core.department_framework import DepartmentFramework
from jixiao.core.goals import Funds, FundsRow
from jixiao.core.money import ZERO, round_half_up
from jixiao.core.rules import ProjectRules
from jixiao.core.targets import Quantity, TargetError, parse_actual
from jixiao.core.vocabulary import AmountUnit
from jixiao.documents.evaluation_forms import DepartmentForm, IndicatorLine, ProjectForm
from jixiao.interchange import dataset as ds
from jixiao.interchange.dataset_file import cross_check
from jixiao.interchange.excel.form_goals import (
    CostStandardCodes,
    FundsRead,
    GoalRead,
    Key,
    RowContext,
    check_magnitude,
    claims_agree,
    common_rows,
    evaluation_goal,
    indicator_rows,
    key_text,
    not_applicable_rows,
    percent_cell,
    same,
    with_claims,
)
from jixiao.interchange.excel.form_layouts import (
    SUGGESTED_NOTE,
    FormKind,
    canonical_level1,
    canonical_level2,
)
from jixiao.interchange.excel.form_sheets import FormSheet, sheet_project_code
from jixiao.interchange.excel.headers import fold
from jixiao.interchange.excel.planning import Change, Plan, Tables
from jixiao.interchange.goal_records import core_goal
from jixiao.interchange.problems import Problem, problems_from_validation_error

DEPARTMENT_KEY = "部门整体"


@dataclass
class FormContext:
    """What planning consults besides the stored year itself."""

    rules: ProjectRules
    funds: Mapping[str, Funds] = field(default_factory=dict)
    """Each stored project's funds block (from its budget lines, else its own figures), in 元."""
    with_lines: frozenset[str] = frozenset()
    """Projects that have budget lines."""
    project_forms: Mapping[str, ProjectForm] = field(default_factory=dict)
    """What the self-evaluation export prints for each stored project goal."""
    department_form: DepartmentForm | None = None
    framework: DepartmentFramework | None = None
    department_print: Callable[[core.PerformanceGoal], DepartmentForm | None] | None = None
    """The department form the framework gives for a department goal (for the claims)."""
    standards: CostStandardCodes | None = None
    """The year's 支出标准 a declaration's output may name (None: not checked)."""


@dataclass
class _Work:
    before: ds.Dataset
    context: FormContext
    goals: dict[str | None, ds.GoalEntry]
    projects: list[ds.Project]
    problems: list[Problem] = field(default_factory=list)
    rows: dict[tuple[str | None, Key], str] = field(default_factory=dict)
    """(project, path) → the sheet row that states it."""
    goal_sheets: dict[str | None, str] = field(default_factory=dict)
    project_rows: dict[str, str] = field(default_factory=dict)
    progress_rows: dict[tuple[str | None, Key, date], str] = field(default_factory=dict)
    forecast_cells: dict[str, str] = field(default_factory=dict)
    """project → the cell of the 全年预计执行数 it states."""
    read_rows: int = 0

    def project(self, code: str) -> ds.Project | None:
        return next((p for p in self.projects if p.code == code), None)

    def replace_project(self, project: ds.Project) -> None:
        self.projects = [project if p.code == project.code else p for p in self.projects]


def plan_forms(forms: list[FormSheet], before: ds.Dataset, context: FormContext) -> Plan:
    """The plan of importing ``forms`` into the stored year ``before`` (no payments in it)."""
    work = _Work(
        before=before,
        context=context,
        goals={goal.project: goal for goal in before.goals},
        projects=list(before.budget.projects),
    )
    order = {
        FormKind.goals: 0,
        FormKind.project_evaluation: 1,
        FormKind.department_evaluation: 1,
        FormKind.monitoring: 2,
    }
    for form in sorted(forms, key=lambda f: order[f.kind]):
        work.problems.extend(form.problems)
        work.read_rows += len(form.indicators.rows)
        if not form.indicators.rows and not form.indicators.problems:
            work.problems.append(
                Problem(
                    form.name,
                    f"{form.kind.form_title}没有指标行"
                    f"（表头在第{form.indicators.header.rows[-1] + 1}行）；"
                    "空表不导入，以免误删已存的指标",
                )
            )
            continue
        if form.kind is FormKind.goals:
            _goals_sheet(work, form)
        elif form.kind is FormKind.project_evaluation:
            _project_sheet(work, form)
        elif form.kind is FormKind.department_evaluation:
            _department_sheet(work, form)
        else:
            _monitoring_sheet(work, form)
    after = _after(work)
    plan = Plan(
        before=before,
        after=after,
        tables=Tables(),
        problems=work.problems,
        goal_sheets=work.goal_sheets,
    )
    if not plan.problems:
        plan.budget_changes = list(_changes(work, before, after))
    return plan


# --- which project ----------------------------------------------------------------------


def _which_project(
    work: _Work, form: FormSheet, printed_name: Callable[[str], str | None]
) -> str | None:
    code_label = form.label("project_code")
    name_label = form.label("project_name")
    codes = {p.code for p in work.projects}
    code: str | None = None
    if code_label is not None:
        code = str(code_label.value)
    else:
        named = sheet_project_code(form.sheet)
        if named in codes:
            code = named
        elif name_label is not None:
            matches = [p.code for p in work.projects if p.name == name_label.value]
            matches += [
                c
                for c, f in work.context.project_forms.items()
                if f.project_name == name_label.value and c not in matches
            ]
            if len(matches) == 1:
                code = matches[0]
            elif len(matches) > 1:
                work.problems.append(
                    Problem(
                        name_label.where,
                        f"项目名称：有{len(matches)}个项目名为“{name_label.value}”"
                        f"（{'、'.join(matches)}），请填写项目代码",
                    )
                )
                return None
    if code is None:
        work.problems.append(
            Problem(
                name_label.where if name_label else form.top_where(),
                "无法确定是哪个项目：请填写“项目代码”（或把工作表命名为“项目代码 项目名称”）；"
                + (
                    f"已存的项目中没有名为“{name_label.value}”的项目"
                    if name_label
                    else "表中没有项目名称"
                ),
            )
        )
        return None
    if len(code) > 64 or not code.strip() or " " in code:
        where = code_label.where if code_label else form.top_where()
        work.problems.append(
            Problem(where, f"项目代码：“{code}”不是有效的项目代码（不含空格，最多64个字符）")
        )
        return None
    project = work.project(code)
    name = str(name_label.value) if name_label else None
    if name is not None and len(name) > 300:
        where = name_label.where if name_label else form.top_where()
        work.problems.append(Problem(where, "项目名称：过长（最多300个字符）"))
        return None
    if project is None:
        if not name:
            work.problems.append(
                Problem(
                    code_label.where if code_label else form.top_where(),
                    f"项目代码：项目“{code}”尚未登记；新项目请填写项目名称",
                )
            )
            return None
        try:
            work.projects.append(ds.Project(code=code, name=name))
        except ValidationError as error:
            for problem in problems_from_validation_error(error):
                work.problems.append(Problem(form.top_where(), f"项目：{problem.message}"))
            return None
        work.project_rows[code] = name_label.where if name_label else form.name
    elif name and name != project.name and name != printed_name(code):
        work.replace_project(project.model_copy(update={"name": name}))
        work.project_rows[code] = name_label.where if name_label else form.name
    return code


def _once(work: _Work, project: str | None, form: FormSheet) -> bool:
    earlier = work.goal_sheets.get(project)
    if earlier is not None and earlier != form.name:
        whose = f"项目“{project}”" if project else "部门整体"
        work.problems.append(
            Problem(
                form.top_where(),
                f"{whose}的绩效目标在工作表“{earlier}”中已经出现；同一目标只能出现在一张表中",
            )
        )
        return False
    work.goal_sheets[project] = form.name
    return True


def _remember(work: _Work, project: str | None, read_rows: list[tuple[Key, str]]) -> None:
    for key, where in read_rows:
        work.rows[(project, key)] = where


# --- 绩效目标申报表 ---------------------------------------------------------------------


def _goals_sheet(work: _Work, form: FormSheet) -> None:
    if form.department_goal:
        project: str | None = None
    else:
        project = _which_project(work, form, lambda code: None)
        if project is None:
            return
    if not _once(work, project, form):
        return
    stored = work.goals.get(project)
    stored_rows = {(i.level1, i.level2, i.level3): i for i in stored.indicators} if stored else {}
    context = RowContext(work.context.rules, stored_rows, standards=work.context.standards)
    reads = indicator_rows(form.indicators, context, work.problems)
    _remember(work, project, [(r.key, r.where) for r in reads])
    objective = stored.expected_objective if stored else ""
    if form.objective is not None:
        objective = str(form.objective.value)
    try:
        work.goals[project] = ds.GoalEntry(
            project=project,
            name=stored.name if stored else "",
            expected_objective=objective,
            actual_objective=stored.actual_objective if stored else "",
            level1_weights=dict(stored.level1_weights) if stored else {},
            execution_reason=stored.execution_reason if stored else "",
            claimed=stored.claimed if stored else ds.ClaimedEntry(),
            indicators=[r.entry for r in reads],
            forecasts=list(stored.forecasts) if stored else [],
        )
    except ValidationError as error:
        for problem in problems_from_validation_error(error):
            work.problems.append(Problem(form.top_where(), problem.message))


# --- 项目支出绩效自评表 ---------------------------------------------------------------------


def _printed_lines(
    form: ProjectForm | DepartmentForm | None, paths: set[Key]
) -> dict[Key, IndicatorLine]:
    if form is None:
        return {}
    return {
        (line.level1, line.level2, line.level3): line
        for line in form.indicators
        if (line.level1, line.level2, line.level3) in paths
    }


def _project_sheet(work: _Work, form: FormSheet) -> None:
    context = work.context

    def printed_name(code: str) -> str | None:
        printed = context.project_forms.get(code)
        return printed.project_name if printed else None

    project = _which_project(work, form, printed_name)
    if project is None or not _once(work, project, form):
        return
    stored = work.goals.get(project)
    paths = {(i.level1, i.level2, i.level3) for i in stored.indicators} if stored else set()
    printed = _printed_lines(context.project_forms.get(project), paths)
    count = len(work.problems)
    read = evaluation_goal(
        form, project, stored, RowContext(context.rules, printed=printed), work.problems
    )
    _remember(work, project, [(r.key, r.where) for r in read.indicators])
    funds = _project_funds(work, project, read.funds)
    if len(work.problems) > count or funds is None:
        return
    name = printed_name(project) or (work.project(project) or ds.Project(code="x", name="x")).name
    bare = with_claims(read, keep=False)
    keep = not claims_agree(read, core_goal(bare, name), funds, context.rules)
    work.goals[project] = with_claims(read, keep)


def _at_places(figure: Decimal, stored: Decimal, places: int, unit: str) -> bool:
    """A printed amount (元) agrees with a stored one (元) at the places printed."""
    factor = Decimal(10000) if unit == "万元" else Decimal(1)
    return round_half_up(stored / factor, places) == round_half_up(figure / factor, places)


def _project_funds(work: _Work, project: str, read: FundsRead | None) -> Funds | None:
    context = work.context
    stored = context.funds.get(project)
    if read is None:
        return stored or Funds(FundsRow("年度资金总额", ZERO, ZERO, ZERO))
    labels = {
        "initial_budget": "年初预算数",
        "final_budget": "全年预算数",
        "executed": "全年执行数",
    }
    if project in context.with_lines:
        assert stored is not None
        ok = True
        for key, label in labels.items():
            figure, kept = getattr(read.total, key), getattr(stored.total, key)
            unit = read.units.get(key) or "元"
            if not _at_places(figure, kept, max(read.places.get(key, 0), 2), unit):
                factor = Decimal(10000) if unit == "万元" else Decimal(1)
                shown = tidy(round_half_up(kept / factor, 2))
                work.problems.append(
                    Problem(
                        read.where.get(key, ""),
                        f"{label}：表中为 {tidy(figure / factor)} {unit}，"
                        f"但项目“{project}”的预算行合计为 {shown} {unit}；"
                        "有预算行的项目，资金以预算行"
                        "（预算与执行表）为准，请改正此格",
                    )
                )
                ok = False
        return stored if ok else None
    unit = work.before.unit
    item = work.project(project)
    assert item is not None
    values: dict[str, Decimal] = {}
    for key in labels:
        figure = getattr(read.total, key)
        kept = getattr(item, key)
        if kept is not None and _at_places(
            figure, to_yuan(kept, unit), max(read.places.get(key, 0), 2), read.units.get(key, "元")
        ):
            values[key] = kept
        else:
            values[key] = from_yuan(figure, unit)
    if any(getattr(item, key) != value for key, value in values.items()):
        work.replace_project(item.model_copy(update=values))
        work.project_rows.setdefault(project, read.where.get("final_budget", ""))
    return Funds(FundsRow("年度资金总额", *(to_yuan(values[key], unit) for key in labels)))


# --- 部门整体支出绩效自评表 ---------------------------------------------------------------


def _department_sheet(work: _Work, form: FormSheet) -> None:
    if not _once(work, None, form):
        return
    context = work.context
    stored = work.goals.get(None)
    stored_rows = {(i.level1, i.level2, i.level3): i for i in stored.indicators} if stored else {}
    table = form.indicators
    common = common_rows(table, context.framework, set(stored_rows))
    not_applicable = not_applicable_rows(table)
    printed = _printed_lines(context.department_form, set(stored_rows))
    count = len(work.problems)
    read = evaluation_goal(
        form,
        None,
        stored,
        RowContext(context.rules, printed=printed, department=True),
        work.problems,
        {**common, **not_applicable},
    )
    if len(work.problems) > count:
        return
    by_row = {r.index: r for r in read.indicators}
    indicators: list[ds.IndicatorEntry] = []
    for row in table.rows:
        if row.index in by_row:
            indicators.append(by_row[row.index].entry)
        elif row.index in not_applicable and row.index not in common:
            key = _row_key(row.values, context.rules)
            if key in stored_rows:
                indicators.append(stored_rows[key])
                work.rows[(None, key)] = table.row_where(row)
    _remember(work, None, [(r.key, r.where) for r in read.indicators])
    entry = read.entry.model_copy(update={"indicators": indicators})
    read = GoalRead(read.sheet, entry, read.indicators, read.claims, None)
    keep = True
    if context.department_print is not None:
        bare = with_claims(read, keep=False).model_copy(
            update={
                "indicators": [i.model_copy(update={"claimed_score": None}) for i in indicators]
            }
        )
        printed_form = context.department_print(core_goal(bare))
        keep = not _department_claims_agree(read, printed_form, context.rules.rounding_places)
    claimed = {r.key: r.claimed for r in read.indicators} if keep else {}
    work.goals[None] = entry.model_copy(
        update={
            "claimed": read.claims.entry() if keep else ds.ClaimedEntry(),
            "indicators": [
                i.model_copy(update={"claimed_score": claimed.get((i.level1, i.level2, i.level3))})
                for i in indicators
            ],
        }
    )


def _row_key(values: Mapping[str, object], rules: ProjectRules) -> Key:
    level1 = canonical_level1(str(values.get("level1") or ""), rules)
    return (
        level1,
        canonical_level2(level1, str(values.get("level2") or ""), rules),
        str(values.get("level3") or ""),
    )


def _department_claims_agree(read: GoalRead, printed: DepartmentForm | None, places: int) -> bool:
    if printed is None:
        return False
    lines = {(x.level1, x.level2, x.level3): x for x in printed.indicators}
    for row in read.indicators:
        line = lines.get(row.key)
        if row.claimed is not None and (line is None or not same(row.claimed, line.score, places)):
            return False
    claims = read.claims
    for figure, computed in (
        (claims.total, printed.total),
        (claims.weight_total, printed.weight_total),
    ):
        if figure is not None and not same(figure.value, computed, places):
            return False
    return claims.grade is None or str(claims.grade.value).strip() == (printed.grade or "")


# --- 绩效目标执行监控表 -------------------------------------------------------------------


def _monitoring_sheet(work: _Work, form: FormSheet) -> None:
    table = form.indicators
    year = work.before.year
    if form.as_of is None:
        work.problems.append(
            Problem(
                form.top_where(),
                "监控表没有截至日期：请在标题中写“（截至2023年7月31日）”，或在表头上方写“截至日期”和日期",
            )
        )
        return
    as_of: date = form.as_of.value
    if as_of.year != year:
        work.problems.append(
            Problem(form.as_of.where, f"截至日期：{as_of.isoformat()} 不在 {year} 年度内")
        )
        return
    seen: dict[tuple[str | None, Key, date], str] = {}
    labelled = _labelled_project(work, form)
    if labelled is False:
        return
    if isinstance(labelled, str):
        _stated_forecast(work, form, labelled, as_of)
    for row in table.rows:
        values = row.values
        key = _row_key(values, work.context.rules)
        owner = labelled if labelled is not None else _owner(work, table, row)
        if owner is False:
            continue
        project = owner if isinstance(owner, str) else None
        goal = work.goals.get(project)
        position = (
            next(
                (n for n, i in enumerate(goal.indicators) if (i.level1, i.level2, i.level3) == key),
                None,
            )
            if goal
            else None
        )
        if goal is None or position is None:
            whose = f"项目“{project}”" if project else "部门整体"
            work.problems.append(
                Problem(
                    table.where(row, "level3"),
                    f"三级指标：{whose}的绩效目标中没有指标“{key_text(key)}”；监控表只记录已有指标的进度"
                    "（新指标请先导入绩效目标申报表）",
                )
            )
            continue
        indicator = goal.indicators[position]
        value = (
            percent_cell(table, row, "progress", indicator.target) or values.get("progress") or ""
        )
        given = [k for k in ("likelihood", "reason_category", "reason") if values.get(k)]
        if not value:
            if given and "progress" not in row.failed:
                work.problems.append(
                    Problem(
                        table.where(row, "progress"),
                        "实际完成值：填写了完成目标可能性或偏差原因，但没有实际完成值",
                    )
                )
            continue
        if row.failed:
            continue
        day: date = values.get("as_of") or as_of
        if day.year != year or day > as_of:
            work.problems.append(
                Problem(
                    table.where(row, "as_of"),
                    f"完成值截至：{day.isoformat()} 应在 {year} 年度内，"
                    f"且不晚于表的截至日期 {as_of.isoformat()}",
                )
            )
            continue
        if len(value) > 300:
            work.problems.append(
                Problem(table.where(row, "progress"), "实际完成值：过长（最多300个字符）")
            )
            continue
        if indicator.kind is core.IndicatorKind.quantitative:
            try:
                parsed = parse_actual(value)
                if isinstance(parsed, Quantity) and not check_magnitude(
                    parsed, "实际完成值", value, table.where(row, "progress"), work.problems
                ):
                    continue
            except TargetError as error:
                work.problems.append(
                    Problem(
                        table.where(row, "progress"), f"实际完成值：{error.reason}（读到“{value}”）"
                    )
                )
                continue
        if (project, key, day) in seen:
            work.problems.append(
                Problem(
                    table.row_where(row),
                    f"指标“{key_text(key)}”截至{day.isoformat()}的进度出现了两次"
                    f"（另见 {seen[(project, key, day)]}）",
                )
            )
            continue
        seen[(project, key, day)] = table.row_where(row)
        work.progress_rows[(project, key, day)] = table.row_where(row)
        existing = next((p for p in indicator.progress if p.date == day), None)
        suggested = SUGGESTED_NOTE in (values.get("note") or "")
        likelihood = existing.likelihood if existing else None
        if table.has("likelihood") and not suggested:
            likelihood = values.get("likelihood")
        category = existing.reason_category if existing else None
        if table.has("reason_category"):
            category = values.get("reason_category")
        reason = existing.reason if existing else ""
        if table.has("reason"):
            reason = values.get("reason") or ""
        entry = ds.ProgressEntry(
            date=day, value=value, likelihood=likelihood, reason_category=category, reason=reason
        )
        if existing == entry:
            continue
        progress = [p for p in indicator.progress if p is not existing] + [entry]
        progress.sort(key=lambda p: p.date)
        indicators = list(goal.indicators)
        indicators[position] = indicator.model_copy(update={"progress": progress})
        work.goals[project] = goal.model_copy(update={"indicators": indicators})


def _stated_forecast(work: _Work, form: FormSheet, project: str, as_of: date) -> None:
    """The 全年预计执行数 of the funds block's total row, kept with the project's goal at the
    form's 截至日期 (a form without it leaves what is stored)."""
    table, total = form.funds, form.funds_total_row()
    if table is None or total is None or not table.has("projected"):
        return
    amount: Decimal | None = total.values.get("projected")
    if amount is None or "projected" in total.failed:
        return
    where = table.where(total, "projected")
    goal = work.goals.get(project)
    if goal is None:
        work.problems.append(
            Problem(
                where,
                f"全年预计执行数：项目“{project}”尚无绩效目标，请先导入绩效目标申报表",
            )
        )
        return
    if amount < ZERO:
        work.problems.append(Problem(where, "全年预计执行数：不能为负数"))
        return
    entry = ds.ForecastEntry(date=as_of, amount=from_yuan(amount, work.before.unit))
    kept = [f for f in goal.forecasts if f.date != as_of]
    if entry in goal.forecasts:
        return
    work.forecast_cells[project] = where
    forecasts = sorted([*kept, entry], key=lambda f: f.date)
    work.goals[project] = goal.model_copy(update={"forecasts": forecasts})


def _labelled_project(work: _Work, form: FormSheet) -> str | bool | None:
    """The project a monitoring form names above its table (项目代码 or 项目名称), where its
    rows name none (a province's form is one project's); None: the rows say; False: a problem.
    """
    table = form.indicators
    if table.has("project") or table.has("owner"):
        return None
    code, name = form.label("project_code"), form.label("project_name")
    if code is not None:
        if work.project(str(code.value)) is None:
            work.problems.append(Problem(code.where, f"项目代码：项目“{code.value}”尚未登记"))
            return False
        return str(code.value)
    if name is None or fold(str(name.value)).startswith(DEPARTMENT_KEY):
        return None
    matches = [p.code for p in work.projects if p.name == name.value]
    if len(matches) != 1:
        problem = (
            f"有{len(matches)}个项目名为“{name.value}”，请在表头上方写“项目代码”"
            if matches
            else f"没有名为“{name.value}”的项目；监控表只记录已有项目的进度"
        )
        work.problems.append(Problem(name.where, f"项目名称：{problem}"))
        return False
    return matches[0]


def _owner(work: _Work, table: object, row: object) -> str | bool | None:
    """The project code of a monitoring row; None for the department goal; False: a problem."""
    from jixiao.interchange.excel.headers import Table, TableRow

    assert isinstance(table, Table) and isinstance(row, TableRow)
    code = row.values.get("project")
    if code:
        if work.project(code) is None:
            work.problems.append(
                Problem(table.where(row, "project"), f"项目代码：项目“{code}”尚未登记")
            )
            return False
        return str(code)
    name = (row.values.get("owner") or "").strip()
    if fold(name).startswith(DEPARTMENT_KEY) or (
        not name and None in work.goals and not table.has("owner")
    ):
        return None
    if not name:
        work.problems.append(
            Problem(
                table.where(row, "owner"), "项目名称：不能为空（部门整体目标的指标写“部门整体”）"
            )
        )
        return False
    matches = [p.code for p in work.projects if p.name == name]
    if len(matches) != 1:
        problem = (
            f"有{len(matches)}个项目名为“{name}”，请加一列“项目代码”"
            if matches
            else f"没有名为“{name}”的项目（部门整体目标的指标写“部门整体”）"
        )
        work.problems.append(Problem(table.where(row, "owner"), f"项目名称：{problem}"))
        return False
    return matches[0]


# --- after, and the changes --------------------------------------------------------------


def _after(work: _Work) -> ds.Dataset:
    before = work.before
    order = [goal.project for goal in before.goals]
    order += [p for p in work.goals if p not in order]
    goals = [work.goals[p] for p in order if p in work.goals]
    budget = before.budget.model_copy(update={"projects": work.projects})
    after = before.model_copy(update={"budget": budget, "goals": goals})
    if work.problems:
        return after
    for problem in cross_check(after):
        if problem.where.startswith("goals"):
            index = int(problem.where.split("[", 1)[1].split("]", 1)[0])
            sheet = work.goal_sheets.get(goals[index].project, problem.where)
            work.problems.append(Problem(sheet, problem.message))
        elif problem.where.startswith(("budget.projects", "department")):
            work.problems.append(Problem(problem.where, problem.message))
    return after


def _indicator_details(before: ds.IndicatorEntry, after: ds.IndicatorEntry) -> tuple[str, ...]:
    labels = {
        "kind": "指标类型",
        "target": "年度指标值",
        "weight": "分值",
        "actual": "实际完成值",
        "state": "完成情况",
        "assessed_score": "评定得分",
        "claimed_score": "填报得分",
        "deviation_reason": "偏差原因",
        "improvement": "改进措施",
        "last_year_actual": "上年实际完成值",
        "cost_standard": "对应支出标准",
        "cost_share": "成本占比（%）",
    }
    details = []
    for name, label in labels.items():
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            details.append(f"{label}：{_show(old)} → {_show(new)}")
    return tuple(details)


def _show(value: object) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, Decimal):
        return str(tidy(value))
    if hasattr(value, "label"):
        return str(value.label)
    text = str(getattr(value, "value", value))
    return text if len(text) <= 40 else text[:37] + "…"


def _owner_text(project: str | None) -> str:
    return project if project is not None else DEPARTMENT_KEY


def _changes(work: _Work, before: ds.Dataset, after: ds.Dataset) -> Iterator[Change]:
    stored_projects = {p.code: p for p in before.budget.projects}
    for project in after.budget.projects:
        prior = stored_projects.get(project.code)
        where = work.project_rows.get(project.code, "")
        if prior is None:
            yield Change("added", "项目", project.code, where, (project.name,))
        elif prior != project:
            details = []
            if prior.name != project.name:
                details.append(f"项目名称：{prior.name} → {project.name}")
            for name, label in (
                ("initial_budget", "年初预算数"),
                ("final_budget", "全年预算数"),
                ("executed", "全年执行数"),
            ):
                old, new = getattr(prior, name), getattr(project, name)
                if old != new:
                    details.append(f"{label}：{_show(old)} → {_show(new)} {before.unit.value}")
            yield Change("changed", "项目", project.code, where, tuple(details))
    prior_goals = {goal.project: goal for goal in before.goals}
    for goal in after.goals:
        stored_goal = prior_goals.get(goal.project)
        owner = _owner_text(goal.project)
        sheet = work.goal_sheets.get(goal.project, "")
        if stored_goal is None:
            yield Change("added", "绩效目标", owner, sheet, (f"{len(goal.indicators)}个指标",))
        elif stored_goal == goal:
            continue
        else:
            goal_details = _goal_details(stored_goal, goal)
            if goal_details:
                yield Change("changed", "绩效目标", owner, sheet, goal_details)
        yield from _indicator_changes(work, goal.project, stored_goal, goal)
        yield from _forecast_changes(work, goal, stored_goal, before.unit)


def _forecast_changes(
    work: _Work, goal: ds.GoalEntry, before: ds.GoalEntry | None, unit: AmountUnit
) -> Iterator[Change]:
    prior = {f.date: f.amount for f in before.forecasts} if before else {}
    where = work.forecast_cells.get(goal.project or "", "")
    for entry in goal.forecasts:
        old = prior.get(entry.date)
        if old == entry.amount:
            continue
        label = f"{_owner_text(goal.project)} {entry.date.isoformat()}"
        shown = f"{_show(entry.amount)} {unit.value}"
        if old is None:
            yield Change("added", "全年预计执行数", label, where, (shown,))
        else:
            yield Change(
                "changed", "全年预计执行数", label, where, (f"{_show(old)} → {shown}",)
            )


def _goal_details(before: ds.GoalEntry, after: ds.GoalEntry) -> tuple[str, ...]:
    details = []
    for name, label in (
        ("expected_objective", "年度总体目标（预期目标）"),
        ("actual_objective", "年度总体目标（实际完成情况）"),
        ("execution_reason", "预算执行情况说明"),
    ):
        if getattr(before, name) != getattr(after, name):
            details.append(
                f"{label}：{_show(getattr(before, name))} → {_show(getattr(after, name))}"
            )
    if before.claimed != after.claimed:
        old, new = before.claimed, after.claimed
        for name, label in (
            ("execution_rate", "填报执行率（%）"),
            ("execution_score", "填报执行率得分"),
            ("total", "填报总得分"),
            ("grade", "填报等级"),
            ("weight_total", "填报总分"),
            ("level1_scores", "填报小计"),
        ):
            if getattr(old, name) != getattr(new, name):
                details.append(
                    f"{label}：{_show(getattr(old, name) or None)} → "
                    f"{_show(getattr(new, name) or None)}"
                )
    order_before = [(i.level1, i.level2, i.level3) for i in before.indicators]
    order_after = [(i.level1, i.level2, i.level3) for i in after.indicators]
    kept_before = [k for k in order_before if k in order_after]
    kept_after = [k for k in order_after if k in order_before]
    if kept_before != kept_after:
        details.append("指标顺序已调整")
    return tuple(details)


def _indicator_changes(
    work: _Work, project: str | None, before: ds.GoalEntry | None, after: ds.GoalEntry
) -> Iterator[Change]:
    owner = _owner_text(project)
    prior = {(i.level1, i.level2, i.level3): i for i in before.indicators} if before else {}
    for indicator in after.indicators:
        key = (indicator.level1, indicator.level2, indicator.level3)
        where = work.rows.get((project, key), "")
        old = prior.get(key)
        name = f"{owner} {key_text(key)}"
        if old is None:
            if before is not None:
                yield Change("added", "绩效指标", name, where, (indicator.target,))
            continue
        details = _indicator_details(old, indicator)
        if details:
            yield Change("changed", "绩效指标", name, where, details)
        old_progress = {p.date: p for p in old.progress}
        for entry in indicator.progress:
            earlier = old_progress.get(entry.date)
            if earlier == entry:
                continue
            place = work.progress_rows.get((project, key, entry.date), "")
            label = f"{name} {entry.date.isoformat()}"
            if earlier is None:
                yield Change("added", "指标进度", label, place, (entry.value,))
            else:
                changed = tuple(
                    f"{text}：{_show(getattr(earlier, field_))} → {_show(getattr(entry, field_))}"
                    for field_, text in (
                        ("value", "完成值"),
                        ("likelihood", "完成目标可能性"),
                        ("reason_category", "偏差原因类别"),
                        ("reason", "偏差原因说明"),
                    )
                    if getattr(earlier, field_) != getattr(entry, field_)
                )
                yield Change("changed", "指标进度", label, place, changed)
    kept = {(i.level1, i.level2, i.level3) for i in after.indicators}
    for key, indicator in prior.items():
        if key not in kept:
            details = (f"连同{len(indicator.progress)}条进度记录",) if indicator.progress else ()
            yield Change("removed", "绩效指标", f"{owner} {key_text(key)}", "", details)
