"""The words of a monitoring report: labels, generated sentences and the screen headline.

Every sentence is made from one ``MonitoringReport`` and prints the core's figures,
rounded half-up only here (万元 and percentages to two decimals), so the .docx, the
.xlsx and the command line cannot disagree.

The report states what the department publishes; what is addressed to the preparer
(indicators without progress or reasons, lines that cannot be monitored, a rounding
difference the department has not chosen to note) goes to the 审核意见
(``review_findings``). A total printed under a column of recorded amounts is the exact
total rounded once; where the printed rows add up to another figure, the table carries
the 注 "尾差系四舍五入所致" when the department prints it (``rounding_note``), else the
difference is a review finding. Forecast totals are sums of the per-project forecasts
as stated (the core states them to 0.01 万元), so they always equal their column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from jixiao.core.budget import execution_rate
from jixiao.core.consistency import Finding
from jixiao.core.forecast import AdjustmentAction, ProfileBasis, ProjectForecast
from jixiao.core.money import (
    ZERO,
    format_percent,
    format_wan,
    round_half_up,
    wan_to_yuan,
    yuan_to_wan,
)
from jixiao.core.monitoring import (
    BudgetConsequence,
    IndicatorStatus,
    Light,
    Likelihood,
    Progress,
    month_end,
)
from jixiao.core.monitoring_report import REPORTED_FINDINGS, MonitoringReport
from jixiao.core.snapshots import SnapshotChange
from jixiao.core.vocabulary import Severity
from jixiao.core.wording import quoted

NO_LIGHT = "—"
UNREPORTED = frozenset({"likelihood-missing"})
"""Findings that only say an indicator's progress is not reported (counted, not listed)."""
ROUNDING_NOTE = "尾差系四舍五入所致。"
TOTAL_LABEL = "合计"


def date_text(day: date) -> str:
    """2023-07-31 → "2023年7月31日"."""
    return f"{day.year}年{day.month}月{day.day}日"


def period_label(as_of: date) -> str:
    """The period a "执行数" column covers: "1-7月", "1月", or "截至7月15日"."""
    if as_of != month_end(as_of.year, as_of.month):
        return f"截至{as_of.month}月{as_of.day}日"
    return "1月" if as_of.month == 1 else f"1-{as_of.month}月"


def light_text(light: Light | None) -> str:
    """ "红灯", "黄灯", "绿灯", or "—" when no light is given."""
    return f"{light.label}灯" if light is not None else NO_LIGHT


def table_title(report: MonitoringReport) -> str:
    return f"{report.fiscal_year}年度项目支出绩效目标执行监控表（截至{date_text(report.as_of)}）"


def report_title(report: MonitoringReport) -> str:
    return (
        f"{report.fiscal_year}年度{report.department_name}预算绩效运行监控报告"
        f"（截至{date_text(report.as_of)}）"
    )


def owner_name(report: MonitoringReport, project_code: str | None) -> str:
    return report.project_name(project_code) if project_code else "部门整体"


def indicator_name(path: str) -> str:
    """The third-level name of an "一级/二级/三级" path."""
    return path.rsplit("/", 1)[-1]


# Counting


@dataclass(frozen=True)
class LightCounts:
    red: int
    yellow: int
    green: int
    none: int

    @property
    def total(self) -> int:
        return self.red + self.yellow + self.green + self.none


def light_counts(report: MonitoringReport) -> LightCounts:
    groups = report.projects_by_light()
    return LightCounts(
        len(groups["red"]), len(groups["yellow"]), len(groups["green"]), len(groups["none"])
    )


def projected_totals(report: MonitoringReport) -> tuple[Decimal, Decimal, Decimal]:
    """Σ final budget, Σ projected, Σ projected unspent over the projects (the forecasts
    are stated to 0.01 万元, so Σ projected is the sum of the printed rows)."""
    budget = sum((f.final_budget for f in report.forecasts), ZERO)
    projected = sum((f.projected for f in report.forecasts), ZERO)
    unspent = sum((f.projected_unspent for f in report.forecasts), ZERO)
    return budget, projected, unspent


# Sentences


def _light_clause(progress: Progress) -> str:
    if progress.light is None:
        return "未定预警等级"
    return f"预警等级为{light_text(progress.light)}"


