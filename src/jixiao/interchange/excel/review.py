"""Review (审核) of a filled self-evaluation workbook, storing nothing.

``review_workbook(path, rules=None) -> ReviewResult`` reads every 项目支出绩效自评表 and
部门整体支出绩效自评表 in a workbook (and every monitoring form whose layout has a funds
block: ``monitoring_review``; every 绩效目标申报表, for its goal quality: ``goals_review``),
builds each goal and its funds from the sheet itself
(no stored year is needed and the database is never touched), computes the evaluation with
the rule set (default ``mof-2020-project``; a ``ProjectRules`` or a rule file path for
another), and lists, per sheet, every finding:

- **审核** — each difference between what the unit printed and what the rules give, from
  ``core.audit.audit_claims``: a row's 得分 off its rule, full marks on an unmet target,
  points deducted from a met target without a reason, a qualitative score outside its
  state's band, a wrong 执行率 or 执行率得分, weights not adding up to 100 or to the printed
  总分, a 总分 that is not the sum of its rows, a subtotal that contradicts its rows, a grade
  outside the band of its total;
- **资金** — a 年度资金总额 row that is not the sum of its 其中 rows; a sub-row's 执行率 or
  得分 off the rule;
- **质量** — goal-quality findings (``core.goal_quality``: too few indicators, too few
  quantified, a missing first-level group, a quantitative target without operator or unit,
  a first-level group whose rows do not add up to its weight; weights not adding up to 100,
  and the groups they upset, only when the audit has not said so already: one wrong weight
  is one finding, at the 总分 cell);
- **读取** — cells that cannot be read (each with its ``sheet!A1`` and the value found).

Each finding names the cell (``sheet!G12``; the row's first cell when no single cell is
meant), the claimed and the computed value, and the rule applied.

What is printed is checked as printed:

- **Precision.** Every printed figure is compared at the decimals it is printed with — from
  the cell's number format where the cell holds a number (``printed_places``), from the text
  where it holds text (“86%” → whole percent, “8.62” → two decimals) — and the finding says
  which precision was applied (``core.printed_precision``). The execution rate is compared
  with B ÷ A unrounded, so a rule set rounding to whole numbers does not round a rate
  printed to two decimals.
- **其中 rows** are read (本年财政拨款 / 上年结转资金 / 其他资金, and 基本支出 / 项目支出 as a
  breakdown of their own) and footed against 年度资金总额 within the rounding gap of the
  printed figures: a total left at 0 over a filled 其中 row is found, a correct total over
  blank sub-rows is not. A sub-row printing its own 执行率 and 得分 is scored like the total.
- **Unreadable rows** stay in the sums with their printed 分值 and 得分; a sum that needs a
  figure that cannot be read is “无法核实” (naming the cell), and no total is computed.
- **Groups:** each first-level group's weights against the rule set's.
- **Targets and direction:** a department form's own target for a framework indicator
  (预算完成率 ≥70%) is the one scored against; a quantitative target without an operator
  whose indicator name says lower is better (投诉率, 控制率, 成本 …, the vocabulary
  ``rules/indicator-direction.yaml``) is read as “≤”, with a finding saying so.

Decisions:

- The department form's common indicators (预算完成率 …) cannot be recomputed without the
  year's data; their printed 实际值 (the rate) is taken as given and scored with the
  framework's scoring (``mof-2013-dept``), so a 得分 that does not follow from the printed
  rate is found. The department's own indicators are scored with the project rule set on
  the 分值 the form prints.
- A qualitative row whose completion state the sheet does not state (its 实际完成值 is a
  description, not one of the three states) is taken at its claimed score: the band that
  score falls in is its state. Its score can then not be outside its band; the row still
  counts in the sums, so that the total and the grade are audited.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from jixiao.core.audit import (
    EXECUTION_RATE,
    EXECUTION_SCORE,
    REVIEW_AUDITS,
    TOTAL,
    AsPrinted,
    UnreadRow,
    audit_claims,
    audit_execution,
    audit_indicator_scores,
    subtotal_key,
)
from jixiao.core.consistency import Finding
from jixiao.core.department_framework import DepartmentFramework, score_rate
from jixiao.core.direction import inferred_target
from jixiao.core.form_targets import percent_target, scoring_for_target
from jixiao.core.goal_quality import check_goal_quality
from jixiao.core.goals import Funds, FundsRow, IndicatorKind, QualitativeState
from jixiao.core.money import HUNDRED, ZERO, round_half_up
from jixiao.core.printed_precision import (
    Printed,
    consistent,
    precision_note,
    sum_consistent,
    summand,
)
from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import (
    ExecutionResult,
    GoalEvaluation,
    evaluate_execution,
    evaluate_goal,
    grade_of,
    level1_weights_in_force,
    plain_number,
)
from jixiao.core.vocabulary import Severity
from jixiao.core.year_over_year import check_two_years
from jixiao.interchange import dataset as ds
from jixiao.interchange.department_rule_files import load_department_framework
from jixiao.interchange.direction_file import load_direction_vocabulary
from jixiao.interchange.excel import cells
from jixiao.interchange.excel.cells import PercentMeaning
from jixiao.interchange.excel.department_basics import BasicsTable, basics_tables
from jixiao.interchange.excel.form_goals import (
    PART_BY_SOURCE,
    FundsPart,
    GoalRead,
    RowContext,
    common_rows,
    evaluation_goal,
    not_applicable_rows,
    same,
    with_claims,
)
from jixiao.interchange.excel.form_layouts import FormKind, canonical_level1
from jixiao.interchange.excel.form_sheets import (
    Figure,
    FormSheet,
    read_forms,
    sheet_project_code,
)
from jixiao.interchange.excel.layout_files import load_layouts
from jixiao.interchange.excel.limits import Limits
from jixiao.interchange.excel.printed_places import PrintedPlaces
from jixiao.interchange.excel.review_text import (
    AMOUNT_KEYS,
    funds_names,
    rate_rule,
    text_findings,
)
from jixiao.interchange.excel.workbook import read_workbook
from jixiao.interchange.goal_records import core_goal
from jixiao.interchange.problems import InputRejected, Problem
from jixiao.interchange.rule_files import load_rule_set, load_rule_set_file

DEFAULT_RULES = "mof-2020-project"
DEFAULT_FRAMEWORK = "mof-2013-dept"
BASICS_TITLE = "部门整体支出绩效评价基础信息表"


@dataclass(frozen=True)
class ReviewFinding:
    """One finding of a review, located in the sheet."""

    id: str
    severity: Severity
    category: str
    """读取, 资金, 审核 or 质量."""
    where: str
    """The cell (“项目A!G12”) or the sheet."""
    location: str
    """What it is about: an indicator path, 年度资金总额, 总分, 评价等级 …"""
    message: str
    claimed: str = ""
    """The figure the table prints (as text)."""
    computed: str = ""
    """The figure the rules give (as text)."""
    rule: str = ""

    def lines(self) -> list[str]:
        head = f"【{self.severity.label}】{self.where}  {self.id}"
        figures = []
        if self.claimed:
            figures.append(f"填报 {self.claimed}")
        if self.computed:
            figures.append(f"计算 {self.computed}")
        if figures:
            head += f"  {'，'.join(figures)}"
        lines = [head, f"    {self.message}"]
        if self.rule:
            lines.append(f"    规则：{self.rule}")
        return lines


@dataclass(frozen=True)
class SheetReview:
    """The review of one sheet."""

    sheet: str
    kind: FormKind
    title: str
    """The project (“LW23-P07 不动产登记业务运行”) or the department."""
    findings: tuple[ReviewFinding, ...]
    total: Decimal | None = None
    """The total the rules give; None when the evaluation is incomplete."""
    grade: str | None = None
    claimed_total: Decimal | None = None
    claimed_grade: str | None = None
    read_as: str = ""
    """The layout the sheet was read by: 按版式“财政部项目支出绩效自评表”读取."""
    what: str = ""
    """The form, where it is not its kind's (绩效目标完成情况表)."""
    summary: str = ""
    """What the review computed, where there is no total (an attainment table's counts)."""


