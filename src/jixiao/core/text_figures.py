"""Figures written in free text (偏差原因, 完成情况) compared with the table they restate (pure).

A narrative restates table figures: "全年执行数89.97万元，其中基本支出50.00万元、项目支出
39.99万元" under a table whose parts are 50.00 and 39.97; "执行率为86.5%" where the table
says 86.2 %. ``figures_in_text`` finds every amount (元 / 万元 / 亿元) and percentage with the
words before it (its *label*); ``text_figure_findings`` compares those whose label names a
table figure with it, and the 其中 parts of a sentence with their total.

Decisions:

* A figure restates a table figure when its label — the words of its clause before the
  number — contains the figure's name (the longest name wins: 预算执行率 before 执行率). A
  label that speaks of a change (较上年, 增长, 下降 …) or of a plan (目标, 计划, 年初 …) does
  not restate the actual figure and is not compared.
* Comparison is at the coarser of the two printed precisions: "86%" in the text agrees with
  86.2 % in the table; "86.5%" does not. Amounts are compared in 元 whatever unit each is
  written in (50万元 and 500,000元 are one amount).
* A table figure may stand for several values (a 其中 row "基本支出" has a budget and an
  executed amount): the text agrees when it matches any of them.
* 其中: in one sentence, the amounts after "其中" are the parts of the amount just before it
  (or, where the sentence has none, of the table amount the words before "其中" name); their
  sum must be the total within what rounding the printed figures allow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.consistency import Finding
from jixiao.core.money import format_thousands, round_half_up
from jixiao.core.printed_precision import Printed, describe_places, sum_consistent
from jixiao.core.vocabulary import Severity

NUMBER = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
"""A number as people write it: 77,261.67 or 86.5 (group commas allowed); the report
text's live-figure check (``core.live_figures``) reads typed numbers with it too."""

_UNITS = {"亿元": Decimal(100_000_000), "万元": Decimal(10_000), "元": Decimal(1), "%": Decimal(1)}
_FIGURE = re.compile(NUMBER + r"\s*(亿元|万元|元|%|％)(?!\w*百分点)")
_CLAUSE = re.compile(r"[，,。；;、：:（）()\n]")
_SENTENCE = re.compile(r"[。；;\n]")
_CHANGE = (
    "较上年",
    "较去年",
    "同比",
    "环比",
    "比上年",
    "增长",
    "下降",
    "提高",
    "降低",
    "增加",
    "减少",
    "增幅",
    "降幅",
    "增减",
    "变动",
    "相差",
    "差额",
    "超出",
    "低于",
    "高于",
)
_PLAN = ("目标", "计划", "指标值", "预期", "年初", "上年", "去年", "要求", "标准")
PARTS_WORD = "其中"


@dataclass(frozen=True)
class TextFigure:
    """An amount or a percentage written in a text, with the words before it."""

    label: str
    """The words of its clause before the number: "其中基本支出", "执行率为"."""
    value: Decimal
    """As written, in its unit (89.99 for "89.99万元")."""
    unit: str
    """元, 万元, 亿元 or %."""
    places: int
    """The decimals written."""
    written: str
    """The figure as written: "89.99万元"."""
    start: int
    """Where it starts in the text."""

    @property
    def percent(self) -> bool:
        return self.unit == "%"

    @property
    def base(self) -> Decimal:
        """In 元 for an amount; in percentage points for a percentage."""
        return self.value * _UNITS[self.unit]

    @property
    def quantum(self) -> Decimal:
        """One unit of the last written place, in the base unit (0.01万元 → 100元)."""
        return Decimal(1).scaleb(-self.places) * _UNITS[self.unit]


@dataclass(frozen=True)
class TableFigure:
    """A figure of the table a text may restate, by name."""

    name: str
    """As the text would name it: 执行率, 全年执行数, 基本支出, an indicator's 三级指标."""
    values: tuple[Decimal, ...]
    """In 元 for amounts, in percentage points for percentages; the text agrees with any."""
    percent: bool = False
    quantum: Decimal | None = None
    """One unit of the last printed place in the table (base unit); None: exact."""
    where: str = ""
    """The table's cell, for the finding."""
    printed: str = ""
    """The figure as the table prints it ("86.20%", "50.00万元"); empty: from the values."""


def figures_in_text(text: str) -> tuple[TextFigure, ...]:
    """Every amount and percentage in a text, in order, each with its label."""
    found: list[TextFigure] = []
    previous_end = 0
    for match in _FIGURE.finditer(text):
        number, unit = match.group(1), match.group(2).replace("％", "%")
        clause_start = previous_end
        for delimiter in _CLAUSE.finditer(text, previous_end, match.start()):
            clause_start = delimiter.end()
        decimals = number.partition(".")[2]
        found.append(
            TextFigure(
                label=text[clause_start : match.start()].strip(),
                value=Decimal(number.replace(",", "")),
                unit=unit,
                places=len(decimals),
                written=match.group(0),
                start=match.start(),
            )
        )
        previous_end = match.end()
    return tuple(found)


def _restates(label: str, name: str) -> bool:
    """False when the words around the figure's name speak of a change or a plan."""
    rest = _plain(label).replace(name, "")
    return not any(word in rest for word in (*_CHANGE, *_PLAN))


