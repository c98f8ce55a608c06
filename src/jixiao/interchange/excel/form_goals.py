"""From a form read off a sheet to goal entries, indicators and claimed figures (pure).

Used twice: by the import (with the stored goal and what jixiao's own export prints for it)
and by ``jixiao review`` (with nothing stored). The rules of reading:

- **Indicators** are known by their path 一级/二级/三级 (first- and second-level names as
  the rule set spells them: “产出” reads as 产出指标, “数量” as 数量指标). A path twice in one
  goal is a problem.
- **Kind** (定量/定性): the 指标类型 column; without it the stored kind; for a new indicator,
  quantitative when the 年度指标值 holds a number, qualitative otherwise.
- **年度指标值** of a quantitative indicator must read as operator, number and unit
  (``core.targets.parse_target``); its **实际完成值** as a number with its unit.
- **实际完成值** of a qualitative indicator: a completion state (达成年度指标 /
  部分达成年度指标并具有一定效果 / 未达成年度指标且效果较差) is the state; “说明（状态）”
  or “状态：说明” is both; any other text is the actual as written; blank or 未填报 is not
  reported.
- **得分** of a qualitative indicator is the assessed score (评定分); every row's 得分 is
  also the unit's claimed score (审核用).
- **偏差原因分析及改进措施**: the text before “改进措施：” is the deviation reason, the
  text after it the improvement.
- A cell that shows exactly what jixiao's own export prints for the stored indicator leaves
  the stored values as they are: the export prints less than is stored (the state behind an
  actual, the reason and the improvement in one cell, a framework's rescaled weight), so an
  exported table imports back without a change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core import goals as core
from jixiao.core.bounds import COST_SHARE, WEIGHT
from jixiao.core.cost_split import OUTPUT_LEVEL
from jixiao.core.department_framework import DepartmentFramework
from jixiao.core.goals import Funds, FundsRow, IndicatorKind, QualitativeState
from jixiao.core.money import ZERO, round_half_up
from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import plain_number
from jixiao.core.targets import (
    Quantity,
    TargetError,
    parse_actual,
    parse_target,
    read_quantitative_actual,
)
from jixiao.documents.evaluation_forms import IndicatorLine, deviation_text
from jixiao.interchange import dataset as ds
from jixiao.interchange.excel import cells
from jixiao.interchange.excel.cells import PercentMeaning
from jixiao.interchange.excel.form_layouts import (
    STATES,
    canonical_level1,
    canonical_level2,
)
from jixiao.interchange.excel.form_sheets import Figure, FormSheet, note_value
from jixiao.interchange.excel.headers import Table, TableRow, fold
from jixiao.interchange.problems import Problem

Key = tuple[str, str, str]
EXECUTION_NOTE = "预算执行情况说明"
IMPROVEMENT_MARK = re.compile(r"[；;。，,\s]*改进措施[:：]\s*")
_STATE_SUFFIX = re.compile(
    r"^(.*?)\s*[（(](达成年度指标|部分达成年度指标并具有一定效果|未达成年度指标且效果较差)[)）]$",
    re.S,
)
_STATE_PREFIX = re.compile(
    r"^(达成年度指标|部分达成年度指标并具有一定效果|未达成年度指标且效果较差)[:：]\s*(.+)$", re.S
)
_NOT_REPORTED = ("", "未填报", "—", "-", "/")
MAX_TEXT = 300
MAX_LEVEL = 50
MAX_GRADE = 10
MAX_FIGURE = Decimal(100000)


def key_text(key: Key) -> str:
    return "/".join(key)


@dataclass
class IndicatorRead:
    """One indicator row made into an entry, with the unit's claimed score."""

    key: Key
    entry: ds.IndicatorEntry
    claimed: Decimal | None
    where: str
    """The row: “项目A!12”."""
    cell: dict[str, str] = field(default_factory=dict)
    """Column key → “项目A!G12”, for the review's findings."""
    index: int = 0
    """The 0-based sheet row."""