@dataclass(frozen=True)
class ReviewResult:
    """Every sheet reviewed in a workbook."""

    file: str
    rules: str
    """The rule set's name and id."""
    sheets: tuple[SheetReview, ...] = field(default_factory=tuple)

    @property
    def findings(self) -> tuple[ReviewFinding, ...]:
        return tuple(f for sheet in self.sheets for f in sheet.findings)

    @property
    def clean(self) -> bool:
        return not self.findings

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.severity.label] = counts.get(finding.severity.label, 0) + 1
        return counts


def _rules(rules: ProjectRules | Path | str | None) -> ProjectRules:
    if rules is None:
        return load_rule_set(DEFAULT_RULES)
    if isinstance(rules, ProjectRules):
        return rules
    return load_rule_set_file(Path(rules))


def review_workbook(
    path: Path,
    rules: ProjectRules | Path | str | None = None,
    *,
    framework: DepartmentFramework | None = None,
    limits: Limits | None = None,
    layouts: Sequence[Path | str] = (),
) -> ReviewResult:
    """Review every self-evaluation table in a workbook; raise InputRejected if there is none.

    Nothing is stored: no database is used. ``layouts``: layout files or folders read
    besides the shipped layouts (``layout_files.load_layouts``).
    """
    project_rules = _rules(rules)
    workbook = read_workbook(Path(path), limits)
    forms = [
        form
        for form in read_forms(workbook, load_layouts(layouts))
        if form.kind
        in (FormKind.project_evaluation, FormKind.department_evaluation, FormKind.goals)
        or (form.kind is FormKind.monitoring and form.layout.funds is not None)
    ]
    printed = PrintedPlaces.of(Path(path))
    basics = basics_tables(workbook, printed)
    if not forms and not basics:
        raise InputRejected(
            [
                Problem(
                    workbook.name,
                    "没有找到项目支出绩效自评表、部门整体支出绩效自评表或绩效目标申报表："
                    "表中应有 一级指标、二级指标、三级指标、分值、得分（申报表：年度指标值）等列"
                    "（可用 jixiao template 项目支出绩效自评表 生成模板）",
                )
            ]
        )
    sheets = []
    for form in forms:
        if form.attainment:
            from jixiao.interchange.excel.attainment_review import review_attainment

            sheets.append(review_attainment(form, project_rules))
        elif form.kind is FormKind.monitoring:
            from jixiao.interchange.excel.monitoring_review import review_monitoring

            sheets.append(review_monitoring(form, printed, project_rules))
        elif form.kind is FormKind.goals:
            from jixiao.interchange.excel.goals_review import review_goals

            sheets.append(review_goals(form, project_rules))
        elif form.kind is FormKind.project_evaluation:
            sheets.append(_project(form, project_rules, printed))
        else:
            chosen = framework or load_department_framework(DEFAULT_FRAMEWORK)
            duty_rules = project_rules if rules is not None else _framework_rules(chosen)
            sheets.append(_department(form, duty_rules, chosen, printed))
    sheets = [
        replace(
            sheet,
            read_as=f.read_as,
            findings=(*_once_per_missing_column(sheet.findings, f), *hidden_row_findings(f)),
        )
        for sheet, f in zip(sheets, forms, strict=True)
    ]
    sheets += [_basics(table) for table in basics]
    return ReviewResult(
        file=workbook.name,
        rules=f"{project_rules.name}（{project_rules.id}）",
        sheets=tuple(sheets),
    )


def _framework_rules(framework: DepartmentFramework) -> ProjectRules:
    from jixiao.interchange.department_rule_files import framework_project_rules

    return framework_project_rules(framework)


# --- reading problems --------------------------------------------------------------------


def read_findings(problems: Iterable[Problem]) -> list[ReviewFinding]:
    """Each reading problem as a ``cell-unreadable`` finding."""
    return [
        ReviewFinding(
            id="cell-unreadable",
            severity=Severity.error,
            category="读取",
            where=p.where,
            location="",
            message=p.message,
        )
        for p in problems
    ]


def _once_per_missing_column(
    findings: Iterable[ReviewFinding], form: FormSheet
) -> tuple[ReviewFinding, ...]:
    """One cause, one finding: a required column missing from the indicator header is
    reported with the header; each row's empty cell of it, and the weight sum it leaves
    unverifiable, are not reported again."""
    table = form.indicators
    missing = [c for c in table.spec.columns if c.required and not table.has(c.key)]
    if not missing:
        return tuple(findings)
    empty = tuple(f"{column.label}：不能为空" for column in missing)
    follows = {"weights-unverifiable"} if any(c.key == "weight" for c in missing) else set()
    return tuple(
        finding
        for finding in findings
        if not (finding.id == "cell-unreadable" and finding.message.startswith(empty))
        and finding.id not in follows
    )


