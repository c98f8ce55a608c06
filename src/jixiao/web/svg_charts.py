"""Charts drawn on the server as inline SVG: the three kinds the pages use and no more.

- :func:`category_chart`: one row per category (a funding source, a project) with bars,
  or a point inside its range band, against a value axis at the bottom and an optional
  reference line (序时进度, a threshold);
- :func:`line_chart`: months along the bottom, one polyline per series;
- :func:`donut_chart`: shares of a whole (the projects' lights), with a legend.

No script draws them, so they need no library, work under the content security policy
(inline SVG is markup, not script) and are part of the first paint. Category labels are
shortened to fit; the full text, with the figure, is the ``<title>`` of each mark, which
browsers show on hover. The margins are sized from the estimated width of the longest
label, so no text falls outside the ``viewBox`` (tests/web check the rendered boxes).
Geometry is Decimal like the figures it comes from; coordinates are printed to 0.1.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from jixiao.core.money import ZERO

WIDTH = Decimal(480)
"""The natural width; a chart shrinks with its box (never grows), text with it."""
PAD = Decimal(8)
FONT = Decimal(12)
LEGEND_ROW = Decimal(20)
SWATCH = Decimal(12)
LABEL_GAP = Decimal(6)
LABEL_EMS = Decimal(9)
"""The widest a category label may be, in CJK characters; longer ones end in "…"."""

_WIDE = set("%mwMW@")
_NARROW = set(" .,:;!|iljtf'()[]-")


def text_width(text: str, size: Decimal = FONT) -> Decimal:
    """A generous estimate of the width of ``text`` in the page's sans-serif font: CJK
    and full-width characters are one em, Latin letters and digits about two thirds."""
    ems = Decimal(0)
    for char in text:
        if ord(char) >= 0x2E80 or char == "…":
            ems += 1
        elif char in _WIDE:
            ems += Decimal("1.0")
        elif char in _NARROW:
            ems += Decimal("0.4")
        elif char.isupper():
            ems += Decimal("0.8")
        else:
            ems += Decimal("0.66")
    return ems * size


def shorten(text: str, limit: Decimal = LABEL_EMS * FONT) -> str:
    """``text`` cut to fit ``limit`` (estimated), ending in "…" when cut."""
    if text_width(text) <= limit:
        return text
    cut = text
    while cut and text_width(cut + "…") > limit:
        cut = cut[:-1]
    return cut.rstrip() + "…"


def nice_ticks(low: Decimal, high: Decimal, count: int = 4) -> list[Decimal]:
    """Round tick values (steps of 1, 2, 2.5 or 5 × 10ⁿ) covering ``low``…``high`` and zero."""
    low, high = min(low, ZERO), max(high, ZERO)
    if high == low:
        high = low + 1
    raw = (high - low) / count
    base = Decimal(10) ** raw.adjusted()
    step = next(
        base * m
        for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
        if base * m >= raw
    )
    first = (low / step).to_integral_value(ROUND_FLOOR)
    last = (high / step).to_integral_value(ROUND_CEILING)
    return [(first + i) * step for i in range(int(last - first) + 1)]


def fitting_ticks(
    values: Sequence[Decimal], tick_text: Callable[[Decimal], str], span: Decimal
) -> list[Decimal]:
    """As many nice ticks (five at most) as fit side by side in ``span`` with their texts."""
    low, high = min(values, default=ZERO), max(values, default=ZERO)
    ticks = nice_ticks(low, high, 1)
    for count in (5, 4, 3, 2):
        candidate = nice_ticks(low, high, count)
        widest = max(text_width(tick_text(tick)) for tick in candidate)
        if (widest + 12) * len(candidate) <= span:
            return candidate
    return ticks


def _n(value: Decimal) -> str:
    """A coordinate as SVG prints it: one decimal, no exponent."""
    return format(value.quantize(Decimal("0.1")), "f")


@dataclass(frozen=True)
class Series:
    """One legend entry. ``colours`` (one per category) overrides ``colour`` per mark."""

    name: str
    colour: str
    values: Sequence[Decimal | None]
    notes: Sequence[str] = ()
    """The hover text of each mark, after the category's full label."""
    colours: Sequence[str] = ()
    lows: Sequence[Decimal | None] = ()
    highs: Sequence[Decimal | None] = ()
    """With lows and highs, a category chart draws a point inside its range band."""
    legend: Sequence[tuple[str, str]] = ()
    """What the colours mean (name, colour), shown instead of the series' own entry."""

    def colour_at(self, index: int) -> str:
        return self.colours[index] if self.colours else self.colour


