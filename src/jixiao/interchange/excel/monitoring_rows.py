"""Review of a monitoring form's indicator rows (绩效指标监控表: 年度指标值 | 1-N月实际完成值 |
全年预计完成值 | 偏差原因 | 完成目标可能性 …), as printed.

Each row's 年度指标值 is read as the self-evaluation review reads a target (operator and unit,
the unit registry ``rules/units.yaml``, 指标性质/度量单位 columns composed by the layout);
its 1-N月实际完成值 and 全年预计完成值 must be readable. The forecast is judged against the
target as the rule set judges an actual (weight aside); a number shown as a percentage is
taken at the decimals it shows (0.8996 under “0%” is 90%). The findings:

- **读取** — ``monitoring-row-unverifiable``: a row whose target, progress or forecast is
  blank or cannot be read or compared is “无法核实”, named by its cell (a cell the reader
  already refused is its ``cell-unreadable`` finding, not a second one);
- **监控** — a forecast short of the target without its 偏差原因
  (``monitoring-deviation-unexplained``), and, where the layout has the columns, without
  its 完成目标可能性 (``monitoring-likelihood-missing``) or 改进措施
  (``monitoring-improvement-missing``).

A qualitative row is judged only where its forecast states a completion state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.direction import DirectionVocabulary, inferred_target
from jixiao.core.goals import Indicator, IndicatorKind, QualitativeState
from jixiao.core.money import round_half_up
from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import IndicatorStatus, plain_number, score_indicator
from jixiao.core.targets import TargetError, parse_target, read_quantitative_actual
from jixiao.core.vocabulary import Severity
from jixiao.interchange.excel import cells
from jixiao.interchange.excel.cells import PercentMeaning
from jixiao.interchange.excel.form_goals import actual_and_state, indicator_kind
from jixiao.interchange.excel.form_sheets import FormSheet
from jixiao.interchange.excel.headers import Table, TableRow
from jixiao.interchange.excel.printed_places import PrintedPlaces
from jixiao.interchange.excel.review import ReviewFinding

_LEVELS = ("level1", "level2", "level3")
_READ = ("target", "progress", "projected")
_NOMINAL_WEIGHT = Decimal(100)
"""A weight to judge a row with: only whether the target is met is used."""
UNVERIFIABLE = "无法核实"
MET, MISSED = "预计完成", "预计未完成"


@dataclass(frozen=True)
class RowsReview:
    findings: tuple[ReviewFinding, ...]
    counts: dict[str, int]

    @property
    def summary(self) -> str:
        shown = [f"{label} {n} 项" for label, n in self.counts.items() if n]
        return "绩效指标：" + ("，".join(shown) if shown else "没有指标行")


def review_rows(
    form: FormSheet, rules: ProjectRules, places: PrintedPlaces, vocabulary: DirectionVocabulary
) -> RowsReview:
    """Every indicator row of a monitoring form checked (see the module)."""
    table = form.indicators
    findings: list[ReviewFinding] = []
    counts = {MET: 0, MISSED: 0, UNVERIFIABLE: 0}
    for row in table.rows:
        outcome = _row(table, row, rules, places, vocabulary, findings)
        if outcome is not None:
            counts[outcome] += 1
    return RowsReview(tuple(findings), counts)


def _path(table: Table, row: TableRow) -> str:
    owner = row.values.get("owner") or row.values.get("project") or ""
    names = [str(row.values.get(key) or "") for key in _LEVELS]
    return "/".join(p for p in (str(owner), *names) if p)


def _unverifiable(table: Table, row: TableRow, key: str, path: str, why: str) -> ReviewFinding:
    return ReviewFinding(
        "monitoring-row-unverifiable", Severity.error, "读取", table.where(row, key), path,
        f"{UNVERIFIABLE}：{table.label(key)}{why}，无法判断全年预计能否完成年度指标值",
    )  # fmt: skip


def _row(
    table: Table, row: TableRow, rules: ProjectRules, places: PrintedPlaces,
    vocabulary: DirectionVocabulary, findings: list[ReviewFinding],
) -> str | None:  # fmt: skip
    """The row's outcome (预计完成 / 预计未完成 / 无法核实), its findings appended."""
    path = _path(table, row)
    if row.failed & {*_LEVELS, *_READ}:
        return UNVERIFIABLE  # its cell is a 读取 finding already
    blank = [key for key in _LEVELS if not row.values.get(key)]
    if blank:
        if not any(row.values.get(key) for key in _READ):
            return None  # a heading or spacer row, not an indicator
        findings.append(_unverifiable(table, row, blank[0], path, "未填写"))
        return UNVERIFIABLE
    target = str(row.values.get("target") or "").strip()
    inferred = inferred_target(target, str(row.values["level3"]), vocabulary)
    if inferred is not None:
        target = inferred.target
    kind = indicator_kind(table, row, target)
    share = _as_share(table)
    texts = {
        "target": target,
        "progress": _shown(table, row, "progress", target, places),
        "projected": _shown(table, row, "projected", "100%" if share else target, places),
    }
    for key in _READ:
        if not table.has(key):
            continue
        if not texts[key] and (key != "target" or kind is IndicatorKind.quantitative):
            findings.append(_unverifiable(table, row, key, path, "未填写"))
            return UNVERIFIABLE
        if key == "projected" and share:
            why = _unreadable_share(texts[key])
        else:
            reason = str(row.values.get("reason") or "")
            why = _unreadable(kind, key, texts[key], target, reason)
        if why is not None:
            findings.append(_unverifiable(table, row, key, path, f"“{texts[key]}”{why}"))
            return UNVERIFIABLE
    if not table.has("projected"):
        return None
    if share:
        if Decimal(texts["projected"].rstrip("%")) >= _WHOLE:
            return MET
        findings.extend(_explained(table, row, texts, path, share=True))
        return MISSED
    return _judged(table, row, kind, texts, path, rules, findings)