def hidden_row_findings(form: FormSheet) -> list[ReviewFinding]:
    """A hidden row holding data is part of the form: it was read and checked like any row,
    but a printed copy of the form leaves it out, so the bureau is told."""
    sheet = form.sheet
    return [
        ReviewFinding(
            id="hidden-row-with-data",
            severity=Severity.warning,
            category="读取",
            where=sheet.where(row, col),
            location=f"第{row + 1}行",
            message=(
                f"第{row + 1}行是隐藏行，其中有数据（{sheet.where(row, col)}：“"
                f"{cells.display(sheet.value(row, col))}”）：已与其他行一样读取和核对，但打印件"
                "和屏幕上看不到这一行；请取消隐藏，或删去不应填报的内容"
            ),
        )
        for row, col in sheet.hidden_data_rows()
    ]


# --- project forms -----------------------------------------------------------------------


def _band_state(entry: ds.IndicatorEntry, rules: ProjectRules) -> QualitativeState | None:
    """The state whose band the claimed score falls in (a row that names no state)."""
    claimed = entry.claimed_score
    if claimed is None or entry.weight <= ZERO:
        return None
    share = claimed / entry.weight
    for band in rules.qualitative:
        if band.contains(share):
            return band.state
    return None


def _with_band_states(entry: ds.GoalEntry, rules: ProjectRules) -> ds.GoalEntry:
    indicators = []
    for indicator in entry.indicators:
        if (
            indicator.kind is IndicatorKind.qualitative
            and indicator.state is None
            and indicator.claimed_score is not None
            and indicator.actual is not None  # a row with no 评价 at all is not rated by its score
        ):
            state = _band_state(indicator, rules)
            if state is not None:
                indicator = indicator.model_copy(
                    update={"state": state, "assessed_score": indicator.claimed_score}
                )
        indicators.append(indicator)
    return entry.model_copy(update={"indicators": indicators})


def form_title(form: FormSheet) -> str:
    """A form's title in the review: its project code and name, else the sheet's name."""
    code = form.label("project_code")
    name = form.label("project_name")
    parts = [
        str(code.value) if code else sheet_project_code(form.sheet) or "",
        str(name.value) if name else "",
    ]
    return " ".join(p for p in parts if p) or form.name


COUNTS_OF_ROWS = frozenset({"too-few-indicators", "too-few-quantified", "missing-level1"})
"""Goal-quality checks that count the rows: not made while a row cannot be read."""


def _project(form: FormSheet, rules: ProjectRules, places: PrintedPlaces) -> SheetReview:
    problems = list(form.problems)
    read = evaluation_goal(form, "review", None, RowContext(rules), problems)
    findings = read_findings(problems)
    entry = _with_band_states(with_claims(read, keep=True), rules)
    entry, inferred = _with_directions(read, entry)
    findings.extend(inferred)
    goal = core_goal(entry, form_title(form))
    printed = _as_printed(read, places, unread_rows(read, problems, rules))
    funds = read.funds.funds if read.funds else Funds(FundsRow("年度资金总额", ZERO, ZERO, ZERO))
    if read.funds is None and not any(p.where.startswith(f"{form.name}!") for p in problems):
        findings.append(
            ReviewFinding(
                id="funds-missing",
                severity=Severity.error,
                category="读取",
                where=form.top_where(),
                location="年度资金总额",
                message=_funds_missing(funds_names(form.layout)),
            )
        )
    funds = _printed_rate_funds(read, _total_from_parts(read, funds), rules, printed)
    evaluation = evaluate_goal(goal, funds, rules)
    findings.extend(_funds_findings(read, places))
    findings.extend(_part_findings(read, rules, places))
    findings.extend(_execution_findings(read, evaluation.execution))
    findings.extend(_text_figure_findings(read))
    audit = audit_claims(evaluation, REVIEW_AUDITS, printed)
    findings.extend(_located(read, evaluation, finding, "审核") for finding in audit)
    audited = {(finding.id, finding.location) for finding in audit} | {
        (finding.id, "绩效指标")
        for finding in audit  # the weights, seen from the goal's side
    }
    if printed.unread:  # the audit summed the weights with the unread rows; the goal lacks them
        audited.add(("weights-not-100", "绩效指标"))
    # The audit compares the groups, with the unread rows, and not when the whole is off
    audited |= {("group-weights-mismatch", name) for name in level1_weights_in_force(goal, rules)}
    findings.extend(
        _located(read, evaluation, finding, "质量")
        for finding in check_goal_quality(goal, rules)
        if (finding.id, finding.location) not in audited
        and not (printed.unread and finding.id in COUNTS_OF_ROWS)
    )
    claimed = goal.claimed
    complete = not printed.unread
    return SheetReview(
        sheet=form.name,
        kind=form.kind,
        title=form_title(form),
        findings=tuple(findings),
        total=evaluation.total if complete else None,
        grade=evaluation.grade if complete else None,
        claimed_total=claimed.total,
        claimed_grade=claimed.grade,
    )


# --- the figures as printed ----------------------------------------------------------------

_CELL = re.compile(r"!([A-Z]+)(\d+)$")


def _problem_rows(problems: Iterable[Problem], sheet: str) -> dict[int, str]:
    """The first unreadable cell of each sheet row (0-based) that has one."""
    rows: dict[int, str] = {}
    for problem in problems:
        match = _CELL.search(problem.where)
        if match and problem.where.startswith(f"{sheet}!"):
            rows.setdefault(int(match.group(2)) - 1, problem.where)
    return rows


