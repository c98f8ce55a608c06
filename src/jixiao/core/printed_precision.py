"""Comparing a figure at the precision it is printed with (pure).

A form prints 执行率 “86%” and 得分 “9” for a computed 86.20 % and 8.62: both are right at
the precision they are printed with. A printed figure is *consistent* with a computed one
when the computed value, rounded half-up to the printed decimals, is the printed value.

The computed value may itself be rounded already (a score is rounded to the rule set's
places): it cannot then be checked to more decimals than it has, so a figure printed with
more decimals than the computation is compared at the computation's places.

A figure whose printed precision is unknown is compared at the rule set's places, as before.

A total printed beside its parts (年度资金总额 over its 其中 rows) may differ from the sum of
the printed parts by what rounding each of them can account for: half a unit of the last
printed place per figure (the 尾差 that forms explain as “系四舍五入所致”).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.money import ZERO, round_half_up

_DIGITS = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*)?(?:\.(\d*))?")


@dataclass(frozen=True)
class Printed:
    """A figure as printed: its value and the decimals it is printed with (None: unknown)."""

    value: Decimal
    places: int | None = None


def places_in_text(text: str) -> int | None:
    """The decimals of the first number written in a text: “86%” → 0, “8.62” → 2,
    “１２０．００万元” → 2, “1,234.5” → 1; None when the text holds no number."""
    cleaned = text.translate(_DIGITS).strip()
    for match in _NUMBER.finditer(cleaned):
        found = match.group(0)
        if any(ch.isdigit() for ch in found):
            decimals = match.group(1)
            return len(decimals) if decimals else 0
    return None


def comparison_places(printed: int | None, computed: int | None, default: int) -> int:
    """The decimals a printed and a computed figure are compared at: the printed ones,
    never more than the computed figure carries; ``default`` when the print is unknown."""
    if printed is None:
        return default if computed is None else min(default, computed)
    return printed if computed is None else min(printed, computed)


def consistent(computed: Decimal, printed: Decimal, places: int) -> bool:
    """True when both figures are the same at ``places`` decimals (half-up)."""
    return round_half_up(computed, places) == round_half_up(printed, places)


def half_unit(places: int) -> Decimal:
    """Half a unit of the last place: 0.005 for 2 places, 0.5 for 0."""
    return Decimal(5).scaleb(-(places + 1))


def sum_consistent(total: Printed, parts: Sequence[Printed], exact_at: int | None = None) -> bool:
    """True when a printed total and its printed parts can all be roundings of figures
    that add up exactly: the gap is within half a unit of each one's last printed place.

    A figure printed with ``exact_at`` decimals or more, or whose precision is unknown, is
    taken as exact (a score the rules round to 2 places and the form prints at 2 places)."""
    if not parts:
        return total.value == ZERO

    def slack(figure: Printed) -> Decimal:
        places = figure.places
        if places is None or (exact_at is not None and places >= exact_at):
            return ZERO
        return half_unit(places)

    gap = abs(total.value - sum((part.value for part in parts), ZERO))
    return gap <= sum((slack(figure) for figure in (total, *parts)), ZERO)


def summand(
    claimed: Decimal | None, computed: Decimal | None, places: int | None, rule_places: int
) -> Printed | None:
    """A score as it enters a sum of the form's scores (a subtotal, the total).

    A printed score that agrees with the computed one at its printed precision is a rounding
    of it: the computed score stands for it exactly (a form printing “9” for 8.62 adds
    8.62). Any other printed score enters as printed, with the rounding its decimals allow;
    the rules round each row, so one printed with more decimals than the rule set's (or
    with unknown ones) enters at the rule's places. An unprinted score enters as computed.
    """
    if claimed is None:
        return None if computed is None else Printed(computed, rule_places)
    at = comparison_places(places, rule_places, rule_places)
    if computed is not None and consistent(computed, claimed, at):
        return Printed(computed, rule_places)
    if places is None or places > rule_places:
        return Printed(round_half_up(claimed, rule_places), rule_places)
    return Printed(claimed, places)


def describe_places(places: int) -> str:
    """How a comparison's precision is named in a finding: “整数”, “1位小数”, “2位小数”."""
    return "整数" if places <= 0 else f"{places}位小数"


def precision_note(places: int) -> str:
    """“按填报精度（整数）比较” — the clause a finding adds."""
    return f"按填报精度（{describe_places(places)}）比较"


__all__ = [
    "Printed",
    "comparison_places",
    "consistent",
    "describe_places",
    "half_unit",
    "places_in_text",
    "precision_note",
    "sum_consistent",
    "summand",
]