@dataclass
class ClaimsRead:
    """The summary figures a table prints (what the unit claims), with their cells."""

    execution_rate: Figure | None = None
    """In percentage points (92.87)."""
    execution_score: Figure | None = None
    total: Figure | None = None
    weight_total: Figure | None = None
    grade: Figure | None = None
    level1_scores: dict[str, Figure] = field(default_factory=dict)

    def figures(self) -> Iterator[tuple[str, Figure]]:
        named = (("执行率", self.execution_rate), ("执行率得分", self.execution_score),
                 ("总分（得分）", self.total), ("总分（分值）", self.weight_total))  # fmt: skip
        for what, figure in named:
            if figure is not None:
                yield what, figure
        for group, figure in self.level1_scores.items():
            yield f"{group}小计", figure

    def check(self, problems: list[Problem]) -> None:
        """Figures out of range (the database keeps scores to 4 decimals, below 100000)."""
        for what, figure in self.figures():
            if abs(figure.value) >= MAX_FIGURE:
                _problem(problems, figure.where, f"{what}：读到 {figure.value}，数值过大")
        grade = self.grade
        if grade is not None and len(str(grade.value)) > MAX_GRADE:
            _problem(
                problems, grade.where, f"评价等级：过长（读到“{grade.value}”，应为 优、良、中、差）"
            )

    def entry(self) -> ds.ClaimedEntry:
        def value(figure: Figure | None) -> Decimal | None:
            return None if figure is None else round_half_up(figure.value, 4)

        return ds.ClaimedEntry(
            execution_rate=value(self.execution_rate),
            execution_score=value(self.execution_score),
            total=value(self.total),
            grade=None if self.grade is None else str(self.grade.value),
            level1_scores={k: round_half_up(f.value, 4) for k, f in self.level1_scores.items()},
            weight_total=value(self.weight_total),
        )


@dataclass
class GoalRead:
    """A goal as a form states it: the entry (claims left out) and what the form claims."""

    sheet: FormSheet
    entry: ds.GoalEntry
    indicators: list[IndicatorRead]
    claims: ClaimsRead
    funds: FundsRead | None = None


@dataclass
class FundsPart:
    """One 其中 row of the funds block (in 元) with the figures it prints and their cells."""

    row: FundsRow
    where: str
    figures: dict[str, Figure] = field(default_factory=dict)
    """Column key → the figure printed: amounts (in 元), and 分值 / 执行率 / 得分 where a
    sub-row (基本支出, 项目支出 …) is scored on its own."""
    by_use: bool = False
    """A part by use (基本支出 / 项目支出: the layout's ``use_rows``), not by source."""

    @property
    def group(self) -> str:
        """The breakdown the row belongs to: by use (基本支出 / 项目支出) or by source."""
        return PART_BY_USE if self.by_use else PART_BY_SOURCE


PART_BY_SOURCE = "资金来源"
PART_BY_USE = "支出用途"


@dataclass
class FundsRead:
    """The funds block: the total row and the 其中 rows, in 元, with their rows."""

    total: FundsRow
    total_index: int
    """The total row's 0-based sheet row."""
    where: dict[str, str]
    """Column key → cell of the total row."""
    rows: tuple[FundsRow, ...] = ()
    rows_where: tuple[str, ...] = ()
    places: dict[str, int] = field(default_factory=dict)
    """Decimal places written in each total-row cell, in the sheet's unit."""
    units: dict[str, str] = field(default_factory=dict)
    parts: tuple[FundsPart, ...] = ()
    figures: dict[str, Figure] = field(default_factory=dict)
    """Column key → the total row's printed figure (amounts in 元)."""

    def factor(self, key: str) -> Decimal:
        """元 per printed unit of an amount column (10000 where it is printed in 万元)."""
        return Decimal(10000) if self.units.get(key) == "万元" else Decimal(1)

    @property
    def funds(self) -> Funds:
        return Funds(total=self.total, rows=self.rows)


# --- cells ------------------------------------------------------------------------------


def split_remark(text: str) -> tuple[str, str]:
    """偏差原因分析及改进措施 → (reason, improvement)."""
    parts = IMPROVEMENT_MARK.split(text.strip(), maxsplit=1)
    if len(parts) == 2:
        return parts[0].strip(), parts[1].strip()
    return text.strip(), ""


