"""The words of a monitoring report: labels, generated sentences and the screen headline.

Every sentence is made from one ``MonitoringReport`` and prints the core's figures,
rounded half-up only here (万元 and percentages to two decimals), so the .docx, the
.xlsx and the command line cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from jixiao.core.budget import execution_rate
from jixiao.core.consistency import Finding
from jixiao.core.forecast import AdjustmentAction, ProjectForecast
from jixiao.core.money import ZERO, format_percent, format_wan
from jixiao.core.monitoring import (
    BudgetConsequence,
    IndicatorStatus,
    Light,
    Likelihood,
    Progress,
    month_end,
)
from jixiao.core.snapshots import SnapshotChange
from jixiao.services.monitoring_records import MonitoringReport

NO_LIGHT = "—"
RULE_FINDINGS = frozenset({"absolute-execution-rule"})
"""Findings that are warnings about spending (shown under 项目执行与预警)."""
LIST_LIMIT = 10
"""Up to this many unreported indicators are named in the report; more are counted."""
UNREPORTED = frozenset({"likelihood-missing"})
"""Findings that only say an indicator's progress is not reported (counted, not listed)."""


def date_text(day: date) -> str:
    """2023-07-31 → "2023年7月31日"."""
    return f"{day.year}年{day.month}月{day.day}日"


def period_label(as_of: date) -> str:
    """The period a "执行数" column covers: "1-7月", "1月", or "截至7月15日"."""
    if as_of != month_end(as_of.year, as_of.month):
        return f"截至{as_of.month}月{as_of.day}日"
    return "1月" if as_of.month == 1 else f"1-{as_of.month}月"


def light_text(light: Light | None) -> str:
    """"红灯", "黄灯", "绿灯", or "—" when no light is given."""
    return f"{light.label}灯" if light is not None else NO_LIGHT


def table_title(report: MonitoringReport) -> str:
    return (
        f"{report.fiscal_year}年度项目支出绩效目标执行监控表"
        f"（截至{date_text(report.as_of)}）"
    )


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
    """Σ final budget, Σ projected, Σ projected unspent over the projects."""
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
            f"预警规则为“{result.rules.name}”：执行进度比低于{format_percent(lights.red_below)}"
            f"为红灯，低于{format_percent(lights.yellow_below)}为黄灯，其余为绿灯。"
        )
    else:
        sentences.append(f"所用规则集“{result.rules.name}”未设红黄绿灯。")
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
                f"“{report.project_name(p.code)}”（{format_percent(p.progress_ratio)}）"
                for p in groups[key]
            )
            sentences.append(f"亮{label}的项目（括号内为执行进度比）：{names}。")
    if not groups["red"] and not groups["yellow"] and report.result.projects:
        sentences.append("各项目执行进度均未触发红灯或黄灯预警。")
    sentences.extend(
        f.message for f in report.result.findings if f.id in RULE_FINDINGS
    )
    return sentences


def profile_sentence(report: MonitoringReport) -> str:
    profile = report.profile
    share = profile.share_at(report.as_of)
    default = (
        "该曲线为假设的逐月累计支出比例（政府支出一般集中在年末），"
        "有本部门往年支出台账时改用本部门的曲线。"
        if not profile.years
        else ""
    )
    return (
        f"全年执行预测按{profile.source}进行：按该曲线，截至{date_text(report.as_of)}应完成"
        f"全年支出的{format_percent(share)}，以已执行数除以该比例推算全年执行数"
        f"（不超过全年预算数），以曲线的上下限给出预测区间。{default}"
    )


