"""Department-wide data over two years (部门整体 基础信息表): checks of a table that prints,
per row, 上年数, 本年数, 增减额 and 增减率 (pure).

Real forms print income (收入), spending (支出), "三公经费", staff and the like for the year
evaluated and the year before, with the year-on-year change. A digit transposed between the
two years' columns (上年 1,324.56 typed for 1,234.56) leaves the printed 增减额 and 增减率
disagreeing with the columns; a 合计 row disagrees with its 其中 rows. Checks:

* **增减额** = 本年数 − 上年数, within what rounding the three printed figures allow;
* **增减率** = 增减额 ÷ 上年数, at the decimals it is printed with, from any amounts that
  round to the printed ones;
* **其中 rows** foot to their total row in each column (上年数, 本年数, 增减额);
* a figure that is **not published** ("未公布", or blank where the form says blank means
  not published) stays unpublished: nothing is computed from it, a change printed beside it
  cannot be verified, a total over it cannot be footed — and it is printed "未公布", never
  "0.00万元".

Decisions:

* A difference between the printed and the computed 增减额 that is a multiple of 9 units of
  the last printed place is what a transposition of two digits gives; the finding says so
  as a hint, not as a certainty.
* A 增减率 with 上年数 0 is undefined: a printed rate there is reported, a blank one is right.
* A blank figure the form does not call unpublished is simply not filled: nothing is
  checked against it and it is not a finding of its own.
* A figure that cannot be read (``unread``) is like an unpublished one for what needs it: the
  change beside it and the total over it are "无法核实", never computed without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from jixiao.core.findings import Finding
from jixiao.core.money import HUNDRED, ZERO, format_thousands, round_half_up
from jixiao.core.printed_precision import (
    Printed,
    describe_places,
    half_unit,
    sum_consistent,
)
from jixiao.core.vocabulary import Severity

UNPUBLISHED = "未公布"


class Column(StrEnum):
    """The columns of a two-year table, by what they hold."""

    last_year = "上年数"
    this_year = "本年数"
    change = "增减额"
    change_rate = "增减率"


@dataclass(frozen=True)
class Figure:
    """One printed figure of the table."""

    value: Decimal | None
    """As printed, in the row's unit (万元, 人) or in percentage points for 增减率; None when
    blank or not published."""
    places: int | None = None
    """The decimals printed; None when unknown."""
    where: str = ""
    published: bool = True
    """False for "未公布" (or a blank the form declares not published)."""
    unread: bool = False
    """True when the cell holds something that is not a figure (reported where it is read)."""

    @property
    def why_missing(self) -> str:
        """What keeps a needed figure from use: "未公布", "无法读取", or "" (not filled)."""
        return UNPUBLISHED if not self.published else "无法读取" if self.unread else ""

    @property
    def known(self) -> bool:
        return self.value is not None

    def printed(self) -> Printed:
        assert self.value is not None
        return Printed(self.value, self.places)


BLANK = Figure(None)


@dataclass(frozen=True)
class Row:
    """One row: its label, unit, its four figures, and the total row it is a 其中 part of."""

    label: str
    unit: str
    figures: dict[Column, Figure]
    where: str = ""
    part_of: int | None = None
    """Index (in the table) of the row this is a 其中 part of; None for a top-level row."""

    def figure(self, column: Column) -> Figure:
        return self.figures.get(column, BLANK)


def show(figure: Figure, unit: str) -> str:
    """A figure as a finding prints it: "1,234.56万元", "45人", "12.30%", "未公布", "空白"."""
    if not figure.published:
        return UNPUBLISHED
    if figure.value is None:
        return "空白"
    places = 2 if figure.places is None else max(figure.places, 0)
    return f"{format_thousands(figure.value, places)}{unit}"


def check_two_years(rows: Sequence[Row], subject: str = "基础信息表") -> tuple[Finding, ...]:
    """Every finding of a two-year table (see the module)."""
    found: list[Finding] = []
    for row in rows:
        found.extend(_change_findings(row, subject))
    for index, total in enumerate(rows):
        parts = [row for row in rows if row.part_of == index]
        if parts:
            found.extend(_footing_findings(total, parts, subject))
    return tuple(found)


def _finding(check: str, severity: Severity, where: str, location: str, message: str,
             subject: str, **figures: Decimal) -> Finding:  # fmt: skip
    return Finding(id=check, severity=severity, message=message, figures=figures,
                   location=where or location, subject=subject)  # fmt: skip


def _change_findings(row: Row, subject: str) -> Iterable[Finding]:
    last, this = row.figure(Column.last_year), row.figure(Column.this_year)
    change, rate = row.figure(Column.change), row.figure(Column.change_rate)
    printed = [(column, f) for column, f in ((Column.change, change),
                                             (Column.change_rate, rate)) if f.known]  # fmt: skip
    if not printed:
        return
    missing = [(column, f) for column, f in ((Column.last_year, last),
                                             (Column.this_year, this)) if not f.known]  # fmt: skip
    if missing:
        needed = [(column, f.why_missing) for column, f in missing if f.why_missing]
        if needed:
            names = "、".join(f"{column}{why}" for column, why in needed)
            for column, figure in printed:
                yield _finding(
                    "change-unverifiable",
                    Severity.warning,
                    figure.where,
                    row.label,
                    f"“{row.label}”的{names}，{column}{show(figure, _unit(row, column))}无从核实。",
                    subject,
                )
        return
    difference = this.printed().value - last.printed().value
    if change.known and not sum_consistent(this.printed(), [last.printed(), change.printed()]):
        yield _change_amount_finding(row, last, this, change, difference, subject)
    if rate.known:
        yield from _rate_findings(row, last, this, rate, subject)


def _unit(row: Row, column: Column) -> str:
    return "%" if column is Column.change_rate else row.unit


def _change_amount_finding(
    row: Row, last: Figure, this: Figure, change: Figure, difference: Decimal, subject: str
) -> Finding:
    assert change.value is not None
    hint = _transposition_hint(change.value - difference, change, last, this)
    places = _places(change, last, this)
    return _finding(
        "change-not-difference",
        Severity.error,
        change.where,
        row.label,
        f"“{row.label}”增减额填报{show(change, row.unit)}，本年数{show(this, row.unit)}"
        f"−上年数{show(last, row.unit)}为{format_thousands(difference, places)}{row.unit}"
        f"（已计入各数四舍五入的尾差）{hint}。",
        subject,
        填报=change.value,
        计算=difference,
    )


def _places(*figures: Figure) -> int:
    return max((f.places for f in figures if f.places is not None), default=2)


def _transposition_hint(gap: Decimal, *figures: Figure) -> str:
    """ "两位数字颠倒" when the gap is a multiple of 9 units of the last printed place."""
    places = min((f.places for f in figures if f.places is not None), default=None)
    if places is None or gap == ZERO:
        return ""
    units = gap.scaleb(places)
    if units == units.to_integral_value() and int(units) % 9 == 0:
        return "；差额是末位的9的倍数，可能是两位数字颠倒，请核对两年的数字"
    return "；请核对两年的数字"


def _bounds(figure: Figure) -> tuple[Decimal, Decimal]:
    assert figure.value is not None
    slack = ZERO if figure.places is None else half_unit(figure.places)
    return figure.value - slack, figure.value + slack


def _rate_findings(
    row: Row, last: Figure, this: Figure, rate: Figure, subject: str
) -> Iterable[Finding]:
    assert rate.value is not None and last.value is not None and this.value is not None
    if last.value == ZERO:
        yield _finding(
            "change-rate-undefined",
            Severity.error,
            rate.where,
            row.label,
            f"“{row.label}”上年数为0，增减率无法计算，填报为{show(rate, '%')}。",
            subject,
        )
        return
    (last_low, last_high), (this_low, this_high) = _bounds(last), _bounds(this)
    corners = [
        (t - lo) / lo * HUNDRED
        for lo in (last_low, last_high)
        for t in (this_low, this_high)
        if lo > ZERO
    ]
    computed = (this.value - last.value) / last.value * HUNDRED
    low, high = (min(corners), max(corners)) if corners else (computed, computed)
    places = 2 if rate.places is None else rate.places
    if round_half_up(low, places) <= rate.value <= round_half_up(high, places):
        return
    shown = format_thousands(round_half_up(computed, places), places)
    yield _finding(
        "change-rate-wrong",
        Severity.error,
        rate.where,
        row.label,
        f"“{row.label}”增减率填报{show(rate, '%')}，（本年数{show(this, row.unit)}−上年数"
        f"{show(last, row.unit)}）÷上年数为{shown}%（按填报精度（{describe_places(places)}）"
        "比较）。",
        subject,
        填报=rate.value,
        计算=computed,
    )


def _footing_findings(total: Row, parts: Sequence[Row], subject: str) -> Iterable[Finding]:
    for column in (Column.last_year, Column.this_year, Column.change):
        printed = total.figure(column)
        if not printed.known:
            continue
        figures = [part.figure(column) for part in parts]
        needed = [(part, f.why_missing) for part, f in zip(parts, figures, strict=True)]
        names = "、".join(f"“{part.label}”{why}" for part, why in needed if why)
        if names:
            yield _finding(
                "total-unverifiable",
                Severity.warning,
                printed.where,
                total.label,
                f"“{total.label}”的{column}无法核实：其中{names}。",
                subject,
            )
            continue
        known = [f.printed() for f in figures if f.known]
        if not known or sum_consistent(printed.printed(), known):
            continue
        parts_sum = sum((f.value for f in known), ZERO)
        yield _finding(
            "total-not-sum-of-parts",
            Severity.error,
            printed.where,
            total.label,
            f"“{total.label}”{column}填报{show(printed, total.unit)}，其中各行合计"
            f"{format_thousands(parts_sum, _places(printed, *figures))}{total.unit}，两者应相等"
            "（已计入各数四舍五入的尾差）。",
            subject,
            填报=printed.value or ZERO,
            合计=parts_sum,
        )


def computed_change(row: Row) -> tuple[Decimal | None, Decimal | None]:
    """增减额 (本年数 − 上年数) and 增减率 (增减额 ÷ 上年数, in percentage points, unrounded)
    from the row's two figures; None where a figure is missing or 上年数 is 0."""
    last, this = row.figure(Column.last_year), row.figure(Column.this_year)
    if last.value is None or this.value is None:
        return None, None
    change = this.value - last.value
    rate = None if last.value == ZERO else change / last.value * HUNDRED
    return change, rate