def actual_and_state(text: str) -> tuple[str | None, QualitativeState | None]:
    """A 实际完成值 cell: (actual as written or None, the completion state or None)."""
    cleaned = text.strip()
    if cleaned in _NOT_REPORTED:
        return None, None
    state = _state(cleaned)
    if state is not None:
        return None, state
    match = _STATE_SUFFIX.match(cleaned) or _STATE_PREFIX.match(cleaned)
    if match:
        first, second = match.groups()
        if match.re is _STATE_SUFFIX:
            return first.strip() or None, QualitativeState(second)
        return second.strip() or None, QualitativeState(first)
    return cleaned, None


def _state(text: str) -> QualitativeState | None:
    try:
        return STATES.read(text)
    except ValueError:
        return None


def printed_actual(indicator: ds.IndicatorEntry) -> str:
    """What the self-evaluation export prints in 实际完成值 for a stored indicator."""
    if indicator.actual is not None and indicator.actual.strip():
        return indicator.actual.strip()
    if indicator.state is not None:
        return indicator.state.value
    return "未填报"


def printed_remark(indicator: ds.IndicatorEntry) -> str:
    return deviation_text(
        core.Indicator(
            level1=indicator.level1,
            level2=indicator.level2,
            level3=indicator.level3,
            kind=indicator.kind,
            target=indicator.target,
            weight=indicator.weight,
            deviation_reason=indicator.deviation_reason,
            improvement=indicator.improvement,
        )
    )


def same(a: Decimal | None, b: Decimal | None, places: int) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return round_half_up(a, places) == round_half_up(b, places)


def percent_cell(table: Table, row: TableRow, key: str, target: str) -> str | None:
    """A number typed in a % indicator's cell, as the percentage it shows (“93%”), or None.

    Excel keeps a cell showing 93% as the number 0.93, so a number (not a text) in the
    实际完成值 of an indicator whose target is in % is read as such a fraction — unless the
    column is headed “实际完成值（%）”, where 93 means 93%. Text is read as written.
    """
    raw = table.raw(row, key)
    if not isinstance(raw, int | float) or isinstance(raw, bool):
        return None
    try:
        parsed = parse_target(target)
    except TargetError:
        return None
    unit = parsed.quantity.unit if parsed is not None and parsed.quantity is not None else None
    if unit is None or unit.symbol != "%":
        return None
    declared = table.header.declared.get(key)
    meaning = declared.percent if declared is not None else PercentMeaning.fraction
    if str(row.values.get(key) or "").endswith("%"):
        meaning = PercentMeaning.points  # a 度量单位 column's “%” put after the number
    points = cells.percent(raw, meaning)
    return None if points is None else f"{plain_number(points.normalize())}%"


# --- indicator rows -------------------------------------------------------------------


@dataclass(frozen=True)
class CostStandardCodes:
    """The codes of the year's 支出标准表, and its name for the message."""

    table: str = ""
    """"" when the year has chosen no table."""
    codes: frozenset[str] = frozenset()


@dataclass
class RowContext:
    """What reading one indicator row may consult."""

    rules: ProjectRules
    stored: Mapping[Key, ds.IndicatorEntry] = field(default_factory=dict)
    printed: Mapping[Key, IndicatorLine] = field(default_factory=dict)
    """What the stored goal's export prints, by path (the department form's duty rows)."""
    department: bool = False
    standards: CostStandardCodes | None = None
    """The 支出标准 an output may name (the year's table); None: not checked (a review of a
    workbook alone)."""


def _problem(problems: list[Problem], where: str, message: str) -> None:
    problems.append(Problem(where, message))


def _levels(
    table: Table, row: TableRow, rules: ProjectRules, problems: list[Problem]
) -> Key | None:
    values = row.values
    names = []
    for key in ("level1", "level2", "level3"):
        value = values.get(key)
        if not value:
            if key not in row.failed:
                _problem(problems, table.where(row, key), f"{table.label(key)}：不能为空")
            return None
        limit = MAX_TEXT if key == "level3" else MAX_LEVEL
        if len(value) > limit:
            _problem(
                problems, table.where(row, key), f"{table.label(key)}：过长（最多{limit}个字符）"
            )
            return None
        names.append(value)
    level1 = canonical_level1(names[0], rules)
    return level1, canonical_level2(level1, names[1], rules), names[2]


