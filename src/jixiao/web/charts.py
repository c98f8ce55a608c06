"""Plotly figures of the 首页, as plain ``{"data", "layout"}`` dictionaries.

The page embeds each with ``json_script`` and ``static/jixiao/charts.js`` draws it with
the plotly.js that ships inside the plotly wheel (served as a static file by
``jixiao.web.finders.PlotlyFinder``): no CDN, nothing fetched from the internet.
Amounts are converted to 万元 floats only here, for drawing; tables show the exact
Decimal figures.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from jixiao.core.money import HUNDRED, ZERO, round_half_up, yuan_to_wan
from jixiao.core.monitoring import MONTHS
from jixiao.core.vocabulary import FundingSource
from jixiao.web.summaries import YearSummary

Figure = dict[str, Any]

COLOURS = {
    "budget": "#9fb3c8",
    "executed": "#1f5f8b",
    "time": "#b0413e",
    "red": "#c0392b",
    "yellow": "#e0a800",
    "green": "#2e8b57",
    "none": "#b8c2cc",
}
FONT = {"family": "system-ui, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif", "size": 13}


def _wan(yuan: Decimal) -> float:
    return float(round_half_up(yuan_to_wan(yuan)))


def _percent(rate: Decimal) -> float:
    return float(round_half_up(rate * HUNDRED))


def _layout(**extra: Any) -> dict[str, Any]:
    return {
        "font": FONT,
        "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "legend": {"orientation": "h", "y": 1.12, "x": 0},
        **extra,
    }


def sources_chart(summary: YearSummary) -> Figure | None:
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
    labels = [short[row.source] for row in rows]
    return {
        "data": [
            {
                "type": "bar",
                "name": _("全年预算数"),
                "x": labels,
                "y": [_wan(row.final_budget or ZERO) for row in rows],
                "marker": {"color": COLOURS["budget"]},
            },
            {
                "type": "bar",
                "name": _("执行数"),
                "x": labels,
                "y": [_wan(row.executed) for row in rows],
                "marker": {"color": COLOURS["executed"]},
            },
        ],
        "layout": _layout(
            barmode="group",
            yaxis={"title": {"text": _("万元")}},
        ),
    }


def progress_chart(summary: YearSummary) -> Figure | None:
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
        rates.append(_percent(cumulative / budget))
    labels = [_("%(month)d月") % {"month": month} for month in range(1, months + 1)]
    time = [_percent(Decimal(month) / Decimal(MONTHS)) for month in range(1, months + 1)]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": _("累计执行率"),
                "x": labels,
                "y": rates,
                "line": {"color": COLOURS["executed"], "width": 3},
            },
            {
                "type": "scatter",
                "mode": "lines",
                "name": _("序时进度"),
                "x": labels,
                "y": time,
                "line": {"color": COLOURS["time"], "dash": "dash"},
            },
        ],
        "layout": _layout(yaxis={"title": {"text": "%"}, "rangemode": "tozero"}),
    }


def lights_chart(summary: YearSummary) -> Figure | None:
    """How many projects show each light."""
    counts = summary.light_counts
    if not summary.projects:
        return None
    keys = [key for key in ("red", "yellow", "green", "none") if counts.get(key)]
    names = {"red": _("红灯"), "yellow": _("黄灯"), "green": _("绿灯"), "none": _("无灯")}
    return {
        "data": [
            {
                "type": "pie",
                "hole": 0.55,
                "labels": [names[key] for key in keys],
                "values": [counts[key] for key in keys],
                "marker": {"colors": [COLOURS[key] for key in keys]},
                "sort": False,
                "textinfo": "label+value",
            }
        ],
        "layout": _layout(showlegend=False, margin={"l": 10, "r": 10, "t": 10, "b": 10}),
    }


def dashboard_charts(summary: YearSummary) -> dict[str, Figure]:
    """The 首页's charts by element id; a chart without data is left out."""
    charts = {
        "chart-sources": sources_chart(summary),
        "chart-progress": progress_chart(summary),
        "chart-lights": lights_chart(summary),
    }
    return {key: value for key, value in charts.items() if value is not None}