def check_against_previous_year(
    rows: Sequence[Row], previous: Sequence[Row], year: int, subject: str = "基础信息表"
) -> tuple[Finding, ...]:
    """This year's 上年数 against the 本年数 the previous year's table gives for the same row.

    Rows are the same when their labels (spaces ignored) and units are; a row either year
    leaves unpublished, blank or unread is not compared. The two figures agree when they are
    equal at the coarser of their printed precisions.
    """
    earlier = {(_plain(row.label), row.unit): row for row in previous}
    found = []
    for row in rows:
        before = earlier.get((_plain(row.label), row.unit))
        if before is None:
            continue
        stated, stored = row.figure(Column.last_year), before.figure(Column.this_year)
        if not (stated.known and stored.known):
            continue
        assert stated.value is not None and stored.value is not None
        places = min(_places(stated), _places(stored))
        gap = round_half_up(stated.value, places) - round_half_up(stored.value, places)
        if gap == ZERO:
            continue
        found.append(
            _finding(
                "last-year-differs",
                Severity.error,
                stated.where,
                row.label,
                f"“{row.label}”上年数{show(stated, row.unit)}，与{year - 1}年度基础信息表的"
                f"本年数{show(stored, row.unit)}不一致{_transposition_hint(gap, stated, stored)}。",
                subject,
                上年数=stated.value,
                上年度本年数=stored.value,
            )
        )
    return tuple(found)


def _plain(label: str) -> str:
    return "".join(label.split())


__all__ = [
    "BLANK",
    "UNPUBLISHED",
    "Column",
    "Figure",
    "Row",
    "check_against_previous_year",
    "check_two_years",
    "computed_change",
    "show",
]