def _infer_kind(target: str, actual: str | None) -> IndicatorKind:
    try:
        parsed = parse_target(target)
    except TargetError:
        return IndicatorKind.quantitative  # has an operator: a quantitative target, misread
    if parsed is not None and parsed.is_quantitative:
        return IndicatorKind.quantitative
    if parsed is None and actual:
        try:
            if isinstance(parse_actual(actual), Quantity):
                return IndicatorKind.quantitative
        except TargetError:
            pass
    return IndicatorKind.qualitative


def _check_target(
    kind: IndicatorKind, target: str, where: str, problems: list[Problem], required: bool
) -> None:
    if len(target) > MAX_TEXT:
        _problem(problems, where, f"年度指标值：过长（最多{MAX_TEXT}个字符）")
        return
    if kind is IndicatorKind.qualitative:
        return
    if not target.strip():
        if required:
            _problem(problems, where, "年度指标值：定量指标须填写年度指标值，如 ≥95%、≤30天")
        return
    try:
        parsed = parse_target(target, qualitative=False)
    except TargetError as error:
        _problem(
            problems,
            where,
            f"年度指标值：{error.reason}（读到“{target}”）；"
            "定量指标应写计算符号、数值和单位，如 ≥95%、≤30天、=12个",
        )
        return
    if parsed is not None and parsed.quantity is not None:
        check_magnitude(parsed.quantity, "年度指标值", target, where, problems)


def _check_actual(
    kind: IndicatorKind, actual: str | None, where: str, problems: list[Problem], *,
    reason: str = "", target: str = "",
) -> None:
    if actual is None:
        return
    if len(actual) > MAX_TEXT:
        _problem(problems, where, f"实际完成值：过长（最多{MAX_TEXT}个字符）")
        return
    if kind is IndicatorKind.qualitative:
        return
    try:
        parsed = read_quantitative_actual(actual, reason=reason, target=target)
    except TargetError as error:
        _problem(problems, where, f"实际完成值：{error.reason}（读到“{actual}”）")
        return
    if isinstance(parsed, Quantity):
        check_magnitude(parsed, "实际完成值", actual, where, problems)


SMALLEST = Decimal("0.000001")
LARGEST = Decimal(10) ** 15


def check_magnitude(
    quantity: Quantity, what: str, text: str, where: str, problems: list[Problem]
) -> bool:
    """A figure the scoring can work with: 0, or between 0.000001 and 10^15 in size."""
    size = abs(quantity.value)
    if size and not SMALLEST <= size < LARGEST:
        _problem(
            problems,
            where,
            f"{what}：“{text}”的数值过大或过小（应为0，或在0.000001到10的15次方之间）",
        )
        return False
    return True