def unread_rows(
    read: GoalRead,
    problems: Iterable[Problem],
    rules: ProjectRules,
    skipped: Iterable[int] = (),
) -> tuple[UnreadRow, ...]:
    """Indicator rows the form prints but that could not be read (a problem names one of
    their cells), with what of them can be: they still count in the sums that need them, or
    make those sums unverifiable. A row left out without a problem was left out on purpose."""
    table = read.sheet.indicators
    kept = {row.index for row in read.indicators} | set(skipped)
    cells = _problem_rows(problems, read.sheet.name)
    unread = []
    for row in table.rows:
        if row.index in kept or row.index not in cells:
            continue
        values, failed = row.values, row.failed
        level1 = values.get("level1") if "level1" not in failed else None
        unread.append(
            UnreadRow(
                where=cells[row.index],
                level1=canonical_level1(level1, rules) if level1 else "",
                weight=values.get("weight") if "weight" not in failed else None,
                score=values.get("score") if "score" not in failed else None,
            )
        )
    return tuple(unread)


def _rate_meaning(read: GoalRead) -> PercentMeaning:
    table = read.sheet.funds
    declared = table.header.declared.get("rate") if table is not None else None
    return declared.percent if declared is not None else PercentMeaning.fraction


def _as_printed(read: GoalRead, places: PrintedPlaces, unread: tuple[UnreadRow, ...]) -> AsPrinted:
    """The decimals each claimed figure of the form is printed with, and its unread rows."""
    table = read.sheet.indicators
    found: dict[str, int | None] = {}
    if table.has("score"):
        for row in read.indicators:
            if row.claimed is not None:
                raw = table.raw(row.index, "score")
                found["/".join(row.key)] = places.at(row.cell["score"], raw)
    claims = read.claims
    figures: list[tuple[str, Figure | None, PercentMeaning | None]] = [
        (EXECUTION_RATE, claims.execution_rate, _rate_meaning(read)),
        (EXECUTION_SCORE, claims.execution_score, None),
        (TOTAL, claims.total, None),
        *((subtotal_key(g), f, None) for g, f in claims.level1_scores.items()),
    ]
    for key, figure, percent in figures:
        if figure is not None:
            found[key] = places.at(figure.where, figure.raw, percent)
    return AsPrinted({k: v for k, v in found.items() if v is not None}, unread)


def _printed_rate_funds(
    read: GoalRead, funds: Funds, rules: ProjectRules, printed: AsPrinted
) -> Funds:
    """The funds with the printed 执行率 when amounts rounding to the printed ones give it.

    A sheet prints amounts rounded (265.14 万元) while its 执行率 was computed from the exact
    ones; 265.14 ÷ 275.00 may then differ from the printed 96.42 % in the last place. When
    the printed rate lies between the rates of the smallest and the largest amounts that
    round to the printed ones, it is taken as the rate (the executed amount is set to
    rate × 全年预算数); otherwise the rate is computed from the printed amounts and the
    difference is a finding. A rate printed with fewer decimals than the rules use (“86%”)
    says less than the amounts: the rate is then computed from them.
    """
    rate = read.claims.execution_rate
    sheet = read.funds
    if rate is None or sheet is None:
        return funds
    if printed.places.get(EXECUTION_RATE, rules.rounding_places) < rules.rounding_places:
        return funds
    total = funds.total
    half: dict[str, Decimal] = {}
    for key in ("final_budget", "executed"):
        places = max(sheet.places.get(key, 0), 2)
        factor = Decimal(10000) if sheet.units.get(key) == "万元" else Decimal(1)
        half[key] = Decimal(5).scaleb(-(places + 1)) * factor
    if total.final_budget - half["final_budget"] <= ZERO:
        return funds
    places = rules.rounding_places
    low = (total.executed - half["executed"]) / (total.final_budget + half["final_budget"])
    high = (total.executed + half["executed"]) / (total.final_budget - half["final_budget"])
    claimed = round_half_up(rate.value, places)
    if not round_half_up(low * HUNDRED, places) <= claimed <= round_half_up(high * HUNDRED, places):
        return funds
    executed = claimed / HUNDRED * total.final_budget
    return Funds(
        FundsRow(total.label, total.initial_budget, total.final_budget, executed), funds.rows
    )


def _execution_findings(read: GoalRead, execution: ExecutionResult) -> list[ReviewFinding]:
    """An execution rate that cannot be computed (全年预算数 0 with money spent, an amount
    past the bounds) is a finding: the review must not answer "未发现问题" for it."""
    if read.funds is None or execution.score is not None:
        return []
    names = funds_names(read.sheet.layout)
    final_budget, executed = names["final_budget"], names["executed"]
    return [
        ReviewFinding(
            id="execution-rate-uncomputable",
            severity=Severity.error,
            category="资金",
            where=read.funds.where.get("final_budget", ""),
            location="年度资金总额/执行率",
            message=(
                f"{execution.rule}：{final_budget}{_wan(execution.final_budget)}万元，"
                f"{executed}{_wan(execution.executed)}万元，请核对{final_budget}。"
            ),
            rule=rate_rule(names, "预算执行率"),
        )
    ]


def _total_from_parts(read: GoalRead, funds: Funds) -> Funds:
    """A 年度资金总额 row left at 0 over filled 其中 rows (a finding of its own) is scored on
    the sum of its sources (or of its uses, 基本支出 / 项目支出, where the form breaks it
    down by use only), so that the printed 执行率 and 得分 are still checked."""
    sheet = read.funds
    total = funds.total
    if sheet is None or any((total.initial_budget, total.final_budget, total.executed)):
        return funds
    groups = {part.group for part in sheet.parts}
    group = PART_BY_SOURCE if PART_BY_SOURCE in groups or not groups else groups.pop()
    sources = [part.row for part in sheet.parts if part.group == group]
    if not any(row.final_budget or row.executed for row in sources):
        return funds
    summed = [sum((getattr(row, key) for row in sources), ZERO) for key in AMOUNT_KEYS]
    return Funds(FundsRow(total.label, *summed), funds.rows)


def _funds_missing(names: dict[str, str]) -> str:
    amounts = "、".join(names[key] for key in AMOUNT_KEYS)
    return f"表中没有项目资金（{amounts}）一栏，无法计算预算执行率"


def _amount(read: GoalRead, figure: Figure, key: str, places: PrintedPlaces) -> Printed:
    """An amount as printed: in the sheet's unit, at the decimals the cell shows."""
    assert read.funds is not None
    return Printed(figure.value / read.funds.factor(key), places.at(figure.where, figure.raw))