def overall_sentences(report: MonitoringReport) -> list[str]:
    """一、总体执行情况."""
    result = report.result
    department = result.department
    basis = "已完成月份" if result.rules.time_basis == "months" else "已过天数"
    sentences = [
        f"截至{date_text(result.as_of)}，{report.department_name}全年预算数"
        f"{format_wan(department.final_budget)}万元，已执行{format_wan(department.executed)}万元，"
        f"执行率{format_percent(department.execution_rate)}。",
    ]
    if department.adjusted_later:
        sentences.append(
            f"全年预算数为截至{date_text(result.as_of)}的预算数（年初预算数加截至该日的预算调整），"
            f"此后的预算调整未计入本次监控；计入此后的调整，现全年预算数为"
            f"{format_wan(department.budget_now)}万元。"
        )
    if department.progress_ratio is None:
        sentences.append(
            f"按{basis}计算，序时进度为{format_percent(result.time_progress)}，"
            "执行进度比（执行率÷序时进度）无法计算，未定预警等级。"
        )
    else:
        sentences.append(
            f"按{basis}计算，序时进度为{format_percent(result.time_progress)}，"
            f"执行进度比（执行率÷序时进度）为{format_percent(department.progress_ratio)}，"
            f"{_light_clause(department)}。"
        )
    lights = result.rules.lights
    if lights is not None:
        sentences.append(
            f"预警规则为{quoted(result.rules.name)}：执行进度比低于{format_percent(lights.red_below)}"
            f"为红灯，低于{format_percent(lights.yellow_below)}为黄灯，其余为绿灯。"
        )
    else:
        sentences.append(f"所用规则集{quoted(result.rules.name)}未设红黄绿灯。")
    counts = light_counts(report)
    tail = f"、未定灯{counts.none}个" if counts.none else ""
    sentences.append(
        f"纳入监控的项目{counts.total}个，其中红灯{counts.red}个、黄灯{counts.yellow}个、"
        f"绿灯{counts.green}个{tail}。"
    )
    return sentences


def source_sentences(report: MonitoringReport) -> list[str]:
    """二、按资金来源."""
    sentences = []
    for source in report.result.sources:
        ratio = (
            f"，执行进度比{format_percent(source.progress_ratio)}"
            if source.progress_ratio is not None
            else ""
        )
        sentences.append(
            f"{source.label}全年预算数{format_wan(source.final_budget)}万元，已执行"
            f"{format_wan(source.executed)}万元，执行率{format_percent(source.execution_rate)}"
            f"{ratio}，{_light_clause(source)}。"
        )
    if not sentences:
        sentences.append("没有可按月监控的预算行。")
    return sentences


def project_sentences(report: MonitoringReport) -> list[str]:
    """三、项目执行与预警: the lagging projects by name, then the rule warnings."""
    groups = report.projects_by_light()
    sentences = []
    for key, label in (("red", "红灯"), ("yellow", "黄灯")):
        if groups[key]:
            names = "、".join(
                f"{quoted(report.project_name(p.code))}（{format_percent(p.progress_ratio)}）"
                for p in groups[key]
            )
            sentences.append(f"亮{label}的项目（括号内为执行进度比）：{names}。")
    if not groups["red"] and not groups["yellow"] and report.result.projects:
        sentences.append("各项目执行进度均未触发红灯或黄灯预警。")
    sentences.extend(f.message for f in report.result.findings if f.id in REPORTED_FINDINGS)
    return sentences


def profile_sentence(report: MonitoringReport) -> str:
    """How the forecasts were made; the department's curve is described as the fallback."""
    profile = report.profile
    share = profile.share_at(report.as_of)
    default = (
        "本部门曲线为假设的逐月累计支出比例（政府支出一般集中在年末），"
        "有本部门往年支出台账时改用本部门的曲线。"
        if not profile.years
        else ""
    )
    return (
        "全年执行预测按各项目可得的最接近的支出历史进行：有本项目上年支出台账的按本项目的"
        "逐月累计支出曲线，没有的按同类项目（经常性、一次性、工程类等）上年的曲线，"
        f"再没有的按本部门的曲线（{profile.source}，截至{date_text(report.as_of)}应完成全年支出的"
        f"{format_percent(share)}）；以已执行数除以曲线截至监控日应完成的比例推算全年执行数"
        f"（不超过全年预算数），以曲线的上下限给出预测区间，预测数按万元保留两位小数。{default}"
    )