def indicator_row(
    table: Table, row: TableRow, context: RowContext, problems: list[Problem]
) -> IndicatorRead | None:
    """One self-evaluation (or goal declaration) row as an indicator entry."""
    key = _levels(table, row, context.rules, problems)
    if key is None:
        return None
    count = len(problems)
    values = row.values
    stored = context.stored.get(key)
    printed = context.printed.get(key)
    where = table.row_where(row)

    target = values["target"] or "" if table.has("target") else (stored.target if stored else "")
    actual: str | None = stored.actual if stored else None
    state: QualitativeState | None = stored.state if stored else None
    if table.has("actual") and "actual" not in row.failed:
        text = percent_cell(table, row, "actual", target) or values["actual"] or ""
        if stored is None or text != printed_actual(stored):
            actual, state = actual_and_state(text)
    if table.has("state") and values.get("state") is not None:
        state = values["state"]
    if table.has("kind") and values.get("kind") is not None:
        kind: IndicatorKind = values["kind"]
    elif stored is not None:
        kind = stored.kind
    else:
        kind = _infer_kind(target, actual)
    if kind is IndicatorKind.quantitative and state is not None:
        if actual is None:
            _problem(
                problems,
                table.where(row, "actual"),
                f"实际完成值：“{state.value}”是定性指标的完成情况，定量指标应写数值和单位",
            )
        state = None

    weight: Decimal | None = values.get("weight")
    if weight is None:
        if "weight" not in row.failed:
            _problem(problems, table.where(row, "weight"), "分值：不能为空")
    elif WEIGHT.problem(weight) is not None:  # the bounds a weight has on every path
        _problem(problems, table.where(row, "weight"), f"分值：{WEIGHT.problem(weight)}")
    elif stored is not None and printed is not None and printed.weight == weight:
        weight = stored.weight  # the framework's weight in force, printed for the stored one

    score: Decimal | None = values.get("score") if table.has("score") else None
    assessed = stored.assessed_score if stored else None
    if score is not None:
        if score < ZERO or score >= MAX_FIGURE:
            _problem(
                problems, table.where(row, "score"), f"得分：读到 {score}，应在0到{MAX_FIGURE}之间"
            )
        score = round_half_up(score, 4)
    if kind is IndicatorKind.qualitative and table.has("score") and "score" not in row.failed:
        shown = printed.score if printed is not None else None
        if (
            stored is None
            or printed is None
            or not same(score, shown, context.rules.rounding_places)
        ):
            assessed = score
            if (
                score is not None
                and printed is not None
                and printed.weight
                and stored is not None
                and printed.weight != stored.weight
            ):
                assessed = round_half_up(score * stored.weight / printed.weight, 4)

    reason = stored.deviation_reason if stored else ""
    improvement = stored.improvement if stored else ""
    if table.has("remark") and "remark" not in row.failed:
        text = values["remark"] or ""
        if stored is None or text != printed_remark(stored):
            reason, improvement = split_remark(text)
    last_year = stored.last_year_actual if stored else None
    if table.has("last_year") and "last_year" not in row.failed:
        last_year = values["last_year"] or None
        if last_year is not None and len(last_year) > MAX_TEXT:
            _problem(
                problems,
                table.where(row, "last_year"),
                f"上年实际完成值：过长（最多{MAX_TEXT}个字符）",
            )

    cost_standard, cost_share = _cost_link(table, row, key, stored, context, problems)
    if "target" not in row.failed:  # a cell that failed to read has said why already
        _check_target(
            kind, target, table.where(row, "target"), problems, required=stored is None
        )
    _check_actual(
        kind, actual, table.where(row, "actual"), problems, reason=reason, target=target
    )
    unusable = {"level1", "level2", "level3", "weight", "kind", "target"}
    if len(problems) > count or row.failed & unusable:
        return None
    assert weight is not None
    entry = ds.IndicatorEntry(
        level1=key[0],
        level2=key[1],
        level3=key[2],
        kind=kind,
        target=target,
        weight=weight,
        actual=actual,
        state=state if kind is IndicatorKind.qualitative else None,
        assessed_score=assessed if kind is IndicatorKind.qualitative else None,
        claimed_score=stored.claimed_score if stored else None,
        deviation_reason=reason,
        improvement=improvement,
        last_year_actual=last_year,
        illustrative=stored.illustrative if stored else False,
        cost_standard=cost_standard,
        cost_share=cost_share,
        progress=list(stored.progress) if stored else [],
    )
    cells = {k: table.where(row, k) for k in table.header.columns}
    return IndicatorRead(key, entry, score, where, cells, row.index)


def _cost_link(
    table: Table,
    row: TableRow,
    key: Key,
    stored: ds.IndicatorEntry | None,
    context: RowContext,
    problems: list[Problem],
) -> tuple[str, Decimal | None]:
    """对应支出标准 and 成本占比 as the row states them; the stored ones where the form has
    no such column. A standard must be in the year's table (unless it is the one stored)
    and on an output; a share within 0–100% and beside a standard."""
    standard = stored.cost_standard if stored else ""
    share = stored.cost_share if stored else None
    if table.has("cost_standard") and "cost_standard" not in row.failed:
        standard = row.values.get("cost_standard") or ""
        _check_standard(table, row, key, standard, stored, context.standards, problems)
    if table.has("cost_share") and "cost_share" not in row.failed:
        share = row.values.get("cost_share")
        where = table.where(row, "cost_share")
        reason = None if share is None else COST_SHARE.problem(share)
        if reason is not None:
            _problem(problems, where, f"{table.label('cost_share')}：{reason}")
        elif share is not None and not standard:
            label = table.label("cost_share")
            _problem(problems, where, f"{label}：填写成本占比须同时填写对应支出标准")
    return standard, share


