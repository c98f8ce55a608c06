"""The charts of the 首页 and of 运行监控, drawn from the figures the pages' tables show.

Each is inline SVG (``jixiao.web.svg_charts``), put into the page as it is rendered.
Amounts are in 万元 with two decimals and thousands separators on the axis
("50,000.00", never "50k"), rates in percent; the hover text of each mark gives the
exact figure ("103,118.19 万元", "74.93%") and a project's code and full name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jixiao.core.forecast import ProjectForecast
from jixiao.core.money import (
    HUNDRED,
    ZERO,
    format_percent,
    format_thousands,
    format_wan,
    yuan_to_wan,
)
from jixiao.core.monitoring import MONTHS, Progress
from jixiao.core.vocabulary import FundingSource
from jixiao.web.summaries import YearSummary
from jixiao.web.svg_charts import Reference, Series, category_chart, donut_chart, line_chart

COLOURS = {
    "budget": "#9fb3c8",
    "executed": "#1f5f8b",
    "time": "#b0413e",
    "red": "#c0392b",
    "yellow": "#e0a800",
    "green": "#2e8b57",
    "none": "#b8c2cc",
}


def wan_tick(wan: Decimal) -> str:
    """An axis value in 万元: "50,000.00"."""
    return format_thousands(wan)


def percent_tick(percent: Decimal) -> str:
    """An axis value in percent: "25%", "12.5%"."""
    return f"{format(percent.normalize(), 'f')}%"


def amount_text(yuan: Decimal) -> str:
    """An amount with its unit, as hover texts show it: "103,118.19 万元"."""
    return _("%(amount)s 万元") % {"amount": format_wan(yuan)}


def _percent(rate: Decimal) -> Decimal:
    return rate * HUNDRED


def sources_chart(summary: YearSummary) -> SafeString | None:
    """Budget and executed per funding source (万元), side by side."""
    rows = [row for row in summary.sources if row.final_budget is not None or row.executed]
    if not rows:
        return None
    short = {
        FundingSource.general_public_budget: _("一般公共预算"),
        FundingSource.government_fund_budget: _("政府性基金"),
        FundingSource.state_capital_budget: _("国有资本经营"),
        FundingSource.other_funds: _("其他资金"),
    }
    budgets = [row.final_budget or ZERO for row in rows]
    executed = [row.executed for row in rows]
    return category_chart(
        [short[row.source] for row in rows],
        [
            Series(
                _("全年预算数"),
                COLOURS["budget"],
                [yuan_to_wan(v) for v in budgets],
                [amount_text(v) for v in budgets],
            ),
            Series(
                _("执行数"),
                COLOURS["executed"],
                [yuan_to_wan(v) for v in executed],
                [amount_text(v) for v in executed],
            ),
        ],
        wan_tick,
        _("万元"),
        _("按资金来源"),
    )


def progress_chart(summary: YearSummary) -> SafeString | None:
    """Cumulative execution rate by month against time progress (序时进度)."""
    report = summary.monitoring
    if report is None or not report.lines:
        return None
    budget = sum((line.final_budget for line in report.lines), ZERO)
    if budget == ZERO:
        return None
    months = summary.as_of.month
    cumulative = ZERO
    rates = []
    for month in range(months):
        cumulative += sum((line.monthly[month] for line in report.lines), ZERO)
        rates.append(cumulative / budget)
    time = [Decimal(month) / Decimal(MONTHS) for month in range(1, months + 1)]
    executed, elapsed = _("累计执行率"), _("序时进度")
    return line_chart(
        [_("%(month)d月") % {"month": month} for month in range(1, months + 1)],
        [
            Series(
                executed,
                COLOURS["executed"],
                [_percent(r) for r in rates],
                [format_percent(r) for r in rates],
            ),
            Series(
                elapsed,
                COLOURS["time"],
                [_percent(t) for t in time],
                [format_percent(t) for t in time],
            ),
        ],
        percent_tick,
        _("累计执行率与序时进度"),
        dashed=frozenset({elapsed}),
    )


def lights_chart(summary: YearSummary) -> SafeString | None:
    """How many projects show each light."""
    if not summary.projects:
        return None
    counts = summary.light_counts
    parts = [(name, COLOURS[k], counts[k]) for k, name in _light_names().items() if counts.get(k)]
    total = sum(count for _name, _colour, count in parts)
    centre = ngettext("%(count)s 个项目", "%(count)s 个项目", total) % {"count": total}
    return donut_chart(parts, _("项目预警灯"), centre)


def dashboard_charts(summary: YearSummary) -> dict[str, SafeString]:
    """The 首页's charts by name; a chart without data is left out."""
    charts = {
        "sources": sources_chart(summary),
        "progress": progress_chart(summary),
        "lights": lights_chart(summary),
    }
    return {key: value for key, value in charts.items() if value is not None}