def basis_counts(report: MonitoringReport) -> dict[ProfileBasis | None, int]:
    counts: dict[ProfileBasis | None, int] = {}
    for forecast in report.forecasts:
        counts[forecast.profile_basis] = counts.get(forecast.profile_basis, 0) + 1
    return counts


def basis_sentence(report: MonitoringReport) -> str | None:
    """How many projects each kind of history forecast; None for an older snapshot."""
    counts = basis_counts(report)
    if not report.forecasts or None in counts:
        return None
    parts = "、".join(
        f"按{basis.label}预测的{counts[basis]}个" for basis in ProfileBasis if counts.get(basis)
    )
    return f"{len(report.forecasts)}个项目中，{parts}，各项目的预测依据见下表注。"


def basis_text(forecast: ProjectForecast) -> str:
    """The 预测依据 cell: whose ledger the project's curve comes from."""
    return forecast.profile_source or "—"


def forecast_sentences(report: MonitoringReport) -> list[str]:
    """四、全年执行预测."""
    sentences = [profile_sentence(report)]
    if (counted := basis_sentence(report)) is not None:
        sentences.append(counted)
    if report.forecasts:
        budget, projected, unspent = projected_totals(report)
        sentences.append(
            f"据此预计各项目全年执行{format_wan(projected)}万元，为项目全年预算数"
            f"{format_wan(budget)}万元的{format_percent(execution_rate(projected, budget))}，"
            f"预计结转结余{format_wan(unspent)}万元。"
        )
    return sentences


def range_text(forecast: ProjectForecast) -> str:
    return f"{format_wan(forecast.projected_low)}～{format_wan(forecast.projected_high)}"


def _without_quantified_need(report: MonitoringReport, code: str) -> bool:
    """An ahead project whose extra need the forecast cannot put a figure on (the core
    names these in its 调减 proposals as possible recipients)."""
    forecast = report.forecast(code)
    return forecast.demand is None or forecast.demand <= forecast.final_budget


def project_proposal_sentence(report: MonitoringReport, code: str) -> str:
    """All proposals for one lagging project, as one sentence."""
    forecast = report.forecast(code)
    proposals = [p for p in report.plan.proposals if p.project_code == code]
    moves = [
        f"{quoted(report.project_name(p.to_project))}{format_wan(p.amount)}万元"
        for p in proposals
        if p.action is AdjustmentAction.reallocate and p.to_project
    ]
    cut = sum((p.amount for p in proposals if p.action is AdjustmentAction.reduce), ZERO)
    advice = []
    if moves:
        advice.append(f"调剂至执行较快的项目{'、'.join(moves)}")
    if cut > ZERO:
        others = [
            f"{quoted(report.project_name(c))}"
            for c in report.plan.ahead
            if c != code and _without_quantified_need(report, c)
        ]
        hint = f"（或视需要调剂至执行较快的项目{'、'.join(others)}）" if others else ""
        advice.append(f"按程序调减{format_wan(cut)}万元{hint}")
    return (
        f"{quoted(report.project_name(code))}预计全年执行{format_wan(forecast.projected)}万元，"
        f"为全年预算数的{format_percent(forecast.projected_rate)}，低于"
        f"{format_percent(report.plan.threshold)}，预计结转结余"
        f"{format_wan(forecast.projected_unspent)}万元，建议{'；'.join(advice)}。"
    )


def proposal_sentences(report: MonitoringReport) -> list[str]:
    """五、调整建议: one sentence per lagging project."""
    if not report.plan.lagging:
        return [
            f"按预测，各项目全年预计执行率均不低于{format_percent(report.plan.threshold)}，"
            "暂无调减或调剂建议。"
        ]
    sentences = [project_proposal_sentence(report, code) for code in report.plan.lagging]
    sentences.append(
        "以上建议依据财预〔2019〕136号：因客观原因执行缓慢的，按程序调减预算并同步调整绩效目标；"
        "执行较快、资金不足的项目可按程序调剂。具体由单位研究后按程序报批。"
    )
    return sentences


def _needs_attention(status: IndicatorStatus) -> bool:
    return status.projected_to_miss or status.likelihood is not Likelihood.certain