def _check_standard(
    table: Table,
    row: TableRow,
    key: Key,
    standard: str,
    stored: ds.IndicatorEntry | None,
    known: CostStandardCodes | None,
    problems: list[Problem],
) -> None:
    where, label = table.where(row, "cost_standard"), table.label("cost_standard")
    if not standard:
        return
    if key[0] != OUTPUT_LEVEL:
        _problem(
            problems, where, f"{label}：只有{OUTPUT_LEVEL}可以对应支出标准（读到“{standard}”）"
        )
    elif known is None or (stored is not None and standard == stored.cost_standard):
        return
    elif not known.table:
        _problem(
            problems, where,
            f"{label}：本年度尚未选定支出标准表，不能对应支出标准“{standard}”；请财务科先选定支出标准表",
        )  # fmt: skip
    elif standard not in known.codes:
        _problem(
            problems, where, f"{label}：“{standard}”不在本年度的支出标准表“{known.table}”中"
        )


def scorable(read: IndicatorRead, rules: ProjectRules, problems: list[Problem]) -> bool:
    """False (with a problem) when the rules cannot score the row (figures out of range)."""
    from jixiao.core.scoring import score_indicator

    entry = read.entry
    indicator = core.Indicator(
        level1=entry.level1, level2=entry.level2, level3=entry.level3, kind=entry.kind,
        target=entry.target, weight=entry.weight, actual=entry.actual, state=entry.state,
        assessed_score=entry.assessed_score,
    )  # fmt: skip
    try:
        score_indicator(indicator, rules)
    except ArithmeticError:
        where = read.cell.get("actual", read.where)
        _problem(
            problems, where, "实际完成值：与年度指标值相比数值相差过大，无法计分，请检查单位和数值"
        )
        return False
    return True


_PLACEHOLDER = re.compile(r"^(?:指标\d{1,2}|[.。…·]{2,}|…)$")
"""A template's stand-in for an indicator's name: 指标2, ……, ..."""
_NAMING = frozenset({"seq", "level1", "level2", "level3"})


def template_row(row: TableRow) -> bool:
    """A row of the template left unfilled (三级指标 “指标2” or “……”, nothing else in it):
    not an indicator, and not a mistake either. Forms are published with them."""
    name = row.values.get("level3")
    if row.failed or not isinstance(name, str) or not _PLACEHOLDER.match(fold(name)):
        return False
    return all(value in (None, "") for key, value in row.values.items() if key not in _NAMING)


def indicator_rows(
    table: Table,
    context: RowContext,
    problems: list[Problem],
    skip: Mapping[int, str] | None = None,
) -> list[IndicatorRead]:
    """Every row of an indicator table; a path twice is a problem."""
    found: list[IndicatorRead] = []
    seen: dict[Key, str] = {}
    for row in table.rows:
        if (skip and row.index in skip) or template_row(row):
            continue
        read = indicator_row(table, row, context, problems)
        if read is None or not scorable(read, context.rules, problems):
            continue
        if read.key in seen:
            _problem(
                problems,
                table.where(row, "level3"),
                f"三级指标：“{key_text(read.key)}”在同一目标中出现了两次（另见 {seen[read.key]}）；"
                "同一目标内指标按一级/二级/三级识别，不能重复",
            )
            continue
        seen[read.key] = read.where
        found.append(read)
    return found


# --- funds ------------------------------------------------------------------------------


def _places(raw: object) -> int:
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        text = format(Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw), "f")
    else:
        text = str(raw).replace(",", "").replace("，", "")
        text = re.sub(r"[^0-9.]", "", text)
    return len(text.split(".", 1)[1].rstrip("0")) if "." in text else 0


