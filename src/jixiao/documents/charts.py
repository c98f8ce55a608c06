"""Monitoring charts as PNG images (matplotlib's Agg canvas; no display, no pyplot).

* ``execution_chart``: cumulative execution rate by month against the time-progress
  line, for the department and each funding source;
* ``lights_chart``: each project's execution ÷ time progress as a horizontal bar
  coloured by its light, with the rule set's red and yellow limits (the lowest
  ``MAX_PROJECTS`` projects when there are more).

Chinese labels need a CJK font. ``find_cjk_font`` looks for one among the fonts
matplotlib knows, then once among the system's font files (matplotlib's cached list
misses fonts installed after its first run); when there is none, the chart functions
return None instead of drawing boxes, and the caller prints ``NO_FONT_NOTE`` in the
chart's place.
The figures drawn come from the ``MonitoringReport``: the monthly amounts per line it
was computed from, its time progress, rates and lights.

matplotlib is imported when a chart is first drawn, not with this module: importing it
costs about half a second, which commands and pages that draw no chart should not pay.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.core.budget import execution_rate
from jixiao.core.money import HUNDRED, ZERO
from jixiao.core.monitoring import MONTHS, Light, LineExecution, month_end, time_progress
from jixiao.core.monitoring_report import MonitoringReport
from jixiao.core.vocabulary import FundingSource
from jixiao.documents.monitoring_text import date_text, light_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Source Han Serif SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
)
"""Fonts with simplified Chinese glyphs, best first."""

NO_FONT_NOTE = "未找到中文字体，图表未生成；请安装 fonts-noto-cjk"
MAX_PROJECTS = 25
DPI = 150
COLOURS = {Light.red: "#d62728", Light.yellow: "#f2b701", Light.green: "#2ca02c", None: "#999999"}
SOURCE_COLOURS = ("#ff7f0e", "#9467bd", "#8c564b", "#17becf")


def find_cjk_font() -> str | None:
    """The name of an installed font with Chinese glyphs, or None."""
    found = _known_cjk_font()
    if found is None and _add_system_cjk_fonts():
        found = _known_cjk_font()
    return found


def _known_cjk_font() -> str | None:
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


_CJK_FILE = re.compile(r"CJK|SourceHan|wqy|simhei|msyh|PingFang", re.IGNORECASE)


@cache
def _add_system_cjk_fonts() -> bool:
    """Add the system's CJK font files to matplotlib's list, once per process.

    matplotlib keeps the font list of its first run in its cache folder, so a font
    installed afterwards (``apt-get install fonts-noto-cjk``) is otherwise never seen.
    """
    from matplotlib import font_manager

    added = False
    for path in font_manager.findSystemFonts():
        if not _CJK_FILE.search(Path(path).name):
            continue
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError):  # a file FreeType cannot read
            continue
        added = True
    return added


def _figure(width: float, height: float) -> Figure:
    """A figure on the Agg canvas: no pyplot, no global backend, safe in a server.

    No layout engine: ``_fit`` places the axes once from the sizes of their labels
    (constrained layout measured every artist twice and cost more than the drawing)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


PAD = 3 / 72
"""The white space between the outermost text and the figure's edge (inches), as
constrained layout leaves it."""


def _fit(figure: Figure, axes: Any) -> None:
    """Place ``axes`` so that its tick labels, axis labels and title just fit inside
    ``figure``."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    inch = figure.dpi

    def extent(texts: Any) -> tuple[float, float]:
        boxes = [t.get_window_extent(renderer) for t in texts if t.get_visible() and t.get_text()]
        if not boxes:
            return 0.0, 0.0
        return max(b.width for b in boxes) / inch, max(b.height for b in boxes) / inch

    xticks = axes.xaxis.get_majorticklabels()
    yticks = axes.yaxis.get_majorticklabels()
    left = PAD + extent(yticks)[0] + _tick_space(axes.yaxis)
    if axes.yaxis.label.get_text():
        left += extent([axes.yaxis.label])[0] + axes.yaxis.labelpad / 72
    bottom = PAD + extent(xticks)[1] + _tick_space(axes.xaxis)
    if axes.xaxis.label.get_text():
        bottom += extent([axes.xaxis.label])[1] + axes.xaxis.labelpad / 72
    top = PAD
    title = axes.title
    if title.get_text():  # the title stands on its baseline, its descent inside the pad
        descent = renderer.get_text_width_height_descent(
            title.get_text(), title.get_fontproperties(), ismath=False
        )[2]
        offset = axes.titleOffsetTrans.get_matrix()[1, 2]
        top += (extent([title])[1] * inch - descent + offset) / inch
    width, height = figure.get_size_inches()
    right = _right_margin(axes, extent, width - left)
    figure.subplots_adjust(
        left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height
    )


def _right_margin(
    axes: Any, extent: Callable[[Any], tuple[float, float]], room: float
) -> float:
    """The right margin (inches) that leaves room for half the last x tick label where it
    stands out past the axes' right edge; ``room`` is the width right of the left margin.

    With the label at fraction ``f`` of the axes' width w = room − r, its overhang is
    half its width − (1 − f)·w, and r = PAD + that overhang solves to the formula below."""
    low, high = (float(limit) for limit in axes.get_xlim())
    shown = [
        (float(label.get_position()[0]), label)
        for label in axes.xaxis.get_majorticklabels()
        if label.get_visible() and label.get_text()
    ]
    shown = [(x, label) for x, label in shown if low <= x <= high]
    if not shown or high == low:
        return PAD
    x, label = max(shown, key=lambda item: item[0])
    share = (x - low) / (high - low)
    if share <= 0:
        return PAD
    half = extent([label])[0] / 2
    return max(PAD, (PAD + half - (1 - share) * room) / share)


def _tick_space(axis: Any) -> float:
    """The inches between the axes' edge and its tick labels: tick length and pad."""
    tick = axis.get_major_ticks()[0]
    return float(tick.get_tick_padding() + tick.get_pad()) / 72