def forecast_sentences(report: MonitoringReport) -> list[str]:
    """四、全年执行预测."""
    sentences = [profile_sentence(report)]
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
        f"“{report.project_name(p.to_project)}”{format_wan(p.amount)}万元"
        for p in proposals
        if p.action is AdjustmentAction.reallocate and p.to_project
    ]
    cut = sum(
        (p.amount for p in proposals if p.action is AdjustmentAction.reduce), ZERO
    )
    advice = []
    if moves:
        advice.append(f"调剂至执行较快的项目{'、'.join(moves)}")
    if cut > ZERO:
        others = [
            f"“{report.project_name(c)}”"
            for c in report.plan.ahead
            if c != code and _without_quantified_need(report, c)
        ]
        hint = f"（或视需要调剂至执行较快的项目{'、'.join(others)}）" if others else ""
        advice.append(f"按程序调减{format_wan(cut)}万元{hint}")
    return (
        f"“{report.project_name(code)}”预计全年执行{format_wan(forecast.projected)}万元，"
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


def indicator_sentence(report: MonitoringReport, status: IndicatorStatus) -> str:
    if status.progress and status.progress_as_of != report.as_of:
        period = f"截至{date_text(status.progress_as_of)}"
    else:
        period = period_label(report.as_of)
    progress = status.progress if status.progress else "未填报"
    parts = [
        f"{owner_name(report, status.project_code)}“{indicator_name(status.indicator_path)}”："
        f"年度指标值{status.target or '—'}，{period}完成{progress}"
    ]
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
        parts.append(f"；偏差原因（{category}）：{status.reason or '未说明'}")
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
    sentences = [
        f"纳入监控的绩效指标{len(statuses)}个，完成目标可能性为“确定能”的"
        f"{counts[Likelihood.certain]}个、“有可能”的{counts[Likelihood.possible]}个、"
        f"“完全不可能”的{counts[Likelihood.impossible]}个，未填报且无法按进度推算的{missing}个。"
    ]
    attention = [s for s in statuses if _needs_attention(s) and s.likelihood is not None]
    sentences.extend(indicator_sentence(report, s) for s in attention)
    if 0 < missing <= LIST_LIMIT:
        names = "、".join(
            f"{owner_name(report, s.project_code)}“{indicator_name(s.indicator_path)}”"
            for s in statuses
            if s.likelihood is None
        )
        sentences.append(f"以下指标尚未填报进度或完成目标可能性，请补充：{names}。")
    elif missing:
        sentences.append(
            f"{missing}个指标尚未填报进度或完成目标可能性（逐项见监控表“绩效指标”工作表），请补充。"
        )
    if not attention and not missing:
        sentences.append("各项指标预计均能完成年度目标。")
    return sentences


def consequence_sentence(report: MonitoringReport, consequence: BudgetConsequence) -> str:
    return (
        f"“{report.project_name(consequence.project_code)}”为经常性项目，截至"
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
        return [f"本次监控所用规则集“{rules.name}”未规定支出进度与下年预算安排挂钩的规则。"]
    terms = "；".join(
        f"{rule.month}月末执行率低于{format_percent(rule.below_rate)}的，下年预算按本年的"
        f"{format_percent(rule.next_year_share)}核定"
        for rule in rules.consequence_rules
    )
    sentences = [f"按规则“{rules.name}”，经常性项目{terms}。"]
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


def other_findings(report: MonitoringReport) -> list[Finding]:
    """Findings not already told in a section (e.g. lines that cannot be monitored)."""
    return [
        f for f in report.result.findings
        if f.id not in RULE_FINDINGS and f.id not in UNREPORTED
    ]  # fmt: skip


# The screen


def headline_lines(report: MonitoringReport, limit: int = 10) -> list[str]:
    """What ``jixiao monitor`` prints."""
    result = report.result
    department = result.department
    counts = light_counts(report)
    lines = [
        f"{report.fiscal_year}年度 {report.department_name}（{report.department_code}）运行监控，"
        f"截至{date_text(result.as_of)}，规则：{result.rules.name}",
        f"序时进度 {format_percent(result.time_progress)}；全年预算数 "
        f"{format_wan(department.final_budget)} 万元；"
        f"已执行 {format_wan(department.executed)} 万元；"
        f"执行率 {format_percent(department.execution_rate)}；执行进度比 "
        f"{format_percent(department.progress_ratio)}；预警 {light_text(department.light)}",
        f"项目 {counts.total} 个：红灯 {counts.red} 个，黄灯 {counts.yellow} 个，"
        f"绿灯 {counts.green} 个" + (f"，未定灯 {counts.none} 个" if counts.none else ""),
    ]
    if report.forecasts:
        budget, projected, unspent = projected_totals(report)
        lines.append(
            f"全年预测（{report.profile.source}）：预计执行 {format_wan(projected)} 万元，"
            f"为项目预算的 {format_percent(execution_rate(projected, budget))}，"
            f"预计结转结余 {format_wan(unspent)} 万元"
        )
    warnings = [f for f in result.findings if f.id not in UNREPORTED]
    unreported = len(result.findings) - len(warnings)
    lines.append(f"预警和提示 {len(warnings)} 项" + ("：" if warnings else ""))
    lines.extend(f"  【{f.severity.label}】{f.message}" for f in warnings[:limit])
    if len(warnings) > limit:
        lines.append(f"  ……另有 {len(warnings) - limit} 项，见监控报告")
    if unreported:
        lines.append(f"另有 {unreported} 个绩效指标未填报进度或完成目标可能性，见监控表")
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