def read_funds(form: FormSheet, problems: list[Problem]) -> FundsRead | None:
    table, total_row = form.funds, form.funds_total_row()
    if table is None or total_row is None:
        return None
    named = form.layout.funds_rows
    parts: list[FundsPart] = []
    amounts = ("initial_budget", "final_budget", "executed")
    for row in table.rows:
        if row.failed & set(amounts):
            continue
        values = row.values
        label = re.sub(r"^其中[:：]?\s*", "", values.get("label") or "").strip()
        figures = [values.get(key) for key in amounts]
        if row is total_row:
            missing = [table.label(k) for k, v in zip(amounts, figures, strict=True) if v is None]
            for key, value in zip(amounts, figures, strict=True):
                if value is None:
                    _problem(
                        problems,
                        table.where(row, key),
                        f"{table.label(key)}：年度资金总额一行不能为空（空白请写 0）",
                    )
            if missing:
                return None
            continue
        if all(v is None for v in figures):
            continue
        part = FundsRow(label or "其他", *(v if v is not None else ZERO for v in figures))
        by_use = fold(part.label).startswith(named.by_use)
        parts.append(FundsPart(part, table.row_where(row), _row_figures(table, row), by_use))
    if total_row.failed & set(amounts):
        return None
    values = total_row.values
    total = FundsRow(
        "年度资金总额", values["initial_budget"], values["final_budget"], values["executed"]
    )
    where = {key: table.where(total_row, key) for key in table.header.columns}
    places = {key: _places(table.raw(total_row, key)) for key in amounts}
    units: dict[str, str] = {}
    for key in amounts:
        declared = table.header.declared.get(key)
        units[key] = declared.unit.value if declared is not None and declared.unit else ""
    return FundsRead(
        total,
        total_row.index,
        where,
        tuple(part.row for part in parts),
        tuple(part.where for part in parts),
        places,
        units,
        tuple(parts),
        _row_figures(table, total_row),
    )


def _row_figures(table: Table, row: TableRow) -> dict[str, Figure]:
    """The figures a funds row prints, by column key, with their cells and raw values."""
    keys = ("initial_budget", "final_budget", "executed", "weight", "rate", "score")
    return {
        key: Figure(row.values[key], table.where(row, key), table.raw(row, key))
        for key in keys
        if row.values.get(key) is not None and key not in row.failed
    }


def funds_claims(form: FormSheet, funds: FundsRead | None, claims: ClaimsRead) -> None:
    """The execution rate and its score as printed in the funds block's total row."""
    table = form.funds
    if table is None or funds is None:
        return
    total_row = next(row for row in table.rows if row.index == funds.total_index)
    rate = total_row.values.get("rate")
    if rate is not None:
        claims.execution_rate = Figure(
            rate, table.where(total_row, "rate"), table.raw(total_row, "rate")
        )
    score = total_row.values.get("score")
    if score is not None:
        claims.execution_score = Figure(
            score, table.where(total_row, "score"), table.raw(total_row, "score")
        )


# --- goals ------------------------------------------------------------------------------


def sheet_claims(form: FormSheet) -> ClaimsRead:
    claims = ClaimsRead(
        total=form.total,
        weight_total=form.weight_total,
        grade=form.grade,
        level1_scores={s.level1: s.score for s in form.subtotals},
    )
    return claims


def execution_reason(form: FormSheet) -> str | None:
    for note in form.notes:
        found = note_value(note, EXECUTION_NOTE)
        if found is not None:
            return found
    return None


def evaluation_goal(
    form: FormSheet,
    project: str | None,
    stored: ds.GoalEntry | None,
    context: RowContext,
    problems: list[Problem],
    skip: Mapping[int, str] | None = None,
) -> GoalRead:
    """A self-evaluation form (project or department) as a goal entry and its claims."""
    stored_rows = {(i.level1, i.level2, i.level3): i for i in stored.indicators} if stored else {}
    context = RowContext(context.rules, stored_rows, context.printed, context.department)
    rows = indicator_rows(form.indicators, context, problems, skip)
    expected = stored.expected_objective if stored else ""
    actual = stored.actual_objective if stored else ""
    if form.expected is not None:
        expected = str(form.expected.value)
    if form.actual_objective is not None:
        actual = str(form.actual_objective.value)
    reason = execution_reason(form)
    entry = ds.GoalEntry(
        project=project,
        name=stored.name if stored else "",
        expected_objective=expected,
        actual_objective=actual,
        level1_weights=dict(stored.level1_weights) if stored else {},
        execution_reason=reason
        if reason is not None
        else (stored.execution_reason if stored else ""),
        claimed=stored.claimed if stored else ds.ClaimedEntry(),
        indicators=[read.entry for read in rows],
        forecasts=list(stored.forecasts) if stored else [],
    )
    claims = sheet_claims(form)
    claims.level1_scores = {
        canonical_level1(group, context.rules): figure
        for group, figure in claims.level1_scores.items()
    }
    funds = read_funds(form, problems)
    funds_claims(form, funds, claims)
    claims.check(problems)
    return GoalRead(form, entry, rows, claims, funds)