def _rate_clause(report: MonitoringReport, status: IndicatorStatus, name: str) -> str:
    """A rate (满意度 95%) is a level compared with its target, not a sum of months."""
    day = status.progress_as_of if status.progress else report.as_of
    if not status.progress:
        return f"{name}：年度指标值{status.target or '—'}，截至{date_text(day)}尚无实际值"
    reached = status.progress_ratio is not None and status.progress_ratio >= 1
    verdict = "已达到年度指标值" if reached else "尚未达到年度指标值"
    return (
        f"{name}：年度指标值{status.target or '—'}，截至{date_text(day)}实际为{status.progress}，"
        f"{verdict}（比率类指标与年度指标值比较，不按月累计）"
    )


def indicator_sentence(report: MonitoringReport, status: IndicatorStatus) -> str:
    if status.progress and status.progress_as_of != report.as_of:
        period = f"截至{date_text(status.progress_as_of)}"
    else:
        period = period_label(report.as_of)
    progress = status.progress if status.progress else "未填报"
    indicator = quoted(indicator_name(status.indicator_path))
    name = f"{owner_name(report, status.project_code)}{indicator}"
    if status.rate:
        parts = [_rate_clause(report, status, name)]
    else:
        parts = [f"{name}：年度指标值{status.target or '—'}，{period}完成{progress}"]
        if status.progress_ratio is not None:
            parts.append(f"（完成率{format_percent(status.progress_ratio)}）")
        if status.projected_ratio is not None:
            parts.append(f"，预计全年完成年度指标的{format_percent(status.projected_ratio)}")
    if status.likelihood is not None:
        how = "（按进度推算）" if status.likelihood_suggested else ""
        parts.append(f"；完成目标可能性：{status.likelihood.value}{how}")
    else:
        parts.append("；未填报完成目标可能性")
    if status.reason_category is not None or status.reason:
        category = status.reason_category.value if status.reason_category else "未分类"
        reason = status.reason.strip().rstrip("。；;.") or "未说明"
        parts.append(f"；偏差原因（{category}）：{reason}")
    return "".join(parts) + "。"


def indicator_sentences(report: MonitoringReport) -> list[str]:
    """六、绩效指标完成情况."""
    statuses = report.result.indicators
    if not statuses:
        return ["本年度未设绩效指标，或指标未纳入监控。"]
    counts = {likelihood: 0 for likelihood in Likelihood}
    missing = 0
    for status in statuses:
        if status.likelihood is None:
            missing += 1
        else:
            counts[status.likelihood] += 1
    unknown = f"，暂无进度信息的{missing}个" if missing else ""
    sentences = [
        f"纳入监控的绩效指标{len(statuses)}个，完成目标可能性为“确定能”的"
        f"{counts[Likelihood.certain]}个、“有可能”的{counts[Likelihood.possible]}个、"
        f"“完全不可能”的{counts[Likelihood.impossible]}个{unknown}。"
    ]
    attention = [s for s in statuses if _needs_attention(s) and s.likelihood is not None]
    sentences.extend(indicator_sentence(report, s) for s in attention)
    if not attention and not missing:
        sentences.append("各项指标预计均能完成年度目标。")
    return sentences


def consequence_sentence(report: MonitoringReport, consequence: BudgetConsequence) -> str:
    return (
        f"{quoted(report.project_name(consequence.project_code))}为经常性项目，截至"
        f"{consequence.month}月末执行{format_wan(consequence.executed_at_month_end)}万元，"
        f"执行率{format_percent(consequence.rate_at_month_end)}，低于"
        f"{format_percent(consequence.below_rate)}，按规则下年预算按本年全年预算数的"
        f"{format_percent(consequence.next_year_share)}核定，即"
        f"{format_wan(consequence.next_year_budget)}万元（核减{format_wan(consequence.reduction)}"
        "万元）。"
    )