def _funds_findings(read: GoalRead, places: PrintedPlaces) -> list[ReviewFinding]:
    """年度资金总额 footed against its 其中 rows, each breakdown (by source; by use, where the
    form has 基本支出 / 项目支出) on its own, within what rounding each printed figure allows."""
    funds = read.funds
    if funds is None or not funds.parts:
        return []
    groups: dict[str, list[FundsPart]] = {}
    for part in funds.parts:
        groups.setdefault(part.group, []).append(part)
    found = []
    names = funds_names(read.sheet.layout)
    for group, parts in groups.items():
        for key in AMOUNT_KEYS:
            label = names[key]
            shown = [_amount(read, p.figures[key], key, places) for p in parts if key in p.figures]
            figure = funds.figures.get(key)
            if not shown or figure is None:
                continue
            if sum_consistent(_amount(read, figure, key, places), shown):
                continue
            total = getattr(funds.total, key)
            parts_sum = sum((p.figures[key].value for p in parts if key in p.figures), ZERO)
            blank = total == ZERO
            message = (
                f"年度资金总额的{label}填报{_wan(total)}万元，其中各行（{group}）合计"
                f"{_wan(parts_sum)}万元，两者应相等"
                + ("：总额一行未填写。" if blank else "（已计入各数四舍五入的尾差）。")
            )
            found.append(
                ReviewFinding(
                    id="funds-total-not-sum-of-rows",
                    severity=Severity.error,
                    category="资金",
                    where=funds.where.get(key, ""),
                    location=f"年度资金总额/{label}",
                    message=message,
                    claimed=f"{_wan(total)}万元",
                    computed=f"{_wan(parts_sum)}万元",
                    rule=f"年度资金总额 = 其中各{group}之和",
                )
            )
    return found


def _part_findings(
    read: GoalRead, rules: ProjectRules, places: PrintedPlaces
) -> list[ReviewFinding]:
    """Sub-rows of the funds block that print their own 执行率 and 得分 (基本支出 at
    92.87 % …) are scored like the total row, on their own 分值."""
    funds = read.funds
    if funds is None:
        return []
    found = []
    names = funds_names(read.sheet.layout)
    for part in funds.parts:
        rate, score = part.figures.get("rate"), part.figures.get("score")
        if rate is None and score is None:
            continue
        weight_figure = part.figures.get("weight")
        weight = weight_figure.value if weight_figure is not None else rules.execution.weight
        part_rules = dataclasses.replace(
            rules, execution=dataclasses.replace(rules.execution, weight=weight)
        )
        execution = evaluate_execution(Funds(part.row), part_rules)
        label = part.row.label
        if rate is not None and execution.rate is not None:
            shown = places.at(rate.where, rate.raw, _rate_meaning(read))
            digits = rules.rounding_places if shown is None else shown
            if not consistent(execution.rate * HUNDRED, rate.value, digits):
                computed = round_half_up(execution.rate * HUNDRED, digits)
                found.append(
                    _part_finding(
                        "funds-part-rate-wrong", rate.where, f"{label}/执行率",
                        f"{label}执行率填报{plain_number(rate.value)}%，按{names['executed']}÷"
                        f"{names['final_budget']}计算为{plain_number(computed)}%"
                        f"（{precision_note(digits)}）。",
                        f"{plain_number(rate.value)}%", f"{plain_number(computed)}%",
                        rate_rule(names),
                    )
                )
        if score is not None and execution.score is not None:
            shown = places.at(score.where, score.raw)
            digits = min(rules.rounding_places if shown is None else shown, rules.rounding_places)
            if not consistent(execution.score, score.value, digits):
                found.append(
                    _part_finding(
                        "funds-part-score-wrong", score.where, f"{label}/得分",
                        f"{label}执行率{plain_number(execution.rate_percent or ZERO)}%，得分填报"
                        f"{plain_number(score.value)}，按规则应得{plain_number(execution.score)}"
                        f"（{execution.rule}；{precision_note(digits)}）。",
                        plain_number(score.value), plain_number(execution.score), execution.rule,
                    )
                )
    return found


def _part_finding(
    check_id: str, where: str, location: str, message: str, claimed: str, computed: str,
    rule: str,
) -> ReviewFinding:
    return ReviewFinding(
        id=check_id, severity=Severity.error, category="资金", where=where, location=location,
        message=message, claimed=claimed, computed=computed, rule=rule,
    )


def _text_figure_findings(read: GoalRead) -> list[ReviewFinding]:
    """Figures in 偏差原因 / 完成情况 text that do not agree with the table (``review_text``)."""
    return [
        ReviewFinding(id=f.id, severity=f.severity, category="审核", where=where,
                      location=f.subject, message=f.message,
                      rule="文字中重述的数字应与表中数字一致（按两者中较粗的精度比较）")
        for where, f in text_findings(read)
    ]  # fmt: skip


def _basics(table: BasicsTable) -> SheetReview:
    """A 基础信息表 (上年数 / 本年数 / 增减额 / 增减率): ``core.year_over_year``."""
    found = read_findings(table.problems) + [
        ReviewFinding(id=f.id, severity=f.severity, category="资金", where=f.location,
                      location="基础信息表", message=f.message)
        for f in check_two_years(table.rows)
    ]  # fmt: skip
    return SheetReview(
        sheet=table.sheet,
        kind=FormKind.department_evaluation,
        title=table.title,
        findings=tuple(found),
        what=BASICS_TITLE,
        summary=f"读取{len(table.rows)}行上年数、本年数及增减",
    )


def _wan(yuan: Decimal) -> str:
    return f"{round_half_up(yuan / Decimal(10000), 2):,.2f}"


def _text(value: Decimal | None, suffix: str = "") -> str:
    return "" if value is None else f"{plain_number(value)}{suffix}"