_WHOLE = Decimal(100)
_SHARE_WORDS = ("占年度指标值", "占指标值", "完成比例")


def _as_share(table: Table) -> bool:
    """The forecast is printed as a share of the target (jixiao's own monitoring workbook:
    “全年预计完成值（占年度指标值）”), not as a value in the target's unit."""
    col = table.header.columns.get("projected")
    if col is None:
        return False
    printed = cells.normalised(table.header.sheet.value(table.header.rows[-1], col))
    return any(word in printed for word in _SHARE_WORDS)


def _unreadable_share(text: str) -> str | None:
    if not text.endswith("%"):
        return "：应为占年度指标值的百分比"
    try:
        Decimal(text[:-1])
    except ArithmeticError:
        return "：不是有效的百分比"
    return None


def _shown(table: Table, row: TableRow, key: str, target: str, places: PrintedPlaces) -> str:
    """A progress or forecast cell as it is printed: a number at the decimals it shows, in
    percentage points where the target is in % (0.8996 under “0%” is “90%”)."""
    if not table.has(key):
        return ""
    raw = table.raw(row, key)
    text = str(row.values.get(key) or "").strip()
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return text
    percent = _in_percent(target)
    declared = table.header.declared.get(key)
    meaning = declared.percent if declared is not None else PercentMeaning.fraction
    if text.endswith("%"):
        meaning = PercentMeaning.points  # a 度量单位 column's “%” after the number
    where = table.where(row, key)
    if percent:
        points = cells.percent(raw, meaning)
        if points is None:
            return text
        shown = places.at(where, raw, meaning)
        value = round_half_up(points, shown) if shown is not None else points
        return f"{plain_number(value.normalize())}%"
    shown = places.at(where, raw)
    if shown is None:
        return text
    number = round_half_up(Decimal(repr(raw)), shown)
    unit = _LEADING_FIGURE.sub("", cells.normalised(text), count=1)  # a 度量单位 column's
    return f"{plain_number(number)}{unit}"


_LEADING_FIGURE = re.compile(r"^[+-]?[\d,]*\.?\d*")


def _in_percent(target: str) -> bool:
    try:
        parsed = parse_target(target)
    except TargetError:
        return False
    unit = parsed.quantity.unit if parsed is not None and parsed.quantity is not None else None
    return unit is not None and unit.symbol == "%"


def _unreadable(kind: IndicatorKind, key: str, text: str, target: str, reason: str) -> str | None:
    """Why a quantitative row's cell cannot be read as a figure; None when it can."""
    if kind is IndicatorKind.qualitative:
        return None
    try:
        if key == "target":
            parse_target(text, qualitative=False)
        else:
            read_quantitative_actual(text, reason=reason, target=target)
    except TargetError as error:
        return f"：{error.reason}"
    return None


def _judged(
    table: Table, row: TableRow, kind: IndicatorKind, texts: dict[str, str], path: str,
    rules: ProjectRules, findings: list[ReviewFinding],
) -> str | None:  # fmt: skip
    forecast: str | None = texts["projected"]
    state: QualitativeState | None = None
    if kind is IndicatorKind.qualitative:
        forecast, state = actual_and_state(texts["projected"])
        if state is None:
            return None  # a description: not judged
    level1, level2, level3 = (str(row.values[key]) for key in _LEVELS)
    indicator = Indicator(
        level1, level2, level3, kind, texts["target"], _NOMINAL_WEIGHT,
        actual=forecast or None, state=state,
    )  # fmt: skip
    status = score_indicator(indicator, rules).status
    if status is IndicatorStatus.unscorable:
        findings.append(
            _unverifiable(
                table, row, "projected", path,
                f"“{texts['projected']}”与年度指标值“{texts['target']}”无法比较（单位不同或无法识别）",
            )
        )  # fmt: skip
        return UNVERIFIABLE
    if status is IndicatorStatus.not_applicable or status.target_met:
        return MET
    findings.extend(_explained(table, row, texts, path))
    return MISSED


_ASKED = (
    ("reason", "monitoring-deviation-unexplained", "偏差原因", "说明"),
    ("likelihood", "monitoring-likelihood-missing", "完成目标可能性", "填写"),
    ("improvement", "monitoring-improvement-missing", "改进措施", "填写"),
)
"""What a forecast short of its target asks for: the column, the check, what, and the verb
of the rule that asks for it."""


def _explained(
    table: Table, row: TableRow, texts: dict[str, str], path: str, share: bool = False
) -> list[ReviewFinding]:
    """A forecast short of its target asks for the reason (and what the layout has besides)."""
    projected = texts["projected"]
    if share:  # printed as a share of the target: short of 100%, not of the target's figure
        short = f"全年预计完成值占年度指标值{projected}，未达到100%"
    else:
        short = f"全年预计完成值“{projected}”达不到年度指标值“{texts['target']}”"
    found = []
    for key, check, what, verb in _ASKED:
        if not table.has(key) or key in row.failed or str(row.values.get(key) or "").strip():
            continue
        found.append(
            ReviewFinding(
                check, Severity.warning, "监控", table.where(row, key), path,
                f"{short}，应填写{what}（{table.label(key)}）",
                projected, "", f"全年预计完成值未达到年度指标值时，须{verb}{what}",
            )
        )  # fmt: skip
    return found


__all__ = ["RowsReview", "review_rows"]