def consequence_sentences(report: MonitoringReport) -> list[str]:
    """七、预算安排建议."""
    rules = report.result.rules
    if not rules.consequence_rules:
        return [f"本次监控所用规则集{quoted(rules.name)}未规定支出进度与下年预算安排挂钩的规则。"]
    terms = "；".join(
        f"{rule.month}月末执行率低于{format_percent(rule.below_rate)}的，下年预算按本年的"
        f"{format_percent(rule.next_year_share)}核定"
        for rule in rules.consequence_rules
    )
    sentences = [f"按规则{quoted(rules.name)}，经常性项目{terms}。"]
    if report.result.consequences:
        sentences.extend(consequence_sentence(report, c) for c in report.result.consequences)
        return sentences
    due = [
        rule for rule in rules.consequence_rules
        if report.as_of >= month_end(report.fiscal_year, rule.month)
    ]  # fmt: skip
    if not due:
        months = sorted({rule.month for rule in rules.consequence_rules})
        sentences.append(
            f"本次监控日期未到{'、'.join(f'{m}月' for m in months)}末，届时按实际执行率确定；"
            "请执行偏慢的经常性项目加快进度。"
        )
    else:
        sentences.append("经常性项目的执行率均未低于上述标准，不影响下年预算安排。")
    return sentences


# Tables: totals and notes


@dataclass(frozen=True)
class ColumnTotal:
    """A printed column of amounts (元) and the total printed under it."""

    table: str
    header: str
    amounts: tuple[Decimal, ...]

    @property
    def total(self) -> Decimal:
        return sum(self.amounts, ZERO)

    @property
    def rows_sum(self) -> Decimal:
        """The printed rows added up, 万元."""
        return sum((round_half_up(yuan_to_wan(a)) for a in self.amounts), ZERO)

    @property
    def gap(self) -> Decimal:
        """Printed total − printed rows added up, 万元; zero when they agree."""
        return round_half_up(yuan_to_wan(self.total)) - self.rows_sum


PROJECT_TABLE = "项目执行与预警"
FORECAST_TABLE = "全年执行预测"


def project_table_columns(report: MonitoringReport) -> list[ColumnTotal]:
    projects = report.result.projects
    return [
        ColumnTotal(PROJECT_TABLE, "全年预算数", tuple(p.final_budget for p in projects)),
        ColumnTotal(
            PROJECT_TABLE,
            f"{period_label(report.as_of)}执行数",
            tuple(p.executed for p in projects),
        ),
    ]


def forecast_table_columns(report: MonitoringReport) -> list[ColumnTotal]:
    forecasts = report.forecasts
    return [
        ColumnTotal(FORECAST_TABLE, "全年预算数", tuple(f.final_budget for f in forecasts)),
        ColumnTotal(FORECAST_TABLE, "全年预计执行数", tuple(f.projected for f in forecasts)),
        ColumnTotal(FORECAST_TABLE, "预计结余", tuple(f.projected_unspent for f in forecasts)),
    ]


def _rounding_gaps(columns: Sequence[ColumnTotal]) -> list[ColumnTotal]:
    return [column for column in columns if column.gap != ZERO]


def later_budgets_note(report: MonitoringReport) -> str | None:
    """What 全年预算数 means at the date, and the current budget of each project adjusted
    since; None when no project was."""
    adjusted = [p for p in report.result.projects if p.adjusted_later]
    if not adjusted:
        return None
    now = "、".join(
        f"{quoted(report.project_name(p.code))}{format_wan(p.budget_now)}万元" for p in adjusted
    )
    return (
        f"全年预算数为截至{date_text(report.as_of)}的预算数（年初预算数加截至该日的预算调整）；"
        f"此后调整了预算的项目，现全年预算数为{now}。"
    )


def project_table_notes(report: MonitoringReport) -> list[str]:
    """The 注 under the project table: the budgets adjusted since the date, and rounding."""
    notes = [note] if (note := later_budgets_note(report)) else []
    if report.rounding_note and _rounding_gaps(project_table_columns(report)):
        notes.append(ROUNDING_NOTE)
    return numbered_notes(notes)


def basis_note(report: MonitoringReport) -> str | None:
    """Which history each project's forecast used, grouped by curve; None without forecasts
    (or for an older snapshot that did not record it)."""
    if not report.forecasts or any(f.profile_basis is None for f in report.forecasts):
        return None
    order: dict[ProfileBasis | None, int] = {b: rank for rank, b in enumerate(ProfileBasis)}
    groups: dict[str, list[str]] = {}
    for forecast in sorted(report.forecasts, key=lambda f: order.get(f.profile_basis, 0)):
        groups.setdefault(basis_text(forecast), []).append(forecast.project_code)
    *named, (last_source, _) = groups.items()
    parts = [
        "、".join(f"{quoted(report.project_name(code))}" for code in codes) + f"按{source}"
        for source, codes in named
    ]
    parts.append(f"{'其余项目' if named else '各项目均'}按{last_source}")
    return f"预测依据（逐月累计支出曲线）：{'；'.join(parts)}。"