@dataclass(frozen=True)
class Reference:
    """A dashed line across the plot at one value (序时进度, a threshold)."""

    name: str
    colour: str
    value: Decimal


class _Svg:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, template: str, *args: object) -> None:
        """``format_html(template, *args)``; a chart adds thousands of pieces, and the
        pieces are joined and marked safe once, in ``render``."""
        self.parts.append(template.format(*map(_escaped, args)))

    def text(self, x: Decimal, y: Decimal, text: str, anchor: str = "start", cls: str = "") -> None:
        self.add(
            '<text x="{}" y="{}" text-anchor="{}"{}>{}</text>',
            _n(x),
            _n(y),
            anchor,
            mark_safe(f' class="{cls}"') if cls else "",
            text,
        )

    def render(self, height: Decimal, label: str, width: Decimal = WIDTH) -> SafeString:
        return format_html(
            '<svg class="chart-svg" viewBox="0 0 {} {}" role="img" aria-label="{}" '
            'font-size="{}">{}</svg>',
            _n(width),
            _n(height),
            label,
            _n(FONT),
            mark_safe("".join(self.parts)),
        )


def _legend(svg: _Svg, items: Sequence[tuple[str, str, bool]], top: Decimal) -> Decimal:
    """Legend entries (name, colour, dashed) in rows from ``top``; returns the next y."""
    x, y = PAD, top
    for name, colour, dashed in items:
        width = SWATCH + 4 + text_width(name) + 14
        if x > PAD and x + width > WIDTH - PAD:
            x, y = PAD, y + LEGEND_ROW
        middle = y + LEGEND_ROW / 2
        if dashed:
            svg.add(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" '
                'stroke-dasharray="4 3"/>',
                _n(x),
                _n(middle),
                _n(x + SWATCH),
                _n(middle),
                colour,
            )
        else:
            svg.add(
                '<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}"/>',
                _n(x),
                _n(middle - SWATCH / 2),
                _n(SWATCH),
                _n(SWATCH),
                colour,
            )
        svg.text(x + SWATCH + 4, middle + FONT * Decimal("0.35"), name)
        x += width
    return y + LEGEND_ROW + 4


