"""Review of a target-vs-actual table without weights or scores (a 县级专项 attainment form).

Such a table lists, per indicator, its 年度目标值 and 实际完成值 (and may print 是否达成 and
the reason a target was not met), but no 分值 or 得分: there is no total and no grade. Each
row is judged met or not met as the rule set judges a target (``core.scoring``: the
operator, the unit, “=0” meaning none at all), weight aside. The findings:

- **读取** — a target or an actual that cannot be read; a row without its 一级/二级/三级;
- **达成** — a printed 是否达成 that contradicts the figures; a target not met without its
  reason; a row whose actual is not reported; a qualitative row whose completion the
  table does not state.

A met or not-met row that is consistent is no finding: the summary counts them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.goals import Indicator, IndicatorKind, QualitativeState
from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import IndicatorStatus, score_indicator
from jixiao.core.targets import TargetError, parse_actual, parse_target
from jixiao.core.vocabulary import Severity
from jixiao.interchange.excel.form_goals import actual_and_state, indicator_kind, percent_cell
from jixiao.interchange.excel.form_sheets import FormSheet
from jixiao.interchange.excel.headers import Table, TableRow
from jixiao.interchange.excel.review import ReviewFinding, SheetReview

_NOMINAL_WEIGHT = Decimal(100)
"""A weight to score a row with: only whether its target is met is used."""
_LEVELS = ("level1", "level2", "level3")
_UNREADABLE = "cell-unreadable"


@dataclass(frozen=True)
class _Row:
    path: str
    status: IndicatorStatus


def _finding(
    check_id: str, where: str, location: str, message: str, *,
    severity: Severity = Severity.warning, category: str = "达成", claimed: str = "",
    computed: str = "", rule: str = "",
) -> ReviewFinding:  # fmt: skip
    return ReviewFinding(
        id=check_id,
        severity=severity,
        category=category,
        where=where,
        location=location,
        message=message,
        claimed=claimed,
        computed=computed,
        rule=rule,
    )


def _judged(
    table: Table, row: TableRow, rules: ProjectRules, findings: list[ReviewFinding]
) -> _Row | None:
    """One row met or not (or why it cannot be told); None when it cannot be read."""
    if row.failed & {*_LEVELS, "target", "actual", "kind"}:
        return None  # its cells are 读取 findings already
    names = [str(row.get(key) or "") for key in _LEVELS]
    if not all(names):
        missing = next(key for key, name in zip(_LEVELS, names, strict=True) if not name)
        if missing not in row.failed:
            findings.append(
                _finding(
                    _UNREADABLE,
                    table.where(row, missing),
                    "",
                    f"{table.label(missing)}：不能为空",
                    severity=Severity.error,
                    category="读取",
                )
            )
        return None
    path = "/".join(names)
    target = str(row.get("target") or "")
    actual = percent_cell(table, row, "actual", target) or str(row.get("actual") or "") or None
    kind = indicator_kind(table, row, target)
    state: QualitativeState | None = None
    if kind is IndicatorKind.qualitative and actual is not None:
        actual, state = actual_and_state(actual)
    for key, text, parse in (("target", target, parse_target), ("actual", actual, parse_actual)):
        try:
            parse(text)
        except TargetError as error:
            findings.append(
                _finding(
                    _UNREADABLE,
                    table.where(row, key),
                    path,
                    f"{table.label(key)}：{error.reason}（读到“{text}”）",
                    severity=Severity.error,
                    category="读取",
                )
            )
            return None
    level1, level2, level3 = names
    indicator = Indicator(
        level1, level2, level3, kind, target, _NOMINAL_WEIGHT, actual=actual, state=state
    )
    return _Row(path, score_indicator(indicator, rules).status)


def review_attainment(form: FormSheet, rules: ProjectRules) -> SheetReview:
    """Every row of an attainment table judged met or not, and the findings (see the module)."""
    table = form.indicators
    findings = [
        _finding(_UNREADABLE, p.where, "", p.message, severity=Severity.error, category="读取")
        for p in form.problems
    ]
    counts = {"达成": 0, "未达成": 0, "无法判断": 0}
    for row in table.rows:
        judged = _judged(table, row, rules, findings)
        if judged is None:
            counts["无法判断"] += 1
            continue
        counts[_check(table, row, judged, findings)] += 1
    summary = "逐行判断达成：" + "，".join(f"{label} {n} 项" for label, n in counts.items())
    name = form.label("project_name")
    return SheetReview(
        sheet=form.name,
        kind=form.kind,
        title=str(name.value) if name else form.name,
        findings=tuple(findings),
        summary=summary,
        what=form.layout.form.form_title,
    )


def _check(table: Table, row: TableRow, judged: _Row, findings: list[ReviewFinding]) -> str:
    """The findings of one judged row; its count's label."""
    status = judged.status
    claimed: bool | None = row.get("attained")
    reason = str(row.get("remark") or "").strip()
    if status is IndicatorStatus.not_reported:
        findings.append(
            _finding(
                "attainment-not-reported",
                table.where(row, "actual"),
                judged.path,
                "实际完成值未填报，无法判断是否达成",
            )
        )
        return "无法判断"
    if status is IndicatorStatus.unscorable:
        findings.append(
            _finding(
                "attainment-uncomparable",
                table.where(row, "actual"),
                judged.path,
                "无法比较年度目标值与实际完成值（单位不同或无法识别），请核对",
                severity=Severity.error,
            )
        )
        return "无法判断"
    if status is IndicatorStatus.partly_achieved:
        met = False
    elif status in (IndicatorStatus.met, IndicatorStatus.over_achieved, IndicatorStatus.achieved):
        met = True
    elif status in (IndicatorStatus.not_met, IndicatorStatus.not_achieved):
        met = False
    else:
        if claimed is None:
            findings.append(
                _finding(
                    "attainment-state-missing",
                    table.where(row, "actual"),
                    judged.path,
                    "定性指标未写明完成情况（达成年度指标 / 部分达成年度指标并具有一定效果 / "
                    "未达成年度指标且效果较差），无法判断是否达成",
                )
            )
            return "无法判断"
        met = claimed
    if claimed is not None and claimed != met:
        findings.append(
            _finding(
                "attainment-claim-contradicts",
                table.where(row, "attained"),
                judged.path,
                f"填报“{'达成' if claimed else '未达成'}”，按年度目标值与实际完成值"
                f"应为“{'达成' if met else '未达成'}”",
                severity=Severity.error,
                claimed="达成" if claimed else "未达成",
                computed="达成" if met else "未达成",
                rule="实际完成值达到年度目标值（按计算符号比较）为达成",
            )
        )
    if not met and not reason and table.has("remark"):
        findings.append(
            _finding(
                "attainment-unmet-without-reason",
                table.where(row, "remark"),
                judged.path,
                "未达成年度目标值，应说明原因",
            )
        )
    return "达成" if met else "未达成"