def named_figure(label: str, figures: Iterable[TableFigure]) -> TableFigure | None:
    """The table figure a label names: the longest name it contains."""
    named = [figure for figure in figures if figure.name and figure.name in _plain(label)]
    return max(named, key=lambda figure: len(figure.name), default=None)


def _plain(text: str) -> str:
    return text.translate(_QUOTES)


_QUOTES = str.maketrans("", "", "“”\"'‘’「」 ")


def _step(written: TextFigure, quantum: Decimal | None) -> Decimal:
    """The coarser of the two precisions, in the base unit."""
    return written.quantum if quantum is None else max(written.quantum, quantum)


def _agrees(written: TextFigure, value: Decimal, quantum: Decimal | None) -> bool:
    """Equal at the coarser of the two precisions (half-up to that quantum)."""
    step = _step(written, quantum)
    return _to(written.base, step) == _to(value, step)


def _places(step: Decimal) -> int:
    """The decimals a step stands for: 0.01 → 2, 1 → 0, 100 → -2."""
    return -int(step.normalize().as_tuple().exponent)


def _to(value: Decimal, step: Decimal) -> Decimal:
    return round_half_up(value / step, 0) * step


def _shown(figure: TableFigure, value: Decimal) -> str:
    if figure.printed:
        return figure.printed
    if figure.percent:
        return f"{format_thousands(value)}%"
    return f"{format_thousands(value / _UNITS['万元'])}万元"


def text_figure_findings(
    text: str, figures: Sequence[TableFigure], what: str, where: str = ""
) -> tuple[Finding, ...]:
    """Findings for figures of ``text`` (named ``what``: "偏差原因") that do not agree with
    the table figures they name, and for 其中 parts that do not add up to their total."""
    found: list[Finding] = []
    written = figures_in_text(text)
    for figure in written:
        table = named_figure(figure.label, (f for f in figures if f.percent == figure.percent))
        if table is None or not table.values or not _restates(figure.label, table.name):
            continue
        if any(_agrees(figure, value, table.quantum) for value in table.values):
            continue
        shown = "或".join(dict.fromkeys(_shown(table, value) for value in table.values))
        cell = f"（{table.where}）" if table.where else ""
        places = describe_places(_places(_step(figure, table.quantum) / _UNITS[figure.unit]))
        found.append(
            Finding(
                id="text-figure-differs",
                severity=Severity.error,
                message=(
                    f"{what}写“{figure.label}{figure.written}”，表中{table.name}{cell}为{shown}，"
                    f"两者不符（按{places}比较）。"
                ),
                figures={"文字": figure.value, "表中": table.values[0]},
                location=where or table.where,
                subject=what,
            )
        )
    found.extend(_parts_findings(text, written, figures, what, where))
    return tuple(found)


def _parts_findings(
    text: str,
    written: Sequence[TextFigure],
    figures: Sequence[TableFigure],
    what: str,
    where: str,
) -> Iterable[Finding]:
    amounts = [figure for figure in written if not figure.percent]
    for sentence in _sentences(text):
        start, end = sentence
        marker = text.find(PARTS_WORD, start, end)
        if marker < 0:
            continue
        parts = [f for f in amounts if marker <= f.start < end]
        before = [f for f in amounts if start <= f.start < marker]
        if len(parts) < 2 and not (parts and before):
            continue
        total: Printed | None = None
        total_text = ""
        if before:
            last = before[-1]
            total, total_text = _in_wan(last.base, last.quantum), f"{last.label}{last.written}"
        else:
            named = named_figure(text[start:marker], (f for f in figures if not f.percent))
            if named is None or len(named.values) != 1:
                continue
            total = _in_wan(named.values[0], named.quantum)
            total_text = f"表中{named.name}{_shown(named, named.values[0])}"
        shown_parts = [_in_wan(part.base, part.quantum) for part in parts]
        if sum_consistent(total, shown_parts):
            continue
        parts_sum = sum((part.base for part in parts), Decimal(0))
        listed = "、".join(f"{part.label.removeprefix(PARTS_WORD)}{part.written}" for part in parts)
        found_sum = format_thousands(parts_sum / _UNITS["万元"])
        yield Finding(
            id="text-parts-not-total",
            severity=Severity.error,
            message=(
                f"{what}中“{total_text}”，其中{listed}，合计{found_sum}万元，与总数不符"
                "（已计入各数四舍五入的尾差）。"
            ),
            figures={"其中合计": parts_sum / _UNITS["万元"], "总数": total.value},
            location=where,
            subject=what,
        )


def _in_wan(base: Decimal, quantum: Decimal | None) -> Printed:
    """An amount in 万元 with the decimals its quantum stands for (None: exact)."""
    if quantum is None:
        return Printed(base / _UNITS["万元"])
    return Printed(base / _UNITS["万元"], _places(quantum / _UNITS["万元"]))


def _sentences(text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for match in _SENTENCE.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


__all__ = [
    "NUMBER",
    "TableFigure",
    "TextFigure",
    "figures_in_text",
    "named_figure",
    "text_figure_findings",
]