def forecast_table_notes(report: MonitoringReport) -> list[str]:
    """The 注 under the forecast table: each project's history, and rounding when noted."""
    notes = [note] if (note := basis_note(report)) else []
    if report.rounding_note and _rounding_gaps(forecast_table_columns(report)):
        notes.append(ROUNDING_NOTE)
    return numbered_notes(notes)


def numbered_notes(notes: list[str]) -> list[str]:
    """The 注 lines under a table: "注：X" alone, else "注：1. X", "2. Y", …"""
    if len(notes) <= 1:
        return [f"注：{note}" for note in notes]
    return [f"注：{index}. {note}" if index == 1 else f"{index}. {note}"
            for index, note in enumerate(notes, start=1)]  # fmt: skip


def rounding_gap_message(column: str, rows_sum: Decimal, total: Decimal) -> str:
    """For the 审核意见: a printed column whose rows (``rows_sum``, 万元) add up to another
    figure than its printed 合计 (``total``, 万元), and how to print the 注 instead."""
    gap = abs(total - rows_sum)
    return (
        f"{column}各行相加为{format_wan(wan_to_yuan(rows_sum))}万元，合计为"
        f"{format_wan(wan_to_yuan(total))}万元，相差{format_wan(wan_to_yuan(gap))}"
        "万元，系四舍五入尾差；如需在表下注明“尾差系四舍五入所致”，"
        "请在数据文件中设 report.rounding_note: true。"
    )


def rounding_findings(report: MonitoringReport) -> list[Finding]:
    """Rounding differences in the report's tables that no 注 states (the department has
    not chosen ``rounding_note``): for the preparer to accept or to note."""
    if report.rounding_note:
        return []
    gaps = _rounding_gaps([*project_table_columns(report), *forecast_table_columns(report)])
    return [
        Finding(
            id="monitoring-rounding-difference",
            severity=Severity.info,
            message=rounding_gap_message(
                f"监控报告“{column.table}”表“{column.header}”列",
                column.rows_sum,
                column.rows_sum + column.gap,
            ),
            figures={"各行相加": column.rows_sum, "合计": yuan_to_wan(column.total)},
            location=f"monitoring.{column.table}.{column.header}",
            subject="监控报告表格",
        )
        for column in gaps
    ]


def review_findings(report: MonitoringReport) -> list[Finding]:
    """Everything the 审核意见 lists: the report's findings for the preparer and the
    rounding differences no 注 states."""
    return [*report.review_findings, *rounding_findings(report)]


# The screen


def _now_text(progress: Progress) -> str:
    if not progress.adjusted_later:
        return ""
    return f"（截至监控日；计入此后的调整为 {format_wan(progress.budget_now)} 万元）"


def basis_summary(report: MonitoringReport) -> str:
    """ "按同类项目支出曲线7个、按本部门支出曲线8个", or the one profile of an older snapshot."""
    counts = basis_counts(report)
    if None in counts:
        return report.profile.source
    return "、".join(f"按{b.label}{counts[b]}个" for b in ProfileBasis if counts.get(b))