def _png(figure: Figure) -> bytes:
    """The PNG, compressed at zlib's fastest level: a third less time than the default
    for files about a tenth larger."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _percent(value: Decimal | None) -> float:
    """A rate as a percentage for plotting (drawing only; never printed as a figure)."""
    return float((value if value is not None else ZERO) * HUNDRED)


def cumulative_rates(
    lines: Sequence[LineExecution], last_month: int
) -> list[Decimal | None]:
    """Cumulative execution rate at the end of months 1..``last_month``."""
    budget = sum((line.final_budget for line in lines), ZERO)
    return [
        execution_rate(sum((line.executed_through(month) for line in lines), ZERO), budget)
        for month in range(1, last_month + 1)
    ]


def _with_font(font: str) -> Any:
    """An rc context that draws text in ``font`` (and a plain minus, which CJK fonts lack)."""
    import matplotlib

    return matplotlib.rc_context(
        {"font.family": "sans-serif", "font.sans-serif": [font], "axes.unicode_minus": False}
    )


def execution_chart(report: MonitoringReport, by_source: bool = True) -> bytes | None:
    """Cumulative execution rate by month against 序时进度; None without a CJK font."""
    font = find_cjk_font()
    if font is None:
        return None
    result = report.result
    year, as_of = result.fiscal_year, result.as_of
    last = as_of.month
    months = list(range(1, last + 1))
    ends = [month_end(year, month) for month in months[:-1]] + [as_of]
    elapsed = [time_progress(year, day, result.rules.time_basis) for day in ends]
    with _with_font(font):
        figure = _figure(7.5, 4.2)
        axes = figure.add_subplot()
        axes.plot(months, [_percent(v) for v in elapsed], "--", color="#555555",
                  label="序时进度")  # fmt: skip
        axes.plot(months, [_percent(v) for v in cumulative_rates(report.lines, last)], "-o",
                  color="#1f77b4", linewidth=2.2, label="部门整体")  # fmt: skip
        if by_source:
            for colour, source in zip(SOURCE_COLOURS, FundingSource, strict=True):
                part = [line for line in report.lines if line.funding_source is source]
                if part and len(result.sources) > 1:
                    axes.plot(months, [_percent(v) for v in cumulative_rates(part, last)],
                              "-", color=colour, linewidth=1.2, label=source.label)  # fmt: skip
        axes.set_xticks(months, [f"{m}月" for m in months])
        axes.set_xlim(0.7, MONTHS + 0.3 if last == MONTHS else last + 0.3)
        axes.set_ylim(bottom=0)
        axes.set_ylabel("累计执行率（%）")
        axes.set_title(f"{year}年累计执行进度与序时进度（截至{date_text(as_of)}）")
        axes.grid(True, alpha=0.3)
        axes.legend(loc="upper left", fontsize=8)
        _fit(figure, axes)
        return _png(figure)


def lights_chart(report: MonitoringReport) -> bytes | None:
    """Projects' execution ÷ time progress, coloured by light; None without a CJK font."""
    font = find_cjk_font()
    if font is None:
        return None
    result = report.result
    ranked = sorted(
        result.projects,
        key=lambda p: p.progress_ratio if p.progress_ratio is not None else Decimal("-1"),
    )
    shown = ranked[:MAX_PROJECTS]
    counts = {light: sum(1 for p in result.projects if p.light is light) for light in Light}
    with _with_font(font):
        figure = _figure(7.5, max(2.5, 0.32 * len(shown) + 1.4))
        axes = figure.add_subplot()
        names = [_short(report.project_name(p.code)) for p in shown]
        values = [_percent(p.progress_ratio) for p in shown]
        axes.barh(range(len(shown)), values, color=[COLOURS[p.light] for p in shown])
        axes.set_yticks(range(len(shown)), names, fontsize=8)
        axes.invert_yaxis()
        lights = result.rules.lights
        if lights is not None:
            for limit, colour in ((lights.red_below, "#d62728"), (lights.yellow_below, "#f2b701")):
                axes.axvline(_percent(limit), color=colour, linestyle="--", linewidth=1)
        axes.set_xlabel("执行进度比（执行率÷序时进度，%）")
        order = (Light.red, Light.yellow, Light.green)
        summary = "，".join(f"{light_text(light)}{counts[light]}个" for light in order)
        more = f"（列出最低的{MAX_PROJECTS}个）" if len(ranked) > MAX_PROJECTS else ""
        axes.set_title(f"各项目执行进度比：{summary}{more}", fontsize=10)
        axes.grid(True, axis="x", alpha=0.3)
        _fit(figure, axes)
        return _png(figure)


def _short(name: str, limit: int = 18) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


__all__ = [
    "CJK_FONTS",
    "NO_FONT_NOTE",
    "cumulative_rates",
    "execution_chart",
    "find_cjk_font",
    "lights_chart",
]