def _located(
    read: GoalRead, evaluation: GoalEvaluation, finding: Finding, category: str
) -> ReviewFinding:
    """A core finding with its cell, the claimed and the computed figure and the rule."""
    form = read.sheet
    where, claimed, computed, rule = form.top_where(), "", "", ""
    figures = finding.figures
    rows = {"/".join(r.key): r for r in read.indicators}
    location = finding.location
    if location in rows:
        row = rows[location]
        result = next(r for r in evaluation.indicators if r.path == location)
        column = "score" if category == "审核" else "target"
        where = row.cell.get(column, row.where)
        rule = result.rule
        claimed = _text(figures.get("填报得分"))
        computed = _text(figures.get("计算得分", figures.get("评定得分")))
        if finding.id == "qualitative-score-outside-band":
            low, high = figures.get("区间下限"), figures.get("区间上限")
            computed = f"{_text(low)}～{_text(high)}"
            band = evaluation.rules.band(QualitativeState(result.status.value))
            rule = f"{band.state.value}：得分在分值的{band.describe()}之内"
    elif location.startswith("年度资金总额"):
        funds = read.funds
        execution = evaluation.execution
        rule = execution.rule
        if finding.id == "execution-rate-wrong":
            where = funds.where.get("rate", where) if funds else where
            claimed = _text(figures.get("填报执行率"), "%")
            computed = _text(figures.get("计算执行率"), "%")
            rule = rate_rule(funds_names(form.layout))
        elif finding.id == "execution-score-wrong":
            where = funds.where.get("score", where) if funds else where
            claimed = _text(figures.get("填报得分"))
            computed = _text(figures.get("计算得分"))
        elif funds:
            where = funds.where.get("rate", where)
    elif finding.id == "weights-not-100":
        printed = read.claims.weight_total
        where = printed.where if printed else where
        claimed = _text(figures.get("填报总分"))
        computed = _text(figures.get("分值合计"))
        rule = "各三级指标分值与预算执行率分值之和为100，等于总分行的分值"
    elif finding.id == "total-not-sum-of-rows":
        where = read.claims.total.where if read.claims.total else where
        claimed = _text(figures.get("填报总得分"))
        computed = _text(figures.get("应为"))
        rule = "总得分 = 各三级指标得分与预算执行率得分之和"
    elif finding.id == "grade-outside-band":
        grade = read.claims.grade
        where = grade.where if grade else where
        claimed = str(grade.value) if grade else ""
        total = figures.get("总得分")
        computed = grade_of(total, evaluation.rules) if total is not None else ""
        rule = "；".join(
            f"{band.grade}：{plain_number(band.at_least)}分及以上"
            for band in evaluation.rules.grades
        )
    elif finding.id == "subtotal-contradicts-rows":
        group = location.removesuffix("（小计）")
        printed_subtotal = read.claims.level1_scores.get(group)
        where = printed_subtotal.where if printed_subtotal else where
        claimed = _text(figures.get("填报小计"))
        computed = _text(figures.get("各行合计"))
        rule = "一级指标小计 = 其下各三级指标得分之和"
    elif finding.id == "group-weights-mismatch":
        first = next((r for r in read.indicators if r.key[0] == location), None)
        where = first.cell.get("weight", where) if first else where
        claimed = _text(figures.get("三级指标分值合计"))
        computed = _text(figures.get("一级指标分值"))
        rule = f"规则集“{evaluation.rules.name}”的一级指标分值"
    elif finding.id == "weights-unverifiable":
        printed = read.claims.weight_total
        where = printed.where if printed else where
        rule = "分值合计须计入每一行"
    elif finding.id == "total-unverifiable":
        where = read.claims.total.where if read.claims.total else where
        rule = "总得分须计入每一行"
    elif finding.id == "subtotal-unverifiable":
        group = location.removesuffix("（小计）")
        printed_subtotal = read.claims.level1_scores.get(group)
        where = printed_subtotal.where if printed_subtotal else where
        rule = "一级指标的合计须计入其下每一行"
    return ReviewFinding(
        id=finding.id,
        severity=finding.severity,
        category=category,
        where=where,
        location=location,
        message=finding.message,
        claimed=claimed,
        computed=computed,
        rule=rule,
    )


# --- the department form -----------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    """One row of the department form as it enters the sums: None where it cannot be read."""

    where: str
    weight: Decimal | None
    score: Decimal | None
    unread: bool = False
    places: int | None = None
    """The decimals the score is printed with (None: computed, or not known)."""
    group: str = ""
    """Its first-level group (none for the funds block's execution row)."""


def _department(
    form: FormSheet, rules: ProjectRules, framework: DepartmentFramework, places: PrintedPlaces
) -> SheetReview:
    problems = list(form.problems)
    table = form.indicators
    common = common_rows(table, framework, set())
    not_applicable = not_applicable_rows(table)
    skipped = {**common, **not_applicable}
    read = evaluation_goal(form, None, None, RowContext(rules, department=True), problems, skipped)
    findings = read_findings(problems)
    entry = _with_band_states(with_claims(read, keep=True), rules)
    entry, inferred = _with_directions(read, entry)
    findings.extend(inferred)
    duties = core_goal(entry, _department_title(form))
    unread = unread_rows(read, problems, rules, skipped)
    printed = _as_printed(read, places, unread)
    funds = Funds(FundsRow("", ZERO, ZERO, ZERO))
    if read.funds is not None:  # 年度部门整体支出预算执行情况, where the form has one
        funds = _printed_rate_funds(read, _total_from_parts(read, read.funds.funds), rules, printed)
    evaluation = evaluate_goal(duties, funds, rules)
    audits = [*audit_indicator_scores(evaluation, printed)]
    if read.funds is not None:
        audits += audit_execution(evaluation, printed)
        findings.extend(_funds_findings(read, places))
        findings.extend(_part_findings(read, rules, places))
    findings.extend(_text_figure_findings(read))
    findings.extend(_located(read, evaluation, finding, "审核") for finding in audits)
    lines: list[_Line] = []
    for row in table.rows:
        if row.index in common and row.index not in not_applicable:
            lines.append(_common_row(form, row, framework, places, findings))
    for read_row, result in zip(read.indicators, evaluation.indicators, strict=True):
        shown = printed.places.get(result.path)
        score, shown = _summand(read_row.claimed, result.score, shown, rules)
        lines.append(
            _Line(read_row.where, read_row.entry.weight, score, places=shown, group=read_row.key[0])
        )
    lines += [
        _Line(row.where, row.weight, row.score, unread=True, group=row.level1) for row in unread
    ]
    if read.funds is not None:
        execution = evaluation.execution
        claimed = read.claims.execution_score
        where = read.funds.where.get("score", "")
        score, shown = _summand(
            claimed.value if claimed else None,
            execution.score,
            printed.places.get(EXECUTION_SCORE),
            rules,
        )
        lines.append(_Line(where, execution.weight, score, places=shown))
    findings.extend(_department_totals(form, lines, rules, printed))
    findings.extend(_department_subtotals(read, lines, rules, places))
    scores = [line.score for line in lines]
    total = (
        None
        if unread or any(s is None for s in scores)
        else sum((s or ZERO for s in scores), ZERO)
    )
    return SheetReview(
        sheet=form.name,
        kind=form.kind,
        title=_department_title(form),
        findings=tuple(findings),
        total=total,
        grade=grade_of(total, rules) if total is not None else None,
        claimed_total=form.total.value if form.total else None,
        claimed_grade=str(form.grade.value) if form.grade else None,
    )