def headline_lines(report: MonitoringReport, limit: int = 10) -> list[str]:
    """What ``jixiao monitor`` prints."""
    result = report.result
    department = result.department
    counts = light_counts(report)
    lines = [
        f"{report.fiscal_year}年度 {report.department_name}（{report.department_code}）运行监控，"
        f"截至{date_text(result.as_of)}，规则：{result.rules.name}",
        f"序时进度 {format_percent(result.time_progress)}；全年预算数 "
        f"{format_wan(department.final_budget)} 万元{_now_text(department)}；"
        f"已执行 {format_wan(department.executed)} 万元；"
        f"执行率 {format_percent(department.execution_rate)}；执行进度比 "
        f"{format_percent(department.progress_ratio)}；预警 {light_text(department.light)}",
        f"项目 {counts.total} 个：红灯 {counts.red} 个，黄灯 {counts.yellow} 个，"
        f"绿灯 {counts.green} 个" + (f"，未定灯 {counts.none} 个" if counts.none else ""),
    ]
    if report.forecasts:
        budget, projected, unspent = projected_totals(report)
        lines.append(
            f"全年预测（{basis_summary(report)}）：预计执行 {format_wan(projected)} 万元，"
            f"为项目预算的 {format_percent(execution_rate(projected, budget))}，"
            f"预计结转结余 {format_wan(unspent)} 万元"
        )
    warnings = [f for f in result.findings if f.id not in UNREPORTED]
    unreported = len(result.findings) - len(warnings)
    lines.append(f"预警和提示 {len(warnings)} 项" + ("：" if warnings else ""))
    lines.extend(f"  【{f.severity.label}】{f.message}" for f in warnings[:limit])
    if len(warnings) > limit:
        lines.append(f"  ……另有 {len(warnings) - limit} 项，见审核意见")
    if unreported:
        lines.append(f"另有 {unreported} 个绩效指标未填报进度或完成目标可能性，见审核意见")
    lagging = report.plan.lagging
    colon = "：" if lagging else ""
    lines.append(
        f"调整建议 {len(report.plan.proposals)} 项，涉及预计执行低于"
        f"{format_percent(report.plan.threshold)}的项目 {len(lagging)} 个{colon}"
    )
    lines.extend(f"  {project_proposal_sentence(report, code)}" for code in lagging[:limit])
    if len(lagging) > limit:
        lines.append(f"  ……另有 {len(lagging) - limit} 个项目，见监控报告")
    if result.consequences:
        lines.append(f"预算安排后果 {len(result.consequences)} 项：")
        lines.extend(f"  {consequence_sentence(report, c)}" for c in result.consequences[:limit])
    if report.snapshot_id is not None:
        lines.append(f"快照编号：{report.snapshot_id}")
    return lines


def summary_lines(report: MonitoringReport) -> list[str]:
    """A short summary (the demo prints it): lights, forecast, proposals, consequences."""
    result = report.result
    department = result.department
    counts = light_counts(report)
    budget, projected, _ = projected_totals(report)
    return [
        f"运行监控（截至{date_text(result.as_of)}）："
        f"序时进度 {format_percent(result.time_progress)}，"
        f"执行率 {format_percent(department.execution_rate)}，执行进度比 "
        f"{format_percent(department.progress_ratio)}（{light_text(department.light)}）",
        f"  项目 {counts.total} 个：红灯 {counts.red} 个，黄灯 {counts.yellow} 个，"
        f"绿灯 {counts.green} 个；预计全年执行 {format_wan(projected)} 万元"
        f"（项目预算的 {format_percent(execution_rate(projected, budget))}）",
        f"  调整建议 {len(report.plan.proposals)} 项（预计执行低于"
        f"{format_percent(report.plan.threshold)}的项目 {len(report.plan.lagging)} 个）；"
        f"预算安排后果 {len(result.consequences)} 项",
    ]


def snapshot_line(snapshot_id: int, as_of: date, taken_at: datetime, rules: str) -> str:
    """One line of ``jixiao snapshots``."""
    taken = taken_at.astimezone()
    return f"{snapshot_id}\t截至 {as_of.isoformat()}\t生成于 {taken:%Y-%m-%d %H:%M}\t规则：{rules}"


def _wan_or_dash(value: Decimal | None) -> str:
    return "—" if value is None else format_wan(value)


def change_lines(changes: Sequence[SnapshotChange], later: MonitoringReport) -> list[str]:
    """``jixiao snapshots --compare``: one line per project that changed."""
    if not changes:
        return ["两个快照之间各项目的执行数、执行率和预警均无变化"]
    lines = [f"有变化的项目 {len(changes)} 个："]
    for change in changes:
        delta = change.executed_change
        sign = "+" if delta is not None and delta >= ZERO else "−"
        moved = "" if delta is None else f"（{sign}{format_wan(abs(delta))}）"
        lines.append(
            f"  {later.project_name(change.project_code)}（{change.project_code}）："
            f"执行数 {_wan_or_dash(change.executed_before)} → "
            f"{_wan_or_dash(change.executed_after)} 万元{moved}；"
            f"执行率 {format_percent(change.rate_before)} → {format_percent(change.rate_after)}；"
            f"预警 {light_text(change.light_before)} → {light_text(change.light_after)}"
        )
    return lines