def _escaped(value: object) -> str:
    """``conditional_escape`` without its lazy-text wrapper."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _title(text: str) -> SafeString:
    return mark_safe(f"<title>{_escaped(text)}</title>")  # escaped here


def _legend_items(
    series: Sequence[Series], reference: Reference | None
) -> list[tuple[str, str, bool]]:
    items = [
        (name, colour, False)
        for one in series
        for name, colour in (one.legend or [(one.name, one.colour)])
    ]
    if reference is not None:
        items.append((reference.name, reference.colour, True))
    return items


def category_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    tick_text: Callable[[Decimal], str],
    unit: str,
    label: str,
    reference: Reference | None = None,
    full_labels: Sequence[str] = (),
) -> SafeString:
    """Horizontal bars (or points in range bands) per category. ``labels`` are shown on
    the axis, shortened to fit; hover texts give them whole, or ``full_labels``."""
    svg = _Svg()
    top = _legend(svg, _legend_items(series, reference), PAD)
    values = [v for s in series for v in (*s.values, *s.lows, *s.highs) if v is not None]
    if reference is not None:
        values.append(reference.value)
    shown = [shorten(text) for text in labels]
    labels_end = PAD + max(text_width(t) for t in shown) + LABEL_GAP
    ticks = fitting_ticks(values, tick_text, WIDTH - PAD - labels_end)
    texts = [tick_text(tick) for tick in ticks]
    left = max(labels_end, PAD + text_width(texts[0]) / 2)
    right = WIDTH - PAD - text_width(texts[-1]) / 2
    bars = [s for s in series if not s.lows]
    row = Decimal(14) * max(len(bars), 1) + Decimal(12)
    bottom = top + row * len(labels)

    def x(value: Decimal) -> Decimal:
        return left + (value - ticks[0]) / (ticks[-1] - ticks[0]) * (right - left)

    for tick, text in zip(ticks, texts, strict=True):
        svg.add(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#dde3ea"/>',
            _n(x(tick)),
            _n(top),
            _n(x(tick)),
            _n(bottom),
        )
        svg.text(x(tick), bottom + FONT + 4, text, "middle", "tick")
    svg.text((left + right) / 2, bottom + 2 * FONT + 10, unit, "middle", "unit")
    for index, (full, short) in enumerate(zip(full_labels or labels, shown, strict=True)):
        y = top + row * index
        middle = y + row / 2
        svg.add(
            '<text x="{}" y="{}" text-anchor="end" class="category">{}{}</text>',
            _n(left - LABEL_GAP),
            _n(middle + FONT * Decimal("0.35")),
            _title(full),
            short,
        )
        for place, one in enumerate(bars):
            value = one.values[index]
            if value is None:
                continue
            start, end = sorted((x(ZERO), x(value)))
            svg.add(
                '<rect x="{}" y="{}" width="{}" height="12" fill="{}">{}</rect>',
                _n(start),
                _n(y + 6 + 14 * place),
                _n(max(end - start, Decimal("0.5"))),
                one.colour_at(index),
                _title(_note(full, one, index)),
            )
        for one in series:
            if one.lows:
                _point_in_band(svg, one, index, middle, x, full)
    if reference is not None:
        at = x(reference.value)
        svg.add(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" '
            'stroke-dasharray="5 4">{}</line>',
            _n(at),
            _n(top - 2),
            _n(at),
            _n(bottom + 2),
            reference.colour,
            _title(f"{reference.name}：{tick_text(reference.value)}"),
        )
    return svg.render(bottom + 2 * FONT + 10 + PAD, label)


def _note(full: str, series: Series, index: int) -> str:
    note = series.notes[index] if series.notes else ""
    return f"{full}\n{series.name}：{note}" if note else full


def _point_in_band(
    svg: _Svg,
    series: Series,
    index: int,
    middle: Decimal,
    x: Callable[[Decimal], Decimal],
    full: str,
) -> None:
    value, low, high = series.values[index], series.lows[index], series.highs[index]
    if value is None:
        return
    colour = series.colour_at(index)
    title = _title(_note(full, series, index))
    if low is not None and high is not None:
        svg.add(
            '<rect x="{}" y="{}" width="{}" height="8" rx="4" fill="{}" '
            'fill-opacity="0.25">{}</rect>',
            _n(x(low)),
            _n(middle - 4),
            _n(max(x(high) - x(low), Decimal(1))),
            colour,
            title,
        )
    svg.add(
        '<circle cx="{}" cy="{}" r="5" fill="{}">{}</circle>',
        _n(x(value)),
        _n(middle),
        colour,
        title,
    )


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    tick_text: Callable[[Decimal], str],
    label: str,
    dashed: frozenset[str] = frozenset(),
) -> SafeString:
    """One polyline per series over ``labels`` (months); series named in ``dashed`` are
    drawn dashed without markers."""
    svg = _Svg()
    top = _legend(svg, [(s.name, s.colour, s.name in dashed) for s in series], PAD)
    values = [v for s in series for v in s.values if v is not None]
    ticks = nice_ticks(min(values, default=ZERO), max(values, default=ZERO))
    texts = [tick_text(tick) for tick in ticks]
    left = PAD + max(text_width(t) for t in texts) + LABEL_GAP
    right = WIDTH - PAD
    bottom = top + Decimal(200)
    step = (right - left) / max(len(labels), 1)

    def y(value: Decimal) -> Decimal:
        return bottom - (value - ticks[0]) / (ticks[-1] - ticks[0]) * (bottom - top)

    for tick, text in zip(ticks, texts, strict=True):
        svg.add(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#dde3ea"/>',
            _n(left),
            _n(y(tick)),
            _n(right),
            _n(y(tick)),
        )
        svg.text(left - LABEL_GAP, y(tick) + FONT * Decimal("0.35"), text, "end", "tick")
    every = 1 + int(max(text_width(t) for t in labels) + 4) // max(int(step), 1)
    for index, text in enumerate(labels):
        if index % every == 0:
            svg.text(left + step * index + step / 2, bottom + FONT + 4, text, "middle", "tick")
    for one in series:
        points = [
            (left + step * i + step / 2, y(v)) for i, v in enumerate(one.values) if v is not None
        ]
        is_dashed = one.name in dashed
        svg.add(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="{}"{}/>',
            " ".join(f"{_n(px)},{_n(py)}" for px, py in points),
            one.colour,
            2 if is_dashed else 3,
            mark_safe(' stroke-dasharray="6 4"') if is_dashed else "",
        )
        if is_dashed:
            continue
        for (px, py), i in zip(
            points, (i for i, v in enumerate(one.values) if v is not None), strict=True
        ):
            svg.add(
                '<circle cx="{}" cy="{}" r="4" fill="{}">{}</circle>',
                _n(px),
                _n(py),
                one.colour,
                _title(_note(labels[i], one, i)),
            )
    return svg.render(bottom + FONT + 4 + PAD, label)


def donut_chart(parts: Sequence[tuple[str, str, int]], label: str, centre: str) -> SafeString:
    """Shares (name, colour, count) as a ring, with ``centre`` inside and a legend
    (name and count) beside it."""
    svg = _Svg()
    radius, ring = Decimal(70), Decimal(26)
    middle_x, middle_y = PAD + radius + ring / 2, PAD + radius + ring / 2
    total = sum(count for _name, _colour, count in parts) or 1
    circumference = Decimal("6.2832") * radius
    offset = Decimal(0)
    for name, colour, count in parts:
        length = circumference * count / total
        svg.add(
            '<circle cx="{}" cy="{}" r="{}" fill="none" stroke="{}" stroke-width="{}" '
            'stroke-dasharray="{} {}" stroke-dashoffset="{}" transform="rotate(-90 {} {})">'
            "{}</circle>",
            _n(middle_x),
            _n(middle_y),
            _n(radius),
            colour,
            _n(ring),
            _n(length),
            _n(circumference - length),
            _n(-offset),
            _n(middle_x),
            _n(middle_y),
            _title(f"{name}：{count}"),
        )
        offset += length
    svg.text(middle_x, middle_y + FONT * Decimal("0.35"), centre, "middle", "centre")
    x = middle_x + radius + ring / 2 + 24
    widest = Decimal(0)
    for index, (name, colour, count) in enumerate(parts):
        y = PAD + 30 + LEGEND_ROW * index
        svg.add(
            '<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}"/>',
            _n(x),
            _n(y - SWATCH / 2),
            _n(SWATCH),
            _n(SWATCH),
            colour,
        )
        text = f"{name}  {count}"
        svg.text(x + SWATCH + 6, y + FONT * Decimal("0.35"), text)
        widest = max(widest, text_width(text))
    height = max(2 * (radius + ring / 2) + 2 * PAD, PAD + 30 + LEGEND_ROW * len(parts))
    return svg.render(height, label, x + SWATCH + 6 + widest + PAD)