def _summand(
    claimed: Decimal | None, computed: Decimal | None, places: int | None, rules: ProjectRules
) -> tuple[Decimal | None, int | None]:
    """A score as it enters the department form's sums and its decimals (``summand``)."""
    term = summand(claimed, computed, places, rules.rounding_places)
    return (None, None) if term is None else (term.value, term.places)


def _with_directions(
    read: GoalRead, entry: ds.GoalEntry
) -> tuple[ds.GoalEntry, list[ReviewFinding]]:
    """Quantitative targets without an operator whose name says lower is better get “≤”
    (``core.direction``), each with a finding that says it was inferred."""
    vocabulary = load_direction_vocabulary()
    cells_by_key = {tuple(row.key): row.cell for row in read.indicators}
    indicators, found = [], []
    for indicator in entry.indicators:
        inferred = (
            inferred_target(indicator.target, indicator.level3, vocabulary)
            if indicator.kind is IndicatorKind.quantitative
            else None
        )
        if inferred is not None:
            path = f"{indicator.level1}/{indicator.level2}/{indicator.level3}"
            key = (indicator.level1, indicator.level2, indicator.level3)
            found.append(
                ReviewFinding(
                    id="direction-inferred",
                    severity=Severity.warning,
                    category="审核",
                    where=cells_by_key.get(key, {}).get("target", read.sheet.top_where()),
                    location=path,
                    message=inferred.explain(path, indicator.target.strip()),
                    claimed=indicator.target.strip(),
                    computed=inferred.target,
                    rule="未写计算符号的定量指标按指标方向词表推定方向",
                )
            )
            indicator = indicator.model_copy(update={"target": inferred.target})
        indicators.append(indicator)
    return entry.model_copy(update={"indicators": indicators}), found


def _department_title(form: FormSheet) -> str:
    name = form.label("department_name")
    return str(name.value) if name else "部门整体"


def _common_row(
    form: FormSheet,
    row: object,
    framework: DepartmentFramework,
    places: PrintedPlaces,
    findings: list[ReviewFinding],
) -> _Line:
    """A common indicator's row: its printed rate scored with the framework (against the
    form's own target where the form sets one), at the precision its score is printed."""
    from jixiao.interchange.excel.headers import TableRow

    assert isinstance(row, TableRow)
    table = form.indicators
    digits = framework.rounding_places
    level3 = row.values.get("level3") or ""
    indicator = framework.indicator(level3) or next(
        (c for c in framework.common if _plain(c.level3) == _plain(level3)), None
    )
    weight: Decimal | None = row.values.get("weight") if "weight" not in row.failed else None
    claimed: Decimal | None = row.values.get("score") if "score" not in row.failed else None
    unread = bool(row.failed & {"weight", "score"})
    group = indicator.level1 if indicator is not None else ""
    line = _Line(table.where(row, "score" if "score" in row.failed else "weight"), weight, claimed,
                 unread, group=group)  # fmt: skip
    raw = table.raw(row, "actual")
    declared = table.header.declared.get("actual")  # 实际值（%）: 95 is 95 %
    meaning = declared.percent if declared is not None else PercentMeaning.fraction
    try:
        rate = cells.percent(raw, meaning) if raw is not None else None
    except cells.CellError as error:
        findings.extend(read_findings([Problem(table.where(row, "actual"), f"实际值：{error}")]))
        return line
    if indicator is None or weight is None or rate is None:
        return line
    scoring, own = indicator.scoring, ""
    written = row.values.get("target") if "target" not in row.failed else None
    target = percent_target(written)
    moved = scoring_for_target(scoring, *target) if target is not None else None
    if moved is not None:
        scoring, own = moved, f"；按本表年度指标值{str(written).strip()}计分"
    computed, rule = score_rate(round_half_up(rate, digits) / HUNDRED, weight, scoring, digits)
    rule += own
    shown = places.at(table.where(row, "score"), table.raw(row, "score"))
    compare_at = min(digits if shown is None else shown, digits)
    if claimed is not None and not consistent(computed, claimed, compare_at):
        note = f"（{precision_note(compare_at)}）" if shown is not None else ""
        findings.append(
            ReviewFinding(
                id="indicator-score-off-rule",
                severity=Severity.error,
                category="审核",
                where=table.where(row, "score"),
                location=indicator.path,
                message=(
                    f"“{indicator.path}”实际值{plain_number(rate)}%，填报得分"
                    f"{plain_number(claimed)}，按评价框架应得{plain_number(computed)}（{rule}）"
                    f"{note}。"
                ),
                claimed=plain_number(claimed),
                computed=plain_number(computed),
                rule=rule,
            )
        )
    term = summand(claimed, computed, shown, digits)
    assert term is not None
    return _Line(line.where, weight, term.value, places=term.places, group=group)


def _plain(name: str) -> str:
    return name.translate(str.maketrans("", "", "“”\"'‘’「」")).strip()