def with_claims(read: GoalRead, keep: bool) -> ds.GoalEntry:
    """The goal entry with the form's claimed figures (``keep``), or with none."""
    if not keep:
        indicators = [i.entry.model_copy(update={"claimed_score": None}) for i in read.indicators]
        return read.entry.model_copy(
            update={"claimed": ds.ClaimedEntry(), "indicators": indicators}
        )
    indicators = [i.entry.model_copy(update={"claimed_score": i.claimed}) for i in read.indicators]
    return read.entry.model_copy(update={"claimed": read.claims.entry(), "indicators": indicators})


def claims_agree(
    read: GoalRead, goal: core.PerformanceGoal, funds: Funds, rules: ProjectRules
) -> bool:
    """True when every figure the form prints is the one the rules compute."""
    from jixiao.core.scoring import evaluate_goal

    evaluation = evaluate_goal(goal, funds, rules)
    places = rules.rounding_places
    for indicator, result in zip(read.indicators, evaluation.indicators, strict=True):
        if indicator.claimed is not None and not same(indicator.claimed, result.score, places):
            return False
    claims = read.claims
    checks: list[tuple[Figure | None, Decimal | None]] = [
        (claims.execution_rate, evaluation.execution.rate_percent),
        (claims.execution_score, evaluation.execution.score),
        (claims.total, evaluation.total),
        (claims.weight_total, evaluation.weight_total),
    ]
    checks += [(f, evaluation.level1_scores.get(k)) for k, f in claims.level1_scores.items()]
    for figure, computed in checks:
        if figure is not None and not same(figure.value, computed, places):
            return False
    return claims.grade is None or str(claims.grade.value).strip() == (evaluation.grade or "")


# --- the department form --------------------------------------------------------------


def _unquoted(name: str) -> str:
    return fold(name).translate(str.maketrans("", "", "“”\"'‘’「」"))


def common_rows(
    table: Table, framework: DepartmentFramework | None, duty_keys: set[Key]
) -> dict[int, str]:
    """Rows of a department form that are common indicators (computed from the year's data)
    or declared not applicable: the row index and the indicator's name."""
    names = {_unquoted(c.level3) for c in framework.common} if framework else set()
    found: dict[int, str] = {}
    for row in table.rows:
        values = row.values
        level3 = values.get("level3") or ""
        target = values.get("target") or ""
        key = (values.get("level1") or "", values.get("level2") or "", level3)
        if _unquoted(level3) in names or ("÷" in target and key not in duty_keys):
            found[row.index] = level3
    return found


def not_applicable_rows(table: Table) -> dict[int, str]:
    found = {}
    for row in table.rows:
        actual = fold(row.values.get("actual") or "")
        score = fold(str(table.raw(row, "score") or ""))
        if actual == "不适用" or score == "不适用":
            found[row.index] = row.values.get("level3") or ""
    return found


def indicator_kind(table: Table, row: TableRow, target: str) -> IndicatorKind:
    """The row's 指标类型 where the form has the column, else read from its target."""
    if table.has("kind") and row.get("kind") is not None:
        kind: IndicatorKind = row.get("kind")
        return kind
    try:
        parsed = parse_target(target)
    except TargetError:
        return IndicatorKind.quantitative  # an operator without a figure: meant quantitative
    return (
        IndicatorKind.quantitative
        if parsed and parsed.is_quantitative
        else IndicatorKind.qualitative
    )