@dataclass(frozen=True)
class ProjectMark:
    """A project as the 运行监控 charts show it: its progress and full name, its forecast
    and whether the plan proposes to adjust it."""

    progress: Progress
    name: str
    forecast: ProjectForecast | None = None
    lagging: bool = False

    @property
    def label(self) -> str:
        return f"{self.progress.code} {self.name}"


def _light_key(progress: Progress) -> str:
    return progress.light.value if progress.light else "none"


def _light_names() -> dict[str, str]:
    return {"red": _("红灯"), "yellow": _("黄灯"), "green": _("绿灯"), "none": _("无灯")}


def rates_chart(rows: Sequence[ProjectMark], time_progress: Decimal) -> SafeString | None:
    """Each project's execution rate against time progress, coloured by its light."""
    if not rows:
        return None
    rates = [row.progress.execution_rate for row in rows]
    keys = [_light_key(row.progress) for row in rows]
    legend = [(name, COLOURS[key]) for key, name in _light_names().items() if key in keys]
    return category_chart(
        [row.name for row in rows],
        [
            Series(
                _("执行率"),
                COLOURS["executed"],
                [None if r is None else _percent(r) for r in rates],
                [format_percent(r) for r in rates],
                colours=[COLOURS[key] for key in keys],
                legend=legend,
            ),
        ],
        percent_tick,
        "%",
        _("项目执行率与序时进度"),
        Reference(_("序时进度"), COLOURS["time"], _percent(time_progress)),
        [row.label for row in rows],
    )


def forecast_chart(rows: Sequence[ProjectMark], threshold: Decimal) -> SafeString | None:
    """Projected year-end execution rate per project inside its range, against the
    threshold below which the plan proposes adjustments (rates, so small projects show)."""
    shown = [(row, row.forecast) for row in rows if row.forecast and row.progress.final_budget]
    if not shown:
        return None

    def rate(amount: Decimal, row: ProjectMark) -> Decimal:
        return _percent(amount / row.progress.final_budget)

    name = _("预计全年执行率（区间）")
    legend = [(name, COLOURS["executed"])]
    if any(row.lagging for row, _forecast in shown):
        legend.append((_("建议调整的项目"), COLOURS["red"]))
    notes = [
        _("%(rate)s，%(amount)s（%(low)s～%(high)s）")
        % {
            "rate": format_percent(rate(f.projected, r) / HUNDRED),
            "amount": amount_text(f.projected),
            "low": format_wan(f.projected_low),
            "high": format_wan(f.projected_high),
        }
        for r, f in shown
    ]
    return category_chart(
        [row.name for row, _forecast in shown],
        [
            Series(
                name,
                COLOURS["executed"],
                [rate(f.projected, r) for r, f in shown],
                notes,
                colours=[COLOURS["red"] if r.lagging else COLOURS["executed"] for r, _f in shown],
                legend=legend,
                lows=[rate(f.projected_low, r) for r, f in shown],
                highs=[rate(f.projected_high, r) for r, f in shown],
            ),
        ],
        percent_tick,
        "%",
        _("预计全年执行率（含区间）"),
        Reference(_("调整建议阈值"), COLOURS["time"], _percent(threshold)),
        [row.label for row, _forecast in shown],
    )