def _department_totals(
    form: FormSheet, lines: Sequence[_Line], rules: ProjectRules, printed: AsPrinted
) -> list[ReviewFinding]:
    """总分 (分值) against 100 and the rows, 总得分 against the rows, the grade against its
    band; a row that cannot be read makes the sum that needs it unverifiable."""
    found = []
    places = rules.rounding_places
    unknown_weights = [line for line in lines if line.weight is None and line.unread]
    weights = [line.weight for line in lines if line.weight is not None]
    weight_total = sum(weights, ZERO)
    printed_weight = form.weight_total.value if form.weight_total else None
    where = form.weight_total.where if form.weight_total else form.top_where()
    if unknown_weights:
        found.append(_unverifiable_finding("weights-unverifiable", where, "总分", "分值合计",
                                           unknown_weights, "分值"))  # fmt: skip
    elif (printed_weight is not None and not same(printed_weight, weight_total, places)) or (
        not same(weight_total, HUNDRED, places)
    ):
        found.append(
            ReviewFinding(
                id="weights-not-100",
                severity=Severity.error,
                category="审核",
                where=where,
                location="总分",
                message=(
                    f"各行分值合计{plain_number(weight_total)}，"
                    + (
                        f"与总分行填报的{plain_number(printed_weight)}不符。"
                        if printed_weight is not None and printed_weight != weight_total
                        else "应为100。"
                    )
                ),
                claimed=_text(printed_weight),
                computed=plain_number(weight_total),
                rule="各指标分值之和为100，等于总分行的分值",
            )
        )
    scores = [line.score for line in lines]
    known = [s for s in scores if s is not None]
    total = form.total.value if form.total else None
    unknown_scores = [line for line in lines if line.score is None and line.unread]
    total_where = form.total.where if form.total else form.top_where()
    if total is not None and unknown_scores:
        found.append(_unverifiable_finding("total-unverifiable", total_where, "总得分", "总得分",
                                           unknown_scores, "得分"))  # fmt: skip
    elif total is not None and len(known) == len(scores):
        rows_sum = round_half_up(sum(known, ZERO), places)
        shown = printed.places.get(TOTAL)
        compare_at = min(places if shown is None else shown, places)
        parts = [Printed(line.score, line.places) for line in lines if line.score is not None]
        if not sum_consistent(Printed(total, shown), parts, places):
            note = f"（{precision_note(compare_at)}）" if shown is not None else ""
            found.append(
                ReviewFinding(
                    id="total-not-sum-of-rows",
                    severity=Severity.error,
                    category="审核",
                    where=total_where,
                    location="总得分",
                    message=(
                        f"总得分填报{plain_number(total)}，各行得分合计为{plain_number(rows_sum)}"
                        f"{note}。"
                    ),
                    claimed=plain_number(total),
                    computed=plain_number(rows_sum),
                    rule="总得分 = 各指标得分之和",
                )
            )
    if form.grade is not None:
        basis = (
            total
            if total is not None
            else (
                round_half_up(sum(known, ZERO), places)
                if len(known) == len(scores) and not unknown_scores
                else None
            )
        )
        if basis is not None:
            expected = grade_of(basis, rules)
            band = next(b for b in rules.grades if b.grade == expected)
            if not band.named(str(form.grade.value)):
                found.append(
                    ReviewFinding(
                        id="grade-outside-band",
                        severity=Severity.error,
                        category="审核",
                        where=form.grade.where,
                        location="评价等级",
                        message=(
                            f"总得分{plain_number(basis)}对应等级为“{expected}”，"
                            f"填报为“{form.grade.value}”。"
                        ),
                        claimed=str(form.grade.value),
                        computed=expected,
                        rule="；".join(
                            f"{b.grade}：{plain_number(b.at_least)}分及以上" for b in rules.grades
                        ),
                    )
                )
    return found


def _department_subtotals(
    read: GoalRead, lines: Sequence[_Line], rules: ProjectRules, places: PrintedPlaces
) -> list[ReviewFinding]:
    """Each printed first-level 小计 against the scores of its rows, at its printed precision;
    a row of the group that cannot be read makes it unverifiable."""
    found = []
    for group, figure in read.claims.level1_scores.items():
        members = [line for line in lines if line.group == group]
        if not members:
            continue
        location = f"{group}（小计）"
        unknown = [line for line in members if line.score is None]
        if unknown:
            found.append(_unverifiable_finding("subtotal-unverifiable", figure.where, location,
                                               f"“{group}”小计", unknown, "得分"))  # fmt: skip
            continue
        shown = places.at(figure.where, figure.raw)
        parts = [Printed(line.score, line.places) for line in members if line.score is not None]
        if sum_consistent(Printed(figure.value, shown), parts, rules.rounding_places):
            continue
        rows_sum = round_half_up(sum((p.value for p in parts), ZERO), rules.rounding_places)
        found.append(
            ReviewFinding(
                id="subtotal-contradicts-rows",
                severity=Severity.error,
                category="审核",
                where=figure.where,
                location=location,
                message=(
                    f"“{group}”小计填报{plain_number(figure.value)}，其下{len(members)}行得分合计为"
                    f"{plain_number(rows_sum)}。"
                ),
                claimed=plain_number(figure.value),
                computed=plain_number(rows_sum),
                rule="一级指标小计 = 其下各三级指标得分之和",
            )
        )
    return found


def _unverifiable_finding(
    check_id: str, where: str, location: str, what: str, lines: Sequence[_Line], needed: str
) -> ReviewFinding:
    cells_text = "、".join(line.where for line in lines)
    return ReviewFinding(
        id=check_id,
        severity=Severity.warning,
        category="审核",
        where=where,
        location=location,
        message=f"{what}无法核实：{cells_text}一行无法读取，缺少其{needed}，不能不计该行而求和。",
        rule=f"{what}须计入每一行",
    )


def review_lines(result: ReviewResult) -> list[str]:
    """The review as the command line prints it."""
    lines = [f"审核：{result.file}（规则集：{result.rules}）"]
    for sheet in result.sheets:
        what = sheet.what or sheet.kind.form_title
        computed = sheet.summary or (
            f"按规则计算：总分 {plain_number(sheet.total)}，等级 {sheet.grade}"
            if sheet.total is not None
            else "按规则计算：评价不完整，未计总分"
        )
        lines.append("")
        count = f"发现 {len(sheet.findings)} 项" if sheet.findings else "未发现问题"
        lines.append(f"【{sheet.sheet}】{what}：{sheet.title}；{computed}；{count}")
        if sheet.read_as:
            lines.append(f"  {sheet.read_as}")
        for finding in sheet.findings:
            lines.extend(f"  {line}" for line in finding.lines())
    lines.append("")
    if result.clean:
        lines.append("审核结论：未发现问题")
    else:
        counts = "，".join(f"{label} {n}" for label, n in result.counts().items())
        lines.append(f"审核结论：共发现 {len(result.findings)} 项（{counts}）")
    return lines


__all__ = ["ReviewFinding", "ReviewResult", "SheetReview", "review_lines", "review_workbook"]
